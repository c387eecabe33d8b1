/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The guest debugger: breakpoints, watchpoints, the step machine and all-stop run control
 * behind gdb's target interface (gdbstub/target.h), over the vCPUs as include/dbg_cpu.h
 * shows them. An object that main.c creates and wires; no global state, no KVM, so it is
 * unit-tested on the build machine against a fake CPU (src/debugger/dbg_test.c).
 *
 * Threads: everything here is for the main loop, except the two vCPU-thread hooks
 * (dbg_before_run, dbg_on_exit), which a vCPU's own thread calls for that vCPU. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dbg_cpu.h"
#include "gdbstub/target.h"
#include "src/arm64/hwdbg.h"
#include "src/arm64/ptw.h"
#include "src/dump/elfcore.h"
#include "types.h"

struct dbg;

struct dbg_config {
	const struct dbg_cpu_ops *ops;
	void *ctx;
	unsigned int nr_cpus;
	/* Debug register pairs the host has (KVM_CAP_GUEST_DEBUG_HW_BPS/WPS), at most 16. */
	unsigned int nr_hw_bps, nr_hw_wps;
	/* Guest RAM, where a Linux kernel's VMCOREINFO is looked for (0 size: nowhere). */
	gpa_t ram_base;
	uint64_t ram_size;
	/* Optional: gdb's memory map (qXfer:memory-map:read XML), kept by pointer; NULL: none
	 * is offered (gdb then reaches any address). The board has one only for firmware. */
	const char *memory_map;
	/* Optional: where the debugger's warnings go (one line, no newline). */
	void (*warn)(const char *msg);
};

/* NULL with errno set on failure. */
struct dbg *dbg_new(const struct dbg_config *cfg);
void dbg_free(struct dbg *d);

/* ------------------------------------------------------------- wiring (set-up) */

/* Called for every stop gdb is to hear about (and for the guest's exit). */
typedef void (*dbg_stop_fn)(void *opaque, const struct gdb_stop *stop);
/* Up to DBG_MAX_SUBSCRIBERS subscribers; -ENOSPC beyond. */
#define DBG_MAX_SUBSCRIBERS 4
int dbg_subscribe(struct dbg *d, dbg_stop_fn fn, void *opaque);
/* gdb's `monitor CMD` (qRcmd) goes to fn. */
typedef int (*dbg_rcmd_fn)(void *opaque, const char *cmd, gdb_print_fn print, void *print_ctx);
void dbg_set_rcmd(struct dbg *d, dbg_rcmd_fn fn, void *opaque);
/* gdb's k: what killing the guest means is the caller's. */
void dbg_set_kill(struct dbg *d, void (*fn)(void *opaque), void *opaque);

/* ---------------------------------------------------------------- gdb's side */

/* The ops for gdb_session_new(); their opaque is the struct dbg. */
extern const struct gdb_target_ops dbg_gdb_ops;
/* A gdb session began: stop the guest where it is. (It ends through dbg_gdb_ops.detach.) */
void dbg_attach(struct dbg *d);
/* -S: the vCPUs stay stopped until gdb (or the monitor's cont) lets them run. */
void dbg_set_wait(struct dbg *d, bool wait);

/* ------------------------------------------------------------ vCPU-thread hooks */

/* Before KVM_RUN: load the debug settings into the vCPU if they changed. */
int dbg_before_run(struct dbg *d, unsigned int cpu);
/* At KVM_EXIT_DEBUG (esr and far from kvm_run.debug.arch): true to keep running, false
 * when the vCPU is to stop and the main loop to call dbg_on_stopped(). */
bool dbg_on_exit(struct dbg *d, unsigned int cpu, uint64_t esr, uint64_t far);

/* ----------------------------------------------------------------- main loop */

/* A vCPU stopped for the debugger (dbg_on_exit returned false), all of them paused or not. */
void dbg_on_stopped(struct dbg *d);
/* The guest powered off or failed: gdb hears W status before minivmm exits. */
void dbg_on_guest_exit(struct dbg *d, int status);
/* Every DBG_TICK_MS: a vCPU stepping alone for DBG_RELEASE_TICKS ticks, in an interrupt
 * handler or a range, lets the others run until its step ends (they may hold what it waits
 * for). */
#define DBG_TICK_MS 100
#define DBG_RELEASE_TICKS 10
void dbg_tick(struct dbg *d);

/* ------------------------------------------------------------- the monitor's */

enum dbg_gdb_state {
	DBG_GDB_NONE,    /* no gdb */
	DBG_GDB_WAITING, /* no gdb yet, and -S holds the vCPUs for it */
	DBG_GDB_RUNNING, /* gdb attached and waits for a stop */
	DBG_GDB_HOLDS,   /* gdb attached and holds the guest stopped */
};
enum dbg_gdb_state dbg_gdb_state(const struct dbg *d);
/* Does cpu have a stop that gdb has not heard of yet? */
bool dbg_cpu_has_stop(const struct dbg *d, unsigned int cpu);
/* May steps stop in interrupt handlers (`step-irq`)? Safe from any thread. */
bool dbg_step_irq(const struct dbg *d);
void dbg_set_step_irq(struct dbg *d, bool on);

