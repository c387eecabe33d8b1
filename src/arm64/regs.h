/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Registers by their arm64 identity: the name the debugger's CPU-access interface
 * (include/dbg_cpu.h) uses for a register, independent of gdb's numbering and of KVM's
 * ONE_REG ids. General registers, the two stack pointers, PC, PSTATE, ELR_EL1 and SPSR_EL1,
 * the FP/SIMD registers, SVE's Z, P and FFR, and any system register by its MRS/MSR encoding
 * (Arm ARM C5.3). Pure. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "src/arm64/sysreg.h"

#define ARM64_R_X(n) ((uint32_t)(n)) /* x0..x30 */
#define ARM64_R_SP_EL0 31u
#define ARM64_R_SP_EL1 32u
#define ARM64_R_PC 33u
#define ARM64_R_PSTATE 34u    /* all 64 bits of it (gdb's cpsr is the low 32) */
#define ARM64_R_ELR_EL1 35u
#define ARM64_R_SPSR_EL1 36u
#define ARM64_R_V(n) (40u + (uint32_t)(n)) /* v0..v31, 128 bits */
#define ARM64_R_FPSR 72u      /* 32 bits */
#define ARM64_R_FPCR 73u      /* 32 bits */
#define ARM64_R_NR_CORE 74u   /* ids below this are the core and FP registers */

/* SVE (Arm ARM B1.2.2), as KVM_REG_ARM64_SVE_ZREG/PREG/FFR carry them: at the architecture's
 * largest vector length, 2048 bits for Z and 256 for P and FFR, whatever the vCPU's is; bytes
 * past the vCPU's vector length read as zero and are ignored when written (api.rst 4.68,
 * arch/arm64/kvm/guest.c sve_reg_to_region). With SVE, Vn is the low 128 bits of Zn. */
#define ARM64_R_Z(n) (80u + (uint32_t)(n))  /* z0..z31 */
#define ARM64_R_P(n) (112u + (uint32_t)(n)) /* p0..p15 */
#define ARM64_R_FFR 128u
#define ARM64_SVE_VQ_MAX 16u     /* 2048 bits (SVE_VQ_MAX in the uapi) */
#define ARM64_SVE_Z_BYTES 256u   /* ARM64_SVE_VQ_MAX * 16 */
#define ARM64_SVE_P_BYTES 32u    /* ARM64_SVE_VQ_MAX * 2 */
#define ARM64_REG_MAX_BYTES 256u /* the largest arm64_reg_size() */

#define ARM64_R_SYSREG_FLAG 0x100000u
/* A system register: ARM64_R_SYSREG_FLAG | arm64_sysreg_key(). */
#define ARM64_R_SYS(op0, op1, crn, crm, op2)                                                 \
	(ARM64_R_SYSREG_FLAG | (uint32_t)(op0) << 14 | (uint32_t)(op1) << 11 |               \
	 (uint32_t)(crn) << 7 | (uint32_t)(crm) << 3 | (uint32_t)(op2))

/* The system registers the debugger itself reads. */
#define ARM64_R_SCTLR_EL1 ARM64_R_SYS(3, 0, 1, 0, 0)
#define ARM64_R_TCR_EL1 ARM64_R_SYS(3, 0, 2, 0, 2)
#define ARM64_R_TTBR0_EL1 ARM64_R_SYS(3, 0, 2, 0, 0)
#define ARM64_R_TTBR1_EL1 ARM64_R_SYS(3, 0, 2, 0, 1)
#define ARM64_R_VBAR_EL1 ARM64_R_SYS(3, 0, 12, 0, 0)
#define ARM64_R_ESR_EL1 ARM64_R_SYS(3, 0, 5, 2, 0)
#define ARM64_R_FAR_EL1 ARM64_R_SYS(3, 0, 6, 0, 0)
#define ARM64_R_CNTV_CTL_EL0 ARM64_R_SYS(3, 3, 14, 3, 1)

/* CNTV_CTL_EL0 / CNTP_CTL_EL0 (Arm ARM D13.8) */
#define ARM64_CNT_CTL_ENABLE (1ull << 0)
#define ARM64_CNT_CTL_IMASK (1ull << 1)
#define ARM64_CNT_CTL_ISTATUS (1ull << 2)

static inline bool arm64_reg_is_sys(uint32_t id)
{
	return id & ARM64_R_SYSREG_FLAG;
}

static inline struct arm64_sysreg_enc arm64_reg_sys_enc(uint32_t id)
{
	return (struct arm64_sysreg_enc){ (id >> 14) & 3, (id >> 11) & 7, (id >> 7) & 15,
					  (id >> 3) & 15, id & 7 };
}

/* Bytes the register holds, 0 for an id that names none. */
static inline unsigned int arm64_reg_size(uint32_t id)
{
	if (arm64_reg_is_sys(id))
		return (id & ~(ARM64_R_SYSREG_FLAG | 0xffffu)) ? 0 : 8;
	if (id <= ARM64_R_SPSR_EL1)
		return 8;
	if (id >= ARM64_R_V(0) && id <= ARM64_R_V(31))
		return 16;
	if (id == ARM64_R_FPSR || id == ARM64_R_FPCR)
		return 4;
	if (id >= ARM64_R_Z(0) && id <= ARM64_R_Z(31))
		return ARM64_SVE_Z_BYTES;
	if (id >= ARM64_R_P(0) && id <= ARM64_R_FFR)
		return ARM64_SVE_P_BYTES;
	return 0;
}

/* Is id one of SVE's Z, P or FFR? */
static inline bool arm64_reg_is_sve(uint32_t id)
{
	return id >= ARM64_R_Z(0) && id <= ARM64_R_FFR;
}
