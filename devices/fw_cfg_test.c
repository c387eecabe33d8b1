// SPDX-License-Identifier: GPL-3.0-or-later
/* fw_cfg model against QEMU's specification (docs/specs/fw_cfg.rst) and what U-Boot's
 * qfw driver and EDK2's QemuFwCfgLib do: the signature and ID, the selector, the data
 * register at each width, the file directory, DMA select/read/skip in both halves of the
 * address, its errors, and guest RAM that is not there. Guest RAM is a 64 KiB array at
 * RAM_BASE. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dtb.h"
#include "fw_cfg.h"

#define BASE 0x09020000ull
#define RAM_BASE 0x40000000ull
#define RAM_SIZE 0x10000u

enum { DATA = 0, SELECTOR = 8, DMA = 16 };

struct fixture {
	struct mmio_bus bus;
	struct fw_cfg cfg;
	uint8_t ram[RAM_SIZE];
	uint8_t kernel[3000];
};

static void *ram_ptr(void *opaque, gpa_t gpa, uint64_t len)
{
	struct fixture *f = opaque;

	if (gpa < RAM_BASE || gpa - RAM_BASE > RAM_SIZE || len > RAM_SIZE - (gpa - RAM_BASE))
		return NULL;
	return f->ram + (gpa - RAM_BASE);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const struct fw_cfg_mem mem = { ram_ptr, f };
	unsigned int i;

	assert_non_null(f);
	for (i = 0; i < sizeof(f->kernel); i++)
		f->kernel[i] = (uint8_t)(i * 13 + 1);
	assert_int_equal(fw_cfg_init(&f->cfg, &f->bus, BASE, &mem), 0);
	assert_int_equal(fw_cfg_add_u32(&f->cfg, FW_CFG_KERNEL_SIZE, sizeof(f->kernel)), 0);
	assert_int_equal(
		fw_cfg_add_bytes(&f->cfg, FW_CFG_KERNEL_DATA, f->kernel, sizeof(f->kernel)), 0);
	assert_int_equal(fw_cfg_add_u16(&f->cfg, FW_CFG_NB_CPUS, 2), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fw_cfg_destroy(&f->cfg);
	free(f);
	return 0;
}

static void sel(struct fixture *f, uint16_t key)
{
	uint8_t be[2] = { (uint8_t)(key >> 8), (uint8_t)key };

	assert_int_equal(mmio_bus_access(&f->bus, BASE + SELECTOR, be, 2, true), 0);
}

static void data(struct fixture *f, void *out, unsigned int len)
{
	assert_int_equal(mmio_bus_access(&f->bus, BASE + DATA, out, len, false), 0);
}

static uint8_t data8(struct fixture *f)
{
	uint8_t v;

	data(f, &v, 1);
	return v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A descriptor at RAM offset at: control, length, the address, big-endian. */
static void descriptor(struct fixture *f, uint32_t at, uint32_t control, uint32_t length,
		       uint64_t addr)
{
	put_be32(f->ram + at, control);
	put_be32(f->ram + at + 4, length);
	put_be32(f->ram + at + 8, (uint32_t)(addr >> 32));
	put_be32(f->ram + at + 12, (uint32_t)addr);
}

/* Start the descriptor at gpa as EDK2 does: the address in one 64-bit big-endian write. */
static void dma64(struct fixture *f, uint64_t gpa)
{
	uint8_t be[8];

	put_be32(be, (uint32_t)(gpa >> 32));
	put_be32(be + 4, (uint32_t)gpa);
	assert_int_equal(mmio_bus_access(&f->bus, BASE + DMA, be, 8, true), 0);
}

/* ... and as a 32-bit guest does: the high half, then the low one, which starts it. */
static void dma32(struct fixture *f, uint64_t gpa)
{
	uint8_t be[4];

	put_be32(be, (uint32_t)(gpa >> 32));
	assert_int_equal(mmio_bus_access(&f->bus, BASE + DMA, be, 4, true), 0);
	put_be32(be, (uint32_t)gpa);
	assert_int_equal(mmio_bus_access(&f->bus, BASE + DMA + 4, be, 4, true), 0);
}

