// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for the gdbstub session against a fake in-memory target: 3 vCPUs (the third powered
 * off), aarch64-like core registers, 4 KiB of memory at 0x1000, 2 hardware slots. Simple
 * request -> reply exchanges are named table rows; sequences have their own tests. */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gdbstub/gdbstub.h"
#include "gdbstub/rsp.h"

/* ---------------------------------------------------------------- the fake target */

#define NCPU 3
#define MAX_CPUS 5000
#define NREGS 36 /* 0-30 x, 31 sp, 32 pc (8 bytes), 33 cpsr (4), 34 v0 (16), 35 unavailable */
#define REG_X29 29
#define REG_SP 31
#define REG_PC 32
#define REG_CPSR 33
#define MEM_BASE 0x1000
#define MEM_SIZE 0x1000

struct fake {
	unsigned int ncpu;
	bool dead[MAX_CPUS];
	uint8_t regs[NCPU][NREGS][16];
	uint8_t mem[MEM_SIZE];
	int hw_used;
	int resume_calls, resume_ret, interrupts, detaches, detach_ret, kills;
	struct gdb_resume last_resume;
	bool stop_in_resume; /* report a step stop from inside resume */
	struct gdb_session *s;
	char xml[100];
	unsigned int g_nregs; /* get_g_nregs' answer */
};

static int reg_size(unsigned int regno)
{
	if (regno < 33 || regno == 35)
		return 8;
	if (regno == 33)
		return 4;
	return regno == 34 ? 16 : -ENOENT;
}

static int fake_reg_size(void *opaque, unsigned int regno)
{
	return reg_size(regno);
}

static int fake_read_reg(void *opaque, unsigned int cpu, unsigned int regno, void *buf)
{
	struct fake *t = opaque;

	if (regno == 35)
		return -ENODATA;
	if (cpu >= NCPU) {
		memset(buf, 0, (size_t)reg_size(regno));
		return 0;
	}
	memcpy(buf, t->regs[cpu][regno], (size_t)reg_size(regno));
	return 0;
}

static int fake_write_reg(void *opaque, unsigned int cpu, unsigned int regno, const void *buf)
{
	struct fake *t = opaque;

	if (cpu >= NCPU || regno == 35)
		return -EIO;
	memcpy(t->regs[cpu][regno], buf, (size_t)reg_size(regno));
	return 0;
}

static int fake_read_mem(void *opaque, unsigned int cpu, uint64_t addr, void *buf, size_t len)
{
	struct fake *t = opaque;

	if (addr < MEM_BASE || addr >= MEM_BASE + MEM_SIZE)
		return -EFAULT;
	if (len > MEM_BASE + MEM_SIZE - addr)
		len = MEM_BASE + MEM_SIZE - addr; /* short read at the end of the mapping */
	memcpy(buf, t->mem + (addr - MEM_BASE), len);
	return (int)len;
}

static int fake_write_mem(void *opaque, unsigned int cpu, uint64_t addr, const void *buf,
			  size_t len)
{
	struct fake *t = opaque;

	if (addr < MEM_BASE || addr + len > MEM_BASE + MEM_SIZE)
		return -EFAULT;
	memcpy(t->mem + (addr - MEM_BASE), buf, len);
	return 0;
}

static unsigned int fake_cpu_count(void *opaque)
{
	return ((struct fake *)opaque)->ncpu;
}

static bool fake_cpu_is_alive(void *opaque, unsigned int cpu)
{
	return !((struct fake *)opaque)->dead[cpu];
}

static int fake_describe(void *opaque, unsigned int cpu, char *buf, size_t cap)
{
	return snprintf(buf, cap, "cpu%u EL1h", cpu);
}

static int fake_resume(void *opaque, const struct gdb_resume *r)
{
	struct fake *t = opaque;
	struct gdb_stop stop = { .reason = GDB_STOP_TRAP, .cpu = 1 };

	t->resume_calls++;
	t->last_resume = *r;
	if (!t->resume_ret && t->stop_in_resume)
		gdb_notify_stop(t->s, &stop);
	return t->resume_ret;
}

static void fake_interrupt(void *opaque)
{
	((struct fake *)opaque)->interrupts++;
}

/* Software breakpoints take kind 4 (A64); hardware ones too, from 2 slots; watchpoints take
 * 1, 2, 4 or 8 bytes and share the slots. */
static int fake_insert_bp(void *opaque, unsigned int cpu, enum gdb_bp_type type, uint64_t addr,
			  uint64_t kind)
{
	struct fake *t = opaque;

	if (type <= GDB_BP_HW ? kind != 4 : (kind == 0 || kind > 8 || (kind & (kind - 1))))
		return -EINVAL;
	if (type == GDB_BP_SW)
		return 0;
	if (t->hw_used == 2)
		return -ENOSPC;
	t->hw_used++;
	return 0;
}

static int fake_remove_bp(void *opaque, unsigned int cpu, enum gdb_bp_type type, uint64_t addr,
			  uint64_t kind)
{
	struct fake *t = opaque;

	if (type != GDB_BP_SW && t->hw_used)
		t->hw_used--;
	return 0;
}

static int fake_detach(void *opaque)
{
	struct fake *t = opaque;

	t->detaches++;
	return t->detach_ret;
}

static void fake_kill(void *opaque)
{
	((struct fake *)opaque)->kills++;
}

static const char *fake_xml(void *opaque, const char *annex, size_t *len)
{
	struct fake *t = opaque;

	if (strcmp(annex, "target.xml"))
		return NULL;
	*len = strlen(t->xml);
	return t->xml;
}

#define LONG_OUTPUT 9000 /* more than one O packet holds */

static int fake_rcmd(void *opaque, const char *cmd, gdb_print_fn print, void *ctx)
{
	static char big[LONG_OUTPUT];

	if (!strcmp(cmd, "help")) {
		print(ctx, "line1\n", 6);
		memset(big, 'z', sizeof(big));
		print(ctx, big, sizeof(big));
		return 0;
	}
	return strcmp(cmd, "nop") ? -EINVAL : 0;
}

static const unsigned int expedite[] = { REG_X29, REG_SP, REG_PC };

static const struct gdb_target_ops fake_ops = {
	.g_nregs = 34,
	.expedite = expedite,
	.nr_expedite = 3,
	.reg_size = fake_reg_size,
	.read_reg = fake_read_reg,
	.write_reg = fake_write_reg,
	.read_mem = fake_read_mem,
	.write_mem = fake_write_mem,
	.cpu_count = fake_cpu_count,
	.cpu_is_alive = fake_cpu_is_alive,
	.cpu_describe = fake_describe,
	.resume = fake_resume,
	.interrupt = fake_interrupt,
	.insert_bp = fake_insert_bp,
	.remove_bp = fake_remove_bp,
	.detach = fake_detach,
	.kill = fake_kill,
	.xml = fake_xml,
	.rcmd = fake_rcmd,
};

