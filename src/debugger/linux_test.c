// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for what the debugger knows of a Linux guest (src/debugger/linux.c), against the
 * fake CPU: the KASLR offset from a VMCOREINFO page in RAM (qOffsets), and the stops at the
 * kernel's panic() and die() that gdb's symbols (qSymbol) let it plant. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "debugger.h"
#include "src/arm64/esr.h"
#include "src/arm64/regs.h"
#include "src/debugger/fakecpu.h"
#include "src/linux/vmcoreinfo.h"

#define A(off) (FAKE_RAM_BASE + (off))
#define MAIN 0x100  /* a loop that calls "die" every round and "panic" when x2 is set */
#define DIE 0x200
#define PANIC 0x300
#define VEC 0x1000
#define INFO 0x8000 /* the VMCOREINFO page */

struct t {
	struct fake *f;
	struct dbg *d;
	unsigned int seen;
};

static int setup(void **state)
{
	static struct t t;
	const uint32_t loop[] = {
		fake_add(1, 1, 1),             /* MAIN */
		fake_bl(A(MAIN + 4), A(DIE)),  /* die() */
		fake_cbz(2, A(MAIN + 8), A(MAIN + 16)),
		fake_bl(A(MAIN + 12), A(PANIC)),
		fake_b(A(MAIN + 16), A(MAIN)),
	};
	const uint32_t ret[] = { FAKE_NOP, FAKE_RET };

	memset(&t, 0, sizeof(t));
	t.f = fake_new(1, 1 << 20);
	assert_non_null(t.f);
	fake_put(t.f, A(MAIN), loop, 5);
	fake_put(t.f, A(DIE), ret, 2);
	fake_put(t.f, A(PANIC), ret, 2);
	fake_set_reg(t.f, 0, ARM64_R_PC, A(MAIN));
	fake_set_reg(t.f, 0, ARM64_R_PSTATE, ARM64_PSTATE_EL1h | ARM64_PSTATE_I);
	fake_set_reg(t.f, 0, ARM64_R_VBAR_EL1, A(VEC));
	fake_set_reg(t.f, 0, ARM64_R_SP_EL1, A(0x9000));
	t.d = fake_dbg_new(t.f, 4, 4);
	assert_non_null(t.d);
	dbg_attach(t.d);
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;

	assert_int_equal(fake_violations(t->f), 0);
	assert_int_equal(fake_bad_stops(t->f), 0);
	dbg_free(t->d);
	fake_free(t->f);
	return 0;
}

static const struct fake_stop *next_stop(struct t *t)
{
	fake_run(t->f, 10000);
	assert_int_equal(fake_nr_stops(t->f), t->seen + 1);
	return fake_stop(t->f, t->seen++);
}

/* gdb's qSymbol exchange as gdbstub runs it. */
static void give_symbols(struct t *t, bool with_die)
{
	const char *name;
	unsigned int i;

	assert_string_equal(dbg_gdb_ops.symbol_next(t->d, 0), "panic");
	dbg_gdb_ops.symbol_value(t->d, "panic", true, A(PANIC));
	assert_string_equal(dbg_gdb_ops.symbol_next(t->d, 1), "die");
	dbg_gdb_ops.symbol_value(t->d, "die", with_die, with_die ? A(DIE) : 0);
	for (i = 2; (name = dbg_gdb_ops.symbol_next(t->d, i)); i++) /* the task threads' */
		dbg_gdb_ops.symbol_value(t->d, name, false, 0);
	assert_int_equal(i, 7);
}

static void test_an_oops_and_a_panic_stop_the_guest_for_gdb(void **state)
{
	struct t *t = *state;
	const struct fake_stop *s;
	int i;

	give_symbols(t, true);
	for (i = 0; i < 3; i++) { /* die() each round: SIGSEGV, and on past it */
		assert_int_equal(fake_gdb_continue(t->f), 0);
		s = next_stop(t);
		assert_int_equal(s->stop.reason, GDB_STOP_SIGNAL);
		assert_int_equal(s->stop.sig, 11);
		assert_int_equal(s->pc, A(DIE));
		assert_int_equal(fake_reg(t->f, 0, ARM64_R_X(1)), i + 1);
	}
	fake_set_reg(t->f, 0, ARM64_R_X(2), 1);
	assert_int_equal(fake_gdb_continue(t->f), 0);
	s = next_stop(t);
	assert_int_equal(s->stop.sig, 6); /* panic(): SIGABRT */
	assert_int_equal(s->pc, A(PANIC));
	/* memory reads never show them */
	{
		uint32_t insn = 0;

		assert_int_equal(dbg_gdb_ops.read_mem(t->d, 0, A(PANIC), &insn, 4), 4);
		assert_int_equal(insn, FAKE_NOP);
	}
}

