// SPDX-License-Identifier: GPL-3.0-or-later
/* What a vCPU's thread does at a debug exit: finish a step, run a range, step over a lifted
 * breakpoint, hand the guest's own BRKs back to it, and keep interrupts out of steps.
 *
 * arm64 KVM has no BLOCKIRQ: a pending interrupt is taken before the stepped instruction, and
 * the step ends on the IRQ vector with ELR_EL1 = that instruction (notes, "Single step, in
 * detail"; seed 002). We then plant breakpoints where the interrupted instruction goes next
 * (PC + 4, a branch's targets), let the handler run at full speed and return, and let the
 * instruction run; when the vCPU arrives at one of those points in the same context
 * (exception level, stack pointer and TTBR0, so a nested or recursive arrival does not
 * count), the step is done. One exit per interrupt, not two, so even an interrupt rate close
 * to the cost of an exit cannot keep a step from finishing. Where the next PC cannot be known
 * (an ERET, an exception-generating instruction), the breakpoint goes on the interrupted
 * instruction itself and it is stepped again once the handler is back. The guest loses no
 * interrupt and its own interrupt mask is never touched.
 *
 * Everything here runs while the other vCPUs are held, or touches only this vCPU. */
#include <errno.h>
#include <string.h>

#include "src/arm64/esr.h"
#include "src/arm64/insn.h"
#include "src/debugger/internal.h"

#define EL_MODE(pstate) ((pstate) & ARM64_PSTATE_M_MASK)

static uint64_t pc_of(struct dbg_cpu *c)
{
	return dbg_reg_or0(c, ARM64_R_PC);
}

/* ------------------------------------------------------------ KVM's settings */

/* While a lone stepper's step waits for the others (run.c, release), this vCPU, one of
 * them, waits at the breakpoint gdb took out for that step. */
static bool holds(const struct dbg_cpu *c)
{
	return c->d->released && c->d->hold_va && c != c->d->lone;
}

static uint32_t flags_for(struct dbg_cpu *c)
{
	const struct dbg *d = c->d;
	enum dbg_phase ph = c->step.phase;
	uint32_t fl = 0;

	if (!d->attached)
		return 0;
	/* BRKs exit: ours, this vCPU's catch points, or those of a lone stepper it runs beside
	 * (run.c, release) */
	if (dbg_bp_any_sw(d) || ph == PHASE_CATCH || ph == PHASE_CATCH_OVER ||
	    (d->released && d->nr_lone_catch))
		fl |= DBG_HW_SW_BP;
	if ((dbg_bp_any_hw(d) && !c->step.lift_hw) || ph == PHASE_RANGE || holds(c))
		fl |= DBG_HW_HW;
	if (ph == PHASE_OVER || ph == PHASE_CATCH_OVER || ph == PHASE_RANGE_OVER ||
	    (ph == PHASE_NONE && c->plan.mode != DBG_RUN))
		fl |= DBG_HW_SINGLESTEP;
	/* Nothing asked for: debug entirely off, so the guest's own debug works. */
	return fl ? fl | DBG_HW_ENABLE : 0;
}

int dbg_before_run(struct dbg *d, unsigned int cpu)
{
	struct dbg_cpu *c = &d->cpus[cpu];
	struct dbg_hw_state want;
	uint64_t bcr, bvr;
	int ret;

	memset(&want, 0, sizeof(want));
	want.flags = flags_for(c);
	if (want.flags & DBG_HW_HW) {
		memcpy(want.bcr, d->hw.bcr, sizeof(want.bcr));
		memcpy(want.bvr, d->hw.bvr, sizeof(want.bvr));
		memcpy(want.wcr, d->hw.wcr, sizeof(want.wcr));
		memcpy(want.wvr, d->hw.wvr, sizeof(want.wvr));
	}
	if (c->step.phase == PHASE_RANGE && !arm64_bp_encode(c->step.range_bp, &bcr, &bvr)) {
		want.bcr[c->step.range_slot] = bcr;
		want.bvr[c->step.range_slot] = bvr;
	}
	if (holds(c) && !arm64_bp_encode(d->hold_va, &bcr, &bvr)) {
		want.bcr[d->hold_slot] = bcr;
		want.bvr[d->hold_slot] = bvr;
	}
	if (c->step.applied_valid && !memcmp(&want, &c->step.applied, sizeof(want)))
		return 0;
	ret = d->ops->set_debug(d->ctx, cpu, &want);
	if (ret)
		return ret;
	c->step.applied = want;
	c->step.applied_valid = true;
	return 0;
}

