/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Guest debugging with KVM: breakpoints, watchpoints, stepping and the vCPU run
 * control behind the GDB stub's target interface (gdbstub/target.h). */
#pragma once

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>

#include "gdbstub/target.h"
#include "types.h"

struct board;
struct loop;
struct vcpu;

/* How a vCPU runs while the debugger owns it. */
enum vcpu_dbg_mode {
	DBG_RUN,    /* free: no stepping (breakpoints and watchpoints still stop it) */
	DBG_STEP,   /* one instruction, then report */
	DBG_RANGE,  /* step while the PC stays in [range_start, range_end), then report */
};

/* The single-step machine of one vCPU (src/step.c). */
enum vcpu_dbg_phase {
	PHASE_NONE,  /* running or stepping as mode says */
	PHASE_OVER,  /* one instruction with our breakpoint/watchpoint lifted at step_pc */
	PHASE_CATCH, /* an interrupt came in a step: the handler runs at full speed and
		      * returns, the interrupted instruction runs, and a catch point where it
		      * goes next, met in the same context, ends the step (src/step.c) */
	PHASE_CATCH_OVER, /* a catch point was met in another context: one instruction
			   * with it lifted, then back to PHASE_CATCH */
	/* DBG_RANGE at full speed up to range_bp, the next branch, behind a hardware
	 * breakpoint in slot range_slot (src/step.c, range_run()) */
	PHASE_RANGE,
	/* range_bp was met in another context: one instruction with it lifted, then back
	 * to PHASE_RANGE */
	PHASE_RANGE_OVER,
};

/* A temporary BRK of PHASE_CATCH. */
struct dbg_catch_point {
	uint64_t va;
	gpa_t pa;
	uint32_t orig;
	bool wrote; /* we wrote the BRK (else one of gdb's was there already) */
};

#define DBG_NR_REGS 96 /* the gdb register map (src/arm64/gdbregs.c) */

struct vcpu_debug {
	/* What KVM_SET_GUEST_DEBUG was last given, so unchanged settings cost nothing. */
	struct kvm_guest_debug applied;
	bool applied_valid;
	/* Set by the main loop while the vCPU is paused, read by the vCPU thread. */
	enum vcpu_dbg_mode mode;
	uint64_t range_start, range_end;
	bool runnable;      /* part of the current resume */
	bool resume_others; /* after the step-over, let the other runnable vCPUs go */
	bool notify_done;   /* after the step-over, stop and tell the loop (more to do) */
	bool over_done;     /* ... which it did */
	/* The vCPU thread's own state. */
	enum vcpu_dbg_phase phase;
	uint64_t step_pc; /* where the current instruction step began */
	bool lift_hw;     /* PHASE_OVER: hw breakpoints/watchpoints off for this step */
	bool step_lift_hw; /* ... as step_begin() decided for the instruction at step_pc */
	bool over_valid;  /* PHASE_OVER: our software breakpoint at over_pa is lifted */
	gpa_t over_pa;
	/* PHASE_CATCH: the interrupted context, and where its instruction goes next
	 * (or the instruction itself when that cannot be known: then it is stepped
	 * again once the handler is back). */
	uint64_t catch_sp, catch_el, catch_ttbr0;
	bool catch_any_sp; /* the instruction moves SP: SP cannot tell contexts apart */
	bool catch_at_insn;
	struct dbg_catch_point catch[2];
	unsigned int nr_catch, catch_over;
	/* PHASE_RANGE: our hardware breakpoint (its context is in catch_sp/el/ttbr0). */
	uint64_t range_bp;
	unsigned int range_slot;
	/* The vCPU stopped on a breakpoint or watchpoint at hit_pc and has not run
	 * since: resuming it there runs that instruction once with our debug lifted.
	 * A vCPU merely paused at a breakpoint's address has not hit it: it must. */
	bool hit_valid, hit_watch;
	uint64_t hit_pc;
	/* A stop to report (the main loop takes it; it may stay pending across a resume). */
	bool has_stop;
	struct gdb_stop stop;
	uint64_t stop_seq; /* which stop came first */
	uint64_t stop_pc;
	/* Register cache, valid until the vCPU runs again. */
	uint64_t valid[2];
	uint8_t regs[DBG_NR_REGS][16];
};

/* Set up debugging for the board (KVM's slot counts); no gdb yet. */
int dbg_init(struct board *b, struct loop *loop);
/* Listen for gdb on "[HOST]:PORT" or "unix:PATH" (src/gdbserver.c); before the
 * machine exists, so that a bad address or a busy port is reported first. */
int dbg_listen(struct loop *loop, const char *spec, char *err, size_t errlen);
/* Close the gdb sockets (at exit). */
void dbg_close(void);
/* Where the attached gdb connected from, or NULL. */
const char *gdbserver_peer(void);
/* -S: the vCPUs stay stopped until gdb attaches and resumes them. */
void dbg_set_wait(bool wait);
/* The main loop saw VM_EV_STOPPED: a vCPU has a stop for gdb. */
void dbg_on_stopped(void);
/* The guest powered off or reset: tell gdb (W00 / nothing) before minivmm exits. */
void dbg_on_exit(int status);
/* Is the debugger holding the vCPUs (gdb attached and the guest stopped)? */
bool dbg_is_holding(void);

/* Called on a vCPU thread at KVM_EXIT_DEBUG: true to keep running, false when the vCPU
 * stopped (v->dbg.has_stop says whether there is something to report). */
bool dbg_handle_exit(struct vcpu *v);
/* Called on a vCPU thread before KVM_RUN: load the debug settings if they changed. */
int dbg_apply(struct vcpu *v);
/* The register cache is stale (the vCPU ran). */
static inline void dbg_invalidate_regs(struct vcpu_debug *d)
{
	d->valid[0] = d->valid[1] = 0;
}

/* The gdb target interface, for the GDB stub and the monitor. */
extern const struct gdb_target_ops dbg_target_ops;
void *dbg_target(void);
