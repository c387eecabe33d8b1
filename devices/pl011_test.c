// SPDX-License-Identifier: GPL-3.0-or-later
/* PL011 model against what Linux's amba-pl011 driver relies on: ID registers,
 * FR flags, the RX FIFO, interrupt mask/status/clear and the interrupt line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pl011.h"

#define BASE 0x09000000ull

struct fixture {
	struct mmio_bus bus;
	struct pl011 u;
	int level, level_changes;
	char out[64];
	size_t out_len;
	int room_calls;
};

static void set_level(void *opaque, int level)
{
	struct fixture *f = opaque;

	f->level = level;
	f->level_changes++;
}

static void tx(void *opaque, uint8_t byte)
{
	struct fixture *f = opaque;

	f->out[f->out_len++] = (char)byte;
}

static void room(void *opaque)
{
	((struct fixture *)opaque)->room_calls++;
}

static int setup(void **state)
{
	static struct fixture f;

	memset(&f, 0, sizeof(f));
	assert_int_equal(pl011_init(&f.u, &f.bus, BASE, (struct irq_line){ set_level, &f }, 1), 0);
	f.u.tx = tx;
	f.u.rx_space = room;
	f.u.cb_opaque = &f;
	*state = &f;
	return 0;
}

static uint32_t rd(struct fixture *f, uint64_t off)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(mmio_bus_access(&f->bus, BASE + off, &v, 4, false), 0);
	return v;
}

static void wr(struct fixture *f, uint64_t off, uint32_t v)
{
	assert_int_equal(mmio_bus_access(&f->bus, BASE + off, &v, 4, true), 0);
}

static void test_id_registers(void **state)
{
	static const uint32_t id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	int i;

	for (i = 0; i < 8; i++)
		assert_int_equal(rd(*state, 0xfe0 + 4 * i), id[i]);
}

static void test_transmit_goes_out_and_fifo_reads_empty(void **state)
{
	struct fixture *f = *state;

	wr(f, 0x000, 'h');
	wr(f, 0x000, 'i');
	assert_int_equal(f->out_len, 2);
	assert_memory_equal(f->out, "hi", 2);
	/* TXFE set, TXFF clear, RXFE set */
	assert_int_equal(rd(f, 0x018) & 0xf0, 0x90);
}

static void test_receive_fifo_order_and_flags(void **state)
{
	struct fixture *f = *state;

	wr(f, 0x02c, 1u << 4); /* LCR_H.FEN: 32-byte FIFO */
	assert_int_equal(pl011_receive(&f->u, (const uint8_t *)"abc", 3), 3);
	assert_int_equal(rd(f, 0x018) & (1u << 4), 0); /* RXFE clear */
	assert_int_equal(rd(f, 0x000), 'a');
	assert_int_equal(rd(f, 0x000), 'b');
	assert_int_equal(rd(f, 0x000), 'c');
	assert_int_not_equal(rd(f, 0x018) & (1u << 4), 0);
	assert_int_equal(f->room_calls, 3);
}

static void test_fifo_full_without_fen_is_one_byte(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(pl011_receive(&f->u, (const uint8_t *)"xy", 2), 1);
	assert_int_not_equal(rd(f, 0x018) & (1u << 6), 0); /* RXFF */
	assert_int_equal(pl011_rx_room(&f->u), 0);
	assert_int_equal(rd(f, 0x000), 'x');
	assert_int_equal(pl011_rx_room(&f->u), 1);
}

static void test_fifo_holds_32_with_fen(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[40];

	memset(buf, 'z', sizeof(buf));
	wr(f, 0x02c, 1u << 4);
	assert_int_equal(pl011_receive(&f->u, buf, sizeof(buf)), PL011_FIFO_DEPTH);
	assert_int_not_equal(rd(f, 0x018) & (1u << 6), 0);
}

static void test_rx_interrupt_follows_mask_and_data(void **state)
{
	struct fixture *f = *state;

	wr(f, 0x02c, 1u << 4);
	pl011_receive(&f->u, (const uint8_t *)"k", 1);
	assert_int_equal(f->level, 0); /* masked */
	assert_int_not_equal(rd(f, 0x03c) & (1u << 4), 0); /* RIS.RX */
	assert_int_equal(rd(f, 0x040), 0);                  /* MIS */
	wr(f, 0x038, (1u << 4) | (1u << 6));                /* IMSC: RX, RT */
	assert_int_equal(f->level, 1);
	assert_int_not_equal(rd(f, 0x040) & (1u << 4), 0);
	assert_int_equal(rd(f, 0x000), 'k');
	assert_int_equal(f->level, 0); /* drained */
}

static void test_tx_interrupt_raised_by_write_cleared_by_icr(void **state)
{
	struct fixture *f = *state;

	wr(f, 0x038, 1u << 5); /* TXIM */
	assert_int_equal(f->level, 0);
	wr(f, 0x000, '.');
	assert_int_equal(f->level, 1);
	wr(f, 0x044, 1u << 5); /* ICR */
	assert_int_equal(f->level, 0);
	assert_int_equal(rd(f, 0x03c) & (1u << 5), 0);
}

static void test_control_registers_read_back(void **state)
{
	struct fixture *f = *state;

	wr(f, 0x024, 13);
	wr(f, 0x028, 1);
	wr(f, 0x030, 0x301);
	assert_int_equal(rd(f, 0x024), 13);
	assert_int_equal(rd(f, 0x028), 1);
	assert_int_equal(rd(f, 0x030), 0x301);
}

static void test_overlapping_region_is_refused(void **state)
{
	struct fixture *f = *state;
	struct pl011 other;

	assert_int_equal(pl011_init(&other, &f->bus, BASE + 0x800, (struct irq_line){ 0 }, 2), -16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_id_registers, setup),
		cmocka_unit_test_setup(test_transmit_goes_out_and_fifo_reads_empty, setup),
		cmocka_unit_test_setup(test_receive_fifo_order_and_flags, setup),
		cmocka_unit_test_setup(test_fifo_full_without_fen_is_one_byte, setup),
		cmocka_unit_test_setup(test_fifo_holds_32_with_fen, setup),
		cmocka_unit_test_setup(test_rx_interrupt_follows_mask_and_data, setup),
		cmocka_unit_test_setup(test_tx_interrupt_raised_by_write_cleared_by_icr, setup),
		cmocka_unit_test_setup(test_control_registers_read_back, setup),
		cmocka_unit_test_setup(test_overlapping_region_is_refused, setup),
	};

	return cmocka_run_group_tests_name("pl011", tests, NULL, NULL);
}
