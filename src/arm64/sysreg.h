/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The (op0, op1, CRn, CRm, op2) encoding that names an AArch64 system register in MRS/MSR
 * (Arm ARM C5.3) and, through ARM64_SYS_REG(), in KVM's ONE_REG ids. Shared by insn and
 * gdbregs. */
#pragma once

#include <stdint.h>

struct arm64_sysreg_enc {
	uint8_t op0, op1, crn, crm, op2;
};

/* Packs an encoding as the MRS/MSR instruction (and ESR EC 0x18 ISS) order it. */
static inline uint32_t arm64_sysreg_key(struct arm64_sysreg_enc e)
{
	return (uint32_t)e.op0 << 14 | (uint32_t)e.op1 << 11 | (uint32_t)e.crn << 7 |
	       (uint32_t)e.crm << 3 | e.op2;
}

/* The encoding KVM's ONE_REG id uses for e: the same but for the virtual timer, whose
 * KVM_REG_ARM_TIMER_CNT and KVM_REG_ARM_TIMER_CVAL ids are swapped in the uapi ("their
 * values have been accidentally swapped", arch/arm64/include/uapi/asm/kvm.h). */
static inline struct arm64_sysreg_enc arm64_sysreg_kvm_enc(struct arm64_sysreg_enc e)
{
	if (e.op0 == 3 && e.op1 == 3 && e.crn == 14 && e.op2 == 2 && (e.crm == 0 || e.crm == 3))
		e.crm ^= 3; /* CNTVCT_EL0 (CRm 0) <-> CNTV_CVAL_EL0 (CRm 3) */
	return e;
}
