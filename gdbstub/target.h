/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The machine as the GDB stub sees it: one ops struct and a void *opaque. Nothing in gdbstub/
 * knows KVM or arm64; the VMM's debugger implements these ops (src/debugger/gdb.c).
 *
 * Threads: every op below takes a thread's index, 0 .. cpu_count() - 1 (the parameters named
 * cpu). Unless the target names its threads (thread_id), they are the vCPUs: index i is vCPU i
 * and gdb's thread i + 1. A target that shows other threads (a kernel's tasks) maps indexes to
 * its own ids, which gdb keeps across stops; indexes need only hold while stopped. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* gdb's own signal numbers (gdb/include/gdb/signals.def), carried in stop replies. */
#define GDB_SIGNAL_0 0
#define GDB_SIGNAL_INT 2
#define GDB_SIGNAL_TRAP 5

/* Z/z packet types (GDB manual, "Packets": Z0..Z4). */
enum gdb_bp_type {
	GDB_BP_SW = 0,    /* software breakpoint; kind = instruction size */
	GDB_BP_HW = 1,    /* hardware breakpoint; kind = instruction size */
	GDB_WP_WRITE = 2, /* watchpoints; kind = byte length */
	GDB_WP_READ = 3,
	GDB_WP_ACCESS = 4,
};

enum gdb_action_kind {
	GDB_ACT_NONE, /* stay stopped (also vCont 't') */
	GDB_ACT_CONTINUE,
	GDB_ACT_STEP,  /* one instruction */
	GDB_ACT_RANGE, /* vCont 'r': step until the PC leaves [start, end); start == end is a step
			*/
};

struct gdb_action {
	enum gdb_action_kind kind;
	uint8_t sig; /* signal of C/S actions (0 for none): a VM has nowhere to deliver it */
	uint64_t start, end; /* GDB_ACT_RANGE only */
};

/* Most per-thread actions one vCont may name; gdb sends one or two. */
#define GDB_RESUME_MAX 16

/* What to run, as parsed from c/s/C/S/vCont. All-stop mode: when any vCPU stops, the target
 * stops all of them and reports that one stop with gdb_notify_stop(). */
struct gdb_resume {
	struct gdb_action def; /* for every vCPU not listed in cpus[] */
	unsigned int nr;
	struct {
		unsigned int cpu;
		struct gdb_action act;
	} cpus[GDB_RESUME_MAX]; /* each cpu at most once */
	bool set_pc;            /* c/s/C/S with an address: set pc_cpu's PC to pc before resuming */
	unsigned int pc_cpu;
	uint64_t pc;
};

enum gdb_stop_reason {
	GDB_STOP_TRAP,       /* a step or range step ended, or any trap: T05 */
	GDB_STOP_INTERRUPT,  /* stopped on request (Ctrl-C -> interrupt op): T02 */
	GDB_STOP_SWBREAK,    /* T05 swbreak: (PC at the breakpoint) */
	GDB_STOP_HWBREAK,    /* T05 hwbreak: */
	GDB_STOP_WATCH,      /* T05 watch:addr (write) */
	GDB_STOP_RWATCH,     /* T05 rwatch:addr */
	GDB_STOP_AWATCH,     /* T05 awatch:addr */
	GDB_STOP_SIGNAL,     /* T with stop->sig */
	GDB_STOP_EXITED,     /* W code: the guest is gone (e.g. PSCI SYSTEM_OFF) */
	GDB_STOP_TERMINATED, /* X sig */
};

struct gdb_stop {
	enum gdb_stop_reason reason;
	unsigned int cpu; /* the vCPU that stopped; ignored for EXITED/TERMINATED */
	uint8_t sig;      /* GDB_STOP_SIGNAL and GDB_STOP_TERMINATED only */
	uint8_t code;     /* GDB_STOP_EXITED only: the exit status */
	uint64_t addr;    /* watchpoints only: the data address that triggered */
};

/* Where monitor (qRcmd) output goes; valid only during the rcmd call. */
typedef void (*gdb_print_fn)(void *ctx, const char *buf, size_t len);

/*
 * Return 0 or -errno unless said otherwise. The stub turns -errno into "E<nn>" (two decimal
 * digits: -EINVAL "E22", -EFAULT "E14", -ESRCH "E03") and -ENOTSUP/-ENOSYS into an empty
 * reply ("not supported"). Ops marked optional may be NULL. Ops are called only while the
 * target is stopped, except interrupt, detach (also on disconnect) and kill.
 */
