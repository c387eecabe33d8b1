// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for src/firmware.c on real files in a temporary directory: the firmware's bank
 * (bytes, zero padding, the file never written), the variables file (made when missing,
 * refused when it is the wrong size, not a regular file, read-only or the firmware itself),
 * the write-through of a program (the file gets exactly what was persisted, a breakpoint the
 * debugger put in the bank does not reach it) and a volatile bank. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "firmware.h"

static char dir[] = "/tmp/firmware_test.XXXXXX";

static const char *at(const char *name)
{
	static char buf[4][256];
	static unsigned int n;
	char *p = buf[n++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

static void write_bytes(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static off_t file_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

static void test_firmware_bytes_and_padding(void **state)
{
	static const uint8_t code[] = { 0x1f, 0x20, 0x03, 0xd5, 0x00, 0x00, 0x00, 0x14, 0xaa };
	struct flash_bank fb;
	char err[256];

	write_bytes(at("fw.bin"), code, sizeof(code));
	assert_int_equal(flash_bank_firmware(&fb, at("fw.bin"), err, sizeof(err)), 0);
	assert_memory_equal(fb.mem, code, sizeof(code));
	assert_int_equal(fb.mem[sizeof(code)], 0);
	assert_int_equal(fb.mem[FLASH_BANK_SIZE - 1], 0);
	fb.mem[0] = 0xd4; /* a breakpoint, or the guest's write: only in the copy */
	assert_int_equal(flash_bank_persist(&fb, 0, "x", 1), 0); /* no file: nothing to do */
	flash_bank_free(&fb);
	assert_int_equal(file_size(at("fw.bin")), sizeof(code));
	write_bytes(at("fw2.bin"), code, sizeof(code));
	assert_int_equal(flash_bank_firmware(&fb, at("fw.bin"), err, sizeof(err)), 0);
	assert_int_equal(fb.mem[0], code[0]);
	flash_bank_free(&fb);
	unlink(at("fw.bin"));
	unlink(at("fw2.bin"));
}

static void test_firmware_exactly_a_bank(void **state)
{
	struct flash_bank fb;
	char err[256];
	int fd = open(at("big.bin"), O_RDWR | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, FLASH_BANK_SIZE), 0);
	assert_int_equal(pwrite(fd, "E", 1, FLASH_BANK_SIZE - 1), 1);
	assert_int_equal(flash_bank_firmware(&fb, at("big.bin"), err, sizeof(err)), 0);
	assert_int_equal(fb.mem[FLASH_BANK_SIZE - 1], 'E');
	flash_bank_free(&fb);
	assert_int_equal(ftruncate(fd, FLASH_BANK_SIZE + 1), 0);
	close(fd);
	assert_int_equal(flash_bank_firmware(&fb, at("big.bin"), err, sizeof(err)), -EFBIG);
	assert_string_equal(strstr(err, ": "), ": the firmware (67108865 bytes) is larger than the "
					       "flash bank (64 MiB)");
	assert_null(fb.mem);
	unlink(at("big.bin"));
}

static void test_firmware_errors(void **state)
{
	struct flash_bank fb;
	char err[256];
	int fds[2];

	assert_int_equal(flash_bank_firmware(&fb, at("none"), err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "No such file or directory"));
	assert_int_equal(flash_bank_firmware(&fb, dir, err, sizeof(err)), -EISDIR);
	write_bytes(at("empty"), "", 0);
	assert_int_equal(flash_bank_firmware(&fb, at("empty"), err, sizeof(err)), -ENODATA);
	assert_non_null(strstr(err, "the firmware file is empty"));
	unlink(at("empty"));
	/* A pipe: read to its end like a file. */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "\x01\x02", 2), 2);
	close(fds[1]);
	{
		char path[64];

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
		assert_int_equal(flash_bank_firmware(&fb, path, err, sizeof(err)), 0);
		assert_int_equal(fb.mem[1], 2);
		flash_bank_free(&fb);
	}
	close(fds[0]);
}

static void test_vars_created_and_kept(void **state)
{
	struct flash_bank fb;
	char err[256], buf[4];
	int fd;

	assert_int_equal(flash_bank_vars(&fb, at("vars.fd"), NULL, err, sizeof(err)), 0);
	assert_int_equal(file_size(at("vars.fd")), FLASH_BANK_SIZE);
	assert_int_equal(fb.mem[0x40000], 0);
	/* The model programs 4 bytes at 0x40000; the debugger plants a BRK at 0x40010. */
	memcpy(fb.mem + 0x40000, "env!", 4);
	assert_int_equal(flash_bank_persist(&fb, 0x40000, "env!", 4), 0);
	fb.mem[0x40010] = 0xd4;
	assert_int_equal(flash_bank_persist(&fb, FLASH_BANK_SIZE - 2, "xyz", 3), -EINVAL);
	flash_bank_free(&fb);
	fd = open(at("vars.fd"), O_RDONLY);
	assert_int_equal(pread(fd, buf, 4, 0x40000), 4);
	assert_memory_equal(buf, "env!", 4);
	assert_int_equal(pread(fd, buf, 1, 0x40010), 1);
	assert_int_equal(buf[0], 0);
	close(fd);
	/* Next run: what was persisted is there. */
	assert_int_equal(flash_bank_vars(&fb, at("vars.fd"), NULL, err, sizeof(err)), 0);
	assert_memory_equal(fb.mem + 0x40000, "env!", 4);
	assert_int_equal(fb.mem[0x40010], 0);
	flash_bank_free(&fb);
	unlink(at("vars.fd"));
}

static void test_vars_refused(void **state)
{
	struct flash_bank fb;
	char err[256];

	write_bytes(at("small.fd"), "abc", 3);
	assert_int_equal(flash_bank_vars(&fb, at("small.fd"), NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "must be the flash bank's size, 67108864 bytes (64 MiB); this "
				    "one has 3"));
	assert_int_equal(file_size(at("small.fd")), 3); /* not "fixed" for the user */
	assert_int_equal(flash_bank_vars(&fb, at("small.fd"), at("small.fd"), err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "is the firmware image itself"));
	unlink(at("small.fd"));
	assert_int_equal(flash_bank_vars(&fb, dir, NULL, err, sizeof(err)), -EISDIR);
	assert_int_equal(flash_bank_vars(&fb, "/dev/null", NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "must be a regular file"));
	assert_int_equal(flash_bank_vars(&fb, at("no/such/dir"), NULL, err, sizeof(err)), -ENOENT);
	assert_int_equal(fb.fd, -1);
	assert_null(fb.mem);
}

static void test_vars_volatile(void **state)
{
	struct flash_bank fb;
	char err[256];

	assert_int_equal(flash_bank_vars(&fb, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(fb.fd, -1);
	assert_int_equal(fb.mem[FLASH_BANK_SIZE - 1], 0);
	assert_int_equal(flash_bank_persist(&fb, 0, "x", 1), 0);
	flash_bank_free(&fb);
	flash_bank_free(&fb); /* twice is fine */
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
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_firmware_bytes_and_padding),
		cmocka_unit_test(test_firmware_exactly_a_bank),
		cmocka_unit_test(test_firmware_errors),
		cmocka_unit_test(test_vars_created_and_kept),
		cmocka_unit_test(test_vars_refused),
		cmocka_unit_test(test_vars_volatile),
	};

	return cmocka_run_group_tests_name("firmware", t, setup, teardown);
}
