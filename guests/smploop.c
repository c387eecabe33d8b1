// SPDX-License-Identifier: GPL-3.0-or-later
/* Every CPU runs the same loop through hit(); a debugger puts a breakpoint in it
 * and checks that every pass through hit() is reported once, none lost, none twice. */
#include "guest.h"

volatile uint64_t hits[GUEST_MAX_CPUS];
volatile uint64_t online[GUEST_MAX_CPUS];
volatile uint64_t run = 1; /* a debugger clears it to end the loops */

void __attribute__((noinline)) hit(uint64_t cpu)
{
	hits[cpu]++;
}

static void loop(uint64_t cpu)
{
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
