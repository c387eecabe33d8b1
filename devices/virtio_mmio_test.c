// SPDX-License-Identifier: GPL-3.0-or-later
/* The empty virtio-mmio transports, laid out as the board lays them (32 at 0x0a000000, 0x200
 * apart, SPIs 16..47): what Linux's virtio_mmio_probe() reads of each, zeros everywhere
 * else, writes that change nothing, accesses of the wrong kind, and the device-tree node. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>

#include "dtb.h"
#include "virtio_mmio.h"

#define BASE 0x0a000000ull
#define COUNT 32
#define FIRST_SPI 16

enum {
	MAGIC = 0x000,
	VERSION = 0x004,
	DEVICE_ID = 0x008,
	VENDOR_ID = 0x00c,
	DEVICE_FEATURES = 0x010,
	QUEUE_NUM_MAX = 0x034,
	INTERRUPT_STATUS = 0x060,
	STATUS = 0x070,
	CONFIG_GENERATION = 0x0fc,
	CONFIG = 0x100,
};

struct fixture {
	struct mmio_bus bus;
	struct virtio_mmio t[COUNT];
};

static int setup(void **state)
{
	static struct fixture f;
	unsigned int i;

	memset(&f, 0, sizeof(f));
	for (i = 0; i < COUNT; i++)
		assert_int_equal(virtio_mmio_init(&f.t[i], &f.bus, BASE + i * VIRTIO_MMIO_SIZE,
						  FIRST_SPI + i),
				 0);
	*state = &f;
	return 0;
}

static gpa_t at(unsigned int i, uint64_t off)
{
	return BASE + i * VIRTIO_MMIO_SIZE + off;
}

static uint32_t rd(struct fixture *f, unsigned int i, uint64_t off)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(mmio_bus_access(&f->bus, at(i, off), &v, 4, false), 0);
	return v;
}

static void wr(struct fixture *f, unsigned int i, uint64_t off, uint32_t v)
{
	assert_int_equal(mmio_bus_access(&f->bus, at(i, off), &v, 4, true), 0);
}

static void test_every_transport_says_virt_and_no_device(void **state)
{
	struct fixture *f = *state;
	unsigned int i;

	for (i = 0; i < COUNT; i++) {
		assert_int_equal(rd(f, i, MAGIC), 0x74726976); /* "virt" */
		assert_int_equal(rd(f, i, VERSION), 2);
		assert_int_equal(rd(f, i, DEVICE_ID), 0);
		assert_int_equal(rd(f, i, VENDOR_ID), 0x554d4551); /* "QEMU" */
	}
}

/* What Linux's virtio_mmio_probe() does before it gives up on a transport quietly. */
static void test_linux_probe_stops_at_the_placeholder(void **state)
{
	struct fixture *f = *state;
	unsigned int i;
	uint32_t v;

	for (i = 0; i < COUNT; i++) {
		assert_int_equal(rd(f, i, MAGIC), 'v' | 'i' << 8 | 'r' << 16 | 't' << 24);
		v = rd(f, i, VERSION);
		assert_true(v >= 1 && v <= 2);            /* else "Version %ld not supported!" */
		assert_int_equal(rd(f, i, DEVICE_ID), 0); /* -ENODEV, no message */
	}
}

static void test_everything_else_reads_zero(void **state)
{
	struct fixture *f = *state;
	unsigned int i;
	uint64_t off;

	for (i = 0; i < COUNT; i++)
		for (off = 0x010; off < VIRTIO_MMIO_SIZE; off += 4)
			assert_int_equal(rd(f, i, off), 0);
}

static void test_writes_are_ignored(void **state)
{
	struct fixture *f = *state;
	unsigned int i;
	uint64_t off;

	/* every register, the read-only ones, Status (a driver's reset and ACKNOWLEDGE),
	 * the legacy GuestPageSize, QueueNotify and the config space */
	for (i = 0; i < COUNT; i++)
		for (off = 0; off < VIRTIO_MMIO_SIZE; off += 4)
			wr(f, i, off, 0xffffffff);
	for (i = 0; i < COUNT; i++) {
		assert_int_equal(rd(f, i, MAGIC), 0x74726976);
		assert_int_equal(rd(f, i, VERSION), 2);
		assert_int_equal(rd(f, i, DEVICE_ID), 0);
		assert_int_equal(rd(f, i, VENDOR_ID), 0x554d4551);
		for (off = 0x010; off < VIRTIO_MMIO_SIZE; off += 4)
			assert_int_equal(rd(f, i, off), 0);
	}
}

static void test_status_handshake_goes_nowhere(void **state)
{
	struct fixture *f = *state;

	wr(f, 3, STATUS, 1); /* ACKNOWLEDGE */
	assert_int_equal(rd(f, 3, STATUS), 0);
	wr(f, 3, STATUS, 1 | 2 | 8); /* DRIVER, FEATURES_OK */
	assert_int_equal(rd(f, 3, STATUS), 0);
	assert_int_equal(rd(f, 3, DEVICE_FEATURES), 0);
	assert_int_equal(rd(f, 3, QUEUE_NUM_MAX), 0);
	assert_int_equal(rd(f, 3, INTERRUPT_STATUS), 0);
	assert_int_equal(rd(f, 3, CONFIG_GENERATION), 0);
}

