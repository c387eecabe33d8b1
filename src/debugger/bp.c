// SPDX-License-Identifier: GPL-3.0-or-later
/* Breakpoints and watchpoints as gdb inserts them (Z0-Z4). Software breakpoints are
 * `brk #0` written into guest RAM at the translated address, as many as gdb likes;
 * they never take one of the few hardware slots (seed 003). Z0 on an address that
 * does not translate yet (Linux before its MMU is on) falls back to a hardware slot,
 * which matches the virtual address once the guest runs there. Hardware breakpoints
 * and watchpoints go through KVM_SET_GUEST_DEBUG's debug registers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "src/debugger/internal.h"

void dbg_write_insn(struct dbg *d, gpa_t pa, uint32_t insn)
{
	uint8_t *p = dbg_ram4(d, pa);

	if (!p)
		return;
	memcpy(p, &insn, 4);
	/* Clean to the point of unification and invalidate the I-cache for these bytes:
	 * the guest fetches through its own mapping of the same physical memory. */
	__builtin___clear_cache((char *)p, (char *)p + 4);
}

void dbg_bp_lift(struct dbg *d, struct dbg_swbp *bp)
{
	if (bp->hw_slot < 0)
		dbg_write_insn(d, bp->pa, bp->orig);
}

void dbg_bp_plant(struct dbg *d, struct dbg_swbp *bp)
{
	if (bp->hw_slot < 0)
		dbg_write_insn(d, bp->pa, A64_BRK0);
}

struct dbg_swbp *dbg_bp_find_pa(struct dbg *d, gpa_t pa)
{
	unsigned int i;

	for (i = 0; i < d->nr_sw; i++)
		if (d->sw[i].hw_slot < 0 && d->sw[i].pa == pa)
			return &d->sw[i];
	return NULL;
}

static struct dbg_swbp *find_va(struct dbg *d, gva_t va)
{
	unsigned int i;

	for (i = 0; i < d->nr_sw; i++)
		if (d->sw[i].va == va)
			return &d->sw[i];
	return NULL;
}

bool dbg_bp_hw_at(struct dbg *d, gva_t va)
{
	unsigned int i;

	for (i = 0; i < d->nr_hw_bps; i++)
		if (d->hwbp[i].used && d->hwbp[i].addr == va)
			return true;
	return false;
}

int dbg_bp_free_hw_slot(const struct dbg *d)
{
	unsigned int i;

	for (i = 0; i < d->nr_hw_bps; i++)
		if (!d->hwbp[i].used)
			return (int)i;
	return -1;
}

bool dbg_bp_any_sw(const struct dbg *d)
{
	unsigned int i;

	for (i = 0; i < d->nr_sw; i++)
		if (d->sw[i].hw_slot < 0)
			return true;
	return false;
}

bool dbg_bp_any_hw(const struct dbg *d)
{
	unsigned int i;

	for (i = 0; i < DBG_HW_SLOTS; i++)
		if (d->hwbp[i].used || d->wpslot_used[i])
			return true;
	return false;
}

/* [pa, pa + len) overlaps the 4 bytes of bp at offsets: the part in common. */
static bool overlap(const struct dbg_swbp *bp, gpa_t pa, uint64_t len, uint64_t *from,
		    uint64_t *to)
{
	uint64_t lo = bp->pa > pa ? bp->pa : pa;
	uint64_t hi = bp->pa + 4 < pa + len ? bp->pa + 4 : pa + len;

	if (bp->hw_slot >= 0 || lo >= hi)
		return false;
	*from = lo;
	*to = hi;
	return true;
}

void dbg_bp_read_through(struct dbg *d, gpa_t pa, const uint8_t *ram, uint8_t *out, uint64_t len)
{
	uint64_t lo, hi, i;

	memcpy(out, ram, len);
	for (i = 0; i < d->nr_sw; i++) {
		struct dbg_swbp *bp = &d->sw[i];

		if (overlap(bp, pa, len, &lo, &hi))
			memcpy(out + (lo - pa), (uint8_t *)&bp->orig + (lo - bp->pa), hi - lo);
	}
}

