// SPDX-License-Identifier: GPL-3.0-or-later
/* The smallest guest: one line on the PL011, then PSCI SYSTEM_OFF. */
#include "guest.h"

int main(void)
{
	uart_puts("Hello from the minivmm guest!\n");
	return 0;
}
