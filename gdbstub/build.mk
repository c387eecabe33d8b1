# SPDX-License-Identifier: GPL-3.0-or-later
# The GDB Remote Serial Protocol library: knows no KVM, unit-tested on the host.
GDBSTUB_OBJS += gdbstub/rsp.o gdbstub/gdbstub.o gdbstub/reply.o gdbstub/cmds.o gdbstub/resume.o
PURE_OBJS += gdbstub/rsp.o gdbstub/gdbstub.o gdbstub/reply.o gdbstub/cmds.o gdbstub/resume.o
UNIT_TESTS += gdbstub/rsp_test gdbstub/gdbstub_test
