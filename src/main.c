// SPDX-License-Identifier: GPL-3.0-or-later
/* minivmm: command line, set-up, the main loop, and the only exit(). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "board.h"
#include "config.h"
#include "console.h"
#include "debugger.h"
#include "gdbserver.h"
#include "kvm_cpu.h"
#include "log.h"
#include "seccomp.h"
#include "loop.h"
#include "monitor.h"
#include "vcpu.h"

struct minivmm {
	struct vm_config cfg;
	struct board board;
	struct loop loop;
	int signal_fd;
	int tick_fd; /* the debugger's clock (dbg_tick) */
	bool dumped; /* --dump-on-panic wrote its dump */
	struct gdbserver *gdb;
	struct kvm_cpu *cpu; /* the debugger's view of the vCPUs */
	struct dbg *dbg;
	struct vcpu_hooks hooks;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: minivmm [OPTIONS] IMAGE\n"
		"       minivmm [OPTIONS] --bios FIRMWARE [IMAGE]\n"
		"Run IMAGE (an arm64 Linux Image, an aarch64 ELF or a raw binary) in a KVM\n"
		"virtual machine laid out like QEMU's virt board; or boot FIRMWARE (U-Boot,\n"
		"EDK2) from flash, which finds IMAGE, --initrd and --append in fw_cfg.\n"
		"\n"
		"  -m, --memory SIZE     guest RAM, with K/M/G suffix (default 256M)\n"
		"  -c, --cpus N          number of vCPUs (default 1)\n"
		"      --cpu FEATURE=VALUE[,...]  the host CPU's features the vCPUs get: sve,\n"
		"                        pauth (pointer authentication), pmu (PMUv3), each on\n"
		"                        or off (default: on where the host's KVM has it);\n"
		"                        sve-vl=BITS, SVE's largest vector length (default: the\n"
		"                        host's). The monitor's info cpu says what they got\n"
		"      --append CMDLINE  kernel command line (default none)\n"
		"      --initrd FILE     initial RAM disk for a Linux guest (default none)\n"
		"      --bios FILE       firmware in flash bank 0 at 0x0, read-only, where the\n"
		"                        vCPUs start; the device tree is at 0x40000000\n"
		"                        (default none: IMAGE is loaded and entered directly)\n"
		"      --bios-vars FILE  flash bank 1 at 0x04000000 (the firmware's variables)\n"
		"                        kept in FILE, 64 MiB, made if missing (default: the\n"
		"                        bank is lost at exit)\n"
		"      --load-addr ADDR  where a raw binary goes (default 0x40000000, start of RAM)\n"
		"      --dtb FILE        give the guest this device tree instead of the generated\n"
		"                        one (/chosen gets --append and --initrd; default none)\n"
		"      --dump-dtb FILE   write the generated device tree to FILE and exit\n"
		"      --dump-on-panic FILE  when a Linux guest panics, write the whole machine\n"
		"                        to FILE as an ELF core, as the monitor's\n"
		"                        dump-guest-memory (default: no dump)\n"
		"      --kaslr-seed N    put /chosen/kaslr-seed = N in the device tree, so that\n"
		"                        Linux randomises its base (default none: it does not)\n"
		"      --no-reboot       exit with status 3 when the guest resets (default: reset)\n"
		"      --no-seccomp      no system-call filter once set up (default: filter on)\n"
		"      --gdb [HOST]:PORT serve gdb there (HOST defaults to 127.0.0.1)\n"
		"      --gdb unix:PATH   serve gdb on a unix socket (default: no gdb)\n"
		"      --gdb-threads vcpus|tasks  what gdb's threads are: the vCPUs (default),\n"
		"                        or a Linux guest's tasks, read from its memory with\n"
		"                        gdb's vmlinux (docs/kernel-debugging.md)\n"
		"  -S, --wait-gdb        hold every vCPU at its first instruction until gdb\n"
		"                        attaches and resumes it, or the monitor's cont (needs\n"
		"                        --gdb or --monitor)\n"
		"      --monitor [stdio] start at the monitor prompt on the terminal (default:\n"
		"                        the guest console; Ctrl-A c switches either way)\n"
		"      --monitor unix:PATH  serve the monitor on a unix socket, for scripts\n"
		"  -v, --verbose         print debugging messages\n"
		"  -h, --help            show this help and exit\n"
		"  -V, --version         show the version and exit\n"
		"\n"
		"Console: the guest's PL011 is on stdin/stdout; Ctrl-A x quits, Ctrl-A c\n"
		"switches to the monitor prompt and back ('help' there lists its commands).\n"
		"Exit status: 0 guest powered off, 1 error, 2 bad usage, 3 guest reset with\n"
		"--no-reboot, 4 the guest stopped with a KVM error, 5 gdb killed the guest,\n"
		"128+N ended by signal N.\n");
}

