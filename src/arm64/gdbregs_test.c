// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for the gdb register map and target description: numbering as gdb's aarch64
 * features fix it, the `g` layout, unique names, KVM encodings, and XML that is well formed
 * and lists exactly the map's registers (checked by a tiny parser here, and by xmllint when
 * it is installed). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "types.h"
#include "src/arm64/gdbregs.h"

static const char *const annexes[] = { "target.xml", "aarch64-core.xml", "aarch64-fpu.xml",
				       "minivmm-sysregs.xml" };

struct num_case {
	const char *name;
	unsigned int regno, bitsize;
	enum arm64_gdb_reg_kind kind;
	unsigned int index;
};

static const struct num_case num_cases[] = {
	{ "x0", 0, 64, ARM64_GREG_X, 0 },
	{ "x29", 29, 64, ARM64_GREG_X, 29 },
	{ "x30", 30, 64, ARM64_GREG_X, 30 },
	{ "sp", ARM64_GDB_SP, 64, ARM64_GREG_SP, 0 },
	{ "pc", ARM64_GDB_PC, 64, ARM64_GREG_PC, 0 },
	{ "cpsr", ARM64_GDB_CPSR, 32, ARM64_GREG_CPSR, 0 },
	{ "v0", ARM64_GDB_V0, 128, ARM64_GREG_V, 0 },
	{ "v31", 65, 128, ARM64_GREG_V, 31 },
	{ "fpsr", ARM64_GDB_FPSR, 32, ARM64_GREG_FPSR, 0 },
	{ "fpcr", ARM64_GDB_FPCR, 32, ARM64_GREG_FPCR, 0 },
	{ "SP_EL0", ARM64_GDB_SYSREG0, 64, ARM64_GREG_CORE, ARM64_CORE_SP_EL0 },
	{ "SP_EL1", 69, 64, ARM64_GREG_CORE, ARM64_CORE_SP_EL1 },
	{ "ELR_EL1", 70, 64, ARM64_GREG_CORE, ARM64_CORE_ELR_EL1 },
	{ "SPSR_EL1", 71, 64, ARM64_GREG_CORE, ARM64_CORE_SPSR_EL1 },
};

static void test_numbering(void **state)
{
	const struct num_case *c = *state;
	const struct arm64_gdb_reg *r = arm64_gdb_reg(c->regno);

	assert_non_null(r);
	assert_string_equal(r->name, c->name);
	assert_int_equal(r->bitsize, c->bitsize);
	assert_int_equal(r->kind, c->kind);
	assert_int_equal(r->index, c->index);
	assert_int_equal(arm64_gdb_reg_by_name(c->name), c->regno);
}

static void test_sysregs(void **state)
{
	static const char *const required[] = {
		"SCTLR_EL1", "TCR_EL1",        "TTBR0_EL1", "TTBR1_EL1", "MAIR_EL1",
		"VBAR_EL1",  "ESR_EL1",        "FAR_EL1",   "ELR_EL1",   "SPSR_EL1",
		"SP_EL1",    "CONTEXTIDR_EL1", "TPIDR_EL1", "MDSCR_EL1", "CNTVCT_EL0",
	};
	const struct arm64_gdb_reg *r;

	for (size_t i = 0; i < ARRAY_SIZE(required); i++)
		assert_true(arm64_gdb_reg_by_name(required[i]) >= ARM64_GDB_SYSREG0);
	r = arm64_gdb_reg(arm64_gdb_reg_by_name("VBAR_EL1"));
	assert_int_equal(r->kind, ARM64_GREG_SYSREG);
	assert_int_equal(arm64_sysreg_key(r->enc),
			 arm64_sysreg_key((struct arm64_sysreg_enc){ 3, 0, 12, 0, 0 }));
	assert_int_equal(arm64_sysreg_key(arm64_gdb_kvm_sysreg(r)), arm64_sysreg_key(r->enc));
	r = arm64_gdb_reg(arm64_gdb_reg_by_name("MDSCR_EL1"));
	assert_int_equal(r->enc.op0, 2);
	/* KVM's uapi swapped the timer's CNT and CVAL ids */
	r = arm64_gdb_reg(arm64_gdb_reg_by_name("CNTVCT_EL0"));
	assert_true(r->readonly);
	assert_int_equal(r->enc.crm, 0);
	assert_int_equal(arm64_gdb_kvm_sysreg(r).crm, 3);
	r = arm64_gdb_reg(arm64_gdb_reg_by_name("CNTV_CVAL_EL0"));
	assert_false(r->readonly);
	assert_int_equal(r->enc.crm, 3);
	assert_int_equal(arm64_gdb_kvm_sysreg(r).crm, 0);
	assert_int_equal(arm64_gdb_reg_by_name("nosuch"), -ENOENT);
	assert_null(arm64_gdb_reg(arm64_gdb_nregs()));
}

