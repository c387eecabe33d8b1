// SPDX-License-Identifier: GPL-3.0-or-later
/* libFuzzer harness for the stage-1 page-table walker (src/arm64/ptw.c). The input is a header
 * (SCTLR_EL1, TCR_EL1, the TTBRs, a VA and a length) followed by the contents of a small fake
 * guest RAM holding the descriptors. Checks: the walker reads only 8-aligned descriptors, at
 * most one per level, and only through the callback (ASan would see any other read of the
 * exact-size RAM block); results are self-consistent, the one-entry cache agrees with a fresh
 * walk, arm64_ptw_for_range() covers exactly the range with chunks a fresh walk confirms, and
 * guest_ram_ptr() hands out only host memory inside the RAM block. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "guest_ram.h"
#include "src/arm64/ptw.h"
#include "tests/fuzz/fuzz.h"

struct hdr {
	uint64_t sctlr, tcr, ttbr0, ttbr1, va, len;
	uint8_t pa_bits, fmt_size, ram_sel, flags;
};

#define HDR_SIZE 52 /* the fields above, packed */
#define RAM_MAX 0x10000

struct ctx {
	struct guest_ram ram;
	const struct arm64_ptw *w;
	unsigned int reads;
	gva_t next_va; /* for_range: where the next chunk must start */
	unsigned int chunks, stop_at;
	uint64_t sum;
};

