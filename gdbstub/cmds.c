// SPDX-License-Identifier: GPL-3.0-or-later
/* Inspection packets: registers (g G p P), memory (m M x X), breakpoints (Z z), threads
 * (H T qC qfThreadInfo qsThreadInfo qThreadExtraInfo), the target description (qXfer) and
 * monitor commands (qRcmd). Arguments arrive parsed; errors go back as -errno. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "gdbstub/internal.h"

/* ---------------------------------------------------------------- registers */

static int reg_size(struct gdb_session *s, uint64_t regno)
{
	int size;

	if (regno > UINT32_MAX)
		return -ENOENT;
	size = s->ops->reg_size(s->opaque, (unsigned int)regno);
	if (size == 0 || (size > 0 && (size_t)size > sizeof(s->scratch)))
		return -EIO; /* the target described a register we cannot carry */
	return size;
}

/* Append register regno of cpu as hex; "xx" per byte if the target says unavailable. */
static int tx_reg(struct gdb_session *s, unsigned int cpu, unsigned int regno)
{
	int size = reg_size(s, regno), ret, i;

	if (size < 0)
		return size;
	if (2 * (size_t)size > gdb_tx_room(s))
		return -EMSGSIZE;
	ret = s->ops->read_reg(s->opaque, cpu, regno, s->scratch);
	if (ret == -ENODATA) {
		for (i = 0; i < size; i++)
			gdb_tx_str(s, "xx");
		return 0;
	}
	if (ret < 0)
		return ret;
	gdb_tx_hex(s, s->scratch, (size_t)size);
	return 0;
}

static unsigned int g_nregs(const struct gdb_session *s)
{
	return s->ops->get_g_nregs ? s->ops->get_g_nregs(s->opaque) : s->ops->g_nregs;
}

int gdb_cmd_read_regs(struct gdb_session *s, struct gdb_args *a GDB_UNUSED)
{
	unsigned int r, n = g_nregs(s);
	int ret;

	gdb_tx_begin(s);
	for (r = 0; r < n; r++) {
		ret = tx_reg(s, s->g_cpu, r);
		if (ret)
			return ret;
	}
	gdb_tx_send(s);
	return 0;
}

int gdb_cmd_write_regs(struct gdb_session *s, struct gdb_args *a)
{
	size_t off = 0;
	unsigned int r, n = g_nregs(s);
	int size, ret;

	for (r = 0; r < n; r++) { /* check the whole length before writing any */
		size = reg_size(s, r);
		if (size < 0)
			return size;
		off += (size_t)size;
	}
	if (off != a->len)
		return -EINVAL;
	for (r = 0, off = 0; r < n; r++) {
		size = reg_size(s, r);
		ret = s->ops->write_reg(s->opaque, s->g_cpu, r, a->data + off);
		if (ret)
			return ret;
		off += (size_t)size;
	}
	gdb_reply(s, "OK");
	return 0;
}

int gdb_cmd_read_reg(struct gdb_session *s, struct gdb_args *a)
{
	int ret;

	if (a->v[0].x > UINT32_MAX)
		return -ENOENT;
	gdb_tx_begin(s);
	ret = tx_reg(s, s->g_cpu, (unsigned int)a->v[0].x);
	if (ret)
		return ret;
	gdb_tx_send(s);
	return 0;
}

int gdb_cmd_write_reg(struct gdb_session *s, struct gdb_args *a)
{
	int size = reg_size(s, a->v[0].x), ret;

	if (size < 0)
		return size;
	if (a->len != (size_t)size)
		return -EINVAL;
	ret = s->ops->write_reg(s->opaque, s->g_cpu, (unsigned int)a->v[0].x, a->data);
	if (ret)
		return ret;
	gdb_reply(s, "OK");
	return 0;
}

/* ---------------------------------------------------------------- memory */

/* Clip len to max and to the top of the address space (a range may not wrap). */
static size_t clip(uint64_t addr, uint64_t len, size_t max)
{
	if (len > max)
		len = max;
	if (addr + len < addr)
		len = -addr; /* up to and including 0xffff_ffff_ffff_ffff */
	return (size_t)len;
}

/* Read up to n bytes for gdb; a short read is fine (manual, 'm'), nothing readable is not. */
static int read_mem(struct gdb_session *s, uint64_t addr, size_t n)
{
	int ret = s->ops->read_mem(s->opaque, s->g_cpu, addr, s->scratch, n);

	if (ret == 0)
		return -EFAULT;
	return ret > (int)n ? (int)n : ret;
}

