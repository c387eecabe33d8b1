// SPDX-License-Identifier: GPL-3.0-or-later
/* The loaders and the device tree report errors as -errno plus a one-line reason. */
#include <stdarg.h>
#include <stdio.h>

#include "errmsg.h"

int errmsg_fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}
