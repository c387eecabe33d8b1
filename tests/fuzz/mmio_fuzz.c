// SPDX-License-Identifier: GPL-3.0-or-later
/* libFuzzer harness for the MMIO devices a guest drives (devices/): the bus with the board's
 * PL011, PL031 (on a fake clock and timer) and 32 empty virtio-mmio transports. The input is a
 * list of 8-byte actions: a guest read or write of any width at any offset of a device, the
 * host clock moving (backwards too), the RTC's timer firing, bytes arriving on the UART.
 * Invariants: no access reaches past its buffer; the RTC's line follows RIS & IMSC, RTCDR is
 * the clock plus what RTCLR loaded, a match is due exactly when RTCDR reaches RTCMR and the
 * timer asked for says when; a byte or halfword at a register's offset reads its low bytes
 * and writes it zero-extended, other accesses (unaligned, 8 bytes) change nothing; an empty
 * transport reads the same whatever was written to it. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "pl011.h"
#include "pl031.h"
#include "virtio_mmio.h"
#include "tests/fuzz/fuzz.h"

#define UART_BASE 0x09000000ull
#define RTC_BASE 0x09010000ull
#define VIRTIO_BASE 0x0a000000ull
#define NR_VIRTIO 32
#define MAX_ACTIONS 512

enum { ACT_READ, ACT_WRITE, ACT_CLOCK, ACT_TIMER, ACT_RECEIVE, ACT_READ_WORD, ACT_WRITE_WORD };

struct harness {
	struct mmio_bus bus;
	struct pl011 uart;
	struct pl031 rtc;
	struct virtio_mmio virtio[NR_VIRTIO];
	uint64_t now;
	uint64_t timer; /* the RTC's last timer request, 0 = none */
	int rtc_level, uart_level;
	uint32_t offset; /* what RTCDR - the clock must be: RTCLR's last word write */
};

static uint64_t fake_now(void *opaque)
{
	return ((struct harness *)opaque)->now;
}

static void fake_set_timer(void *opaque, uint64_t when)
{
	((struct harness *)opaque)->timer = when;
}

static void rtc_line(void *opaque, int level)
{
	struct harness *h = opaque;

	FUZZ_CHECK(level != h->rtc_level); /* only changes are reported */
	h->rtc_level = level;
}

static void uart_line(void *opaque, int level)
{
	struct harness *h = opaque;

	FUZZ_CHECK(level != h->uart_level);
	h->uart_level = level;
}

static void setup(struct harness *h, uint64_t start)
{
	const struct pl031_clock clock = { fake_now, fake_set_timer, h };
	unsigned int i;

	memset(h, 0, sizeof(*h));
	h->now = start;
	FUZZ_CHECK(pl011_init(&h->uart, &h->bus, UART_BASE, (struct irq_line){ uart_line, h }, 1) ==
		   0);
	FUZZ_CHECK(pl031_init(&h->rtc, &h->bus, RTC_BASE, (struct irq_line){ rtc_line, h }, 2,
			      &clock) == 0);
	for (i = 0; i < NR_VIRTIO; i++)
		FUZZ_CHECK(virtio_mmio_init(&h->virtio[i], &h->bus,
					    VIRTIO_BASE + i * VIRTIO_MMIO_SIZE, 16 + i) == 0);
}

static uint32_t virtio_expected(uint64_t off, unsigned int len)
{
	if (len != 4 || (off & 3))
		return 0;
	switch (off) {
	case 0x000:
		return VIRTIO_MMIO_MAGIC;
	case 0x004:
		return VIRTIO_MMIO_VERSION_MODERN;
	case 0x00c:
		return VIRTIO_MMIO_VENDOR_QEMU;
	}
	return 0;
}

static void check_rtc(const struct harness *h)
{
	const struct pl031 *r = &h->rtc;

	FUZZ_CHECK(r->ris <= 1 && r->imsc <= 1);
	FUZZ_CHECK(h->rtc_level == ((r->ris & r->imsc) != 0));
	FUZZ_CHECK(r->offset == h->offset);
	if (r->alarm_armed) /* a deadline is pending: the timer was asked for it */
		FUZZ_CHECK(h->timer == r->alarm_at);
	FUZZ_CHECK(h->uart_level == h->uart.irq_level);
}

/* The RTC's guest-visible state, which only aligned word accesses may change. */
struct rtc_state {
	uint32_t offset, mr, lr, imsc, ris;
	bool armed;
	uint64_t at, timer;
};

static struct rtc_state rtc_state(const struct harness *h)
{
	const struct pl031 *r = &h->rtc;

	return (struct rtc_state){ .offset = r->offset,
				   .mr = r->mr,
				   .lr = r->lr,
				   .imsc = r->imsc,
				   .ris = r->ris,
				   .armed = r->alarm_armed,
				   .at = r->alarm_at,
				   .timer = h->timer };
}

static bool same_state(struct rtc_state a, struct rtc_state b)
{
	return a.offset == b.offset && a.mr == b.mr && a.lr == b.lr && a.imsc == b.imsc &&
	       a.ris == b.ris && a.armed == b.armed && (!a.armed || a.at == b.at) &&
	       a.timer == b.timer;
}

static bool rtc_register(uint64_t off, unsigned int len)
{
	return !(off & 3) && len <= 4;
}

/* len's low bytes of v, as a read or a zero-extended write of len bytes sees it. */
static uint32_t low_bytes(uint32_t v, unsigned int len)
{
	return len >= 4 ? v : v & ((1u << (8 * len)) - 1);
}

