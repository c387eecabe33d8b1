/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The gdb connection (src/gdbserver.c): a listening socket, one client at a time, and the
 * bytes between it and the protocol library (gdbstub/), which drives the debugger. */
#pragma once

#include <stddef.h>

struct dbg;
struct loop;

/* Listen on "[HOST]:PORT" or "unix:PATH", before the machine exists, so that a bad address
 * or a busy port is reported first. NULL with a one-line reason in err. */
struct gdbserver *gdbserver_listen(struct loop *loop, const char *spec, char *err,
				   size_t errlen);
/* The machine is up: serve gdb with this debugger (and hear its stops). 0 or -errno. */
int gdbserver_set_debugger(struct gdbserver *srv, struct dbg *d);
/* Where the attached gdb connected from; NULL if none is (or srv is NULL). */
const char *gdbserver_peer(const struct gdbserver *srv);
/* Close the sockets, remove a unix socket's file (srv may be NULL). */
void gdbserver_close(struct gdbserver *srv);
