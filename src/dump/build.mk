# SPDX-License-Identifier: GPL-3.0-or-later
# Guest core dumps (dump-guest-memory, issue 14). The ELF core writer is pure: it is given
# RAM, registers and notes and streams the file through a callback (unit-tested on the host).
DUMP_OBJS := src/dump/elfcore.o
SRC_OBJS += $(DUMP_OBJS)
PURE_OBJS += $(DUMP_OBJS)
UNIT_TESTS += src/dump/elfcore_test