static void test_unique_names(void **state)
{
	for (unsigned int i = 0; i < arm64_gdb_nregs(); i++)
		for (unsigned int j = i + 1; j < arm64_gdb_nregs(); j++)
			assert_string_not_equal(arm64_gdb_reg(i)->name, arm64_gdb_reg(j)->name);
}

static void test_g_layout(void **state)
{
	const struct arm64_gdb_reg *last = arm64_gdb_reg(ARM64_GDB_G_NREGS - 1);

	assert_int_equal(arm64_gdb_g_offset(0), 0);
	assert_int_equal(arm64_gdb_g_offset(ARM64_GDB_PC), 256);
	assert_int_equal(arm64_gdb_g_offset(ARM64_GDB_CPSR), 264);
	assert_int_equal(arm64_gdb_g_offset(ARM64_GDB_V0), 268);
	assert_int_equal(arm64_gdb_g_offset(ARM64_GDB_FPSR), 780);
	assert_int_equal(arm64_gdb_g_offset(ARM64_GDB_FPCR), 784);
	assert_int_equal(arm64_gdb_g_offset(ARM64_GDB_FPCR) + last->bitsize / 8, ARM64_GDB_G_BYTES);
	assert_int_equal(ARM64_GDB_G_BYTES, 788);
	assert_int_equal(arm64_gdb_g_offset(ARM64_GDB_SYSREG0), -ENOENT);
}

static void test_current_sp(void **state)
{
	assert_true(arm64_current_sp_is_el1(0x3c5));  /* EL1h, DAIF masked */
	assert_false(arm64_current_sp_is_el1(0x3c4)); /* EL1t */
	assert_false(arm64_current_sp_is_el1(0x0));   /* EL0t */
}

/* Tags nest and close, attribute quotes pair up, one root element. */
static bool well_formed(const char *s)
{
	char stack[8][64];
	int depth = 0, roots = 0;

	while ((s = strchr(s, '<'))) {
		const char *end = strchr(s, '>'), *name;
		size_t len, quotes = 0;
		bool closing;

		if (!end)
			return false;
		if (s[1] == '?' || s[1] == '!') {
			s = end + 1;
			continue;
		}
		for (const char *p = s; p < end; p++)
			quotes += *p == '"';
		closing = s[1] == '/';
		name = s + 1 + closing;
		len = strcspn(name, " \t\n/>");
		if (quotes % 2 || !len || len >= sizeof(stack[0]))
			return false;
		if (closing) {
			if (!depth || strlen(stack[depth - 1]) != len ||
			    strncmp(stack[depth - 1], name, len))
				return false;
			depth--;
		} else {
			roots += depth == 0;
			if (end[-1] != '/') {
				if (depth == (int)ARRAY_SIZE(stack))
					return false;
				memcpy(stack[depth], name, len);
				stack[depth++][len] = '\0';
			}
		}
		s = end + 1;
	}
	return depth == 0 && roots == 1;
}

