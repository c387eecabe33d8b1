// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for the threads gdb sees (src/debugger/threads.c), against the fake CPU with two
 * vCPUs whose MMUs map a small Linux kernel memory through TTBR1: the kernel's BTF blob (built
 * here, with made-up offsets: nested thread_info{cpu} and thread_struct{cpu_context}, struct
 * rq{curr, idle}), a task list of init_task (pid 0), init (1), kthreadd (2) and a process of
 * two threads (100, 101), CPU 1's idle task, runqueues and __per_cpu_offset. Through
 * dbg_gdb_ops as gdbstub calls them, it checks:
 *  - vCPU mode: threads 1 and 2, and nothing read from the guest's memory for them;
 *  - task mode: the vCPUs as 0xfffffffe - n until gdb's symbols and the next stop, then the
 *    tasks with their pids (what each vCPU runs first: SP_EL0 at EL1, else its rq.curr),
 *    idle tasks as 0xfffffffe - n, ids and indexes that round-trip, qThreadExtraInfo text;
 *  - a task not on a CPU: cpu_switch_to's saved registers, the others unavailable, none
 *    writable; resuming it alone refused with a reason, running tasks resumed on their vCPU;
 *  - a guest memory that lies (a list that does not close, pointers into user space or into
 *    nothing, a bad BTF, BTF symbols the wrong way round, two tasks with one pid): the vCPUs
 *    again with one warning, never a hang, and the tasks back once it is repaired (a BTF
 *    that did not parse only with new symbols);
 *  - the table changes only at a stop: not for symbols or memory changed while stopped. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "debugger.h"
#include "src/arm64/esr.h"
#include "src/arm64/gdbregs.h"
#include "src/arm64/regs.h"
#include "src/debugger/fakecpu.h"
#include "src/debugger/internal.h" /* d->ops and d->warn, to watch the debugger's reads */

/* ----------------------------------------------------------- the kernel's memory */

#define RAM_SIZE 0x100000ull
#define KBASE 0xffff800008000000ull /* RAM [0, MAPPED) at this kernel address (TTBR1) */
#define MAPPED 0x40000u
#define A(off) (FAKE_RAM_BASE + (off)) /* guest-physical */
#define KVA(off) (KBASE + (off))      /* kernel virtual */
#define SHADOW(n) (0xfffffffeull - (n)) /* CPU n's idle task, or CPU n itself */
#define USER_PTR 0x0000aaaabbbb0010ull
#define RUN 20000 /* fake steps allowed for one resume */

enum {
	CODE = 0x0000,     /* nop; nop; nop; b CODE: what both vCPUs run */
	VEC = 0x1000,      /* VBAR_EL1: every entry spins */
	BTF = 0x2000,      /* the kernel's BTF, __start_BTF */
	BTF2 = 0x3000,     /* a second copy, for symbols that move */
	TASKS = 0x4000,    /* the task_structs, TS_SIZE each */
	PERCPU = 0x8000,   /* runqueues: the per-CPU variable as the symbol file has it */
	PCPU_OFF = 0xc000, /* __per_cpu_offset[] */
	STACKS = 0x10000,
	SPARE = 0x30000,   /* a page for the test's use */
	NOWHERE = 0x80000, /* a kernel address nothing maps */
};

/* struct task_struct and struct rq as the BTF below describes them. */
enum {
	TS_INFO = 0x00,  /* thread_info, cpu 8 bytes in */
	TS_CPU = 0x08,
	TS_TASKS = 0x10, /* list_head */
	TS_GROUP = 0x20, /* thread_group, list_head */
	TS_PID = 0x30,
	TS_COMM = 0x40,
	TS_THREAD = 0x80, /* thread_struct, cpu_context 16 bytes in */
	TS_CONTEXT = 0x90,
	TS_SIZE = 0x100,
	RQ_CURR = 0x20,
	RQ_IDLE = 0x28,
	RQ_SIZE = 0x40,
};

#define PCPU0 0x1000u /* __per_cpu_offset[0], [1]: CPU n's rq at PERCPU + PCPUn */
#define PCPU1 0x2000u

/* The tasks. init_task heads the list; CPU 1's idle task is on no list (as in Linux). */
enum { T_INIT, T_INITPROC, T_KTHREADD, T_APP, T_WORKER, T_IDLE1, NR_TASKS };

static const struct {
	int32_t pid;
	const char *comm;
	uint32_t cpu; /* thread_info.cpu: where it last ran */
} tasks[NR_TASKS] = {
	[T_INIT] = { 0, "swapper/0", 0 },  [T_INITPROC] = { 1, "init", 0 },
	[T_KTHREADD] = { 2, "kthreadd", 1 }, [T_APP] = { 100, "app", 1 },
	[T_WORKER] = { 101, "app-worker", 0 }, [T_IDLE1] = { 0, "swapper/1", 1 },
};

static uint32_t task_off(unsigned int i)
{
	return TASKS + i * TS_SIZE;
}

static uint64_t task_va(unsigned int i)
{
	return KVA(task_off(i));
}

/* What cpu_switch_to saved for task i: x19..x28, fp, sp, pc. */
static uint64_t saved(unsigned int i, unsigned int r)
{
	if (r == 11)
		return KVA(STACKS + 0x1000 * i + 0xf00);
	if (r == 12)
		return KVA(CODE + 0x800 + 4 * i);
	return 0x1900 + 0x100 * i + r;
}

/* ------------------------------------------------------------- the BTF blob */

/* Documentation/bpf/btf.rst: a 24-byte header, the type records, the strings. */
struct blob {
	uint8_t buf[2048];
	uint32_t tlen;
	char strs[512];
	uint32_t slen;
};

enum { K_INT = 1, K_PTR = 2, K_ARRAY = 3, K_STRUCT = 4 };

static uint32_t bstr(struct blob *b, const char *s)
{
	uint32_t off = b->slen;

	if (!*s)
		return 0;
	assert_true(b->slen + strlen(s) + 1 <= sizeof(b->strs));
	memcpy(b->strs + off, s, strlen(s) + 1);
	b->slen += (uint32_t)strlen(s) + 1;
	return off;
}

static void bu32(struct blob *b, uint32_t v)
{
	assert_true(24 + b->tlen + 4 <= sizeof(b->buf));
	memcpy(b->buf + 24 + b->tlen, &v, 4);
	b->tlen += 4;
}

