// SPDX-License-Identifier: GPL-3.0-or-later
/* The debugger as gdb's target (gdbstub/target.h): registers by gdb's numbers, memory by
 * virtual address, threads as threads.c shows them (the vCPUs, or a kernel's tasks); and the
 * object itself, its wiring and the monitor's queries. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/arm64/esr.h"
#include "src/arm64/gdbregs.h"
#include "src/debugger/internal.h"

void dbg_warn(struct dbg *d, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (!d->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	d->warn(msg);
}

/* ------------------------------------------------------------------ registers */

/* The vCPU that thread index i runs on; NULL for a task that does not run (*t says which),
 * or no such thread (*t NULL). */
static struct dbg_cpu *cpu_of(void *opaque, unsigned int i, struct dbg_thread **t)
{
	struct dbg *d = opaque;

	*t = dbg_thread(d, i);
	return *t && (*t)->cpu >= 0 ? &d->cpus[(*t)->cpu] : NULL;
}

/* For memory and breakpoints: the vCPU of thread i; for a task that does not run, any vCPU,
 * as the kernel's half of the address space is the same on all. */
static struct dbg_cpu *mem_cpu_of(void *opaque, unsigned int i, gva_t va)
{
	struct dbg *d = opaque;
	struct dbg_thread *t;
	struct dbg_cpu *c = cpu_of(opaque, i, &t);

	if (c || !t)
		return c;
	return va >> 63 ? &d->cpus[0] : NULL; /* its user space is on no CPU */
}

static int t_reg_size(void *opaque, unsigned int regno)
{
	const struct arm64_gdb_reg *r = arm64_gdb_map_reg(((struct dbg *)opaque)->map, regno);

	return r ? r->bitsize / 8 : -ENOENT;
}

static unsigned int t_g_nregs(void *opaque)
{
	return arm64_gdb_map_g_nregs(((struct dbg *)opaque)->map);
}

#define PMCR_EL0 ARM64_R_SYS(3, 3, 9, 12, 0)

/* A PMU register of a vCPU: what KVM_GET_ONE_REG gives, unavailable (-ENODATA) for an event
 * counter past the vCPU's PMCR_EL0.N, and for one KVM keeps none of (-ENOENT: PMCEID0/1_EL0). */
static int read_pmu(struct dbg *d, struct dbg_cpu *c, const struct arm64_gdb_reg *r, uint32_t id,
		    uint8_t *val)
{
	uint64_t pmcr;
	int ret = dbg_reg(c, PMCR_EL0, &pmcr);

	if (!ret && !arm64_gdb_pmu_reg_exists(r, pmcr))
		return -ENODATA;
	if (!ret)
		ret = d->ops->get_reg(d->ctx, c->id, id, val);
	return ret == -ENOENT ? -ENODATA : ret;
}

/* gdb's bytes of a register are the low bytes of ours (cpsr: 4 of PSTATE's 8; z: the vector
 * length's of KVM's 256). vg and the PAC masks are computed, for a task not on a CPU too (they
 * are the kernel's); its other registers are what cpu_switch_to saved, if anything. */
static int t_read_reg(void *opaque, unsigned int cpu, unsigned int regno, void *buf)
{
	struct dbg *d = opaque;
	const struct arm64_gdb_reg *r = arm64_gdb_map_reg(d->map, regno);
	struct dbg_thread *t;
	struct dbg_cpu *c = cpu_of(opaque, cpu, &t);
	uint8_t val[ARM64_REG_MAX_BYTES] = { 0 };
	uint64_t v64 = 0;
	uint32_t id;
	int ret;

	if (!r || !t)
		return !r ? -ENOENT : -ESRCH;
	if (r->kind == ARM64_GREG_VG || r->kind == ARM64_GREG_PAUTH) {
		ret = dbg_gdb_computed_reg(d, c, r, &v64);
		memcpy(buf, &v64, 8);
		return ret;
	}
	if (!c) { /* a task not on a CPU */
		ret = dbg_thread_saved_reg(t, r, &v64);
		memcpy(buf, &v64, r->bitsize / 8 < 8 ? r->bitsize / 8 : 8);
		return ret;
	}
	ret = dbg_gdb_reg_id(c, regno, &id);
	if (!ret)
		ret = r->kind == ARM64_GREG_PMU ? read_pmu(d, c, r, id, val)
						: d->ops->get_reg(d->ctx, c->id, id, val);
	if (ret)
		return ret;
	memcpy(buf, val, r->bitsize / 8);
	return 0;
}

/* A PMU register gdb writes: an event counter past PMCR_EL0.N is refused (there is none to
 * write), and PMCR_EL0.N stays the vCPU's (arm64_gdb_kept_bits). KVM takes the rest as
 * KVM_SET_ONE_REG does, not as the guest's MSR would. */
