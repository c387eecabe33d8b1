// SPDX-License-Identifier: GPL-3.0-or-later
/* The VM: /dev/kvm, KVM_CREATE_VM, one RAM slot and the ROM slots, and the event word the vCPU
 * threads use to wake the main loop. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "errmsg.h"
#include "vm.h"

int vm_alloc_ram(struct guest_ram *ram, gpa_t base, uint64_t size)
{
	void *hva;

	/* MAP_NORESERVE: guest RAM is touched lazily; a 512 MiB guest that boots to a
	 * shell uses a fraction of it. */
	hva = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		   -1, 0);
	if (hva == MAP_FAILED)
		return -errno;
	*ram = (struct guest_ram){ .base = base, .size = size, .hva = hva };
	return 0;
}

void vm_clear_ram(struct guest_ram *ram)
{
	/* Private anonymous memory reads back as zeroes after MADV_DONTNEED. */
	madvise(ram->hva, ram->size, MADV_DONTNEED);
}

void vm_free_ram(struct guest_ram *ram)
{
	if (ram->hva)
		munmap(ram->hva, ram->size);
	ram->hva = NULL;
}

static int vm_add_ram(struct vm *vm)
{
	struct kvm_userspace_memory_region region = {
		.slot = 0,
		.guest_phys_addr = vm->ram.base,
		.memory_size = vm->ram.size,
		.userspace_addr = (uintptr_t)vm->ram.hva,
	};

	return ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region) < 0 ? -errno : 0;
}

int vm_map_rom(struct vm *vm, unsigned int i, bool mapped)
{
	struct kvm_userspace_memory_region region = {
		.slot = 1 + i,
		.flags = KVM_MEM_READONLY,
		.guest_phys_addr = vm->rom[i].base,
		.memory_size = mapped ? vm->rom[i].size : 0, /* 0 deletes the slot */
		.userspace_addr = (uintptr_t)vm->rom[i].hva,
	};

	if (i >= vm->nr_rom)
		return -EINVAL;
	return ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region) < 0 ? -errno : 0;
}

static uint8_t *region_mem(const struct guest_ram *r, gpa_t pa, uint64_t len, uint64_t *avail)
{
	uint64_t n;

	if (!r->hva || pa < r->base || pa - r->base >= r->size)
		return NULL;
	n = r->size - (pa - r->base);
	*avail = len < n ? len : n;
	return r->hva + (pa - r->base);
}

uint8_t *vm_mem(const struct vm *vm, gpa_t pa, uint64_t len, uint64_t *avail)
{
	uint8_t *p = region_mem(&vm->ram, pa, len, avail);
	unsigned int i;

	for (i = 0; !p && i < vm->nr_rom; i++)
		p = region_mem(&vm->rom[i], pa, len, avail);
	if (!p)
		*avail = 0;
	return p;
}

int vm_create(struct vm *vm, const struct guest_ram *ram, char *err, size_t errlen)
{
	const char *what; /* the step that failed, for the message */
	int ret;

	/* The caller zeroed *vm and may have registered devices on vm->bus already. */
	vm->ram = *ram;
	vm->fd = vm->event_fd = -1;
	pthread_mutex_init(&vm->lock, NULL);
	pthread_cond_init(&vm->cond, NULL);

	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0) {
		ret = -errno;
		if (ret == -ENOENT)
			return errmsg_fail(err, errlen, ret,
					   "/dev/kvm does not exist: this host has no KVM");
		return errmsg_fail(err, errlen, ret, "cannot open /dev/kvm: %s", strerror(-ret));
	}
	what = "KVM_GET_API_VERSION";
	ret = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (ret != KVM_API_VERSION) {
		ret = ret < 0 ? -errno : -ENOTSUP;
		goto err_close_kvm;
	}
	what = "KVM_GET_VCPU_MMAP_SIZE";
	vm->run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vm->run_size < 0) {
		ret = -errno;
		goto err_close_kvm;
	}
	what = "KVM_CREATE_VM";
	vm->fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->fd < 0) {
		ret = -errno;
		goto err_close_kvm;
	}
	what = "eventfd";
	vm->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vm->event_fd < 0) {
		ret = -errno;
		goto err_close_vm;
	}
	vm->has_ext_dabt = vm_check_extension(vm, KVM_CAP_ARM_INJECT_EXT_DABT) > 0;
	what = "KVM_SET_USER_MEMORY_REGION";
	ret = vm_add_ram(vm);
	if (ret)
		goto err_close_event;
	if (vm->nr_rom && vm_check_extension(vm, KVM_CAP_READONLY_MEM) <= 0) {
		close(vm->event_fd);
		close(vm->fd);
		close(vm->kvm_fd);
		return errmsg_fail(err, errlen, -ENOTSUP,
				   "this host's KVM has no read-only memory slots "
				   "(KVM_CAP_READONLY_MEM), which flash needs");
	}
	for (unsigned int i = 0; i < vm->nr_rom; i++) {
		what = "KVM_SET_USER_MEMORY_REGION (flash)";
		ret = vm_map_rom(vm, i, true);
		if (ret)
			goto err_close_event;
	}
	return 0;

err_close_event:
	close(vm->event_fd);
err_close_vm:
	close(vm->fd);
err_close_kvm:
	close(vm->kvm_fd);
	return errmsg_fail(err, errlen, ret, "%s: %s", what, strerror(-ret));
}

void vm_destroy(struct vm *vm)
{
	close(vm->event_fd);
	close(vm->fd);
	close(vm->kvm_fd);
}

int vm_check_extension(struct vm *vm, long cap)
{
	int ret = ioctl(vm->fd >= 0 ? vm->fd : vm->kvm_fd, KVM_CHECK_EXTENSION, cap);

	return ret < 0 ? 0 : ret;
}

void vm_post_event(struct vm *vm, enum vm_event_kind kind)
{
	uint64_t one = 1;

	pthread_mutex_lock(&vm->lock);
	vm->pending |= 1u << kind;
	pthread_mutex_unlock(&vm->lock);
	if (write(vm->event_fd, &one, sizeof(one)) < 0) {
		/* EAGAIN: the counter is already non-zero, the loop will wake */
	}
}

unsigned int vm_take_events(struct vm *vm)
{
	uint64_t count;
	unsigned int ev;

	if (read(vm->event_fd, &count, sizeof(count)) < 0) {
		/* EAGAIN: nothing was posted since the last read */
	}
	pthread_mutex_lock(&vm->lock);
	ev = vm->pending;
	vm->pending = 0;
	pthread_mutex_unlock(&vm->lock);
	return ev;
}
