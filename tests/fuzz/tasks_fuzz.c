// SPDX-License-Identifier: GPL-3.0-or-later
/* libFuzzer harness for the task-list reader (src/linux/tasks.c): the input is kernel memory
 * at a fixed kernel address, the layout's offsets come from its first bytes, and init_task,
 * runqueues and __per_cpu_offset lie in it. The walk must end (within max tasks), never read
 * outside the input, and give only tasks that are plausible pointers with terminated names. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "src/linux/tasks.h"
#include "tests/fuzz/fuzz.h"

#define BASE 0xffff800010000000ull
#define MAX_TASKS 256

struct mem {
	const uint8_t *buf;
	size_t size;
	unsigned int reads;
};

static int rd(void *ctx, uint64_t va, void *buf, size_t len)
{
	struct mem *m = ctx;

	m->reads++;
	if (va < BASE || va - BASE > m->size || len > m->size - (va - BASE))
		return -EFAULT;
	memcpy(buf, m->buf + (va - BASE), len);
	return 0;
}

static int check(void *opaque, const struct linux_task *t)
{
	unsigned int *n = opaque;

	FUZZ_CHECK(linux_task_va_ok(t->va));
	FUZZ_CHECK(t->pid >= 0);
	FUZZ_CHECK(memchr(t->comm, '\0', sizeof(t->comm)) != NULL);
	FUZZ_CHECK(++*n <= MAX_TASKS);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem m = { .buf = data, .size = size };
	struct linux_layout l;
	uint16_t off[8];
	uint64_t task;
	unsigned int n = 0, cpu;
	int ret;

	if (size < sizeof(off) || size > 1 << 16)
		return 0;
	memcpy(off, data, sizeof(off)); /* the layout: eight offsets under 64 KiB */
	l = (struct linux_layout){ off[0], off[1], off[2], off[3], off[4], off[5], off[6], off[7] };
	ret = linux_for_each_task(rd, &m, &l, BASE + 64, MAX_TASKS, check, &n);
	FUZZ_CHECK(ret == 0 || ret == -ELOOP || ret == -EFAULT || ret == -EINVAL);
	FUZZ_CHECK(n <= MAX_TASKS);
	/* each list step costs a bounded number of reads */
	FUZZ_CHECK(m.reads <= 6u * (MAX_TASKS + 1));
	for (cpu = 0; cpu < 4; cpu++) {
		ret = linux_rq_task(rd, &m, &l, BASE + 16, BASE + 32, cpu, cpu & 1, &task);
		FUZZ_CHECK(ret == 0 || ret == -EFAULT || ret == -EINVAL);
		FUZZ_CHECK(ret || linux_task_va_ok(task));
	}
	return 0;
}
