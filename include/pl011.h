/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ARM PrimeCell UART (PL011), as Linux's amba-pl011 driver and bare-metal programs
 * for QEMU virt use it. Transmission is instant; reception goes through a FIFO. */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include "mmio.h"

#define PL011_SIZE 0x1000
#define PL011_FIFO_DEPTH 32

/* A level-sensitive interrupt output; the device never sees how it is wired. */
struct irq_line {
	void (*set)(void *opaque, int level);
	void *opaque;
};

struct pl011 {
	struct mmio_region region;
	pthread_mutex_t lock;
	struct irq_line irq;
	unsigned int spi; /* the SPI the board wired irq to, for the device tree */
	void (*tx)(void *opaque, uint8_t byte); /* where output goes */
	void (*rx_space)(void *opaque);          /* the guest made room in the RX FIFO */
	void *cb_opaque;
	uint8_t fifo[PL011_FIFO_DEPTH];
	unsigned int rx_head, rx_count;
	uint32_t lcr_h, cr, ifls, imsc, ris, ibrd, fbrd, ilpr, dmacr;
	int irq_level;
};

/* Register the UART at base on the bus; irq is wired to SPI spi. */
int pl011_init(struct pl011 *u, struct mmio_bus *bus, gpa_t base, struct irq_line irq,
	       unsigned int spi);
/* Feed received bytes; returns how many fitted in the FIFO. */
size_t pl011_receive(struct pl011 *u, const uint8_t *buf, size_t len);
/* Free room in the receive FIFO. */
size_t pl011_rx_room(struct pl011 *u);
