// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for the stage-1 walker: page tables built in a fake guest RAM for each granule,
 * both TTBRs, blocks and pages, and each kind of fault. Table-driven: one named case a row. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "guest_ram.h"
#include "src/arm64/ptw.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (8ull << 20)
#define NOT_RAM 0x10000000ull

#define TCR_TG0_4K (0ull << 14)
#define TCR_TG0_64K (1ull << 14)
#define TCR_TG0_16K (2ull << 14)
#define TCR_TG1_4K (2ull << 30)
#define TCR_EPD1 (1ull << 23)
#define TCR_IPS(v) ((uint64_t)(v) << 32)
#define TCR_TBI0 (1ull << 37)
#define T0SZ(n) ((uint64_t)(n))
#define T1SZ(n) ((uint64_t)(n) << 16)

#define TABLE(pa) ((pa) | 3ull)
#define PAGE(pa) ((pa) | 3ull | (1ull << 10)) /* AF set */
#define BLOCK(pa) ((pa) | 1ull | (1ull << 10))

static uint8_t ram_mem[RAM_SIZE];
static struct guest_ram ram = { RAM_BASE, RAM_SIZE, ram_mem };
static unsigned int nreads;

static int read_phys(void *opaque, gpa_t pa, uint64_t *val)
{
	const uint8_t *p = guest_ram_ptr(opaque, pa, 8);

	nreads++;
	if (!p)
		return -EFAULT;
	memcpy(val, p, 8); /* host and guest are both little-endian here */
	return 0;
}

static void put_desc(gpa_t table, unsigned int index, uint64_t desc)
{
	memcpy(guest_ram_ptr(&ram, table + 8ull * index, 8), &desc, 8);
}

/* Tables, by offset in RAM. 4K, 48-bit, TTBR0: L0..L3. */
#define T4_L0 (RAM_BASE + 0x0000)
#define T4_L1 (RAM_BASE + 0x1000)
#define T4_L2 (RAM_BASE + 0x2000)
#define T4_L3 (RAM_BASE + 0x3000)
/* 4K, 39-bit, TTBR1: L1..L3. */
#define T1_L1 (RAM_BASE + 0x10000)
#define T1_L2 (RAM_BASE + 0x11000)
#define T1_L3 (RAM_BASE + 0x12000)
/* 16K, 47-bit (L1 start) and 48-bit (L0 start). */
#define T16_L1 (RAM_BASE + 0x20000)
#define T16_L2 (RAM_BASE + 0x24000)
#define T16_L3 (RAM_BASE + 0x28000)
#define T16_L0 (RAM_BASE + 0x2c000)
/* 64K, 48-bit (L1 start) and 42-bit (L2 start). */
#define T64_L1 (RAM_BASE + 0x100000)
#define T64_L2 (RAM_BASE + 0x110000)
#define T64_L3 (RAM_BASE + 0x120000)

static void build_tables(void)
{
	memset(ram_mem, 0, sizeof(ram_mem));
	/* 4K 4-level */
	put_desc(T4_L0, 0, TABLE(T4_L1));
	put_desc(T4_L1, 0, TABLE(T4_L2));
	put_desc(T4_L1, 1, BLOCK(0x40000000ull) | (1ull << 54)); /* 1G, UXN */
	put_desc(T4_L1, 2, TABLE(NOT_RAM));
	put_desc(T4_L1, 4, TABLE(0x100000000ull)); /* above a 32-bit IPS */
	put_desc(T4_L2, 0, TABLE(T4_L3));
	put_desc(T4_L2, 1, BLOCK(0x80000000ull) | (4ull << 2) | (3ull << 8)); /* 2M */
	put_desc(T4_L3, 1, PAGE(0x40100000ull));
	put_desc(T4_L3, 2, 0x40101000ull | 1ull); /* 0b01 at L3: reserved */
	put_desc(T4_L3, 3, PAGE(0x100000000ull)); /* above a 32-bit IPS */
	put_desc(T4_L3, 4, PAGE(0x40110000ull));
	put_desc(T4_L3, 5, PAGE(0x40111000ull));
	put_desc(T4_L3, 6, PAGE(0x40200000ull));
	/* 4K 3-level on TTBR1; L1[0] is read-only and PXN for everything below it */
	put_desc(T1_L1, 0, TABLE(T1_L2) | (2ull << 61) | (1ull << 59));
	put_desc(T1_L1, 511, BLOCK(0x80000000ull));
	put_desc(T1_L2, 0, TABLE(T1_L3));
	put_desc(T1_L3, 0, PAGE(0x40200000ull));
	/* 16K */
	put_desc(T16_L0, 1, TABLE(T16_L1));
	put_desc(T16_L1, 0, TABLE(T16_L2));
	put_desc(T16_L1, 1, BLOCK(0x1000000000ull)); /* 16K L1 block needs 52-bit */
	put_desc(T16_L2, 0, TABLE(T16_L3));
	put_desc(T16_L2, 1, BLOCK(0x42000000ull)); /* 32M */
	put_desc(T16_L3, 1, PAGE(0x40400000ull));
	/* 64K */
	put_desc(T64_L1, 0, TABLE(T64_L2));
	put_desc(T64_L1, 1, BLOCK(0x40000000000ull)); /* 64K L1 block needs 52-bit */
	put_desc(T64_L2, 0, TABLE(T64_L3));
	put_desc(T64_L2, 1, BLOCK(0x60000000ull)); /* 512M */
	put_desc(T64_L3, 1, PAGE(0x40500000ull));
}

