// SPDX-License-Identifier: GPL-3.0-or-later
/* PL031 RTC model (ARM DDI 0224, PrimeCell RTC): RTCDR counts host seconds plus the offset a
 * write to RTCLR sets; RTCRIS.AI is raised when RTCDR reaches RTCMR, RTCMIS = RIS & IMSC
 * drives the line, RTCICR clears. Registers are 32 bits wide on APB; a byte or halfword at a
 * register's offset reaches it too, as on QEMU (EDK2's PL031 library reads the IDs a byte at
 * a time): reads give its low bytes, writes are zero-extended. Other accesses (unaligned,
 * or 8 bytes) read as zero and are ignored when written. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "dtb.h"
#include "pl031.h"

enum {
	PL031_DR = 0x000,   /* data (the counter), read-only */
	PL031_MR = 0x004,   /* match */
	PL031_LR = 0x008,   /* load */
	PL031_CR = 0x00c,   /* control: bit 0 RTCStart */
	PL031_IMSC = 0x010, /* interrupt mask set/clear */
	PL031_RIS = 0x014,  /* raw interrupt status, read-only */
	PL031_MIS = 0x018,  /* masked interrupt status, read-only */
	PL031_ICR = 0x01c,  /* interrupt clear, write-only */
	PL031_ID = 0xfe0,   /* PeriphID0-3, then PCellID0-3 */
};

#define PL031_AI 1u /* the one interrupt: the alarm (match) */

/* PeriphID 0x00141031: part 0x031, designer ARM (0x41), revision 1, the bytes QEMU's
 * hw/rtc/pl031.c gives; Linux's rtc-pl031 matches 0x00041031 under mask 0x000fffff, which
 * leaves the revision out. PCellID 0xb105f00d, which drivers/amba/bus.c requires. Each
 * register holds one byte in bits 7:0. */
static const uint8_t pl031_id[8] = { 0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static uint64_t host_now(void *opaque)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec > 0 ? (uint64_t)ts.tv_sec : 0;
}

static uint32_t counter(const struct pl031 *rtc, uint64_t now)
{
	return (uint32_t)now + rtc->offset;
}

/* Called with the lock held, as every helper below. */
static void set_timer(struct pl031 *rtc, uint64_t when)
{
	if (rtc->clock.set_timer)
		rtc->clock.set_timer(rtc->clock.opaque, when);
}

static void update_irq(struct pl031 *rtc)
{
	int level = (rtc->ris & rtc->imsc) != 0;

	if (level != rtc->irq_level) {
		rtc->irq_level = level;
		if (rtc->irq.set)
			rtc->irq.set(rtc->irq.opaque, level);
	}
}

/* The counter reached RTCMR (or went past it: the host's clock may jump forward). */
static void check_alarm(struct pl031 *rtc, uint64_t now)
{
	if (rtc->alarm_armed && now >= rtc->alarm_at) {
		rtc->alarm_armed = false;
		rtc->ris |= PL031_AI;
	}
}

/* RTCMR or the counter changed: the next second at which RTCDR == RTCMR. The counter wraps
 * at 2^32, so an RTCMR behind the counter is reached after the wrap (as QEMU computes it);
 * one equal to it matches at once. */
static void arm_alarm(struct pl031 *rtc, uint64_t now)
{
	uint32_t ticks = rtc->mr - counter(rtc, now);

	if (!ticks) {
		rtc->alarm_armed = false;
		rtc->ris |= PL031_AI;
		set_timer(rtc, 0);
		return;
	}
	rtc->alarm_armed = true;
	rtc->alarm_at = now + ticks;
	set_timer(rtc, rtc->alarm_at);
}

static uint32_t read_reg(struct pl031 *rtc, uint64_t off, uint64_t now)
{
	switch (off) {
	case PL031_DR:
		return counter(rtc, now);
	case PL031_MR:
		return rtc->mr;
	case PL031_LR:
		return rtc->lr;
	case PL031_CR:
		/* The counter is the host's clock, which never stops: RTCStart reads 1 from
		 * reset, as on QEMU ("permanently enabled"). */
		return 1;
	case PL031_IMSC:
		return rtc->imsc;
	case PL031_RIS:
		return rtc->ris;
	case PL031_MIS:
		return rtc->ris & rtc->imsc;
	}
	if (off >= PL031_ID && off < PL031_ID + sizeof(pl031_id) * 4)
		return pl031_id[(off - PL031_ID) / 4];
	return 0; /* RTCICR is write-only; the rest is reserved */
}

