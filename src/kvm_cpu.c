// SPDX-License-Identifier: GPL-3.0-or-later
/* The debugger's CPU-access interface over KVM. Registers go through KVM_{GET,SET}_ONE_REG
 * behind a cache per vCPU that lives until the vCPU runs again (vcpu->epoch): a stop reads
 * PC, PSTATE and a few system registers several times, and each ioctl is a trip into the
 * kernel (in the emulated test host, a slow one). SVE's registers, and with SVE the V
 * registers, go through KVM_REG_ARM64_SVE_* uncached (sve_one_reg_id()). The debug state goes
 * to KVM_SET_GUEST_DEBUG (Documentation/virt/kvm/api.rst, 4.86). Everything for a vCPU is
 * done by whoever holds it: its own thread at an exit, or the main loop while it is paused. */
#include <errno.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvm_cpu.h"
#include "src/arm64/kvm_regs.h"
#include "src/arm64/regs.h"
#include "vcpu.h"
#include "vm.h"

#define CACHE_SYS 16 /* system registers one stop reads, at most (a few in practice) */

struct regcache {
	uint64_t epoch;      /* the vCPU's epoch the values belong to */
	uint64_t valid[2];   /* core ids below ARM64_R_NR_CORE */
	uint8_t core[ARM64_R_NR_CORE][16];
	unsigned int nr_sys;
	struct {
		uint32_t id;
		uint64_t val;
	} sys[CACHE_SYS];
};

struct kvm_cpu {
	struct vm *vm;
	struct regcache *cache; /* one per vCPU */
	struct dbg_cpu_features features; /* vCPU 0's: every vCPU has the same */
};

static bool is_v(uint32_t id)
{
	return id >= ARM64_R_V(0) && id <= ARM64_R_V(31);
}

/* SVE's registers, and with SVE the V registers as the low 128 bits of Z: KVM refuses the
 * KVM_REG_ARM_CORE ids of fp_regs.vregs on a vCPU with SVE (arch/arm64/kvm/guest.c,
 * core_reg_size_from_offset: "The KVM_REG_ARM64_SVE regs must be used instead"), and takes
 * KVM_REG_ARM64_SVE_ZREG/PREG/FFR(n, 0) at 2048 and 256 bits, the vCPU's vector length of
 * them valid (the rest reads as zero and is not written; only slice 0 exists). 0: not one,
 * or no SVE. Not cached: gdb reads each with one `p`, and they are up to 256 bytes. */
static uint64_t sve_one_reg_id(const struct kvm_cpu *k, uint32_t id)
{
	if (!k->features.sve_vq || !(arm64_reg_is_sve(id) || is_v(id)))
		return 0;
	if (is_v(id))
		return KVM_REG_ARM64_SVE_ZREG(id - ARM64_R_V(0), 0);
	if (id >= ARM64_R_Z(0) && id <= ARM64_R_Z(31))
		return KVM_REG_ARM64_SVE_ZREG(id - ARM64_R_Z(0), 0);
	if (id >= ARM64_R_P(0) && id <= ARM64_R_P(15))
		return KVM_REG_ARM64_SVE_PREG(id - ARM64_R_P(0), 0);
	return KVM_REG_ARM64_SVE_FFR(0);
}

/* The ONE_REG id of an arm64 register id that is not SVE's, 0 if KVM has none. */
static uint64_t one_reg_id(uint32_t id)
{
	static const uint64_t core[] = {
		[ARM64_R_SP_EL0] = ARM64_REG_SP,	 [ARM64_R_SP_EL1] = ARM64_REG_SP_EL1,
		[ARM64_R_PC] = ARM64_REG_PC,		 [ARM64_R_PSTATE] = ARM64_REG_PSTATE,
		[ARM64_R_ELR_EL1] = ARM64_REG_ELR_EL1, [ARM64_R_SPSR_EL1] = ARM64_REG_SPSR_EL1,
	};
	struct arm64_sysreg_enc e;

	if (arm64_reg_size(id) == 0 || arm64_reg_is_sve(id))
		return 0;
	if (arm64_reg_is_sys(id)) {
		e = arm64_sysreg_kvm_enc(arm64_reg_sys_enc(id));
		return ARM64_SYS_REG(e.op0, e.op1, e.crn, e.crm, e.op2);
	}
	if (id <= 30)
		return ARM64_REG_X(id);
	if (id <= ARM64_R_SPSR_EL1)
		return core[id];
	if (id >= ARM64_R_V(0) && id <= ARM64_R_V(31))
		return ARM64_REG_V(id - ARM64_R_V(0));
	return id == ARM64_R_FPSR ? ARM64_REG_FPSR : ARM64_REG_FPCR;
}