/* A type record: name, kind, vlen, size or type. */
static void btype(struct blob *b, const char *name, unsigned int kind, unsigned int vlen,
		  uint32_t size_or_type)
{
	bu32(b, bstr(b, name));
	bu32(b, vlen | kind << 24);
	bu32(b, size_or_type);
}

static void bmember(struct blob *b, const char *name, uint32_t type_id, uint32_t byte_off)
{
	bu32(b, bstr(b, name));
	bu32(b, type_id);
	bu32(b, byte_off * 8);
}

/* Header last, when the sections' sizes are known; the blob's length. */
static size_t bfinish(struct blob *b)
{
	uint16_t magic = 0xeb9f;
	uint32_t hdr[5] = { 24, 0, b->tlen, b->tlen, b->slen };

	assert_true(24 + b->tlen + b->slen <= sizeof(b->buf));
	memcpy(b->buf, &magic, 2);
	b->buf[2] = 1; /* version */
	b->buf[3] = 0;
	memcpy(b->buf + 4, hdr, sizeof(hdr));
	memcpy(b->buf + 24 + b->tlen, b->strs, b->slen);
	return 24 + b->tlen + b->slen;
}

/* Type ids of the blob. */
enum {
	ID_INT = 1, ID_ULONG, ID_CHAR, ID_LIST, ID_LIST_PTR, ID_THREAD_INFO, ID_CPU_CONTEXT,
	ID_THREAD, ID_COMM, ID_TASK, ID_TASK_PTR, ID_RQ,
};

/* The types tasks need, at the offsets of the enum above; without rq.idle if !idle. */
static size_t build_btf(struct blob *b, bool idle)
{
	memset(b, 0, sizeof(*b));
	b->slen = 1; /* string 0 is "" */
	btype(b, "int", K_INT, 0, 4);
	bu32(b, 1u << 24 | 32); /* signed, 32 bits */
	btype(b, "long unsigned int", K_INT, 0, 8);
	bu32(b, 64);
	btype(b, "char", K_INT, 0, 1);
	bu32(b, 8);
	btype(b, "list_head", K_STRUCT, 2, 16);
	bmember(b, "next", ID_LIST_PTR, 0);
	bmember(b, "prev", ID_LIST_PTR, 8);
	btype(b, "", K_PTR, 0, ID_LIST);
	btype(b, "thread_info", K_STRUCT, 2, 16);
	bmember(b, "flags", ID_ULONG, 0);
	bmember(b, "cpu", ID_INT, TS_CPU - TS_INFO);
	btype(b, "cpu_context", K_STRUCT, 4, 8 * LINUX_CONTEXT_REGS);
	bmember(b, "x19", ID_ULONG, 0);
	bmember(b, "fp", ID_ULONG, 80);
	bmember(b, "sp", ID_ULONG, 88);
	bmember(b, "pc", ID_ULONG, 96);
	btype(b, "thread_struct", K_STRUCT, 1, TS_SIZE - TS_THREAD);
	bmember(b, "cpu_context", ID_CPU_CONTEXT, TS_CONTEXT - TS_THREAD);
	btype(b, "", K_ARRAY, 0, 0); /* char[16] */
	bu32(b, ID_CHAR);
	bu32(b, ID_INT);
	bu32(b, 16);
	btype(b, "task_struct", K_STRUCT, 6, TS_SIZE);
	bmember(b, "thread_info", ID_THREAD_INFO, TS_INFO);
	bmember(b, "tasks", ID_LIST, TS_TASKS);
	bmember(b, "thread_group", ID_LIST, TS_GROUP);
	bmember(b, "pid", ID_INT, TS_PID);
	bmember(b, "comm", ID_COMM, TS_COMM);
	bmember(b, "thread", ID_THREAD, TS_THREAD);
	btype(b, "", K_PTR, 0, ID_TASK);
	btype(b, "rq", K_STRUCT, idle ? 3 : 2, RQ_SIZE);
	bmember(b, "nr_running", ID_INT, 0);
	bmember(b, "curr", ID_TASK_PTR, RQ_CURR);
	if (idle)
		bmember(b, "idle", ID_TASK_PTR, RQ_IDLE);
	return bfinish(b);
}

/* ------------------------------------------------------------------ the fixture */

struct t {
	struct fake *f;
	struct dbg *d;
	unsigned int seen; /* stops checked */
	size_t btf_len;
	/* the debugger's warnings */
	unsigned int warnings;
	char warning[256];
	/* guest RAM lookups (ops->mem) by the debugger: every read of the kernel's memory */
	unsigned int mem_calls;
};

static struct t *cur; /* for the hooks below, which have no opaque */

static void on_warn(const char *msg)
{
	cur->warnings++;
	snprintf(cur->warning, sizeof(cur->warning), "%s", msg);
}

static uint8_t *counting_mem(void *ctx, gpa_t pa, uint64_t len, uint64_t *avail)
{
	cur->mem_calls++;
	return fake_cpu_ops.mem(ctx, pa, len, avail);
}

static struct dbg_cpu_ops counting_ops;

static uint8_t *ram(struct t *t, uint32_t off, uint64_t len)
{
	uint8_t *p = fake_ram(t->f, A(off), len);

	assert_non_null(p);
	return p;
}

static void put64(struct t *t, uint32_t off, uint64_t v)
{
	memcpy(ram(t, off, 8), &v, 8);
}

static void put32(struct t *t, uint32_t off, uint32_t v)
{
	memcpy(ram(t, off, 4), &v, 4);
}

/* Each task's list member `member` points at the same member of the next one in ring. */
static void link_ring(struct t *t, uint32_t member, const unsigned int *ring, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		put64(t, task_off(ring[i]) + member, task_va(ring[(i + 1) % n]) + member);
		put64(t, task_off(ring[i]) + member + 8, task_va(ring[(i + n - 1) % n]) + member);
	}
}

