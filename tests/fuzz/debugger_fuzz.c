// SPDX-License-Identifier: GPL-3.0-or-later
/* libFuzzer harness for the debugger (src/debugger/) on the fake CPU (src/debugger/fakecpu.c):
 * two vCPUs run a small program (a loop with a call, a store and a load, the guest's own BRK,
 * an interrupt handler that rearms the virtual timer); the input is a sequence of gdb actions
 * through dbg_gdb_ops (Z0-Z4 and z at addresses from a small set, resume with per-vCPU
 * continue/step/range, ^C, m and M, D, a new attach) and machine events (run N steps, raise an
 * IRQ, a tick of the main loop's clock, a dump-guest-memory), each allowed only when gdbstub
 * would send it. After every action:
 * - every stop is reported exactly once, only while gdb waits, with all vCPUs stopped, and a
 *   gdb that waits always has a vCPU running toward a stop (no stop is lost);
 * - a stop names what gdb inserted: a swbreak PC holds a Z0, a hwbreak PC a Z1, a watch address
 *   lies in a watched range of a matching kind;
 * - while gdb holds the guest, memory read through the debugger is what the program and gdb's
 *   own writes made it (never our BRK), and RAM differs from that only by a BRK at a Z0;
 * - after detach, RAM is exactly that, nothing is inserted, and each vCPU runs with debug off;
 * - gdb's p and P on the FP/SIMD and SVE registers and the PAC masks (the vCPUs have SVE at a
 *   vector length and pointer authentication as the first byte says; the program uses none of
 *   them) after every action while gdb holds the guest: sizes as reg_size says, writes read
 *   back, nothing past the vector length, V is Z's low half, vg refuses another length, the
 *   masks follow TCR_EL1 and refuse writes; with PMUv3 (also from the first byte, with its
 *   count of counters), its registers read as the fake's, writes read back but PMCR_EL0.N,
 *   PMCEID0/1_EL0 and the counters past N are unavailable and refuse writes;
 * - the debugger keeps include/dbg_cpu.h's threading rules (the fake counts each breach). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debugger.h"
#include "src/arm64/esr.h"
#include "src/arm64/gdbregs.h"
#include "src/arm64/regs.h"
#include "src/debugger/fakecpu.h"
#include "tests/fuzz/fuzz.h"

#define NCPU 2
#define RAM_SIZE 0x40000ull
#define A(off) (FAKE_RAM_BASE + (off))
#define HI(off) (0xffff000040000000ull + (off))
#define CODE_END 0x2000u
#define DATA 0x2000u
#define VEC 0x1000u
#define MAX_ACTIONS 256
#define MAX_BPS 64

enum {
	LOOP = 0x000, /* add x0; add x1; nop; bl FUNC; str x0, [x10]; ldr x2, [x10, #8]; b LOOP */
	L_CALL = 0x00c,
	L_STORE = 0x010,
	L_END = 0x01c,
	FUNC = 0x100, /* add x3; ret */
	GBRK = 0x200, /* add x4; brk #0x800; add x5; b GBRK */
	CD = 0x300,   /* movz x6, #3; sub x6, x6, #1; cbnz x6, CD + 4; b CD */
};

static const uint64_t code_addrs[] = {
	A(LOOP),     A(LOOP + 4), A(L_CALL),      A(L_STORE),   A(FUNC),  A(FUNC + 4), A(GBRK + 4),
	A(GBRK + 8), A(CD + 8),   A(VEC + 0x280), HI(LOOP + 4), HI(FUNC), A(0x700),
};
static const uint64_t data_addrs[] = { A(DATA), A(DATA + 3), A(DATA + 6), A(DATA + 8),
				       A(DATA + 0x40) };
static const uint64_t data_lens[] = { 1, 2, 4, 8, 16, 3, 24 };
static const struct {
	unsigned int start, end;
} ranges[] = {
	{ LOOP, L_STORE },   { LOOP, L_END + 4 }, { FUNC, FUNC + 8 },
	{ CD + 4, CD + 12 }, { GBRK, GBRK + 16 }, { LOOP + 4, LOOP + 4 },
};

static uint32_t image[CODE_END / 4];
static int trace = -1; /* DEBUGGER_FUZZ_TRACE=1: print each action and stop (to read a crash) */

