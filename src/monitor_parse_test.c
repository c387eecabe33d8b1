// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for the monitor's parser: command lookup (one and two words), argument schemas,
 * x/FMT, the errors a user sees for bad input, gdb-style memory dumps and completion. The
 * table mirrors the real one's schemas (src/monitor_cmds.c) with handlers that do nothing. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "types.h"
#include "src/monitor_parse.h"

/* Table rows give only the fields their case needs; the rest are zero on purpose. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static int nop(const struct mon_out *o, const struct mon_args *a)
{
	return 0;
}

static const struct mon_cmd table[] = {
	{ "help", "?r", "[CMD]", "", nop, 0 },
	{ "info cpus", "", "", "", nop, 0 },
	{ "info registers", "?c", "[CPU]", "", nop, 0 },
	{ "info breakpoints", "", "", "", nop, 0 },
	{ "translate", "n?c", "VA [CPU]", "", nop, 0 },
	{ "x", "n?c", "VA [CPU]", "", nop, MON_F_FMT },
	{ "xp", "n", "PA", "", nop, MON_F_FMT },
	{ "stop", "", "", "", nop, MON_F_RUNCTL },
	{ "step", "?c", "[CPU]", "", nop, MON_F_RUNCTL },
	{ "step-irq", "?b", "[on|off]", "", nop, 0 },
	{ "dtb", "r", "FILE", "", nop, 0 },
	{ "dump-guest-memory", "r", "[-f] FILE", "", nop, 0 },
	{ "quit", "", "", "", nop, 0 },
};

struct parse_case {
	const char *name, *line;
	int ret;
	const char *cmd; /* ret 1 */
	unsigned int n;  /* arguments parsed */
	uint64_t num0, num1;
	const char *str0;
	unsigned int count, size;
	char format;
	const char *err; /* ret < 0: the exact error line */
};

static const struct parse_case parse_cases[] = {
	{ "empty line", "   ", 0 },
	{ "comment", "# info cpus", 0 },
	{ "one word", "quit", 1, "quit" },
	{ "two words, extra spaces", "  info   cpus  ", 1, "info cpus" },
	{ "optional cpu absent", "info registers", 1, "info registers", 0 },
	{ "optional cpu given", "info registers 1", 1, "info registers", 1, 1 },
	{ "hex address", "translate 0xffff800008000000", 1, "translate", 1, 0xffff800008000000 },
	{ "address and cpu", "translate 4096 1", 1, "translate", 2, 4096, 1 },
	{ "octal", "translate 010", 1, "translate", 1, 8 },
	{ "x default format", "x 0x40000000", 1, "x", 1, 0x40000000, 0, NULL, 1, 4, 'x' },
	{ "x/4x", "x/4x 0x40000000", 1, "x", 1, 0x40000000, 0, NULL, 4, 4, 'x' },
	{ "x/8xb", "x/8xb 0x10", 1, "x", 1, 0x10, 0, NULL, 8, 1, 'x' },
	{ "x/2gd size first", "x/2gd 0x10 1", 1, "x", 2, 0x10, 1, NULL, 2, 8, 'd' },
	{ "x/c is bytes", "x/3c 0x10", 1, "x", 1, 0x10, 0, NULL, 3, 1, 'c' },
	{ "x/ with no letters", "x/ 0x10", 1, "x", 1, 0x10, 0, NULL, 1, 4, 'x' },
	{ "xp/2t", "xp/2th 0x40000000", 1, "xp", 1, 0x40000000, 0, NULL, 2, 2, 't' },
	{ "step-irq on", "step-irq on", 1, "step-irq", 1 },
	{ "step-irq alone", "step-irq", 1, "step-irq", 0 },
	{ "dtb keeps spaces", "dtb  /tmp/my tree.dtb ", 1, "dtb", 1, 0, 0, "/tmp/my tree.dtb" },
	{ "help with a two-word topic", "help info cpus", 1, "help", 1, 0, 0, "info cpus" },
	{ "unknown command", "frobnicate 1", -EINVAL,
	  .err = "unknown command 'frobnicate' (type 'help' for a list)" },
	{ "info alone", "info", -EINVAL, .err = "info: what? (info cpus, registers, breakpoints)" },
	{ "unknown info", "info frob", -EINVAL,
	  .err = "unknown command 'info frob' (info takes cpus, registers, breakpoints)" },
	{ "missing VA", "translate", -EINVAL,
	  .err = "translate: missing VA (usage: translate VA [CPU])" },
	{ "missing FILE", "dtb   ", -EINVAL, .err = "dtb: missing FILE (usage: dtb FILE)" },
	{ "missing FILE after a flag", "dump-guest-memory", -EINVAL,
	  .err = "dump-guest-memory: missing FILE (usage: dump-guest-memory [-f] FILE)" },
	{ "not a number", "translate 0xzz", -EINVAL,
	  .err = "translate: '0xzz' is not a number (0x for hex)" },
	{ "hex without 0x", "x/4x ffff", -EINVAL, .err = "x: 'ffff' is not a number (0x for hex)" },
	{ "negative", "translate -1", -EINVAL,
	  .err = "translate: '-1' is not a number (0x for hex)" },
	{ "overflow", "translate 0x10000000000000000", -EINVAL,
	  .err = "translate: '0x10000000000000000' is not a number (0x for hex)" },
	{ "no such cpu", "info registers 2", -EINVAL,
	  .err = "info registers: no CPU 2 (CPUs are 0 to 1)" },
	{ "cpu not a number", "step one", -EINVAL,
	  .err = "step: 'one' is not a number (0x for hex)" },
	{ "too many arguments", "info cpus 3", -EINVAL,
	  .err = "info cpus: unexpected '3' (usage: info cpus)" },
	{ "too many after optional", "translate 1 1 1", -EINVAL,
	  .err = "translate: unexpected '1' (usage: translate VA [CPU])" },
	{ "on/off", "step-irq maybe", -EINVAL, .err = "step-irq: expected on or off, not 'maybe'" },
	{ "fmt on a command without", "translate/4 0", -EINVAL, .err = "translate takes no /FMT" },
	{ "bad format letter", "x/4q 0", -EINVAL,
	  .err = "x: bad format '/4q' (COUNT, then one of x d u o t c, one size of b h w g)" },
	{ "two sizes", "x/bw 0", -EINVAL,
	  .err = "x: bad format '/bw' (COUNT, then one of x d u o t c, one size of b h w g)" },
	{ "x/i", "x/4i 0", -EINVAL, .err = "x: format 'i' needs a disassembler: use gdb's x/i" },
	{ "count zero", "x/0x 0", -EINVAL, .err = "x: count '0' out of range (1 to 65536)" },
	{ "too many bytes", "x/20000g 0", -EINVAL, .err = "x: '/20000g' is more than 65536 bytes" },
	{ "c with a size", "x/2cw 0", -EINVAL, .err = "x: format 'c' shows bytes: size b or none" },
};

