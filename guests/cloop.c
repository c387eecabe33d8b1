// SPDX-License-Identifier: GPL-3.0-or-later
/* A C guest for source-level debugging, built with -g -O0: functions called in a
 * loop, a global to watch, and one line (marked BURN) that runs ~1,000
 * instructions for `next` to step over. */
#include "guest.h"

volatile int counter;
volatile int rounds = 50;
struct record {
	char tag;
	short field; /* at an odd offset when packed: an unaligned 2-byte watch */
	int value;
} __attribute__((packed)) record;

int square(int x)
{
	int r = x * x;

	return r;
}

int add(int a, int b)
{
	return a + b;
}

void work(int i)
{
	counter = add(counter, square(i));
	record.field = (short)i;
	record.value += i;
}

int burn(int n)
{
	int acc = 0, j;

	for (j = 0; j < n; j++) acc += j ^ (acc >> 3); /* BURN */
	return acc;
}

int main(void)
{
	int i, acc = 0;

	for (i = 0; i < rounds; i++) {
		work(i);
		acc += burn(60);
	}
	uart_puts("cloop: counter = ");
	uart_put_dec((uint64_t)counter);
	uart_puts(", acc = ");
	uart_put_dec((uint64_t)acc);
	uart_puts("\n");
	return 0;
}
