// SPDX-License-Identifier: GPL-3.0-or-later
/* The debugger's view of one vCPU: its registers through the CPU-access interface, its
 * translation regime, and guest memory by virtual address as it sees it, with our software
 * breakpoints invisible. */
#include <errno.h>
#include <string.h>

#include "src/arm64/gdbregs.h"
#include "src/debugger/internal.h"

int dbg_reg(struct dbg_cpu *c, uint32_t id, uint64_t *val)
{
	uint8_t buf[16] = { 0 };
	int ret = c->d->ops->get_reg(c->d->ctx, c->id, id, buf);

	memcpy(val, buf, 8);
	return ret;
}

uint64_t dbg_reg_or0(struct dbg_cpu *c, uint32_t id)
{
	uint64_t val = 0;

	return dbg_reg(c, id, &val) ? 0 : val;
}

int dbg_set_reg(struct dbg_cpu *c, uint32_t id, uint64_t val)
{
	uint8_t buf[16] = { 0 };

	memcpy(buf, &val, 8);
	return c->d->ops->set_reg(c->d->ctx, c->id, id, buf);
}

int dbg_gdb_reg_id(struct dbg_cpu *c, unsigned int regno, uint32_t *id)
{
	uint64_t pstate = 0;
	int ret;

	if (regno == ARM64_GDB_SP && (ret = dbg_reg(c, ARM64_R_PSTATE, &pstate)))
		return ret;
	return arm64_gdb_map_reg_id(c->d->map, regno, pstate, id);
}

/* The first vCPU that is on (a powered-off one's TCR_EL1 is its reset value), else vCPU 0. */
static struct dbg_cpu *any_cpu(struct dbg *d)
{
	for (unsigned int i = 0; i < d->nr_cpus; i++)
		if (!d->ops->is_powered_off(d->ctx, i))
			return &d->cpus[i];
	return &d->cpus[0];
}

/* vg is the size of the Z registers gdb sees: the vCPU's largest vector length, which is
 * what KVM_REG_ARM64_SVE_ZREG holds whatever ZCR_EL1.LEN the guest runs with (gdb 13 sizes a
 * remote target's Z by the target description and never asks again). The PAC masks are
 * those of TCR_EL1 as it is now: a guest that has not set it up yet gets its reset value's. */
int dbg_gdb_computed_reg(struct dbg *d, struct dbg_cpu *c, const struct arm64_gdb_reg *r,
			 uint64_t *val)
{
	uint64_t tcr;
	int ret;

	if (r->kind == ARM64_GREG_VG) {
		*val = 2ull * arm64_gdb_map_features(d->map)->sve_vq;
		return 0;
	}
	if (r->kind != ARM64_GREG_PAUTH)
		return -ENOENT;
	ret = dbg_reg(c ? c : any_cpu(d), ARM64_R_TCR_EL1, &tcr);
	if (!ret)
		*val = arm64_pac_mask(tcr, r->index >= ARM64_PAUTH_DMASK_HIGH,
				      r->index == ARM64_PAUTH_CMASK ||
					      r->index == ARM64_PAUTH_CMASK_HIGH);
	return ret;
}

int dbg_get_reg64(struct dbg *d, unsigned int cpu, uint32_t id, uint64_t *val)
{
	if (cpu >= d->nr_cpus)
		return -ESRCH;
	return dbg_reg(&d->cpus[cpu], id, val);
}

int dbg_gdb_reg64(struct dbg *d, unsigned int cpu, unsigned int regno, uint64_t *val)
{
	uint32_t id;
	int ret;

	if (cpu >= d->nr_cpus)
		return -ESRCH;
	ret = dbg_gdb_reg_id(&d->cpus[cpu], regno, &id);
	return ret ? ret : dbg_reg(&d->cpus[cpu], id, val);
}

/* ------------------------------------------------------------- guest memory */

uint8_t *dbg_ram4(struct dbg *d, gpa_t pa)
{
	uint64_t avail = 0;
	uint8_t *p = d->ops->mem(d->ctx, pa, 4, &avail);

	return p && avail == 4 ? p : NULL;
}

