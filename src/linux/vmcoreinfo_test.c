// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for src/linux/vmcoreinfo.c: the lines Debian's 6.1 arm64 kernel writes, hostile
 * text, and the search through guest RAM. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "src/linux/vmcoreinfo.h"

/* As kernel/crash_core.c and arch/arm64/kernel/crash_core.c write them (6.1). */
static const char real[] = "OSRELEASE=6.1.0-57-arm64\n"
			   "BUILD-ID=0a1b2c3d\n"
			   "PAGESIZE=4096\n"
			   "SYMBOL(init_uts_ns)=ffffb2cf1a3c2a08\n"
			   "OFFSET(uts_namespace.name)=4\n"
			   "SYMBOL(_stext)=ffffb2cf18210000\n"
			   "NUMBER(VA_BITS)=48\n"
			   "NUMBER(MODULES_VADDR)=0xffff800000000000\n"
			   "NUMBER(kimage_voffset)=0xffffb2ced8200000\n"
			   "NUMBER(PHYS_OFFSET)=0x40000000\n"
			   "KERNELOFFSET=32cf10200000\n"
			   "NUMBER(KERNELPACMASK)=0xff80000000000000\n";

static void test_parses_the_kernels_lines(void **state)
{
	struct vmcoreinfo vi;

	assert_int_equal(vmcoreinfo_parse(real, sizeof(real), &vi), 0);
	assert_string_equal(vi.osrelease, "6.1.0-57-arm64");
	assert_int_equal(vi.page_size, 4096);
	assert_true(vi.has_kaslr);
	assert_int_equal(vi.kaslr_offset, 0x32cf10200000ull);
	assert_true(vi.has_kimage_voffset);
	assert_int_equal(vi.kimage_voffset, 0xffffb2ced8200000ull);
	assert_true(vi.has_phys_offset);
	assert_int_equal(vi.phys_offset, 0x40000000ull);
	assert_int_equal(vi.va_bits, 48);
	assert_int_equal(vi.stext, 0xffffb2cf18210000ull);
	assert_int_equal(vi.len, sizeof(real) - 1);
}

static const struct {
	const char *name, *text;
	int ret;
} bad[] = {
	{ "empty", "", -EINVAL },
	{ "not first", "PAGESIZE=4096\nOSRELEASE=6.1\n", -EINVAL },
	{ "no page size", "OSRELEASE=6.1\nKERNELOFFSET=0\n", -EINVAL },
	{ "page size not a number", "OSRELEASE=6.1\nPAGESIZE=4k\n", -EINVAL },
	{ "lines without =", "OSRELEASE=6.1\nnonsense\n\n\nPAGESIZE=4096", 0 },
	{ "offset too long", "OSRELEASE=x\nPAGESIZE=4096\nKERNELOFFSET=11112222333344445\n", 0 },
	{ "offset overflows", "OSRELEASE=x\nPAGESIZE=4096\nKERNELOFFSET=fffffffffffffffff\n", 0 },
	{ "bare 0x", "OSRELEASE=x\nPAGESIZE=4096\nNUMBER(PHYS_OFFSET)=0x\n", 0 },
};

static void test_hostile_text(void **state)
{
	struct vmcoreinfo vi;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = vmcoreinfo_parse(bad[i].text, strlen(bad[i].text), &vi);

		if (ret != bad[i].ret)
			fail_msg("%s: %d, expected %d", bad[i].name, ret, bad[i].ret);
		if (!ret && (vi.has_kaslr || vi.has_phys_offset))
			fail_msg("%s: took a malformed number", bad[i].name);
	}
}

/* No NUL anywhere, a release longer than utsname's: bounded by len, truncated. */
static void test_unterminated_and_overlong(void **state)
{
	char buf[VMCOREINFO_MAX + 100];
	struct vmcoreinfo vi;

	memset(buf, 'a', sizeof(buf));
	memcpy(buf, "OSRELEASE=", 10);
	memcpy(buf + 200, "\nPAGESIZE=4096\n", 15);
	assert_int_equal(vmcoreinfo_parse(buf, sizeof(buf), &vi), 0);
	assert_int_equal(strlen(vi.osrelease), sizeof(vi.osrelease) - 1);
	assert_int_equal(vi.len, VMCOREINFO_MAX);
}

struct ram {
	uint8_t *buf;
	gpa_t base;
	uint64_t size;
	unsigned int calls;
};

static uint8_t *ram_mem(void *ctx, gpa_t pa, uint64_t len, uint64_t *avail)
{
	struct ram *r = ctx;

	r->calls++;
	if (pa < r->base || pa - r->base >= r->size)
		return NULL;
	*avail = r->size - (pa - r->base) < len ? r->size - (pa - r->base) : len;
	return r->buf + (pa - r->base);
}

static void test_found_at_a_page_start(void **state)
{
	struct ram r = { .base = 0x40000000, .size = 64 << 12 };
	struct vmcoreinfo vi;
	gpa_t pa = 0;

	r.buf = calloc(1, r.size);
	assert_non_null(r.buf);
	/* not at a page start, and a page that only begins like it: neither counts */
	memcpy(r.buf + 0x1010, real, sizeof(real));
	memcpy(r.buf + 0x3000, "OSRELEASE=fake\n", 15);
	assert_int_equal(vmcoreinfo_find(ram_mem, &r, r.base, r.size, &pa, &vi), -ENOENT);
	memcpy(r.buf + 0x2a000, real, sizeof(real));
	assert_int_equal(vmcoreinfo_find(ram_mem, &r, r.base, r.size, &pa, &vi), 0);
	assert_int_equal(pa, 0x4002a000);
	assert_int_equal(vi.kaslr_offset, 0x32cf10200000ull);
	free(r.buf);
}

/* The last page only partly RAM, a base not page-aligned, a size of less than a page. */
static void test_edges_of_ram(void **state)
{
	struct ram r = { .base = 0x40000800, .size = 0x2000 };
	struct vmcoreinfo vi;
	gpa_t pa;

	r.buf = calloc(1, r.size);
	assert_non_null(r.buf);
	memcpy(r.buf + 0x1800, real, sizeof(real) < 0x800 ? sizeof(real) : 0x800);
	assert_int_equal(vmcoreinfo_find(ram_mem, &r, r.base, r.size, &pa, &vi), -ENOENT);
	memcpy(r.buf + 0x800, real, sizeof(real));
	assert_int_equal(vmcoreinfo_find(ram_mem, &r, r.base, r.size, &pa, &vi), 0);
	assert_int_equal(pa, 0x40001000);
	assert_int_equal(vmcoreinfo_find(ram_mem, &r, r.base, 0x100, &pa, &vi), -ENOENT);
	free(r.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parses_the_kernels_lines),
		cmocka_unit_test(test_hostile_text),
		cmocka_unit_test(test_unterminated_and_overlong),
		cmocka_unit_test(test_found_at_a_page_start),
		cmocka_unit_test(test_edges_of_ram),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