static void build_image(void)
{
	static const uint32_t nop = FAKE_NOP;
	unsigned int off;

	for (off = 0; off < CODE_END; off += 4)
		image[off / 4] = nop;
	for (off = VEC; off < VEC + 0x800; off += 0x80)
		image[off / 4] = fake_b(A(off), A(off));
	image[(LOOP + 0) / 4] = fake_add(0, 0, 1);
	image[(LOOP + 4) / 4] = fake_add(1, 1, 1);
	image[L_CALL / 4] = fake_bl(A(L_CALL), A(FUNC));
	image[L_STORE / 4] = fake_str(0, 10, 0);
	image[(L_STORE + 4) / 4] = fake_ldr(2, 10, 8);
	image[(L_STORE + 8) / 4] = fake_str(1, 10, 0x40);
	image[L_END / 4] = fake_b(A(L_END), A(LOOP));
	image[FUNC / 4] = fake_add(3, 3, 1);
	image[(FUNC + 4) / 4] = FAKE_RET;
	image[GBRK / 4] = fake_add(4, 4, 1);
	image[(GBRK + 4) / 4] = fake_brk(0x800);
	image[(GBRK + 8) / 4] = fake_add(5, 5, 1);
	image[(GBRK + 12) / 4] = fake_b(A(GBRK + 12), A(GBRK));
	image[CD / 4] = fake_movz(6, 3, 0);
	image[(CD + 4) / 4] = fake_sub(6, 6, 1);
	image[(CD + 8) / 4] = fake_cbnz(6, A(CD + 8), A(CD + 4));
	image[(CD + 12) / 4] = fake_b(A(CD + 12), A(CD));
	/* synchronous (the guest's BRK, or anything else): skip the instruction */
	image[(VEC + 0x200) / 4] = fake_mrs(9, ARM64_R_ELR_EL1);
	image[(VEC + 0x204) / 4] = fake_add(9, 9, 4);
	image[(VEC + 0x208) / 4] = fake_msr(ARM64_R_ELR_EL1, 9);
	image[(VEC + 0x20c) / 4] = fake_add(21, 21, 1);
	image[(VEC + 0x210) / 4] = FAKE_ERET;
	/* IRQ: count and rearm the timer */
	image[(VEC + 0x280) / 4] = fake_add(20, 20, 1);
	image[(VEC + 0x284) / 4] = fake_mrs(9, ARM64_R_SYS(3, 3, 14, 0, 2));
	image[(VEC + 0x288) / 4] = fake_add(9, 9, 7);
	image[(VEC + 0x28c) / 4] = fake_msr(ARM64_R_SYS(3, 3, 14, 3, 2), 9);
	image[(VEC + 0x290) / 4] = FAKE_ERET;
}

struct bp {
	enum gdb_bp_type type;
	uint64_t addr, len;
};

struct h {
	struct fake *f;
	struct dbg *d;
	unsigned int vq; /* SVE's vector length (0: none) */
	bool pauth;
	bool pmu; /* PMUv3, with nr_counters event counters */
	unsigned int nr_counters;
	struct arm64_gdb_map *map; /* for the PMU registers' ONE_REG ids */
	uint8_t *shadow; /* what RAM should hold: the program, guest stores, gdb's writes */
	bool attached, mmu;
	unsigned int seen; /* stops checked */
	struct bp bps[MAX_BPS];
	unsigned int nr_bps;
	/* The last resume's stepping vCPU (-1: none) and where its step may end. */
	int step_cpu;
	bool range, step_irq;
	uint64_t range_start, range_end, next[2];
	bool irq_ok;
	/* A vCPU reported at a breakpoint may run that one instruction: gdb knows it is there. */
	bool may_pass[NCPU], moved[NCPU];
	uint64_t pass_pc[NCPU];
};

static void check_rules(struct h *h)
{
	FUZZ_CHECK(fake_violations(h->f) == 0);
	FUZZ_CHECK(fake_bad_stops(h->f) == 0);
}

static bool has_bp(const struct h *h, enum gdb_bp_type type, uint64_t addr)
{
	unsigned int i;

	for (i = 0; i < h->nr_bps; i++)
		if (h->bps[i].type == type && h->bps[i].addr == addr)
			return true;
	return false;
}

/* The guest-physical address behind va as the program maps it (identity, and HI() when the
 * MMU is on); 0 if none. */
static uint64_t pa_of(const struct h *h, uint64_t va)
{
	if (va >= A(0) && va < A(RAM_SIZE))
		return va;
	if (h->mmu && va >= HI(0) && va < HI(0x10000))
		return va - HI(0) + A(0);
	return 0;
}

static bool watched(const struct h *h, const struct gdb_stop *st)
{
	unsigned int i;

	for (i = 0; i < h->nr_bps; i++) {
		const struct bp *b = &h->bps[i];
		bool kind = (st->reason == GDB_STOP_WATCH && b->type == GDB_WP_WRITE) ||
			    (st->reason == GDB_STOP_RWATCH && b->type == GDB_WP_READ) ||
			    (st->reason == GDB_STOP_AWATCH && b->type == GDB_WP_ACCESS);

		if (kind && st->addr >= b->addr && st->addr - b->addr < b->len)
			return true;
	}
	return false;
}

/* Where one instruction of cpu at pc leads, as the program in memory now says (a step of an
 * exception-generating instruction ends on its synchronous vector). */
static void successors(struct h *h, unsigned int cpu, uint64_t pc)
{
	uint64_t pa = pa_of(h, pc);
	uint32_t insn = FAKE_NOP;

	if (pa)
		memcpy(&insn, h->shadow + (pa - A(0)), 4);
	h->next[0] = h->next[1] = pc + 4;
	if ((insn & 0x7c000000) == 0x14000000) /* B, BL */
		h->next[0] = h->next[1] = pc + (uint64_t)((int64_t)(int32_t)(insn << 6) >> 4);
	else if ((insn & 0xfe000000) == 0xb4000000) /* CBZ, CBNZ */
		h->next[1] = pc + (uint64_t)((int64_t)(int32_t)((insn >> 5) << 13) >> 11);
	else if ((insn & 0xff9ffc1f) == 0xd61f0000) /* BR, BLR, RET */
		h->next[0] = h->next[1] = fake_reg(h->f, cpu, ARM64_R_X((insn >> 5) & 31));
	else if (insn == FAKE_ERET)
		h->next[0] = h->next[1] = fake_reg(h->f, cpu, ARM64_R_ELR_EL1);
	else if ((insn & 0xffe0001f) == 0xd4200000) /* BRK */
		h->next[0] = h->next[1] = A(VEC + 0x200);
	if (!pa) /* an instruction abort */
		h->next[0] = h->next[1] = A(VEC + 0x200);
	/* Where no catch point can go, an interrupt in the step shows (the documented fallback). */
	h->irq_ok = !pa || !pa_of(h, h->next[0]) || !pa_of(h, h->next[1]);
}

