// SPDX-License-Identifier: GPL-3.0-or-later
/* A C guest for source-level debugging, built with -g -O0: functions called in a
 * loop, a global to watch, and one line (marked BURN) that runs ~1,000
 * instructions for `next` to step over. A debugger may set timer_hz before it
 * runs: the virtual timer then interrupts it that often, to show that stepping
 * does not wander into the handler. */
#include "guest.h"

volatile int counter;
volatile int rounds = 50;
/* In .data, not .bss: a debugger sets it before _start clears .bss. */
volatile int timer_hz __attribute__((section(".data")));
volatile uint64_t ticks;
static uint64_t period;
struct record {
	char tag;
	short field; /* at an odd offset when packed: an unaligned 2-byte watch */
	int value;
} __attribute__((packed)) record;

int square(int x)
{
	int r = x * x;

	return r;
}

int add(int a, int b)
{
	return a + b;
}

void work(int i)
{
	counter = add(counter, square(i));
	record.field = (short)i;
	record.value += i;
}

int burn(int n)
{
	int acc = 0, j;

	for (j = 0; j < n; j++) acc += j ^ (acc >> 3); /* BURN */
	return acc;
}

void irq_handler(void)
{
	if (gic_timer_irq(period))
		ticks++;
}

static void start_timer(void)
{
	write_sysreg(vbar_el1, (uint64_t)vectors);
	__asm__ volatile("isb");
	gic_init_dist();
	gic_init_cpu(0);
	period = read_sysreg(cntfrq_el0) / timer_hz;
	timer_start_periodic(0, timer_hz);
	irq_enable();
}

int main(void)
{
	int i, acc = 0;

	if (timer_hz)
		start_timer();
	for (i = 0; i < rounds; i++) {
		work(i);
		acc += burn(60);
	}
	uart_puts("cloop: counter = ");
	uart_put_dec((uint64_t)counter);
	uart_puts(", acc = ");
	uart_put_dec((uint64_t)acc);
	uart_puts("\n");
	return 0;
}
