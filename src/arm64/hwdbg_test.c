// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for breakpoint/watchpoint register values, the watch-range plan (BAS, two slots
 * across a word, MASK regions, exact multi-slot covers, refusals) and FAR matching. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "src/arm64/hwdbg.h"

#define W(kind, bas, mask)                                                       \
	(1ull | (3ull << 1) | ((uint64_t)(kind) << 3) | ((uint64_t)(bas) << 5) | \
	 ((uint64_t)(mask) << 24))
#define RD ARM64_WP_READ
#define WR ARM64_WP_WRITE
#define RW ARM64_WP_ACCESS

struct plan_case {
	const char *name;
	gva_t addr;
	uint64_t len;
	enum arm64_wp_kind kind;
	unsigned int free;
	int ret;
	struct {
		uint64_t wcr, wvr;
	} slot[4];
};

static const struct plan_case plan_cases[] = {
	{ "1 byte", 0x1003, 1, WR, 4, 1, { { W(WR, 0x08, 0), 0x1000 } } },
	{ "4 bytes, upper half of a word", 0x1004, 4, RD, 4, 1, { { W(RD, 0xf0, 0), 0x1000 } } },
	{ "8 aligned bytes", 0x1000, 8, RW, 4, 1, { { W(RW, 0xff, 0), 0x1000 } } },
	{ "4 bytes across a word: 2 slots",
	  0x1006,
	  4,
	  WR,
	  4,
	  2,
	  { { W(WR, 0xc0, 0), 0x1000 }, { W(WR, 0x03, 0), 0x1008 } } },
	{ "across a word with 1 free slot", 0x1006, 4, WR, 1, -ENOSPC, { { 0 } } },
	{ "16 aligned bytes: MASK 4", 0x2000, 16, WR, 4, 1, { { W(WR, 0xff, 4), 0x2000 } } },
	{ "a 4K page: MASK 12", 0x40000000, 4096, RW, 1, 1, { { W(RW, 0xff, 12), 0x40000000 } } },
	{ "2 GiB: MASK 31", 0x80000000, 0x80000000, WR, 1, 1, { { W(WR, 0xff, 31), 0x80000000 } } },
	{ "4 GiB: two 2 GiB regions",
	  0x100000000,
	  0x100000000,
	  WR,
	  2,
	  2,
	  { { W(WR, 0xff, 31), 0x100000000 }, { W(WR, 0xff, 31), 0x180000000 } } },
	{ "24 bytes: 16 + 8",
	  0x3000,
	  24,
	  WR,
	  4,
	  2,
	  { { W(WR, 0xff, 4), 0x3000 }, { W(WR, 0xff, 0), 0x3010 } } },
	{ "24 bytes: 8 + 16",
	  0x3008,
	  24,
	  WR,
	  4,
	  2,
	  { { W(WR, 0xff, 0), 0x3008 }, { W(WR, 0xff, 4), 0x3010 } } },
	{ "24 bytes with 1 free slot", 0x3000, 24, WR, 1, -ENOSPC, { { 0 } } },
	{ "unaligned 32 bytes: 4 slots",
	  0x3004,
	  32,
	  RD,
	  4,
	  4,
	  { { W(RD, 0xf0, 0), 0x3000 },
	    { W(RD, 0xff, 0), 0x3008 },
	    { W(RD, 0xff, 4), 0x3010 },
	    { W(RD, 0x0f, 0), 0x3020 } } },
	{ "unaligned 32 bytes with 3 free", 0x3004, 32, RD, 3, -ENOSPC, { { 0 } } },
	{ "top of the address space",
	  0xfffffffffffffff8,
	  8,
	  WR,
	  1,
	  1,
	  { { W(WR, 0xff, 0), 0xfffffffffffffff8 } } },
	{ "length 0", 0x1000, 0, WR, 4, -EINVAL, { { 0 } } },
	{ "range wraps", 0xfffffffffffffffc, 8, WR, 4, -EINVAL, { { 0 } } },
	{ "bad kind", 0x1000, 4, 0, 4, -EINVAL, { { 0 } } },
};

static void test_plan(void **state)
{
	const struct plan_case *c = *state;
	struct arm64_wp_slot slots[ARM64_HWDBG_MAX_SLOTS];
	gva_t next = c->addr;
	int ret = arm64_wp_plan(c->addr, c->len, c->kind, c->free, slots);

	assert_int_equal(ret, c->ret);
	for (int i = 0; i < ret; i++) {
		gva_t a;
		uint64_t l;

		assert_int_equal(slots[i].wcr, c->slot[i].wcr);
		assert_int_equal(slots[i].wvr, c->slot[i].wvr);
		/* the slots decode back to consecutive pieces of exactly the range */
		arm64_wp_decode(slots[i].wcr, slots[i].wvr, &a, &l);
		assert_int_equal(a, next);
		assert_int_equal(a, slots[i].addr);
		assert_int_equal(l, slots[i].len);
		next += l;
	}
	if (ret > 0)
		assert_int_equal(next - c->addr, c->len);
}

static const struct arm64_wp_req reqs[] = {
	{ 0x1000, 4, WR },      { 0x1008, 8, RW }, { 0x2000, 1, RD },
	{ 0x4000, 0x1000, WR }, { 0x7ff8, 8, WR },
};

struct match_case {
	const char *name;
	gva_t far;
	bool is_write;
	int ret;
};

static const struct match_case match_cases[] = {
	{ "FAR inside a write watch", 0x1002, true, 0 },
	{ "read skips the write-only watch", 0x1002, false, 1 },
	{ "FAR rounded down below the watch", 0x0ff0, true, 0 },
	{ "FAR between two watches: nearest", 0x1010, true, 1 },
	{ "read-only watch, FAR below it", 0x1f00, false, 2 },
	{ "inside a MASK-sized watch", 0x4800, true, 3 },
	{ "FAR 1K below a watch", 0x3c00, true, 3 },
	{ "DC ZVA: FAR at the 2K block start", 0x7800, true, 4 },
	{ "too far from everything", 0x9000, true, -ENOENT },
	{ "read with no read watch near", 0x5000, false, -ENOENT },
};

static void test_match(void **state)
{
	const struct match_case *c = *state;

	assert_int_equal(arm64_wp_match(reqs, ARRAY_SIZE(reqs), c->far, c->is_write), c->ret);
}

static void test_breakpoint(void **state)
{
	uint64_t bcr, bvr;

	assert_int_equal(arm64_bp_encode(0xffff800010001000, &bcr, &bvr), 0);
	assert_int_equal(bcr, 0x1e7); /* E, PMC=0b11, BAS=0b1111 */
	assert_int_equal(bvr, 0xffff800010001000);
	assert_int_equal(arm64_bp_encode(0x1002, &bcr, &bvr), -EINVAL);
	assert_int_equal(arm64_wp_match(reqs, 0, 0x1000, true), -ENOENT);
}

int main(void)
{
	struct CMUnitTest tests[ARRAY_SIZE(plan_cases) + ARRAY_SIZE(match_cases) + 1];
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(plan_cases); i++)
		tests[n++] = (struct CMUnitTest){ plan_cases[i].name, test_plan, NULL, NULL,
						  (void *)&plan_cases[i] };
	for (size_t i = 0; i < ARRAY_SIZE(match_cases); i++)
		tests[n++] = (struct CMUnitTest){ match_cases[i].name, test_match, NULL, NULL,
						  (void *)&match_cases[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_breakpoint);
	return _cmocka_run_group_tests("arm64_hwdbg", tests, n, NULL, NULL);
}
