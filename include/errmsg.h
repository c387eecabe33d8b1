/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One-line error messages for the pure code's "return -errno, reason in err" style. */
#pragma once

#include <stddef.h>

/* Format the reason into err (if given) and return ret (a -errno). */
int errmsg_fail(char *err, size_t errlen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
