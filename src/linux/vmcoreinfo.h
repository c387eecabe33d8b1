/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The VMCOREINFO text a Linux kernel keeps in its memory from early boot (kernel/crash_core.c,
 * CONFIG_CRASH_CORE): "KEY=value" lines that tell a debugger or a dump tool where the kernel
 * is (KERNELOFFSET, the KASLR offset) and how its memory is laid out. Found in guest RAM and
 * parsed here, without the guest's help. Pure: guest memory comes through a callback, and
 * everything in it is hostile (bounded, never trusted to be terminated). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "types.h"

#define VMCOREINFO_MAX 4096 /* VMCOREINFO_BYTES: one page */

struct vmcoreinfo {
	char osrelease[65];      /* OSRELEASE= (utsname release) */
	uint64_t page_size;      /* PAGESIZE= */
	bool has_kaslr;
	uint64_t kaslr_offset;   /* KERNELOFFSET= (hex): where the image is, less its link address */
	bool has_kimage_voffset;
	uint64_t kimage_voffset; /* NUMBER(kimage_voffset)= (hex): image VA - PA */
	bool has_phys_offset;
	uint64_t phys_offset;    /* NUMBER(PHYS_OFFSET)= (hex): the linear map's base PA */
	unsigned int va_bits;    /* NUMBER(VA_BITS)= (decimal) */
	uint64_t stext;          /* SYMBOL(_stext)= (hex), 0 if absent */
	size_t len;              /* bytes of text (up to its NUL or VMCOREINFO_MAX) */
};

/* Parse the text at buf (len bytes at most; it ends at the first NUL). -EINVAL unless it is
 * VMCOREINFO: it begins with OSRELEASE= and has PAGESIZE=. Unknown keys are skipped. */
int vmcoreinfo_parse(const char *buf, size_t len, struct vmcoreinfo *out);

/* Guest RAM as the caller has it: a host pointer to pa and the bytes that follow it (up to
 * len), NULL where there is no RAM (include/dbg_cpu.h's mem op). */
typedef uint8_t *(*vmcoreinfo_mem_fn)(void *ctx, gpa_t pa, uint64_t len, uint64_t *avail);

/* Look for it in [base, base + size): the kernel puts it at the start of a page of its own
 * (get_zeroed_page in crash_save_vmcoreinfo_init). 0 and *pa, or -ENOENT. */
int vmcoreinfo_find(vmcoreinfo_mem_fn mem, void *ctx, gpa_t base, uint64_t size, gpa_t *pa,
		    struct vmcoreinfo *out);
