// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for the A64 classifier. Every word below was produced by aarch64-linux-gnu-as
 * (binutils 2.40, .arch armv8.8-a+pauth+memtag) and read back with objdump -d; the targets are
 * objdump's, relocated to BASE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "types.h"
#include "src/arm64/insn.h"

/* Rows name only the fields their class uses; the rest are zero on purpose. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define BASE 0x40080000ull
#define SEQ ARM64_INSN_SEQUENTIAL
#define DIR ARM64_INSN_BRANCH_DIRECT
#define IND ARM64_INSN_BRANCH_INDIRECT
#define EXC ARM64_INSN_EXCEPTION_GEN
#define ERET ARM64_INSN_ERET
#define WAIT ARM64_INSN_WAIT
#define EXCL ARM64_INSN_EXCLUSIVE
#define SYS ARM64_INSN_SYSREG
#define COND ARM64_INSN_F_COND
#define LINK ARM64_INSN_F_LINK
#define RET ARM64_INSN_F_RET
#define PAC ARM64_INSN_F_PAC
#define LD ARM64_INSN_F_LOAD
#define ST ARM64_INSN_F_STORE

struct insn_case {
	const char *name; /* the assembler source */
	uint32_t word;
	uint64_t pc;
	enum arm64_insn_class cls;
	unsigned int flags;
	const char *mnemonic;
	int64_t target; /* relative to BASE, for direct branches */
	unsigned int reg, imm;
	struct arm64_sysreg_enc sysreg;
};

