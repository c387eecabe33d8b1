// SPDX-License-Identifier: GPL-3.0-or-later
/* What the debugger learns of a Linux guest from its memory alone: the kernel's VMCOREINFO
 * (src/linux/vmcoreinfo.c), and from it the KASLR offset gdb needs to relocate a plain
 * vmlinux (qOffsets), so that attaching to a kernel that randomised its base needs no offset
 * typed by the user. */
#include <errno.h>

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
