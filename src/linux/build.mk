# SPDX-License-Identifier: GPL-3.0-or-later
# What minivmm knows of a Linux guest, read from its memory without its help. Pure:
# unit-tested and fuzzed on the host.
LINUX_OBJS := src/linux/vmcoreinfo.o src/linux/btf.o src/linux/tasks.o
SRC_OBJS += $(LINUX_OBJS)
PURE_OBJS += $(LINUX_OBJS)
UNIT_TESTS += src/linux/vmcoreinfo_test src/linux/btf_test src/linux/tasks_test