static struct regcache *cache_of(struct kvm_cpu *k, struct vcpu *v)
{
	struct regcache *c = &k->cache[v->id];

	if (c->epoch != v->epoch) {
		c->epoch = v->epoch;
		c->valid[0] = c->valid[1] = 0;
		c->nr_sys = 0;
	}
	return c;
}

/* Where id's value is cached, or NULL if it is not (and, with add, a new place for it). */
static void *cache_slot(struct regcache *c, uint32_t id, bool add)
{
	unsigned int i;

	if (!arm64_reg_is_sys(id)) {
		if (add)
			c->valid[id / 64] |= 1ull << (id % 64);
		return (add || (c->valid[id / 64] & (1ull << (id % 64)))) ? c->core[id] : NULL;
	}
	for (i = 0; i < c->nr_sys; i++)
		if (c->sys[i].id == id)
			return &c->sys[i].val;
	if (!add || c->nr_sys == CACHE_SYS)
		return NULL;
	c->sys[c->nr_sys].id = id;
	return &c->sys[c->nr_sys++].val;
}

static struct vcpu *vcpu_of(void *ctx, unsigned int cpu)
{
	struct kvm_cpu *k = ctx;

	return cpu < k->vm->nr_vcpus ? &k->vm->vcpus[cpu] : NULL;
}

/* SVE's registers through a buffer of KVM's size for them (Z's 256 bytes hold any of them). */
static int sve_get(struct vcpu *v, uint64_t one, uint32_t id, void *val)
{
	uint8_t buf[ARM64_SVE_Z_BYTES];
	int ret = vcpu_get_reg(v, one, buf);

	if (!ret)
		memcpy(val, buf, arm64_reg_size(id));
	return ret;
}

static int sve_set(struct vcpu *v, uint64_t one, uint32_t id, const void *val)
{
	uint8_t buf[ARM64_SVE_Z_BYTES] = { 0 }; /* a V write: the rest of Z is zero */

	memcpy(buf, val, arm64_reg_size(id));
	return vcpu_set_reg(v, one, buf);
}

static int k_get_reg(void *ctx, unsigned int cpu, uint32_t id, void *val)
{
	struct vcpu *v = vcpu_of(ctx, cpu);
	uint64_t sve = sve_one_reg_id(ctx, id), one = one_reg_id(id);
	unsigned int size = arm64_reg_size(id);
	struct regcache *c;
	void *slot;
	int ret;

	if (v && sve)
		return sve_get(v, sve, id, val);
	if (!v || !one || arm64_reg_is_sve(id))
		return !v ? -ESRCH : -ENOENT;
	c = cache_of(ctx, v);
	slot = cache_slot(c, id, false);
	if (!slot) {
		uint8_t buf[16] = { 0 };

		ret = vcpu_get_reg(v, one, buf);
		if (ret)
			return ret;
		slot = cache_slot(c, id, true);
		if (slot)
			memcpy(slot, buf, size);
		memcpy(val, buf, size);
		return 0;
	}
	memcpy(val, slot, size);
	return 0;
}

/* PMUv3's system registers (op0 3, CRn 9 with CRm 12..14, or CRn 14 with CRm 8..15: Arm ARM
 * D23.x). KVM may not keep a value written to one as written: PMCNTENSET_EL0 and PMCNTENCLR_EL0
 * are one register (so are PMOVSSET/CLR and PMINTENSET/CLR), later kernels set or clear bits
 * with it (sys_regs.c, set_pmreg) and mask PMCR_EL0 (set_pmcr). */
static bool is_pmu(uint32_t id)
{
	struct arm64_sysreg_enc e = arm64_reg_sys_enc(id);

	return arm64_reg_is_sys(id) && e.op0 == 3 &&
	       ((e.crn == 9 && e.crm >= 12 && e.crm <= 14) || (e.crn == 14 && e.crm >= 8));
}

static int k_set_reg(void *ctx, unsigned int cpu, uint32_t id, const void *val)
{
	struct vcpu *v = vcpu_of(ctx, cpu);
	uint64_t sve = sve_one_reg_id(ctx, id), one = one_reg_id(id);
	struct regcache *c;
	void *slot;
	int ret;

	if (v && sve)
		return sve_set(v, sve, id, val);
	if (!v || !one || arm64_reg_is_sve(id))
		return !v ? -ESRCH : -ENOENT;
	ret = vcpu_set_reg(v, one, val);
	if (ret)
		return ret;
	c = cache_of(ctx, v);
	if (is_pmu(id)) { /* what KVM made of it, and of its other name, is read again */
		c->nr_sys = 0;
		return 0;
	}
	slot = cache_slot(c, id, true);
	if (slot)
		memcpy(slot, val, arm64_reg_size(id));
	return 0;
}

