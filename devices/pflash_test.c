// SPDX-License-Identifier: GPL-3.0-or-later
/* CFI flash model against the Intel command set as U-Boot's cfi_flash and EDK2's
 * VirtNorFlashDxe drive it, and QEMU virt's banks as they answer: the CFI query and its
 * geometry, read ID, status, word and buffered program, block erase, lock and unlock,
 * sequence errors, the read-only slot's mapping (set_romd), what reaches the variables
 * file (persist) and what happens when that fails. One bank of 1 MiB (4 blocks). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dtb.h"
#include "pflash.h"

#define BASE 0x04000000ull
#define SIZE (4 * PFLASH_SECTOR)
#define MAX_PERSISTS 16

struct fixture {
	struct mmio_bus bus;
	struct pflash flash;
	uint8_t array[SIZE];
	bool romd; /* what set_romd() said last */
	int romd_calls;
	int persist_err; /* what persist returns */
	unsigned int nr_persists;
	struct {
		uint64_t off, len;
	} persists[MAX_PERSISTS];
};

static int fake_persist(void *opaque, uint64_t off, const void *data, uint64_t len)
{
	struct fixture *f = opaque;

	assert_true(off + len <= SIZE);
	assert_ptr_equal(data, f->array + off); /* the bank's own bytes, as they are now */
	if (f->nr_persists < MAX_PERSISTS) {
		f->persists[f->nr_persists].off = off;
		f->persists[f->nr_persists].len = len;
	}
	f->nr_persists++;
	return f->persist_err;
}

