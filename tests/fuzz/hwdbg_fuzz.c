// SPDX-License-Identifier: GPL-3.0-or-later
/* libFuzzer harness for the debug-register planning (src/arm64/hwdbg.c). The input names a watch
 * range (address, length, kind, free slots), a reported FAR, and a list of requests. A plan must
 * cover exactly the range, in order, each slot decoding back to its own bytes; a refused plan
 * must have a reason; a FAR match must be the nearest request of the right kind within the
 * documented slack. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "src/arm64/hwdbg.h"
#include "tests/fuzz/fuzz.h"

#define MAX_REQS 32

static void check_plan(gva_t addr, uint64_t len, unsigned int kind, unsigned int free_slots)
{
	struct arm64_wp_slot slots[ARM64_HWDBG_MAX_SLOTS + 1];
	bool bad = !len || addr + (len - 1) < addr || kind < 1 || kind > 3;
	gva_t pos = addr, a;
	uint64_t l;
	int n, i;

	memset(slots, 0, sizeof(slots));
	n = arm64_wp_plan(addr, len, kind, free_slots, slots);
	FUZZ_CHECK(slots[ARM64_HWDBG_MAX_SLOTS].len == 0); /* never more than 16 slots */
	if (bad) {
		FUZZ_CHECK(n == -EINVAL);
		return;
	}
	if (n == -ENOSPC) { /* the plan needs more than the free slots */
		n = arm64_wp_plan(addr, len, kind, ARM64_HWDBG_MAX_SLOTS, slots);
		FUZZ_CHECK(n == -ENOSPC || n > (int)free_slots);
		return;
	}
	FUZZ_CHECK(n >= 1 && n <= (int)free_slots && n <= ARM64_HWDBG_MAX_SLOTS);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(slots[i].addr == pos && slots[i].len > 0);
		FUZZ_CHECK((slots[i].wcr & ARM64_DBG_E) &&
			   ((slots[i].wcr >> ARM64_DBGWCR_LSC_SHIFT) & 3) == kind);
		arm64_wp_decode(slots[i].wcr, slots[i].wvr, &a, &l);
		FUZZ_CHECK(a == slots[i].addr && l == slots[i].len);
		pos += slots[i].len;
	}
	FUZZ_CHECK(pos - addr == len); /* exactly the range, nothing more */
}

static uint64_t distance(const struct arm64_wp_req *r, gva_t far)
{
	gva_t last = r->addr + (r->len - 1);

	return far < r->addr ? r->addr - far : far > last ? far - last : 0;
}

static void check_match(const struct arm64_wp_req *reqs, unsigned int n, gva_t far, bool is_write)
{
	unsigned int need = is_write ? ARM64_WP_WRITE : ARM64_WP_READ, i;
	uint64_t best = UINT64_MAX;
	int m = arm64_wp_match(reqs, n, far, is_write);

	for (i = 0; i < n; i++)
		if ((reqs[i].kind & need) && reqs[i].len && distance(&reqs[i], far) < best)
			best = distance(&reqs[i], far);
	if (best > ARM64_WP_FAR_SLACK) {
		FUZZ_CHECK(m == -ENOENT);
		return;
	}
	FUZZ_CHECK(m >= 0 && (unsigned int)m < n && (reqs[m].kind & need));
	FUZZ_CHECK(distance(&reqs[m], far) == best);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arm64_wp_req reqs[MAX_REQS];
	uint64_t addr, len, far, bcr, bvr;
	unsigned int n, i;

	if (size < 27)
		return 0;
	memcpy(&addr, data, 8);
	memcpy(&len, data + 8, 8);
	memcpy(&far, data + 16, 8);
	check_plan(addr, len, data[24] & 7, data[25] & 31);
	check_plan(addr, len & 0xffff, ARM64_WP_WRITE, ARM64_HWDBG_MAX_SLOTS);
	FUZZ_CHECK(arm64_bp_encode(addr, &bcr, &bvr) == (addr & 3 ? -EINVAL : 0));
	FUZZ_CHECK((addr & 3) || (bvr == addr && (bcr & ARM64_DBG_E)));
	data += 27;
	size -= 27;
	n = size / 17 < MAX_REQS ? size / 17 : MAX_REQS;
	for (i = 0; i < n; i++, data += 17) {
		memcpy(&reqs[i].addr, data, 8);
		memcpy(&reqs[i].len, data + 8, 8);
		reqs[i].kind = data[16] & 3;
		/* debug.c only keeps requests it could plan: none wraps */
		if (reqs[i].len && reqs[i].addr + (reqs[i].len - 1) < reqs[i].addr)
			reqs[i].len = -reqs[i].addr;
	}
	check_match(reqs, n, far, data[-1] & 1);
	check_match(reqs, n, far, !(data[-1] & 1));
	return 0;
}