/* The task list as a sane kernel has it; CPU 0 runs init, CPU 1 its idle task. */
static void build_kernel(struct t *t)
{
	static const unsigned int leaders[] = { T_INIT, T_INITPROC, T_KTHREADD, T_APP };
	static const unsigned int group[] = { T_APP, T_WORKER };
	struct blob b;
	unsigned int i, r;

	for (i = 0; i < NR_TASKS; i++) {
		uint32_t off = task_off(i);

		memset(ram(t, off, TS_SIZE), 0, TS_SIZE);
		put32(t, off + TS_PID, (uint32_t)tasks[i].pid);
		put32(t, off + TS_CPU, tasks[i].cpu);
		memcpy(ram(t, off + TS_COMM, 16), tasks[i].comm, strlen(tasks[i].comm));
		for (r = 0; r < LINUX_CONTEXT_REGS; r++)
			put64(t, off + TS_CONTEXT + 8 * r, saved(i, r));
		link_ring(t, TS_TASKS, &i, 1); /* alone, until the rings below */
		link_ring(t, TS_GROUP, &i, 1);
	}
	link_ring(t, TS_TASKS, leaders, 4);
	link_ring(t, TS_GROUP, group, 2);
	put64(t, PCPU_OFF, PCPU0);
	put64(t, PCPU_OFF + 8, PCPU1);
	put64(t, PERCPU + PCPU0 + RQ_CURR, task_va(T_INITPROC));
	put64(t, PERCPU + PCPU0 + RQ_IDLE, task_va(T_INIT));
	put64(t, PERCPU + PCPU1 + RQ_CURR, task_va(T_IDLE1));
	put64(t, PERCPU + PCPU1 + RQ_IDLE, task_va(T_IDLE1));
	t->btf_len = build_btf(&b, true);
	memcpy(ram(t, BTF, t->btf_len), b.buf, t->btf_len);
	memcpy(ram(t, BTF2, t->btf_len), b.buf, t->btf_len);
}

/* The vCPUs' features for the next setup() (setup_tasks_sve sets them). */
static unsigned int setup_sve_vq;
static bool setup_pauth;

static int setup(void **state)
{
	static struct t t;
	const uint32_t code[] = { FAKE_NOP, FAKE_NOP, FAKE_NOP, fake_b(KVA(CODE + 12), KVA(CODE)) };
	unsigned int cpu, off;

	memset(&t, 0, sizeof(t));
	cur = &t;
	t.f = fake_new(2, RAM_SIZE);
	assert_non_null(t.f);
	assert_int_equal(fake_map(t.f, KBASE, FAKE_RAM_BASE, MAPPED), 0);
	fake_put(t.f, A(CODE), code, 4);
	for (off = VEC; off < VEC + 0x800; off += 0x80)
		fake_poke32(t.f, A(off), fake_b(KVA(off), KVA(off)));
	build_kernel(&t);
	for (cpu = 0; cpu < 2; cpu++) {
		fake_mmu(t.f, cpu, true);
		fake_set_reg(t.f, cpu, ARM64_R_PC, KVA(CODE));
		fake_set_reg(t.f, cpu, ARM64_R_PSTATE,
			     ARM64_PSTATE_EL1h | ARM64_PSTATE_D | ARM64_PSTATE_A | ARM64_PSTATE_I |
				     ARM64_PSTATE_F);
		fake_set_reg(t.f, cpu, ARM64_R_VBAR_EL1, KVA(VEC));
		fake_set_reg(t.f, cpu, ARM64_R_SP_EL1, KVA(STACKS + 0x8000 * (cpu + 1)));
	}
	/* CPU 0 in the kernel: `current` is SP_EL0; CPU 1's SP_EL0 is no kernel pointer: its
	 * rq says. */
	fake_set_reg(t.f, 0, ARM64_R_SP_EL0, task_va(T_INITPROC));
	fake_set_reg(t.f, 1, ARM64_R_SP_EL0, USER_PTR);
	fake_set_features(t.f, setup_sve_vq, setup_pauth);
	t.d = fake_dbg_new(t.f, 4, 4);
	assert_non_null(t.d);
	t.d->warn = on_warn;
	counting_ops = fake_cpu_ops;
	counting_ops.mem = counting_mem;
	t.d->ops = &counting_ops;
	dbg_attach(t.d);
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;

	assert_int_equal(fake_violations(t->f), 0);
	assert_int_equal(fake_bad_stops(t->f), 0);
	dbg_free(t->d);
	fake_free(t->f);
	cur = NULL;
	return 0;
}

/* gdb's qSymbol exchange as gdbstub runs it: the kernel's variables, BTF at btf .. btf_end
 * (panic and die unknown: no stops of ours in the way). */
static void give_symbols_at(struct t *t, uint64_t btf, uint64_t btf_end)
{
	const struct {
		const char *name;
		uint64_t value;
	} syms[] = {
		{ "init_task", task_va(T_INIT) }, { "runqueues", KVA(PERCPU) },
		{ "__per_cpu_offset", KVA(PCPU_OFF) }, { "__start_BTF", btf },
		{ "__stop_BTF", btf_end },
	};
	const char *name;
	unsigned int i, j, known = 0;

	for (i = 0; (name = dbg_gdb_ops.symbol_next(t->d, i)); i++) {
		for (j = 0; j < ARRAY_SIZE(syms) && strcmp(syms[j].name, name); j++)
			;
		dbg_gdb_ops.symbol_value(t->d, name, j < ARRAY_SIZE(syms),
					 j < ARRAY_SIZE(syms) ? syms[j].value : 0);
		known += j < ARRAY_SIZE(syms);
	}
	assert_int_equal(known, ARRAY_SIZE(syms));
}

static void give_symbols(struct t *t)
{
	give_symbols_at(t, KVA(BTF), KVA(BTF) + t->btf_len);
}

/* The stop the debugger just reported (exactly one), as gdbstub takes it: its stop reply names
 * the thread (thread:), which is when the table is built for this stop. */
static const struct fake_stop *next_stop(struct t *t)
{
	const struct fake_stop *s;

	assert_int_equal(fake_nr_stops(t->f), t->seen + 1);
	s = fake_stop(t->f, t->seen++);
	assert_int_not_equal(dbg_gdb_ops.thread_id(t->d, s->stop.cpu), 0);
	return s;
}

/* The vCPUs run (vCPU 0 one instruction) and stop: the table is built anew. */
static void stop_again(struct t *t)
{
	const struct fake_stop *s;

	assert_int_equal(fake_gdb_step(t->f, 0), 0);
	fake_run(t->f, RUN);
	s = next_stop(t);
	assert_int_equal(s->stop.reason, GDB_STOP_TRAP);
	assert_int_equal(s->stop.cpu, 0);
}

