// SPDX-License-Identifier: GPL-3.0-or-later
/* Touches an address where the board has no device (0x0b000000: a hole in QEMU
 * virt's map too, between the virtio-mmio transports, which end at 0x0a004000, and the
 * platform bus at 0x0c000000): each access must end in a synchronous external abort
 * here in the guest, and the guest must keep running. */
#include "guest.h"

#define NOWHERE 0x0b000000ul
#define EC_DABT_CUR 0x25

volatile uint64_t aborts;

uint64_t sync_handler(uint64_t esr, uint64_t elr, uint64_t kind)
{
	(void)kind;
	/* EC is ESR[31:26]; the bits above are not ours to compare (in the test host
	 * KVM's injected abort even arrives with them set). */
	if (((esr >> 26) & 0x3f) == EC_DABT_CUR) {
		aborts++;
		return elr + 4; /* skip the access */
	}
	uart_puts("unbacked: unexpected exception, ESR ");
	uart_put_hex(esr);
	uart_puts("\n");
	psci_system_off();
}

int main(void)
{
	write_sysreg(vbar_el1, (uint64_t)vectors);
	__asm__ volatile("isb");
	*(volatile uint32_t *)NOWHERE = 1;
	(void)*(volatile uint32_t *)NOWHERE;
	uart_puts("unbacked: ");
	uart_put_dec(aborts);
	uart_puts(" external aborts taken, still running\n");
	return 0;
}
