# SPDX-License-Identifier: GPL-3.0-or-later
# Bare-metal test guests for QEMU virt's memory map: guests/NAME.{c,S} -> $(O)/guests/NAME.elf
GUESTS += hello
