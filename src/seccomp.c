// SPDX-License-Identifier: GPL-3.0-or-later
/* After set-up, minivmm only needs a few dozen system calls: KVM ioctls, the poll
 * loop's reads and writes, memory management, threads' futexes and signals, and
 * the files the monitor may write (`dtb FILE`, the history). A seccomp filter
 * (Documentation/userspace-api/seccomp_filter.rst) refuses every other call with
 * EPERM, on every thread (SECCOMP_FILTER_FLAG_TSYNC): no new processes, no new
 * sockets or connections, no exec, whatever a bug in the packet or image parsers
 * might be turned into. --no-seccomp turns it off. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp.h"
#include "types.h"

/* The run loop's system calls, found with strace over the test suite and by
 * reading the code paths (poll loop, vCPU threads, monitor, gdb socket, exit). */
static const unsigned int allowed[] = {
	/* files and sockets already open */
	__NR_read, __NR_write, __NR_readv, __NR_writev, __NR_close, __NR_ppoll,
	__NR_pselect6, __NR_ioctl, __NR_lseek, __NR_fcntl, __NR_fstat, __NR_newfstatat,
	__NR_recvfrom, __NR_sendto, __NR_recvmsg, __NR_sendmsg, __NR_accept4,
	__NR_setsockopt, __NR_getsockopt, __NR_shutdown, __NR_epoll_pwait,
	/* files the monitor may write: `dtb FILE`, the readline history */
	__NR_openat, __NR_unlinkat, __NR_renameat, __NR_ftruncate, __NR_fsync,
	__NR_fdatasync, __NR_faccessat, __NR_umask,
	/* --bios-vars: the flash bank's programs and erases, written through to its file */
	__NR_pwrite64,
	/* memory */
	__NR_mmap, __NR_munmap, __NR_mprotect, __NR_madvise, __NR_brk, __NR_mremap,
	/* threads, signals, time */
	__NR_futex, __NR_set_robust_list, __NR_rseq, __NR_rt_sigreturn,
	__NR_rt_sigprocmask, __NR_rt_sigaction, __NR_sigaltstack, __NR_tgkill,
	__NR_gettid, __NR_getpid, __NR_getuid, __NR_geteuid, __NR_getgid, __NR_getegid,
	__NR_clock_gettime, __NR_clock_nanosleep, __NR_nanosleep, __NR_sched_yield,
	__NR_timerfd_settime, /* the RTC's alarm (board.c) */
	__NR_restart_syscall, __NR_getrandom, __NR_exit, __NR_exit_group,
#ifdef __SANITIZE_ADDRESS__
	/* The sanitizer build's runtime (docs/reliability.md): a thread's start reads its
	 * stack through pthread_getattr_np(), which asks for the thread's CPU affinity. */
	__NR_sched_getaffinity,
#endif
};

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>

static bool locked_down;

/* LeakSanitizer's check at exit stops the world with clone() and ptrace(), which the
 * filter refuses: once it is in, the check is off. --no-seccomp checks for leaks. */
int __lsan_is_turned_off(void)
{
	return locked_down;
}
#endif

#define STMT(code, k) ((struct sock_filter)BPF_STMT(code, k))
#define JUMP(code, k, jt, jf) ((struct sock_filter)BPF_JUMP(code, k, jt, jf))

int seccomp_lock_down(void)
{
	struct sock_filter f[ARRAY_SIZE(allowed) + 8];
	struct sock_fprog prog;
	unsigned int i, n = 0;

	f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_AARCH64, 1, 0);
	f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (i = 0; i < ARRAY_SIZE(allowed); i++) {
		/* if nr == allowed[i], jump to the ALLOW below: past the remaining
		 * comparisons and the ERRNO return */
		f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, allowed[i],
			      (uint8_t)(ARRAY_SIZE(allowed) - i), 0);
	}
	f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
	f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog = (struct sock_fprog){ .len = (unsigned short)n, .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog))
		return -errno;
#ifdef __SANITIZE_ADDRESS__
	locked_down = true;
#endif
	return 0;
}
