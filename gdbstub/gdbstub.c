// SPDX-License-Identifier: GPL-3.0-or-later
/* The session: bytes in (gdb_feed), the command table and its argument schemas, stop
 * notifications and the session's life cycle. Replies are built in reply.c; the handlers live
 * in cmds.c (inspection) and resume.c (execution control). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gdbstub/internal.h"

/* ---------------------------------------------------------------- threads */

bool gdb_cpu_is_alive(struct gdb_session *s, unsigned int cpu)
{
	if (cpu >= s->ops->cpu_count(s->opaque))
		return false;
	return !s->ops->cpu_is_alive || s->ops->cpu_is_alive(s->opaque, cpu);
}

int gdb_tid_to_cpu(struct gdb_session *s, int64_t tid)
{
	int i;

	if (tid < 1 || tid > UINT32_MAX)
		return -ESRCH;
	i = s->ops->thread_index ? s->ops->thread_index(s->opaque, (uint64_t)tid) : (int)(tid - 1);
	if (i < 0 || !gdb_cpu_is_alive(s, (unsigned int)i))
		return -ESRCH;
	return i;
}

uint64_t gdb_thread_id(struct gdb_session *s, unsigned int cpu)
{
	return s->ops->thread_id ? s->ops->thread_id(s->opaque, cpu) : (uint64_t)cpu + 1;
}

static bool is_exit(const struct gdb_stop *stop)
{
	return stop->reason == GDB_STOP_EXITED || stop->reason == GDB_STOP_TERMINATED;
}

void gdb_notify_stop(struct gdb_session *s, const struct gdb_stop *stop)
{
	if (s->state == GDB_FINISHED)
		return;
	s->last_stop = *stop;
	if (!is_exit(stop) && stop->cpu < s->ops->cpu_count(s->opaque))
		s->g_cpu = stop->cpu; /* gdbserver does the same: the stopped thread is current */
	if (s->state == GDB_RUNNING) {
		s->state = is_exit(stop) ? GDB_EXITED : GDB_STOPPED;
		gdb_send_stop(s, stop);
	} else if (is_exit(stop)) {
		s->state = GDB_EXITED; /* gdb is not waiting: '?' will tell it */
	}
}

/* ---------------------------------------------------------------- small handlers */

static int cmd_stop_reason(struct gdb_session *s, struct gdb_args *a GDB_UNUSED)
{
	gdb_send_stop(s, &s->last_stop);
	return 0;
}

static int cmd_attached(struct gdb_session *s, struct gdb_args *a GDB_UNUSED)
{
	gdb_reply(s, "1"); /* we attached to a running VM: on quit, gdb detaches, not kills */
	return 0;
}

#define GDB_SYMBOL_MAX 128 /* longest symbol name asked for or taken */

/* "qSymbol:VALUE:NAME" (both hex; VALUE empty: gdb does not know NAME): the answer to our
 * last question; "qSymbol::" alone: gdb offers to look symbols up. Either way, ask for the
 * next symbol the target wants, or say OK (GDB manual, "General Query Packets"). */
static int cmd_symbol(struct gdb_session *s, struct gdb_args *a)
{
	const char *p = a->n ? a->v[0].s : "", *colon, *want;
	char name[GDB_SYMBOL_MAX + 1];
	uint64_t value = 0;
	size_t nlen;
	int d;

	if (!s->ops->symbol_next || *p++ != ':' || !(colon = strchr(p, ':'))) {
		gdb_reply(s, "OK");
		return 0;
	}
	nlen = strlen(colon + 1);
	if (!nlen) {
		s->next_symbol = 0; /* an offer: start over */
	} else if (nlen % 2 || nlen / 2 > GDB_SYMBOL_MAX ||
		   rsp_hex_decode(name, colon + 1, nlen) < 0 || colon - p > 16) {
		gdb_reply(s, "OK"); /* not an answer we asked for */
		return 0;
	} else {
		const char *v = p;

		name[nlen / 2] = '\0';
		for (; p < colon && (d = rsp_hex_digit(*p)) >= 0; p++)
			value = value << 4 | (uint64_t)d;
		if (s->ops->symbol_value)
			s->ops->symbol_value(s->opaque, name, colon > v && p == colon, value);
		s->next_symbol++;
	}
	want = s->ops->symbol_next(s->opaque, s->next_symbol);
	if (!want || strlen(want) > GDB_SYMBOL_MAX) {
		gdb_reply(s, "OK");
		return 0;
	}
	gdb_tx_begin(s);
	gdb_tx_str(s, "qSymbol:");
	gdb_tx_hex(s, want, strlen(want));
	gdb_tx_send(s);
	return 0;
}

