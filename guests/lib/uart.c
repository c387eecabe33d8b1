// SPDX-License-Identifier: GPL-3.0-or-later
/* Polled PL011 output and input, as on QEMU virt: no set-up needed. */
#include "guest.h"

#define UART_DR (*(volatile uint32_t *)(UART_BASE + 0x00))
#define UART_FR (*(volatile uint32_t *)(UART_BASE + 0x18))
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)

void uart_putc(char c)
{
	while (UART_FR & FR_TXFF)
		;
	UART_DR = (uint8_t)c;
}

void uart_puts(const char *s)
{
	while (*s) {
		if (*s == '\n')
			uart_putc('\r');
		uart_putc(*s++);
	}
}

void uart_put_hex(uint64_t v)
{
	int shift;

	uart_puts("0x");
	for (shift = 60; shift >= 0; shift -= 4)
		uart_putc("0123456789abcdef"[(v >> shift) & 0xf]);
}

void uart_put_dec(uint64_t v)
{
	char buf[21];
	int i = 20;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	uart_puts(&buf[i]);
}

int uart_getc(void)
{
	if (UART_FR & FR_RXFE)
		return -1;
	return UART_DR & 0xff;
}
