// SPDX-License-Identifier: GPL-3.0-or-later
/* Asks for a system reset (PSCI SYSTEM_RESET) right after saying so: minivmm
 * restarts it (it prints again) or, with --no-reboot, exits with status 3. */
#include "guest.h"

#define PSCI_SYSTEM_RESET 0x84000009ul

int main(void)
{
	uart_puts("reset: booted, asking for a reset\n");
	psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	uart_puts("reset: still here after SYSTEM_RESET\n");
	return 0;
}
