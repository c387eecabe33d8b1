/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hardware breakpoint and watchpoint register values (Arm ARM D19 DBGBCR<n>_EL1, DBGWCR<n>_EL1),
 * the plan that covers a gdb watch range with watchpoint slots, and the reverse: which
 * requested watchpoint a reported FAR belongs to. Pure: debug.c hands the values to KVM
 * (struct kvm_guest_debug_arch). */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include "types.h"

#define ARM64_HWDBG_MAX_SLOTS 16 /* dbg_bcr[16] etc. in struct kvm_guest_debug_arch */

#define ARM64_DBG_E (1u << 0)            /* enable */
#define ARM64_DBG_PRIV_EL1_EL0 (3u << 1) /* PMC/PAC = 0b11 with HMC = 0, SSC = 0 */
#define ARM64_DBGBCR_BAS_A64 (0xfu << 5)
#define ARM64_DBGWCR_LSC_SHIFT 3
#define ARM64_DBGWCR_BAS_SHIFT 5
#define ARM64_DBGWCR_MASK_SHIFT 24

/* An unlinked address-match breakpoint on the A64 instruction at addr: E, PMC=0b11 (EL1 and
 * EL0), BAS=0b1111; DBGBVR = addr. Returns 0, or -EINVAL if addr is not 4-byte aligned. */
int arm64_bp_encode(gva_t addr, uint64_t *bcr, uint64_t *bvr);

/* The values are DBGWCR.LSC: 0b01 loads, 0b10 stores, 0b11 both (gdb's Z3, Z2, Z4). */
enum arm64_wp_kind {
	ARM64_WP_READ = 1,
	ARM64_WP_WRITE = 2,
	ARM64_WP_ACCESS = 3,
};

/* One watchpoint register pair, and the bytes it watches. */
struct arm64_wp_slot {
	uint64_t wcr, wvr;
	gva_t addr;
	uint64_t len;
};

/* Covers exactly [addr, addr + len) with the fewest slots: a BAS byte mask for the bytes
 * inside one aligned 8-byte word, a MASK region for each naturally aligned power-of-two block
 * of 16 bytes to 2 GiB. Never watches a byte that was not asked for. Fills slots[] and returns
 * the number used, -EINVAL (len 0, range wraps, bad kind) or -ENOSPC (needs more than
 * free_slots; nothing is half-planned). */
int arm64_wp_plan(gva_t addr, uint64_t len, enum arm64_wp_kind kind, unsigned int free_slots,
		  struct arm64_wp_slot *slots);

/* The bytes a DBGWCR/DBGWVR pair watches (len 0 if disabled or not a contiguous BAS). */
void arm64_wp_decode(uint64_t wcr, uint64_t wvr, gva_t *addr, uint64_t *len);

/* A watchpoint as gdb asked for it. */
struct arm64_wp_req {
	gva_t addr;
	uint64_t len;
	enum arm64_wp_kind kind;
};

/* How far from the watched bytes a reported FAR may be: the Arm ARM lets the FAR be any
 * address in the naturally aligned block that holds the access, up to the DC ZVA block size
 * (2 KiB at most, DCZID_EL0.BS <= 9); it can be below the watched address. */
#define ARM64_WP_FAR_SLACK 2048u

/* Index of the request a watchpoint hit at far belongs to: among those whose kind matches the
 * access (ESR WnR), one that contains far, else the nearest within ARM64_WP_FAR_SLACK bytes.
 * Returns -ENOENT if none. */
int arm64_wp_match(const struct arm64_wp_req *reqs, unsigned int n, gva_t far, bool is_write);
