// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for src/linux/btf.c over a BTF blob built here the way the kernel's is laid out
 * (Documentation/bpf/btf.rst): nested structs, an anonymous union, a typedef, a bitfield, and
 * blobs that lie about their sizes. (The same reader gives gdb's DWARF offsets for Debian's
 * 6.1 task_struct: tasks 1128, pid 1352, comm 1912, thread.cpu_context.sp 3096.) */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "src/linux/btf.h"

struct blob {
	uint8_t buf[4096];
	uint32_t types, tlen;
	char strs[512];
	uint32_t slen;
};

static uint32_t str(struct blob *b, const char *s)
{
	uint32_t off = b->slen;

	if (!*s)
		return 0;
	memcpy(b->strs + off, s, strlen(s) + 1);
	b->slen += (uint32_t)strlen(s) + 1;
	return off;
}

static void u32(struct blob *b, uint32_t v)
{
	memcpy(b->buf + 24 + b->tlen, &v, 4);
	b->tlen += 4;
}

/* A type record: name, kind, vlen, kind_flag, size-or-type. */
static void type(struct blob *b, const char *name, unsigned int kind, unsigned int vlen,
		 unsigned int kflag, uint32_t size_or_type)
{
	u32(b, str(b, name));
	u32(b, vlen | kind << 24 | kflag << 31);
	u32(b, size_or_type);
}

static void member(struct blob *b, const char *name, uint32_t type_id, uint32_t bit_off)
{
	u32(b, str(b, name));
	u32(b, type_id);
	u32(b, bit_off);
}

/* Header last: the sections' sizes are known then. */
static size_t finish(struct blob *b)
{
	uint16_t magic = 0xeb9f;
	uint32_t hdr[5] = { 24, 0, b->tlen, b->tlen, b->slen };

	memcpy(b->buf, &magic, 2);
	b->buf[2] = 1;
	b->buf[3] = 0;
	memcpy(b->buf + 4, hdr, sizeof(hdr));
	memcpy(b->buf + 24 + b->tlen, b->strs, b->slen);
	return 24 + b->tlen + b->slen;
}

static size_t build(struct blob *b)
{
	memset(b, 0, sizeof(*b));
	b->slen = 1; /* string 0 is "" */
	type(b, "long", 1, 0, 0, 8); /* 1: INT */
	u32(b, 64);
	type(b, "cpu_context", 4, 3, 0, 24); /* 2 */
	member(b, "x19", 1, 0);
	member(b, "sp", 1, 64);
	member(b, "pc", 1, 128);
	type(b, "thread_struct", 4, 1, 0, 32); /* 3 */
	member(b, "cpu_context", 2, 64);
	type(b, "list_head", 4, 2, 0, 16); /* 4 */
	member(b, "next", 5, 0);
	member(b, "prev", 5, 64);
	type(b, "", 2, 0, 0, 4); /* 5: PTR to list_head */
	type(b, "pid_t", 8, 0, 0, 1); /* 6: TYPEDEF long */
	type(b, "", 5, 2, 0, 8); /* 7: anonymous union */
	member(b, "state", 1, 0);
	member(b, "alias", 6, 0);
	type(b, "task_struct", 4, 5, 1, 128); /* 8, kind_flag: bitfield offsets */
	member(b, "", 7, 0);            /* the anonymous union at 0 */
	member(b, "tasks", 4, 64);
	member(b, "pid", 6, 192);
	member(b, "flags", 1, 1u << 24 | 256); /* a 1-bit bitfield */
	member(b, "thread", 3, 512);
	type(b, "task_struct", 7, 0, 0, 0); /* 9: a forward declaration, not the struct */
	return finish(b);
}

