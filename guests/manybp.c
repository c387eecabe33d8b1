// SPDX-License-Identifier: GPL-3.0-or-later
/* A long run of straight-line code (256 instructions from `sled`), for a debugger
 * to put hundreds of software breakpoints on and see each one hit in turn; then
 * writes to an aligned array, for watchpoints of every width. */
#include "guest.h"

volatile uint64_t result;
volatile uint64_t cells[8] __attribute__((aligned(64)));

int main(void)
{
	uint64_t x = 0;

	__asm__ volatile(".global sled\nsled:\n"
			 ".rept 256\n"
			 "add %0, %0, #1\n"
			 ".endr\n"
			 : "+r"(x));
	result = x;
	for (int i = 0; i < 8; i++)
		cells[i] = x + i;
	uart_puts("manybp: ");
	uart_put_dec(result);
	uart_puts("\n");
	return 0;
}
