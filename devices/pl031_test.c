// SPDX-License-Identifier: GPL-3.0-or-later
/* PL031 model against the PL031 TRM and what Linux's rtc-pl031 and AMBA bus read: ID
 * registers, RTCDR = clock + what RTCLR loaded, the match interrupt through mask, raw and
 * masked status and clear, the timer it asks for, and accesses of the wrong kind. The clock
 * is the test's. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "dtb.h"
#include "pl031.h"

#define BASE 0x09010000ull
#define T0 1700000000ull /* 2023-11-14, the fake host clock's start */

enum {
	DR = 0x00,
	MR = 0x04,
	LR = 0x08,
	CR = 0x0c,
	IMSC = 0x10,
	RIS = 0x14,
	MIS = 0x18,
	ICR = 0x1c,
};

struct fixture {
	struct mmio_bus bus;
	struct pl031 rtc;
	uint64_t now;
	int level, level_changes;
	uint64_t timer; /* the last deadline asked for, 0 = none */
	int timer_calls;
};

static uint64_t fake_now(void *opaque)
{
	return ((struct fixture *)opaque)->now;
}

static void fake_set_timer(void *opaque, uint64_t when)
{
	struct fixture *f = opaque;

	f->timer = when;
	f->timer_calls++;
}

static void set_level(void *opaque, int level)
{
	struct fixture *f = opaque;

	f->level = level;
	f->level_changes++;
}

static int setup_clock(void **state, bool with_timer)
{
	static struct fixture f;
	struct pl031_clock clock = { fake_now, with_timer ? fake_set_timer : NULL, &f };

	memset(&f, 0, sizeof(f));
	f.now = T0;
	assert_int_equal(
		pl031_init(&f.rtc, &f.bus, BASE, (struct irq_line){ set_level, &f }, 2, &clock), 0);
	*state = &f;
	return 0;
}

static int setup(void **state)
{
	return setup_clock(state, true);
}

