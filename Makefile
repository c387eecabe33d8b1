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
# The debug info stays in the binary, compressed (gdb and addr2line read it as it is).
TARGET_LDFLAGS := -pthread -Wl,--compress-debug-sections=zlib
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
include src/build.mk src/arm64/build.mk src/debugger/build.mk src/linux/build.mk src/dump/build.mk \
	devices/build.mk gdbstub/build.mk guests/build.mk
include tests/fuzz/build.mk
MINIVMM_OBJS := $(addprefix $(O)/,$(SRC_OBJS) $(ARM64_OBJS) $(DEVICE_OBJS) $(GDBSTUB_OBJS))

# The host's libfdt is unpacked by the deps script (it cannot be installed beside
# the arm64 one).
HOST_FDT := $(DL)/host-libfdt
HOST_CFLAGS := $(COMMON_CFLAGS) -DMINIVMM_HOST_TEST -isystem $(HOST_FDT)/include
HOST_LIBS := -lcmocka $(HOST_FDT)/lib/$(shell $(HOSTCC) -dumpmachine)/libfdt.a
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# Objects built with and without the sanitizers must not mix: each kind has its folder.
ifeq ($(SANITIZE),1)
HOST_CFLAGS += $(SAN_FLAGS)
HOST := $(O)/host-san
else
HOST := $(O)/host
endif
UNIT_BINS := $(addprefix $(HOST)/,$(UNIT_TESTS))

# Bare-metal test guests: guests/NAME.c or guests/NAME.S + guests/lib -> $(O)/guests/NAME.elf
GUEST_OPT := -O2
GUEST_CFLAGS = -std=gnu11 -g $(GUEST_OPT) -Wall -Wextra -ffreestanding -fno-builtin -nostdlib \
	-mgeneral-regs-only -fno-stack-protector -mstrict-align -Iguests/lib -MMD -MP
GUEST_LDFLAGS := -nostdlib -static -Wl,--build-id=none -Wl,--no-warn-rwx-segments -T guests/lib/virt.ld
GUEST_ELFS := $(patsubst %,$(O)/guests/%.elf,$(GUESTS))


.PHONY: all deps unit test integration demo bench bench-boot clean distclean help testhost guests
.DELETE_ON_ERROR:
.SECONDARY:

all: $(O)/minivmm guests

help:
	@echo 'make            build $(O)/minivmm and the test guests'
	@echo 'make deps       install the build and test dependencies (Debian packages)'
	@echo 'make unit       run the unit tests (host compiler, no KVM)'
	@echo 'make check-modules  no cycle in the module graph (tests/tools/modgraph.py)'
	@echo 'make test       unit tests (plain and sanitized), short fuzzing, then integration tests'
	@echo 'make demo       run minivmm with the hello guest in the test host'
	@echo 'make bench      minivmm against QEMU -accel kvm, side by side (test host; ~5 min)'
	@echo 'make bench-boot boot time and memory of the hello and Linux guests (test host)'
	@echo 'make fuzz       each libFuzzer harness for FUZZ_SECONDS (default 60; docs/fuzzing.md)'
	@echo 'make unit-san   the unit tests under ASan and UBSan (= make SANITIZE=1 unit)'
	@echo 'make integration-san  the integration tests against the sanitizer build (~20 min)'
	@echo 'make install    install minivmm and its man page (PREFIX=/usr/local, DESTDIR)'
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

# The unit tests again under ASan and UBSan, objects in $(O)/host-san/.
.PHONY: unit-san
unit-san:
	$(Q)$(MAKE) --no-print-directory SANITIZE=1 unit

# SANITIZE=1 also builds $(O)/minivmm-san: ASan and UBSan, linked dynamically (ASan has no
# static runtime), objects in $(O)/san/. docs/reliability.md, "Sanitizers", says how to run it.
SAN_OBJS := $(addprefix $(O)/san/,$(SRC_OBJS) $(ARM64_OBJS) $(DEVICE_OBJS) $(GDBSTUB_OBJS))
ifeq ($(SANITIZE),1)
all: $(O)/minivmm-san
endif

$(O)/minivmm-san: $(SAN_OBJS)
	$(quiet) LD $@
	$(Q)$(CC) $(filter-out -static,$(TARGET_LDFLAGS)) $(SAN_FLAGS) -o $@ $^ $(TARGET_LIBS)

