# SPDX-License-Identifier: GPL-3.0-or-later
# The debugger core (include/debugger.h): pure C over the CPU-access interface
# (include/dbg_cpu.h), so it is linked into minivmm and unit-tested on the host.
DEBUGGER_OBJS := src/debugger/regs.o src/debugger/bp.o src/debugger/step.o src/debugger/run.o \
	src/debugger/gdb.o src/debugger/linux.o src/debugger/threads.o src/debugger/dump.o
SRC_OBJS += $(DEBUGGER_OBJS)
PURE_OBJS += $(DEBUGGER_OBJS)

# The fake CPU the unit tests and the fuzzer drive the debugger with (host only).
PURE_OBJS += src/debugger/fakecpu.o
UNIT_TESTS += src/debugger/dbg_test src/debugger/linux_test src/debugger/threads_test src/debugger/dump_test
