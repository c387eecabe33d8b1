# SPDX-License-Identifier: GPL-3.0-or-later
# All arm64 knowledge. The compute part is pure and unit-tested on the host.

# Page-table walker, ESR/exception entry, debug registers, A64 classifier, gdb register map.
ARM64_OBJS += src/arm64/ptw.o src/arm64/esr.o src/arm64/hwdbg.o src/arm64/insn.o \
	src/arm64/gdbregs.o
PURE_OBJS += src/arm64/ptw.o src/arm64/esr.o src/arm64/hwdbg.o src/arm64/insn.o \
	src/arm64/gdbregs.o
UNIT_TESTS += src/arm64/ptw_test src/arm64/esr_test src/arm64/hwdbg_test src/arm64/insn_test \
	src/arm64/gdbregs_test
