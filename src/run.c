// SPDX-License-Identifier: GPL-3.0-or-later
/* Run control for the debugger, on the main loop: which vCPUs a resume lets go,
 * which stop gdb hears about, and what attach, detach and kill do.
 *
 * All-stop: when one vCPU stops, all stop. While one vCPU steps (s, or r for a
 * range), the others are held, whatever gdb asked for them, so a `stepi` on one
 * CPU of a kernel leaves the others where they were. A stop that another vCPU hit
 * at the same moment is kept and reported on the next resume instead of running. */
#include <errno.h>
#include <string.h>

#include "board.h"
#include "config.h"
#include "debug_internal.h"
#include "log.h"
#include "loop.h"
#include "src/arm64/gdbregs.h"
#include "vcpu.h"

static struct vcpu *cpu(unsigned int i)
{
	return &dbg.b->vm.vcpus[i];
}

/* The earliest stop any vCPU holds. */
static struct vcpu *first_stop(void)
{
	struct vcpu *best = NULL;
	unsigned int i;

	for (i = 0; i < dbg.b->vm.nr_vcpus; i++) {
		struct vcpu *v = cpu(i);

		if (v->dbg.has_stop && (!best || v->dbg.stop_seq < best->dbg.stop_seq))
			best = v;
	}
	return best;
}

static void hold_all(void)
{
	unsigned int i;

	vcpu_pause_all(&dbg.b->vm);
	for (i = 0; i < dbg.b->vm.nr_vcpus; i++) {
		step_abort(cpu(i));
		cpu(i)->dbg.runnable = false;
		cpu(i)->dbg.over_done = false;
	}
	dbg.nr_overs = 0;
}

/* Step the next vCPU off its breakpoint, the others held. The last one lets every
 * runnable vCPU go from its own thread (src/step.c): no round trip through here
 * in the common case of one vCPU on a breakpoint. */
static void next_over(void)
{
	struct vcpu *v = dbg.overs[--dbg.nr_overs];

	v->dbg.resume_others = dbg.nr_overs == 0;
	v->dbg.notify_done = dbg.nr_overs > 0;
	step_begin(v);
	vcpu_resume(v);
}

static void report(struct vcpu *v)
{
	struct gdb_stop st = v->dbg.stop;

	v->dbg.has_stop = false;
	dbg.running = false;
	gdbserver_notify(&st);
}

/* Is a stop kept from before still true? Not if gdb moved the PC or removed what
 * caused it: then the vCPU simply runs on. */
static bool still_valid(struct vcpu *v)
{
	const struct gdb_stop *st = &v->dbg.stop;
	uint64_t pc = 0;
	gpa_t pa;

	if (dbg_reg64(v, ARM64_GDB_PC, &pc) || pc != v->dbg.stop_pc)
		return false;
	switch (st->reason) {
	case GDB_STOP_SWBREAK:
		return (!dbg_translate(v, pc, &pa) && bp_find_pa(pa)) || bp_hw_at(pc);
	case GDB_STOP_HWBREAK:
		return bp_hw_at(pc);
	case GDB_STOP_WATCH:
	case GDB_STOP_RWATCH:
	case GDB_STOP_AWATCH:
		return bp_any_hw() && v->dbg.watch_pc_valid;
	default:
		return false;
	}
}

/* A kept stop of a vCPU that this resume would run: report it instead. */
static bool report_kept(const struct gdb_resume *r)
{
	struct vcpu *v;

	while ((v = first_stop())) {
		if (gdb_resume_action(r, v->id)->kind != GDB_ACT_NONE && still_valid(v)) {
			report(v);
			return true;
		}
		/* Dropped: if its breakpoint is still there, running meets it again. */
		v->dbg.has_stop = false;
	}
	return false;
}

static void set_mode(struct vcpu *v, const struct gdb_action *a)
{
	struct vcpu_debug *d = &v->dbg;

	d->mode = a->kind == GDB_ACT_STEP ? DBG_STEP : a->kind == GDB_ACT_RANGE ? DBG_RANGE : DBG_RUN;
	d->range_start = a->start;
	d->range_end = a->end;
	if (d->mode == DBG_RANGE && a->start >= a->end)
		d->mode = DBG_STEP; /* an empty range is one step (GDB manual, vCont r) */
	d->resume_others = false;
	d->runnable = true;
}

