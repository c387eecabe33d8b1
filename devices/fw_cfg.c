// SPDX-License-Identifier: GPL-3.0-or-later
/* fw_cfg model (include/fw_cfg.h), following QEMU's hw/nvram/fw_cfg.c and its specification:
 * - the data register (any width up to 8) streams the selected item from the current offset,
 *   first byte at the lowest address; past the end it reads zeroes; writes are ignored;
 * - the selector takes 16-bit writes, big-endian, and resets the offset; bits 14 (write
 *   channel) and 15 (architecture-local) are kept in the key, so such keys select nothing
 *   here (no item has them);
 * - the DMA register takes the descriptor's address big-endian, either as one 64-bit write
 *   or as 32-bit halves, high first (the write of the low half starts the transfer); reading
 *   it gives "QEMU CFG". A transfer selects (SELECT), then skips (SKIP) or reads (READ) up to
 *   length bytes: past the item's end a read fills zeroes and a skip stops; WRITE is refused
 *   (no item is writable); RAM that is not guest RAM is an error. The descriptor's control
 *   word is then written back: 0, or FW_CFG_DMA_ERROR. A descriptor not in RAM is ignored. */
#include <errno.h>
#include <libfdt.h>
#include <string.h>

#include "dtb.h"
#include "fw_cfg.h"

enum { REG_DATA = 0, REG_SELECTOR = 8, REG_DMA = 16 };

#define DMA_SIGNATURE 0x51454d5520434647ull /* "QEMU CFG" */
#define ID_TRADITIONAL 1u
#define ID_DMA 2u

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The selected item, or NULL. Called with the lock held, as every helper below. */
static const struct fw_cfg_item *selected(const struct fw_cfg *c)
{
	const struct fw_cfg_item *it;

	if (c->selector >= FW_CFG_KEYS)
		return NULL;
	it = &c->items[c->selector];
	return it->data ? it : NULL;
}

static void select_key(struct fw_cfg *c, uint16_t key)
{
	c->selector = key;
	c->offset = 0;
}

/* The next byte of the selected item, 0 past its end. */
static uint8_t next_byte(struct fw_cfg *c)
{
	const struct fw_cfg_item *it = selected(c);

	if (!it || c->offset >= it->len)
		return 0;
	return it->data[c->offset++];
}

/* Run the descriptor at gpa. */
static void dma_transfer(struct fw_cfg *c, uint64_t gpa)
{
	uint8_t *d = c->mem.ptr ? c->mem.ptr(c->mem.opaque, gpa, 16) : NULL;
	uint32_t control, length, error = 0;
	const struct fw_cfg_item *it;
	uint64_t addr;

	if (!d)
		return;
	control = be32(d);
	length = be32(d + 4);
	addr = (uint64_t)be32(d + 8) << 32 | be32(d + 12);
	if (control & FW_CFG_DMA_SELECT)
		select_key(c, (uint16_t)(control >> 16));
	it = selected(c);
	if (control & FW_CFG_DMA_WRITE) {
		error = 1; /* nothing here is writable */
	} else if (control & FW_CFG_DMA_READ) {
		uint8_t *dst = length ? c->mem.ptr(c->mem.opaque, addr, length) : NULL;
		uint32_t avail = it && c->offset < it->len ? it->len - c->offset : 0;
		uint32_t n = avail < length ? avail : length;

		if (length && !dst) {
			error = 1;
		} else if (length) {
			if (n)
				memcpy(dst, it->data + c->offset, n);
			memset(dst + n, 0, length - n);
			c->offset += n;
		}
	} else if (control & FW_CFG_DMA_SKIP) {
		uint32_t avail = it && c->offset < it->len ? it->len - c->offset : 0;

		c->offset += avail < length ? avail : length;
	}
	/* The descriptor may have been in the RAM just written: look it up again. */
	d = c->mem.ptr(c->mem.opaque, gpa, 16);
	if (d)
		put_be32(d, error ? FW_CFG_DMA_ERROR : 0);
}

static int fw_cfg_read(void *opaque, uint64_t off, void *data, unsigned int len)
{
	struct fw_cfg *c = opaque;
	uint8_t *out = data;
	unsigned int i;

	memset(out, 0, len);
	pthread_mutex_lock(&c->lock);
	if (off == REG_DATA) {
		for (i = 0; i < len; i++)
			out[i] = next_byte(c);
	} else if (off >= REG_DMA && off + len <= REG_DMA + 8 && (len == 4 || len == 8)) {
		for (i = 0; i < len; i++) /* big-endian, this part of it */
			out[i] = (uint8_t)(DMA_SIGNATURE >> (8 * (7 - (off - REG_DMA + i))));
	}
	pthread_mutex_unlock(&c->lock);
	return 0;
}

static int fw_cfg_write(void *opaque, uint64_t off, const void *data, unsigned int len)
{
	struct fw_cfg *c = opaque;
	const uint8_t *v = data;

	pthread_mutex_lock(&c->lock);
	if (off == REG_SELECTOR && len == 2) {
		select_key(c, (uint16_t)(v[0] << 8 | v[1]));
	} else if (off == REG_DMA && len == 8) {
		dma_transfer(c, (uint64_t)be32(v) << 32 | be32(v + 4));
		c->dma_hi = 0;
	} else if (off == REG_DMA && len == 4) {
		c->dma_hi = be32(v);
	} else if (off == REG_DMA + 4 && len == 4) {
		dma_transfer(c, (uint64_t)c->dma_hi << 32 | be32(v));
		c->dma_hi = 0;
	}
	pthread_mutex_unlock(&c->lock);
	return 0;
}

