// SPDX-License-Identifier: GPL-3.0-or-later
/* Monitor command lines -> a table row and typed arguments; gdb-style x/FMT dumps; completion
 * candidates. Pure: the input is whatever a user or a socket client typed, so every path
 * ends in a result or one error line, never in a crash (tests/fuzz/monitor_fuzz.c). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/monitor_parse.h"

#define SPACES " \t\r\n"

void mon_printf(const struct mon_out *o, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	o->print(o->ctx, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

int mon_parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9') /* no sign, no spaces: strtoull would take both */
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -EINVAL : 0;
}

/* Length of the first word of s (up to a space or the end). */
static size_t word_len(const char *s)
{
	return strcspn(s, " ");
}

/* The next space-separated word of *p, NUL-terminated in place; NULL at the end. */
static char *next_word(char **p)
{
	char *w = *p + strspn(*p, SPACES);

	if (!*w) {
		*p = w;
		return NULL;
	}
	*p = w + strcspn(w, SPACES);
	if (**p)
		*(*p)++ = '\0';
	return w;
}

/* The i-th word of a usage string, without its brackets: "VA [CPU]", 1 -> "CPU". */
static const char *usage_word(const char *usage, unsigned int i, char *out, size_t cap)
{
	const char *p = usage;
	size_t len;

	for (;;) {
		p += strspn(p, " [");
		len = strcspn(p, " ]");
		if (*p == '-') { /* a flag ("[-f] FILE"): not one of the arguments */
			p += len;
			p += strspn(p, "]");
			continue;
		}
		if (!i-- || !*p)
			break;
		p += len;
		p += strspn(p, "]");
	}
	snprintf(out, cap, "%.*s", (int)len, len ? p : "argument");
	return out;
}

