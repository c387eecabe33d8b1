// SPDX-License-Identifier: GPL-3.0-or-later
/* Memory safety of guest access (issue 8, item 3) for the pure code: guest_ram_ptr() at the
 * edges of RAM and with lengths that wrap around 2^64; page-table entries that point outside
 * RAM or at MMIO, and what arm64_ptw_for_range() hands out for huge or wrapping ranges; the
 * loaders with RAM at the top of the address space and sizes near 2^64. What loader_test.c and
 * ptw_test.c already cover (ELF segments that wrap, text_offset overflow, a table outside RAM,
 * a range that wraps) is not repeated. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "loader.h"
#include "src/arm64/ptw.h"

#define TOP (~0ull) /* the last byte of the address space */
#define RAM_BASE 0x40000000ull
#define RAM_SIZE 0x10000ull
#define NONE (~0ull) /* expected offset: guest_ram_ptr() returns NULL */

/* ---------------------------------------------------------------- guest_ram_ptr() */

static const struct ptr_case {
	const char *name;
	gpa_t base;
	uint64_t size;
	gpa_t gpa;
	uint64_t len;
	uint64_t off; /* into the host mapping, or NONE */
} ptr_cases[] = {
	{ "ptr: first byte", RAM_BASE, RAM_SIZE, RAM_BASE, 1, 0 },
	{ "ptr: whole RAM", RAM_BASE, RAM_SIZE, RAM_BASE, RAM_SIZE, 0 },
	{ "ptr: last byte", RAM_BASE, RAM_SIZE, RAM_BASE + RAM_SIZE - 1, 1, RAM_SIZE - 1 },
	{ "ptr: last 8 bytes", RAM_BASE, RAM_SIZE, RAM_BASE + RAM_SIZE - 8, 8, RAM_SIZE - 8 },
	{ "ptr: one byte past the end", RAM_BASE, RAM_SIZE, RAM_BASE + RAM_SIZE - 1, 2, NONE },
	{ "ptr: starts at the end", RAM_BASE, RAM_SIZE, RAM_BASE + RAM_SIZE, 1, NONE },
	/* Nothing can be reached through it, so the one-past pointer is harmless. */
	{ "ptr: empty range at the end", RAM_BASE, RAM_SIZE, RAM_BASE + RAM_SIZE, 0, RAM_SIZE },
	{ "ptr: one below the base", RAM_BASE, RAM_SIZE, RAM_BASE - 1, 1, NONE },
	{ "ptr: straddles the base", RAM_BASE, RAM_SIZE, RAM_BASE - 1, 2, NONE },
	{ "ptr: RAM size + 1", RAM_BASE, RAM_SIZE, RAM_BASE, RAM_SIZE + 1, NONE },
	{ "ptr: len 2^63", RAM_BASE, RAM_SIZE, RAM_BASE, 1ull << 63, NONE },
	{ "ptr: len 2^64 - 1", RAM_BASE, RAM_SIZE, RAM_BASE, TOP, NONE },
	/* gpa + len wraps around 2^64 and lands back inside RAM, below gpa. */
	{ "ptr: gpa + len wraps into RAM", RAM_BASE, RAM_SIZE, RAM_BASE + 0x20, TOP - 0xf, NONE },
	{ "ptr: gpa + len wraps to 0", RAM_BASE, RAM_SIZE, TOP - 0xfff, 0x1000, NONE },
	{ "ptr: last address of the space", RAM_BASE, RAM_SIZE, TOP, 1, NONE },
	{ "ptr: last address, len 0", RAM_BASE, RAM_SIZE, TOP, 0, NONE },
	/* RAM just below the top of the address space. */
	{ "ptr: top RAM: last byte", TOP - 0x1ffff, RAM_SIZE, TOP - 0x10000, 1, RAM_SIZE - 1 },
	{ "ptr: top RAM: past its end", TOP - 0x1ffff, RAM_SIZE, TOP - 0x10000, 2, NONE },
	{ "ptr: top RAM: to 2^64", TOP - 0x1ffff, RAM_SIZE, TOP - 0x1ffff, 0x20000, NONE },
	{ "ptr: top RAM: len wraps", TOP - 0x1ffff, RAM_SIZE, TOP - 0x1ffff, TOP, NONE },
	/* base + size == 2^64 wraps to 0: every range is refused (fails closed); vm.c never
	 * makes such a RAM. */
	{ "ptr: RAM ending at 2^64 is refused", TOP - 0xffff, RAM_SIZE, TOP - 0xffff, 1, NONE },
};

