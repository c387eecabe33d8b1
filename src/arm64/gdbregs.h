/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gdb's view of an arm64 vCPU: register numbers, where each value lives (a register of
 * src/arm64/regs.h, or one the debugger computes: SVE's vg, the pointer authentication masks),
 * the `g` packet layout and the target description XML (gdb manual, "Target Descriptions" and
 * "AArch64 Features"). One map per set of vCPU features (SVE and its vector length, pointer
 * authentication, PMUv3); every map numbers the registers they share alike. Pure. */
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
	ARM64_GREG_Z,      /* z0..z31 (SVE): the low vq * 16 bytes of ARM64_R_Z(index) */
	ARM64_GREG_P,      /* p0..p15 (SVE): the low vq * 2 bytes of ARM64_R_P(index) */
	ARM64_GREG_FFR,    /* ffr (SVE): the low vq * 2 bytes of ARM64_R_FFR */
	ARM64_GREG_VG,     /* vg (SVE): the vector length in 64-bit granules; no CPU register */
	ARM64_GREG_PAUTH,  /* a PAC mask from TCR_EL1 (index: enum arm64_pauth_reg); computed */
	ARM64_GREG_PMU,    /* a PMUv3 system register, its ONE_REG id as SYSREG's; index: the event
			    * counter it is of (PMEVCNTR<n>/PMEVTYPER<n>: n), else ARM64_PMU_ANY */
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
	uint8_t index;               /* Xn/Vn/Zn/Pn, enum arm64_core_reg or arm64_pauth_reg */
	bool readonly;               /* gdb writes get an error (MPIDR, the counter, PAC masks) */
	struct arm64_sysreg_enc enc; /* SYSREG: architectural encoding (MRS/MSR) */
	const char *group;           /* "general", "float", "vector" or "system" */
};

/* The masks of gdb's org.gnu.gdb.aarch64.pauth_v2 feature, in its order: the low half of the
 * address space (TTBR0) and the high half (TTBR1, the kernel's), for data and code pointers. */
enum arm64_pauth_reg {
	ARM64_PAUTH_DMASK,
	ARM64_PAUTH_CMASK,
	ARM64_PAUTH_DMASK_HIGH,
	ARM64_PAUTH_CMASK_HIGH,
};

#define ARM64_GDB_SP 31
#define ARM64_GDB_PC 32
#define ARM64_GDB_CPSR 33
#define ARM64_GDB_V0 34 /* with SVE: z0 (z0..z31 take v0..v31's numbers) */
#define ARM64_GDB_FPSR 66
#define ARM64_GDB_FPCR 67
#define ARM64_GDB_SYSREG0 68 /* first register of org.minivmm.aarch64.sysregs */
#define ARM64_GDB_NR_SYSREGS 28
/* SVE's other registers come after the system registers, so that no register any map has
 * changes its number with the features: p0..p15, ffr, vg. */
#define ARM64_GDB_P0 96
#define ARM64_GDB_FFR 112
#define ARM64_GDB_VG 113
/* PMUv3's registers (org.minivmm.aarch64.pmu) come after the most any map had before them (SVE
 * and pauth: 0..117), at the same numbers in every map that has them: PMCR_EL0 first, the
 * 12 others of pmu_regs[], PMEVCNTR0..30_EL0, PMEVTYPER0..30_EL0. A map without SVE or pauth
 * leaves the numbers between unused (gdb numbers its registers apart from the remote's). */
#define ARM64_GDB_PMU0 118
#define ARM64_GDB_PMU_NAMED 13 /* PMCR_EL0 .. PMCEID1_EL0 */
#define ARM64_GDB_PMEVCNTR0 (ARM64_GDB_PMU0 + ARM64_GDB_PMU_NAMED)
#define ARM64_GDB_PMEVTYPER0 (ARM64_GDB_PMEVCNTR0 + ARM64_PMU_MAX_COUNTERS)
#define ARM64_GDB_NR_PMU (ARM64_GDB_PMU_NAMED + 2 * ARM64_PMU_MAX_COUNTERS)
#define ARM64_GDB_MAX_REGS (ARM64_GDB_PMU0 + ARM64_GDB_NR_PMU) /* 193: SVE, pauth, PMU */

/* PMUv3 (Arm ARM D13): PMCR_EL0.N [15:11] event counters exist, 31 at most; the cycle
 * counter is counter 31 (its bit in PMCNTENSET_EL0 and the others). */
#define ARM64_PMU_MAX_COUNTERS 31
#define ARM64_PMU_ANY 31 /* index of a PMU register that is not one event counter's */
#define ARM64_PMCR_N_SHIFT 11
#define ARM64_PMCR_N_MASK (31ull << ARM64_PMCR_N_SHIFT)

/* Without SVE the `g` packet carries registers 0..67 (core then fpu), in order, target byte
 * order; with it, 0..33 (core): 32 Z registers of up to 256 bytes would not fit in a packet,
 * and gdb reads the registers a `g` reply lacks with `p`. */
#define ARM64_GDB_G_NREGS 68
#define ARM64_GDB_G_BYTES (33 * 8 + 4 + 32 * 16 + 2 * 4)
#define ARM64_GDB_G_NREGS_SVE 34

