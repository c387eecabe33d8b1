// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for the debugger (include/debugger.h) against the fake CPU (fakecpu.h): gdb's
 * side is driven through dbg_gdb_ops exactly as gdbstub does (resume, Z/z, m/M, p/P, ^C, D,
 * k), the guest runs a small program on two vCPUs, and every test checks that each stop is
 * reported exactly once, only while gdb waits for one, with every vCPU stopped (all-stop), and
 * that the debugger keeps to include/dbg_cpu.h's threading rules. The first cases test the
 * fake itself, without a debugger. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "debugger.h"
#include "src/arm64/esr.h"
#include "src/arm64/gdbregs.h"
#include "src/arm64/hwdbg.h"
#include "src/arm64/regs.h"
#include "src/debugger/fakecpu.h"

/* ---------------------------------------------------------------- the guest */

#define BASE FAKE_RAM_BASE
#define RAM_SIZE 0x100000ull
#define A(off) (BASE + (off))
#define HI(off) (0xffff000040000000ull + (off)) /* the high alias of the MMU tests */

enum {
	START = 0x000,      /* movz x0, #0 */
	LOOP = 0x004,       /* add x0, x0, #1 */
	L_A = 0x008,        /* add x1, x1, #1 */
	L_B = 0x00c,        /* nop */
	L_C = 0x010,        /* nop */
	L_CALL = 0x014,     /* bl FUNC */
	L_STORE = 0x018,    /* str x0, [x10] */
	L_LOAD = 0x01c,     /* ldr x2, [x10, #8] */
	L_BACK = 0x020,     /* b LOOP */
	FUNC = 0x100,       /* add x3, x3, #1; ret */
	GBRK = 0x200,       /* add x4, x4, #1 */
	GBRK_BRK = 0x204,   /* brk #0x800: the guest's own (Linux's BUG) */
	GBRK_AFTER = 0x208, /* add x5, x5, #1 */
	CD = 0x300,         /* movz x6, #3 */
	CD_LOOP = 0x304,    /* sub x6, x6, #1 */
	CD_BR = 0x30c,      /* cbnz x6, CD_LOOP */
	CD_END = 0x310,     /* nop, then b . */
	SPIN = 0x400,       /* b . */
	MMU_ON = 0x500,     /* msr sctlr_el1, x7; nop; br x8 */
	HI_CODE = 0x600,    /* add x12, x12, #1; b HI_CODE (run at HI(HI_CODE)) */
	VEC = 0x1000,       /* VBAR_EL1 */
	VEC2 = 0x1800,      /* a second table whose IRQ handler calls FUNC on its own stack */
	CODE_END = 0x2000,
	DATA = 0x2000, /* x10 */
};

#define GUEST_BRK_IMM 0x800
#define ARM64_R_CNTVCT_EL0 ARM64_R_SYS(3, 3, 14, 0, 2)
#define ARM64_R_CNTV_CVAL_EL0 ARM64_R_SYS(3, 3, 14, 3, 2)
#define TIMER_PERIOD 9 /* counter ticks (vCPU steps) from the handler to the next interrupt */
#define ESR_GUEST_BRK ((uint64_t)ARM64_EC_BRK64 << 26 | ARM64_ESR_IL | GUEST_BRK_IMM)
#define SP_TOP(cpu) A(0x80000 - 0x10000 * (cpu))
#define RUN 20000 /* fake steps allowed for one resume */
#define NCPU 2

static uint32_t image[CODE_END / 4];

static void emit(unsigned int off, uint32_t insn)
{
	image[off / 4] = insn;
}

/* A vector entry: the words of its handler. */
static void emit_seq(unsigned int off, const uint32_t *insns, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		emit(off + 4 * (unsigned int)i, insns[i]);
}

static void build_image(void)
{
	const uint32_t sync[] = {
		fake_mrs(9, ARM64_R_ELR_EL1),  fake_add(9, 9, 4),   fake_msr(ARM64_R_ELR_EL1, 9),
		fake_mrs(11, ARM64_R_ESR_EL1), fake_add(21, 21, 1), FAKE_ERET,
	};
	/* counts, and rearms the virtual timer (harmless when it is off) */
	const uint32_t irq[] = {
		fake_add(20, 20, 1),
		fake_mrs(9, ARM64_R_CNTVCT_EL0),
		fake_add(9, 9, TIMER_PERIOD),
		fake_msr(ARM64_R_CNTV_CVAL_EL0, 9),
		FAKE_ERET,
	};
	const uint32_t fiq[] = { fake_add(22, 22, 1), FAKE_ERET };
	const uint32_t serror[] = { fake_add(23, 23, 1), FAKE_ERET };
	const uint32_t irq2[] = {
		fake_sub(FAKE_SP, FAKE_SP, 16),
		fake_bl(A(VEC2 + 0x284), A(FUNC)),
		fake_add(FAKE_SP, FAKE_SP, 16),
		fake_add(20, 20, 1),
		FAKE_ERET,
	};
	unsigned int off;

	for (off = 0; off < CODE_END; off += 4)
		emit(off, FAKE_NOP);
	/* Every vector entry spins unless it has a handler: a wrong vector shows as a hang. */
	for (off = VEC; off < VEC + 0x1000; off += 0x80)
		emit(off, fake_b(A(off), A(off)));
	emit(START, fake_movz(0, 0, 0));
	emit(LOOP, fake_add(0, 0, 1));
	emit(L_A, fake_add(1, 1, 1));
	emit(L_CALL, fake_bl(A(L_CALL), A(FUNC)));
	emit(L_STORE, fake_str(0, 10, 0));
	emit(L_LOAD, fake_ldr(2, 10, 8));
	emit(L_BACK, fake_b(A(L_BACK), A(LOOP)));
	emit(FUNC, fake_add(3, 3, 1));
	emit(FUNC + 4, FAKE_RET);
	emit(GBRK, fake_add(4, 4, 1));
	emit(GBRK_BRK, fake_brk(GUEST_BRK_IMM));
	emit(GBRK_AFTER, fake_add(5, 5, 1));
	emit(GBRK_AFTER + 4, fake_b(A(GBRK_AFTER + 4), A(GBRK)));
	emit(CD, fake_movz(6, 3, 0));
	emit(CD_LOOP, fake_sub(6, 6, 1));
	emit(CD_BR, fake_cbnz(6, A(CD_BR), A(CD_LOOP)));
	emit(CD_END + 4, fake_b(A(CD_END + 4), A(CD_END + 4)));
	emit(SPIN, fake_b(A(SPIN), A(SPIN)));
	emit(MMU_ON, fake_msr(ARM64_R_SCTLR_EL1, 7));
	emit(MMU_ON + 8, fake_br(8));
	emit(HI_CODE, fake_add(12, 12, 1));
	emit(HI_CODE + 4, fake_b(A(HI_CODE + 4), A(HI_CODE)));
	for (off = 0; off < 0x800; off += 0x400) {
		emit_seq(VEC + 0x200 + off, sync, ARRAY_SIZE(sync));
		emit_seq(VEC + 0x280 + off, irq, ARRAY_SIZE(irq));
		emit_seq(VEC + 0x300 + off, fiq, ARRAY_SIZE(fiq));
		emit_seq(VEC + 0x380 + off, serror, ARRAY_SIZE(serror));
	}
	emit_seq(VEC2 + 0x280, irq2, ARRAY_SIZE(irq2));
}

/* ---------------------------------------------------------------- fixture */

struct t {
	struct fake *f;
	struct dbg *d;
	unsigned int seen; /* stops checked so far */
	int kills;
};

static void reset_cpu(struct fake *f, unsigned int cpu, unsigned int pc)
{
	fake_set_reg(f, cpu, ARM64_R_PC, A(pc));
	fake_set_reg(f, cpu, ARM64_R_PSTATE, ARM64_PSTATE_EL1h); /* interrupts unmasked */
	fake_set_reg(f, cpu, ARM64_R_VBAR_EL1, A(VEC));
	fake_set_reg(f, cpu, ARM64_R_SP_EL1, SP_TOP(cpu));
	fake_set_reg(f, cpu, ARM64_R_X(10), A(DATA));
}

static struct fake *new_machine(void)
{
	struct fake *f = fake_new(NCPU, RAM_SIZE);
	unsigned int i;

	assert_non_null(f);
	fake_put(f, BASE, image, ARRAY_SIZE(image));
	for (i = 0; i < NCPU; i++)
		reset_cpu(f, i, i ? SPIN : START); /* vCPU 1 spins out of the way */
	return f;
}

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	if (!image[LOOP / 4])
		build_image();
	t->f = new_machine();
	t->d = fake_dbg_new(t->f, 4, 4);
	if (!t->d)
		return -1;
	dbg_attach(t->d);
	*state = t;
	return 0;
}

static int setup_fake(void **state)
{
	struct t *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	if (!image[LOOP / 4])
		build_image();
	t->f = new_machine();
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;

	if (fake_violations(t->f))
		print_error("fake: %u violations, first: %s\n", fake_violations(t->f),
			    fake_first_violation(t->f));
	assert_int_equal(fake_violations(t->f), 0);
	assert_int_equal(fake_bad_stops(t->f), 0);
	if (t->d)
		dbg_free(t->d);
	fake_free(t->f);
	free(t);
	return 0;
}

/* ------------------------------------------------------------------ helpers */

static uint64_t reg(struct t *t, unsigned int cpu, uint32_t id)
{
	return fake_reg(t->f, cpu, id);
}

static uint64_t pc_of(struct t *t, unsigned int cpu)
{
	return reg(t, cpu, ARM64_R_PC);
}

static void check_rules(struct t *t, int line)
{
	if (fake_violations(t->f))
		fail_msg("line %d: %s", line, fake_first_violation(t->f));
	if (fake_bad_stops(t->f))
		fail_msg("line %d: a stop reported while gdb was not waiting for one", line);
}

/* Let the guest run; exactly one new stop must come, with every vCPU stopped after it. */
static const struct fake_stop *next_stop(struct t *t, int line)
{
	const struct fake_stop *s;

	fake_run(t->f, RUN);
	check_rules(t, line);
	if (fake_nr_stops(t->f) != t->seen + 1)
		fail_msg("line %d: %u stops reported, expected 1", line,
			 fake_nr_stops(t->f) - t->seen);
	s = fake_stop(t->f, t->seen++);
	if (fake_any_running(t->f) || fake_stop_due(t->f))
		fail_msg("line %d: a vCPU still runs after the stop", line);
	if (fake_gdb_waiting(t->f))
		fail_msg("line %d: gdb still waits", line);
	return s;
}

static const char *reason_name(enum gdb_stop_reason r)
{
	static const char *const names[] = { "TRAP",   "INTERRUPT", "SWBREAK", "HWBREAK",
					     "WATCH",  "RWATCH",    "AWATCH",  "SIGNAL",
					     "EXITED", "TERMINATED" };

	return r < ARRAY_SIZE(names) ? names[r] : "?";
}

static void expect_stop_at(struct t *t, enum gdb_stop_reason reason, unsigned int cpu, uint64_t pc,
			   int line)
{
	const struct fake_stop *s = next_stop(t, line);

	if (s->stop.reason != reason || s->stop.cpu != cpu || s->pc != pc)
		fail_msg("line %d: stop %s on cpu%u at 0x%llx, expected %s on cpu%u at 0x%llx",
			 line, reason_name(s->stop.reason), s->stop.cpu, (unsigned long long)s->pc,
			 reason_name(reason), cpu, (unsigned long long)pc);
}

#define EXPECT_STOP(t, reason, cpu, pc) expect_stop_at(t, reason, cpu, pc, __LINE__)

/* Nothing is to be reported (the guest runs on, or nothing runs). */
static void expect_no_stop_at(struct t *t, unsigned int steps, int line)
{
	fake_run(t->f, steps);
	check_rules(t, line);
	if (fake_nr_stops(t->f) != t->seen)
		fail_msg("line %d: an unexpected stop (%s on cpu%u)", line,
			 reason_name(fake_stop(t->f, t->seen)->stop.reason),
			 fake_stop(t->f, t->seen)->stop.cpu);
}

#define EXPECT_NO_STOP(t, steps) expect_no_stop_at(t, steps, __LINE__)

/* gdb's Ctrl-C while it waits: one stop, INTERRUPT or one that came first. */
static const struct fake_stop *interrupt(struct t *t, int line)
{
	fake_gdb_interrupt(t->f);
	return next_stop(t, line);
}

static void expect_interrupt_at(struct t *t, int line)
{
	const struct fake_stop *s = interrupt(t, line);

	if (s->stop.reason != GDB_STOP_INTERRUPT)
		fail_msg("line %d: %s, expected INTERRUPT", line, reason_name(s->stop.reason));
}

#define EXPECT_INTERRUPT(t) expect_interrupt_at(t, __LINE__)

/* The program's words as built, in RAM as the guest sees it: no BRK of ours left. */
static void expect_code_intact_at(struct t *t, int line)
{
	unsigned int off;

	for (off = 0; off < CODE_END; off += 4)
		if (fake_peek32(t->f, A(off)) != image[off / 4])
			fail_msg("line %d: RAM at 0x%llx holds 0x%08x, the program 0x%08x", line,
				 (unsigned long long)A(off), fake_peek32(t->f, A(off)),
				 image[off / 4]);
}

#define EXPECT_CODE_INTACT(t) expect_code_intact_at(t, __LINE__)

static int insert(struct t *t, enum gdb_bp_type type, uint64_t addr, uint64_t kind)
{
	return dbg_gdb_ops.insert_bp(t->d, 0, type, addr, kind);
}

static int remove_bp(struct t *t, enum gdb_bp_type type, uint64_t addr, uint64_t kind)
{
	return dbg_gdb_ops.remove_bp(t->d, 0, type, addr, kind);
}

static uint32_t read32(struct t *t, unsigned int cpu, uint64_t va)
{
	uint32_t v = 0;

	assert_int_equal(dbg_gdb_ops.read_mem(t->d, cpu, va, &v, 4), 4);
	return v;
}

static void set_pc(struct t *t, unsigned int cpu, unsigned int off)
{
	uint64_t pc = A(off);

	assert_int_equal(dbg_gdb_ops.write_reg(t->d, cpu, ARM64_GDB_PC, &pc), 0);
}

static void step(struct t *t, unsigned int cpu)
{
	assert_int_equal(fake_gdb_step(t->f, cpu), 0);
}

static void cont(struct t *t)
{
	assert_int_equal(fake_gdb_continue(t->f), 0);
}

/* Debug state of every vCPU that ran is off. */
static void expect_debug_off_at(struct t *t, int line)
{
	unsigned int i;

	for (i = 0; i < NCPU; i++)
		if (fake_insns(t->f, i) && fake_debug(t->f, i)->flags)
			fail_msg("line %d: cpu%u ran with debug flags 0x%x", line, i,
				 fake_debug(t->f, i)->flags);
}

#define EXPECT_DEBUG_OFF(t) expect_debug_off_at(t, __LINE__)

/* ============================================================ the fake itself */

static void run_alone(struct t *t, unsigned int cpu, unsigned int steps)
{
	fake_cpu_ops.run(t->f, cpu);
	fake_run(t->f, steps);
}

static void set_debug(struct t *t, unsigned int cpu, const struct dbg_hw_state *hw)
{
	assert_int_equal(fake_cpu_ops.set_debug(t->f, cpu, hw), 0);
}

