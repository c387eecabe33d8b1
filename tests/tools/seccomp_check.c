// SPDX-License-Identifier: GPL-3.0-or-later
/* Installs minivmm's own system-call filter (src/seccomp.c, linked in) and tries
 * what it must refuse and what it must allow; prints one line per call and exits 0
 * only if every call went as it should. Run in the test host. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp.h"

static int failures;

static void expect(const char *what, long ret, int want_errno)
{
	int err = ret < 0 ? errno : 0;
	bool ok = want_errno ? (ret < 0 && err == want_errno) : ret >= 0;

	printf("%s %s: %s\n", ok ? "ok" : "FAIL", what, err ? strerror(err) : "allowed");
	failures += !ok;
}

int main(void)
{
	char *const argv[] = { "/bin/true", NULL };
	/* A guest reset reads the mapped Image and initrd again (src/input.c): a file
	 * mapped before the filter, as board_create() maps them. */
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	void *map = fd < 0 ? MAP_FAILED : mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	struct stat st;
	int ret;

	if (map == MAP_FAILED) {
		printf("FAIL mapping /proc/self/exe: %s\n", strerror(errno));
		return 1;
	}
	ret = seccomp_lock_down();
	if (ret) {
		printf("FAIL seccomp_lock_down: %s\n", strerror(-ret));
		return 1;
	}
	expect("execve", execve("/bin/true", argv, NULL), EPERM);
	expect("socket", socket(AF_INET, SOCK_STREAM, 0), EPERM);
	expect("clone (fork)", syscall(SYS_clone, 17 /* SIGCHLD */, 0, 0, 0, 0), EPERM);
	expect("kill", syscall(SYS_kill, 1, 0), EPERM);
	expect("getpid", getpid(), 0);
	expect("write", write(1, "", 0), 0);
	expect("fstat of a mapped input", fstat(fd, &st), 0);
	expect("madvise MADV_DONTNEED of a mapped input", madvise(map, 4096, MADV_DONTNEED), 0);
	expect("munmap", munmap(map, 4096), 0);
	expect("close", close(fd), 0);
	fflush(stdout);
	return failures ? 1 : 0;
}