/* ---------------------------------------------------------------- the harness */

#define OUT_MAX (1 << 18)
#define MAX_REPLIES 16

struct fx {
	struct fake t;
	struct gdb_session *s;
	uint8_t out[OUT_MAX]; /* everything the stub wrote since the last send */
	size_t out_len;
	int nlog;
	const void *row; /* the table row of a table-driven test */
	/* out parsed: */
	int acks, naks, nrep;
	char rep[MAX_REPLIES][GDB_PACKET_SIZE + 1]; /* payloads, NUL-terminated */
	size_t rep_len[MAX_REPLIES];
};

static void fx_write(void *ctx, const void *buf, size_t len)
{
	struct fx *f = ctx;

	assert_true(f->out_len + len <= OUT_MAX);
	memcpy(f->out + f->out_len, buf, len);
	f->out_len += len;
}

static void fx_log(void *ctx, const char *msg)
{
	((struct fx *)ctx)->nlog++;
}

static void set_reg(struct fake *t, unsigned int cpu, unsigned int regno, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < (unsigned int)reg_size(regno) && i < 8; i++)
		t->regs[cpu][regno][i] = (uint8_t)(v >> (8 * i)); /* little endian, as aarch64 */
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	const void *row = *state;
	struct gdb_io io = { .write = fx_write, .log = fx_log };
	unsigned int c, i;

	if (!f)
		return -1;
	io.ctx = f;
	f->t.ncpu = NCPU;
	f->t.dead[2] = true;
	for (c = 0; c < NCPU; c++) {
		for (i = 0; i < 31; i++)
			set_reg(&f->t, c, i, c << 8 | i);
		set_reg(&f->t, c, REG_SP, 0x48000000 + c * 0x1000);
		set_reg(&f->t, c, REG_PC, 0x40080000 + c * 4);
		set_reg(&f->t, c, REG_CPSR, 0x3c5);
	}
	for (i = 0; i < MEM_SIZE; i++)
		f->t.mem[i] = (uint8_t)i;
	for (i = 0; i < sizeof(f->t.xml) - 1; i++)
		f->t.xml[i] = (char)('a' + i % 26);
	f->row = row;
	f->s = gdb_session_new(&fake_ops, &f->t, &io);
	f->t.s = f->s;
	*state = f;
	return f->s ? 0 : -1;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	gdb_session_free(f->s);
	free(f);
	return 0;
}

/* Split f->out into acks, naks and packet payloads (checksums verified). */
static void parse_out(struct fx *f)
{
	size_t i = 0;

	f->acks = f->naks = f->nrep = 0;
	while (i < f->out_len) {
		uint8_t c = f->out[i++];
		const uint8_t *hash;
		size_t n;
		char cs[3];

		if (c == '+' || c == '-') {
			c == '+' ? f->acks++ : f->naks++;
			continue;
		}
		assert_int_equal(c, '$');
		hash = memchr(f->out + i, '#', f->out_len - i);
		assert_non_null(hash);
		n = (size_t)(hash - (f->out + i));
		assert_true(n <= GDB_PACKET_SIZE && f->nrep < MAX_REPLIES);
		assert_true(i + n + 3 <= f->out_len);
		snprintf(cs, sizeof(cs), "%02x", rsp_checksum(f->out + i, n));
		assert_memory_equal(hash + 1, cs, 2);
		memcpy(f->rep[f->nrep], f->out + i, n);
		f->rep[f->nrep][n] = '\0';
		f->rep_len[f->nrep++] = n;
		i += n + 3;
	}
}

static void feed_raw(struct fx *f, const void *buf, size_t len)
{
	f->out_len = 0;
	gdb_feed(f->s, buf, len);
	parse_out(f);
}

/* Frame payload (len bytes) with its checksum, feed it, parse what came back. */
static void send_bin(struct fx *f, const void *payload, size_t len)
{
	static uint8_t wire[GDB_PACKET_SIZE * 2 + 8];

	assert_true(len <= GDB_PACKET_SIZE * 2);
	feed_raw(f, wire, rsp_frame(wire, payload, len));
}

static void send_pkt(struct fx *f, const char *payload)
{
	send_bin(f, payload, strlen(payload));
}

/* Send a packet; expect the ack and exactly one reply, and return it. */
static const char *xchg(struct fx *f, const char *payload)
{
	send_pkt(f, payload);
	assert_int_equal(f->acks, 1);
	if (f->nrep != 1)
		fail_msg("%s: %d replies", payload, f->nrep);
	return f->rep[0];
}

static void hex_le(char *dst, uint64_t v, unsigned int bytes)
{
	unsigned int i;

	for (i = 0; i < bytes; i++)
		sprintf(dst + 2 * i, "%02x", (unsigned int)(v >> (8 * i)) & 0xff);
}

/* The expedited registers of cpu, as the stop reply must carry them. */
static void expedited(char *dst, unsigned int cpu)
{
	char x29[17], sp[17], pc[17];

	hex_le(x29, cpu << 8 | 29, 8);
	hex_le(sp, 0x48000000 + cpu * 0x1000, 8);
	hex_le(pc, 0x40080000 + cpu * 4, 8);
	sprintf(dst, "1d:%s;1f:%s;20:%s;", x29, sp, pc);
}

/* ---------------------------------------------------------------- simple exchanges */

