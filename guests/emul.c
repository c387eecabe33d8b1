// SPDX-License-Identifier: GPL-3.0-or-later
/* Instructions that KVM or minivmm emulate, each at a label, for `stepi` to prove
 * that one step executes exactly one of them (seed 004): an MMIO store and load
 * (the PL011, in minivmm), an HVC (PSCI_VERSION, in KVM), a WFI with the timer
 * about to fire (enabled in the GIC but masked in PSTATE: the WFI wakes, nothing
 * is taken), and a
 * trapped system-register read (an ID register, emulated by KVM). */
#include "guest.h"

volatile uint64_t results[5];

int main(void)
{
	register uint64_t x0 __asm__("x0");
	uint64_t base = UART_BASE;

	gic_init_dist();
	gic_init_cpu(0);
	gic_enable_ppi(0, TIMER_PPI);
	write_sysreg(cntv_tval_el0, 2000); /* fires in ~30 us at 62.5 MHz */
	write_sysreg(cntv_ctl_el0, 1);
	__asm__ volatile(
		"	mov	w1, #'.'\n"
		".global step_mmio_store\n"
		"step_mmio_store:	str	w1, [%[uart]]\n"
		".global step_mmio_load\n"
		"step_mmio_load:	ldr	w2, [%[uart], #0x18]\n"
		"	str	x2, [%[res], #0]\n"
		"	movz	x0, #0x8400, lsl #16\n" /* PSCI_VERSION */
		".global step_hvc\n"
		"step_hvc:	hvc	#0\n"
		"	str	x0, [%[res], #8]\n"
		".global step_wfi\n"
		"step_wfi:	wfi\n"
		".global step_sysreg\n"
		"step_sysreg:	mrs	x3, id_aa64pfr0_el1\n"
		"	str	x3, [%[res], #16]\n"
		".global step_done\n"
		"step_done:	nop\n"
		: "=r"(x0)
		: [uart] "r"(base), [res] "r"(results)
		: "x1", "x2", "x3", "memory");
	uart_puts("\nemul: PSCI version ");
	uart_put_hex(results[1]);
	uart_puts("\n");
	return 0;
}