/* A step ended: where one instruction leads (stepi), or out of the range; never in an
 * interrupt handler unless step-irq is on. */
static void check_step_end(struct h *h, const struct fake_stop *s)
{
	if (s->stop.reason != GDB_STOP_TRAP || (int)s->stop.cpu != h->step_cpu || h->step_irq)
		return;
	if (h->range)
		FUZZ_CHECK(s->pc < h->range_start || s->pc >= h->range_end);
	else
		FUZZ_CHECK(s->pc == h->next[0] || s->pc == h->next[1] ||
			   (h->irq_ok && s->pc == A(VEC + 0x280)));
}

/* A stop that came is one gdb can make sense of. */
static void check_stop(struct h *h, const struct fake_stop *s)
{
	FUZZ_CHECK(s->stop.cpu < NCPU);
	check_step_end(h, s);
	switch (s->stop.reason) {
	case GDB_STOP_SWBREAK:
		FUZZ_CHECK(has_bp(h, GDB_BP_SW, s->pc) ||
			   (pa_of(h, s->pc) && (has_bp(h, GDB_BP_SW, pa_of(h, s->pc)) ||
						has_bp(h, GDB_BP_SW, s->pc - A(0) + HI(0)))));
		break;
	case GDB_STOP_HWBREAK:
		FUZZ_CHECK(has_bp(h, GDB_BP_HW, s->pc));
		break;
	case GDB_STOP_WATCH:
	case GDB_STOP_RWATCH:
	case GDB_STOP_AWATCH:
		FUZZ_CHECK(watched(h, &s->stop));
		break;
	case GDB_STOP_TRAP:
	case GDB_STOP_INTERRUPT:
		break;
	default:
		FUZZ_CHECK(!"a stop gdb did not ask for");
	}
}

/* Does the LDR/STR insn of cpu touch one of gdb's watches of its kind? */
static bool touches_watch(struct h *h, unsigned int cpu, uint32_t insn)
{
	bool store = (insn & 0xffc00000) == 0xf9000000, load = (insn & 0xffc00000) == 0xf9400000;
	unsigned int rn = (insn >> 5) & 31, i;
	uint64_t va;

	if (!store && !load)
		return false;
	va = (rn == 31 ? fake_reg(h->f, cpu, ARM64_R_SP_EL1) : fake_reg(h->f, cpu, ARM64_R_X(rn))) +
	     8 * ((insn >> 10) & 0xfff);
	for (i = 0; i < h->nr_bps; i++) {
		const struct bp *b = &h->bps[i];
		bool kind = b->type == GDB_WP_ACCESS || (store && b->type == GDB_WP_WRITE) ||
			    (load && b->type == GDB_WP_READ);

		if (kind && va < b->addr + b->len && b->addr < va + 8)
			return true;
	}
	return false;
}

/* Before each instruction a vCPU runs: it passes one of gdb's breakpoints only after gdb
 * heard it hit it there, once, and has not run since (a vCPU merely paused at one must hit
 * it); the same for a load or store that a watchpoint covers. An interrupt handler may run
 * first; gdb may move the PC away and back meanwhile. */
static void on_insn(void *opaque, unsigned int cpu, uint64_t pc, uint32_t insn)
{
	struct h *h = opaque;
	uint64_t alias = pa_of(h, pc) ? pa_of(h, pc) - A(0) + HI(0) : 0;

	if (h->moved[cpu])
		h->may_pass[cpu] = h->moved[cpu] = false;
	if (h->may_pass[cpu] && h->pass_pc[cpu] == pc) {
		h->may_pass[cpu] = false;
		return;
	}
	if (!h->attached)
		return;
	/* docs/debugging.md: while a step over a hardware breakpoint or watchpoint waits for an
	 * interrupt handler, hardware breakpoints are off for that vCPU (the program's handlers
	 * run with PSTATE.I set) */
	if (!(fake_reg(h->f, cpu, ARM64_R_PSTATE) & ARM64_PSTATE_I)) {
		FUZZ_CHECK(!has_bp(h, GDB_BP_HW, pc));
		FUZZ_CHECK(!touches_watch(h, cpu, insn)); /* and no access a watch covers */
	}
	if (insn == FAKE_BRK0)
		return; /* gdb wrote a BRK there itself: the guest's */
	FUZZ_CHECK(!has_bp(h, GDB_BP_SW, pc));
	FUZZ_CHECK(!pa_of(h, pc) || !has_bp(h, GDB_BP_SW, pa_of(h, pc)));
	FUZZ_CHECK(!h->mmu || !alias || !has_bp(h, GDB_BP_SW, alias));
}

