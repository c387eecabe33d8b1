// SPDX-License-Identifier: GPL-3.0-or-later
/* What a vCPU thread does at KVM_EXIT_DEBUG: finish a step, run a range, step over
 * a lifted breakpoint, hand the guest's own BRKs back to it, and keep interrupts out
 * of steps.
 *
 * arm64 KVM has no BLOCKIRQ: a pending interrupt is taken before the stepped
 * instruction, and the step ends on the IRQ vector with ELR_EL1 = that instruction
 * (notes, "Single step, in detail"; seed 002). We then plant breakpoints where the
 * interrupted instruction goes next (PC + 4, a branch's targets), let the handler
 * run at full speed and return, and let the instruction run; when the vCPU arrives
 * at one of those points in the same context (exception level, stack pointer and
 * TTBR0, so a nested or recursive arrival does not count), the step is done. One
 * exit per interrupt, not two, so even an interrupt rate close to the cost of an
 * exit cannot keep a step from finishing. Where the next PC cannot be known (an
 * ERET, an exception-generating instruction), the breakpoint goes on the
 * interrupted instruction itself and it is stepped again once the handler is back.
 * The guest loses no interrupt and its own interrupt mask is never touched.
 *
 * Everything here runs while the other vCPUs are held, or touches only this vCPU. */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "board.h"
#include "debug_internal.h"
#include "log.h"
#include "src/arm64/esr.h"
#include "src/arm64/gdbregs.h"
#include "src/arm64/insn.h"
#include "vcpu.h"

#define EL_MODE(pstate) ((pstate) & ARM64_PSTATE_M_MASK)

static int regno(const char *name)
{
	return arm64_gdb_reg_by_name(name);
}

static uint64_t reg(struct vcpu *v, const char *name)
{
	uint64_t val = 0;

	dbg_reg64(v, (unsigned int)regno(name), &val);
	return val;
}

static uint64_t pc_of(struct vcpu *v)
{
	uint64_t pc = 0;

	dbg_reg64(v, ARM64_GDB_PC, &pc);
	return pc;
}

/* ---------------------------------------------------------- KVM's settings */

static uint32_t control_for(struct vcpu *v)
{
	struct vcpu_debug *d = &v->dbg;
	uint32_t ctl = 0;

	if (!dbg.attached)
		return 0;
	if (bp_any_sw() || d->phase == PHASE_CATCH || d->phase == PHASE_CATCH_OVER)
		ctl |= KVM_GUESTDBG_USE_SW_BP;
	if ((bp_any_hw() && !d->lift_hw) || d->phase == PHASE_RANGE)
		ctl |= KVM_GUESTDBG_USE_HW;
	if (d->phase == PHASE_OVER || d->phase == PHASE_CATCH_OVER ||
	    d->phase == PHASE_RANGE_OVER || (d->phase == PHASE_NONE && d->mode != DBG_RUN))
		ctl |= KVM_GUESTDBG_SINGLESTEP;
	/* Nothing asked for: debug entirely off, so the guest's own debug works. */
	return ctl ? ctl | KVM_GUESTDBG_ENABLE : 0;
}

int dbg_apply(struct vcpu *v)
{
	struct vcpu_debug *d = &v->dbg;
	struct kvm_guest_debug want;
	uint64_t bcr, bvr;

	memset(&want, 0, sizeof(want));
	want.control = control_for(v);
	if (want.control & KVM_GUESTDBG_USE_HW)
		want.arch = dbg.arch;
	if (d->phase == PHASE_RANGE && !arm64_bp_encode(d->range_bp, &bcr, &bvr)) {
		want.arch.dbg_bcr[d->range_slot] = bcr;
		want.arch.dbg_bvr[d->range_slot] = bvr;
	}
	if (d->applied_valid && !memcmp(&want, &d->applied, sizeof(want)))
		return 0;
	if (ioctl(v->fd, KVM_SET_GUEST_DEBUG, &want) < 0)
		return -errno;
	d->applied = want;
	d->applied_valid = true;
	return 0;
}

/* --------------------------------------------------------------- stepping */

static void range_run(struct vcpu *v, uint64_t pc);

static struct swbp *sw_at(struct vcpu *v, uint64_t pc, gpa_t *pa)
{
	if (dbg_translate(v, pc, pa))
		return NULL;
	return bp_find_pa(*pa);
}

bool step_needs_over(struct vcpu *v, uint64_t pc)
{
	return v->dbg.hit_valid && v->dbg.hit_pc == pc;
}

/* The first instruction of a resume, at the vCPU's PC: with our breakpoint or
 * watchpoint there lifted for that one instruction. */
