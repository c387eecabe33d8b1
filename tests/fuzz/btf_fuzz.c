// SPDX-License-Identifier: GPL-3.0-or-later
/* libFuzzer harness for the BTF reader (src/linux/btf.c): the input is a blob as a hostile
 * guest's memory could hold it. Opening it never reads past it; on a blob that opens, member
 * look-ups by the paths the task-aware threads will use give an offset or one of the documented
 * errors, never anything for an empty path or for a struct that is not there. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "src/linux/btf.h"
#include "tests/fuzz/fuzz.h"

static const char *const paths[] = {
	"tasks", "pid", "comm", "thread.cpu_context.sp", "thread.cpu_context.pc", "thread_info.cpu",
	"on_cpu", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q", "",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct btf b;
	uint32_t off, msize, ssize;
	size_t i;
	int ret;

	if (btf_open(&b, data, size))
		return 0;
	FUZZ_CHECK(b.nr_types <= size / 12);
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		ret = btf_member_offset(&b, "task_struct", paths[i], &off, &msize);
		FUZZ_CHECK(ret == 0 || ret == -ENOENT || ret == -EINVAL);
		FUZZ_CHECK(*paths[i] || ret != 0); /* an empty path names nothing */
	}
	/* a struct that exists has a size, and a member of it an offset only if it exists */
	if (btf_struct_size(&b, "task_struct", &ssize) == -ENOENT)
		FUZZ_CHECK(btf_member_offset(&b, "task_struct", "tasks", &off, NULL) == -ENOENT);
	btf_close(&b);
	return 0;
}