static const struct xchg_case {
	const char *name, *req, *reply;
} xchg_cases[] = {
	{ "unknown packet", "qFooBar", "" },
	{ "vMustReplyEmpty", "vMustReplyEmpty", "" },
	{ "non-stop not supported", "QNonStop:1", "" },
	{ "extended mode not supported", "!", "" },
	{ "qC does not match qCRC", "qCRC:1000,4", "" },
	{ "qAttached", "qAttached", "1" },
	{ "qAttached with pid", "qAttached:1", "1" },
	{ "qSymbol", "qSymbol::", "OK" },
	{ "vCont?", "vCont?", "vCont;c;C;s;S;t;r" },
	{ "thread alive", "T2", "OK" },
	{ "thread does not exist", "T9", "E03" },
	{ "thread powered off", "T3", "E03" },
	{ "thread 0 is not a thread", "T0", "E03" },
	{ "thread id malformed", "Tzz", "E22" },
	{ "Hg existing", "Hg2", "OK" },
	{ "Hg any", "Hg0", "OK" },
	{ "Hg all", "Hg-1", "OK" },
	{ "Hg does not exist", "Hg9", "E03" },
	{ "Hg malformed", "Hgq", "E22" },
	{ "Hc all", "Hc-1", "OK" },
	{ "Hc does not exist", "Hca", "E03" },
	{ "qC", "qC", "QC1" },
	{ "qfThreadInfo skips dead vCPUs", "qfThreadInfo", "m1,2" },
	{ "qThreadExtraInfo", "qThreadExtraInfo,2", "6370753120454c3168" }, /* "cpu1 EL1h" */
	{ "qThreadExtraInfo dead", "qThreadExtraInfo,3", "E03" },
	{ "p pc", "p20", "0000084000000000" },
	{ "p cpsr (4 bytes)", "p21", "c5030000" },
	{ "p unavailable", "p23", "xxxxxxxxxxxxxxxx" },
	{ "p no such register", "p99", "E02" },
	{ "p huge register number", "p100000000", "E02" },
	{ "p malformed", "pzz", "E22" },
	{ "p trailing junk", "p20,", "E22" },
	{ "P", "P20=0000000000000000", "OK" },
	{ "P wrong size", "P20=0011", "E22" },
	{ "P odd hex", "P20=000", "E22" },
	{ "P bad hex", "P20=zz00000000000000", "E22" },
	{ "P no value", "P20", "E22" },
	{ "m", "m1000,4", "00010203" },
	{ "m short at the end of memory", "m1ffe,4", "feff" },
	{ "m untranslatable", "mdead0000,4", "E14" },
	{ "m wraps the address space", "mffffffffffffffff,2", "E14" },
	{ "m no length", "m1000", "E22" },
	{ "m no address", "m,4", "E22" },
	{ "m junk", "m1000,4x", "E22" },
	{ "m 17 hex digits", "m10000000000000000,4", "E22" },
	{ "m zero length", "m1000,0", "" },
	{ "M", "M1000,2:abcd", "OK" },
	{ "M length mismatch", "M1000,3:abcd", "E22" },
	{ "M bad hex", "M1000,1:zz", "E22" },
	{ "M untranslatable", "M0,1:00", "E14" },
	{ "X probe", "X1000,0:", "OK" },
	{ "X length mismatch", "X1000,2:a", "E22" },
	{ "x zero length", "x1000,0", "b" },
	{ "x untranslatable", "x0,4", "E14" },
	{ "x plain bytes", "x1041,3", "bABC" },
	{ "Z0", "Z0,1000,4", "OK" },
	{ "Z0 bad kind", "Z0,1000,3", "E22" },
	{ "Z1", "Z1,1000,4", "OK" },
	{ "Z2 bad kind", "Z2,1000,3", "E22" },
	{ "Z4", "Z4,1000,8", "OK" },
	{ "Z5 unsupported type", "Z5,1000,4", "" },
	{ "Z malformed", "Z0,1000", "E22" },
	{ "z0", "z0,1000,4", "OK" },
	{ "qXfer unknown annex", "qXfer:features:read:foo.xml:0,10", "E02" },
	{ "qXfer offset past the end", "qXfer:features:read:target.xml:64,10", "E22" },
	{ "qXfer offset at the end", "qXfer:features:read:target.xml:63,10", "l" },
	{ "qXfer malformed", "qXfer:features:read:target.xml:0", "E22" },
	{ "qXfer other object", "qXfer:threads:read::0,100", "" },
	{ "qRcmd no output", "qRcmd,6e6f70", "OK" },
	{ "qRcmd failing", "qRcmd,626f677573", "E22" },
	{ "qRcmd bad hex", "qRcmd,6e6", "E22" },
	{ "G wrong length", "G00", "E22" },
	{ "c with junk", "cxyz", "E22" },
	{ "C signal too big", "C100", "E22" },
	{ "vCont with no action", "vCont;", "E22" },
	{ "vCont trailing ';'", "vCont;c;", "E22" },
	{ "vCont unknown action", "vCont;x", "E22" },
	{ "vCont thread 0", "vCont;s:0", "E22" },
	{ "vCont thread does not exist", "vCont;s:9;c", "E03" },
	{ "vCont thread powered off", "vCont;s:3;c", "E03" },
	{ "vCont range backwards", "vCont;r1010,1000:1", "E22" },
	{ "vCont range without end", "vCont;r1010:1", "E22" },
	{ "vCont signal too big", "vCont;C100", "E22" },
	{ "D", "D", "OK" },
	{ "D with pid", "D;1", "OK" },
};

static void run_xchg_case(void **state)
{
	struct fx *f = *state;
	const struct xchg_case *c = f->row;

	if (strcmp(xchg(f, c->req), c->reply))
		fail_msg("%s -> '%s', want '%s'", c->req, f->rep[0], c->reply);
	assert_false(gdb_is_running(f->s)); /* none of these may resume */
}

/* ---------------------------------------------------------------- framing through the session */

static void test_bad_checksum_then_retransmit(void **state)
{
	struct fx *f = *state;
	char want[128];

	feed_raw(f, "$?#00", 5);
	assert_int_equal(f->naks, 1);
	assert_int_equal(f->nrep, 0); /* dropped, not answered */
	send_pkt(f, "?");
	assert_int_equal(f->acks, 1);
	assert_int_equal(f->nrep, 1);
	expedited(want + sprintf(want, "T05thread:1;"), 0);
	assert_string_equal(f->rep[0], want);
	/* gdb NAKs our reply: the same bytes again. */
	feed_raw(f, "-", 1);
	assert_int_equal(f->nrep, 1);
	assert_string_equal(f->rep[0], want);
	feed_raw(f, "+", 1);
	assert_int_equal(f->out_len, 0);
}

static void test_no_ack_mode(void **state)
{
	struct fx *f = *state;

	assert_string_equal(xchg(f, "QStartNoAckMode"), "OK"); /* this one is still acked */
	send_pkt(f, "qC");
	assert_int_equal(f->acks, 0);
	assert_int_equal(f->nrep, 1);
	assert_string_equal(f->rep[0], "QC1");
	feed_raw(f, "$qC#00", 6); /* a bad checksum: dropped silently */
	assert_int_equal(f->out_len, 0);
	feed_raw(f, "-", 1); /* no retransmissions either */
	assert_int_equal(f->out_len, 0);
}

static void test_run_length_input(void **state)
{
	struct fx *f = *state;

	/* "0*\"" is 0 and 5 more: six zeros. */
	assert_string_equal(xchg(f, "M1000,3:0*\""), "OK");
	assert_string_equal(xchg(f, "m1000,4"), "00000003");
}

static void test_binary_write_escapes(void **state)
{
	struct fx *f = *state;
	static const char pkt[] = "X1000,5:}\x03}\x04}]}\x0a\x03";

	send_bin(f, pkt, sizeof(pkt) - 1);
	assert_int_equal(f->nrep, 1);
	assert_string_equal(f->rep[0], "OK");
	assert_string_equal(xchg(f, "m1000,5"), "23247d2a03");
}

static void test_binary_read_escapes(void **state)
{
	struct fx *f = *state;

	memcpy(f->t.mem, "#$}*A", 5);
	xchg(f, "x1000,5");
	assert_int_equal(f->rep_len[0], 10);
	assert_memory_equal(f->rep[0],
			    "b}\x03}\x04}]}\x0a"
			    "A",
			    10);
}