static int setup_no_timer(void **state)
{
	return setup_clock(state, false);
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

/* The timer the model asked for fires, as the board's would. */
static void advance(struct fixture *f, uint64_t seconds)
{
	f->now += seconds;
	if (f->timer && f->now >= f->timer)
		pl031_alarm(&f->rtc);
}

static void test_id_registers(void **state)
{
	/* PeriphID 0x00141031 (QEMU's: part 031, ARM, rev 1), PCellID 0xb105f00d */
	static const uint32_t id[8] = { 0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	struct fixture *f = *state;
	uint32_t periph = 0, cell = 0;
	int i;

	for (i = 0; i < 8; i++)
		assert_int_equal(rd(f, 0xfe0 + 4 * i), id[i]);
	/* as drivers/amba/bus.c puts them together: the low byte of each word */
	for (i = 0; i < 4; i++) {
		periph |= (rd(f, 0xfe0 + 4 * i) & 0xff) << (8 * i);
		cell |= (rd(f, 0xff0 + 4 * i) & 0xff) << (8 * i);
	}
	assert_int_equal(cell, 0xb105f00d);
	assert_int_equal(periph & 0x000fffff, 0x00041031); /* rtc-pl031's id and mask */
}

static void test_counter_is_the_clock_from_reset(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(rd(f, DR), (uint32_t)T0);
	advance(f, 7);
	assert_int_equal(rd(f, DR), (uint32_t)T0 + 7);
	assert_int_equal(rd(f, LR), 0);
	assert_int_equal(rd(f, MR), 0);
}

static void test_load_sets_the_counter_which_counts_on(void **state)
{
	struct fixture *f = *state;

	wr(f, LR, 1000);
	assert_int_equal(rd(f, DR), 1000);
	assert_int_equal(rd(f, LR), 1000); /* the last value loaded */
	advance(f, 5);
	assert_int_equal(rd(f, DR), 1005);
	assert_int_equal(rd(f, LR), 1000);
	wr(f, LR, (uint32_t)T0 + 3600); /* an hour ahead of the host */
	advance(f, 1);
	assert_int_equal(rd(f, DR), (uint32_t)T0 + 3600 + 1);
}

static void test_counter_wraps_at_32_bits(void **state)
{
	struct fixture *f = *state;

	wr(f, LR, 0xfffffffe);
	advance(f, 1);
	assert_int_equal(rd(f, DR), 0xffffffff);
	advance(f, 3);
	assert_int_equal(rd(f, DR), 2);
}

static void test_host_clock_wraps_into_the_offset(void **state)
{
	struct fixture *f = *state;

	f->now = 0x1fffffff0ull; /* beyond 2106: only the low 32 bits count */
	assert_int_equal(rd(f, DR), 0xfffffff0);
	wr(f, LR, 16);
	advance(f, 0x20);
	assert_int_equal(rd(f, DR), 16 + 0x20);
}

static void test_control_reads_started_and_ignores_writes(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(rd(f, CR), 1);
	wr(f, CR, 0);
	assert_int_equal(rd(f, CR), 1);
	wr(f, CR, 0xffffffff);
	assert_int_equal(rd(f, CR), 1);
	assert_int_equal(rd(f, DR), (uint32_t)T0); /* the counter did not move */
}

static void test_match_raises_the_line_when_unmasked(void **state)
{
	struct fixture *f = *state;

	wr(f, IMSC, 1);
	wr(f, MR, rd(f, DR) + 10);
	assert_int_equal(f->timer, T0 + 10);
	advance(f, 9);
	assert_int_equal(rd(f, RIS), 0);
	assert_int_equal(f->level, 0);
	advance(f, 1); /* the timer fires: no guest access needed */
	assert_int_equal(f->level, 1);
	assert_int_equal(f->level_changes, 1);
	assert_int_equal(rd(f, RIS), 1);
	assert_int_equal(rd(f, MIS), 1);
	wr(f, ICR, 1); /* what rtc-pl031's interrupt handler does */
	assert_int_equal(f->level, 0);
	assert_int_equal(rd(f, RIS), 0);
	assert_int_equal(rd(f, MIS), 0);
	advance(f, 100); /* once: the next match is 2^32 seconds away */
	assert_int_equal(rd(f, RIS), 0);
	assert_int_equal(f->level, 0);
}

static void test_masked_match_is_raw_status_only(void **state)
{
	struct fixture *f = *state;

	wr(f, MR, (uint32_t)T0 + 2);
	advance(f, 2);
	assert_int_equal(rd(f, RIS), 1);
	assert_int_equal(rd(f, MIS), 0);
	assert_int_equal(f->level, 0);
	wr(f, IMSC, 1); /* unmasking a pending match raises the line */
	assert_int_equal(f->level, 1);
	assert_int_equal(rd(f, MIS), 1);
	wr(f, IMSC, 0);
	assert_int_equal(f->level, 0);
	assert_int_equal(rd(f, RIS), 1);
}

static void test_match_equal_to_the_counter_is_at_once(void **state)
{
	struct fixture *f = *state;

	wr(f, IMSC, 1);
	wr(f, MR, (uint32_t)T0);
	assert_int_equal(f->level, 1);
	assert_int_equal(rd(f, RIS), 1);
	assert_int_equal(f->timer, 0); /* nothing left to wait for */
}

static void test_match_behind_the_counter_waits_for_the_wrap(void **state)
{
	struct fixture *f = *state;

	wr(f, IMSC, 1);
	wr(f, MR, (uint32_t)T0 - 1);
	assert_int_equal(f->timer, T0 + 0xffffffffull);
	advance(f, 1000);
	assert_int_equal(f->level, 0);
	assert_int_equal(rd(f, RIS), 0);
}

static void test_load_moves_the_alarm(void **state)
{
	struct fixture *f = *state;

	wr(f, IMSC, 1);
	wr(f, MR, 100);
	wr(f, LR, 90); /* the counter is now 10 s from the match */
	assert_int_equal(f->timer, T0 + 10);
	advance(f, 10);
	assert_int_equal(f->level, 1);
	wr(f, ICR, 1);
	wr(f, LR, 100); /* loading the match value itself matches */
	assert_int_equal(f->level, 1);
}

static void test_new_match_replaces_the_old(void **state)
{
	struct fixture *f = *state;

	wr(f, IMSC, 1);
	wr(f, MR, (uint32_t)T0 + 10);
	wr(f, MR, (uint32_t)T0 + 20);
	assert_int_equal(f->timer, T0 + 20);
	f->now += 10;
	pl031_alarm(&f->rtc); /* a stale timer firing changes nothing */
	assert_int_equal(f->level, 0);
	advance(f, 10);
	assert_int_equal(f->level, 1);
}

static void test_without_a_timer_the_next_access_sees_the_match(void **state)
{
	struct fixture *f = *state;

	wr(f, IMSC, 1);
	wr(f, MR, (uint32_t)T0 + 5);
	f->now += 60;
	assert_int_equal(f->level, 0); /* nobody woke the RTC */
	assert_int_equal(rd(f, DR), (uint32_t)T0 + 60);
	assert_int_equal(f->level, 1);
	assert_int_equal(rd(f, RIS), 1);
}

static void test_interrupt_bits_beyond_the_alarm_are_ignored(void **state)
{
	struct fixture *f = *state;

	wr(f, IMSC, 0xfffffffe);
	assert_int_equal(rd(f, IMSC), 0);
	wr(f, IMSC, 0xffffffff);
	assert_int_equal(rd(f, IMSC), 1);
	wr(f, MR, (uint32_t)T0);
	assert_int_equal(f->level, 1);
	wr(f, ICR, 0xfffffffe);
	assert_int_equal(rd(f, RIS), 1);
	assert_int_equal(f->level, 1);
}

static void test_read_only_registers_ignore_writes(void **state)
{
	struct fixture *f = *state;
	int i;

	wr(f, DR, 5);
	assert_int_equal(rd(f, DR), (uint32_t)T0);
	wr(f, RIS, 1);
	assert_int_equal(rd(f, RIS), 0);
	wr(f, MIS, 1);
	assert_int_equal(rd(f, MIS), 0);
	assert_int_equal(f->level, 0);
	for (i = 0; i < 8; i++)
		wr(f, 0xfe0 + 4 * i, 0);
	assert_int_equal(rd(f, 0xfe0), 0x31);
	assert_int_equal(rd(f, 0xffc), 0xb1);
	assert_int_equal(rd(f, ICR), 0); /* write-only */
}

static void test_reserved_offsets_read_zero_and_take_nothing(void **state)
{
	static const uint64_t offs[] = { 0x020, 0x024, 0x100, 0x800, 0xfdc };
	struct fixture *f = *state;
	uint32_t v = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		wr(f, offs[i], 0xffffffff);
		assert_int_equal(rd(f, offs[i]), 0);
	}
	assert_int_equal(rd(f, LR), 0);
	assert_int_equal(rd(f, IMSC), 0);
	/* past the 4 KiB window: not the RTC's, the bus has nothing there */
	assert_int_equal(mmio_bus_access(&f->bus, BASE + PL031_SIZE, &v, 4, false), -ENODEV);
	assert_int_equal(mmio_bus_access(&f->bus, BASE + PL031_SIZE - 2, &v, 4, false), -ENODEV);
}

/* A byte or halfword at a register's offset reads its low bytes (EDK2 reads the IDs so). */
static void test_bytes_and_halfwords_read_a_registers_low_bytes(void **state)
{
	struct fixture *f = *state;
	uint8_t b = 0xaa;
	uint16_t h = 0xaaaa;

	assert_int_equal(mmio_bus_access(&f->bus, BASE + 0xff0, &b, 1, false), 0);
	assert_int_equal(b, 0x0d); /* PCellID0 */
	assert_int_equal(mmio_bus_access(&f->bus, BASE + 0xffc, &b, 1, false), 0);
	assert_int_equal(b, 0xb1);
	assert_int_equal(mmio_bus_access(&f->bus, BASE + 0xfe8, &h, 2, false), 0);
	assert_int_equal(h, 0x14); /* PeriphID2, the high byte zero */
	assert_int_equal(mmio_bus_access(&f->bus, BASE + DR, &b, 1, false), 0);
	assert_int_equal(b, (uint8_t)T0);
	assert_int_equal(mmio_bus_access(&f->bus, BASE + DR, &h, 2, false), 0);
	assert_int_equal(h, (uint16_t)T0);
	assert_int_equal(mmio_bus_access(&f->bus, BASE + CR, &b, 1, false), 0);
	assert_int_equal(b, 1);
}

/* ... and a byte or halfword written there is the register's new value, zero-extended. */
static void test_bytes_and_halfwords_write_zero_extended(void **state)
{
	struct fixture *f = *state;
	uint8_t b = 0x12;
	uint16_t h = 0xbeef;

	wr(f, LR, 0xffffffff);
	assert_int_equal(mmio_bus_access(&f->bus, BASE + LR, &b, 1, true), 0);
	assert_int_equal(rd(f, LR), 0x12);
	assert_int_equal(rd(f, DR), 0x12); /* the counter took the value */
	assert_int_equal(mmio_bus_access(&f->bus, BASE + MR, &h, 2, true), 0);
	assert_int_equal(rd(f, MR), 0xbeef);
	assert_int_equal(f->timer, T0 + 0xbeef - 0x12); /* the match armed for it */
	b = 1;
	assert_int_equal(mmio_bus_access(&f->bus, BASE + IMSC, &b, 1, true), 0);
	assert_int_equal(rd(f, IMSC), 1);
}

static void test_unaligned_and_8_byte_accesses_read_zero(void **state)
{
	static const uint64_t offs[] = { DR, DR + 2, 0xfe0, 0xff1 };
	struct fixture *f = *state;
	uint8_t buf[8];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		unsigned int len = offs[i] & 3 ? 4 : 8;

		memset(buf, 0xaa, sizeof(buf));
		assert_int_equal(mmio_bus_access(&f->bus, BASE + offs[i], buf, len, false), 0);
		assert_memory_equal(buf, "\0\0\0\0\0\0\0\0", len);
	}
	memset(buf, 0xaa, 2);
	assert_int_equal(mmio_bus_access(&f->bus, BASE + 0xff1, buf, 1, false), 0);
	assert_int_equal(buf[0], 0);
}