static void test_fake_executes_the_subset(void **state)
{
	struct t *t = *state;
	uint64_t data;

	run_alone(t, 0, 9); /* movz, add, add, nop, nop, bl, add, ret, str */
	assert_true(fake_running(t->f, 0));
	fake_cpu_ops.pause_all(t->f);
	assert_int_equal(reg(t, 0, ARM64_R_X(0)), 1);
	assert_int_equal(reg(t, 0, ARM64_R_X(1)), 1);
	assert_int_equal(reg(t, 0, ARM64_R_X(3)), 1);
	assert_int_equal(reg(t, 0, ARM64_R_X(30)), A(L_STORE));
	assert_int_equal(pc_of(t, 0), A(L_LOAD));
	memcpy(&data, fake_ram(t->f, A(DATA), 8), 8);
	assert_int_equal(data, 1);
	assert_int_equal(fake_insns(t->f, 0), 9);
	assert_int_equal(fake_insns(t->f, 1), 0);
	/* the countdown: 3 times round, then out */
	fake_set_reg(t->f, 0, ARM64_R_PC, A(CD));
	run_alone(t, 0, 1 + 3 * 3);
	fake_cpu_ops.pause_all(t->f);
	assert_int_equal(pc_of(t, 0), A(CD_END));
	assert_int_equal(reg(t, 0, ARM64_R_X(6)), 0);
	/* sp as an ADD/SUB operand, and MOVK */
	fake_poke32(t->f, A(0x700), fake_sub(FAKE_SP, FAKE_SP, 0x20));
	fake_poke32(t->f, A(0x704), fake_add(13, FAKE_SP, 8));
	fake_poke32(t->f, A(0x708), fake_movk(13, 0xabcd, 48));
	fake_set_reg(t->f, 0, ARM64_R_PC, A(0x700));
	run_alone(t, 0, 3);
	fake_cpu_ops.pause_all(t->f);
	assert_int_equal(reg(t, 0, ARM64_R_SP_EL1), SP_TOP(0) - 0x20);
	assert_int_equal(reg(t, 0, ARM64_R_X(13)), 0xabcd000000000000ull | (SP_TOP(0) - 0x18));
}

static void test_fake_takes_interrupts_when_unmasked(void **state)
{
	static const struct {
		enum fake_irq kind;
		unsigned int vec, reg, len;
		uint64_t mask;
	} k[] = {
		{ FAKE_IRQ, 0x280, 20, 5, ARM64_PSTATE_I },
		{ FAKE_FIQ, 0x300, 22, 2, ARM64_PSTATE_F },
		{ FAKE_SERROR, 0x380, 23, 2, ARM64_PSTATE_A },
	};
	struct t *t = *state;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(k); i++) {
		fake_set_reg(t->f, 0, ARM64_R_PC, A(LOOP));
		fake_set_reg(t->f, 0, ARM64_R_PSTATE, ARM64_PSTATE_EL1h | k[i].mask);
		fake_raise(t->f, 0, k[i].kind);
		run_alone(t, 0, 1);
		fake_cpu_ops.pause_all(t->f);
		assert_int_equal(pc_of(t, 0), A(L_A)); /* masked: not taken */
		fake_set_reg(t->f, 0, ARM64_R_PSTATE, ARM64_PSTATE_EL1h);
		run_alone(t, 0, 1);
		fake_cpu_ops.pause_all(t->f);
		assert_int_equal(pc_of(t, 0), A(VEC + k[i].vec));
		assert_int_equal(reg(t, 0, ARM64_R_ELR_EL1), A(L_A));
		assert_int_equal(reg(t, 0, ARM64_R_SPSR_EL1), ARM64_PSTATE_EL1h);
		assert_int_equal(reg(t, 0, ARM64_R_PSTATE) & 0x3cf,
				 ARM64_PSTATE_EL1h | ARM64_PSTATE_D | ARM64_PSTATE_A |
					 ARM64_PSTATE_I | ARM64_PSTATE_F);
		run_alone(t, 0, k[i].len);
		fake_cpu_ops.pause_all(t->f);
		assert_int_equal(reg(t, 0, ARM64_R_X(k[i].reg)), 1);
		assert_int_equal(pc_of(t, 0), A(L_A));
		assert_false(fake_irq_pending(t->f, 0, k[i].kind));
	}
	/* from EL0: the lower-EL group */
	fake_set_reg(t->f, 0, ARM64_R_PSTATE, ARM64_PSTATE_EL0t);
	fake_raise(t->f, 0, FAKE_IRQ);
	run_alone(t, 0, 1);
	fake_cpu_ops.pause_all(t->f);
	assert_int_equal(pc_of(t, 0), A(VEC + 0x480));
}

static void test_fake_timer_is_a_level_interrupt(void **state)
{
	struct t *t = *state;
	uint64_t ctl;

	fake_set_reg(t->f, 0, ARM64_R_PC, A(LOOP));
	fake_timer(t->f, 0, 3);
	run_alone(t, 0, 2);
	fake_cpu_ops.pause_all(t->f);
	assert_int_equal(pc_of(t, 0), A(L_B));
	assert_int_equal(fake_cpu_ops.get_reg(t->f, 0, ARM64_R_CNTV_CTL_EL0, &ctl), 0);
	assert_int_equal(ctl, ARM64_CNT_CTL_ENABLE);
	run_alone(t, 0, 1); /* the third tick: it fires, taken at once */
	fake_cpu_ops.pause_all(t->f);
	assert_int_equal(pc_of(t, 0), A(VEC + 0x280));
	assert_int_equal(reg(t, 0, ARM64_R_CNTV_CTL_EL0),
			 ARM64_CNT_CTL_ENABLE | ARM64_CNT_CTL_ISTATUS);
	run_alone(t, 0, 5); /* the handler rearms it */
	fake_cpu_ops.pause_all(t->f);
	assert_int_equal(pc_of(t, 0), A(L_B));
	assert_int_equal(reg(t, 0, ARM64_R_CNTV_CTL_EL0), ARM64_CNT_CTL_ENABLE);
	run_alone(t, 0, 100);
	fake_cpu_ops.pause_all(t->f);
	assert_true(reg(t, 0, ARM64_R_X(20)) >= 100 / (TIMER_PERIOD + 1));
}

static void test_fake_guest_brk_without_debug(void **state)
{
	struct t *t = *state;

	fake_set_reg(t->f, 0, ARM64_R_PC, A(GBRK_BRK));
	run_alone(t, 0, 1);
	fake_cpu_ops.pause_all(t->f);
	assert_int_equal(pc_of(t, 0), A(VEC + 0x200));
	assert_int_equal(reg(t, 0, ARM64_R_ESR_EL1), ESR_GUEST_BRK);
	assert_int_equal(reg(t, 0, ARM64_R_ELR_EL1), A(GBRK_BRK));
	run_alone(t, 0, 6); /* the handler skips it */
	fake_cpu_ops.pause_all(t->f);
	assert_int_equal(pc_of(t, 0), A(GBRK_AFTER));
	assert_int_equal(reg(t, 0, ARM64_R_X(21)), 1);
	assert_int_equal(reg(t, 0, ARM64_R_X(11)), ESR_GUEST_BRK);
}

static void test_fake_debug_exits(void **state)
{
	struct t *t = *state;
	struct dbg_hw_state hw = { .flags = DBG_HW_ENABLE | DBG_HW_HW };
	struct arm64_wp_slot wp;

	/* a hardware breakpoint, before the instruction, and again when resumed there */
	assert_int_equal(arm64_bp_encode(A(L_B), &hw.bcr[1], &hw.bvr[1]), 0);
	set_debug(t, 0, &hw);
	run_alone(t, 0, 100);
	assert_false(fake_running(t->f, 0));
	assert_int_equal(pc_of(t, 0), A(L_B));
	assert_int_equal(fake_exits(t->f, 0, ARM64_EC_BREAKPT_LOW), 1);
	run_alone(t, 0, 100);
	assert_int_equal(pc_of(t, 0), A(L_B));
	assert_int_equal(fake_exits(t->f, 0, ARM64_EC_BREAKPT_LOW), 2);
	/* single step: one instruction each */
	hw.flags = DBG_HW_ENABLE | DBG_HW_SINGLESTEP;
	set_debug(t, 0, &hw);
	run_alone(t, 0, 100);
	assert_int_equal(pc_of(t, 0), A(L_C));
	assert_int_equal(fake_exits(t->f, 0, ARM64_EC_SOFTSTP_LOW), 1);
	/* a step with an IRQ pending ends on the vector */
	fake_raise(t->f, 0, FAKE_IRQ);
	run_alone(t, 0, 100);
	assert_int_equal(pc_of(t, 0), A(VEC + 0x280));
	assert_int_equal(reg(t, 0, ARM64_R_ELR_EL1), A(L_C));
	/* BRK with any debug on exits, PC at the BRK */
	fake_set_reg(t->f, 0, ARM64_R_PC, A(GBRK_BRK));
	hw.flags = DBG_HW_ENABLE | DBG_HW_SW_BP;
	set_debug(t, 0, &hw);
	run_alone(t, 0, 100);
	assert_int_equal(pc_of(t, 0), A(GBRK_BRK));
	assert_int_equal(fake_exits(t->f, 0, ARM64_EC_BRK64), 1);
	/* a watchpoint: PC at the store, not done */
	assert_int_equal(arm64_wp_plan(A(DATA), 8, ARM64_WP_WRITE, 1, &wp), 1);
	memset(&hw, 0, sizeof(hw));
	hw.flags = DBG_HW_ENABLE | DBG_HW_HW;
	hw.wcr[0] = wp.wcr;
	hw.wvr[0] = wp.wvr;
	set_debug(t, 0, &hw);
	fake_set_reg(t->f, 0, ARM64_R_PC, A(LOOP));
	fake_set_reg(t->f, 0, ARM64_R_X(0), 41);
	run_alone(t, 0, 100);
	assert_int_equal(pc_of(t, 0), A(L_STORE));
	assert_int_equal(fake_exits(t->f, 0, ARM64_EC_WATCHPT_LOW), 1);
	assert_int_equal(*(uint64_t *)fake_ram(t->f, A(DATA), 8), 0);
	/* debug off: the BRK is the guest's */
	memset(&hw, 0, sizeof(hw));
	set_debug(t, 0, &hw);
	fake_set_reg(t->f, 0, ARM64_R_PC, A(GBRK_BRK));
	run_alone(t, 0, 1);
	fake_cpu_ops.pause_all(t->f);
	assert_int_equal(pc_of(t, 0), A(VEC + 0x200));
	assert_int_equal(fake_exits(t->f, 0, ARM64_EC_BRK64), 1);
	assert_int_equal(fake_nr_set_debug(t->f, 0), 5);
	assert_true(fake_debug_seen(t->f, 0, DBG_HW_ENABLE | DBG_HW_SINGLESTEP));
	assert_true(fake_bp_seen(t->f, 0, A(L_B), NULL));
}

static void test_fake_translates_through_page_tables(void **state)
{
	struct t *t = *state;

	assert_int_equal(fake_map(t->f, BASE, BASE, 0x90000), 0);
	assert_int_equal(fake_map(t->f, HI(0), BASE, 0x10000), 0);
	assert_true(fake_tables_start(t->f) >= BASE + 0x90000);
	fake_mmu(t->f, 0, false);
	fake_set_reg(t->f, 0, ARM64_R_X(7), reg(t, 0, ARM64_R_SCTLR_EL1) | 1);
	fake_set_reg(t->f, 0, ARM64_R_X(8), HI(HI_CODE));
	fake_set_reg(t->f, 0, ARM64_R_PC, A(MMU_ON));
	run_alone(t, 0, 5); /* msr, nop, br, add, b */
	fake_cpu_ops.pause_all(t->f);
	assert_int_equal(reg(t, 0, ARM64_R_SCTLR_EL1) & 1, 1);
	assert_int_equal(reg(t, 0, ARM64_R_X(12)), 1);
	assert_int_equal(pc_of(t, 0), HI(HI_CODE));
	/* a fetch that does not translate is an instruction abort */
	fake_set_reg(t->f, 0, ARM64_R_PC, HI(0x20000));
	run_alone(t, 0, 1);
	fake_cpu_ops.pause_all(t->f);
	assert_int_equal(pc_of(t, 0), A(VEC + 0x200));
	assert_int_equal(arm64_esr_ec(reg(t, 0, ARM64_R_ESR_EL1)), ARM64_EC_IABT_CUR);
	assert_int_equal(reg(t, 0, ARM64_R_FAR_EL1), HI(0x20000));
}

static void test_fake_checks_the_threading_rules(void **state)
{
	struct t *t = *state;
	uint64_t v;

	fake_cpu_ops.run(t->f, 1);
	assert_int_equal(fake_cpu_ops.get_reg(t->f, 1, ARM64_R_PC, &v), 0);
	assert_int_equal(fake_violations(t->f), 1); /* vCPU 1 is in KVM_RUN */
	fake_cpu_ops.pause_all(t->f);
	assert_int_equal(fake_cpu_ops.wait_paused(t->f, 1, 10), 0);
	assert_int_equal(fake_cpu_ops.get_reg(t->f, 1, ARM64_R_PC, &v), 0);
	assert_int_equal(v, A(SPIN));
	assert_int_equal(fake_cpu_ops.get_reg(t->f, 1, ARM64_R_SYS(3, 0, 9, 9, 0), &v), -ENOENT);
	assert_int_equal(fake_violations(t->f), 1);
	/* teardown would fail on the one we provoked */
	fake_free(t->f);
	t->f = new_machine();
}

/* =============================================================== stepping */

static void test_stepi_runs_one_instruction(void **state)
{
	struct t *t = *state;

	set_pc(t, 0, LOOP);
	step(t, 0);
	EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(L_A));
	assert_int_equal(reg(t, 0, ARM64_R_X(0)), 1);
	assert_int_equal(fake_exits(t->f, 0, ARM64_EC_SOFTSTP_LOW), 1);
	assert_true(fake_debug_seen(t->f, 0, DBG_HW_ENABLE | DBG_HW_SINGLESTEP));
	assert_int_equal(fake_insns(t->f, 1), 0); /* the other vCPU stays where it is */
	assert_int_equal(pc_of(t, 1), A(SPIN));
	step(t, 0);
	EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(L_B));
	assert_int_equal(reg(t, 0, ARM64_R_X(1)), 1);
}

static void test_stepi_follows_calls_and_returns(void **state)
{
	struct t *t = *state;

	set_pc(t, 0, L_CALL);
	step(t, 0);
	EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(FUNC));
	assert_int_equal(reg(t, 0, ARM64_R_X(30)), A(L_STORE));
	step(t, 0);
	EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(FUNC + 4));
	assert_int_equal(reg(t, 0, ARM64_R_X(3)), 1);
	step(t, 0);
	EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(L_STORE));
}

static void test_stepi_on_the_second_vcpu(void **state)
{
	struct t *t = *state;

	fake_set_reg(t->f, 1, ARM64_R_PC, A(LOOP));
	step(t, 1);
	EXPECT_STOP(t, GDB_STOP_TRAP, 1, A(L_A));
	assert_int_equal(reg(t, 1, ARM64_R_X(0)), 1);
	assert_int_equal(fake_insns(t->f, 0), 0);
}

static void test_range_step_runs_to_the_branch_behind_a_hw_breakpoint(void **state)
{
	struct t *t = *state;
	unsigned int slot = 99;

	assert_int_equal(insert(t, GDB_BP_HW, A(CD_END), 4), 0); /* gdb's own hbreak: a slot */
	set_pc(t, 0, LOOP);
	fake_clear_history(t->f);
	assert_int_equal(fake_gdb_range(t->f, 0, A(LOOP), A(L_STORE)), 0);
	EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(FUNC)); /* the bl left the range */
	assert_int_equal(reg(t, 0, ARM64_R_X(0)), 1);
	assert_int_equal(reg(t, 0, ARM64_R_X(1)), 1);
	assert_int_equal(reg(t, 0, ARM64_R_X(30)), A(L_STORE));
	/* the four sequential instructions at full speed, only the bl single-stepped */
	assert_int_equal(fake_exits(t->f, 0, ARM64_EC_SOFTSTP_LOW), 1);
	assert_int_equal(fake_exits(t->f, 0, ARM64_EC_BREAKPT_LOW), 1);
	assert_true(fake_bp_seen(t->f, 0, A(L_CALL), &slot));
	assert_true(fake_bp_seen(t->f, 0, A(CD_END), NULL));
	assert_true(slot < 4);
	assert_int_not_equal(fake_debug(t->f, 0)->bvr[slot] == A(CD_END) &&
				     (fake_debug(t->f, 0)->bcr[slot] & 1),
			     1);
	EXPECT_CODE_INTACT(t);
}

