/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The files a guest is loaded from, held for its whole run because a guest reset loads
 * them again. A regular file is mapped read-only (MAP_PRIVATE, PROT_READ): its pages are
 * the page cache's, clean, and given back after each load, so holding it costs no
 * anonymous memory. Anything else (a pipe: --initrd <(zcat x)) is read into the heap,
 * since it cannot be read twice. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* input_copy() gives a mapping's pages back after each piece of this size. */
#define INPUT_COPY_PIECE (256u << 10)

struct input {
	void *data; /* len bytes; NULL when nothing is held */
	size_t len;
	bool is_mapped;        /* data is a mapping of fd (else the heap) */
	int fd;                /* a mapped file's, kept open for input_check() */
	struct timespec mtime; /* a mapped file's modification time when it was mapped */
};

/* Hold path's bytes, at most max: -EFBIG beyond, -EISDIR for a directory, else -errno
 * of open() or read(). A non-empty regular file is mapped if map is true (read into the
 * heap if it cannot be mapped); anything else is read to its end into the heap. */
int input_open(struct input *in, const char *path, size_t max, bool map);
/* Before reading a mapping again: -ESTALE if its file's size or modification time changed
 * since input_open() (a file that shrank under a mapping raises SIGBUS where it is read),
 * -errno if fstat() fails, 0 otherwise and for the heap. */
int input_check(const struct input *in);
/* Copy n bytes from src, inside in->data, to dst. A mapping's pages up to the end of each
 * INPUT_COPY_PIECE are given back (MADV_DONTNEED) once it is copied, so about one piece of
 * them is resident at a time; some the kernel mapped beyond the copy's end around a fault
 * may stay: input_release() after. */
void input_copy(const struct input *in, void *dst, const void *src, size_t n);
/* Give back all of a mapping's resident pages; the next read faults them in again. */
void input_release(const struct input *in);
/* Unmap or free, and close; a zeroed or closed struct input is fine. */
void input_close(struct input *in);
