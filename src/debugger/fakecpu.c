// SPDX-License-Identifier: GPL-3.0-or-later
/* The fake arm64 machine of src/debugger/fakecpu.h: a tiny A64 interpreter with KVM's guest
 * debug exits, and the driver that plays the vCPU threads and the main loop around the
 * debugger. Written for tests: every rule of include/dbg_cpu.h it can check, it checks. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/arm64/esr.h"
#include "src/arm64/hwdbg.h"
#include "src/arm64/ptw.h"
#include "src/arm64/regs.h"
#include "src/debugger/fakecpu.h"

#define PAGE 4096ull
#define EL_OF(pstate) (((pstate) >> 2) & 3)
#define MODE(pstate) ((pstate)&ARM64_PSTATE_M_MASK)
#define DAIF (ARM64_PSTATE_D | ARM64_PSTATE_A | ARM64_PSTATE_I | ARM64_PSTATE_F)

/* The system registers a fake vCPU has (src/arm64/gdbregs.c shows them all to gdb). */
static const uint32_t sys_ids[] = {
	ARM64_R_SCTLR_EL1,
	ARM64_R_TCR_EL1,
	ARM64_R_TTBR0_EL1,
	ARM64_R_TTBR1_EL1,
	ARM64_R_SYS(3, 0, 10, 2, 0), /* MAIR_EL1 */
	ARM64_R_SYS(3, 0, 10, 3, 0), /* AMAIR_EL1 */
	ARM64_R_VBAR_EL1,
	ARM64_R_ESR_EL1,
	ARM64_R_FAR_EL1,
	ARM64_R_SYS(3, 0, 7, 4, 0),  /* PAR_EL1 */
	ARM64_R_SYS(3, 0, 5, 1, 0),  /* AFSR0_EL1 */
	ARM64_R_SYS(3, 0, 5, 1, 1),  /* AFSR1_EL1 */
	ARM64_R_SYS(3, 0, 13, 0, 1), /* CONTEXTIDR_EL1 */
	ARM64_R_SYS(3, 0, 13, 0, 4), /* TPIDR_EL1 */
	ARM64_R_SYS(3, 3, 13, 0, 2), /* TPIDR_EL0 */
	ARM64_R_SYS(3, 3, 13, 0, 3), /* TPIDRRO_EL0 */
	ARM64_R_SYS(3, 0, 1, 0, 2),  /* CPACR_EL1 */
	ARM64_R_SYS(2, 0, 0, 2, 2),  /* MDSCR_EL1 */
	ARM64_R_SYS(3, 0, 14, 1, 0), /* CNTKCTL_EL1 */
	ARM64_R_SYS(3, 3, 14, 3, 1), /* CNTV_CTL_EL0 */
	ARM64_R_SYS(3, 3, 14, 3, 2), /* CNTV_CVAL_EL0 */
	ARM64_R_SYS(3, 3, 14, 0, 2), /* CNTVCT_EL0 */
	ARM64_R_SYS(3, 0, 0, 0, 5),  /* MPIDR_EL1 */
	ARM64_R_SYS(3, 0, 0, 0, 0),  /* MIDR_EL1 */
};
#define NR_SYS (sizeof(sys_ids) / sizeof(sys_ids[0]))
#define SYS_MPIDR (NR_SYS - 2)
#define SYS_CNTVCT (NR_SYS - 3)
#define SYS_CNTV_CVAL (NR_SYS - 4)
#define SYS_CNTV_CTL (NR_SYS - 5)

/* PMUv3 (fake_set_pmu) as Linux 6.1's KVM_{GET,SET}_ONE_REG shows it: each SET/CLR pair is one
 * register (sys_regs.c gives both the same .reg) that a write to either replaces, all 31 event
 * counters are there whatever PMCR_EL0.N says, and PMCEID0/1_EL0 are not (no .reg, no get_user:
 * ENOENT). Slots: PMCR, PMCNTEN, PMOVS, PMSELR, PMCCNTR, PMCCFILTR, PMUSERENR, PMINTEN, then
 * PMEVCNTR0..30 and PMEVTYPER0..30. */
#define PMU_NAMED 8
#define NR_PMU (PMU_NAMED + 62)

