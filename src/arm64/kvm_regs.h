/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KVM_{GET,SET}_ONE_REG ids for arm64 registers (Documentation/virt/kvm/api.rst,
 * "ARM64 registers"). Target-only: it needs the arm64 <asm/kvm.h>. */
#pragma once

#include <linux/kvm.h>
#include <stddef.h>

/* Core registers are addressed by their offset in struct kvm_regs, in 32-bit units. */
#define ARM64_CORE_REG(field)                                                    \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |                   \
	 (offsetof(struct kvm_regs, field) / sizeof(__u32)))
#define ARM64_CORE_REG_SIZED(size, field)                                        \
	(KVM_REG_ARM64 | (size) | KVM_REG_ARM_CORE |                             \
	 (offsetof(struct kvm_regs, field) / sizeof(__u32)))

#define ARM64_REG_X(n) ARM64_CORE_REG(regs.regs[n])
#define ARM64_REG_SP ARM64_CORE_REG(regs.sp)
#define ARM64_REG_PC ARM64_CORE_REG(regs.pc)
#define ARM64_REG_PSTATE ARM64_CORE_REG(regs.pstate)
#define ARM64_REG_SP_EL1 ARM64_CORE_REG(sp_el1)
#define ARM64_REG_ELR_EL1 ARM64_CORE_REG(elr_el1)
#define ARM64_REG_SPSR_EL1 ARM64_CORE_REG(spsr[KVM_SPSR_EL1])
#define ARM64_REG_V(n) ARM64_CORE_REG_SIZED(KVM_REG_SIZE_U128, fp_regs.vregs[n])
#define ARM64_REG_FPSR ARM64_CORE_REG_SIZED(KVM_REG_SIZE_U32, fp_regs.fpsr)
#define ARM64_REG_FPCR ARM64_CORE_REG_SIZED(KVM_REG_SIZE_U32, fp_regs.fpcr)

/* System registers by their MRS/MSR encoding. */
#define ARM64_SYSREG_ID(op0, op1, crn, crm, op2) ARM64_SYS_REG(op0, op1, crn, crm, op2)