static const struct insn_case cases[] = {
	{ "nop", 0xd503201f, 0x0, SEQ, 0, "other" },
	{ "add x0, x1, x2", 0x8b020020, 0x4, SEQ, 0, "other" },
	{ "b .+0xf8", 0x1400003e, 0x8, DIR, 0, "b", 0x100 },
	{ "bl .-0x10c", 0x97ffffbd, 0xc, DIR, LINK, "bl", -0x100 },
	{ "b.ne .+0x30", 0x54000181, 0x10, DIR, COND, "b.cond", 0x40, 0, 1 },
	{ "bc.eq .-0xc", 0x54ffffb0, 0x14, DIR, COND, "bc.cond", 0x8, 0, 0 },
	{ "cbz x3, .+8", 0xb4000043, 0x18, DIR, COND, "cbz", 0x20, 3 },
	{ "cbnz w4, .-0x3c", 0x35fffe24, 0x1c, DIR, COND, "cbnz", -0x20, 4 },
	{ "tbz x5, #33, .+0x60", 0xb6080305, 0x20, DIR, COND, "tbz", 0x80, 5, 33 },
	{ "tbnz w6, #2, .-0x7024", 0x37147ee6, 0x24, DIR, COND, "tbnz", -0x7000, 6, 2 },
	{ "br x7", 0xd61f00e0, 0x28, IND, 0, "br", 0, 7 },
	{ "blr x8", 0xd63f0100, 0x2c, IND, LINK, "blr", 0, 8 },
	{ "ret", 0xd65f03c0, 0x30, IND, RET, "ret", 0, 30 },
	{ "ret x9", 0xd65f0120, 0x34, IND, RET, "ret", 0, 9 },
	{ "retaa", 0xd65f0bff, 0x38, IND, RET | PAC, "ret", 0, 30 },
	{ "retab", 0xd65f0fff, 0x3c, IND, RET | PAC, "ret", 0, 30 },
	{ "braa x10, x11", 0xd71f094b, 0x40, IND, PAC, "br", 0, 10 },
	{ "brab x10, sp", 0xd71f0d5f, 0x44, IND, PAC, "br", 0, 10 },
	{ "braaz x12", 0xd61f099f, 0x48, IND, PAC, "br", 0, 12 },
	{ "blraa x13, x14", 0xd73f09ae, 0x4c, IND, LINK | PAC, "blr", 0, 13 },
	{ "blrabz x15", 0xd63f0dff, 0x50, IND, LINK | PAC, "blr", 0, 15 },
	{ "eret", 0xd69f03e0, 0x54, ERET, 0, "eret", 0, 31 },
	{ "eretaa", 0xd69f0bff, 0x58, ERET, PAC, "eret", 0, 31 },
	{ "eretab", 0xd69f0fff, 0x5c, ERET, PAC, "eret", 0, 31 },
	{ "drps", 0xd6bf03e0, 0x60, EXC, 0, "drps", 0, 31 },
	{ "ret with op4 != 0 (unallocated)", 0xd65f03c1, 0x0, EXC, 0, "undef", 0, 30 },
	{ "svc #0", 0xd4000001, 0x64, EXC, 0, "svc", 0, 0, 0 },
	{ "hvc #0x1234", 0xd4024682, 0x68, EXC, 0, "hvc", 0, 0, 0x1234 },
	{ "smc #1", 0xd4000023, 0x6c, EXC, 0, "smc", 0, 0, 1 },
	{ "brk #0x800", 0xd4210000, 0x70, EXC, 0, "brk", 0, 0, 0x800 },
	{ "hlt #0xf000", 0xd45e0000, 0x74, EXC, 0, "hlt", 0, 0, 0xf000 },
	{ "exception space, LL=00 opc=000 (unallocated)", 0xd4000000, 0x0, EXC, 0, "undef" },
	{ "udf #66", 0x00000042, 0x78, EXC, 0, "udf", 0, 0, 66 },
	{ "wfi", 0xd503207f, 0x7c, WAIT, 0, "wfi" },
	{ "wfe", 0xd503205f, 0x80, WAIT, 0, "wfe" },
	{ "wfet x3", 0xd5031003, 0x84, WAIT, 0, "wfet", 0, 3 },
	{ "wfit x4", 0xd5031024, 0x88, WAIT, 0, "wfit", 0, 4 },
	{ "yield", 0xd503203f, 0x8c, SEQ, 0, "other" },
	{ "sev", 0xd503209f, 0x90, SEQ, 0, "other" },
	{ "ldxr x0, [x1]", 0xc85f7c20, 0x94, EXCL, LD, "ldxr", 0, 0 },
	{ "ldaxr w2, [x3]", 0x885ffc62, 0x98, EXCL, LD, "ldaxr", 0, 2 },
	{ "stxr w4, x5, [x6]", 0xc8047cc5, 0x9c, EXCL, ST, "stxr", 0, 5 },
	{ "stlxr w7, w8, [x9]", 0x8807fd28, 0xa0, EXCL, ST, "stlxr", 0, 8 },
	{ "ldxrb w0, [x1]", 0x085f7c20, 0xa4, EXCL, LD, "ldxr", 0, 0 },
	{ "stlxrh w2, w3, [x4]", 0x4802fc83, 0xa8, EXCL, ST, "stlxr", 0, 3 },
	{ "ldxp x0, x1, [x2]", 0xc87f0440, 0xac, EXCL, LD, "ldxp", 0, 0 },
	{ "ldaxp w3, w4, [x5]", 0x887f90a3, 0xb0, EXCL, LD, "ldaxp", 0, 3 },
	{ "stxp w6, x7, x8, [x9]", 0xc8262127, 0xb4, EXCL, ST, "stxp", 0, 7 },
	{ "stlxp w10, w11, w12, [x13]", 0x882ab1ab, 0xb8, EXCL, ST, "stlxp", 0, 11 },
	{ "ldar x0, [x1]", 0xc8dffc20, 0xbc, SEQ, 0, "other" },
	{ "stlr w2, [x3]", 0x889ffc62, 0xc0, SEQ, 0, "other" },
	{ "cas x0, x1, [x2]", 0xc8a07c41, 0xc4, SEQ, 0, "other" },
	{ "casp x0, x1, x2, x3, [x4]", 0x48207c82, 0xc8, SEQ, 0, "other" },
	{ "casal w5, w6, [x7]", 0x88e5fce6, 0xcc, SEQ, 0, "other" },
	{ "ldadd x0, x1, [x2]", 0xf8200041, 0xd0, SEQ, 0, "other" },
	{ "clrex", 0xd5033f5f, 0xd4, SEQ, 0, "other" },
	{ "mrs x0, sctlr_el1", 0xd5381000, 0xd8, SYS, LD, "mrs", 0, 0, 0, { 3, 0, 1, 0, 0 } },
	{ "msr vbar_el1, x1", 0xd518c001, 0xdc, SYS, ST, "msr", 0, 1, 0, { 3, 0, 12, 0, 0 } },
	{ "mrs x2, cntvct_el0", 0xd53be042, 0xe0, SYS, LD, "mrs", 0, 2, 0, { 3, 3, 14, 0, 2 } },
	{ "msr daifset, #2", 0xd50342df, 0xe4, SYS, ST, "msr" },
	{ "msr spsel, #1", 0xd50041bf, 0xe8, SYS, ST, "msr" },
	{ "dc civac, x0", 0xd50b7e20, 0xec, SYS, ST, "sys", 0, 0 },
	{ "tlbi vmalle1", 0xd508871f, 0xf0, SYS, ST, "sys", 0, 31 },
	{ "isb", 0xd5033fdf, 0xf4, SEQ, 0, "other" },
	{ "dsb sy", 0xd5033f9f, 0xf8, SEQ, 0, "other" },
	{ "ldr x0, <literal>", 0x58fff820, 0xfc, SEQ, 0, "other" },
	{ "adr x1, .-0x100", 0x10fff801, 0x100, SEQ, 0, "other" },
	{ "adrp x2, .", 0x90000002, 0x104, SEQ, 0, "other" },
	{ "paciasp", 0xd503233f, 0x108, SEQ, 0, "other" },
	{ "autiasp", 0xd50323bf, 0x10c, SEQ, 0, "other" },
	{ "bti c", 0xd503245f, 0x110, SEQ, 0, "other" },
	{ "ldr x0, [x1, #8]", 0xf9400420, 0x114, SEQ, 0, "other" },
	{ "stp x29, x30, [sp, #-16]!", 0xa9bf7bfd, 0x118, SEQ, 0, "other" },
};