void step_begin(struct vcpu *v)
{
	struct vcpu_debug *d = &v->dbg;
	uint64_t pc = pc_of(v);
	struct swbp *bp;
	gpa_t pa;

	d->step_pc = pc;
	d->phase = PHASE_NONE;
	d->lift_hw = d->step_lift_hw = false;
	d->over_valid = false;
	if (!step_needs_over(v, pc))
		goto out;
	d->phase = PHASE_OVER;
	bp = sw_at(v, pc, &pa);
	if (bp) {
		bp_lift(bp);
		d->over_pa = pa;
		d->over_valid = true;
	}
	d->lift_hw = bp_hw_at(pc) || d->hit_watch;
	d->step_lift_hw = d->lift_hw;
out:
	d->hit_valid = false;
	range_run(v, pc);
}

static void end_over(struct vcpu *v)
{
	struct vcpu_debug *d = &v->dbg;
	struct swbp *bp;

	if (d->over_valid && (bp = bp_find_pa(d->over_pa)))
		bp_plant(bp);
	d->over_valid = false;
	d->lift_hw = false;
	d->phase = PHASE_NONE;
}

static void end_catch(struct vcpu *v)
{
	struct vcpu_debug *d = &v->dbg;
	unsigned int i;

	for (i = 0; i < d->nr_catch; i++) {
		struct dbg_catch_point *c = &d->catch[i];

		/* In PHASE_CATCH_OVER that one's original is back in place already. */
		if (c->wrote && !(d->phase == PHASE_CATCH_OVER && i == d->catch_over))
			bp_write_insn(c->pa, c->orig);
	}
	d->nr_catch = 0;
	d->phase = PHASE_NONE;
	end_over(v); /* a breakpoint of gdb's at the interrupted instruction goes back */
}

void step_abort(struct vcpu *v)
{
	struct vcpu_debug *d = &v->dbg;

	if (d->phase == PHASE_CATCH || d->phase == PHASE_CATCH_OVER)
		end_catch(v);
	else if (d->phase == PHASE_OVER)
		end_over(v);
	d->phase = PHASE_NONE;
	d->resume_others = false;
}

static bool stop(struct vcpu *v, enum gdb_stop_reason reason, uint64_t pc, uint64_t addr)
{
	struct vcpu_debug *d = &v->dbg;

	step_abort(v);
	d->hit_valid = reason == GDB_STOP_SWBREAK || reason == GDB_STOP_HWBREAK ||
		       reason == GDB_STOP_WATCH || reason == GDB_STOP_RWATCH ||
		       reason == GDB_STOP_AWATCH;
	d->hit_watch = d->hit_valid && (reason != GDB_STOP_SWBREAK && reason != GDB_STOP_HWBREAK);
	d->hit_pc = pc;
	d->stop = (struct gdb_stop){ .reason = reason, .cpu = v->id, .addr = addr };
	d->stop_pc = pc;
	d->stop_seq = __atomic_add_fetch(&dbg.stop_seq, 1, __ATOMIC_RELAXED);
	d->has_stop = true;
	return false;
}

/* The current stack pointer of a context whose PSTATE mode is mode. */
static uint64_t sp_of(struct vcpu *v, uint64_t mode)
{
	return reg(v, mode == ARM64_PSTATE_EL1h ? "SP_EL1" : "SP_EL0");
}

/* Did the step just taken end on an interrupt vector instead of executing step_pc?
 * Cheap test first: vector entries are 0x80-aligned and a step that ran its
 * instruction lands elsewhere in all but the rarest cases. */
static bool interrupted(struct vcpu *v, uint64_t pc)
{
	if ((pc & 0x7f) || pc == v->dbg.step_pc + 4)
		return false;
	return arm64_pc_in_async_vector(reg(v, "VBAR_EL1"), pc) &&
	       reg(v, "ELR_EL1") == v->dbg.step_pc;
}

/* Where the instruction at pc goes next: up to two places, or none if it cannot be
 * known before it runs. */
