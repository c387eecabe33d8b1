// SPDX-License-Identifier: GPL-3.0-or-later
/* Stage-1 EL1&0 page-table walker (Arm ARM D8 "The AArch64 Virtual Memory System Architecture").
 * Owns the TCR_EL1/TTBRn_EL1 decoding, the level-by-level walk and its human-readable trace.
 * Limits (docs/arm64.md): no 52-bit (FEAT_LPA/LPA2, TCR_EL1.DS), no stage 2, no permission
 * or access-flag enforcement. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "src/arm64/ptw.h"

#define GENMASK64(h, l) ((~0ull >> (63 - (h))) & (~0ull << (l)))
#define MAX_OA_BITS 48 /* no FEAT_LPA: descriptors carry OA[47:12] only */

#define SCTLR_M (1ull << 0)
#define SCTLR_EE (1ull << 25) /* EL1&0 table walks are big-endian */

#define TCR_T0SZ(t) ((unsigned int)(t)&0x3f)
#define TCR_EPD0 (1ull << 7)
#define TCR_TG0(t) ((unsigned int)((t) >> 14) & 3)
#define TCR_T1SZ(t) ((unsigned int)((t) >> 16) & 0x3f)
#define TCR_EPD1 (1ull << 23)
#define TCR_TG1(t) ((unsigned int)((t) >> 30) & 3)
#define TCR_IPS(t) ((unsigned int)((t) >> 32) & 7)
#define TCR_TBI0 (1ull << 37)
#define TCR_TBI1 (1ull << 38)
#define TCR_HPD0 (1ull << 41)
#define TCR_HPD1 (1ull << 42)

#define DESC_VALID (1ull << 0)
#define DESC_TABLE (1ull << 1) /* at L3: page */
#define DESC_PXN_TABLE (1ull << 59)
#define DESC_UXN_TABLE (1ull << 60)
#define DESC_AP_TABLE(d) ((unsigned int)((d) >> 61) & 3)

/* TG0 and TG1 encode the granule differently (TCR_EL1 field descriptions). A reserved value
 * behaves as an IMPLEMENTATION DEFINED granule; we pick 4K, as QEMU does. */
static unsigned int tg0_shift(unsigned int tg)
{
	static const unsigned char shift[4] = { 12, 16, 14, 12 }; /* 4K, 64K, 16K, rsvd */
	return shift[tg];
}

static unsigned int tg1_shift(unsigned int tg)
{
	static const unsigned char shift[4] = { 12, 14, 12, 16 }; /* rsvd, 16K, 4K, 64K */
	return shift[tg];
}

static unsigned int ips_bits(unsigned int ips)
{
	static const unsigned char bits[8] = { 32, 36, 40, 42, 44, 48, 52, 52 };
	return bits[ips];
}

/* TxSZ below 16 needs 52-bit VAs; above 39 needs FEAT_TTST (max 48, or 47 with 64K). We honour
 * the FEAT_TTST range, since only a CPU that has it runs a guest that sets it. */
static void range_init(struct arm64_ptw_range *r, unsigned int txsz, unsigned int gs, uint64_t ttbr)
{
	unsigned int max = gs == 16 ? 47 : 48, levels;
	uint64_t table_bytes;

	if (txsz < 16)
		txsz = 16;
	if (txsz > max)
		txsz = max;
	r->va_bits = 64 - txsz;
	r->granule_shift = gs;
	r->stride = gs - 3;
	levels = (r->va_bits - gs + r->stride - 1) / r->stride;
	r->start_level = 4 - (int)levels;
	/* BADDR is TTBR[47:1] (bit 0 is CnP, [63:48] the ASID); bits below the size of the
	 * start-level table are RES0, we treat them as zero. */
	table_bytes = 8ull << (r->va_bits - gs - (levels - 1) * r->stride);
	r->base = ttbr & GENMASK64(47, 1) & ~(table_bytes - 1);
}

