// SPDX-License-Identifier: GPL-3.0-or-later
/* libFuzzer harness for the image loaders (src/loader.c): the input is an image file, loaded
 * into two small guest RAMs (one at the board's base, one ending just below 2^64, where every
 * end-address computation is one carry away from wrapping), then the DTB and initrd placed next
 * to it with sizes taken from the input's tail. The RAMs are exact-size heap blocks, so ASan
 * sees any write past them; every result must lie inside RAM. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "tests/fuzz/fuzz.h"

#define SZ_2M (2ull << 20)

static uint64_t tail64(const uint8_t *data, size_t size, unsigned int k)
{
	uint64_t v = 0;

	if (size >= 8 * (k + 1))
		memcpy(&v, data + size - 8 * (k + 1), 8);
	return v;
}

static bool inside(const struct guest_ram *ram, gpa_t start, gpa_t end)
{
	return start <= end && guest_ram_contains(ram, start, end - start);
}

static void check_place(const struct guest_ram *ram, const struct image_info *img, gpa_t out,
			uint64_t size, uint64_t align, gpa_t limit)
{
	FUZZ_CHECK(guest_ram_contains(ram, out, size));
	FUZZ_CHECK(!limit || out + size <= limit);
	FUZZ_CHECK(!align || out % align == 0);
	FUZZ_CHECK(!img || out + size <= img->start || img->end <= out);
}

/* loader_place*() next to img, with sizes and limits the input chooses. */
static void place(const struct guest_ram *ram, const struct image_info *img, const uint8_t *data,
		  size_t size)
{
	uint64_t sz = tail64(data, size, 0), limit = tail64(data, size, 1), align;
	char err[160];
	gpa_t out, slot;

	align = 1ull << (tail64(data, size, 2) & 63);
	if (!loader_place(ram, img, limit, sz, align, &out, err, sizeof(err)))
		check_place(ram, img, out, sz, align, limit);
	if (!loader_place(ram, img, limit, sz, align + 1, &out, err, sizeof(err)))
		FUZZ_CHECK(align + 1 == 2); /* only powers of two are alignments */
	if (!loader_place_dtb(ram, img, sz, &out, err, sizeof(err))) {
		check_place(ram, img, out, SZ_2M, SZ_2M, 0); /* the whole 2 MiB block is kept */
		FUZZ_CHECK(sz <= LOADER_DTB_MAX);
	}
	if (!loader_place_initrd(ram, img, sz, &out, err, sizeof(err))) {
		FUZZ_CHECK(!loader_place_dtb(ram, NULL, 0, &slot, err, sizeof(err)));
		check_place(ram, img, out, sz, 4096, slot); /* below the DTB's block */
	}
}

static void load(struct guest_ram *ram, gpa_t load_addr, const uint8_t *data, size_t size)
{
	struct load_opts opts = { .load_addr = load_addr };
	struct image_info info;
	char err[200];
	int ret;

	ret = loader_load(data, size, ram, &opts, &info, err, sizeof(err));
	FUZZ_CHECK(ret <= 0 && strlen(err) < sizeof(err));
	FUZZ_CHECK(ret == 0 || err[0]); /* every error says why */
	if (ret) {
		place(ram, NULL, data, size);
		return;
	}
	FUZZ_CHECK(inside(ram, info.start, info.end));
	FUZZ_CHECK(info.entry >= info.start && info.entry < info.end);
	FUZZ_CHECK(info.is_linux == (info.kind == IMAGE_LINUX));
	FUZZ_CHECK(strcmp(loader_kind_name(info.kind), "unknown"));
	place(ram, &info, data, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct guest_ram low, top;

	if (!low.hva) {
		/* Room for a Linux Image at the first 2 MiB boundary plus a little, and a DTB. */
		low = (struct guest_ram){ .base = 0x40000000, .size = 3 * SZ_2M };
		top = (struct guest_ram){ .base = -(3 * SZ_2M) - 0x10000, .size = 3 * SZ_2M };
		low.hva = malloc(low.size);
		top.hva = malloc(top.size);
		FUZZ_CHECK(low.hva && top.hva);
	}
	load(&low, 0, data, size);
	load(&low, tail64(data, size, 3), data, size); /* a raw image anywhere */
	load(&top, top.base + top.size - (size & 0xffff), data, size);
	return 0;
}
