# SPDX-License-Identifier: GPL-3.0-or-later
# libFuzzer harnesses for the pure code (docs/fuzzing.md): tests/fuzz/NAME_fuzz.c, linked with
# the pure objects rebuilt by clang with ASan and UBSan, into $(O)/fuzz/NAME_fuzz.
#   make fuzz FUZZ_SECONDS=N   each target for N seconds (default 60)
#   make fuzz-short            each for FUZZ_SHORT_SECONDS (part of `make test`)
# New inputs go to $(O)/fuzz/corpus/NAME, crashes to $(O)/fuzz/crash/NAME/; the seeds and
# regression inputs committed in tests/fuzz/corpus/NAME are only read.
FUZZ_TARGETS := gdbstub loader dtb ptw insn hwdbg
FUZZ_TARGETS += monitor
FUZZ_TARGETS += debugger
FUZZ_TARGETS += vmcoreinfo btf tasks
FUZZ_TARGETS += mmio pflash fw_cfg
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SHORT_SECONDS ?= 6
FUZZ_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS := -std=gnu11 -O1 -g -Wall -Wno-unused-parameter -Iinclude -I. -MMD -MP \
	-DMINIVMM_HOST_TEST -isystem $(DL)/host-libfdt/include $(FUZZ_SAN)
FUZZ := $(O)/fuzz
FUZZ_BINS := $(patsubst %,$(FUZZ)/%_fuzz,$(FUZZ_TARGETS))

.PHONY: fuzz fuzz-short fuzz-build

$(FUZZ)/%.o: %.c $(DEPS_STAMP)
	$(quiet) FUZZCC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ)/libpure.a: $(addprefix $(FUZZ)/,$(PURE_OBJS))
	$(quiet) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ)/%_fuzz: $(FUZZ)/tests/fuzz/%_fuzz.o $(FUZZ)/libpure.a
	$(quiet) FUZZLD $@
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ \
		$(DL)/host-libfdt/lib/$(shell $(HOSTCC) -dumpmachine)/libfdt.a

fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	$(Q)$(PYTHON) tests/fuzz/run.py --seconds $(FUZZ_SECONDS) --jobs $(FUZZ_JOBS) \
		--out $(FUZZ) $(FUZZ_TARGETS)

fuzz-short: $(FUZZ_BINS)
	$(Q)$(PYTHON) tests/fuzz/run.py --seconds $(FUZZ_SHORT_SECONDS) --jobs $(FUZZ_JOBS) \
		--out $(FUZZ) $(FUZZ_TARGETS)
