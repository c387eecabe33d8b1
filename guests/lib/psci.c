// SPDX-License-Identifier: GPL-3.0-or-later
/* PSCI 0.2 calls over HVC (Arm DEN 0022: function ids, SMC32/SMC64 conventions). */
#include "guest.h"

#define PSCI_CPU_OFF 0x84000002ul
#define PSCI_CPU_ON_64 0xc4000003ul
#define PSCI_SYSTEM_OFF 0x84000008ul

int64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
	return (int64_t)x0;
}

void psci_system_off(void)
{
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void psci_cpu_off(void)
{
	psci_call(PSCI_CPU_OFF, 0, 0, 0);
}

int64_t psci_cpu_on(uint64_t mpidr, uint64_t cpu)
{
	return psci_call(PSCI_CPU_ON_64, mpidr, (uint64_t)secondary_entry, cpu);
}
