// SPDX-License-Identifier: GPL-3.0-or-later
/* ESR decoding, the EL1 exception entry for handing debug exceptions back to the guest, and the
 * vector table layout. The entry follows the Arm ARM's rules for PSTATE on exception entry to
 * AArch64 (DDI 0487, D1 "Exception entry"), the same ones KVM applies in
 * arch/arm64/kvm/hyp/exception.c for its own injections. */
#include <errno.h>
#include <stdio.h>
#include "src/arm64/esr.h"

static const char *const ec_names[64] = {
	[ARM64_EC_UNKNOWN] = "unknown reason",
	[ARM64_EC_WFX] = "trapped WFI/WFE",
	[ARM64_EC_FP_ACCESS] = "SIMD/FP access trapped",
	[ARM64_EC_ILLEGAL] = "illegal execution state",
	[ARM64_EC_SVC32] = "SVC (AArch32)",
	[ARM64_EC_SVC64] = "SVC (AArch64)",
	[ARM64_EC_HVC64] = "HVC (AArch64)",
	[ARM64_EC_SMC64] = "SMC (AArch64)",
	[ARM64_EC_SYS64] = "trapped MSR/MRS/SYS",
	[ARM64_EC_SVE] = "SVE access trapped",
	[ARM64_EC_IABT_LOW] = "instruction abort (lower EL)",
	[ARM64_EC_IABT_CUR] = "instruction abort (same EL)",
	[ARM64_EC_PC_ALIGN] = "PC alignment fault",
	[ARM64_EC_DABT_LOW] = "data abort (lower EL)",
	[ARM64_EC_DABT_CUR] = "data abort (same EL)",
	[ARM64_EC_SP_ALIGN] = "SP alignment fault",
	[ARM64_EC_FP_EXC64] = "FP exception (AArch64)",
	[ARM64_EC_SERROR] = "SError",
	[ARM64_EC_BREAKPT_LOW] = "hardware breakpoint (lower EL)",
	[ARM64_EC_BREAKPT_CUR] = "hardware breakpoint (same EL)",
	[ARM64_EC_SOFTSTP_LOW] = "software step (lower EL)",
	[ARM64_EC_SOFTSTP_CUR] = "software step (same EL)",
	[ARM64_EC_WATCHPT_LOW] = "watchpoint (lower EL)",
	[ARM64_EC_WATCHPT_CUR] = "watchpoint (same EL)",
	[ARM64_EC_BKPT32] = "BKPT (AArch32)",
	[ARM64_EC_VECTOR32] = "vector catch (AArch32)",
	[ARM64_EC_BRK64] = "BRK (AArch64)",
};

const char *arm64_esr_ec_name(unsigned int ec)
{
	return ec < 64 && ec_names[ec] ? ec_names[ec] : "unknown EC";
}

enum arm64_debug_kind arm64_esr_debug_kind(uint64_t esr)
{
	switch (arm64_esr_ec(esr)) {
	case ARM64_EC_BREAKPT_LOW:
	case ARM64_EC_BREAKPT_CUR:
		return ARM64_DBG_HW_BREAKPOINT;
	case ARM64_EC_SOFTSTP_LOW:
	case ARM64_EC_SOFTSTP_CUR:
		return ARM64_DBG_SOFT_STEP;
	case ARM64_EC_WATCHPT_LOW:
	case ARM64_EC_WATCHPT_CUR:
		return ARM64_DBG_WATCHPOINT;
	case ARM64_EC_BRK64:
	case ARM64_EC_BKPT32:
		return ARM64_DBG_BRK;
	}
	return ARM64_DBG_NONE;
}

size_t arm64_esr_describe(uint64_t esr, char *buf, size_t size)
{
	unsigned int ec = arm64_esr_ec(esr);
	const char *name = arm64_esr_ec_name(ec);
	int n;

	switch (arm64_esr_debug_kind(esr)) {
	case ARM64_DBG_BRK:
		n = snprintf(buf, size, "EC 0x%02x %s #0x%x", ec, name, arm64_esr_brk_imm(esr));
		break;
	case ARM64_DBG_WATCHPOINT:
		n = snprintf(buf, size, "EC 0x%02x %s, %s%s", ec, name,
			     arm64_esr_is_write(esr) ? "write" : "read",
			     (esr & ARM64_ESR_CM) ? " (cache maintenance)" : "");
		break;
	case ARM64_DBG_SOFT_STEP:
		n = snprintf(buf, size, "EC 0x%02x %s%s", ec, name,
			     (esr & ARM64_ESR_SS_ISV) && (esr & ARM64_ESR_SS_EX)
				     ? ", stepped a load-exclusive"
				     : "");
		break;
	default:
		n = snprintf(buf, size, "EC 0x%02x %s, ISS 0x%07x", ec, name, arm64_esr_iss(esr));
		break;
	}
	return n < 0 ? 0 : (size_t)n;
}