/* One inserted breakpoint or watchpoint, as dbg_for_each_bp() shows it. */
struct dbg_bp_info {
	enum { DBG_BP_SW, DBG_BP_SW_HW, DBG_BP_HW, DBG_BP_WATCH } type; /* SW_HW: a Z0 in a hw slot */
	gva_t addr;
	gpa_t pa;          /* DBG_BP_SW */
	uint32_t orig;     /* DBG_BP_SW: the instruction under our BRK */
	bool planted;      /* DBG_BP_SW: the BRK is in memory now (not lifted for a step) */
	bool fallback;     /* DBG_BP_HW: the slot of a DBG_BP_SW_HW */
	uint8_t own_sig;   /* DBG_BP_SW: not gdb's, ours: a kernel panic (6) or oops (11) */
	uint64_t len;      /* DBG_BP_WATCH */
	enum arm64_wp_kind kind; /* DBG_BP_WATCH */
	unsigned int nr_slots;
	unsigned int slots[4]; /* hardware slots used (SW_HW and HW: one) */
};
void dbg_for_each_bp(const struct dbg *d, void (*fn)(void *opaque, const struct dbg_bp_info *bp),
		     void *opaque);
struct dbg_slots {
	unsigned int bp_used, bp_total, wp_used, wp_total, nr_sw, nr_watch;
};
void dbg_slots(const struct dbg *d, struct dbg_slots *s);

/* The monitor's `step` while no gdb is attached and every vCPU is paused: one instruction on
 * cpu with gdb's stepi machinery (interrupts caught, guest BRKs handed back). 0 once it
 * stopped, -ETIMEDOUT (cpu paused again, its step undone) after timeout_ms, -EBUSY with gdb. */
int dbg_step_alone(struct dbg *d, unsigned int cpu, unsigned int timeout_ms);

/* What gdb's threads are: the vCPUs (the default; the kernel's gdb scripts assume it), or a
 * Linux guest's tasks (docs/kernel-debugging.md), which falls back to the vCPUs for as long as
 * the kernel's task list cannot be read. Takes effect at the next stop. */
enum dbg_thread_mode { DBG_THREADS_VCPUS, DBG_THREADS_TASKS };
void dbg_set_thread_mode(struct dbg *d, enum dbg_thread_mode mode);
enum dbg_thread_mode dbg_thread_mode(const struct dbg *d);
/* One line on the threads now ("threads are tasks: 57 now", or why not); its length. Reads
 * the guest only while gdb holds it stopped. */
int dbg_thread_status(struct dbg *d, char *buf, size_t cap);

/* A Linux guest's VMCOREINFO (src/linux/vmcoreinfo.h), found in RAM and read anew: 0 and
 * where it is, or -ENOENT (not Linux, or too early in its boot). vCPUs paused. */
struct vmcoreinfo;
int dbg_linux_info(struct dbg *d, struct vmcoreinfo *vi, gpa_t *pa);

/* The whole machine as an ELF core file (dump-guest-memory; src/debugger/dump.c), streamed
 * through write (src/dump/elfcore.h) from guest RAM itself, our BRKs out of it meanwhile.
 * Every vCPU paused. A Linux guest's dump has its VMCOREINFO note, the pid of the task each
 * CPU runs where minivmm can tell (gdb gave the kernel's symbols), and segments for the
 * linear map and for the image at [image_start, image_end) (0, 0: none). */
struct dbg_dump_opts {
	gpa_t image_start, image_end;
};
struct dbg_dump_result {
	uint64_t bytes;        /* the file's size */
	bool is_linux;         /* a VMCOREINFO was found */
	bool vmcoreinfo;       /* and went in as a note */
	char osrelease[65];
	unsigned int nr_cpus, pids_known, nr_mappings;
};
/* 0, -EFAULT (RAM not reachable), -ENOMEM, -EIO (a register), or write's -errno (the file is
 * partial: the caller removes it). The guest's memory is as before in every case. */
int dbg_dump(struct dbg *d, const struct dbg_dump_opts *o, elfcore_write_fn write, void *ctx,
	     struct dbg_dump_result *r);

/* Reads for anyone who holds the vCPU paused. */
int dbg_get_reg64(struct dbg *d, unsigned int cpu, uint32_t id, uint64_t *val);
/* gdb register regno as 64 bits (cpsr: the whole PSTATE). */
int dbg_gdb_reg64(struct dbg *d, unsigned int cpu, unsigned int regno, uint64_t *val);
/* cpu's translation regime as it stands. */
int dbg_walker(struct dbg *d, unsigned int cpu, struct arm64_ptw *w);
/* Guest virtual memory as cpu sees it, our breakpoints invisible: the bytes read before the
 * first hole, or -EFAULT. */
int dbg_read_mem(struct dbg *d, unsigned int cpu, gva_t va, void *buf, size_t len);
/* Guest-physical RAM, our breakpoints invisible: the bytes read before the first byte that
 * is not RAM (0 if pa is not). */
size_t dbg_read_phys(struct dbg *d, gpa_t pa, void *buf, size_t len);
