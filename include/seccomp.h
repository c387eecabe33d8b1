/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The system-call filter minivmm installs once it is set up (src/seccomp.c). */
#pragma once

/* Refuse, with EPERM, every system call the run loop does not need, on every
 * thread. Returns 0 or -errno. */
int seccomp_lock_down(void);
