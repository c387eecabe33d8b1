/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The user's terminal: stdin feeds the guest's UART (raw mode while the guest runs,
 * restored on every exit path), with Ctrl-A as an escape key. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop;
struct pl011;

/* Ctrl-A, as in QEMU: Ctrl-A x quits, Ctrl-A c is the monitor, Ctrl-A Ctrl-A sends one. */
#define CONSOLE_ESCAPE 0x01

/* Start feeding stdin to the UART; puts a terminal in raw mode. */
int console_init(struct loop *loop, struct pl011 *uart);
/* Put the terminal back as we found it; safe to call more than once and from a
 * fatal-signal handler. */
void console_restore(void);
/* Is stdin a terminal (raw mode, Ctrl-A keys)? */
bool console_is_tty(void);
/* What Ctrl-A c calls (the monitor prompt); without one, Ctrl-A c goes to the guest. */
void console_set_monitor(void (*enter)(void));
/* The monitor takes the terminal: stdin leaves the loop, the terminal as we found it. */
void console_suspend(void);
/* And gives it back: raw mode, stdin feeds the UART again. */
void console_resume(void);
