/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the debugger's files share (regs.c, bp.c, step.c, run.c, gdb.c); nothing outside
 * src/debugger/ includes it.
 *
 * Ownership. A struct dbg_cpu is handed back and forth with its vCPU: while the vCPU is let
 * run, its own thread owns `step` and `stop` (dbg_before_run, dbg_on_exit); while it is
 * paused, the main loop owns all of it. The hand-over is the pause/resume of the CPU-access
 * layer (a lock there orders the writes). `plan` is written by the main loop only while the
 * vCPU is paused and only read by its thread. The tables in struct dbg (breakpoints, slots)
 * change only while every vCPU is paused (gdb's packets arrive only then), and vCPU threads
 * read them. What any thread may touch at any time is atomic: step_irq and stop_seq. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "debugger.h"
#include "src/arm64/gdbregs.h"
#include "src/arm64/hwdbg.h"
#include "src/arm64/ptw.h"
#include "src/arm64/regs.h"
#include "src/linux/tasks.h"

#define A64_BRK0 0xd4200000u /* brk #0: our software breakpoint */

/* How a vCPU runs while the debugger owns it. */
enum dbg_mode {
	DBG_RUN,   /* free: no stepping (breakpoints and watchpoints still stop it) */
	DBG_STEP,  /* one instruction, then report */
	DBG_RANGE, /* step while the PC stays in [range_start, range_end), then report */
};

/* The single-step machine of one vCPU (step.c). */
enum dbg_phase {
	PHASE_NONE, /* running or stepping as the plan says */
	PHASE_OVER, /* one instruction with our breakpoint/watchpoint lifted at step_pc */
	/* An interrupt came in a step: the handler runs at full speed and returns, the
	 * interrupted instruction runs, and a catch point where it goes next, met in the same
	 * context, ends the step. */
	PHASE_CATCH,
	/* A catch point was met in another context: one instruction with it lifted, then back
	 * to PHASE_CATCH. */
	PHASE_CATCH_OVER,
	/* DBG_RANGE at full speed up to range_bp, the next branch, behind a hardware
	 * breakpoint in slot range_slot. */
	PHASE_RANGE,
	/* range_bp was met in another context: one instruction with it lifted, then back to
	 * PHASE_RANGE. */
	PHASE_RANGE_OVER,
};

/* A temporary BRK of PHASE_CATCH. */
struct dbg_catch_point {
	gva_t va;
	gpa_t pa;
	uint32_t orig;
	bool wrote; /* we wrote the BRK (else one of gdb's was there already) */
	bool sync;  /* the synchronous exception vector the instruction would fault to */
};

#define DBG_MAX_CATCH 3 /* a branch's two targets and the sync vector */

/* The context a step began in, to tell its own arrival at a point from a handler's. */
struct dbg_context {
	uint64_t el, sp, ttbr0;
	bool any_sp; /* the instruction moves SP: SP cannot tell contexts apart */
};

struct dbg_cpu {
	unsigned int id;
	struct dbg *d;
	/* Main loop, while the vCPU is paused; its thread only reads it. */
	struct {
		enum dbg_mode mode;
		uint64_t range_start, range_end;
		bool runnable;    /* part of the current resume */
		bool notify_done; /* after the step-over, stop: the loop has more to do */
	} plan;
	/* The vCPU's thread while it runs; the main loop while it is paused. */
	struct {
		enum dbg_phase phase;
		gva_t pc; /* where the current instruction step began */
		bool lift_hw;      /* PHASE_OVER: hw breakpoints/watchpoints off for this step */
		bool step_lift_hw; /* ... as step_begin() decided for the instruction at pc */
		bool over_insn;    /* the step began on our breakpoint, lifted (PHASE_OVER) */
		bool over_valid;   /* our software breakpoint at over_pa is lifted */
		gpa_t over_pa;
		bool over_done; /* the step-over of notify_done is done */
		/* PHASE_CATCH: the interrupted context, and where its instruction goes next (or
		 * the instruction itself when that cannot be known: then it is stepped again
		 * once the handler is back). PHASE_RANGE: the context of range_bp. */
		struct dbg_context ctx;
		bool catch_at_insn;
		struct dbg_catch_point catch[DBG_MAX_CATCH];
		unsigned int nr_catch, catch_over;
		gva_t range_bp;
		unsigned int range_slot;
		/* What KVM was last given, so unchanged settings cost nothing. */
		struct dbg_hw_state applied;
		bool applied_valid;
	} step;
	/* The vCPU's thread sets these at a stop; the main loop reads and clears them. */
	struct {
		/* The vCPU stopped on a breakpoint or watchpoint at hit_pc and has not run since:
		 * resuming it there runs that instruction once with our debug lifted. A vCPU
		 * merely paused at a breakpoint's address has not hit it: it must. */
		bool hit_valid, hit_watch;
		gva_t hit_pc;
		bool pending; /* a stop to report (it may stay pending across a resume) */
		struct gdb_stop stop;
		uint64_t seq; /* which stop came first */
		gva_t pc;
	} stop;
};

struct dbg_swbp {
	gva_t va;
	gpa_t pa;
	uint32_t orig; /* the instruction under our BRK */
	int hw_slot;   /* >= 0: the address did not translate, a hardware slot stands in */
	bool by_gdb;   /* gdb's Z0 */
	uint8_t sig;   /* != 0: ours, stopping the guest for gdb with this signal (linux.c) */
};

struct dbg_wpreq {
	bool used;
	gva_t addr;
	uint64_t len;
	enum arm64_wp_kind kind;
	unsigned int nr_slots;
	unsigned int slots[4];
};

/* A thread as gdb sees it (threads.c): a vCPU, or a kernel task. */
struct dbg_thread {
	uint64_t tid;    /* gdb's thread id */
	int cpu;         /* the vCPU it runs on, or -1: a task not on a CPU */
	bool task_valid; /* task is a kernel task read from the guest */
	struct linux_task task;
};

#define DBG_MAX_THREADS 8192 /* threads shown: more is a task list we do not trust */

/* Where gdb's symbol file says the kernel's variables are (qSymbol; 0: not known). */
struct dbg_linux_syms {
	gva_t init_task, runqueues, per_cpu_offset, btf_start, btf_stop;
};

struct dbg {
	const struct dbg_cpu_ops *ops;
	void *ctx;
	unsigned int nr_cpus;
	struct dbg_cpu *cpus;
	/* gdb's registers and target description for these vCPUs' features (set-up). */
	struct arm64_gdb_map *map;
	unsigned int nr_hw_bps, nr_hw_wps;
	/* Breakpoints and slots (main loop, vCPUs paused; vCPU threads read them). */
	struct dbg_swbp *sw; /* as many as gdb wants */
	unsigned int nr_sw, cap_sw;
	struct {
		bool used;
		bool z1; /* gdb's hbreak holds it (a Z0 that did not translate may too) */
		gva_t addr;
	} hwbp[DBG_HW_SLOTS];
	struct dbg_wpreq wp[DBG_HW_SLOTS];
	bool wpslot_used[DBG_HW_SLOTS];
	struct dbg_hw_state hw; /* the slots' registers, the same on every vCPU */
	/* Run control (main loop). */
	bool attached; /* a gdb session exists (or the monitor's lone step runs) */
	bool running;  /* gdb waits for a stop reply */
	bool wait;     /* -S */
	struct dbg_cpu **overs; /* still to step off a breakpoint (nr_cpus entries) */
	unsigned int nr_overs;
	/* The vCPU that steps while the others are held (run.c), NULL if none; released: its
	 * step did not end within DBG_RELEASE_TICKS of dbg_tick(), so the others run too
	 * (what it runs may wait for them: a lock or seqcount one of them holds), and stay
	 * where they meet its catch points, lone_catch[], or the breakpoint it steps off:
	 * lone_from, the address of the breakpoint it stopped on (0 if none), which gdb took
	 * out for this step. While released, the others have a hardware breakpoint there in
	 * slot hold_slot (one gdb leaves free), and wait where they meet it: there, gdb's
	 * breakpoint will be back when they run again. Written by the main loop with every
	 * vCPU paused, read by the vCPU threads. */
	struct dbg_cpu *lone;
	unsigned int lone_ticks;
	bool released;
	gpa_t lone_catch[DBG_MAX_CATCH];
	unsigned int nr_lone_catch;
	gva_t lone_from, hold_va; /* hold_va: lone_from while released with a free slot, else 0 */
	unsigned int hold_slot;
	/* Any thread. */
	bool step_irq;     /* __atomic: steps may stop in interrupt handlers */
	uint64_t stop_seq; /* __atomic */
	/* Wiring (set-up). */
	struct {
		dbg_stop_fn fn;
		void *opaque;
	} subs[DBG_MAX_SUBSCRIBERS];
	unsigned int nr_subs;
	dbg_rcmd_fn rcmd;
	void *rcmd_opaque;
	void (*kill)(void *opaque);
	void *kill_opaque;
	void (*warn)(const char *msg);
	/* Linux (linux.c). */
	gpa_t ram_base;
	const char *memory_map; /* dbg_config's */
	uint64_t ram_size;
	gpa_t vmcoreinfo_pa; /* where it was last found; 0: not yet */
	gva_t panic_va, die_va; /* from gdb's symbol file (qSymbol); 0: not known */
	struct dbg_linux_syms lsyms;
	struct linux_layout layout; /* from the kernel's BTF */
	int layout_state;           /* 0 not read yet, 1 read, -1 the BTF would not do */
	/* Threads (threads.c; main loop, vCPUs paused). */
	enum dbg_thread_mode thread_mode;
	struct dbg_thread *threads; /* [0, nr_cpus): what each vCPU runs */
	unsigned int nr_threads, cap_threads;
	bool threads_tasks; /* the table holds tasks (else vCPUs) */
	bool threads_valid; /* built since the vCPUs last ran */
	char threads_why[128]; /* why task mode shows vCPUs */
	/* While the table is built: kernel memory as this vCPU's walker sees it (threads.c). */
	bool kread_ok;
	struct arm64_ptw kread_walker;
	bool *powered_off; /* each vCPU's, asked once per build (nr_cpus entries) */
	char resume_why[192];  /* why the last resume was refused */
};

/* linux.c */
int dbg_linux_offsets(void *opaque, uint64_t *text, uint64_t *data);
const char *dbg_linux_symbol_next(void *opaque, unsigned int i);
/* Plant our stops at the kernel's panic() and die() where gdb told us they are and they are
 * not planted yet (vCPUs held). */
void dbg_linux_arm(struct dbg *d);
void dbg_linux_symbol_value(void *opaque, const char *name, bool known, uint64_t value);

/* threads.c */
/* The vCPUs ran: the table is built again at its next use. */
void dbg_threads_stale(struct dbg *d);
void dbg_threads_update(struct dbg *d);
/* Thread index i, NULL if none. */
struct dbg_thread *dbg_thread(struct dbg *d, unsigned int i);
/* gdb register r of a task not on a CPU: what cpu_switch_to saved; -ENODATA for the rest. */
int dbg_thread_saved_reg(const struct dbg_thread *t, const struct arm64_gdb_reg *r, uint64_t *val);
int dbg_thread_describe(struct dbg *d, const struct dbg_thread *t, char *buf, size_t cap);
uint64_t dbg_thread_id(void *opaque, unsigned int i);
int dbg_thread_index(void *opaque, uint64_t tid);
/* The pid of the task each vCPU runs (0: an idle task, or where it cannot be told) into
 * pids[nr_cpus]; how many were told. With gdb's symbols from this session, the kernel's BTF
 * where they say and each CPU's SP_EL0 or runqueue; else the BTF found in the image at
 * [image_pa, image_pa + image_size) and SP_EL0 of a CPU in the kernel. vCPUs paused. */
unsigned int dbg_linux_cpu_pids(struct dbg *d, gpa_t image_pa, uint64_t image_size,
				int32_t *pids);
int dbg_threads_resume(void *opaque, const struct gdb_resume *r);
const char *dbg_threads_resume_error(void *opaque);

/* gdb.c */
void dbg_warn(struct dbg *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* regs.c */
int dbg_reg(struct dbg_cpu *c, uint32_t id, uint64_t *val);
uint64_t dbg_reg_or0(struct dbg_cpu *c, uint32_t id);
int dbg_set_reg(struct dbg_cpu *c, uint32_t id, uint64_t val);
/* The register behind gdb's regno (sp depends on the current PSTATE); -ENOENT for one the
 * debugger computes (vg, the PAC masks: dbg_gdb_computed_reg()). */
int dbg_gdb_reg_id(struct dbg_cpu *c, unsigned int regno, uint32_t *id);
/* gdb's vg (the vector length in 64-bit granules) or PAC mask r, of vCPU c (NULL: any vCPU
 * that is on; the masks are the kernel's TCR_EL1's, the same on every CPU). */
int dbg_gdb_computed_reg(struct dbg *d, struct dbg_cpu *c, const struct arm64_gdb_reg *r,
			 uint64_t *val);
int dbg_cpu_walker(struct dbg_cpu *c, struct arm64_ptw *w);
int dbg_translate(struct dbg_cpu *c, gva_t va, gpa_t *pa);
/* Guest virtual memory as c sees it (breakpoints invisible): bytes done before the first
 * hole, or -EFAULT; writes are all or nothing. */
int dbg_mem_access(struct dbg_cpu *c, gva_t va, void *buf, size_t len, bool write);
/* The same through a walker the caller made (dbg_cpu_walker) for many accesses. */
int dbg_mem_walk(struct dbg *d, struct arm64_ptw *w, gva_t va, void *buf, size_t len,
		 bool write);
/* Host address of 4 bytes of RAM at pa, or NULL. */
uint8_t *dbg_ram4(struct dbg *d, gpa_t pa);

/* bp.c */
int dbg_bp_insert(void *opaque, unsigned int cpu, enum gdb_bp_type type, uint64_t addr,
		  uint64_t kind);
int dbg_bp_remove(void *opaque, unsigned int cpu, enum gdb_bp_type type, uint64_t addr,
		  uint64_t kind);
void dbg_bp_remove_all(struct dbg *d);
/* Our software breakpoint at guest-physical pa, or NULL. */
struct dbg_swbp *dbg_bp_find_pa(struct dbg *d, gpa_t pa);
/* Is there a hardware breakpoint (gdb's or a fallback) at va? */
bool dbg_bp_hw_at(struct dbg *d, gva_t va);
/* A breakpoint slot that gdb's breakpoints leave free, or -1: a vCPU may use it for itself
 * (a range step, a hold while released). */
int dbg_bp_free_hw_slot(const struct dbg *d);
/* One of ours at va, stopping the guest with signal sig when met: RAM only (no hardware
 * slot is taken from gdb). 0 or -errno. */
int dbg_bp_insert_own(struct dbg_cpu *c, gva_t va, uint8_t sig);
/* Is a Z0 at va standing in a hardware slot? */
bool dbg_bp_sw_in_hw(struct dbg *d, gva_t va);
/* Is one of gdb's hardware breakpoints (Z1) at va? */
bool dbg_bp_z1_at(struct dbg *d, gva_t va);
void dbg_bp_lift(struct dbg *d, struct dbg_swbp *bp);
void dbg_bp_plant(struct dbg *d, struct dbg_swbp *bp);
/* Write an instruction into guest RAM at pa, with I-cache maintenance. */
void dbg_write_insn(struct dbg *d, gpa_t pa, uint32_t insn);
/* Copies of RAM at pa that keep software breakpoints invisible. */
void dbg_bp_read_through(struct dbg *d, gpa_t pa, const uint8_t *ram, uint8_t *out,
			 uint64_t len);
void dbg_bp_write_through(struct dbg *d, gpa_t pa, uint8_t *ram, const uint8_t *in,
			  uint64_t len);
/* A watchpoint hit at far: the stop gdb gets; false if none of gdb's matches. */
bool dbg_bp_watch_stop(struct dbg *d, gva_t far, bool is_write, struct gdb_stop *stop);
bool dbg_bp_any_sw(const struct dbg *d);
bool dbg_bp_any_hw(const struct dbg *d);
/* The hardware slots changed: every vCPU loads them again before it runs. */
void dbg_bp_changed(struct dbg *d);

/* step.c */
/* Undo a vCPU's unfinished step machinery (it was paused mid-way). */
void dbg_step_abort(struct dbg_cpu *c);
/* Does c sit where resuming needs one instruction with our debug lifted? */
bool dbg_step_needs_over(const struct dbg_cpu *c, gva_t pc);
/* Begin the first instruction of a resume (PHASE_OVER if needed). */
void dbg_step_begin(struct dbg_cpu *c);

/* run.c */
int dbg_resume(void *opaque, const struct gdb_resume *r);
void dbg_interrupt(void *opaque);
int dbg_detach(void *opaque);
void dbg_kill(void *opaque);
