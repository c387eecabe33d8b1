// SPDX-License-Identifier: GPL-3.0-or-later
/* A long run of straight-line code (256 instructions from `sled`), for a debugger
 * to put hundreds of software breakpoints on and see each one hit in turn. */
#include "guest.h"

volatile uint64_t result;

int main(void)
{
	uint64_t x = 0;

	__asm__ volatile(".global sled\nsled:\n"
			 ".rept 256\n"
			 "add %0, %0, #1\n"
			 ".endr\n"
			 : "+r"(x));
	result = x;
	uart_puts("manybp: ");
	uart_put_dec(result);
	uart_puts("\n");
	return 0;
}