#define SCTLR_M 1ull
#define TTBR_JUNK ((0x55ull << 48) | 1ull) /* ASID and CnP: must be ignored */

static const struct arm64_ptw_regs regs_4k = {
	SCTLR_M,
	T0SZ(16) | TCR_TG0_4K | T1SZ(25) | TCR_TG1_4K | TCR_IPS(5),
	T4_L0 | TTBR_JUNK,
	T1_L1 | TTBR_JUNK,
	0,
};
static const struct arm64_ptw_regs regs_4k_ips32 = {
	SCTLR_M, T0SZ(16) | TCR_TG0_4K | T1SZ(25) | TCR_TG1_4K | TCR_IPS(0), T4_L0, T1_L1, 0,
};
static const struct arm64_ptw_regs regs_epd1 = {
	SCTLR_M, T0SZ(16) | T1SZ(25) | TCR_TG1_4K | TCR_EPD1 | TCR_IPS(5), T4_L0, T1_L1, 0,
};
static const struct arm64_ptw_regs regs_tbi = {
	SCTLR_M, T0SZ(16) | TCR_TBI0 | T1SZ(25) | TCR_TG1_4K | TCR_IPS(5), T4_L0, T1_L1, 0,
};
static const struct arm64_ptw_regs regs_ttbr_big = {
	SCTLR_M, T0SZ(16) | T1SZ(25) | TCR_TG1_4K | TCR_IPS(0), 0x100000000ull, T1_L1, 0,
};
static const struct arm64_ptw_regs regs_ttbr_not_ram = {
	SCTLR_M, T0SZ(16) | T1SZ(25) | TCR_TG1_4K | TCR_IPS(5), NOT_RAM, T1_L1, 0,
};
static const struct arm64_ptw_regs regs_16k_47 = {
	SCTLR_M, T0SZ(17) | TCR_TG0_16K | TCR_IPS(5), T16_L1, 0, 0,
};
static const struct arm64_ptw_regs regs_16k_48 = {
	SCTLR_M, T0SZ(16) | TCR_TG0_16K | TCR_IPS(5), T16_L0, 0, 0,
};
static const struct arm64_ptw_regs regs_64k_48 = {
	SCTLR_M, T0SZ(16) | TCR_TG0_64K | TCR_IPS(5), T64_L1, 0, 0,
};
static const struct arm64_ptw_regs regs_64k_42 = {
	SCTLR_M, T0SZ(22) | TCR_TG0_64K | TCR_IPS(5), T64_L2, 0, 0,
};
static const struct arm64_ptw_regs regs_mmu_off = { 0, 0, 0, 0, 0 };

struct ptw_case {
	const char *name;
	const struct arm64_ptw_regs *regs;
	gva_t va;
	enum arm64_ptw_fault fault;
	enum arm64_ptw_reason reason;
	int level;     /* of the fault or of the final descriptor */
	gpa_t pa;      /* when fault == OK */
	uint64_t size; /* when fault == OK */
	unsigned int nsteps;
};

#define OK ARM64_PTW_OK, ARM64_PTW_R_NONE
#define TF ARM64_PTW_TRANSLATION
#define AS ARM64_PTW_ADDR_SIZE
#define EX ARM64_PTW_EXTERNAL
#define K4 0x1000ull
#define M2 0x200000ull