static int write_pmu(struct dbg_cpu *c, const struct arm64_gdb_reg *r, uint8_t *val)
{
	uint64_t pmcr, v, keep = arm64_gdb_kept_bits(r);
	int ret = dbg_reg(c, PMCR_EL0, &pmcr);

	if (ret)
		return ret;
	if (!arm64_gdb_pmu_reg_exists(r, pmcr))
		return -EPERM;
	memcpy(&v, val, 8);
	v = (v & ~keep) | (pmcr & keep); /* keep is PMCR_EL0's own bits, or 0 */
	memcpy(val, &v, 8);
	return 0;
}

/* vg: the vector length is the vCPU's, fixed when it was made (KVM_ARM_VCPU_FINALIZE); gdb
 * writing another one gets an error, and nothing changes. Its own value is a no-op. */
static int write_vg(struct dbg *d, const void *buf)
{
	uint64_t vg, now = 0;

	memcpy(&vg, buf, 8);
	dbg_gdb_computed_reg(d, NULL, arm64_gdb_map_reg(d->map, ARM64_GDB_VG), &now);
	return vg == now ? 0 : -EINVAL;
}

static int t_write_reg(void *opaque, unsigned int cpu, unsigned int regno, const void *buf)
{
	struct dbg *d = opaque;
	const struct arm64_gdb_reg *r = arm64_gdb_map_reg(d->map, regno);
	struct dbg_thread *t;
	struct dbg_cpu *c = cpu_of(opaque, cpu, &t);
	uint8_t val[ARM64_REG_MAX_BYTES] = { 0 };
	uint64_t pstate;
	uint32_t id;
	int ret;

	if (!r || !t)
		return !r ? -ENOENT : -ESRCH;
	if (r->readonly || !c) /* a task that does not run: its saved context stays as it is */
		return -EPERM;
	if (r->kind == ARM64_GREG_VG)
		return write_vg(d, buf);
	ret = dbg_gdb_reg_id(c, regno, &id);
	if (ret)
		return ret;
	if (r->kind == ARM64_GREG_CPSR) {
		/* gdb has 32 bits of PSTATE: keep the upper half as it is. */
		ret = dbg_reg(c, ARM64_R_PSTATE, &pstate);
		memcpy(val, &pstate, 8);
	}
	/* a z, p or ffr: the vector length's bytes, the rest of KVM's register is not written */
	memcpy(val, buf, r->bitsize / 8);
	if (!ret && r->kind == ARM64_GREG_PMU)
		ret = write_pmu(c, r, val);
	return ret ? ret : d->ops->set_reg(d->ctx, c->id, id, val);
}

/* --------------------------------------------------------------- guest memory */

static int t_read_mem(void *opaque, unsigned int cpu, uint64_t addr, void *buf, size_t len)
{
	struct dbg_cpu *c = mem_cpu_of(opaque, cpu, addr);

	return c ? dbg_mem_access(c, addr, buf, len, false) : dbg_thread(opaque, cpu) ? -EFAULT
												  : -ESRCH;
}

static int t_write_mem(void *opaque, unsigned int cpu, uint64_t addr, const void *buf,
		       size_t len)
{
	struct dbg_cpu *c = mem_cpu_of(opaque, cpu, addr);
	int ret = c ? dbg_mem_access(c, addr, (void *)buf, len, true) : -EFAULT;

	return ret < 0 ? ret : 0;
}

static int t_insert_bp(void *opaque, unsigned int cpu, enum gdb_bp_type type, uint64_t addr,
		       uint64_t kind)
{
	struct dbg_cpu *c = mem_cpu_of(opaque, cpu, addr);

	return dbg_bp_insert(opaque, c ? c->id : 0, type, addr, kind);
}

static int t_remove_bp(void *opaque, unsigned int cpu, enum gdb_bp_type type, uint64_t addr,
		       uint64_t kind)
{
	struct dbg_cpu *c = mem_cpu_of(opaque, cpu, addr);

	return dbg_bp_remove(opaque, c ? c->id : 0, type, addr, kind);
}

/* ----------------------------------------------------------------- threads */

static unsigned int t_cpu_count(void *opaque)
{
	struct dbg *d = opaque;

	dbg_threads_update(d);
	return d->nr_threads;
}

static int t_cpu_describe(void *opaque, unsigned int cpu, char *buf, size_t cap)
{
	struct dbg_thread *t = dbg_thread(opaque, cpu);

	return t ? dbg_thread_describe(opaque, t, buf, cap) : -ESRCH;
}