static unsigned int next_pcs(struct vcpu *v, uint64_t pc, uint32_t insn, uint64_t *next)
{
	struct arm64_insn in;
	uint64_t target;

	arm64_insn_decode(insn, pc, &in);
	switch (in.cls) {
	case ARM64_INSN_BRANCH_DIRECT:
		next[0] = in.target;
		next[1] = pc + 4;
		return (in.flags & ARM64_INSN_F_COND) && in.target != pc + 4 ? 2 : 1;
	case ARM64_INSN_BRANCH_INDIRECT:
		if ((in.flags & ARM64_INSN_F_PAC) || dbg_reg64(v, in.reg, &target))
			return 0; /* an authenticated target is only known once checked */
		next[0] = target;
		return 1;
	case ARM64_INSN_EXCEPTION_GEN:
		if (strcmp(in.name, "hvc"))
			return 0;
		/* KVM answers HVC (PSCI) itself and returns after it. */
		/* fallthrough */
	case ARM64_INSN_SEQUENTIAL:
	case ARM64_INSN_WAIT:
	case ARM64_INSN_SYSREG:
	case ARM64_INSN_EXCLUSIVE:
		next[0] = pc + 4;
		return 1;
	default:
		return 0;
	}
}

static int plant_catch(struct vcpu *v, uint64_t va)
{
	struct vcpu_debug *d = &v->dbg;
	struct dbg_catch_point *c = &d->catch[d->nr_catch];
	uint8_t *p;

	if (dbg_translate(v, va, &c->pa) || !(p = guest_ram_ptr(&dbg.b->ram, c->pa, 4)))
		return -EFAULT;
	c->va = va;
	memcpy(&c->orig, p, 4);
	c->wrote = c->orig != A64_BRK0; /* one of gdb's may be there already */
	if (c->wrote)
		bp_write_insn(c->pa, A64_BRK0);
	d->nr_catch++;
	return 0;
}

/* An interrupt came before step_pc ran: catch the vCPU after the handler. */
static bool start_catch(struct vcpu *v)
{
	struct vcpu_debug *d = &v->dbg;
	uint64_t mode = EL_MODE(reg(v, "SPSR_EL1")), next[2];
	unsigned int i, n = 0;
	uint32_t insn;
	struct swbp *bp;
	gpa_t pa;

	d->catch_el = mode;
	d->catch_sp = sp_of(v, mode);
	d->catch_ttbr0 = reg(v, "TTBR0_EL1");
	d->nr_catch = 0;
	if (dbg_read_mem(v, d->step_pc, &insn, 4) == 4)
		n = next_pcs(v, d->step_pc, insn, next);
	d->catch_at_insn = n == 0;
	d->catch_any_sp = n && arm64_insn_writes_sp(insn);
	if (d->catch_at_insn)
		next[n++] = d->step_pc;
	for (i = 0; i < n; i++) {
		if (plant_catch(v, next[i])) {
			end_catch(v);
			return false; /* cannot plant: report the step where it ended */
		}
	}
	/* The instruction must run when the handler returns: a breakpoint of gdb's on
	 * it stays lifted meanwhile. */
	if (!d->catch_at_insn && (bp = sw_at(v, d->step_pc, &pa))) {
		bp_lift(bp);
		d->over_pa = pa;
		d->over_valid = true;
	}
	if (!d->catch_at_insn)
		d->lift_hw = d->step_lift_hw; /* nor may a hardware one or a watch fire there */
	d->phase = PHASE_CATCH;
	return true;
}

/* Is the vCPU, stopped at one of its catch points, back in the interrupted context? */
static bool same_context(struct vcpu *v)
{
	struct vcpu_debug *d = &v->dbg;
	uint64_t mode;

	dbg_reg64(v, ARM64_GDB_CPSR, &mode);
	mode = EL_MODE(mode);
	return mode == d->catch_el && (d->catch_any_sp || sp_of(v, mode) == d->catch_sp) &&
	       reg(v, "TTBR0_EL1") == d->catch_ttbr0;
}

/* The context the vCPU runs in now, for same_context() to recognise. */
static void save_context(struct vcpu *v, bool any_sp)
{
	struct vcpu_debug *d = &v->dbg;
	uint64_t mode;

	dbg_reg64(v, ARM64_GDB_CPSR, &mode);
	d->catch_el = EL_MODE(mode);
	d->catch_sp = sp_of(v, d->catch_el);
	d->catch_ttbr0 = reg(v, "TTBR0_EL1");
	d->catch_any_sp = any_sp;
}

#define RANGE_RUN_MAX 64 /* instructions looked at for one full-speed run */

/* Range stepping without an exit per instruction, as LLDB's step plans do: when the
 * instructions from pc on are sequential up to a branch (or the range's end), run to that
 * point at full speed behind a hardware breakpoint in a slot gdb leaves free, and
 * single-step only the branch. What traps on the way (MMIO, an interrupt) is handled as in
 * any run, and the breakpoint counts only in the context it was set in (an interrupt
 * handler may run the same code). No free slot, `step-irq on` (the user wants to see the
 * handlers) or a branch at pc: single steps, as before. */