/* Task mode with gdb's symbols, after a stop: the tasks. */
static int setup_tasks(void **state)
{
	struct t *t;

	setup(state);
	t = *state;
	dbg_set_thread_mode(t->d, DBG_THREADS_TASKS);
	give_symbols(t); /* before the first look: no warning */
	stop_again(t);
	return 0;
}

/* The same with SVE at 256 bits and pointer authentication. */
static int setup_tasks_sve(void **state)
{
	setup_sve_vq = 2;
	setup_pauth = true;
	setup_tasks(state);
	setup_sve_vq = 0;
	setup_pauth = false;
	return 0;
}

/* The threads gdb sees are exactly these ids, in this order, and each id names its index. */
#define EXPECT_IDS(t, ...)                                                                   \
	do {                                                                                 \
		const uint64_t want_[] = { __VA_ARGS__ };                                    \
		expect_ids(t, want_, ARRAY_SIZE(want_));                                     \
	} while (0)

static void expect_ids(struct t *t, const uint64_t *want, unsigned int n)
{
	unsigned int i;

	assert_int_equal(dbg_gdb_ops.cpu_count(t->d), n);
	for (i = 0; i < n; i++) {
		assert_int_equal(dbg_gdb_ops.thread_id(t->d, i), want[i]);
		assert_int_equal(dbg_gdb_ops.thread_index(t->d, want[i]), i);
	}
	assert_int_equal(dbg_gdb_ops.thread_id(t->d, n), 0); /* past the end */
}

/* The index of thread id tid (asserting there is one). */
static unsigned int idx(struct t *t, uint64_t tid)
{
	int i = dbg_gdb_ops.thread_index(t->d, tid);

	assert_true(i >= 0);
	return (unsigned int)i;
}

/* qThreadExtraInfo of thread id tid contains text. */
static void expect_describe(struct t *t, uint64_t tid, const char *text)
{
	char buf[128];
	int n = dbg_gdb_ops.cpu_describe(t->d, idx(t, tid), buf, sizeof(buf));

	assert_true(n > 0 && (size_t)n < sizeof(buf));
	if (!strstr(buf, text))
		fail_msg("thread %#llx: \"%s\" lacks \"%s\"", (unsigned long long)tid, buf, text);
}

/* The fallback: the vCPUs as 0xfffffffe - n, and a warning that says why. */
static void expect_vcpus(struct t *t, const char *why)
{
	char status[256];

	EXPECT_IDS(t, SHADOW(0), SHADOW(1));
	assert_int_equal(t->warnings, 1);
	if (!strstr(t->warning, why))
		fail_msg("warning \"%s\" lacks \"%s\"", t->warning, why);
	dbg_thread_status(t->d, status, sizeof(status));
	if (!strstr(status, why))
		fail_msg("status \"%s\" lacks \"%s\"", status, why);
	t->warnings = 0;
}

/* The tasks of build_kernel(), CPU 0 running init and CPU 1 its idle task. */
static void expect_tasks(struct t *t)
{
	EXPECT_IDS(t, 1, SHADOW(1), SHADOW(0), 2, 100, 101);
	assert_int_equal(t->warnings, 0);
}

static uint64_t read_reg(struct t *t, uint64_t tid, unsigned int regno)
{
	uint64_t v = 0;

	assert_int_equal(dbg_gdb_ops.read_reg(t->d, idx(t, tid), regno, &v), 0);
	return v;
}

/* ======================================================================= vCPUs */

/* The default: thread i + 1 is vCPU i, whatever gdb's symbols say, and the kernel's memory is
 * not read for it. */
static void test_vcpu_mode(void **state)
{
	struct t *t = *state;
	char status[64];

	assert_int_equal(dbg_thread_mode(t->d), DBG_THREADS_VCPUS);
	give_symbols(t);
	stop_again(t);
	t->mem_calls = 0;
	EXPECT_IDS(t, 1, 2);
	expect_describe(t, 1, "CPU#0 [stopped] EL1h");
	expect_describe(t, 2, "CPU#1 [stopped] EL1h");
	assert_int_equal(read_reg(t, 2, ARM64_GDB_PC), KVA(CODE));
	assert_int_equal(read_reg(t, 1, ARM64_GDB_PC), KVA(CODE + 4));
	assert_int_equal(t->mem_calls, 0);
	assert_int_equal(t->warnings, 0);
	assert_int_equal(dbg_gdb_ops.thread_index(t->d, 0), -ESRCH);
	assert_int_equal(dbg_gdb_ops.thread_index(t->d, 3), -ESRCH);
	assert_int_equal(dbg_gdb_ops.thread_index(t->d, SHADOW(0)), -ESRCH);
	dbg_thread_status(t->d, status, sizeof(status));
	assert_string_equal(status, "threads are vCPUs");
}

/* ======================================================================= tasks */

/* Before gdb's symbols the vCPUs are 0xfffffffe - n (warned once); symbols given while stopped
 * count from the next stop; then the tasks, what each vCPU runs first. */