void dbg_bp_write_through(struct dbg *d, gpa_t pa, uint8_t *ram, const uint8_t *in, uint64_t len)
{
	uint64_t lo, hi, i;

	memcpy(ram, in, len);
	for (i = 0; i < d->nr_sw; i++) {
		struct dbg_swbp *bp = &d->sw[i];

		if (!overlap(bp, pa, len, &lo, &hi))
			continue;
		/* gdb changed the instruction under the breakpoint: restore that one later. */
		memcpy((uint8_t *)&bp->orig + (lo - bp->pa), in + (lo - pa), hi - lo);
		dbg_bp_plant(d, bp);
	}
	__builtin___clear_cache((char *)ram, (char *)ram + len);
}

void dbg_bp_changed(struct dbg *d)
{
	unsigned int i;

	for (i = 0; i < d->nr_cpus; i++)
		d->cpus[i].step.applied_valid = false;
}

/* The slot that matches addr already, or -1. */
static int hw_slot_at(const struct dbg *d, gva_t addr)
{
	unsigned int i;

	for (i = 0; i < d->nr_hw_bps; i++)
		if (d->hwbp[i].used && d->hwbp[i].addr == addr)
			return (int)i;
	return -1;
}

/* A slot for addr: one that matches it already (a Z1 and a Z0 that did not translate share
 * it), else a free one. */
static int hw_slot_alloc(struct dbg *d, gva_t addr)
{
	uint64_t bcr, bvr;
	int i = hw_slot_at(d, addr);

	if (i >= 0)
		return i;
	if (arm64_bp_encode(addr, &bcr, &bvr))
		return -EINVAL;
	i = dbg_bp_free_hw_slot(d);
	if (i < 0)
		return -ENOSPC;
	d->hwbp[i].used = true;
	d->hwbp[i].addr = addr;
	d->hw.bcr[i] = bcr;
	d->hw.bvr[i] = bvr;
	dbg_bp_changed(d);
	return i;
}

/* Free slot i unless a Z1 or a Z0 still holds it. */
static void hw_slot_put(struct dbg *d, unsigned int i)
{
	unsigned int j;

	if (d->hwbp[i].z1)
		return;
	for (j = 0; j < d->nr_sw; j++)
		if (d->sw[j].hw_slot == (int)i)
			return;
	d->hwbp[i].used = false;
	d->hw.bcr[i] = d->hw.bvr[i] = 0;
	dbg_bp_changed(d);
}

