// SPDX-License-Identifier: GPL-3.0-or-later
/* --bios's flash banks and their files (include/firmware.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "firmware.h"

static int fail(char *err, size_t errlen, int ret, const char *path, const char *why)
{
	snprintf(err, errlen, "%s: %s", path, why ? why : strerror(-ret));
	return ret;
}

static uint8_t *map_anon(void)
{
	void *p = mmap(NULL, FLASH_BANK_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int flash_bank_firmware(struct flash_bank *fb, const char *path, char *err, size_t errlen)
{
	struct stat st;
	size_t done = 0;
	ssize_t n;
	int fd, ret;

	*fb = (struct flash_bank){ .fd = -1, .path = path };
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(err, errlen, -errno, path, NULL);
	if (fstat(fd, &st)) {
		ret = fail(err, errlen, -errno, path, NULL);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		ret = fail(err, errlen, -EISDIR, path, NULL);
		goto out;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > FLASH_BANK_SIZE) {
		snprintf(err, errlen,
			 "%s: the firmware (%lld bytes) is larger than the flash bank "
			 "(64 MiB)",
			 path, (long long)st.st_size);
		ret = -EFBIG;
		goto out;
	}
	fb->mem = map_anon();
	if (!fb->mem) {
		ret = fail(err, errlen, -errno, path, NULL);
		goto out;
	}
	/* Read to the end, whatever st_size said (a pipe has none): one byte past the bank
	 * says it is too large. */
	for (;;) {
		uint8_t extra;

		n = done < FLASH_BANK_SIZE ? read(fd, fb->mem + done, FLASH_BANK_SIZE - done)
					   : read(fd, &extra, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = fail(err, errlen, -errno, path, NULL);
			goto out;
		}
		if (n == 0)
			break;
		if (done == FLASH_BANK_SIZE) {
			snprintf(err, errlen,
				 "%s: the firmware is larger than the flash bank (64 MiB)", path);
			ret = -EFBIG;
			goto out;
		}
		done += (size_t)n;
	}
	ret = done ? 0 : fail(err, errlen, -ENODATA, path, "the firmware file is empty");
out:
	close(fd);
	if (ret)
		flash_bank_free(fb);
	return ret;
}

/* A new variables file: the bank's size, sparse, so it reads as zeroes like a fresh bank. */
static int create_vars(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	if (fd < 0)
		return fail(err, errlen, -errno, path, NULL);
	if (ftruncate(fd, (off_t)FLASH_BANK_SIZE)) {
		int ret = -errno;

		close(fd);
		unlink(path);
		return fail(err, errlen, ret, path, NULL);
	}
	return fd;
}

int flash_bank_vars(struct flash_bank *fb, const char *path, const char *fw_path, char *err,
		    size_t errlen)
{
	struct stat st, fw;
	void *p;
	int fd, ret;

	*fb = (struct flash_bank){ .fd = -1, .path = path };
	if (!path) {
		fb->mem = map_anon();
		return fb->mem ? 0 : fail(err, errlen, -errno, "flash bank 1", NULL);
	}
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		fd = create_vars(path, err, errlen);
	else if (fd < 0)
		return fail(err, errlen, -errno, path,
			    errno == EACCES || errno == EROFS
				    ? "the variables file must be writable (its flash bank is kept "
				      "there)"
				    : NULL);
	if (fd < 0)
		return fd;
	fb->fd = fd;
	if (fstat(fb->fd, &st)) {
		ret = fail(err, errlen, -errno, path, NULL);
		goto err;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = fail(err, errlen, -EINVAL, path, "the variables file must be a regular file");
		goto err;
	}
	if (fw_path && !stat(fw_path, &fw) && fw.st_dev == st.st_dev && fw.st_ino == st.st_ino) {
		ret = fail(
			err, errlen, -EINVAL, path,
			"is the firmware image itself: name a file of its own for the variables");
		goto err;
	}
	if ((uint64_t)st.st_size != FLASH_BANK_SIZE) {
		snprintf(err, errlen,
			 "%s: a variables file must be the flash bank's size, "
			 "67108864 bytes (64 MiB); this one has %lld",
			 path, (long long)st.st_size);
		ret = -EINVAL;
		goto err;
	}
	p = mmap(NULL, FLASH_BANK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE, fb->fd,
		 0);
	if (p == MAP_FAILED) {
		ret = fail(err, errlen, -errno, path, NULL);
		goto err;
	}
	fb->mem = p;
	return 0;
err:
	flash_bank_free(fb);
	return ret;
}

int flash_bank_persist(void *opaque, uint64_t off, const void *data, uint64_t len)
{
	struct flash_bank *fb = opaque;
	const uint8_t *p = data;
	ssize_t n;

	if (fb->fd < 0)
		return 0;
	if (off > FLASH_BANK_SIZE || len > FLASH_BANK_SIZE - off)
		return -EINVAL;
	while (len) {
		n = pwrite(fb->fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENOSPC;
		p += n;
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return 0;
}

void flash_bank_free(struct flash_bank *fb)
{
	if (fb->mem)
		munmap(fb->mem, FLASH_BANK_SIZE);
	if (fb->fd >= 0)
		close(fb->fd);
	fb->mem = NULL;
	fb->fd = -1;
}
