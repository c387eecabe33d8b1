// SPDX-License-Identifier: GPL-3.0-or-later
/* Reading BTF (src/linux/btf.h). Layout from Documentation/bpf/btf.rst: a header, then a type
 * section of struct btf_type records each followed by its kind's data, and a string section.
 * Everything is checked against the blob's length before it is read, loops are bounded by the
 * counts the blob gives, which are themselves bounded by its size. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "src/linux/btf.h"

#define BTF_MAGIC 0xeb9f
#define MAX_DEPTH 16 /* typedef chains, nested anonymous members, path components */

enum {
	K_INT = 1, K_PTR, K_ARRAY, K_STRUCT, K_UNION, K_ENUM, K_FWD, K_TYPEDEF, K_VOLATILE,
	K_CONST, K_RESTRICT, K_FUNC, K_FUNC_PROTO, K_VAR, K_DATASEC, K_FLOAT, K_DECL_TAG,
	K_TYPE_TAG, K_ENUM64,
};

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4); /* BTF is in the kernel's byte order: little-endian arm64 */
	return v;
}

static unsigned int kind_of(uint32_t info)
{
	return (info >> 24) & 0x1f;
}

/* Bytes of kind-specific data after the 12-byte record, or -1 for an unknown kind. */
static long extra(uint32_t info)
{
	uint32_t vlen = info & 0xffff;

	switch (kind_of(info)) {
	case K_INT:
	case K_VAR:
	case K_DECL_TAG:
		return 4;
	case K_ARRAY:
		return 12;
	case K_STRUCT:
	case K_UNION:
	case K_DATASEC:
	case K_ENUM64:
		return 12l * vlen;
	case K_ENUM:
	case K_FUNC_PROTO:
		return 8l * vlen;
	case K_PTR:
	case K_FWD:
	case K_TYPEDEF:
	case K_VOLATILE:
	case K_CONST:
	case K_RESTRICT:
	case K_FUNC:
	case K_FLOAT:
	case K_TYPE_TAG:
		return 0;
	}
	return -1;
}

int btf_open(struct btf *b, const void *blob, size_t len)
{
	const uint8_t *p = blob;
	uint32_t hdr, toff, tlen, soff, slen, off, n = 0, cap = 0;
	uint16_t magic;

	memset(b, 0, sizeof(*b));
	if (len < 24)
		return -EINVAL;
	memcpy(&magic, p, 2);
	hdr = rd32(p + 4);
	if (magic != BTF_MAGIC || p[2] != 1 || hdr < 24 || hdr > len)
		return -EINVAL;
	toff = rd32(p + 8), tlen = rd32(p + 12), soff = rd32(p + 16), slen = rd32(p + 20);
	if ((uint64_t)hdr + toff + tlen > len || (uint64_t)hdr + soff + slen > len || !slen)
		return -EINVAL;
	b->types = p + hdr + toff;
	b->types_len = tlen;
	b->strs = p + hdr + soff;
	b->strs_len = slen;
	for (off = 0; off < tlen;) {
		long more;

		if (tlen - off < 12 || (more = extra(rd32(b->types + off + 4))) < 0 ||
		    (uint64_t)tlen - off - 12 < (uint64_t)more) {
			btf_close(b);
			return -EINVAL;
		}
		if (n == cap) {
			uint32_t *t = realloc(b->type_off, (cap = cap ? 2 * cap : 1024) * 4);

			if (!t) {
				btf_close(b);
				return -ENOMEM;
			}
			b->type_off = t;
		}
		b->type_off[n++] = off;
		off += 12 + (uint32_t)more;
	}
	b->nr_types = n;
	return 0;
}

void btf_close(struct btf *b)
{
	free(b->type_off);
	b->type_off = NULL;
	b->nr_types = 0;
}

static const uint8_t *type_at(const struct btf *b, uint32_t id)
{
	return id >= 1 && id <= b->nr_types ? b->types + b->type_off[id - 1] : NULL;
}

/* Does string offset name_off hold exactly s (len n)? */
static bool name_is(const struct btf *b, uint32_t name_off, const char *s, size_t n)
{
	return name_off < b->strs_len && b->strs_len - name_off > n &&
	       !memcmp(b->strs + name_off, s, n) && b->strs[name_off + n] == '\0';
}

