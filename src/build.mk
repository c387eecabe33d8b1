# SPDX-License-Identifier: GPL-3.0-or-later
SRC_OBJS += src/main.o src/log.o src/loop.o src/console.o src/vm.o src/vcpu.o src/board.o

# Image loaders and device tree (pure: unit-tested on the host).
SRC_OBJS += src/loader.o src/dtb.o
PURE_OBJS += src/loader.o src/dtb.o
UNIT_TESTS += src/loader_test src/dtb_test