static void test_parse(void **state)
{
	const struct parse_case *c = *state;
	struct mon_args a;
	char err[256] = "";
	int ret = mon_parse(table, ARRAY_SIZE(table), c->line, 2, &a, err, sizeof(err));

	assert_int_equal(ret, c->ret);
	if (ret < 0) {
		assert_string_equal(err, c->err);
		return;
	}
	if (ret == 0)
		return;
	assert_string_equal(a.cmd->name, c->cmd);
	assert_int_equal(a.n, c->n);
	if (c->n && !c->str0 && strcmp(c->cmd, "step-irq"))
		assert_true(a.v[0].num == c->num0);
	if (c->n > 1)
		assert_true(a.v[1].num == c->num1);
	if (c->str0)
		assert_string_equal(a.v[0].str, c->str0);
	if (c->count) {
		assert_int_equal(a.fmt.count, c->count);
		assert_int_equal(a.fmt.size, c->size);
		assert_int_equal(a.fmt.format, c->format);
	}
}

static void test_step_irq_values(void **state)
{
	struct mon_args a;
	char err[128];

	assert_int_equal(mon_parse(table, ARRAY_SIZE(table), "step-irq on", 1, &a, err, 128), 1);
	assert_true(a.v[0].on);
	assert_int_equal(mon_parse(table, ARRAY_SIZE(table), "step-irq off", 1, &a, err, 128), 1);
	assert_false(a.v[0].on);
}