static void rtc_read(struct harness *h, uint64_t off, unsigned int len, const uint8_t *data)
{
	uint32_t v = 0;

	if (!rtc_register(off, len)) {
		FUZZ_CHECK(!memcmp(data, "\0\0\0\0\0\0\0\0", len));
		return;
	}
	memcpy(&v, data, len);
	if (off == 0x000)
		FUZZ_CHECK(v == low_bytes((uint32_t)h->now + h->offset, len));
	if (off == 0x00c)
		FUZZ_CHECK(v == 1);
	if (off == 0x018)
		FUZZ_CHECK(v == (h->rtc.ris & h->rtc.imsc));
	if (off == 0xff0)
		FUZZ_CHECK(v == 0x0d);
}

/* A write of RTCMR or RTCLR (v zero-extended): the match is due at once or at a known
 * second. */
static void rtc_wrote(struct harness *h, uint64_t off, uint32_t v)
{
	uint32_t ticks;

	if (off == 0x008)
		h->offset = v - (uint32_t)h->now;
	if (off != 0x004 && off != 0x008)
		return;
	ticks = h->rtc.mr - ((uint32_t)h->now + h->offset);
	if (!ticks) {
		FUZZ_CHECK(h->rtc.ris & 1);
		FUZZ_CHECK(!h->rtc.alarm_armed);
	} else {
		FUZZ_CHECK(h->rtc.alarm_armed && h->rtc.alarm_at == h->now + ticks);
		FUZZ_CHECK(h->timer == h->rtc.alarm_at);
	}
}

static void guest_access(struct harness *h, unsigned int dev, uint64_t off, unsigned int len,
			 bool is_write, uint32_t value)
{
	static const gpa_t bases[] = { UART_BASE, RTC_BASE };
	uint64_t size = dev == 0 ? PL011_SIZE : dev == 1 ? PL031_SIZE : VIRTIO_MMIO_SIZE;
	gpa_t base = dev < 2 ? bases[dev] : VIRTIO_BASE + (dev - 2) * VIRTIO_MMIO_SIZE;
	struct rtc_state before = rtc_state(h);
	uint8_t data[16];
	int ret;

	off %= size;
	memset(data, 0xaa, sizeof(data));
	memcpy(data, &value, 4);
	ret = mmio_bus_access(&h->bus, base + off, data, len, is_write);
	FUZZ_CHECK(ret == 0 || ret == -ENODEV);
	FUZZ_CHECK((ret == 0) == (off + len <= size)); /* never across into the next device */
	FUZZ_CHECK(!memcmp(data + 8, "\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa", 8)); /* no overrun */
	if (ret)
		return;
	if (dev == 1 && !rtc_register(off, len))
		FUZZ_CHECK(same_state(before, rtc_state(h)));
	if (dev == 1 && !is_write)
		rtc_read(h, off, len, data);
	if (dev == 1 && is_write && rtc_register(off, len))
		rtc_wrote(h, off, low_bytes(value, len));
	if (dev >= 2 && !is_write) {
		uint32_t want = virtio_expected(off, len);

		FUZZ_CHECK(!memcmp(data, &want, len < 4 ? len : 4));
		FUZZ_CHECK(len <= 4 || !memcmp(data + 4, "\0\0\0\0", len - 4));
	}
}

/* The host's clock may be set back as well as forward (it stays below 2^41 s here). */
static void move_clock(struct harness *h, int32_t by)
{
	int64_t t = (int64_t)h->now + by;

	h->now = t < 0 ? 0 : (uint64_t)t;
}

static void fire_timer(struct harness *h)
{
	bool due = h->rtc.alarm_armed && h->now >= h->rtc.alarm_at;

	pl031_alarm(&h->rtc); /* also when stale or early: it must check for itself */
	if (due)
		FUZZ_CHECK((h->rtc.ris & 1) && !h->rtc.alarm_armed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned int lens[4] = { 1, 2, 4, 8 };
	static struct harness h;
	uint64_t start;
	size_t i;

	if (size < 8)
		return 0;
	memcpy(&start, data, 8);
	setup(&h, start >> 24); /* up to 2^40 s: past the 32-bit counter's wrap */
	for (i = 8; i + 8 <= size && i / 8 <= MAX_ACTIONS; i += 8) {
		const uint8_t *a = data + i;
		unsigned int kind = (a[0] & 0xf) % 7, dev = a[1] % (2 + NR_VIRTIO);
		uint64_t off = a[2] | (uint64_t)a[3] << 8;
		uint32_t value;

		memcpy(&value, a + 4, 4);
		switch (kind) {
		case ACT_READ:
		case ACT_WRITE:
			guest_access(&h, dev, off, lens[(a[0] >> 4) & 3], kind == ACT_WRITE, value);
			break;
		case ACT_READ_WORD:
		case ACT_WRITE_WORD:
			guest_access(&h, dev, off & ~3ull, 4, kind == ACT_WRITE_WORD, value);
			break;
		case ACT_CLOCK:
			move_clock(&h, (int32_t)value >> (a[1] & 31));
			break;
		case ACT_TIMER:
			fire_timer(&h);
			break;
		case ACT_RECEIVE:
			pl011_receive(&h.uart, a + 4, a[1] % 5);
			break;
		}
		check_rtc(&h);
	}
	return 0;
}
