/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ESR_ELx decoding (Arm ARM D17 "ESR_EL1"), the synchronous exception entry to EL1 that
 * minivmm performs itself to hand a debug exception back to the guest, and the vector table
 * layout (to notice a single step that landed in an interrupt vector). Pure. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Exception classes (ESR_ELx.EC, bits [31:26]) we meet or print. */
#define ARM64_EC_UNKNOWN 0x00
#define ARM64_EC_WFX 0x01
#define ARM64_EC_FP_ACCESS 0x07
#define ARM64_EC_ILLEGAL 0x0e
#define ARM64_EC_SVC32 0x11
#define ARM64_EC_SVC64 0x15
#define ARM64_EC_HVC64 0x16
#define ARM64_EC_SMC64 0x17
#define ARM64_EC_SYS64 0x18 /* trapped MSR/MRS/SYS */
#define ARM64_EC_SVE 0x19
#define ARM64_EC_IABT_LOW 0x20
#define ARM64_EC_IABT_CUR 0x21
#define ARM64_EC_PC_ALIGN 0x22
#define ARM64_EC_DABT_LOW 0x24
#define ARM64_EC_DABT_CUR 0x25
#define ARM64_EC_SP_ALIGN 0x26
#define ARM64_EC_FP_EXC64 0x2c
#define ARM64_EC_SERROR 0x2f
#define ARM64_EC_BREAKPT_LOW 0x30
#define ARM64_EC_BREAKPT_CUR 0x31
#define ARM64_EC_SOFTSTP_LOW 0x32
#define ARM64_EC_SOFTSTP_CUR 0x33
#define ARM64_EC_WATCHPT_LOW 0x34
#define ARM64_EC_WATCHPT_CUR 0x35
#define ARM64_EC_BKPT32 0x38
#define ARM64_EC_VECTOR32 0x3a
#define ARM64_EC_BRK64 0x3c

#define ARM64_ESR_IL (1ull << 25)     /* 32-bit instruction */
#define ARM64_ESR_WNR (1ull << 6)     /* watchpoint/data abort: write */
#define ARM64_ESR_CM (1ull << 8)      /* watchpoint/data abort: cache maintenance */
#define ARM64_ESR_SS_ISV (1ull << 24) /* software step: EX is valid */
#define ARM64_ESR_SS_EX (1ull << 6)   /* software step: stepped a load-exclusive */

/* PSTATE/SPSR_ELx bits (AArch64 layout). */
#define ARM64_PSTATE_M_MASK 0x1full /* M[4:0]; M[4] = nRW (AArch32) */
#define ARM64_PSTATE_EL0t 0x0ull
#define ARM64_PSTATE_EL1t 0x4ull
#define ARM64_PSTATE_EL1h 0x5ull
#define ARM64_PSTATE_nRW (1ull << 4)
#define ARM64_PSTATE_F (1ull << 6)
#define ARM64_PSTATE_I (1ull << 7)
#define ARM64_PSTATE_A (1ull << 8)
#define ARM64_PSTATE_D (1ull << 9)
#define ARM64_PSTATE_BTYPE (3ull << 10)
#define ARM64_PSTATE_SSBS (1ull << 12)
#define ARM64_PSTATE_IL (1ull << 20)
#define ARM64_PSTATE_SS (1ull << 21)
#define ARM64_PSTATE_PAN (1ull << 22)
#define ARM64_PSTATE_UAO (1ull << 23)
#define ARM64_PSTATE_DIT (1ull << 24)
#define ARM64_PSTATE_TCO (1ull << 25)
#define ARM64_PSTATE_NZCV (0xfull << 28)

#define ARM64_SCTLR_SPAN (1ull << 23) /* 0: PSTATE.PAN set on exception entry to EL1 */
#define ARM64_SCTLR_DSSBS (1ull << 44)

/* PSTATE.M as a name: "EL0t", "EL1h", "EL2h", "AArch32", or "?" for a reserved mode. */
const char *arm64_el_name(uint64_t pstate);

