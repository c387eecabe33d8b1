// SPDX-License-Identifier: GPL-3.0-or-later
/* libFuzzer harness for a user's --dtb (src/dtb.c): dtb_check() on the input, and for a blob it
 * accepts, dtb_set_chosen() with and without each /chosen property. Whatever set_chosen returns
 * must pass dtb_check() itself and carry the properties asked for. The input is copied to an
 * exact-size block so ASan sees a read past its end (by our code: Debian's libfdt.a is not
 * instrumented). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include "dtb.h"
#include "tests/fuzz/fuzz.h"

static void check_chosen(const void *blob, size_t size, const struct dtb_chosen *ch)
{
	char err[200];
	const void *p;
	int node, len;

	FUZZ_CHECK(dtb_check(blob, size, err, sizeof(err)) == 0);
	node = fdt_path_offset(blob, "/chosen");
	FUZZ_CHECK(node >= 0);
	if (ch->bootargs) {
		p = fdt_getprop(blob, node, "bootargs", &len);
		FUZZ_CHECK(p && (size_t)len == strlen(ch->bootargs) + 1 &&
			   !memcmp(p, ch->bootargs, len));
	}
	if (ch->initrd_end > ch->initrd_start) {
		p = fdt_getprop(blob, node, "linux,initrd-end", &len);
		FUZZ_CHECK(p && len == 8 && fdt64_ld(p) == ch->initrd_end);
	}
	if (ch->has_kaslr_seed) {
		p = fdt_getprop(blob, node, "kaslr-seed", &len);
		FUZZ_CHECK(p && len == 8 && fdt64_ld(p) == ch->kaslr_seed);
	}
}

static void set_chosen(const void *in, size_t size, const struct dtb_chosen *ch)
{
	void *out = NULL;
	size_t out_size = 0;
	char err[200];
	int ret;

	ret = dtb_set_chosen(in, size, ch, &out, &out_size, err, sizeof(err));
	FUZZ_CHECK(ret <= 0 && strlen(err) < sizeof(err));
	if (ret)
		return;
	FUZZ_CHECK(out_size == fdt_totalsize(out) && out_size <= DTB_MAX_SIZE);
	check_chosen(out, out_size, ch);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct dtb_chosen none, all = {
		.bootargs = "console=ttyAMA0 earlycon root=/dev/vda",
		.initrd_start = 0x48000000,
		.initrd_end = 0x48100000,
		.has_kaslr_seed = true,
		.kaslr_seed = 0x0123456789abcdef,
	};
	struct dtb_chosen empty_args = { .bootargs = "" };
	uint8_t *blob = malloc(size ? size : 1);
	void *out = NULL;
	size_t out_size;
	char err[200];
	int ret;

	FUZZ_CHECK(blob);
	memcpy(blob, data, size);
	ret = dtb_check(blob, size, err, sizeof(err));
	FUZZ_CHECK(ret <= 0 && strlen(err) < sizeof(err));
	if (ret == 0) {
		set_chosen(blob, size, &none);
		set_chosen(blob, size, &all);
		set_chosen(blob, size, &empty_args);
	} else { /* what dtb_check() refuses, dtb_set_chosen() refuses too */
		FUZZ_CHECK(dtb_set_chosen(blob, size, &all, &out, &out_size, err, sizeof(err)) < 0);
		FUZZ_CHECK(!out);
	}
	free(blob);
	return 0;
}
