# SPDX-License-Identifier: GPL-3.0-or-later
SRC_OBJS += src/main.o src/log.o src/vm.o src/vcpu.o src/board.o

# Image loaders and device tree (pure: unit-tested on the host).
SRC_OBJS += src/loader.o
PURE_OBJS += src/loader.o
UNIT_TESTS += src/loader_test
