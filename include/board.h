/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The board: QEMU virt's memory map, its devices, the loaded image and the boot
 * state of the vCPUs. */
#pragma once

#include "config.h"
#include "firmware.h"
#include "fw_cfg.h"
#include "gic.h"
#include "input.h"
#include "loader.h"
#include "pl011.h"
#include "pflash.h"
#include "pl031.h"
#include "vcpu.h"
#include "virtio_mmio.h"
#include "vm.h"

#define BOARD_UART_BASE 0x09000000ull
#define BOARD_PMU_PPI 7 /* the PMU's overflow interrupt (QEMU virt's), INTID 23 */
/* QEMU virt's RTC and virtio-mmio window (hw/arm/virt.c, base_memmap and a15irqmap). */
#define BOARD_RTC_BASE 0x09010000ull
#define BOARD_RTC_SPI 2
#define BOARD_FW_CFG_BASE 0x09020000ull /* QEMU virt's fw_cfg (MMIO, with DMA) */
#define BOARD_VIRTIO_MMIO_BASE 0x0a000000ull /* VIRTIO_MMIO_SIZE apart */
#define BOARD_VIRTIO_MMIO_COUNT 32
#define BOARD_VIRTIO_MMIO_SPI 16 /* of the first; the next ones follow */
/* The most vCPUs minivmm runs: QEMU virt's redistributor region holds 123 frames. */
#define VM_MAX_CPUS GIC_REDIST_MAX_CPUS

struct board {
	const struct vm_config *cfg;
	struct guest_ram ram;
	struct vm vm;
	struct gic gic;
	struct pl011 uart;
	struct pl031 rtc;
	int rtc_timer_fd; /* its alarm: readable when due; the main loop then calls
			   * board_rtc_timer_fired() */
	struct virtio_mmio virtio[BOARD_VIRTIO_MMIO_COUNT]; /* all empty for now */
	/* --bios: the two flash banks (their memory and files), their CFI models, and
	 * fw_cfg, which hands the firmware the image, the initrd and the command line. */
	struct flash_bank flash[VM_MAX_ROM];
	struct pflash pflash[VM_MAX_ROM];
	struct board_flash_slot {
		struct board *b;
		unsigned int i;
	} flash_slot[VM_MAX_ROM];
	struct fw_cfg fw_cfg;
	bool has_fw_cfg;
	char memory_map[1024]; /* gdb's (board_memory_map()) */
	struct vcpu_features features; /* what the vCPUs got of the host's CPU (--cpu) */
	/* Inputs, kept for a guest reset (input.h): the Image and the initrd mapped from
	 * their files, the --dtb in the heap (it is read once, for the guest's tree). */
	struct input image;
	struct input initrd_file;
	void *initrd; /* initrd_file.data; NULL without --initrd */
	size_t initrd_len;
	void *user_dtb; /* --dtb */
	size_t user_dtb_len;
	/* What was loaded. */
	struct image_info img;
	gpa_t initrd_addr;
	void *dtb; /* the device tree the guest gets */
	size_t dtb_size;
	gpa_t dtb_addr;
	unsigned int panic_match; /* bytes of Linux's panic line seen on the UART (board.c) */
};

/* Create the VM, its devices and vCPUs, and load the guest. On failure returns
 * -errno with a one-line reason in err. */
int board_create(struct board *b, const struct vm_config *cfg, char *err, size_t errlen);
/* --dump-dtb: check the inputs and write the device tree the guest would get;
 * needs no KVM (it assumes a GICv3). */
int board_dump_dtb(struct board *b, const struct vm_config *cfg, char *err, size_t errlen);
/* Put the guest back to its first instruction: reload the image, reset the vCPUs. */
int board_reset(struct board *b, char *err, size_t errlen);
void board_destroy(struct board *b);
/* gdb's memory map (qXfer:memory-map:read) for a firmware boot: the flash banks as ROM, so
 * that gdb uses hardware breakpoints there by itself and does not write them; RAM; and the
 * rest of the address space as RAM too, since gdb's addresses are virtual once the MMU is
 * on. NULL without --bios: a kernel's gdb needs no map, and one would hide its addresses. */
const char *board_memory_map(struct board *b);

/* rtc_timer_fd is readable: the RTC's alarm is due. */
void board_rtc_timer_fired(struct board *b);

/* Read a whole file (at most max bytes); -EFBIG beyond. */
int read_file(const char *path, size_t max, void **buf, size_t *len);