/* After any action: stops once each, all-stop, nothing lost. */
static void check_run_state(struct h *h)
{
	unsigned int n = fake_nr_stops(h->f);

	check_rules(h);
	FUZZ_CHECK(n <= h->seen + 1);
	if (trace && n > h->seen)
		fprintf(stderr, "  stop %d on cpu%u at 0x%llx addr 0x%llx; running %d %d, due %d\n",
			fake_stop(h->f, n - 1)->stop.reason, fake_stop(h->f, n - 1)->stop.cpu,
			(unsigned long long)fake_stop(h->f, n - 1)->pc,
			(unsigned long long)fake_stop(h->f, n - 1)->stop.addr,
			fake_running(h->f, 0), fake_running(h->f, 1), fake_stop_due(h->f));
	if (n == h->seen + 1) {
		FUZZ_CHECK(h->attached);
		check_stop(h, fake_stop(h->f, h->seen));
		if (fake_stop(h->f, h->seen)->stop.reason >= GDB_STOP_SWBREAK &&
		    fake_stop(h->f, h->seen)->stop.reason <= GDB_STOP_AWATCH) {
			h->may_pass[fake_stop(h->f, h->seen)->stop.cpu] = true;
			h->moved[fake_stop(h->f, h->seen)->stop.cpu] = false;
			h->pass_pc[fake_stop(h->f, h->seen)->stop.cpu] =
				fake_stop(h->f, h->seen)->pc;
		}
		h->seen = n;
		/* all-stop (the main loop may still have a stop event to look at: it finds none) */
		FUZZ_CHECK(!fake_any_running(h->f));
	}
	if (fake_gdb_waiting(h->f))
		FUZZ_CHECK(fake_any_running(h->f) ||
			   fake_stop_due(h->f)); /* else gdb waits forever */
}

/* gdb holds the guest: memory as gdb reads it, and as it is. */
static void check_memory(struct h *h)
{
	static uint8_t buf[CODE_END];
	unsigned int off;
	uint32_t raw, want;
	int n;

	n = dbg_gdb_ops.read_mem(h->d, 0, A(0), buf, CODE_END);
	FUZZ_CHECK(n == (int)CODE_END);
	FUZZ_CHECK(!memcmp(buf, h->shadow, CODE_END));
	for (off = 0; off < CODE_END; off += 4) {
		memcpy(&raw, fake_ram(h->f, A(off), 4), 4);
		memcpy(&want, h->shadow + off, 4);
		if (raw == want)
			continue;
		FUZZ_CHECK(raw == FAKE_BRK0); /* only our BRK, and only where gdb has a Z0 */
		FUZZ_CHECK(has_bp(h, GDB_BP_SW, A(off)) ||
			   (h->mmu && has_bp(h, GDB_BP_SW, HI(off))));
	}
}

static void add_bp(struct h *h, enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
	if (h->nr_bps == MAX_BPS)
		return;
	if ((type == GDB_BP_SW || type == GDB_BP_HW) && has_bp(h, type, addr))
		return; /* the debugger keeps one */
	h->bps[h->nr_bps++] = (struct bp){ type, addr, len };
}

static void del_bp(struct h *h, enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < h->nr_bps; i++) {
		struct bp *b = &h->bps[i];

		if (b->type == type && b->addr == addr && (type < GDB_WP_WRITE || b->len == len)) {
			*b = h->bps[--h->nr_bps];
			return;
		}
	}
}

static void z(struct h *h, bool insert, enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
	int ret;

	if (insert) {
		ret = dbg_gdb_ops.insert_bp(h->d, 0, type, addr, len);
		FUZZ_CHECK(ret == 0 || ret == -ENOSPC || ret == -EFAULT || ret == -EINVAL);
		if (!ret)
			add_bp(h, type, addr, len);
	} else {
		FUZZ_CHECK(dbg_gdb_ops.remove_bp(h->d, 0, type, addr, len) == 0);
		del_bp(h, type, addr, len);
	}
}

/* The vCPU the debugger steps for this resume: the first one gdb asked to step. */
static void note_stepper(struct h *h, const struct gdb_resume *r)
{
	unsigned int i;

	h->step_cpu = -1;
	h->step_irq = dbg_step_irq(h->d);
	for (i = 0; i < NCPU; i++) {
		const struct gdb_action *a = gdb_resume_action(r, i);

		if (a->kind != GDB_ACT_STEP && a->kind != GDB_ACT_RANGE)
			continue;
		h->step_cpu = (int)i;
		h->range = a->kind == GDB_ACT_RANGE && a->start < a->end;
		h->range_start = a->start;
		h->range_end = a->end;
		successors(h, i, fake_reg(h->f, i, ARM64_R_PC));
		return;
	}
}

static void gdb_resume(struct h *h, const struct gdb_resume *r)
{
	unsigned int i;

	note_stepper(h, r);
	/* A vCPU that runs now from elsewhere than its breakpoint has no pass left once it runs
	 * (all-stop: a step runs the stepping vCPU alone; a kept stop runs nothing). */
	for (i = 0; i < NCPU; i++)
		h->moved[i] =
			(h->step_cpu >= 0 ? (int)i == h->step_cpu
					  : gdb_resume_action(r, i)->kind == GDB_ACT_CONTINUE) &&
			fake_reg(h->f, i, ARM64_R_PC) != h->pass_pc[i];
	FUZZ_CHECK(fake_gdb_resume(h->f, r) == 0);
}

static void resume(struct h *h, uint8_t how, uint8_t which)
{
	struct gdb_resume r;
	unsigned int cpu;

	memset(&r, 0, sizeof(r));
	r.def.kind = how & 1 ? GDB_ACT_CONTINUE : GDB_ACT_NONE;
	for (cpu = 0; cpu < NCPU; cpu++) {
		unsigned int k = (how >> (1 + 2 * cpu)) & 3;

		if (!k)
			continue;
		r.cpus[r.nr].cpu = cpu;
		r.cpus[r.nr].act.kind = k == 1   ? GDB_ACT_CONTINUE
					: k == 2 ? GDB_ACT_STEP
						 : GDB_ACT_RANGE;
		r.cpus[r.nr].act.start = A(ranges[which % ARRAY_SIZE(ranges)].start);
		r.cpus[r.nr].act.end = A(ranges[which % ARRAY_SIZE(ranges)].end);
		if (how & 0x80 && r.cpus[r.nr].act.kind == GDB_ACT_RANGE) {
			r.cpus[r.nr].act.start += HI(0) - A(0);
			r.cpus[r.nr].act.end += HI(0) - A(0);
		}
		r.nr++;
	}
	if (r.def.kind == GDB_ACT_NONE && !r.nr)
		return; /* gdbstub answers that itself */
	gdb_resume(h, &r);
}

