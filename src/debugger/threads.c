// SPDX-License-Identifier: GPL-3.0-or-later
/* The threads gdb sees. By default they are the vCPUs: thread index i is vCPU i, gdb's thread
 * i + 1. In task mode (dbg_set_thread_mode) a Linux guest's threads are its tasks, so that what
 * gdb ties to a thread (finish, next, until, a step-over, `break ... thread N`) follows a task
 * from CPU to CPU:
 *  - a task's thread id is its pid; the idle task of CPU n (pid 0 on every CPU) is
 *    0xfffffffe - n, KGDB's "shadow CPU" number, which also stands for CPU n itself when what
 *    it runs cannot be told (powered off, MMU off);
 *  - indexes 0 .. nr_cpus - 1 are what the vCPUs run, in vCPU order, so the debugger's stops
 *    (by vCPU) are already thread indexes; the other tasks follow in task-list order;
 *  - a task that runs has its vCPU's registers; one that does not has what cpu_switch_to saved
 *    (x19-x29, sp, pc; lr = pc; SP_EL0 = the task, as `current` would be), the rest unavailable;
 *    it cannot run alone: resuming it is refused with a reason (resume_error).
 * The layout comes from the guest: the kernel's BTF (__start_BTF .. __stop_BTF) for the members,
 * gdb's symbol file (qSymbol) for init_task, runqueues and __per_cpu_offset. Whenever any of it
 * is missing or the task list does not read back sanely, the threads are the vCPUs again and
 * the reason is kept for the monitor (dbg_thread_status) and warned once.
 *
 * The table is built at the first use after the vCPUs ran, while all of them are paused, and
 * only then: gdb's view of a thread must not change while it is stopped (symbols that arrive
 * then count from the next stop). In task mode, until the tasks can be read, the vCPUs are
 * threads 0xfffffffe - n, never a number a task could have. */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/arm64/esr.h"
#include "src/arm64/gdbregs.h"
#include "src/debugger/internal.h"
#include "src/linux/btf.h"

#define SHADOW_TID(cpu) (0xfffffffeull - (cpu))
#define NO_SYMS "gdb has not told the kernel's symbols (load vmlinux in gdb)"
#define MAX_BTF (64u << 20)

/* -------------------------------------------------------------- kernel reads */

/* Kernel memory through the first vCPU that is powered on (kernel addresses are the same on
 * every CPU), with its walker made once per build: a build makes hundreds of small reads. */
static int kread(void *opaque, uint64_t va, void *buf, size_t len)
{
	struct dbg *d = opaque;

	if (!d->kread_ok)
		return -EFAULT;
	return dbg_mem_walk(d, &d->kread_walker, va, buf, len, false) == (int)len ? 0 : -EFAULT;
}

/* Before a build: which vCPUs are off (one question each), and the reader's walker. */
static void kread_begin(struct dbg *d)
{
	unsigned int i;

	d->kread_ok = false;
	for (i = 0; i < d->nr_cpus; i++)
		d->powered_off[i] = d->ops->is_powered_off(d->ctx, i);
	for (i = 0; i < d->nr_cpus && !d->kread_ok; i++)
		d->kread_ok = !d->powered_off[i] && !dbg_cpu_walker(&d->cpus[i], &d->kread_walker);
}

static int load_layout(struct dbg *d, const char **why)
{
	struct dbg_linux_syms *s = &d->lsyms;
	const char *missing = NULL;
	uint64_t len;
	struct btf b;
	void *blob;
	int ret;

	if (d->layout_state)
		return d->layout_state > 0 ? 0 : -EINVAL;
	len = s->btf_stop - s->btf_start;
	if (s->btf_stop <= s->btf_start || len > MAX_BTF) {
		*why = "the kernel's BTF (__start_BTF, __stop_BTF) is not where gdb's symbols say";
		return -ENOENT; /* maybe gdb's next symbols are better: try again then */
	}
	blob = malloc(len);
	if (!blob)
		return -ENOMEM;
	ret = kread(d, s->btf_start, blob, len);
	if (ret) {
		free(blob);
		*why = "the kernel's BTF cannot be read yet";
		return ret; /* early in the boot: again at the next stop */
	}
	ret = btf_open(&b, blob, len);
	if (!ret) {
		ret = linux_layout_from_btf(&b, &d->layout, &missing);
		btf_close(&b);
	}
	free(blob);
	d->layout_state = ret ? -1 : 1;
	if (ret)
		*why = missing ? "the kernel's BTF lacks a member tasks need"
			       : "the kernel's BTF does not parse";
	return ret;
}