/* gdb's own break at the same place wins while it is there, and its removal leaves ours. */
static void test_gdbs_breakpoint_on_panic(void **state)
{
	struct t *t = *state;

	give_symbols(t, false);
	fake_set_reg(t->f, 0, ARM64_R_X(2), 1);
	assert_int_equal(dbg_gdb_ops.insert_bp(t->d, 0, GDB_BP_SW, A(PANIC), 4), 0);
	assert_int_equal(fake_gdb_continue(t->f), 0);
	assert_int_equal(next_stop(t)->stop.reason, GDB_STOP_SWBREAK);
	assert_int_equal(dbg_gdb_ops.remove_bp(t->d, 0, GDB_BP_SW, A(PANIC), 4), 0);
	assert_int_equal(fake_peek32(t->f, A(PANIC)), FAKE_BRK0);
	assert_int_equal(fake_gdb_continue(t->f), 0);
	assert_int_equal(next_stop(t)->stop.sig, 6); /* next round: ours */
}

/* Without gdb's symbols nothing is planted; detach takes ours out and forgets them. */
static void test_nothing_without_symbols_and_nothing_after_detach(void **state)
{
	struct t *t = *state;
	struct dbg_slots s;

	dbg_slots(t->d, &s);
	assert_int_equal(s.nr_sw, 0);
	give_symbols(t, true);
	dbg_slots(t->d, &s);
	assert_int_equal(s.nr_sw, 2);
	assert_int_equal(fake_gdb_detach(t->f), 0);
	assert_int_equal(fake_peek32(t->f, A(PANIC)), FAKE_NOP);
	assert_int_equal(fake_peek32(t->f, A(DIE)), FAKE_NOP);
	dbg_attach(t->d);
	assert_int_equal(fake_gdb_continue(t->f), 0);
	fake_run(t->f, 2000);
	assert_int_equal(fake_nr_stops(t->f), 0);
	fake_gdb_interrupt(t->f);
}

/* An address that does not translate is planted at the next stop that it does. */
static void test_symbols_that_do_not_translate_yet(void **state)
{
	struct t *t = *state;
	struct dbg_slots s;

	dbg_gdb_ops.symbol_value(t->d, "panic", true, 0xffff800008000000ull);
	dbg_slots(t->d, &s);
	assert_int_equal(s.nr_sw, 0);
	assert_int_equal(s.bp_used, 0); /* never a hardware slot of gdb's */
}

static void put_info(struct t *t, const char *text)
{
	memcpy(fake_ram(t->f, A(INFO), strlen(text) + 1), text, strlen(text) + 1);
}

/* qOffsets: the KERNELOFFSET of the VMCOREINFO page, found anew if it moves. */
static void test_kaslr_offset_for_gdb(void **state)
{
	struct t *t = *state;
	struct vmcoreinfo vi;
	uint64_t text = 1, data = 1;
	gpa_t pa;

	assert_int_equal(dbg_gdb_ops.offsets(t->d, &text, &data), -ENOENT);
	put_info(t, "OSRELEASE=6.1.0-57-arm64\nPAGESIZE=4096\nKERNELOFFSET=32cf10200000\n");
	assert_int_equal(dbg_gdb_ops.offsets(t->d, &text, &data), 0);
	assert_int_equal(text, 0x32cf10200000ull);
	assert_int_equal(data, text);
	assert_int_equal(dbg_linux_info(t->d, &vi, &pa), 0);
	assert_int_equal(pa, A(INFO));
	memset(fake_ram(t->f, A(INFO), 16), 0, 16); /* a reset: gone */
	assert_int_equal(dbg_linux_info(t->d, &vi, &pa), -ENOENT);
	put_info(t, "OSRELEASE=6.1.0-57-arm64\nPAGESIZE=4096\n"); /* says no offset */
	assert_int_equal(dbg_gdb_ops.offsets(t->d, &text, &data), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_an_oops_and_a_panic_stop_the_guest_for_gdb,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_gdbs_breakpoint_on_panic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_without_symbols_and_nothing_after_detach,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_symbols_that_do_not_translate_yet, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_kaslr_offset_for_gdb, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