static int read_phys(void *opaque, gpa_t pa, uint64_t *val)
{
	struct dbg *d = opaque;
	uint64_t avail = 0;
	uint8_t *p = d->ops->mem(d->ctx, pa, 8, &avail);

	if (!p || avail != 8)
		return -EFAULT;
	memcpy(val, p, 8);
	return 0;
}

int dbg_cpu_walker(struct dbg_cpu *c, struct arm64_ptw *w)
{
	static const uint32_t ids[] = { ARM64_R_SCTLR_EL1, ARM64_R_TCR_EL1, ARM64_R_TTBR0_EL1,
					ARM64_R_TTBR1_EL1 };
	struct arm64_ptw_regs r = { 0 };
	uint64_t *dst[] = { &r.sctlr_el1, &r.tcr_el1, &r.ttbr0_el1, &r.ttbr1_el1 };
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		ret = dbg_reg(c, ids[i], dst[i]);
		if (ret)
			return ret;
	}
	arm64_ptw_init(w, &r, read_phys, c->d);
	return 0;
}

int dbg_walker(struct dbg *d, unsigned int cpu, struct arm64_ptw *w)
{
	if (cpu >= d->nr_cpus)
		return -ESRCH;
	return dbg_cpu_walker(&d->cpus[cpu], w);
}

int dbg_translate(struct dbg_cpu *c, gva_t va, gpa_t *pa)
{
	struct arm64_ptw w;
	int ret = dbg_cpu_walker(c, &w);

	return ret ? ret : arm64_ptw_va_to_pa(&w, va, pa);
}

struct mem_op {
	struct dbg *d;
	uint8_t *buf;
	size_t done;
	bool write;
	bool probe; /* only check that it is RAM */
};

/* One physically contiguous piece of a virtual range: RAM only, never a device. A piece that
 * runs past the end of RAM is done up to it, and the hole reported, so that a read across
 * the end returns what lies before it. Reads see the instruction under a breakpoint, and
 * writes over one change what it will restore. */
static int mem_chunk(void *opaque, gva_t va, gpa_t pa, uint64_t len)
{
	struct mem_op *op = opaque;
	uint64_t n = 0;
	uint8_t *p = op->d->ops->mem(op->d->ctx, pa, len, &n);

	if (!p || !n)
		return -EFAULT;
	if (op->probe)
		;
	else if (op->write)
		dbg_bp_write_through(op->d, pa, p, op->buf + op->done, n);
	else
		dbg_bp_read_through(op->d, pa, p, op->buf + op->done, n);
	op->done += n;
	return n == len ? 0 : -EFAULT;
}

int dbg_mem_walk(struct dbg *d, struct arm64_ptw *w, gva_t va, void *buf, size_t len,
		 bool write)
{
	struct mem_op op = { .d = d, .buf = buf, .write = write };
	struct arm64_ptw_result fail;

	if (len == 0)
		return 0;
	if (write) {
		struct mem_op probe = { .d = d, .probe = true };

		arm64_ptw_for_range(w, va, len, mem_chunk, &probe, &fail);
		if (probe.done != len)
			return -EFAULT;
	}
	arm64_ptw_for_range(w, va, len, mem_chunk, &op, &fail);
	return op.done ? (int)op.done : -EFAULT;
}

int dbg_mem_access(struct dbg_cpu *c, gva_t va, void *buf, size_t len, bool write)
{
	struct arm64_ptw w;
	int ret;

	if (len == 0)
		return 0;
	ret = dbg_cpu_walker(c, &w);
	return ret ? ret : dbg_mem_walk(c->d, &w, va, buf, len, write);
}

int dbg_read_mem(struct dbg *d, unsigned int cpu, gva_t va, void *buf, size_t len)
{
	if (cpu >= d->nr_cpus)
		return -ESRCH;
	return dbg_mem_access(&d->cpus[cpu], va, buf, len, false);
}

size_t dbg_read_phys(struct dbg *d, gpa_t pa, void *buf, size_t len)
{
	uint64_t n = 0;
	uint8_t *p = len ? d->ops->mem(d->ctx, pa, len, &n) : NULL;

	if (!p)
		return 0;
	dbg_bp_read_through(d, pa, p, buf, n);
	return n;
}
