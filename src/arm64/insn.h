/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A64 instruction classification for stepping: what can move the PC other than to PC + 4, what
 * single step can't get through, and the target of direct branches. Used by range stepping
 * (run at full speed to the next branch behind a hardware breakpoint, step only the branch)
 * and step-over (a BL continues at PC + 4). Pure; encodings from the Arm ARM C4 index. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "src/arm64/sysreg.h"

/* EXCLUSIVE: LDXR/LDAXR/STXR/STLXR (+B/H/P). Single step never gets through an exclusive
 * loop, because each debug exit clears the exclusive monitor: run it at full speed. */
enum arm64_insn_class {
	ARM64_INSN_SEQUENTIAL,      /* next PC is PC + 4 (unless it faults) */
	ARM64_INSN_BRANCH_DIRECT,   /* B, BL, B.cond, BC.cond, CBZ/CBNZ, TBZ/TBNZ: target known */
	ARM64_INSN_BRANCH_INDIRECT, /* BR, BLR, RET and their pointer-authenticated forms */
	ARM64_INSN_EXCEPTION_GEN,   /* SVC, HVC, SMC, BRK, HLT, UDF, DCPSn, DRPS, unallocated */
	ARM64_INSN_ERET,            /* ERET, ERETAA, ERETAB */
	ARM64_INSN_WAIT,            /* WFI, WFE, WFIT, WFET */
	ARM64_INSN_EXCLUSIVE,       /* load/store exclusive */
	ARM64_INSN_SYSREG,          /* MRS, MSR (register, immediate), SYS/SYSL (DC, IC, TLBI) */
};

/* F_LINK: writes X30 = PC + 4 (BL, BLR*), so step-over continues to PC + 4. */
#define ARM64_INSN_F_COND (1u << 0)  /* conditional: falls through to PC + 4 if not taken */
#define ARM64_INSN_F_LINK (1u << 1)  /* a call */
#define ARM64_INSN_F_RET (1u << 2)   /* a function return (RET*) */
#define ARM64_INSN_F_PAC (1u << 3)   /* pointer-authenticated form */
#define ARM64_INSN_F_LOAD (1u << 4)  /* exclusive load; MRS (a system register read) */
#define ARM64_INSN_F_STORE (1u << 5) /* exclusive store; MSR (a system register write) */

struct arm64_insn {
	enum arm64_insn_class cls;
	unsigned int flags;
	const char *name; /* "bl", "b.cond", "ldaxr", "mrs", ... */
	uint64_t target;  /* BRANCH_DIRECT: the taken target */
	unsigned int reg; /* Rn of an indirect branch; Rt of CBZ/TBZ, MRS/MSR, exclusives */
	unsigned int imm; /* imm16 of exception generation; bit of TBZ; cond of B.cond */
	struct arm64_sysreg_enc sysreg; /* MRS/MSR register */
};

/* Classifies the instruction word insn (already in host order) found at pc. */
void arm64_insn_decode(uint32_t insn, uint64_t pc, struct arm64_insn *out);

/* True if the instruction can leave the PC anywhere but PC + 4: branches, exception
 * generation and ERET. */
bool arm64_insn_is_branch(uint32_t insn);

/* Index of the first instruction in insns[0..n) for which arm64_insn_is_branch() is true, n
 * if none: where range stepping puts its hardware breakpoint. */
size_t arm64_insn_next_branch(const uint32_t *insns, size_t n);

const char *arm64_insn_class_name(enum arm64_insn_class cls);

/* True if the instruction writes SP (ADD/SUB/logical immediate with Rd = 31, or a
 * load/store with writeback to base register 31). */
bool arm64_insn_writes_sp(uint32_t insn);
