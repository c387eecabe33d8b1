// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for ESR decoding, the EL1 exception entry (from EL1h, EL1t, EL0 AArch64 and
 * AArch32, with and without SCTLR_EL1.SPAN) and the vector table lookup. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "types.h"
#include "src/arm64/esr.h"

#define VBAR 0xffff800010010800ull
#define SPAN ARM64_SCTLR_SPAN
#define DAIF (ARM64_PSTATE_D | ARM64_PSTATE_A | ARM64_PSTATE_I | ARM64_PSTATE_F)
#define EC(ec) ((uint64_t)(ec) << 26)
#define IL ARM64_ESR_IL
#define NZCV_ZC (0x6ull << 28)

struct entry_case {
	const char *name;
	struct arm64_exc_in in;
	int ret;
	uint64_t pc, pstate, esr_el1;
	bool far_valid;
};

static const struct entry_case entry_cases[] = {
	{ "hw breakpoint from EL1h, SPAN=1: PAN kept clear",
	  { 0xffff800010001000, ARM64_PSTATE_EL1h | NZCV_ZC, VBAR, SPAN, EC(0x30) | IL | 0x22, 0,
	    false },
	  0,
	  VBAR + 0x200,
	  ARM64_PSTATE_EL1h | DAIF | NZCV_ZC,
	  EC(0x31) | IL | 0x22,
	  false },
	{ "hw breakpoint from EL1h, SPAN=0: PAN set",
	  { 0xffff800010001000, ARM64_PSTATE_EL1h, VBAR, 0, EC(0x30) | IL | 0x22, 0, false },
	  0,
	  VBAR + 0x200,
	  ARM64_PSTATE_EL1h | DAIF | ARM64_PSTATE_PAN,
	  EC(0x31) | IL | 0x22,
	  false },
	{ "PAN already set, SPAN=1: kept",
	  { 0x1000, ARM64_PSTATE_EL1h | ARM64_PSTATE_PAN, VBAR, SPAN, EC(0x3c) | IL, 0, false },
	  0,
	  VBAR + 0x200,
	  ARM64_PSTATE_EL1h | DAIF | ARM64_PSTATE_PAN,
	  EC(0x3c) | IL,
	  false },
	{ "software step from EL1t: SS and IL cleared",
	  { 0x2000, ARM64_PSTATE_EL1t | ARM64_PSTATE_SS | ARM64_PSTATE_IL, VBAR, SPAN,
	    EC(0x32) | IL | 0x22, 0, false },
	  0,
	  VBAR + 0x000,
	  ARM64_PSTATE_EL1h | DAIF,
	  EC(0x33) | IL | 0x22,
	  false },
	{ "watchpoint from EL0 AArch64: lower-EL EC, FAR valid",
	  { 0x400000, ARM64_PSTATE_EL0t, VBAR, 0, EC(0x34) | IL | ARM64_ESR_WNR | 0x22, 0x1234,
	    false },
	  0,
	  VBAR + 0x400,
	  ARM64_PSTATE_EL1h | DAIF | ARM64_PSTATE_PAN,
	  EC(0x34) | IL | ARM64_ESR_WNR | 0x22,
	  true },
	{ "watchpoint from EL1h: current-EL EC",
	  { 0x400000, ARM64_PSTATE_EL1h, VBAR, SPAN, EC(0x34) | IL | 0x22, 0x1234, false },
	  0,
	  VBAR + 0x200,
	  ARM64_PSTATE_EL1h | DAIF,
	  EC(0x35) | IL | 0x22,
	  true },
	{ "BKPT from EL0 AArch32",
	  { 0x8000, ARM64_PSTATE_nRW, VBAR, SPAN, EC(0x38) | 0x1, 0, false },
	  0,
	  VBAR + 0x600,
	  ARM64_PSTATE_EL1h | DAIF,
	  EC(0x38) | IL | 0x1,
	  false },
	{ "BRK from EL1h keeps EC and imm16, sets IL",
	  { 0x3000, ARM64_PSTATE_EL1h, VBAR, SPAN, EC(0x3c) | 0x800, 0, false },
	  0,
	  VBAR + 0x200,
	  ARM64_PSTATE_EL1h | DAIF,
	  EC(0x3c) | IL | 0x800,
	  false },
	{ "VBAR low bits, DSSBS, MTE, UAO, DIT, BTYPE",
	  { 0x3000, ARM64_PSTATE_EL1h | ARM64_PSTATE_UAO | ARM64_PSTATE_DIT | ARM64_PSTATE_BTYPE,
	    VBAR | 0x7ff, SPAN | ARM64_SCTLR_DSSBS, EC(0x3c), 0, true },
	  0,
	  VBAR + 0x200,
	  ARM64_PSTATE_EL1h | DAIF | ARM64_PSTATE_DIT | ARM64_PSTATE_SSBS | ARM64_PSTATE_TCO,
	  EC(0x3c) | IL,
	  false },
	{ "from EL2h: refused",
	  { 0x1000, 0x9, VBAR, SPAN, EC(0x30), 0, false },
	  -EINVAL,
	  0,
	  0,
	  0,
	  false },
	{ "from AArch32 SVC mode: refused",
	  { 0x1000, 0x13, VBAR, SPAN, EC(0x30), 0, false },
	  -EINVAL,
	  0,
	  0,
	  0,
	  false },
	{ "data abort: not a debug exception",
	  { 0x1000, 0x5, VBAR, SPAN, EC(0x24), 0, false },
	  -EINVAL,
	  0,
	  0,
	  0,
	  false },
};

