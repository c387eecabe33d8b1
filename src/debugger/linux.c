// SPDX-License-Identifier: GPL-3.0-or-later
/* What the debugger learns of a Linux guest from its memory alone: the kernel's VMCOREINFO
 * (src/linux/vmcoreinfo.c), and from it the KASLR offset gdb needs to relocate a plain
 * vmlinux (qOffsets), so that attaching to a kernel that randomised its base needs no offset
 * typed by the user. */
#include <errno.h>
#include <string.h>

#include "src/debugger/internal.h"
#include "src/linux/vmcoreinfo.h"

int dbg_linux_info(struct dbg *d, struct vmcoreinfo *vi, gpa_t *pa)
{
	uint64_t avail = 0;
	const uint8_t *p;
	int ret;

	/* Where it was before: still there unless the guest reset or reused the page. */
	if (d->vmcoreinfo_pa) {
		p = d->ops->mem(d->ctx, d->vmcoreinfo_pa, VMCOREINFO_MAX, &avail);
		if (p && !vmcoreinfo_parse((const char *)p, avail, vi)) {
			*pa = d->vmcoreinfo_pa;
			return 0;
		}
		d->vmcoreinfo_pa = 0;
	}
	ret = vmcoreinfo_find(d->ops->mem, d->ctx, d->ram_base, d->ram_size, pa, vi);
	if (!ret)
		d->vmcoreinfo_pa = *pa;
	return ret;
}

/* gdb asks at connect. The offset moves every symbol of the one-segment vmlinux alike. */
int dbg_linux_offsets(void *opaque, uint64_t *text, uint64_t *data)
{
	struct vmcoreinfo vi;
	gpa_t pa;
	int ret = dbg_linux_info(opaque, &vi, &pa);

	if (ret)
		return ret;
	if (!vi.has_kaslr)
		return -ENOENT;
	*text = *data = vi.kaslr_offset;
	return 0;
}

/* A kernel panic or oops stops the machine for gdb: ours BRKs at panic() and die() (the
 * arm64 oops path, arch/arm64/kernel/traps.c), where gdb's symbol file says they are (qSymbol,
 * so a KASLR offset gdb applied is in the answer). Met, they stop every vCPU and gdb hears a
 * signal, SIGABRT for a panic and SIGSEGV for an oops, with the panicking CPU selected, so
 * `bt` goes from panic() down. Nothing is planted without a gdb that knows the symbols. */
#define SIG_ABRT 6
#define SIG_SEGV 11

/* panic and die for the stops; the rest for the task threads (threads.c). */
static const char *const wanted[] = { "panic", "die", "init_task", "runqueues",
				      "__per_cpu_offset", "__start_BTF", "__stop_BTF" };

const char *dbg_linux_symbol_next(void *opaque, unsigned int i)
{
	return i < ARRAY_SIZE(wanted) ? wanted[i] : NULL;
}

void dbg_linux_symbol_value(void *opaque, const char *name, bool known, uint64_t value)
{
	struct dbg *d = opaque;

	struct {
		const char *name;
		gva_t *va;
	} const vars[] = {
		{ "panic", &d->panic_va },
		{ "die", &d->die_va },
		{ "init_task", &d->lsyms.init_task },
		{ "runqueues", &d->lsyms.runqueues },
		{ "__per_cpu_offset", &d->lsyms.per_cpu_offset },
		{ "__start_BTF", &d->lsyms.btf_start },
		{ "__stop_BTF", &d->lsyms.btf_stop },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vars); i++) {
		if (strcmp(name, vars[i].name))
			continue;
		if (*vars[i].va != (known ? value : 0) && vars[i].va != &d->panic_va &&
		    vars[i].va != &d->die_va)
			d->layout_state = 0; /* other symbols: the layout again, at the next stop */
		*vars[i].va = known ? value : 0;
	}
	if (d->attached)
		dbg_linux_arm(d);
}

static void arm_one(struct dbg *d, gva_t va, uint8_t sig)
{
	unsigned int i;

	if (!va)
		return;
	for (i = 0; i < d->nr_sw; i++)
		if (d->sw[i].va == va && d->sw[i].sig)
			return;
	/* Not mapped yet (the kernel's MMU is off): again at the next stop. */
	dbg_bp_insert_own(&d->cpus[0], va, sig);
}

void dbg_linux_arm(struct dbg *d)
{
	arm_one(d, d->panic_va, SIG_ABRT);
	arm_one(d, d->die_va, SIG_SEGV);
}