static void test_other_widths_and_unaligned_read_zero(void **state)
{
	static const unsigned int lens[] = { 1, 2, 8 };
	struct fixture *f = *state;
	uint8_t buf[8];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		memset(buf, 0xaa, sizeof(buf));
		assert_int_equal(mmio_bus_access(&f->bus, at(0, MAGIC), buf, lens[i], false), 0);
		assert_memory_equal(buf, "\0\0\0\0\0\0\0\0", lens[i]);
		memset(buf, 0xaa, sizeof(buf));
		assert_int_equal(mmio_bus_access(&f->bus, at(5, CONFIG), buf, lens[i], false), 0);
		assert_memory_equal(buf, "\0\0\0\0\0\0\0\0", lens[i]);
	}
	memset(buf, 0xaa, 4);
	assert_int_equal(mmio_bus_access(&f->bus, at(0, MAGIC + 1), buf, 4, false), 0);
	assert_memory_equal(buf, "\0\0\0\0", 4);
	memset(buf, 0xaa, 4);
	assert_int_equal(mmio_bus_access(&f->bus, at(0, VERSION + 2), buf, 2, false), 0);
	assert_memory_equal(buf, "\0\0", 2);
}

static void test_window_ends_after_32_and_transports_do_not_overlap(void **state)
{
	struct fixture *f = *state;
	struct virtio_mmio extra;
	uint32_t v = 0;

	assert_int_equal(f->bus.nr, COUNT);
	assert_int_equal(mmio_bus_access(&f->bus, at(COUNT, MAGIC), &v, 4, false), -ENODEV);
	assert_int_equal(mmio_bus_access(&f->bus, BASE - 4, &v, 4, false), -ENODEV);
	/* an access across two transports belongs to neither */
	assert_int_equal(mmio_bus_access(&f->bus, at(0, VIRTIO_MMIO_SIZE - 2), &v, 4, false),
			 -ENODEV);
	assert_int_equal(virtio_mmio_init(&extra, &f->bus, at(7, 0x100), 99), -EBUSY);
	assert_int_equal(rd(f, 31, MAGIC), 0x74726976);
	assert_int_equal(f->t[31].region.base, 0x0a003e00);
}

/* The node's own properties, written by libfdt as dtb.c writes a device's. */
static void test_device_tree_node_is_qemus(void **state)
{
	struct fixture *f = *state;
	char blob[1024];
	struct dtb_device d;
	unsigned int i;
	int node, len;

	for (i = 0; i < COUNT; i++) {
		memset(&d, 0, sizeof(d));
		assert_string_equal(f->t[i].region.name, "virtio_mmio");
		assert_int_equal(f->t[i].region.size, 0x200);
		f->t[i].region.describe(f->t[i].region.opaque, &d);
		assert_string_equal(d.compatible[0], "virtio,mmio");
		assert_null(d.compatible[1]);
		assert_int_equal(d.nr_irqs, 1);
		assert_int_equal(d.irqs[0].type, DTB_IRQ_SPI);
		assert_int_equal(d.irqs[0].num, FIRST_SPI + i); /* INTID 48 + i */
		assert_int_equal(d.irqs[0].flags, DTB_IRQ_EDGE_RISING);
		assert_null(d.clock_names[0]);
		assert_non_null(d.add_props);
	}
	assert_int_equal(fdt_create(blob, sizeof(blob)), 0);
	assert_int_equal(fdt_finish_reservemap(blob), 0);
	assert_int_equal(fdt_begin_node(blob, ""), 0);
	assert_int_equal(fdt_begin_node(blob, "virtio_mmio@a000000"), 0);
	assert_int_equal(d.add_props(blob, d.opaque), 0);
	assert_int_equal(fdt_end_node(blob), 0);
	assert_int_equal(fdt_end_node(blob), 0);
	assert_int_equal(fdt_finish(blob), 0);
	node = fdt_path_offset(blob, "/virtio_mmio@a000000");
	assert_true(node >= 0);
	assert_non_null(fdt_getprop(blob, node, "dma-coherent", &len));
	assert_int_equal(len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_every_transport_says_virt_and_no_device, setup),
		cmocka_unit_test_setup(test_linux_probe_stops_at_the_placeholder, setup),
		cmocka_unit_test_setup(test_everything_else_reads_zero, setup),
		cmocka_unit_test_setup(test_writes_are_ignored, setup),
		cmocka_unit_test_setup(test_status_handshake_goes_nowhere, setup),
		cmocka_unit_test_setup(test_other_widths_and_unaligned_read_zero, setup),
		cmocka_unit_test_setup(test_window_ends_after_32_and_transports_do_not_overlap,
				       setup),
		cmocka_unit_test_setup(test_device_tree_node_is_qemus, setup),
	};

	return cmocka_run_group_tests_name("virtio_mmio", tests, NULL, NULL);
}