static uint8_t *k_mem(void *ctx, gpa_t pa, uint64_t len, uint64_t *avail)
{
	return vm_mem(((struct kvm_cpu *)ctx)->vm, pa, len, avail);
}

static int k_set_debug(void *ctx, unsigned int cpu, const struct dbg_hw_state *hw)
{
	struct vcpu *v = vcpu_of(ctx, cpu);
	struct kvm_guest_debug g;
	unsigned int i;

	if (!v)
		return -ESRCH;
	memset(&g, 0, sizeof(g));
	g.control = (hw->flags & DBG_HW_ENABLE ? KVM_GUESTDBG_ENABLE : 0) |
		    (hw->flags & DBG_HW_SINGLESTEP ? KVM_GUESTDBG_SINGLESTEP : 0) |
		    (hw->flags & DBG_HW_SW_BP ? KVM_GUESTDBG_USE_SW_BP : 0) |
		    (hw->flags & DBG_HW_HW ? KVM_GUESTDBG_USE_HW : 0);
	for (i = 0; i < KVM_ARM_MAX_DBG_REGS && i < DBG_HW_SLOTS; i++) {
		g.arch.dbg_bcr[i] = hw->bcr[i];
		g.arch.dbg_bvr[i] = hw->bvr[i];
		g.arch.dbg_wcr[i] = hw->wcr[i];
		g.arch.dbg_wvr[i] = hw->wvr[i];
	}
	return ioctl(v->fd, KVM_SET_GUEST_DEBUG, &g) < 0 ? -errno : 0;
}

static void k_run(void *ctx, unsigned int cpu)
{
	struct vcpu *v = vcpu_of(ctx, cpu);

	if (v)
		vcpu_resume(v);
}

static void k_pause_all(void *ctx)
{
	vcpu_pause_all(((struct kvm_cpu *)ctx)->vm);
}

static int k_wait_paused(void *ctx, unsigned int cpu, unsigned int timeout_ms)
{
	struct vcpu *v = vcpu_of(ctx, cpu);

	return v ? vcpu_wait_paused(v, timeout_ms) : -ESRCH;
}

static bool k_is_powered_off(void *ctx, unsigned int cpu)
{
	struct vcpu *v = vcpu_of(ctx, cpu);

	return v && vcpu_is_powered_off(v);
}

static void k_features(void *ctx, struct dbg_cpu_features *f)
{
	*f = ((struct kvm_cpu *)ctx)->features;
}

const struct dbg_cpu_ops kvm_cpu_ops = {
	.get_reg = k_get_reg,
	.set_reg = k_set_reg,
	.features = k_features,
	.mem = k_mem,
	.set_debug = k_set_debug,
	.run = k_run,
	.pause_all = k_pause_all,
	.wait_paused = k_wait_paused,
	.is_powered_off = k_is_powered_off,
};

struct kvm_cpu *kvm_cpu_new(struct vm *vm)
{
	struct kvm_cpu *k = calloc(1, sizeof(*k));

	if (!k)
		return NULL;
	k->vm = vm;
	k->cache = calloc(vm->nr_vcpus ? vm->nr_vcpus : 1, sizeof(*k->cache));
	if (!k->cache) {
		free(k);
		return NULL;
	}
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		k->cache[i].epoch = ~0ull; /* nothing cached yet */
	if (vm->nr_vcpus) {
		const struct vcpu *v = &vm->vcpus[0];

		if (v->init_features & (1u << KVM_ARM_VCPU_SVE))
			k->features.sve_vq = v->sve_vq;
		k->features.pauth = v->init_features & (1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS);
		k->features.pmu = v->init_features & (1u << KVM_ARM_VCPU_PMU_V3);
	}
	return k;
}

void kvm_cpu_free(struct kvm_cpu *k)
{
	if (!k)
		return;
	free(k->cache);
	free(k);
}

void kvm_cpu_debug_caps(struct vm *vm, unsigned int *nr_bps, unsigned int *nr_wps, bool *has)
{
	int bps = vm_check_extension(vm, KVM_CAP_GUEST_DEBUG_HW_BPS);
	int wps = vm_check_extension(vm, KVM_CAP_GUEST_DEBUG_HW_WPS);

	*nr_bps = bps < 0 ? 0 : bps > KVM_ARM_MAX_DBG_REGS ? KVM_ARM_MAX_DBG_REGS : (unsigned int)bps;
	*nr_wps = wps < 0 ? 0 : wps > KVM_ARM_MAX_DBG_REGS ? KVM_ARM_MAX_DBG_REGS : (unsigned int)wps;
	*has = vm_check_extension(vm, KVM_CAP_SET_GUEST_DEBUG) > 0;
}