static void test_signature_and_id(void **state)
{
	struct fixture *f = *state;
	uint8_t sig[4], id[4], dma[8];

	sel(f, FW_CFG_SIGNATURE);
	data(f, sig, 4);
	assert_memory_equal(sig, "QEMU", 4);
	sel(f, FW_CFG_ID);
	data(f, id, 4);
	assert_int_equal(id[0], 3); /* traditional and DMA, little-endian */
	assert_int_equal(id[1] | id[2] | id[3], 0);
	/* the DMA register reads "QEMU CFG", which is how drivers detect DMA */
	assert_int_equal(mmio_bus_access(&f->bus, BASE + DMA, dma, 8, false), 0);
	assert_memory_equal(dma, "QEMU CFG", 8);
	assert_int_equal(mmio_bus_access(&f->bus, BASE + DMA + 4, dma, 4, false), 0);
	assert_memory_equal(dma, " CFG", 4);
}

static void test_data_streams_at_every_width(void **state)
{
	struct fixture *f = *state;
	uint8_t b[8];
	uint32_t n = 0;
	unsigned int i;

	sel(f, FW_CFG_KERNEL_SIZE);
	data(f, &n, 4);
	assert_int_equal(n, sizeof(f->kernel)); /* numbers are little-endian */
	sel(f, FW_CFG_KERNEL_DATA);
	assert_int_equal(data8(f), f->kernel[0]);
	data(f, b, 2);
	assert_memory_equal(b, f->kernel + 1, 2);
	data(f, b, 4);
	assert_memory_equal(b, f->kernel + 3, 4);
	data(f, b, 8);
	assert_memory_equal(b, f->kernel + 7, 8); /* first byte at the lowest address */
	/* a new select starts over */
	sel(f, FW_CFG_KERNEL_DATA);
	for (i = 0; i < sizeof(f->kernel); i++)
		if (data8(f) != f->kernel[i])
			fail_msg("kernel byte %u", i);
	/* past the end: zeroes */
	data(f, b, 8);
	assert_memory_equal(b, "\0\0\0\0\0\0\0\0", 8);
}

static void test_missing_and_special_keys_read_nothing(void **state)
{
	struct fixture *f = *state;
	uint8_t b[4] = { 1, 2, 3, 4 };

	sel(f, FW_CFG_INITRD_SIZE); /* not given */
	data(f, b, 4);
	assert_memory_equal(b, "\0\0\0\0", 4);
	sel(f, 0x4000 | FW_CFG_SIGNATURE); /* the write channel bit: no such item */
	data(f, b, 4);
	assert_memory_equal(b, "\0\0\0\0", 4);
	sel(f, 0xffff);
	data(f, b, 4);
	assert_memory_equal(b, "\0\0\0\0", 4);
	/* writes to the data register change nothing */
	sel(f, FW_CFG_SIGNATURE);
	assert_int_equal(mmio_bus_access(&f->bus, BASE + DATA, b, 4, true), 0);
	data(f, b, 4);
	assert_memory_equal(b, "QEMU", 4);
}

static void test_file_directory_is_sorted_by_name(void **state)
{
	static const char dtb[] = "dtb", order[] = "bootorder!", zeta[] = "zeta";
	struct fixture *f = *state;
	uint8_t dir[4 + 3 * 64];
	uint8_t b[16];
	unsigned int i;

	assert_int_equal(fw_cfg_add_file(&f->cfg, "etc/zeta", zeta, sizeof(zeta)), 0);
	assert_int_equal(fw_cfg_add_file(&f->cfg, "bootorder", order, 10), 0);
	assert_int_equal(fw_cfg_add_file(&f->cfg, "etc/dtb", dtb, 3), 0);
	sel(f, FW_CFG_FILE_DIR);
	for (i = 0; i < sizeof(dir); i += 4)
		data(f, dir + i, 4);
	assert_int_equal(get_be32(dir), 3);
	assert_string_equal((char *)dir + 4 + 8, "bootorder");
	assert_string_equal((char *)dir + 4 + 64 + 8, "etc/dtb");
	assert_string_equal((char *)dir + 4 + 128 + 8, "etc/zeta");
	assert_int_equal(get_be32(dir + 4), 10);
	assert_int_equal(get_be32(dir + 4 + 64), 3);
	assert_int_equal(dir[4 + 64 + 4] << 8 | dir[4 + 64 + 5], FW_CFG_FILE_FIRST + 1);
	assert_int_equal(dir[4 + 128 + 4] << 8 | dir[4 + 128 + 5], FW_CFG_FILE_FIRST + 2);
	/* each key reads its file */
	sel(f, FW_CFG_FILE_FIRST + 2);
	data(f, b, sizeof(zeta));
	assert_string_equal((char *)b, "zeta");
	sel(f, FW_CFG_FILE_FIRST + 1);
	data(f, b, 4);
	assert_memory_equal(b, "dtb\0", 4);
}