void arm64_ptw_init(struct arm64_ptw *w, const struct arm64_ptw_regs *regs,
		    arm64_read_phys_fn read_phys, void *opaque)
{
	uint64_t tcr = regs->tcr_el1;
	unsigned int pa_bits = regs->pa_bits ? regs->pa_bits : MAX_OA_BITS;
	unsigned int ips = ips_bits(TCR_IPS(tcr));

	memset(w, 0, sizeof(*w));
	w->read_phys = read_phys;
	w->opaque = opaque;
	w->mmu_on = regs->sctlr_el1 & SCTLR_M;
	w->big_endian = regs->sctlr_el1 & SCTLR_EE;
	if (pa_bits > MAX_OA_BITS)
		pa_bits = MAX_OA_BITS;
	/* An IPS above the implemented PA size behaves as the implemented size. */
	w->oa_bits = w->mmu_on && ips < pa_bits ? ips : pa_bits;

	range_init(&w->r[0], TCR_T0SZ(tcr), tg0_shift(TCR_TG0(tcr)), regs->ttbr0_el1);
	w->r[0].disabled = tcr & TCR_EPD0;
	w->r[0].tbi = tcr & TCR_TBI0;
	w->r[0].hpd = tcr & TCR_HPD0;
	range_init(&w->r[1], TCR_T1SZ(tcr), tg1_shift(TCR_TG1(tcr)), regs->ttbr1_el1);
	w->r[1].disabled = tcr & TCR_EPD1;
	w->r[1].tbi = tcr & TCR_TBI1;
	w->r[1].hpd = tcr & TCR_HPD1;
}

static int fail(struct arm64_ptw_result *res, enum arm64_ptw_fault fault,
		enum arm64_ptw_reason reason, int level)
{
	res->fault = fault;
	res->reason = reason;
	res->level = level;
	return -EFAULT;
}

static bool oa_out_of_range(const struct arm64_ptw *w, uint64_t addr)
{
	return w->oa_bits < 64 && (addr >> w->oa_bits) != 0;
}

/* Blocks exist at L1 and L2 with 4K, at L2 only with 16K and 64K; L0 (4K), L1 (16K) and
 * L1 (64K) blocks need 52-bit output addresses, which we don't support. */
static bool block_allowed(unsigned int gs, int level)
{
	return level == 2 || (gs == 12 && level == 1);
}

static void leaf_attrs(struct arm64_ptw_attrs *a, uint64_t desc, unsigned int ap_table,
		       bool uxn_table, bool pxn_table)
{
	a->attr_index = (desc >> 2) & 7;
	a->ap = ((desc >> 6) & 3) | ((ap_table & 2) ? 2 : 0); /* APTable[1]: read-only */
	if (ap_table & 1)                                     /* APTable[0]: no EL0 access */
		a->ap &= ~1u;
	a->sh = (desc >> 8) & 3;
	a->af = desc & (1ull << 10);
	a->ng = desc & (1ull << 11);
	a->dbm = desc & (1ull << 51);
	a->contiguous = desc & (1ull << 52);
	a->pxn = (desc & (1ull << 53)) || pxn_table;
	a->uxn = (desc & (1ull << 54)) || uxn_table;
}

static int read_desc(const struct arm64_ptw *w, gpa_t pa, uint64_t *desc)
{
	int ret = w->read_phys(w->opaque, pa, desc);

	if (!ret && w->big_endian)
		*desc = __builtin_bswap64(*desc);
	return ret;
}

static int walk(const struct arm64_ptw *w, const struct arm64_ptw_range *r, gva_t va,
		struct arm64_ptw_result *res)
{
	unsigned int ap_table = 0, gs = r->granule_shift;
	bool uxn_table = false, pxn_table = false;
	gpa_t table = r->base;

	if (oa_out_of_range(w, table))
		return fail(res, ARM64_PTW_ADDR_SIZE, ARM64_PTW_R_TTBR_OA, 0);
	for (int level = r->start_level; level <= 3; level++) {
		unsigned int shift = gs + (unsigned int)(3 - level) * r->stride;
		unsigned int bits = level == r->start_level ? r->va_bits - shift : r->stride;
		struct arm64_ptw_step *s = &res->steps[res->nsteps++];
		uint64_t desc, out;

		s->level = level;
		s->table = table;
		s->index = (va >> shift) & ((1u << bits) - 1);
		s->desc_addr = table + 8ull * s->index;
		s->kind = ARM64_DESC_UNREAD;
		res->level = level;
		if (read_desc(w, s->desc_addr, &desc))
			return fail(res, ARM64_PTW_EXTERNAL, ARM64_PTW_R_DESC_NOT_RAM, level);
		s->desc = desc;
		if (!(desc & DESC_VALID)) {
			s->kind = ARM64_DESC_INVALID;
			return fail(res, ARM64_PTW_TRANSLATION, ARM64_PTW_R_INVALID, level);
		}
		if (level < 3 && (desc & DESC_TABLE)) {
			s->kind = ARM64_DESC_TABLE;
			table = desc & GENMASK64(47, gs);
			if (oa_out_of_range(w, table))
				return fail(res, ARM64_PTW_ADDR_SIZE, ARM64_PTW_R_TABLE_OA, level);
			if (!r->hpd) {
				ap_table |= DESC_AP_TABLE(desc);
				uxn_table |= desc & DESC_UXN_TABLE;
				pxn_table |= desc & DESC_PXN_TABLE;
			}
			continue;
		}
		if (level == 3 ? !(desc & DESC_TABLE) : !block_allowed(gs, level)) {
			s->kind = ARM64_DESC_RESERVED;
			return fail(res, ARM64_PTW_TRANSLATION, ARM64_PTW_R_BAD_BLOCK, level);
		}
		s->kind = level == 3 ? ARM64_DESC_PAGE : ARM64_DESC_BLOCK;
		out = desc & GENMASK64(47, shift);
		if (oa_out_of_range(w, out))
			return fail(res, ARM64_PTW_ADDR_SIZE, ARM64_PTW_R_OUT_OA, level);
		res->size = 1ull << shift;
		res->pa = out | (va & (res->size - 1));
		leaf_attrs(&res->attrs, desc, ap_table, uxn_table, pxn_table);
		return 0;
	}
	return fail(res, ARM64_PTW_TRANSLATION, ARM64_PTW_R_INVALID, 3); /* not reached */
}

