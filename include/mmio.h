/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The MMIO bus: devices register guest-physical ranges; vCPU threads dispatch
 * KVM_EXIT_MMIO accesses to them. Devices do their own locking. */
#pragma once

#include <stdbool.h>
#include "types.h"

struct mmio_ops {
	/* off is relative to the region base; len is 1, 2, 4 or 8; data is little-endian. */
	int (*read)(void *opaque, uint64_t off, void *data, unsigned int len);
	int (*write)(void *opaque, uint64_t off, const void *data, unsigned int len);
};

struct dtb_device;

struct mmio_region {
	const char *name;
	gpa_t base;
	uint64_t size;
	const struct mmio_ops *ops;
	void *opaque;
	/* Fill in the device-tree node (include/dtb.h); name, base and size are set
	 * from the region before the call. NULL: the device has no node. */
	void (*describe)(void *opaque, struct dtb_device *node);
};

/* The board has a few devices and QEMU virt's 32 virtio-mmio transports, a region each. */
#define MMIO_MAX_REGIONS 64

struct mmio_bus {
	struct mmio_region *regions[MMIO_MAX_REGIONS];
	unsigned int nr;
};

/* Add a region; -EBUSY if it overlaps another, -ENOSPC if the bus is full. */
int mmio_bus_register(struct mmio_bus *bus, struct mmio_region *r);
/* The region holding [addr, addr + len), or NULL. */
struct mmio_region *mmio_bus_find(struct mmio_bus *bus, gpa_t addr, unsigned int len);
/* Dispatch one access; -ENODEV when no device is there. */
int mmio_bus_access(struct mmio_bus *bus, gpa_t addr, void *data, unsigned int len, bool is_write);