static int sw_room(struct dbg *d)
{
	unsigned int cap = d->cap_sw ? 2 * d->cap_sw : 64;
	struct dbg_swbp *n;

	if (d->nr_sw < d->cap_sw)
		return 0;
	n = realloc(d->sw, cap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	d->sw = n;
	d->cap_sw = cap;
	return 0;
}

static int sw_insert(struct dbg_cpu *c, gva_t va)
{
	struct dbg *d = c->d;
	struct dbg_swbp bp = { .va = va, .hw_slot = -1, .by_gdb = true }, *had = find_va(d, va);
	uint8_t *p;
	int ret;

	if (had) {
		had->by_gdb = true; /* gdb may insert twice; or it is one of ours */
		return 0;
	}
	ret = sw_room(d);
	if (ret)
		return ret;
	if (dbg_translate(c, va, &bp.pa) || !(p = dbg_ram4(d, bp.pa))) {
		/* Not mapped yet (or not RAM): a hardware breakpoint matches the virtual
		 * address whenever the guest gets there. */
		ret = hw_slot_alloc(d, va);
		if (ret < 0)
			return ret == -ENOSPC ? -EFAULT : ret;
		bp.hw_slot = ret;
		dbg_warn(d, "breakpoint at 0x%llx: address does not translate (MMU off?), "
			 "using hardware breakpoint slot %d", (unsigned long long)va, ret);
	} else {
		memcpy(&bp.orig, p, 4);
		if (dbg_bp_find_pa(d, bp.pa)) /* the same instruction under another alias */
			bp.orig = dbg_bp_find_pa(d, bp.pa)->orig;
		dbg_bp_plant(d, &bp);
	}
	d->sw[d->nr_sw++] = bp;
	dbg_bp_changed(d);
	return 0;
}

int dbg_bp_insert_own(struct dbg_cpu *c, gva_t va, uint8_t sig)
{
	struct dbg *d = c->d;
	struct dbg_swbp bp = { .va = va, .hw_slot = -1, .sig = sig }, *had = find_va(d, va);
	uint8_t *p;
	int ret;

	if (had) {
		had->sig = sig;
		return 0;
	}
	if ((va & 3) || dbg_translate(c, va, &bp.pa) || !(p = dbg_ram4(d, bp.pa)))
		return -EFAULT;
	ret = sw_room(d);
	if (ret)
		return ret;
	memcpy(&bp.orig, p, 4);
	if (dbg_bp_find_pa(d, bp.pa))
		bp.orig = dbg_bp_find_pa(d, bp.pa)->orig;
	dbg_bp_plant(d, &bp);
	d->sw[d->nr_sw++] = bp;
	dbg_bp_changed(d);
	return 0;
}

/* gdb's z0 (gdb: true) or the removal of everything: one of ours stays for gdb's z0. */
static int sw_remove(struct dbg *d, gva_t va, bool gdb)
{
	struct dbg_swbp *bp = find_va(d, va);
	unsigned int i;

	if (!bp || (gdb && !bp->by_gdb))
		return 0;
	if (gdb && bp->sig) {
		bp->by_gdb = false;
		return 0;
	}
	if (bp->hw_slot >= 0) {
		int slot = bp->hw_slot;

		*bp = d->sw[--d->nr_sw];
		hw_slot_put(d, (unsigned int)slot);
		dbg_bp_changed(d);
		return 0;
	} else {
		/* Another alias of the same instruction keeps it planted. */
		for (i = 0; i < d->nr_sw; i++)
			if (&d->sw[i] != bp && d->sw[i].hw_slot == -1 && d->sw[i].pa == bp->pa)
				break;
		if (i == d->nr_sw)
			dbg_write_insn(d, bp->pa, bp->orig);
	}
	*bp = d->sw[--d->nr_sw];
	dbg_bp_changed(d);
	return 0;
}

static int hw_insert(struct dbg *d, gva_t va)
{
	int ret = hw_slot_alloc(d, va);

	if (ret < 0)
		return ret;
	d->hwbp[ret].z1 = true;
	return 0;
}

static int hw_remove(struct dbg *d, gva_t va)
{
	int i = hw_slot_at(d, va);

	if (i >= 0 && d->hwbp[i].z1) {
		d->hwbp[i].z1 = false;
		hw_slot_put(d, (unsigned int)i);
	}
	return 0;
}

static int wp_insert(struct dbg *d, gva_t addr, uint64_t len, enum arm64_wp_kind kind)
{
	struct arm64_wp_slot slots[ARM64_HWDBG_MAX_SLOTS];
	unsigned int i, nfree = 0, n;
	struct dbg_wpreq *req = NULL;
	int ret;

	for (i = 0; i < d->nr_hw_wps; i++)
		nfree += !d->wpslot_used[i];
	for (i = 0; i < ARRAY_SIZE(d->wp) && !req; i++)
		if (!d->wp[i].used)
			req = &d->wp[i];
	ret = arm64_wp_plan(addr, len, kind, nfree, slots);
	if (ret < 0)
		return ret;
	if (!req || (unsigned int)ret > ARRAY_SIZE(req->slots))
		return -ENOSPC;
	*req = (struct dbg_wpreq){ .used = true, .addr = addr, .len = len, .kind = kind };
	for (n = 0, i = 0; n < (unsigned int)ret && i < d->nr_hw_wps; i++) {
		if (d->wpslot_used[i])
			continue;
		d->wpslot_used[i] = true;
		d->hw.wcr[i] = slots[n].wcr;
		d->hw.wvr[i] = slots[n].wvr;
		req->slots[n++] = i;
	}
	req->nr_slots = n;
	dbg_bp_changed(d);
	return 0;
}

static int wp_remove(struct dbg *d, gva_t addr, uint64_t len, enum arm64_wp_kind kind)
{
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(d->wp); i++) {
		struct dbg_wpreq *r = &d->wp[i];

		if (!r->used || r->addr != addr || r->len != len || r->kind != kind)
			continue;
		for (j = 0; j < r->nr_slots; j++) {
			d->wpslot_used[r->slots[j]] = false;
			d->hw.wcr[r->slots[j]] = d->hw.wvr[r->slots[j]] = 0;
		}
		r->used = false;
		dbg_bp_changed(d);
		break;
	}
	return 0;
}

