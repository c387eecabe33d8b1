// SPDX-License-Identifier: GPL-3.0-or-later
/* SMP: the boot CPU starts every other CPU with PSCI CPU_ON (until one does not
 * exist), each reports its MPIDR, and the boot CPU prints the roll call. */
#include "guest.h"

#define PSCI_SUCCESS 0

static volatile uint64_t arrived[GUEST_MAX_CPUS]; /* MPIDR | 1 << 63 once there */

void secondary_main(uint64_t cpu)
{
	arrived[cpu] = read_sysreg(mpidr_el1) | (1ul << 63);
	__asm__ volatile("dsb sy" ::: "memory");
}

int main(void)
{
	unsigned int cpu, started = 1;
	uint64_t spins;

	arrived[0] = read_sysreg(mpidr_el1) | (1ul << 63);
	for (cpu = 1; cpu < GUEST_MAX_CPUS; cpu++) {
		if (psci_cpu_on(cpu, cpu) != PSCI_SUCCESS)
			break;
		started++;
	}
	for (cpu = 0; cpu < started; cpu++) {
		for (spins = 0; !arrived[cpu] && spins < 100000000; spins++)
			;
		uart_puts("smp: cpu ");
		uart_put_dec(cpu);
		if (arrived[cpu]) {
			uart_puts(" online, MPIDR ");
			uart_put_hex(arrived[cpu] & ~(1ul << 63));
		} else {
			uart_puts(" started but never arrived");
		}
		uart_puts("\n");
	}
	uart_puts("smp: ");
	uart_put_dec(started);
	uart_puts(" CPUs online\n");
	return 0;
}