static void test_ptr(void **state)
{
	const struct ptr_case *c = *state;
	static uint8_t mem[RAM_SIZE];
	struct guest_ram r = { c->base, c->size, mem };
	uint8_t *p = guest_ram_ptr(&r, c->gpa, c->len);

	if (c->off == NONE) {
		assert_null(p);
		assert_false(guest_ram_contains(&r, c->gpa, c->len));
		return;
	}
	assert_ptr_equal(p, mem + c->off);
	assert_true(guest_ram_contains(&r, c->gpa, c->len));
}

/* ---------------------------------------------------------------- page tables */

/* 4K granule, 39-bit VA (T0SZ 25): L1 at RAM_BASE, L2 at +0x1000, L3 at +0x2000. PT_RAM_SIZE
 * is not a whole number of pages, so the table at +0x3000 runs past the end of RAM. */
#define PT_RAM_SIZE 0x3800ull
#define L1 RAM_BASE
#define L2 (RAM_BASE + 0x1000)
#define L3 (RAM_BASE + 0x2000)
#define L3_CUT (RAM_BASE + 0x3000)
#define MMIO 0x09000000ull /* the PL011 */
#define OUTSIDE 0x50000000ull
#define TABLE(pa) ((pa) | 3ull)
#define PAGE(pa) ((pa) | 3ull | (1ull << 10))

static uint8_t pt_mem[PT_RAM_SIZE];
static struct guest_ram pt_ram = { RAM_BASE, PT_RAM_SIZE, pt_mem };

static int read_phys(void *opaque, gpa_t pa, uint64_t *val)
{
	const void *p = guest_ram_ptr(opaque, pa, 8);

	if (!p)
		return -EFAULT;
	memcpy(val, p, 8);
	return 0;
}

static void put_desc(gpa_t table, unsigned int index, uint64_t desc)
{
	memcpy(guest_ram_ptr(&pt_ram, table + 8ull * index, 8), &desc, 8);
}

static void walker(struct arm64_ptw *w, bool mmu_on)
{
	const struct arm64_ptw_regs regs = {
		.sctlr_el1 = mmu_on, /* SCTLR_EL1.M */
		/* T0SZ 25, TG0 4K, EPD1 (no TTBR1 walks), IPS 48 bits */
		.tcr_el1 = 25 | (1ull << 23) | (5ull << 32),
		.ttbr0_el1 = L1,
		.pa_bits = 40,
	};

	memset(pt_mem, 0, sizeof(pt_mem));
	put_desc(L1, 1, TABLE(L2));               /* VA 0x40000000.. */
	put_desc(L2, 0, TABLE(L3));               /* VA 0x40000000: L3 */
	put_desc(L2, 1, TABLE(MMIO));             /* VA 0x40200000: an L3 table in MMIO */
	put_desc(L2, 2, TABLE(L3_CUT));           /* VA 0x40400000: an L3 table cut by RAM's end */
	put_desc(L3, 0, PAGE(RAM_BASE));          /* VA 0x40000000: RAM */
	put_desc(L3, 1, PAGE(OUTSIDE));           /* VA 0x40001000: beyond RAM */
	put_desc(L3, 2, PAGE(MMIO));              /* VA 0x40002000: the UART */
	put_desc(L3, 3, PAGE(RAM_BASE + 0x3000)); /* VA 0x40003000: RAM's last, partial page */
	put_desc(L3, 4, PAGE(RAM_BASE + 0x4000)); /* VA 0x40004000: just past RAM */
	arm64_ptw_init(w, &regs, read_phys, &pt_ram);
}