/* ---------------------------------------------------------------- stepping */

static void range_run(struct dbg_cpu *c, uint64_t pc);

static struct dbg_swbp *sw_at(struct dbg_cpu *c, uint64_t pc, gpa_t *pa)
{
	if (dbg_translate(c, pc, pa))
		return NULL;
	return dbg_bp_find_pa(c->d, *pa);
}

bool dbg_step_needs_over(const struct dbg_cpu *c, uint64_t pc)
{
	return c->stop.hit_valid && c->stop.hit_pc == pc;
}

static bool start_catch(struct dbg_cpu *c, uint64_t mode, bool due);

/* Will the vCPU take an interrupt before the instruction at its PC? Its virtual timer has
 * fired, unmasked, and PSTATE lets IRQs in (CNTV_CTL_EL0: ENABLE, IMASK, ISTATUS; KVM
 * computes ISTATUS when read). Then a single step would only end on the IRQ vector, and
 * the catch points that finish it there (start_catch) can as well be planted now: one run
 * instead of two. Should the interrupt not come after all (the GIC masks it), the
 * instruction runs and the same catch point ends the step. */
static bool irq_due(struct dbg_cpu *c)
{
	uint64_t ctl;

	if (dbg_step_irq(c->d) || (dbg_reg_or0(c, ARM64_R_PSTATE) & ARM64_PSTATE_I))
		return false;
	if (dbg_reg(c, ARM64_R_CNTV_CTL_EL0, &ctl))
		return false;
	return (ctl & (ARM64_CNT_CTL_ENABLE | ARM64_CNT_CTL_IMASK | ARM64_CNT_CTL_ISTATUS)) ==
	       (ARM64_CNT_CTL_ENABLE | ARM64_CNT_CTL_ISTATUS);
}

static void end_over(struct dbg_cpu *c)
{
	struct dbg_swbp *bp;

	if (c->step.over_valid && (bp = dbg_bp_find_pa(c->d, c->step.over_pa)))
		dbg_bp_plant(c->d, bp);
	c->step.over_valid = false;
	c->step.lift_hw = false;
	c->step.phase = PHASE_NONE;
}

/* One instruction at pc with our breakpoint or watchpoint there lifted. */
static void begin_over(struct dbg_cpu *c, uint64_t pc, bool hit_watch)
{
	struct dbg_swbp *bp;
	gpa_t pa;

	c->step.phase = PHASE_OVER;
	bp = sw_at(c, pc, &pa);
	if (bp) {
		dbg_bp_lift(c->d, bp);
		c->step.over_pa = pa;
		c->step.over_valid = true;
	}
	c->step.lift_hw = dbg_bp_hw_at(c->d, pc) || hit_watch;
	c->step.step_lift_hw = c->step.lift_hw;
}

void dbg_step_begin(struct dbg_cpu *c)
{
	uint64_t pc = pc_of(c);
	bool over = dbg_step_needs_over(c, pc);
	gpa_t pa;

	c->step.pc = pc;
	c->step.phase = PHASE_NONE;
	c->step.lift_hw = c->step.step_lift_hw = false;
	c->step.over_valid = false;
	c->step.over_insn = over;
	if (over)
		begin_over(c, pc, c->stop.hit_watch);
	c->stop.hit_valid = false;
	range_run(c, pc);
	/* A vCPU merely paused at one of our breakpoints must meet it: no catch over it. */
	if (c->plan.mode == DBG_RUN || c->step.phase == PHASE_RANGE ||
	    (!over && (sw_at(c, pc, &pa) || dbg_bp_hw_at(c->d, pc))) || !irq_due(c))
		return;
	if (over)
		end_over(c); /* start_catch() lifts what must stay lifted */
	if (!start_catch(c, EL_MODE(dbg_reg_or0(c, ARM64_R_PSTATE)), true) && over)
		begin_over(c, pc, c->step.step_lift_hw); /* cannot plant: a single step after all */
}