static void write_reg(struct pl031 *rtc, uint64_t off, uint32_t v, uint64_t now)
{
	switch (off) {
	case PL031_MR:
		rtc->mr = v;
		arm_alarm(rtc, now);
		break;
	case PL031_LR:
		/* The counter takes the value now and counts on from it. */
		rtc->lr = v;
		rtc->offset = v - (uint32_t)now;
		arm_alarm(rtc, now);
		break;
	case PL031_IMSC:
		rtc->imsc = v & PL031_AI;
		break;
	case PL031_ICR:
		rtc->ris &= ~(v & PL031_AI);
		break;
	}
	/* RTCDR, RTCRIS and RTCMIS are read-only, RTCCR's RTCStart is already set (writes have
	 * no effect once it is, DDI 0224), the ID and reserved words take nothing. */
}

/* An access of 1, 2 or 4 bytes at a register's offset. */
static bool is_register(uint64_t off, unsigned int len)
{
	return !(off & 3) && (len == 1 || len == 2 || len == 4);
}

static int pl031_read(void *opaque, uint64_t off, void *data, unsigned int len)
{
	struct pl031 *rtc = opaque;
	uint32_t v = 0;
	uint64_t now;

	memset(data, 0, len);
	if (!is_register(off, len))
		return 0;
	pthread_mutex_lock(&rtc->lock);
	now = rtc->clock.now(rtc->clock.opaque);
	check_alarm(rtc, now);
	v = read_reg(rtc, off, now);
	update_irq(rtc);
	pthread_mutex_unlock(&rtc->lock);
	memcpy(data, &v, len); /* the low bytes: the guest is little-endian, as we are */
	return 0;
}

static int pl031_write(void *opaque, uint64_t off, const void *data, unsigned int len)
{
	struct pl031 *rtc = opaque;
	uint64_t now;
	uint32_t v = 0;

	if (!is_register(off, len))
		return 0;
	memcpy(&v, data, len);
	pthread_mutex_lock(&rtc->lock);
	now = rtc->clock.now(rtc->clock.opaque);
	check_alarm(rtc, now);
	write_reg(rtc, off, v, now);
	update_irq(rtc);
	pthread_mutex_unlock(&rtc->lock);
	return 0;
}

void pl031_alarm(struct pl031 *rtc)
{
	pthread_mutex_lock(&rtc->lock);
	check_alarm(rtc, rtc->clock.now(rtc->clock.opaque));
	update_irq(rtc);
	pthread_mutex_unlock(&rtc->lock);
}

/* QEMU virt's node (hw/arm/virt.c, create_rtc): primecell, a level-high SPI, and the APB
 * clock, which drivers/amba/bus.c enables by the name "apb_pclk" before it reads the IDs. */
static void pl031_describe(void *opaque, struct dtb_device *d)
{
	struct pl031 *rtc = opaque;

	d->compatible[0] = "arm,pl031";
	d->compatible[1] = "arm,primecell";
	d->nr_irqs = 1;
	d->irqs[0] = (struct dtb_irq){ DTB_IRQ_SPI, rtc->spi, DTB_IRQ_LEVEL_HIGH };
	d->clock_names[0] = "apb_pclk";
}

static const struct mmio_ops pl031_ops = {
	.read = pl031_read,
	.write = pl031_write,
};

int pl031_init(struct pl031 *rtc, struct mmio_bus *bus, gpa_t base, struct irq_line irq,
	       unsigned int spi, const struct pl031_clock *clock)
{
	memset(rtc, 0, sizeof(*rtc));
	pthread_mutex_init(&rtc->lock, NULL);
	rtc->irq = irq;
	rtc->spi = spi;
	if (clock)
		rtc->clock = *clock;
	if (!rtc->clock.now)
		rtc->clock.now = host_now;
	rtc->region = (struct mmio_region){ .name = "pl031",
					    .base = base,
					    .size = PL031_SIZE,
					    .ops = &pl031_ops,
					    .opaque = rtc,
					    .describe = pl031_describe };
	return mmio_bus_register(bus, &rtc->region);
}
