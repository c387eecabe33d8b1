/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A vCPU and its thread. The thread only runs KVM_RUN and dispatches exits; the main
 * loop pauses and resumes it, and touches its registers only while it is paused. */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "debug.h"
#include "types.h"

struct vm;
struct kvm_run;

struct vcpu {
	struct vm *vm;
	unsigned int id;
	int fd;
	struct kvm_run *run;
	uint32_t init_features; /* KVM_ARM_VCPU_INIT features[0] */
	pthread_t thread;
	bool has_thread;
	/* Guarded by vm->lock. */
	bool want_run;   /* the loop lets it run */
	bool is_running; /* the thread is at or in KVM_RUN */
	bool quit;
	pthread_cond_t go; /* with vm->lock: want_run or quit was set */
	struct vcpu_debug dbg; /* src/debug.c, src/step.c */
};

/* Create vCPU id (KVM_CREATE_VCPU, mmap of kvm_run, KVM_ARM_VCPU_INIT with PSCI 0.2;
 * secondaries start powered off). *what names the failing step. */
int vcpu_create(struct vm *vm, struct vcpu *v, unsigned int id, bool powered_off,
		const char **what);
/* Back to the state of vcpu_create() (KVM_ARM_VCPU_INIT again): a guest reset. */
int vcpu_reset_all(struct vm *vm);
/* Start the thread, paused. */
int vcpu_start(struct vcpu *v);
/* Let every vCPU run. */
void vcpu_resume_all(struct vm *vm);
/* Let this one run. */
void vcpu_resume(struct vcpu *v);
/* From a vCPU thread: let the other vCPUs that take part in the resume run. */
void vcpu_resume_others(struct vcpu *self);
/* Powered off (PSCI CPU_OFF, or a secondary not yet started)? */
bool vcpu_is_powered_off(struct vcpu *v);
/* Stop every vCPU and wait until none is inside KVM_RUN. */
void vcpu_pause_all(struct vm *vm);
/* The same; was_running[i] says whether vCPU i was let run, read under the same lock (the
 * monitor pauses for a read and resumes exactly those). */
void vcpu_pause_all_save(struct vm *vm, bool *was_running);
/* End and join all vCPU threads; close their fds. */
void vcpu_destroy_all(struct vm *vm);

int vcpu_get_reg(struct vcpu *v, uint64_t id, void *val);
int vcpu_set_reg(struct vcpu *v, uint64_t id, const void *val);
int vcpu_set_reg64(struct vcpu *v, uint64_t id, uint64_t val);