int arm64_ptw_translate(const struct arm64_ptw *w, gva_t va, struct arm64_ptw_result *res)
{
	const struct arm64_ptw_range *r;
	unsigned int sel = (va >> 55) & 1; /* VA[55] picks the TTBR, with or without TBI */
	uint64_t mask;

	memset(res, 0, sizeof(*res));
	res->va = va;
	res->ttbr = -1;
	if (!w->mmu_on) {
		res->mmu_off = true;
		res->size = 1ull << w->oa_bits;
		res->pa = va;
		if (oa_out_of_range(w, va))
			return fail(res, ARM64_PTW_ADDR_SIZE, ARM64_PTW_R_OUT_OA, 0);
		return 0;
	}
	r = &w->r[sel];
	/* VA[top:va_bits] must be all zeros (TTBR0) or all ones (TTBR1); top is 55 when the top
	 * byte is ignored (TBIx; a debugger's access is a data access, so TBIDx doesn't apply). */
	mask = GENMASK64(r->tbi ? 55 : 63, r->va_bits);
	if ((va & mask) != (sel ? mask : 0))
		return fail(res, ARM64_PTW_TRANSLATION, ARM64_PTW_R_VA_RANGE, 0);
	res->ttbr = (int)sel;
	res->granule_shift = r->granule_shift;
	res->va_bits = r->va_bits;
	res->start_level = r->start_level;
	if (r->disabled)
		return fail(res, ARM64_PTW_TRANSLATION, ARM64_PTW_R_EPD, 0);
	return walk(w, r, va, res);
}

int arm64_ptw_va_to_pa(struct arm64_ptw *w, gva_t va, gpa_t *pa)
{
	struct arm64_ptw_result res;

	if (w->cache_valid && va - w->cache_va < w->cache_size) {
		*pa = w->cache_pa + (va - w->cache_va);
		return 0;
	}
	if (arm64_ptw_translate(w, va, &res))
		return -EFAULT;
	w->cache_valid = true;
	w->cache_size = res.size;
	w->cache_va = va & ~(res.size - 1);
	w->cache_pa = res.pa & ~(res.size - 1);
	*pa = res.pa;
	return 0;
}

int arm64_ptw_for_range(const struct arm64_ptw *w, gva_t va, uint64_t len, arm64_ptw_chunk_fn fn,
			void *opaque, struct arm64_ptw_result *fail_res)
{
	struct arm64_ptw_result res;
	gva_t chunk_va = va;
	gpa_t chunk_pa = 0;
	uint64_t chunk_len = 0, done = 0;
	int ret;

	if (len && va + (len - 1) < va)
		return -EINVAL;
	while (done < len) {
		gva_t cur = va + done;
		uint64_t piece;

		if (arm64_ptw_translate(w, cur, &res)) {
			if (fail_res)
				*fail_res = res;
			ret = chunk_len ? fn(opaque, chunk_va, chunk_pa, chunk_len) : 0;
			return ret ? ret : -EFAULT;
		}
		piece = res.size - (cur & (res.size - 1));
		if (piece > len - done)
			piece = len - done;
		if (chunk_len && chunk_pa + chunk_len == res.pa) {
			chunk_len += piece;
		} else {
			ret = chunk_len ? fn(opaque, chunk_va, chunk_pa, chunk_len) : 0;
			if (ret)
				return ret;
			chunk_va = cur;
			chunk_pa = res.pa;
			chunk_len = piece;
		}
		done += piece;
	}
	return chunk_len ? fn(opaque, chunk_va, chunk_pa, chunk_len) : 0;
}

