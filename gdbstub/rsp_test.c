// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for gdbstub/rsp.c: the framing state machine fed one byte at a time (a named row
 * per case, each its own cmocka test), then the hex and escape codecs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gdbstub/rsp.h"

/* Rows: PKT is a payload that must come through as want; BAD one that must give event ev;
 * WIRE gives the exact bytes (checksum included). The rest are framed with their checksum. */
#define PKT(n, r, p, ...)                                                                        \
	{                                                                                        \
		.name = n, .raw = r, .raw_len = sizeof(r) - 1, .want = RSP_PACKET, .payload = p, \
		.payload_len = sizeof(p) - 1, __VA_ARGS__                                        \
	}
#define BAD(n, r, ev, ...)                                                             \
	{                                                                              \
		.name = n, .raw = r, .raw_len = sizeof(r) - 1, .want = ev, __VA_ARGS__ \
	}
#define WIRE(n, w, ev, p, ...)                                                                \
	{                                                                                     \
		.name = n, .wire = w, .want = ev, .payload = p, .payload_len = sizeof(p) - 1, \
		__VA_ARGS__                                                                   \
	}

struct frame_case {
	const char *name;
	const char *raw; /* payload as sent: escapes and run lengths still in */
	size_t raw_len;
	enum rsp_event want;
	const char *payload; /* the decoded payload, for RSP_PACKET */
	size_t payload_len;
	size_t cap;       /* framer buffer size; 0: 64 */
	const char *wire; /* if set: fed as is instead of raw */
};

static const struct frame_case frame_cases[] = {
	PKT("read regs", "g", "g"),
	PKT("read memory", "m0,4", "m0,4"),
	PKT("empty payload", "", ""),
	WIRE("known wire", "$g#67", RSP_PACKET, "g"),
	WIRE("upper-case checksum", "$m0,4#FD", RSP_PACKET, "m0,4"),
	WIRE("bad checksum", "$g#00", RSP_BAD_CSUM, ""),
	WIRE("checksum not hex", "$g#6z", RSP_BAD_CSUM, ""),
	WIRE("'$' restarts a packet", "$m12$g#67", RSP_PACKET, "g"),
	WIRE("noise before '$'", "xyz$g#67", RSP_PACKET, "g"),
	PKT("run length: 0* is 0000", "0* ", "0000"),
	PKT("run length: longest", "a*~",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaa",
	    .cap = 128),
	PKT("run length in the middle", "p1*!2", "p111112"),
	PKT("run length of an escaped byte", "}]*!", "}}}}}"),
	BAD("run length with nothing before", "*!", RSP_MALFORMED),
	WIRE("run length count is '#'", "$a*#8b", RSP_MALFORMED, ""),
	BAD("run length count not printable", "a*\x01", RSP_MALFORMED),
	PKT("escaped '#'", "X}\x03", "X#"),
	PKT("escaped '$'", "}\x04", "$"),
	PKT("escaped '}'", "}]", "}"),
	PKT("escaped '*'", "}\x0a", "*"),
	BAD("escape cut by the end", "ab}", RSP_MALFORMED),
	PKT("raw NUL in binary data", "X0,1:\0", "X0,1:\0"),
	PKT("0x03 inside a packet is data", "X\x03", "X\x03"),
	PKT("just fits", "01234567", "01234567", .cap = 8),
	BAD("too long", "012345678", RSP_TOO_LONG, .cap = 8),
	BAD("too long after run length", "0*~", RSP_TOO_LONG, .cap = 8),
	WIRE("too long and bad checksum", "$0123456789#00", RSP_BAD_CSUM, "", .cap = 4),
};

/* Feed every byte; all but the last must give RSP_NONE. Returns the last byte's event. */
static enum rsp_event feed_all(struct rsp_framer *f, const uint8_t *wire, size_t n)
{
	enum rsp_event ev = RSP_NONE;
	size_t i;

	for (i = 0; i < n; i++) {
		ev = rsp_feed(f, wire[i]);
		if (i + 1 < n)
			assert_int_equal(ev, RSP_NONE);
	}
	return ev;
}

static void run_frame_case(void **state)
{
	const struct frame_case *c = *state;
	uint8_t buf[257], wire[300];
	struct rsp_framer f;
	size_t n;

	if (c->wire) {
		n = strlen(c->wire);
		memcpy(wire, c->wire, n);
	} else {
		wire[0] = '$';
		memcpy(wire + 1, c->raw, c->raw_len);
		n = 1 + c->raw_len;
		n += (size_t)sprintf((char *)wire + n, "#%02x", rsp_checksum(c->raw, c->raw_len));
	}
	rsp_framer_init(&f, buf, c->cap ? c->cap : 64);
	assert_int_equal(feed_all(&f, wire, n), c->want);
	if (c->want == RSP_PACKET) {
		assert_int_equal(f.len, c->payload_len);
		assert_memory_equal(buf, c->payload, c->payload_len);
		assert_int_equal(buf[f.len], 0);
	}
	/* The framer is idle again: the next packet goes through. */
	assert_int_equal(feed_all(&f, (const uint8_t *)"$g#67", 5), RSP_PACKET);
}

static void test_idle_bytes(void **state)
{
	uint8_t buf[9];
	struct rsp_framer f;

	rsp_framer_init(&f, buf, 8);
	assert_int_equal(rsp_feed(&f, '+'), RSP_ACK);
	assert_int_equal(rsp_feed(&f, '-'), RSP_NAK);
	assert_int_equal(rsp_feed(&f, 0x03), RSP_INTERRUPT);
	assert_int_equal(rsp_feed(&f, 'x'), RSP_NONE);
	assert_int_equal(rsp_feed(&f, '#'), RSP_NONE);
}

