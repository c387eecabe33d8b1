/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one event loop, on the main thread: file descriptors with callbacks (the
 * vCPU eventfd, stdin, signals, later gdb and monitor sockets). */
#pragma once

#include <stdbool.h>

typedef void (*loop_fn)(void *opaque, int fd, unsigned int revents);

#define LOOP_MAX_FDS 16

struct loop {
	struct loop_entry {
		int fd;
		unsigned int events; /* POLLIN, POLLOUT */
		loop_fn fn;
		void *opaque;
	} entries[LOOP_MAX_FDS];
	unsigned int nr;
	bool quit;
	int exit_status;
};

void loop_init(struct loop *l);
/* Watch fd for events; -ENOSPC if the table is full. */
int loop_add(struct loop *l, int fd, unsigned int events, loop_fn fn, void *opaque);
/* Change the events watched on fd (0 = none for now). */
void loop_set_events(struct loop *l, int fd, unsigned int events);
void loop_remove(struct loop *l, int fd);
/* Run until loop_quit(); returns the exit status given there. */
int loop_run(struct loop *l);
void loop_quit(struct loop *l, int status);
