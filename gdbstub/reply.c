// SPDX-License-Identifier: GPL-3.0-or-later
/* Everything the stub sends: the reply builder (one packet at a time in the session's out[],
 * kept for retransmission), the errno-to-reply convention, O packets, and stop replies. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gdbstub/internal.h"

/* ---------------------------------------------------------------- reply builder */

void gdb_log(struct gdb_session *s, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (!s->io.log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->io.log(s->io.ctx, msg);
}

/* Log a packet, printable characters only, cut at 120. */
void gdb_log_packet(struct gdb_session *s, const char *dir, const uint8_t *p, size_t n)
{
	char text[124];
	size_t i, k = 0;

	if (!s->io.log)
		return;
	for (i = 0; i < n && k < 120; i++)
		text[k++] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '.';
	text[k] = '\0';
	gdb_log(s, "%s $%s%s", dir, text, i < n ? "..." : "");
}

static char *tx_tail(struct gdb_session *s)
{
	return (char *)s->out + 1 + s->tx_len;
}

size_t gdb_tx_room(const struct gdb_session *s)
{
	return GDB_PACKET_SIZE - s->tx_len;
}

void gdb_tx_begin(struct gdb_session *s)
{
	s->tx_len = 0;
	s->tx_overflow = false;
}

static bool tx_reserve(struct gdb_session *s, size_t n)
{
	if (n > gdb_tx_room(s)) {
		s->tx_overflow = true;
		return false;
	}
	return true;
}

void gdb_tx_str(struct gdb_session *s, const char *str)
{
	size_t n = strlen(str);

	if (!tx_reserve(s, n))
		return;
	memcpy(tx_tail(s), str, n);
	s->tx_len += n;
}

void gdb_tx_fmt(struct gdb_session *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	/* out[] has 3 bytes past the payload limit, so the NUL always has room. */
	va_start(ap, fmt);
	n = vsnprintf(tx_tail(s), gdb_tx_room(s) + 1, fmt, ap);
	va_end(ap);
	if (n < 0 || !tx_reserve(s, (size_t)n))
		return;
	s->tx_len += (size_t)n;
}

void gdb_tx_hex(struct gdb_session *s, const void *buf, size_t n)
{
	if (!tx_reserve(s, 2 * n))
		return;
	rsp_hex_encode(tx_tail(s), buf, n);
	s->tx_len += 2 * n;
}

size_t gdb_tx_bin(struct gdb_session *s, const void *buf, size_t n)
{
	size_t used;

	s->tx_len += rsp_escape((uint8_t *)tx_tail(s), gdb_tx_room(s), buf, n, &used);
	return used;
}

void gdb_tx_send(struct gdb_session *s)
{
	if (s->tx_overflow) { /* a handler forgot to size its reply: our bug, not gdb's */
		gdb_log(s, "reply overflow, sending E90 instead");
		gdb_tx_begin(s);
		gdb_tx_str(s, "E90");
	}
	gdb_log_packet(s, "->", s->out + 1, s->tx_len);
	s->out_len = rsp_frame(s->out, s->out + 1, s->tx_len);
	s->io.write(s->io.ctx, s->out, s->out_len);
}

void gdb_reply(struct gdb_session *s, const char *str)
{
	gdb_tx_begin(s);
	gdb_tx_str(s, str);
	gdb_tx_send(s);
}

/*
 * The one place errors become replies. -ENOTSUP/-ENOSYS: empty, which gdb reads as "packet not
 * supported". Anything else: "E" and the errno in two decimal digits, as QEMU does (E22 bad
 * arguments, E14 bad address, E03 no such thread). gdb only prints the number, but it insists
 * on exactly two digits, so an errno above 99 is sent as E05 (EIO).
 */
void gdb_reply_error(struct gdb_session *s, int err)
{
	if (err == ENOTSUP || err == ENOSYS) {
		gdb_reply(s, "");
		return;
	}
	if (err <= 0 || err > 99)
		err = EIO;
	gdb_tx_begin(s);
	gdb_tx_fmt(s, "E%02d", err);
	gdb_tx_send(s);
}

void gdb_print_o(void *ctx, const char *buf, size_t len)
{
	struct gdb_session *s = ctx;
	const size_t chunk = (GDB_PACKET_SIZE - 1) / 2;

	while (len) {
		size_t n = len < chunk ? len : chunk;

		gdb_tx_begin(s);
		gdb_tx_str(s, "O");
		gdb_tx_hex(s, buf, n);
		gdb_tx_send(s);
		buf += n;
		len -= n;
	}
}

/* ---------------------------------------------------------------- stop replies */

static void tx_expedited(struct gdb_session *s, unsigned int cpu)
{
	unsigned int i;

	for (i = 0; i < s->ops->nr_expedite; i++) {
		unsigned int regno = s->ops->expedite[i];
		int size = s->ops->reg_size(s->opaque, regno);

		if (size <= 0 || (size_t)size > sizeof(s->scratch) ||
		    2 * (size_t)size + 12 > gdb_tx_room(s))
			continue;
		if (s->ops->read_reg(s->opaque, cpu, regno, s->scratch))
			continue; /* gdb fetches what the reply lacks */
		gdb_tx_fmt(s, "%02x:", regno);
		gdb_tx_hex(s, s->scratch, (size_t)size);
		gdb_tx_str(s, ";");
	}
}

static uint8_t stop_signal(const struct gdb_stop *stop)
{
	switch (stop->reason) {
	case GDB_STOP_INTERRUPT:
		return GDB_SIGNAL_INT;
	case GDB_STOP_SIGNAL:
		return stop->sig;
	default:
		return GDB_SIGNAL_TRAP;
	}
}

/* Stop reply packets (GDB manual, "Stop Reply Packets"). swbreak/hwbreak only if gdb said it
 * understands them in qSupported, as the manual requires. */
void gdb_send_stop(struct gdb_session *s, const struct gdb_stop *stop)
{
	static const char *const watch[] = {
		[GDB_STOP_WATCH] = "watch",
		[GDB_STOP_RWATCH] = "rwatch",
		[GDB_STOP_AWATCH] = "awatch",
	};

	gdb_tx_begin(s);
	if (stop->reason == GDB_STOP_EXITED) {
		gdb_tx_fmt(s, "W%02x", stop->code);
	} else if (stop->reason == GDB_STOP_TERMINATED) {
		gdb_tx_fmt(s, "X%02x", stop->sig);
	} else {
		gdb_tx_fmt(s, "T%02xthread:%" PRIx64 ";", stop_signal(stop),
			   gdb_thread_id(s, stop->cpu));
		if (stop->reason == GDB_STOP_SWBREAK && s->gdb_swbreak)
			gdb_tx_str(s, "swbreak:;");
		if (stop->reason == GDB_STOP_HWBREAK && s->gdb_hwbreak)
			gdb_tx_str(s, "hwbreak:;");
		if (stop->reason >= GDB_STOP_WATCH && stop->reason <= GDB_STOP_AWATCH)
			gdb_tx_fmt(s, "%s:%" PRIx64 ";", watch[stop->reason], stop->addr);
		tx_expedited(s, stop->cpu);
	}
	gdb_tx_send(s);
}
