// SPDX-License-Identifier: GPL-3.0-or-later
/* Run control, on the main loop: which vCPUs a resume lets go, which stop gdb hears about,
 * and what attach, detach and kill do.
 *
 * All-stop: when one vCPU stops, all stop. While one vCPU steps (s, or r for a range), the
 * others are held, whatever gdb asked for them, so a `stepi` on one CPU of a kernel leaves
 * the others where they were, unless its step waits for them (release(), below). A stop
 * that another vCPU hit at the same moment is kept and reported on the next resume instead
 * of running. */
#include <errno.h>
#include <string.h>

#include "src/arm64/gdbregs.h"
#include "src/debugger/internal.h"

static void run_cpu(struct dbg_cpu *c)
{
	dbg_threads_stale(c->d);
	c->d->ops->run(c->d->ctx, c->id);
}

/* The earliest stop of the vCPUs that the current resume let run: a stop kept by a vCPU that
 * gdb did not resume is not news to report. */
static struct dbg_cpu *first_stop(struct dbg *d)
{
	struct dbg_cpu *best = NULL;
	unsigned int i;

	for (i = 0; i < d->nr_cpus; i++) {
		struct dbg_cpu *c = &d->cpus[i];

		if (c->stop.pending && c->plan.runnable && (!best || c->stop.seq < best->stop.seq))
			best = c;
	}
	return best;
}

/* No vCPU steps alone any more (every vCPU paused, or the others held anyway). */
static void end_lone(struct dbg *d)
{
	d->lone = NULL;
	d->released = false;
	d->nr_lone_catch = 0;
	d->lone_from = d->hold_va = 0;
}

static void hold_all(struct dbg *d)
{
	unsigned int i;

	d->ops->pause_all(d->ctx);
	end_lone(d);
	for (i = 0; i < d->nr_cpus; i++) {
		dbg_step_abort(&d->cpus[i]);
		d->cpus[i].step.over_done = false;
	}
	d->nr_overs = 0;
}

/* c steps from pc, the others held; lone_from (internal.h) is pc if it stopped there on a
 * breakpoint and has not run since. */
static void step_alone(struct dbg *d, struct dbg_cpu *c, uint64_t pc)
{
	d->lone = c;
	d->lone_ticks = 0;
	d->lone_from = dbg_step_needs_over(c, pc) && !c->stop.hit_watch ? pc : 0;
	dbg_step_begin(c);
	run_cpu(c);
}

/* Step the next vCPU off its breakpoint, the others held. When it is done (step.c,
 * step_done) it stops, and dbg_on_stopped() goes on. */
static void next_over(struct dbg *d)
{
	struct dbg_cpu *c = d->overs[--d->nr_overs];

	c->plan.notify_done = true;
	step_alone(d, c, c->stop.hit_pc);
}

static void notify(struct dbg *d, const struct gdb_stop *st)
{
	unsigned int i;

	for (i = 0; i < d->nr_subs; i++)
		d->subs[i].fn(d->subs[i].opaque, st);
}

static void report(struct dbg *d, struct dbg_cpu *c)
{
	struct gdb_stop st = c->stop.stop;
	unsigned int i;

	dbg_linux_arm(d);
	c->stop.pending = false;
	d->running = false;
	for (i = 0; i < d->nr_cpus; i++)
		d->cpus[i].plan.runnable = false;
	notify(d, &st);
}

/* Is a stop kept from before still true? Not if gdb moved the PC or removed what caused it:
 * then the vCPU simply runs on. */
