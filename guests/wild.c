// SPDX-License-Identifier: GPL-3.0-or-later
/* A guest that jumps where no memory is and executes garbage: each must become an
 * exception inside the guest (a prefetch abort, an undefined instruction), which
 * its vector table counts before it goes on; minivmm must not notice. */
#include "guest.h"

#define EC_UNKNOWN 0x00
#define EC_IABT_CUR 0x21

volatile uint64_t iabts, undefs, others;
volatile uint64_t resume_at;

uint64_t sync_handler(uint64_t esr, uint64_t elr, uint64_t kind)
{
	(void)kind;
	switch ((esr >> 26) & 0x3f) {
	case EC_IABT_CUR:
		iabts++;
		return resume_at;
	case EC_UNKNOWN:
		undefs++;
		return elr + 4;
	}
	others++;
	return resume_at;
}

static const uint32_t garbage[2] __attribute__((aligned(8))) = { 0x00000000, 0xd65f03c0 };

int main(void)
{
	write_sysreg(vbar_el1, (uint64_t)vectors);
	__asm__ volatile("isb");
	/* to an address with no RAM and no device behind it, and back */
	__asm__ volatile("adr %0, 1f\n"
			 "str %0, [%1]\n"
			 "mov x9, #0x10000000\n"
			 "br x9\n"
			 "1:\n"
			 : "=&r"(*(uint64_t[1]){ 0 })
			 : "r"(&resume_at)
			 : "x9", "memory");
	/* into a word that is no instruction (UDF #0), then its RET */
	((void (*)(void))garbage)();
	uart_puts("wild: ");
	uart_put_dec(iabts);
	uart_puts(" instruction aborts, ");
	uart_put_dec(undefs);
	uart_puts(" undefined instructions, ");
	uart_put_dec(others);
	uart_puts(" others\n");
	return 0;
}
