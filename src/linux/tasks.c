// SPDX-License-Identifier: GPL-3.0-or-later
/* Reading a Linux guest's tasks (src/linux/tasks.h). The list is the one the kernel's
 * for_each_process_thread() walks: group leaders on init_task.tasks, each with its threads on
 * thread_group. Both lists are circular list_heads whose `next` points at the member inside
 * the next task_struct. Every pointer is checked before it is followed, and the walk ends
 * after max tasks whatever the memory says. */
#include <errno.h>
#include <string.h>

#include "src/linux/btf.h"
#include "src/linux/tasks.h"

int linux_layout_from_btf(const struct btf *b, struct linux_layout *l, const char **missing)
{
	static const struct {
		const char *type, *path;
		size_t off;
	} want[] = {
		{ "task_struct", "tasks", offsetof(struct linux_layout, tasks) },
		{ "task_struct", "thread_group", offsetof(struct linux_layout, thread_group) },
		{ "task_struct", "pid", offsetof(struct linux_layout, pid) },
		{ "task_struct", "comm", offsetof(struct linux_layout, comm) },
		{ "task_struct", "thread_info.cpu", offsetof(struct linux_layout, cpu) },
		{ "task_struct", "thread.cpu_context", offsetof(struct linux_layout, context) },
		{ "rq", "curr", offsetof(struct linux_layout, rq_curr) },
		{ "rq", "idle", offsetof(struct linux_layout, rq_idle) },
	};
	uint32_t off, size;
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (btf_member_offset(b, want[i].type, want[i].path, &off, &size)) {
			if (missing)
				*missing = want[i].path;
			return -ENOENT;
		}
		memcpy((char *)l + want[i].off, &off, sizeof(off));
	}
	return 0;
}

bool linux_task_va_ok(uint64_t va)
{
	return (va >> 63) && !(va & 7);
}

static int rd64(linux_read_fn rd, void *ctx, uint64_t va, uint64_t *v)
{
	if (va + 8 < va)
		return -EFAULT;
	return rd(ctx, va, v, 8);
}

#define SPAN_MAX 8192 /* one read for a task when its members lie within this */

int linux_read_task(linux_read_fn rd, void *ctx, const struct linux_layout *l, uint64_t va,
		    struct linux_task *t)
{
	const struct {
		uint32_t off;
		void *dst;
		size_t len;
	} f[] = {
		{ l->pid, &t->pid, 4 },
		{ l->cpu, &t->cpu, 4 },
		{ l->comm, t->comm, LINUX_COMM_LEN },
		{ l->context, t->context, sizeof(t->context) },
		{ l->tasks, &t->tasks_next, 8 },
		{ l->thread_group, &t->group_next, 8 },
	};
	uint64_t lo = UINT64_MAX, hi = 0;
	uint8_t span[SPAN_MAX];
	size_t i;
	int ret = 0;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		lo = f[i].off < lo ? f[i].off : lo;
		hi = f[i].off + f[i].len > hi ? f[i].off + f[i].len : hi;
	}
	if (!linux_task_va_ok(va) || va + hi < va)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	if (hi - lo <= SPAN_MAX && !rd(ctx, va + lo, span, hi - lo)) {
		for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
			memcpy(f[i].dst, span + (f[i].off - lo), f[i].len);
	} else { /* members far apart, or the span crosses into a hole: one by one */
		for (i = 0; i < sizeof(f) / sizeof(f[0]) && !ret; i++)
			ret = rd(ctx, va + f[i].off, f[i].dst, f[i].len);
		if (ret)
			return ret;
	}
	t->va = va;
	t->comm[LINUX_COMM_LEN] = '\0';
	return t->pid < 0 ? -EINVAL : 0;
}

/* The task a list member's `next` (p, at offset member in its task) points into. */
static int next_task(uint64_t p, uint32_t member, uint64_t *next)
{
	if (p < member || !linux_task_va_ok(p - member))
		return -EINVAL;
	*next = p - member;
	return 0;
}

int linux_for_each_task(linux_read_fn rd, void *ctx, const struct linux_layout *l,
			uint64_t init_task, unsigned int max, linux_task_fn fn, void *opaque)
{
	uint64_t leader = init_task, t, leader_next = 0;
	struct linux_task task;
	unsigned int n = 0;
	int ret;

	if (!linux_task_va_ok(init_task))
		return -EINVAL;
	do {
		t = leader;
		do {
			if (n++ == max)
				return -ELOOP;
			ret = linux_read_task(rd, ctx, l, t, &task);
			if (!ret)
				ret = fn(opaque, &task);
			if (!ret && t == leader)
				leader_next = task.tasks_next;
			if (!ret)
				ret = next_task(task.group_next, l->thread_group, &t);
			if (ret)
				return ret;
		} while (t != leader);
		ret = next_task(leader_next, l->tasks, &leader);
		if (ret)
			return ret;
	} while (leader != init_task);
	return 0;
}

int linux_rq_task(linux_read_fn rd, void *ctx, const struct linux_layout *l, uint64_t runqueues,
		  uint64_t per_cpu_offset, unsigned int cpu, bool idle, uint64_t *task)
{
	uint64_t off, rq;
	int ret = rd64(rd, ctx, per_cpu_offset + 8ull * cpu, &off);

	if (ret)
		return ret;
	rq = runqueues + off;
	ret = rd64(rd, ctx, rq + (idle ? l->rq_idle : l->rq_curr), task);
	if (ret)
		return ret;
	return linux_task_va_ok(*task) ? 0 : -EINVAL;
}
