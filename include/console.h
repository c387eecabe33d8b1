/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The user's terminal: stdin feeds the guest's UART (raw mode while the guest runs,
 * restored on every exit path), with Ctrl-A as an escape key. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop;
struct pl011;

#define CONSOLE_ESCAPE 0x01 /* Ctrl-A, as in QEMU: Ctrl-A x quits, Ctrl-A Ctrl-A sends one */

/* Start feeding stdin to the UART; puts a terminal in raw mode. */
int console_init(struct loop *loop, struct pl011 *uart);
/* Put the terminal back as we found it; safe to call more than once and from a
 * fatal-signal handler. */
void console_restore(void);