/* A big x read: gdb may ask for more than fits; the reply holds what fits, escapes included. */
static void test_binary_read_large(void **state)
{
	struct fx *f = *state;
	uint8_t buf[GDB_PACKET_SIZE];
	size_t i, n = 0;

	xchg(f, "x1000,1000");
	assert_int_equal(f->rep[0][0], 'b');
	for (i = 1; i < f->rep_len[0]; i++) {
		uint8_t c = (uint8_t)f->rep[0][i];

		buf[n++] = c == '}' ? (uint8_t)f->rep[0][++i] ^ 0x20 : c;
	}
	assert_int_equal(n, 0x1000); /* 4 KiB: escapes of 16 bytes in 256 still fit */
	assert_memory_equal(buf, f->t.mem, n);
}

static void test_oversize_packet(void **state)
{
	struct fx *f = *state;
	static char big[GDB_PACKET_SIZE + 100];

	memset(big, '0', sizeof(big) - 1);
	big[0] = 'G';
	big[sizeof(big) - 1] = '\0';
	send_pkt(f, big);
	assert_int_equal(f->acks, 1);
	assert_int_equal(f->nrep, 1);
	assert_string_equal(f->rep[0], "E90");     /* EMSGSIZE */
	assert_string_equal(xchg(f, "qC"), "QC1"); /* and the stub carries on */
}

static void test_malformed_framing(void **state)
{
	struct fx *f = *state;

	feed_raw(f, "$*!#4b", 6); /* a run length with nothing to repeat */
	assert_int_equal(f->acks, 1);
	assert_int_equal(f->nrep, 1);
	assert_string_equal(f->rep[0], "E22");
}

/* ---------------------------------------------------------------- queries */

static void test_q_supported(void **state)
{
	struct fx *f = *state;
	const char *r = xchg(f, "qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386");
	static const char *const want[] = {
		"PacketSize=4000",  "qXfer:features:read+",
		"QStartNoAckMode+", "vContSupported+",
		"swbreak+",         "hwbreak+",
		"binary-upload+",
	};
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(r, want[i]))
			fail_msg("'%s' lacks %s", r, want[i]);
	assert_null(strstr(r, "multiprocess"));
	assert_null(strstr(r, "QNonStop"));
}

/* A target without breakpoint ops or XML is not offered swbreak, hwbreak or qXfer. */
static void test_q_supported_follows_ops(void **state)
{
	static struct gdb_target_ops ops;
	struct fx *f = *state;
	struct gdb_io io = { .write = fx_write, .log = fx_log, .ctx = f };
	const char *r;

	ops = fake_ops;
	ops.insert_bp = ops.remove_bp = NULL;
	ops.xml = NULL;
	gdb_session_free(f->s);
	f->s = f->t.s = gdb_session_new(&ops, &f->t, &io);
	assert_non_null(f->s);
	r = xchg(f, "qSupported:swbreak+;hwbreak+");
	assert_non_null(strstr(r, "vContSupported+"));
	assert_null(strstr(r, "swbreak"));
	assert_null(strstr(r, "hwbreak"));
	assert_null(strstr(r, "qXfer"));
	assert_string_equal(xchg(f, "Z0,40080000,4"), "");
}

static int fx_offsets(void *opaque, uint64_t *text, uint64_t *data)
{
	*text = *data = 0x32cf10200000ull;
	return 0;
}

static int fx_no_offsets(void *opaque, uint64_t *text, uint64_t *data)
{
	return -ENOENT;
}

/* qOffsets: none without the op, none while the target does not know, else all three. */
static void test_q_offsets(void **state)
{
	static struct gdb_target_ops ops;
	struct fx *f = *state;
	struct gdb_io io = { .write = fx_write, .log = fx_log, .ctx = f };

	assert_string_equal(xchg(f, "qOffsets"), "");
	ops = fake_ops;
	ops.offsets = fx_no_offsets;
	gdb_session_free(f->s);
	f->s = f->t.s = gdb_session_new(&ops, &f->t, &io);
	assert_string_equal(xchg(f, "qOffsets"), "");
	ops.offsets = fx_offsets;
	assert_string_equal(xchg(f, "qOffsets"), "Text=32cf10200000;Data=32cf10200000;Bss=32cf10200000");
}

static const char *const fx_wanted[] = { "panic", "die" };
static char fx_sym_log[256];

static const char *fx_symbol_next(void *opaque, unsigned int i)
{
	return i < 2 ? fx_wanted[i] : NULL;
}

static void fx_symbol_value(void *opaque, const char *name, bool known, uint64_t value)
{
	size_t n = strlen(fx_sym_log);

	snprintf(fx_sym_log + n, sizeof(fx_sym_log) - n, "%s=%s%llx;", name, known ? "" : "?",
		 (unsigned long long)value);
}

/* qSymbol: an offer starts the questions; each answer, known or not, brings the next; bad
 * answers end them. */
static void test_q_symbol_asks_what_the_target_wants(void **state)
{
	static struct gdb_target_ops ops;
	struct fx *f = *state;
	struct gdb_io io = { .write = fx_write, .log = fx_log, .ctx = f };

	ops = fake_ops;
	ops.symbol_next = fx_symbol_next;
	ops.symbol_value = fx_symbol_value;
	gdb_session_free(f->s);
	f->s = f->t.s = gdb_session_new(&ops, &f->t, &io);
	fx_sym_log[0] = '\0';
	assert_string_equal(xchg(f, "qSymbol::"), "qSymbol:70616e6963");           /* panic */
	assert_string_equal(xchg(f, "qSymbol:ffff800008c1a2b0:70616e6963"), "qSymbol:646965");
	assert_string_equal(xchg(f, "qSymbol::646965"), "OK");                     /* no die */
	assert_string_equal(fx_sym_log, "panic=ffff800008c1a2b0;die=?0;");
	assert_string_equal(xchg(f, "qSymbol::"), "qSymbol:70616e6963");           /* again */
	assert_string_equal(xchg(f, "qSymbol:zz:70616e6963"), "qSymbol:646965"); /* not hex */
	assert_string_equal(xchg(f, "qSymbol:1:7"), "OK");                        /* odd name */
	assert_string_equal(xchg(f, "qSymbol"), "OK");
	assert_string_equal(xchg(f, "qSymbol:1122334455667788990:70616e6963"), "OK"); /* > 64 bits */
}

