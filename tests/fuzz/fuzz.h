/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the libFuzzer harnesses: an invariant check that stays on in every build (assert()
 * would vanish under -DNDEBUG) and names the failed condition before libFuzzer saves the input. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond)                                                                     \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, \
				#cond);                                                      \
			abort();                                                             \
		}                                                                            \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
