// SPDX-License-Identifier: GPL-3.0-or-later
/* The guest's own BRKs: brk_site() executes `brk #0x800` (what Linux's BUG/WARN
 * use), the guest's vector table counts it and resumes after it. With gdb attached
 * and breakpoints elsewhere, the guest must count every one of them, as without gdb. */
#include "guest.h"

#define EC_BRK64 0x3c
#define ROUNDS 100

volatile uint64_t brks;   /* BRKs the guest's handler took */
volatile uint64_t others; /* any other exception: must stay 0 */
volatile uint64_t calls;

uint64_t sync_handler(uint64_t esr, uint64_t elr, uint64_t kind)
{
	(void)kind;
	if (((esr >> 26) & 0x3f) == EC_BRK64 && (esr & 0xffff) == 0x800) {
		brks++;
		return elr + 4; /* BRK leaves ELR at itself: step over it */
	}
	others++;
	return elr + 4;
}

void __attribute__((noinline)) brk_site(void)
{
	__asm__ volatile(".global brk_insn\nbrk_insn: brk #0x800" ::: "memory");
}

void __attribute__((noinline)) elsewhere(void)
{
	calls++;
}

int main(void)
{
	int i;

	write_sysreg(vbar_el1, (uint64_t)vectors);
	__asm__ volatile("isb");
	for (i = 0; i < ROUNDS; i++) {
		brk_site();
		elsewhere();
	}
	uart_puts("brk: ");
	uart_put_dec(brks);
	uart_puts(" guest BRKs handled, ");
	uart_put_dec(calls);
	uart_puts(" calls, ");
	uart_put_dec(others);
	uart_puts(" other exceptions\n");
	return 0;
}