static void test_line_too_long(void **state)
{
	char line[MON_LINE_MAX + 10], err[128];
	struct mon_args a;

	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	assert_int_equal(mon_parse(table, ARRAY_SIZE(table), line, 1, &a, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "line too long (at most 1023 characters)");
}

/* ------------------------------------------------------------------ x output */

struct sink {
	char buf[4096];
	size_t len;
};

static void collect(void *ctx, const char *buf, size_t len)
{
	struct sink *s = ctx;

	assert_true(s->len + len < sizeof(s->buf));
	memcpy(s->buf + s->len, buf, len);
	s->len += len;
	s->buf[s->len] = '\0';
}

struct units_case {
	const char *name, *fmt;
	uint64_t addr;
	const char *want;
};

static const uint8_t bytes[16] = { 0x00, 0x00, 0x80, 0xd2, 'H',  'i',  '\n', 0xff,
				   0x01, 0x00, 0x00, 0x00, 0xfe, 0xff, 0xff, 0xff };

static const struct units_case units_cases[] = {
	{ "4 words hex, as gdb's x/4x", "4x", 0x40000000,
	  "0x40000000:\t0xd2800000\t0xff0a6948\t0x00000001\t0xfffffffe\n" },
	{ "words past a line", "4xw", 0xffff800008000000,
	  "0xffff800008000000:\t0xd2800000\t0xff0a6948\t0x00000001\t0xfffffffe\n" },
	{ "giants, 2 a line", "2xg", 0x10, "0x10:\t0xff0a6948d2800000\t0xfffffffe00000001\n" },
	{ "signed decimal words", "4d", 0, "0x0:\t-763363328\t-16094904\t1\t-2\n" },
	{ "unsigned halves", "2uh", 0, "0x0:\t0\t53888\n" },
	{ "octal bytes", "3ob", 0, "0x0:\t0\t0\t0200\n" },
	{ "binary halfword", "1th", 4, "0x4:\t0110100101001000\n" },
	{ "chars", "4c", 4, "0x4:\t72 'H'\t105 'i'\t10 '\\n'\t-1 '\\377'\n" },
	{ "bytes wrap to a second line", "10xb", 0,
	  "0x0:\t0x00\t0x00\t0x80\t0xd2\t0x48\t0x69\t0x0a\t0xff\n"
	  "0x8:\t0x01\t0x00\n" },
};

static void test_units(void **state)
{
	const struct units_case *c = *state;
	struct sink s = { .len = 0 };
	struct mon_out o = { collect, &s };
	struct mon_fmt f;
	char err[128];
	uint64_t off = c->addr & 0xf;

	assert_int_equal(mon_parse_fmt(c->fmt, &f, err, sizeof(err)), 0);
	mon_print_units(&o, c->addr, bytes + off, (size_t)f.count * f.size, &f);
	assert_string_equal(s.buf, c->want);
}

/* ---------------------------------------------------------------- completion */

struct complete_case {
	const char *name, *before, *text, *want; /* want: candidates joined by spaces */
};

static const struct complete_case complete_cases[] = {
	{ "inf<TAB>", "", "inf", "info" },
	{ "first words once each", "", "", "help info translate x xp stop step step-irq dtb dump-guest-memory quit" },
	{ "st<TAB>", "", "st", "stop step step-irq" },
	{ "info subcommands", "info ", "", "cpus registers breakpoints" },
	{ "info c<TAB>", "info ", "c", "cpus" },
	{ "help takes names", "help ", "tr", "translate" },
	{ "on/off", "step-irq ", "o", "on off" },
	{ "nothing after an address", "translate ", "0", "" },
	{ "no third word", "info cpus ", "", "" },
	{ "unknown first word", "frob ", "", "" },
};

static void test_complete(void **state)
{
	const struct complete_case *c = *state;
	char got[256] = "", word[64];
	size_t pos = 0, off = 0;

	while (mon_complete(table, ARRAY_SIZE(table), c->before, c->text, &pos, word, sizeof(word)))
		off += snprintf(got + off, sizeof(got) - off, "%s%s", off ? " " : "", word);
	assert_string_equal(got, c->want);
}

static void test_u64(void **state)
{
	uint64_t v;

	assert_int_equal(mon_parse_u64("0", &v), 0);
	assert_true(v == 0);
	assert_int_equal(mon_parse_u64("0xffffffffffffffff", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(mon_parse_u64(" 1", &v), -EINVAL);
	assert_int_equal(mon_parse_u64("+1", &v), -EINVAL);
	assert_int_equal(mon_parse_u64("1k", &v), -EINVAL);
	assert_int_equal(mon_parse_u64("", &v), -EINVAL);
	assert_int_equal(mon_parse_u64("09", &v), -EINVAL); /* octal */
}

#define CASES(arr, fn)                                                                         \
	for (i = 0; i < ARRAY_SIZE(arr); i++)                                                  \
		tests[n++] = (struct CMUnitTest)                                               \
		{                                                                              \
			.name = arr[i].name, .test_func = fn, .initial_state = (void *)&arr[i] \
		}

int main(void)
{
	struct CMUnitTest tests[ARRAY_SIZE(parse_cases) + ARRAY_SIZE(units_cases) +
				ARRAY_SIZE(complete_cases) + 3];
	size_t i, n = 0;

	CASES(parse_cases, test_parse);
	CASES(units_cases, test_units);
	CASES(complete_cases, test_complete);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_step_irq_values);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_line_too_long);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_u64);
	return _cmocka_run_group_tests("monitor_parse", tests, n, NULL, NULL);
}