static const struct pte_case {
	const char *name;
	gva_t va;
	enum arm64_ptw_fault fault;
	enum arm64_ptw_reason reason;
	gpa_t pa;
	bool pa_in_ram; /* guest_ram_ptr(pa, 1) succeeds */
} pte_cases[] = {
	{ "pte: page in RAM", 0x40000010, ARM64_PTW_OK, 0, RAM_BASE + 0x10, true },
	/* The walker translates; the access layer (guest_ram_ptr) is what refuses. */
	{ "pte: page outside RAM", 0x40001008, ARM64_PTW_OK, 0, OUTSIDE + 8, false },
	{ "pte: page in MMIO", 0x40002000, ARM64_PTW_OK, 0, MMIO, false },
	{ "pte: partial last page", 0x400037ff, ARM64_PTW_OK, 0, RAM_BASE + 0x37ff, true },
	{ "pte: partial last page, past RAM", 0x40003800, ARM64_PTW_OK, 0, RAM_BASE + 0x3800,
	  false },
	{ "pte: page just past RAM", 0x40004000, ARM64_PTW_OK, 0, RAM_BASE + 0x4000, false },
	{ "pte: table in MMIO", 0x40200000, ARM64_PTW_EXTERNAL, ARM64_PTW_R_DESC_NOT_RAM, 0, 0 },
	/* Entry 255 is the last 8 bytes of RAM (zero: invalid); entry 256 lies past the end. */
	{ "pte: last entry inside RAM", 0x404ff000, ARM64_PTW_TRANSLATION, ARM64_PTW_R_INVALID, 0,
	  0 },
	{ "pte: entry past the end of RAM", 0x40500000, ARM64_PTW_EXTERNAL,
	  ARM64_PTW_R_DESC_NOT_RAM, 0, 0 },
};

static void test_pte(void **state)
{
	const struct pte_case *c = *state;
	struct arm64_ptw_result res;
	struct arm64_ptw w;

	walker(&w, true);
	assert_int_equal(arm64_ptw_translate(&w, c->va, &res), c->fault ? -EFAULT : 0);
	assert_int_equal(res.fault, c->fault);
	assert_int_equal(res.reason, c->reason);
	if (c->fault)
		return;
	assert_int_equal(res.pa, c->pa);
	assert_int_equal(guest_ram_ptr(&pt_ram, res.pa, 1) != NULL, c->pa_in_ram);
}

/* for_range chunks, each checked the way debug.c reaches guest memory. */
struct chunks {
	unsigned int n;
	gva_t va[4];
	gpa_t pa[4];
	uint64_t len[4];
	bool in_ram[4];
};

static int collect(void *opaque, gva_t va, gpa_t pa, uint64_t len)
{
	struct chunks *c = opaque;

	assert_true(c->n < 4);
	c->va[c->n] = va;
	c->pa[c->n] = pa;
	c->len[c->n] = len;
	c->in_ram[c->n++] = guest_ram_ptr(&pt_ram, pa, len) != NULL;
	return 0;
}

/* A range across the end of RAM: the chunk that runs past it is refused whole. */
static void test_range_across_ram_end(void **state)
{
	struct chunks c = { 0 };
	struct arm64_ptw_result fail;
	struct arm64_ptw w;

	walker(&w, true);
	assert_int_equal(arm64_ptw_for_range(&w, 0x40003000, 0x2000, collect, &c, &fail), 0);
	assert_int_equal(c.n, 1); /* the two pages are physically contiguous: one chunk */
	assert_int_equal(c.len[0], 0x2000);
	assert_false(c.in_ram[0]);
	c.n = 0;
	assert_int_equal(arm64_ptw_for_range(&w, 0x40000ff0, 0x20, collect, &c, &fail), 0);
	assert_int_equal(c.n, 2);
	assert_true(c.in_ram[0]);
	assert_int_equal(c.pa[1], OUTSIDE);
	assert_false(c.in_ram[1]);
}

/* Lengths near 2^64: a range may end at the last byte of the address space, not wrap. */
static void test_range_huge(void **state)
{
	struct chunks c = { 0 };
	struct arm64_ptw_result fail;
	struct arm64_ptw w;

	walker(&w, true);
	assert_int_equal(arm64_ptw_for_range(&w, TOP - 0xfff, 0x1001, collect, &c, NULL), -EINVAL);
	assert_int_equal(arm64_ptw_for_range(&w, 2, TOP, collect, &c, NULL), -EINVAL);
	assert_int_equal(c.n, 0);
	/* Ends at 2^64 - 1: valid, but the top VA is TTBR1's, whose walks are off (EPD1). */
	assert_int_equal(arm64_ptw_for_range(&w, TOP - 0xfff, 0x1000, collect, &c, &fail), -EFAULT);
	assert_int_equal(fail.reason, ARM64_PTW_R_EPD);
	assert_int_equal(c.n, 0);
	/* MMU off, 2^64 - 1 bytes from 0: one identity chunk of the 40-bit PA space, which
	 * guest_ram_ptr() refuses, then an address size fault at 2^40. */
	walker(&w, false);
	assert_int_equal(arm64_ptw_for_range(&w, 0, TOP, collect, &c, &fail), -EFAULT);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.pa[0], 0);
	assert_int_equal(c.len[0], 1ull << 40);
	assert_false(c.in_ram[0]);
	assert_int_equal(fail.fault, ARM64_PTW_ADDR_SIZE);
	assert_int_equal(fail.va, 1ull << 40);
}

