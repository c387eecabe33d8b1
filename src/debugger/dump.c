// SPDX-License-Identifier: GPL-3.0-or-later
/* The whole machine in an ELF core file (dump-guest-memory): guest RAM, every vCPU's
 * registers, and for a Linux guest what crash and drgn need to read it: the kernel's own
 * VMCOREINFO text, the pid of the task each CPU runs, and segments for the kernel's virtual
 * mappings. src/dump/elfcore.c writes the file; this gathers what goes in, with every vCPU
 * paused.
 *
 * RAM goes out from guest memory itself (no copy): our BRKs (gdb's breakpoints, a step's
 * catch points) are taken out for the time of the write and put back after, so the file
 * holds the guest's own instructions, as reads from gdb see them. A vCPU with SVE has its
 * Z, P and FFR registers in an NT_ARM_SVE note as well (NT_FPREGSET's V being their low
 * halves). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "src/arm64/gdbregs.h"
#include "src/arm64/regs.h"
#include "src/debugger/internal.h"
#include "src/dump/elfcore.h"
#include "src/linux/vmcoreinfo.h"

struct lifted {
	gpa_t pa;
	uint32_t brk; /* what was there: put back after the dump */
};

struct brks {
	struct lifted *v;
	unsigned int n, cap;
};

/* Not dbg_bp_lift()/dbg_bp_plant(): a breakpoint may be out of memory already (stepped over,
 * a catch point on top of it), so what goes back is what was there, not a BRK. */