static const char *t_xml(void *opaque, const char *annex, size_t *len)
{
	return arm64_gdb_map_xml(((struct dbg *)opaque)->map, annex, len);
}

static int t_rcmd(void *opaque, const char *cmd, gdb_print_fn print, void *ctx)
{
	struct dbg *d = opaque;

	return d->rcmd ? d->rcmd(d->rcmd_opaque, cmd, print, ctx) : -ENOTSUP;
}

static const unsigned int expedite[] = { 29, 30, ARM64_GDB_SP, ARM64_GDB_PC, ARM64_GDB_CPSR };

static const char *t_memory_map(void *opaque, size_t *len)
{
	const struct dbg *d = opaque;

	if (d->memory_map)
		*len = strlen(d->memory_map);
	return d->memory_map;
}

const struct gdb_target_ops dbg_gdb_ops = {
	.g_nregs = ARM64_GDB_G_NREGS,
	.get_g_nregs = t_g_nregs,
	.expedite = expedite,
	.nr_expedite = ARRAY_SIZE(expedite),
	.reg_size = t_reg_size,
	.read_reg = t_read_reg,
	.write_reg = t_write_reg,
	.read_mem = t_read_mem,
	.write_mem = t_write_mem,
	.cpu_count = t_cpu_count,
	.thread_id = dbg_thread_id,
	.thread_index = dbg_thread_index,
	.cpu_describe = t_cpu_describe,
	.resume = dbg_threads_resume,
	.resume_error = dbg_threads_resume_error,
	.interrupt = dbg_interrupt,
	.insert_bp = t_insert_bp,
	.remove_bp = t_remove_bp,
	.detach = dbg_detach,
	.kill = dbg_kill,
	.xml = t_xml,
	.memory_map = t_memory_map,
	.rcmd = t_rcmd,
	.offsets = dbg_linux_offsets,
	.symbol_next = dbg_linux_symbol_next,
	.symbol_value = dbg_linux_symbol_value,
};

/* --------------------------------------------------------------- the object */

/* gdb's map for the vCPUs' features. A vector length gdb cannot take (past 2048 bits, which
 * no CPU has) loses SVE's registers, not the debugger: v0-v31 still come from Z through the
 * CPU interface. */
static struct arm64_gdb_map *new_map(const struct dbg_config *cfg)
{
	struct dbg_cpu_features cf = { 0 };
	struct arm64_gdb_features f;
	struct arm64_gdb_map *m;

	if (cfg->ops->features)
		cfg->ops->features(cfg->ctx, &cf);
	f = (struct arm64_gdb_features){ cf.sve_vq, cf.pauth, cf.pmu };
	m = arm64_gdb_map_new(&f);
	if (!m && errno == EINVAL) {
		if (cfg->warn)
			cfg->warn("SVE's vector length is past gdb's 2048 bits: gdb sees no SVE");
		f.sve_vq = 0;
		m = arm64_gdb_map_new(&f);
	}
	return m;
}

struct dbg *dbg_new(const struct dbg_config *cfg)
{
	struct dbg *d;
	unsigned int i;