static int cmd_no_ack(struct gdb_session *s, struct gdb_args *a GDB_UNUSED)
{
	gdb_reply(s, "OK"); /* still acked: the switch is after this reply */
	s->no_ack = true;
	return 0;
}

int gdb_cmd_supported(struct gdb_session *s, struct gdb_args *a)
{
	char *feat = a->n ? a->v[0].s : NULL, *next;

	s->gdb_swbreak = s->gdb_hwbreak = false;
	for (; feat && *feat; feat = next) {
		next = strchr(feat, ';');
		if (next)
			*next++ = '\0';
		if (!strcmp(feat, "swbreak+"))
			s->gdb_swbreak = true;
		else if (!strcmp(feat, "hwbreak+"))
			s->gdb_hwbreak = true;
	}
	/* What we offer follows the ops the target has (as gdbstub-rs does): no breakpoint ops,
	 * no swbreak/hwbreak stop reasons; no XML, no qXfer. */
	gdb_tx_begin(s);
	gdb_tx_fmt(s, "PacketSize=%x;QStartNoAckMode+;vContSupported+", GDB_PACKET_SIZE);
	if (s->ops->insert_bp)
		gdb_tx_str(s, ";swbreak+;hwbreak+");
	gdb_tx_str(s, ";binary-upload+"); /* gdb 16 uses 'x' only when told (GDB NEWS) */
	if (s->ops->xml)
		gdb_tx_str(s, ";qXfer:features:read+");
	if (s->ops->memory_map && s->ops->memory_map(s->opaque, &(size_t){ 0 }))
		gdb_tx_str(s, ";qXfer:memory-map:read+");
	gdb_tx_send(s);
	return 0;
}

/* ---------------------------------------------------------------- the command table */

#define NEED_TARGET 1 /* touches the guest: refused once it has exited */

struct gdb_cmd {
	const char *name;
	/*
	 * Schema: x = hex number, t = thread id (hex, or -1), s = text up to the next schema
	 * character (NUL-terminated in place), h = hex bytes to the end (decoded in place),
	 * b = binary bytes to the end, [ = the rest is optional; other characters must match.
	 */
	const char *schema;
	gdb_cmd_fn fn;
	unsigned int flags;
};

/* A q/Q/v name must be followed by a separator or the end (manual, "General Query Packets"):
 * "qC" must not take "qCRC:...", nor "vCont" take "vCont?" (listed first anyway). */
static const struct gdb_cmd gdb_cmds[] = {
	{ "?", "", cmd_stop_reason, 0 },
	{ "g", "", gdb_cmd_read_regs, NEED_TARGET },
	{ "G", "h", gdb_cmd_write_regs, NEED_TARGET },
	{ "p", "x", gdb_cmd_read_reg, NEED_TARGET },
	{ "P", "x=h", gdb_cmd_write_reg, NEED_TARGET },
	{ "m", "x,x", gdb_cmd_read_mem, NEED_TARGET }, /* addr,len */
	{ "x", "x,x", gdb_cmd_read_mem_bin, NEED_TARGET },
	{ "M", "x,x:h", gdb_cmd_write_mem, NEED_TARGET },
	{ "X", "x,x:b", gdb_cmd_write_mem, NEED_TARGET },
	{ "Z", "x,x,x", gdb_cmd_insert_bp, NEED_TARGET }, /* type,addr,kind */
	{ "z", "x,x,x", gdb_cmd_remove_bp, NEED_TARGET },
	{ "c", "[x", gdb_cmd_continue, NEED_TARGET },
	{ "C", "x[;x", gdb_cmd_continue_sig, NEED_TARGET },
	{ "s", "[x", gdb_cmd_step, NEED_TARGET },
	{ "S", "x[;x", gdb_cmd_step_sig, NEED_TARGET },
	{ "vCont?", "", gdb_cmd_vcont_query, 0 },
	{ "vCont", ";s", gdb_cmd_vcont, NEED_TARGET },
	{ "D", "[;x", gdb_cmd_detach, 0 },
	{ "k", "", gdb_cmd_kill, 0 },
	{ "Hg", "t", gdb_cmd_set_thread_g, NEED_TARGET },
	{ "Hc", "t", gdb_cmd_set_thread_c, NEED_TARGET },
	{ "T", "t", gdb_cmd_thread_alive, NEED_TARGET },
	{ "qC", "", gdb_cmd_current_thread, NEED_TARGET },
	{ "qfThreadInfo", "", gdb_cmd_thread_first, NEED_TARGET },
	{ "qsThreadInfo", "", gdb_cmd_thread_next, NEED_TARGET },
	{ "qThreadExtraInfo", ",t", gdb_cmd_thread_extra, NEED_TARGET },
	{ "qAttached", "[:s", cmd_attached, 0 },
	{ "qSupported", "[:s", gdb_cmd_supported, 0 },
	{ "qXfer:features:read", ":s:x,x", gdb_cmd_xfer_features, 0 }, /* annex:off,len */
	{ "qXfer:memory-map:read", ":s:x,x", gdb_cmd_xfer_memory_map, 0 }, /* :off,len */
	{ "qRcmd", ",h", gdb_cmd_rcmd, 0 },
	{ "qOffsets", "", gdb_cmd_offsets, NEED_TARGET },
	{ "qSymbol", "s", cmd_symbol, 0 },
	{ "QStartNoAckMode", "", cmd_no_ack, 0 },
};