static void gdb_write(struct h *h, uint8_t sel, uint8_t val)
{
	const uint32_t words[] = { FAKE_NOP, FAKE_BRK0, fake_brk(0x800), fake_add(7, 7, 1) };
	uint64_t va;
	uint32_t w;
	int ret;

	if (sel & 0x80) { /* data */
		va = data_addrs[sel % ARRAY_SIZE(data_addrs)];
		ret = dbg_gdb_ops.write_mem(h->d, 0, va, &val, 1);
		FUZZ_CHECK(ret == 0);
		h->shadow[va - A(0)] = val;
		return;
	}
	va = code_addrs[sel % ARRAY_SIZE(code_addrs)] + (val & 0x80 ? 2 : 0);
	w = val & 0x40 ? image[(pa_of(h, va) ? pa_of(h, va) - A(0) : 0) / 4]
		       : words[val % ARRAY_SIZE(words)];
	ret = dbg_gdb_ops.write_mem(h->d, 0, va, &w, val & 0x80 ? 2 : 4);
	FUZZ_CHECK(ret == 0 || ret == -EFAULT);
	FUZZ_CHECK(!ret == !!pa_of(h, va)); /* all of the program's memory, nothing else */
	if (!ret)
		memcpy(h->shadow + (pa_of(h, va) - A(0)), &w, val & 0x80 ? 2 : 4);
}

static void gdb_read(struct h *h, uint8_t sel, uint8_t len)
{
	uint64_t va = code_addrs[sel % ARRAY_SIZE(code_addrs)] + (sel >> 5);
	uint8_t buf[64];
	int n = dbg_gdb_ops.read_mem(h->d, sel & 1, va, buf, (len & 63) + 1);

	if (!pa_of(h, va)) {
		FUZZ_CHECK(n == -EFAULT);
		return;
	}
	FUZZ_CHECK(n == (len & 63) + 1);
	FUZZ_CHECK(!memcmp(buf, h->shadow + (pa_of(h, va) - A(0)), (size_t)n));
}

/* gdb's `jump`: the PC of a stopped vCPU moved to one of the program's entry points. */
static void set_pc(struct h *h, uint8_t a)
{
	static const unsigned int entries[] = { LOOP, L_STORE, FUNC, GBRK, CD, LOOP + 4 };
	uint64_t pc = A(entries[(a >> 1) % ARRAY_SIZE(entries)]);

	FUZZ_CHECK(dbg_gdb_ops.write_reg(h->d, a & 1, ARM64_GDB_PC, &pc) == 0);
	FUZZ_CHECK(fake_reg(h->f, a & 1, ARM64_R_PC) == pc);
}

/* The monitor's `stop` and `step` while no gdb is attached. */
static void monitor_step(struct h *h, uint8_t a)
{
	int ret;

	fake_cpu_ops.pause_all(h->f);
	ret = dbg_step_alone(h->d, a & 1, 1 + (a >> 1) % 3);
	FUZZ_CHECK(ret == 0 || ret == -ETIMEDOUT);
	check_rules(h);
	FUZZ_CHECK(fake_nr_stops(h->f) == h->seen); /* nobody to tell */
	FUZZ_CHECK(!fake_any_running(h->f));
	FUZZ_CHECK(
		!memcmp(fake_ram(h->f, A(0), RAM_SIZE), h->shadow, fake_tables_start(h->f) - A(0)));
	fake_cpu_ops.run(h->f, 0); /* the monitor's `cont` */
	fake_cpu_ops.run(h->f, 1);
}

/* The dump's writer: RAM comes straight from guest memory (src/debugger/dump.c), so the chunk
 * that starts at the code must hold the guest's own instructions, none of our BRKs. */
struct dump_sink {
	struct h *h;
	uint64_t bytes;
	bool saw_code;
};

static ssize_t dump_write(void *ctx, const void *buf, size_t len)
{
	struct dump_sink *k = ctx;

	if (buf == fake_ram(k->h->f, A(0), 1)) {
		FUZZ_CHECK(len >= CODE_END && !memcmp(buf, k->h->shadow, CODE_END));
		k->saw_code = true;
	}
	k->bytes += len;
	return (ssize_t)len;
}

/* The monitor's dump-guest-memory, at any time: it pauses every vCPU as the monitor does,
 * and lets run again what ran and has no stop to report. */
static void dump(struct h *h)
{
	static uint8_t code[CODE_END];
	struct dump_sink k = { .h = h };
	struct dbg_dump_result r;
	bool was[NCPU];
	unsigned int i;

	for (i = 0; i < NCPU; i++)
		was[i] = fake_running(h->f, i);
	fake_cpu_ops.pause_all(h->f);
	memcpy(code, fake_ram(h->f, A(0), CODE_END), CODE_END);
	FUZZ_CHECK(dbg_dump(h->d, NULL, dump_write, &k, &r) == 0);
	FUZZ_CHECK(k.saw_code && k.bytes == r.bytes && r.nr_cpus == NCPU);
	FUZZ_CHECK(!memcmp(code, fake_ram(h->f, A(0), CODE_END), CODE_END)); /* BRKs back */
	for (i = 0; i < NCPU; i++)
		if (was[i] && !dbg_cpu_has_stop(h->d, i))
			fake_cpu_ops.run(h->f, i);
}