static void test_range_step_loops_until_the_pc_leaves(void **state)
{
	struct t *t = *state;

	set_pc(t, 0, CD_LOOP);
	fake_set_reg(t->f, 0, ARM64_R_X(6), 3);
	fake_clear_history(t->f);
	assert_int_equal(fake_gdb_range(t->f, 0, A(CD_LOOP), A(CD_END)), 0);
	EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(CD_END));
	assert_int_equal(reg(t, 0, ARM64_R_X(6)), 0);
	assert_int_equal(fake_exits(t->f, 0, ARM64_EC_SOFTSTP_LOW), 3); /* the three cbnz */
}

static void test_range_step_without_a_free_slot_single_steps(void **state)
{
	struct t *t = *state;
	unsigned int i;

	for (i = 0; i < 4; i++)
		assert_int_equal(insert(t, GDB_BP_HW, A(0x700 + 4 * i), 4), 0);
	set_pc(t, 0, LOOP);
	fake_clear_history(t->f);
	assert_int_equal(fake_gdb_range(t->f, 0, A(LOOP), A(L_STORE)), 0);
	EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(FUNC));
	assert_int_equal(fake_exits(t->f, 0, ARM64_EC_SOFTSTP_LOW), 5);
	assert_int_equal(fake_exits(t->f, 0, ARM64_EC_BREAKPT_LOW), 0);
}

static void test_empty_range_is_one_step(void **state)
{
	struct t *t = *state;

	set_pc(t, 0, LOOP);
	assert_int_equal(fake_gdb_range(t->f, 0, A(LOOP), A(LOOP)), 0);
	EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(L_A));
}

static void test_range_step_over_a_breakpoint_of_gdbs_in_the_range(void **state)
{
	struct t *t = *state;

	assert_int_equal(insert(t, GDB_BP_SW, A(L_B), 4), 0);
	set_pc(t, 0, LOOP);
	assert_int_equal(fake_gdb_range(t->f, 0, A(LOOP), A(L_STORE)), 0);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_B)); /* gdb's breakpoint ends a range step */
	assert_int_equal(reg(t, 0, ARM64_R_X(1)), 1);
}

/* ------------------------------------------------------- interrupts in a step */

struct irq_case {
	const char *name;
	enum fake_irq kind;
	unsigned int pc;      /* the stepped instruction */
	uint64_t x6;          /* for the cbnz rows */
	unsigned int stop;    /* where the step must end */
	unsigned int counter; /* the handler's register */
};

static const struct irq_case irq_cases[] = {
	{ "stepi with an IRQ pending stops after the instruction", FAKE_IRQ, LOOP, 0, L_A, 20 },
	{ "stepi with an FIQ pending stops after the instruction", FAKE_FIQ, LOOP, 0, L_A, 22 },
	{ "stepi with an SError pending stops after the instruction", FAKE_SERROR, LOOP, 0, L_A,
	  23 },
	{ "stepi of a bl with an IRQ pending stops at its target", FAKE_IRQ, L_CALL, 0, FUNC, 20 },
	{ "stepi of a ret with an IRQ pending stops where it returns", FAKE_IRQ, FUNC + 4, 0,
	  L_STORE, 20 },
	{ "stepi of a taken cbnz with an IRQ pending", FAKE_IRQ, CD_BR, 2, CD_LOOP, 20 },
	{ "stepi of a cbnz not taken with an IRQ pending", FAKE_IRQ, CD_BR, 0, CD_END, 20 },
	{ "stepi of a store with an IRQ pending", FAKE_IRQ, L_STORE, 0, L_LOAD, 20 },
	{ "stepi of a guest brk with an IRQ pending ends on the brk's vector", FAKE_IRQ, GBRK_BRK,
	  0, VEC + 0x200, 20 },
};

static void test_irq_case(void **state, const struct irq_case *c)
{
	struct t *t = *state;

	set_pc(t, 0, c->pc);
	fake_set_reg(t->f, 0, ARM64_R_X(6), c->x6);
	fake_set_reg(t->f, 0, ARM64_R_X(30), A(L_STORE));
	fake_raise(t->f, 0, c->kind);
	fake_clear_history(t->f);
	step(t, 0);
	EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(c->stop));
	assert_int_equal(reg(t, 0, ARM64_R_X(c->counter)), 1); /* the handler ran */
	assert_false(fake_irq_pending(t->f, 0, c->kind));
	assert_true(fake_exits(t->f, 0, ARM64_EC_SOFTSTP_LOW) <= 2); /* at full speed */
	if (c->pc == LOOP)
		assert_int_equal(reg(t, 0, ARM64_R_X(0)), 1); /* the instruction ran once */
	if (c->pc == L_STORE)
		assert_int_equal(*(uint64_t *)fake_ram(t->f, A(DATA), 8), reg(t, 0, ARM64_R_X(0)));
	if (c->pc == GBRK_BRK) {
		assert_int_equal(reg(t, 0, ARM64_R_ELR_EL1), A(GBRK_BRK));
		assert_int_equal(reg(t, 0, ARM64_R_ESR_EL1), ESR_GUEST_BRK);
	}
	EXPECT_CODE_INTACT(t); /* no catch point left */
	/* and the next stepi is an ordinary one */
	step(t, 0);
	next_stop(t, __LINE__);
	EXPECT_CODE_INTACT(t);
}

/* A stepi of a load that faults ends on the synchronous vector, as the hardware's step does;
 * an interrupt that comes first (or a timer that is due) does not change that. */
static void stepi_of_a_faulting_load(struct t *t, int how)
{
	set_pc(t, 0, L_LOAD);
	fake_set_reg(t->f, 0, ARM64_R_X(10), 0x1000); /* no RAM there: a data abort */
	if (how == 1)
		fake_raise(t->f, 0, FAKE_IRQ);
	if (how == 2)
		fake_timer(t->f, 0, 0);
	step(t, 0);
	EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(VEC + 0x200));
	assert_int_equal(arm64_esr_ec(reg(t, 0, ARM64_R_ESR_EL1)), ARM64_EC_DABT_CUR);
	assert_int_equal(reg(t, 0, ARM64_R_ELR_EL1), A(L_LOAD));
	assert_int_equal(reg(t, 0, ARM64_R_X(21)), 0); /* the abort handler has not run */
	EXPECT_CODE_INTACT(t);
}

static void test_stepi_of_a_faulting_load_ends_on_the_sync_vector(void **state)
{
	stepi_of_a_faulting_load(*state, 0);
}

static void test_stepi_of_a_faulting_load_with_an_irq_ends_on_the_sync_vector(void **state)
{
	stepi_of_a_faulting_load(*state, 1);
}

static void test_stepi_of_a_faulting_load_with_the_timer_due_ends_on_the_sync_vector(void **state)
{
	stepi_of_a_faulting_load(*state, 2);
}

static void test_step_irq_on_stops_in_the_handler(void **state)
{
	struct t *t = *state;

	dbg_set_step_irq(t->d, true);
	assert_true(dbg_step_irq(t->d));
	set_pc(t, 0, LOOP);
	fake_raise(t->f, 0, FAKE_IRQ);
	step(t, 0);
	EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(VEC + 0x280));
	assert_int_equal(reg(t, 0, ARM64_R_ELR_EL1), A(LOOP));
	assert_int_equal(reg(t, 0, ARM64_R_X(0)), 0);
	dbg_set_step_irq(t->d, false);
}

/* The handler calls FUNC on its own stack: the catch point at FUNC is met there first, in
 * another context, and must not end the step. */
static void test_catch_point_met_by_the_handler_does_not_end_the_step(void **state)
{
	struct t *t = *state;

	fake_set_reg(t->f, 0, ARM64_R_VBAR_EL1, A(VEC2));
	set_pc(t, 0, L_CALL);
	fake_raise(t->f, 0, FAKE_IRQ);
	step(t, 0);
	EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(FUNC));
	assert_int_equal(reg(t, 0, ARM64_R_X(20)), 1);
	assert_int_equal(reg(t, 0, ARM64_R_X(3)), 1); /* FUNC ran once, in the handler */
	assert_int_equal(reg(t, 0, ARM64_R_X(30)), A(L_STORE));
	assert_int_equal(reg(t, 0, ARM64_R_SP_EL1), SP_TOP(0));
	EXPECT_CODE_INTACT(t);
}

/* The interrupt handler of a caught step runs a BRK of the guest's own (a WARN in an IRQ
 * handler): it goes to the guest's synchronous handler, and the step still ends after the
 * interrupted instruction. */
static void test_guest_brk_in_the_handler_of_a_caught_step_goes_to_the_guest(void **state)
{
	struct t *t = *state;
	const uint32_t irq[] = {
		/* as kernel_entry/kernel_exit: ELR and SPSR saved around a nested exception */
		fake_mrs(15, ARM64_R_ELR_EL1),
		fake_mrs(16, ARM64_R_SPSR_EL1),
		fake_brk(GUEST_BRK_IMM),
		fake_msr(ARM64_R_ELR_EL1, 15),
		fake_msr(ARM64_R_SPSR_EL1, 16),
		fake_add(20, 20, 1),
		FAKE_ERET,
	};
	const uint32_t sync[] = {
		fake_mrs(9, ARM64_R_ELR_EL1), fake_add(9, 9, 4), fake_msr(ARM64_R_ELR_EL1, 9),
		fake_add(21, 21, 1),          FAKE_ERET,
	};
	unsigned int off;

	fake_put(t->f, A(VEC2 + 0x280), irq, ARRAY_SIZE(irq));
	fake_put(t->f, A(VEC2 + 0x200), sync, ARRAY_SIZE(sync));
	fake_set_reg(t->f, 0, ARM64_R_VBAR_EL1, A(VEC2));
	set_pc(t, 0, LOOP);
	fake_raise(t->f, 0, FAKE_IRQ);
	step(t, 0);
	EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(L_A));
	assert_int_equal(reg(t, 0, ARM64_R_X(0)), 1);
	assert_int_equal(reg(t, 0, ARM64_R_X(20)), 1);
	assert_int_equal(reg(t, 0, ARM64_R_X(21)), 1); /* the guest's BRK reached its handler */
	for (off = 0; off < CODE_END; off += 4)
		assert_int_not_equal(fake_peek32(t->f, A(off)), FAKE_BRK0);
}

static void test_range_step_with_an_irq_stays_out_of_the_handler(void **state)
{
	struct t *t = *state;

	set_pc(t, 0, LOOP);
	fake_raise(t->f, 0, FAKE_IRQ);
	assert_int_equal(fake_gdb_range(t->f, 0, A(LOOP), A(L_STORE)), 0);
	EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(FUNC));
	assert_int_equal(reg(t, 0, ARM64_R_X(20)), 1);
	assert_int_equal(reg(t, 0, ARM64_R_X(0)), 1);
	assert_int_equal(reg(t, 0, ARM64_R_X(1)), 1);
	EXPECT_CODE_INTACT(t);
}

/* ---------------------------------------------------- with the timer running */

/* The loop's next instruction (the program never leaves it). */
static unsigned int loop_next(unsigned int off)
{
	switch (off) {
	case L_CALL:
		return FUNC;
	case FUNC + 4:
		return L_STORE;
	case L_BACK:
		return LOOP;
	default:
		return off + 4;
	}
}

static void test_stepi_with_the_timer_firing_never_stops_in_the_handler(void **state)
{
	struct t *t = *state;
	unsigned int i, off = LOOP;

	set_pc(t, 0, LOOP);
	fake_timer(t->f, 0, 2);
	for (i = 0; i < 300; i++) {
		step(t, 0);
		off = loop_next(off);
		EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(off));
	}
	assert_true(reg(t, 0, ARM64_R_X(20)) > 30); /* the handler ran, at full speed */
	/* 300 steps: the loop's 10 instructions 30 times, each exactly once */
	assert_int_equal(off, LOOP);
	assert_int_equal(reg(t, 0, ARM64_R_X(0)), 30);
	assert_int_equal(reg(t, 0, ARM64_R_X(1)), 30);
	assert_int_equal(reg(t, 0, ARM64_R_X(3)), 30);
	EXPECT_CODE_INTACT(t);
}

static void test_continue_from_a_breakpoint_with_the_timer_firing(void **state)
{
	struct t *t = *state;
	unsigned int i;

	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	assert_int_equal(insert(t, GDB_BP_SW, A(FUNC + 4), 4), 0);
	fake_timer(t->f, 0, 4);
	for (i = 0; i < 100; i++) {
		cont(t);
		EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(i % 2 ? FUNC + 4 : L_A));
		assert_int_equal(reg(t, 0, ARM64_R_X(1)), i / 2 + i % 2);
	}
	assert_true(reg(t, 0, ARM64_R_X(20)) > 10);
}

static void test_range_steps_with_the_timer_firing(void **state)
{
	struct t *t = *state;
	unsigned int i;

	fake_timer(t->f, 0, 1);
	set_pc(t, 0, LOOP);
	for (i = 0; i < 50; i++) {
		assert_int_equal(fake_gdb_range(t->f, 0, A(LOOP), A(L_STORE)), 0);
		EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(FUNC));
		assert_int_equal(reg(t, 0, ARM64_R_X(1)), i + 1);
		assert_int_equal(fake_gdb_range(t->f, 0, A(FUNC), A(FUNC + 8)), 0);
		EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(L_STORE));
		assert_int_equal(fake_gdb_range(t->f, 0, A(L_STORE), A(L_BACK + 4)), 0);
		EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(LOOP));
	}
	assert_true(reg(t, 0, ARM64_R_X(20)) > 20);
	EXPECT_CODE_INTACT(t);
}

/* next over a line whose branch has a breakpoint of gdb's: the range runs to the branch, steps
 * it, and must meet the breakpoint there, whenever the timer fires meanwhile. */
static void
test_range_step_meets_gdbs_breakpoint_on_the_branch_whenever_the_timer_fires(void **state)
{
	struct t *t = *state;
	unsigned int k;

	assert_int_equal(insert(t, GDB_BP_SW, A(L_CALL), 4), 0);
	for (k = 1; k <= 12; k++) {
		fake_set_reg(t->f, 0, ARM64_R_CNTV_CTL_EL0, 0);
		set_pc(t, 0, LOOP);
		fake_set_reg(t->f, 0, ARM64_R_X(3), 0);
		fake_timer(t->f, 0, k);
		assert_int_equal(fake_gdb_range(t->f, 0, A(LOOP), A(L_STORE)), 0);
		EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_CALL));
		assert_int_equal(reg(t, 0, ARM64_R_X(3)), 0); /* the call did not run */
		assert_int_equal(fake_peek32(t->f, A(L_CALL)), FAKE_BRK0);
	}
}

/* next from an hbreak, every slot in use (so the range is single-stepped), the timer firing:
 * the step off the first hbreak lifts hardware breakpoints for that instruction only; the
 * hbreak on the branch must still stop the range. */
static void
test_range_step_from_a_hbreak_meets_the_next_hbreak_whenever_the_timer_fires(void **state)
{
	struct t *t = *state;
	unsigned int k;

	assert_int_equal(insert(t, GDB_BP_HW, A(LOOP), 4), 0);
	assert_int_equal(insert(t, GDB_BP_HW, A(L_CALL), 4), 0);
	assert_int_equal(insert(t, GDB_BP_HW, A(0x700), 4), 0);
	assert_int_equal(insert(t, GDB_BP_HW, A(0x704), 4), 0);
	for (k = 1; k <= 12; k++) {
		fake_set_reg(t->f, 0, ARM64_R_CNTV_CTL_EL0, 0);
		set_pc(t, 0, START);
		fake_set_reg(t->f, 0, ARM64_R_X(3), 0);
		cont(t);
		EXPECT_STOP(t, GDB_STOP_HWBREAK, 0, A(LOOP));
		fake_timer(t->f, 0, k);
		assert_int_equal(fake_gdb_range(t->f, 0, A(LOOP), A(L_STORE)), 0);
		EXPECT_STOP(t, GDB_STOP_HWBREAK, 0, A(L_CALL));
		assert_int_equal(reg(t, 0, ARM64_R_X(3)), 0); /* the call did not run */
	}
}