static void test_tasks_after_symbols_and_a_stop(void **state)
{
	struct t *t = *state;
	char status[128];

	dbg_set_thread_mode(t->d, DBG_THREADS_TASKS);
	assert_int_equal(dbg_thread_mode(t->d), DBG_THREADS_TASKS);
	EXPECT_IDS(t, SHADOW(0), SHADOW(1));
	EXPECT_IDS(t, SHADOW(0), SHADOW(1)); /* asked again: one warning */
	assert_int_equal(t->warnings, 1);
	assert_non_null(strstr(t->warning, "gdb has not told the kernel's symbols"));
	expect_describe(t, SHADOW(0), "CPU#0 [stopped] EL1h");
	assert_int_equal(dbg_gdb_ops.thread_index(t->d, 1), -ESRCH);

	give_symbols(t);
	EXPECT_IDS(t, SHADOW(0), SHADOW(1)); /* stopped: nothing changes */
	dbg_thread_status(t->d, status, sizeof(status));
	assert_non_null(strstr(status, "until the next stop"));
	assert_int_equal(t->warnings, 1);

	stop_again(t);
	t->warnings = 0;
	expect_tasks(t);
	dbg_thread_status(t->d, status, sizeof(status));
	assert_string_equal(status, "threads are tasks: 6 now");
	expect_describe(t, 1, "init pid 1, CPU#0 [stopped] EL1h");
	expect_describe(t, SHADOW(1), "swapper/1 pid 0, CPU#1 [stopped] EL1h");
	expect_describe(t, SHADOW(0), "swapper/0 pid 0, not on a CPU (last on CPU#0)");
	expect_describe(t, 2, "kthreadd pid 2, not on a CPU (last on CPU#1)");
	expect_describe(t, 101, "app-worker pid 101, not on a CPU");
	assert_int_equal(dbg_gdb_ops.thread_index(t->d, 3), -ESRCH);
	assert_int_equal(dbg_gdb_ops.thread_index(t->d, 0), -ESRCH);
	assert_int_equal(dbg_gdb_ops.cpu_describe(t->d, 6, status, sizeof(status)), -ESRCH);

	/* CPU 1 runs the process (its rq says): its idle task is one of the others, last */
	put64(t, PERCPU + PCPU1 + RQ_CURR, task_va(T_APP));
	stop_again(t);
	EXPECT_IDS(t, 1, 100, SHADOW(0), 2, 101, SHADOW(1));
	expect_describe(t, 100, "app pid 100, CPU#1 [stopped]");
	expect_describe(t, SHADOW(1), "swapper/1 pid 0, not on a CPU (last on CPU#1)");

	/* At EL1, SP_EL0 is `current`, whatever the rq says */
	fake_set_reg(t->f, 1, ARM64_R_SP_EL0, task_va(T_WORKER));
	stop_again(t);
	EXPECT_IDS(t, 1, 101, SHADOW(0), 2, 100, SHADOW(1));

	/* At EL0, SP_EL0 is the user's: the rq again */
	fake_set_reg(t->f, 1, ARM64_R_PSTATE, ARM64_PSTATE_EL0t);
	stop_again(t);
	EXPECT_IDS(t, 1, 100, SHADOW(0), 2, 101, SHADOW(1));
	expect_describe(t, 100, "CPU#1 [stopped] EL0t");
	assert_int_equal(t->warnings, 0);
}

/* A powered-off vCPU runs no task that can be told: its number stands for it (and for its
 * idle task); the kernel is read through the other vCPU when vCPU 0 is the one off. */
static void test_powered_off_vcpus(void **state)
{
	struct t *t = *state;
	struct gdb_resume r = { .nr = 1 };

	fake_set_powered_off(t->f, 1, true);
	stop_again(t);
	EXPECT_IDS(t, 1, SHADOW(1), SHADOW(0), 2, 100, 101);
	expect_describe(t, SHADOW(1), "CPU#1 [powered off]");
	assert_int_equal(t->warnings, 0);

	fake_set_powered_off(t->f, 1, false);
	fake_set_powered_off(t->f, 0, true);
	r.cpus[0].cpu = 1;
	r.cpus[0].act.kind = GDB_ACT_STEP;
	assert_int_equal(fake_gdb_resume(t->f, &r), 0);
	fake_run(t->f, RUN);
	assert_int_equal(next_stop(t)->stop.cpu, 1);
	EXPECT_IDS(t, SHADOW(0), SHADOW(1), 1, 2, 100, 101);
	expect_describe(t, SHADOW(0), "CPU#0 [powered off]");
	expect_describe(t, 1, "init pid 1, not on a CPU");
	assert_int_equal(t->warnings, 0);
}

/* A task not on a CPU: what cpu_switch_to saved, nothing else, nothing written. A task on a
 * CPU: its vCPU's registers. */
static void test_a_sleeping_tasks_registers(void **state)
{
	struct t *t = *state;
	int sp_el0 = arm64_gdb_reg_by_name("SP_EL0");
	uint8_t buf[16];
	uint64_t v = 0x1234;
	unsigned int r, i = idx(t, 2);

	assert_true(sp_el0 > 0);
	for (r = 19; r <= 29; r++)
		assert_int_equal(read_reg(t, 2, r), saved(T_KTHREADD, r - 19));
	assert_int_equal(read_reg(t, 2, ARM64_GDB_SP), saved(T_KTHREADD, 11));
	assert_int_equal(read_reg(t, 2, ARM64_GDB_PC), saved(T_KTHREADD, 12));
	assert_int_equal(read_reg(t, 2, 30), saved(T_KTHREADD, 12)); /* lr = pc */
	assert_int_equal(read_reg(t, 2, (unsigned int)sp_el0), task_va(T_KTHREADD)); /* current */
	assert_int_equal(read_reg(t, 101, 29), saved(T_WORKER, 10));
	assert_int_equal(read_reg(t, SHADOW(0), ARM64_GDB_PC), saved(T_INIT, 12));
	/* the rest is unavailable */
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, i, 0, buf), -ENODATA);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, i, 18, buf), -ENODATA);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, i, ARM64_GDB_CPSR, buf), -ENODATA);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, i, ARM64_GDB_V0, buf), -ENODATA);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, i, ARM64_GDB_FPSR, buf), -ENODATA);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, i, 10000, buf), -ENOENT);
	/* and nothing is written */
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, i, 19, &v), -EPERM);
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, i, 0, &v), -EPERM);
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, i, ARM64_GDB_PC, &v), -EPERM);
	assert_int_equal(read_reg(t, 2, 19), saved(T_KTHREADD, 0));
	assert_int_equal(read_reg(t, 2, ARM64_GDB_PC), saved(T_KTHREADD, 12));
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, 6, 19, buf), -ESRCH);
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, 6, 19, &v), -ESRCH);

	/* a running task is its vCPU */
	assert_int_equal(read_reg(t, 1, ARM64_GDB_PC), fake_reg(t->f, 0, ARM64_R_PC));
	assert_int_equal(read_reg(t, 1, ARM64_GDB_SP), fake_reg(t->f, 0, ARM64_R_SP_EL1));
	assert_int_equal(read_reg(t, SHADOW(1), (unsigned int)sp_el0), USER_PTR);
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, idx(t, SHADOW(1)), 5, &v), 0);
	assert_int_equal(fake_reg(t->f, 1, ARM64_R_X(5)), 0x1234);
	assert_int_equal(read_reg(t, SHADOW(1), 5), 0x1234);
}

/* With SVE and pointer authentication: a task not on a CPU has no z, p or ffr (what the
 * kernel saved of them is in a state it alone knows), but vg and the PAC masks, which are the
 * kernel's (TCR_EL1 of a CPU that is on); a task on a CPU has its vCPU's. */
