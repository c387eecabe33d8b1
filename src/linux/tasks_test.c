// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for src/linux/tasks.c: a task list laid out in a fake kernel memory as 6.1's
 * task_struct lays it out (offsets of Debian's arm64 BTF), and the ways guest memory can be
 * wrong: lists that never close, pointers into user space or nowhere, a CPU's rq that says
 * nothing useful. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "src/linux/tasks.h"

#define BASE 0xffff800008000000ull
#define TASK_SIZE 4160
#define NR_SLOTS 8
#define MEM_SIZE (NR_SLOTS * TASK_SIZE + 0x1000)

/* tasks, pid, comm, cpu and cpu_context where Debian's 6.1.0-57-arm64 has them (its BTF); the
 * others made up. */
static const struct linux_layout L = {
	.tasks = 1128, .thread_group = 1456, .pid = 1352, .comm = 1912, .cpu = 16,
	.context = 3008, .rq_curr = 2336, .rq_idle = 2344,
};

static uint8_t mem[MEM_SIZE];
static unsigned int reads;

static int rd(void *ctx, uint64_t va, void *buf, size_t len)
{
	reads++;
	if (va < BASE || va - BASE > MEM_SIZE || len > MEM_SIZE - (va - BASE))
		return -EFAULT;
	memcpy(buf, mem + (va - BASE), len);
	return 0;
}

static uint64_t slot(unsigned int i)
{
	return BASE + (uint64_t)i * TASK_SIZE;
}

static void put64(uint64_t va, uint64_t v)
{
	memcpy(mem + (va - BASE), &v, 8);
}

static void put32(uint64_t va, uint32_t v)
{
	memcpy(mem + (va - BASE), &v, 4);
}

static void task(unsigned int i, int32_t pid, const char *comm, uint32_t cpu)
{
	uint64_t t = slot(i);
	unsigned int r;

	put32(t + L.pid, (uint32_t)pid);
	put32(t + L.cpu, cpu);
	memset(mem + (t + L.comm - BASE), 0, 16);
	memcpy(mem + (t + L.comm - BASE), comm, strlen(comm) < 16 ? strlen(comm) : 16);
	for (r = 0; r < LINUX_CONTEXT_REGS; r++)
		put64(t + L.context + 8 * r, 0x1900 + 0x100 * i + r);
	put64(t + L.thread_group, t + L.thread_group); /* alone in its group */
}

static void link(uint32_t member, const unsigned int *ring, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		put64(slot(ring[i]) + member, slot(ring[(i + 1) % n]) + member);
}

/* init_task (0, swapper/0), init (1), kthreadd (2), a process of two threads (3: 50, 4: 51). */
static int setup(void **state)
{
	static const unsigned int leaders[] = { 0, 1, 2, 3 }, group[] = { 3, 4 };

	memset(mem, 0, sizeof(mem));
	task(0, 0, "swapper/0", 0);
	task(1, 1, "init", 1);
	task(2, 2, "kthreadd", 0);
	task(3, 50, "sleeper", 1);
	task(4, 51, "a-name-of-sixteen+", 0);
	link(L.tasks, leaders, 4);
	link(L.thread_group, group, 2);
	return 0;
}

struct seen {
	unsigned int n;
	int32_t pid[16];
	struct linux_task last;
	int stop_at;
};

static int collect(void *opaque, const struct linux_task *t)
{
	struct seen *s = opaque;

	if (s->n < 16)
		s->pid[s->n] = t->pid;
	s->n++;
	s->last = *t;
	return s->stop_at && (int)s->n == s->stop_at ? 7 : 0;
}

static void test_walks_every_thread_of_every_group(void **state)
{
	struct seen s = { 0 };
	struct linux_task t;

	assert_int_equal(linux_for_each_task(rd, NULL, &L, slot(0), 100, collect, &s), 0);
	assert_int_equal(s.n, 5);
	assert_int_equal(s.pid[0], 0);
	assert_int_equal(s.pid[1], 1);
	assert_int_equal(s.pid[2], 2);
	assert_int_equal(s.pid[3], 50);
	assert_int_equal(s.pid[4], 51);
	/* comm is cut at 16 bytes and always terminated; the context is x19.. pc in order */
	assert_string_equal(s.last.comm, "a-name-of-sixtee");
	assert_int_equal(linux_read_task(rd, NULL, &L, slot(3), &t), 0);
	assert_string_equal(t.comm, "sleeper");
	assert_int_equal(t.cpu, 1);
	assert_int_equal(t.context[0], 0x1900 + 0x300);  /* x19 */
	assert_int_equal(t.context[12], 0x1900 + 0x30c); /* pc */
}

static void test_fn_stops_the_walk(void **state)
{
	struct seen s = { .stop_at = 2 };

	assert_int_equal(linux_for_each_task(rd, NULL, &L, slot(0), 100, collect, &s), 7);
	assert_int_equal(s.n, 2);
}

static void test_lists_that_never_close(void **state)
{
	static const unsigned int loop[] = { 1, 2 }, group[] = { 3, 4 };
	struct seen s = { 0 };

	/* init -> kthreadd -> init -> ...: never back at init_task */
	link(L.tasks, loop, 2);
	put64(slot(0) + L.tasks, slot(1) + L.tasks);
	reads = 0;
	assert_int_equal(linux_for_each_task(rd, NULL, &L, slot(0), 64, collect, &s), -ELOOP);
	assert_int_equal(s.n, 64);
	assert_true(reads < 64 * 8);
	/* a thread group that loops without its leader */
	setup(state);
	link(L.thread_group, group, 2);
	put64(slot(4) + L.thread_group, slot(4) + L.thread_group);
	s.n = 0;
	assert_int_equal(linux_for_each_task(rd, NULL, &L, slot(0), 1000, collect, &s), -ELOOP);
	assert_int_equal(s.n, 1000);
	/* max 0 reads nothing */
	setup(state);
	s.n = 0;
	assert_int_equal(linux_for_each_task(rd, NULL, &L, slot(0), 0, collect, &s), -ELOOP);
	assert_int_equal(s.n, 0);
}

static void test_bad_pointers(void **state)
{
	struct seen s = { 0 };
	struct linux_task t;

	/* into user space, unaligned, NULL, nowhere */
	put64(slot(1) + L.tasks, 0x0000aaaa00001000ull + L.tasks);
	assert_int_equal(linux_for_each_task(rd, NULL, &L, slot(0), 100, collect, &s), -EINVAL);
	put64(slot(1) + L.tasks, slot(2) + L.tasks + 4);
	assert_int_equal(linux_for_each_task(rd, NULL, &L, slot(0), 100, collect, &s), -EINVAL);
	put64(slot(1) + L.tasks, 0);
	assert_int_equal(linux_for_each_task(rd, NULL, &L, slot(0), 100, collect, &s), -EINVAL);
	put64(slot(1) + L.tasks, 0xffff000000000000ull + L.tasks);
	assert_int_equal(linux_for_each_task(rd, NULL, &L, slot(0), 100, collect, &s), -EFAULT);
	put64(slot(1) + L.tasks, 0xfffffffffffffff8ull); /* the task would wrap 2^64 */
	assert_int_equal(linux_for_each_task(rd, NULL, &L, slot(0), 100, collect, &s), -EINVAL);
	assert_int_equal(linux_read_task(rd, NULL, &L, 0xfffffffffffffff8ull, &t), -EINVAL);
	assert_int_equal(linux_read_task(rd, NULL, &L, slot(0) + 4, &t), -EINVAL);
	assert_int_equal(linux_for_each_task(rd, NULL, &L, 0x1000, 100, collect, &s), -EINVAL);
	/* a negative pid is no task */
	put32(slot(2) + L.pid, 0x80000000u);
	assert_int_equal(linux_read_task(rd, NULL, &L, slot(2), &t), -EINVAL);
}

static void test_rq_of_each_cpu(void **state)
{
	/* runqueues at slot 6, CPU 1's copy 0x400 further; __per_cpu_offset[] at slot 7 */
	uint64_t rq = slot(6), pco = slot(7), task = 0;

	put64(pco, 0);
	put64(pco + 8, 0x400);
	put64(rq + L.rq_curr, slot(1));
	put64(rq + L.rq_idle, slot(0));
	put64(rq + 0x400 + L.rq_curr, slot(3));
	put64(rq + 0x400 + L.rq_idle, 0);
	assert_int_equal(linux_rq_task(rd, NULL, &L, rq, pco, 0, false, &task), 0);
	assert_int_equal(task, slot(1));
	assert_int_equal(linux_rq_task(rd, NULL, &L, rq, pco, 0, true, &task), 0);
	assert_int_equal(task, slot(0));
	assert_int_equal(linux_rq_task(rd, NULL, &L, rq, pco, 1, false, &task), 0);
	assert_int_equal(task, slot(3));
	assert_int_equal(linux_rq_task(rd, NULL, &L, rq, pco, 1, true, &task), -EINVAL);
	/* a CPU beyond __per_cpu_offset's memory, an offset that wraps */
	assert_int_equal(linux_rq_task(rd, NULL, &L, rq, pco, 1u << 30, false, &task), -EFAULT);
	put64(pco + 8, 0x8000000000000000ull);
	assert_int_equal(linux_rq_task(rd, NULL, &L, rq, pco, 1, false, &task), -EFAULT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_walks_every_thread_of_every_group, setup),
		cmocka_unit_test_setup(test_fn_stops_the_walk, setup),
		cmocka_unit_test_setup(test_lists_that_never_close, setup),
		cmocka_unit_test_setup(test_bad_pointers, setup),
		cmocka_unit_test_setup(test_rq_of_each_cpu, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
