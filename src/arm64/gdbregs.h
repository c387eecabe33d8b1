/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gdb's view of an arm64 vCPU: register numbers, where each value lives (KVM core register,
 * FP register or system register), the `g` packet layout and the target description XML
 * (gdb manual, "Target Descriptions" and "AArch64 Features"). Pure: debug.c turns a descriptor
 * into a KVM_GET_ONE_REG id. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "src/arm64/sysreg.h"

enum arm64_gdb_reg_kind {
	ARM64_GREG_X,      /* x0..x30: kvm_regs.regs.regs[index] */
	ARM64_GREG_SP,     /* gdb's sp is the *current* SP: see arm64_current_sp_is_el1() */
	ARM64_GREG_PC,     /* kvm_regs.regs.pc */
	ARM64_GREG_CPSR,   /* kvm_regs.regs.pstate, 32 bits for gdb */
	ARM64_GREG_V,      /* v0..v31: kvm_regs.fp_regs.vregs[index], 128 bits */
	ARM64_GREG_FPSR,   /* kvm_regs.fp_regs.fpsr */
	ARM64_GREG_FPCR,   /* kvm_regs.fp_regs.fpcr */
	ARM64_GREG_CORE,   /* another struct kvm_regs field: index is enum arm64_core_reg */
	ARM64_GREG_SYSREG, /* a system register: ONE_REG id from arm64_gdb_kvm_sysreg() */
};

/* ELR_EL1, SPSR_EL1 and SP_EL1 are KVM *core* registers (struct kvm_regs: elr_el1, spsr[0],
 * sp_el1), not ARM64_SYS_REG ids; SP_EL0 is kvm_regs.regs.sp. */
enum arm64_core_reg {
	ARM64_CORE_SP_EL0,
	ARM64_CORE_SP_EL1,
	ARM64_CORE_ELR_EL1,
	ARM64_CORE_SPSR_EL1,
};

struct arm64_gdb_reg {
	const char *name;
	uint16_t bitsize;
	uint8_t kind;                /* enum arm64_gdb_reg_kind */
	uint8_t index;               /* Xn/Vn number or enum arm64_core_reg */
	bool readonly;               /* gdb writes get an error (MPIDR, MIDR, the counter) */
	struct arm64_sysreg_enc enc; /* SYSREG: architectural encoding (MRS/MSR) */
	const char *group;           /* "general", "float" or "system" */
};

#define ARM64_GDB_SP 31
#define ARM64_GDB_PC 32
#define ARM64_GDB_CPSR 33
#define ARM64_GDB_V0 34
#define ARM64_GDB_FPSR 66
#define ARM64_GDB_FPCR 67
#define ARM64_GDB_SYSREG0 68 /* first register of org.minivmm.aarch64.sysregs */

/* The `g` packet carries registers 0..67 (core then fpu), in order, target byte order. */
#define ARM64_GDB_G_NREGS 68
#define ARM64_GDB_G_BYTES (33 * 8 + 4 + 32 * 16 + 2 * 4)

/* Number of registers in the map. */
unsigned int arm64_gdb_nregs(void);

/* Descriptor of gdb register regno, NULL past the end. */
const struct arm64_gdb_reg *arm64_gdb_reg(unsigned int regno);

/* gdb register number of name ("x30", "VBAR_EL1"), or -ENOENT. */
int arm64_gdb_reg_by_name(const char *name);

/* Byte offset of regno in the `g` packet, or -ENOENT if it is not part of it. */
int arm64_gdb_g_offset(unsigned int regno);

/* The encoding to pass to ARM64_SYS_REG() for KVM_{GET,SET}_ONE_REG. Equal to r->enc except
 * for the virtual timer: KVM's uapi swapped KVM_REG_ARM_TIMER_CNT and KVM_REG_ARM_TIMER_CVAL
 * ("their values have been accidentally swapped", arch/arm64/include/uapi/asm/kvm.h). */
struct arm64_sysreg_enc arm64_gdb_kvm_sysreg(const struct arm64_gdb_reg *r);

/* The register (src/arm64/regs.h id) behind gdb register regno; gdb's sp is SP_EL1 or SP_EL0
 * as pstate says. -ENOENT past the map. */
int arm64_gdb_reg_id(unsigned int regno, uint64_t pstate, uint32_t *id);

/* True if the current SP (gdb's sp) is SP_EL1: PSTATE.M = EL1h. EL0 and EL1t use SP_EL0. */
bool arm64_current_sp_is_el1(uint64_t pstate);

/* The target description document called annex ("target.xml", "aarch64-core.xml",
 * "aarch64-fpu.xml", "minivmm-sysregs.xml") for qXfer:features:read; NULL if unknown. */
const char *arm64_gdb_xml(const char *annex, size_t *len);
