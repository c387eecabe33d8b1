// SPDX-License-Identifier: GPL-3.0-or-later
/* libFuzzer harness for the fw_cfg model (devices/fw_cfg.c) as a guest drives it: the items
 * the board gives (the signature, the ID, a kernel, a command line, CPUs, three files) and 64
 * KiB of guest RAM whose bytes the input sets. The input is a list of 8-byte actions: a guest
 * read or write of 1, 2, 4 or 8 bytes at any offset of the device, a select, a descriptor
 * written into RAM, the DMA address as one 64-bit write or as two halves (also only the high
 * one, or the low one alone), a guest reset. Invariants: no access reaches past its length;
 * the items' bytes never change; the offset never passes the selected item's end; a data
 * read gives the item's next bytes, zeroes past its end; a DMA transfer changes RAM only in
 * [address, address + length) of its descriptor and the descriptor's control word, which it
 * sets to 0 or the error bit. */
#include <string.h>

#include "fw_cfg.h"
#include "tests/fuzz/fuzz.h"

#define BASE 0x09020000ull
#define RAM_BASE 0x40000000ull
#define RAM_SIZE 0x10000u
#define MAX_ACTIONS 512

enum { ACT_ACCESS, ACT_SELECT, ACT_DESCRIPTOR, ACT_DMA64, ACT_DMA_HI, ACT_DMA_LO, ACT_RESET };

struct harness {
	struct mmio_bus bus;
	struct fw_cfg cfg;
	uint8_t ram[RAM_SIZE];
	uint8_t before[RAM_SIZE];
	uint8_t kernel[5000], kernel_copy[5000];
	char cmdline[64];
	uint8_t files[3][300];
};

static void *ram_ptr(void *opaque, gpa_t gpa, uint64_t len)
{
	struct harness *h = opaque;

	if (gpa < RAM_BASE || gpa - RAM_BASE > RAM_SIZE || len > RAM_SIZE - (gpa - RAM_BASE))
		return NULL;
	return h->ram + (gpa - RAM_BASE);
}

static void setup(struct harness *h, const uint8_t *ram, size_t len)
{
	static const char *const names[3] = { "etc/ramfb", "bootorder", "etc/table-loader" };
	const struct fw_cfg_mem mem = { ram_ptr, h };
	unsigned int i;

	memset(h, 0, sizeof(*h));
	memcpy(h->ram, ram, len < RAM_SIZE ? len : RAM_SIZE);
	for (i = 0; i < sizeof(h->kernel); i++)
		h->kernel[i] = (uint8_t)(i * 7 + 1);
	memcpy(h->kernel_copy, h->kernel, sizeof(h->kernel));
	strcpy(h->cmdline, "console=ttyAMA0");
	FUZZ_CHECK(fw_cfg_init(&h->cfg, &h->bus, BASE, &mem) == 0);
	FUZZ_CHECK(fw_cfg_add_u32(&h->cfg, FW_CFG_KERNEL_SIZE, sizeof(h->kernel)) == 0);
	FUZZ_CHECK(fw_cfg_add_bytes(&h->cfg, FW_CFG_KERNEL_DATA, h->kernel, sizeof(h->kernel)) ==
		   0);
	FUZZ_CHECK(fw_cfg_add_u32(&h->cfg, FW_CFG_CMDLINE_SIZE, sizeof(h->cmdline)) == 0);
	FUZZ_CHECK(fw_cfg_add_bytes(&h->cfg, FW_CFG_CMDLINE_DATA, h->cmdline, sizeof(h->cmdline)) ==
		   0);
	FUZZ_CHECK(fw_cfg_add_u16(&h->cfg, FW_CFG_NB_CPUS, 2) == 0);
	for (i = 0; i < 3; i++) {
		memset(h->files[i], 'a' + i, sizeof(h->files[i]));
		FUZZ_CHECK(fw_cfg_add_file(&h->cfg, names[i], h->files[i], 100 * (i + 1)) == 0);
	}
}

static const struct fw_cfg_item *selected(const struct harness *h)
{
	const struct fw_cfg_item *it;

	if (h->cfg.selector >= FW_CFG_KEYS)
		return NULL;
	it = &h->cfg.items[h->cfg.selector];
	return it->data ? it : NULL;
}

static void check(const struct harness *h)
{
	const struct fw_cfg_item *it = selected(h);

	FUZZ_CHECK(memcmp(h->kernel, h->kernel_copy, sizeof(h->kernel)) == 0);
	FUZZ_CHECK(!strcmp(h->cmdline, "console=ttyAMA0"));
	FUZZ_CHECK(!it || h->cfg.offset <= it->len);
}