static void range_run(struct vcpu *v, uint64_t pc)
{
	struct vcpu_debug *d = &v->dbg;
	uint32_t insns[RANGE_RUN_MAX];
	bool any_sp = false;
	size_t n, k, i;
	int got;

	if (d->mode != DBG_RANGE || d->phase != PHASE_NONE || dbg.step_irq || (pc & 3) ||
	    pc < d->range_start || pc >= d->range_end)
		return;
	for (i = 0; i < dbg.nr_hw_bps && dbg.hwbp[i].used; i++)
		;
	if (i == dbg.nr_hw_bps)
		return;
	d->range_slot = (unsigned int)i;
	n = (d->range_end - pc) / 4 < RANGE_RUN_MAX ? (d->range_end - pc) / 4 : RANGE_RUN_MAX;
	got = dbg_read_mem(v, pc, insns, n * 4); /* gdb's BRKs read as what they hide */
	if (got < 4)
		return;
	n = (size_t)got / 4;
	k = arm64_insn_next_branch(insns, n);
	if (k == 0)
		return;
	for (i = 0; i < k; i++)
		any_sp |= arm64_insn_writes_sp(insns[i]);
	save_context(v, any_sp);
	d->range_bp = pc + 4 * k;
	d->phase = PHASE_RANGE;
}

/* A step is done at pc (not interrupted): what the mode asks for next. */
static bool step_done(struct vcpu *v, uint64_t pc)
{
	struct vcpu_debug *d = &v->dbg;

	switch (d->mode) {
	case DBG_RUN: /* that was the step over a breakpoint before a continue */
		if (d->resume_others) {
			d->resume_others = false;
			vcpu_resume_others(v);
		} else if (d->notify_done) {
			d->notify_done = false;
			d->over_done = true;
			return false;
		}
		return true;
	case DBG_RANGE:
		if (pc >= d->range_start && pc < d->range_end) {
			d->step_pc = pc;
			range_run(v, pc);
			return true;
		}
		return stop(v, GDB_STOP_TRAP, pc, 0);
	default:
		return stop(v, GDB_STOP_TRAP, pc, 0);
	}
}

static bool on_step(struct vcpu *v, uint64_t pc)
{
	struct vcpu_debug *d = &v->dbg;

	if (d->phase == PHASE_CATCH_OVER) {
		/* A catch point met in another context was stepped over: plant it again. */
		bp_write_insn(d->catch[d->catch_over].pa, A64_BRK0);
		d->phase = PHASE_CATCH;
		return true;
	}
	if (d->phase == PHASE_RANGE_OVER) {
		d->phase = PHASE_RANGE; /* past range_bp in the other context: arm it again */
		return true;
	}
	if (d->phase == PHASE_OVER)
		end_over(v);
	if (!dbg.step_irq && interrupted(v, pc) && start_catch(v))
		return true;
	return step_done(v, pc);
}

/* ------------------------------------------------- the guest's own exceptions */

/* Deliver the debug exception KVM gave us to the guest's EL1, as the hardware would
 * have without a debugger (notes, "To hand an exception back to the guest"). */
static int inject(struct vcpu *v, uint64_t esr, uint64_t far)
{
	struct arm64_exc_in in = {
		.pc = pc_of(v),
		.vbar_el1 = reg(v, "VBAR_EL1"),
		.sctlr_el1 = reg(v, "SCTLR_EL1"),
		.esr = esr,
		.far = far,
	};
	struct arm64_exc_out out;
	int ret;

	dbg_reg64(v, ARM64_GDB_CPSR, &in.pstate);
	ret = arm64_exc_enter_el1(&in, &out);
	if (ret)
		return ret;
	ret = dbg_set_reg64(v, (unsigned int)regno("ELR_EL1"), out.elr_el1);
	if (!ret)
		ret = dbg_set_reg64(v, (unsigned int)regno("SPSR_EL1"), out.spsr_el1);
	if (!ret)
		ret = dbg_set_reg64(v, (unsigned int)regno("ESR_EL1"), out.esr_el1);
	if (!ret && out.far_valid)
		ret = dbg_set_reg64(v, (unsigned int)regno("FAR_EL1"), out.far_el1);
	if (!ret)
		ret = dbg_set_reg64(v, ARM64_GDB_CPSR, out.pstate);
	if (!ret)
		ret = dbg_set_reg64(v, ARM64_GDB_PC, out.pc);
	return ret;
}