static void test_bad_items_are_refused(void **state)
{
	struct fixture *f = *state;
	char name[FW_CFG_NAME_LEN + 1];
	static const char x[] = "x";
	unsigned int i;

	assert_int_equal(fw_cfg_add_u32(&f->cfg, FW_CFG_KERNEL_SIZE, 1), -EINVAL); /* taken */
	assert_int_equal(fw_cfg_add_bytes(&f->cfg, FW_CFG_FILE_DIR, x, 1), -EINVAL);
	assert_int_equal(fw_cfg_add_bytes(&f->cfg, FW_CFG_FILE_FIRST, x, 1), -EINVAL);
	assert_int_equal(fw_cfg_add_bytes(&f->cfg, FW_CFG_INITRD_DATA, NULL, 1), -EINVAL);
	memset(name, 'a', FW_CFG_NAME_LEN);
	name[FW_CFG_NAME_LEN] = '\0';
	assert_int_equal(fw_cfg_add_file(&f->cfg, name, x, 1), -EINVAL); /* no room for NUL */
	name[FW_CFG_NAME_LEN - 1] = '\0';
	assert_int_equal(fw_cfg_add_file(&f->cfg, name, x, 1), 0);
	assert_int_equal(fw_cfg_add_file(&f->cfg, name, x, 1), -EINVAL); /* taken */
	assert_int_equal(fw_cfg_add_file(&f->cfg, "", x, 1), -EINVAL);
	for (i = 1; i < FW_CFG_MAX_FILES; i++) {
		char n[16];

		snprintf(n, sizeof(n), "etc/f%u", i);
		assert_int_equal(fw_cfg_add_file(&f->cfg, n, x, 1), 0);
	}
	assert_int_equal(fw_cfg_add_file(&f->cfg, "etc/one-more", x, 1), -ENOSPC);
}

static void test_dma_select_and_read(void **state)
{
	struct fixture *f = *state;

	descriptor(f, 0x100,
		   (uint32_t)FW_CFG_KERNEL_DATA << 16 | FW_CFG_DMA_SELECT | FW_CFG_DMA_READ, 1000,
		   RAM_BASE + 0x1000);
	dma64(f, RAM_BASE + 0x100);
	assert_int_equal(get_be32(f->ram + 0x100), 0); /* done, no error */
	assert_memory_equal(f->ram + 0x1000, f->kernel, 1000);
	/* the next read goes on from there, through the 32-bit halves */
	descriptor(f, 0x100, FW_CFG_DMA_READ, 3000, RAM_BASE + 0x2000);
	memset(f->ram + 0x2000, 0xee, 3000);
	dma32(f, RAM_BASE + 0x100);
	assert_int_equal(get_be32(f->ram + 0x100), 0);
	assert_memory_equal(f->ram + 0x2000, f->kernel + 1000, 2000);
	for (unsigned int i = 2000; i < 3000; i++) /* past the end: zeroes */
		if (f->ram[0x2000 + i])
			fail_msg("byte %u past the item is not 0", i);
}

static void test_dma_skip(void **state)
{
	struct fixture *f = *state;

	descriptor(f, 0, (uint32_t)FW_CFG_KERNEL_DATA << 16 | FW_CFG_DMA_SELECT | FW_CFG_DMA_SKIP,
		   100, 0);
	dma64(f, RAM_BASE);
	assert_int_equal(get_be32(f->ram), 0);
	assert_int_equal(data8(f), f->kernel[100]);
	/* a skip past the end stops at it */
	descriptor(f, 0, FW_CFG_DMA_SKIP, 100000, 0);
	dma64(f, RAM_BASE);
	assert_int_equal(data8(f), 0);
	assert_int_equal(f->cfg.offset, sizeof(f->kernel));
}

static void test_dma_errors(void **state)
{
	struct fixture *f = *state;

	/* a write: nothing here is writable */
	descriptor(f, 0, (uint32_t)FW_CFG_KERNEL_DATA << 16 | FW_CFG_DMA_SELECT | FW_CFG_DMA_WRITE,
		   4, RAM_BASE + 0x100);
	dma64(f, RAM_BASE);
	assert_int_equal(get_be32(f->ram), FW_CFG_DMA_ERROR);
	/* a read into what is not RAM, or runs past its end */
	descriptor(f, 0, FW_CFG_DMA_READ, 16, 0x1000);
	dma64(f, RAM_BASE);
	assert_int_equal(get_be32(f->ram), FW_CFG_DMA_ERROR);
	descriptor(f, 0, FW_CFG_DMA_READ, 32, RAM_BASE + RAM_SIZE - 16);
	dma64(f, RAM_BASE);
	assert_int_equal(get_be32(f->ram), FW_CFG_DMA_ERROR);
	assert_int_equal(f->cfg.offset, 0); /* nothing was read */
	/* a descriptor that is not in RAM: ignored, and the device still works */
	dma64(f, 0x1000);
	dma64(f, RAM_BASE + RAM_SIZE - 8);
	dma64(f, UINT64_MAX);
	sel(f, FW_CFG_SIGNATURE);
	assert_int_equal(data8(f), 'Q');
}