/* The same with a watchpoint: the step off the hbreak lifts hardware debug for that one
 * instruction; a store later in the range, interrupted in its step, must still hit the watch. */
static void test_range_step_from_a_hbreak_meets_a_watch_whenever_the_timer_fires(void **state)
{
	struct t *t = *state;
	const uint32_t code[] = {
		fake_add(14, 14, 1),        FAKE_NOP, fake_str(0, 10, 0x10), FAKE_NOP,
		fake_b(A(0x810), A(0x800)),
	};
	const struct fake_stop *s;
	unsigned int k;

	fake_put(t->f, A(0x800), code, ARRAY_SIZE(code));
	assert_int_equal(insert(t, GDB_BP_HW, A(0x800), 4), 0);
	assert_int_equal(insert(t, GDB_BP_HW, A(0x700), 4), 0);
	assert_int_equal(insert(t, GDB_BP_HW, A(0x704), 4), 0);
	assert_int_equal(insert(t, GDB_BP_HW, A(0x708), 4), 0);
	assert_int_equal(insert(t, GDB_WP_WRITE, A(DATA + 0x10), 8), 0);
	for (k = 1; k <= 12; k++) {
		fake_set_reg(t->f, 0, ARM64_R_CNTV_CTL_EL0, 0);
		set_pc(t, 0, 0x7fc);
		cont(t);
		EXPECT_STOP(t, GDB_STOP_HWBREAK, 0, A(0x800));
		fake_timer(t->f, 0, k);
		assert_int_equal(fake_gdb_range(t->f, 0, A(0x800), A(0x810)), 0);
		s = next_stop(t, __LINE__);
		assert_int_equal(s->stop.reason, GDB_STOP_WATCH);
		assert_int_equal(s->pc, A(0x808));
		assert_int_equal(s->stop.addr, A(DATA + 0x10));
	}
}

static void test_smp_stepi_and_continue_with_timers_on_both(void **state)
{
	struct t *t = *state;
	unsigned int i, off[NCPU] = { LOOP, LOOP };

	fake_set_reg(t->f, 1, ARM64_R_PC, A(LOOP));
	set_pc(t, 0, LOOP);
	fake_timer(t->f, 0, 3);
	fake_timer(t->f, 1, 5);
	for (i = 0; i < 200; i++) {
		unsigned int cpu = (i / 3) % NCPU;

		step(t, cpu);
		off[cpu] = loop_next(off[cpu]);
		EXPECT_STOP(t, GDB_STOP_TRAP, cpu, A(off[cpu]));
		assert_int_equal(pc_of(t, !cpu), A(off[!cpu])); /* the other one stayed */
	}
	EXPECT_CODE_INTACT(t);
}

/* ======================================================= software breakpoints */

static void test_continue_from_a_breakpoint_hits_it_again_next_time_round(void **state)
{
	struct t *t = *state;
	unsigned int i;

	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	assert_int_equal(fake_peek32(t->f, A(L_A)), FAKE_BRK0);
	for (i = 0; i < 5; i++) {
		cont(t);
		EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
		assert_int_equal(reg(t, 0, ARM64_R_X(1)), i); /* not run yet */
		assert_int_equal(reg(t, 0, ARM64_R_X(0)), i + 1);
		assert_int_equal(fake_peek32(t->f, A(L_A)), FAKE_BRK0);
		assert_int_equal(read32(t, 0, A(L_A)), image[L_A / 4]);
	}
	assert_int_equal(remove_bp(t, GDB_BP_SW, A(L_A), 4), 0);
	EXPECT_CODE_INTACT(t);
}

static void test_continue_from_a_breakpoint_with_interrupts_coming(void **state)
{
	struct t *t = *state;
	unsigned int i;

	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
	for (i = 1; i <= 20; i++) {
		fake_raise(t->f, 0, FAKE_IRQ); /* lands in the step over the breakpoint */
		cont(t);
		EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
		assert_int_equal(reg(t, 0, ARM64_R_X(1)), i);
		assert_int_equal(reg(t, 0, ARM64_R_X(20)), i);
	}
	assert_int_equal(remove_bp(t, GDB_BP_SW, A(L_A), 4), 0);
	EXPECT_CODE_INTACT(t);
}

static void test_stepi_from_a_breakpoint(void **state)
{
	struct t *t = *state;

	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
	step(t, 0);
	EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(L_B));
	assert_int_equal(reg(t, 0, ARM64_R_X(1)), 1);
	assert_int_equal(fake_peek32(t->f, A(L_A)), FAKE_BRK0); /* back in place */
}

/* A vCPU put at a breakpoint's address (gdb's jump) has not hit it: a stepi meets it, and an
 * interrupt that comes first changes nothing about that. */
static void test_stepi_at_a_breakpoint_not_hit_meets_it(void **state)
{
	struct t *t = *state;

	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	set_pc(t, 0, L_A);
	step(t, 0);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
	assert_int_equal(reg(t, 0, ARM64_R_X(1)), 0);
}

static void test_stepi_at_a_breakpoint_not_hit_meets_it_with_an_irq(void **state)
{
	struct t *t = *state;

	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	set_pc(t, 0, L_A);
	fake_raise(t->f, 0, FAKE_IRQ);
	step(t, 0);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
	assert_int_equal(reg(t, 0, ARM64_R_X(1)), 0); /* not run past unseen */
	assert_int_equal(reg(t, 0, ARM64_R_X(20)), 1);
	assert_int_equal(fake_peek32(t->f, A(L_A)), FAKE_BRK0);
	assert_int_equal(fake_peek32(t->f, A(L_B)), image[L_B / 4]);
}

static void test_hbreak_hits_and_continues(void **state)
{
	struct t *t = *state;
	unsigned int i;

	assert_int_equal(insert(t, GDB_BP_HW, A(L_A), 4), 0);
	EXPECT_CODE_INTACT(t); /* no BRK for a hardware breakpoint */
	for (i = 0; i < 3; i++) {
		cont(t);
		EXPECT_STOP(t, GDB_STOP_HWBREAK, 0, A(L_A));
		assert_int_equal(reg(t, 0, ARM64_R_X(1)), i);
	}
	assert_int_equal(remove_bp(t, GDB_BP_HW, A(L_A), 4), 0);
	cont(t);
	EXPECT_NO_STOP(t, 2000);
	EXPECT_INTERRUPT(t);
}

static void test_hbreak_slots_run_out_and_come_back(void **state)
{
	struct t *t = *state;
	struct dbg_slots s;
	unsigned int i;

	for (i = 0; i < 4; i++)
		assert_int_equal(insert(t, GDB_BP_HW, A(0x700 + 4 * i), 4), 0);
	assert_int_equal(insert(t, GDB_BP_HW, A(0x710), 4), -ENOSPC);
	dbg_slots(t->d, &s);
	assert_int_equal(s.bp_used, 4);
	assert_int_equal(s.bp_total, 4);
	assert_int_equal(remove_bp(t, GDB_BP_HW, A(0x704), 4), 0);
	assert_int_equal(insert(t, GDB_BP_HW, A(0x710), 4), 0);
	assert_int_equal(insert(t, GDB_BP_HW, A(0x701), 4), -EINVAL); /* unaligned */
	assert_int_equal(insert(t, GDB_BP_SW, A(0x702), 4), -EINVAL);
	/* software breakpoints never take a slot */
	for (i = 0; i < 50; i++)
		assert_int_equal(insert(t, GDB_BP_SW, A(0x800 + 4 * i), 4), 0);
	dbg_slots(t->d, &s);
	assert_int_equal(s.bp_used, 4);
	assert_int_equal(s.nr_sw, 50);
}

/* gdb inserts a Z0 and a Z1 at one address (break and hbreak on the same line) and removes
 * them one by one: each removal takes away that one, the other stays. */
static void test_z0_and_z1_at_one_address_are_removed_one_by_one(void **state)
{
	struct t *t = *state;
	struct dbg_slots s;

	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	assert_int_equal(insert(t, GDB_BP_HW, A(L_A), 4), 0);
	assert_int_equal(remove_bp(t, GDB_BP_HW, A(L_A), 4), 0);
	dbg_slots(t->d, &s);
	assert_int_equal(s.bp_used, 0); /* the hbreak is gone */
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A)); /* the break stays */
	assert_int_equal(remove_bp(t, GDB_BP_SW, A(L_A), 4), 0);
	EXPECT_CODE_INTACT(t);
}

/* -------------------------------------------------------- the guest's BRKs */

static void test_guest_brk_goes_back_to_the_guest(void **state)
{
	struct t *t = *state;

	assert_int_equal(insert(t, GDB_BP_SW, A(GBRK_AFTER), 4), 0);
	set_pc(t, 0, GBRK);
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(GBRK_AFTER));
	assert_int_equal(reg(t, 0, ARM64_R_X(21)), 1); /* the guest's handler ran */
	assert_int_equal(reg(t, 0, ARM64_R_X(11)), ESR_GUEST_BRK);
	assert_int_equal(reg(t, 0, ARM64_R_X(4)), 1);
	assert_int_equal(reg(t, 0, ARM64_R_ELR_EL1), A(GBRK_AFTER));
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(GBRK_AFTER));
	assert_int_equal(reg(t, 0, ARM64_R_X(21)), 2);
	assert_int_equal(reg(t, 0, ARM64_R_X(5)), 1);
}

static void test_guest_brk_goes_back_with_only_a_hbreak_inserted(void **state)
{
	struct t *t = *state;

	assert_int_equal(insert(t, GDB_BP_HW, A(GBRK_AFTER), 4), 0);
	set_pc(t, 0, GBRK);
	cont(t);
	EXPECT_STOP(t, GDB_STOP_HWBREAK, 0, A(GBRK_AFTER));
	assert_int_equal(reg(t, 0, ARM64_R_X(21)), 1);
	assert_int_equal(reg(t, 0, ARM64_R_X(11)), ESR_GUEST_BRK);
}

static void test_gdb_wins_where_its_breakpoint_sits_on_a_guest_brk(void **state)
{
	struct t *t = *state;
	unsigned int i;

	assert_int_equal(insert(t, GDB_BP_SW, A(GBRK_BRK), 4), 0);
	assert_int_equal(read32(t, 0, A(GBRK_BRK)), fake_brk(GUEST_BRK_IMM));
	set_pc(t, 0, GBRK);
	for (i = 0; i < 3; i++) {
		cont(t);
		EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(GBRK_BRK));
		assert_int_equal(reg(t, 0, ARM64_R_X(4)), i + 1);
		assert_int_equal(reg(t, 0, ARM64_R_X(21)), i); /* continuing hands it back */
	}
	assert_int_equal(reg(t, 0, ARM64_R_X(11)), ESR_GUEST_BRK);
	assert_int_equal(remove_bp(t, GDB_BP_SW, A(GBRK_BRK), 4), 0);
	EXPECT_CODE_INTACT(t);
}

static void test_stepi_of_a_guest_brk_ends_on_its_vector(void **state)
{
	struct t *t = *state;

	set_pc(t, 0, GBRK_BRK);
	step(t, 0);
	EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(VEC + 0x200));
	assert_int_equal(reg(t, 0, ARM64_R_ELR_EL1), A(GBRK_BRK));
	assert_int_equal(reg(t, 0, ARM64_R_ESR_EL1), ESR_GUEST_BRK);
	assert_int_equal(reg(t, 0, ARM64_R_SPSR_EL1), ARM64_PSTATE_EL1h);
	assert_int_equal(reg(t, 0, ARM64_R_X(21)), 0);
}

/* ------------------------------------------------- breakpoints before the MMU */

static void mmu_setup(struct t *t)
{
	unsigned int i;

	assert_int_equal(fake_map(t->f, BASE, BASE, 0x90000), 0);
	assert_int_equal(fake_map(t->f, HI(0), BASE, 0x10000), 0);
	for (i = 0; i < NCPU; i++)
		fake_mmu(t->f, i, false);
	fake_set_reg(t->f, 0, ARM64_R_X(7), reg(t, 0, ARM64_R_SCTLR_EL1) | 1);
	fake_set_reg(t->f, 0, ARM64_R_X(8), HI(HI_CODE));
}

static void test_mmu_off_breakpoint_falls_back_to_a_hw_slot(void **state)
{
	struct t *t = *state;
	struct dbg_slots s;
	unsigned int i;

	mmu_setup(t);
	assert_int_equal(insert(t, GDB_BP_SW, HI(HI_CODE), 4), 0); /* does not translate yet */
	dbg_slots(t->d, &s);
	assert_int_equal(s.bp_used, 1);
	EXPECT_CODE_INTACT(t);
	set_pc(t, 0, MMU_ON);
	for (i = 0; i < 3; i++) {
		cont(t);
		EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, HI(HI_CODE)); /* gdb's Z0: a swbreak */
		assert_int_equal(reg(t, 0, ARM64_R_X(12)), i);
	}
	assert_int_equal(remove_bp(t, GDB_BP_SW, HI(HI_CODE), 4), 0);
	dbg_slots(t->d, &s);
	assert_int_equal(s.bp_used, 0);
	assert_int_equal(s.nr_sw, 0);
}

static void test_z1_where_a_z0_stands_in_a_slot_survives_the_z0s_removal(void **state)
{
	struct t *t = *state;
	struct dbg_slots s;

	mmu_setup(t);
	assert_int_equal(insert(t, GDB_BP_SW, HI(HI_CODE), 4), 0); /* a hardware slot */
	assert_int_equal(insert(t, GDB_BP_HW, HI(HI_CODE), 4), 0);
	assert_int_equal(remove_bp(t, GDB_BP_SW, HI(HI_CODE), 4), 0);
	dbg_slots(t->d, &s);
	assert_int_equal(s.bp_used, 1); /* the hbreak keeps its own */
	set_pc(t, 0, MMU_ON);
	cont(t);
	EXPECT_STOP(t, GDB_STOP_HWBREAK, 0, HI(HI_CODE));
	assert_int_equal(remove_bp(t, GDB_BP_HW, HI(HI_CODE), 4), 0);
	dbg_slots(t->d, &s);
	assert_int_equal(s.bp_used, 0);
}

static void test_mmu_off_breakpoint_without_a_free_slot_is_refused(void **state)
{
	struct t *t = *state;
	unsigned int i;

	mmu_setup(t);
	for (i = 0; i < 4; i++)
		assert_int_equal(insert(t, GDB_BP_HW, A(0x700 + 4 * i), 4), 0);
	assert_true(insert(t, GDB_BP_SW, HI(HI_CODE), 4) < 0);
	EXPECT_CODE_INTACT(t);
}

/* n[type]; a hardware slot standing in for a Z0 counts in n[4] */
static void fn_count_bp(void *opaque, const struct dbg_bp_info *bp)
{
	unsigned int *n = opaque;

	n[bp->type == DBG_BP_HW && bp->fallback ? 4 : bp->type]++;
}

static void test_breakpoint_listing_shows_the_kinds(void **state)
{
	struct t *t = *state;
	unsigned int n[5] = { 0 };

	mmu_setup(t);
	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	assert_int_equal(insert(t, GDB_BP_SW, HI(HI_CODE), 4), 0);
	assert_int_equal(insert(t, GDB_BP_HW, A(L_B), 4), 0);
	assert_int_equal(insert(t, GDB_WP_WRITE, A(DATA), 8), 0);
	dbg_for_each_bp(t->d, fn_count_bp, n);
	assert_int_equal(n[DBG_BP_SW], 1);
	assert_int_equal(n[DBG_BP_SW_HW], 1);
	assert_int_equal(n[DBG_BP_HW], 1);
	assert_int_equal(n[DBG_BP_WATCH], 1);
	assert_int_equal(n[4], 1);
}

