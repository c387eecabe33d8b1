/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The monitor's pure half: the command table's shape, turning a typed line into a command and
 * typed arguments (before any handler runs, as the GDB stub's packet table does), gdb-style
 * x/FMT memory dumps, and completion candidates. No KVM, no I/O: unit-tested and fuzzed on the
 * host. src/monitor_cmds.c holds the table and the handlers. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where a command's output goes: the terminal, a monitor socket, or gdb's O packets (same
 * signature as gdbstub's gdb_print_fn, so gdb's print function plugs in as it is). */
struct mon_out {
	void (*print)(void *ctx, const char *buf, size_t len);
	void *ctx;
};

/* printf to a sink; output longer than 4 KiB per call is cut. */
void mon_printf(const struct mon_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define MON_LINE_MAX 1024 /* longest command line */
#define MON_MAX_ARGS 4
#define MON_X_MAX_BYTES 65536 /* most bytes one x/xp shows */

/* x/FMT: COUNT units of SIZE bytes shown as FORMAT (gdb's x/nfu). */
struct mon_fmt {
	unsigned int count;
	char format;       /* x d u o t c */
	unsigned int size; /* 1 2 4 8 */
};

struct mon_cmd;

/* A parsed command line: the command and its arguments, already checked. */
struct mon_args {
	const struct mon_cmd *cmd;
	struct mon_fmt fmt; /* commands with MON_F_FMT */
	unsigned int n;     /* arguments given */
	struct {
		uint64_t num;    /* 'n' and 'c' */
		bool on;         /* 'b' */
		const char *str; /* 'w' and 'r' (points into buf) */
	} v[MON_MAX_ARGS];
	char buf[MON_LINE_MAX];
};

#define MON_F_FMT (1u << 0)    /* the name takes /FMT: "x/4xw" */
#define MON_F_RUNCTL (1u << 1) /* changes the run state: refused while gdb is attached */

/*
 * One row of the command table. schema gives the arguments in order, one character each:
 *   n  a number (address or value: 0x hex, decimal, 0 octal)
 *   c  a CPU number, checked against the number of vCPUs
 *   b  on or off
 *   w  a word
 *   r  the rest of the line, spaces included
 * and '?' makes every argument after it optional. usage names them for help and errors
 * ("VA [CPU]": one word per argument, brackets for optional ones).
 */
struct mon_cmd {
	const char *name; /* one or two words: "translate", "info cpus" */
	const char *schema;
	const char *usage;
	const char *help; /* one line */
	int (*fn)(const struct mon_out *o, const struct mon_args *a);
	unsigned int flags;
};

/* Parse line against table[0..n). Returns 1 with *a filled, 0 for an empty line, or -EINVAL
 * with one line (no newline) in err saying what is wrong. nr_cpus bounds 'c' arguments. */
int mon_parse(const struct mon_cmd *table, size_t n, const char *line, unsigned int nr_cpus,
	      struct mon_args *a, char *err, size_t errlen);

/* The command whose name is exactly name ("info cpus"), or NULL. */
const struct mon_cmd *mon_find(const struct mon_cmd *table, size_t n, const char *name);

/* /FMT after x or xp (s points after the '/'; "" is allowed). 0 or -EINVAL with err. */
int mon_parse_fmt(const char *s, struct mon_fmt *f, char *err, size_t errlen);

/* A number as the monitor takes it: 0x hex, 0 octal or decimal, no sign, no overflow. */
int mon_parse_u64(const char *s, uint64_t *v);

/* Print len bytes read at addr (a multiple of f->size; little-endian) as gdb's x does:
 * "0x40000000:\t0x...\t0x..." with 8, 8, 4 or 2 units a line for sizes 1, 2, 4, 8. */
void mon_print_units(const struct mon_out *o, uint64_t addr, const uint8_t *buf, size_t len,
		     const struct mon_fmt *f);

/* Completion of the word text, the line before it being before: command names first, then
 * the second words of two-word commands ("info cpus"), names again after "help", on/off for
 * a 'b' argument. Call with *state = 0, then again while it returns true; each call puts the
 * next candidate in out. */
bool mon_complete(const struct mon_cmd *table, size_t n, const char *before, const char *text,
		  size_t *state, char *out, size_t cap);