static void test_entry(void **state)
{
	const struct entry_case *c = *state;
	struct arm64_exc_out out;

	assert_int_equal(arm64_exc_enter_el1(&c->in, &out), c->ret);
	if (c->ret)
		return;
	assert_int_equal(out.pc, c->pc);
	assert_int_equal(out.pstate, c->pstate);
	assert_int_equal(out.esr_el1, c->esr_el1);
	assert_int_equal(out.elr_el1, c->in.pc);
	assert_int_equal(out.spsr_el1, c->in.pstate);
	assert_int_equal(out.far_valid, c->far_valid);
	if (c->far_valid)
		assert_int_equal(out.far_el1, c->in.far);
}

struct vec_case {
	const char *name;
	uint64_t pc;
	bool inside, async;
	enum arm64_vec_type type;
	enum arm64_vec_source source;
};

static const struct vec_case vec_cases[] = {
	{ "vector: sync current SP0", VBAR + 0x000, true, false, ARM64_VEC_SYNC,
	  ARM64_VEC_CUR_SP0 },
	{ "vector: IRQ current SPx", VBAR + 0x280, true, true, ARM64_VEC_IRQ, ARM64_VEC_CUR_SPX },
	{ "vector: FIQ current SP0 end", VBAR + 0x17c, true, true, ARM64_VEC_FIQ,
	  ARM64_VEC_CUR_SP0 },
	{ "vector: SError current SPx", VBAR + 0x380, true, true, ARM64_VEC_SERROR,
	  ARM64_VEC_CUR_SPX },
	{ "vector: IRQ lower AArch64", VBAR + 0x480, true, true, ARM64_VEC_IRQ,
	  ARM64_VEC_LOWER_A64 },
	{ "vector: sync current SPx", VBAR + 0x27c, true, false, ARM64_VEC_SYNC,
	  ARM64_VEC_CUR_SPX },
	{ "vector: IRQ lower AArch32", VBAR + 0x6f0, true, true, ARM64_VEC_IRQ,
	  ARM64_VEC_LOWER_A32 },
	{ "vector: past the table", VBAR + 0x800, false, false, 0, 0 },
	{ "vector: below VBAR", VBAR - 4, false, false, 0, 0 },
};

static void test_vector(void **state)
{
	const struct vec_case *c = *state;
	enum arm64_vec_type type;
	enum arm64_vec_source source;

	assert_int_equal(arm64_vector_lookup(VBAR, c->pc, &type, &source), c->inside);
	assert_int_equal(arm64_pc_in_async_vector(VBAR, c->pc), c->async);
	if (c->inside) {
		assert_int_equal(type, c->type);
		assert_int_equal(source, c->source);
	}
}

static void test_decode(void **state)
{
	char buf[128];

	assert_int_equal(arm64_esr_ec(0xf2000800), 0x3c);
	assert_int_equal(arm64_esr_brk_imm(0xf2000800), 0x800);
	assert_int_equal(arm64_esr_debug_kind(0xf2000800), ARM64_DBG_BRK);
	assert_int_equal(arm64_esr_debug_kind(EC(0x30)), ARM64_DBG_HW_BREAKPOINT);
	assert_int_equal(arm64_esr_debug_kind(EC(0x33)), ARM64_DBG_SOFT_STEP);
	assert_int_equal(arm64_esr_debug_kind(EC(0x35)), ARM64_DBG_WATCHPOINT);
	assert_int_equal(arm64_esr_debug_kind(EC(0x24)), ARM64_DBG_NONE);
	assert_true(arm64_esr_is_write(EC(0x34) | ARM64_ESR_WNR));
	assert_false(arm64_esr_is_write(EC(0x34)));
	assert_string_equal(arm64_esr_ec_name(0x34), "watchpoint (lower EL)");
	assert_string_equal(arm64_esr_ec_name(0x25), "data abort (same EL)");
	assert_string_equal(arm64_esr_ec_name(0x3f), "unknown EC");
	arm64_esr_describe(0xf2000800, buf, sizeof(buf));
	assert_string_equal(buf, "EC 0x3c BRK (AArch64) #0x800");
	arm64_esr_describe(EC(0x34) | IL | ARM64_ESR_WNR | 0x22, buf, sizeof(buf));
	assert_string_equal(buf, "EC 0x34 watchpoint (lower EL), write");
	arm64_esr_describe(EC(0x32) | IL | ARM64_ESR_SS_ISV | ARM64_ESR_SS_EX | 0x22, buf,
			   sizeof(buf));
	assert_string_equal(buf, "EC 0x32 software step (lower EL), stepped a load-exclusive");
	arm64_esr_describe(EC(0x24) | IL | 0x10, buf, sizeof(buf));
	assert_string_equal(buf, "EC 0x24 data abort (lower EL), ISS 0x0000010");
}

int main(void)
{
	struct CMUnitTest tests[ARRAY_SIZE(entry_cases) + ARRAY_SIZE(vec_cases) + 1];
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(entry_cases); i++)
		tests[n++] = (struct CMUnitTest){ entry_cases[i].name, test_entry, NULL, NULL,
						  (void *)&entry_cases[i] };
	for (size_t i = 0; i < ARRAY_SIZE(vec_cases); i++)
		tests[n++] = (struct CMUnitTest){ vec_cases[i].name, test_vector, NULL, NULL,
						  (void *)&vec_cases[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_decode);
	return _cmocka_run_group_tests("arm64_esr", tests, n, NULL, NULL);
}
