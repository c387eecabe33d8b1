/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --bios: the flash banks of QEMU virt's layout and the files behind them. Bank 0 at 0x0
 * holds the firmware image, padded with zeroes to the bank, in anonymous memory: the guest
 * (and the debugger's breakpoints) change only that copy, never the file. Bank 1 at
 * 0x04000000 holds the firmware's variables (U-Boot's environment, EDK2's variable store):
 * a private mapping of the --bios-vars file, which flash programs and erases also write
 * through to, so that the file holds what the guest stored and nothing the debugger put
 * there; without a file the bank is volatile and starts as zeroes, as in QEMU. Pure code
 * (files and memory, no KVM): unit-tested on the host. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FLASH_BANK_SIZE (64ull << 20)  /* QEMU virt's: each bank 64 MiB */
#define FLASH_BANK0_BASE 0x00000000ull /* the firmware, where the vCPUs start */
#define FLASH_BANK1_BASE 0x04000000ull /* its variables */
#define FLASH_SECTOR_SIZE (256u << 10) /* the erase block */

struct flash_bank {
	uint8_t *mem;     /* FLASH_BANK_SIZE bytes, the guest's view */
	int fd;           /* the variables file, written through; -1: none */
	const char *path; /* for messages */
};

/* Bank 0 from the firmware image at path: -EFBIG if it is larger than a bank, -ENODATA if
 * it is empty, -errno if it cannot be read; err says which in one line. */
int flash_bank_firmware(struct flash_bank *fb, const char *path, char *err, size_t errlen);
/* Bank 1 from the variables file at path (NULL: a volatile bank). A missing file is created
 * of the bank's size (sparse: zeroes); an existing one must be exactly that size, writable,
 * a regular file and not the firmware image at fw_path. */
int flash_bank_vars(struct flash_bank *fb, const char *path, const char *fw_path, char *err,
		    size_t errlen);
/* The model changed [off, off + len) of the bank (pflash's persist hook): write it to the
 * file, if there is one. 0 or -errno (-ENOSPC on a full disk: the guest sees a program
 * error in the flash's status). */
int flash_bank_persist(void *opaque, uint64_t off, const void *data, uint64_t len);
/* Unmap and close; a zeroed bank is fine. */
void flash_bank_free(struct flash_bank *fb);
