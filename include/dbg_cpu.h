/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How the debugger (include/debugger.h) reaches the vCPUs: one narrow ops struct and a
 * void *, as gdbstub/ reaches the debugger. KVM is one implementation (src/kvm_cpu.c, the
 * only place with the ioctls behind it); a fake CPU for the unit tests is another
 * (src/debugger/fakecpu.c). Pure: no KVM header. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "types.h"

#define DBG_HW_SLOTS 16 /* debug register pairs of each kind the interface carries */

/* What KVM_SET_GUEST_DEBUG takes on arm64, in the architecture's terms
 * (Documentation/virt/kvm/api.rst, 4.86). */
enum {
	DBG_HW_ENABLE = 1u << 0,     /* KVM_GUESTDBG_ENABLE: anything below at all */
	DBG_HW_SINGLESTEP = 1u << 1, /* one instruction, then an exit (ESR EC 0x32) */
	DBG_HW_SW_BP = 1u << 2,      /* BRK exits to us (EC 0x3c) instead of the guest */
	DBG_HW_HW = 1u << 3,         /* the bcr/bvr/wcr/wvr below are live */
};

struct dbg_hw_state {
	uint32_t flags;
	uint64_t bcr[DBG_HW_SLOTS], bvr[DBG_HW_SLOTS]; /* DBGBCR<n>_EL1, DBGBVR<n>_EL1 */
	uint64_t wcr[DBG_HW_SLOTS], wvr[DBG_HW_SLOTS]; /* DBGWCR<n>_EL1, DBGWVR<n>_EL1 */
};

/* What every vCPU of the VM has beyond the base architecture (all have the same, from their
 * creation on). */
struct dbg_cpu_features {
	unsigned int sve_vq; /* SVE: its largest vector length in quadwords; 0: no SVE */
	bool pauth;          /* address authentication (FEAT_PAuth: PACIA, AUTIA, ...) */
	bool pmu;            /* PMUv3 (KVM_ARM_VCPU_PMU_V3): its system registers by ONE_REG */
};

/* A vCPU's registers and debug state are touched only while it is out of KVM_RUN: by its own
 * thread at an exit, or by the main loop while it is paused. Run control is the main loop's.
 * Return 0 or -errno unless said otherwise. */
struct dbg_cpu_ops {
	/* Register id (src/arm64/regs.h) into/from val, arm64_reg_size(id) bytes. SVE's Z, P and
	 * FFR (-ENOENT without SVE) come at 2048 and 256 bits: bytes past the vector length read
	 * as zero and are not written. With SVE, v0..v31 are the low 128 bits of z0..z31, and
	 * writing one zeroes the rest of its Z, as an AdvSIMD write of Vn does (Arm ARM, the V[]
	 * accessor with SVE: Z[n] = ZeroExtend(value)). */
	int (*get_reg)(void *ctx, unsigned int cpu, uint32_t id, void *val);
	int (*set_reg)(void *ctx, unsigned int cpu, uint32_t id, const void *val);
	/* Optional (NULL: none of them): the vCPUs' features. */
	void (*features)(void *ctx, struct dbg_cpu_features *f);
	/* Host address of guest-physical pa if it is RAM, with *avail set to how many bytes of
	 * [pa, pa + len) follow it contiguously (at least 1); NULL where no RAM is. */
	uint8_t *(*mem)(void *ctx, gpa_t pa, uint64_t len, uint64_t *avail);
	/* KVM_SET_GUEST_DEBUG. */
	int (*set_debug)(void *ctx, unsigned int cpu, const struct dbg_hw_state *hw);
	/* Let one vCPU run (it runs until an exit makes the debugger stop it). */
	void (*run)(void *ctx, unsigned int cpu);
	/* Stop every vCPU and wait until none is inside KVM_RUN. */
	void (*pause_all)(void *ctx);
	/* Wait until cpu is out of KVM_RUN and not let run; -ETIMEDOUT after timeout_ms. */
	int (*wait_paused)(void *ctx, unsigned int cpu, unsigned int timeout_ms);
	/* Powered off (PSCI CPU_OFF, or a secondary not yet started)? */
	bool (*is_powered_off)(void *ctx, unsigned int cpu);
};
