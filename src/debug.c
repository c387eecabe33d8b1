// SPDX-License-Identifier: GPL-3.0-or-later
/* The debugger's view of the machine: registers (cached per stop), guest memory by
 * virtual address, breakpoints and watchpoints, and which vCPUs run. This file is
 * the main loop's side; src/step.c is what a vCPU thread does at a debug exit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "board.h"
#include "debug.h"
#include "debug_internal.h"
#include "log.h"
#include "src/arm64/esr.h"
#include "src/arm64/gdbregs.h"
#include "src/arm64/kvm_regs.h"
#include "vcpu.h"

struct dbg dbg;

/* ------------------------------------------------------------------ registers */

static uint64_t core_reg_id(unsigned int index)
{
	switch (index) {
	case ARM64_CORE_SP_EL0:
		return ARM64_REG_SP;
	case ARM64_CORE_SP_EL1:
		return ARM64_REG_SP_EL1;
	case ARM64_CORE_ELR_EL1:
		return ARM64_REG_ELR_EL1;
	default:
		return ARM64_REG_SPSR_EL1;
	}
}

/* The ONE_REG id behind gdb register regno; sp depends on the current PSTATE. */
static int reg_id(struct vcpu *v, unsigned int regno, uint64_t *id)
{
	const struct arm64_gdb_reg *r = arm64_gdb_reg(regno);
	struct arm64_sysreg_enc e;
	uint64_t pstate;
	int ret;

	if (!r)
		return -ENOENT;
	switch (r->kind) {
	case ARM64_GREG_X:
		*id = ARM64_REG_X(r->index);
		return 0;
	case ARM64_GREG_SP:
		ret = dbg_reg64(v, ARM64_GDB_CPSR, &pstate);
		if (ret)
			return ret;
		*id = arm64_current_sp_is_el1(pstate) ? ARM64_REG_SP_EL1 : ARM64_REG_SP;
		return 0;
	case ARM64_GREG_PC:
		*id = ARM64_REG_PC;
		return 0;
	case ARM64_GREG_CPSR:
		*id = ARM64_REG_PSTATE;
		return 0;
	case ARM64_GREG_V:
		*id = ARM64_REG_V(r->index);
		return 0;
	case ARM64_GREG_FPSR:
		*id = ARM64_REG_FPSR;
		return 0;
	case ARM64_GREG_FPCR:
		*id = ARM64_REG_FPCR;
		return 0;
	case ARM64_GREG_CORE:
		*id = core_reg_id(r->index);
		return 0;
	default:
		e = arm64_gdb_kvm_sysreg(r);
		*id = ARM64_SYS_REG(e.op0, e.op1, e.crn, e.crm, e.op2);
		return 0;
	}
}

static bool cached(struct vcpu_debug *d, unsigned int regno)
{
	return d->valid[regno / 64] & (1ull << (regno % 64));
}

/* Register regno into buf (its gdb size, little-endian), through the cache. CPSR is
 * kept as the full 64-bit PSTATE in the cache; gdb sees its low 32 bits. */
static int reg_get(struct vcpu *v, unsigned int regno, void *buf)
{
	struct vcpu_debug *d = &v->dbg;
	uint64_t id;
	int ret;

	if (regno >= DBG_NR_REGS || !arm64_gdb_reg(regno))
		return -ENOENT;
	if (!cached(d, regno)) {
		ret = reg_id(v, regno, &id);
		if (!ret)
			ret = vcpu_get_reg(v, id, d->regs[regno]);
		if (ret)
			return ret;
		d->valid[regno / 64] |= 1ull << (regno % 64);
	}
	memcpy(buf, d->regs[regno], arm64_gdb_reg(regno)->bitsize / 8);
	return 0;
}

int dbg_reg64(struct vcpu *v, unsigned int regno, uint64_t *val)
{
	uint8_t buf[16] = { 0 };
	struct vcpu_debug *d = &v->dbg;
	int ret;

	if (regno == ARM64_GDB_CPSR) { /* the whole PSTATE, not gdb's 32 bits */
		ret = reg_get(v, regno, buf);
		memcpy(val, d->regs[regno], 8);
		return ret;
	}
	ret = reg_get(v, regno, buf);
	memcpy(val, buf, 8);
	return ret;
}

