// SPDX-License-Identifier: GPL-3.0-or-later
/* The guest's input files held for its run: regular files mapped read-only and given back
 * to the page cache after each load, anything else read into the heap once. See
 * include/input.h; board.c uses it for the Image and the initrd. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"

/* First guess for the heap when the size is unknown (a pipe's st_size is 0). */
#define READ_CHUNK (64u << 10)

/* Read fd to its end into the heap, at most max bytes; -EFBIG beyond. */
static int read_all(int fd, const struct stat *st, size_t max, struct input *in)
{
	/* One byte more than a regular file's size: its EOF then needs no second buffer. */
	size_t cap = S_ISREG(st->st_mode) && st->st_size ? (size_t)st->st_size + 1 : READ_CHUNK;
	size_t done = 0;
	char *p = NULL, *q;
	ssize_t n;

	for (;;) {
		if (done == cap || !p) {
			cap = done == cap ? cap * 2 : cap;
			cap = cap > max ? max + 1 : cap; /* never more than max + 1 */
			q = realloc(p, cap);
			if (!q)
				goto err_free;
			p = q;
		}
		n = read(fd, p + done, cap - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto err_free;
		if (n == 0)
			break;
		done += n;
		if (done > max) {
			free(p);
			return -EFBIG;
		}
	}
	q = realloc(p, done ? done : 1); /* shrinking: cannot fail in practice, keep p if it does */
	*in = (struct input){ .data = q ? q : p, .len = done };
	return 0;

err_free:
	n = -errno; /* before free() */
	free(p);
	return n;
}

static int map_file(int fd, const struct stat *st, struct input *in)
{
	void *p = mmap(NULL, st->st_size, PROT_READ, MAP_PRIVATE, fd, 0);

	if (p == MAP_FAILED)
		return -errno;
	*in = (struct input){
		.data = p,
		.len = st->st_size,
		.is_mapped = true,
		.fd = fd,
		.mtime = st->st_mtim,
	};
	return 0;
}

int input_open(struct input *in, const char *path, size_t max, bool map)
{
	struct stat st;
	int fd, ret;

	memset(in, 0, sizeof(*in));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		goto err_close;
	}
	ret = -EISDIR;
	if (S_ISDIR(st.st_mode))
		goto err_close;
	ret = -EFBIG;
	if ((uint64_t)st.st_size > max)
		goto err_close;
	/* mmap() refuses 0 bytes, and some file systems refuse mappings: the heap then. */
	if (map && S_ISREG(st.st_mode) && st.st_size > 0 && map_file(fd, &st, in) == 0)
		return 0;
	ret = read_all(fd, &st, max, in);
err_close:
	close(fd);
	return ret;
}

int input_check(const struct input *in)
{
	struct stat st;

	if (!in->is_mapped)
		return 0;
	if (fstat(in->fd, &st) < 0)
		return -errno;
	if ((uint64_t)st.st_size != in->len || st.st_mtim.tv_sec != in->mtime.tv_sec ||
	    st.st_mtim.tv_nsec != in->mtime.tv_nsec)
		return -ESTALE;
	return 0;
}

/* madvise() the whole pages under [p, p + n), inside a mapping. Rounding out
 * may drop a page the next piece reads: it is faulted in again from the page cache. */
static void release(const uint8_t *p, size_t n)
{
	uintptr_t page = sysconf(_SC_PAGESIZE);
	uintptr_t start = (uintptr_t)p & ~(page - 1);
	uintptr_t end = ((uintptr_t)p + n + page - 1) & ~(page - 1);

	/* MADV_DONTNEED on a private file mapping that was never written drops our page
	 * table entries only: the next access reads the file's pages again (madvise(2)). */
	madvise((void *)start, end - start, MADV_DONTNEED);
}

void input_copy(const struct input *in, void *dst, const void *src, size_t n)
{
	const uint8_t *s = src;
	uint8_t *d = dst;

	if (!in->is_mapped) {
		memcpy(dst, src, n);
		return;
	}
	while (n) {
		size_t k = n < INPUT_COPY_PIECE ? n : INPUT_COPY_PIECE;

		memcpy(d, s, k);
		/* From the mapping's start: a fault maps a whole large folio of the page
		 * cache, which may reach back into pieces given back before. */
		release(in->data, s + k - (const uint8_t *)in->data);
		d += k;
		s += k;
		n -= k;
	}
}

void input_release(const struct input *in)
{
	if (in->is_mapped)
		release(in->data, in->len);
}

void input_close(struct input *in)
{
	if (in->is_mapped) {
		munmap(in->data, in->len);
		close(in->fd);
	} else {
		free(in->data);
	}
	memset(in, 0, sizeof(*in));
}