/* Vector offset by the mode the exception came from; -1 for a mode that can't be the source of
 * an exception taken to EL1 (EL2, EL3, reserved, AArch32 privileged modes). */
static int64_t vector_offset(uint64_t pstate)
{
	uint64_t m = pstate & ARM64_PSTATE_M_MASK;

	if (m == ARM64_PSTATE_EL1t)
		return 0x000;
	if (m == ARM64_PSTATE_EL1h)
		return 0x200;
	if (m == ARM64_PSTATE_EL0t)
		return 0x400;
	if (m == ARM64_PSTATE_nRW) /* AArch32 User mode: M[4:0] = 0b10000 */
		return 0x600;
	return -1;
}

/* The EC as EL1 would see it: breakpoint, step and watchpoint have a lower-EL form (even) and
 * a current-EL form (odd); BRK and BKPT have one form. */
static int el1_ec(unsigned int ec, bool from_el1)
{
	switch (ec) {
	case ARM64_EC_BREAKPT_LOW:
	case ARM64_EC_BREAKPT_CUR:
	case ARM64_EC_SOFTSTP_LOW:
	case ARM64_EC_SOFTSTP_CUR:
	case ARM64_EC_WATCHPT_LOW:
	case ARM64_EC_WATCHPT_CUR:
		return (int)((ec & ~1u) | (from_el1 ? 1u : 0u));
	case ARM64_EC_BRK64:
	case ARM64_EC_BKPT32:
		return (int)ec;
	}
	return -1;
}

/* PSTATE on entry to EL1h: NZCV and DIT kept; PAN kept, or set when SCTLR_EL1.SPAN is 0; UAO,
 * SS, IL and BTYPE cleared; SSBS from SCTLR_EL1.DSSBS; TCO set with MTE; D, A, I, F set. */
static uint64_t entry_pstate(const struct arm64_exc_in *in)
{
	uint64_t old = in->pstate, new = ARM64_PSTATE_EL1h;

	new |= old &(ARM64_PSTATE_NZCV | ARM64_PSTATE_DIT | ARM64_PSTATE_PAN);
	if (!(in->sctlr_el1 & ARM64_SCTLR_SPAN))
		new |= ARM64_PSTATE_PAN;
	if (in->sctlr_el1 & ARM64_SCTLR_DSSBS)
		new |= ARM64_PSTATE_SSBS;
	if (in->has_mte)
		new |= ARM64_PSTATE_TCO;
	new |= ARM64_PSTATE_D | ARM64_PSTATE_A | ARM64_PSTATE_I | ARM64_PSTATE_F;
	return new;
}

int arm64_exc_enter_el1(const struct arm64_exc_in *in, struct arm64_exc_out *out)
{
	int64_t offset = vector_offset(in->pstate);
	uint64_t m = in->pstate & ARM64_PSTATE_M_MASK;
	bool from_el1 = m == ARM64_PSTATE_EL1t || m == ARM64_PSTATE_EL1h;
	int ec = el1_ec(arm64_esr_ec(in->esr), from_el1);

	if (offset < 0 || ec < 0)
		return -EINVAL;
	out->elr_el1 = in->pc;
	out->spsr_el1 = in->pstate;
	/* The syndrome is the hardware's, ISS kept, with IL set (notes step 2). */
	out->esr_el1 = ((uint64_t)ec << 26) | ARM64_ESR_IL | arm64_esr_iss(in->esr);
	out->far_valid = arm64_esr_debug_kind(in->esr) == ARM64_DBG_WATCHPOINT;
	out->far_el1 = out->far_valid ? in->far : 0;
	out->pstate = entry_pstate(in);
	out->pc = (in->vbar_el1 & ~0x7ffull) + (uint64_t)offset; /* + 0: synchronous */
	return 0;
}

bool arm64_vector_lookup(uint64_t vbar, uint64_t pc, enum arm64_vec_type *type,
			 enum arm64_vec_source *source)
{
	uint64_t off = pc - (vbar & ~0x7ffull);

	if (off >= 0x800)
		return false;
	if (type)
		*type = (enum arm64_vec_type)((off >> 7) & 3);
	if (source)
		*source = (enum arm64_vec_source)(off >> 9);
	return true;
}

bool arm64_pc_in_async_vector(uint64_t vbar, uint64_t pc)
{
	enum arm64_vec_type type;

	return arm64_vector_lookup(vbar, pc, &type, NULL) && type != ARM64_VEC_SYNC;
}

const char *arm64_el_name(uint64_t pstate)
{
	static const char *const modes[16] = {
		[0] = "EL0t", [4] = "EL1t", [5] = "EL1h", [8] = "EL2t", [9] = "EL2h",
	};

	if (pstate & ARM64_PSTATE_nRW)
		return "AArch32";
	return modes[pstate & 0xf] ? modes[pstate & 0xf] : "?";
}
