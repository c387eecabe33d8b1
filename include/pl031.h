/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ARM PrimeCell RTC (PL031), as on QEMU virt and as Linux's rtc-pl031 driver uses it: a
 * seconds counter that is the host's wall clock plus an offset the guest loads, and a match
 * (alarm) interrupt. The clock is injected, so that tests choose the time. */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include "mmio.h"
#include "pl011.h" /* struct irq_line */

#define PL031_SIZE 0x1000

/* Where the RTC's time comes from, and who wakes it when an alarm is due. */
struct pl031_clock {
	/* The host's wall clock in seconds since the epoch (NULL: CLOCK_REALTIME). */
	uint64_t (*now)(void *opaque);
	/* Optional: have pl031_alarm() called once now() reaches when (host seconds); a new
	 * call replaces the deadline, when == 0 cancels it. Called with the RTC's lock held:
	 * it must not call back into the RTC. NULL: no timer, so a match is only seen at the
	 * guest's next access to the RTC (the unit tests; the board has one). */
	void (*set_timer)(void *opaque, uint64_t when);
	void *opaque;
};

struct pl031 {
	struct mmio_region region;
	pthread_mutex_t lock;
	struct irq_line irq;
	unsigned int spi; /* the SPI the board wired irq to, for the device tree */
	struct pl031_clock clock;
	uint32_t offset; /* RTCDR - host seconds, modulo 2^32: what RTCLR loaded */
	uint32_t mr, lr, imsc, ris;
	bool alarm_armed;  /* RTCDR has yet to reach RTCMR ... */
	uint64_t alarm_at; /* ... at this host second */
	int irq_level;
};

/* Register the RTC at base on the bus; irq is wired to SPI spi; clock NULL: the host's
 * CLOCK_REALTIME and no timer. */
int pl031_init(struct pl031 *rtc, struct mmio_bus *bus, gpa_t base, struct irq_line irq,
	       unsigned int spi, const struct pl031_clock *clock);
/* The timer asked for through clock.set_timer fired: raise the match interrupt if due. */
void pl031_alarm(struct pl031 *rtc);