static void end_catch(struct dbg_cpu *c)
{
	unsigned int i;

	for (i = 0; i < c->step.nr_catch; i++) {
		struct dbg_catch_point *p = &c->step.catch[i];

		/* In PHASE_CATCH_OVER that one's original is back in place already. */
		if (p->wrote && !(c->step.phase == PHASE_CATCH_OVER && i == c->step.catch_over))
			dbg_write_insn(c->d, p->pa, p->orig);
	}
	c->step.nr_catch = 0;
	c->step.phase = PHASE_NONE;
	end_over(c); /* a breakpoint of gdb's at the interrupted instruction goes back */
}

void dbg_step_abort(struct dbg_cpu *c)
{
	if (c->step.phase == PHASE_CATCH || c->step.phase == PHASE_CATCH_OVER)
		end_catch(c);
	else if (c->step.phase == PHASE_OVER)
		end_over(c);
	c->step.phase = PHASE_NONE;
}

static bool stop(struct dbg_cpu *c, enum gdb_stop_reason reason, uint64_t pc, uint64_t addr)
{
	bool hit = reason == GDB_STOP_SWBREAK || reason == GDB_STOP_HWBREAK ||
		   reason == GDB_STOP_WATCH || reason == GDB_STOP_RWATCH ||
		   reason == GDB_STOP_AWATCH;

	dbg_step_abort(c);
	c->stop.hit_valid = hit;
	c->stop.hit_watch = hit && reason != GDB_STOP_SWBREAK && reason != GDB_STOP_HWBREAK;
	c->stop.hit_pc = pc;
	c->stop.stop = (struct gdb_stop){ .reason = reason, .cpu = c->id, .addr = addr };
	c->stop.pc = pc;
	c->stop.seq = __atomic_add_fetch(&c->d->stop_seq, 1, __ATOMIC_RELAXED);
	c->stop.pending = true;
	return false;
}

/* The vCPU met one of our BRKs that is gdb's, or ours (linux.c: a kernel panic): either way
 * it stopped on it, and resuming steps over it first. */
static bool stop_at_bp(struct dbg_cpu *c, const struct dbg_swbp *bp, uint64_t pc)
{
	if (bp->by_gdb || !bp->sig)
		return stop(c, GDB_STOP_SWBREAK, pc, 0);
	stop(c, GDB_STOP_SIGNAL, pc, 0);
	c->stop.stop.sig = bp->sig;
	c->stop.hit_valid = true;
	return false;
}

/* The current stack pointer of a context whose PSTATE mode is mode. */
static uint64_t sp_of(struct dbg_cpu *c, uint64_t mode)
{
	return dbg_reg_or0(c, mode == ARM64_PSTATE_EL1h ? ARM64_R_SP_EL1 : ARM64_R_SP_EL0);
}

/* Did the step just taken end on an interrupt vector instead of executing step.pc? Cheap
 * test first: vector entries are 0x80-aligned and a step that ran its instruction lands
 * elsewhere in all but the rarest cases. */
static bool interrupted(struct dbg_cpu *c, uint64_t pc)
{
	if ((pc & 0x7f) || pc == c->step.pc + 4)
		return false;
	return arm64_pc_in_async_vector(dbg_reg_or0(c, ARM64_R_VBAR_EL1), pc) &&
	       dbg_reg_or0(c, ARM64_R_ELR_EL1) == c->step.pc;
}

/* Where the instruction at pc goes next: up to two places, or none if it cannot be known
 * before it runs. */
static unsigned int next_pcs(struct dbg_cpu *c, uint64_t pc, uint32_t insn, uint64_t *next)
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
		if ((in.flags & ARM64_INSN_F_PAC) || in.reg > 30 ||
		    dbg_reg(c, ARM64_R_X(in.reg), &target))
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