/* ============================================================== watchpoints */

static void test_write_watch_stops_at_the_store_and_runs_it_once(void **state)
{
	struct t *t = *state;
	const struct fake_stop *s;
	unsigned int i;

	assert_int_equal(insert(t, GDB_WP_WRITE, A(DATA), 8), 0);
	for (i = 1; i <= 3; i++) {
		cont(t);
		s = next_stop(t, __LINE__);
		assert_int_equal(s->stop.reason, GDB_STOP_WATCH);
		assert_int_equal(s->stop.cpu, 0);
		assert_int_equal(s->stop.addr, A(DATA));
		assert_int_equal(s->pc, A(L_STORE)); /* the store has not run */
		assert_int_equal(*(uint64_t *)fake_ram(t->f, A(DATA), 8), i - 1);
		assert_int_equal(reg(t, 0, ARM64_R_X(0)), i);
	}
}

static void test_read_and_access_watches(void **state)
{
	struct t *t = *state;
	const struct fake_stop *s;

	assert_int_equal(insert(t, GDB_WP_READ, A(DATA + 8), 8), 0);
	cont(t);
	s = next_stop(t, __LINE__);
	assert_int_equal(s->stop.reason, GDB_STOP_RWATCH);
	assert_int_equal(s->stop.addr, A(DATA + 8));
	assert_int_equal(s->pc, A(L_LOAD));
	assert_int_equal(remove_bp(t, GDB_WP_READ, A(DATA + 8), 8), 0);
	assert_int_equal(insert(t, GDB_WP_ACCESS, A(DATA), 16), 0);
	cont(t);
	s = next_stop(t, __LINE__);
	assert_int_equal(s->stop.reason, GDB_STOP_AWATCH);
	assert_int_equal(s->pc, A(L_STORE));
	assert_int_equal(s->stop.addr, A(DATA));
	cont(t);
	s = next_stop(t, __LINE__);
	assert_int_equal(s->stop.reason, GDB_STOP_AWATCH);
	assert_int_equal(s->pc, A(L_LOAD));
	assert_int_equal(s->stop.addr, A(DATA + 8));
}

static void test_watch_of_a_field_inside_the_word_names_the_field(void **state)
{
	struct t *t = *state;
	const struct fake_stop *s;

	assert_int_equal(insert(t, GDB_WP_WRITE, A(DATA + 3), 2), 0);
	cont(t);
	s = next_stop(t, __LINE__);
	assert_int_equal(s->stop.reason, GDB_STOP_WATCH);
	assert_int_equal(s->stop.addr, A(DATA + 3)); /* FAR is the word: the watch is named */
	assert_int_equal(s->pc, A(L_STORE));
}

static void test_watch_slots_run_out_and_come_back(void **state)
{
	struct t *t = *state;
	struct dbg_slots s;
	unsigned int i;

	for (i = 0; i < 4; i++)
		assert_int_equal(insert(t, GDB_WP_WRITE, A(DATA + 0x100 + 16 * i), 8), 0);
	assert_int_equal(insert(t, GDB_WP_WRITE, A(DATA + 0x200), 8), -ENOSPC);
	dbg_slots(t->d, &s);
	assert_int_equal(s.wp_used, 4);
	assert_int_equal(s.wp_total, 4);
	assert_int_equal(s.nr_watch, 4);
	assert_int_equal(remove_bp(t, GDB_WP_WRITE, A(DATA + 0x110), 8), 0);
	/* across a word boundary: two slots, one is free */
	assert_int_equal(insert(t, GDB_WP_WRITE, A(DATA + 0x204), 8), -ENOSPC);
	dbg_slots(t->d, &s);
	assert_int_equal(s.wp_used, 3);
	assert_int_equal(remove_bp(t, GDB_WP_WRITE, A(DATA + 0x120), 8), 0);
	assert_int_equal(insert(t, GDB_WP_WRITE, A(DATA + 0x204), 8), 0);
	dbg_slots(t->d, &s);
	assert_int_equal(s.wp_used, 4);
	assert_int_equal(s.nr_watch, 3);
	/* removing what is not there changes nothing */
	assert_int_equal(remove_bp(t, GDB_WP_WRITE, A(DATA + 0x500), 8), 0);
	assert_int_equal(remove_bp(t, GDB_WP_READ, A(DATA + 0x100), 8), 0);
	dbg_slots(t->d, &s);
	assert_int_equal(s.wp_used, 4);
	/* 24 bytes take 16 + 8 */
	for (i = 0; i < 4; i++) {
		remove_bp(t, GDB_WP_WRITE, A(DATA + 0x100 + 16 * i), 8);
		remove_bp(t, GDB_WP_WRITE, A(DATA + 0x204), 8);
	}
	dbg_slots(t->d, &s);
	assert_int_equal(s.wp_used, 0);
	assert_int_equal(insert(t, GDB_WP_WRITE, A(DATA + 0x300), 24), 0);
	dbg_slots(t->d, &s);
	assert_int_equal(s.wp_used, 2);
	assert_int_equal(insert(t, GDB_WP_WRITE, A(DATA), 0), -EINVAL);
}

static void test_removed_watch_no_longer_stops(void **state)
{
	struct t *t = *state;

	assert_int_equal(insert(t, GDB_WP_WRITE, A(DATA), 8), 0);
	cont(t);
	EXPECT_STOP(t, GDB_STOP_WATCH, 0, A(L_STORE));
	assert_int_equal(remove_bp(t, GDB_WP_WRITE, A(DATA), 8), 0);
	cont(t);
	EXPECT_NO_STOP(t, 3000);
	EXPECT_INTERRUPT(t);
	assert_true(reg(t, 0, ARM64_R_X(0)) > 10);
}

/* ==================================================================== SMP */

/* Both vCPUs run the loop; a breakpoint in it. gdb's own way: remove, step the thread that
 * stopped alone, insert again, continue. Every pass of each vCPU through the breakpoint must
 * be reported exactly once: x1 counts the passes. */
static void test_smp_shared_loop_loses_no_hit(void **state)
{
	struct t *t = *state;
	uint64_t passes[NCPU] = { 0 };
	unsigned int i, j;

	fake_set_reg(t->f, 1, ARM64_R_PC, A(START));
	fake_set_latency(t->f, 3);
	fake_set_kick_every(t->f, 7);
	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	for (i = 0; i < 60; i++) {
		const struct fake_stop *s;

		if (i % 7 == 3)
			fake_raise(t->f, i % 2, FAKE_IRQ);
		cont(t);
		s = next_stop(t, __LINE__);
		assert_int_equal(s->stop.reason, GDB_STOP_SWBREAK);
		assert_int_equal(s->pc, A(L_A));
		assert_int_equal(reg(t, s->stop.cpu, ARM64_R_X(1)), passes[s->stop.cpu]);
		passes[s->stop.cpu]++;
		if (i % 3 == 0) { /* gdb steps the thread off its breakpoint itself */
			assert_int_equal(remove_bp(t, GDB_BP_SW, A(L_A), 4), 0);
			step(t, s->stop.cpu);
			EXPECT_STOP(t, GDB_STOP_TRAP, s->stop.cpu, A(L_B));
			assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
		}
	}
	for (j = 0; j < NCPU; j++)
		assert_true(passes[j] > 10);
}

/* The regression: two vCPUs stop on the breakpoint together; gdb hears of one, steps it alone;
 * the other's stop is kept and reported when gdb next resumes it, instead of running it. */
static void test_smp_kept_stop_is_reported_when_its_vcpu_resumes(void **state)
{
	struct t *t = *state;
	uint64_t insns1;

	fake_set_reg(t->f, 1, ARM64_R_PC, A(LOOP));
	fake_set_reg(t->f, 0, ARM64_R_PC, A(LOOP));
	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
	assert_true(dbg_cpu_has_stop(t->d, 1));
	assert_int_equal(pc_of(t, 1), A(L_A));
	insns1 = fake_insns(t->f, 1);
	step(t, 0);
	EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(L_B));
	assert_int_equal(fake_insns(t->f, 1), insns1);
	assert_true(dbg_cpu_has_stop(t->d, 1));
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 1, A(L_A)); /* the kept one, before anything runs */
	assert_int_equal(reg(t, 1, ARM64_R_X(1)), 0);
	assert_false(dbg_cpu_has_stop(t->d, 1));
	cont(t);
	next_stop(t, __LINE__);
}

/* A kept stop whose breakpoint gdb removed meanwhile is dropped: the vCPU runs on. */
static void test_smp_kept_stop_of_a_removed_breakpoint_is_dropped(void **state)
{
	struct t *t = *state;

	fake_set_reg(t->f, 1, ARM64_R_PC, A(LOOP));
	fake_set_reg(t->f, 0, ARM64_R_PC, A(LOOP));
	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
	assert_int_equal(remove_bp(t, GDB_BP_SW, A(L_A), 4), 0);
	assert_int_equal(insert(t, GDB_BP_HW, A(FUNC), 4), 0);
	cont(t);
	next_stop(t, __LINE__);
	assert_int_equal(fake_stop(t->f, t->seen - 1)->stop.reason, GDB_STOP_HWBREAK);
	assert_int_equal(fake_stop(t->f, t->seen - 1)->pc, A(FUNC));
}

/* A kept swbreak stop whose Z0 gdb swapped for a Z1 at the same address is not reported as a
 * swbreak (gdb would find no Z0 there: a SIGTRAP out of nowhere; found by the debugger
 * fuzzer): it is dropped, and the vCPU meets the hardware breakpoint, a hwbreak. */
static void test_smp_kept_swbreak_under_a_z1_is_a_hwbreak(void **state)
{
	struct t *t = *state;

	fake_set_reg(t->f, 1, ARM64_R_PC, A(LOOP));
	fake_set_reg(t->f, 0, ARM64_R_PC, A(LOOP));
	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
	assert_true(dbg_cpu_has_stop(t->d, 1));
	assert_int_equal(remove_bp(t, GDB_BP_SW, A(L_A), 4), 0);
	assert_int_equal(insert(t, GDB_BP_HW, A(L_A), 4), 0);
	fake_set_reg(t->f, 0, ARM64_R_PC, A(FUNC)); /* cpu0 away from it */
	cont(t);
	next_stop(t, __LINE__);
	assert_int_equal(fake_stop(t->f, t->seen - 1)->stop.reason, GDB_STOP_HWBREAK);
	assert_int_equal(fake_stop(t->f, t->seen - 1)->pc, A(L_A));
}

/* The other regression: a vCPU that was only paused at a breakpoint's address (all-stop
 * held it there when another vCPU stopped) has not hit it, and must when it runs. */
static void test_smp_vcpu_paused_at_a_breakpoint_hits_it_when_resumed(void **state)
{
	struct t *t = *state;

	fake_set_reg(t->f, 0, ARM64_R_PC, A(L_A));
	fake_set_reg(t->f, 1, ARM64_R_PC, A(L_B));
	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	assert_int_equal(insert(t, GDB_BP_SW, A(L_C), 4), 0);
	cont(t); /* cpu0 hits L_A at once; cpu1 runs L_B and is held at L_C */
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
	assert_int_equal(pc_of(t, 1), A(L_C));
	assert_false(dbg_cpu_has_stop(t->d, 1));
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 1, A(L_C));
	assert_int_equal(reg(t, 1, ARM64_R_X(3)), 0); /* it did not run on past it */
}

/* A vCPU that hit a breakpoint, was moved away by gdb (jump), ran and came back to the
 * breakpoint only to be held there by another vCPU's stop, has not hit it again: the next
 * continue must meet it, not step over it on the strength of the old hit. */
static void test_smp_vcpu_back_at_its_old_breakpoint_after_a_jump_hits_it(void **state)
{
	struct t *t = *state;

	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
	set_pc(t, 0, L_STORE);                                 /* jump */
	assert_int_equal(insert(t, GDB_BP_SW, A(SPIN), 4), 0); /* vCPU 1 stops at once */
	fake_set_latency(t->f, 4); /* the main loop sees it once vCPU 0 is back at L_A */
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 1, A(SPIN));
	assert_int_equal(pc_of(t, 0), A(L_A));
	assert_int_equal(remove_bp(t, GDB_BP_SW, A(SPIN), 4), 0);
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
	assert_int_equal(reg(t, 0, ARM64_R_X(1)), 0); /* not run past unseen */
}

/* Ctrl-C while gdb runs one thread alone (a range step of vCPU 1 that never leaves its spin
 * loop, the others held): the stop names that thread, never a held one (gdb 13 asserts in
 * finish_step_over when a step-over's stop names another thread). */
static void test_smp_interrupt_names_the_vcpu_gdb_let_run(void **state)
{
	struct t *t = *state;
	const struct fake_stop *s;

	assert_int_equal(fake_gdb_range(t->f, 1, A(SPIN), A(SPIN) + 4), 0);
	EXPECT_NO_STOP(t, 500);
	s = interrupt(t, __LINE__);
	assert_int_equal(s->stop.reason, GDB_STOP_INTERRUPT);
	assert_int_equal(s->stop.cpu, 1);
	assert_int_equal(pc_of(t, 1), A(SPIN));
}

#define LOCKVEC 0x4000 /* a vector table whose IRQ handler spins on DATA+16 */
#define SETTER 0x3800  /* movz x14, #1; str x14, [x10, #16]; b L_A */

/* LOCKVEC and SETTER in RAM, and vCPU 0's interrupts taken at LOCKVEC: its handler spins
 * until DATA+16 is set, and SETTER sets it. */
static void put_lock_handler(struct t *t)
{
	const uint32_t handler[] = {
		fake_ldr(13, 10, 16),
		fake_cbz(13, A(LOCKVEC + 0x284), A(LOCKVEC + 0x280)),
		fake_add(20, 20, 1),
		FAKE_ERET,
	};
	const uint32_t setter[] = {
		fake_movz(14, 1, 0),
		fake_str(14, 10, 16),
		fake_b(A(SETTER + 8), A(L_A)),
	};
	uint32_t spin;
	unsigned int off;

	for (off = 0; off < 0x800; off += 4) {
		spin = fake_b(A(LOCKVEC + off), A(LOCKVEC + off));
		fake_put(t->f, A(LOCKVEC + off), &spin, 1);
	}
	fake_put(t->f, A(LOCKVEC + 0x280), handler, ARRAY_SIZE(handler));
	fake_put(t->f, A(SETTER), setter, ARRAY_SIZE(setter));
	fake_set_reg(t->f, 0, ARM64_R_VBAR_EL1, A(LOCKVEC));
}

/* A step whose interrupt handler waits for a held vCPU (as Linux's timer interrupt waits on
 * the timekeeping seqcount another CPU is writing): vCPU 0 steps alone, its handler spins
 * until DATA+16 is set, and only vCPU 1 (held) sets it. The step cannot end until the
 * debugger's clock lets vCPU 1 run (dbg_tick, DBG_RELEASE_TICKS); then it ends where it
 * would have, and vCPU 1, which runs on into the stepper's catch point, waits there instead
 * of getting a BRK of ours as its own. */
