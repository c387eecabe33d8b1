// SPDX-License-Identifier: GPL-3.0-or-later
/* Remote Serial Protocol framing: the receive state machine that turns a byte stream into
 * payloads, plus the hex and binary-escape codecs both directions use. The rules are those of
 * the GDB manual, "Remote Protocol" > "Overview". */
#include <errno.h>
#include <string.h>

#include "gdbstub/rsp.h"

enum { ST_IDLE, ST_DATA, ST_ESC, ST_RLE, ST_CSUM1, ST_CSUM2 };

#define RSP_ESCAPE '}'
#define RSP_RLE '*'
#define RSP_INTR 0x03

void rsp_framer_init(struct rsp_framer *f, uint8_t *buf, size_t cap)
{
	memset(f, 0, sizeof(*f));
	f->buf = buf;
	f->cap = cap;
	f->state = ST_IDLE;
}

static void start_packet(struct rsp_framer *f)
{
	f->len = 0;
	f->sum = 0;
	f->overflow = false;
	f->malformed = false;
	f->bad_digit = false;
	f->state = ST_DATA;
}

static void put(struct rsp_framer *f, uint8_t c)
{
	if (f->len < f->cap)
		f->buf[f->len++] = c;
	else
		f->overflow = true;
}

/*
 * Run-length encoding: "c*n" means c followed by n - 29 more copies of c, where n is a printable
 * character. gdb never picks '#' or '$' for n, and a '*' with nothing before it has nothing
 * to repeat; both are malformed.
 */
static void expand_run(struct rsp_framer *f, uint8_t n)
{
	unsigned int i, count = n - 29u;

	if (n < ' ' || n > '~' || !f->len) {
		f->malformed = true;
		return;
	}
	for (i = 0; i < count; i++)
		put(f, f->buf[f->len - 1]);
}

static enum rsp_event end_packet(struct rsp_framer *f)
{
	f->state = ST_IDLE;
	if (f->bad_digit || f->rx_sum != f->sum)
		return RSP_BAD_CSUM;
	if (f->overflow)
		return RSP_TOO_LONG;
	if (f->malformed)
		return RSP_MALFORMED;
	f->buf[f->len] = '\0';
	return RSP_PACKET;
}

static enum rsp_event feed_idle(struct rsp_framer *f, uint8_t c)
{
	switch (c) {
	case '$':
		start_packet(f);
		return RSP_NONE;
	case '+':
		return RSP_ACK;
	case '-':
		return RSP_NAK;
	case RSP_INTR:
		return RSP_INTERRUPT;
	default:
		return RSP_NONE; /* line noise between packets */
	}
}

static void feed_data(struct rsp_framer *f, uint8_t c)
{
	if (c == '#') {
		f->state = ST_CSUM1;
		return;
	}
	if (c == '$') { /* gdb gave up on this packet and started over */
		start_packet(f);
		return;
	}
	f->sum += c;
	if (c == RSP_ESCAPE)
		f->state = ST_ESC;
	else if (c == RSP_RLE)
		f->state = ST_RLE;
	else
		put(f, c);
}

enum rsp_event rsp_feed(struct rsp_framer *f, uint8_t c)
{
	int d;

	switch (f->state) {
	case ST_IDLE:
		return feed_idle(f, c);
	case ST_DATA:
		feed_data(f, c);
		return RSP_NONE;
	case ST_ESC:
	case ST_RLE:
		if (c == '#') { /* an escape or count cut short by the end of the packet */
			f->malformed = true;
			f->state = ST_CSUM1;
			return RSP_NONE;
		}
		f->sum += c;
		if (f->state == ST_ESC)
			put(f, c ^ 0x20);
		else
			expand_run(f, c);
		f->state = ST_DATA;
		return RSP_NONE;
	case ST_CSUM1:
		d = rsp_hex_digit(c);
		f->bad_digit = d < 0;
		f->rx_sum = (uint8_t)((d < 0 ? 0 : d) << 4);
		f->state = ST_CSUM2;
		return RSP_NONE;
	default: /* ST_CSUM2 */
		d = rsp_hex_digit(c);
		f->bad_digit |= d < 0;
		f->rx_sum |= (uint8_t)(d < 0 ? 0 : d);
		return end_packet(f);
	}
}

uint8_t rsp_checksum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (n--)
		sum += *b++;
	return sum;
}

int rsp_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void rsp_hex_encode(char *dst, const void *src, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *b = src;
	size_t i;

	for (i = 0; i < n; i++) {
		dst[2 * i] = digits[b[i] >> 4];
		dst[2 * i + 1] = digits[b[i] & 0xf];
	}
}

int rsp_hex_decode(void *dst, const char *src, size_t nchars)
{
	uint8_t *out = dst;
	size_t i;

	if (nchars % 2)
		return -EINVAL;
	for (i = 0; i < nchars / 2; i++) {
		int hi = rsp_hex_digit(src[2 * i]), lo = rsp_hex_digit(src[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo); /* in place is safe: i <= 2 * i */
	}
	return (int)(nchars / 2);
}

int rsp_parse_hex(const char **p, const char *end, uint64_t *val)
{
	const char *s = *p;
	uint64_t v = 0;
	int d, n = 0;

	while (s < end && (d = rsp_hex_digit(*s)) >= 0) {
		if (++n > 16)
			return -EINVAL;
		v = v << 4 | (uint64_t)d;
		s++;
	}
	if (!n)
		return -EINVAL;
	*p = s;
	*val = v;
	return 0;
}

bool rsp_needs_escape(uint8_t c)
{
	return c == '#' || c == '$' || c == RSP_ESCAPE || c == RSP_RLE;
}

size_t rsp_escape(uint8_t *dst, size_t cap, const uint8_t *src, size_t n, size_t *used)
{
	size_t in, out = 0;

	for (in = 0; in < n; in++) {
		if (rsp_needs_escape(src[in])) {
			if (out + 2 > cap)
				break;
			dst[out++] = RSP_ESCAPE;
			dst[out++] = src[in] ^ 0x20;
		} else {
			if (out + 1 > cap)
				break;
			dst[out++] = src[in];
		}
	}
	*used = in;
	return out;
}

size_t rsp_frame(uint8_t *dst, const void *payload, size_t n)
{
	uint8_t sum = rsp_checksum(payload, n);

	memmove(dst + 1, payload, n);
	dst[0] = '$';
	dst[n + 1] = '#';
	rsp_hex_encode((char *)dst + n + 2, &sum, 1);
	return n + 4;
}
