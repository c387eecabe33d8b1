/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The board: QEMU virt's memory map, its devices, the loaded image and the boot
 * state of the vCPUs. */
#pragma once

#include "config.h"
#include "loader.h"
#include "pl011.h"
#include "vm.h"

#define BOARD_UART_BASE 0x09000000ull

struct board {
	const struct vm_config *cfg;
	struct guest_ram ram;
	struct vm vm;
	struct pl011 uart;
	void *image;        /* the image file, kept for a guest reset */
	size_t image_len;
	struct image_info img;
};

/* Create the VM, its devices and vCPUs, and load the guest. On failure returns
 * -errno with a one-line reason in err. */
int board_create(struct board *b, const struct vm_config *cfg, char *err, size_t errlen);
/* Put the guest back to its first instruction: reload the image, reset the vCPUs. */
int board_reset(struct board *b, char *err, size_t errlen);
void board_destroy(struct board *b);

/* Read a whole file (at most max bytes); -EFBIG beyond. */
int read_file(const char *path, size_t max, void **buf, size_t *len);