$(O)/san/%.o: %.c $(SYSINC)/.stamp
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(TARGET_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

# The test host's busybox initramfs has no C library: minivmm-san ships there with the arm64
# dynamic loader, glibc, the sanitizer runtimes and minivmm's own libraries, in san-rt/
# (tests/testhost/testhost.py, SAN_SETUP). Any ASan or UBSan report ends minivmm with an error.
SAN_RT_LIBS := $(addprefix /usr/aarch64-linux-gnu/lib/,ld-linux-aarch64.so.1 libc.so.6 \
	libm.so.6 libgcc_s.so.1 libstdc++.so.6 libasan.so.8 libubsan.so.1) \
	$(addprefix /usr/lib/aarch64-linux-gnu/,libreadline.so.8 libtinfo.so.6 libfdt.so.1)

$(O)/san-rt/.stamp: $(DEPS_STAMP)
	$(quiet) COPY $(@D)
	$(Q)mkdir -p $(@D) && cp -L $(SAN_RT_LIBS) $(@D)/ && touch $@

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

# tests/test_sanitized.py runs minivmm-san beside minivmm in the same boot of the test host.
integration: testhost $(O)/minivmm-san $(O)/san-rt/.stamp
	$(Q)$(PYTHON) -m pytest -q --durations=20 tests/

# The whole integration suite against the sanitizer build (docs/reliability.md).
.PHONY: integration-san
integration-san: testhost $(O)/minivmm-san $(O)/san-rt/.stamp
	$(Q)MINIVMM_SAN=1 $(PYTHON) -m pytest -q --durations=20 tests/

# No cycle in the module graph (issue 12): tests/tools/modgraph.py, after its own tests.
.PHONY: check-modules
check-modules: $(DEPS_STAMP)
	$(Q)$(PYTHON) -m pytest -q -p no:cacheprovider --noconftest tests/tools/modgraph_test.py
	$(Q)$(PYTHON) tests/tools/modgraph.py

# make test builds all it runs first, as many jobs at a time as there are CPUs (built one
# at a time, that took a minute of a clean run on 2 cores), then runs the steps in order.
NPROC := $(shell nproc 2>/dev/null || echo 1)
.PHONY: test-build unit-san-build
test-build: $(UNIT_BINS) unit-san-build fuzz-build testhost $(O)/minivmm-san $(O)/san-rt/.stamp

unit-san-build:
	$(Q)$(MAKE) --no-print-directory SANITIZE=1 $(addprefix $(O)/host-san/,$(UNIT_TESTS))

test:
	$(Q)$(MAKE) --no-print-directory $(DEPS_STAMP)
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) test-build
	$(Q)$(MAKE) --no-print-directory check-modules unit unit-san fuzz-short integration

demo: testhost
	$(Q)tests/testhost/run -- ./minivmm guests/hello.elf

# Boot time and memory (docs/performance.md); boottime measures inside the test host.
$(O)/bench/boottime: tests/bench/boottime.c $(DEPS_STAMP)
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 -O2 $(WARNINGS) -static -o $@ $<

bench-boot: testhost $(O)/bench/boottime
	$(Q)$(PYTHON) tests/bench/boot.py $(O)/bench/boottime

# minivmm against Debian's arm64 QEMU with -accel kvm, in one boot of the test host
# (docs/performance.md). qemu-stage.py downloads QEMU's packages once into $(DL)/qemu-arm64
# and is quick when they are there; the table goes to the terminal, $(O)/bench.csv and .json.
BENCH_TOOLS := $(addprefix $(O)/bench/,boottime kvmstep rspbench)

$(O)/bench/kvmstep $(O)/bench/rspbench: $(O)/bench/%: tests/bench/%.c $(DEPS_STAMP)
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 -O2 $(WARNINGS) -static -o $@ $<

bench: testhost $(BENCH_TOOLS)
	$(Q)$(PYTHON) tests/bench/qemu-stage.py $(DL)/qemu-arm64 $(O)/bench/qemu
	$(Q)$(PYTHON) tests/bench/bench.py $(O)/bench $(O)/bench/qemu

# Helpers the integration tests run in the test host (tests/tools/NAME.c, static arm64;
# tests/testhost/testhost.py ships $(O)/tools/NAME there as tools/NAME).
TOOLS := unixcat seccomp_check rspload
.PHONY: tools
tools: $(patsubst %,$(O)/tools/%,$(TOOLS))
testhost: tools

$(O)/tools/%: tests/tools/%.c $(DEPS_STAMP)
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 -O2 $(WARNINGS) -Iinclude -static -o $@ $(filter %.c %.o,$^)

# It checks minivmm's own filter, so it links it.
$(O)/tools/seccomp_check: $(O)/src/seccomp.o

# Installed like a tool: the binary and its man page; PREFIX and DESTDIR as usual.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
.PHONY: install
install: $(O)/minivmm
	$(quiet) INSTALL $(DESTDIR)$(BINDIR)/minivmm
	$(Q)install -D -m 0755 $(O)/minivmm $(DESTDIR)$(BINDIR)/minivmm
	$(quiet) INSTALL $(DESTDIR)$(MANDIR)/man1/minivmm.1
	$(Q)install -D -m 0644 docs/minivmm.1 $(DESTDIR)$(MANDIR)/man1/minivmm.1

clean:
	$(Q)find $(O) -mindepth 1 -maxdepth 1 ! -name dl -exec rm -rf {} + 2>/dev/null || true

distclean:
	$(Q)rm -rf $(O)

-include $(shell find $(O) -path $(O)/dl -prune -o -name '*.d' -type f -print 2>/dev/null)
