// SPDX-License-Identifier: GPL-3.0-or-later
/* libFuzzer harness for the RSP framer and the command dispatcher: the input is what a hostile
 * gdb sends, fed in chunks to three sessions (fresh, in no-ack mode, resumed) on a fake target
 * that checks every op's arguments. Every byte the stub writes must be '+', '-' or one whole,
 * well-formed packet; '+'/'-' never once no-ack mode is on. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdbstub/internal.h"
#include "tests/fuzz/fuzz.h"

#define NCPU 3   /* vCPU 2 is powered off */
#define NREGS 36 /* x0-x30, sp, pc (8), cpsr (4), v0 (16), 35: unavailable */
#define MEM_BASE 0x1000
#define MEM_SIZE 0x1000

struct fake {
	struct gdb_session *s;
	uint8_t regs[NCPU][NREGS][16];
	uint8_t mem[MEM_SIZE];
	uint8_t cfg;   /* the input's last byte: small behaviour switches */
	bool running;  /* resume returned 0, no stop notified yet */
	bool pending;  /* a stop to notify between two chunks */
	bool finished; /* detach or kill was called: no op may follow */
	struct gdb_stop stop;
};

static int reg_size(unsigned int regno)
{
	if (regno < 33 || regno == 35)
		return 8;
	if (regno == 33)
		return 4;
	return regno == 34 ? 16 : -ENOENT;
}

static int f_reg_size(void *opaque, unsigned int regno)
{
	return reg_size(regno);
}

static void check_live(struct fake *t)
{
	FUZZ_CHECK(!t->finished); /* no op after detach or kill */
}

static int f_read_reg(void *opaque, unsigned int cpu, unsigned int regno, void *buf)
{
	struct fake *t = opaque;

	check_live(t);
	FUZZ_CHECK(cpu < NCPU && regno < NREGS);
	if (regno == 35)
		return -ENODATA;
	memcpy(buf, t->regs[cpu][regno], (size_t)reg_size(regno));
	return 0;
}

static int f_write_reg(void *opaque, unsigned int cpu, unsigned int regno, const void *buf)
{
	struct fake *t = opaque;

	check_live(t);
	FUZZ_CHECK(cpu < NCPU && regno < NREGS);
	if (regno == 35)
		return -EIO;
	memcpy(t->regs[cpu][regno], buf, (size_t)reg_size(regno));
	return 0;
}

/* The stub may ask for at most one packet's worth, never a range that wraps. */
static void check_range(uint64_t addr, size_t len)
{
	FUZZ_CHECK(len >= 1 && len <= GDB_PACKET_SIZE);
	FUZZ_CHECK(addr + (len - 1) >= addr);
}

static int f_read_mem(void *opaque, unsigned int cpu, uint64_t addr, void *buf, size_t len)
{
	struct fake *t = opaque;

	check_live(t);
	FUZZ_CHECK(cpu < NCPU);
	check_range(addr, len);
	if (addr < MEM_BASE || addr >= MEM_BASE + MEM_SIZE)
		return -EFAULT;
	if (len > MEM_BASE + MEM_SIZE - addr)
		len = MEM_BASE + MEM_SIZE - addr; /* a short read, as at the end of a mapping */
	memcpy(buf, t->mem + (addr - MEM_BASE), len);
	return (int)len;
}

static int f_write_mem(void *opaque, unsigned int cpu, uint64_t addr, const void *buf, size_t len)
{
	struct fake *t = opaque;

	check_live(t);
	FUZZ_CHECK(cpu < NCPU);
	check_range(addr, len);
	if (addr < MEM_BASE || addr - MEM_BASE + len > MEM_SIZE)
		return -EFAULT;
	memcpy(t->mem + (addr - MEM_BASE), buf, len);
	return 0;
}

static unsigned int f_cpu_count(void *opaque)
{
	return NCPU;
}

static bool f_cpu_is_alive(void *opaque, unsigned int cpu)
{
	FUZZ_CHECK(cpu < NCPU);
	return cpu != 2;
}