static const struct gdb_cmd *find_cmd(const char *pkt, size_t len)
{
	size_t i, n;

	for (i = 0; i < sizeof(gdb_cmds) / sizeof(gdb_cmds[0]); i++) {
		const struct gdb_cmd *c = &gdb_cmds[i];

		n = strlen(c->name);
		if (n > len || memcmp(pkt, c->name, n))
			continue;
		if (n > 1 && strchr("qQv", c->name[0]) && n < len && !strchr(":;,", pkt[n]))
			continue;
		return c;
	}
	return NULL;
}

/* gdb keeps a remote thread id in 32 bits and writes one with the top bit set as minus its
 * two's complement: KGDB's CPU threads fffffffe, fffffffd ... come back as -2, -3 ... */
int gdb_parse_tid(const char **p, const char *end, int64_t *tid)
{
	bool neg = *p < end && **p == '-';
	uint64_t v;

	*p += neg;
	if (rsp_parse_hex(p, end, &v) || v > INT64_MAX || (neg && (v == 0 || v > 0x80000000u)))
		return -EINVAL;
	*tid = !neg ? (int64_t)v : v == 1 ? GDB_TID_ALL : (int64_t)(0x100000000ull - v);
	return 0;
}

/* A text field ends at the schema's next character (consumed here) or at the packet's end. */
static int parse_text(char **p, char *end, const char **schema, struct gdb_args *a)
{
	char delim = (*schema)[1];
	char *q = delim ? memchr(*p, delim, (size_t)(end - *p)) : end;

	if (!q)
		return -EINVAL;
	*q = '\0';
	a->v[a->n++].s = *p;
	*p = q == end ? end : q + 1;
	if (delim)
		(*schema)++;
	return 0;
}

static int parse_field(char **p, char *end, const char **schema, struct gdb_args *a)
{
	const char *cp = *p;
	int ret = 0;

	switch (**schema) {
	case 'x':
		ret = rsp_parse_hex(&cp, end, &a->v[a->n++].x);
		break;
	case 't':
		ret = gdb_parse_tid(&cp, end, &a->v[a->n++].tid);
		break;
	case 's':
		return parse_text(p, end, schema, a);
	case 'h':
		ret = rsp_hex_decode(*p, *p, (size_t)(end - *p));
		if (ret < 0)
			return ret;
		a->data = (uint8_t *)*p;
		a->len = (size_t)ret;
		a->n++;
		*p = end;
		return 0;
	case 'b':
		a->data = (uint8_t *)*p;
		a->len = (size_t)(end - *p);
		a->n++;
		*p = end;
		return 0;
	default:
		if (*p == end || **p != **schema)
			return -EINVAL;
		cp++;
	}
	*p = (char *)cp;
	return ret;
}

int gdb_parse_args(char *p, char *end, const char *schema, struct gdb_args *a)
{
	bool optional = false;
	int ret;

	memset(a, 0, sizeof(*a));
	for (; *schema; schema++) {
		if (*schema == '[') {
			optional = true;
			continue;
		}
		if (p == end && optional)
			return 0;
		if (a->n == GDB_MAX_ARGS)
			return -EINVAL;
		ret = parse_field(&p, end, &schema, a);
		if (ret)
			return ret;
	}
	return p == end ? 0 : -EINVAL;
}

