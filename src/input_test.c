// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for src/input.c on real files in a temporary directory: what is mapped and what
 * is read into the heap (bytes equal to the file's), the errors (missing, directory, too
 * large, also for a pipe), input_check() after the file shrank, grew or was rewritten, and
 * that copying gives the mapping's pages back (Rss in /proc/self/smaps). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "input.h"
#include "types.h"

static char dir[] = "/tmp/input_test.XXXXXX";
static char path[256];

/* Not periodic in a page, so that a page copied from the wrong offset shows. */
static uint8_t pattern(size_t i)
{
	return (uint8_t)(i * 7 + i / 4093);
}

static void write_file(const char *p, size_t len)
{
	FILE *f = fopen(p, "wb");
	size_t i;

	assert_non_null(f);
	for (i = 0; i < len; i++)
		fputc(pattern(i), f);
	assert_int_equal(fclose(f), 0);
}

static bool is_pattern(const uint8_t *p, size_t off, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != pattern(off + i))
			return false;
	return true;
}

/* Rss of our mapping that starts at addr, in kB; -1 if there is none. */
static long rss_kb(const void *addr)
{
	char line[512];
	uint64_t start, end;
	bool found = false;
	long kb = -1;
	FILE *f = fopen("/proc/self/smaps", "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " ", &start, &end) == 2)
			found = start == (uintptr_t)addr;
		else if (found && sscanf(line, "Rss: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

/* ------------------------------------------------------------------ input_open() */

enum kind { REGULAR, DIRECTORY, MISSING, PIPE };

static const struct open_case {
	const char *name;
	enum kind kind;
	size_t len; /* bytes in the file or through the pipe */
	size_t max;
	bool map;
	int ret;
	bool is_mapped;
} open_cases[] = {
	{ "regular file: mapped", REGULAR, 3 * 4096 + 123, 1 << 20, true, 0, true },
	{ "regular file of max bytes: mapped", REGULAR, 5000, 5000, true, 0, true },
	{ "regular file over max", REGULAR, 5001, 5000, true, -EFBIG, false },
	{ "regular file, map false: the heap", REGULAR, 70000, 1 << 20, false, 0, false },
	{ "regular file, map false, over max", REGULAR, 5001, 5000, false, -EFBIG, false },
	{ "empty file: the heap, 0 bytes", REGULAR, 0, 1 << 20, true, 0, false },
	{ "directory", DIRECTORY, 0, 1 << 20, true, -EISDIR, false },
	{ "missing file", MISSING, 0, 1 << 20, true, -ENOENT, false },
	/* more than a pipe's buffer and than read_all()'s first guess */
	{ "pipe: read to its end into the heap", PIPE, 300 << 10, 1 << 20, true, 0, false },
	{ "pipe of max bytes", PIPE, 100 << 10, 100 << 10, true, 0, false },
	{ "pipe over max", PIPE, (100 << 10) + 1, 100 << 10, true, -EFBIG, false },
	{ "empty pipe", PIPE, 0, 1 << 20, true, 0, false },
};

/* A child writes len bytes of the pattern into a pipe; path names its read end. */
static pid_t start_pipe(size_t len, int *rfd)
{
	int p[2];
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		uint8_t buf[4096];
		size_t done = 0, i, n;

		close(p[0]);
		while (done < len) {
			n = len - done < sizeof(buf) ? len - done : sizeof(buf);
			for (i = 0; i < n; i++)
				buf[i] = pattern(done + i);
			if (write(p[1], buf, n) != (ssize_t)n)
				_exit(1); /* the reader stopped: the over-max case */
			done += n;
		}
		_exit(0);
	}
	close(p[1]);
	*rfd = p[0];
	snprintf(path, sizeof(path), "/dev/fd/%d", p[0]);
	return pid;
}

static void test_open(void **state)
{
	const struct open_case *c = *state;
	struct input in;
	pid_t pid = -1;
	int rfd = -1, ret;

	snprintf(path, sizeof(path), "%s/f", dir);
	if (c->kind == REGULAR)
		write_file(path, c->len);
	else if (c->kind == DIRECTORY)
		assert_int_equal(mkdir(path, 0700), 0);
	else if (c->kind == PIPE)
		pid = start_pipe(c->len, &rfd);
	ret = input_open(&in, path, c->max, c->map);
	assert_int_equal(ret, c->ret);
	if (!ret) {
		assert_int_equal(in.len, c->len);
		assert_non_null(in.data);
		assert_int_equal(in.is_mapped, c->is_mapped);
		assert_true(is_pattern(in.data, 0, in.len));
		if (in.is_mapped) /* kept open for input_check() */
			assert_true(fcntl(in.fd, F_GETFD) & FD_CLOEXEC);
	} else {
		assert_null(in.data);
	}
	input_close(&in);
	assert_null(in.data);
	if (pid > 0) {
		close(rfd);
		assert_int_equal(waitpid(pid, NULL, 0), pid);
	}
	if (c->kind == DIRECTORY)
		rmdir(path);
	else if (c->kind == REGULAR)
		unlink(path);
}

/* ------------------------------------------------------------------ input_check() */

enum change { SAME, SHRINK, GROW, REWRITE };

static const struct check_case {
	const char *name;
	enum change change;
	int ret;
} check_cases[] = {
	{ "check: unchanged file", SAME, 0 },
	{ "check: file shrank", SHRINK, -ESTALE },
	{ "check: file grew", GROW, -ESTALE },
	{ "check: same size, rewritten", REWRITE, -ESTALE },
};

static void test_check(void **state)
{
	const struct check_case *c = *state;
	struct timespec later[2] = { { 0, UTIME_OMIT } };
	struct input in;
	int fd;

	snprintf(path, sizeof(path), "%s/check", dir);
	write_file(path, 3 * 4096);
	assert_int_equal(input_open(&in, path, 1 << 20, true), 0);
	assert_true(in.is_mapped);
	assert_int_equal(input_check(&in), 0);
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	if (c->change == SHRINK) /* the mapping's last pages would now raise SIGBUS */
		assert_int_equal(ftruncate(fd, 4096), 0);
	else if (c->change == GROW)
		assert_int_equal(pwrite(fd, "x", 1, 3 * 4096), 1);
	else if (c->change == REWRITE)
		assert_int_equal(pwrite(fd, "x", 1, 100), 1);
	/* A file system's clock may not tick between the write and the mapping: set the
	 * time a rewrite leaves explicitly. */
	later[1] = (struct timespec){ in.mtime.tv_sec + 10, in.mtime.tv_nsec };
	if (c->change == REWRITE)
		assert_int_equal(futimens(fd, later), 0);
	close(fd);
	assert_int_equal(input_check(&in), c->ret);
	input_close(&in);
	unlink(path);
}

static void test_check_heap(void **state)
{
	struct input in;

	snprintf(path, sizeof(path), "%s/heap", dir);
	write_file(path, 5000);
	assert_int_equal(input_open(&in, path, 1 << 20, false), 0);
	assert_int_equal(truncate(path, 10), 0);
	assert_int_equal(input_check(&in), 0); /* the heap holds its own copy */
	input_close(&in);
	unlink(path);
}

/* ------------------------------------------------------ input_copy(), input_release() */

#define COPY_LEN (5 * INPUT_COPY_PIECE / 2 + 5)

static void test_copy_gives_pages_back(void **state)
{
	uint8_t *dst = malloc(COPY_LEN);
	const volatile uint8_t *p;
	struct input in;
	size_t i;

	assert_non_null(dst);
	snprintf(path, sizeof(path), "%s/copy", dir);
	write_file(path, COPY_LEN); /* now in the page cache */
	assert_int_equal(input_open(&in, path, 1 << 30, true), 0);
	assert_int_equal(rss_kb(in.data), 0);
	/* Reading the mapping makes its pages ours (the measure works)... */
	for (p = in.data, i = 0; i < in.len; i += 4096)
		(void)p[i];
	assert_true(rss_kb(in.data) >= (long)(COPY_LEN >> 10));
	input_release(&in);
	assert_int_equal(rss_kb(in.data), 0);
	/* ...copying them all gives them all back, */
	input_copy(&in, dst, in.data, in.len);
	assert_true(is_pattern(dst, 0, COPY_LEN));
	assert_int_equal(rss_kb(in.data), 0);
	/* and a range that starts and ends inside pages is copied whole, leaving at most
	 * what was faulted in after its end. */
	memset(dst, 0, COPY_LEN);
	input_copy(&in, dst, (const uint8_t *)in.data + 5000, COPY_LEN - 6000);
	assert_true(is_pattern(dst, 5000, COPY_LEN - 6000));
	input_release(&in);
	assert_int_equal(rss_kb(in.data), 0);
	input_close(&in);
	unlink(path);
	free(dst);
}

static void test_copy_heap(void **state)
{
	uint8_t dst[3000];
	struct input in;

	snprintf(path, sizeof(path), "%s/heapcopy", dir);
	write_file(path, 5000);
	assert_int_equal(input_open(&in, path, 1 << 20, false), 0);
	input_copy(&in, dst, (const uint8_t *)in.data + 1000, sizeof(dst));
	assert_true(is_pattern(dst, 1000, sizeof(dst)));
	input_release(&in); /* nothing to give back: a no-op */
	input_close(&in);
	unlink(path);
}

/* A board that failed before its initrd was opened closes a zeroed struct input: fd 0 in
 * it is not a file of ours. */
static void test_close_zeroed(void **state)
{
	struct input in = { 0 };
	int before = fcntl(0, F_GETFD);

	input_close(&in);
	input_close(&in);
	assert_int_equal(fcntl(0, F_GETFD), before);
}

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	return rmdir(dir);
}

int main(void)
{
	struct CMUnitTest t[ARRAY_SIZE(open_cases) + ARRAY_SIZE(check_cases) + 4];
	size_t n = 0, i;

	for (i = 0; i < ARRAY_SIZE(open_cases); i++)
		t[n++] = (struct CMUnitTest){ open_cases[i].name, test_open, NULL, NULL,
					      (void *)&open_cases[i] };
	for (i = 0; i < ARRAY_SIZE(check_cases); i++)
		t[n++] = (struct CMUnitTest){ check_cases[i].name, test_check, NULL, NULL,
					      (void *)&check_cases[i] };
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_check_heap);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_copy_gives_pages_back);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_copy_heap);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_close_zeroed);
	return _cmocka_run_group_tests("input", t, n, setup, teardown);
}