/* What a map is for: the vCPUs' features (every vCPU of a VM has the same). */
struct arm64_gdb_features {
	unsigned int sve_vq; /* SVE's largest vector length in quadwords, 1..16; 0: no SVE */
	bool pauth;          /* address authentication (KVM_ARM_VCPU_PTRAUTH_ADDRESS) */
	bool pmu;            /* PMUv3 (KVM_ARM_VCPU_PMU_V3) */
};

struct arm64_gdb_map;

/* The map and target description for f; NULL with errno EINVAL for a vector length gdb
 * cannot take (above 16 quadwords, 2048 bits: gdb's AARCH64_MAX_SVE_VQ), or ENOMEM. */
struct arm64_gdb_map *arm64_gdb_map_new(const struct arm64_gdb_features *f);
void arm64_gdb_map_free(struct arm64_gdb_map *m);
/* The map of a vCPU without SVE and pointer authentication (static, never freed). */
const struct arm64_gdb_map *arm64_gdb_map_base(void);
const struct arm64_gdb_features *arm64_gdb_map_features(const struct arm64_gdb_map *m);

/* One more than the map's highest register number (a map with the PMU but not SVE and pauth
 * has no registers at some numbers below it: arm64_gdb_map_reg() is NULL there); how many
 * registers the `g` packet carries. */
unsigned int arm64_gdb_map_nregs(const struct arm64_gdb_map *m);
unsigned int arm64_gdb_map_g_nregs(const struct arm64_gdb_map *m);
/* Descriptor of gdb register regno, NULL past the end and for a number the map leaves unused. */
const struct arm64_gdb_reg *arm64_gdb_map_reg(const struct arm64_gdb_map *m, unsigned int regno);
/* gdb register number of name ("x30", "VBAR_EL1", "z3"), or -ENOENT. */
int arm64_gdb_map_reg_by_name(const struct arm64_gdb_map *m, const char *name);
/* Byte offset of regno in the `g` packet, or -ENOENT if it is not part of it. */
int arm64_gdb_map_g_offset(const struct arm64_gdb_map *m, unsigned int regno);
/* The register (src/arm64/regs.h id) behind gdb register regno; gdb's sp is SP_EL1 or SP_EL0
 * as pstate says. -ENOENT past the map and for vg and the PAC masks (no CPU register holds
 * them: the debugger computes them). */
int arm64_gdb_map_reg_id(const struct arm64_gdb_map *m, unsigned int regno, uint64_t pstate,
			 uint32_t *id);
/* The target description document called annex ("target.xml" and the files it includes:
 * "aarch64-core.xml", "aarch64-fpu.xml" or "aarch64-sve.xml", "aarch64-pauth.xml",
 * "minivmm-sysregs.xml", "minivmm-pmu.xml") for qXfer:features:read; NULL if the map has no
 * such document. */
const char *arm64_gdb_map_xml(const struct arm64_gdb_map *m, const char *annex, size_t *len);

/* The same for arm64_gdb_map_base(), whose numbers every map shares for the registers both
 * have (the monitor names registers through these). */
unsigned int arm64_gdb_nregs(void);
const struct arm64_gdb_reg *arm64_gdb_reg(unsigned int regno);
int arm64_gdb_reg_by_name(const char *name);
int arm64_gdb_g_offset(unsigned int regno);
int arm64_gdb_reg_id(unsigned int regno, uint64_t pstate, uint32_t *id);
const char *arm64_gdb_xml(const char *annex, size_t *len);

/* The encoding to pass to ARM64_SYS_REG() for KVM_{GET,SET}_ONE_REG. Equal to r->enc except
 * for the virtual timer: KVM's uapi swapped KVM_REG_ARM_TIMER_CNT and KVM_REG_ARM_TIMER_CVAL
 * ("their values have been accidentally swapped", arch/arm64/include/uapi/asm/kvm.h). */
struct arm64_sysreg_enc arm64_gdb_kvm_sysreg(const struct arm64_gdb_reg *r);

/* Does PMU register r exist on a vCPU whose PMCR_EL0 is pmcr: an event counter's only below
 * PMCR_EL0.N (Arm ARM: accesses to the others are UNDEFINED), the rest always. True for any
 * register that is not the PMU's. */
bool arm64_gdb_pmu_reg_exists(const struct arm64_gdb_reg *r, uint64_t pmcr);
/* The bits of r a gdb write leaves as the vCPU has them: PMCR_EL0.N (read-only to the guest;
 * KVM would take a count of counters from it), 0 for every other register. */
uint64_t arm64_gdb_kept_bits(const struct arm64_gdb_reg *r);

/* True if the current SP (gdb's sp) is SP_EL1: PSTATE.M = EL1h. EL0 and EL1t use SP_EL0. */
bool arm64_current_sp_is_el1(uint64_t pstate);

/* The bits of a pointer that hold its pointer authentication code (Arm ARM, AddPAC), as
 * TCR_EL1 sets them for the half of the address space high selects, for a code (insn) or a
 * data pointer: from bit 64 - TxSZ up to 54, and up to 63 where the top byte is not ignored
 * (TBI clear, or for code pointers TBID set). Linux's ptrauth_user_pac_mask() and
 * ptrauth_kernel_pac_mask() (arch/arm64/include/asm/compiler.h) for its own TCR_EL1: what
 * gdb's pauth registers hold. */
uint64_t arm64_pac_mask(uint64_t tcr_el1, bool high, bool insn);
