// SPDX-License-Identifier: GPL-3.0-or-later
/* Finding and reading the kernel's VMCOREINFO in guest RAM (src/linux/vmcoreinfo.h). The
 * lines are written by kernel/crash_core.c (OSRELEASE, PAGESIZE, SYMBOL(), NUMBER()) and
 * arch/arm64/kernel/crash_core.c (NUMBER(VA_BITS), NUMBER(kimage_voffset),
 * NUMBER(PHYS_OFFSET), KERNELOFFSET). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "src/linux/vmcoreinfo.h"

#define PAGE 4096u
#define MAGIC "OSRELEASE="

/* value (hex or decimal, as base says) of the whole of [s, end), or false. */
static bool number(const char *s, const char *end, int base, uint64_t *val)
{
	uint64_t v = 0;
	const char *p;

	if (base == 16 && end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2; /* arm64 writes NUMBER(kimage_voffset)=0x...; KERNELOFFSET bare */
	if (s == end || end - s > 20)
		return false;
	for (p = s; p < end; p++) {
		unsigned int d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned int)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned int)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned int)(*p - 'A' + 10);
		else
			return false;
		if (v > (UINT64_MAX - d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + d;
	}
	*val = v;
	return true;
}

static void line(const char *s, const char *end, struct vmcoreinfo *out)
{
	const char *eq = memchr(s, '=', (size_t)(end - s));
	size_t klen;
	uint64_t v;

	if (!eq)
		return;
	klen = (size_t)(eq - s);
	eq++;
#define KEY(k) (klen == sizeof(k) - 1 && !memcmp(s, k, klen))
	if (KEY("OSRELEASE")) {
		size_t n = (size_t)(end - eq) < sizeof(out->osrelease) - 1 ? (size_t)(end - eq)
									     : sizeof(out->osrelease) - 1;

		memcpy(out->osrelease, eq, n);
		out->osrelease[n] = '\0';
	} else if (KEY("PAGESIZE") && number(eq, end, 10, &v)) {
		out->page_size = v;
	} else if (KEY("KERNELOFFSET") && number(eq, end, 16, &v)) {
		out->kaslr_offset = v;
		out->has_kaslr = true;
	} else if (KEY("NUMBER(kimage_voffset)") && number(eq, end, 16, &v)) {
		out->kimage_voffset = v;
		out->has_kimage_voffset = true;
	} else if (KEY("NUMBER(PHYS_OFFSET)") && number(eq, end, 16, &v)) {
		out->phys_offset = v;
		out->has_phys_offset = true;
	} else if (KEY("NUMBER(VA_BITS)") && number(eq, end, 10, &v) && v <= 64) {
		out->va_bits = (unsigned int)v;
	} else if (KEY("SYMBOL(_stext)") && number(eq, end, 16, &v)) {
		out->stext = v;
	}
#undef KEY
}

int vmcoreinfo_parse(const char *buf, size_t len, struct vmcoreinfo *out)
{
	const char *p = buf, *end;

	memset(out, 0, sizeof(*out));
	if (len > VMCOREINFO_MAX)
		len = VMCOREINFO_MAX;
	end = memchr(buf, '\0', len);
	if (!end)
		end = buf + len;
	out->len = (size_t)(end - buf);
	if (out->len < sizeof(MAGIC) - 1 || memcmp(buf, MAGIC, sizeof(MAGIC) - 1))
		return -EINVAL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;

		line(p, e, out);
		p = e + 1;
	}
	return out->page_size ? 0 : -EINVAL;
}

int vmcoreinfo_find(vmcoreinfo_mem_fn mem, void *ctx, gpa_t base, uint64_t size, gpa_t *pa,
		    struct vmcoreinfo *out)
{
	uint64_t off, avail;

	for (off = (PAGE - base % PAGE) % PAGE; off < size && size - off >= PAGE; off += PAGE) {
		const uint8_t *p = mem(ctx, base + off, PAGE, &avail);

		if (!p || avail < PAGE || memcmp(p, MAGIC, sizeof(MAGIC) - 1))
			continue;
		if (!vmcoreinfo_parse((const char *)p, PAGE, out)) {
			*pa = base + off;
			return 0;
		}
	}
	return -ENOENT;
}
