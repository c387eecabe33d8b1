# SPDX-License-Identifier: GPL-3.0-or-later
# Bare-metal test guests for QEMU virt's memory map: guests/NAME.{c,S} -> $(O)/guests/NAME.elf
GUESTS += hello smp timer cloop
GUEST_LIB := guests/lib/start.o guests/lib/uart.o guests/lib/psci.o guests/lib/vectors.o \
	guests/lib/gic.o

# Source-level stepping wants every line and variable where the source says.
$(O)/guests/cloop.o: GUEST_OPT := -O0
