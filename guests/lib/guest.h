/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What test guests share: the PL011 console, PSCI, a few system-register helpers. */
#pragma once

#include <stdint.h>

#define GUEST_MAX_CPUS 8
#define UART_BASE 0x09000000ul

void uart_putc(char c);
void uart_puts(const char *s);
void uart_put_hex(uint64_t v);
void uart_put_dec(uint64_t v);
/* A received byte, or -1 when the FIFO is empty. */
int uart_getc(void);

/* PSCI 0.2 through HVC (the conduit our device tree names). */
int64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
void psci_system_off(void) __attribute__((noreturn));
void psci_cpu_off(void);
/* Start CPU mpidr at secondary_entry with x0 = cpu. */
int64_t psci_cpu_on(uint64_t mpidr, uint64_t cpu);

extern void secondary_entry(void);

#define read_sysreg(r)                                                         \
	({                                                                     \
		uint64_t __v;                                                  \
		__asm__ volatile("mrs %0, " #r : "=r"(__v));                   \
		__v;                                                           \
	})
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)))
