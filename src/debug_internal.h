/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the debugger's files (debug.c, breakpoints.c, run.c, step.c, gdbserver.c)
 * share; outside them only the monitor's commands (monitor_cmds.c) include this. */
#pragma once

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>

#include "debug.h"
#include "gdbstub/gdbstub.h"
#include "src/arm64/hwdbg.h"
#include "src/arm64/ptw.h"

#define A64_BRK0 0xd4200000u /* brk #0: our software breakpoint */
#define KVM_MAX_VCPUS_MINIVMM 128

struct swbp {
	gva_t va;
	gpa_t pa;
	uint32_t orig; /* the instruction under our BRK */
	int hw_slot;   /* >= 0: the address did not translate, a hardware slot stands in */
};

struct wpreq {
	bool used;
	gva_t addr;
	uint64_t len;
	enum arm64_wp_kind kind;
	unsigned int nr_slots;
	int slots[4];
};

struct dbg {
	struct board *b;
	struct loop *loop;
	unsigned int nr_hw_bps, nr_hw_wps;
	/* Software breakpoints: as many as gdb wants. */
	struct swbp *sw;
	unsigned int nr_sw, cap_sw;
	/* Hardware breakpoint slots (gdb's Z1, and Z0 fallbacks) and watchpoints. */
	struct {
		bool used;
		gva_t addr;
	} hwbp[KVM_ARM_MAX_DBG_REGS];
	struct wpreq wp[KVM_ARM_MAX_DBG_REGS];
	bool wpslot_used[KVM_ARM_MAX_DBG_REGS];
	struct kvm_guest_debug_arch arch; /* the same on every vCPU */
	/* Run control (main loop). */
	bool attached;  /* a gdb session exists */
	bool running;   /* gdb waits for a stop reply */
	bool wait;      /* -S: hold the vCPUs until gdb resumes them */
	bool step_irq;  /* steps may stop in interrupt handlers */
	uint64_t stop_seq;
	struct vcpu *overs[KVM_MAX_VCPUS_MINIVMM]; /* still to step off a breakpoint */
	unsigned int nr_overs;
	struct gdb_session *sess;
};

extern struct dbg dbg;

/* debug.c */
int dbg_reg64(struct vcpu *v, unsigned int regno, uint64_t *val);
int dbg_set_reg64(struct vcpu *v, unsigned int regno, uint64_t val);
int dbg_walker(struct vcpu *v, struct arm64_ptw *w);
int dbg_translate(struct vcpu *v, gva_t va, gpa_t *pa);
int dbg_read_mem(struct vcpu *v, gva_t va, void *buf, size_t len);

/* breakpoints.c */
int bp_insert(void *opaque, unsigned int cpu, enum gdb_bp_type type, uint64_t addr,
	      uint64_t kind);
int bp_remove(void *opaque, unsigned int cpu, enum gdb_bp_type type, uint64_t addr,
	      uint64_t kind);
void bp_remove_all(void);
/* Our software breakpoint at guest-physical pa, or NULL. */
struct swbp *bp_find_pa(gpa_t pa);
/* Is there a hardware breakpoint (ours or a fallback) at va? */
bool bp_hw_at(gva_t va);
/* Put the original instruction back at / our BRK into a software breakpoint. */
void bp_lift(struct swbp *bp);
void bp_plant(struct swbp *bp);
/* Write a 32-bit instruction into guest RAM at pa, with I-cache maintenance. */
void bp_write_insn(gpa_t pa, uint32_t insn);
/* Guest memory copies that keep software breakpoints invisible (debug.c). */
void bp_read_through(gpa_t pa, const uint8_t *ram, uint8_t *out, uint64_t len);
void bp_write_through(gpa_t pa, uint8_t *ram, const uint8_t *in, uint64_t len);
/* A watchpoint hit at far (is_write from the ESR): the stop gdb gets. */
bool bp_watch_stop(gva_t far, bool is_write, struct gdb_stop *stop);
/* Anything inserted at all? */
bool bp_any_sw(void);
bool bp_any_hw(void);

/* run.c */
void dbg_attach(void);
int dbg_resume(void *opaque, const struct gdb_resume *r);
void dbg_interrupt(void *opaque);
int dbg_detach(void *opaque);
void dbg_kill(void *opaque);
int dbg_rcmd(void *opaque, const char *cmd, gdb_print_fn print, void *ctx);
/* The monitor's `step` while no gdb is attached and every vCPU is paused: one instruction on
 * v with gdb's stepi machinery (interrupts caught, guest BRKs handed back). 0 once it
 * stopped, -ETIMEDOUT (v paused again, its step undone) after timeout_ms, -EBUSY with gdb. */
int dbg_step_alone(struct vcpu *v, unsigned int timeout_ms);

/* step.c */
/* Undo a vCPU's unfinished step machinery (it was paused mid-way). */
void step_abort(struct vcpu *v);
/* Does v sit where resuming needs one instruction with our debug lifted? */
bool step_needs_over(struct vcpu *v, uint64_t pc);
/* Begin the first instruction of a resume (PHASE_OVER if needed). */
void step_begin(struct vcpu *v);

/* gdbserver.c */
void gdbserver_notify(const struct gdb_stop *stop);
