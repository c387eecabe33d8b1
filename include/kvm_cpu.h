/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The debugger's CPU-access interface (include/dbg_cpu.h) over KVM: ONE_REG with a register
 * cache per vCPU, KVM_SET_GUEST_DEBUG, guest RAM, and the vCPU threads' run control. */
#pragma once

#include "dbg_cpu.h"

struct vm;
struct kvm_cpu;

extern const struct dbg_cpu_ops kvm_cpu_ops;

/* The ops' ctx for vm's vCPUs (created already); NULL with errno on failure. */
struct kvm_cpu *kvm_cpu_new(struct vm *vm);
void kvm_cpu_free(struct kvm_cpu *k);
/* Debug register pairs KVM offers: breakpoints and watchpoints (at most DBG_HW_SLOTS), and
 * whether it has KVM_SET_GUEST_DEBUG at all. */
void kvm_cpu_debug_caps(struct vm *vm, unsigned int *nr_bps, unsigned int *nr_wps, bool *has);