static int read_phys(void *opaque, gpa_t pa, uint64_t *val)
{
	struct ctx *c = opaque;
	const void *p;

	FUZZ_CHECK(pa % 8 == 0);
	c->reads++;
	p = guest_ram_ptr(&c->ram, pa, 8);
	if (!p)
		return -EFAULT;
	memcpy(val, p, 8);
	return 0;
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static void check_result(struct ctx *c, gva_t va, int ret, const struct arm64_ptw_result *res)
{
	unsigned int i;

	FUZZ_CHECK((ret == 0) == (res->fault == ARM64_PTW_OK) && (ret == 0 || ret == -EFAULT));
	FUZZ_CHECK(res->va == va && res->nsteps <= ARM64_PTW_MAX_LEVELS);
	FUZZ_CHECK(c->reads <= res->nsteps); /* one descriptor per level, no more */
	for (i = 0; i < res->nsteps; i++) {
		const struct arm64_ptw_step *s = &res->steps[i];

		FUZZ_CHECK(s->level >= res->start_level && s->level <= 3);
		FUZZ_CHECK(s->desc_addr - s->table == 8ull * s->index);
		FUZZ_CHECK(s->kind != ARM64_DESC_UNREAD || i == res->nsteps - 1);
		FUZZ_CHECK(s->kind == ARM64_DESC_UNREAD ||
			   guest_ram_contains(&c->ram, s->desc_addr, 8));
	}
	if (ret)
		return;
	FUZZ_CHECK(is_pow2(res->size) && ((res->pa ^ va) & (res->size - 1)) == 0);
	if (res->mmu_off) {
		FUZZ_CHECK(res->pa == va && res->nsteps == 0);
		return;
	}
	FUZZ_CHECK(res->size >= 4096 && res->size <= (1ull << 30) && res->pa >> 48 == 0);
	FUZZ_CHECK(res->nsteps >= 1 && res->steps[res->nsteps - 1].level == res->level);
	FUZZ_CHECK(res->steps[res->nsteps - 1].kind ==
		   (res->level == 3 ? ARM64_DESC_PAGE : ARM64_DESC_BLOCK));
}

static int translate(struct ctx *c, gva_t va, struct arm64_ptw_result *res)
{
	int ret;

	c->reads = 0;
	ret = arm64_ptw_translate(c->w, va, res);
	check_result(c, va, ret, res);
	return ret;
}

/* What debug.c does with each chunk: reach it through guest_ram_ptr() or not at all. */
static int chunk(void *opaque, gva_t va, gpa_t pa, uint64_t len)
{
	struct arm64_ptw_result res;
	struct ctx *c = opaque;
	const uint8_t *p;
	uint64_t i;

	FUZZ_CHECK(len > 0 && va == c->next_va);
	FUZZ_CHECK(translate(c, va, &res) == 0 && res.pa == pa);
	FUZZ_CHECK(translate(c, va + len - 1, &res) == 0 && res.pa == pa + len - 1);
	c->next_va = va + len;
	p = guest_ram_ptr(&c->ram, pa, len);
	if (p)
		for (i = 0; i < len; i += 512)
			c->sum += p[i] + p[len - 1];
	return ++c->chunks == c->stop_at ? 7 : 0;
}

static void for_range(struct ctx *c, const struct hdr *h)
{
	struct arm64_ptw_result fail;
	uint64_t len = h->len & 0xffffff; /* at most 4096 pages: a gdb packet is far less */
	int ret;

	if (h->len && h->va + (h->len - 1) < h->va) /* a range that wraps is refused whole */
		FUZZ_CHECK(arm64_ptw_for_range(c->w, h->va, h->len, chunk, c, NULL) == -EINVAL);
	if (h->va + len < h->va)
		len = -h->va; /* up to the top of the address space */
	c->next_va = h->va;
	c->chunks = 0;
	c->stop_at = h->flags & 3;
	ret = arm64_ptw_for_range(c->w, h->va, len, chunk, c, &fail);
	if (ret == 7)
		FUZZ_CHECK(c->chunks == c->stop_at);
	else if (ret == -EFAULT)
		FUZZ_CHECK(fail.fault != ARM64_PTW_OK && fail.va == c->next_va);
	else
		FUZZ_CHECK(ret == 0 && c->next_va == h->va + len);
}

static void format(const struct arm64_ptw_result *res, size_t small)
{
	static char buf[2048], tiny[256];
	size_t n = arm64_ptw_format(res, buf, sizeof(buf)), m;

	FUZZ_CHECK(n < sizeof(buf) && strlen(buf) == n);
	m = arm64_ptw_format(res, tiny, small);
	FUZZ_CHECK(m == n);
	FUZZ_CHECK(!small || (strlen(tiny) == (n < small ? n : small - 1) &&
			      !memcmp(tiny, buf, strlen(tiny))));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const gpa_t bases[4] = { 0, 0x40000000, 0x80000000, 0xffffffffffff0000 };
	static const unsigned int pa_bits[8] = { 0, 32, 36, 40, 42, 44, 48, 52 };
	struct arm64_ptw_result res, res2;
	struct arm64_ptw w;
	struct ctx c = { 0 };
	struct hdr h;
	gpa_t pa;

	if (size < HDR_SIZE)
		return 0;
	memcpy(&h, data, 48);
	h.pa_bits = data[48];
	h.fmt_size = data[49];
	h.ram_sel = data[50];
	h.flags = data[51];
	data += HDR_SIZE;
	size -= HDR_SIZE;
	if (size > RAM_MAX)
		size = RAM_MAX;
	c.ram.base = bases[h.ram_sel & 3];
	c.ram.size = size;
	c.ram.hva = malloc(size ? size : 1); /* exact size: ASan catches reads past it */
	FUZZ_CHECK(c.ram.hva);
	memcpy(c.ram.hva, data, size);

	arm64_ptw_init(&w,
		       &(struct arm64_ptw_regs){ .sctlr_el1 = h.sctlr,
						 .tcr_el1 = h.tcr,
						 .ttbr0_el1 = h.ttbr0,
						 .ttbr1_el1 = h.ttbr1,
						 .pa_bits = pa_bits[h.pa_bits & 7] },
		       read_phys, &c);
	c.w = &w;
	translate(&c, h.va, &res);
	format(&res, h.fmt_size);
	/* The cache answers a second VA in the same page or block as a fresh walk would. */
	if (arm64_ptw_va_to_pa(&w, h.va, &pa) == 0) {
		FUZZ_CHECK(res.fault == ARM64_PTW_OK && pa == res.pa);
		if (arm64_ptw_va_to_pa(&w, h.va ^ (h.len & 0xffff), &pa) == 0)
			FUZZ_CHECK(translate(&c, h.va ^ (h.len & 0xffff), &res2) == 0 &&
				   pa == res2.pa);
	} else {
		FUZZ_CHECK(res.fault != ARM64_PTW_OK);
	}
	for_range(&c, &h);
	free(c.ram.hva);
	return 0;
}