static bool still_valid(struct dbg_cpu *c)
{
	struct dbg *d = c->d;
	uint64_t pc = 0;
	gpa_t pa;

	if (dbg_reg(c, ARM64_R_PC, &pc) || pc != c->stop.pc)
		return false;
	switch (c->stop.stop.reason) {
	case GDB_STOP_SWBREAK: /* gdb's Z0 still there, in RAM or in a hardware slot */
		return (!dbg_translate(c, pc, &pa) && dbg_bp_find_pa(d, pa)) ||
		       dbg_bp_sw_in_hw(d, pc);
	case GDB_STOP_HWBREAK: /* gdb's Z1 still there */
		return dbg_bp_z1_at(d, pc);
	case GDB_STOP_SIGNAL: /* one of ours (linux.c) */
		return !dbg_translate(c, pc, &pa) && dbg_bp_find_pa(d, pa) && c->stop.hit_valid;
	case GDB_STOP_WATCH:
	case GDB_STOP_RWATCH:
	case GDB_STOP_AWATCH:
		return dbg_bp_any_hw(d) && c->stop.hit_valid;
	default:
		return false;
	}
}

/* A kept stop of a vCPU that this resume runs: report it instead of running. A kept stop
 * that is no longer true is dropped, and the vCPU meets its breakpoint again if it is still
 * there. The stops of vCPUs that this resume leaves alone stay kept (gdb steps one thread
 * over its breakpoint with the others held, then continues them all: that is when they are
 * reported). */
static bool report_kept(struct dbg *d, const struct gdb_resume *r, const struct dbg_cpu *stepper)
{
	struct dbg_cpu *best = NULL;
	unsigned int i;

	for (i = 0; i < d->nr_cpus; i++) {
		struct dbg_cpu *c = &d->cpus[i];
		bool runs = stepper ? c == stepper : gdb_resume_action(r, i)->kind != GDB_ACT_NONE;

		if (!c->stop.pending || !runs)
			continue;
		if (!still_valid(c)) {
			c->stop.pending = false;
			c->stop.hit_valid = false;
			continue;
		}
		if (!best || c->stop.seq < best->stop.seq)
			best = c;
	}
	if (best)
		report(d, best);
	return best != NULL;
}

static void set_plan(struct dbg_cpu *c, const struct gdb_action *a)
{
	c->plan.mode = a->kind == GDB_ACT_STEP	  ? DBG_STEP
		       : a->kind == GDB_ACT_RANGE ? DBG_RANGE
						  : DBG_RUN;
	c->plan.range_start = a->start;
	c->plan.range_end = a->end;
	if (c->plan.mode == DBG_RANGE && a->start >= a->end)
		c->plan.mode = DBG_STEP; /* an empty range is one step (GDB manual, vCont r) */
	c->plan.notify_done = false;
	c->plan.runnable = true;
}

/* Every vCPU of the resume that is not running yet. */
static void run_runnable(struct dbg *d, const struct dbg_cpu *except)
{
	unsigned int i;

	for (i = 0; i < d->nr_cpus; i++)
		if (d->cpus[i].plan.runnable && &d->cpus[i] != except)
			run_cpu(&d->cpus[i]);
}

int dbg_resume(void *opaque, const struct gdb_resume *r)
{
	struct dbg *d = opaque;
	struct dbg_cpu *stepper = NULL;
	unsigned int i;
	uint64_t pc;
	int ret;

	if (r->set_pc) {
		if (r->pc_cpu >= d->nr_cpus)
			return -ESRCH;
		ret = dbg_set_reg(&d->cpus[r->pc_cpu], ARM64_R_PC, r->pc);
		if (ret)
			return ret;
	}
	d->running = true;
	for (i = 0; i < d->nr_cpus && !stepper; i++) {
		enum gdb_action_kind k = gdb_resume_action(r, i)->kind;

		if (k == GDB_ACT_STEP || k == GDB_ACT_RANGE)
			stepper = &d->cpus[i];
	}
	if (report_kept(d, r, stepper))
		return 0;
	if (stepper) {
		set_plan(stepper, gdb_resume_action(r, stepper->id));
		step_alone(d, stepper, dbg_reg(stepper, ARM64_R_PC, &pc) ? 0 : pc);
		return 0;
	}
	for (i = 0; i < d->nr_cpus; i++) {
		struct dbg_cpu *c = &d->cpus[i];

		if (gdb_resume_action(r, i)->kind != GDB_ACT_CONTINUE)
			continue;
		set_plan(c, gdb_resume_action(r, i));
		if (!dbg_reg(c, ARM64_R_PC, &pc) && dbg_step_needs_over(c, pc))
			d->overs[d->nr_overs++] = c;
		else
			c->stop.hit_valid = false; /* it runs from elsewhere: back there, it hits */
	}
	if (d->nr_overs) {
		next_over(d);
		return 0;
	}
	run_runnable(d, NULL);
	return 0;
}

