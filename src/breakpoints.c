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

#include "board.h"
#include "debug_internal.h"
#include "log.h"
#include "vcpu.h"

void bp_write_insn(gpa_t pa, uint32_t insn)
{
	uint8_t *p = guest_ram_ptr(&dbg.b->ram, pa, 4);

	if (!p)
		return;
	memcpy(p, &insn, 4);
	/* Clean to the point of unification and invalidate the I-cache for these bytes:
	 * the guest fetches through its own mapping of the same physical memory. */
	__builtin___clear_cache((char *)p, (char *)p + 4);
}

void bp_lift(struct swbp *bp)
{
	if (bp->hw_slot < 0)
		bp_write_insn(bp->pa, bp->orig);
}

void bp_plant(struct swbp *bp)
{
	if (bp->hw_slot < 0)
		bp_write_insn(bp->pa, A64_BRK0);
}

struct swbp *bp_find_pa(gpa_t pa)
{
	unsigned int i;

	for (i = 0; i < dbg.nr_sw; i++)
		if (dbg.sw[i].hw_slot < 0 && dbg.sw[i].pa == pa)
			return &dbg.sw[i];
	return NULL;
}

static struct swbp *find_va(gva_t va)
{
	unsigned int i;

	for (i = 0; i < dbg.nr_sw; i++)
		if (dbg.sw[i].va == va)
			return &dbg.sw[i];
	return NULL;
}

bool bp_hw_at(gva_t va)
{
	unsigned int i;

	for (i = 0; i < dbg.nr_hw_bps; i++)
		if (dbg.hwbp[i].used && dbg.hwbp[i].addr == va)
			return true;
	return false;
}

bool bp_any_sw(void)
{
	unsigned int i;

	for (i = 0; i < dbg.nr_sw; i++)
		if (dbg.sw[i].hw_slot < 0)
			return true;
	return false;
}

bool bp_any_hw(void)
{
	unsigned int i;

	for (i = 0; i < KVM_ARM_MAX_DBG_REGS; i++)
		if (dbg.hwbp[i].used || dbg.wpslot_used[i])
			return true;
	return false;
}