int dbg_set_reg64(struct vcpu *v, unsigned int regno, uint64_t val)
{
	struct vcpu_debug *d = &v->dbg;
	uint64_t id;
	int ret = reg_id(v, regno, &id);

	if (!ret)
		ret = vcpu_set_reg(v, id, &val);
	if (ret)
		return ret;
	memset(d->regs[regno], 0, sizeof(d->regs[regno]));
	memcpy(d->regs[regno], &val, 8);
	d->valid[regno / 64] |= 1ull << (regno % 64);
	if (regno == ARM64_GDB_CPSR) /* which SP is current may have changed */
		d->valid[ARM64_GDB_SP / 64] &= ~(1ull << (ARM64_GDB_SP % 64));
	return 0;
}

static int t_reg_size(void *opaque, unsigned int regno)
{
	const struct arm64_gdb_reg *r = arm64_gdb_reg(regno);

	return r ? r->bitsize / 8 : -ENOENT;
}

static int t_read_reg(void *opaque, unsigned int cpu, unsigned int regno, void *buf)
{
	return reg_get(&dbg.b->vm.vcpus[cpu], regno, buf);
}

static int t_write_reg(void *opaque, unsigned int cpu, unsigned int regno, const void *buf)
{
	const struct arm64_gdb_reg *r = arm64_gdb_reg(regno);
	struct vcpu *v = &dbg.b->vm.vcpus[cpu];
	uint8_t val[16] = { 0 };
	uint64_t pstate, id;
	int ret;

	if (!r)
		return -ENOENT;
	if (r->readonly)
		return -EPERM;
	memcpy(val, buf, r->bitsize / 8);
	if (r->kind == ARM64_GREG_CPSR) {
		/* gdb has 32 bits of PSTATE: keep the upper half as it is. */
		ret = dbg_reg64(v, ARM64_GDB_CPSR, &pstate);
		if (ret)
			return ret;
		pstate = (pstate & ~0xffffffffull) | *(uint32_t *)val;
		return dbg_set_reg64(v, regno, pstate);
	}
	ret = reg_id(v, regno, &id);
	if (!ret)
		ret = vcpu_set_reg(v, id, val);
	if (ret)
		return ret;
	memcpy(v->dbg.regs[regno], val, sizeof(val));
	v->dbg.valid[regno / 64] |= 1ull << (regno % 64);
	return 0;
}

/* --------------------------------------------------------------- guest memory */

static int read_phys(void *opaque, gpa_t pa, uint64_t *val)
{
	void *p = guest_ram_ptr(&dbg.b->ram, pa, 8);

	if (!p)
		return -EFAULT;
	memcpy(val, p, 8);
	return 0;
}

/* The translation regime of vCPU v as it stands. */
int dbg_walker(struct vcpu *v, struct arm64_ptw *w)
{
	static const char *const names[] = { "SCTLR_EL1", "TCR_EL1", "TTBR0_EL1", "TTBR1_EL1" };
	struct arm64_ptw_regs r = { 0 };
	uint64_t *dst[] = { &r.sctlr_el1, &r.tcr_el1, &r.ttbr0_el1, &r.ttbr1_el1 };
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		ret = dbg_reg64(v, arm64_gdb_reg_by_name(names[i]), dst[i]);
		if (ret)
			return ret;
	}
	arm64_ptw_init(w, &r, read_phys, NULL);
	return 0;
}

int dbg_translate(struct vcpu *v, gva_t va, gpa_t *pa)
{
	struct arm64_ptw w;
	int ret = dbg_walker(v, &w);

	return ret ? ret : arm64_ptw_va_to_pa(&w, va, pa);
}

struct mem_op {
	uint8_t *buf;
	size_t done;
	bool write;
	bool probe; /* only check that it is RAM */
};

/* One physically contiguous piece of a virtual range: RAM only, never a device.
 * A piece that runs past the end of RAM is done up to it, and the hole reported, so
 * that a read across the end returns what lies before it. Software breakpoints stay
 * invisible: reads see the original instruction, and writes over one change what it
 * will restore. */
static int mem_chunk(void *opaque, gva_t va, gpa_t pa, uint64_t len)
{
	struct mem_op *op = opaque;
	const struct guest_ram *ram = &dbg.b->ram;
	uint64_t n = len;
	uint8_t *p;

	if (!guest_ram_contains(ram, pa, len) && pa >= ram->base && pa - ram->base < ram->size)
		n = ram->size - (pa - ram->base);
	p = guest_ram_ptr(ram, pa, n);
	if (!p)
		return -EFAULT;
	if (op->probe)
		;
	else if (op->write)
		bp_write_through(pa, p, op->buf + op->done, n);
	else
		bp_read_through(pa, p, op->buf + op->done, n);
	op->done += n;
	return n == len ? 0 : -EFAULT;
}