static void dispatch(struct gdb_session *s, char *pkt, size_t len)
{
	const struct gdb_cmd *c;
	struct gdb_args a;
	int ret;

	if (s->state == GDB_RUNNING) { /* all-stop gdb sends nothing but ^C while waiting */
		gdb_reply_error(s, EBUSY);
		return;
	}
	c = find_cmd(pkt, len);
	if (!c)
		ret = -ENOTSUP; /* unknown packets get an empty reply (manual, "Packets") */
	else if ((c->flags & NEED_TARGET) && s->state == GDB_EXITED)
		ret = -ESRCH;
	else
		ret = gdb_parse_args(pkt + strlen(c->name), pkt + len, c->schema, &a);
	if (!ret)
		ret = c->fn(s, &a); /* a handler replies itself on success */
	if (ret < 0)
		gdb_reply_error(s, -ret);
}

/* ---------------------------------------------------------------- session */

struct gdb_session *gdb_session_new(const struct gdb_target_ops *ops, void *opaque,
				    const struct gdb_io *io)
{
	struct gdb_session *s;

	if (!ops || !io || !io->write || !ops->reg_size || !ops->read_reg || !ops->write_reg ||
	    !ops->read_mem || !ops->write_mem || !ops->cpu_count || !ops->resume ||
	    !ops->interrupt || !ops->detach || !ops->thread_id != !ops->thread_index) {
		errno = EINVAL;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->ops = ops;
	s->opaque = opaque;
	s->io = *io;
	rsp_framer_init(&s->rx, s->in, GDB_PACKET_SIZE);
	s->state = GDB_STOPPED;
	s->c_tid = GDB_TID_ALL;
	s->last_stop.reason = GDB_STOP_TRAP;
	return s;
}

void gdb_session_free(struct gdb_session *s)
{
	free(s);
}

static void send_raw(struct gdb_session *s, const char *c)
{
	if (!s->no_ack)
		s->io.write(s->io.ctx, c, 1);
}

static void handle_event(struct gdb_session *s, enum rsp_event ev)
{
	switch (ev) {
	case RSP_PACKET:
		send_raw(s, "+");
		gdb_log_packet(s, "<-", s->in, s->rx.len);
		dispatch(s, (char *)s->in, s->rx.len);
		break;
	case RSP_BAD_CSUM: /* drop it; the '-' makes gdb send it again */
		gdb_log(s, "<- bad checksum, dropped");
		send_raw(s, "-");
		break;
	case RSP_TOO_LONG:
	case RSP_MALFORMED:
		send_raw(s, "+"); /* it arrived intact; resending would not help */
		gdb_log(s, "<- %s packet rejected", ev == RSP_TOO_LONG ? "oversize" : "malformed");
		gdb_reply_error(s, ev == RSP_TOO_LONG ? EMSGSIZE : EINVAL);
		break;
	case RSP_INTERRUPT:
		if (s->state == GDB_RUNNING)
			s->ops->interrupt(s->opaque);
		else
			gdb_log(s, "<- ^C while stopped, ignored");
		break;
	case RSP_NAK: /* only the last packet is kept: enough over TCP, where '-' is rare */
		if (s->out_len && !s->no_ack)
			s->io.write(s->io.ctx, s->out, s->out_len);
		break;
	default: /* RSP_ACK, RSP_NONE */
		break;
	}
}

void gdb_feed(struct gdb_session *s, const void *buf, size_t len)
{
	const uint8_t *b = buf;
	size_t i;

	for (i = 0; i < len && s->state != GDB_FINISHED; i++)
		handle_event(s, rsp_feed(&s->rx, b[i]));
}

void gdb_disconnect(struct gdb_session *s)
{
	if (s->state == GDB_STOPPED || s->state == GDB_RUNNING) {
		int ret = s->ops->detach(s->opaque);

		if (ret)
			gdb_log(s, "detach on disconnect failed: %s", strerror(-ret));
	}
	s->state = GDB_FINISHED;
}

bool gdb_is_running(const struct gdb_session *s)
{
	return s->state == GDB_RUNNING;
}

bool gdb_is_finished(const struct gdb_session *s)
{
	return s->state == GDB_FINISHED;
}
