/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A vCPU and its thread. The thread only runs KVM_RUN and dispatches exits; the main
 * loop pauses and resumes it, and touches its registers only while it is paused. */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "cpu_opts.h"
#include "types.h"

struct vm;
struct kvm_run;

/* What a vCPU thread calls around KVM_RUN, registered once at set-up (the debugger's, wired
 * by main.c). Both are called on the vCPU's own thread. */
struct vcpu_hooks {
	/* Before each KVM_RUN; -errno stops the machine with an error. */
	int (*before_run)(void *opaque, unsigned int cpu);
	/* At KVM_EXIT_DEBUG: true to keep running, false to pause and post VM_EV_STOPPED. */
	bool (*debug_exit)(void *opaque, unsigned int cpu, uint64_t esr, uint64_t far);
	void *opaque;
};

struct vcpu {
	struct vm *vm;
	unsigned int id;
	int fd;
	struct kvm_run *run;
	uint32_t init_features; /* KVM_ARM_VCPU_INIT features[0] (PSCI 0.2, SVE, PTRAUTH_*, PMU_V3)
				 */
	unsigned int sve_vq;    /* SVE: its largest vector length in 128-bit quadwords; 0: no SVE */
	pthread_t thread;
	bool has_thread;
	/* Guarded by vm->lock. */
	bool want_run;   /* the loop lets it run */
	bool is_running; /* the thread is at or in KVM_RUN */
	bool quit;
	pthread_cond_t go; /* with vm->lock: want_run or quit was set */
	/* The vCPU's thread (or whoever holds it paused): bumped at each KVM_RUN and reset, so
	 * that a register cache knows when it went stale (src/kvm_cpu.c). */
	uint64_t epoch;
};

/* The CPU features every vCPU of the VM gets (vcpu_features_choose). */
struct vcpu_features {
	bool sve, pauth, pmu;    /* pauth: address and generic authentication both */
	unsigned int sve_max_vq; /* SVE: the largest vector length, 128-bit quadwords; 0: the
				  * host's largest */
	/* What the host lacks that the guest therefore runs without (for `info cpu`). */
	bool host_lacks_sve, host_lacks_pauth, host_lacks_pmu;
};

/* --cpu's choice (o) against what the host's KVM has: *f. A feature asked for by "on" that
 * the host lacks is an error (-ENOTSUP with a one-line reason); one left at its default is
 * left out, and f says so. */
int vcpu_features_choose(struct vm *vm, const struct cpu_opts *o, struct vcpu_features *f,
			 char *err, size_t errlen);

/* Create vCPU id (KVM_CREATE_VCPU, mmap of kvm_run, KVM_ARM_VCPU_INIT with PSCI 0.2 and the
 * features f; SVE's vector lengths are set and the vCPU finalized; secondaries start powered
 * off). On failure -errno with a one-line reason in err. */
int vcpu_create(struct vm *vm, struct vcpu *v, unsigned int id, bool powered_off,
		const struct vcpu_features *f, char *err, size_t errlen);
/* Connect v's PMU to its overflow interrupt (INTID intid, a PPI) and initialise it; after the
 * interrupt controller is initialised (KVM_ARM_VCPU_PMU_V3_INIT needs it). */
int vcpu_init_pmu(struct vcpu *v, unsigned int intid, char *err, size_t errlen);
/* The vector lengths v's SVE has (KVM_REG_ARM64_SVE_VLS: bit vq - 1 of 8 words). */
int vcpu_sve_vls(struct vcpu *v, unsigned long long vls[8]);
/* The hooks every vCPU thread calls (before vcpu_start; hooks must outlive the threads). */
void vcpu_set_hooks(struct vm *vm, const struct vcpu_hooks *hooks);
/* Back to the state of vcpu_create() (KVM_ARM_VCPU_INIT again): a guest reset. */
int vcpu_reset_all(struct vm *vm);
/* Start the thread, paused. */
int vcpu_start(struct vcpu *v);
/* Let every vCPU run. */
void vcpu_resume_all(struct vm *vm);
/* Let this one run. */
void vcpu_resume(struct vcpu *v);
/* Powered off (PSCI CPU_OFF, or a secondary not yet started)? */
bool vcpu_is_powered_off(struct vcpu *v);
/* Stop every vCPU and wait until none is inside KVM_RUN. */
void vcpu_pause_all(struct vm *vm);
/* The same; was_running[i] says whether vCPU i was let run, read under the same lock (the
 * monitor pauses for a read and resumes exactly those). */
void vcpu_pause_all_save(struct vm *vm, bool *was_running);
/* Wait until v is out of KVM_RUN and not let run; -ETIMEDOUT after timeout_ms. */
int vcpu_wait_paused(struct vcpu *v, unsigned int timeout_ms);
/* End and join all vCPU threads; close their fds. */
void vcpu_destroy_all(struct vm *vm);

int vcpu_get_reg(struct vcpu *v, uint64_t id, void *val);
int vcpu_set_reg(struct vcpu *v, uint64_t id, const void *val);
int vcpu_set_reg64(struct vcpu *v, uint64_t id, uint64_t val);
