// SPDX-License-Identifier: GPL-3.0-or-later
/* libFuzzer harness for the monitor's parser (src/monitor_parse.c): what a user types at the
 * prompt, a script sends on the monitor socket or gdb sends with `monitor`. The input is one
 * byte for the number of vCPUs, then the command line (cut at the first NUL). The table has
 * the schemas of the real one (src/monitor_cmds.c). Checks: the result is a command, nothing
 * or one error line (no newline, within the buffer); arguments fit the schema (CPUs below the
 * count, strings inside the line buffer, a /FMT within the byte limit) and a dump of that
 * many bytes prints whole lines; completion candidates of every split of the line end and
 * start with the word being completed. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "types.h"
#include "src/monitor_parse.h"
#include "tests/fuzz/fuzz.h"

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
	{ "cont", "", "", "", nop, MON_F_RUNCTL },
	{ "step", "?c", "[CPU]", "", nop, MON_F_RUNCTL },
	{ "step-irq", "?b", "[on|off]", "", nop, 0 },
	{ "dtb", "r", "FILE", "", nop, 0 },
	{ "gdb", "", "", "", nop, 0 },
	{ "quit", "", "", "", nop, 0 },
};

static uint8_t dump[MON_X_MAX_BYTES];

/* Every print of a dump is one whole line. */
static void sink(void *ctx, const char *buf, size_t len)
{
	FUZZ_CHECK(len > 0 && buf[len - 1] == '\n' && memchr(buf, '\n', len) == buf + len - 1);
	FUZZ_CHECK(!memcmp(buf, "0x", 2));
}

static bool in_buf(const struct mon_args *a, const char *s)
{
	return s >= a->buf && s < a->buf + sizeof(a->buf) &&
	       memchr(s, '\0', a->buf + sizeof(a->buf) - s);
}

static void check_args(const struct mon_args *a, unsigned int nr_cpus)
{
	const struct mon_cmd *c = a->cmd;
	const char *k;
	unsigned int i = 0;

	FUZZ_CHECK(c >= table && c < table + ARRAY_SIZE(table));
	FUZZ_CHECK(a->n <= MON_MAX_ARGS);
	for (k = c->schema; *k && i < a->n; k++) {
		if (*k == '?')
			continue;
		if (*k == 'c')
			FUZZ_CHECK(a->v[i].num < nr_cpus);
		if (*k == 'w' || *k == 'r')
			FUZZ_CHECK(in_buf(a, a->v[i].str) && a->v[i].str[0]);
		i++;
	}
	FUZZ_CHECK(i == a->n);
	if (c->flags & MON_F_FMT) {
		const struct mon_fmt *f = &a->fmt;
		struct mon_out o = { sink, NULL };

		FUZZ_CHECK(f->size == 1 || f->size == 2 || f->size == 4 || f->size == 8);
		FUZZ_CHECK(f->format && strchr("xduotc", f->format));
		FUZZ_CHECK(f->count >= 1 && (uint64_t)f->count * f->size <= MON_X_MAX_BYTES);
		mon_print_units(&o, a->n ? a->v[0].num : 0, dump, (size_t)f->count * f->size, f);
	}
}

static void check_complete(const char *line, size_t split)
{
	char before[MON_LINE_MAX], word[64];
	const char *text = line + split;
	size_t state = 0;
	unsigned int n = 0;

	memcpy(before, line, split);
	before[split] = '\0';
	while (mon_complete(table, ARRAY_SIZE(table), before, text, &state, word, sizeof(word))) {
		FUZZ_CHECK(++n <= ARRAY_SIZE(table) + 2);
		FUZZ_CHECK(!strncmp(word, text, strlen(text)) && word[0]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mon_args a;
	char line[MON_LINE_MAX + 64], err[256];
	unsigned int nr_cpus;
	size_t len;
	int ret;

	if (size < 1)
		return 0;
	nr_cpus = data[0] % 8 + 1;
	len = strnlen((const char *)data + 1, size - 1);
	if (len >= sizeof(line))
		len = sizeof(line) - 1;
	memcpy(line, data + 1, len);
	line[len] = '\0';
	memset(dump, data[0], sizeof(dump));

	err[0] = '\0';
	ret = mon_parse(table, ARRAY_SIZE(table), line, nr_cpus, &a, err, sizeof(err));
	FUZZ_CHECK(ret == 1 || ret == 0 || ret == -EINVAL);
	if (ret == -EINVAL)
		FUZZ_CHECK(err[0] && strlen(err) < sizeof(err) && !strchr(err, '\n'));
	if (ret == 1)
		check_args(&a, nr_cpus);
	if (len < MON_LINE_MAX) {
		check_complete(line, len);
		check_complete(line, len / 2);
	}
	return 0;
}