static void test_xfer_chunks(void **state)
{
	struct fx *f = *state;
	char want[128];

	xchg(f, "qXfer:features:read:target.xml:0,28");
	snprintf(want, sizeof(want), "m%.40s", f->t.xml);
	assert_string_equal(f->rep[0], want);
	xchg(f, "qXfer:features:read:target.xml:28,28");
	snprintf(want, sizeof(want), "m%.40s", f->t.xml + 40);
	assert_string_equal(f->rep[0], want);
	xchg(f, "qXfer:features:read:target.xml:50,28"); /* 80..99: the last 19 bytes */
	snprintf(want, sizeof(want), "l%s", f->t.xml + 80);
	assert_string_equal(f->rep[0], want);
	xchg(f, "qXfer:features:read:target.xml:0,1000");
	snprintf(want, sizeof(want), "l%s", f->t.xml);
	assert_string_equal(f->rep[0], want);
}

static const char fake_map[] = "<memory-map><memory type=\"rom\" start=\"0x0\" "
				"length=\"0x4000000\"/></memory-map>";

static const char *fx_memory_map(void *opaque, size_t *len)
{
	*len = sizeof(fake_map) - 1;
	return fake_map;
}

static const char *fx_no_memory_map(void *opaque, size_t *len)
{
	return NULL;
}

/* qXfer:memory-map:read: offered and served when the target has a map, in chunks; a map
 * has no annex; a target whose op says "none" (a Linux guest) is neither offered it nor
 * answers it, like one without the op (fake_ops). */
static void test_xfer_memory_map(void **state)
{
	static struct gdb_target_ops ops;
	struct fx *f = *state;
	struct gdb_io io = { .write = fx_write, .log = fx_log, .ctx = f };
	char want[128];

	assert_null(strstr(xchg(f, "qSupported"), "memory-map"));
	assert_string_equal(xchg(f, "qXfer:memory-map:read::0,100"), "");
	ops = fake_ops;
	ops.memory_map = fx_memory_map;
	gdb_session_free(f->s);
	f->s = f->t.s = gdb_session_new(&ops, &f->t, &io);
	assert_non_null(strstr(xchg(f, "qSupported"), ";qXfer:memory-map:read+"));
	xchg(f, "qXfer:memory-map:read::0,10");
	snprintf(want, sizeof(want), "m%.16s", fake_map);
	assert_string_equal(f->rep[0], want);
	xchg(f, "qXfer:memory-map:read::10,1000");
	snprintf(want, sizeof(want), "l%s", fake_map + 16);
	assert_string_equal(f->rep[0], want);
	assert_string_equal(xchg(f, "qXfer:memory-map:read:x.xml:0,10"), "E02");
	assert_string_equal(xchg(f, "qXfer:memory-map:read::1000,10"), "E22");
	ops.memory_map = fx_no_memory_map;
	assert_null(strstr(xchg(f, "qSupported"), "memory-map"));
	assert_string_equal(xchg(f, "qXfer:memory-map:read::0,10"), "");
}

static void test_thread_list_paging(void **state)
{
	struct fx *f = *state;
	unsigned int next = 1, id, pages = 0;
	const char *p;
	char *end;

	f->t.ncpu = MAX_CPUS;
	xchg(f, "qfThreadInfo");
	while (f->rep[0][0] == 'm') {
		for (p = f->rep[0] + 1; *p; p = *end ? end + 1 : end) {
			id = (unsigned int)strtoul(p, &end, 16);
			next += next == 3 ? 1 : 0; /* vCPU 2 (thread 3) is powered off */
			assert_int_equal(id, next++);
		}
		pages++;
		xchg(f, "qsThreadInfo");
	}
	assert_string_equal(f->rep[0], "l");
	assert_int_equal(next, MAX_CPUS + 1);
	assert_true(pages >= 2);
}

/* Threads the target names itself (a kernel's tasks): index 0 is thread 2a, 1 is 7, 2 (dead)
 * is fffffffd. */
static const uint64_t fx_ids[NCPU] = { 0x2a, 0x7, 0xfffffffd };

static uint64_t fx_thread_id(void *opaque, unsigned int i)
{
	return i < NCPU ? fx_ids[i] : 0;
}

static int fx_thread_index(void *opaque, uint64_t tid)
{
	unsigned int i;

	for (i = 0; i < NCPU; i++)
		if (fx_ids[i] == tid)
			return (int)i;
	return -ESRCH;
}

static void test_threads_named_by_the_target(void **state)
{
	static struct gdb_target_ops ops;
	struct fx *f = *state;
	struct gdb_io io = { .write = fx_write, .log = fx_log, .ctx = f };
	char want[128], hex[64];
	unsigned int i;

	ops = fake_ops;
	ops.thread_id = fx_thread_id;
	ops.thread_index = fx_thread_index;
	gdb_session_free(f->s);
	f->s = f->t.s = gdb_session_new(&ops, &f->t, &io);
	assert_non_null(f->s);
	assert_string_equal(xchg(f, "qfThreadInfo"), "m2a,7");
	assert_string_equal(xchg(f, "qsThreadInfo"), "l");
	assert_string_equal(xchg(f, "qC"), "QC2a");
	assert_string_equal(xchg(f, "T7"), "OK");
	assert_string_equal(xchg(f, "T1"), "E03");        /* an index + 1 is no id here */
	assert_string_equal(xchg(f, "Tfffffffd"), "E03"); /* dead */
	assert_string_equal(xchg(f, "Hg1"), "E03");
	assert_string_equal(xchg(f, "Hg7"), "OK");
	hex_le(want, 1 << 8 | 29, 8);
	assert_string_equal(xchg(f, "p1d"), want); /* x29 of index 1 */
	for (i = 0; i < sizeof("cpu1 EL1h") - 1; i++)
		sprintf(hex + 2 * i, "%02x", "cpu1 EL1h"[i]);
	assert_string_equal(xchg(f, "qThreadExtraInfo,7"), hex);
	/* resumes name indexes; stops are reported by id */
	f->t.stop_in_resume = true;
	send_pkt(f, "vCont;s:7;c");
	assert_int_equal(f->t.last_resume.nr, 1);
	assert_int_equal(f->t.last_resume.cpus[0].cpu, 1);
	expedited(want + sprintf(want, "T05thread:7;"), 1);
	assert_string_equal(f->rep[0], want);
	assert_string_equal(xchg(f, "qC"), "QC7");
	assert_string_equal(xchg(f, "vCont;s:2b"), "E03");
	/* gdb writes ids with the top bit set as negative numbers */
	assert_string_equal(xchg(f, "T-3"), "E03"); /* fffffffd: dead */
	f->t.dead[2] = false;
	assert_string_equal(xchg(f, "T-3"), "OK");
	assert_string_equal(xchg(f, "Tfffffffd"), "OK");
	assert_string_equal(xchg(f, "T-0"), "E22");
	assert_string_equal(xchg(f, "T-80000001"), "E22");
	assert_string_equal(xchg(f, "T-"), "E22");
	/* one without the other is a programming error */
	ops.thread_index = NULL;
	assert_null(gdb_session_new(&ops, &f->t, &io));
	assert_int_equal(errno, EINVAL);
}

