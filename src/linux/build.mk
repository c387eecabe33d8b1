# SPDX-License-Identifier: GPL-3.0-or-later
# What minivmm knows of a Linux guest, read from its memory without its help. Pure:
# unit-tested and fuzzed on the host.
LINUX_OBJS := src/linux/vmcoreinfo.o
SRC_OBJS += $(LINUX_OBJS)
PURE_OBJS += $(LINUX_OBJS)
UNIT_TESTS += src/linux/vmcoreinfo_test

# The kernel's BTF, for the task-aware threads being built (issue 13): tested and fuzzed, not
# linked into minivmm until they use it.
PURE_OBJS += src/linux/btf.o
UNIT_TESTS += src/linux/btf_test