static int add_dma_coherent(void *fdt, void *opaque)
{
	return fdt_property(fdt, "dma-coherent", NULL, 0);
}

/* QEMU virt's node (hw/arm/virt.c, create_fw_cfg): "qemu,fw-cfg-mmio", dma-coherent. */
static void fw_cfg_describe(void *opaque, struct dtb_device *d)
{
	d->compatible[0] = "qemu,fw-cfg-mmio";
	d->add_props = add_dma_coherent;
	d->opaque = opaque;
}

static const struct mmio_ops fw_cfg_ops = {
	.read = fw_cfg_read,
	.write = fw_cfg_write,
};

static void set_small(struct fw_cfg_item *it, const uint8_t *bytes, uint32_t len)
{
	memcpy(it->small, bytes, len);
	it->data = it->small;
	it->len = len;
}

int fw_cfg_init(struct fw_cfg *c, struct mmio_bus *bus, gpa_t base, const struct fw_cfg_mem *mem)
{
	const uint8_t id[4] = { ID_TRADITIONAL | ID_DMA, 0, 0, 0 };

	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	if (mem)
		c->mem = *mem;
	set_small(&c->items[FW_CFG_SIGNATURE], (const uint8_t *)"QEMU", 4);
	set_small(&c->items[FW_CFG_ID], id, 4);
	c->items[FW_CFG_FILE_DIR].data = c->dir; /* a count of 0 */
	c->items[FW_CFG_FILE_DIR].len = 4;
	c->region = (struct mmio_region){ .name = "fw-cfg",
					  .base = base,
					  .size = FW_CFG_SIZE,
					  .ops = &fw_cfg_ops,
					  .opaque = c,
					  .describe = fw_cfg_describe };
	return mmio_bus_register(bus, &c->region);
}

static bool fixed_key_free(const struct fw_cfg *c, uint16_t key)
{
	return key < FW_CFG_FILE_FIRST && key != FW_CFG_FILE_DIR && !c->items[key].data;
}

int fw_cfg_add_bytes(struct fw_cfg *c, uint16_t key, const void *data, uint32_t len)
{
	if (!fixed_key_free(c, key) || !data)
		return -EINVAL;
	c->items[key].data = data;
	c->items[key].len = len;
	return 0;
}

int fw_cfg_add_u16(struct fw_cfg *c, uint16_t key, uint16_t value)
{
	const uint8_t b[2] = { (uint8_t)value, (uint8_t)(value >> 8) };

	if (!fixed_key_free(c, key))
		return -EINVAL;
	set_small(&c->items[key], b, 2);
	return 0;
}

int fw_cfg_add_u32(struct fw_cfg *c, uint16_t key, uint32_t value)
{
	const uint8_t b[4] = { (uint8_t)value, (uint8_t)(value >> 8), (uint8_t)(value >> 16),
			       (uint8_t)(value >> 24) };

	if (!fixed_key_free(c, key))
		return -EINVAL;
	set_small(&c->items[key], b, 4);
	return 0;
}

/* FW_CFG_FILE_DIR again from the sorted files: be32 count, then per file be32 size,
 * be16 key, be16 reserved, the name in 56 bytes. */
static void build_dir(struct fw_cfg *c)
{
	unsigned int i;

	memset(c->dir, 0, sizeof(c->dir));
	put_be32(c->dir, c->nr_files);
	for (i = 0; i < c->nr_files; i++) {
		uint8_t *e = c->dir + 4 + 64 * i;
		uint16_t key = (uint16_t)(FW_CFG_FILE_FIRST + i);

		put_be32(e, c->items[key].len);
		e[4] = (uint8_t)(key >> 8), e[5] = (uint8_t)key;
		memcpy(e + 8, c->names[i], FW_CFG_NAME_LEN);
	}
	c->items[FW_CFG_FILE_DIR].len = 4 + 64 * c->nr_files;
}

int fw_cfg_add_file(struct fw_cfg *c, const char *name, const void *data, uint32_t len)
{
	unsigned int i, at;
	size_t n = name ? strlen(name) : 0;

	if (!n || n >= FW_CFG_NAME_LEN || !data)
		return -EINVAL;
	if (c->nr_files == FW_CFG_MAX_FILES)
		return -ENOSPC;
	for (at = 0; at < c->nr_files; at++) {
		int cmp = strcmp(name, c->names[at]);

		if (!cmp)
			return -EINVAL;
		if (cmp < 0)
			break;
	}
	for (i = c->nr_files; i > at; i--) { /* make room: later names move up a key */
		memcpy(c->names[i], c->names[i - 1], FW_CFG_NAME_LEN);
		c->items[FW_CFG_FILE_FIRST + i] = c->items[FW_CFG_FILE_FIRST + i - 1];
	}
	memset(c->names[at], 0, FW_CFG_NAME_LEN);
	memcpy(c->names[at], name, n);
	c->items[FW_CFG_FILE_FIRST + at] = (struct fw_cfg_item){ .data = data, .len = len };
	c->nr_files++;
	build_dir(c);
	return 0;
}

void fw_cfg_reset(struct fw_cfg *c)
{
	pthread_mutex_lock(&c->lock);
	select_key(c, FW_CFG_SIGNATURE);
	c->dma_hi = 0;
	pthread_mutex_unlock(&c->lock);
}

void fw_cfg_destroy(struct fw_cfg *c)
{
	pthread_mutex_destroy(&c->lock);
}