/* What gdb reads of each vCPU is the vCPU's. */
static void check_regs(struct h *h)
{
	unsigned int i;
	uint64_t v;

	for (i = 0; i < NCPU; i++) {
		FUZZ_CHECK(dbg_gdb_ops.read_reg(h->d, i, ARM64_GDB_PC, &v) == 0);
		FUZZ_CHECK(v == fake_reg(h->f, i, ARM64_R_PC));
		FUZZ_CHECK(dbg_gdb_ops.read_reg(h->d, i, 1, &v) == 0);
		FUZZ_CHECK(v == fake_reg(h->f, i, ARM64_R_X(1)));
	}
}

/* What gdb register regno is on these vCPUs (numbers of src/arm64/gdbregs.h, spelled out). */
enum vkind { V_NONE, V_V, V_Z, V_FP, V_P, V_VG, V_PAUTH };

static enum vkind vkind(const struct h *h, unsigned int regno, unsigned int *n, int *size)
{
	unsigned int pauth0 = h->vq ? ARM64_GDB_VG + 1 : ARM64_GDB_P0;

	*n = regno - ARM64_GDB_V0;
	if (regno >= ARM64_GDB_V0 && regno < ARM64_GDB_FPSR) {
		*size = h->vq ? (int)h->vq * 16 : 16;
		return h->vq ? V_Z : V_V;
	}
	*size = regno == ARM64_GDB_FPSR || regno == ARM64_GDB_FPCR ? 4 : 8;
	if (*size == 4)
		return V_FP;
	if (h->pauth && regno >= pauth0 && regno < pauth0 + 4) {
		*n = regno - pauth0;
		return V_PAUTH;
	}
	if (!h->vq || regno < ARM64_GDB_P0 || regno > ARM64_GDB_VG)
		return V_NONE;
	*n = regno - ARM64_GDB_P0; /* ffr is "p16" */
	*size = regno == ARM64_GDB_VG ? 8 : (int)h->vq * 2;
	return regno == ARM64_GDB_VG ? V_VG : V_P;
}

static void check_written(struct h *h, unsigned int cpu, enum vkind k, unsigned int n,
			  const uint8_t *val, int size)
{
	uint8_t got[ARM64_SVE_Z_BYTES], v[16];
	const uint8_t *z;
	uint32_t id = k == V_Z ? ARM64_R_Z(n) : ARM64_R_P(n);
	unsigned int i;

	if (k != V_Z && k != V_P)
		return;
	z = fake_sve_reg(h->f, cpu, id);
	FUZZ_CHECK(z && !memcmp(z, val, (size_t)size));
	for (i = (unsigned int)size; i < arm64_reg_size(id); i++)
		FUZZ_CHECK(z[i] == 0); /* nothing past the vector length */
	FUZZ_CHECK(fake_cpu_ops.get_reg(h->f, cpu, id, got) == 0);
	FUZZ_CHECK(!memcmp(got, z, arm64_reg_size(id)));
	if (k == V_Z) { /* V is Z's low half */
		FUZZ_CHECK(fake_cpu_ops.get_reg(h->f, cpu, ARM64_R_V(n), v) == 0);
		FUZZ_CHECK(!memcmp(v, z, 16));
	}
}

/* A PMU register, by gdb number from ARM64_GDB_PMU0 (src/arm64/gdbregs.h, spelled out: 13
 * named ones, PMCEID0/1_EL0 the 12th and 13th, then 31 PMEVCNTR and 31 PMEVTYPER). */
static void pmu_regs(struct h *h, unsigned int cpu, uint8_t a, uint8_t b)
{
	unsigned int regno = ARM64_GDB_PMU0 + (unsigned int)(a ^ b) % ARM64_GDB_NR_PMU;
	unsigned int i = regno - ARM64_GDB_PMU0, n = i < 13 ? 31 : (i - 13) % 31;
	bool ceid = i == 11 || i == 12, there = n == 31 || n < h->nr_counters;
	uint64_t before, v = 0x0101010101010101ull * b + a, got = 0, want;
	uint32_t id;

	FUZZ_CHECK(arm64_gdb_map_reg_id(h->map, regno, 0, &id) == 0);
	FUZZ_CHECK(dbg_gdb_ops.reg_size(h->d, regno) == 8);
	if (ceid || !there) {
		before = fake_reg(h->f, cpu, id);
		FUZZ_CHECK(dbg_gdb_ops.read_reg(h->d, cpu, regno, &got) == -ENODATA);
		FUZZ_CHECK(dbg_gdb_ops.write_reg(h->d, cpu, regno, &v) == -EPERM);
		FUZZ_CHECK(fake_reg(h->f, cpu, id) == before);
		return;
	}
	FUZZ_CHECK(dbg_gdb_ops.read_reg(h->d, cpu, regno, &got) == 0);
	FUZZ_CHECK(got == fake_reg(h->f, cpu, id));
	want = i ? v : (v & ~ARM64_PMCR_N_MASK) | (uint64_t)h->nr_counters << ARM64_PMCR_N_SHIFT;
	FUZZ_CHECK(dbg_gdb_ops.write_reg(h->d, cpu, regno, &v) == 0);
	FUZZ_CHECK(fake_reg(h->f, cpu, id) == want);
	FUZZ_CHECK(dbg_gdb_ops.read_reg(h->d, cpu, regno, &got) == 0);
	FUZZ_CHECK(got == want);
	if (!i) /* the program does not use the PMU: put its count back as it was */
		fake_set_reg(h->f, cpu, id, 0x41000000ull | (uint64_t)h->nr_counters << 11);
}