int gdb_cmd_read_mem(struct gdb_session *s, struct gdb_args *a)
{
	size_t n = clip(a->v[0].x, a->v[1].x, GDB_PACKET_SIZE / 2);
	int ret = 0;

	if (n) {
		ret = read_mem(s, a->v[0].x, n);
		if (ret < 0)
			return ret;
	}
	gdb_tx_begin(s);
	gdb_tx_hex(s, s->scratch, (size_t)ret);
	gdb_tx_send(s);
	return 0;
}

/* 'x addr,len' (gdb 16): "b" then the bytes, binary-escaped; fewer if they do not fit. */
int gdb_cmd_read_mem_bin(struct gdb_session *s, struct gdb_args *a)
{
	size_t n = clip(a->v[0].x, a->v[1].x, GDB_PACKET_SIZE - 1);
	int ret = 0;

	if (n) {
		ret = read_mem(s, a->v[0].x, n);
		if (ret < 0)
			return ret;
	}
	gdb_tx_begin(s);
	gdb_tx_str(s, "b");
	gdb_tx_bin(s, s->scratch, (size_t)ret);
	gdb_tx_send(s);
	return 0;
}

/* M (hex) and X (binary) share this: the schema already turned both into bytes. A zero-length
 * X is gdb probing for X support. */
int gdb_cmd_write_mem(struct gdb_session *s, struct gdb_args *a)
{
	uint64_t addr = a->v[0].x, len = a->v[1].x;
	int ret;

	if (len != a->len)
		return -EINVAL;
	if (len && addr + len - 1 < addr)
		return -EFAULT;
	if (len) {
		ret = s->ops->write_mem(s->opaque, s->g_cpu, addr, a->data, (size_t)len);
		if (ret)
			return ret;
	}
	gdb_reply(s, "OK");
	return 0;
}

/* ---------------------------------------------------------------- breakpoints */

static int breakpoint(struct gdb_session *s, struct gdb_args *a, bool insert)
{
	int (*fn)(void *, unsigned int, enum gdb_bp_type, uint64_t, uint64_t) =
		insert ? s->ops->insert_bp : s->ops->remove_bp;
	int ret;

	if (!fn || a->v[0].x > GDB_WP_ACCESS)
		return -ENOTSUP; /* empty reply: gdb then knows this type is not supported */
	ret = fn(s->opaque, s->g_cpu, (enum gdb_bp_type)a->v[0].x, a->v[1].x, a->v[2].x);
	if (ret)
		return ret;
	gdb_reply(s, "OK");
	return 0;
}

int gdb_cmd_insert_bp(struct gdb_session *s, struct gdb_args *a)
{
	return breakpoint(s, a, true);
}

int gdb_cmd_remove_bp(struct gdb_session *s, struct gdb_args *a)
{
	return breakpoint(s, a, false);
}

/* ---------------------------------------------------------------- threads */

/* Hg: thread for registers and memory. 0 (any) and -1 (all) keep the current one. */
int gdb_cmd_set_thread_g(struct gdb_session *s, struct gdb_args *a)
{
	int cpu;

	if (a->v[0].tid != GDB_TID_ALL && a->v[0].tid != GDB_TID_ANY) {
		cpu = gdb_tid_to_cpu(s, a->v[0].tid);
		if (cpu < 0)
			return cpu;
		s->g_cpu = (unsigned int)cpu;
	}
	gdb_reply(s, "OK");
	return 0;
}

/* Hc: thread for legacy c/s; kept as given (-1, 0 or a thread) and resolved at resume. */
int gdb_cmd_set_thread_c(struct gdb_session *s, struct gdb_args *a)
{
	if (a->v[0].tid != GDB_TID_ALL && a->v[0].tid != GDB_TID_ANY &&
	    gdb_tid_to_cpu(s, a->v[0].tid) < 0)
		return -ESRCH;
	s->c_tid = a->v[0].tid;
	gdb_reply(s, "OK");
	return 0;
}

int gdb_cmd_thread_alive(struct gdb_session *s, struct gdb_args *a)
{
	int cpu = gdb_tid_to_cpu(s, a->v[0].tid);

	if (cpu < 0)
		return cpu;
	gdb_reply(s, "OK");
	return 0;
}

int gdb_cmd_current_thread(struct gdb_session *s, struct gdb_args *a GDB_UNUSED)
{
	gdb_tx_begin(s);
	gdb_tx_fmt(s, "QC%" PRIx64, gdb_thread_id(s, s->g_cpu));
	gdb_tx_send(s);
	return 0;
}