static int f_describe(void *opaque, unsigned int cpu, char *buf, size_t cap)
{
	struct fake *t = opaque;

	FUZZ_CHECK(cpu < NCPU && cap > 0);
	if (t->cfg & 1) /* longer than the stub's buffer: it must clip */
		return snprintf(buf, cap, "%0300u", cpu);
	return snprintf(buf, cap, "cpu%u EL1h", cpu);
}

static void check_action(const struct gdb_action *a)
{
	FUZZ_CHECK(a->kind <= GDB_ACT_RANGE);
	FUZZ_CHECK(a->kind != GDB_ACT_RANGE || a->start <= a->end);
}

static int f_resume(void *opaque, const struct gdb_resume *r)
{
	struct fake *t = opaque;
	unsigned int i, j;

	check_live(t);
	FUZZ_CHECK(!t->running && gdb_is_running(t->s));
	FUZZ_CHECK(r->nr <= GDB_RESUME_MAX);
	check_action(&r->def);
	for (i = 0; i < r->nr; i++) {
		FUZZ_CHECK(r->cpus[i].cpu < NCPU && r->cpus[i].cpu != 2);
		check_action(&r->cpus[i].act);
		for (j = 0; j < i; j++)
			FUZZ_CHECK(r->cpus[j].cpu != r->cpus[i].cpu);
	}
	FUZZ_CHECK(!r->set_pc || r->pc_cpu < NCPU);
	if (t->cfg & 2)
		return -EIO; /* the VMM could not start the vCPUs */
	t->stop = (struct gdb_stop){ .reason = t->cfg >> 4,
				     .cpu = (t->cfg >> 2) & 1,
				     .addr = r->pc,
				     .code = t->cfg,
				     .sig = t->cfg };
	if (t->stop.reason > GDB_STOP_TERMINATED)
		t->stop.reason = GDB_STOP_TRAP;
	if (t->cfg & 0x80) { /* a stop already known: reported from inside resume */
		gdb_notify_stop(t->s, &t->stop);
		return 0;
	}
	t->running = true;
	t->pending = true;
	return 0;
}

static void f_interrupt(void *opaque)
{
	struct fake *t = opaque;

	check_live(t);
	FUZZ_CHECK(t->running);
	t->stop = (struct gdb_stop){ .reason = GDB_STOP_INTERRUPT };
	t->pending = true;
}

static int f_bp(void *opaque, unsigned int cpu, enum gdb_bp_type type, uint64_t addr, uint64_t kind)
{
	check_live(opaque);
	FUZZ_CHECK(cpu < NCPU && type <= GDB_WP_ACCESS);
	if (type <= GDB_BP_HW)
		return kind == 4 ? 0 : -EINVAL;
	return addr & 1 ? -ENOSPC : 0;
}

static int f_detach(void *opaque)
{
	struct fake *t = opaque;

	check_live(t);
	t->finished = true;
	t->running = t->pending = false;
	return 0;
}

static void f_kill(void *opaque)
{
	f_detach(opaque);
}

/* Characters a binary reply must escape, so qXfer exercises the escaping. */
static const char xml_doc[] = "<?xml version=\"1.0\"?><target>$#}*</target>";

static const char *f_xml(void *opaque, const char *annex, size_t *len)
{
	if (strcmp(annex, "target.xml"))
		return NULL;
	*len = sizeof(xml_doc) - 1;
	return xml_doc;
}

static int f_rcmd(void *opaque, const char *cmd, gdb_print_fn print, void *ctx)
{
	static char big[9000]; /* more than one O packet holds */
	size_t n = strlen(cmd);

	check_live(opaque);
	print(ctx, cmd, n); /* echo, any bytes */
	if (!strcmp(cmd, "big")) {
		memset(big, '#', sizeof(big));
		print(ctx, big, sizeof(big));
	}
	return n & 1 ? -EINVAL : 0;
}

static const unsigned int expedite[] = { 29, 31, 32, 35, 99 };

static const struct gdb_target_ops ops = {
	.g_nregs = 35,
	.expedite = expedite,
	.nr_expedite = 5,
	.reg_size = f_reg_size,
	.read_reg = f_read_reg,
	.write_reg = f_write_reg,
	.read_mem = f_read_mem,
	.write_mem = f_write_mem,
	.cpu_count = f_cpu_count,
	.cpu_is_alive = f_cpu_is_alive,
	.cpu_describe = f_describe,
	.resume = f_resume,
	.interrupt = f_interrupt,
	.insert_bp = f_bp,
	.remove_bp = f_bp,
	.detach = f_detach,
	.kill = f_kill,
	.xml = f_xml,
	.rcmd = f_rcmd,
};

