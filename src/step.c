// SPDX-License-Identifier: GPL-3.0-or-later
/* What a vCPU thread does at KVM_EXIT_DEBUG: finish a step, run a range, step over
 * a lifted breakpoint, hand the guest's own BRKs back to it, and keep interrupts out
 * of steps.
 *
 * arm64 KVM has no BLOCKIRQ: a pending interrupt is taken before the stepped
 * instruction, and the step ends on the IRQ vector with ELR_EL1 = that instruction
 * (notes, "Single step, in detail"; seed 002). We then plant a breakpoint on the
 * interrupted instruction, let the handler run at full speed, and when the vCPU is
 * back there in the same context (same exception level and stack pointer, so a
 * nested or recursive arrival does not count) we take the step again. The guest
 * loses no interrupt and its own interrupt mask is never touched.
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
	if (bp_any_hw() && !d->lift_hw)
		ctl |= KVM_GUESTDBG_USE_HW;
	if (d->phase == PHASE_OVER || d->phase == PHASE_CATCH_OVER ||
	    (d->phase == PHASE_NONE && d->mode != DBG_RUN))
		ctl |= KVM_GUESTDBG_SINGLESTEP;
	/* Nothing asked for: debug entirely off, so the guest's own debug works. */
	return ctl ? ctl | KVM_GUESTDBG_ENABLE : 0;
}

int dbg_apply(struct vcpu *v)
{
	struct vcpu_debug *d = &v->dbg;
	struct kvm_guest_debug want;

	memset(&want, 0, sizeof(want));
	want.control = control_for(v);
	if (want.control & KVM_GUESTDBG_USE_HW)
		want.arch = dbg.arch;
	if (d->applied_valid && !memcmp(&want, &d->applied, sizeof(want)))
		return 0;
	if (ioctl(v->fd, KVM_SET_GUEST_DEBUG, &want) < 0)
		return -errno;
	d->applied = want;
	d->applied_valid = true;
	return 0;
}

/* --------------------------------------------------------------- stepping */

static struct swbp *sw_at(struct vcpu *v, uint64_t pc, gpa_t *pa)
{
	if (dbg_translate(v, pc, pa))
		return NULL;
	return bp_find_pa(*pa);
}

bool step_needs_over(struct vcpu *v, uint64_t pc)
{
	gpa_t pa;

	return sw_at(v, pc, &pa) || bp_hw_at(pc) ||
	       (v->dbg.watch_pc_valid && v->dbg.watch_pc == pc);
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
	d->lift_hw = false;
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
	d->lift_hw = bp_hw_at(pc) || (d->watch_pc_valid && d->watch_pc == pc);
out:
	d->watch_pc_valid = false;
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

	/* In PHASE_CATCH_OVER the original is already back in place. */
	if (d->catch_wrote && d->phase == PHASE_CATCH)
		bp_write_insn(d->catch_pa, d->catch_orig);
	d->catch_wrote = false;
	d->phase = PHASE_NONE;
}

void step_abort(struct vcpu *v)
{
	struct vcpu_debug *d = &v->dbg;

	if (d->phase == PHASE_OVER)
		end_over(v);
	else if (d->phase == PHASE_CATCH || d->phase == PHASE_CATCH_OVER)
		end_catch(v);
	d->phase = PHASE_NONE;
	d->resume_others = false;
}

static bool stop(struct vcpu *v, enum gdb_stop_reason reason, uint64_t pc, uint64_t addr)
{
	struct vcpu_debug *d = &v->dbg;

	step_abort(v);
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

/* Let the handler run; catch the vCPU when it is back at step_pc. */
static bool start_catch(struct vcpu *v)
{
	struct vcpu_debug *d = &v->dbg;
	uint64_t mode = EL_MODE(reg(v, "SPSR_EL1"));
	uint8_t *p;
	gpa_t pa;

	d->catch_pc = d->step_pc;
	d->catch_el = mode;
	d->catch_sp = sp_of(v, mode);
	d->catch_wrote = false;
	if (dbg_translate(v, d->catch_pc, &pa) || !(p = guest_ram_ptr(&dbg.b->ram, pa, 4)))
		return false; /* cannot plant: report the step where it ended */
	if (!bp_find_pa(pa)) {
		memcpy(&d->catch_orig, p, 4);
		d->catch_pa = pa;
		d->catch_wrote = true;
		bp_write_insn(pa, A64_BRK0);
	}
	d->phase = PHASE_CATCH;
	return true;
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
		/* Our catch breakpoint was met in another context and stepped over. */
		bp_write_insn(d->catch_pa, A64_BRK0);
		d->phase = PHASE_CATCH;
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

static bool on_brk(struct vcpu *v, uint64_t pc, uint64_t esr)
{
	struct vcpu_debug *d = &v->dbg;
	struct swbp *bp;
	gpa_t pa = 0;
	uint64_t mode;

	if (d->phase == PHASE_OVER && d->over_valid && pc == d->step_pc)
		return on_guest_brk(v, pc, esr); /* our breakpoint sat on the guest's BRK */
	bp = sw_at(v, pc, &pa);
	if (d->phase == PHASE_CATCH && pc == d->catch_pc) {
		dbg_reg64(v, ARM64_GDB_CPSR, &mode);
		mode = EL_MODE(mode);
		if (mode == d->catch_el && sp_of(v, mode) == d->catch_sp) {
			/* Back from the interrupt: take the interrupted step again. */
			end_catch(v);
			step_begin(v);
			return true;
		}
		if (!bp) {
			/* Our catch point, reached in another context: run it once. */
			bp_write_insn(d->catch_pa, d->catch_orig);
			d->phase = PHASE_CATCH_OVER;
			return true;
		}
	}
	if (bp)
		return stop(v, GDB_STOP_SWBREAK, pc, 0);
	return on_guest_brk(v, pc, esr);
}

static bool on_hw_breakpoint(struct vcpu *v, uint64_t pc)
{
	unsigned int i;

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
	v->dbg.watch_pc = pc; /* resuming must run this access once, watch lifted */
	v->dbg.watch_pc_valid = true;
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