struct gdb_target_ops {
	/* Registers, by gdb number in the target description (the XML from xml()). */
	unsigned int g_nregs;         /* 'g'/'G' carry registers 0 .. g_nregs - 1, concatenated */
	/* Optional (NULL: g_nregs): the same for this opaque, when its register set depends on the
	 * machine (SVE's vector length: registers that would not fit in a packet stay out, and gdb
	 * reads the registers a 'g' reply lacks with 'p'). Fixed for the session's life. */
	unsigned int (*get_g_nregs)(void *opaque);
	const unsigned int *expedite; /* sent in every T stop reply (e.g. pc, sp, fp, lr, cpsr) */
	unsigned int nr_expedite;
	/* Size of register regno in bytes, or -ENOENT if there is no such register. */
	int (*reg_size)(void *opaque, unsigned int regno);
	/* Fill buf (reg_size bytes) in target byte order; -ENODATA: unavailable (sent as "xx"). */
	int (*read_reg)(void *opaque, unsigned int cpu, unsigned int regno, void *buf);
	/* Write reg_size bytes from buf (target byte order). */
	int (*write_reg)(void *opaque, unsigned int cpu, unsigned int regno, const void *buf);

	/* Memory by virtual address, translated as cpu sees it. Returns the bytes read (at least 1,
	 * may be fewer than len if the range crosses into unmapped memory) or -errno (-EFAULT). */
	int (*read_mem)(void *opaque, unsigned int cpu, uint64_t addr, void *buf, size_t len);
	/* All or nothing. */
	int (*write_mem)(void *opaque, unsigned int cpu, uint64_t addr, const void *buf,
			 size_t len);

	/* Number of threads: the vCPUs, or what thread_id names (changes only while stopped). */
	unsigned int (*cpu_count)(void *opaque);
	/* Optional, both or neither (NULL: index i is thread i + 1): the thread id gdb sees for
	 * index i (never 0, never above 0xffffffff), and the index of thread id tid (-ESRCH if
	 * there is none now). */
	uint64_t (*thread_id)(void *opaque, unsigned int i);
	int (*thread_index)(void *opaque, uint64_t tid);
	/* Optional (NULL: all alive): false for a vCPU that is powered off. */
	bool (*cpu_is_alive)(void *opaque, unsigned int cpu);
	/* Optional: text for qThreadExtraInfo ("CPU#0 [stopped] EL1h"); its length or -errno. */
	int (*cpu_describe)(void *opaque, unsigned int cpu, char *buf, size_t cap);

	/* Start running as r says and return at once; report the stop later with gdb_notify_stop()
	 * (which may also be called from inside resume, for a stop that is already known). */
	int (*resume)(void *opaque, const struct gdb_resume *r);
	/* Optional: after resume failed, one line that says why (no newline), or NULL: gdb's
	 * console shows it before the error (gdb itself prints only "Remote failure reply"). */
	const char *(*resume_error)(void *opaque);
	/* Stop all vCPUs (gdb sent Ctrl-C); later report GDB_STOP_INTERRUPT or any other stop. */
	void (*interrupt)(void *opaque);

	/* Optional: Z/z packets. cpu is the Hg thread, for address translation. -ENOSPC when out
	 * of hardware slots, -EINVAL for a kind the target does not take, -ENOTSUP for a type. */
	int (*insert_bp)(void *opaque, unsigned int cpu, enum gdb_bp_type type, uint64_t addr,
			 uint64_t kind);
	int (*remove_bp)(void *opaque, unsigned int cpu, enum gdb_bp_type type, uint64_t addr,
			 uint64_t kind);

	/* Remove every breakpoint and watchpoint, leave single-step, resume all vCPUs. Called for
	 * 'D' and by gdb_disconnect() when the connection drops without one. */
	int (*detach)(void *opaque);
	/* Optional ('k'; NULL: detach): the VMM decides what killing the VM means. No reply. */
	void (*kill)(void *opaque);

	/* Optional: the XML document named annex for qXfer:features:read ("target.xml" and the
	 * files it includes), or NULL if unknown. Must stay valid while the session lives. */
	const char *(*xml)(void *opaque, const char *annex, size_t *len);
	/* Optional: the memory map for qXfer:memory-map:read (gdb's "Memory Map Format" XML), or
	 * NULL when the target has none to give; asked at qSupported, so it may depend on the
	 * machine. Must stay valid while the session lives. gdb then uses hardware breakpoints
	 * in "rom" and "flash" regions by itself, and refuses its own writes there. */
	const char *(*memory_map)(void *opaque, size_t *len);
	/* Optional (qSymbol): the symbols the target would like gdb to look up in its symbol
	 * file: the i-th name, NULL past the last; and each answer (known false: gdb has no such
	 * symbol). Asked each time gdb offers (at connect, after it loads symbols). */
	const char *(*symbol_next)(void *opaque, unsigned int i);
	void (*symbol_value)(void *opaque, const char *name, bool known, uint64_t value);
	/* Optional (qOffsets): how far the program runs from where its symbol file says, for
	 * gdb to relocate the symbols (a kernel's KASLR offset). -ENOENT when not known: gdb
	 * then keeps the file's addresses. */
	int (*offsets)(void *opaque, uint64_t *text, uint64_t *data);
	/* Optional: run a monitor command (gdb "monitor ..."); output goes through print. */
	int (*rcmd)(void *opaque, const char *cmd, gdb_print_fn print, void *print_ctx);
};

/* The action r gives cpu: its own entry if it has one, else r->def. */
const struct gdb_action *gdb_resume_action(const struct gdb_resume *r, unsigned int cpu);
