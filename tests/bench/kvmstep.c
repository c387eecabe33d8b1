// SPDX-License-Identifier: GPL-3.0-or-later
/* The ceiling for `make bench` (tests/bench/bench.py), run in the test host: how many
 * single steps per second KVM itself gives, with nothing else in the loop. A VM with one
 * page of RAM and one vCPU runs a two-instruction loop with KVM_GUESTDBG_SINGLESTEP, and
 * every KVM_RUN returns KVM_EXIT_DEBUG after one instruction (api.rst, KVM_SET_GUEST_DEBUG).
 * Prints "steps=N seconds=S rate=R". */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define RAM_BASE 0x40000000UL
#define RAM_SIZE 0x10000UL
#define REG_PC                                                 \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
	 (__builtin_offsetof(struct kvm_regs, regs.pc) / sizeof(uint32_t)))

static const uint32_t loop[] = {
	0x91000400, /* add x0, x0, #1 */
	0x17ffffff, /* b .-4 */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fail(const char *what)
{
	perror(what);
	return 1;
}

int main(int argc, char **argv)
{
	long steps = argc > 1 ? atol(argv[1]) : 5000;
	struct kvm_guest_debug dbg = { .control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP };
	struct kvm_userspace_memory_region region = { .guest_phys_addr = RAM_BASE,
						      .memory_size = RAM_SIZE };
	struct kvm_vcpu_init init;
	uint64_t pc = RAM_BASE;
	struct kvm_one_reg reg = { .id = REG_PC, .addr = (uint64_t)&pc };
	struct kvm_run *run;
	int kvm, vm, vcpu;
	double t0, t1;
	void *ram;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return fail("/dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		return fail("KVM_CREATE_VM");
	ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED)
		return fail("mmap");
	memcpy(ram, loop, sizeof(loop));
	region.userspace_addr = (uint64_t)ram;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region))
		return fail("KVM_SET_USER_MEMORY_REGION");
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		return fail("KVM_CREATE_VCPU");
	run = mmap(NULL, ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0), PROT_READ | PROT_WRITE, MAP_SHARED,
		   vcpu, 0);
	if (run == MAP_FAILED)
		return fail("mmap kvm_run");
	if (ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) || ioctl(vcpu, KVM_ARM_VCPU_INIT, &init))
		return fail("KVM_ARM_VCPU_INIT");
	if (ioctl(vcpu, KVM_SET_ONE_REG, &reg) || ioctl(vcpu, KVM_SET_GUEST_DEBUG, &dbg))
		return fail("KVM_SET_ONE_REG/KVM_SET_GUEST_DEBUG");
	t0 = now();
	for (long i = 0; i < steps; i++) {
		if (ioctl(vcpu, KVM_RUN, 0) && errno != EINTR)
			return fail("KVM_RUN");
		if (run->exit_reason != KVM_EXIT_DEBUG) {
			fprintf(stderr, "kvmstep: exit reason %u, not a debug exit\n",
				run->exit_reason);
			return 1;
		}
	}
	t1 = now();
	printf("steps=%ld seconds=%.3f rate=%.1f\n", steps, t1 - t0, steps / (t1 - t0));
	return 0;
}