void dbg_interrupt(void *opaque)
{
	struct gdb_stop st = { .reason = GDB_STOP_INTERRUPT };
	struct dbg *d = opaque;
	struct dbg_cpu *c;
	unsigned int i;

	hold_all(d);
	c = first_stop(d);
	if (c) {
		report(d, c);
		return;
	}
	/* On a vCPU gdb let run: the one it steps over a breakpoint, say, never a held one
	 * (gdb 13 asserts in finish_step_over otherwise). */
	for (i = 0; i < d->nr_cpus; i++)
		if (d->cpus[i].plan.runnable) {
			st.cpu = i;
			break;
		}
	d->running = false;
	for (i = 0; i < d->nr_cpus; i++)
		d->cpus[i].plan.runnable = false;
	notify(d, &st);
}

/* A step-over of next_over() is done: the next one, or let every vCPU of the resume go. If
 * its step released the others, they run with what the step gave them (a hold, step.c):
 * paused first, they run again with their own settings. */
static void over_done(struct dbg *d, struct dbg_cpu *c)
{
	if (d->released)
		d->ops->pause_all(d->ctx);
	end_lone(d);
	c->step.over_done = false;
	c->plan.notify_done = false;
	if (first_stop(d))
		return;
	if (d->nr_overs)
		next_over(d);
	else
		run_runnable(d, NULL);
}

/* A vCPU that steps alone (the others held: gdb's stepi, a step over a breakpoint) and has
 * not ended its step for a while, running an interrupt handler or a range at full speed, is
 * most likely waiting for one of the others: a handler that spins on a seqcount or lock a
 * held vCPU is inside of (a kernel's timekeeping, say), or a range step over a spin loop.
 * Then the others run too, until its step ends and hold_all() holds everyone again. What
 * they hit meanwhile is kept for a resume that runs them, as for any vCPU gdb did not
 * resume; the stepper's catch points (step.c) hold them where they meet one, and so does the
 * breakpoint gdb took out for this step, if the stepper stopped on one and a hardware slot
 * is free (step.c, holds()). Without that, a task gdb waits for there would run through it
 * meanwhile (gdb steps one task off a breakpoint another one's `next` or `advance` is
 * waiting at, and the other task comes by). A step that ends in time never lets them
 * move. */
static void release(struct dbg *d, struct dbg_cpu *c)
{
	unsigned int i;
	int slot;

	d->ops->pause_all(d->ctx); /* the stepper too, to read its state */
	if (c->stop.pending || c->step.over_done)
		return; /* it ended meanwhile: dbg_on_stopped() takes it from here */
	if (c->step.phase != PHASE_CATCH && c->step.phase != PHASE_CATCH_OVER &&
	    c->step.phase != PHASE_RANGE && c->step.phase != PHASE_RANGE_OVER) {
		/* One instruction cannot wait for another CPU: slow, not stuck. */
		d->lone_ticks = 0;
		run_cpu(c);
		return;
	}
	d->released = true;
	d->nr_lone_catch = 0;
	for (i = 0; i < c->step.nr_catch; i++)
		d->lone_catch[d->nr_lone_catch++] = c->step.catch[i].pa;
	slot = d->lone_from ? dbg_bp_free_hw_slot(d) : -1;
	d->hold_va = slot >= 0 ? d->lone_from : 0;
	d->hold_slot = slot >= 0 ? (unsigned int)slot : 0;
	for (i = 0; i < d->nr_cpus; i++) {
		struct dbg_cpu *o = &d->cpus[i];

		if (o == c || o->stop.pending || d->ops->is_powered_off(d->ctx, i))
			continue;
		o->plan.mode = DBG_RUN;
		run_cpu(o);
	}
	run_cpu(c);
}