const struct mon_cmd *mon_find(const struct mon_cmd *table, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

/* Does the first word of name equal word? */
static bool first_word_is(const char *name, const char *word)
{
	size_t len = word_len(name);

	return len == strlen(word) && !strncmp(name, word, len);
}

/* "cpus, registers, breakpoints": the second words of the commands that start with word. */
static void list_second_words(const struct mon_cmd *table, size_t n, const char *word, char *out,
			      size_t cap)
{
	size_t i, off = 0;

	out[0] = '\0';
	for (i = 0; i < n && off < cap; i++)
		if (first_word_is(table[i].name, word) && table[i].name[word_len(table[i].name)])
			off += snprintf(out + off, cap - off, "%s%s", off ? ", " : "",
					table[i].name + word_len(table[i].name) + 1);
}

/* The command named by the first one or two words of *p (consumed). */
static const struct mon_cmd *lookup(const struct mon_cmd *table, size_t n, const char *first,
				    char **p, char *err, size_t errlen)
{
	char name[MON_LINE_MAX + 64], subs[256];
	const struct mon_cmd *c = mon_find(table, n, first);
	char *save = *p, *second;
	size_t i;

	if (c)
		return c;
	for (i = 0; i < n && !first_word_is(table[i].name, first); i++)
		;
	if (i == n) {
		snprintf(err, errlen, "unknown command '%s' (type 'help' for a list)", first);
		return NULL;
	}
	list_second_words(table, n, first, subs, sizeof(subs));
	second = next_word(p);
	if (!second) {
		snprintf(err, errlen, "%s: what? (%s %s)", first, first, subs);
		return NULL;
	}
	snprintf(name, sizeof(name), "%s %s", first, second);
	c = mon_find(table, n, name);
	if (!c) {
		snprintf(err, errlen, "unknown command '%s' (%s takes %s)", name, first, subs);
		*p = save;
	}
	return c;
}

int mon_parse_fmt(const char *s, struct mon_fmt *f, char *err, size_t errlen)
{
	const char *p = s;
	bool has_size = false;
	uint64_t count = 1;
	char *end;

	f->format = 'x';
	f->size = 4;
	if (*p >= '0' && *p <= '9') {
		errno = 0;
		count = strtoull(p, &end, 10);
		if (errno || count == 0 || count > MON_X_MAX_BYTES) {
			snprintf(err, errlen, "count '%.*s' out of range (1 to %u)",
				 (int)strspn(p, "0123456789"), p, MON_X_MAX_BYTES);
			return -EINVAL;
		}
		p = end;
	}
	f->format = 0;
	for (; *p; p++) {
		if (strchr("bhwg", *p) && !has_size) {
			f->size = *p == 'b' ? 1 : *p == 'h' ? 2 : *p == 'w' ? 4 : 8;
			has_size = true;
		} else if (strchr("xduotc", *p) && !f->format) {
			f->format = *p;
		} else if (*p == 'i' && !f->format) {
			snprintf(err, errlen, "format 'i' needs a disassembler: use gdb's x/i");
			return -EINVAL;
		} else {
			snprintf(err, errlen,
				 "bad format '/%s' (COUNT, then one of x d u o t c, one "
				 "size of b h w g)",
				 s);
			return -EINVAL;
		}
	}
	if (!f->format)
		f->format = 'x';
	if (f->format == 'c') {
		if (has_size && f->size != 1) {
			snprintf(err, errlen, "format 'c' shows bytes: size b or none");
			return -EINVAL;
		}
		f->size = 1;
	}
	if (count * f->size > MON_X_MAX_BYTES) {
		snprintf(err, errlen, "'/%s' is more than %u bytes", s, MON_X_MAX_BYTES);
		return -EINVAL;
	}
	f->count = (unsigned int)count;
	return 0;
}

/* One argument of kind k from word w into a->v[i]. */
static int parse_arg(char k, const char *w, unsigned int nr_cpus, struct mon_args *a,
		     unsigned int i, char *err, size_t errlen)
{
	const char *name = a->cmd->name;

	switch (k) {
	case 'n':
	case 'c':
		if (mon_parse_u64(w, &a->v[i].num)) {
			snprintf(err, errlen, "%s: '%s' is not a number (0x for hex)", name, w);
			return -EINVAL;
		}
		if (k == 'c' && a->v[i].num >= nr_cpus) {
			snprintf(err, errlen, "%s: no CPU %s (CPUs are 0 to %u)", name, w,
				 nr_cpus - 1);
			return -EINVAL;
		}
		return 0;
	case 'b':
		if (strcmp(w, "on") && strcmp(w, "off")) {
			snprintf(err, errlen, "%s: expected on or off, not '%s'", name, w);
			return -EINVAL;
		}
		a->v[i].on = !strcmp(w, "on");
		return 0;
	default:
		a->v[i].str = w;
		return 0;
	}
}

static int parse_args(char *p, unsigned int nr_cpus, struct mon_args *a, char *err, size_t errlen)
{
	const struct mon_cmd *c = a->cmd;
	const char *k;
	bool optional = false;
	char what[64];
	char *w;
	int ret;

	for (k = c->schema; *k; k++) {
		if (*k == '?') {
			optional = true;
			continue;
		}
		if (*k == 'r') {
			w = p + strspn(p, SPACES);
			p = w + strlen(w);
			while (p > w && strchr(SPACES, p[-1]))
				*--p = '\0';
			if (!*w)
				w = NULL;
		} else {
			w = next_word(&p);
		}
		if (!w && optional)
			return 0;
		if (!w) {
			snprintf(err, errlen, "%s: missing %s (usage: %s %s)", c->name,
				 usage_word(c->usage, a->n, what, sizeof(what)), c->name, c->usage);
			return -EINVAL;
		}
		ret = parse_arg(*k, w, nr_cpus, a, a->n, err, errlen);
		if (ret)
			return ret;
		a->n++;
	}
	w = next_word(&p);
	if (w) {
		snprintf(err, errlen, "%s: unexpected '%s' (usage: %s%s%s)", c->name, w, c->name,
			 *c->usage ? " " : "", c->usage);
		return -EINVAL;
	}
	return 0;
}

int mon_parse(const struct mon_cmd *table, size_t n, const char *line, unsigned int nr_cpus,
	      struct mon_args *a, char *err, size_t errlen)
{
	char *p = a->buf, *first, *slash;
	char fmt_err[160];

	memset(a, 0, sizeof(*a));
	if (strlen(line) >= sizeof(a->buf)) {
		snprintf(err, errlen, "line too long (at most %zu characters)", sizeof(a->buf) - 1);
		return -EINVAL;
	}
	strcpy(a->buf, line);
	first = next_word(&p);
	if (!first || *first == '#') /* '#' starts a comment, for scripts */
		return 0;
	slash = strchr(first, '/');
	if (slash)
		*slash = '\0';
	a->cmd = lookup(table, n, first, &p, err, errlen);
	if (!a->cmd)
		return -EINVAL;
	if (slash && !(a->cmd->flags & MON_F_FMT)) {
		snprintf(err, errlen, "%s takes no /FMT", a->cmd->name);
		return -EINVAL;
	}
	if (a->cmd->flags & MON_F_FMT) {
		if (mon_parse_fmt(slash ? slash + 1 : "", &a->fmt, fmt_err, sizeof(fmt_err))) {
			snprintf(err, errlen, "%s: %s", a->cmd->name, fmt_err);
			return -EINVAL;
		}
	}
	return parse_args(p, nr_cpus, a, err, errlen) ? -EINVAL : 1;
}

/* --------------------------------------------------------------------- x/FMT */

static uint64_t unit_at(const uint8_t *p, unsigned int size)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void char_repr(unsigned int c, char *out, size_t cap)
{
	static const char esc[] = "\a\b\f\n\r\t\v\\'";
	static const char name[] = "abfnrtv\\'";
	const char *e = c ? strchr(esc, (int)c) : NULL;

	if (e)
		snprintf(out, cap, "\\%c", name[e - esc]);
	else if (c >= 0x20 && c < 0x7f)
		snprintf(out, cap, "%c", c);
	else
		snprintf(out, cap, "\\%03o", c);
}

/* One unit as gdb prints it in format f. */
static void format_unit(uint64_t v, const struct mon_fmt *f, char *out, size_t cap)
{
	unsigned int bits = 8 * f->size, i;
	int64_t sv = bits == 64 ? (int64_t)v : (int64_t)(v << (64 - bits)) >> (64 - bits);
	char c[8];

	switch (f->format) {
	case 'd':
		snprintf(out, cap, "%" PRId64, sv);
		break;
	case 'u':
		snprintf(out, cap, "%" PRIu64, v);
		break;
	case 'o':
		snprintf(out, cap, v ? "0%" PRIo64 : "0", v);
		break;
	case 't':
		for (i = 0; i < bits && i + 1 < cap; i++)
			out[i] = (v >> (bits - 1 - i)) & 1 ? '1' : '0';
		out[i] = '\0';
		break;
	case 'c':
		char_repr((unsigned int)v, c, sizeof(c));
		snprintf(out, cap, "%" PRId64 " '%s'", sv, c);
		break;
	default:
		snprintf(out, cap, "0x%0*" PRIx64, (int)(2 * f->size), v);
	}
}

void mon_print_units(const struct mon_out *o, uint64_t addr, const uint8_t *buf, size_t len,
		     const struct mon_fmt *f)
{
	unsigned int per_line = f->size >= 4 ? 16 / f->size : 8;
	size_t i, n = len / f->size;
	char unit[80], line[1024];
	size_t off = 0;

	for (i = 0; i < n; i++) {
		if (i % per_line == 0)
			off = snprintf(line, sizeof(line), "0x%" PRIx64 ":",
				       addr + (uint64_t)i * f->size);
		format_unit(unit_at(buf + i * f->size, f->size), f, unit, sizeof(unit));
		off += snprintf(line + off, sizeof(line) - off, "\t%s", unit);
		if (i % per_line == per_line - 1 || i == n - 1)
			mon_printf(o, "%s\n", line);
	}
}

/* ---------------------------------------------------------------- completion */

/* Table row i as a first word, unless an earlier row starts with the same word. */
static int first_word_once(const struct mon_cmd *table, size_t i, char *out, size_t cap)
{
	size_t j, len = word_len(table[i].name);

	for (j = 0; j < i; j++)
		if (word_len(table[j].name) == len && !strncmp(table[j].name, table[i].name, len))
			return 0;
	snprintf(out, cap, "%.*s", (int)len, table[i].name);
	return 1;
}

/* Candidate number i after the words words[0..nw): 1 (in out), 0 (none at i) or -1 (no more). */
static int candidate(const struct mon_cmd *table, size_t n, char words[][32], unsigned int nw,
		     size_t i, char *out, size_t cap)
{
	const struct mon_cmd *c;
	const char *name;

	if (nw == 0 || (nw == 1 && !strcmp(words[0], "help")))
		return i < n ? first_word_once(table, i, out, cap) : -1;
	if (nw != 1 || i >= n + 2)
		return -1;
	if (i < n) {
		name = table[i].name;
		if (!first_word_is(name, words[0]) || !name[word_len(name)])
			return 0;
		snprintf(out, cap, "%s", name + word_len(name) + 1);
		return 1;
	}
	c = mon_find(table, n, words[0]); /* an on/off argument */
	if (!c || c->schema[strspn(c->schema, "?")] != 'b')
		return 0;
	snprintf(out, cap, "%s", i == n ? "on" : "off");
	return 1;
}

bool mon_complete(const struct mon_cmd *table, size_t n, const char *before, const char *text,
		  size_t *state, char *out, size_t cap)
{
	char words[2][32];
	unsigned int nw = 0;
	const char *p = before;
	size_t len;

	if (!cap)
		return false;
	for (;;) {
		p += strspn(p, SPACES);
		if (!*p)
			break;
		len = strcspn(p, SPACES);
		if (nw == 2 || len >= sizeof(words[0]))
			return false; /* nothing completes a third word */
		snprintf(words[nw++], sizeof(words[0]), "%.*s", (int)len, p);
		p += len;
	}
	for (;;) {
		int r = candidate(table, n, words, nw, (*state)++, out, cap);

		if (r < 0)
			return false;
		if (r > 0 && !strncmp(out, text, strlen(text)))
			return true;
	}
}