static void test_registers(void **state)
{
	struct fx *f = *state;
	char want[34 * 16 + 1], *p = want;
	unsigned int r;

	for (r = 0; r < 34; r++) {
		rsp_hex_encode(p, f->t.regs[0][r], (size_t)reg_size(r));
		p += 2 * reg_size(r);
	}
	*p = '\0';
	assert_string_equal(xchg(f, "g"), want);
	/* G writes them all back, changed. */
	want[0] = 'f';
	want[1] = 'f';
	{
		char pkt[sizeof(want) + 1] = "G";

		strcat(pkt, want);
		assert_string_equal(xchg(f, pkt), "OK");
	}
	assert_int_equal(f->t.regs[0][0][0], 0xff);
	/* Hg moves register access to thread 2. */
	assert_string_equal(xchg(f, "Hg2"), "OK");
	assert_string_equal(xchg(f, "p20"), "0400084000000000");
	assert_string_equal(xchg(f, "P1f=1122334455667788"), "OK");
	assert_int_equal(f->t.regs[1][REG_SP][0], 0x11);
	assert_string_equal(xchg(f, "qC"), "QC2");
}

static unsigned int fx_g_nregs(void *opaque)
{
	return ((struct fake *)opaque)->g_nregs;
}

/* A target whose register set depends on the machine says how many registers g carries for
 * this opaque; the others still go by p and P. */
static void test_g_nregs_from_the_target(void **state)
{
	static struct gdb_target_ops ops; /* the session keeps it until teardown */
	struct fx *f = *state;
	struct gdb_io io = { .write = fx_write, .ctx = f };
	char want[34 * 16 + 2] = "G", *p = want + 1;
	unsigned int r;

	ops = fake_ops;
	ops.get_g_nregs = fx_g_nregs;
	f->t.g_nregs = 33; /* x0-x30, sp, pc: cpsr stays out */
	gdb_session_free(f->s);
	f->s = f->t.s = gdb_session_new(&ops, &f->t, &io);
	assert_non_null(f->s);
	for (r = 0; r < 33; r++) {
		rsp_hex_encode(p, f->t.regs[0][r], (size_t)reg_size(r));
		p += 2 * reg_size(r);
	}
	*p = '\0';
	assert_string_equal(xchg(f, "g"), want + 1);
	assert_int_equal(strlen(want + 1), 33 * 16);
	want[1] = 'e';
	want[2] = 'e';
	assert_string_equal(xchg(f, want), "OK");
	assert_int_equal(f->t.regs[0][0][0], 0xee);
	strcat(want, "00000000"); /* with cpsr: longer than this target's g */
	assert_string_equal(xchg(f, want), "E22");
	hex_le(want, 0x3c5, 4);
	memcpy(f->t.regs[0][REG_CPSR], (uint8_t[]){ 0xc5, 0x03, 0, 0 }, 4);
	assert_string_equal(xchg(f, "p21"), want);
}

static void test_hw_slots_exhausted(void **state)
{
	struct fx *f = *state;

	assert_string_equal(xchg(f, "Z1,1000,4"), "OK");
	assert_string_equal(xchg(f, "Z2,2000,8"), "OK");
	assert_string_equal(xchg(f, "Z3,3000,8"), "E28"); /* ENOSPC */
	assert_string_equal(xchg(f, "Z0,3000,4"), "OK");  /* software ones are unlimited */
	assert_string_equal(xchg(f, "z1,1000,4"), "OK");
	assert_string_equal(xchg(f, "Z3,3000,8"), "OK");
}

static void test_rcmd_output(void **state)
{
	struct fx *f = *state;
	static char text[LONG_OUTPUT + 16];
	size_t n = 0;
	int i;

	send_pkt(f, "qRcmd,68656c70"); /* "help" */
	assert_true(f->nrep >= 3);
	for (i = 0; i < f->nrep - 1; i++) {
		assert_int_equal(f->rep[i][0], 'O');
		assert_true(rsp_hex_decode(text + n, f->rep[i] + 1, f->rep_len[i] - 1) > 0);
		n += (f->rep_len[i] - 1) / 2;
	}
	assert_string_equal(f->rep[f->nrep - 1], "OK");
	assert_int_equal(n, 6 + LONG_OUTPUT);
	assert_memory_equal(text, "line1\nzzz", 9);
	assert_int_equal(text[n - 1], 'z');
}

/* ---------------------------------------------------------------- resume */

static const struct vcont_case {
	const char *name, *req;
	enum gdb_action_kind def;
	unsigned int nr; /* listed vCPUs; the first is checked below */
	unsigned int cpu;
	enum gdb_action_kind kind;
	uint64_t start, end;
	uint8_t sig;
} vcont_cases[] = {
	/* name, request, default, nr, then the first listed vCPU: cpu, kind, start, end, sig */
	{ "continue all", "vCont;c", GDB_ACT_CONTINUE, 0, 0, GDB_ACT_NONE, 0, 0, 0 },
	{ "continue all, -1", "vCont;c:-1", GDB_ACT_CONTINUE, 0, 0, GDB_ACT_NONE, 0, 0, 0 },
	{ "step one, continue others", "vCont;s:2;c", GDB_ACT_CONTINUE, 1, 1, GDB_ACT_STEP, 0, 0,
	  0 },
	{ "step one, others stay", "vCont;s:1", GDB_ACT_NONE, 1, 0, GDB_ACT_STEP, 0, 0, 0 },
	{ "range step", "vCont;r40080000,40080010:1;c", GDB_ACT_CONTINUE, 1, 0, GDB_ACT_RANGE,
	  0x40080000, 0x40080010, 0 },
	{ "empty range", "vCont;r1000,1000:2", GDB_ACT_NONE, 1, 1, GDB_ACT_RANGE, 0x1000, 0x1000,
	  0 },
	{ "signal", "vCont;C05:2;c", GDB_ACT_CONTINUE, 1, 1, GDB_ACT_CONTINUE, 0, 0, 5 },
	{ "step with signal", "vCont;S0b:1", GDB_ACT_NONE, 1, 0, GDB_ACT_STEP, 0, 0, 11 },
	{ "leftmost wins", "vCont;s:2;c:2;c", GDB_ACT_CONTINUE, 1, 1, GDB_ACT_STEP, 0, 0, 0 },
	{ "default shadows later threads", "vCont;c;s:2", GDB_ACT_CONTINUE, 0, 0, GDB_ACT_NONE, 0,
	  0, 0 },
	{ "stop action", "vCont;t:1;c", GDB_ACT_CONTINUE, 1, 0, GDB_ACT_NONE, 0, 0, 0 },
	{ "legacy c", "c", GDB_ACT_CONTINUE, 0, 0, GDB_ACT_NONE, 0, 0, 0 },
	{ "legacy s", "s", GDB_ACT_NONE, 1, 0, GDB_ACT_STEP, 0, 0, 0 },
	{ "legacy S", "S05", GDB_ACT_NONE, 1, 0, GDB_ACT_STEP, 0, 0, 5 },
};

