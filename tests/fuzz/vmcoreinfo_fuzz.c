// SPDX-License-Identifier: GPL-3.0-or-later
/* libFuzzer harness for the VMCOREINFO reader (src/linux/vmcoreinfo.c): the input is guest RAM
 * of a few pages (so a hostile guest's whole say), searched as minivmm searches it, and also
 * parsed directly as text. Nothing may be read outside it, a found text must begin at a page
 * start and be parseable again with the same result, and the release must be a C string that
 * fits. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "src/linux/vmcoreinfo.h"
#include "tests/fuzz/fuzz.h"

struct ram {
	const uint8_t *buf;
	gpa_t base;
	uint64_t size;
};

static uint8_t *ram_mem(void *ctx, gpa_t pa, uint64_t len, uint64_t *avail)
{
	const struct ram *r = ctx;

	if (pa < r->base || pa - r->base >= r->size)
		return NULL;
	*avail = r->size - (pa - r->base) < len ? r->size - (pa - r->base) : len;
	return (uint8_t *)r->buf + (pa - r->base);
}

static void check(const struct vmcoreinfo *vi)
{
	FUZZ_CHECK(memchr(vi->osrelease, '\0', sizeof(vi->osrelease)) != NULL);
	FUZZ_CHECK(vi->len <= VMCOREINFO_MAX);
	FUZZ_CHECK(vi->page_size != 0);
	FUZZ_CHECK(vi->va_bits <= 64);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ram r = { .buf = data, .base = 0x40000000, .size = size };
	struct vmcoreinfo vi, again;
	gpa_t pa;

	if (size > 8 * 4096)
		return 0;
	if (!vmcoreinfo_parse((const char *)data, size, &vi))
		check(&vi);
	if (size && (data[0] & 1))
		r.base += (data[size - 1] & 0xf) * 0x100; /* RAM not page-aligned */
	if (vmcoreinfo_find(ram_mem, &r, r.base, r.size, &pa, &vi) == 0) {
		check(&vi);
		FUZZ_CHECK(pa % 4096 == 0 && pa >= r.base && pa - r.base + 4096 <= r.size);
		FUZZ_CHECK(vmcoreinfo_parse((const char *)data + (pa - r.base), 4096, &again) == 0);
		FUZZ_CHECK(again.kaslr_offset == vi.kaslr_offset && again.len == vi.len);
	}
	return 0;
}