/* Through typedefs and qualifiers to the type they name (0 for void or too deep). */
static uint32_t resolve(const struct btf *b, uint32_t id)
{
	unsigned int depth;
	const uint8_t *t;

	for (depth = 0; depth < MAX_DEPTH && (t = type_at(b, id)); depth++) {
		unsigned int k = kind_of(rd32(t + 4));

		if (k != K_TYPEDEF && k != K_VOLATILE && k != K_CONST && k != K_RESTRICT &&
		    k != K_TYPE_TAG)
			return id;
		id = rd32(t + 8);
	}
	return 0;
}

static bool is_composite(const uint8_t *t)
{
	unsigned int k;

	if (!t)
		return false;
	k = kind_of(rd32(t + 4));
	return k == K_STRUCT || k == K_UNION;
}

/* Size in bytes of type id, 0 if it has none that is known here. */
static uint32_t size_of(const struct btf *b, uint32_t id)
{
	const uint8_t *t = type_at(b, resolve(b, id));
	unsigned int k;

	if (!t)
		return 0;
	k = kind_of(rd32(t + 4));
	if (k == K_INT || k == K_STRUCT || k == K_UNION || k == K_ENUM || k == K_ENUM64 ||
	    k == K_FLOAT)
		return rd32(t + 8);
	if (k == K_PTR)
		return 8;
	if (k == K_ARRAY) {
		uint64_t n = (uint64_t)size_of(b, rd32(t + 12)) * rd32(t + 20);

		return n > UINT32_MAX ? 0 : (uint32_t)n;
	}
	return 0;
}

/* Member name (n bytes) of composite t, anonymous members searched too; its bit offset from
 * t's start and its type id. */
static int find_member(const struct btf *b, const uint8_t *t, const char *name, size_t n,
		       unsigned int depth, uint64_t *bits, uint32_t *type)
{
	uint32_t info = rd32(t + 4), vlen = info & 0xffff, i;
	bool kflag = info >> 31;

	if (depth > MAX_DEPTH)
		return -ENOENT;
	for (i = 0; i < vlen; i++) {
		const uint8_t *m = t + 12 + 12 * i;
		uint32_t mname = rd32(m), mtype = rd32(m + 4), moff = rd32(m + 8);
		uint64_t at = kflag ? (moff & 0xffffff) : moff;
		const uint8_t *sub;

		if (kflag && (moff >> 24) && name_is(b, mname, name, n))
			return -EINVAL; /* a bitfield has no byte offset */
		if (mname && name_is(b, mname, name, n)) {
			*bits = at;
			*type = mtype;
			return 0;
		}
		if (!mname && (sub = type_at(b, resolve(b, mtype))) && is_composite(sub) &&
		    !find_member(b, sub, name, n, depth + 1, bits, type)) {
			*bits += at;
			return 0;
		}
	}
	return -ENOENT;
}

static const uint8_t *find_struct(const struct btf *b, const char *name)
{
	size_t n = strlen(name);
	uint32_t id;

	for (id = 1; id <= b->nr_types; id++) {
		const uint8_t *t = type_at(b, id);

		if (is_composite(t) && (rd32(t + 4) & 0xffff) && name_is(b, rd32(t), name, n))
			return t;
	}
	return NULL;
}

int btf_struct_size(const struct btf *b, const char *name, uint32_t *size)
{
	const uint8_t *t = find_struct(b, name);

	if (!t)
		return -ENOENT;
	*size = rd32(t + 8);
	return 0;
}

int btf_member_offset(const struct btf *b, const char *name, const char *path, uint32_t *off,
		      uint32_t *size)
{
	const uint8_t *t = find_struct(b, name);
	uint64_t total = 0, bits;
	unsigned int depth;
	uint32_t type = 0;
	int ret;

	if (!*path)
		return -EINVAL;
	if (!t)
		return -ENOENT;
	for (depth = 0; *path && depth < MAX_DEPTH; depth++) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);

		if (!n || !t || !is_composite(t))
			return -EINVAL;
		ret = find_member(b, t, path, n, 0, &bits, &type);
		if (ret)
			return ret;
		if (bits % 8)
			return -EINVAL;
		total += bits / 8;
		path += n + (dot ? 1 : 0);
		t = type_at(b, resolve(b, type));
		if (dot && !*path)
			return -EINVAL;
	}
	if (*path || total > UINT32_MAX)
		return -EINVAL;
	*off = (uint32_t)total;
	if (size)
		*size = size_of(b, type);
	return 0;
}
