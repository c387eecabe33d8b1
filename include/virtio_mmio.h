/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A virtio-mmio transport (virtio 1.2, 4.2 "Virtio Over MMIO"), as QEMU virt has 32 of. Only
 * the empty kind exists so far: device id 0, which Linux's virtio_mmio driver probes and
 * leaves alone. A device put behind a transport later gets its own fields here. */
#pragma once

#include "mmio.h"

#define VIRTIO_MMIO_SIZE 0x200
#define VIRTIO_MMIO_MAGIC 0x74726976       /* "virt", little-endian */
#define VIRTIO_MMIO_VERSION_MODERN 2       /* virtio 1.x register layout */
#define VIRTIO_MMIO_VENDOR_QEMU 0x554d4551 /* "QEMU": what guests see on QEMU virt */
#define VIRTIO_MMIO_NO_DEVICE 0

struct virtio_mmio {
	struct mmio_region region;
	unsigned int spi;   /* its interrupt, for the device tree (edge-rising) */
	uint32_t version;   /* the Version register */
	uint32_t device_id; /* VIRTIO_MMIO_NO_DEVICE: an empty transport */
};

/* Register an empty transport at base on the bus, with SPI spi in its device-tree node. */
int virtio_mmio_init(struct virtio_mmio *t, struct mmio_bus *bus, gpa_t base, unsigned int spi);