static void fake_set_romd(void *opaque, bool readable)
{
	struct fixture *f = opaque;

	assert_true(readable != f->romd); /* only changes */
	f->romd = readable;
	f->romd_calls++;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const struct pflash_backing bk = { fake_persist, fake_set_romd, f };
	unsigned int i;

	assert_non_null(f);
	for (i = 0; i < SIZE; i++)
		f->array[i] = (uint8_t)(i * 7 + 3);
	f->romd = true;
	assert_int_equal(pflash_init(&f->flash, &f->bus, "flash", BASE, f->array, SIZE, &bk), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static uint32_t rd32(struct fixture *f, uint64_t off)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(mmio_bus_access(&f->bus, BASE + off, &v, 4, false), 0);
	return v;
}

static uint8_t rd8(struct fixture *f, uint64_t off)
{
	uint8_t v = 0xa5;

	assert_int_equal(mmio_bus_access(&f->bus, BASE + off, &v, 1, false), 0);
	return v;
}

static void wr32(struct fixture *f, uint64_t off, uint32_t v)
{
	assert_int_equal(mmio_bus_access(&f->bus, BASE + off, &v, 4, true), 0);
}

/* A command as both devices get it: the byte in each 16-bit lane. */
static void cmd(struct fixture *f, uint64_t off, uint8_t c)
{
	wr32(f, off, (uint32_t)c << 16 | c);
}

/* What a query answers for device item v: the value in each device's low byte. */
static uint32_t both(uint8_t v)
{
	return (uint32_t)v << 16 | v;
}

static uint32_t array32(struct fixture *f, uint64_t off)
{
	uint32_t v;

	memcpy(&v, f->array + off, 4);
	return v;
}

static void test_reads_the_array_and_is_mapped_from_reset(void **state)
{
	struct fixture *f = *state;

	assert_true(pflash_readable(&f->flash));
	assert_int_equal(f->romd_calls, 0);
	assert_int_equal(rd32(f, 0), array32(f, 0));
	assert_int_equal(rd32(f, SIZE - 4), array32(f, SIZE - 4));
	assert_int_equal(rd8(f, 0x12345), f->array[0x12345]);
}

static void test_cfi_query_as_u_boot_reads_it(void **state)
{
	struct fixture *f = *state;
	uint64_t blocks, block_len;

	cmd(f, 0x55 * 4, 0x98);
	assert_false(pflash_readable(&f->flash));
	assert_false(f->romd); /* reads must come to the model now */
	assert_int_equal(rd32(f, 0x10 * 4), both('Q'));
	assert_int_equal(rd32(f, 0x11 * 4), both('R'));
	assert_int_equal(rd32(f, 0x12 * 4), both('Y'));
	assert_int_equal(rd32(f, 0x13 * 4), both(0x01)); /* Intel/Sharp extended */
	assert_int_equal(rd32(f, 0x15 * 4), both(0x31));
	/* each x16 device holds half the bank: 2^n bytes */
	assert_int_equal(1ull << (rd32(f, 0x27 * 4) & 0xff), SIZE / 2);
	assert_int_equal(rd32(f, 0x2a * 4) & 0xff, 11); /* 2 KiB write buffer per device */
	assert_int_equal(rd32(f, 0x2c * 4), both(1));   /* one erase block region */
	blocks = (rd32(f, 0x2d * 4) & 0xff) + ((rd32(f, 0x2e * 4) & 0xff) << 8) + 1;
	block_len = ((rd32(f, 0x2f * 4) & 0xff) + ((rd32(f, 0x30 * 4) & 0xff) << 8)) * 256;
	assert_int_equal(blocks, SIZE / PFLASH_SECTOR);
	assert_int_equal(block_len * 2, PFLASH_SECTOR); /* a bank block is both devices' */
	assert_int_equal(rd32(f, 0x31 * 4), both('P'));
	/* an x8 probe of the same address does not see a 'Q' in every byte */
	assert_int_not_equal(rd32(f, 0x10 * 4), 0x51515151);
	/* past the table: zero */
	assert_int_equal(rd32(f, 0x60 * 4), 0);
	/* lanes: a byte read gives that device's byte */
	assert_int_equal(rd8(f, 0x10 * 4), 'Q');
	assert_int_equal(rd8(f, 0x10 * 4 + 1), 0);
	assert_int_equal(rd8(f, 0x10 * 4 + 2), 'Q');
	/* read array maps it again */
	cmd(f, 0, 0xff);
	assert_true(f->romd);
	assert_true(pflash_readable(&f->flash));
	assert_int_equal(rd32(f, 0x40), array32(f, 0x40));
}

static void test_read_id(void **state)
{
	struct fixture *f = *state;

	cmd(f, 0, 0x90);
	assert_int_equal(rd32(f, 0), both(0x89));
	assert_int_equal(rd32(f, 4), both(0x18));
	assert_int_equal(rd32(f, 8), 0); /* block 0 unlocked */
	assert_int_equal(rd32(f, PFLASH_SECTOR + 8), 0);
	cmd(f, 0, 0xf0); /* U-Boot's AMD-style reset works too */
	assert_true(f->romd);
	assert_int_equal(rd32(f, 0), array32(f, 0));
}

static void test_word_program_writes_and_persists(void **state)
{
	struct fixture *f = *state;

	cmd(f, 0x1000, 0x40);
	assert_false(f->romd);
	wr32(f, 0x1000, 0x12345678);
	assert_int_equal(array32(f, 0x1000), 0x12345678);
	assert_int_equal(f->nr_persists, 1);
	assert_int_equal(f->persists[0].off, 0x1000);
	assert_int_equal(f->persists[0].len, 4);
	/* reads give the status until read array: ready, no error */
	assert_int_equal(rd32(f, 0x1000), both(PFLASH_SR_READY));
	assert_int_equal(rd32(f, 0), both(PFLASH_SR_READY));
	cmd(f, 0, 0xff);
	assert_int_equal(rd32(f, 0x1000), 0x12345678);
	/* the alternate program command (0x10) */
	cmd(f, 0x2000, 0x10);
	wr32(f, 0x2000, 0xcafef00d);
	cmd(f, 0, 0xff);
	assert_int_equal(rd32(f, 0x2000), 0xcafef00d);
	assert_int_equal(f->nr_persists, 2);
}

static void test_two_cycles_in_one_64_bit_write(void **state)
{
	struct fixture *f = *state;
	uint64_t v = (uint64_t)0x89abcdef << 32 | both(0x40); /* program, then the data */

	assert_int_equal(mmio_bus_access(&f->bus, BASE + 0x3000, &v, 8, true), 0);
	assert_int_equal(array32(f, 0x3004), 0x89abcdef);
}

static void test_block_erase_at_its_confirm(void **state)
{
	struct fixture *f = *state;
	unsigned int i;

	cmd(f, PFLASH_SECTOR + 0x100, 0x20);
	assert_int_not_equal(f->array[PFLASH_SECTOR], 0xff); /* nothing yet */
	cmd(f, PFLASH_SECTOR + 0x100, 0xd0);
	for (i = 0; i < PFLASH_SECTOR; i++)
		if (f->array[PFLASH_SECTOR + i] != 0xff)
			fail_msg("byte %u of block 1 not erased", i);
	assert_int_not_equal(f->array[PFLASH_SECTOR - 1], 0xff); /* its neighbours keep theirs */
	assert_int_not_equal(f->array[2 * PFLASH_SECTOR], 0xff);
	assert_int_equal(f->nr_persists, 1);
	assert_int_equal(f->persists[0].off, PFLASH_SECTOR);
	assert_int_equal(f->persists[0].len, PFLASH_SECTOR);
	assert_int_equal(rd32(f, 0), both(PFLASH_SR_READY));
}

static void test_erase_cancelled_or_unconfirmed(void **state)
{
	struct fixture *f = *state;
	uint8_t before = f->array[0];

	cmd(f, 0, 0x20);
	cmd(f, 0, 0xff); /* cancelled: back to read array, no error */
	assert_true(f->romd);
	assert_int_equal(f->array[0], before);
	cmd(f, 0, 0x70);
	assert_int_equal(rd32(f, 0), both(PFLASH_SR_READY));
	cmd(f, 0, 0x20);
	cmd(f, 0, 0x40); /* not the confirm: a sequence error, nothing erased */
	assert_int_equal(f->array[0], before);
	assert_true(f->romd);
	cmd(f, 0, 0x70);
	assert_int_equal(rd32(f, 0),
			 both(PFLASH_SR_READY | PFLASH_SR_ERASE_ERR | PFLASH_SR_PROGRAM_ERR));
	cmd(f, 0, 0x50); /* clear status */
	assert_true(f->romd);
	cmd(f, 0, 0x70);
	assert_int_equal(rd32(f, 0), both(PFLASH_SR_READY));
	assert_int_equal(f->nr_persists, 0);
}

/* EDK2's and U-Boot's buffered program: 0xe8, the status says the buffer is free, the
 * count (words - 1), the words, the confirm. */
static void test_buffered_program(void **state)
{
	struct fixture *f = *state;
	const uint64_t at = 2 * PFLASH_SECTOR + 0x800;
	unsigned int i;

	cmd(f, at, 0xe8);
	assert_int_equal(rd32(f, at) & PFLASH_SR_READY, PFLASH_SR_READY);
	cmd(f, at, 15); /* 16 words */
	for (i = 0; i < 16; i++)
		wr32(f, at + 4 * i, 0x11110000 + i);
	assert_int_not_equal(array32(f, at), 0x11110000); /* not before the confirm */
	assert_int_equal(f->nr_persists, 0);
	cmd(f, at, 0xd0);
	for (i = 0; i < 16; i++)
		assert_int_equal(array32(f, at + 4 * i), 0x11110000 + i);
	assert_int_equal(f->nr_persists, 1);
	assert_int_equal(f->persists[0].off, at);
	assert_int_equal(f->persists[0].len, 64);
	assert_int_equal(rd32(f, at), both(PFLASH_SR_READY));
	cmd(f, 0, 0xff);
	assert_int_equal(rd32(f, at + 60), 0x1111000f);
}

static void test_buffered_program_out_of_order_keeps_unwritten_bytes(void **state)
{
	struct fixture *f = *state;
	const uint64_t at = 0x1000;
	uint32_t gap = array32(f, at + 4);

	cmd(f, at, 0xe8);
	cmd(f, at, 1); /* 2 words: the third and the first, leaving the second */
	wr32(f, at + 8, 0x33333333);
	wr32(f, at, 0x11111111);
	cmd(f, at, 0xd0);
	assert_int_equal(array32(f, at), 0x11111111);
	assert_int_equal(array32(f, at + 4), gap);
	assert_int_equal(array32(f, at + 8), 0x33333333);
	assert_int_equal(f->persists[0].off, at);
	assert_int_equal(f->persists[0].len, 12);
}

static void test_buffered_program_errors_write_nothing(void **state)
{
	struct fixture *f = *state;
	const uint32_t sr_seq = both(PFLASH_SR_READY | PFLASH_SR_ERASE_ERR | PFLASH_SR_PROGRAM_ERR);
	uint32_t first = array32(f, 0), edge = array32(f, PFLASH_WRITE_BUFFER);

	/* a count beyond the buffer */
	cmd(f, 0, 0xe8);
	wr32(f, 0, 0x04000400); /* 1025 words, in each device's 16 bits */
	assert_true(f->romd);
	cmd(f, 0, 0x70);
	assert_int_equal(rd32(f, 0), sr_seq);
	cmd(f, 0, 0x50);
	/* a word outside the first word's write block */
	cmd(f, 0, 0xe8);
	cmd(f, 0, 1);
	wr32(f, PFLASH_WRITE_BUFFER - 4, 0x44444444);
	wr32(f, PFLASH_WRITE_BUFFER, 0x55555555);
	assert_true(f->romd);
	assert_int_equal(array32(f, PFLASH_WRITE_BUFFER - 4) == 0x44444444, 0);
	assert_int_equal(array32(f, PFLASH_WRITE_BUFFER), edge);
	cmd(f, 0, 0x70);
	assert_int_equal(rd32(f, 0), sr_seq);
	cmd(f, 0, 0x50);
	/* no confirm after the words */
	cmd(f, 0, 0xe8);
	cmd(f, 0, 0);
	wr32(f, 0, 0x66666666);
	cmd(f, 0, 0x40);
	assert_int_equal(array32(f, 0), first);
	cmd(f, 0, 0x70);
	assert_int_equal(rd32(f, 0), sr_seq);
	assert_int_equal(f->nr_persists, 0);
}

static void test_lock_and_unlock_succeed_and_change_nothing(void **state)
{
	struct fixture *f = *state;
	uint32_t before = array32(f, 0);

	cmd(f, 0, 0x60);
	cmd(f, 0, 0xd0); /* unlock, as EDK2 does before an erase */
	assert_int_equal(rd32(f, 0), both(PFLASH_SR_READY));
	cmd(f, 0, 0x60);
	cmd(f, 0, 0x01); /* lock */
	assert_int_equal(rd32(f, 0), both(PFLASH_SR_READY));
	cmd(f, 0, 0x90);
	assert_int_equal(rd32(f, 8), 0); /* never enforced: still reads unlocked */
	/* and a program after a lock works */
	cmd(f, 0, 0x40);
	wr32(f, 0, 0x77777777);
	assert_int_not_equal(before, 0x77777777);
	assert_int_equal(array32(f, 0), 0x77777777);
	cmd(f, 0, 0x60);
	cmd(f, 0, 0x42); /* neither: sequence error */
	cmd(f, 0, 0x70);
	assert_int_equal(rd32(f, 0) & both(PFLASH_SR_ERASE_ERR), both(PFLASH_SR_ERASE_ERR));
}

static void test_failed_persist_sets_the_error_bit(void **state)
{
	struct fixture *f = *state;

	f->persist_err = -EIO;
	cmd(f, 0, 0x40);
	wr32(f, 0, 0x88888888);
	assert_int_equal(rd32(f, 0), both(PFLASH_SR_READY | PFLASH_SR_PROGRAM_ERR));
	assert_int_equal(array32(f, 0), 0x88888888); /* the guest's view changed */
	cmd(f, 0, 0x50);
	cmd(f, 0, 0x20);
	cmd(f, 0, 0xd0);
	assert_int_equal(rd32(f, 0), both(PFLASH_SR_READY | PFLASH_SR_ERASE_ERR));
}

static void test_unknown_commands_and_outside_writes_are_ignored(void **state)
{
	struct fixture *f = *state;
	uint32_t v = 0x40404040;

	cmd(f, 0, 0x33);
	assert_true(f->romd);
	assert_int_equal(f->romd_calls, 0);
	assert_int_equal(rd32(f, 0), array32(f, 0));
	/* a write that does not fit in the bank reaches no byte */
	assert_int_equal(mmio_bus_access(&f->bus, BASE + SIZE - 2, &v, 4, true), -ENODEV);
	assert_int_equal(f->flash.cmd, 0);
}

static void test_reset_returns_to_read_array(void **state)
{
	struct fixture *f = *state;

	cmd(f, 0, 0xe8);
	cmd(f, 0, 3);
	wr32(f, 0, 1);
	pflash_reset(&f->flash);
	assert_true(f->romd);
	assert_true(pflash_readable(&f->flash));
	assert_int_equal(rd32(f, 0), array32(f, 0));
	/* the buffered program was dropped: its confirm is a new (unknown) command */
	cmd(f, 0, 0xd0);
	assert_int_equal(f->nr_persists, 0);
	assert_true(f->romd);
}

static void test_volatile_bank_without_callbacks(void **state)
{
	static uint8_t bytes[PFLASH_SECTOR];
	struct mmio_bus bus = { .nr = 0 };
	struct pflash fl;
	uint32_t v = both(0x40);

	assert_int_equal(pflash_init(&fl, &bus, "flash", BASE, bytes, sizeof(bytes), NULL), 0);
	assert_int_equal(mmio_bus_access(&bus, BASE, &v, 4, true), 0);
	v = 0x5a5a5a5a;
	assert_int_equal(mmio_bus_access(&bus, BASE, &v, 4, true), 0);
	assert_int_equal(bytes[0], 0x5a);
	assert_false(pflash_readable(&fl));
	pflash_reset(&fl);
	assert_true(pflash_readable(&fl));
}

static void test_bad_sizes_are_refused(void **state)
{
	static uint8_t bytes[PFLASH_SECTOR];
	struct mmio_bus bus = { .nr = 0 };
	struct pflash fl;

	assert_int_equal(pflash_init(&fl, &bus, "flash", BASE, bytes, 0, NULL), -EINVAL);
	assert_int_equal(pflash_init(&fl, &bus, "flash", BASE, bytes, PFLASH_SECTOR + 1, NULL),
			 -EINVAL);
	assert_int_equal(pflash_init(&fl, &bus, "flash", BASE, NULL, PFLASH_SECTOR, NULL), -EINVAL);
	assert_int_equal(
		pflash_init(&fl, &bus, "flash", BASE, bytes, (1ull << 32) + PFLASH_SECTOR, NULL),
		-EINVAL);
	assert_int_equal(bus.nr, 0);
}

static void test_device_tree_node_is_qemus(void **state)
{
	static uint8_t second_bytes[PFLASH_SECTOR];
	struct fixture *f = *state;
	struct pflash second;
	struct dtb_device d;

	memset(&d, 0, sizeof(d));
	assert_int_equal(pflash_init(&second, &f->bus, "flash", BASE + SIZE, second_bytes,
				     sizeof(second_bytes), NULL),
			 0);
	pflash_join(&f->flash, &second);
	assert_null(second.region.describe);
	f->flash.region.describe(f->flash.region.opaque, &d);
	assert_string_equal(d.compatible[0], "cfi-flash");
	assert_null(d.compatible[1]);
	assert_int_equal(d.base2, BASE + SIZE);
	assert_int_equal(d.size2, PFLASH_SECTOR);
	assert_non_null(d.add_props);
	assert_int_equal(d.nr_irqs, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reads_the_array_and_is_mapped_from_reset,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_cfi_query_as_u_boot_reads_it, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_word_program_writes_and_persists, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_two_cycles_in_one_64_bit_write, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_block_erase_at_its_confirm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erase_cancelled_or_unconfirmed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_buffered_program, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_buffered_program_out_of_order_keeps_unwritten_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buffered_program_errors_write_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_lock_and_unlock_succeed_and_change_nothing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_persist_sets_the_error_bit, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_unknown_commands_and_outside_writes_are_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_returns_to_read_array, setup, teardown),
		cmocka_unit_test(test_volatile_bank_without_callbacks),
		cmocka_unit_test(test_bad_sizes_are_refused),
		cmocka_unit_test_setup_teardown(test_device_tree_node_is_qemus, setup, teardown),
	};

	return cmocka_run_group_tests_name("pflash", tests, NULL, NULL);
}
