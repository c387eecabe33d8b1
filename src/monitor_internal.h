/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the monitor's files share: the command table and its dispatcher (monitor_cmds.c), the
 * front ends (monitor.c: gdb and the unix socket; monitor_tty.c: the readline prompt). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "src/monitor_parse.h"

struct mon_wiring;

/* monitor_cmds.c */
extern const struct mon_cmd mon_cmds[];
extern const size_t mon_nr_cmds;
void mon_cmds_init(const struct mon_wiring *w);
/* Run one command line. Its output, or one line "error: ...", goes to o; returns 0 or the
 * command's -errno. An empty line or a '#' comment does nothing. */
int mon_exec(const char *line, const struct mon_out *o);

/* monitor_tty.c: the prompt on the terminal (stdin a tty). */
void mon_tty_init(struct loop *loop);
/* Take the terminal from the guest console; newline: start on a fresh line. */
void mon_tty_enter(bool newline);
/* Give the terminal back (prompt down, held guest output printed), save the history. */
void mon_tty_close(void);
