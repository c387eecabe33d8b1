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
#include <time.h>

#include "board.h"
#include "config.h"
#include "debug_internal.h"
#include "log.h"
#include "loop.h"
#include "monitor.h"
#include "src/arm64/gdbregs.h"
#include "vcpu.h"

static struct vcpu *cpu(unsigned int i)
{
	return &dbg.b->vm.vcpus[i];
}

/* The earliest stop of the vCPUs that the current resume let run: a stop kept by
 * a vCPU that gdb did not resume is not news to report. */
static struct vcpu *first_stop(void)
{
	struct vcpu *best = NULL;
	unsigned int i;

	for (i = 0; i < dbg.b->vm.nr_vcpus; i++) {
		struct vcpu *v = cpu(i);

		if (v->dbg.has_stop && v->dbg.runnable &&
		    (!best || v->dbg.stop_seq < best->dbg.stop_seq))
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
	unsigned int i;

	v->dbg.has_stop = false;
	dbg.running = false;
	for (i = 0; i < dbg.b->vm.nr_vcpus; i++)
		cpu(i)->dbg.runnable = false;
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
		return bp_any_hw() && v->dbg.hit_valid;
	default:
		return false;
	}
}

/* A kept stop of a vCPU that this resume runs: report it instead of running. A
 * kept stop that is no longer true is dropped, and the vCPU meets its breakpoint
 * again if it is still there. The stops of vCPUs that this resume leaves alone
 * stay kept (gdb steps one thread over its breakpoint with the others held, then
 * continues them all: that is when they are reported). */
static bool report_kept(const struct gdb_resume *r, const struct vcpu *stepper)
{
	struct vcpu *best = NULL;
	unsigned int i;

	for (i = 0; i < dbg.b->vm.nr_vcpus; i++) {
		struct vcpu *v = cpu(i);
		bool runs = stepper ? v == stepper : gdb_resume_action(r, i)->kind != GDB_ACT_NONE;

		if (!v->dbg.has_stop || !runs)
			continue;
		if (!still_valid(v)) {
			v->dbg.has_stop = false;
			v->dbg.hit_valid = false;
			continue;
		}
		if (!best || v->dbg.stop_seq < best->dbg.stop_seq)
			best = v;
	}
	if (best)
		report(best);
	return best != NULL;
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
	for (i = 0; i < n && !stepper; i++) {
		enum gdb_action_kind k = gdb_resume_action(r, i)->kind;

		if (k == GDB_ACT_STEP || k == GDB_ACT_RANGE)
			stepper = cpu(i);
	}
	if (report_kept(r, stepper))
		return 0;
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
	unsigned int i;
	struct vcpu *v;

	hold_all();
	v = first_stop();
	if (v) {
		report(v);
		return;
	}
	dbg.running = false;
	for (i = 0; i < dbg.b->vm.nr_vcpus; i++)
		cpu(i)->dbg.runnable = false;
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
		d->hit_valid = false;
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
	return mon_rcmd(cmd, print, ctx); /* src/monitor.c */
}

/* Until v is out of KVM_RUN and not let run, or timeout_ms. */
static int wait_stopped(struct vcpu *v, unsigned int timeout_ms)
{
	struct vm *vm = v->vm;
	struct timespec ts;
	int ret = 0;

	clock_gettime(CLOCK_REALTIME, &ts); /* vm->cond has the default clock */
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&vm->lock);
	while ((v->want_run || v->is_running) && ret != ETIMEDOUT)
		ret = pthread_cond_timedwait(&vm->cond, &vm->lock, &ts);
	ret = v->want_run || v->is_running ? -ETIMEDOUT : 0;
	pthread_mutex_unlock(&vm->lock);
	return ret;
}

int dbg_step_alone(struct vcpu *v, unsigned int timeout_ms)
{
	struct vcpu_debug *d = &v->dbg;
	int ret;

	if (dbg.attached)
		return -EBUSY;
	/* step.c arms KVM's debug controls only during a debug session: this step is one. */
	dbg.attached = true;
	set_mode(v, &(struct gdb_action){ .kind = GDB_ACT_STEP });
	step_begin(v);
	vcpu_resume(v);
	ret = wait_stopped(v, timeout_ms);
	if (ret) {
		vcpu_pause_all(&dbg.b->vm);
		step_abort(v);
	}
	dbg.attached = false;
	d->has_stop = false; /* nobody to report it to; the main loop finds nothing */
	d->mode = DBG_RUN;
	d->runnable = false;
	return ret;
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
