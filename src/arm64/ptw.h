/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stage-1 translation of the EL1&0 regime (AArch64), as the guest's MMU would do it: used to
 * reach guest virtual addresses (gdb memory access, software breakpoints, `translate VA`).
 * Pure: descriptors are read only through a callback that checks them against guest RAM. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "types.h"

/* Reads the 8-byte descriptor at pa (8-aligned) as stored in memory, i.e. the bytes as a
 * little-endian value (the walker swaps them when SCTLR_EL1.EE says the tables are big-endian).
 * Returns 0, or -EFAULT if [pa, pa + 8) is not guest RAM. */
typedef int (*arm64_read_phys_fn)(void *opaque, gpa_t pa, uint64_t *val);

/* The registers that drive the walk; pa_bits is the implemented physical address size
 * (ID_AA64MMFR0_EL1.PARange): 0 means 48, the largest this walker supports. */
struct arm64_ptw_regs {
	uint64_t sctlr_el1, tcr_el1, ttbr0_el1, ttbr1_el1;
	unsigned int pa_bits;
};

enum arm64_ptw_fault {
	ARM64_PTW_OK = 0,
	ARM64_PTW_TRANSLATION, /* translation fault */
	ARM64_PTW_ADDR_SIZE,   /* address size fault: an address above the output size */
	ARM64_PTW_EXTERNAL,    /* a descriptor outside guest RAM (an external abort on the walk) */
};

enum arm64_ptw_reason {
	ARM64_PTW_R_NONE = 0,
	ARM64_PTW_R_VA_RANGE,     /* the VA is in neither the TTBR0 nor the TTBR1 range */
	ARM64_PTW_R_EPD,          /* TCR_EL1.EPD0/EPD1 disables walks for this range */
	ARM64_PTW_R_INVALID,      /* descriptor bit 0 clear */
	ARM64_PTW_R_BAD_BLOCK,    /* a block where this granule/level allows none, or 0b01 at L3 */
	ARM64_PTW_R_TTBR_OA,      /* the TTBR base address is above the output size */
	ARM64_PTW_R_TABLE_OA,     /* the next-level table address is above the output size */
	ARM64_PTW_R_OUT_OA,       /* the output address is above the output size */
	ARM64_PTW_R_DESC_NOT_RAM, /* read_phys failed for the descriptor address */
};

enum arm64_ptw_desc_kind {
	ARM64_DESC_INVALID,
	ARM64_DESC_TABLE,
	ARM64_DESC_BLOCK,
	ARM64_DESC_PAGE,
	ARM64_DESC_RESERVED, /* bits[1:0] = 0b01 where no block is allowed */
	ARM64_DESC_UNREAD,   /* the descriptor address was not guest RAM */
};

/* One level of the walk, for `translate VA`. */
struct arm64_ptw_step {
	int level;
	gpa_t table;        /* base of the table at this level */
	unsigned int index; /* index of the VA in it */
	gpa_t desc_addr;
	uint64_t desc; /* host-order value; 0 when UNREAD */
	enum arm64_ptw_desc_kind kind;
};

/* Attributes of the final descriptor. ap/uxn/pxn are effective: the hierarchical APTable,
 * UXNTable and PXNTable of the tables on the way are folded in unless TCR_EL1.HPDx is set.
 * Permissions and AF are reported, not enforced: a debugger may look at what the guest can't. */
struct arm64_ptw_attrs {
	unsigned int attr_index; /* AttrIndx[2:0]: index into MAIR_EL1 */
	unsigned int ap;         /* AP[2:1]: 0 EL1 rw, 1 EL1+EL0 rw, 2 EL1 ro, 3 EL1+EL0 ro */
	unsigned int sh;         /* SH[1:0]: 0 non-, 2 outer, 3 inner shareable */
	bool af, ng, uxn, pxn, contiguous, dbm;
};

#define ARM64_PTW_MAX_LEVELS 4

struct arm64_ptw_result {
	enum arm64_ptw_fault fault;
	enum arm64_ptw_reason reason;
	int level; /* level of the fault, or of the final descriptor */
	gva_t va;
	gpa_t pa;      /* valid when fault == ARM64_PTW_OK */
	uint64_t size; /* bytes mapped by the final descriptor (page or block size) */
	bool mmu_off;  /* SCTLR_EL1.M = 0: identity, no attributes */
	int ttbr;      /* 0 or 1; -1 if none was selected */
	unsigned int granule_shift, va_bits;
	int start_level;
	struct arm64_ptw_attrs attrs;
	unsigned int nsteps;
	struct arm64_ptw_step steps[ARM64_PTW_MAX_LEVELS];
};

/* One TTBR's decoded walk parameters (in struct arm64_ptw so callers can embed it). */
struct arm64_ptw_range {
	bool disabled; /* EPDx */
	bool tbi, hpd;
	unsigned int va_bits, granule_shift, stride;
	int start_level;
	gpa_t base; /* BADDR, CnP and ASID dropped */
};

/* A walker with TCR_EL1 decoded once, for many translations while the vCPU stays stopped.
 * The one-entry cache used by arm64_ptw_va_to_pa() is only valid while guest memory and the
 * registers don't change: build a new walker at each stop. */
struct arm64_ptw {
	arm64_read_phys_fn read_phys;
	void *opaque;
	bool mmu_on, big_endian;
	unsigned int oa_bits;
	struct arm64_ptw_range r[2];
	bool cache_valid;
	gva_t cache_va;
	uint64_t cache_size;
	gpa_t cache_pa;
};

/* Decodes the registers into w (never fails: reserved values behave as documented in
 * docs/arm64.md). */
void arm64_ptw_init(struct arm64_ptw *w, const struct arm64_ptw_regs *regs,
		    arm64_read_phys_fn read_phys, void *opaque);

/* Translates va; fills *res (trace included). Returns 0, or -EFAULT with res->fault set. */
int arm64_ptw_translate(const struct arm64_ptw *w, gva_t va, struct arm64_ptw_result *res);

/* Fast path: va -> pa through the one-entry cache. Returns 0 or -EFAULT. */
int arm64_ptw_va_to_pa(struct arm64_ptw *w, gva_t va, gpa_t *pa);

/* Called for each physically contiguous piece of a VA range; non-zero stops the walk. */
typedef int (*arm64_ptw_chunk_fn)(void *opaque, gva_t va, gpa_t pa, uint64_t len);

/* Translates [va, va + len) with one walk per page or block, merging physically contiguous
 * pieces. Returns 0, the callback's non-zero value, or -EFAULT (then *fail, if not NULL,
 * describes the first address that did not translate). */
int arm64_ptw_for_range(const struct arm64_ptw *w, gva_t va, uint64_t len, arm64_ptw_chunk_fn fn,
			void *opaque, struct arm64_ptw_result *fail);

/* Writes a human-readable trace of *res (one line per level, then the outcome) into buf;
 * returns the length it needed, as snprintf does. */
size_t arm64_ptw_format(const struct arm64_ptw_result *res, char *buf, size_t size);

const char *arm64_ptw_fault_name(enum arm64_ptw_fault fault);
const char *arm64_ptw_reason_name(enum arm64_ptw_reason reason);
const char *arm64_ptw_desc_kind_name(enum arm64_ptw_desc_kind kind);