static void test_a_sleeping_tasks_sve_and_pauth(void **state)
{
	struct t *t = *state;
	uint8_t buf[ARM64_SVE_Z_BYTES];
	uint64_t tcr = fake_reg(t->f, 0, ARM64_R_TCR_EL1), v = 4;
	unsigned int i = idx(t, 2), pauth = ARM64_GDB_VG + 1;

	assert_int_equal(dbg_gdb_ops.read_reg(t->d, i, ARM64_GDB_V0, buf), -ENODATA); /* z0 */
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, i, ARM64_GDB_P0, buf), -ENODATA);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, i, ARM64_GDB_FFR, buf), -ENODATA);
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, i, ARM64_GDB_FPSR, buf), -ENODATA);
	assert_int_equal(read_reg(t, 2, ARM64_GDB_VG), 4);
	assert_true(read_reg(t, 2, pauth) == arm64_pac_mask(tcr, false, false));
	assert_true(read_reg(t, 2, pauth + 1) == arm64_pac_mask(tcr, false, true));
	assert_true(read_reg(t, 2, pauth + 2) == arm64_pac_mask(tcr, true, false));
	assert_true(read_reg(t, 2, pauth + 3) == arm64_pac_mask(tcr, true, true));
	assert_true(read_reg(t, 2, pauth + 2) == 0xffff000000000000ull); /* 48 bits, no TBI1 */
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, i, ARM64_GDB_VG, &v), -EPERM);
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, i, pauth, &v), -EPERM);
	assert_int_equal(dbg_gdb_ops.write_reg(t->d, i, ARM64_GDB_V0, buf), -EPERM);
	/* the same registers of the task on CPU 0 */
	fake_sve_reg(t->f, 0, ARM64_R_Z(0))[31] = 0x5a;
	assert_int_equal(dbg_gdb_ops.read_reg(t->d, idx(t, 1), ARM64_GDB_V0, buf), 0);
	assert_int_equal(buf[31], 0x5a);
	assert_int_equal(dbg_gdb_ops.reg_size(t->d, ARM64_GDB_V0), 32);
	assert_true(read_reg(t, 1, pauth + 3) == arm64_pac_mask(tcr, true, true));
}

/* gdb's resume names threads: a task not on a CPU cannot step or run alone (refused with a
 * reason for gdb's console); a running task's vCPU does as told; no thread named is all. */
static void test_resume_by_task(void **state)
{
	struct t *t = *state;
	struct gdb_resume r = { .nr = 1 };
	const char *why;
	uint64_t pc0, pc1;

	put64(t, PERCPU + PCPU1 + RQ_CURR, task_va(T_APP));
	stop_again(t);
	EXPECT_IDS(t, 1, 100, SHADOW(0), 2, 101, SHADOW(1));
	fake_clear_history(t->f);

	/* step the sleeping kthreadd */
	r.cpus[0].cpu = idx(t, 2);
	r.cpus[0].act.kind = GDB_ACT_STEP;
	assert_int_equal(fake_gdb_resume(t->f, &r), -EPERM);
	why = dbg_gdb_ops.resume_error(t->d);
	assert_non_null(why);
	assert_non_null(strstr(why, "thread 2 (kthreadd, pid 2) is not on a CPU"));
	/* continue it alone, or a range-step of the idle task of CPU 1 */
	r.cpus[0].act.kind = GDB_ACT_CONTINUE;
	assert_int_equal(fake_gdb_resume(t->f, &r), -EPERM);
	r.cpus[0].cpu = idx(t, SHADOW(1));
	r.cpus[0].act.kind = GDB_ACT_RANGE;
	r.cpus[0].act.start = saved(T_IDLE1, 12);
	r.cpus[0].act.end = saved(T_IDLE1, 12) + 8;
	assert_int_equal(fake_gdb_resume(t->f, &r), -EPERM);
	assert_non_null(strstr(dbg_gdb_ops.resume_error(t->d), "is not on a CPU"));
	/* or set its PC */
	r = (struct gdb_resume){ .def = { .kind = GDB_ACT_CONTINUE }, .set_pc = true,
				 .pc_cpu = idx(t, 2), .pc = KVA(CODE) };
	assert_int_equal(fake_gdb_resume(t->f, &r), -EPERM);
	assert_non_null(strstr(dbg_gdb_ops.resume_error(t->d), "cannot be set"));
	r.pc_cpu = 6;
	assert_int_equal(fake_gdb_resume(t->f, &r), -ESRCH);
	/* a thread index that does not exist */
	r = (struct gdb_resume){ .nr = 1 };
	r.cpus[0].cpu = 6;
	r.cpus[0].act.kind = GDB_ACT_STEP;
	assert_int_equal(fake_gdb_resume(t->f, &r), -ESRCH);
	/* nothing ran, nothing stopped */
	assert_false(fake_any_running(t->f));
	assert_int_equal(fake_insns(t->f, 0) + fake_insns(t->f, 1), 0);
	assert_int_equal(fake_run(t->f, RUN), 0);
	assert_int_equal(fake_nr_stops(t->f), t->seen);

	/* step pid 100, kthreadd left stopped: vCPU 1 steps, vCPU 0 stays */
	pc0 = fake_reg(t->f, 0, ARM64_R_PC);
	pc1 = fake_reg(t->f, 1, ARM64_R_PC);
	r = (struct gdb_resume){ .nr = 2 };
	r.cpus[0].cpu = idx(t, 2);
	r.cpus[0].act.kind = GDB_ACT_NONE;
	r.cpus[1].cpu = idx(t, 100);
	r.cpus[1].act.kind = GDB_ACT_STEP;
	assert_int_equal(fake_gdb_resume(t->f, &r), 0);
	assert_null(dbg_gdb_ops.resume_error(t->d));
	fake_run(t->f, RUN);
	assert_int_equal(next_stop(t)->stop.cpu, 1);
	assert_int_equal(fake_reg(t->f, 1, ARM64_R_PC), pc1 + 4);
	assert_int_equal(fake_reg(t->f, 0, ARM64_R_PC), pc0);
	assert_int_equal(fake_insns(t->f, 0), 0);
	assert_int_equal(fake_insns(t->f, 1), 1);
	EXPECT_IDS(t, 1, 100, SHADOW(0), 2, 101, SHADOW(1));

	/* set the PC of a running task and step it */
	r = (struct gdb_resume){ .nr = 1, .set_pc = true, .pc_cpu = idx(t, 1), .pc = KVA(CODE) };
	r.cpus[0].cpu = idx(t, 1);
	r.cpus[0].act.kind = GDB_ACT_STEP;
	assert_int_equal(fake_gdb_resume(t->f, &r), 0);
	fake_run(t->f, RUN);
	assert_int_equal(next_stop(t)->stop.cpu, 0);
	assert_int_equal(fake_reg(t->f, 0, ARM64_R_PC), KVA(CODE + 4));

	/* continue, no thread named: every vCPU runs until ^C */
	fake_clear_history(t->f);
	assert_int_equal(fake_gdb_continue(t->f), 0);
	assert_null(dbg_gdb_ops.resume_error(t->d));
	fake_run(t->f, 100);
	assert_true(fake_insns(t->f, 0) > 0);
	assert_true(fake_insns(t->f, 1) > 0);
	fake_gdb_interrupt(t->f);
	assert_int_equal(next_stop(t)->stop.reason, GDB_STOP_INTERRUPT);
	EXPECT_IDS(t, 1, 100, SHADOW(0), 2, 101, SHADOW(1));
	assert_int_equal(t->warnings, 0);
}

