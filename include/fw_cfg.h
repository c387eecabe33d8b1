/* SPDX-License-Identifier: GPL-3.0-or-later */
/* QEMU's firmware configuration device (docs/specs/fw_cfg.rst in QEMU), its MMIO flavour as on
 * QEMU virt at 0x09020000: a 16-bit selector picks an item, the data register streams its
 * bytes, and a DMA register takes the guest-physical address of a FWCfgDmaAccess descriptor
 * to select, skip and read items into guest RAM. The board hands the firmware the kernel,
 * initrd and command line through it (--bios IMAGE --initrd --append). Items are read-only.
 * Pure code: no KVM, no I/O; guest RAM only through the mem callback. */
#pragma once

#include <pthread.h>
#include <stdint.h>
#include "mmio.h"

#define FW_CFG_SIZE 0x18 /* data at 0, selector at 8, DMA address at 16 */

/* Item keys (include/standard-headers/linux/qemu_fw_cfg.h in QEMU). */
enum {
	FW_CFG_SIGNATURE = 0x00, /* "QEMU" */
	FW_CFG_ID = 0x01,        /* le32: bit 0 traditional interface, bit 1 DMA */
	FW_CFG_NB_CPUS = 0x05,   /* le16 */
	FW_CFG_KERNEL_SIZE = 0x08,
	FW_CFG_INITRD_SIZE = 0x0b,
	FW_CFG_KERNEL_DATA = 0x11,
	FW_CFG_INITRD_DATA = 0x12,
	FW_CFG_CMDLINE_SIZE = 0x14, /* with its NUL */
	FW_CFG_CMDLINE_DATA = 0x15,
	FW_CFG_FILE_DIR = 0x19,
	FW_CFG_FILE_FIRST = 0x20, /* named files from here, in the order of their names */
};

#define FW_CFG_MAX_FILES 16
#define FW_CFG_NAME_LEN 56
#define FW_CFG_KEYS (FW_CFG_FILE_FIRST + FW_CFG_MAX_FILES)

/* DMA descriptor's control bits. */
#define FW_CFG_DMA_ERROR 0x01
#define FW_CFG_DMA_READ 0x02
#define FW_CFG_DMA_SKIP 0x04
#define FW_CFG_DMA_SELECT 0x08
#define FW_CFG_DMA_WRITE 0x10

/* Guest RAM for DMA: a host pointer for [gpa, gpa + len) if all of it is RAM, else NULL. */
struct fw_cfg_mem {
	void *(*ptr)(void *opaque, gpa_t gpa, uint64_t len);
	void *opaque;
};

struct fw_cfg_item {
	const uint8_t *data; /* NULL: no such item (reads as nothing) */
	uint32_t len;
	uint8_t small[8]; /* the numbers' bytes, and the signature's */
};

struct fw_cfg {
	struct mmio_region region;
	pthread_mutex_t lock;
	struct fw_cfg_mem mem;
	struct fw_cfg_item items[FW_CFG_KEYS];
	char names[FW_CFG_MAX_FILES][FW_CFG_NAME_LEN];
	unsigned int nr_files;
	uint8_t dir[4 + FW_CFG_MAX_FILES * 64]; /* FW_CFG_FILE_DIR's bytes */
	uint16_t selector;
	uint32_t offset; /* into the selected item */
	uint32_t dma_hi; /* the DMA address's high half, written on its own first */
};

int fw_cfg_init(struct fw_cfg *c, struct mmio_bus *bus, gpa_t base, const struct fw_cfg_mem *mem);
/* An item of len bytes at data, which is not copied and must outlive the device (the board
 * passes the mapped kernel Image). -EINVAL for a key outside the fixed ones or a taken one. */
int fw_cfg_add_bytes(struct fw_cfg *c, uint16_t key, const void *data, uint32_t len);
int fw_cfg_add_u16(struct fw_cfg *c, uint16_t key, uint16_t value); /* le, copied */
int fw_cfg_add_u32(struct fw_cfg *c, uint16_t key, uint32_t value); /* le, copied */
/* A named file ("etc/..."); data as for fw_cfg_add_bytes(). -ENOSPC past FW_CFG_MAX_FILES,
 * -EINVAL for a name too long or taken. Keys follow the sorted names, as in QEMU. */
int fw_cfg_add_file(struct fw_cfg *c, const char *name, const void *data, uint32_t len);
/* Selector 0, offset 0 (a guest reset). */
void fw_cfg_reset(struct fw_cfg *c);
void fw_cfg_destroy(struct fw_cfg *c);