static int lift_one(struct dbg *d, struct brks *b, gpa_t pa, uint32_t orig)
{
	uint8_t *p = dbg_ram4(d, pa);
	uint32_t now;

	if (!p)
		return 0;
	memcpy(&now, p, 4);
	if (now == orig)
		return 0;
	if (b->n == b->cap) {
		unsigned int cap = b->cap ? 2 * b->cap : 16;
		struct lifted *v = realloc(b->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n++] = (struct lifted){ .pa = pa, .brk = now };
	dbg_write_insn(d, pa, orig);
	return 0;
}

/* Put back what lift_all() took out, the last first (one address may be in both lists). */
static void plant_all(struct dbg *d, struct brks *b)
{
	while (b->n) {
		b->n--;
		dbg_write_insn(d, b->v[b->n].pa, b->v[b->n].brk);
	}
	free(b->v);
}

static int lift_all(struct dbg *d, struct brks *b)
{
	unsigned int i, j;
	int ret = 0;

	for (i = 0; i < d->nr_sw && !ret; i++)
		if (d->sw[i].hw_slot < 0)
			ret = lift_one(d, b, d->sw[i].pa, d->sw[i].orig);
	for (i = 0; i < d->nr_cpus && !ret; i++) {
		const struct dbg_cpu *c = &d->cpus[i];

		for (j = 0; j < c->step.nr_catch && !ret; j++)
			if (c->step.catch[j].wrote)
				ret = lift_one(d, b, c->step.catch[j].pa, c->step.catch[j].orig);
	}
	return ret;
}

/* ---------------------------------------------------------------- registers */

static uint64_t reg(struct dbg_cpu *c, uint32_t id, int *ret)
{
	uint64_t v = 0;

	if (!*ret)
		*ret = dbg_reg(c, id, &v);
	return v;
}

static int cpu_state(struct dbg *d, unsigned int i, struct elfcore_cpu *out)
{
	struct dbg_cpu *c = &d->cpus[i];
	uint8_t v[16];
	unsigned int n;
	uint32_t sp = 0;
	int ret = 0;

	for (n = 0; n < 31; n++)
		out->regs.x[n] = reg(c, ARM64_R_X(n), &ret);
	out->regs.pc = reg(c, ARM64_R_PC, &ret);
	out->regs.pstate = reg(c, ARM64_R_PSTATE, &ret);
	/* the SP of the mode it is in, as the kernel's crash notes have it: gdb's sp */
	if (!ret)
		ret = dbg_gdb_reg_id(c, ARM64_GDB_SP, &sp);
	out->regs.sp = reg(c, sp, &ret);
	for (n = 0; n < 32 && !ret; n++) {
		ret = d->ops->get_reg(d->ctx, i, ARM64_R_V(n), v);
		memcpy(out->fp.v[n], v, 16);
	}
	out->fp.fpsr = (uint32_t)reg(c, ARM64_R_FPSR, &ret);
	out->fp.fpcr = (uint32_t)reg(c, ARM64_R_FPCR, &ret);
	return ret;
}

/* NT_ARM_SVE as PTRACE_GETREGSET gives it (arch/arm64/include/uapi/asm/ptrace.h): struct
 * user_sve_header (size, max_size: u32; vl, max_vl, flags, reserved: u16), then from
 * SVE_PT_REGS_OFFSET (16) the SVE_PT_REGS_SVE layout at vq quadwords: z0-z31, p0-p15, ffr
 * (the layout of the signal frame, <asm/sigcontext.h>, which is also KVM's for these
 * registers), FPSR and FPCR at the next 16-byte boundary, the whole rounded up to 16. vl is
 * the vCPU's largest vector length, the one the registers are given at. */
#define SVE_REGS 16u
#define SVE_FLAG_SVE 1u /* SVE_PT_REGS_SVE */

static uint32_t sve_fpsr_off(unsigned int vq)
{
	return (SVE_REGS + 32 * vq * 16 + 17 * vq * 2 + 15) & ~15u;
}

static uint32_t sve_size(unsigned int vq)
{
	return SVE_REGS + ((sve_fpsr_off(vq) + 8 - SVE_REGS + 15) & ~15u);
}

static int sve_note(struct dbg *d, unsigned int cpu, unsigned int vq,
		    const struct elfcore_fpsimd *fp, struct elfcore_cpu *out)
{
	uint32_t size = sve_size(vq), off = SVE_REGS;
	uint8_t reg[ARM64_SVE_Z_BYTES], *p = calloc(1, size);
	uint16_t vl = (uint16_t)(vq * 16), flags = SVE_FLAG_SVE;
	unsigned int n;
	int ret = 0;

	if (!p)
		return -ENOMEM;
	memcpy(p, &size, 4);
	memcpy(p + 4, &size, 4);
	memcpy(p + 8, &vl, 2);
	memcpy(p + 10, &vl, 2);
	memcpy(p + 12, &flags, 2);
	for (n = 0; n < 32 + 17 && !ret; n++) {
		uint32_t id = n < 32 ? ARM64_R_Z(n) : ARM64_R_P(n - 32),
			 len = n < 32 ? vq * 16 : vq * 2;

		ret = d->ops->get_reg(d->ctx, cpu, id, reg);
		memcpy(p + off, reg, len);
		off += len;
	}
	memcpy(p + sve_fpsr_off(vq), &fp->fpsr, 4);
	memcpy(p + sve_fpsr_off(vq) + 4, &fp->fpcr, 4);
	out->sve = p;
	out->sve_len = size;
	return ret;
}

/* ------------------------------------------------------------------ the dump */

static void kernel_mappings(const struct vmcoreinfo *vi, gpa_t img, uint64_t img_len, gpa_t base,
			    uint64_t size, struct elfcore_mapping *m, unsigned int *n)
{
	uint64_t page_offset;

	*n = 0;
	/* the linear map: __phys_to_virt(pa) = (pa - PHYS_OFFSET) | PAGE_OFFSET, PAGE_OFFSET
	 * = -(1 << VA_BITS) (arch/arm64/include/asm/memory.h) */
	if (vi->has_phys_offset && vi->va_bits >= 36 && vi->va_bits <= 52 &&
	    base - vi->phys_offset < (1ull << vi->va_bits) &&
	    size <= (1ull << vi->va_bits) - (base - vi->phys_offset) &&
	    !((-(1ull << vi->va_bits) - vi->phys_offset) % ELFCORE_PAGE)) {
		page_offset = -(1ull << vi->va_bits);
		m[(*n)++] = (struct elfcore_mapping){ .va = page_offset + (base - vi->phys_offset),
						      .pa = base,
						      .size = size };
	}
	/* the kernel image at kimage_voffset, where minivmm loaded it */
	if (vi->has_kimage_voffset && img_len && !((img + vi->kimage_voffset) % ELFCORE_PAGE))
		m[(*n)++] = (struct elfcore_mapping){ .va = img + vi->kimage_voffset,
						      .pa = img,
						      .size = img_len };
}

int dbg_dump(struct dbg *d, const struct dbg_dump_opts *o, elfcore_write_fn write, void *ctx,
	     struct dbg_dump_result *r)
{
	struct elfcore_mapping maps[2];
	struct elfcore_region ram;
	struct elfcore_desc desc;
	struct elfcore_cpu *cpus;
	int32_t *pids = NULL;
	char text[VMCOREINFO_MAX];
	struct brks brks = { 0 };
	struct vmcoreinfo vi;
	uint64_t avail = 0, img_len = 0;
	gpa_t vi_pa, img = 0;
	unsigned int i;
	int ret;

	memset(r, 0, sizeof(*r));
	memset(&desc, 0, sizeof(desc));
	if (o && o->image_end > o->image_start) {
		img = o->image_start;
		img_len = o->image_end - o->image_start;
	}
	ram.pa = d->ram_base;
	ram.size = d->ram_size;
	ram.host = d->ops->mem(d->ctx, d->ram_base, d->ram_size, &avail);
	if (!ram.host || avail != d->ram_size)
		return -EFAULT;
	cpus = calloc(d->nr_cpus, sizeof(*cpus));
	if (!cpus)
		return -ENOMEM;
	desc.regions = &ram;
	desc.nr_regions = 1;
	desc.cpus = cpus;
	desc.nr_cpus = d->nr_cpus;
	r->is_linux = !dbg_linux_info(d, &vi, &vi_pa);
	if (r->is_linux) {
		const uint8_t *p = d->ops->mem(d->ctx, vi_pa, vi.len, &avail);

		memcpy(r->osrelease, vi.osrelease, sizeof(r->osrelease));
		if (p && avail >= vi.len) {
			memcpy(text, p, vi.len);
			desc.vmcoreinfo = text;
			desc.vmcoreinfo_len = vi.len;
		}
		kernel_mappings(&vi, img, img_len, d->ram_base, d->ram_size, maps,
				&desc.nr_mappings);
		desc.mappings = maps;
	}
	/* pr_pid: for Linux the task on the CPU where minivmm can tell, else 0, as drgn and
	 * crash read it; for other guests the vCPU's number + 1, so that gdb shows one thread
	 * per vCPU (QEMU's numbers) */
	pids = calloc(d->nr_cpus, sizeof(*pids));
	if (!pids) {
		ret = -ENOMEM;
		goto out;
	}
	if (r->is_linux)
		r->pids_known = dbg_linux_cpu_pids(d, img, img_len, pids);
	for (i = 0; i < d->nr_cpus; i++) {
		ret = cpu_state(d, i, &cpus[i]);
		if (!ret && arm64_gdb_map_features(d->map)->sve_vq)
			ret = sve_note(d, i, arm64_gdb_map_features(d->map)->sve_vq, &cpus[i].fp,
				       &cpus[i]);
		if (ret)
			goto out;
		cpus[i].pid = r->is_linux ? pids[i] : (int32_t)i + 1;
	}
	ret = elfcore_size(&desc, &r->bytes);
	if (ret)
		goto out;
	ret = lift_all(d, &brks);
	if (!ret)
		ret = elfcore_write(&desc, write, ctx);
	plant_all(d, &brks);
	r->nr_cpus = d->nr_cpus;
	r->nr_mappings = desc.nr_mappings;
	r->vmcoreinfo = desc.vmcoreinfo != NULL;
out:
	for (i = 0; i < d->nr_cpus; i++)
		free((void *)cpus[i].sve);
	free(pids);
	free(cpus);
	return ret;
}
