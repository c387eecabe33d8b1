// SPDX-License-Identifier: GPL-3.0-or-later
/* The monitor's command table and handlers, shared by every front end (terminal, socket,
 * gdb). Arguments arrive parsed and checked (src/monitor_parse.c); a handler prints its
 * output, or one "error: ..." line, and returns 0 or -errno.
 *
 * Registers are read with KVM_GET_ONE_REG, which is only meaningful while the vCPU is out of
 * KVM_RUN: commands that read them pause every vCPU for the read and let run again exactly
 * those that were running. While gdb is attached it owns the run state: stop, cont and step
 * are refused then (gdb would not know the guest moved under it). */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "board.h"
#include "config.h"
#include "debugger.h"
#include "gdbserver.h"
#include "loader.h"
#include "log.h"
#include "loop.h"
#include "monitor.h"
#include "src/arm64/esr.h"
#include "src/arm64/gdbregs.h"
#include "src/arm64/regs.h"
#include "src/linux/vmcoreinfo.h"
#include "src/monitor_internal.h"
#include "vcpu.h"

#define STEP_TIMEOUT_MS 2000

static struct {
	struct board *b;
	struct loop *loop;
	struct dbg *dbg;
	struct gdbserver *gdb;
} m;

void mon_cmds_init(const struct mon_wiring *w)
{
	m.b = w->board;
	m.loop = w->loop;
	m.dbg = w->dbg;
	m.gdb = w->gdb;
}

static struct vcpu *cpu(uint64_t i)
{
	return &m.b->vm.vcpus[i];
}