/* =================================================================== corruption */

/* A list that loops without coming back to init_task: the walk ends, the vCPUs again. */
static void test_a_task_list_that_does_not_close(void **state)
{
	struct t *t = *state;
	static const unsigned int leaders[] = { T_INIT, T_INITPROC, T_KTHREADD, T_APP };

	put64(t, task_off(T_APP) + TS_TASKS, task_va(T_INITPROC) + TS_TASKS);
	stop_again(t);
	expect_vcpus(t, "the kernel's task list does not close");
	stop_again(t); /* the same reason: not warned again */
	EXPECT_IDS(t, SHADOW(0), SHADOW(1));
	assert_int_equal(t->warnings, 0);
	link_ring(t, TS_TASKS, leaders, 4);
	stop_again(t);
	expect_tasks(t);

	/* a thread group that loops on a task not on a CPU, leader left out */
	put64(t, task_off(T_WORKER) + TS_GROUP, task_va(T_WORKER) + TS_GROUP);
	stop_again(t);
	expect_vcpus(t, "the kernel's task list does not close");
	put64(t, task_off(T_WORKER) + TS_GROUP, task_va(T_APP) + TS_GROUP);
	stop_again(t);
	expect_tasks(t);
}

/* Pointers into user space, into nothing, to a task whose pid is negative or a second pid 0:
 * the list cannot be read. */
static void test_a_task_list_that_points_astray(void **state)
{
	struct t *t = *state;
	const struct {
		uint32_t off;
		uint64_t bad, good;
	} cases[] = {
		{ task_off(T_KTHREADD) + TS_TASKS, USER_PTR, task_va(T_APP) + TS_TASKS },
		{ task_off(T_KTHREADD) + TS_TASKS, KVA(NOWHERE) + TS_TASKS, task_va(T_APP) + TS_TASKS },
		{ task_off(T_APP) + TS_GROUP, TS_GROUP - 8, task_va(T_WORKER) + TS_GROUP },
		{ task_off(T_WORKER) + TS_GROUP, task_va(T_APP) + TS_GROUP + 4,
		  task_va(T_APP) + TS_GROUP }, /* unaligned */
		{ task_off(T_APP) + TS_PID, 0xfffffff0u, 100 },
		{ task_off(T_KTHREADD) + TS_PID, 0, 2 }, /* pid 0 that is not init_task */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		put64(t, cases[i].off, cases[i].bad);
		stop_again(t);
		if (dbg_gdb_ops.cpu_count(t->d) != 2)
			fail_msg("case %u: tasks read from a list that points astray", i);
		expect_vcpus(t, "the kernel's task list cannot be read");
		put64(t, cases[i].off, cases[i].good);
		stop_again(t);
		expect_tasks(t);
	}
}

/* Two tasks with one pid, or two vCPUs running one task: the table would be ambiguous. */
static void test_two_threads_with_one_pid(void **state)
{
	struct t *t = *state;

	put32(t, task_off(T_APP) + TS_PID, 2); /* kthreadd's */
	stop_again(t);
	expect_vcpus(t, "two threads with one pid");
	put32(t, task_off(T_APP) + TS_PID, 100);
	stop_again(t);
	expect_tasks(t);

	put32(t, task_off(T_KTHREADD) + TS_PID, 1); /* init's, and init runs on vCPU 0 */
	stop_again(t);
	expect_vcpus(t, "two threads with one pid");
	put32(t, task_off(T_KTHREADD) + TS_PID, 2);
	stop_again(t);
	expect_tasks(t);

	fake_set_reg(t->f, 1, ARM64_R_SP_EL0, task_va(T_INITPROC)); /* vCPU 0's too */
	stop_again(t);
	expect_vcpus(t, "two threads with one pid");
	fake_set_reg(t->f, 1, ARM64_R_SP_EL0, USER_PTR);
	stop_again(t);
	expect_tasks(t);
}

/* A BTF that does not parse is remembered as bad: repairing memory does not help, the same
 * symbols again do not either; symbols that say something new do. A BTF that parses is read
 * once: changing it in memory afterwards changes nothing until new symbols. */
static void test_a_bad_btf_is_remembered_until_new_symbols(void **state)
{
	struct t *t = *state;
	uint8_t *magic = ram(t, BTF, 1);

	*magic ^= 0xff;
	dbg_set_thread_mode(t->d, DBG_THREADS_TASKS);
	give_symbols(t);
	stop_again(t);
	expect_vcpus(t, "the kernel's BTF does not parse");
	*magic ^= 0xff; /* repaired */
	stop_again(t);
	EXPECT_IDS(t, SHADOW(0), SHADOW(1));
	assert_int_equal(t->warnings, 0); /* nothing new to say */
	give_symbols(t); /* the same ones */
	stop_again(t);
	EXPECT_IDS(t, SHADOW(0), SHADOW(1));
	give_symbols_at(t, KVA(BTF2), KVA(BTF2) + t->btf_len); /* it moved */
	EXPECT_IDS(t, SHADOW(0), SHADOW(1)); /* at the next stop */
	stop_again(t);
	expect_tasks(t);

	/* read once: the copy the layout came from may go */
	memset(ram(t, BTF2, t->btf_len), 0, t->btf_len);
	stop_again(t);
	expect_tasks(t);
	give_symbols_at(t, KVA(BTF), KVA(BTF) + t->btf_len);
	stop_again(t);
	expect_tasks(t);
}