static void access(struct harness *h, uint64_t off, unsigned int len, bool write, uint64_t value)
{
	const struct fw_cfg_item *it = selected(h);
	uint32_t at = h->cfg.offset;
	uint8_t buf[16];
	unsigned int i;
	int r;

	memset(buf, 0xa5, sizeof(buf));
	memcpy(buf, &value, 8);
	memcpy(h->before, h->ram, RAM_SIZE);
	r = mmio_bus_access(&h->bus, BASE + off, buf, len, write);
	FUZZ_CHECK(r == 0 || off + len > FW_CFG_SIZE);
	if (r)
		return;
	if (!write) {
		FUZZ_CHECK(buf[len] == (len < 8 ? (uint8_t)(value >> (8 * len)) : 0xa5));
		if (off == 0) /* the data register: the item's next bytes */
			for (i = 0; i < len; i++)
				FUZZ_CHECK(buf[i] ==
					   (it && at + i < it->len ? it->data[at + i] : 0));
		return;
	}
	/* a write that is not a complete DMA address leaves RAM alone */
	if (!((off == 16 && len == 8) || (off == 20 && len == 4)))
		FUZZ_CHECK(memcmp(h->before, h->ram, RAM_SIZE) == 0);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* What a transfer of the descriptor at gpa may change: check it did nothing else. */
static void dma(struct harness *h, uint64_t gpa, bool split)
{
	uint8_t be[8];
	uint8_t *d = ram_ptr(h, gpa, 16);
	uint64_t addr = 0, lo = 0, hi = 0;
	uint32_t i;

	if (d) {
		uint32_t length = be32(d + 4);

		addr = (uint64_t)be32(d + 8) << 32 | be32(d + 12);
		if (addr >= RAM_BASE && addr - RAM_BASE < RAM_SIZE) {
			lo = addr - RAM_BASE;
			hi = lo + length < RAM_SIZE ? lo + length : RAM_SIZE;
		}
	}
	memcpy(h->before, h->ram, RAM_SIZE);
	for (i = 0; i < 8; i++)
		be[i] = (uint8_t)(gpa >> (56 - 8 * i));
	if (split) {
		FUZZ_CHECK(mmio_bus_access(&h->bus, BASE + 16, be, 4, true) == 0);
		FUZZ_CHECK(mmio_bus_access(&h->bus, BASE + 20, be + 4, 4, true) == 0);
	} else {
		FUZZ_CHECK(mmio_bus_access(&h->bus, BASE + 16, be, 8, true) == 0);
	}
	for (i = 0; i < RAM_SIZE; i++) {
		bool control = d && i >= gpa - RAM_BASE && i < gpa - RAM_BASE + 4;

		if (h->ram[i] != h->before[i])
			FUZZ_CHECK((i >= lo && i < hi) || control);
	}
	if (d) { /* the control word: 0 or the error bit, unless the data went over it */
		uint32_t c = be32(d);

		FUZZ_CHECK(c == 0 || c == FW_CFG_DMA_ERROR);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned int lens[4] = { 1, 2, 4, 8 };
	static struct harness h;
	size_t ram_len, i;

	if (size < 2)
		return 0;
	/* the first byte: how many 256-byte pages of RAM the input fills, then those bytes */
	ram_len = (size_t)data[0] * 256;
	if (ram_len > size - 1)
		ram_len = size - 1;
	setup(&h, data + 1, ram_len);
	for (i = 1 + ram_len; i + 8 <= size && i / 8 <= MAX_ACTIONS + RAM_SIZE / 8; i += 8) {
		const uint8_t *a = data + i;
		unsigned int kind = (a[0] & 0xf) % 7;
		uint16_t at16 = (uint16_t)(a[2] | a[3] << 8);
		uint32_t value;

		memcpy(&value, a + 4, 4);
		switch (kind) {
		case ACT_ACCESS:
			access(&h, a[1] % 32, lens[(a[0] >> 4) & 3], a[0] & 0x80,
			       (uint64_t)value << 32 | value);
			break;
		case ACT_SELECT: {
			uint8_t be[2] = { a[5], a[4] };

			FUZZ_CHECK(mmio_bus_access(&h.bus, BASE + 8, be, 2, true) == 0);
			FUZZ_CHECK(h.cfg.offset == 0);
			break;
		}
		case ACT_DESCRIPTOR: { /* control, length up to 64 KiB, an address near RAM */
			uint8_t *d = h.ram + (at16 & ~15u) % (RAM_SIZE - 16);
			uint64_t addr = RAM_BASE - 0x100 + (value >> 15);

			d[0] = a[1] & 0x80 ? a[1] : 0, d[1] = a[4], d[2] = 0, d[3] = a[0] & 0x1e;
			d[4] = 0, d[5] = (uint8_t)(value >> 8 & 1), d[6] = (uint8_t)value,
			d[7] = a[5];
			for (unsigned int k = 0; k < 8; k++)
				d[8 + k] = (uint8_t)(addr >> (56 - 8 * k));
			break;
		}
		case ACT_DMA64:
		case ACT_DMA_LO:
			dma(&h, RAM_BASE - 0x100 + ((uint64_t)at16 << 1 | (a[1] & 1)),
			    kind == ACT_DMA_LO);
			break;
		case ACT_DMA_HI: { /* the high half alone: the next low half goes with it */
			uint8_t be[4] = { a[7], a[6], a[5], a[4] };

			FUZZ_CHECK(mmio_bus_access(&h.bus, BASE + 16, be, 4, true) == 0);
			break;
		}
		case ACT_RESET:
			fw_cfg_reset(&h.cfg);
			break;
		}
		check(&h);
	}
	fw_cfg_destroy(&h.cfg);
	return 0;
}