static int err(const struct mon_out *o, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* One "error: ..." line; returns ret. */
static int err(const struct mon_out *o, int ret, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	mon_printf(o, "error: %s\n", line);
	return ret;
}

/* ------------------------------------------------------------- pausing for reads */

struct pause {
	bool was_running[VM_MAX_CPUS];
};

static void pause_begin(struct pause *p)
{
	vcpu_pause_all_save(&m.b->vm, p->was_running);
}

/* Let run again what ran before; not a vCPU that stopped for the debugger meanwhile (it
 * posted its stop: the main loop reports it next). */
static void pause_end(const struct pause *p)
{
	unsigned int i;

	for (i = 0; i < m.b->vm.nr_vcpus; i++)
		if (p->was_running[i] && !dbg_cpu_has_stop(m.dbg, i))
			vcpu_resume(cpu(i));
}

static bool guest_is_running(void)
{
	struct vm *vm = &m.b->vm;
	bool running = false;
	unsigned int i;

	pthread_mutex_lock(&vm->lock);
	for (i = 0; i < vm->nr_vcpus; i++)
		running |= vm->vcpus[i].want_run;
	pthread_mutex_unlock(&vm->lock);
	return running;
}

static const char *el_name(uint64_t pstate)
{
	return arm64_el_name(pstate);
}

/* Register regno (gdb's numbering, which names them) of v. */
static int reg64(struct vcpu *v, int regno, uint64_t *val)
{
	return regno < 0 ? -ENOENT : dbg_gdb_reg64(m.dbg, v->id, (unsigned int)regno, val);
}

/* ------------------------------------------------------------------------ help */

static void help_row(const struct mon_out *o, const struct mon_cmd *c)
{
	char syntax[64];

	snprintf(syntax, sizeof(syntax), "%s%s%s%s", c->name, c->flags & MON_F_FMT ? "/FMT" : "",
		 *c->usage ? " " : "", c->usage);
	mon_printf(o, "%-22s %s\n", syntax, c->help);
	if (c->flags & MON_F_FMT)
		mon_printf(o, "%-22s FMT is COUNT, format x d u o t c, size b h w g (as gdb's x)\n",
			   "");
}

static int cmd_help(const struct mon_out *o, const struct mon_args *a)
{
	const char *want = a->n ? a->v[0].str : NULL;
	size_t i, len = want ? strlen(want) : 0;
	bool any = false;

	for (i = 0; i < mon_nr_cmds; i++) {
		const char *name = mon_cmds[i].name;

		/* "help info" shows every info command; "help x" only x. */
		if (want && strcmp(name, want) && (strncmp(name, want, len) || name[len] != ' '))
			continue;
		help_row(o, &mon_cmds[i]);
		any = true;
	}
	if (!any)
		return err(o, -ENOENT, "help: no command '%s' (type 'help' for a list)", want);
	if (!want)
		mon_printf(o, "On the terminal, Ctrl-A c switches between the guest console and "
			      "this prompt; Ctrl-A x quits.\n");
	return 0;
}

/* ------------------------------------------------------------------- info cpus */

static const char *gdb_column(void)
{
	switch (dbg_gdb_state(m.dbg)) {
	case DBG_GDB_RUNNING:
		return "attached";
	case DBG_GDB_HOLDS:
		return "holds it";
	case DBG_GDB_WAITING:
		return "waits (-S)";
	default:
		return "-";
	}
}

static int cmd_info_cpus(const struct mon_out *o, const struct mon_args *a)
{
	struct pause p;
	unsigned int i;

	pause_begin(&p);
	mon_printf(o, "CPU  STATE        PC                  EL       GDB\n");
	for (i = 0; i < m.b->vm.nr_vcpus; i++) {
		struct vcpu *v = cpu(i);
		uint64_t pc, pstate;

		if (vcpu_is_powered_off(v)) {
			mon_printf(o, "%-4u %-12s %-19s %-8s %s\n", i, "powered off", "-", "-",
				   gdb_column());
			continue;
		}
		if (reg64(v, ARM64_GDB_PC, &pc) || reg64(v, ARM64_GDB_CPSR, &pstate)) {
			mon_printf(o, "%-4u %-12s %-19s %-8s %s\n", i, "?", "(unreadable)", "?",
				   gdb_column());
			continue;
		}
		mon_printf(o, "%-4u %-12s 0x%016" PRIx64 "  %-8s %s\n", i,
			   p.was_running[i] ? "running" : "stopped", pc, el_name(pstate),
			   gdb_column());
	}
	pause_end(&p);
	return 0;
}

/* ----------------------------------------------------------------- info cpu */

/* What the vCPUs got of the host's CPU (--cpu), and why a feature is missing. */
static void feature_line(const struct mon_out *o, const char *name, bool on, bool host_lacks,
			 const char *what)
{
	if (on)
		mon_printf(o, "%-24s on, %s\n", name, what);
	else
		mon_printf(o, "%-24s off (%s)\n", name,
			   host_lacks ? "this host's KVM has none" : "--cpu");
}

static int cmd_info_cpu(const struct mon_out *o, const struct mon_args *a)
{
	const struct vcpu_features *f = &m.b->features;
	unsigned long long vls[8];
	char text[320] = "", vl[256];
	uint64_t pmcr = 0;
	struct pause p;
	int ret = 0;

	pause_begin(&p);
	if (f->sve)
		ret = vcpu_sve_vls(cpu(0), vls);
	if (!ret && f->pmu) /* PMCR_EL0: N, its counters, in bits [15:11] */
		ret = vcpu_get_reg(cpu(0), ARM64_SYS_REG(3, 3, 9, 12, 0), &pmcr);
	pause_end(&p);
	if (ret)
		return err(o, ret, "info cpu: reading cpu0's registers: %s", strerror(-ret));
	mon_printf(o, "%u vCPUs, each with:\n", m.b->vm.nr_vcpus);
	if (f->sve) {
		cpu_sve_vls_str(vls, 8, vl, sizeof(vl));
		snprintf(text, sizeof(text), "vector lengths %s bits (the registers gdb sees: %u)",
			 vl, cpu(0)->sve_vq * 128);
	}
	feature_line(o, "SVE", f->sve, f->host_lacks_sve, text);
	feature_line(o, "pointer authentication", f->pauth, f->host_lacks_pauth,
		     "address and generic (APIA/APIB/APDA/APDB/APGA keys)");
	snprintf(text, sizeof(text), "PMUv3, %u event counters, overflow interrupt PPI %u",
		 (unsigned int)(pmcr >> 11) & 0x1f, BOARD_PMU_PPI);
	feature_line(o, "PMU", f->pmu, f->host_lacks_pmu, text);
	return 0;
}

/* -------------------------------------------------------------- info registers */

static const char *const sysregs[] = {
	"SP_EL0",    "SP_EL1",  "ELR_EL1",   "SPSR_EL1",  "ESR_EL1",  "FAR_EL1",   "VBAR_EL1",
	"SCTLR_EL1", "TCR_EL1", "TTBR0_EL1", "TTBR1_EL1", "MAIR_EL1", "TPIDR_EL1", "CONTEXTIDR_EL1",
};

/* name=value, or name=? when it cannot be read. */
static void reg_cell(struct vcpu *v, const char *name, int regno, int width, char *out, size_t cap)
{
	uint64_t val;

	if (reg64(v, regno, &val))
		snprintf(out, cap, "%-*s %-18s", width, name, "?");
	else
		snprintf(out, cap, "%-*s 0x%016" PRIx64, width, name, val);
}

static void print_gprs(const struct mon_out *o, struct vcpu *v)
{
	char cell[3][64], name[8];
	unsigned int i;

	for (i = 0; i < 33; i++) {
		snprintf(name, sizeof(name), i < 31 ? "x%u" : i == 31 ? "sp" : "pc", i);
		reg_cell(v, name,
			 i < 31    ? (int)i
			 : i == 31 ? ARM64_GDB_SP
				   : ARM64_GDB_PC,
			 3, cell[i % 3], sizeof(cell[0]));
		if (i % 3 == 2 || i == 32)
			mon_printf(o, "%s%s%s%s%s\n", cell[0], i % 3 ? "  " : "",
				   i % 3 ? cell[1] : "", i % 3 == 2 ? "  " : "",
				   i % 3 == 2 ? cell[2] : "");
	}
}

static void print_pstate(const struct mon_out *o, struct vcpu *v)
{
	uint64_t ps;

	if (reg64(v, ARM64_GDB_CPSR, &ps)) {
		mon_printf(o, "cpsr ?\n");
		return;
	}
	mon_printf(o, "cpsr 0x%08" PRIx64 "  [ %c%c%c%c %s %s%s%s%s]\n", ps,
		   ps & (1ull << 31) ? 'N' : 'n', ps & (1ull << 30) ? 'Z' : 'z',
		   ps & (1ull << 29) ? 'C' : 'c', ps & (1ull << 28) ? 'V' : 'v', el_name(ps),
		   ps & ARM64_PSTATE_D ? "D" : "", ps & ARM64_PSTATE_A ? "A" : "",
		   ps & ARM64_PSTATE_I ? "I" : "", ps & ARM64_PSTATE_F ? "F " : " ");
}

static int cmd_info_registers(const struct mon_out *o, const struct mon_args *a)
{
	struct vcpu *v = cpu(a->n ? a->v[0].num : 0);
	char cell[2][64];
	struct pause p;
	unsigned int i;

	pause_begin(&p);
	mon_printf(o, "CPU %u%s\n", v->id, vcpu_is_powered_off(v) ? " (powered off)" : "");
	print_gprs(o, v);
	print_pstate(o, v);
	for (i = 0; i < ARRAY_SIZE(sysregs); i++) {
		reg_cell(v, sysregs[i], arm64_gdb_reg_by_name(sysregs[i]), 14, cell[i % 2],
			 sizeof(cell[0]));
		if (i % 2 || i == ARRAY_SIZE(sysregs) - 1)
			mon_printf(o, "%s%s%s\n", cell[0], i % 2 ? "  " : "", i % 2 ? cell[1] : "");
	}
	pause_end(&p);
	return 0;
}

/* ------------------------------------------------------------ info breakpoints */

static void print_bp(void *opaque, const struct dbg_bp_info *bp)
{
	static const char *const kinds[] = {
		[ARM64_WP_READ] = "read", [ARM64_WP_WRITE] = "write", [ARM64_WP_ACCESS] = "access"
	};
	const struct mon_out *o = opaque;
	char slots[64];
	unsigned int j;
	size_t off;

	switch (bp->type) {
	case DBG_BP_SW:
		mon_printf(o, "  0x%016" PRIx64 "  pa 0x%" PRIx64 "  insn 0x%08x  %s%s\n", bp->addr,
			   bp->pa, bp->orig,
			   bp->planted ? "brk #0 in memory" : "lifted (a step is over it)",
			   bp->own_sig == 6    ? "  (minivmm's: a kernel panic stops here)"
			   : bp->own_sig == 11 ? "  (minivmm's: a kernel oops stops here)"
					       : "");
		break;
	case DBG_BP_SW_HW:
		mon_printf(o,
			   "  0x%016" PRIx64 "  in hardware slot %u (did not translate "
			   "when inserted)\n",
			   bp->addr, bp->slots[0]);
		break;
	case DBG_BP_HW:
		mon_printf(o, "  slot %u  0x%016" PRIx64 "%s\n", bp->slots[0], bp->addr,
			   bp->fallback ? "  (a software breakpoint that did not translate)" : "");
		break;
	case DBG_BP_WATCH:
		for (off = 0, j = 0; j < bp->nr_slots && off < sizeof(slots); j++)
			off += snprintf(slots + off, sizeof(slots) - off, "%s%u", j ? "," : "",
					bp->slots[j]);
		mon_printf(o, "  %-6s 0x%016" PRIx64 "  len %" PRIu64 "  slot%s %s\n",
			   kinds[bp->kind], bp->addr, bp->len, bp->nr_slots > 1 ? "s" : "", slots);
		break;
	}
}

struct bp_filter {
	const struct mon_out *o;
	int type; /* which of them to print */
	int type2;
};

static void print_of_type(void *opaque, const struct dbg_bp_info *bp)
{
	const struct bp_filter *f = opaque;

	if ((int)bp->type == f->type || (int)bp->type == f->type2)
		print_bp((void *)f->o, bp);
}

static int cmd_info_breakpoints(const struct mon_out *o, const struct mon_args *a)
{
	struct bp_filter sw = { o, DBG_BP_SW, DBG_BP_SW_HW }, hw = { o, DBG_BP_HW, -1 },
			 wp = { o, DBG_BP_WATCH, -1 };
	struct dbg_slots s;

	dbg_slots(m.dbg, &s);
	if (!s.nr_sw && !s.bp_used && !s.nr_watch) {
		mon_printf(o, "no breakpoints or watchpoints inserted\n");
		return 0;
	}
	mon_printf(o, "software breakpoints: %u\n", s.nr_sw);
	dbg_for_each_bp(m.dbg, print_of_type, &sw);
	mon_printf(o, "hardware breakpoint slots: %u of %u used\n", s.bp_used, s.bp_total);
	dbg_for_each_bp(m.dbg, print_of_type, &hw);
	mon_printf(o, "watchpoints: %u (%u slots)\n", s.nr_watch, s.wp_total);
	dbg_for_each_bp(m.dbg, print_of_type, &wp);
	return 0;
}

/* ------------------------------------------------------------------- translate */

static int cmd_translate(const struct mon_out *o, const struct mon_args *a)
{
	struct vcpu *v = cpu(a->n > 1 ? a->v[1].num : 0);
	struct arm64_ptw_result res;
	struct arm64_ptw w;
	char trace[2048];
	struct pause p;
	int ret;

	pause_begin(&p);
	ret = dbg_walker(m.dbg, v->id, &w);
	if (!ret)
		arm64_ptw_translate(&w, a->v[0].num, &res);
	pause_end(&p);
	if (ret)
		return err(o, ret, "translate: cannot read cpu%u's MMU registers: %s", v->id,
			   strerror(-ret));
	arm64_ptw_format(&res, trace, sizeof(trace));
	mon_printf(o, "cpu%u: %s", v->id, trace);
	return res.fault == ARM64_PTW_OK ? 0 : -EFAULT;
}

/* ----------------------------------------------------------------------- x, xp */

/* Why va does not read on v: one error line. */
static int va_error(const struct mon_out *o, struct vcpu *v, uint64_t va)
{
	struct arm64_ptw_result res = { .reason = ARM64_PTW_R_NONE };
	struct arm64_ptw w;

	if (dbg_walker(m.dbg, v->id, &w) || arm64_ptw_translate(&w, va, &res))
		return err(o, -EFAULT,
			   "x: 0x%" PRIx64 " does not translate on cpu%u (%s; "
			   "'translate 0x%" PRIx64 " %u' shows the walk)",
			   va, v->id, arm64_ptw_reason_name(res.reason), va, v->id);
	return err(o, -EFAULT, "x: 0x%" PRIx64 " maps to 0x%" PRIx64 ", which is not guest RAM", va,
		   res.pa);
}

static int cmd_x(const struct mon_out *o, const struct mon_args *a)
{
	struct vcpu *v = cpu(a->n > 1 ? a->v[1].num : 0);
	size_t len = (size_t)a->fmt.count * a->fmt.size;
	uint64_t va = a->v[0].num, end;
	struct pause p;
	uint8_t *buf;
	int n, ret = 0;

	if (__builtin_add_overflow(va, len - 1, &end))
		return err(o, -EINVAL, "x: 0x%" PRIx64 " + %zu bytes wraps around", va, len);
	buf = malloc(len);
	if (!buf)
		return err(o, -ENOMEM, "x: out of memory");
	pause_begin(&p);
	n = dbg_read_mem(m.dbg, v->id, va, buf, len);
	if (n >= 0)
		mon_print_units(o, va, buf, (size_t)n - (size_t)n % a->fmt.size, &a->fmt);
	if (n < 0 || (size_t)n < len)
		ret = va_error(o, v, va + (n > 0 ? (uint64_t)n : 0));
	pause_end(&p);
	free(buf);
	return ret;
}

static int cmd_xp(const struct mon_out *o, const struct mon_args *a)
{
	const struct guest_ram *ram = &m.b->ram;
	size_t len = (size_t)a->fmt.count * a->fmt.size, ok;
	uint64_t pa = a->v[0].num, avail;
	uint8_t *buf;

	vm_mem(&m.b->vm, pa, len, &avail); /* RAM, or --bios's flash */
	ok = (size_t)avail - (size_t)avail % a->fmt.size;
	if (ok) {
		buf = malloc(ok);
		if (!buf)
			return err(o, -ENOMEM, "xp: out of memory");
		ok = dbg_read_phys(m.dbg, pa, buf, ok); /* our breakpoints invisible, as for gdb */
		mon_print_units(o, pa, buf, ok, &a->fmt);
		free(buf);
	}
	if (ok == len)
		return 0;
	if (m.b->vm.nr_rom)
		return err(o, -EFAULT,
			   "xp: 0x%" PRIx64 " is neither guest RAM (0x%" PRIx64 " to 0x%" PRIx64
			   ") nor flash (0x0 to 0x%" PRIx64 "); xp never reads devices",
			   pa + ok, ram->base, ram->base + ram->size - 1,
			   m.b->vm.rom[m.b->vm.nr_rom - 1].base + m.b->vm.rom[m.b->vm.nr_rom - 1].size - 1);
	return err(o, -EFAULT,
		   "xp: 0x%" PRIx64 " is not guest RAM (RAM is 0x%" PRIx64 " to 0x%" PRIx64
		   "; xp never reads devices)",
		   pa + ok, ram->base, ram->base + ram->size - 1);
}

/* ------------------------------------------------------------------ run control */

static int cmd_stop(const struct mon_out *o, const struct mon_args *a)
{
	if (!guest_is_running()) {
		mon_printf(o, "the guest is already stopped\n");
		return 0;
	}
	vcpu_pause_all(&m.b->vm);
	mon_printf(o, "guest stopped ('cont' resumes it)\n");
	return 0;
}

static int cmd_cont(const struct mon_out *o, const struct mon_args *a)
{
	if (guest_is_running()) {
		mon_printf(o, "the guest is already running\n");
		return 0;
	}
	dbg_set_wait(m.dbg, false); /* -S: the monitor may start the guest too */
	vcpu_resume_all(&m.b->vm);
	mon_printf(o, "guest running\n");
	return 0;
}

static int cmd_step(const struct mon_out *o, const struct mon_args *a)
{
	struct vcpu *v = cpu(a->n ? a->v[0].num : 0);
	uint64_t pc = 0, pstate = 0;
	int ret;

	if (guest_is_running())
		return err(o, -EBUSY, "step: the guest is running ('stop' it first)");
	if (vcpu_is_powered_off(v))
		return err(o, -EINVAL, "step: cpu%u is powered off", v->id);
	ret = dbg_step_alone(m.dbg, v->id, STEP_TIMEOUT_MS);
	dbg_get_reg64(m.dbg, v->id, ARM64_R_PC, &pc);
	dbg_get_reg64(m.dbg, v->id, ARM64_R_PSTATE, &pstate);
	if (ret == -ETIMEDOUT)
		return err(o, ret,
			   "step: cpu%u did not finish its step in %u ms (waiting for an "
			   "interrupt?); stopped at 0x%" PRIx64,
			   v->id, STEP_TIMEOUT_MS, pc);
	if (ret)
		return err(o, ret, "step: cpu%u: %s", v->id, strerror(-ret));
	mon_printf(o, "cpu%u: pc 0x%016" PRIx64 " %s\n", v->id, pc, el_name(pstate));
	return 0;
}

static int cmd_step_irq(const struct mon_out *o, const struct mon_args *a)
{
	bool on;

	if (a->n)
		dbg_set_step_irq(m.dbg, a->v[0].on);
	on = dbg_step_irq(m.dbg);
	mon_printf(o, "step-irq %s: %s\n", on ? "on" : "off",
		   on ? "a step may stop in an interrupt handler"
				: "a step runs interrupt handlers to completion (the default)");
	return 0;
}

/* gdb's threads: the vCPUs or the kernel's tasks (--gdb-threads), switched from the next stop. */
static int cmd_threads(const struct mon_out *o, const struct mon_args *a)
{
	char line[192];

	if (a->n) {
		if (strcmp(a->v[0].str, "vcpus") && strcmp(a->v[0].str, "tasks"))
			return err(o, -EINVAL, "threads: '%s': expected vcpus or tasks",
				   a->v[0].str);
		dbg_set_thread_mode(m.dbg, strcmp(a->v[0].str, "tasks") ? DBG_THREADS_VCPUS
									 : DBG_THREADS_TASKS);
	}
	dbg_thread_status(m.dbg, line, sizeof(line));
	mon_printf(o, "%s\n", line);
	return 0;
}

/* ------------------------------------------------------------------ the rest */

static int cmd_dtb(const struct mon_out *o, const struct mon_args *a)
{
	const char *path = a->v[0].str;
	size_t done = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return err(o, -errno, "dtb: cannot write %s: %s", path, strerror(errno));
	while (done < m.b->dtb_size) {
		n = write(fd, (const char *)m.b->dtb + done, m.b->dtb_size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int ret = n < 0 ? -errno : -EIO;

			close(fd);
			return err(o, ret, "dtb: cannot write %s: %s", path, strerror(-ret));
		}
		done += (size_t)n;
	}
	if (close(fd) < 0)
		return err(o, -errno, "dtb: cannot write %s: %s", path, strerror(errno));
	mon_printf(o, "wrote the guest's device tree (%zu bytes) to %s\n", done, path);
	return 0;
}

/* The whole machine in an ELF core file, for crash, drgn or gdb (QEMU's command name). */
static int cmd_dump(const struct mon_out *o, const struct mon_args *a)
{
	const char *path = a->v[0].str;
	struct dbg_dump_opts opts = { 0 };
	struct elfcore_sparse sp = { .fd = -1 };
	struct dbg_dump_result r;
	struct timespec t0, t1;
	bool force = false, sparse;
	struct stat st;
	struct pause p;
	int fd, ret;

	if (!strncmp(path, "-f ", 3)) {
		force = true;
		path += 3;
		path += strspn(path, " ");
	}
	if (!*path || *path == '-')
		return err(o, -EINVAL, "dump-guest-memory: give a file (usage: dump-guest-memory "
				       "[-f] FILE)");
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL), 0600);
	if (fd < 0 && errno == EEXIST)
		return err(o, -EEXIST, "dump-guest-memory: %s exists (dump-guest-memory -f %s "
				       "overwrites it)", path, path);
	if (fd < 0)
		return err(o, -errno, "dump-guest-memory: cannot write %s: %s", path,
			   strerror(errno));
	if (m.b->img.kind == IMAGE_LINUX) {
		opts.image_start = m.b->img.start;
		opts.image_end = m.b->img.end;
	}
	sp.fd = fd;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pause_begin(&p);
	/* a regular file gets holes for the pages of zeros (most of an idle guest's RAM) */
	sparse = !fstat(fd, &st) && S_ISREG(st.st_mode);
	ret = dbg_dump(m.dbg, &opts, sparse ? elfcore_sparse_write : elfcore_fd_write,
		       sparse ? (void *)&sp : &fd, &r);
	if (!ret && sparse)
		ret = elfcore_sparse_end(&sp);
	pause_end(&p);
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (ret) {
		unlink(path);
		return err(o, ret, "dump-guest-memory: cannot write %s: %s (the partial file is "
				   "removed; the guest runs on)", path, strerror(-ret));
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	mon_printf(o, "wrote %s: %" PRIu64 " MiB, %u vCPU%s", path, r.bytes >> 20, r.nr_cpus,
		   r.nr_cpus == 1 ? "" : "s");
	if (r.is_linux)
		mon_printf(o, ", Linux %s%s, pids of %u of the CPUs' tasks%s", r.osrelease,
			   r.vmcoreinfo ? " with its VMCOREINFO" : "", r.pids_known,
			   r.pids_known ? "" : " (gdb gives minivmm the kernel's symbols)");
	mon_printf(o, ", in %.2f s\n",
		   (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}

static int cmd_gdb(const struct mon_out *o, const struct mon_args *a)
{
	const char *peer = gdbserver_peer(m.gdb);

	if (!m.b->cfg->gdb)
		mon_printf(o, "gdb: not enabled (start minivmm with --gdb [HOST]:PORT)\n");
	else if (!peer)
		mon_printf(o, "gdb: listening on %s, no client attached\n", m.b->cfg->gdb);
	else
		mon_printf(o, "gdb: attached from %s (%s)\n", peer,
			   dbg_gdb_state(m.dbg) == DBG_GDB_RUNNING ? "the guest runs"
								   : "gdb holds the guest");
	return 0;
}

static int cmd_quit(const struct mon_out *o, const struct mon_args *a)
{
	loop_quit(m.loop, EXIT_POWEROFF);
	return 0;
}

/* The kernel's gdb scripts ask `monitor info version` to learn that the stub numbers its
 * threads by CPU, as QEMU does (scripts/gdb/linux/utils.py, get_gdbserver_type). */
static int cmd_info_version(const struct mon_out *o, const struct mon_args *a)
{
	mon_printf(o, "minivmm %s\n", MINIVMM_VERSION);
	return 0;
}

/* Where a Linux guest's kernel runs (its VMCOREINFO, found in RAM without the guest's help). */
static int cmd_info_kaslr(const struct mon_out *o, const struct mon_args *a)
{
	struct vmcoreinfo vi;
	struct pause p;
	gpa_t pa;
	int ret;

	pause_begin(&p);
	ret = dbg_linux_info(m.dbg, &vi, &pa);
	pause_end(&p);
	if (ret)
		return err(o, -ENOENT,
			   "info kaslr: no Linux VMCOREINFO in guest RAM (not a Linux guest, or "
			   "it is early in its boot)");
	if (!vi.has_kaslr)
		return err(o, -ENOENT, "info kaslr: Linux %s does not say its offset (no "
				       "KERNELOFFSET in its VMCOREINFO at 0x%" PRIx64 ")",
			   vi.osrelease, pa);
	mon_printf(o, "KASLR offset 0x%" PRIx64 "%s\n", vi.kaslr_offset,
		   vi.kaslr_offset ? "" : " (not randomised: nokaslr, or no seed)");
	mon_printf(o, "kernel %s, _stext at 0x%" PRIx64 ", VMCOREINFO at PA 0x%" PRIx64 "\n",
		   vi.osrelease, vi.stext, pa);
	if (vi.has_kimage_voffset && vi.has_phys_offset)
		mon_printf(o, "kimage_voffset 0x%" PRIx64 ", PHYS_OFFSET 0x%" PRIx64 "\n",
			   vi.kimage_voffset, vi.phys_offset);
	return 0;
}

/* Order: as help lists them. */
const struct mon_cmd mon_cmds[] = {
	{ "help", "?r", "[CMD]", "list the commands, or describe CMD", cmd_help, 0 },
	{ "info cpus", "", "", "each vCPU: state, PC, exception level, whether gdb holds it",
	  cmd_info_cpus, 0 },
	{ "info cpu", "", "",
	  "what the vCPUs got of the host's CPU: SVE, pointer authentication, PMU", cmd_info_cpu,
	  0 },
	{ "info registers", "?c", "[CPU]", "general and EL1 system registers of CPU (0)",
	  cmd_info_registers, 0 },
	{ "info breakpoints", "", "", "breakpoints and watchpoints as inserted in the guest",
	  cmd_info_breakpoints, 0 },
	{ "info kaslr", "", "", "a Linux guest's KASLR offset (from its VMCOREINFO)",
	  cmd_info_kaslr, 0 },
	{ "info version", "", "", "minivmm's version", cmd_info_version, 0 },
	{ "translate", "n?c", "VA [CPU]", "walk the page tables of CPU (0) for VA, step by step",
	  cmd_translate, 0 },
	{ "x", "n?c", "VA [CPU]", "guest virtual memory as CPU (0) sees it", cmd_x, MON_F_FMT },
	{ "xp", "n", "PA", "guest physical memory (RAM only)", cmd_xp, MON_F_FMT },
	{ "stop", "", "", "stop every vCPU", cmd_stop, MON_F_RUNCTL },
	{ "cont", "", "", "let every vCPU run", cmd_cont, MON_F_RUNCTL },
	{ "step", "?c", "[CPU]", "one instruction on CPU (0), the others held", cmd_step,
	  MON_F_RUNCTL },
	{ "step-irq", "?b", "[on|off]", "may steps stop in interrupt handlers? (default off)",
	  cmd_step_irq, 0 },
	{ "threads", "?r", "[vcpus|tasks]",
	  "what gdb's threads are: vCPUs or a Linux guest's tasks (from the next stop)",
	  cmd_threads, 0 },
	{ "dtb", "r", "FILE", "write the guest's device tree to FILE", cmd_dtb, 0 },
	{ "dump-guest-memory", "r", "[-f] FILE",
	  "write the whole machine to FILE as an ELF core (crash, drgn, gdb); -f overwrites",
	  cmd_dump, 0 },
	{ "gdb", "", "", "is a gdb attached, and from where", cmd_gdb, 0 },
	{ "quit", "", "", "end minivmm now (exit status 0)", cmd_quit, 0 },
};
const size_t mon_nr_cmds = ARRAY_SIZE(mon_cmds);

int mon_exec(const char *line, const struct mon_out *o)
{
	struct mon_args *a = malloc(sizeof(*a));
	char msg[512];
	int ret;

	if (!a)
		return err(o, -ENOMEM, "out of memory");
	ret = mon_parse(mon_cmds, mon_nr_cmds, line, m.b->vm.nr_vcpus, a, msg, sizeof(msg));
	if (ret < 0)
		ret = err(o, ret, "%s", msg);
	else if (ret > 0 && (a->cmd->flags & MON_F_RUNCTL) &&
		 (dbg_gdb_state(m.dbg) == DBG_GDB_RUNNING || dbg_gdb_state(m.dbg) == DBG_GDB_HOLDS))
		ret = err(o, -EBUSY,
			  "%s: gdb (%s) is attached and runs the guest: use its "
			  "continue, stepi or Ctrl-C, or detach it",
			  a->cmd->name, gdbserver_peer(m.gdb) ? gdbserver_peer(m.gdb) : "?");
	else if (ret > 0)
		ret = a->cmd->fn(o, a);
	free(a);
	return ret;
}