static void test_case(void **state)
{
	const struct insn_case *c = *state;
	struct arm64_insn o;
	bool branch = c->cls == DIR || c->cls == IND || c->cls == EXC || c->cls == ERET;

	arm64_insn_decode(c->word, BASE + c->pc, &o);
	assert_string_equal(arm64_insn_class_name(o.cls), arm64_insn_class_name(c->cls));
	assert_string_equal(o.name, c->mnemonic);
	assert_int_equal(o.flags, c->flags);
	assert_int_equal(arm64_insn_is_branch(c->word), branch);
	if (c->cls == DIR)
		assert_int_equal(o.target, BASE + (uint64_t)c->target);
	if (c->cls == DIR || c->cls == IND || c->cls == EXCL || c->cls == WAIT || c->cls == SYS ||
	    c->cls == ERET)
		assert_int_equal(o.reg, c->reg);
	if (c->cls == EXC || c->cls == DIR)
		assert_int_equal(o.imm, c->imm);
	if (c->cls == SYS && (o.flags & (LD | ST)) && o.sysreg.op0 >= 2) {
		assert_int_equal(o.sysreg.op0, c->sysreg.op0);
		assert_int_equal(o.sysreg.op1, c->sysreg.op1);
		assert_int_equal(o.sysreg.crn, c->sysreg.crn);
		assert_int_equal(o.sysreg.crm, c->sysreg.crm);
		assert_int_equal(o.sysreg.op2, c->sysreg.op2);
	}
}

static void test_next_branch(void **state)
{
	/* ldr; add; cbz; ret */
	const uint32_t code[] = { 0xf9400420, 0x8b020020, 0xb4000043, 0xd65f03c0 };
	const uint32_t straight[] = { 0xf9400420, 0x8b020020, 0xc85f7c20, 0xd5381000 };

	assert_int_equal(arm64_insn_next_branch(code, ARRAY_SIZE(code)), 2);
	assert_int_equal(arm64_insn_next_branch(straight, ARRAY_SIZE(straight)), 4);
	assert_int_equal(arm64_insn_next_branch(code, 0), 0);
}

/* Encodings from aarch64-linux-gnu-as. */
static void test_writes_sp(void **state)
{
	static const uint32_t yes[] = {
		0xd10043ff, /* sub sp, sp, #0x10 */
		0x910083ff, /* add sp, sp, #0x20 */
		0x9100001f, /* mov sp, x0 */
		0xa9bf7bfd, /* stp x29, x30, [sp, #-16]! */
		0xa8c17bfd, /* ldp x29, x30, [sp], #16 */
		0xf81f0fe0, /* str x0, [sp, #-16]! */
		0xf84107e0, /* ldr x0, [sp], #16 */
		0x927cec1f, /* and sp, x0, #0xfffffffffffffff0 */
	};
	static const uint32_t no[] = {
		0x910043e0, /* add x0, sp, #0x10 */
		0xf94007e0, /* ldr x0, [sp, #8] */
		0xa9017bfd, /* stp x29, x30, [sp, #16] */
		0xf100041f, /* cmp x0, #0x1 */
		0x8b030041, /* add x1, x2, x3 */
	};

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
		assert_true(arm64_insn_writes_sp(yes[i]));
	for (size_t i = 0; i < ARRAY_SIZE(no); i++)
		assert_false(arm64_insn_writes_sp(no[i]));
}

int main(void)
{
	struct CMUnitTest tests[ARRAY_SIZE(cases) + 2];
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		tests[n++] = (struct CMUnitTest){ cases[i].name, test_case, NULL, NULL,
						  (void *)&cases[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_next_branch);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_writes_sp);
	return _cmocka_run_group_tests("arm64_insn", tests, n, NULL, NULL);
}