static void vector_regs(struct h *h, uint8_t a, uint8_t b)
{
	static const unsigned int pick[] = { 34,  35,  50,  65,  66,  67,  96,  97,  99,  100,
					     111, 112, 113, 114, 115, 116, 117, 118, 5000 };
	unsigned int cpu = b & 1, regno = pick[a % ARRAY_SIZE(pick)], n, i;
	uint8_t before[ARM64_SVE_Z_BYTES], val[ARM64_SVE_Z_BYTES], got[ARM64_SVE_Z_BYTES];
	uint64_t tcr = fake_reg(h->f, cpu, ARM64_R_TCR_EL1), want;
	int size;
	enum vkind k = vkind(h, regno, &n, &size);

	if (h->pmu && regno >= ARM64_GDB_PMU0 && regno < ARM64_GDB_MAX_REGS) {
		pmu_regs(h, cpu, a, b);
		return;
	}
	if (k == V_NONE) {
		FUZZ_CHECK(dbg_gdb_ops.reg_size(h->d, regno) == -ENOENT);
		FUZZ_CHECK(dbg_gdb_ops.read_reg(h->d, cpu, regno, got) == -ENOENT);
		return;
	}
	FUZZ_CHECK(dbg_gdb_ops.reg_size(h->d, regno) == size);
	FUZZ_CHECK(dbg_gdb_ops.read_reg(h->d, cpu, regno, before) == 0);
	for (i = 0; i < (unsigned int)size; i++)
		val[i] = (uint8_t)(b * 31 + a + i);
	switch (k) {
	case V_VG:
		want = 2ull * h->vq;
		FUZZ_CHECK(!memcmp(before, &want, 8));
		FUZZ_CHECK(dbg_gdb_ops.write_reg(h->d, cpu, regno, b & 2 ? &want : (void *)val) ==
			   (b & 2 || !memcmp(val, &want, 8) ? 0 : -EINVAL));
		break;
	case V_PAUTH:
		want = arm64_pac_mask(tcr, n >= 2, n & 1);
		FUZZ_CHECK(!memcmp(before, &want, 8));
		FUZZ_CHECK(dbg_gdb_ops.write_reg(h->d, cpu, regno, val) == -EPERM);
		break;
	default:
		FUZZ_CHECK(dbg_gdb_ops.write_reg(h->d, cpu, regno, val) == 0);
		memcpy(before, val, (size_t)size);
		check_written(h, cpu, k, n, val, size);
	}
	FUZZ_CHECK(dbg_gdb_ops.read_reg(h->d, cpu, regno, got) == 0);
	FUZZ_CHECK(!memcmp(got, before, (size_t)size)); /* what was written, or nothing changed */
}

static void detach(struct h *h)
{
	struct dbg_slots s;
	unsigned int i;

	FUZZ_CHECK(fake_gdb_detach(h->f) == 0);
	h->attached = false;
	h->nr_bps = 0;
	check_rules(h);
	FUZZ_CHECK(
		!memcmp(fake_ram(h->f, A(0), RAM_SIZE), h->shadow, fake_tables_start(h->f) - A(0)));
	dbg_slots(h->d, &s);
	FUZZ_CHECK(!s.bp_used && !s.wp_used && !s.nr_sw && !s.nr_watch);
	FUZZ_CHECK(dbg_gdb_state(h->d) == DBG_GDB_NONE);
	/* a gdb that waited hears nothing more */
	h->seen = fake_nr_stops(h->f);
	fake_clear_history(h->f);
	fake_run(h->f, 400);
	check_rules(h);
	FUZZ_CHECK(fake_nr_stops(h->f) == h->seen);
	for (i = 0; i < NCPU; i++) {
		FUZZ_CHECK(fake_running(h->f, i));
		FUZZ_CHECK(!fake_insns(h->f, i) || fake_debug(h->f, i)->flags == 0);
	}
	FUZZ_CHECK(
		!memcmp(fake_ram(h->f, A(0), RAM_SIZE), h->shadow, fake_tables_start(h->f) - A(0)));
}

static void attach(struct h *h)
{
	dbg_attach(h->d);
	h->attached = true;
	h->seen = fake_nr_stops(h->f);
	FUZZ_CHECK(!fake_any_running(h->f));
	FUZZ_CHECK(dbg_gdb_state(h->d) == DBG_GDB_HOLDS);
	check_memory(h);
}