static const struct ptw_case cases[] = {
	{ "4K 4-level: L3 page", &regs_4k, 0x1abc, OK, 3, 0x40100abc, K4, 4 },
	{ "4K 4-level: L2 2M block", &regs_4k, 0x212345, OK, 2, 0x80012345, M2, 3 },
	{ "4K 4-level: L1 1G block", &regs_4k, 0x40000010, OK, 1, 0x40000010, 1ull << 30, 2 },
	{ "4K: invalid L3 entry", &regs_4k, 0x0, TF, ARM64_PTW_R_INVALID, 3, 0, 0, 4 },
	{ "4K: invalid L2 entry", &regs_4k, 0x600000, TF, ARM64_PTW_R_INVALID, 2, 0, 0, 3 },
	{ "4K: invalid L1 entry", &regs_4k, 0xc0000000, TF, ARM64_PTW_R_INVALID, 1, 0, 0, 2 },
	{ "4K: invalid L0 entry", &regs_4k, 0x8000000000, TF, ARM64_PTW_R_INVALID, 0, 0, 0, 1 },
	{ "4K: 0b01 at L3 is reserved", &regs_4k, 0x2000, TF, ARM64_PTW_R_BAD_BLOCK, 3, 0, 0, 4 },
	{ "4K: next table outside RAM", &regs_4k, 0x80000000, EX, ARM64_PTW_R_DESC_NOT_RAM, 2, 0, 0,
	  3 },
	{ "4K: TTBR0 base outside RAM", &regs_ttbr_not_ram, 0x1000, EX, ARM64_PTW_R_DESC_NOT_RAM, 0,
	  0, 0, 1 },
	{ "4K: page above IPS 32", &regs_4k_ips32, 0x3000, AS, ARM64_PTW_R_OUT_OA, 3, 0, 0, 4 },
	{ "4K: table above IPS 32", &regs_4k_ips32, 0x100000000, AS, ARM64_PTW_R_TABLE_OA, 1, 0, 0,
	  2 },
	{ "4K: TTBR above IPS 32", &regs_ttbr_big, 0x1000, AS, ARM64_PTW_R_TTBR_OA, 0, 0, 0, 0 },
	{ "4K: same page with IPS 32", &regs_4k_ips32, 0x1004, OK, 3, 0x40100004, K4, 4 },
	{ "TTBR1 39-bit: L3 page", &regs_4k, 0xffffff8000000008, OK, 3, 0x40200008, K4, 3 },
	{ "TTBR1 39-bit: L1 block", &regs_4k, 0xffffffffc0000123, OK, 1, 0x80000123, 1ull << 30,
	  1 },
	{ "between ranges: above TTBR0", &regs_4k, 0x0001000000000000, TF, ARM64_PTW_R_VA_RANGE, 0,
	  0, 0, 0 },
	{ "between ranges: below TTBR1", &regs_4k, 0xffffff7ffffff000, TF, ARM64_PTW_R_VA_RANGE, 0,
	  0, 0, 0 },
	{ "tagged VA without TBI0", &regs_4k, 0x5a00000000001000, TF, ARM64_PTW_R_VA_RANGE, 0, 0, 0,
	  0 },
	{ "tagged VA with TBI0", &regs_tbi, 0x5a00000000001000, OK, 3, 0x40100000, K4, 4 },
	{ "EPD1 disables TTBR1", &regs_epd1, 0xffffff8000000000, TF, ARM64_PTW_R_EPD, 0, 0, 0, 0 },
	{ "EPD1 leaves TTBR0", &regs_epd1, 0x1000, OK, 3, 0x40100000, K4, 4 },
	{ "16K 47-bit: L3 page", &regs_16k_47, 0x4010, OK, 3, 0x40400010, 0x4000, 3 },
	{ "16K 47-bit: L2 32M block", &regs_16k_47, 0x2000004, OK, 2, 0x42000004, 32ull << 20, 2 },
	{ "16K: L1 block is reserved", &regs_16k_47, 0x1000000000, TF, ARM64_PTW_R_BAD_BLOCK, 1, 0,
	  0, 1 },
	{ "16K 48-bit: L0 start", &regs_16k_48, 0x800000004020, OK, 3, 0x40400020, 0x4000, 4 },
	{ "16K: invalid L3 entry", &regs_16k_47, 0x8000, TF, ARM64_PTW_R_INVALID, 3, 0, 0, 3 },
	{ "64K 48-bit: L3 page", &regs_64k_48, 0x10008, OK, 3, 0x40500008, 0x10000, 3 },
	{ "64K 48-bit: L2 512M block", &regs_64k_48, 0x20000100, OK, 2, 0x60000100, 512ull << 20,
	  2 },
	{ "64K: L1 block is reserved", &regs_64k_48, 0x40000000000, TF, ARM64_PTW_R_BAD_BLOCK, 1, 0,
	  0, 1 },
	{ "64K 42-bit: L2 start", &regs_64k_42, 0x1fff0, OK, 3, 0x4050fff0, 0x10000, 2 },
	{ "64K 42-bit: out of range", &regs_64k_42, 0x40000000000, TF, ARM64_PTW_R_VA_RANGE, 0, 0,
	  0, 0 },
	{ "MMU off: identity", &regs_mmu_off, 0x40001234, OK, 0, 0x40001234, 1ull << 48, 0 },
	{ "MMU off: above PA size", &regs_mmu_off, 0xffff000000000000, AS, ARM64_PTW_R_OUT_OA, 0, 0,
	  0, 0 },
};