static void test_smp_step_whose_handler_waits_for_a_held_vcpu(void **state)
{
	struct t *t = *state;
	const struct fake_stop *s;
	unsigned int i;

	put_lock_handler(t);
	fake_set_reg(t->f, 1, ARM64_R_PC, A(SETTER));
	set_pc(t, 0, LOOP);
	fake_raise(t->f, 0, FAKE_IRQ);
	assert_int_equal(fake_gdb_step(t->f, 0), 0);
	EXPECT_NO_STOP(t, 3000); /* the handler spins; vCPU 1 is held */
	assert_int_equal(pc_of(t, 1), A(SETTER));
	for (i = 0; i + 1 < DBG_RELEASE_TICKS; i++)
		dbg_tick(t->d);
	EXPECT_NO_STOP(t, 3000); /* not yet */
	assert_int_equal(pc_of(t, 1), A(SETTER));
	dbg_tick(t->d);
	s = next_stop(t, __LINE__);
	assert_int_equal(s->stop.reason, GDB_STOP_TRAP);
	assert_int_equal(s->stop.cpu, 0);
	assert_int_equal(s->pc, A(L_A)); /* the interrupted add ran, once */
	assert_int_equal(reg(t, 0, ARM64_R_X(20)), 1);
	assert_int_equal(reg(t, 1, ARM64_R_X(14)), 1);
	assert_int_equal(reg(t, 1, ARM64_R_X(21)), 0); /* no BRK handed to vCPU 1 as its own */
	assert_int_not_equal(pc_of(t, 1), A(SETTER));
	EXPECT_CODE_INTACT(t);
	/* and a step that ends in time never lets the others move */
	fake_set_reg(t->f, 1, ARM64_R_PC, A(SPIN));
	for (i = 0; i < 5; i++) {
		step(t, 0);
		EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(i == 0 ? L_B : i == 1 ? L_C : i == 2 ? L_CALL : i == 3 ? FUNC : FUNC + 4));
		dbg_tick(t->d);
		dbg_tick(t->d);
		assert_int_equal(pc_of(t, 1), A(SPIN));
	}
}

/* The same wait, in a step off a breakpoint: gdb steps one task off a breakpoint that is
 * another task's (a thread-specific one, as `next` and `advance` set), with it taken out.
 * vCPU 1, released meanwhile, comes by that address: it waits there, and once gdb has put
 * the breakpoint back, the next continue reports vCPU 1 on it. Without that it would run
 * through, and a `next` waiting for it would never end. */
static void test_smp_released_vcpus_wait_at_the_breakpoint_being_stepped_off(void **state)
{
	struct t *t = *state;
	const struct fake_stop *s;
	unsigned int i;

	put_lock_handler(t);
	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
	/* gdb steps vCPU 0 off it; an interrupt's handler waits for vCPU 1 */
	assert_int_equal(remove_bp(t, GDB_BP_SW, A(L_A), 4), 0);
	set_pc(t, 1, SETTER);
	fake_raise(t->f, 0, FAKE_IRQ);
	step(t, 0);
	EXPECT_NO_STOP(t, 3000);
	for (i = 0; i < DBG_RELEASE_TICKS; i++)
		dbg_tick(t->d);
	s = next_stop(t, __LINE__);
	assert_int_equal(s->stop.reason, GDB_STOP_TRAP);
	assert_int_equal(s->stop.cpu, 0);
	assert_int_equal(s->pc, A(L_B));
	assert_int_equal(reg(t, 0, ARM64_R_X(1)), 1);
	assert_int_equal(reg(t, 1, ARM64_R_X(14)), 1); /* vCPU 1 ran, */
	assert_int_equal(pc_of(t, 1), A(L_A));	       /* up to the breakpoint's address */
	assert_int_equal(reg(t, 1, ARM64_R_X(1)), 0);  /* and not through it */
	/* gdb puts the breakpoint back and continues everyone: vCPU 1 is on it */
	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 1, A(L_A));
	assert_int_equal(reg(t, 1, ARM64_R_X(1)), 0);
	assert_int_equal(remove_bp(t, GDB_BP_SW, A(L_A), 4), 0);
	EXPECT_CODE_INTACT(t);
	/* the hold was for that step only: the next ones run past L_A */
	for (i = 0; i < 3; i++) {
		step(t, 1);
		next_stop(t, __LINE__);
	}
	assert_int_equal(reg(t, 1, ARM64_R_X(1)), 1);
}

/* The same, in the debugger's own step off a breakpoint (a continue from one): the step ends
 * while vCPU 1, released, is still on its way to that breakpoint. When it gets there, it
 * meets gdb's breakpoint, not a hold left over from the step. */
#define SETTER_FAR 0x3900 /* as SETTER, with FAR_NOPS NOPs before its b L_A */
#define FAR_NOPS 8

static void test_smp_released_vcpu_meets_the_breakpoint_after_the_step_off(void **state)
{
	struct t *t = *state;
	uint32_t setter[FAR_NOPS + 3];
	unsigned int i;

	setter[0] = fake_movz(14, 1, 0);
	setter[1] = fake_str(14, 10, 16);
	for (i = 2; i < FAR_NOPS + 2; i++)
		setter[i] = FAKE_NOP;
	setter[i] = fake_b(A(SETTER_FAR + 4 * i), A(L_A));
	put_lock_handler(t);
	fake_put(t->f, A(SETTER_FAR), setter, ARRAY_SIZE(setter));
	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
	set_pc(t, 1, SETTER_FAR);
	fake_raise(t->f, 0, FAKE_IRQ);
	cont(t); /* vCPU 0 steps off L_A first, alone; its handler waits for vCPU 1 */
	EXPECT_NO_STOP(t, 3000);
	for (i = 0; i < DBG_RELEASE_TICKS; i++)
		dbg_tick(t->d);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 1, A(L_A));
	assert_int_equal(reg(t, 1, ARM64_R_X(14)), 1);
	assert_int_equal(reg(t, 1, ARM64_R_X(1)), 0);
	assert_int_equal(remove_bp(t, GDB_BP_SW, A(L_A), 4), 0);
	EXPECT_CODE_INTACT(t);
}

static void test_smp_vcpu_interrupted_at_a_breakpoint_hits_it_when_resumed(void **state)
{
	struct t *t = *state;

	cont(t);
	EXPECT_NO_STOP(t, 500);
	EXPECT_INTERRUPT(t);
	assert_int_equal(pc_of(t, 1), A(SPIN));
	assert_int_equal(insert(t, GDB_BP_SW, A(SPIN), 4), 0);
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 1, A(SPIN));
	/* and with a hardware breakpoint */
	assert_int_equal(remove_bp(t, GDB_BP_SW, A(SPIN), 4), 0);
	cont(t);
	EXPECT_NO_STOP(t, 500);
	EXPECT_INTERRUPT(t);
	assert_int_equal(insert(t, GDB_BP_HW, A(SPIN), 4), 0);
	cont(t);
	EXPECT_STOP(t, GDB_STOP_HWBREAK, 1, A(SPIN));
}

static void test_smp_stepping_one_vcpu_holds_the_other(void **state)
{
	struct t *t = *state;
	struct gdb_resume r = { .def = { .kind = GDB_ACT_CONTINUE }, .nr = 1 };

	/* vCont;s:1;c: gdb asks the others to continue, all-stop holds them */
	fake_set_reg(t->f, 1, ARM64_R_PC, A(LOOP));
	r.cpus[0].cpu = 0;
	r.cpus[0].act.kind = GDB_ACT_STEP;
	set_pc(t, 0, LOOP);
	assert_int_equal(fake_gdb_resume(t->f, &r), 0);
	EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(L_A));
	assert_int_equal(fake_insns(t->f, 1), 0);
}

static void test_interrupt_stops_every_vcpu_once(void **state)
{
	struct t *t = *state;
	unsigned int i;

	fake_set_reg(t->f, 1, ARM64_R_PC, A(START));
	for (i = 0; i < 5; i++) {
		cont(t);
		EXPECT_NO_STOP(t, 300);
		assert_true(fake_running(t->f, 0) && fake_running(t->f, 1));
		EXPECT_INTERRUPT(t);
	}
	EXPECT_NO_STOP(t, 300);
}

/* ======================================================= detach, kill, attach */

static void insert_everything(struct t *t)
{
	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	assert_int_equal(insert(t, GDB_BP_SW, A(FUNC), 4), 0);
	assert_int_equal(insert(t, GDB_BP_SW, A(GBRK_BRK), 4), 0);
	assert_int_equal(insert(t, GDB_BP_HW, A(L_C), 4), 0);
	assert_int_equal(insert(t, GDB_WP_WRITE, A(DATA), 8), 0);
}

static void expect_all_gone(struct t *t, int line)
{
	struct dbg_slots s;

	expect_code_intact_at(t, line);
	dbg_slots(t->d, &s);
	if (s.bp_used || s.wp_used || s.nr_sw || s.nr_watch)
		fail_msg("line %d: breakpoints left after detach", line);
	/* the guest runs on, with debug off once each vCPU ran */
	fake_clear_history(t->f);
	expect_no_stop_at(t, 3000, line);
	if (!fake_running(t->f, 0) || !fake_running(t->f, 1))
		fail_msg("line %d: a vCPU does not run after detach", line);
	expect_debug_off_at(t, line);
	if (dbg_gdb_state(t->d) != DBG_GDB_NONE)
		fail_msg("line %d: gdb state %d after detach", line, dbg_gdb_state(t->d));
}

static void test_detach_leaves_no_brk_and_no_debug_state(void **state)
{
	struct t *t = *state;

	insert_everything(t);
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
	assert_int_equal(fake_gdb_detach(t->f), 0);
	expect_all_gone(t, __LINE__);
}

static void test_detach_while_gdb_waits(void **state)
{
	struct t *t = *state;

	insert_everything(t);
	fake_set_reg(t->f, 1, ARM64_R_PC, A(START));
	cont(t);
	fake_run(t->f, 3); /* cpu0 on its way, gdb waits */
	assert_true(fake_gdb_waiting(t->f));
	assert_int_equal(fake_gdb_detach(t->f), 0);
	expect_all_gone(t, __LINE__);
}

static void test_detach_in_the_middle_of_a_caught_step(void **state)
{
	struct t *t = *state;

	insert_everything(t);
	set_pc(t, 0, LOOP);
	fake_raise(t->f, 0, FAKE_IRQ);
	step(t, 0);
	fake_run(t->f, 2); /* the step ended on the vector: catch points are planted */
	assert_int_equal(fake_nr_stops(t->f), t->seen);
	assert_int_equal(fake_gdb_detach(t->f), 0);
	expect_all_gone(t, __LINE__);
}

static void on_kill(void *opaque)
{
	((struct t *)opaque)->kills++;
}

static void test_kill_calls_the_hook_and_leaves_no_brk(void **state)
{
	struct t *t = *state;

	dbg_set_kill(t->d, on_kill, t);
	insert_everything(t);
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
	fake_gdb_kill(t->f);
	assert_int_equal(t->kills, 1);
	EXPECT_CODE_INTACT(t);
	expect_no_stop_at(t, 1000, __LINE__);
	expect_debug_off_at(t, __LINE__);
}

static void test_attach_again_after_detach(void **state)
{
	struct t *t = *state;

	insert_everything(t);
	assert_int_equal(fake_gdb_detach(t->f), 0);
	expect_all_gone(t, __LINE__);
	dbg_attach(t->d); /* a new gdb: the guest stops where it is */
	assert_false(fake_any_running(t->f));
	EXPECT_NO_STOP(t, 100);
	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
}

static void test_attach_to_a_running_guest_stops_it(void **state)
{
	struct t *t = *state;

	assert_int_equal(fake_gdb_detach(t->f), 0);
	fake_run(t->f, 100);
	assert_true(fake_running(t->f, 0));
	dbg_attach(t->d);
	assert_false(fake_any_running(t->f));
	assert_int_equal(dbg_gdb_state(t->d), DBG_GDB_HOLDS);
	EXPECT_NO_STOP(t, 100);
}

static void test_gdb_state_follows_the_session(void **state)
{
	struct t *t = *state;

	assert_int_equal(fake_gdb_detach(t->f), 0);
	assert_int_equal(dbg_gdb_state(t->d), DBG_GDB_NONE);
	fake_cpu_ops.pause_all(t->f);
	dbg_set_wait(t->d, true); /* -S */
	assert_int_equal(dbg_gdb_state(t->d), DBG_GDB_WAITING);
	dbg_attach(t->d);
	assert_int_equal(dbg_gdb_state(t->d), DBG_GDB_HOLDS);
	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	cont(t);
	assert_int_equal(dbg_gdb_state(t->d), DBG_GDB_RUNNING);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
	assert_int_equal(dbg_gdb_state(t->d), DBG_GDB_HOLDS);
	assert_int_equal(fake_gdb_detach(t->f), 0);
	assert_int_equal(dbg_gdb_state(t->d), DBG_GDB_NONE);
}

static void test_guest_exit_is_told_to_gdb_once(void **state)
{
	struct t *t = *state;
	const struct fake_stop *s;

	cont(t);
	EXPECT_NO_STOP(t, 100);
	dbg_on_guest_exit(t->d, 3);
	assert_int_equal(fake_nr_stops(t->f), t->seen + 1);
	s = fake_stop(t->f, t->seen++);
	assert_int_equal(s->stop.reason, GDB_STOP_EXITED);
	assert_int_equal(s->stop.code, 3);
	assert_int_equal(fake_gdb_detach(t->f), 0);
	dbg_on_guest_exit(t->d, 0); /* no gdb: nobody to tell */
	assert_int_equal(fake_nr_stops(t->f), t->seen);
}

static void test_a_powered_off_vcpu_stays_out_of_the_way(void **state)
{
	struct t *t = *state;
	char buf[64];

	fake_set_powered_off(t->f, 1, true);
	assert_true(dbg_gdb_ops.cpu_describe(t->d, 1, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "off"));
	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
	cont(t);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
	assert_int_equal(fake_insns(t->f, 1), 0);
}

/* ================================================================== memory */

static void test_reads_never_show_our_brks(void **state)
{
	struct t *t = *state;
	uint8_t buf[24];

	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	assert_int_equal(insert(t, GDB_BP_SW, A(L_C), 4), 0);
	assert_int_equal(fake_peek32(t->f, A(L_A)), FAKE_BRK0);
	assert_int_equal(dbg_gdb_ops.read_mem(t->d, 0, A(START), buf, sizeof(buf)), sizeof(buf));
	assert_memory_equal(buf, image, sizeof(buf));
	assert_int_equal(dbg_gdb_ops.read_mem(t->d, 0, A(L_A + 2), buf, 1), 1);
	assert_int_equal(buf[0], ((uint8_t *)image)[L_A + 2]);
	assert_int_equal(dbg_read_phys(t->d, A(START), buf, sizeof(buf)), sizeof(buf));
	assert_memory_equal(buf, image, sizeof(buf));
	assert_int_equal(dbg_read_mem(t->d, 1, A(START), buf, sizeof(buf)), sizeof(buf));
	assert_memory_equal(buf, image, sizeof(buf));
	assert_int_equal(dbg_read_phys(t->d, 0x1000, buf, 4), 0); /* not RAM */
	assert_int_equal(dbg_read_phys(t->d, A(RAM_SIZE - 2), buf, 4), 2);
	assert_int_equal(dbg_gdb_ops.read_mem(t->d, 0, 0x1000, buf, 4), -EFAULT);
}

static void test_writes_under_a_breakpoint_change_what_it_restores(void **state)
{
	struct t *t = *state;
	uint32_t nop = FAKE_NOP, w;
	uint16_t half = 0x1234;
	uint8_t buf[8];

	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	assert_int_equal(dbg_gdb_ops.write_mem(t->d, 0, A(L_A), &nop, 4), 0);
	assert_int_equal(fake_peek32(t->f, A(L_A)), FAKE_BRK0);
	assert_int_equal(read32(t, 0, A(L_A)), FAKE_NOP);
	/* half of it, and a write straddling it */
	assert_int_equal(dbg_gdb_ops.write_mem(t->d, 0, A(L_A + 2), &half, 2), 0);
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(dbg_gdb_ops.write_mem(t->d, 0, A(L_A - 2), buf, 4), 0);
	assert_int_equal(fake_peek32(t->f, A(L_A)), FAKE_BRK0);
	w = read32(t, 0, A(L_A));
	assert_int_equal(w, 0x1234aaaau);
	assert_int_equal(remove_bp(t, GDB_BP_SW, A(L_A), 4), 0);
	assert_int_equal(fake_peek32(t->f, A(L_A)), 0x1234aaaau);
	assert_int_equal(fake_peek32(t->f, A(LOOP)) >> 16, 0xaaaa);
}