int dbg_resume(void *opaque, const struct gdb_resume *r)
{
	unsigned int i, n = dbg.b->vm.nr_vcpus;
	struct vcpu *stepper = NULL;
	uint64_t pc;
	int ret;

	if (r->set_pc && (ret = dbg_set_reg64(cpu(r->pc_cpu), ARM64_GDB_PC, r->pc)))
		return ret;
	dbg.running = true;
	if (report_kept(r))
		return 0;
	for (i = 0; i < n && !stepper; i++) {
		enum gdb_action_kind k = gdb_resume_action(r, i)->kind;

		if (k == GDB_ACT_STEP || k == GDB_ACT_RANGE)
			stepper = cpu(i);
	}
	if (stepper) {
		set_mode(stepper, gdb_resume_action(r, stepper->id));
		step_begin(stepper);
		vcpu_resume(stepper);
		return 0;
	}
	for (i = 0; i < n; i++) {
		struct vcpu *v = cpu(i);

		if (gdb_resume_action(r, i)->kind != GDB_ACT_CONTINUE)
			continue;
		set_mode(v, gdb_resume_action(r, i));
		if (!dbg_reg64(v, ARM64_GDB_PC, &pc) && step_needs_over(v, pc))
			dbg.overs[dbg.nr_overs++] = v;
	}
	if (dbg.nr_overs) {
		next_over();
		return 0;
	}
	for (i = 0; i < n; i++)
		if (cpu(i)->dbg.runnable)
			vcpu_resume(cpu(i));
	return 0;
}

void dbg_interrupt(void *opaque)
{
	struct gdb_stop st = { .reason = GDB_STOP_INTERRUPT };
	struct vcpu *v;

	hold_all();
	v = first_stop();
	if (v) {
		report(v);
		return;
	}
	dbg.running = false;
	gdbserver_notify(&st);
}

void dbg_on_stopped(void)
{
	unsigned int i;
	struct vcpu *v;

	for (i = 0; i < dbg.b->vm.nr_vcpus; i++) {
		if (!cpu(i)->dbg.over_done)
			continue;
		cpu(i)->dbg.over_done = false;
		if (dbg.nr_overs && !first_stop())
			next_over();
	}
	v = first_stop();
	if (!v || !dbg.attached || !dbg.running)
		return;
	hold_all();
	report(first_stop());
}

/* gdb attached: stop the guest where it is. */
void dbg_attach(void)
{
	unsigned int i;

	hold_all();
	for (i = 0; i < dbg.b->vm.nr_vcpus; i++)
		cpu(i)->dbg.has_stop = false;
	dbg.attached = true;
	dbg.running = false;
}

int dbg_detach(void *opaque)
{
	unsigned int i;

	hold_all();
	bp_remove_all();
	dbg.attached = false;
	dbg.running = false;
	dbg.wait = false;
	for (i = 0; i < dbg.b->vm.nr_vcpus; i++) {
		struct vcpu_debug *d = &cpu(i)->dbg;

		d->has_stop = false;
		d->watch_pc_valid = false;
		d->mode = DBG_RUN;
	}
	vcpu_resume_all(&dbg.b->vm);
	return 0;
}

void dbg_kill(void *opaque)
{
	log_warn("gdb killed the guest");
	loop_quit(dbg.loop, EXIT_KILLED);
}

int dbg_rcmd(void *opaque, const char *cmd, gdb_print_fn print, void *ctx)
{
	return -ENOTSUP; /* monitor commands: src/monitor.c */
}

void dbg_set_wait(bool wait)
{
	dbg.wait = wait;
}

bool dbg_is_holding(void)
{
	return dbg.wait || dbg.attached;
}

void dbg_on_exit(int status)
{
	struct gdb_stop st = { .reason = GDB_STOP_EXITED, .code = (uint8_t)status };

	if (dbg.attached)
		gdbserver_notify(&st);
}