static void test_case(void **state)
{
	const struct ptw_case *c = *state;
	struct arm64_ptw w;
	struct arm64_ptw_result r;
	int ret;

	build_tables();
	arm64_ptw_init(&w, c->regs, read_phys, &ram);
	ret = arm64_ptw_translate(&w, c->va, &r);
	assert_int_equal(r.fault, c->fault);
	assert_int_equal(ret, c->fault == ARM64_PTW_OK ? 0 : -EFAULT);
	assert_int_equal(r.reason, c->reason);
	assert_int_equal(r.level, c->level);
	assert_int_equal(r.nsteps, c->nsteps);
	if (c->fault == ARM64_PTW_OK) {
		assert_int_equal(r.pa, c->pa);
		assert_int_equal(r.size, c->size);
	}
}

static void test_attrs(void **state)
{
	struct arm64_ptw w;
	struct arm64_ptw_result r;

	build_tables();
	arm64_ptw_init(&w, &regs_4k, read_phys, &ram);
	assert_int_equal(arm64_ptw_translate(&w, 0x200000, &r), 0);
	assert_int_equal(r.attrs.attr_index, 4);
	assert_int_equal(r.attrs.sh, 3);
	assert_true(r.attrs.af);
	assert_false(r.attrs.uxn);
	assert_int_equal(arm64_ptw_translate(&w, 0x40000000, &r), 0);
	assert_true(r.attrs.uxn);
	assert_false(r.attrs.pxn);
	/* TTBR1 L1[0] has APTable=0b10 and PXNTable: the page inherits read-only and PXN */
	assert_int_equal(arm64_ptw_translate(&w, 0xffffff8000000000, &r), 0);
	assert_int_equal(r.attrs.ap, 2);
	assert_true(r.attrs.pxn);
	assert_int_equal(r.steps[0].kind, ARM64_DESC_TABLE);
	assert_int_equal(r.steps[2].kind, ARM64_DESC_PAGE);
	assert_int_equal(r.steps[0].table, T1_L1);
	assert_int_equal(r.steps[2].desc_addr, T1_L3);
}

static void test_trace(void **state)
{
	struct arm64_ptw w;
	struct arm64_ptw_result r;

	build_tables();
	arm64_ptw_init(&w, &regs_4k, read_phys, &ram);
	arm64_ptw_translate(&w, 0xffffffffc0000123, &r);
	assert_int_equal(r.ttbr, 1);
	assert_int_equal(r.start_level, 1);
	assert_int_equal(r.steps[0].index, 511);
	assert_int_equal(r.steps[0].desc_addr, T1_L1 + 511 * 8);
	assert_int_equal(r.steps[0].kind, ARM64_DESC_BLOCK);
	arm64_ptw_translate(&w, 0x80000000, &r);
	assert_int_equal(r.steps[2].kind, ARM64_DESC_UNREAD);
	assert_int_equal(r.steps[2].table, NOT_RAM);
}

static void test_format(void **state)
{
	struct arm64_ptw w;
	struct arm64_ptw_result r;
	char buf[1024], small[8];
	size_t n;

	build_tables();
	arm64_ptw_init(&w, &regs_4k, read_phys, &ram);
	arm64_ptw_translate(&w, 0x212345, &r);
	n = arm64_ptw_format(&r, buf, sizeof(buf));
	assert_int_equal(n, strlen(buf));
	assert_non_null(strstr(buf, "TTBR0_EL1, 4K granule, 48-bit VA, start level 0"));
	assert_non_null(strstr(buf, "L2 table 0x40002000 index 1"));
	assert_non_null(strstr(buf, "=> PA 0x80012345 (2M block) AttrIndx=4"));
	assert_int_equal(arm64_ptw_format(&r, small, sizeof(small)), n);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	arm64_ptw_translate(&w, 0x0, &r);
	arm64_ptw_format(&r, buf, sizeof(buf));
	assert_non_null(strstr(buf, "translation fault at level 3: invalid descriptor"));
}