bool dbg_bp_watch_stop(struct dbg *d, gva_t far, bool is_write, struct gdb_stop *stop)
{
	struct arm64_wp_req reqs[ARRAY_SIZE(d->wp)];
	unsigned int map[ARRAY_SIZE(d->wp)], i, n = 0;
	const struct dbg_wpreq *r;
	int hit;

	for (i = 0; i < ARRAY_SIZE(d->wp); i++) {
		if (!d->wp[i].used)
			continue;
		reqs[n] = (struct arm64_wp_req){ d->wp[i].addr, d->wp[i].len, d->wp[i].kind };
		map[n++] = i;
	}
	hit = arm64_wp_match(reqs, n, far, is_write);
	if (hit < 0)
		return false;
	r = &d->wp[map[hit]];
	stop->reason = r->kind == ARM64_WP_WRITE  ? GDB_STOP_WATCH
		       : r->kind == ARM64_WP_READ ? GDB_STOP_RWATCH
						  : GDB_STOP_AWATCH;
	/* The accessed address when it lies in the watched bytes, else the watch itself:
	 * gdb looks the reported address up among its watchpoints. */
	stop->addr = (far >= r->addr && far - r->addr < r->len) ? far : r->addr;
	return true;
}

int dbg_bp_insert(void *opaque, unsigned int cpu, enum gdb_bp_type type, uint64_t addr,
		  uint64_t kind)
{
	struct dbg *d = opaque;

	/* A64 instructions are 4 bytes, 4-aligned: a BRK anywhere else would straddle two. */
	if ((type == GDB_BP_SW || type == GDB_BP_HW) && (kind != 4 || (addr & 3)))
		return -EINVAL;
	switch (type) {
	case GDB_BP_SW:
		return sw_insert(&d->cpus[cpu], addr);
	case GDB_BP_HW:
		return hw_insert(d, addr);
	case GDB_WP_WRITE:
		return wp_insert(d, addr, kind, ARM64_WP_WRITE);
	case GDB_WP_READ:
		return wp_insert(d, addr, kind, ARM64_WP_READ);
	case GDB_WP_ACCESS:
		return wp_insert(d, addr, kind, ARM64_WP_ACCESS);
	}
	return -ENOTSUP;
}

int dbg_bp_remove(void *opaque, unsigned int cpu, enum gdb_bp_type type, uint64_t addr,
		  uint64_t kind)
{
	struct dbg *d = opaque;

	switch (type) {
	case GDB_BP_SW:
		return sw_remove(d, addr, true);
	case GDB_BP_HW:
		return hw_remove(d, addr);
	case GDB_WP_WRITE:
		return wp_remove(d, addr, kind, ARM64_WP_WRITE);
	case GDB_WP_READ:
		return wp_remove(d, addr, kind, ARM64_WP_READ);
	case GDB_WP_ACCESS:
		return wp_remove(d, addr, kind, ARM64_WP_ACCESS);
	}
	return -ENOTSUP;
}

void dbg_bp_remove_all(struct dbg *d)
{
	unsigned int i;

	while (d->nr_sw)
		sw_remove(d, d->sw[d->nr_sw - 1].va, false);
	for (i = 0; i < DBG_HW_SLOTS; i++) {
		d->hwbp[i].used = d->hwbp[i].z1 = false;
		d->wp[i].used = false;
		d->wpslot_used[i] = false;
	}
	memset(&d->hw, 0, sizeof(d->hw));
	dbg_bp_changed(d);
}

bool dbg_bp_z1_at(struct dbg *d, gva_t va)
{
	unsigned int i;

	for (i = 0; i < d->nr_hw_bps; i++)
		if (d->hwbp[i].used && d->hwbp[i].z1 && d->hwbp[i].addr == va)
			return true;
	return false;
}

bool dbg_bp_sw_in_hw(struct dbg *d, gva_t va)
{
	unsigned int i;

	for (i = 0; i < d->nr_sw; i++)
		if (d->sw[i].va == va && d->sw[i].hw_slot >= 0)
			return true;
	return false;
}