/* Thread list: as many live threads as fit in one reply, the rest on qsThreadInfo. */
static int list_threads(struct gdb_session *s)
{
	unsigned int count = s->ops->cpu_count(s->opaque), cpu = s->next_thread;
	bool first = true;

	gdb_tx_begin(s);
	gdb_tx_str(s, "m");
	for (; cpu < count && gdb_tx_room(s) > 10; cpu++) {
		if (!gdb_cpu_is_alive(s, cpu))
			continue;
		gdb_tx_fmt(s, first ? "%" PRIx64 : ",%" PRIx64, gdb_thread_id(s, cpu));
		first = false;
	}
	s->next_thread = cpu;
	if (first) { /* nothing (more) to list */
		gdb_tx_begin(s);
		gdb_tx_str(s, "l");
	}
	gdb_tx_send(s);
	return 0;
}

int gdb_cmd_thread_first(struct gdb_session *s, struct gdb_args *a GDB_UNUSED)
{
	s->next_thread = 0;
	return list_threads(s);
}

int gdb_cmd_thread_next(struct gdb_session *s, struct gdb_args *a GDB_UNUSED)
{
	return list_threads(s);
}

int gdb_cmd_thread_extra(struct gdb_session *s, struct gdb_args *a)
{
	char *text = (char *)s->scratch;
	int cpu = gdb_tid_to_cpu(s, a->v[0].tid), n;

	if (cpu < 0)
		return cpu;
	if (!s->ops->cpu_describe)
		return -ENOTSUP;
	n = s->ops->cpu_describe(s->opaque, (unsigned int)cpu, text, 256);
	if (n < 0)
		return n;
	gdb_tx_begin(s);
	gdb_tx_hex(s, text, n > 256 ? 256 : (size_t)n);
	gdb_tx_send(s);
	return 0;
}

/* ---------------------------------------------------------------- qXfer, qRcmd */

/* The part [off, off + len) of a qXfer object doc of total bytes: 'm' + data if more follows,
 * 'l' + data at the end (manual, "General Query Packets", qXfer read). */
static int xfer_reply(struct gdb_session *s, const char *doc, size_t total, uint64_t off,
		      uint64_t len)
{
	size_t used;

	if (off > total)
		return -EINVAL;
	if (len > total - off)
		len = total - off;
	gdb_tx_begin(s);
	gdb_tx_str(s, "l");
	used = gdb_tx_bin(s, doc + off, (size_t)len);
	if (off + used < total)
		s->out[1] = 'm';
	gdb_tx_send(s);
	return 0;
}

/* qXfer:features:read:ANNEX:OFF,LEN */
int gdb_cmd_xfer_features(struct gdb_session *s, struct gdb_args *a)
{
	const char *xml;
	size_t total = 0;

	if (!s->ops->xml)
		return -ENOTSUP;
	xml = s->ops->xml(s->opaque, a->v[0].s, &total);
	if (!xml)
		return -ENOENT;
	return xfer_reply(s, xml, total, a->v[1].x, a->v[2].x);
}

/* qXfer:memory-map:read::OFF,LEN (the annex is empty; manual, "Memory Map Format"). */
int gdb_cmd_xfer_memory_map(struct gdb_session *s, struct gdb_args *a)
{
	const char *map;
	size_t total = 0;

	if (!s->ops->memory_map || !(map = s->ops->memory_map(s->opaque, &total)))
		return -ENOTSUP;
	if (a->v[0].s[0])
		return -ENOENT;
	return xfer_reply(s, map, total, a->v[1].x, a->v[2].x);
}

/* qOffsets: "Text=xx;Data=xx;Bss=xx" (GDB manual, "General Query Packets"); gdb relocates a
 * one-segment file such as a kernel's vmlinux as a whole by the text offset. Unknown: the
 * empty reply, and gdb keeps the file's addresses. */
int gdb_cmd_offsets(struct gdb_session *s, struct gdb_args *a)
{
	uint64_t text, data;
	char buf[80];
	int ret;

	if (!s->ops->offsets)
		return -ENOTSUP;
	ret = s->ops->offsets(s->opaque, &text, &data);
	if (ret)
		return -ENOTSUP;
	snprintf(buf, sizeof(buf), "Text=%" PRIx64 ";Data=%" PRIx64 ";Bss=%" PRIx64, text, data,
		 data);
	gdb_reply(s, buf);
	return 0;
}

/* qRcmd,HEX: output streams to gdb as O packets while the command runs, then OK. */
int gdb_cmd_rcmd(struct gdb_session *s, struct gdb_args *a)
{
	int ret;

	if (!s->ops->rcmd)
		return -ENOTSUP;
	a->data[a->len] = '\0'; /* decoded in place: the hex text had room */
	ret = s->ops->rcmd(s->opaque, (const char *)a->data, gdb_print_o, s);
	if (ret)
		return ret;
	gdb_reply(s, "OK");
	return 0;
}