/* [pa, pa + len) overlaps the 4 bytes of bp at offsets: the part in common. */
static bool overlap(const struct swbp *bp, gpa_t pa, uint64_t len, uint64_t *from,
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

void bp_read_through(gpa_t pa, const uint8_t *ram, uint8_t *out, uint64_t len)
{
	uint64_t lo, hi, i;

	memcpy(out, ram, len);
	for (i = 0; i < dbg.nr_sw; i++) {
		struct swbp *bp = &dbg.sw[i];

		if (overlap(bp, pa, len, &lo, &hi))
			memcpy(out + (lo - pa), (uint8_t *)&bp->orig + (lo - bp->pa), hi - lo);
	}
}

void bp_write_through(gpa_t pa, uint8_t *ram, const uint8_t *in, uint64_t len)
{
	uint64_t lo, hi, i;

	memcpy(ram, in, len);
	for (i = 0; i < dbg.nr_sw; i++) {
		struct swbp *bp = &dbg.sw[i];

		if (!overlap(bp, pa, len, &lo, &hi))
			continue;
		/* gdb changed the instruction under the breakpoint: restore that one later. */
		memcpy((uint8_t *)&bp->orig + (lo - bp->pa), in + (lo - pa), hi - lo);
		bp_plant(bp);
	}
	__builtin___clear_cache((char *)ram, (char *)ram + len);
}

static void changed(void)
{
	unsigned int i;

	for (i = 0; i < dbg.b->vm.nr_vcpus; i++)
		dbg.b->vm.vcpus[i].dbg.applied_valid = false;
}

static int hw_slot_alloc(gva_t addr)
{
	uint64_t bcr, bvr;
	unsigned int i;

	if (arm64_bp_encode(addr, &bcr, &bvr))
		return -EINVAL;
	for (i = 0; i < dbg.nr_hw_bps; i++) {
		if (dbg.hwbp[i].used)
			continue;
		dbg.hwbp[i].used = true;
		dbg.hwbp[i].addr = addr;
		dbg.arch.dbg_bcr[i] = bcr;
		dbg.arch.dbg_bvr[i] = bvr;
		changed();
		return (int)i;
	}
	return -ENOSPC;
}

static void hw_slot_free(unsigned int i)
{
	dbg.hwbp[i].used = false;
	dbg.arch.dbg_bcr[i] = dbg.arch.dbg_bvr[i] = 0;
	changed();
}

static int sw_insert(struct vcpu *v, gva_t va)
{
	struct swbp bp = { .va = va, .hw_slot = -1 };
	uint32_t *p;
	int ret;

	if (find_va(va))
		return 0; /* gdb may insert twice; once is enough */
	if (dbg.nr_sw == dbg.cap_sw) {
		unsigned int cap = dbg.cap_sw ? 2 * dbg.cap_sw : 64;
		struct swbp *n = realloc(dbg.sw, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		dbg.sw = n;
		dbg.cap_sw = cap;
	}
	if (dbg_translate(v, va, &bp.pa) || !(p = guest_ram_ptr(&dbg.b->ram, bp.pa, 4))) {
		/* Not mapped yet (or not RAM): a hardware breakpoint matches the virtual
		 * address whenever the guest gets there. */
		ret = hw_slot_alloc(va);
		if (ret < 0)
			return ret == -ENOSPC ? -EFAULT : ret;
		bp.hw_slot = ret;
		log_warn("breakpoint at 0x%llx: address does not translate (MMU off?), "
			 "using hardware breakpoint slot %d", (unsigned long long)va, ret);
	} else {
		memcpy(&bp.orig, p, 4);
		if (bp_find_pa(bp.pa)) /* the same instruction under another alias */
			bp.orig = bp_find_pa(bp.pa)->orig;
		bp_plant(&bp);
	}
	dbg.sw[dbg.nr_sw++] = bp;
	changed();
	return 0;
}

static int sw_remove(gva_t va)
{
	struct swbp *bp = find_va(va);
	unsigned int i;

	if (!bp)
		return 0;
	if (bp->hw_slot >= 0) {
		hw_slot_free(bp->hw_slot);
	} else {
		/* Another alias of the same instruction keeps it planted. */
		for (i = 0; i < dbg.nr_sw; i++)
			if (&dbg.sw[i] != bp && dbg.sw[i].hw_slot == -1 && dbg.sw[i].pa == bp->pa)
				break;
		if (i == dbg.nr_sw)
			bp_write_insn(bp->pa, bp->orig);
	}
	*bp = dbg.sw[--dbg.nr_sw];
	changed();
	return 0;
}

static int hw_insert(gva_t va)
{
	int ret;

	if (bp_hw_at(va))
		return 0;
	ret = hw_slot_alloc(va);
	return ret < 0 ? ret : 0;
}

static int hw_remove(gva_t va)
{
	unsigned int i;

	for (i = 0; i < dbg.nr_hw_bps; i++) {
		if (dbg.hwbp[i].used && dbg.hwbp[i].addr == va && !find_va(va)) {
			hw_slot_free(i);
			break;
		}
	}
	return 0;
}

static int wp_insert(gva_t addr, uint64_t len, enum arm64_wp_kind kind)
{
	struct arm64_wp_slot slots[ARM64_HWDBG_MAX_SLOTS];
	unsigned int i, nfree = 0, n;
	struct wpreq *req = NULL;
	int ret;

	for (i = 0; i < dbg.nr_hw_wps; i++)
		nfree += !dbg.wpslot_used[i];
	for (i = 0; i < ARRAY_SIZE(dbg.wp) && !req; i++)
		if (!dbg.wp[i].used)
			req = &dbg.wp[i];
	ret = arm64_wp_plan(addr, len, kind, nfree, slots);
	if (ret < 0)
		return ret;
	if (!req || (unsigned int)ret > ARRAY_SIZE(req->slots))
		return -ENOSPC;
	*req = (struct wpreq){ .used = true, .addr = addr, .len = len, .kind = kind };
	for (n = 0, i = 0; n < (unsigned int)ret && i < dbg.nr_hw_wps; i++) {
		if (dbg.wpslot_used[i])
			continue;
		dbg.wpslot_used[i] = true;
		dbg.arch.dbg_wcr[i] = slots[n].wcr;
		dbg.arch.dbg_wvr[i] = slots[n].wvr;
		req->slots[n++] = (int)i;
	}
	req->nr_slots = n;
	changed();
	return 0;
}

static int wp_remove(gva_t addr, uint64_t len, enum arm64_wp_kind kind)
{
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(dbg.wp); i++) {
		struct wpreq *r = &dbg.wp[i];

		if (!r->used || r->addr != addr || r->len != len || r->kind != kind)
			continue;
		for (j = 0; j < r->nr_slots; j++) {
			dbg.wpslot_used[r->slots[j]] = false;
			dbg.arch.dbg_wcr[r->slots[j]] = dbg.arch.dbg_wvr[r->slots[j]] = 0;
		}
		r->used = false;
		changed();
		break;
	}
	return 0;
}

bool bp_watch_stop(gva_t far, bool is_write, struct gdb_stop *stop)
{
	struct arm64_wp_req reqs[ARRAY_SIZE(dbg.wp)];
	unsigned int map[ARRAY_SIZE(dbg.wp)], i, n = 0;
	const struct wpreq *r;
	int hit;

	for (i = 0; i < ARRAY_SIZE(dbg.wp); i++) {
		if (!dbg.wp[i].used)
			continue;
		reqs[n] = (struct arm64_wp_req){ dbg.wp[i].addr, dbg.wp[i].len, dbg.wp[i].kind };
		map[n++] = i;
	}
	hit = arm64_wp_match(reqs, n, far, is_write);
	if (hit < 0)
		return false;
	r = &dbg.wp[map[hit]];
	stop->reason = r->kind == ARM64_WP_WRITE  ? GDB_STOP_WATCH
		       : r->kind == ARM64_WP_READ ? GDB_STOP_RWATCH
						  : GDB_STOP_AWATCH;
	/* The accessed address when it lies in the watched bytes, else the watch itself:
	 * gdb looks the reported address up among its watchpoints. */
	stop->addr = (far >= r->addr && far - r->addr < r->len) ? far : r->addr;
	return true;
}

int bp_insert(void *opaque, unsigned int cpu, enum gdb_bp_type type, uint64_t addr,
	      uint64_t kind)
{
	/* A64 instructions are 4 bytes, 4-aligned: a BRK anywhere else would straddle two. */
	if ((type == GDB_BP_SW || type == GDB_BP_HW) && (kind != 4 || (addr & 3)))
		return -EINVAL;
	switch (type) {
	case GDB_BP_SW:
		return sw_insert(&dbg.b->vm.vcpus[cpu], addr);
	case GDB_BP_HW:
		return hw_insert(addr);
	case GDB_WP_WRITE:
		return wp_insert(addr, kind, ARM64_WP_WRITE);
	case GDB_WP_READ:
		return wp_insert(addr, kind, ARM64_WP_READ);
	case GDB_WP_ACCESS:
		return wp_insert(addr, kind, ARM64_WP_ACCESS);
	}
	return -ENOTSUP;
}

int bp_remove(void *opaque, unsigned int cpu, enum gdb_bp_type type, uint64_t addr,
	      uint64_t kind)
{
	switch (type) {
	case GDB_BP_SW:
		return sw_remove(addr);
	case GDB_BP_HW:
		return hw_remove(addr);
	case GDB_WP_WRITE:
		return wp_remove(addr, kind, ARM64_WP_WRITE);
	case GDB_WP_READ:
		return wp_remove(addr, kind, ARM64_WP_READ);
	case GDB_WP_ACCESS:
		return wp_remove(addr, kind, ARM64_WP_ACCESS);
	}
	return -ENOTSUP;
}

void bp_remove_all(void)
{
	unsigned int i;

	while (dbg.nr_sw)
		sw_remove(dbg.sw[dbg.nr_sw - 1].va);
	for (i = 0; i < KVM_ARM_MAX_DBG_REGS; i++) {
		dbg.hwbp[i].used = false;
		dbg.wp[i].used = false;
		dbg.wpslot_used[i] = false;
	}
	memset(&dbg.arch, 0, sizeof(dbg.arch));
	changed();
}