static int plant_catch(struct dbg_cpu *c, uint64_t va, bool sync)
{
	struct dbg_catch_point *p = &c->step.catch[c->step.nr_catch];
	uint8_t *ram;
	unsigned int i;

	for (i = 0; i < c->step.nr_catch; i++)
		if (c->step.catch[i].va == va)
			return 0; /* the sync vector is a branch's target */
	if (dbg_translate(c, va, &p->pa) || !(ram = dbg_ram4(c->d, p->pa)))
		return -EFAULT;
	p->va = va;
	p->sync = sync;
	memcpy(&p->orig, ram, 4);
	p->wrote = p->orig != A64_BRK0; /* one of gdb's may be there already */
	if (p->wrote)
		dbg_write_insn(c->d, p->pa, A64_BRK0);
	c->step.nr_catch++;
	return 0;
}

/* Where a synchronous exception of an instruction in PSTATE mode goes: VBAR_EL1 + 0x000
 * (EL1t), + 0x200 (EL1h), + 0x400 (EL0, AArch64). Arm ARM D1.10.2, "Exception vectors". */
static bool sync_vector(struct dbg_cpu *c, uint64_t mode, uint64_t *va)
{
	static const uint64_t off[] = {
		[ARM64_PSTATE_EL0t] = 0x400, [ARM64_PSTATE_EL1t] = 0x000, [ARM64_PSTATE_EL1h] = 0x200
	};
	uint64_t vbar;

	if (mode != ARM64_PSTATE_EL0t && mode != ARM64_PSTATE_EL1t && mode != ARM64_PSTATE_EL1h)
		return false;
	if (dbg_reg(c, ARM64_R_VBAR_EL1, &vbar))
		return false;
	*va = (vbar & ~0x7ffull) + off[mode];
	return true;
}

/* The context the vCPU runs in now (mode: its PSTATE's), for same_context() to recognise. */
static void save_context(struct dbg_cpu *c, uint64_t mode, bool any_sp)
{
	c->step.ctx.el = mode;
	c->step.ctx.sp = sp_of(c, mode);
	c->step.ctx.ttbr0 = dbg_reg_or0(c, ARM64_R_TTBR0_EL1);
	c->step.ctx.any_sp = any_sp;
}

/* Is the vCPU back in the saved context? */
static bool same_context(struct dbg_cpu *c)
{
	uint64_t mode = EL_MODE(dbg_reg_or0(c, ARM64_R_PSTATE));

	return mode == c->step.ctx.el && (c->step.ctx.any_sp || sp_of(c, mode) == c->step.ctx.sp) &&
	       dbg_reg_or0(c, ARM64_R_TTBR0_EL1) == c->step.ctx.ttbr0;
}

/* An interrupt came (or, with due, is due) before step.pc ran: catch the vCPU after the
 * handler, back in the context whose PSTATE mode is mode. An interrupt that is only due
 * needs the places where the instruction goes next: stopping at the instruction itself
 * would go round in circles should the interrupt not come. */
static bool start_catch(struct dbg_cpu *c, uint64_t mode, bool due)
{
	uint64_t next[2], sync;
	unsigned int i, n = 0;
	uint32_t insn = 0;
	struct dbg_swbp *bp;
	gpa_t pa;

	c->step.nr_catch = 0;
	if (dbg_mem_access(c, c->step.pc, &insn, 4, false) == 4)
		n = next_pcs(c, c->step.pc, insn, next);
	/* One of our breakpoints there that the vCPU has not hit yet: it must meet it, so the
	 * instruction is stepped again once the handler is back, not run. */
	if (!c->step.over_insn && (sw_at(c, c->step.pc, &pa) || dbg_bp_hw_at(c->d, c->step.pc)))
		n = 0;
	if (due && n == 0)
		return false;
	c->step.catch_at_insn = n == 0;
	save_context(c, mode, n && arm64_insn_writes_sp(insn));
	if (c->step.catch_at_insn)
		next[n++] = c->step.pc;
	for (i = 0; i < n; i++) {
		if (plant_catch(c, next[i], false)) {
			end_catch(c);
			return false; /* cannot plant: report the step where it ended */
		}
	}
	/* Should the instruction fault once the handler is back, the step ends on the vector
	 * of that exception, as a single step does. Without the catch there (no RAM behind
	 * VBAR), it would end after the fault's handler. */
	if (!c->step.catch_at_insn && sync_vector(c, mode, &sync))
		plant_catch(c, sync, true);
	/* The instruction must run when the handler returns: a breakpoint of gdb's on it stays
	 * lifted meanwhile, nor may a hardware one or a watch fire there. */
	if (!c->step.catch_at_insn && (bp = sw_at(c, c->step.pc, &pa))) {
		dbg_bp_lift(c->d, bp);
		c->step.over_pa = pa;
		c->step.over_valid = true;
	}
	if (!c->step.catch_at_insn)
		c->step.lift_hw = c->step.step_lift_hw;
	c->step.phase = PHASE_CATCH;
	return true;
}

