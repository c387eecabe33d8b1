/* SPDX-License-Identifier: GPL-3.0-or-later */
/* All of minivmm's own messages, and the guest's console output. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* One line on stderr, prefixed "minivmm: ". */
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Printed only with --verbose (or MINIVMM_DEBUG in the environment). */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_set_verbose(int verbose);

/* Guest console output (the PL011's transmitter): written to stdout as is. */
void console_write(const void *buf, size_t len);
/* The monitor prompt is up (on) or down: hold the guest's output meanwhile, then print it.
 * Beyond CONSOLE_HOLD_MAX bytes the oldest go, and a warning says how many. */
void console_hold(bool on);
#define CONSOLE_HOLD_MAX (64u << 10)