static void test_memory_through_page_tables_and_holes(void **state)
{
	struct t *t = *state;
	uint8_t buf[32];

	mmu_setup(t);
	fake_mmu(t->f, 0, true);
	assert_int_equal(dbg_gdb_ops.read_mem(t->d, 0, HI(L_A), buf, 4), 4);
	assert_memory_equal(buf, &image[L_A / 4], 4);
	/* across the end of the high mapping: the bytes before the hole */
	assert_int_equal(dbg_gdb_ops.read_mem(t->d, 0, HI(0x10000 - 8), buf, 16), 8);
	assert_int_equal(dbg_gdb_ops.read_mem(t->d, 0, HI(0x10000), buf, 4), -EFAULT);
	assert_int_equal(dbg_gdb_ops.write_mem(t->d, 0, HI(0x10000 - 2), buf, 4), -EFAULT);
	/* two aliases of one instruction: the BRK stays while one of them is inserted */
	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	assert_int_equal(insert(t, GDB_BP_SW, HI(L_A), 4), 0);
	assert_int_equal(read32(t, 0, HI(L_A)), image[L_A / 4]);
	assert_int_equal(remove_bp(t, GDB_BP_SW, A(L_A), 4), 0);
	assert_int_equal(fake_peek32(t->f, A(L_A)), FAKE_BRK0);
	assert_int_equal(remove_bp(t, GDB_BP_SW, HI(L_A), 4), 0);
	EXPECT_CODE_INTACT(t);
	/* vCPU 1 has its MMU off: the high address is nothing to it */
	assert_int_equal(dbg_gdb_ops.read_mem(t->d, 1, HI(L_A), buf, 4), -EFAULT);
}

/* =============================================================== registers */

static void test_registers_by_gdb_number(void **state)
{
	struct t *t = *state;
	uint64_t v = 0, pstate;
	uint32_t cpsr = 0;
	int vbar = arm64_gdb_reg_by_name("VBAR_EL1");

	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_PC, &v), 0);
	assert_int_equal(v, A(START));
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 1, ARM64_GDB_PC, &v), 0);
	assert_int_equal(v, A(SPIN));
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_SP, &v), 0);
	assert_int_equal(v, SP_TOP(0)); /* EL1h: sp is SP_EL1 */
	assert_true(vbar > 0);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, (unsigned int)vbar, &v), 0);
	assert_int_equal(v, A(VEC));
	v = 0x1234;
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, 0, 5, &v), 0);
	assert_int_equal(reg(t, 0, ARM64_R_X(5)), 0x1234);
	/* cpsr is 32 bits to gdb; the upper half of PSTATE stays */
	fake_set_reg(t->f, 0, ARM64_R_PSTATE, ARM64_PSTATE_EL1h | (1ull << 33));
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_CPSR, &cpsr), 0);
	assert_int_equal(cpsr, ARM64_PSTATE_EL1h);
	cpsr |= ARM64_PSTATE_I;
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, 0, ARM64_GDB_CPSR, &cpsr), 0);
	pstate = reg(t, 0, ARM64_R_PSTATE);
	assert_int_equal(pstate, ARM64_PSTATE_EL1h | ARM64_PSTATE_I | (1ull << 33));
	/* a register written before a step is the one the guest runs with */
	v = A(FUNC);
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, 0, ARM64_GDB_PC, &v), 0);
	step(t, 0);
	EXPECT_STOP(t, GDB_STOP_TRAP, 0, A(FUNC + 4));
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_PC, &v), 0);
	assert_int_equal(v, A(FUNC + 4)); /* and reads after the stop are fresh */
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, 3, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(dbg_gdb_ops.cpu_count(t->d), NCPU);
}

/* A debugger over the same machine whose vCPUs have these features (the map is made once). */
static void with_features(struct t *t, unsigned int sve_vq, bool pauth)
{
	dbg_free(t->d);
	fake_set_features(t->f, sve_vq, pauth);
	t->d = fake_dbg_new(t->f, 4, 4);
	assert_non_null(t->d);
	dbg_attach(t->d);
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + 7 * i);
}

#define SVE_VQ 4 /* 512 bits: z 64 bytes, p and ffr 8 */

/* z, p and ffr by gdb's numbers at the vCPU's vector length, per vCPU; the `g` packet the
 * core; the description SVE's, without the fpu feature. */
static void test_sve_registers_by_gdb_number(void **state)
{
	struct t *t = *state;
	uint8_t buf[ARM64_SVE_Z_BYTES], want[ARM64_SVE_Z_BYTES] = { 0 };
	size_t len;

	with_features(t, SVE_VQ, false);
	assert_int_equal(dbg_gdb_ops.get_g_nregs(t->d), ARM64_GDB_G_NREGS_SVE);
	assert_int_equal(dbg_gdb_ops.reg_size(t->d, ARM64_GDB_V0), SVE_VQ * 16);
	assert_int_equal(dbg_gdb_ops.reg_size(t->d, ARM64_GDB_P0), SVE_VQ * 2);
	assert_int_equal(dbg_gdb_ops.reg_size(t->d, ARM64_GDB_FFR), SVE_VQ * 2);
	assert_int_equal(dbg_gdb_ops.reg_size(t->d, ARM64_GDB_VG), 8);
	assert_non_null(strstr(dbg_gdb_ops.xml(t->d, "aarch64-sve.xml", &len),
			       "<reg name=\"z0\" bitsize=\"512\" type=\"svev\"/>"));
	assert_null(dbg_gdb_ops.xml(t->d, "aarch64-fpu.xml", &len));
	/* reads: each vCPU's own */
	fill(fake_sve_reg(t->f, 0, ARM64_R_Z(0)), SVE_VQ * 16, 1);
	fill(fake_sve_reg(t->f, 1, ARM64_R_Z(0)), SVE_VQ * 16, 2);
	fill(fake_sve_reg(t->f, 0, ARM64_R_P(0)), SVE_VQ * 2, 3);
	fill(fake_sve_reg(t->f, 0, ARM64_R_FFR), SVE_VQ * 2, 4);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_V0, buf), 0);
	assert_memory_equal(buf, fake_sve_reg(t->f, 0, ARM64_R_Z(0)), SVE_VQ * 16);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 1, ARM64_GDB_V0, buf), 0);
	assert_memory_equal(buf, fake_sve_reg(t->f, 1, ARM64_R_Z(0)), SVE_VQ * 16);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_P0, buf), 0);
	assert_memory_equal(buf, fake_sve_reg(t->f, 0, ARM64_R_P(0)), SVE_VQ * 2);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_FFR, buf), 0);
	assert_memory_equal(buf, fake_sve_reg(t->f, 0, ARM64_R_FFR), SVE_VQ * 2);
	/* writes: the vector length's bytes, nothing past them, the other vCPU untouched */
	fill(want, SVE_VQ * 16, 9);
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, 0, ARM64_GDB_V0 + 1, want), 0);
	assert_memory_equal(fake_sve_reg(t->f, 0, ARM64_R_Z(1)), want, ARM64_SVE_Z_BYTES);
	assert_int_equal(fake_sve_reg(t->f, 1, ARM64_R_Z(1))[0], 0);
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, 0, ARM64_GDB_P0 + 1, want), 0);
	assert_memory_equal(fake_sve_reg(t->f, 0, ARM64_R_P(1)), want, SVE_VQ * 2);
	assert_int_equal(fake_sve_reg(t->f, 0, ARM64_R_P(1))[SVE_VQ * 2], 0);
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, 1, ARM64_GDB_FFR, want), 0);
	assert_memory_equal(fake_sve_reg(t->f, 1, ARM64_R_FFR), want, SVE_VQ * 2);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_V0 + 1, buf), 0);
	assert_memory_equal(buf, want, SVE_VQ * 16);
	/* fpsr and fpcr keep their numbers */
	fake_set_reg(t->f, 0, ARM64_R_FPSR, 0x8000010);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_FPSR, buf), 0);
	assert_int_equal(buf[0], 0x10);
	/* the rest is as without SVE */
	test_registers_by_gdb_number(state);
}

/* vg is the vCPU's vector length in granules; gdb cannot change it: its own value is fine,
 * another one an error with nothing changed. */
static void test_sve_vg_reads_and_refuses_another_length(void **state)
{
	struct t *t = *state;
	uint8_t z[ARM64_SVE_Z_BYTES];
	uint64_t vg = 0, two = 2, same = 2 * SVE_VQ;

	with_features(t, SVE_VQ, false);
	fill(fake_sve_reg(t->f, 0, ARM64_R_Z(5)), SVE_VQ * 16, 5);
	memcpy(z, fake_sve_reg(t->f, 0, ARM64_R_Z(5)), sizeof(z));
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_VG, &vg), 0);
	assert_int_equal(vg, 2 * SVE_VQ);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 1, ARM64_GDB_VG, &vg), 0);
	assert_int_equal(vg, 2 * SVE_VQ);
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, 0, ARM64_GDB_VG, &two), -EINVAL);
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, 0, ARM64_GDB_VG, &same), 0);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_VG, &vg), 0);
	assert_int_equal(vg, 2 * SVE_VQ);
	assert_int_equal(dbg_gdb_ops.reg_size(t->d, ARM64_GDB_V0), SVE_VQ * 16);
	assert_memory_equal(fake_sve_reg(t->f, 0, ARM64_R_Z(5)), z, sizeof(z));
}

/* With SVE, what reads V (the monitor, the core dump's NT_FPREGSET) reads the low 128 bits of
 * Z through the CPU interface, and a V write zeroes the rest of Z as an AdvSIMD write does. */
static void test_sve_v_is_the_low_half_of_z(void **state)
{
	struct t *t = *state;
	uint8_t v[16], z[ARM64_SVE_Z_BYTES] = { 0 };
	uint64_t lo = 0;

	with_features(t, SVE_VQ, false);
	fill(fake_sve_reg(t->f, 0, ARM64_R_Z(3)), SVE_VQ * 16, 3);
	assert_int_equal(fake_cpu_ops.get_reg(t->f, 0, ARM64_R_V(3), v), 0);
	assert_memory_equal(v, fake_sve_reg(t->f, 0, ARM64_R_Z(3)), 16);
	assert_int_equal(dbg_get_reg64(t->d, 0, ARM64_R_V(3), &lo), 0);
	assert_memory_equal(&lo, v, 8);
	fill(v, 16, 0x40);
	assert_int_equal(fake_cpu_ops.set_reg(t->f, 0, ARM64_R_V(3), v), 0);
	memcpy(z, v, 16);
	assert_memory_equal(fake_sve_reg(t->f, 0, ARM64_R_Z(3)), z, sizeof(z));
	/* without SVE there is no Z */
	with_features(t, 0, false);
	assert_int_equal(fake_cpu_ops.get_reg(t->f, 0, ARM64_R_Z(0), z), -ENOENT);
	assert_int_equal(dbg_gdb_ops.reg_size(t->d, ARM64_GDB_V0), 16);
	assert_int_equal(dbg_gdb_ops.reg_size(t->d, ARM64_GDB_VG), -ENOENT);
	assert_int_equal(dbg_gdb_ops.get_g_nregs(t->d), ARM64_GDB_G_NREGS);
	assert_null(dbg_gdb_ops.xml(t->d, "aarch64-sve.xml", NULL));
}

/* A vector length gdb cannot take costs SVE's registers, not the debugger. */
static void test_sve_past_gdbs_largest_vector_length(void **state)
{
	struct t *t = *state;
	uint8_t v[16];

	with_features(t, 32, true);
	assert_int_equal(dbg_gdb_ops.reg_size(t->d, ARM64_GDB_V0), 16); /* v0, from z0 */
	fill(fake_sve_reg(t->f, 0, ARM64_R_Z(0)), 16, 8);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_V0, v), 0);
	assert_memory_equal(v, fake_sve_reg(t->f, 0, ARM64_R_Z(0)), 16);
	assert_non_null(dbg_gdb_ops.xml(t->d, "aarch64-pauth.xml", NULL));
}

static const struct {
	uint64_t tcr;
	uint64_t masks[4]; /* dmask, cmask, dmask_high, cmask_high */
} pac_rows[] = {
	/* Linux's (48-bit VAs, TBI0): NT_ARM_PAC_MASK's and ptrauth_kernel_pac_mask() */
	{ 16 | 16ull << 16 | 1ull << 37,
	  { 0x007f000000000000ull, 0x007f000000000000ull, 0xffff000000000000ull,
	    0xffff000000000000ull } },
	/* 39-bit VAs, TBI on both halves, TBID0 */
	{ 25 | 25ull << 16 | 3ull << 37 | 1ull << 51,
	  { 0x007fff8000000000ull, 0xffffff8000000000ull, 0x007fff8000000000ull,
	    0x007fff8000000000ull } },
	/* reset: TCR_EL1 0 */
	{ 0,
	  { 0xffff000000000000ull, 0xffff000000000000ull, 0xffff000000000000ull,
	    0xffff000000000000ull } },
};

/* The PAC masks follow the vCPU's TCR_EL1 as it is at the stop, read-only. */
static void test_pauth_masks_from_tcr_el1(void **state)
{
	struct t *t = *state;
	uint64_t v = 0;
	int base;

	with_features(t, 0, true);
	base = arm64_gdb_map_reg_by_name(arm64_gdb_map_base(), "pauth_dmask");
	assert_int_equal(base, -ENOENT); /* not in the base map */
	for (size_t i = 0; i < ARRAY_SIZE(pac_rows); i++) {
		fake_set_reg(t->f, 0, ARM64_R_TCR_EL1, pac_rows[i].tcr);
		for (unsigned int m = 0; m < 4; m++) {
			assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_P0 + m, &v), 0);
			assert_true(v == pac_rows[i].masks[m]);
			assert_int_equal(dbg_gdb_ops.write_reg(t->d, 0, ARM64_GDB_P0 + m, &v),
					 -EPERM);
		}
	}
	/* with SVE they come after vg */
	with_features(t, 1, true);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_VG + 1, &v), 0);
	assert_true(v == 0xffff000000000000ull); /* vCPU 0's TCR_EL1, the last row's */
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_VG, &v), 0);
	assert_int_equal(v, 2);
}

#define R_PMCR ARM64_R_SYS(3, 3, 9, 12, 0)
#define R_PMCNTENSET ARM64_R_SYS(3, 3, 9, 12, 1)
#define R_PMCCNTR ARM64_R_SYS(3, 3, 9, 13, 0)
#define R_PMEVCNTR(n) ARM64_R_SYS(3, 3, 14, 8 + ((n) >> 3), (n)&7)
#define R_PMEVTYPER(n) ARM64_R_SYS(3, 3, 14, 12 + ((n) >> 3), (n)&7)
#define PMCR_6 (0x41000000ull | 6ull << 11) /* 6 event counters */

/* With PMUv3 gdb reads and writes its registers, each vCPU's own: PMCR_EL0's N stays the
 * vCPU's, PMCEID0/1_EL0 (which KVM does not give) are unavailable and refuse writes, and the
 * counters past N are unavailable and refuse writes. */