static void test_unaligned_and_8_byte_writes_are_ignored(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[8];

	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(mmio_bus_access(&f->bus, BASE + LR, buf, 8, true), 0);
	assert_int_equal(mmio_bus_access(&f->bus, BASE + IMSC, buf, 8, true), 0);
	assert_int_equal(mmio_bus_access(&f->bus, BASE + MR, buf, 8, true), 0);
	assert_int_equal(mmio_bus_access(&f->bus, BASE + LR + 1, buf, 4, true), 0);
	assert_int_equal(mmio_bus_access(&f->bus, BASE + MR + 2, buf, 2, true), 0);
	assert_int_equal(mmio_bus_access(&f->bus, BASE + IMSC + 3, buf, 1, true), 0);
	assert_int_equal(rd(f, LR), 0);
	assert_int_equal(rd(f, DR), (uint32_t)T0);
	assert_int_equal(rd(f, IMSC), 0);
	assert_int_equal(rd(f, MR), 0);
	assert_int_equal(f->timer_calls, 0);
}

static void test_default_clock_is_the_hosts(void **state)
{
	struct mmio_bus bus = { .nr = 0 };
	struct pl031 rtc;
	uint32_t v = 0;
	time_t before = time(NULL), after;

	assert_int_equal(pl031_init(&rtc, &bus, BASE, (struct irq_line){ 0 }, 2, NULL), 0);
	assert_int_equal(mmio_bus_access(&bus, BASE + DR, &v, 4, false), 0);
	after = time(NULL);
	assert_true(v >= (uint32_t)before && v <= (uint32_t)after);
	/* and an unwired line and no timer are fine */
	v = (uint32_t)after;
	assert_int_equal(mmio_bus_access(&bus, BASE + MR, &v, 4, true), 0);
}

