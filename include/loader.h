/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Guest image loaders: arm64 Linux Image, aarch64 ELF, raw binary. They work on a
 * buffer holding the file (board.c maps it, input.h) and on guest RAM; no I/O, no
 * exit(). Also the placement policy for the blobs handed to a Linux guest (DTB, initrd). */
#pragma once

#include "guest_ram.h"

enum image_kind {
	IMAGE_LINUX, /* arm64 Linux Image (Documentation/arch/arm64/booting.rst) */
	IMAGE_ELF,   /* aarch64 ELF64, PT_LOAD segments at their physical addresses */
	IMAGE_RAW,   /* anything else: copied to load_addr */
};

struct load_opts {
	gpa_t load_addr; /* raw binaries; 0 = start of RAM */
	/* Optional: copies n bytes of the buffer, from src, into guest RAM at dst, in place
	 * of memcpy (board.c's gives a mapped file's pages back as it goes). */
	void (*copy)(void *opaque, void *dst, const void *src, size_t n);
	void *copy_opaque;
};

struct image_info {
	enum image_kind kind;
	gpa_t entry;      /* first PC */
	gpa_t start, end; /* guest-physical range the image occupies (end exclusive) */
	bool is_linux;    /* boot protocol: x0 = DTB address */
};

/* booting.rst: the DTB "must not exceed 2 megabytes in size". */
#define LOADER_DTB_MAX (2ull << 20)

/*
 * Errors: every function below returns 0 or -errno with a one-line reason (no
 * file name, no trailing newline) in err:
 *   -ENOEXEC  unknown, malformed, truncated or unsupported format (ELF32, not aarch64, BE)
 *   -ERANGE   an image part lies outside guest RAM
 *   -E2BIG    bigger than guest RAM, or a DTB over LOADER_DTB_MAX
 *   -ENOSPC   a blob does not fit in RAM next to the image
 */

/* Recognise the image by its content and copy it into guest RAM. Nothing is written
 * to RAM unless the whole image is valid. */
int loader_load(const void *buf, size_t len, struct guest_ram *ram, const struct load_opts *opts,
		struct image_info *info, char *err, size_t errlen);

const char *loader_kind_name(enum image_kind kind);

/* Highest align-aligned gpa for size bytes ending at or below limit (0: end of RAM),
 * inside RAM and clear of the image's [start, end). Only computes; copies nothing. */
int loader_place(const struct guest_ram *ram, const struct image_info *img, gpa_t limit,
		 uint64_t size, uint64_t align, gpa_t *out, char *err, size_t errlen);

/* The DTB's home: the start of the last whole 2 MiB block of RAM, reserved whatever the
 * DTB's size, so that it can be placed before it is generated. */
int loader_place_dtb(const struct guest_ram *ram, const struct image_info *img, uint64_t size,
		     gpa_t *out, char *err, size_t errlen);

/* The initrd: page-aligned, as high as possible below the DTB's 2 MiB block. */
int loader_place_initrd(const struct guest_ram *ram, const struct image_info *img, uint64_t size,
			gpa_t *out, char *err, size_t errlen);