#define RANGE_RUN_MAX 64 /* instructions looked at for one full-speed run */

/* Range stepping without an exit per instruction, as LLDB's step plans do: when the
 * instructions from pc on are sequential up to a branch (or the range's end), run to that
 * point at full speed behind a hardware breakpoint in a slot gdb leaves free, and single-step
 * only the branch. What traps on the way (MMIO, an interrupt) is handled as in any run, and
 * the breakpoint counts only in the context it was set in (an interrupt handler may run the
 * same code). No free slot, `step-irq on` (the user wants to see the handlers) or a branch at
 * pc: single steps, as before. */
static void range_run(struct dbg_cpu *c, uint64_t pc)
{
	const struct dbg *d = c->d;
	uint32_t insns[RANGE_RUN_MAX];
	bool any_sp = false;
	size_t n, k, i;
	int got, slot;

	if (c->plan.mode != DBG_RANGE || c->step.phase != PHASE_NONE || dbg_step_irq(d) ||
	    (pc & 3) || pc < c->plan.range_start || pc >= c->plan.range_end)
		return;
	slot = dbg_bp_free_hw_slot(d);
	if (slot < 0)
		return;
	c->step.range_slot = (unsigned int)slot;
	n = (c->plan.range_end - pc) / 4 < RANGE_RUN_MAX ? (c->plan.range_end - pc) / 4
							  : RANGE_RUN_MAX;
	got = dbg_mem_access(c, pc, insns, n * 4, false); /* gdb's BRKs read as what they hide */
	if (got < 4)
		return;
	n = (size_t)got / 4;
	k = arm64_insn_next_branch(insns, n);
	if (k == 0)
		return;
	for (i = 0; i < k; i++)
		any_sp |= arm64_insn_writes_sp(insns[i]);
	save_context(c, EL_MODE(dbg_reg_or0(c, ARM64_R_PSTATE)), any_sp);
	c->step.range_bp = pc + 4 * k;
	c->step.phase = PHASE_RANGE;
}

/* A step is done at pc (not interrupted): what the plan asks for next. */
static bool step_done(struct dbg_cpu *c, uint64_t pc)
{
	switch (c->plan.mode) {
	case DBG_RUN:
		/* That was the step over a breakpoint before a continue: the main loop lets the
		 * others go (or steps the next one off its breakpoint). */
		if (!c->plan.notify_done)
			return true;
		c->step.over_done = true;
		return false;
	case DBG_RANGE:
		if (pc >= c->plan.range_start && pc < c->plan.range_end) {
			/* A new instruction: nothing of ours is lifted for it. */
			c->step.pc = pc;
			c->step.over_insn = c->step.step_lift_hw = false;
			range_run(c, pc);
			return true;
		}
		return stop(c, GDB_STOP_TRAP, pc, 0);
	default:
		return stop(c, GDB_STOP_TRAP, pc, 0);
	}
}

