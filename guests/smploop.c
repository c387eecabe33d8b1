// SPDX-License-Identifier: GPL-3.0-or-later
/* Every CPU runs the same loop through hit(); a debugger puts a breakpoint in it
 * and checks that every pass through hit() is reported once, none lost, none twice.
 * A debugger may set timer_hz before it starts: every CPU's virtual timer then
 * interrupts its loop that often, and ticks[] counts the interrupts taken. */
#include "guest.h"

volatile uint64_t hits[GUEST_MAX_CPUS];
volatile uint64_t online[GUEST_MAX_CPUS];
volatile uint64_t ticks[GUEST_MAX_CPUS];
volatile uint64_t run = 1; /* a debugger clears it to end the loops */
/* In .data, not .bss: a debugger sets it before _start clears .bss. */
volatile uint64_t timer_hz __attribute__((section(".data")));
static uint64_t period;

void irq_handler(void)
{
	if (gic_timer_irq(period))
		ticks[read_sysreg(mpidr_el1) & 0xff]++;
}

void __attribute__((noinline)) hit(uint64_t cpu)
{
	hits[cpu]++;
}

static void loop(uint64_t cpu)
{
	if (timer_hz) {
		write_sysreg(vbar_el1, (uint64_t)vectors);
		__asm__ volatile("isb");
		gic_init_cpu(cpu);
		timer_start_periodic(cpu, timer_hz);
		irq_enable();
	}
	online[cpu] = 1;
	while (run)
		hit(cpu);
}

void secondary_main(uint64_t cpu)
{
	loop(cpu);
}

int main(void)
{
	unsigned int cpu, started = 1;
	uint64_t total = 0;

	if (timer_hz) {
		gic_init_dist();
		period = read_sysreg(cntfrq_el0) / timer_hz;
	}
	for (cpu = 1; cpu < GUEST_MAX_CPUS; cpu++) {
		if (psci_cpu_on(cpu, cpu) != 0)
			break;
		started++;
	}
	loop(0);
	for (cpu = 0; cpu < started; cpu++)
		total += hits[cpu];
	uart_puts("smploop: ");
	uart_put_dec(total);
	uart_puts(" hits\n");
	return 0;
}
