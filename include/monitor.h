/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The monitor: one command table (help, info cpus/registers/breakpoints, translate, x, xp,
 * stop, cont, step, step-irq, dtb, gdb, quit) served on the terminal (a readline prompt that
 * Ctrl-A c switches to and from the guest console), on a unix socket (--monitor unix:PATH,
 * a plain line protocol for scripts) and to gdb (`monitor CMD`, qRcmd). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct board;
struct dbg;
struct gdbserver;
struct loop;

/* What the monitor's commands work on. */
struct mon_wiring {
	struct board *board;
	struct loop *loop;
	struct dbg *dbg;
	struct gdbserver *gdb; /* NULL without --gdb */
};

/* --monitor unix:PATH: listen there (before the machine exists, so that a bad path is
 * reported first). On failure, -errno with one line in err. */
int mon_listen(struct loop *loop, const char *path, char *err, size_t errlen);
/* The machine is up. On a terminal, Ctrl-A c opens the prompt from now on; prompt opens it
 * at once (--monitor). */
void mon_init(const struct mon_wiring *w, bool prompt);
/* gdb's `monitor CMD`: run line, output through print (gdb's O packets). Always 0: errors
 * are a line of output, as on the other front ends. */
int mon_rcmd(const char *line, void (*print)(void *ctx, const char *buf, size_t len), void *ctx);
/* At exit: prompt down, held guest output printed, history saved, socket closed and removed. */
void mon_close(void);
