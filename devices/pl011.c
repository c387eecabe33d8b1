// SPDX-License-Identifier: GPL-3.0-or-later
/* PL011 UART model (ARM DDI 0183, PrimeCell UART r1p5): the registers Linux's
 * amba-pl011 driver touches, a 32-byte receive FIFO (1 byte with LCR_H.FEN clear)
 * and the interrupt logic: RIS is raw status, MIS = RIS & IMSC drives the line. */
#include <errno.h>
#include <string.h>

#include "dtb.h"
#include "pl011.h"

enum {
	PL011_DR = 0x000,
	PL011_RSR = 0x004,
	PL011_FR = 0x018,
	PL011_ILPR = 0x020,
	PL011_IBRD = 0x024,
	PL011_FBRD = 0x028,
	PL011_LCR_H = 0x02c,
	PL011_CR = 0x030,
	PL011_IFLS = 0x034,
	PL011_IMSC = 0x038,
	PL011_RIS = 0x03c,
	PL011_MIS = 0x040,
	PL011_ICR = 0x044,
	PL011_DMACR = 0x048,
	PL011_ID = 0xfe0, /* PeriphID0-3, then PCellID0-3 */
};

#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_RXFF (1u << 6)
#define FR_TXFE (1u << 7)
#define LCR_H_FEN (1u << 4)
#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_RT (1u << 6)
#define INT_ALL 0x7ffu

/* PeriphID: part 0x011, designer ARM (0x41), revision r1p5; PCellID: 0xb105f00d.
 * Linux's AMBA bus reads these to bind the driver. */
static const uint8_t pl011_id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static unsigned int fifo_depth(const struct pl011 *u)
{
	return (u->lcr_h & LCR_H_FEN) ? PL011_FIFO_DEPTH : 1;
}

/* Receive status is level-like: RX and receive-timeout stay raised while the FIFO
 * holds data, as the driver drains it until RXFE anyway. Called with the lock held. */
static void update_irq(struct pl011 *u)
{
	int level;

	if (u->rx_count)
		u->ris |= INT_RX | INT_RT;
	else
		u->ris &= ~(INT_RX | INT_RT);
	level = (u->ris & u->imsc) != 0;
	if (level != u->irq_level) {
		u->irq_level = level;
		if (u->irq.set)
			u->irq.set(u->irq.opaque, level);
	}
}

static uint32_t read_reg(struct pl011 *u, uint64_t off, bool *room_made)
{
	uint32_t v;

	switch (off) {
	case PL011_DR:
		if (!u->rx_count)
			return 0;
		v = u->fifo[u->rx_head];
		u->rx_head = (u->rx_head + 1) % PL011_FIFO_DEPTH;
		u->rx_count--;
		*room_made = true;
		return v;
	case PL011_RSR:
		return 0;
	case PL011_FR:
		v = FR_TXFE;
		if (!u->rx_count)
			v |= FR_RXFE;
		if (u->rx_count >= fifo_depth(u))
			v |= FR_RXFF;
		return v;
	case PL011_ILPR:
		return u->ilpr;
	case PL011_IBRD:
		return u->ibrd;
	case PL011_FBRD:
		return u->fbrd;
	case PL011_LCR_H:
		return u->lcr_h;
	case PL011_CR:
		return u->cr;
	case PL011_IFLS:
		return u->ifls;
	case PL011_IMSC:
		return u->imsc;
	case PL011_RIS:
		return u->ris;
	case PL011_MIS:
		return u->ris & u->imsc;
	case PL011_DMACR:
		return u->dmacr;
	}
	if (off >= PL011_ID && off < PL011_ID + 0x20 && !(off & 3))
		return pl011_id[(off - PL011_ID) / 4];
	return 0;
}