static void run_vcont_case(void **state)
{
	struct fx *f = *state;
	const struct vcont_case *c = f->row;
	const struct gdb_resume *r = &f->t.last_resume;

	send_pkt(f, c->req);
	assert_int_equal(f->acks, 1);
	assert_int_equal(f->nrep, 0); /* no reply until the target stops */
	assert_true(gdb_is_running(f->s));
	assert_int_equal(f->t.resume_calls, 1);
	assert_int_equal(r->def.kind, c->def);
	assert_int_equal(r->nr, c->nr);
	assert_false(r->set_pc);
	if (c->nr) {
		assert_int_equal(r->cpus[0].cpu, c->cpu);
		assert_int_equal(r->cpus[0].act.kind, c->kind);
		assert_int_equal(r->cpus[0].act.start, c->start);
		assert_int_equal(r->cpus[0].act.end, c->end);
		assert_int_equal(r->cpus[0].act.sig, c->sig);
		assert_ptr_equal(gdb_resume_action(r, c->cpu), &r->cpus[0].act);
	}
	assert_ptr_equal(gdb_resume_action(r, 7), &r->def);
}

static void test_legacy_resume_address(void **state)
{
	struct fx *f = *state;

	send_pkt(f, "c40001000");
	assert_true(f->t.last_resume.set_pc);
	assert_int_equal(f->t.last_resume.pc, 0x40001000);
	assert_int_equal(f->t.last_resume.pc_cpu, 0);
	gdb_notify_stop(f->s, &(struct gdb_stop){ .reason = GDB_STOP_TRAP, .cpu = 0 });
	/* Hc picks the thread legacy 's' steps. */
	assert_string_equal(xchg(f, "Hc2"), "OK");
	send_pkt(f, "s");
	assert_int_equal(f->t.last_resume.nr, 1);
	assert_int_equal(f->t.last_resume.cpus[0].cpu, 1);
}

static void test_nothing_to_run(void **state)
{
	struct fx *f = *state;

	assert_string_equal(xchg(f, "vCont;t:1"), "T00thread:1;1d:1d00000000000000;1f:"
						  "0000004800000000;20:0000084000000000;");
	assert_int_equal(f->t.resume_calls, 0);
	assert_false(gdb_is_running(f->s));
}

static void test_resume_fails(void **state)
{
	struct fx *f = *state;

	f->t.resume_ret = -EIO;
	assert_string_equal(xchg(f, "vCont;c"), "E05");
	assert_false(gdb_is_running(f->s));
}

static const char *fx_resume_error(void *opaque)
{
	return "thread 7 is not on a CPU";
}

/* A target that says why a resume failed: gdb's console gets the line, then the error. */
static void test_resume_fails_with_a_reason(void **state)
{
	static struct gdb_target_ops ops;
	struct fx *f = *state;
	struct gdb_io io = { .write = fx_write, .log = fx_log, .ctx = f };
	const char *text = "thread 7 is not on a CPU";
	char want[128];
	size_t i;

	ops = fake_ops;
	ops.resume_error = fx_resume_error;
	gdb_session_free(f->s);
	f->s = f->t.s = gdb_session_new(&ops, &f->t, &io);
	f->t.resume_ret = -EPERM;
	send_pkt(f, "vCont;s:1;c");
	assert_int_equal(f->nrep, 3);
	want[0] = 'O';
	for (i = 0; text[i]; i++)
		sprintf(want + 1 + 2 * i, "%02x", text[i]);
	assert_string_equal(f->rep[0], want);
	assert_string_equal(f->rep[1], "O0a");
	assert_string_equal(f->rep[2], "E01");
	assert_false(gdb_is_running(f->s));
}

static void test_stop_inside_resume(void **state)
{
	struct fx *f = *state;
	char want[128];

	f->t.stop_in_resume = true;
	send_pkt(f, "vCont;s:2");
	assert_int_equal(f->nrep, 1);
	expedited(want + sprintf(want, "T05thread:2;"), 1);
	assert_string_equal(f->rep[0], want);
	assert_false(gdb_is_running(f->s));
	assert_string_equal(xchg(f, "qC"), "QC2"); /* the stopped thread became current */
}

static void test_ctrl_c(void **state)
{
	struct fx *f = *state;
	char want[128];

	feed_raw(f, "\x03", 1); /* stopped: nothing to interrupt */
	assert_int_equal(f->t.interrupts, 0);
	assert_int_equal(f->out_len, 0);
	send_pkt(f, "vCont;c");
	assert_true(gdb_is_running(f->s));
	send_pkt(f, "g"); /* gdb sends nothing but ^C while waiting; anything else is refused */
	assert_string_equal(f->rep[0], "E16");
	feed_raw(f, "\x03", 1);
	assert_int_equal(f->t.interrupts, 1);
	assert_int_equal(f->out_len, 0); /* the reply waits for the target */
	f->out_len = 0;
	gdb_notify_stop(f->s, &(struct gdb_stop){ .reason = GDB_STOP_INTERRUPT, .cpu = 0 });
	parse_out(f);
	assert_int_equal(f->nrep, 1);
	expedited(want + sprintf(want, "T02thread:1;"), 0);
	assert_string_equal(f->rep[0], want);
	assert_false(gdb_is_running(f->s));
	/* '?' repeats the last stop. */
	assert_string_equal(xchg(f, "?"), want);
}

/* ---------------------------------------------------------------- stop replies */

static const struct stop_case {
	const char *name;
	struct gdb_stop stop;
	const char *want; /* expedited registers of stop.cpu follow unless W/X */
	bool gdb_knows_swbreak;
} stop_cases[] = {
	{ "step", { .reason = GDB_STOP_TRAP, .cpu = 1 }, "T05thread:2;", true },
	{ "interrupt", { .reason = GDB_STOP_INTERRUPT }, "T02thread:1;", true },
	{ "software breakpoint", { .reason = GDB_STOP_SWBREAK }, "T05thread:1;swbreak:;", true },
	{ "swbreak unknown to gdb", { .reason = GDB_STOP_SWBREAK }, "T05thread:1;", false },
	{ "hardware breakpoint",
	  { .reason = GDB_STOP_HWBREAK, .cpu = 1 },
	  "T05thread:2;hwbreak:;",
	  true },
	{ "write watchpoint",
	  { .reason = GDB_STOP_WATCH, .addr = 0x1008 },
	  "T05thread:1;watch:1008;",
	  true },
	{ "read watchpoint",
	  { .reason = GDB_STOP_RWATCH, .addr = 0xffff000012345678 },
	  "T05thread:1;rwatch:ffff000012345678;",
	  true },
	{ "access watchpoint",
	  { .reason = GDB_STOP_AWATCH, .addr = 0x2000 },
	  "T05thread:1;awatch:2000;",
	  true },
	{ "other signal", { .reason = GDB_STOP_SIGNAL, .sig = 11 }, "T0bthread:1;", true },
	{ "exited", { .reason = GDB_STOP_EXITED }, "W00", true },
	{ "exited with status", { .reason = GDB_STOP_EXITED, .code = 3 }, "W03", true },
	{ "terminated", { .reason = GDB_STOP_TERMINATED, .sig = 9 }, "X09", true },
};