/* ------------------------------------------------------------- the table */

static int add(struct dbg *d, const struct dbg_thread *t)
{
	struct dbg_thread *n;

	if (d->nr_threads == DBG_MAX_THREADS)
		return -E2BIG;
	if (d->nr_threads == d->cap_threads) {
		unsigned int cap = d->cap_threads ? 2 * d->cap_threads : 64;

		n = realloc(d->threads, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		d->threads = n;
		d->cap_threads = cap;
	}
	d->threads[d->nr_threads++] = *t;
	return 0;
}

static int cmp_tid(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Is every thread id in the table once? */
static bool ids_unique(const struct dbg *d)
{
	uint64_t *ids = malloc(d->nr_threads * sizeof(*ids) + 1);
	bool ok = ids != NULL;
	unsigned int i;

	for (i = 0; ok && i < d->nr_threads; i++)
		ids[i] = d->threads[i].tid;
	if (ok)
		qsort(ids, d->nr_threads, sizeof(*ids), cmp_tid);
	for (i = 1; ok && i < d->nr_threads; i++)
		ok = ids[i] != ids[i - 1];
	free(ids);
	return ok;
}

/* Does a vCPU run the task at task_va, or stand for thread id tid (a CPU whose task could
 * not be told, under its idle task's number)? */
static bool runs(const struct dbg *d, uint64_t task_va, uint64_t tid)
{
	unsigned int i;

	for (i = 0; i < d->nr_cpus; i++)
		if (d->threads[i].task_valid ? d->threads[i].task.va == task_va
					     : d->threads[i].tid == tid)
			return true;
	return false;
}

/* vCPU i as thread i + 1; or, in task mode, as the number that stands for CPU i among the
 * tasks, so that no id ever changes its meaning when the tasks can be read. */
static void vcpu_threads(struct dbg *d, bool shadow)
{
	unsigned int i;

	d->nr_threads = 0;
	d->threads_tasks = false;
	for (i = 0; i < d->nr_cpus; i++)
		if (add(d, &(struct dbg_thread){ .tid = shadow ? SHADOW_TID(i) : i + 1,
						 .cpu = (int)i }))
			abort(); /* nr_cpus entries, allocated at dbg_new() */
}

static uint64_t tid_of(const struct linux_task *t, unsigned int idle_cpu)
{
	return t->pid ? (uint64_t)t->pid : SHADOW_TID(idle_cpu);
}

/* The task vCPU cpu runs: `current` is SP_EL0 while it is in the kernel; else its rq says. */
static int current_of(struct dbg *d, unsigned int cpu, uint64_t *task)
{
	struct dbg_cpu *c = &d->cpus[cpu];
	uint64_t pstate = 0, sp_el0 = 0;

	if (dbg_reg(c, ARM64_R_PSTATE, &pstate))
		return -EIO;
	if ((pstate & 0xc) == 4 && !dbg_reg(c, ARM64_R_SP_EL0, &sp_el0) &&
	    linux_task_va_ok(sp_el0)) {
		*task = sp_el0;
		return 0;
	}
	if (!d->lsyms.runqueues || !d->lsyms.per_cpu_offset)
		return -ENOENT; /* a CPU in user space, and gdb did not say where the rqs are */
	return linux_rq_task(kread, d, &d->layout, d->lsyms.runqueues, d->lsyms.per_cpu_offset, cpu,
			     false, task);
}

static int add_listed(void *opaque, const struct linux_task *t)
{
	struct dbg *d = opaque;
	uint64_t tid = tid_of(t, 0);

	/* init_task is CPU 0's idle task; no other task on the list has pid 0 */
	if (!t->pid && t->va != d->lsyms.init_task)
		return -EINVAL;
	if (runs(d, t->va, tid))
		return 0; /* it runs (or CPU 0 could not be told: its number stands for it) */
	return add(d, &(struct dbg_thread){ .tid = tid, .cpu = -1, .task_valid = true, .task = *t });
}

static int task_threads(struct dbg *d, const char **why)
{
	struct dbg_thread t;
	uint64_t va;
	unsigned int i;
	int ret;

	if (!d->lsyms.init_task || !d->lsyms.runqueues || !d->lsyms.per_cpu_offset) {
		*why = NO_SYMS;
		return -ENOENT;
	}
	kread_begin(d);
	ret = load_layout(d, why);
	if (ret)
		return ret;
	d->nr_threads = 0;
	for (i = 0; i < d->nr_cpus; i++) {
		memset(&t, 0, sizeof(t));
		t.cpu = (int)i;
		t.tid = SHADOW_TID(i);
		if (!d->powered_off[i] && !current_of(d, i, &va) &&
		    !linux_read_task(kread, d, &d->layout, va, &t.task)) {
			t.task_valid = true;
			t.tid = tid_of(&t.task, i);
		}
		ret = add(d, &t);
		if (ret)
			return ret;
	}
	/* At most as many as the table holds besides the vCPUs': a list that goes round past
	 * them is one that does not close, not a big one. */
	ret = linux_for_each_task(kread, d, &d->layout, d->lsyms.init_task,
				  DBG_MAX_THREADS - d->nr_cpus, add_listed, d);
	if (ret) {
		*why = ret == -ELOOP   ? "the kernel's task list does not close"
		       : ret == -E2BIG ? "the kernel has more tasks than minivmm shows"
				       : "the kernel's task list cannot be read";
		return ret;
	}
	/* The other CPUs' idle tasks, when they do not run (they are not on the list). */
	for (i = 1; i < d->nr_cpus; i++) {
		memset(&t, 0, sizeof(t));
		if (linux_rq_task(kread, d, &d->layout, d->lsyms.runqueues, d->lsyms.per_cpu_offset, i,
				  true, &va) ||
		    linux_read_task(kread, d, &d->layout, va, &t.task) || t.task.pid)
			continue;
		t.tid = SHADOW_TID(i);
		t.cpu = -1;
		t.task_valid = true;
		if (!runs(d, va, t.tid) && add(d, &t))
			break;
	}
	if (!ids_unique(d)) {
		*why = "two threads with one pid (the task list is inconsistent)";
		return -EINVAL;
	}
	d->threads_tasks = true;
	return 0;
}

/* Without gdb's symbols: the kernel's BTF found in its image, [pa, pa + size) of RAM, by its
 * header (magic 0xeb9f, version 1, a 24-byte header at a 4-byte boundary) and its having
 * what tasks need. Bounded: one pass over the image, a parse per candidate. */
static int layout_from_image(struct dbg *d, gpa_t pa, uint64_t size)
{
	static const uint8_t magic[] = { 0x9f, 0xeb, 0x01, 0x00, 24, 0, 0, 0 };
	const uint8_t *img, *p;
	uint64_t avail = 0, off;
	const char *missing;
	struct btf b;
	int ret;

	if (d->layout_state)
		return d->layout_state > 0 ? 0 : -EINVAL;
	img = size ? d->ops->mem(d->ctx, pa, size, &avail) : NULL;
	if (!img || avail < sizeof(magic))
		return -ENOENT;
	for (off = 0; off + sizeof(magic) <= avail; off = (uint64_t)(p - img) + 4) {
		p = memmem(img + off, avail - off, magic, sizeof(magic));
		if (!p)
			break;
		if ((p - img) % 4)
			continue;
		if (btf_open(&b, p, avail - (uint64_t)(p - img)))
			continue;
		ret = linux_layout_from_btf(&b, &d->layout, &missing);
		btf_close(&b);
		if (!ret) {
			d->layout_state = 1;
			return 0;
		}
	}
	return -ENOENT;
}

unsigned int dbg_linux_cpu_pids(struct dbg *d, gpa_t image_pa, uint64_t image_size,
				int32_t *pids)
{
	const char *why = NULL;
	unsigned int i, known = 0;
	struct linux_task t;
	uint64_t va;

	memset(pids, 0, d->nr_cpus * sizeof(*pids));
	kread_begin(d);
	if (d->lsyms.init_task && d->lsyms.btf_start ? load_layout(d, &why)
						      : layout_from_image(d, image_pa, image_size))
		return 0;
	for (i = 0; i < d->nr_cpus; i++)
		if (!d->powered_off[i] && !current_of(d, i, &va) &&
		    !linux_read_task(kread, d, &d->layout, va, &t)) {
			pids[i] = t.pid;
			known++;
		}
	return known;
}

void dbg_threads_stale(struct dbg *d)
{
	d->threads_valid = false;
}

void dbg_threads_update(struct dbg *d)
{
	const char *why = NULL;

	if (d->threads_valid)
		return;
	d->threads_valid = true;
	if (d->thread_mode == DBG_THREADS_TASKS && !task_threads(d, &why)) {
		d->threads_why[0] = '\0';
		return;
	}
	vcpu_threads(d, d->thread_mode == DBG_THREADS_TASKS);
	if (d->thread_mode != DBG_THREADS_TASKS || !why)
		return;
	if (strcmp(d->threads_why, why))
		dbg_warn(d, "task threads: %s; threads are vCPUs", why);
	snprintf(d->threads_why, sizeof(d->threads_why), "%s", why);
}

struct dbg_thread *dbg_thread(struct dbg *d, unsigned int i)
{
	dbg_threads_update(d);
	return i < d->nr_threads ? &d->threads[i] : NULL;
}

/* --------------------------------------------------------- a task not on a CPU */

/* gdb register r of a task that does not run: what cpu_switch_to saved. Its FP/SIMD and SVE
 * registers are in its thread struct in whatever state the kernel left them (lazily saved,
 * maybe only the FPSIMD view): unavailable, as the rest. */
int dbg_thread_saved_reg(const struct dbg_thread *t, const struct arm64_gdb_reg *r, uint64_t *val)
{
	if (r->kind == ARM64_GREG_X && r->index >= 19 && r->index <= 29)
		*val = t->task.context[r->index - 19];
	else if (r->kind == ARM64_GREG_X && r->index == 30)
		*val = t->task.context[12];
	else if (r->kind == ARM64_GREG_SP)
		*val = t->task.context[11];
	else if (r->kind == ARM64_GREG_PC)
		*val = t->task.context[12];
	else if (r->kind == ARM64_GREG_CORE && r->index == ARM64_CORE_SP_EL0)
		*val = t->task.va;
	else
		return -ENODATA;
	return 0;
}

int dbg_thread_describe(struct dbg *d, const struct dbg_thread *t, char *buf, size_t cap)
{
	uint64_t pstate = 0;
	int n = 0;

	if (t->task_valid)
		n = snprintf(buf, cap, "%s pid %d, ", t->task.comm, t->task.pid);
	if (t->cpu < 0)
		return n + snprintf(buf + n, cap > (size_t)n ? cap - n : 0,
				    "not on a CPU (last on CPU#%u)", t->task.cpu);
	dbg_reg(&d->cpus[t->cpu], ARM64_R_PSTATE, &pstate);
	return n + snprintf(buf + n, cap > (size_t)n ? cap - n : 0, "CPU#%d [%s] %s", t->cpu,
			    d->ops->is_powered_off(d->ctx, (unsigned int)t->cpu) ? "powered off"
										 : "stopped",
			    arm64_el_name(pstate));
}

/* -------------------------------------------------------------- the ops */

uint64_t dbg_thread_id(void *opaque, unsigned int i)
{
	struct dbg_thread *t = dbg_thread(opaque, i);

	return t ? t->tid : 0;
}

int dbg_thread_index(void *opaque, uint64_t tid)
{
	struct dbg *d = opaque;
	unsigned int i;

	dbg_threads_update(d);
	for (i = 0; i < d->nr_threads; i++)
		if (d->threads[i].tid == tid)
			return (int)i;
	return -ESRCH;
}

/* gdb's resume names thread indexes: the vCPUs they run on, or an error for a task that does
 * not run, unless gdb leaves it stopped. */
int dbg_threads_resume(void *opaque, const struct gdb_resume *r)
{
	struct dbg *d = opaque;
	struct gdb_resume v = { .def = r->def, .set_pc = r->set_pc, .pc = r->pc };
	const struct dbg_thread *t;
	unsigned int i, j;

	dbg_threads_update(d);
	d->resume_why[0] = '\0';
	for (i = 0; i < r->nr; i++) {
		t = dbg_thread(d, r->cpus[i].cpu);
		if (!t)
			return -ESRCH;
		if (t->cpu < 0) {
			if (r->cpus[i].act.kind == GDB_ACT_NONE)
				continue;
			snprintf(d->resume_why, sizeof(d->resume_why),
				 "minivmm: thread %llu (%s, pid %d) is not on a CPU: it cannot step "
				 "or run alone; select a task that runs (info threads)",
				 (unsigned long long)t->tid, t->task.comm, t->task.pid);
			return -EPERM;
		}
		for (j = 0; j < v.nr && v.cpus[j].cpu != (unsigned int)t->cpu; j++)
			;
		if (j < v.nr)
			continue; /* the leftmost action for the vCPU wins */
		v.cpus[v.nr].cpu = (unsigned int)t->cpu;
		v.cpus[v.nr++].act = r->cpus[i].act;
	}
	if (r->set_pc) {
		t = dbg_thread(d, r->pc_cpu);
		if (!t || t->cpu < 0) {
			snprintf(d->resume_why, sizeof(d->resume_why),
				 "minivmm: the PC of a task that is not on a CPU cannot be set");
			return t ? -EPERM : -ESRCH;
		}
		v.pc_cpu = (unsigned int)t->cpu;
	}
	return dbg_resume(d, &v);
}

const char *dbg_threads_resume_error(void *opaque)
{
	struct dbg *d = opaque;

	return d->resume_why[0] ? d->resume_why : NULL;
}

/* ---------------------------------------------------------- the monitor's */

/* The table stays as gdb knows it until the vCPUs run (dbg_threads_stale). */
void dbg_set_thread_mode(struct dbg *d, enum dbg_thread_mode mode)
{
	d->thread_mode = mode;
	d->threads_why[0] = '\0';
}

enum dbg_thread_mode dbg_thread_mode(const struct dbg *d)
{
	return d->thread_mode;
}

int dbg_thread_status(struct dbg *d, char *buf, size_t cap)
{
	if (d->thread_mode != DBG_THREADS_TASKS)
		return snprintf(buf, cap, d->attached && !d->running && d->threads_valid &&
						  d->threads_tasks
					  ? "threads are tasks until the next stop, then vCPUs"
					  : "threads are vCPUs");
	if (!d->attached)
		return snprintf(buf, cap, "threads are tasks (once gdb is attached)");
	if (d->running)
		return snprintf(buf, cap, "threads are tasks (the guest runs: told at the next stop)");
	dbg_threads_update(d);
	if (d->threads_tasks)
		return snprintf(buf, cap, "threads are tasks: %u now", d->nr_threads);
	if (!strcmp(d->threads_why, NO_SYMS) && d->lsyms.init_task && d->lsyms.runqueues &&
	    d->lsyms.per_cpu_offset)
		return snprintf(buf, cap, "threads are vCPUs until the next stop (gdb's symbols came "
					  "after this one)");
	if (!d->threads_why[0])
		return snprintf(buf, cap, "threads are vCPUs until the next stop, then tasks");
	return snprintf(buf, cap, "threads are vCPUs for now: %s", d->threads_why);
}