static void set_up(struct h *h, uint8_t cfg)
{
	unsigned int i;

	memset(h, 0, sizeof(*h));
	h->f = fake_new(NCPU, RAM_SIZE);
	h->shadow = calloc(1, RAM_SIZE);
	FUZZ_CHECK(h->f && h->shadow);
	fake_put(h->f, A(0), image, ARRAY_SIZE(image));
	h->mmu = cfg & 1;
	if (h->mmu) {
		FUZZ_CHECK(fake_map(h->f, A(0), A(0), 0x10000) == 0);
		FUZZ_CHECK(fake_map(h->f, HI(0), A(0), 0x10000) == 0);
	}
	for (i = 0; i < NCPU; i++) {
		fake_set_reg(h->f, i, ARM64_R_PC, i ? A((cfg & 2) ? GBRK : CD) : A(LOOP));
		fake_set_reg(h->f, i, ARM64_R_PSTATE, ARM64_PSTATE_EL1h);
		fake_set_reg(h->f, i, ARM64_R_VBAR_EL1, A(VEC));
		fake_set_reg(h->f, i, ARM64_R_SP_EL1, A(0x8000 + 0x1000 * i));
		fake_set_reg(h->f, i, ARM64_R_X(10), A(DATA + 0x80 * i));
		if (h->mmu)
			fake_mmu(h->f, i, true);
		if (cfg & (4 << i))
			fake_timer(h->f, i, 5 + 3 * i);
	}
	fake_set_latency(h->f, (cfg >> 4) & 3);
	fake_set_kick_every(h->f, cfg >> 6);
	memcpy(h->shadow, fake_ram(h->f, A(0), RAM_SIZE), RAM_SIZE);
	fake_set_shadow(h->f, h->shadow);
	fake_set_insn_hook(h->f, on_insn, h);
	h->vq = cfg % 17; /* the program runs the same whatever these are */
	h->pauth = cfg & 0x20;
	fake_set_features(h->f, h->vq, h->pauth);
	/* PMUv3 in every other run of 17 first bytes, so that the corpus's SVE and pauth stay */
	h->pmu = (cfg / 17) & 1;
	h->nr_counters = (cfg >> 1) % 8;
	if (h->pmu)
		fake_set_pmu(h->f, h->nr_counters);
	h->map = arm64_gdb_map_new(&(struct arm64_gdb_features){ h->vq, h->pauth, h->pmu });
	FUZZ_CHECK(h->map);
	h->d = fake_dbg_new(h->f, 2 + (cfg >> 7) * 4, 2 + ((cfg >> 3) & 1) * 2);
	FUZZ_CHECK(h->d);
	attach(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct h h;
	size_t i, n;

	if (!image[1])
		build_image();
	if (trace < 0)
		trace = getenv("DEBUGGER_FUZZ_TRACE") != NULL;
	if (size < 1)
		return 0;
	set_up(&h, data[0]);
	for (i = 1, n = 0; i + 2 < size && n < MAX_ACTIONS; i += 3, n++) {
		uint8_t op = data[i] % 20, a = data[i + 1], b = data[i + 2];
		bool stopped = h.attached && !fake_gdb_waiting(h.f);

		if ((op <= 11 || op == 16) && op != 7 && op != 8 && op != 9 && !stopped)
			op = 7; /* gdb sends nothing else while it waits or is gone */
		if (op == 16 && !h.attached)
			op = 18;
		else if (op == 18 && h.attached)
			op = 15; /* the monitor's step is refused while gdb is attached */
		if (trace)
			fprintf(stderr, "%zu: op %u a 0x%02x b 0x%02x; pc 0x%llx 0x%llx\n", n, op,
				a, b, (unsigned long long)fake_reg(h.f, 0, ARM64_R_PC),
				(unsigned long long)fake_reg(h.f, 1, ARM64_R_PC));
		switch (op) {
		case 0:
		case 1:
			z(&h, op == 0, GDB_BP_SW, code_addrs[a % ARRAY_SIZE(code_addrs)], 4);
			break;
		case 2:
		case 3:
			z(&h, op == 2, GDB_BP_HW, code_addrs[a % ARRAY_SIZE(code_addrs)], 4);
			break;
		case 4:
		case 5:
			z(&h, op == 4, GDB_WP_WRITE + (b % 3),
			  data_addrs[a % ARRAY_SIZE(data_addrs)],
			  data_lens[(a >> 4) % ARRAY_SIZE(data_lens)]);
			break;
		case 6:
			resume(&h, a, b);
			break;
		case 7:
			fake_run(h.f, 1 + (unsigned int)a * 8);
			break;
		case 8:
			fake_raise(h.f, a & 1, FAKE_IRQ);
			break;
		case 9:
			if (h.attached)
				fake_gdb_interrupt(h.f);
			break;
		case 10:
			gdb_read(&h, a, b);
			break;
		case 11:
			gdb_write(&h, a, b);
			break;
		case 12:
			if (h.attached)
				detach(&h);
			break;
		case 13:
			if (!h.attached)
				attach(&h);
			break;
		case 14: /* the main loop's clock, at any time: a vCPU stepping alone for long lets
			  * the others run (run.c, release) */
			dbg_tick(h.d);
			break;
		case 16:
			set_pc(&h, a);
			break;
		case 17: /* the monitor's step-irq, at any time */
			dbg_set_step_irq(h.d, a & 1);
			h.step_irq |= a & 1; /* a step under way may stop in a handler now */
			break;
		case 18:
			monitor_step(&h, a);
			break;
		case 19:
			dump(&h);
			break;
		default: /* a stepi, gdb's commonest packet */
			if (stopped) {
				struct gdb_resume r = { .nr = 1 };

				r.cpus[0].cpu = a & 1;
				r.cpus[0].act.kind = GDB_ACT_STEP;
				gdb_resume(&h, &r);
			} else
				fake_run(h.f, 64);
		}
		check_run_state(&h);
		if (h.attached && !fake_gdb_waiting(h.f)) {
			check_memory(&h);
			check_regs(&h);
			vector_regs(&h, a, b);
		}
	}
	if (h.attached)
		detach(&h);
	dbg_free(h.d);
	arm64_gdb_map_free(h.map);
	fake_free(h.f);
	free(h.shadow);
	return 0;
}