static int pmu_slot(uint32_t id)
{
	static const uint32_t named[][2] = {
		{ ARM64_R_SYS(3, 3, 9, 12, 0), 0 }, { ARM64_R_SYS(3, 3, 9, 12, 1), 1 },
		{ ARM64_R_SYS(3, 3, 9, 12, 2), 1 }, { ARM64_R_SYS(3, 3, 9, 14, 3), 2 },
		{ ARM64_R_SYS(3, 3, 9, 12, 3), 2 }, { ARM64_R_SYS(3, 3, 9, 12, 5), 3 },
		{ ARM64_R_SYS(3, 3, 9, 13, 0), 4 }, { ARM64_R_SYS(3, 3, 14, 15, 7), 5 },
		{ ARM64_R_SYS(3, 3, 9, 14, 0), 6 }, { ARM64_R_SYS(3, 0, 9, 14, 1), 7 },
		{ ARM64_R_SYS(3, 0, 9, 14, 2), 7 },
	};
	struct arm64_sysreg_enc e = arm64_reg_sys_enc(id);
	unsigned int n = (e.crm & 3) << 3 | e.op2;

	for (unsigned int i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (named[i][0] == id)
			return (int)named[i][1];
	if (e.op0 != 3 || e.op1 != 3 || e.crn != 14 || e.crm < 8 || n == 31)
		return -1;
	return PMU_NAMED + (e.crm >= 12 ? 31 : 0) + (int)n;
}

/* What MRS/MSR call ELR_EL1, SPSR_EL1 and SP_EL0: core registers in regs.h. */
#define ENC_ELR_EL1 ARM64_R_SYS(3, 0, 4, 0, 1)
#define ENC_SPSR_EL1 ARM64_R_SYS(3, 0, 4, 0, 0)
#define ENC_SP_EL0 ARM64_R_SYS(3, 0, 4, 1, 0)

struct fake_vcpu {
	uint64_t x[31], sp_el0, sp_el1, pc, pstate, elr, spsr;
	uint8_t v[32][16];
	uint32_t fpsr, fpcr;
	/* SVE (fake_set_features): z0..z31, then p0..p15 and ffr, at KVM's sizes; only the
	 * vector length's low bytes are ever written. With SVE, v[] is unused: Vn is Zn's. */
	uint8_t z[32][ARM64_SVE_Z_BYTES];
	uint8_t p[17][ARM64_SVE_P_BYTES];
	uint64_t sys[NR_SYS];
	uint64_t pmu[NR_PMU]; /* with the PMU only: pmu_slot() */
	bool pending[3]; /* enum fake_irq */
	bool powered_off;
	bool want_run; /* let run and not paused since */
	bool in_run;   /* inside "KVM_RUN": dbg_before_run() was called for this entry */
	unsigned int since_kick;
	struct dbg_hw_state hw;
	unsigned int nr_set_debug;
	uint16_t seen; /* bit n: a set_debug gave flags n (the 4 DBG_HW_* bits) */
	struct {
		unsigned int slot;
		uint64_t bvr;
	} bps_seen[32]; /* enabled breakpoint slots set_debug gave, each pair once */
	unsigned int nr_bps_seen;
	uint64_t insns;
	unsigned int exits[64];
};

struct fake {
	unsigned int n;
	struct dbg_cpu_features features;
	struct fake_vcpu cpu[FAKE_MAX_CPUS];
	uint8_t *ram;
	uint64_t ram_size;
	uint8_t *shadow;
	uint64_t table_low; /* offset of the lowest table page allocated */
	gpa_t root[2];
	struct dbg *d;
	unsigned int nr_bps, nr_wps;
	int cur; /* the vCPU whose thread runs a hook now; -1: the main loop */
	unsigned int kick_every, latency;
	bool stop_due;
	uint64_t round, due_round;
	struct fake_stop stops[FAKE_MAX_STOPS];
	unsigned int nr_stops;
	bool waiting;
	unsigned int bad_stops;
	unsigned int violations;
	char first_violation[200];
	fake_insn_fn hook;
	void *hook_opaque;
};

static void violation(struct fake *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void violation(struct fake *f, const char *fmt, ...)
{
	va_list ap;

	if (!f->violations++) {
		va_start(ap, fmt);
		vsnprintf(f->first_violation, sizeof(f->first_violation), fmt, ap);
		va_end(ap);
	}
}

/* May the caller (the main loop, or the thread of vCPU f->cur) touch cpu's state? */
static void check_owner(struct fake *f, unsigned int cpu, const char *what)
{
	if (f->cur >= 0 && (unsigned int)f->cur != cpu)
		violation(f, "%s of cpu%u from cpu%d's thread", what, cpu, f->cur);
	else if (f->cur < 0 && f->cpu[cpu].want_run)
		violation(f, "%s of cpu%u by the main loop while it runs", what, cpu);
}

/* The virtual timer (Arm ARM D11.2.4): ISTATUS follows the counter and the compare value; an
 * enabled, unmasked timer that has fired is a level interrupt until the guest rearms it. */
static void timer_update(struct fake_vcpu *c)
{
	uint64_t *ctl = &c->sys[SYS_CNTV_CTL];

	*ctl &= ARM64_CNT_CTL_ENABLE | ARM64_CNT_CTL_IMASK;
	if ((*ctl & ARM64_CNT_CTL_ENABLE) && c->sys[SYS_CNTVCT] >= c->sys[SYS_CNTV_CVAL])
		*ctl |= ARM64_CNT_CTL_ISTATUS;
}

static bool timer_irq(const struct fake_vcpu *c)
{
	return (c->sys[SYS_CNTV_CTL] &
		(ARM64_CNT_CTL_ENABLE | ARM64_CNT_CTL_IMASK | ARM64_CNT_CTL_ISTATUS)) ==
	       (ARM64_CNT_CTL_ENABLE | ARM64_CNT_CTL_ISTATUS);
}

void fake_timer(struct fake *f, unsigned int cpu, uint64_t ticks)
{
	struct fake_vcpu *c = &f->cpu[cpu];

	c->sys[SYS_CNTV_CVAL] = c->sys[SYS_CNTVCT] + ticks;
	c->sys[SYS_CNTV_CTL] = ARM64_CNT_CTL_ENABLE;
	timer_update(c);
}

/* ---------------------------------------------------------------- registers */

static int sys_index(uint32_t id)
{
	unsigned int i;

	for (i = 0; i < NR_SYS; i++)
		if (sys_ids[i] == id)
			return (int)i;
	return -1;
}

static uint64_t *reg64(struct fake_vcpu *c, uint32_t id)
{
	int i;

	if (id < 31)
		return &c->x[id];
	switch (id) {
	case ARM64_R_SP_EL0:
		return &c->sp_el0;
	case ARM64_R_SP_EL1:
		return &c->sp_el1;
	case ARM64_R_PC:
		return &c->pc;
	case ARM64_R_PSTATE:
		return &c->pstate;
	case ARM64_R_ELR_EL1:
		return &c->elr;
	case ARM64_R_SPSR_EL1:
		return &c->spsr;
	}
	i = arm64_reg_is_sys(id) ? sys_index(id) : -1;
	return i >= 0 ? &c->sys[i] : NULL;
}

static bool is_v(uint32_t id)
{
	return id >= ARM64_R_V(0) && id <= ARM64_R_V(31);
}

/* Where register id lives and how many bytes of it: *size is arm64_reg_size(id), *valid how
 * many of those a write changes (the vector length's for SVE's). NULL: cpu has none. */
static void *reg_ptr(const struct fake *f, struct fake_vcpu *c, uint32_t id, unsigned int *size,
		     unsigned int *valid)
{
	unsigned int vq = f->features.sve_vq;

	*size = *valid = arm64_reg_size(id);
	if (arm64_reg_is_sve(id) || (vq && is_v(id))) {
		if (!vq)
			return NULL;
		if (is_v(id))
			return c->z[id - ARM64_R_V(0)];
		if (id <= ARM64_R_Z(31)) {
			*valid = vq * 16;
			return c->z[id - ARM64_R_Z(0)];
		}
		*valid = vq * 2;
		return c->p[id - ARM64_R_P(0)];
	}
	if (is_v(id))
		return c->v[id - ARM64_R_V(0)];
	if (id == ARM64_R_FPSR)
		return &c->fpsr;
	if (id == ARM64_R_FPCR)
		return &c->fpcr;
	if (f->features.pmu && arm64_reg_is_sys(id) && pmu_slot(id) >= 0)
		return &c->pmu[pmu_slot(id)];
	return reg64(c, id);
}

static int op_get_reg(void *ctx, unsigned int cpu, uint32_t id, void *val)
{
	struct fake *f = ctx;
	unsigned int size, valid;
	void *p;

	if (cpu >= f->n)
		return -EINVAL;
	check_owner(f, cpu, "get_reg");
	p = reg_ptr(f, &f->cpu[cpu], id, &size, &valid);
	if (!p || !size)
		return -ENOENT;
	memcpy(val, p, size);
	return 0;
}

/* As KVM: only the vector length's bytes of SVE's registers are written, and a write of Vn
 * with SVE zeroes the rest of Zn (an AdvSIMD write's effect). */
static void write_reg(struct fake *f, unsigned int cpu, uint32_t id, const void *val)
{
	unsigned int size, valid;
	void *p = reg_ptr(f, &f->cpu[cpu], id, &size, &valid);

	if (f->features.sve_vq && is_v(id))
		memset(p, 0, ARM64_SVE_Z_BYTES);
	memcpy(p, val, valid);
	timer_update(&f->cpu[cpu]);
}

static int op_set_reg(void *ctx, unsigned int cpu, uint32_t id, const void *val)
{
	struct fake *f = ctx;
	unsigned int size, valid;

	if (cpu >= f->n)
		return -EINVAL;
	check_owner(f, cpu, "set_reg");
	if (!reg_ptr(f, &f->cpu[cpu], id, &size, &valid) || !size)
		return -ENOENT;
	write_reg(f, cpu, id, val);
	return 0;
}

uint64_t fake_reg(const struct fake *f, unsigned int cpu, uint32_t id)
{
	unsigned int size, valid;
	uint64_t val = 0;
	void *p = reg_ptr(f, (struct fake_vcpu *)&f->cpu[cpu], id, &size, &valid);

	if (p)
		memcpy(&val, p, size < 8 ? size : 8);
	return val;
}

void fake_set_reg(struct fake *f, unsigned int cpu, uint32_t id, uint64_t val)
{
	uint8_t buf[ARM64_REG_MAX_BYTES] = { 0 };
	unsigned int size, valid;

	if (!reg_ptr(f, &f->cpu[cpu], id, &size, &valid))
		return;
	memcpy(buf, &val, size < 8 ? size : 8);
	write_reg(f, cpu, id, buf);
}

uint8_t *fake_sve_reg(struct fake *f, unsigned int cpu, uint32_t id)
{
	unsigned int size, valid;

	return arm64_reg_is_sve(id) ? reg_ptr(f, &f->cpu[cpu], id, &size, &valid) : NULL;
}

void fake_set_features(struct fake *f, unsigned int sve_vq, bool pauth)
{
	f->features.sve_vq = sve_vq;
	f->features.pauth = pauth;
}

void fake_set_pmu(struct fake *f, unsigned int nr_counters)
{
	f->features.pmu = true;
	for (unsigned int i = 0; i < f->n; i++) /* IMP 0x41 (Arm), N: the counters */
		f->cpu[i].pmu[0] = 0x41000000ull | (uint64_t)(nr_counters & 31) << 11;
}

static void op_features(void *ctx, struct dbg_cpu_features *out)
{
	*out = ((struct fake *)ctx)->features;
}

static uint64_t sys_get(const struct fake_vcpu *c, uint32_t id)
{
	int i = sys_index(id);

	return i >= 0 ? c->sys[i] : 0;
}

/* -------------------------------------------------------------------- memory */

uint8_t *fake_ram(struct fake *f, gpa_t pa, uint64_t len)
{
	if (pa < FAKE_RAM_BASE || pa - FAKE_RAM_BASE > f->ram_size ||
	    len > f->ram_size - (pa - FAKE_RAM_BASE))
		return NULL;
	return f->ram + (pa - FAKE_RAM_BASE);
}

uint32_t fake_peek32(struct fake *f, gpa_t pa)
{
	uint8_t *p = fake_ram(f, pa, 4);
	uint32_t v = 0;

	if (p)
		memcpy(&v, p, 4);
	return v;
}

void fake_poke32(struct fake *f, gpa_t pa, uint32_t insn)
{
	uint8_t *p = fake_ram(f, pa, 4);

	if (p)
		memcpy(p, &insn, 4);
}

void fake_put(struct fake *f, gpa_t pa, const uint32_t *insns, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fake_poke32(f, pa + 4 * i, insns[i]);
}

void fake_set_shadow(struct fake *f, uint8_t *shadow)
{
	f->shadow = shadow;
}

static uint8_t *op_mem(void *ctx, gpa_t pa, uint64_t len, uint64_t *avail)
{
	struct fake *f = ctx;
	uint64_t rest;

	if (pa < FAKE_RAM_BASE || pa - FAKE_RAM_BASE >= f->ram_size)
		return NULL;
	rest = f->ram_size - (pa - FAKE_RAM_BASE);
	*avail = len < rest ? (len ? len : 1) : rest;
	return f->ram + (pa - FAKE_RAM_BASE);
}

static int read_phys(void *opaque, gpa_t pa, uint64_t *val)
{
	uint8_t *p = fake_ram(opaque, pa, 8);

	if (!p)
		return -EFAULT;
	memcpy(val, p, 8);
	return 0;
}

static int translate(struct fake *f, const struct fake_vcpu *c, gva_t va, gpa_t *pa)
{
	struct arm64_ptw_regs r = {
		.sctlr_el1 = sys_get(c, ARM64_R_SCTLR_EL1),
		.tcr_el1 = sys_get(c, ARM64_R_TCR_EL1),
		.ttbr0_el1 = sys_get(c, ARM64_R_TTBR0_EL1),
		.ttbr1_el1 = sys_get(c, ARM64_R_TTBR1_EL1),
	};
	struct arm64_ptw w;

	arm64_ptw_init(&w, &r, read_phys, f);
	return arm64_ptw_va_to_pa(&w, va, pa);
}

/* Host pointer to the guest's virtual [va, va + len) as c sees it (len within one page). */
static uint8_t *guest_ptr(struct fake *f, const struct fake_vcpu *c, gva_t va, uint64_t len)
{
	gpa_t pa;

	if (translate(f, c, va, &pa))
		return NULL;
	return fake_ram(f, pa, len);
}

/* ---------------------------------------------------------------- page tables */

static gpa_t table_alloc(struct fake *f)
{
	if (f->table_low < PAGE || f->table_low - PAGE < PAGE)
		return 0; /* keep the first page for code */
	f->table_low -= PAGE;
	memset(f->ram + f->table_low, 0, PAGE);
	return FAKE_RAM_BASE + f->table_low;
}

gpa_t fake_tables_start(const struct fake *f)
{
	return FAKE_RAM_BASE + f->table_low;
}

static int map_page(struct fake *f, int ttbr, gva_t va, gpa_t pa)
{
	gpa_t table = f->root[ttbr];
	uint64_t desc;
	int level;

	if (!table && !(table = f->root[ttbr] = table_alloc(f)))
		return -ENOMEM;
	for (level = 0; level < 3; level++) {
		uint8_t *p = fake_ram(f, table + 8 * ((va >> (39 - 9 * level)) & 511), 8);

		memcpy(&desc, p, 8);
		if (!(desc & 1)) {
			gpa_t next = table_alloc(f);

			if (!next)
				return -ENOMEM;
			desc = next | 3;
			memcpy(p, &desc, 8);
		}
		table = desc & 0x0000fffffffff000ull;
	}
	desc = pa | 3 | (1ull << 10) | (3ull << 8); /* page, AF, inner shareable, AttrIndx 0 */
	memcpy(fake_ram(f, table + 8 * ((va >> 12) & 511), 8), &desc, 8);
	return 0;
}

int fake_map(struct fake *f, gva_t va, gpa_t pa, uint64_t len)
{
	int ttbr = (va >> 48) == 0 ? 0 : (va >> 48) == 0xffff ? 1 : -1;
	uint64_t off;
	int ret;

	if (ttbr < 0 || (va | pa | len) & (PAGE - 1) || va + len - 1 < va)
		return -EINVAL;
	for (off = 0; off < len; off += PAGE) {
		ret = map_page(f, ttbr, va + off, pa + off);
		if (ret)
			return ret;
	}
	return 0;
}

void fake_mmu(struct fake *f, unsigned int cpu, bool on)
{
	struct fake_vcpu *c = &f->cpu[cpu];
	uint64_t tcr = 16 | (16ull << 16) | (2ull << 30) | (5ull << 32); /* 4K, 48-bit, TG1 4K */
	int i;

	for (i = 0; i < 2; i++)
		if (!f->root[i])
			f->root[i] = table_alloc(f);
	c->sys[sys_index(ARM64_R_TCR_EL1)] = tcr;
	c->sys[sys_index(ARM64_R_TTBR0_EL1)] = f->root[0];
	c->sys[sys_index(ARM64_R_TTBR1_EL1)] = f->root[1];
	if (on)
		c->sys[sys_index(ARM64_R_SCTLR_EL1)] |= 1;
	else
		c->sys[sys_index(ARM64_R_SCTLR_EL1)] &= ~1ull;
}

/* ------------------------------------------------------------ set-up, events */

struct fake *fake_new(unsigned int nr_cpus, uint64_t ram_size)
{
	struct fake *f;
	unsigned int i;

	if (!nr_cpus || nr_cpus > FAKE_MAX_CPUS || !ram_size || ram_size % PAGE)
		return NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->ram = calloc(1, ram_size);
	if (!f->ram) {
		free(f);
		return NULL;
	}
	f->n = nr_cpus;
	f->ram_size = ram_size;
	f->table_low = ram_size;
	f->cur = -1;
	f->nr_bps = f->nr_wps = DBG_HW_SLOTS;
	for (i = 0; i < nr_cpus; i++) {
		f->cpu[i].pc = FAKE_RAM_BASE;
		f->cpu[i].pstate = ARM64_PSTATE_EL1h | DAIF;
		f->cpu[i].sys[SYS_MPIDR] = 0x80000000ull | i;
		f->cpu[i].sys[sys_index(ARM64_R_SCTLR_EL1)] =
			0x30d00800ull; /* RES1 bits, MMU off */
	}
	return f;
}

void fake_free(struct fake *f)
{
	if (!f)
		return;
	free(f->ram);
	free(f);
}

unsigned int fake_nr_cpus(const struct fake *f)
{
	return f->n;
}

void fake_raise(struct fake *f, unsigned int cpu, enum fake_irq kind)
{
	f->cpu[cpu].pending[kind] = true;
}

bool fake_irq_pending(const struct fake *f, unsigned int cpu, enum fake_irq kind)
{
	return f->cpu[cpu].pending[kind];
}

void fake_set_powered_off(struct fake *f, unsigned int cpu, bool off)
{
	f->cpu[cpu].powered_off = off;
}

void fake_set_kick_every(struct fake *f, unsigned int n)
{
	f->kick_every = n;
}

void fake_set_insn_hook(struct fake *f, fake_insn_fn fn, void *opaque)
{
	f->hook = fn;
	f->hook_opaque = opaque;
}

void fake_set_latency(struct fake *f, unsigned int rounds)
{
	f->latency = rounds;
}

void fake_set_slots(struct fake *f, unsigned int nr_hw_bps, unsigned int nr_hw_wps)
{
	f->nr_bps = nr_hw_bps;
	f->nr_wps = nr_hw_wps;
}

/* ------------------------------------------------------------ exceptions */

static uint64_t *cur_sp(struct fake_vcpu *c)
{
	return MODE(c->pstate) == ARM64_PSTATE_EL1h ? &c->sp_el1 : &c->sp_el0;
}

/* Exception entry to EL1h, as the hardware does it (Arm ARM D1.10). */
static void take(struct fake_vcpu *c, enum arm64_vec_type type, bool sync, uint64_t esr,
		 bool far_valid, uint64_t far)
{
	uint64_t mode = MODE(c->pstate), off;

	if (mode & ARM64_PSTATE_nRW)
		off = 0x600;
	else if (mode == ARM64_PSTATE_EL1h)
		off = 0x200;
	else if (mode == ARM64_PSTATE_EL1t)
		off = 0;
	else
		off = 0x400;
	c->elr = c->pc;
	c->spsr = c->pstate;
	c->pstate = (c->pstate & ARM64_PSTATE_NZCV) | DAIF | ARM64_PSTATE_EL1h;
	if (!(sys_get(c, ARM64_R_SCTLR_EL1) & ARM64_SCTLR_SPAN))
		c->pstate |= ARM64_PSTATE_PAN;
	c->pc = (sys_get(c, ARM64_R_VBAR_EL1) & ~0x7ffull) + off + 0x80 * (uint64_t)type;
	if (sync)
		c->sys[sys_index(ARM64_R_ESR_EL1)] = esr;
	if (far_valid)
		c->sys[sys_index(ARM64_R_FAR_EL1)] = far;
}

/* A synchronous exception of class ec_cur (from EL1) or ec_cur - 1 (from EL0). */
static void take_sync(struct fake_vcpu *c, unsigned int ec_cur, uint32_t iss, bool far_valid,
		      uint64_t far)
{
	unsigned int ec = EL_OF(c->pstate) ? ec_cur : ec_cur - 1;

	take(c, ARM64_VEC_SYNC, true, (uint64_t)ec << 26 | ARM64_ESR_IL | iss, far_valid, far);
}

/* An interrupt that is pending and not masked: taken before the next instruction. */
static bool take_async(struct fake_vcpu *c)
{
	static const struct {
		enum fake_irq kind;
		uint64_t mask;
		enum arm64_vec_type type;
	} order[] = {
		{ FAKE_SERROR, ARM64_PSTATE_A, ARM64_VEC_SERROR },
		{ FAKE_FIQ, ARM64_PSTATE_F, ARM64_VEC_FIQ },
		{ FAKE_IRQ, ARM64_PSTATE_I, ARM64_VEC_IRQ },
	};
	unsigned int i;

	for (i = 0; i < 3; i++) {
		bool timer = order[i].kind == FAKE_IRQ && timer_irq(c);

		if ((!c->pending[order[i].kind] && !timer) || (c->pstate & order[i].mask))
			continue;
		c->pending[order[i].kind] = false; /* the timer's stays until the guest rearms it */
		take(c, order[i].type, false, 0, false, 0);
		return true;
	}
	return false;
}

/* ------------------------------------------------------------ debug registers */

static bool priv_match(unsigned int pmc, uint64_t pstate)
{
	return EL_OF(pstate) == 0 ? (pmc & 2) : EL_OF(pstate) == 1 ? (pmc & 1) : false;
}

static bool bp_hit(const struct fake *f, const struct fake_vcpu *c)
{
	unsigned int i;

	for (i = 0; i < f->nr_bps && i < DBG_HW_SLOTS; i++) {
		uint64_t bcr = c->hw.bcr[i];

		if (!(bcr & ARM64_DBG_E) || ((bcr >> 20) & 0xf) ||
		    !priv_match((bcr >> 1) & 3, c->pstate))
			continue;
		if ((c->hw.bvr[i] & ~3ull) == (c->pc & ~3ull))
			return true;
	}
	return false;
}

static bool wp_hit(const struct fake *f, const struct fake_vcpu *c, gva_t va, uint64_t len,
		   bool store)
{
	unsigned int i;
	gva_t a;
	uint64_t l;

	for (i = 0; i < f->nr_wps && i < DBG_HW_SLOTS; i++) {
		uint64_t wcr = c->hw.wcr[i];
		unsigned int lsc = (wcr >> ARM64_DBGWCR_LSC_SHIFT) & 3;

		arm64_wp_decode(wcr, c->hw.wvr[i], &a, &l);
		if (!l || !(lsc & (store ? 2 : 1)) || !priv_match((wcr >> 1) & 3, c->pstate))
			continue;
		if (va < a + l && a < va + len)
			return true;
	}
	return false;
}

static void note_bp(struct fake_vcpu *c, unsigned int slot, uint64_t bvr)
{
	unsigned int i;

	for (i = 0; i < c->nr_bps_seen; i++)
		if (c->bps_seen[i].slot == slot && c->bps_seen[i].bvr == bvr)
			return;
	if (c->nr_bps_seen < sizeof(c->bps_seen) / sizeof(c->bps_seen[0])) {
		c->bps_seen[c->nr_bps_seen].slot = slot;
		c->bps_seen[c->nr_bps_seen++].bvr = bvr;
	}
}

static int op_set_debug(void *ctx, unsigned int cpu, const struct dbg_hw_state *hw)
{
	struct fake *f = ctx;
	struct fake_vcpu *c;
	unsigned int i;

	if (cpu >= f->n)
		return -EINVAL;
	check_owner(f, cpu, "set_debug");
	if (hw->flags & ~(uint32_t)(DBG_HW_ENABLE | DBG_HW_SINGLESTEP | DBG_HW_SW_BP | DBG_HW_HW))
		return -EINVAL;
	for (i = 0; i < DBG_HW_SLOTS; i++) {
		if ((hw->flags & DBG_HW_HW) && i >= f->nr_bps && (hw->bcr[i] & ARM64_DBG_E))
			violation(f, "cpu%u: breakpoint slot %u enabled, the host has %u", cpu, i,
				  f->nr_bps);
		if ((hw->flags & DBG_HW_HW) && i >= f->nr_wps && (hw->wcr[i] & ARM64_DBG_E))
			violation(f, "cpu%u: watchpoint slot %u enabled, the host has %u", cpu, i,
				  f->nr_wps);
	}
	c = &f->cpu[cpu];
	c->hw = *hw;
	c->nr_set_debug++;
	c->seen |= 1u << (hw->flags & 0xf);
	for (i = 0; i < DBG_HW_SLOTS && (hw->flags & DBG_HW_HW); i++)
		if (hw->bcr[i] & ARM64_DBG_E)
			note_bp(c, i, hw->bvr[i]);
	return 0;
}

bool fake_bp_seen(const struct fake *f, unsigned int cpu, gva_t va, unsigned int *slot)
{
	const struct fake_vcpu *c = &f->cpu[cpu];
	unsigned int i;

	for (i = 0; i < c->nr_bps_seen; i++) {
		if (c->bps_seen[i].bvr == va) {
			if (slot)
				*slot = c->bps_seen[i].slot;
			return true;
		}
	}
	return false;
}

const struct dbg_hw_state *fake_debug(const struct fake *f, unsigned int cpu)
{
	return &f->cpu[cpu].hw;
}

unsigned int fake_nr_set_debug(const struct fake *f, unsigned int cpu)
{
	return f->cpu[cpu].nr_set_debug;
}

bool fake_debug_seen(const struct fake *f, unsigned int cpu, uint32_t flags)
{
	unsigned int m;

	for (m = 0; m < 16; m++)
		if ((f->cpu[cpu].seen & (1u << m)) && (m & flags) == flags)
			return true;
	return false;
}

void fake_clear_history(struct fake *f)
{
	unsigned int i;

	for (i = 0; i < f->n; i++) {
		f->cpu[i].seen = 0;
		f->cpu[i].nr_bps_seen = 0;
		f->cpu[i].insns = 0;
		memset(f->cpu[i].exits, 0, sizeof(f->cpu[i].exits));
	}
}

/* ------------------------------------------------------------------ execution */

enum outcome {
	RAN,    /* the instruction ran (or raised an exception in the guest) */
	EXITED, /* a debug exit before it ran */
};

static void due(struct fake *f)
{
	if (!f->stop_due)
		f->due_round = f->round + f->latency;
	f->stop_due = true;
}

/* KVM_EXIT_DEBUG on cpu: the vCPU thread hands it to the debugger. */
static void debug_exit(struct fake *f, unsigned int cpu, unsigned int ec, uint32_t iss,
		       uint64_t far)
{
	struct fake_vcpu *c = &f->cpu[cpu];
	bool keep = false;

	c->exits[ec]++;
	c->in_run = false;
	if (f->d) {
		f->cur = (int)cpu;
		keep = dbg_on_exit(f->d, cpu, (uint64_t)ec << 26 | ARM64_ESR_IL | iss, far);
		f->cur = -1;
	}
	if (!keep && c->want_run) {
		c->want_run = false;
		due(f);
	}
}

static uint64_t xr(const struct fake_vcpu *c, unsigned int r)
{
	return r == 31 ? 0 : c->x[r];
}

static void xw(struct fake_vcpu *c, unsigned int r, uint64_t val)
{
	if (r != 31)
		c->x[r] = val;
}

/* Xn or SP (register 31) as a base or an ADD/SUB operand. */
static uint64_t *xsp(struct fake_vcpu *c, unsigned int r)
{
	return r == 31 ? cur_sp(c) : &c->x[r];
}

static int64_t sext(uint64_t v, unsigned int bits)
{
	return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

static uint64_t *sysreg_for(struct fake_vcpu *c, uint32_t id)
{
	if (id == ENC_ELR_EL1)
		return &c->elr;
	if (id == ENC_SPSR_EL1)
		return &c->spsr;
	if (id == ENC_SP_EL0)
		return &c->sp_el0;
	return reg64(c, id);
}

static enum outcome ldst(struct fake *f, unsigned int cpu, uint32_t insn, bool hw)
{
	struct fake_vcpu *c = &f->cpu[cpu];
	bool store = !(insn & (1u << 22));
	unsigned int rt = insn & 31, rn = (insn >> 5) & 31;
	gva_t va = *xsp(c, rn) + 8ull * ((insn >> 10) & 0xfff);
	uint8_t *p[8];
	uint64_t val;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		p[i] = guest_ptr(f, c, va + i, 1);
		if (!p[i]) {
			if (f->hook)
				f->hook(f->hook_opaque, cpu, c->pc, insn);
			take_sync(c, ARM64_EC_DABT_CUR, store ? ARM64_ESR_WNR | 0x07 : 0x07, true,
				  va + i);
			return RAN;
		}
	}
	if (hw && wp_hit(f, c, va, 8, store)) {
		debug_exit(f, cpu, ARM64_EC_WATCHPT_LOW, (store ? ARM64_ESR_WNR : 0) | 0x22, va);
		return EXITED;
	}
	if (f->hook)
		f->hook(f->hook_opaque, cpu, c->pc, insn);
	if (store) {
		val = xr(c, rt);
		for (i = 0; i < 8; i++) {
			*p[i] = (uint8_t)(val >> (8 * i));
			if (f->shadow)
				f->shadow[p[i] - f->ram] = *p[i];
		}
	} else {
		for (val = 0, i = 0; i < 8; i++)
			val |= (uint64_t)*p[i] << (8 * i);
		xw(c, rt, val);
	}
	c->pc += 4;
	return RAN;
}

static void sysreg_move(struct fake_vcpu *c, uint32_t insn)
{
	uint32_t id = ARM64_R_SYS((insn >> 19) & 3, (insn >> 16) & 7, (insn >> 12) & 15,
				  (insn >> 8) & 15, (insn >> 5) & 7);
	uint64_t *r = sysreg_for(c, id);
	unsigned int rt = insn & 31;

	if (insn & (1u << 21))
		xw(c, rt, r ? *r : 0);
	else if (r && id != sys_ids[SYS_MPIDR] && id != sys_ids[SYS_MPIDR + 1] &&
		 id != sys_ids[SYS_CNTVCT])
		*r = xr(c, rt);
	timer_update(c);
}

static enum outcome execute(struct fake *f, unsigned int cpu, uint32_t insn, bool dbg_on, bool hw)
{
	struct fake_vcpu *c = &f->cpu[cpu];
	uint64_t pc = c->pc, t;
	unsigned int rd = insn & 31, rn = (insn >> 5) & 31;
	uint64_t imm;
	bool mem = (insn & 0xffc00000) == 0xf9000000 || (insn & 0xffc00000) == 0xf9400000;
	bool brk = (insn & 0xffe0001f) == 0xd4200000;

	if (f->hook && !mem && !(brk && dbg_on)) /* ldst() calls it once past its watchpoints */
		f->hook(f->hook_opaque, cpu, pc, insn);
	if ((insn & 0x7c000000) == 0x14000000) { /* B, BL */
		if (insn & 0x80000000)
			c->x[30] = pc + 4;
		c->pc = pc + (uint64_t)(sext(insn & 0x3ffffff, 26) * 4);
		return RAN;
	}
	if ((insn & 0xfe000000) == 0xb4000000) { /* CBZ, CBNZ (64-bit) */
		bool zero = xr(c, rd) == 0, nz = insn & (1u << 24);

		c->pc = zero != nz ? pc + (uint64_t)(sext((insn >> 5) & 0x7ffff, 19) * 4) : pc + 4;
		return RAN;
	}
	if ((insn & 0xff9ffc1f) == 0xd61f0000) { /* BR, BLR, RET */
		t = xr(c, rn);
		if (((insn >> 21) & 3) == 1)
			c->x[30] = pc + 4;
		c->pc = t;
		return RAN;
	}
	if (insn == FAKE_ERET && EL_OF(c->pstate) == 1) {
		c->pc = c->elr;
		c->pstate = c->spsr;
		return RAN;
	}
	if ((insn & 0x9f800000) == 0x91000000) { /* ADD/SUB (immediate), 64-bit */
		imm = (insn >> 10) & 0xfff;
		if (insn & (1u << 22))
			imm <<= 12;
		if (insn & (1u << 29)) { /* ADDS/SUBS: not in the subset */
			c->pc += 4;
			return RAN;
		}
		t = *xsp(c, rn);
		*xsp(c, rd) = insn & (1u << 30) ? t - imm : t + imm;
		c->pc += 4;
		return RAN;
	}
	if ((insn & 0xff800000) == 0xd2800000 || (insn & 0xff800000) == 0xf2800000) { /* MOVZ/K */
		unsigned int sh = 16 * ((insn >> 21) & 3);

		imm = (uint64_t)((insn >> 5) & 0xffff) << sh;
		if (insn & 0x20000000)
			imm |= xr(c, rd) & ~(0xffffull << sh);
		xw(c, rd, imm);
		c->pc += 4;
		return RAN;
	}
	if (mem)
		return ldst(f, cpu, insn, hw);
	if (brk) {
		if (dbg_on) {
			debug_exit(f, cpu, ARM64_EC_BRK64, (insn >> 5) & 0xffff, 0);
			return EXITED;
		}
		take(c, ARM64_VEC_SYNC, true,
		     (uint64_t)ARM64_EC_BRK64 << 26 | ARM64_ESR_IL | ((insn >> 5) & 0xffff), false,
		     0);
		return RAN;
	}
	if ((insn & 0xffd00000) == 0xd5100000) { /* MRS, MSR (register) */
		sysreg_move(c, insn);
		c->pc += 4;
		return RAN;
	}
	if ((insn & 0xfffff0ff) == 0xd50340df) /* MSR DAIFSet */
		c->pstate |= (uint64_t)((insn >> 8) & 15) << 6;
	else if ((insn & 0xfffff0ff) == 0xd50340ff) /* MSR DAIFClr */
		c->pstate &= ~((uint64_t)((insn >> 8) & 15) << 6);
	c->pc += 4; /* NOP, and everything the subset lacks */
	return RAN;
}

/* One step of cpu: an interrupt taken, a debug exit, or one instruction. */
static void step(struct fake *f, unsigned int cpu)
{
	struct fake_vcpu *c = &f->cpu[cpu];
	uint32_t flags, insn;
	bool ss, hw;
	uint8_t *p;
	int ret;

	if (!c->in_run) {
		c->in_run = true;
		c->since_kick = 0;
		if (f->d) {
			f->cur = (int)cpu;
			ret = dbg_before_run(f->d, cpu);
			f->cur = -1;
			if (ret < 0) {
				violation(f, "cpu%u: dbg_before_run: %s", cpu, strerror(-ret));
				c->want_run = c->in_run = false;
				return;
			}
		}
		if (!c->want_run) {
			c->in_run = false;
			return;
		}
	}
	c->sys[SYS_CNTVCT]++;
	timer_update(c);
	flags = c->hw.flags & DBG_HW_ENABLE ? c->hw.flags : 0;
	ss = flags & DBG_HW_SINGLESTEP;
	hw = flags & DBG_HW_HW;
	if (take_async(c)) {
		if (ss)
			debug_exit(f, cpu, ARM64_EC_SOFTSTP_LOW, ARM64_ESR_SS_ISV | 0x22, 0);
		return;
	}
	if (hw && bp_hit(f, c)) {
		debug_exit(f, cpu, ARM64_EC_BREAKPT_LOW, 0x22, 0);
		return;
	}
	p = guest_ptr(f, c, c->pc, 4);
	if (!p || (c->pc & 3)) {
		take_sync(c, ARM64_EC_IABT_CUR, 0x07, true, c->pc);
	} else {
		memcpy(&insn, p, 4);
		if (execute(f, cpu, insn, flags != 0, hw) == EXITED)
			return;
	}
	c->insns++;
	if (ss) {
		debug_exit(f, cpu, ARM64_EC_SOFTSTP_LOW, ARM64_ESR_SS_ISV | 0x22, 0);
		return;
	}
	if (f->kick_every && ++c->since_kick >= f->kick_every)
		c->in_run = false; /* an exit the vCPU thread handles itself, then KVM_RUN again */
}

static bool can_step(const struct fake_vcpu *c)
{
	return c->want_run && !c->powered_off;
}

/* One round: every vCPU that may run takes one step. False if none could. */
static bool round_once(struct fake *f, unsigned int *steps, unsigned int max)
{
	bool any = false;
	unsigned int i;

	for (i = 0; i < f->n && *steps < max; i++) {
		if (!can_step(&f->cpu[i]))
			continue;
		step(f, i);
		(*steps)++;
		any = true;
	}
	f->round++;
	return any;
}

unsigned int fake_run(struct fake *f, unsigned int max_steps)
{
	unsigned int steps = 0, i;
	bool any;

	while (steps < max_steps) {
		any = false;
		for (i = 0; i < f->n; i++)
			any |= can_step(&f->cpu[i]);
		if (any)
			round_once(f, &steps, max_steps);
		if (f->stop_due && (!any || f->round >= f->due_round)) {
			f->stop_due = false;
			if (f->d)
				dbg_on_stopped(f->d);
			continue;
		}
		if (!any)
			break;
	}
	return steps;
}

bool fake_running(const struct fake *f, unsigned int cpu)
{
	return f->cpu[cpu].want_run;
}

bool fake_any_running(const struct fake *f)
{
	unsigned int i;

	for (i = 0; i < f->n; i++)
		if (f->cpu[i].want_run)
			return true;
	return false;
}

bool fake_stop_due(const struct fake *f)
{
	return f->stop_due;
}

uint64_t fake_insns(const struct fake *f, unsigned int cpu)
{
	return f->cpu[cpu].insns;
}

unsigned int fake_exits(const struct fake *f, unsigned int cpu, unsigned int ec)
{
	return ec < 64 ? f->cpu[cpu].exits[ec] : 0;
}

unsigned int fake_violations(const struct fake *f)
{
	return f->violations;
}

const char *fake_first_violation(const struct fake *f)
{
	return f->violations ? f->first_violation : "";
}

/* ----------------------------------------------------------------- run control */

static void op_run(void *ctx, unsigned int cpu)
{
	struct fake *f = ctx;

	if (cpu >= f->n) {
		violation(f, "run of cpu%u, which does not exist", cpu);
		return;
	}
	f->cpu[cpu].want_run = true;
}

static void op_pause_all(void *ctx)
{
	struct fake *f = ctx;
	unsigned int i;

	if (f->cur >= 0)
		violation(f, "pause_all from cpu%d's thread (it would wait for itself)", f->cur);
	for (i = 0; i < f->n; i++)
		f->cpu[i].want_run = f->cpu[i].in_run = false;
}

/* The main loop blocks here; the vCPU threads run on meanwhile (their stops wait for the
 * main loop, which is busy). A step of the fake stands for a microsecond. */
static int op_wait_paused(void *ctx, unsigned int cpu, unsigned int timeout_ms)
{
	struct fake *f = ctx;
	unsigned int steps = 0, max = timeout_ms * 1000u;

	if (f->cur >= 0)
		violation(f, "wait_paused from cpu%d's thread", f->cur);
	if (cpu >= f->n)
		return -EINVAL;
	if (max < 1000)
		max = 1000;
	while (f->cpu[cpu].want_run && steps < max)
		if (!round_once(f, &steps, max))
			break;
	return f->cpu[cpu].want_run ? -ETIMEDOUT : 0;
}

static bool op_is_powered_off(void *ctx, unsigned int cpu)
{
	struct fake *f = ctx;

	return cpu < f->n && f->cpu[cpu].powered_off;
}

const struct dbg_cpu_ops fake_cpu_ops = {
	.get_reg = op_get_reg,
	.set_reg = op_set_reg,
	.features = op_features,
	.mem = op_mem,
	.set_debug = op_set_debug,
	.run = op_run,
	.pause_all = op_pause_all,
	.wait_paused = op_wait_paused,
	.is_powered_off = op_is_powered_off,
};

/* ------------------------------------------------------------------ gdb's side */

static void on_stop(void *opaque, const struct gdb_stop *stop)
{
	struct fake *f = opaque;
	struct fake_stop *s;

	if (stop->reason != GDB_STOP_EXITED && stop->reason != GDB_STOP_TERMINATED) {
		if (!f->waiting)
			f->bad_stops++;
		f->waiting = false;
	}
	s = &f->stops[f->nr_stops % FAKE_MAX_STOPS];
	s->stop = *stop;
	s->pc = stop->cpu < f->n ? f->cpu[stop->cpu].pc : 0;
	f->nr_stops++;
}

struct dbg *fake_dbg_new(struct fake *f, unsigned int nr_hw_bps, unsigned int nr_hw_wps)
{
	struct dbg_config cfg = {
		.ops = &fake_cpu_ops,
		.ctx = f,
		.nr_cpus = f->n,
		.nr_hw_bps = nr_hw_bps,
		.nr_hw_wps = nr_hw_wps,
		.ram_base = FAKE_RAM_BASE,
		.ram_size = f->ram_size,
	};
	struct dbg *d = dbg_new(&cfg);

	if (!d)
		return NULL;
	if (dbg_subscribe(d, on_stop, f)) {
		dbg_free(d);
		return NULL;
	}
	fake_set_slots(f, nr_hw_bps, nr_hw_wps);
	f->d = d;
	return d;
}

void fake_set_dbg(struct fake *f, struct dbg *d)
{
	f->d = d;
}

unsigned int fake_nr_stops(const struct fake *f)
{
	return f->nr_stops;
}

const struct fake_stop *fake_stop(const struct fake *f, unsigned int i)
{
	if (i >= f->nr_stops || f->nr_stops - i > FAKE_MAX_STOPS)
		return NULL;
	return &f->stops[i % FAKE_MAX_STOPS];
}

int fake_gdb_resume(struct fake *f, const struct gdb_resume *r)
{
	int ret;

	if (f->waiting)
		violation(f, "resume while gdb already waits for a stop");
	f->waiting = true;
	ret = dbg_gdb_ops.resume(f->d, r);
	if (ret)
		f->waiting = false;
	return ret;
}

void fake_gdb_interrupt(struct fake *f)
{
	if (f->waiting) /* gdbstub passes ^C on only while gdb waits */
		dbg_gdb_ops.interrupt(f->d);
}

int fake_gdb_detach(struct fake *f)
{
	f->waiting = false; /* gdb is gone: no stop may come any more */
	return dbg_gdb_ops.detach(f->d);
}

void fake_gdb_kill(struct fake *f)
{
	f->waiting = false;
	dbg_gdb_ops.kill(f->d);
}

bool fake_gdb_waiting(const struct fake *f)
{
	return f->waiting;
}

unsigned int fake_bad_stops(const struct fake *f)
{
	return f->bad_stops;
}

int fake_gdb_continue(struct fake *f)
{
	struct gdb_resume r = { .def = { .kind = GDB_ACT_CONTINUE } };

	return fake_gdb_resume(f, &r);
}

int fake_gdb_step(struct fake *f, unsigned int cpu)
{
	struct gdb_resume r = { .nr = 1 };

	r.cpus[0].cpu = cpu;
	r.cpus[0].act.kind = GDB_ACT_STEP;
	return fake_gdb_resume(f, &r);
}

int fake_gdb_range(struct fake *f, unsigned int cpu, uint64_t start, uint64_t end)
{
	struct gdb_resume r = { .nr = 1 };

	r.cpus[0].cpu = cpu;
	r.cpus[0].act.kind = GDB_ACT_RANGE;
	r.cpus[0].act.start = start;
	r.cpus[0].act.end = end;
	return fake_gdb_resume(f, &r);
}

/* ------------------------------------------------------------------ assembler */

static uint32_t rel(uint64_t pc, uint64_t target, unsigned int bits)
{
	return (uint32_t)(((target - pc) >> 2) & ((1ull << bits) - 1));
}

uint32_t fake_b(uint64_t pc, uint64_t target)
{
	return 0x14000000u | rel(pc, target, 26);
}

uint32_t fake_bl(uint64_t pc, uint64_t target)
{
	return 0x94000000u | rel(pc, target, 26);
}

uint32_t fake_br(unsigned int rn)
{
	return 0xd61f0000u | (rn & 31) << 5;
}

uint32_t fake_blr(unsigned int rn)
{
	return 0xd63f0000u | (rn & 31) << 5;
}

uint32_t fake_cbz(unsigned int rt, uint64_t pc, uint64_t target)
{
	return 0xb4000000u | rel(pc, target, 19) << 5 | (rt & 31);
}

uint32_t fake_cbnz(unsigned int rt, uint64_t pc, uint64_t target)
{
	return 0xb5000000u | rel(pc, target, 19) << 5 | (rt & 31);
}

uint32_t fake_add(unsigned int rd, unsigned int rn, unsigned int imm12)
{
	return 0x91000000u | (imm12 & 0xfff) << 10 | (rn & 31) << 5 | (rd & 31);
}

uint32_t fake_sub(unsigned int rd, unsigned int rn, unsigned int imm12)
{
	return 0xd1000000u | (imm12 & 0xfff) << 10 | (rn & 31) << 5 | (rd & 31);
}

uint32_t fake_movz(unsigned int rd, uint16_t imm, unsigned int shift)
{
	return 0xd2800000u | ((shift / 16) & 3) << 21 | (uint32_t)imm << 5 | (rd & 31);
}

uint32_t fake_movk(unsigned int rd, uint16_t imm, unsigned int shift)
{
	return 0xf2800000u | ((shift / 16) & 3) << 21 | (uint32_t)imm << 5 | (rd & 31);
}

uint32_t fake_ldr(unsigned int rt, unsigned int rn, unsigned int off)
{
	return 0xf9400000u | ((off / 8) & 0xfff) << 10 | (rn & 31) << 5 | (rt & 31);
}

uint32_t fake_str(unsigned int rt, unsigned int rn, unsigned int off)
{
	return 0xf9000000u | ((off / 8) & 0xfff) << 10 | (rn & 31) << 5 | (rt & 31);
}

uint32_t fake_brk(uint16_t imm)
{
	return 0xd4200000u | (uint32_t)imm << 5;
}

static uint32_t sysreg_bits(uint32_t id)
{
	if (id == ARM64_R_ELR_EL1)
		id = ENC_ELR_EL1;
	else if (id == ARM64_R_SPSR_EL1)
		id = ENC_SPSR_EL1;
	else if (id == ARM64_R_SP_EL0)
		id = ENC_SP_EL0;
	return (id & 0xffff) << 5; /* op0 op1 CRn CRm op2 sit in bits [20:5] */
}

uint32_t fake_mrs(unsigned int rt, uint32_t id)
{
	return 0xd5200000u | sysreg_bits(id) | (rt & 31);
}

uint32_t fake_msr(uint32_t id, unsigned int rt)
{
	return 0xd5000000u | sysreg_bits(id) | (rt & 31);
}

uint32_t fake_daifset(unsigned int mask)
{
	return 0xd50340dfu | (mask & 15) << 8;
}

uint32_t fake_daifclr(unsigned int mask)
{
	return 0xd50340ffu | (mask & 15) << 8;
}