/* Copy between buf and the guest's virtual [va, va + len) as v sees it; returns the
 * bytes done before the first hole (none: -EFAULT). Writes are all or nothing. */
static int mem_access(struct vcpu *v, gva_t va, void *buf, size_t len, bool write)
{
	struct mem_op op = { .buf = buf, .write = write };
	struct arm64_ptw_result fail;
	struct arm64_ptw w;
	int ret;

	if (len == 0)
		return 0;
	ret = dbg_walker(v, &w);
	if (ret)
		return ret;
	if (write) {
		struct mem_op probe = { .probe = true };

		arm64_ptw_for_range(&w, va, len, mem_chunk, &probe, &fail);
		if (probe.done != len)
			return -EFAULT;
	}
	arm64_ptw_for_range(&w, va, len, mem_chunk, &op, &fail);
	return op.done ? (int)op.done : -EFAULT;
}

int dbg_read_mem(struct vcpu *v, gva_t va, void *buf, size_t len)
{
	return mem_access(v, va, buf, len, false);
}

static int t_read_mem(void *opaque, unsigned int cpu, uint64_t addr, void *buf, size_t len)
{
	return mem_access(&dbg.b->vm.vcpus[cpu], addr, buf, len, false);
}

static int t_write_mem(void *opaque, unsigned int cpu, uint64_t addr, const void *buf,
		       size_t len)
{
	int ret = mem_access(&dbg.b->vm.vcpus[cpu], addr, (void *)buf, len, true);

	return ret < 0 ? ret : 0;
}

/* ----------------------------------------------------------- threads = vCPUs */

static unsigned int t_cpu_count(void *opaque)
{
	return dbg.b->vm.nr_vcpus;
}

static int t_cpu_describe(void *opaque, unsigned int cpu, char *buf, size_t cap)
{
	struct vcpu *v = &dbg.b->vm.vcpus[cpu];
	uint64_t pstate = 0;
	static const char *const mode[16] = { [0] = "EL0t", [4] = "EL1t", [5] = "EL1h" };
	const char *m;

	dbg_reg64(v, ARM64_GDB_CPSR, &pstate);
	m = (pstate & 0x10) ? "AArch32" : mode[pstate & 0xf];
	return snprintf(buf, cap, "CPU#%u [%s] %s", cpu, vcpu_is_powered_off(v) ? "powered off"
					 : "stopped", m ? m : "?");
}

static const char *t_xml(void *opaque, const char *annex, size_t *len)
{
	return arm64_gdb_xml(annex, len);
}

static const unsigned int expedite[] = { 29, 30, ARM64_GDB_SP, ARM64_GDB_PC, ARM64_GDB_CPSR };

const struct gdb_target_ops dbg_target_ops = {
	.g_nregs = ARM64_GDB_G_NREGS,
	.expedite = expedite,
	.nr_expedite = ARRAY_SIZE(expedite),
	.reg_size = t_reg_size,
	.read_reg = t_read_reg,
	.write_reg = t_write_reg,
	.read_mem = t_read_mem,
	.write_mem = t_write_mem,
	.cpu_count = t_cpu_count,
	.cpu_describe = t_cpu_describe,
	.resume = dbg_resume,
	.interrupt = dbg_interrupt,
	.insert_bp = bp_insert,
	.remove_bp = bp_remove,
	.detach = dbg_detach,
	.kill = dbg_kill,
	.xml = t_xml,
	.rcmd = dbg_rcmd,
};

void *dbg_target(void)
{
	return &dbg;
}

int dbg_init(struct board *b, struct loop *loop)
{
	dbg.b = b;
	dbg.loop = loop;
	dbg.nr_hw_bps = vm_check_extension(&b->vm, KVM_CAP_GUEST_DEBUG_HW_BPS);
	dbg.nr_hw_wps = vm_check_extension(&b->vm, KVM_CAP_GUEST_DEBUG_HW_WPS);
	if (dbg.nr_hw_bps > KVM_ARM_MAX_DBG_REGS)
		dbg.nr_hw_bps = KVM_ARM_MAX_DBG_REGS;
	if (dbg.nr_hw_wps > KVM_ARM_MAX_DBG_REGS)
		dbg.nr_hw_wps = KVM_ARM_MAX_DBG_REGS;
	if (!vm_check_extension(&b->vm, KVM_CAP_SET_GUEST_DEBUG))
		return -ENOTSUP;
	log_debug("KVM guest debug: %u hardware breakpoints, %u watchpoints", dbg.nr_hw_bps,
		  dbg.nr_hw_wps);
	return 0;
}
