/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The virtual machine: /dev/kvm, the VM file descriptor, guest RAM, the MMIO bus,
 * the vCPUs and the events they post to the main loop. */
#pragma once

#include <pthread.h>
#include <stdbool.h>

#include "guest_ram.h"
#include "mmio.h"

struct vcpu;
struct vcpu_hooks;

#define VM_MAX_ROM 2

enum vm_event_kind {
	VM_EV_SHUTDOWN, /* PSCI SYSTEM_OFF */
	VM_EV_RESET,    /* PSCI SYSTEM_RESET */
	VM_EV_STOPPED,  /* a vCPU stopped for the debugger (see struct vcpu's stop) */
	VM_EV_ERROR,    /* a vCPU cannot go on: KVM_RUN failed or KVM reported an error */
	VM_EV_PANIC,    /* a Linux guest printed its panic line (board.c, --dump-on-panic) */
};

struct vm {
	int kvm_fd;
	int fd;
	int run_size;         /* KVM_GET_VCPU_MMAP_SIZE */
	bool has_ext_dabt;    /* KVM_CAP_ARM_INJECT_EXT_DABT */
	struct guest_ram ram;
	/* Memory beside RAM that the guest reads and runs but does not write (--bios's flash
	 * banks): read-only slots, so its writes exit as MMIO to the device on the bus. The
	 * debugger reads and writes it too (its breakpoints), through these host mappings. */
	struct guest_ram rom[VM_MAX_ROM];
	unsigned int nr_rom;
	struct mmio_bus bus;
	unsigned int nr_vcpus;
	struct vcpu *vcpus;
	int event_fd;         /* eventfd: vCPU threads wake the main loop */
	pthread_mutex_t lock; /* guards the pending events and vCPU run states */
	pthread_cond_t cond;
	unsigned int pending; /* bit mask of enum vm_event_kind */
	int error_vcpu;       /* which vCPU posted VM_EV_ERROR */
	const struct vcpu_hooks *hooks; /* include/vcpu.h; set before the threads start */
};

/* Guest RAM is allocated before the VM exists, so that images are loaded and
 * checked without KVM. */
int vm_alloc_ram(struct guest_ram *ram, gpa_t base, uint64_t size);
/* Zero all of it (a guest reset). */
void vm_clear_ram(struct guest_ram *ram);
void vm_free_ram(struct guest_ram *ram);
/* Open /dev/kvm and create the VM with ram as its memory (the VM does not own it).
 * On failure returns -errno with a one-line reason in err. */
int vm_create(struct vm *vm, const struct guest_ram *ram, char *err, size_t errlen);
void vm_destroy(struct vm *vm);
/* Map (mapped) or unmap vm->rom[i] as KVM memory slot 1 + i, read-only: a device in a
 * mode where reads return something else than the memory (a flash's status) unmaps it,
 * so that reads exit too. Safe while vCPUs run. */
int vm_map_rom(struct vm *vm, unsigned int i, bool mapped);
/* Host address of guest-physical [pa, pa + len) if it is RAM or ROM, with *avail set to
 * how many bytes of it, up to len, lie in that one region; NULL (and *avail 0) if pa is
 * in neither. */
uint8_t *vm_mem(const struct vm *vm, gpa_t pa, uint64_t len, uint64_t *avail);
/* KVM_CHECK_EXTENSION on the VM, or on /dev/kvm before it exists. */
int vm_check_extension(struct vm *vm, long cap);
/* Called from vCPU threads: record an event and wake the main loop. */
void vm_post_event(struct vm *vm, enum vm_event_kind kind);
/* Main loop: read and clear the pending events (bit mask). */
unsigned int vm_take_events(struct vm *vm);