static inline unsigned int arm64_esr_ec(uint64_t esr)
{
	return (esr >> 26) & 0x3f;
}

static inline uint32_t arm64_esr_iss(uint64_t esr)
{
	return esr & 0x1ffffff;
}

/* Name of an exception class ("watchpoint (lower EL)"), "unknown EC" if we have none. */
const char *arm64_esr_ec_name(unsigned int ec);

/* The debug events a KVM_EXIT_DEBUG reports (notes: "Exception classes in hsr >> 26"). */
enum arm64_debug_kind {
	ARM64_DBG_NONE = 0, /* not a debug exception class */
	ARM64_DBG_HW_BREAKPOINT,
	ARM64_DBG_SOFT_STEP,
	ARM64_DBG_WATCHPOINT,
	ARM64_DBG_BRK,
};

/* Classifies either EL form (0x30/0x31 -> HW_BREAKPOINT, ...); AArch32 BKPT counts as BRK. */
enum arm64_debug_kind arm64_esr_debug_kind(uint64_t esr);

/* Watchpoint (or data abort) was a write: ISS.WnR. */
static inline bool arm64_esr_is_write(uint64_t esr)
{
	return esr & ARM64_ESR_WNR;
}

/* The imm16 of BRK #imm (ISS[15:0]). */
static inline uint16_t arm64_esr_brk_imm(uint64_t esr)
{
	return esr & 0xffff;
}

/* Writes a one-line description ("BRK #0x800 (A64)", "watchpoint (lower EL), write") into buf;
 * returns the length needed, as snprintf does. */
size_t arm64_esr_describe(uint64_t esr, char *buf, size_t size);

/* A debug exception that exited to KVM (EL2) and belongs to the guest's EL1. */
struct arm64_exc_in {
	uint64_t pc, pstate;
	uint64_t vbar_el1, sctlr_el1;
	uint64_t esr; /* run->debug.arch.hsr */
	uint64_t far; /* run->debug.arch.far, meaningful for watchpoints only */
	bool has_mte; /* the VM has MTE: PSTATE.TCO is set on entry */
};

/* The vCPU state after the exception entry the hardware would have done. */
struct arm64_exc_out {
	uint64_t pc, pstate;
	uint64_t elr_el1, spsr_el1, esr_el1;
	uint64_t far_el1;
	bool far_valid; /* false: leave FAR_EL1 alone (it is UNKNOWN for this class) */
};

/* Computes the synchronous exception entry to EL1h for a debug exception (EC 0x30..0x35,
 * 0x38, 0x3c): EC turned into its current-EL form when the guest was at EL1, IL set, vector
 * offset chosen by the source mode. Returns 0, or -EINVAL for another EC or a PSTATE that is
 * not EL0/EL1 (the guest can't have been at EL2 or above). */
int arm64_exc_enter_el1(const struct arm64_exc_in *in, struct arm64_exc_out *out);

/* Vector table entries: VBAR_EL1 + source group (0x000 current EL with SP0, 0x200 current EL
 * with SPx, 0x400 lower EL AArch64, 0x600 lower EL AArch32) + type * 0x80. */
enum arm64_vec_type { ARM64_VEC_SYNC, ARM64_VEC_IRQ, ARM64_VEC_FIQ, ARM64_VEC_SERROR };
enum arm64_vec_source {
	ARM64_VEC_CUR_SP0,
	ARM64_VEC_CUR_SPX,
	ARM64_VEC_LOWER_A64,
	ARM64_VEC_LOWER_A32,
};

/* Which vector entry pc lies in (each entry is 0x80 bytes). False if pc is outside the
 * 2 KiB table. VBAR_EL1[10:0] are RES0 and ignored. */
bool arm64_vector_lookup(uint64_t vbar, uint64_t pc, enum arm64_vec_type *type,
			 enum arm64_vec_source *source);

/* True if pc is inside an IRQ, FIQ or SError entry: "the step landed in an interrupt vector"
 * (notes, "Single step, in detail"). */
bool arm64_pc_in_async_vector(uint64_t vbar, uint64_t pc);
