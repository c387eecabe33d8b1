/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Guest RAM as one contiguous host mapping, and the only way to reach it: every
 * guest-physical range is checked against the RAM bounds, overflow included. */
#pragma once

#include <stdbool.h>
#include "types.h"

struct guest_ram {
	gpa_t base;
	uint64_t size;
	uint8_t *hva; /* host mapping of [base, base + size) */
};

/* Host pointer for [gpa, gpa + len) if all of it is guest RAM, else NULL. */
static inline void *guest_ram_ptr(const struct guest_ram *r, gpa_t gpa, uint64_t len)
{
	uint64_t end;

	if (gpa < r->base || __builtin_add_overflow(gpa, len, &end) || end > r->base + r->size)
		return NULL;
	return r->hva + (gpa - r->base);
}

static inline bool guest_ram_contains(const struct guest_ram *r, gpa_t gpa, uint64_t len)
{
	return guest_ram_ptr(r, gpa, len) != NULL;
}