static long attr(const char *tag, const char *end, const char *key, char *out, size_t size)
{
	char pat[32];
	const char *p, *q;

	snprintf(pat, sizeof(pat), " %s=\"", key);
	p = strstr(tag, pat);
	if (!p || p > end)
		return -1;
	p += strlen(pat);
	q = strchr(p, '"');
	if (out) {
		snprintf(out, size, "%.*s", (int)(q - p), p);
		return 0;
	}
	return strtol(p, NULL, 10);
}

static void test_xml_well_formed(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(annexes); i++) {
		size_t len = 0;
		const char *xml = arm64_gdb_xml(annexes[i], &len);

		assert_non_null(xml);
		assert_int_equal(len, strlen(xml));
		assert_true(well_formed(xml));
	}
	assert_null(arm64_gdb_xml("arm-core.xml", NULL));
}

/* Walks the <reg> elements in the order target.xml includes them and numbers them as gdb
 * does: the regnum attribute, else one more than the previous register. */
static void test_xml_matches_map(void **state)
{
	unsigned int next = 0;

	assert_non_null(strstr(arm64_gdb_xml("target.xml", NULL), "<architecture>aarch64<"));
	for (size_t i = 1; i < ARRAY_SIZE(annexes); i++) {
		const char *s = arm64_gdb_xml(annexes[i], NULL);

		assert_non_null(strstr(arm64_gdb_xml("target.xml", NULL), annexes[i]));
		while ((s = strstr(s, "<reg "))) {
			const char *end = strchr(s, '>');
			const struct arm64_gdb_reg *r;
			char name[32];
			long regnum = attr(s, end, "regnum", NULL, 0);

			attr(s, end, "name", name, sizeof(name));
			if (regnum >= 0)
				next = (unsigned int)regnum;
			r = arm64_gdb_reg(next);
			assert_non_null(r);
			assert_string_equal(name, r->name);
			assert_int_equal(attr(s, end, "bitsize", NULL, 0), r->bitsize);
			next++;
			s = end;
		}
	}
	assert_int_equal(next, arm64_gdb_nregs());
}

/* The kernel's gdb scripts shift $SP_EL0 ($lx_current(): SP_EL0 >> 63), which gdb refuses
 * for a pointer type: the stack pointers are integers, as QEMU types its system registers. */
static void test_stack_pointers_are_integers(void **state)
{
	const char *xml = arm64_gdb_xml("minivmm-sysregs.xml", NULL);

	assert_non_null(strstr(xml, "<reg name=\"SP_EL0\" bitsize=\"64\" type=\"int\""));
	assert_non_null(strstr(xml, "<reg name=\"SP_EL1\" bitsize=\"64\" type=\"int\""));
}

static void test_xmllint(void **state)
{
	char path[] = "/tmp/minivmm-gdbregs-XXXXXX";
	int fd;

	if (access("/usr/bin/xmllint", X_OK))
		skip();
	for (size_t i = 0; i < ARRAY_SIZE(annexes); i++) {
		size_t len;
		const char *xml = arm64_gdb_xml(annexes[i], &len);
		char cmd[128];

		fd = mkstemp(path);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, xml, len), (ssize_t)len);
		close(fd);
		snprintf(cmd, sizeof(cmd), "/usr/bin/xmllint --noout %s", path);
		assert_int_equal(system(cmd), 0);
		unlink(path);
		strcpy(path, "/tmp/minivmm-gdbregs-XXXXXX");
	}
}

int main(void)
{
	struct CMUnitTest tests[ARRAY_SIZE(num_cases) + 8];
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(num_cases); i++)
		tests[n++] = (struct CMUnitTest){ num_cases[i].name, test_numbering, NULL, NULL,
						  (void *)&num_cases[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_sysregs);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_unique_names);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_g_layout);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_current_sp);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_xml_well_formed);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_xml_matches_map);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_stack_pointers_are_integers);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_xmllint);
	return _cmocka_run_group_tests("arm64_gdbregs", tests, n, NULL, NULL);
}
