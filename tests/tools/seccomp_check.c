// SPDX-License-Identifier: GPL-3.0-or-later
/* Installs minivmm's own system-call filter (src/seccomp.c, linked in) and tries
 * what it must refuse and what it must allow; prints one line per call and exits 0
 * only if every call went as it should. Run in the test host. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
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
	int ret = seccomp_lock_down();

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
	fflush(stdout);
	return failures ? 1 : 0;
}