static void test_members_through_nesting_unions_and_typedefs(void **state)
{
	struct blob bl;
	size_t len = build(&bl);
	struct btf b;
	uint32_t off, size;

	assert_int_equal(btf_open(&b, bl.buf, len), 0);
	assert_int_equal(b.nr_types, 9);
	assert_int_equal(btf_member_offset(&b, "task_struct", "tasks", &off, &size), 0);
	assert_int_equal(off, 8);
	assert_int_equal(size, 16);
	assert_int_equal(btf_member_offset(&b, "task_struct", "pid", &off, &size), 0);
	assert_int_equal(off, 24);
	assert_int_equal(size, 8); /* through the typedef */
	assert_int_equal(btf_member_offset(&b, "task_struct", "thread.cpu_context.sp", &off, &size),
			 0);
	assert_int_equal(off, 64 + 8 + 8);
	assert_int_equal(btf_member_offset(&b, "task_struct", "tasks.prev", &off, NULL), 0);
	assert_int_equal(off, 16);
	assert_int_equal(btf_member_offset(&b, "task_struct", "alias", &off, &size), 0);
	assert_int_equal(off, 0); /* inside the anonymous union */
	assert_int_equal(btf_member_offset(&b, "task_struct", "flags", &off, &size), -EINVAL);
	assert_int_equal(btf_member_offset(&b, "task_struct", "nothing", &off, &size), -ENOENT);
	assert_int_equal(btf_member_offset(&b, "task_struct", "pid.x", &off, &size), -EINVAL);
	assert_int_equal(btf_member_offset(&b, "task_struct", "thread.", &off, &size), -EINVAL);
	assert_int_equal(btf_member_offset(&b, "task_struct", ".tasks", &off, &size), -EINVAL);
	assert_int_equal(btf_member_offset(&b, "no_such", "tasks", &off, &size), -ENOENT);
	assert_int_equal(btf_struct_size(&b, "task_struct", &size), 0);
	assert_int_equal(size, 128);
	btf_close(&b);
}

static void test_blobs_that_lie(void **state)
{
	struct blob bl;
	size_t len = build(&bl);
	struct btf b;
	uint32_t v;

	assert_int_equal(btf_open(&b, bl.buf, 10), -EINVAL); /* shorter than the header */
	assert_int_equal(btf_open(&b, bl.buf, len - 1), -EINVAL); /* strings cut */
	bl.buf[0] ^= 1;
	assert_int_equal(btf_open(&b, bl.buf, len), -EINVAL); /* magic */
	bl.buf[0] ^= 1;
	bl.buf[2] = 2;
	assert_int_equal(btf_open(&b, bl.buf, len), -EINVAL); /* version */
	bl.buf[2] = 1;
	v = 0xffffff00u; /* type section length that wraps */
	memcpy(bl.buf + 12, &v, 4);
	assert_int_equal(btf_open(&b, bl.buf, len), -EINVAL);
	len = build(&bl);
	v = 0xffff | 4u << 24; /* first type claims 65535 members */
	memcpy(bl.buf + 24 + 4, &v, 4);
	assert_int_equal(btf_open(&b, bl.buf, len), -EINVAL);
	len = build(&bl);
	v = 31u << 24; /* an unknown kind */
	memcpy(bl.buf + 24 + 4, &v, 4);
	assert_int_equal(btf_open(&b, bl.buf, len), -EINVAL);
}

/* A name offset past the strings, a member of a type id that does not exist, a typedef loop. */
static void test_references_that_lead_nowhere(void **state)
{
	struct blob bl;
	size_t len;
	struct btf b;
	uint32_t off, size;

	memset(&bl, 0, sizeof(bl));
	bl.slen = 1;
	type(&bl, "t", 8, 0, 0, 2); /* 1: typedef -> 2 */
	type(&bl, "u", 8, 0, 0, 1); /* 2: typedef -> 1: a loop */
	type(&bl, "s", 4, 3, 0, 8); /* 3 */
	member(&bl, "loop", 1, 0);
	member(&bl, "gone", 99, 0);
	u32(&bl, 5000); /* a member whose name is past the strings */
	u32(&bl, 1);
	u32(&bl, 0);
	len = finish(&bl);
	assert_int_equal(btf_open(&b, bl.buf, len), 0);
	assert_int_equal(btf_member_offset(&b, "s", "loop", &off, &size), 0);
	assert_int_equal(size, 0);
	assert_int_equal(btf_member_offset(&b, "s", "loop.x", &off, &size), -EINVAL);
	assert_int_equal(btf_member_offset(&b, "s", "gone", &off, &size), 0);
	assert_int_equal(size, 0);
	assert_int_equal(btf_member_offset(&b, "s", "gone.x", &off, &size), -EINVAL);
	btf_close(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_members_through_nesting_unions_and_typedefs),
		cmocka_unit_test(test_blobs_that_lie),
		cmocka_unit_test(test_references_that_lead_nowhere),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
