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
extern char vectors[]; /* vectors.S: sync_handler() and irq_handler() behind it */
/* Handlers a guest may define (weak defaults: sync hangs, irq ignores). */
uint64_t sync_handler(uint64_t esr, uint64_t elr, uint64_t kind);
void irq_handler(void);

/* GICv3 and the virtual timer (gic.c). */
#define TIMER_PPI 27
void gic_init_dist(void);
void gic_init_cpu(unsigned int cpu);
void gic_enable_ppi(unsigned int cpu, unsigned int intid);
uint32_t gic_ack(void);
void gic_eoi(uint32_t intid);
void timer_arm(uint64_t ticks);
void timer_start_periodic(unsigned int cpu, uint64_t hz);
/* An IRQ handler's body: acknowledge, re-arm the timer for period ticks if it was the
 * timer, end the interrupt. Non-zero if it was the timer. */
int gic_timer_irq(uint64_t period);

static inline void irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

static inline uint64_t this_cpu(void)
{
	uint64_t mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	return mpidr & 0xff;
}

#define read_sysreg(r)                                                         \
	({                                                                     \
		uint64_t __v;                                                  \
		__asm__ volatile("mrs %0, " #r : "=r"(__v));                   \
		__v;                                                           \
	})
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)))