static void run_stop_case(void **state)
{
	struct fx *f = *state;
	const struct stop_case *c = f->row;
	char want[160];

	if (c->gdb_knows_swbreak)
		xchg(f, "qSupported:swbreak+;hwbreak+");
	strcpy(want, c->want);
	if (want[0] == 'T')
		expedited(want + strlen(want), c->stop.cpu);
	send_pkt(f, "vCont;c");
	f->out_len = 0;
	gdb_notify_stop(f->s, &c->stop);
	parse_out(f);
	assert_int_equal(f->nrep, 1);
	assert_string_equal(f->rep[0], want);
	assert_string_equal(xchg(f, "?"), want); /* remembered */
}

static void test_after_exit(void **state)
{
	struct fx *f = *state;

	send_pkt(f, "vCont;c");
	gdb_notify_stop(f->s, &(struct gdb_stop){ .reason = GDB_STOP_EXITED });
	assert_string_equal(xchg(f, "g"), "E03");
	assert_string_equal(xchg(f, "?"), "W00");
	assert_string_equal(xchg(f, "D"), "OK");
	assert_int_equal(f->t.detaches, 0); /* nothing left to detach from */
}

static void test_stop_while_stopped_is_remembered(void **state)
{
	struct fx *f = *state;

	f->out_len = 0;
	gdb_notify_stop(f->s, &(struct gdb_stop){ .reason = GDB_STOP_HWBREAK, .cpu = 1 });
	assert_int_equal(f->out_len, 0); /* gdb is not waiting for one */
	assert_memory_equal(xchg(f, "?"), "T05thread:2;", 12);
}

/* ---------------------------------------------------------------- detach, kill, disconnect */

static void test_detach(void **state)
{
	struct fx *f = *state;

	assert_string_equal(xchg(f, "D"), "OK");
	assert_int_equal(f->t.detaches, 1);
	assert_true(gdb_is_finished(f->s));
	feed_raw(f, "$g#67", 5); /* after D, input is ignored */
	assert_int_equal(f->out_len, 0);
	gdb_disconnect(f->s);
	assert_int_equal(f->t.detaches, 1); /* not twice */
}

static void test_detach_fails(void **state)
{
	struct fx *f = *state;

	f->t.detach_ret = -EIO;
	assert_string_equal(xchg(f, "D"), "E05");
	assert_false(gdb_is_finished(f->s));
}

static void test_kill(void **state)
{
	struct fx *f = *state;

	send_pkt(f, "k");
	assert_int_equal(f->acks, 1);
	assert_int_equal(f->nrep, 0); /* gdb does not wait for a reply */
	assert_int_equal(f->t.kills, 1);
	assert_true(gdb_is_finished(f->s));
}

static void test_disconnect_while_running(void **state)
{
	struct fx *f = *state;

	send_pkt(f, "Z0,1000,4");
	send_pkt(f, "vCont;c");
	gdb_disconnect(f->s);
	assert_int_equal(f->t.detaches, 1); /* breakpoints out, guest runs on */
	assert_true(gdb_is_finished(f->s));
	f->out_len = 0;
	gdb_notify_stop(f->s, &(struct gdb_stop){ .reason = GDB_STOP_TRAP });
	assert_int_equal(f->out_len, 0);
}

static void test_log_hook(void **state)
{
	struct fx *f = *state;

	xchg(f, "qC");
	assert_int_equal(f->nlog, 2); /* one line in, one out */
}

static void test_bad_ops_rejected(void **state)
{
	struct gdb_target_ops ops = fake_ops;
	struct gdb_io io = { .write = fx_write };

	ops.resume = NULL;
	assert_null(gdb_session_new(&ops, NULL, &io));
	assert_int_equal(errno, EINVAL);
}

/* ---------------------------------------------------------------- main */

#define ROWS(table, fn)                                                               \
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)                        \
		tests[n++] = (struct CMUnitTest)                                      \
		{                                                                     \
			.name = table[i].name, .test_func = fn, .setup_func = setup,  \
			.teardown_func = teardown, .initial_state = (void *)&table[i] \
		}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		T(test_bad_checksum_then_retransmit),
		T(test_no_ack_mode),
		T(test_run_length_input),
		T(test_binary_write_escapes),
		T(test_binary_read_escapes),
		T(test_binary_read_large),
		T(test_oversize_packet),
		T(test_malformed_framing),
		T(test_q_supported),
		T(test_q_supported_follows_ops),
		T(test_q_offsets),
		T(test_q_symbol_asks_what_the_target_wants),
		T(test_xfer_chunks),
		T(test_xfer_memory_map),
		T(test_thread_list_paging),
		T(test_threads_named_by_the_target),
		T(test_resume_fails_with_a_reason),
		T(test_registers),
		T(test_g_nregs_from_the_target),
		T(test_hw_slots_exhausted),
		T(test_rcmd_output),
		T(test_legacy_resume_address),
		T(test_nothing_to_run),
		T(test_resume_fails),
		T(test_stop_inside_resume),
		T(test_ctrl_c),
		T(test_after_exit),
		T(test_stop_while_stopped_is_remembered),
		T(test_detach),
		T(test_detach_fails),
		T(test_kill),
		T(test_disconnect_while_running),
		T(test_log_hook),
		cmocka_unit_test(test_bad_ops_rejected),
	};
	size_t i, n = 0,
		  max = sizeof(fixed) / sizeof(fixed[0]) +
			sizeof(xchg_cases) / sizeof(xchg_cases[0]) +
			sizeof(vcont_cases) / sizeof(vcont_cases[0]) +
			sizeof(stop_cases) / sizeof(stop_cases[0]);
	struct CMUnitTest *tests = calloc(max, sizeof(*tests));
	int ret;

	if (!tests)
		return 1;
	ROWS(xchg_cases, run_xchg_case);
	ROWS(vcont_cases, run_vcont_case);
	ROWS(stop_cases, run_stop_case);
	memcpy(tests + n, fixed, sizeof(fixed));
	n += sizeof(fixed) / sizeof(fixed[0]);
	ret = _cmocka_run_group_tests("gdbstub", tests, n, NULL, NULL);
	free(tests);
	return ret;
}