	if (!cfg->ops || !cfg->nr_cpus) {
		errno = EINVAL;
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->cpus = calloc(cfg->nr_cpus, sizeof(*d->cpus));
	d->overs = calloc(cfg->nr_cpus, sizeof(*d->overs));
	d->threads = calloc(cfg->nr_cpus, sizeof(*d->threads));
	d->cap_threads = cfg->nr_cpus;
	d->powered_off = calloc(cfg->nr_cpus, sizeof(*d->powered_off));
	d->map = new_map(cfg);
	if (!d->cpus || !d->overs || !d->threads || !d->powered_off || !d->map) {
		dbg_free(d);
		errno = ENOMEM;
		return NULL;
	}
	d->ops = cfg->ops;
	d->ctx = cfg->ctx;
	d->nr_cpus = cfg->nr_cpus;
	d->nr_hw_bps = cfg->nr_hw_bps < DBG_HW_SLOTS ? cfg->nr_hw_bps : DBG_HW_SLOTS;
	d->nr_hw_wps = cfg->nr_hw_wps < DBG_HW_SLOTS ? cfg->nr_hw_wps : DBG_HW_SLOTS;
	d->warn = cfg->warn;
	d->ram_base = cfg->ram_base;
	d->memory_map = cfg->memory_map;
	d->ram_size = cfg->ram_size;
	for (i = 0; i < d->nr_cpus; i++) {
		d->cpus[i].id = i;
		d->cpus[i].d = d;
	}
	return d;
}

void dbg_free(struct dbg *d)
{
	if (!d)
		return;
	free(d->sw);
	free(d->threads);
	free(d->powered_off);
	free(d->overs);
	free(d->cpus);
	arm64_gdb_map_free(d->map);
	free(d);
}

int dbg_subscribe(struct dbg *d, dbg_stop_fn fn, void *opaque)
{
	if (d->nr_subs == DBG_MAX_SUBSCRIBERS)
		return -ENOSPC;
	d->subs[d->nr_subs].fn = fn;
	d->subs[d->nr_subs++].opaque = opaque;
	return 0;
}

void dbg_set_rcmd(struct dbg *d, dbg_rcmd_fn fn, void *opaque)
{
	d->rcmd = fn;
	d->rcmd_opaque = opaque;
}

void dbg_set_kill(struct dbg *d, void (*fn)(void *opaque), void *opaque)
{
	d->kill = fn;
	d->kill_opaque = opaque;
}

/* ------------------------------------------------------------------ queries */

enum dbg_gdb_state dbg_gdb_state(const struct dbg *d)
{
	if (d->attached)
		return d->running ? DBG_GDB_RUNNING : DBG_GDB_HOLDS;
	return d->wait ? DBG_GDB_WAITING : DBG_GDB_NONE;
}

bool dbg_cpu_has_stop(const struct dbg *d, unsigned int cpu)
{
	return cpu < d->nr_cpus && d->cpus[cpu].stop.pending;
}

bool dbg_step_irq(const struct dbg *d)
{
	return __atomic_load_n(&d->step_irq, __ATOMIC_RELAXED);
}

void dbg_set_step_irq(struct dbg *d, bool on)
{
	__atomic_store_n(&d->step_irq, on, __ATOMIC_RELAXED);
}

static void sw_info(const struct dbg *d, const struct dbg_swbp *bp, struct dbg_bp_info *info)
{
	uint32_t now = 0;
	uint64_t avail;
	uint8_t *p;

	memset(info, 0, sizeof(*info));
	info->addr = bp->va;
	if (bp->hw_slot >= 0) {
		info->type = DBG_BP_SW_HW;
		info->nr_slots = 1;
		info->slots[0] = (unsigned int)bp->hw_slot;
		return;
	}
	info->type = DBG_BP_SW;
	info->own_sig = bp->by_gdb ? 0 : bp->sig;
	info->pa = bp->pa;
	info->orig = bp->orig;
	p = d->ops->mem(d->ctx, bp->pa, 4, &avail);
	if (p && avail == 4)
		memcpy(&now, p, 4);
	info->planted = now == A64_BRK0;
}

static void hw_info(const struct dbg *d, unsigned int slot, struct dbg_bp_info *info)
{
	unsigned int j;

	memset(info, 0, sizeof(*info));
	info->type = DBG_BP_HW;
	info->addr = d->hwbp[slot].addr;
	info->nr_slots = 1;
	info->slots[0] = slot;
	for (j = 0; j < d->nr_sw; j++)
		info->fallback |= d->sw[j].hw_slot == (int)slot;
}

static void wp_info(const struct dbg_wpreq *r, struct dbg_bp_info *info)
{
	memset(info, 0, sizeof(*info));
	info->type = DBG_BP_WATCH;
	info->addr = r->addr;
	info->len = r->len;
	info->kind = r->kind;
	info->nr_slots = r->nr_slots;
	memcpy(info->slots, r->slots, sizeof(info->slots));
}

void dbg_for_each_bp(const struct dbg *d, void (*fn)(void *opaque, const struct dbg_bp_info *bp),
		     void *opaque)
{
	struct dbg_bp_info info;
	unsigned int i;

	for (i = 0; i < d->nr_sw; i++) {
		sw_info(d, &d->sw[i], &info);
		fn(opaque, &info);
	}
	for (i = 0; i < d->nr_hw_bps; i++) {
		if (!d->hwbp[i].used)
			continue;
		hw_info(d, i, &info);
		fn(opaque, &info);
	}
	for (i = 0; i < ARRAY_SIZE(d->wp); i++) {
		if (!d->wp[i].used)
			continue;
		wp_info(&d->wp[i], &info);
		fn(opaque, &info);
	}
}

void dbg_slots(const struct dbg *d, struct dbg_slots *s)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->bp_total = d->nr_hw_bps;
	s->wp_total = d->nr_hw_wps;
	s->nr_sw = d->nr_sw;
	for (i = 0; i < d->nr_hw_bps; i++)
		s->bp_used += d->hwbp[i].used;
	for (i = 0; i < d->nr_hw_wps; i++)
		s->wp_used += d->wpslot_used[i];
	for (i = 0; i < ARRAY_SIZE(d->wp); i++)
		s->nr_watch += d->wp[i].used;
}