void dbg_tick(struct dbg *d)
{
	if (d->lone && !d->released && ++d->lone_ticks >= DBG_RELEASE_TICKS)
		release(d, d->lone);
}

void dbg_on_stopped(struct dbg *d)
{
	struct dbg_cpu *c;
	unsigned int i;

	for (i = 0; i < d->nr_cpus; i++)
		if (d->cpus[i].step.over_done)
			over_done(d, &d->cpus[i]);
	c = first_stop(d);
	if (!c || !d->attached || !d->running)
		return;
	hold_all(d);
	report(d, first_stop(d));
}

void dbg_attach(struct dbg *d)
{
	unsigned int i;

	hold_all(d);
	for (i = 0; i < d->nr_cpus; i++)
		d->cpus[i].stop.pending = false;
	dbg_threads_stale(d);
	d->attached = true;
	d->running = false;
}

/* The session ends: every vCPU held, no breakpoint, watchpoint or step left behind. */
static void end_session(struct dbg *d)
{
	unsigned int i;

	hold_all(d);
	dbg_bp_remove_all(d);
	d->panic_va = d->die_va = 0; /* a new gdb brings its own symbols */
	memset(&d->lsyms, 0, sizeof(d->lsyms));
	d->layout_state = 0;
	dbg_threads_stale(d);
	d->attached = false;
	d->running = false;
	d->wait = false;
	for (i = 0; i < d->nr_cpus; i++) {
		struct dbg_cpu *c = &d->cpus[i];

		c->stop.pending = false;
		c->stop.hit_valid = false;
		c->plan.mode = DBG_RUN;
		c->plan.runnable = false;
		/* Held, so ours to set now: the guest's own debug works again at once, even if
		 * it never runs under us again (kill). */
		if (dbg_before_run(d, i))
			c->step.applied_valid = false;
	}
}

int dbg_detach(void *opaque)
{
	struct dbg *d = opaque;
	unsigned int i;

	end_session(d);
	for (i = 0; i < d->nr_cpus; i++)
		run_cpu(&d->cpus[i]);
	return 0;
}

/* The guest stays held and clean: what killing it means (minivmm exits) is the hook's. */
void dbg_kill(void *opaque)
{
	struct dbg *d = opaque;

	end_session(d);
	dbg_warn(d, "gdb killed the guest");
	if (d->kill)
		d->kill(d->kill_opaque);
}

int dbg_step_alone(struct dbg *d, unsigned int cpu, unsigned int timeout_ms)
{
	struct dbg_cpu *c;
	int ret;

	if (d->attached)
		return -EBUSY;
	if (cpu >= d->nr_cpus)
		return -ESRCH;
	c = &d->cpus[cpu];
	/* step.c arms the debug controls only during a debug session: this step is one. */
	d->attached = true;
	set_plan(c, &(struct gdb_action){ .kind = GDB_ACT_STEP });
	dbg_step_begin(c);
	run_cpu(c);
	ret = d->ops->wait_paused(d->ctx, cpu, timeout_ms);
	if (ret) {
		d->ops->pause_all(d->ctx);
		dbg_step_abort(c);
	}
	d->attached = false;
	c->stop.pending = false; /* nobody to report it to; the main loop finds nothing */
	c->plan.mode = DBG_RUN;
	c->plan.runnable = false;
	return ret;
}

void dbg_set_wait(struct dbg *d, bool wait)
{
	d->wait = wait;
}

void dbg_on_guest_exit(struct dbg *d, int status)
{
	struct gdb_stop st = { .reason = GDB_STOP_EXITED, .code = (uint8_t)status };

	if (d->attached)
		notify(d, &st);
}
