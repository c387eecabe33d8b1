// SPDX-License-Identifier: GPL-3.0-or-later
/* minivmm's messages go to stderr, one line each; the guest's console goes to stdout
 * unbuffered, so that a guest's output and our messages keep their order. While the
 * monitor's prompt is up the guest's output is held in a ring instead (console_hold()). */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "log.h"

static int verbose = -1;

void log_set_verbose(int v)
{
	verbose = v;
}

static void vlog(const char *level, const char *fmt, va_list ap)
{
	char line[1024];
	int n = snprintf(line, sizeof(line), "minivmm: %s", level);

	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	fprintf(stderr, "%s\n", line);
}

void log_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("warning: ", fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (verbose < 0)
		verbose = getenv("MINIVMM_DEBUG") != NULL;
	if (!verbose)
		return;
	va_start(ap, fmt);
	vlog("debug: ", fmt, ap);
	va_end(ap);
}

/* Guest output held while the monitor prompt is up: the newest CONSOLE_HOLD_MAX bytes. */
static struct {
	pthread_mutex_t lock; /* vCPU threads write, the main loop holds and releases */
	bool held;
	uint8_t ring[CONSOLE_HOLD_MAX];
	size_t head, len; /* oldest byte at head */
	uint64_t dropped;
} out = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void write_all(const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(STDOUT_FILENO, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* stdout gone: the guest keeps running, its output is lost */
		p += n;
		len -= n;
	}
}

static void hold(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		out.ring[(out.head + out.len) % CONSOLE_HOLD_MAX] = p[i];
		if (out.len < CONSOLE_HOLD_MAX) {
			out.len++;
		} else { /* full: the oldest byte goes */
			out.head = (out.head + 1) % CONSOLE_HOLD_MAX;
			out.dropped++;
		}
	}
}

void console_write(const void *buf, size_t len)
{
	pthread_mutex_lock(&out.lock);
	if (out.held)
		hold(buf, len);
	else
		write_all(buf, len);
	pthread_mutex_unlock(&out.lock);
}

void console_hold(bool on)
{
	size_t first;

	pthread_mutex_lock(&out.lock);
	if (!on && out.held) {
		if (out.dropped)
			log_warn("%llu bytes of guest output were dropped while the monitor prompt "
				 "was up (only the last %u KiB are kept)",
				 (unsigned long long)out.dropped, CONSOLE_HOLD_MAX >> 10);
		first = out.len < CONSOLE_HOLD_MAX - out.head ? out.len
							      : CONSOLE_HOLD_MAX - out.head;
		write_all(out.ring + out.head, first);
		write_all(out.ring, out.len - first);
		out.head = out.len = 0;
		out.dropped = 0;
	}
	out.held = on;
	pthread_mutex_unlock(&out.lock);
}
