/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the command line asks for: filled by main.c, read by the board. */
#pragma once

#include <stdbool.h>
#include "cpu_opts.h"
#include "types.h"

#define VM_RAM_BASE 0x40000000ull /* QEMU virt */
#define VM_DEFAULT_RAM (256ull << 20)

struct vm_config {
	const char *image;    /* NULL only with --bios: the firmware alone */
	const char *bios;     /* --bios: firmware in flash bank 0, the vCPUs start there */
	const char *bios_vars; /* --bios-vars: flash bank 1's file */
	uint64_t ram_size;
	unsigned int nr_cpus;
	struct cpu_opts cpu;  /* --cpu: the host CPU's features the vCPUs get */
	const char *append;   /* kernel command line */
	const char *initrd;
	const char *dtb;      /* use this device tree instead of generating one */
	const char *dump_dtb; /* write the generated one there and exit */
	const char *dump_on_panic; /* a core dump there when a Linux guest panics */
	gpa_t load_addr;      /* raw binaries; 0 = start of RAM */
	bool has_kaslr_seed;
	uint64_t kaslr_seed;
	bool no_reboot;
	bool no_seccomp;      /* no system-call filter after set-up */
	const char *gdb;      /* --gdb [HOST]:PORT or unix:PATH */
	bool wait_gdb;        /* -S */
	bool gdb_tasks;       /* --gdb-threads tasks: gdb's threads are the kernel's tasks */
	bool monitor_stdio;   /* --monitor: the prompt on the terminal at start */
	const char *monitor_unix; /* --monitor unix:PATH */
	bool verbose;
};

/* Exit statuses (documented in --help and the man page). */
enum {
	EXIT_POWEROFF = 0,  /* the guest powered off (PSCI SYSTEM_OFF) */
	EXIT_ERROR = 1,     /* minivmm could not set the machine up or run it */
	EXIT_USAGE = 2,     /* bad command line */
	EXIT_REBOOT = 3,    /* the guest asked for a reset and --no-reboot was given */
	EXIT_GUEST_ERR = 4, /* KVM stopped the guest with an error */
	EXIT_KILLED = 5,    /* gdb killed the guest (the k packet) */
	EXIT_SIGNAL = 128,  /* + the signal number: SIGINT, SIGTERM or SIGHUP ended minivmm */
};
