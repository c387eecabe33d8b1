// SPDX-License-Identifier: GPL-3.0-or-later
/* A poll() loop over a small table. Callbacks may add or remove entries while it
 * runs: each pass works on a snapshot of the table and re-checks that an entry
 * still exists before calling it. */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "log.h"
#include "loop.h"

void loop_init(struct loop *l)
{
	memset(l, 0, sizeof(*l));
}

static struct loop_entry *find(struct loop *l, int fd)
{
	unsigned int i;

	for (i = 0; i < l->nr; i++)
		if (l->entries[i].fd == fd)
			return &l->entries[i];
	return NULL;
}

int loop_add(struct loop *l, int fd, unsigned int events, loop_fn fn, void *opaque)
{
	if (l->nr == LOOP_MAX_FDS)
		return -ENOSPC;
	l->entries[l->nr++] = (struct loop_entry){ fd, events, fn, opaque };
	return 0;
}

void loop_set_events(struct loop *l, int fd, unsigned int events)
{
	struct loop_entry *e = find(l, fd);

	if (e)
		e->events = events;
}

void loop_remove(struct loop *l, int fd)
{
	struct loop_entry *e = find(l, fd);

	if (e)
		*e = l->entries[--l->nr];
}

void loop_quit(struct loop *l, int status)
{
	if (!l->quit)
		l->exit_status = status;
	l->quit = true;
}

int loop_run(struct loop *l)
{
	struct pollfd pfd[LOOP_MAX_FDS];
	unsigned int i, n;

	while (!l->quit) {
		n = l->nr;
		for (i = 0; i < n; i++)
			/* A negative fd is skipped by poll(): no spinning on the POLLHUP of
			 * an entry whose events are off. */
			pfd[i] = (struct pollfd){ .fd = l->entries[i].events ? l->entries[i].fd : -1,
						  .events = (short)l->entries[i].events };
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_err("poll: %s", strerror(errno));
			return 1;
		}
		for (i = 0; i < n && !l->quit; i++) {
			struct loop_entry *e;

			if (!pfd[i].revents)
				continue;
			e = find(l, pfd[i].fd);
			if (e && e->events)
				e->fn(e->opaque, e->fd, pfd[i].revents);
		}
	}
	return l->exit_status;
}
