// SPDX-License-Identifier: GPL-3.0-or-later
/* libFuzzer harness for the A64 classifier (src/arm64/insn.c): the input is a PC and a run of
 * instruction words. Each decodes to a known class with a name; branches are exactly the classes
 * that can leave PC + 4; direct targets are PC-relative multiples of 4; register numbers fit in
 * five bits; arm64_insn_next_branch() agrees with arm64_insn_is_branch(). */
#include <stdint.h>
#include <string.h>

#include "src/arm64/insn.h"
#include "tests/fuzz/fuzz.h"

#define MAX_INSNS 1024
#define KNOWN_FLAGS                                                                    \
	(ARM64_INSN_F_COND | ARM64_INSN_F_LINK | ARM64_INSN_F_RET | ARM64_INSN_F_PAC | \
	 ARM64_INSN_F_LOAD | ARM64_INSN_F_STORE)

static void check(uint32_t word, uint64_t pc)
{
	struct arm64_insn in;
	bool branch;

	memset(&in, 0xa5, sizeof(in)); /* the decoder must set what it reports */
	arm64_insn_decode(word, pc, &in);
	FUZZ_CHECK(in.cls <= ARM64_INSN_SYSREG && in.name && in.name[0]);
	FUZZ_CHECK(strcmp(arm64_insn_class_name(in.cls), "?"));
	FUZZ_CHECK((in.flags & ~KNOWN_FLAGS) == 0);
	branch = in.cls == ARM64_INSN_BRANCH_DIRECT || in.cls == ARM64_INSN_BRANCH_INDIRECT ||
		 in.cls == ARM64_INSN_EXCEPTION_GEN || in.cls == ARM64_INSN_ERET;
	FUZZ_CHECK(arm64_insn_is_branch(word) == branch);
	if (in.cls == ARM64_INSN_BRANCH_DIRECT)
		FUZZ_CHECK((in.target - pc) % 4 == 0);
	if (in.cls == ARM64_INSN_BRANCH_INDIRECT || in.cls == ARM64_INSN_EXCLUSIVE ||
	    in.cls == ARM64_INSN_SYSREG)
		FUZZ_CHECK(in.reg < 32);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint32_t insns[MAX_INSNS];
	uint64_t pc = 0;
	size_t n, i, first = SIZE_MAX;

	if (size >= 8) {
		memcpy(&pc, data, 8);
		data += 8;
		size -= 8;
	}
	n = size / 4 < MAX_INSNS ? size / 4 : MAX_INSNS;
	memcpy(insns, data, n * 4);
	for (i = 0; i < n; i++) {
		check(insns[i], pc + 4 * i);
		if (first == SIZE_MAX && arm64_insn_is_branch(insns[i]))
			first = i;
	}
	FUZZ_CHECK(arm64_insn_next_branch(insns, n) == (first == SIZE_MAX ? n : first));
	return 0;
}