/* A BTF without a member the tasks need is remembered as bad too. */
static void test_a_btf_without_rq_idle(void **state)
{
	struct t *t = *state;
	struct blob b;
	size_t len = build_btf(&b, false);

	memcpy(ram(t, BTF2, len), b.buf, len);
	give_symbols_at(t, KVA(BTF2), KVA(BTF2) + len);
	stop_again(t);
	expect_vcpus(t, "the kernel's BTF lacks a member tasks need");
	memcpy(ram(t, BTF2, t->btf_len), ram(t, BTF, t->btf_len), t->btf_len);
	stop_again(t);
	EXPECT_IDS(t, SHADOW(0), SHADOW(1));
	give_symbols_at(t, KVA(BTF2), KVA(BTF2) + t->btf_len);
	stop_again(t);
	expect_tasks(t);
}

/* BTF symbols that cannot be right (the end before the start, or nothing), or a BTF that
 * cannot be read yet (not mapped): not remembered, the next stop tries again. */
static void test_btf_symbols_that_cannot_be_right(void **state)
{
	struct t *t = *state;

	give_symbols_at(t, KVA(BTF) + t->btf_len, KVA(BTF));
	stop_again(t);
	expect_vcpus(t, "the kernel's BTF (__start_BTF, __stop_BTF) is not where");
	give_symbols(t);
	EXPECT_IDS(t, SHADOW(0), SHADOW(1)); /* stopped: at the next stop */
	stop_again(t);
	expect_tasks(t);

	give_symbols_at(t, KVA(BTF), KVA(BTF));
	stop_again(t);
	expect_vcpus(t, "is not where gdb's symbols say");

	give_symbols_at(t, KVA(NOWHERE), KVA(NOWHERE) + t->btf_len);
	stop_again(t);
	expect_vcpus(t, "the kernel's BTF cannot be read yet");
	/* mapped now (the kernel's boot went on): the same symbols do */
	memcpy(ram(t, SPARE, t->btf_len), ram(t, BTF, t->btf_len), t->btf_len);
	assert_int_equal(fake_map(t->f, KVA(NOWHERE), A(SPARE), 0x1000), 0);
	stop_again(t);
	expect_tasks(t);
}

/* Some of gdb's symbols missing: the vCPUs, and why. */
static void test_symbols_gdb_does_not_know(void **state)
{
	struct t *t = *state;

	dbg_gdb_ops.symbol_value(t->d, "runqueues", false, 0);
	stop_again(t);
	expect_vcpus(t, "gdb has not told the kernel's symbols");
	dbg_gdb_ops.symbol_value(t->d, "runqueues", true, KVA(PERCPU));
	stop_again(t);
	expect_tasks(t);
}

/* ============================================================ stable while stopped */

/* While gdb holds the guest, the table is what the last stop found: the kernel's memory is not
 * read again, memory and symbols changed meanwhile count from the next stop. */
static void test_the_table_holds_while_stopped(void **state)
{
	struct t *t = *state;
	char buf[64];

	put64(t, PERCPU + PCPU1 + RQ_CURR, task_va(T_APP));
	put32(t, task_off(T_KTHREADD) + TS_PID, 3);
	give_symbols_at(t, KVA(BTF2), KVA(BTF2) + t->btf_len);
	t->mem_calls = 0;
	expect_tasks(t);
	assert_int_equal(read_reg(t, 2, 19), saved(T_KTHREADD, 0));
	assert_true(dbg_gdb_ops.cpu_describe(t->d, idx(t, 2), buf, sizeof(buf)) > 0);
	dbg_thread_status(t->d, buf, sizeof(buf));
	assert_int_equal(t->mem_calls, 0);

	stop_again(t);
	EXPECT_IDS(t, 1, 100, SHADOW(0), 3, 101, SHADOW(1));

	/* a new session: gdb's symbols are forgotten, the vCPUs until the new ones come */
	assert_int_equal(fake_gdb_detach(t->f), 0);
	fake_cpu_ops.pause_all(t->f);
	dbg_attach(t->d);
	expect_vcpus(t, "gdb has not told the kernel's symbols");
	give_symbols(t);
	stop_again(t);
	EXPECT_IDS(t, 1, 100, SHADOW(0), 3, 101, SHADOW(1));

	/* back to vCPU threads from the next stop (gdb's view holds while it is stopped): 1
	 * and 2, nothing read for them */
	dbg_set_thread_mode(t->d, DBG_THREADS_VCPUS);
	EXPECT_IDS(t, 1, 100, SHADOW(0), 3, 101, SHADOW(1));
	dbg_thread_status(t->d, buf, sizeof(buf));
	assert_string_equal(buf, "threads are tasks until the next stop, then vCPUs");
	stop_again(t);
	t->mem_calls = 0;
	EXPECT_IDS(t, 1, 2);
	assert_int_equal(t->mem_calls, 0);
	assert_int_equal(t->warnings, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vcpu_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tasks_after_symbols_and_a_stop, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_powered_off_vcpus, setup_tasks, teardown),
		cmocka_unit_test_setup_teardown(test_a_sleeping_tasks_sve_and_pauth,
						setup_tasks_sve, teardown),
		cmocka_unit_test_setup_teardown(test_a_sleeping_tasks_registers, setup_tasks,
						teardown),
		cmocka_unit_test_setup_teardown(test_resume_by_task, setup_tasks, teardown),
		cmocka_unit_test_setup_teardown(test_a_task_list_that_does_not_close, setup_tasks,
						teardown),
		cmocka_unit_test_setup_teardown(test_a_task_list_that_points_astray, setup_tasks,
						teardown),
		cmocka_unit_test_setup_teardown(test_two_threads_with_one_pid, setup_tasks,
						teardown),
		cmocka_unit_test_setup_teardown(test_a_bad_btf_is_remembered_until_new_symbols,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_btf_without_rq_idle, setup_tasks, teardown),
		cmocka_unit_test_setup_teardown(test_btf_symbols_that_cannot_be_right, setup_tasks,
						teardown),
		cmocka_unit_test_setup_teardown(test_symbols_gdb_does_not_know, setup_tasks,
						teardown),
		cmocka_unit_test_setup_teardown(test_the_table_holds_while_stopped, setup_tasks,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