static void test_pmu_registers_by_gdb_number(void **state)
{
	struct t *t = *state;
	uint64_t v = 0, w;
	const char *target;

	fake_set_pmu(t->f, 6);
	with_features(t, 0, false);
	target = dbg_gdb_ops.xml(t->d, "target.xml", NULL);
	assert_non_null(strstr(target, "minivmm-pmu.xml"));
	assert_non_null(dbg_gdb_ops.xml(t->d, "minivmm-pmu.xml", NULL));
	assert_int_equal(dbg_gdb_ops.reg_size(t->d, ARM64_GDB_PMU0), 8);
	assert_int_equal(dbg_gdb_ops.reg_size(t->d, ARM64_GDB_P0), -ENOENT); /* unused number */
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_P0, &v), -ENOENT);
	/* reads */
	for (unsigned int cpu = 0; cpu < NCPU; cpu++) {
		assert_int_equal(dbg_gdb_ops.read_reg(t->d, cpu, ARM64_GDB_PMU0, &v), 0);
		assert_true(v == PMCR_6);
	}
	fake_set_reg(t->f, 1, R_PMCCNTR, 0xabcdef0123ull);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 1, ARM64_GDB_PMU0 + 6, &v), 0);
	assert_true(v == 0xabcdef0123ull);
	/* a write: that vCPU's register, the other's untouched */
	w = 0x123456789ull;
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, 0, ARM64_GDB_PMU0 + 6, &w), 0);
	assert_true(fake_reg(t->f, 0, R_PMCCNTR) == w);
	assert_true(fake_reg(t->f, 1, R_PMCCNTR) == 0xabcdef0123ull);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_PMU0 + 6, &v), 0);
	assert_true(v == w);
	w = 0x80000003ull; /* PMCNTENSET_EL0: the cycle counter and counters 0, 1 */
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, 0, ARM64_GDB_PMU0 + 1, &w), 0);
	assert_true(fake_reg(t->f, 0, R_PMCNTENSET) == w);
	/* PMCR_EL0: E and C written, N kept */
	w = 31ull << 11 | 5;
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, 0, ARM64_GDB_PMU0, &w), 0);
	assert_true(fake_reg(t->f, 0, R_PMCR) == (6ull << 11 | 5));
	/* the last counter there is, and the first that is not */
	w = 0x11;
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, 0, ARM64_GDB_PMEVTYPER0 + 5, &w), 0);
	assert_true(fake_reg(t->f, 0, R_PMEVTYPER(5)) == 0x11);
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, 0, ARM64_GDB_PMEVCNTR0 + 5, &w), 0);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_PMEVCNTR0 + 5, &v), 0);
	assert_true(v == 0x11 && fake_reg(t->f, 0, R_PMEVCNTR(5)) == 0x11);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_PMEVCNTR0 + 6, &v), -ENODATA);
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, 0, ARM64_GDB_PMEVCNTR0 + 6, &w), -EPERM);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_PMEVTYPER0 + 30, &v), -ENODATA);
	assert_true(fake_reg(t->f, 0, R_PMEVCNTR(6)) == 0);
	/* read-only, and not given by KVM */
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_PMU0 + 11, &v), -ENODATA);
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, 0, ARM64_GDB_PMU0 + 11, &w), -EPERM);
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, 0, ARM64_GDB_PMU0 + 12, &w), -EPERM);
	/* the PMU at the same numbers with SVE and pauth */
	with_features(t, 2, true);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_PMU0 + 6, &v), 0);
	assert_true(v == 0x123456789ull);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_VG + 1, &v), 0); /* pauth_dmask */
	assert_int_equal(dbg_gdb_ops.reg_size(t->d, ARM64_GDB_MAX_REGS - 1), 8);
	assert_int_equal(dbg_gdb_ops.reg_size(t->d, ARM64_GDB_MAX_REGS), -ENOENT);
}

/* Without the PMU gdb has none of its registers, and the description is as before. */
static void test_no_pmu_registers_without_the_pmu(void **state)
{
	struct t *t = *state;
	uint64_t v = 0;
	size_t len;

	with_features(t, 0, true);
	assert_int_equal(dbg_gdb_ops.reg_size(t->d, ARM64_GDB_PMU0), -ENOENT);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 0, ARM64_GDB_PMU0, &v), -ENOENT);
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, 0, ARM64_GDB_PMU0, &v), -ENOENT);
	assert_null(dbg_gdb_ops.xml(t->d, "minivmm-pmu.xml", NULL));
	assert_null(strstr(dbg_gdb_ops.xml(t->d, "target.xml", &len), "pmu"));
	assert_int_equal(fake_cpu_ops.get_reg(t->f, 0, R_PMCR, &v), -ENOENT);
}

static void test_continue_with_an_address(void **state)
{
	struct t *t = *state;
	struct gdb_resume r = { .def = { .kind = GDB_ACT_CONTINUE } };

	assert_int_equal(insert(t, GDB_BP_SW, A(L_A), 4), 0);
	fake_set_reg(t->f, 0, ARM64_R_X(30), A(L_STORE)); /* FUNC returns there */
	r.set_pc = true;
	r.pc_cpu = 0;
	r.pc = A(FUNC);
	assert_int_equal(fake_gdb_resume(t->f, &r), 0);
	EXPECT_STOP(t, GDB_STOP_SWBREAK, 0, A(L_A));
	assert_int_equal(reg(t, 0, ARM64_R_X(3)), 1);
}

/* ======================================================= the monitor's step */

static void test_step_alone_without_gdb(void **state)
{
	struct t *t = *state;

	assert_int_equal(fake_gdb_detach(t->f), 0);
	fake_cpu_ops.pause_all(t->f);
	fake_set_reg(t->f, 0, ARM64_R_PC, A(LOOP));
	assert_int_equal(dbg_step_alone(t->d, 0, 100), 0);
	assert_int_equal(pc_of(t, 0), A(L_A));
	fake_raise(t->f, 0, FAKE_IRQ);
	assert_int_equal(dbg_step_alone(t->d, 0, 100), 0);
	assert_int_equal(pc_of(t, 0), A(L_B));
	assert_int_equal(reg(t, 0, ARM64_R_X(20)), 1);
	EXPECT_NO_STOP(t, 100); /* nobody to report it to */
	assert_false(fake_any_running(t->f));
	EXPECT_CODE_INTACT(t);
	dbg_attach(t->d);
	assert_int_equal(dbg_step_alone(t->d, 0, 100), -EBUSY);
}

static void test_step_alone_that_cannot_finish_times_out_cleanly(void **state)
{
	struct t *t = *state;

	assert_int_equal(fake_gdb_detach(t->f), 0);
	fake_cpu_ops.pause_all(t->f);
	fake_poke32(t->f, A(VEC2 + 0x280), fake_b(A(VEC2 + 0x280), A(VEC2 + 0x280)));
	fake_set_reg(t->f, 0, ARM64_R_VBAR_EL1, A(VEC2)); /* an IRQ handler that never returns */
	fake_set_reg(t->f, 0, ARM64_R_PC, A(LOOP));
	fake_raise(t->f, 0, FAKE_IRQ);
	assert_int_equal(dbg_step_alone(t->d, 0, 1), -ETIMEDOUT);
	assert_false(fake_any_running(t->f));
	EXPECT_NO_STOP(t, 100);
	for (unsigned int off = 0; off < CODE_END; off += 4)
		assert_int_not_equal(fake_peek32(t->f, A(off)), FAKE_BRK0); /* step undone */
	fake_cpu_ops.run(t->f, 0);
	fake_cpu_ops.run(t->f, 1);
	fake_clear_history(t->f);
	EXPECT_NO_STOP(t, 200);
	EXPECT_DEBUG_OFF(t);
}

/* ------------------------------------------- again, with the vCPU threads' timing changed */

/* The same cases with a vCPU leaving KVM_RUN at every instruction (an MMIO access, a signal:
 * dbg_before_run() each time) and the main loop seeing stops late. */
static void run_with(void (*fn)(void **), unsigned int kick, unsigned int latency)
{
	void *st;

	assert_int_equal(setup(&st), 0);
	fake_set_kick_every(((struct t *)st)->f, kick);
	fake_set_latency(((struct t *)st)->f, latency);
	fn(&st);
	teardown(&st);
}

static void irq_case_bl(void **state)
{
	test_irq_case(state, &irq_cases[3]);
}

static void test_cases_again_with_kicks_and_a_slow_main_loop(void **state)
{
	static void (*const fns[])(void **) = {
		test_stepi_runs_one_instruction,
		test_range_step_runs_to_the_branch_behind_a_hw_breakpoint,
		test_catch_point_met_by_the_handler_does_not_end_the_step,
		test_stepi_with_the_timer_firing_never_stops_in_the_handler,
		test_continue_from_a_breakpoint_with_the_timer_firing,
		test_range_step_meets_gdbs_breakpoint_on_the_branch_whenever_the_timer_fires,
		test_gdb_wins_where_its_breakpoint_sits_on_a_guest_brk,
		test_write_watch_stops_at_the_store_and_runs_it_once,
		test_smp_kept_stop_is_reported_when_its_vcpu_resumes,
		test_smp_vcpu_paused_at_a_breakpoint_hits_it_when_resumed,
		test_detach_in_the_middle_of_a_caught_step,
		irq_case_bl,
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(fns); i++) {
		run_with(fns[i], 1, 0);
		/* that one needs vCPU 1 held the moment vCPU 0 stops */
		if (fns[i] != test_smp_vcpu_paused_at_a_breakpoint_hits_it_when_resumed)
			run_with(fns[i], 1, 2);
	}
}

/* ==================================================================== main */

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define TF(fn) cmocka_unit_test_setup_teardown(fn, setup_fake, teardown)

#define IRQ_CASE_FN(i)                               \
	static void irq_case_##i(void **state)       \
	{                                            \
		test_irq_case(state, &irq_cases[i]); \
	}
IRQ_CASE_FN(0)
IRQ_CASE_FN(1)
IRQ_CASE_FN(2)
IRQ_CASE_FN(3)
IRQ_CASE_FN(4)
IRQ_CASE_FN(5)
IRQ_CASE_FN(6)
IRQ_CASE_FN(7)
IRQ_CASE_FN(8)

static void (*const irq_case_fns[])(void **) = {
	irq_case_0, irq_case_1, irq_case_2, irq_case_3, irq_case_4,
	irq_case_5, irq_case_6, irq_case_7, irq_case_8,
};

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		TF(test_fake_executes_the_subset),
		TF(test_fake_takes_interrupts_when_unmasked),
		TF(test_fake_timer_is_a_level_interrupt),
		TF(test_fake_guest_brk_without_debug),
		TF(test_fake_debug_exits),
		TF(test_fake_translates_through_page_tables),
		TF(test_fake_checks_the_threading_rules),
		T(test_stepi_runs_one_instruction),
		T(test_stepi_follows_calls_and_returns),
		T(test_stepi_on_the_second_vcpu),
		T(test_range_step_runs_to_the_branch_behind_a_hw_breakpoint),
		T(test_range_step_loops_until_the_pc_leaves),
		T(test_range_step_without_a_free_slot_single_steps),
		T(test_empty_range_is_one_step),
		T(test_range_step_over_a_breakpoint_of_gdbs_in_the_range),
		T(test_stepi_of_a_faulting_load_ends_on_the_sync_vector),
		T(test_stepi_of_a_faulting_load_with_an_irq_ends_on_the_sync_vector),
		T(test_stepi_of_a_faulting_load_with_the_timer_due_ends_on_the_sync_vector),
		T(test_step_irq_on_stops_in_the_handler),
		T(test_catch_point_met_by_the_handler_does_not_end_the_step),
		T(test_guest_brk_in_the_handler_of_a_caught_step_goes_to_the_guest),
		T(test_range_step_with_an_irq_stays_out_of_the_handler),
		T(test_stepi_with_the_timer_firing_never_stops_in_the_handler),
		T(test_continue_from_a_breakpoint_with_the_timer_firing),
		T(test_range_steps_with_the_timer_firing),
		T(test_range_step_meets_gdbs_breakpoint_on_the_branch_whenever_the_timer_fires),
		T(test_range_step_from_a_hbreak_meets_the_next_hbreak_whenever_the_timer_fires),
		T(test_range_step_from_a_hbreak_meets_a_watch_whenever_the_timer_fires),
		T(test_smp_stepi_and_continue_with_timers_on_both),
		T(test_continue_from_a_breakpoint_hits_it_again_next_time_round),
		T(test_continue_from_a_breakpoint_with_interrupts_coming),
		T(test_stepi_from_a_breakpoint),
		T(test_stepi_at_a_breakpoint_not_hit_meets_it),
		T(test_stepi_at_a_breakpoint_not_hit_meets_it_with_an_irq),
		T(test_hbreak_hits_and_continues),
		T(test_hbreak_slots_run_out_and_come_back),
		T(test_z0_and_z1_at_one_address_are_removed_one_by_one),
		T(test_z1_where_a_z0_stands_in_a_slot_survives_the_z0s_removal),
		T(test_guest_brk_goes_back_to_the_guest),
		T(test_guest_brk_goes_back_with_only_a_hbreak_inserted),
		T(test_gdb_wins_where_its_breakpoint_sits_on_a_guest_brk),
		T(test_stepi_of_a_guest_brk_ends_on_its_vector),
		T(test_mmu_off_breakpoint_falls_back_to_a_hw_slot),
		T(test_mmu_off_breakpoint_without_a_free_slot_is_refused),
		T(test_breakpoint_listing_shows_the_kinds),
		T(test_write_watch_stops_at_the_store_and_runs_it_once),
		T(test_read_and_access_watches),
		T(test_watch_of_a_field_inside_the_word_names_the_field),
		T(test_watch_slots_run_out_and_come_back),
		T(test_removed_watch_no_longer_stops),
		T(test_smp_shared_loop_loses_no_hit),
		T(test_smp_kept_stop_is_reported_when_its_vcpu_resumes),
		T(test_smp_kept_stop_of_a_removed_breakpoint_is_dropped),
		T(test_smp_kept_swbreak_under_a_z1_is_a_hwbreak),
		T(test_smp_vcpu_paused_at_a_breakpoint_hits_it_when_resumed),
		T(test_smp_vcpu_back_at_its_old_breakpoint_after_a_jump_hits_it),
		T(test_smp_step_whose_handler_waits_for_a_held_vcpu),
		T(test_smp_released_vcpus_wait_at_the_breakpoint_being_stepped_off),
		T(test_smp_released_vcpu_meets_the_breakpoint_after_the_step_off),
		T(test_smp_interrupt_names_the_vcpu_gdb_let_run),
		T(test_smp_vcpu_interrupted_at_a_breakpoint_hits_it_when_resumed),
		T(test_smp_stepping_one_vcpu_holds_the_other),
		T(test_interrupt_stops_every_vcpu_once),
		T(test_detach_leaves_no_brk_and_no_debug_state),
		T(test_detach_while_gdb_waits),
		T(test_detach_in_the_middle_of_a_caught_step),
		T(test_kill_calls_the_hook_and_leaves_no_brk),
		T(test_attach_again_after_detach),
		T(test_attach_to_a_running_guest_stops_it),
		T(test_gdb_state_follows_the_session),
		T(test_guest_exit_is_told_to_gdb_once),
		T(test_a_powered_off_vcpu_stays_out_of_the_way),
		T(test_reads_never_show_our_brks),
		T(test_writes_under_a_breakpoint_change_what_it_restores),
		T(test_memory_through_page_tables_and_holes),
		T(test_registers_by_gdb_number),
		T(test_sve_registers_by_gdb_number),
		T(test_sve_vg_reads_and_refuses_another_length),
		T(test_sve_v_is_the_low_half_of_z),
		T(test_sve_past_gdbs_largest_vector_length),
		T(test_pauth_masks_from_tcr_el1),
		T(test_pmu_registers_by_gdb_number),
		T(test_no_pmu_registers_without_the_pmu),
		T(test_continue_with_an_address),
		T(test_step_alone_without_gdb),
		T(test_step_alone_that_cannot_finish_times_out_cleanly),
		cmocka_unit_test(test_cases_again_with_kicks_and_a_slow_main_loop),
	};
	struct CMUnitTest tests[ARRAY_SIZE(fixed) + ARRAY_SIZE(irq_cases)];

	_Static_assert(ARRAY_SIZE(irq_case_fns) == ARRAY_SIZE(irq_cases), "one function a row");
	size_t i, n = 0;

	memcpy(tests, fixed, sizeof(fixed));
	n = ARRAY_SIZE(fixed);
	for (i = 0; i < ARRAY_SIZE(irq_cases); i++)
		tests[n++] = (struct CMUnitTest){ .name = irq_cases[i].name,
						  .test_func = irq_case_fns[i],
						  .setup_func = setup,
						  .teardown_func = teardown };
	return _cmocka_run_group_tests("debugger", tests, n, NULL, NULL);
}
