/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A Linux guest's tasks as its memory holds them: the task list from init_task, each task's
 * pid, name, last CPU and saved context (what cpu_switch_to left in thread.cpu_context), and
 * the task each CPU runs. Where the members lie comes from the kernel's own BTF
 * (src/linux/btf.h), where the variables lie from gdb's symbol file. Pure and bounded: memory
 * comes through a callback, and a list that is corrupt or never closes is an error, never a
 * hang. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct btf;

/* Byte offsets in the structures read (arm64, 6.1). */
struct linux_layout {
	uint32_t tasks;        /* task_struct.tasks: the list of thread-group leaders */
	uint32_t thread_group; /* task_struct.thread_group: the threads of one group */
	uint32_t pid;          /* task_struct.pid (4 bytes) */
	uint32_t comm;         /* task_struct.comm (16 bytes) */
	uint32_t cpu;          /* task_struct.thread_info.cpu (4 bytes): the CPU it last ran on */
	uint32_t context;      /* task_struct.thread.cpu_context: x19..x28, fp, sp, pc */
	uint32_t rq_curr;      /* struct rq.curr: the task a CPU runs */
	uint32_t rq_idle;      /* struct rq.idle: its idle task */
};

/* Fill l from the kernel's BTF. -ENOENT naming nothing: *missing says which member. */
int linux_layout_from_btf(const struct btf *b, struct linux_layout *l, const char **missing);

#define LINUX_COMM_LEN 16
#define LINUX_CONTEXT_REGS 13 /* x19..x28, fp (x29), sp, pc */

struct linux_task {
	uint64_t va; /* the task_struct */
	int32_t pid;
	uint32_t cpu;                /* thread_info.cpu */
	char comm[LINUX_COMM_LEN + 1]; /* NUL-terminated */
	uint64_t context[LINUX_CONTEXT_REGS];
	uint64_t tasks_next, group_next; /* the list pointers, as read */
};

/* Read len bytes of kernel virtual memory at va: 0, or -EFAULT when not all are there. */
typedef int (*linux_read_fn)(void *ctx, uint64_t va, void *buf, size_t len);

/* Is va a plausible task_struct pointer: a kernel address (the upper half), 8-aligned? */
bool linux_task_va_ok(uint64_t va);

/* Read the task at va (one read of the span its members lie in, when that is under 8 KiB).
 * -EFAULT, or -EINVAL if va is no task pointer or its pid is negative. */
int linux_read_task(linux_read_fn rd, void *ctx, const struct linux_layout *l, uint64_t va,
		    struct linux_task *t);

/* Each task of each thread group on init_task's list, init_task first, as the kernel's
 * for_each_process_thread() would give them, to fn (stop early by returning nonzero, which
 * is returned). 0 when the list came back to init_task; -ELOOP if it did not within max
 * tasks (corrupt, or changing under us); -EFAULT or -EINVAL from a task that cannot be read. */
typedef int (*linux_task_fn)(void *opaque, const struct linux_task *t);
int linux_for_each_task(linux_read_fn rd, void *ctx, const struct linux_layout *l,
			uint64_t init_task, unsigned int max, linux_task_fn fn, void *opaque);

/* The struct rq of cpu: runqueues (a per-CPU variable) plus __per_cpu_offset[cpu]. Then the
 * task it runs (rq.curr) or its idle task (rq.idle). 0 or -errno. */
int linux_rq_task(linux_read_fn rd, void *ctx, const struct linux_layout *l, uint64_t runqueues,
		  uint64_t per_cpu_offset, unsigned int cpu, bool idle, uint64_t *task);