static void test_dma_read_over_its_own_descriptor(void **state)
{
	struct fixture *f = *state;

	/* the signature read over the descriptor itself; the control word is written after */
	descriptor(f, 0x40, FW_CFG_DMA_SELECT | FW_CFG_DMA_READ, 8, RAM_BASE + 0x40);
	dma64(f, RAM_BASE + 0x40);
	assert_int_equal(get_be32(f->ram + 0x40), 0);
	assert_memory_equal(f->ram + 0x44, "\0\0\0\0", 4); /* 4 bytes of QEMU, 4 of zeroes */
}

static void test_dma_with_no_length_and_no_ram_callback(void **state)
{
	struct fixture *f = *state;
	struct mmio_bus bus = { .nr = 0 };
	struct fw_cfg c;
	uint8_t be[8] = { 0, 0, 0, 0, 0x40, 0, 0, 0 };

	descriptor(f, 0, FW_CFG_DMA_READ, 0, 0); /* nothing to read: no error */
	dma64(f, RAM_BASE);
	assert_int_equal(get_be32(f->ram), 0);
	assert_int_equal(fw_cfg_init(&c, &bus, BASE, NULL), 0);
	assert_int_equal(mmio_bus_access(&bus, BASE + DMA, be, 8, true), 0);
	fw_cfg_destroy(&c);
}

static void test_odd_accesses_are_ignored(void **state)
{
	struct fixture *f = *state;
	uint8_t b[8];

	sel(f, FW_CFG_SIGNATURE);
	memset(b, 0xff, sizeof(b));
	/* a selector write that is not 16 bits, a read of the selector */
	assert_int_equal(mmio_bus_access(&f->bus, BASE + SELECTOR, b, 4, true), 0);
	assert_int_equal(mmio_bus_access(&f->bus, BASE + SELECTOR, b, 2, false), 0);
	assert_memory_equal(b, "\0\0", 2);
	/* a DMA address written a byte at a time, or at an odd offset */
	assert_int_equal(mmio_bus_access(&f->bus, BASE + DMA, b, 1, true), 0);
	assert_int_equal(mmio_bus_access(&f->bus, BASE + DMA + 2, b, 4, true), 0);
	assert_int_equal(mmio_bus_access(&f->bus, BASE + DMA + 1, b, 2, false), 0);
	assert_memory_equal(b, "\0\0", 2);
	data(f, b, 4);
	assert_memory_equal(b, "QEMU", 4);
}

static void test_reset_selects_the_signature(void **state)
{
	struct fixture *f = *state;
	uint8_t b[4];

	sel(f, FW_CFG_KERNEL_DATA);
	data(f, b, 4);
	fw_cfg_reset(&f->cfg);
	data(f, b, 4);
	assert_memory_equal(b, "QEMU", 4);
}

static void test_device_tree_node_is_qemus(void **state)
{
	struct fixture *f = *state;
	struct dtb_device d;

	memset(&d, 0, sizeof(d));
	assert_string_equal(f->cfg.region.name, "fw-cfg");
	assert_int_equal(f->cfg.region.size, FW_CFG_SIZE);
	f->cfg.region.describe(f->cfg.region.opaque, &d);
	assert_string_equal(d.compatible[0], "qemu,fw-cfg-mmio");
	assert_null(d.compatible[1]);
	assert_non_null(d.add_props); /* dma-coherent */
	assert_int_equal(d.nr_irqs, 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_signature_and_id),
		T(test_data_streams_at_every_width),
		T(test_missing_and_special_keys_read_nothing),
		T(test_file_directory_is_sorted_by_name),
		T(test_bad_items_are_refused),
		T(test_dma_select_and_read),
		T(test_dma_skip),
		T(test_dma_errors),
		T(test_dma_read_over_its_own_descriptor),
		T(test_dma_with_no_length_and_no_ram_callback),
		T(test_odd_accesses_are_ignored),
		T(test_reset_selects_the_signature),
		T(test_device_tree_node_is_qemus),
	};
#undef T

	return cmocka_run_group_tests_name("fw_cfg", tests, NULL, NULL);
}