static bool on_guest_brk(struct vcpu *v, uint64_t pc, uint64_t esr)
{
	struct vcpu_debug *d = &v->dbg;
	bool was_stepping = d->phase == PHASE_OVER || (d->phase == PHASE_NONE && d->mode != DBG_RUN);

	if (inject(v, esr, 0)) {
		log_err("cpu%u: cannot hand BRK at 0x%llx back to the guest", v->id,
			(unsigned long long)pc);
		return stop(v, GDB_STOP_TRAP, pc, 0);
	}
	if (!was_stepping)
		return true;
	/* The stepped instruction was the guest's BRK: the step ends on its vector. */
	if (d->phase == PHASE_OVER)
		end_over(v);
	return step_done(v, pc_of(v));
}

static bool on_catch_point(struct vcpu *v, uint64_t pc, unsigned int i, struct swbp *bp)
{
	struct vcpu_debug *d = &v->dbg;
	bool at_insn = d->catch_at_insn;

	if (same_context(v)) {
		end_catch(v);
		if (!at_insn)
			return step_done(v, pc); /* the interrupted instruction has run */
		step_begin(v); /* back before it: step it now */
		return true;
	}
	if (bp && !d->catch[i].wrote)
		return stop(v, GDB_STOP_SWBREAK, pc, 0); /* gdb's own, met by the handler */
	/* Ours, reached in another context: run the original there once. */
	bp_write_insn(d->catch[i].pa, d->catch[i].orig);
	d->catch_over = i;
	d->phase = PHASE_CATCH_OVER;
	return true;
}

static bool on_brk(struct vcpu *v, uint64_t pc, uint64_t esr)
{
	struct vcpu_debug *d = &v->dbg;
	struct swbp *bp;
	unsigned int i;
	gpa_t pa = 0;

	if (d->phase == PHASE_OVER && d->over_valid && pc == d->step_pc)
		return on_guest_brk(v, pc, esr); /* our breakpoint sat on the guest's BRK */
	bp = sw_at(v, pc, &pa);
	if (d->phase == PHASE_CATCH)
		for (i = 0; i < d->nr_catch; i++)
			if (d->catch[i].va == pc)
				return on_catch_point(v, pc, i, bp);
	if (bp)
		return stop(v, GDB_STOP_SWBREAK, pc, 0);
	return on_guest_brk(v, pc, esr);
}

/* The vCPU met range_bp: in its own context the run is done (step the branch, or stop if
 * that was the range's end); in another, run that one instruction and keep waiting. */
static bool on_range_bp(struct vcpu *v, uint64_t pc)
{
	struct vcpu_debug *d = &v->dbg;

	if (!same_context(v)) {
		d->phase = PHASE_RANGE_OVER;
		return true;
	}
	d->phase = PHASE_NONE;
	return step_done(v, pc);
}

static bool on_hw_breakpoint(struct vcpu *v, uint64_t pc)
{
	unsigned int i;

	if (v->dbg.phase == PHASE_RANGE && pc == v->dbg.range_bp && !bp_hw_at(pc))
		return on_range_bp(v, pc);
	if (!bp_hw_at(pc))
		return stop(v, GDB_STOP_TRAP, pc, 0);
	/* A Z0 that fell back to a hardware slot is still a software breakpoint to gdb. */
	for (i = 0; i < dbg.nr_sw; i++)
		if (dbg.sw[i].va == pc && dbg.sw[i].hw_slot >= 0)
			return stop(v, GDB_STOP_SWBREAK, pc, 0);
	return stop(v, GDB_STOP_HWBREAK, pc, 0);
}

static bool on_watchpoint(struct vcpu *v, uint64_t pc, uint64_t esr, uint64_t far)
{
	struct gdb_stop st = { 0 };

	if (!bp_watch_stop(far, arm64_esr_is_write(esr), &st))
		return stop(v, GDB_STOP_TRAP, pc, 0);
	return stop(v, st.reason, pc, st.addr);
}

bool dbg_handle_exit(struct vcpu *v)
{
	uint64_t esr = v->run->debug.arch.hsr;
	uint64_t pc = pc_of(v);

	switch (arm64_esr_ec(esr)) {
	case ARM64_EC_SOFTSTP_LOW:
	case ARM64_EC_SOFTSTP_CUR:
		return on_step(v, pc);
	case ARM64_EC_BRK64:
		return on_brk(v, pc, esr);
	case ARM64_EC_BREAKPT_LOW:
	case ARM64_EC_BREAKPT_CUR:
		return on_hw_breakpoint(v, pc);
	case ARM64_EC_WATCHPT_LOW:
	case ARM64_EC_WATCHPT_CUR:
		return on_watchpoint(v, pc, esr, v->run->debug.arch.far);
	}
	return stop(v, GDB_STOP_TRAP, pc, 0);
}