static void write_reg(struct pl011 *u, uint64_t off, uint32_t v)
{
	switch (off) {
	case PL011_DR:
		if (u->tx)
			u->tx(u->cb_opaque, v & 0xff);
		/* The byte left at once: the transmit FIFO is empty again. */
		u->ris |= INT_TX;
		break;
	case PL011_ILPR:
		u->ilpr = v & 0xff;
		break;
	case PL011_IBRD:
		u->ibrd = v & 0xffff;
		break;
	case PL011_FBRD:
		u->fbrd = v & 0x3f;
		break;
	case PL011_LCR_H:
		u->lcr_h = v & 0xff;
		break;
	case PL011_CR:
		u->cr = v & 0xffff;
		break;
	case PL011_IFLS:
		u->ifls = v & 0x3f;
		break;
	case PL011_IMSC:
		u->imsc = v & INT_ALL;
		break;
	case PL011_ICR:
		u->ris &= ~v;
		break;
	case PL011_DMACR:
		u->dmacr = v & 7;
		break;
	}
}

static int pl011_read(void *opaque, uint64_t off, void *data, unsigned int len)
{
	struct pl011 *u = opaque;
	bool room_made = false;
	uint32_t v;

	pthread_mutex_lock(&u->lock);
	v = read_reg(u, off & ~3ull, &room_made);
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
	v >>= (off & 3) * 8;
	memset(data, 0, len);
	memcpy(data, &v, len < 4 ? len : 4);
	if (room_made && u->rx_space)
		u->rx_space(u->cb_opaque);
	return 0;
}

static int pl011_write(void *opaque, uint64_t off, const void *data, unsigned int len)
{
	struct pl011 *u = opaque;
	uint32_t v = 0;

	memcpy(&v, data, len < 4 ? len : 4);
	if (off & 3) /* sub-word writes only make sense for DR's low byte */
		return 0;
	pthread_mutex_lock(&u->lock);
	write_reg(u, off, v);
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
	return 0;
}

/* Linux's binding (arm,pl011.yaml): primecell, a level-high SPI, and the two
 * clocks amba-pl011 asks for by name. */
static void pl011_describe(void *opaque, struct dtb_device *d)
{
	struct pl011 *u = opaque;

	d->compatible[0] = "arm,pl011";
	d->compatible[1] = "arm,primecell";
	d->nr_irqs = 1;
	d->irqs[0] = (struct dtb_irq){ DTB_IRQ_SPI, u->spi, DTB_IRQ_LEVEL_HIGH };
	d->clock_names[0] = "uartclk";
	d->clock_names[1] = "apb_pclk";
	d->is_stdout = true;
}

static const struct mmio_ops pl011_ops = {
	.read = pl011_read,
	.write = pl011_write,
};

int pl011_init(struct pl011 *u, struct mmio_bus *bus, gpa_t base, struct irq_line irq,
	       unsigned int spi)
{
	pthread_mutex_init(&u->lock, NULL);
	u->irq = irq;
	u->spi = spi;
	u->cr = 0x300; /* TXE | RXE, the reset value */
	u->ifls = 0x12;
	u->region = (struct mmio_region){ .name = "pl011",
					  .base = base,
					  .size = PL011_SIZE,
					  .ops = &pl011_ops,
					  .opaque = u,
					  .describe = pl011_describe };
	return mmio_bus_register(bus, &u->region);
}

size_t pl011_rx_room(struct pl011 *u)
{
	size_t room;

	pthread_mutex_lock(&u->lock);
	room = fifo_depth(u) > u->rx_count ? fifo_depth(u) - u->rx_count : 0;
	pthread_mutex_unlock(&u->lock);
	return room;
}

size_t pl011_receive(struct pl011 *u, const uint8_t *buf, size_t len)
{
	size_t n = 0;

	pthread_mutex_lock(&u->lock);
	while (n < len && u->rx_count < fifo_depth(u)) {
		u->fifo[(u->rx_head + u->rx_count) % PL011_FIFO_DEPTH] = buf[n++];
		u->rx_count++;
	}
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
	return n;
}
