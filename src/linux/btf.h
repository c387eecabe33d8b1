/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The kernel's own type information, BTF (Documentation/bpf/btf.rst), as a Linux guest keeps
 * it in its memory (__start_BTF .. __stop_BTF, CONFIG_DEBUG_INFO_BTF): where a member of a
 * kernel structure lies, without DWARF and without the guest's help, for reading its task list
 * and saved contexts. Pure and bounded: the blob comes from guest memory. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct btf {
	const uint8_t *types, *strs; /* the type and string sections */
	uint32_t types_len, strs_len;
	uint32_t nr_types;           /* ids 1 .. nr_types */
	uint32_t *type_off;          /* offset of type id i in types, [i - 1] */
};

/* Check the header and index the types (allocates; btf_close frees). -EINVAL if it is not
 * BTF version 1 or any section or type runs past the blob, -ENOMEM. */
int btf_open(struct btf *b, const void *blob, size_t len);
void btf_close(struct btf *b);

/* The byte offset of member path ("tasks", "thread.cpu_context.sp") in the struct or union
 * named name, through anonymous members and typedefs; *size its size in bytes if known
 * (else 0). -ENOENT if there is no such member, -EINVAL for a bitfield or a bad path. */
int btf_member_offset(const struct btf *b, const char *name, const char *path, uint32_t *off,
		      uint32_t *size);

/* The size in bytes of the struct or union named name; -ENOENT if none. */
int btf_struct_size(const struct btf *b, const char *name, uint32_t *size);