const char *arm64_ptw_fault_name(enum arm64_ptw_fault fault)
{
	switch (fault) {
	case ARM64_PTW_OK:
		return "ok";
	case ARM64_PTW_TRANSLATION:
		return "translation fault";
	case ARM64_PTW_ADDR_SIZE:
		return "address size fault";
	case ARM64_PTW_EXTERNAL:
		return "external abort on walk";
	}
	return "?";
}

const char *arm64_ptw_reason_name(enum arm64_ptw_reason reason)
{
	static const char *const names[] = {
		[ARM64_PTW_R_NONE] = "",
		[ARM64_PTW_R_VA_RANGE] = "VA in neither the TTBR0 nor the TTBR1 range",
		[ARM64_PTW_R_EPD] = "walks disabled by TCR_EL1.EPDx",
		[ARM64_PTW_R_INVALID] = "invalid descriptor",
		[ARM64_PTW_R_BAD_BLOCK] = "block descriptor not allowed at this level",
		[ARM64_PTW_R_TTBR_OA] = "TTBR base address above the output size",
		[ARM64_PTW_R_TABLE_OA] = "table address above the output size",
		[ARM64_PTW_R_OUT_OA] = "output address above the output size",
		[ARM64_PTW_R_DESC_NOT_RAM] = "descriptor address outside guest RAM",
	};
	return (unsigned int)reason < sizeof(names) / sizeof(names[0]) ? names[reason] : "?";
}

const char *arm64_ptw_desc_kind_name(enum arm64_ptw_desc_kind kind)
{
	static const char *const names[] = {
		[ARM64_DESC_INVALID] = "invalid",   [ARM64_DESC_TABLE] = "table",
		[ARM64_DESC_BLOCK] = "block",       [ARM64_DESC_PAGE] = "page",
		[ARM64_DESC_RESERVED] = "reserved", [ARM64_DESC_UNREAD] = "not in RAM",
	};
	return (unsigned int)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

/* snprintf into buf at *off, tracking the length needed even when buf is too small. */
__attribute__((format(printf, 4, 5))) static void put(char *buf, size_t size, size_t *off,
						      const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(*off < size ? buf + *off : NULL, *off < size ? size - *off : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += (size_t)n;
}

static const char *size_name(uint64_t size, char *tmp, size_t len)
{
	if (size >= 1ull << 30)
		snprintf(tmp, len, "%" PRIu64 "G", size >> 30);
	else if (size >= 1ull << 20)
		snprintf(tmp, len, "%" PRIu64 "M", size >> 20);
	else
		snprintf(tmp, len, "%" PRIu64 "K", size >> 10);
	return tmp;
}

size_t arm64_ptw_format(const struct arm64_ptw_result *res, char *buf, size_t size)
{
	const struct arm64_ptw_attrs *a = &res->attrs;
	size_t off = 0;
	char tmp[16];

	if (size)
		buf[0] = '\0';
	put(buf, size, &off, "VA 0x%016" PRIx64, res->va);
	if (res->mmu_off)
		put(buf, size, &off, ": MMU off (SCTLR_EL1.M=0), identity\n");
	else if (res->ttbr >= 0)
		put(buf, size, &off, ": TTBR%d_EL1, %s granule, %u-bit VA, start level %d\n",
		    res->ttbr, size_name(1ull << res->granule_shift, tmp, sizeof(tmp)),
		    res->va_bits, res->start_level);
	else
		put(buf, size, &off, "\n");
	for (unsigned int i = 0; i < res->nsteps; i++) {
		const struct arm64_ptw_step *s = &res->steps[i];

		put(buf, size, &off,
		    "  L%d table 0x%" PRIx64 " index %u: desc at 0x%" PRIx64 " = 0x%016" PRIx64
		    " %s\n",
		    s->level, s->table, s->index, s->desc_addr, s->desc,
		    arm64_ptw_desc_kind_name(s->kind));
	}
	if (res->fault != ARM64_PTW_OK) {
		put(buf, size, &off, "  => %s at level %d: %s\n", arm64_ptw_fault_name(res->fault),
		    res->level, arm64_ptw_reason_name(res->reason));
		return off;
	}
	if (res->mmu_off) {
		put(buf, size, &off, "  => PA 0x%" PRIx64 "\n", res->pa);
		return off;
	}
	put(buf, size, &off, "  => PA 0x%" PRIx64, res->pa);
	put(buf, size, &off, " (%s %s) AttrIndx=%u AP=%u SH=%u AF=%d nG=%d UXN=%d PXN=%d%s%s\n",
	    size_name(res->size, tmp, sizeof(tmp)), res->level == 3 ? "page" : "block",
	    a->attr_index, a->ap, a->sh, a->af, a->ng, a->uxn, a->pxn,
	    a->contiguous ? " contiguous" : "", a->dbm ? " DBM" : "");
	return off;
}
