/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Remote Serial Protocol framing and codecs (GDB manual, "Overview" of the Remote Protocol):
 * the byte-at-a-time receive state machine, checksums, hex, and binary escapes. Internal to
 * gdbstub/; holds no session state beyond the framer. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rsp_event {
	RSP_NONE,      /* byte consumed, nothing complete yet */
	RSP_PACKET,    /* good checksum: payload in buf[0 .. len), NUL-terminated */
	RSP_BAD_CSUM,  /* checksum mismatch or not hex: NAK it so gdb retransmits */
	RSP_TOO_LONG,  /* good checksum, payload did not fit: reject with an error reply */
	RSP_MALFORMED, /* good checksum, broken escape or run-length sequence */
	RSP_INTERRUPT, /* 0x03 outside a packet: gdb's Ctrl-C */
	RSP_ACK,       /* '+' outside a packet */
	RSP_NAK,       /* '-' outside a packet */
};

struct rsp_framer {
	uint8_t *buf; /* cap + 1 bytes: room for the terminating NUL */
	size_t cap;
	size_t len;
	int state;
	uint8_t sum;    /* running checksum of the raw bytes */
	uint8_t rx_sum; /* the checksum gdb sent */
	bool overflow, malformed, bad_digit;
};

/* Prepare f to assemble payloads into buf, which holds cap + 1 bytes. */
void rsp_framer_init(struct rsp_framer *f, uint8_t *buf, size_t cap);
/* Consume one received byte; expands escapes ('}') and run lengths ('*') into f->buf. */
enum rsp_event rsp_feed(struct rsp_framer *f, uint8_t c);
/* The modulo-256 sum of n bytes. */
uint8_t rsp_checksum(const void *p, size_t n);
/* Value of hex digit c, or -1. */
int rsp_hex_digit(int c);
/* Write 2n lower-case hex digits for n bytes (no NUL). */
void rsp_hex_encode(char *dst, const void *src, size_t n);
/* Decode nchars hex digits into nchars / 2 bytes (dst may equal src); -EINVAL if odd or bad. */
int rsp_hex_decode(void *dst, const char *src, size_t nchars);
/* Parse 1-16 hex digits at *p (stops at end or a non-digit), advance *p; -EINVAL if none/too many.
 */
int rsp_parse_hex(const char **p, const char *end, uint64_t *val);
/* True for the bytes a binary payload must escape: '#', '$', '}', '*'. */
bool rsp_needs_escape(uint8_t c);
/* Escape src into dst[0 .. cap); returns bytes written; *used = source bytes that fit. */
size_t rsp_escape(uint8_t *dst, size_t cap, const uint8_t *src, size_t n, size_t *used);
/* Frame payload as "$payload#cs" into dst (n + 4 bytes); returns the framed length. */
size_t rsp_frame(uint8_t *dst, const void *payload, size_t n);
