# SPDX-License-Identifier: GPL-3.0-or-later
# minivmm: build the VMM (cross-compiled, static), the test guests, the host-side
# unit tests, and run the tests. `make help` lists the targets.

O ?= build
.DEFAULT_GOAL := all
DL := $(O)/dl
DEPS_STAMP := $(DL)/.deps-ok
V ?= 0
WERROR ?= 0
STATIC ?= 1
SANITIZE ?= 0

ifeq ($(shell uname -m),aarch64)
CROSS_COMPILE ?=
else
CROSS_COMPILE ?= aarch64-linux-gnu-
endif
CC := $(CROSS_COMPILE)gcc
HOSTCC ?= cc
PYTHON ?= /usr/bin/python3

ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-7s %s\n'
endif

VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

WARNINGS := -Wall -Wextra -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes -Wundef \
	-Wno-unused-parameter
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif
COMMON_CFLAGS := -std=gnu11 -O2 -g $(WARNINGS) -Iinclude -I. -MMD -MP \
	-DMINIVMM_VERSION='"$(VERSION)"'

# Debian's arm64 libfdt/readline headers live in /usr/include, which a cross compiler
# must not search as a whole (it holds x86-64 glibc headers too): expose just them.
SYSINC := $(O)/sysinc
CFLAGS ?=
TARGET_CFLAGS := $(COMMON_CFLAGS) -I$(SYSINC) -pthread $(CFLAGS)
TARGET_LDFLAGS := -pthread
ifneq ($(CROSS_COMPILE),)
TARGET_LDFLAGS += -L/usr/lib/aarch64-linux-gnu
endif
ifeq ($(STATIC),1)
TARGET_LDFLAGS += -static
endif
TARGET_LIBS := -lreadline -ltinfo -lfdt

# Each directory lists its own objects and unit tests in its build.mk, so that
# adding a file is a visible change there. Lists filled below:
#   SRC_OBJS, ARM64_OBJS, DEVICE_OBJS, GDBSTUB_OBJS: linked into minivmm
#   PURE_OBJS: need no KVM; also built with the host compiler for the unit tests
#   UNIT_TESTS: dir/name_test, from dir/name_test.c linked with the pure objects
SRC_OBJS :=
ARM64_OBJS :=
DEVICE_OBJS :=
GDBSTUB_OBJS :=
PURE_OBJS :=
UNIT_TESTS :=
GUESTS :=
include src/build.mk src/arm64/build.mk devices/build.mk gdbstub/build.mk guests/build.mk
MINIVMM_OBJS := $(addprefix $(O)/,$(SRC_OBJS) $(ARM64_OBJS) $(DEVICE_OBJS) $(GDBSTUB_OBJS))

# The host's libfdt is unpacked by the deps script (it cannot be installed beside
# the arm64 one).
HOST_FDT := $(DL)/host-libfdt
HOST_CFLAGS := $(COMMON_CFLAGS) -DMINIVMM_HOST_TEST -isystem $(HOST_FDT)/include
HOST_LIBS := -lcmocka $(HOST_FDT)/lib/$(shell $(HOSTCC) -dumpmachine)/libfdt.a
ifeq ($(SANITIZE),1)
HOST_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
endif
HOST := $(O)/host
UNIT_BINS := $(addprefix $(HOST)/,$(UNIT_TESTS))

# Bare-metal test guests: guests/NAME.c or guests/NAME.S + guests/lib -> $(O)/guests/NAME.elf
GUEST_OPT := -O2
GUEST_CFLAGS = -std=gnu11 -g $(GUEST_OPT) -Wall -Wextra -ffreestanding -fno-builtin -nostdlib \
	-mgeneral-regs-only -fno-stack-protector -mstrict-align -Iguests/lib -MMD -MP
GUEST_LDFLAGS := -nostdlib -static -Wl,--build-id=none -Wl,--no-warn-rwx-segments -T guests/lib/virt.ld
GUEST_ELFS := $(patsubst %,$(O)/guests/%.elf,$(GUESTS))


.PHONY: all deps unit test integration demo clean distclean help testhost guests
.DELETE_ON_ERROR:
.SECONDARY:

all: $(O)/minivmm guests

help:
	@echo 'make            build $(O)/minivmm and the test guests'
	@echo 'make deps       install the build and test dependencies (Debian packages)'
	@echo 'make unit       run the unit tests (host compiler, no KVM)'
	@echo 'make test       unit tests, then integration tests in the arm64 test host'
	@echo 'make demo       run minivmm with the hello guest in the test host'
	@echo 'make clean      remove build outputs (keeps downloaded packages)'
	@echo 'options: O=DIR V=1 WERROR=1 STATIC=0 SANITIZE=1 CROSS_COMPILE=prefix'

# Every target that needs installed packages depends on this stamp; the script
# itself is idempotent and quick when everything is there.
deps $(DEPS_STAMP): tests/testhost/deps.sh
	$(Q)bash tests/testhost/deps.sh $(abspath $(DL))
	$(Q)touch $(DEPS_STAMP)

$(SYSINC)/.stamp: $(DEPS_STAMP)
	$(Q)mkdir -p $(SYSINC)
	$(Q)ln -sfn /usr/include/libfdt.h /usr/include/fdt.h /usr/include/libfdt_env.h \
		/usr/include/readline $(SYSINC)/
	$(Q)touch $@

$(O)/minivmm: $(MINIVMM_OBJS)
	$(quiet) LD $@
	$(Q)$(CC) $(TARGET_LDFLAGS) -o $@ $^ $(TARGET_LIBS)

$(O)/%.o: %.c $(SYSINC)/.stamp
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(TARGET_CFLAGS) -c -o $@ $<

# Unit tests: host compiler, cmocka.
$(HOST)/%.o: %.c $(DEPS_STAMP)
	$(quiet) HOSTCC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -c -o $@ $<

$(HOST)/libpure.a: $(addprefix $(HOST)/,$(PURE_OBJS))
	$(quiet) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

$(HOST)/%_test: $(HOST)/%_test.o $(HOST)/libpure.a
	$(quiet) HOSTLD $@
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $^ $(HOST_LIBS)

unit: $(UNIT_BINS)
	$(Q)$(PYTHON) tests/run_unit.py $(UNIT_BINS)

# Guests.
guests: $(GUEST_ELFS) $(LINUX_GUEST)

$(O)/guests/%.o: guests/%.c $(DEPS_STAMP)
	$(quiet) GUESTCC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(O)/guests/%.o: guests/%.S $(DEPS_STAMP)
	$(quiet) GUESTAS $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(O)/guests/%.elf: $(O)/guests/%.o $(addprefix $(O)/,$(GUEST_LIB)) guests/lib/virt.ld
	$(quiet) GUESTLD $@
	$(Q)$(CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^) -lgcc

# The emulated arm64 test host (tests/testhost/) and what runs in it.
testhost: $(O)/minivmm guests

integration: testhost
	$(Q)$(PYTHON) -m pytest -q tests/

test: unit integration

demo: testhost
	$(Q)tests/testhost/run -- ./minivmm guests/hello.elf

clean:
	$(Q)find $(O) -mindepth 1 -maxdepth 1 ! -name dl -exec rm -rf {} + 2>/dev/null || true

distclean:
	$(Q)rm -rf $(O)

-include $(shell find $(O) -path $(O)/dl -prune -o -name '*.d' -type f -print 2>/dev/null)
