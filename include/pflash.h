/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CFI parallel NOR flash with the Intel/Sharp command set, as QEMU virt has it
 * (hw/block/pflash_cfi01.c): a bank 4 bytes wide made of two x16 devices, 256 KiB erase
 * blocks, manufacturer 0x89, device 0x18. U-Boot's CFI driver and EDK2's VirtNorFlashDxe
 * drive it: CFI query, read ID, status, word and buffered program, block erase, lock and
 * unlock (accepted, never enforced).
 *
 * The bank's bytes are the caller's (the board's mapping of the firmware or the variables
 * file). In read-array mode the guest reads them straight from a read-only memory slot and
 * only its writes reach this model; a command that makes reads return something else (the
 * status, the CFI table) has the slot unmapped through set_romd(false), so that reads exit
 * here too, and read-array mode maps it again. Pure code: no KVM, no I/O. */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include "mmio.h"

#define PFLASH_BANK_WIDTH 4   /* bytes per bus cycle: two devices side by side */
#define PFLASH_DEVICE_WIDTH 2 /* each device is x16 */
#define PFLASH_SECTOR (256u << 10)
#define PFLASH_WRITE_BUFFER 4096 /* 2 KiB per device (CFI 0x2a = 11), both devices */
#define PFLASH_CFI_LEN 0x52

/* Status register (one byte per device, replicated across the bank). */
#define PFLASH_SR_READY 0x80
#define PFLASH_SR_ERASE_ERR 0x20
#define PFLASH_SR_PROGRAM_ERR 0x10

struct pflash_backing {
	/* The bank's bytes [off, off + len) were changed by a program or an erase: keep them
	 * (the variables file). NULL: a volatile bank. 0 or -errno; on error the status gets
	 * the program or erase error bit, and the bytes stay changed in the guest's view. */
	int (*persist)(void *opaque, uint64_t off, const void *data, uint64_t len);
	/* The guest may read the bytes directly (true), or its reads must come here (false).
	 * Called with the model's lock held, only when the answer changes. */
	void (*set_romd)(void *opaque, bool readable);
	void *opaque;
};

struct pflash {
	struct mmio_region region;
	pthread_mutex_t lock;
	uint8_t *array; /* size bytes */
	uint64_t size;
	struct pflash_backing bk;
	uint8_t cmd;    /* 0: read array; else the command whose cycles are under way or whose
			 * read mode holds (0x70 status, 0x90 ID, 0x98 CFI, ...) */
	uint8_t wcycle; /* the next write's cycle of cmd: 0 = a new command */
	uint8_t status;
	bool readable;           /* what set_romd() was last told */
	uint32_t words;          /* buffered program: words still to come */
	bool buf_started;        /* ... the first of them came, and set: */
	uint64_t buf_base;       /* ... the write block they go to */
	uint64_t buf_lo, buf_hi; /* ... the part of it written so far */
	uint8_t buf[PFLASH_WRITE_BUFFER];
	uint8_t cfi[PFLASH_CFI_LEN];
	const struct mmio_region *second; /* pflash_join()'s: listed in this bank's node */
};

/* The bank at base on the bus as region name (its device-tree node's name, "flash"),
 * its bytes in array (size bytes: a multiple of PFLASH_SECTOR, at most 4 GiB). -EINVAL for
 * a bad size; mmio_bus_register()'s errors. */
int pflash_init(struct pflash *f, struct mmio_bus *bus, const char *name, gpa_t base,
		uint8_t *array, uint64_t size, const struct pflash_backing *bk);
/* One device-tree node for both banks, as QEMU virt's flash@0: first's reg lists second's
 * range after its own, and second has no node of its own (U-Boot probes one cfi-flash node
 * and finds its banks in reg). */
void pflash_join(struct pflash *first, struct pflash *second);
/* Back to read-array mode, the status ready and clear, any buffered program dropped (a
 * guest reset); set_romd(true) if it was not readable. */
void pflash_reset(struct pflash *f);
/* In read-array mode: the guest reads the bytes themselves. */
bool pflash_readable(struct pflash *f);
