// SPDX-License-Identifier: GPL-3.0-or-later
/* DBGBCR/DBGBVR and DBGWCR/DBGWVR values, watch-range planning and FAR matching.
 * Policy (docs/arm64.md): a watchpoint is exact or refused, never widened to bytes gdb did not
 * ask for, since a spurious stop on a neighbouring variable is worse than an honest error. */
#include <errno.h>
#include "src/arm64/hwdbg.h"

#define MASK_MIN 3  /* MASK 0b00001 and 0b00010 are reserved */
#define MASK_MAX 31 /* 2 GiB */

int arm64_bp_encode(gva_t addr, uint64_t *bcr, uint64_t *bvr)
{
	if (addr & 3)
		return -EINVAL;
	*bcr = ARM64_DBG_E | ARM64_DBG_PRIV_EL1_EL0 | ARM64_DBGBCR_BAS_A64;
	*bvr = addr; /* DBGBVR[1:0] are RES0; upper bits are the VA's own sign extension */
	return 0;
}

static uint64_t wcr(enum arm64_wp_kind kind, unsigned int bas, unsigned int mask)
{
	return ARM64_DBG_E | ARM64_DBG_PRIV_EL1_EL0 | ((uint64_t)kind << ARM64_DBGWCR_LSC_SHIFT) |
	       ((uint64_t)bas << ARM64_DBGWCR_BAS_SHIFT) |
	       ((uint64_t)mask << ARM64_DBGWCR_MASK_SHIFT);
}

/* log2 of the largest naturally aligned power-of-two block at pos that fits in len bytes. */
static unsigned int block_order(gva_t pos, uint64_t len)
{
	unsigned int align = pos ? (unsigned int)__builtin_ctzll(pos) : 63;
	unsigned int fit = 63 - (unsigned int)__builtin_clzll(len);
	unsigned int order = align < fit ? align : fit;

	return order < MASK_MAX ? order : MASK_MAX;
}

/* The next slot from pos: a BAS mask for a partial 8-byte word, else an aligned block (8 bytes
 * as BAS = 0xff, bigger ones as a MASK region). */
static struct arm64_wp_slot next_slot(gva_t pos, uint64_t left, enum arm64_wp_kind kind)
{
	struct arm64_wp_slot s = { .addr = pos };
	unsigned int off = pos & 7, order;

	if (off || left < 8) {
		s.len = 8 - off < left ? 8 - off : left;
		s.wvr = pos & ~7ull;
		s.wcr = wcr(kind, ((1u << s.len) - 1) << off, 0);
		return s;
	}
	order = block_order(pos, left);
	s.len = 1ull << order;
	s.wvr = pos;
	s.wcr = order == MASK_MIN ? wcr(kind, 0xff, 0) : wcr(kind, 0xff, order);
	return s;
}

int arm64_wp_plan(gva_t addr, uint64_t len, enum arm64_wp_kind kind, unsigned int free_slots,
		  struct arm64_wp_slot *slots)
{
	unsigned int n = 0;
	uint64_t left = len;
	gva_t pos = addr;

	if (!len || addr + (len - 1) < addr)
		return -EINVAL;
	if (kind != ARM64_WP_READ && kind != ARM64_WP_WRITE && kind != ARM64_WP_ACCESS)
		return -EINVAL;
	if (free_slots > ARM64_HWDBG_MAX_SLOTS)
		free_slots = ARM64_HWDBG_MAX_SLOTS;
	while (left) {
		struct arm64_wp_slot s = next_slot(pos, left, kind);

		if (n == free_slots)
			return -ENOSPC;
		slots[n++] = s;
		pos += s.len;
		left -= s.len;
	}
	return (int)n;
}

void arm64_wp_decode(uint64_t wcr_val, uint64_t wvr, gva_t *addr, uint64_t *len)
{
	unsigned int bas = (wcr_val >> ARM64_DBGWCR_BAS_SHIFT) & 0xff;
	unsigned int mask = (wcr_val >> ARM64_DBGWCR_MASK_SHIFT) & 0x1f;
	unsigned int lo, n;

	*addr = 0;
	*len = 0;
	if (!(wcr_val & ARM64_DBG_E) || !bas)
		return;
	if (mask) {
		*addr = wvr & ~((1ull << mask) - 1);
		*len = 1ull << mask;
		return;
	}
	lo = (unsigned int)__builtin_ctz(bas);
	n = 32 - (unsigned int)__builtin_clz(bas >> lo); /* highest set bit + 1 */
	if ((bas >> lo) != (1u << n) - 1)
		return; /* not contiguous: we never program that */
	*addr = (wvr & ~7ull) + lo;
	*len = n;
}

static uint64_t distance(const struct arm64_wp_req *r, gva_t far)
{
	gva_t last = r->addr + (r->len - 1);

	if (far < r->addr)
		return r->addr - far;
	return far > last ? far - last : 0;
}

int arm64_wp_match(const struct arm64_wp_req *reqs, unsigned int n, gva_t far, bool is_write)
{
	unsigned int need = is_write ? ARM64_WP_WRITE : ARM64_WP_READ;
	uint64_t best_dist = UINT64_MAX;
	int best = -ENOENT;

	for (unsigned int i = 0; i < n; i++) {
		uint64_t d;

		if (!(reqs[i].kind & need) || !reqs[i].len)
			continue;
		d = distance(&reqs[i], far);
		if (d < best_dist) {
			best_dist = d;
			best = (int)i;
		}
	}
	return best_dist <= ARM64_WP_FAR_SLACK ? best : -ENOENT;
}
