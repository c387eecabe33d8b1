/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Guest image loaders: arm64 Linux Image, aarch64 ELF, raw binary. They work on a
 * buffer already read from the file and on guest RAM; no I/O, no exit(). */
#pragma once

#include "guest_ram.h"

enum image_kind {
	IMAGE_LINUX, /* arm64 Linux Image (Documentation/arch/arm64/booting.rst) */
	IMAGE_ELF,   /* aarch64 ELF64, PT_LOAD segments at their physical addresses */
	IMAGE_RAW,   /* anything else: copied to load_addr */
};

struct load_opts {
	gpa_t load_addr; /* raw binaries; 0 = start of RAM */
};

struct image_info {
	enum image_kind kind;
	gpa_t entry;       /* first PC */
	gpa_t start, end;  /* guest-physical range the image occupies (end exclusive) */
	bool is_linux;     /* boot protocol: x0 = DTB address */
};

/* Recognise the image by its content and copy it into guest RAM. Returns 0, or
 * -errno with a one-line reason (no trailing newline) in err. */
int loader_load(const void *buf, size_t len, struct guest_ram *ram, const struct load_opts *opts,
		struct image_info *info, char *err, size_t errlen);

const char *loader_kind_name(enum image_kind kind);