static int hex(uint8_t c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* One write is '+', '-' or exactly one packet "$payload#cs": payload within the packet size,
 * no bare '$' or '#' (framing) or '*' (gdb would expand it as a run length), every '}'
 * followed by the escaped byte, and the checksum right, in lower-case hex as we send it. */
static void f_write(void *ctx, const void *buf, size_t len)
{
	struct fake *t = ctx;
	const uint8_t *p = buf;
	uint8_t sum = 0;
	size_t i, n;

	FUZZ_CHECK(len >= 1);
	if (len == 1 && (p[0] == '+' || p[0] == '-')) {
		FUZZ_CHECK(!t->s->no_ack);
		return;
	}
	FUZZ_CHECK(len >= 4 && p[0] == '$' && p[len - 3] == '#');
	n = len - 4;
	FUZZ_CHECK(n <= GDB_PACKET_SIZE);
	for (i = 1; i <= n; i++) {
		FUZZ_CHECK(p[i] != '$' && p[i] != '#' && p[i] != '*');
		FUZZ_CHECK(p[i] != '}' || i < n);
		sum += p[i];
		if (p[i] == '}') /* the escaped byte is part of the checksum too */
			sum += p[++i];
	}
	FUZZ_CHECK(hex(p[len - 2]) == sum >> 4 && hex(p[len - 1]) == (sum & 15));
}

/* Trace lines reach the VMM's log: bounded, and nothing from gdb may put control characters
 * (escape sequences, newlines) in them. */
static void f_log(void *ctx, const char *msg)
{
	size_t i, n = strlen(msg);

	FUZZ_CHECK(n < 256);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(msg[i] >= 0x20 && msg[i] < 0x7f);
}

/* Feed in chunks, as the VMM's poll loop would; between two, deliver a stop that came. */
static void feed(struct fake *t, const uint8_t *data, size_t size)
{
	size_t chunk = (t->cfg & 0x3f) + 1, off, n;

	for (off = 0; off < size; off += n) {
		n = size - off < chunk ? size - off : chunk;
		gdb_feed(t->s, data + off, n);
		if (t->pending) {
			t->pending = t->running = false;
			gdb_notify_stop(t->s, &t->stop);
			FUZZ_CHECK(!gdb_is_running(t->s) || t->finished);
		}
	}
}

/* Send each payload of prefix (NULL-terminated) as a packet, before the fuzzed bytes; a
 * resume among them leaves the session running when the input starts. */
static void session(const char *const *prefix, const uint8_t *data, size_t size)
{
	static struct fake t;
	struct gdb_io io = { .write = f_write, .log = f_log, .ctx = &t };
	uint8_t pkt[64];
	unsigned int c, r;

	memset(&t, 0, sizeof(t));
	t.cfg = size ? data[size - 1] : 0;
	for (c = 0; c < NCPU; c++)
		for (r = 0; r < NREGS; r++)
			t.regs[c][r][0] = (uint8_t)(c << 6 | r);
	t.s = gdb_session_new(&ops, &t, &io);
	FUZZ_CHECK(t.s);
	for (; *prefix; prefix++)
		gdb_feed(t.s, pkt, rsp_frame(pkt, *prefix, strlen(*prefix)));
	feed(&t, data, size);
	if (!t.finished)
		gdb_disconnect(t.s);
	FUZZ_CHECK(gdb_is_finished(t.s));
	gdb_feed(t.s, "$g#67", 5); /* ignored once finished: f_write/ops would catch it */
	gdb_session_free(t.s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fresh[] = { NULL };
	static const char *const no_ack[] = { "QStartNoAckMode", NULL };
	static const char *const resumed[] = { "qSupported:swbreak+;hwbreak+", "c", NULL };

	session(fresh, data, size);
	session(no_ack, data, size);
	session(resumed, data, size);
	return 0;
}