/* SIZE with an optional K/M/G suffix; bytes. */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	uint64_t v, mul = 1;

	errno = 0;
	if (*s == '-' || *s == '\0')
		return -EINVAL;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': mul = 1ull << 10; end++; break;
	case 'm': case 'M': mul = 1ull << 20; end++; break;
	case 'g': case 'G': mul = 1ull << 30; end++; break;
	case '\0': break;
	default: return -EINVAL;
	}
	if (*end && !(end[0] == 'B' && end[1] == '\0'))
		return -EINVAL;
	if (__builtin_mul_overflow(v, mul, out))
		return -ERANGE;
	return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	if (*s == '-' || *s == '\0')
		return -EINVAL;
	*out = strtoull(s, &end, 0);
	return errno || *end ? -EINVAL : 0;
}

enum { OPT_APPEND = 256, OPT_INITRD, OPT_LOAD_ADDR, OPT_NO_REBOOT, OPT_DTB, OPT_DUMP_DTB,
       OPT_KASLR_SEED, OPT_GDB, OPT_GDB_THREADS, OPT_MONITOR, OPT_NO_SECCOMP,
       OPT_DUMP_ON_PANIC, OPT_CPU, OPT_BIOS, OPT_BIOS_VARS };

/* --dump-on-panic FILE: a file that can be made there, and not one that is there (an earlier
 * dump is never overwritten). 0, or the error told. */
static int dump_path_ok(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];

	if (!access(path, F_OK)) {
		log_err("--dump-on-panic: %s exists (minivmm keeps earlier dumps: move it or name "
			"another file)", path);
		return -EEXIST;
	}
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + 1 : 1, slash ? path : ".");
	if (access(dir, W_OK | X_OK)) {
		log_err("--dump-on-panic: cannot write %s: %s", path, strerror(errno));
		return -errno;
	}
	return 0;
}

static const struct option long_opts[] = {
	{ "memory", required_argument, NULL, 'm' },
	{ "cpus", required_argument, NULL, 'c' },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "bios", required_argument, NULL, OPT_BIOS },
	{ "bios-vars", required_argument, NULL, OPT_BIOS_VARS },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "load-addr", required_argument, NULL, OPT_LOAD_ADDR },
	{ "no-reboot", no_argument, NULL, OPT_NO_REBOOT },
	{ "dtb", required_argument, NULL, OPT_DTB },
	{ "dump-dtb", required_argument, NULL, OPT_DUMP_DTB },
	{ "dump-on-panic", required_argument, NULL, OPT_DUMP_ON_PANIC },
	{ "kaslr-seed", required_argument, NULL, OPT_KASLR_SEED },
	{ "gdb", required_argument, NULL, OPT_GDB },
	{ "gdb-threads", required_argument, NULL, OPT_GDB_THREADS },
	{ "wait-gdb", no_argument, NULL, 'S' },
	{ "monitor", optional_argument, NULL, OPT_MONITOR },
	{ "no-seccomp", no_argument, NULL, OPT_NO_SECCOMP },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ 0 },
};

/* --monitor, --monitor=SPEC or --monitor SPEC, SPEC being stdio or unix:PATH. The
 * separate form takes the next argument only if it looks like a SPEC, so that
 * `--monitor IMAGE` works. */