static bool on_step(struct dbg_cpu *c, uint64_t pc)
{
	if (c->step.phase == PHASE_CATCH_OVER) {
		/* A catch point met in another context was stepped over: plant it again. */
		dbg_write_insn(c->d, c->step.catch[c->step.catch_over].pa, A64_BRK0);
		c->step.phase = PHASE_CATCH;
		return true;
	}
	if (c->step.phase == PHASE_RANGE_OVER) {
		c->step.phase = PHASE_RANGE; /* past range_bp in the other context: arm it again */
		return true;
	}
	if (c->step.phase == PHASE_OVER)
		end_over(c);
	if (!dbg_step_irq(c->d) && interrupted(c, pc) &&
	    start_catch(c, EL_MODE(dbg_reg_or0(c, ARM64_R_SPSR_EL1)), false))
		return true;
	return step_done(c, pc);
}

/* ---------------------------------------------------- the guest's own exceptions */

/* Deliver the debug exception KVM gave us to the guest's EL1, as the hardware would have
 * without a debugger (notes, "To hand an exception back to the guest"). */
static int inject(struct dbg_cpu *c, uint64_t esr, uint64_t far)
{
	struct arm64_exc_in in = {
		.pc = pc_of(c),
		.pstate = dbg_reg_or0(c, ARM64_R_PSTATE),
		.vbar_el1 = dbg_reg_or0(c, ARM64_R_VBAR_EL1),
		.sctlr_el1 = dbg_reg_or0(c, ARM64_R_SCTLR_EL1),
		.esr = esr,
		.far = far,
	};
	struct arm64_exc_out out;
	int ret;

	ret = arm64_exc_enter_el1(&in, &out);
	if (!ret)
		ret = dbg_set_reg(c, ARM64_R_ELR_EL1, out.elr_el1);
	if (!ret)
		ret = dbg_set_reg(c, ARM64_R_SPSR_EL1, out.spsr_el1);
	if (!ret)
		ret = dbg_set_reg(c, ARM64_R_ESR_EL1, out.esr_el1);
	if (!ret && out.far_valid)
		ret = dbg_set_reg(c, ARM64_R_FAR_EL1, out.far_el1);
	if (!ret)
		ret = dbg_set_reg(c, ARM64_R_PSTATE, out.pstate);
	if (!ret)
		ret = dbg_set_reg(c, ARM64_R_PC, out.pc);
	return ret;
}

static bool on_guest_brk(struct dbg_cpu *c, uint64_t pc, uint64_t esr)
{
	enum dbg_phase ph = c->step.phase;
	bool was_stepping = ph == PHASE_OVER || (ph == PHASE_NONE && c->plan.mode != DBG_RUN);

	if (inject(c, esr, 0)) {
		dbg_warn(c->d, "cpu%u: cannot hand BRK at 0x%llx back to the guest", c->id,
			 (unsigned long long)pc);
		return stop(c, GDB_STOP_TRAP, pc, 0);
	}
	if (!was_stepping)
		return true;
	/* The stepped instruction was the guest's BRK: the step ends on its vector. */
	if (ph == PHASE_OVER)
		end_over(c);
	return step_done(c, pc_of(c));
}

/* The vCPU is at the sync vector: did the interrupted instruction itself fault there, in the
 * interrupted context? (ELR_EL1 is the instruction, SPSR_EL1 that context's PSTATE; entry
 * to EL1h from EL1h keeps SP_EL1, from EL0 or EL1t SP_EL0 is untouched.) */
static bool faulted_here(struct dbg_cpu *c)
{
	uint64_t mode = EL_MODE(dbg_reg_or0(c, ARM64_R_SPSR_EL1));

	return dbg_reg_or0(c, ARM64_R_ELR_EL1) == c->step.pc && mode == c->step.ctx.el &&
	       (c->step.ctx.any_sp || sp_of(c, mode) == c->step.ctx.sp) &&
	       dbg_reg_or0(c, ARM64_R_TTBR0_EL1) == c->step.ctx.ttbr0;
}

