/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Address types shared by the VMM, the devices and the pure (host-testable) code. */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef uint64_t gpa_t; /* guest physical address */
typedef uint64_t gva_t; /* guest virtual address */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