static int parse_monitor(struct vm_config *cfg, int argc, char **argv)
{
	const char *spec = optarg;

	if (!spec && optind < argc &&
	    (!strcmp(argv[optind], "stdio") || !strncmp(argv[optind], "unix:", 5)))
		spec = argv[optind++];
	if (!spec || !strcmp(spec, "stdio")) {
		cfg->monitor_stdio = true;
	} else if (!strncmp(spec, "unix:", 5) && spec[5]) {
		cfg->monitor_unix = spec + 5;
	} else {
		log_err("--monitor %s: expected stdio or unix:PATH", spec);
		return -EINVAL;
	}
	return 0;
}

/* Returns -1 to go on, or an exit status. */
static int parse_args(struct vm_config *cfg, int argc, char **argv)
{
	char why[256];
	uint64_t v;
	int c;

	cfg->ram_size = VM_DEFAULT_RAM;
	cfg->nr_cpus = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:c:SvhV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (parse_size(optarg, &cfg->ram_size) || cfg->ram_size == 0) {
				log_err("invalid memory size '%s' (expected e.g. 256M or 1G)", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'c':
			if (parse_u64(optarg, &v) || v == 0 || v > VM_MAX_CPUS) {
				log_err("invalid number of CPUs '%s' (1 to %d)", optarg, VM_MAX_CPUS);
				return EXIT_USAGE;
			}
			cfg->nr_cpus = v;
			break;
		case OPT_CPU:
			if (cpu_opts_parse(optarg, &cfg->cpu, why, sizeof(why))) {
				log_err("%s", why);
				return EXIT_USAGE;
			}
			break;
		case OPT_BIOS:
			cfg->bios = optarg;
			break;
		case OPT_BIOS_VARS:
			cfg->bios_vars = optarg;
			break;
		case OPT_APPEND:
			cfg->append = optarg;
			break;
		case OPT_INITRD:
			cfg->initrd = optarg;
			break;
		case OPT_LOAD_ADDR:
			if (parse_u64(optarg, &cfg->load_addr)) {
				log_err("invalid load address '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_NO_REBOOT:
			cfg->no_reboot = true;
			break;
		case OPT_DTB:
			cfg->dtb = optarg;
			break;
		case OPT_DUMP_DTB:
			cfg->dump_dtb = optarg;
			break;
		case OPT_DUMP_ON_PANIC:
			cfg->dump_on_panic = optarg;
			break;
		case OPT_KASLR_SEED:
			if (parse_u64(optarg, &cfg->kaslr_seed)) {
				log_err("invalid KASLR seed '%s' (a 64-bit number)", optarg);
				return EXIT_USAGE;
			}
			cfg->has_kaslr_seed = true;
			break;
		case OPT_GDB:
			cfg->gdb = optarg;
			break;
		case OPT_GDB_THREADS:
			if (strcmp(optarg, "vcpus") && strcmp(optarg, "tasks")) {
				log_err("invalid --gdb-threads '%s' (vcpus or tasks)", optarg);
				return EXIT_USAGE;
			}
			cfg->gdb_tasks = !strcmp(optarg, "tasks");
			break;
		case OPT_NO_SECCOMP:
			cfg->no_seccomp = true;
			break;
		case OPT_MONITOR:
			if (parse_monitor(cfg, argc, argv))
				return EXIT_USAGE;
			break;
		case 'S':
			cfg->wait_gdb = true;
			break;
		case 'v':
			cfg->verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("minivmm %s\n", MINIVMM_VERSION);
			return 0;
		case ':':
			log_err("option '%s' needs an argument (see --help)", argv[optind - 1]);
			return EXIT_USAGE;
		default:
			log_err("unknown option '%s' (see --help)", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 && !(cfg->bios && optind == argc)) {
		log_err(optind == argc ? "no image given (see --help)"
				       : "more than one image given (see --help)");
		return EXIT_USAGE;
	}
	cfg->image = optind < argc ? argv[optind] : NULL;
	if (cfg->bios_vars && !cfg->bios) {
		log_err("--bios-vars is flash for the firmware: give --bios FILE too");
		return EXIT_USAGE;
	}
	if (cfg->bios && cfg->load_addr) {
		log_err("--load-addr: with --bios the image is not loaded by minivmm but handed "
			"to the firmware through fw_cfg");
		return EXIT_USAGE;
	}
	if (cfg->bios && !cfg->image && (cfg->initrd || cfg->append)) {
		log_err("%s: the firmware gets it through fw_cfg with a kernel image: give IMAGE too",
			cfg->initrd ? "--initrd" : "--append");
		return EXIT_USAGE;
	}
	if (cfg->wait_gdb && !cfg->gdb && !cfg->monitor_stdio && !cfg->monitor_unix) {
		log_err("-S waits for gdb: give --gdb [HOST]:PORT or --gdb unix:PATH too");
		return EXIT_USAGE;
	}
	if (cfg->monitor_stdio && !isatty(STDIN_FILENO)) {
		log_err("--monitor: stdin is not a terminal (scripts: --monitor unix:PATH)");
		return EXIT_USAGE;
	}
	if (cfg->dump_on_panic && dump_path_ok(cfg->dump_on_panic))
		return EXIT_USAGE;
	if (cfg->dtb && cfg->dump_dtb) {
		log_err("--dtb and --dump-dtb exclude each other: only a generated tree is dumped");
		return EXIT_USAGE;
	}
	return -1;
}

struct dump_msg {
	char text[1024];
	size_t len;
};

static void dump_print(void *ctx, const char *buf, size_t len)
{
	struct dump_msg *d = ctx;
	size_t n = len < sizeof(d->text) - 1 - d->len ? len : sizeof(d->text) - 1 - d->len;

	memcpy(d->text + d->len, buf, n);
	d->len += n;
	d->text[d->len] = '\0';
}

/* The guest panicked: the dump first, once a run, while every vCPU is paused. */
static void dump_on_panic(struct minivmm *m)
{
	struct dump_msg msg = { .len = 0 };
	char line[4200];

	if (!m->cfg.dump_on_panic || m->dumped)
		return;
	m->dumped = true;
	snprintf(line, sizeof(line), "dump-guest-memory %s", m->cfg.dump_on_panic);
	mon_rcmd(line, dump_print, &msg);
	msg.text[strcspn(msg.text, "\n")] = '\0';
	log_err("--dump-on-panic: %s", msg.text);
}

/* gdb is attached with vmlinux: minivmm's stop at panic() (SIGABRT, src/debugger/linux.c)
 * comes before the kernel prints anything. Called before gdb hears of the stop. */
static void on_dbg_stop(void *opaque, const struct gdb_stop *st)
{
	if (st->reason == GDB_STOP_SIGNAL && st->sig == 6)
		dump_on_panic(opaque);
}

static void on_vm_event(void *opaque, int fd, unsigned int revents)
{
	struct minivmm *m = opaque;
	unsigned int ev = vm_take_events(&m->board.vm);

	if (ev & (1u << VM_EV_PANIC))
		dump_on_panic(m); /* first: a reset may have come with it */

	if (ev & (1u << VM_EV_ERROR)) {
		dbg_on_guest_exit(m->dbg, EXIT_GUEST_ERR);
		loop_quit(&m->loop, EXIT_GUEST_ERR);
	} else if (ev & (1u << VM_EV_SHUTDOWN)) {
		dbg_on_guest_exit(m->dbg, EXIT_POWEROFF);
		loop_quit(&m->loop, EXIT_POWEROFF);
	} else if (ev & (1u << VM_EV_STOPPED)) {
		dbg_on_stopped(m->dbg);
	} else if (ev & (1u << VM_EV_RESET)) {
		char err[256];

		if (m->cfg.no_reboot) {
			loop_quit(&m->loop, EXIT_REBOOT);
			return;
		}
		vcpu_pause_all(&m->board.vm);
		if (board_reset(&m->board, err, sizeof(err))) {
			log_err("guest reset failed: %s", err);
			loop_quit(&m->loop, EXIT_ERROR);
			return;
		}
		vcpu_resume_all(&m->board.vm);
	}
}

static void on_signal(void *opaque, int fd, unsigned int revents)
{
	struct minivmm *m = opaque;
	struct signalfd_siginfo si;

	if (read(fd, &si, sizeof(si)) != sizeof(si))
		return;
	loop_quit(&m->loop, EXIT_SIGNAL + (int)si.ssi_signo);
}

/* SIGINT, SIGTERM and SIGHUP become loop events, so that every exit path goes
 * through the same clean-up. Blocked before any thread exists: all inherit it. */
static int setup_signals(struct minivmm *m)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1); /* only vCPU threads take it */
	if (pthread_sigmask(SIG_BLOCK, &set, NULL))
		return -EINVAL;
	sigdelset(&set, SIGUSR1);
	m->signal_fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (m->signal_fd < 0)
		return -errno;
	return loop_add(&m->loop, m->signal_fd, POLLIN, on_signal, m);
}

static int hook_before_run(void *opaque, unsigned int cpu)
{
	return dbg_before_run(opaque, cpu);
}

static bool hook_debug_exit(void *opaque, unsigned int cpu, uint64_t esr, uint64_t far)
{
	return dbg_on_exit(opaque, cpu, esr, far);
}

static void warn(const char *msg)
{
	log_warn("%s", msg);
}

static void kill_guest(void *opaque)
{
	struct minivmm *m = opaque;

	loop_quit(&m->loop, EXIT_KILLED);
}

static int rcmd(void *opaque, const char *cmd, gdb_print_fn print, void *ctx)
{
	return mon_rcmd(cmd, print, ctx);
}

static void on_rtc_timer(void *opaque, int fd, unsigned int revents)
{
	board_rtc_timer_fired(&((struct minivmm *)opaque)->board);
}

static void on_tick(void *opaque, int fd, unsigned int revents)
{
	struct minivmm *m = opaque;
	uint64_t n;

	if (read(fd, &n, sizeof(n)) == sizeof(n))
		dbg_tick(m->dbg);
}

/* Every DBG_TICK_MS, for the debugger's one timeout (a vCPU stepping alone too long). */
static int setup_tick(struct minivmm *m)
{
	const struct timespec period = { .tv_nsec = DBG_TICK_MS * 1000000L };
	struct itimerspec its = { .it_interval = period, .it_value = period };

	m->tick_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (m->tick_fd < 0)
		return -errno;
	if (timerfd_settime(m->tick_fd, 0, &its, NULL))
		return -errno;
	return loop_add(&m->loop, m->tick_fd, POLLIN, on_tick, m);
}

/* The debugger over the vCPUs, wired to gdb, the monitor and the vCPU threads. */
static int setup_debugger(struct minivmm *m)
{
	struct dbg_config dc = { .ops = &kvm_cpu_ops, .nr_cpus = m->board.vm.nr_vcpus,
				 .ram_base = m->board.ram.base, .ram_size = m->board.ram.size,
				 .memory_map = board_memory_map(&m->board), .warn = warn };
	bool has_debug;
	int ret;

	kvm_cpu_debug_caps(&m->board.vm, &dc.nr_hw_bps, &dc.nr_hw_wps, &has_debug);
	if (!has_debug)
		return -ENOTSUP;
	log_debug("KVM guest debug: %u hardware breakpoints, %u watchpoints", dc.nr_hw_bps,
		  dc.nr_hw_wps);
	m->cpu = kvm_cpu_new(&m->board.vm);
	dc.ctx = m->cpu;
	m->dbg = m->cpu ? dbg_new(&dc) : NULL;
	if (!m->dbg)
		return -ENOMEM;
	dbg_set_kill(m->dbg, kill_guest, m);
	dbg_set_rcmd(m->dbg, rcmd, NULL);
	dbg_set_wait(m->dbg, m->cfg.wait_gdb);
	dbg_set_thread_mode(m->dbg, m->cfg.gdb_tasks ? DBG_THREADS_TASKS : DBG_THREADS_VCPUS);
	ret = setup_tick(m);
	if (ret)
		return ret;
	if (m->cfg.dump_on_panic && (ret = dbg_subscribe(m->dbg, on_dbg_stop, m)))
		return ret;
	if (m->gdb && (ret = gdbserver_set_debugger(m->gdb, m->dbg)))
		return ret;
	m->hooks = (struct vcpu_hooks){ hook_before_run, hook_debug_exit, m->dbg };
	vcpu_set_hooks(&m->board.vm, &m->hooks);
	return 0;
}

static void teardown(struct minivmm *m)
{
	board_destroy(&m->board);
	gdbserver_close(m->gdb);
	m->gdb = NULL;
	mon_close();
	dbg_free(m->dbg);
	m->dbg = NULL;
	kvm_cpu_free(m->cpu);
	m->cpu = NULL;
	if (m->tick_fd >= 0)
		close(m->tick_fd);
	m->tick_fd = -1;
}

static int run(struct minivmm *m)
{
	char err[512];
	unsigned int i;
	int ret, status;

	loop_init(&m->loop);
	ret = setup_signals(m);
	if (ret) {
		log_err("cannot set up signal handling: %s", strerror(-ret));
		return EXIT_ERROR;
	}
	if (m->cfg.gdb && !(m->gdb = gdbserver_listen(&m->loop, m->cfg.gdb, err, sizeof(err)))) {
		log_err("%s", err);
		return EXIT_ERROR;
	}
	if (m->cfg.monitor_unix && mon_listen(&m->loop, m->cfg.monitor_unix, err, sizeof(err))) {
		log_err("%s", err);
		gdbserver_close(m->gdb);
		return EXIT_ERROR;
	}
	ret = board_create(&m->board, &m->cfg, err, sizeof(err));
	if (ret) {
		log_err("%s", err);
		gdbserver_close(m->gdb);
		mon_close();
		return EXIT_ERROR;
	}
	ret = loop_add(&m->loop, m->board.vm.event_fd, POLLIN, on_vm_event, m);
	if (!ret)
		ret = loop_add(&m->loop, m->board.rtc_timer_fd, POLLIN, on_rtc_timer, m);
	if (!ret)
		ret = setup_debugger(m);
	if (!ret)
		ret = console_init(&m->loop, &m->board.uart);
	for (i = 0; !ret && i < m->board.vm.nr_vcpus; i++)
		ret = vcpu_start(&m->board.vm.vcpus[i]);
	if (ret) {
		log_err("cannot start the machine: %s", strerror(-ret));
		teardown(m);
		return EXIT_ERROR;
	}
	mon_init(&(struct mon_wiring){ .board = &m->board, .loop = &m->loop, .dbg = m->dbg,
				       .gdb = m->gdb },
		 m->cfg.monitor_stdio);
	if (!m->cfg.no_seccomp && (ret = seccomp_lock_down())) {
		log_err("cannot install the system-call filter: %s (--no-seccomp runs without)",
			strerror(-ret));
		teardown(m);
		return EXIT_ERROR;
	}
	if (!m->cfg.wait_gdb)
		vcpu_resume_all(&m->board.vm);
	status = loop_run(&m->loop);
	teardown(m);
	console_restore();
	return status;
}

int main(int argc, char **argv)
{
	static struct minivmm m = { .tick_fd = -1 };
	int status = parse_args(&m.cfg, argc, argv);

	if (status >= 0)
		return status;
	log_set_verbose(m.cfg.verbose);
	if (m.cfg.dump_dtb) {
		char err[512];

		if (board_dump_dtb(&m.board, &m.cfg, err, sizeof(err))) {
			log_err("%s", err);
			return EXIT_ERROR;
		}
		return 0;
	}
	return run(&m);
}
