# SPDX-License-Identifier: GPL-3.0-or-later
SRC_OBJS += src/main.o src/log.o src/loop.o src/console.o src/vm.o src/vcpu.o src/board.o \
	src/seccomp.o

# The debugger's CPU-access interface over KVM (the debugger itself: src/debugger/), and the
# gdb socket.
SRC_OBJS += src/kvm_cpu.o src/gdbserver.o

# Listen, accept and send-all for the gdb server and the monitor's socket (no KVM:
# unit-tested on the host).
SRC_OBJS += src/sock.o
PURE_OBJS += src/sock.o
UNIT_TESTS += src/sock_test

# Image loaders and device tree (pure: unit-tested on the host).
SRC_OBJS += src/errmsg.o src/loader.o src/dtb.o
PURE_OBJS += src/errmsg.o src/loader.o src/dtb.o
UNIT_TESTS += src/loader_test src/dtb_test
UNIT_TESTS += src/guest_ram_test

# The image and initrd files, mapped for the guest's run (pure: unit-tested on the host).
SRC_OBJS += src/input.o
PURE_OBJS += src/input.o
UNIT_TESTS += src/input_test

# --bios's flash banks and their files (pure: unit-tested on the host).
SRC_OBJS += src/firmware.o
PURE_OBJS += src/firmware.o
UNIT_TESTS += src/firmware_test

# --cpu's parser (pure); vcpu.c matches it against the host's KVM.
SRC_OBJS += src/cpu_opts.o
PURE_OBJS += src/cpu_opts.o
UNIT_TESTS += src/cpu_opts_test

# The monitor: command table and handlers, the readline prompt, gdb's `monitor` and the unix
# socket; its parser is pure (unit-tested and fuzzed on the host).
SRC_OBJS += src/monitor.o src/monitor_cmds.o src/monitor_tty.o src/monitor_parse.o
PURE_OBJS += src/monitor_parse.o
UNIT_TESTS += src/monitor_parse_test