/* ---------------------------------------------------------------- loaders */

static uint8_t top_mem[0x100000];

/* RAM in the top 2 MiB of the address space: rounding its base up to 2 MiB wraps to 0. */
static void test_image_in_top_ram(void **state)
{
	struct guest_ram r = { TOP - 0x17ffff, sizeof(top_mem), top_mem };
	uint8_t img[0x80] = { 0 };
	struct image_info info;
	char err[256];

	memcpy(img + 0x10, &(uint64_t){ 0x1000 }, 8); /* image_size */
	memcpy(img + 0x38, "ARM\x64", 4);
	memset(top_mem, 0xaa, sizeof(top_mem));
	assert_int_equal(loader_load(img, sizeof(img), &r, NULL, &info, err, sizeof(err)), -ERANGE);
	assert_int_equal(top_mem[0], 0xaa);
}

/* A raw image may fill the top RAM to its last byte, and not one byte more. */
static void test_raw_in_top_ram(void **state)
{
	struct guest_ram r = { TOP - 0x1fffff, sizeof(top_mem), top_mem };
	struct load_opts at_end = { .load_addr = r.base + r.size - 0x10 };
	uint8_t img[0x11];
	struct image_info info;
	char err[256];

	memset(img, 0x5a, sizeof(img));
	assert_int_equal(loader_load(img, 0x10, &r, &at_end, &info, err, sizeof(err)), 0);
	assert_int_equal(info.end, r.base + r.size);
	assert_int_equal(top_mem[sizeof(top_mem) - 1], 0x5a);
	assert_int_equal(loader_load(img, 0x11, &r, &at_end, &info, err, sizeof(err)), -ERANGE);
	at_end.load_addr = TOP - 8; /* outside RAM, and + len would wrap */
	assert_int_equal(loader_load(img, 0x10, &r, &at_end, &info, err, sizeof(err)), -ERANGE);
}

/* Sizes and alignments near 2^64 are refused, never wrapped into a small placement. */
static void test_place_huge(void **state)
{
	struct guest_ram r = { RAM_BASE, 64ull << 20, NULL };
	struct image_info img = { .kind = IMAGE_LINUX,
				  .entry = RAM_BASE,
				  .start = RAM_BASE,
				  .end = RAM_BASE + 0x200000,
				  .is_linux = true };
	char err[256];
	gpa_t out;

	assert_int_equal(loader_place(&r, &img, 0, TOP, 8, &out, err, sizeof(err)), -ENOSPC);
	assert_int_equal(loader_place(&r, &img, 0, 1ull << 63, 8, &out, err, sizeof(err)), -ENOSPC);
	assert_int_equal(loader_place(&r, &img, 0, 0x1000, 1ull << 63, &out, err, sizeof(err)),
			 -ENOSPC);
	assert_int_equal(loader_place(&r, &img, TOP, 0x1000, 0x1000, &out, err, sizeof(err)), 0);
	assert_int_equal(out, RAM_BASE + (64ull << 20) - 0x1000); /* limit clipped to RAM */
	assert_int_equal(loader_place_dtb(&r, &img, TOP, &out, err, sizeof(err)), -E2BIG);
	assert_int_equal(loader_place_initrd(&r, &img, TOP, &out, err, sizeof(err)), -E2BIG);
	assert_int_equal(
		loader_place_initrd(&r, &img, (64ull << 20) - 0x1000, &out, err, sizeof(err)),
		-ENOSPC);
}

int main(void)
{
	struct CMUnitTest t[ARRAY_SIZE(ptr_cases) + ARRAY_SIZE(pte_cases) + 5];
	size_t n = 0, i;

	for (i = 0; i < ARRAY_SIZE(ptr_cases); i++)
		t[n++] = (struct CMUnitTest){ ptr_cases[i].name, test_ptr, NULL, NULL,
					      (void *)&ptr_cases[i] };
	for (i = 0; i < ARRAY_SIZE(pte_cases); i++)
		t[n++] = (struct CMUnitTest){ pte_cases[i].name, test_pte, NULL, NULL,
					      (void *)&pte_cases[i] };
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_range_across_ram_end);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_range_huge);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_image_in_top_ram);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_raw_in_top_ram);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_place_huge);
	return _cmocka_run_group_tests("guest_ram", t, n, NULL, NULL);
}