static bool on_catch_point(struct dbg_cpu *c, uint64_t pc, unsigned int i, struct dbg_swbp *bp)
{
	bool at_insn = c->step.catch_at_insn;

	if (c->step.catch[i].sync && faulted_here(c)) {
		end_catch(c);
		return stop(c, GDB_STOP_TRAP, pc, 0); /* the step ends on the fault's vector */
	}
	if (!c->step.catch[i].sync && same_context(c)) {
		end_catch(c);
		if (!at_insn)
			return step_done(c, pc); /* the interrupted instruction has run */
		dbg_step_begin(c); /* back before it: step it now */
		return true;
	}
	if (bp && !c->step.catch[i].wrote)
		return stop_at_bp(c, bp, pc); /* gdb's own (or ours), met by the handler */
	/* Ours, reached in another context: run the original there once. */
	dbg_write_insn(c->d, c->step.catch[i].pa, c->step.catch[i].orig);
	c->step.catch_over = i;
	c->step.phase = PHASE_CATCH_OVER;
	return true;
}

static bool on_brk(struct dbg_cpu *c, uint64_t pc, uint64_t esr)
{
	struct dbg_swbp *bp;
	unsigned int i;
	gpa_t pa = 0;

	if (c->step.phase == PHASE_OVER && c->step.over_valid && pc == c->step.pc)
		return on_guest_brk(c, pc, esr); /* our breakpoint sat on the guest's BRK */
	bp = sw_at(c, pc, &pa);
	if (c->d->released && c != c->d->lone && !bp && pa)
		for (i = 0; i < c->d->nr_lone_catch; i++)
			if (c->d->lone_catch[i] == pa)
				return false; /* the lone stepper's catch point: wait here, held */
	if (c->step.phase == PHASE_CATCH)
		for (i = 0; i < c->step.nr_catch; i++)
			if (c->step.catch[i].va == pc)
				return on_catch_point(c, pc, i, bp);
	if (bp)
		return stop_at_bp(c, bp, pc);
	return on_guest_brk(c, pc, esr);
}

/* The vCPU met range_bp: in its own context the run is done (step the branch, or stop if that
 * was the range's end); in another, run that one instruction and keep waiting. */
static bool on_range_bp(struct dbg_cpu *c, uint64_t pc)
{
	if (!same_context(c)) {
		c->step.phase = PHASE_RANGE_OVER;
		return true;
	}
	c->step.phase = PHASE_NONE;
	return step_done(c, pc);
}

static bool on_hw_breakpoint(struct dbg_cpu *c, uint64_t pc)
{
	struct dbg *d = c->d;

	if (holds(c) && pc == d->hold_va && !dbg_bp_hw_at(d, pc))
		return false; /* where the lone stepper's breakpoint will be back: wait, held */
	if (c->step.phase == PHASE_RANGE && pc == c->step.range_bp && !dbg_bp_hw_at(d, pc))
		return on_range_bp(c, pc);
	if (!dbg_bp_hw_at(d, pc))
		return stop(c, GDB_STOP_TRAP, pc, 0);
	/* A Z0 that fell back to a hardware slot is still a software breakpoint to gdb. */
	return stop(c, dbg_bp_sw_in_hw(d, pc) ? GDB_STOP_SWBREAK : GDB_STOP_HWBREAK, pc, 0);
}

static bool on_watchpoint(struct dbg_cpu *c, uint64_t pc, uint64_t esr, uint64_t far)
{
	struct gdb_stop st = { 0 };

	if (!dbg_bp_watch_stop(c->d, far, arm64_esr_is_write(esr), &st))
		return stop(c, GDB_STOP_TRAP, pc, 0);
	return stop(c, st.reason, pc, st.addr);
}

bool dbg_on_exit(struct dbg *d, unsigned int cpu, uint64_t esr, uint64_t far)
{
	struct dbg_cpu *c = &d->cpus[cpu];
	uint64_t pc = pc_of(c);

	switch (arm64_esr_ec(esr)) {
	case ARM64_EC_SOFTSTP_LOW:
	case ARM64_EC_SOFTSTP_CUR:
		return on_step(c, pc);
	case ARM64_EC_BRK64:
		return on_brk(c, pc, esr);
	case ARM64_EC_BREAKPT_LOW:
	case ARM64_EC_BREAKPT_CUR:
		return on_hw_breakpoint(c, pc);
	case ARM64_EC_WATCHPT_LOW:
	case ARM64_EC_WATCHPT_CUR:
		return on_watchpoint(c, pc, esr, far);
	}
	return stop(c, GDB_STOP_TRAP, pc, 0);
}