static void test_device_tree_node_is_qemus(void **state)
{
	struct fixture *f = *state;
	struct dtb_device d;

	memset(&d, 0, sizeof(d));
	assert_string_equal(f->rtc.region.name, "pl031");
	assert_int_equal(f->rtc.region.size, 0x1000);
	f->rtc.region.describe(f->rtc.region.opaque, &d);
	assert_string_equal(d.compatible[0], "arm,pl031");
	assert_string_equal(d.compatible[1], "arm,primecell");
	assert_null(d.compatible[2]);
	assert_int_equal(d.nr_irqs, 1);
	assert_int_equal(d.irqs[0].type, DTB_IRQ_SPI);
	assert_int_equal(d.irqs[0].num, 2);
	assert_int_equal(d.irqs[0].flags, DTB_IRQ_LEVEL_HIGH);
	assert_string_equal(d.clock_names[0], "apb_pclk");
	assert_null(d.clock_names[1]);
	assert_false(d.is_stdout);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_id_registers, setup),
		cmocka_unit_test_setup(test_counter_is_the_clock_from_reset, setup),
		cmocka_unit_test_setup(test_load_sets_the_counter_which_counts_on, setup),
		cmocka_unit_test_setup(test_counter_wraps_at_32_bits, setup),
		cmocka_unit_test_setup(test_host_clock_wraps_into_the_offset, setup),
		cmocka_unit_test_setup(test_control_reads_started_and_ignores_writes, setup),
		cmocka_unit_test_setup(test_match_raises_the_line_when_unmasked, setup),
		cmocka_unit_test_setup(test_masked_match_is_raw_status_only, setup),
		cmocka_unit_test_setup(test_match_equal_to_the_counter_is_at_once, setup),
		cmocka_unit_test_setup(test_match_behind_the_counter_waits_for_the_wrap, setup),
		cmocka_unit_test_setup(test_load_moves_the_alarm, setup),
		cmocka_unit_test_setup(test_new_match_replaces_the_old, setup),
		cmocka_unit_test_setup(test_without_a_timer_the_next_access_sees_the_match,
				       setup_no_timer),
		cmocka_unit_test_setup(test_interrupt_bits_beyond_the_alarm_are_ignored, setup),
		cmocka_unit_test_setup(test_read_only_registers_ignore_writes, setup),
		cmocka_unit_test_setup(test_reserved_offsets_read_zero_and_take_nothing, setup),
		cmocka_unit_test_setup(test_bytes_and_halfwords_read_a_registers_low_bytes, setup),
		cmocka_unit_test_setup(test_bytes_and_halfwords_write_zero_extended, setup),
		cmocka_unit_test_setup(test_unaligned_and_8_byte_accesses_read_zero, setup),
		cmocka_unit_test_setup(test_unaligned_and_8_byte_writes_are_ignored, setup),
		cmocka_unit_test(test_default_clock_is_the_hosts),
		cmocka_unit_test_setup(test_device_tree_node_is_qemus, setup),
	};

	return cmocka_run_group_tests_name("pl031", tests, NULL, NULL);
}