static void test_checksum(void **state)
{
	assert_int_equal(rsp_checksum("g", 1), 0x67);
	assert_int_equal(rsp_checksum("OK", 2), 0x9a);
	assert_int_equal(rsp_checksum("", 0), 0);
}

static void test_hex(void **state)
{
	const uint8_t bytes[] = { 0x00, 0x7f, 0xa5, 0xff };
	char text[9] = { 0 };
	uint8_t out[4];
	char inplace[] = "DEADbeef";

	rsp_hex_encode(text, bytes, 4);
	assert_string_equal(text, "007fa5ff");
	assert_int_equal(rsp_hex_decode(out, text, 8), 4);
	assert_memory_equal(out, bytes, 4);
	assert_int_equal(rsp_hex_decode(out, "abc", 3), -EINVAL);
	assert_int_equal(rsp_hex_decode(out, "0g", 2), -EINVAL);
	assert_int_equal(rsp_hex_decode(inplace, inplace, 8), 4);
	assert_memory_equal(inplace, "\xde\xad\xbe\xef", 4);
	assert_int_equal(rsp_hex_digit('F'), 15);
	assert_int_equal(rsp_hex_digit('g'), -1);
}

static const struct {
	const char *name, *text;
	int ret;
	uint64_t val;
	size_t used;
} hex_cases[] = {
	{ "one digit", "7", 0, 7, 1 },
	{ "stops at a comma", "1f,4", 0, 0x1f, 2 },
	{ "16 digits", "ffffffffffffffff", 0, UINT64_MAX, 16 },
	{ "leading zeros count", "00000000000000001", -EINVAL, 0, 0 },
	{ "empty", "", -EINVAL, 0, 0 },
	{ "not hex", "x1", -EINVAL, 0, 0 },
};

static void test_parse_hex(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(hex_cases) / sizeof(hex_cases[0]); i++) {
		const char *p = hex_cases[i].text, *end = p + strlen(p);
		uint64_t v = 0;
		int ret = rsp_parse_hex(&p, end, &v);

		if (ret != hex_cases[i].ret)
			fail_msg("%s: ret %d", hex_cases[i].name, ret);
		if (!ret &&
		    (v != hex_cases[i].val || (size_t)(p - hex_cases[i].text) != hex_cases[i].used))
			fail_msg("%s: value %llx", hex_cases[i].name, (unsigned long long)v);
		if (ret && p != hex_cases[i].text)
			fail_msg("%s: moved on error", hex_cases[i].name);
	}
}

static void test_escape(void **state)
{
	const uint8_t src[] = { '#', 'a', '$', '}', '*', 0x03 };
	uint8_t dst[16];
	size_t used, n;

	n = rsp_escape(dst, sizeof(dst), src, sizeof(src), &used);
	assert_int_equal(used, sizeof(src));
	assert_int_equal(n, 10);
	assert_memory_equal(dst,
			    "}\x03"
			    "a}\x04}]}\x0a\x03",
			    10);
	/* Never split an escape pair: 3 bytes of room take '#' (2) and 'a' (1), not half of '$'. */
	n = rsp_escape(dst, 4, src, sizeof(src), &used);
	assert_int_equal(n, 3);
	assert_int_equal(used, 2);
	assert_true(rsp_needs_escape('*'));
	assert_false(rsp_needs_escape(0));
}

/* Escape, frame, then feed the frame back: every byte value survives the round trip. */
static void test_round_trip(void **state)
{
	uint8_t data[256], esc[512], wire[520], buf[257];
	struct rsp_framer f;
	size_t used, n, i;

	for (i = 0; i < 256; i++)
		data[i] = (uint8_t)i;
	n = rsp_escape(esc, sizeof(esc), data, sizeof(data), &used);
	assert_int_equal(used, 256);
	n = rsp_frame(wire, esc, n);
	rsp_framer_init(&f, buf, 256);
	assert_int_equal(feed_all(&f, wire, n), RSP_PACKET);
	assert_int_equal(f.len, 256);
	assert_memory_equal(buf, data, 256);
}

static void test_frame(void **state)
{
	uint8_t out[8];

	assert_int_equal(rsp_frame(out, "OK", 2), 6);
	assert_memory_equal(out, "$OK#9a", 6);
	/* In place, as the session does: payload already at out + 1. */
	memcpy(out + 1, "OK", 2);
	assert_int_equal(rsp_frame(out, out + 1, 2), 6);
	assert_memory_equal(out, "$OK#9a", 6);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_idle_bytes), cmocka_unit_test(test_checksum),
		cmocka_unit_test(test_hex),        cmocka_unit_test(test_parse_hex),
		cmocka_unit_test(test_escape),     cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_frame),
	};
	const size_t nrows = sizeof(frame_cases) / sizeof(frame_cases[0]);
	const size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
	struct CMUnitTest *tests = calloc(nrows + nfixed, sizeof(*tests));
	size_t i;
	int ret;

	if (!tests)
		return 1;
	for (i = 0; i < nrows; i++) {
		tests[i].name = frame_cases[i].name;
		tests[i].test_func = run_frame_case;
		tests[i].initial_state = (void *)&frame_cases[i];
	}
	memcpy(tests + nrows, fixed, sizeof(fixed));
	ret = _cmocka_run_group_tests("rsp", tests, nrows + nfixed, NULL, NULL);
	free(tests);
	return ret;
}
