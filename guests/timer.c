// SPDX-License-Identifier: GPL-3.0-or-later
/* Timer interrupts through the GIC: the virtual timer fires at 1 kHz, the IRQ
 * handler counts and re-arms it, and the main loop spins until `goal` interrupts
 * were taken (a debugger may set goal to 0 to keep it running). */
#include "guest.h"

#define TIMER_HZ 1000

volatile uint64_t ticks;          /* interrupts taken */
volatile uint64_t spins;          /* iterations of the interrupted loop */
volatile uint64_t goal = 100;     /* stop after this many; 0: never */
static uint64_t period;

void irq_handler(void)
{
	if (gic_timer_irq(period))
		ticks++;
}

int main(void)
{
	write_sysreg(vbar_el1, (uint64_t)vectors);
	__asm__ volatile("isb");
	gic_init_dist();
	gic_init_cpu(0);
	period = read_sysreg(cntfrq_el0) / TIMER_HZ;
	timer_start_periodic(0, TIMER_HZ);
	irq_enable();
	while (goal == 0 || ticks < goal)
		spins++;
	uart_puts("timer: ");
	uart_put_dec(ticks);
	uart_puts(" interrupts taken, the loop ran on\n");
	return 0;
}