struct chunk {
	gva_t va;
	gpa_t pa;
	uint64_t len;
};

struct chunks {
	unsigned int n;
	struct chunk c[8];
};

static int collect(void *opaque, gva_t va, gpa_t pa, uint64_t len)
{
	struct chunks *cs = opaque;

	assert_true(cs->n < 8);
	cs->c[cs->n++] = (struct chunk){ va, pa, len };
	return 0;
}

static void test_range(void **state)
{
	struct arm64_ptw w;
	struct arm64_ptw_result fail;
	struct chunks cs = { 0 };

	build_tables();
	arm64_ptw_init(&w, &regs_4k, read_phys, &ram);
	/* L3[4] and L3[5] are physically contiguous, L3[6] is not */
	assert_int_equal(arm64_ptw_for_range(&w, 0x4800, 0x2100, collect, &cs, &fail), 0);
	assert_int_equal(cs.n, 2);
	assert_int_equal(cs.c[0].va, 0x4800);
	assert_int_equal(cs.c[0].pa, 0x40110800);
	assert_int_equal(cs.c[0].len, 0x1800);
	assert_int_equal(cs.c[1].pa, 0x40200000);
	assert_int_equal(cs.c[1].len, 0x900);
	/* the translated head is handed over before the fault is reported */
	cs.n = 0;
	assert_int_equal(arm64_ptw_for_range(&w, 0x1800, 0x1000, collect, &cs, &fail), -EFAULT);
	assert_int_equal(cs.n, 1);
	assert_int_equal(cs.c[0].len, 0x800);
	assert_int_equal(fail.va, 0x2000);
	assert_int_equal(fail.reason, ARM64_PTW_R_BAD_BLOCK);
	/* one walk for a whole 2M block */
	cs.n = 0;
	nreads = 0;
	assert_int_equal(arm64_ptw_for_range(&w, 0x200000, 0x200000, collect, &cs, NULL), 0);
	assert_int_equal(nreads, 3);
	assert_int_equal(cs.n, 1);
	assert_int_equal(arm64_ptw_for_range(&w, ~0ull - 4, 16, collect, &cs, NULL), -EINVAL);
}

static void test_cache(void **state)
{
	struct arm64_ptw w;
	gpa_t pa;

	build_tables();
	arm64_ptw_init(&w, &regs_4k, read_phys, &ram);
	nreads = 0;
	assert_int_equal(arm64_ptw_va_to_pa(&w, 0x200010, &pa), 0);
	assert_int_equal(pa, 0x80000010);
	assert_int_equal(nreads, 3);
	assert_int_equal(arm64_ptw_va_to_pa(&w, 0x3ffff8, &pa), 0);
	assert_int_equal(pa, 0x801ffff8);
	assert_int_equal(nreads, 3);
	assert_int_equal(arm64_ptw_va_to_pa(&w, 0x0, &pa), -EFAULT);
}

static void test_big_endian(void **state)
{
	const struct arm64_ptw_regs regs = {
		SCTLR_M | (1ull << 25), T0SZ(25) | TCR_IPS(5), T1_L1, 0, 0,
	};
	struct arm64_ptw w;
	struct arm64_ptw_result r;

	build_tables();
	put_desc(T1_L1, 0, __builtin_bswap64(BLOCK(0x40000000ull)));
	arm64_ptw_init(&w, &regs, read_phys, &ram);
	assert_int_equal(arm64_ptw_translate(&w, 0x1234, &r), 0);
	assert_int_equal(r.pa, 0x40001234);
	assert_int_equal(r.steps[0].desc, BLOCK(0x40000000ull));
}

int main(void)
{
	struct CMUnitTest tests[ARRAY_SIZE(cases) + 6];
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		tests[n++] = (struct CMUnitTest){ cases[i].name, test_case, NULL, NULL,
						  (void *)&cases[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_attrs);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_trace);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_format);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_range);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_cache);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_big_endian);
	return _cmocka_run_group_tests("arm64_ptw", tests, n, NULL, NULL);
}
