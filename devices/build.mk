# SPDX-License-Identifier: GPL-3.0-or-later
DEVICE_OBJS += devices/mmio.o devices/pl011.o devices/pl031.o devices/virtio_mmio.o devices/gic.o
PURE_OBJS += devices/mmio.o devices/pl011.o devices/pl031.o devices/virtio_mmio.o
UNIT_TESTS += devices/pl011_test devices/pl031_test devices/virtio_mmio_test
# --bios: the CFI flash banks and fw_cfg (pure: unit-tested and fuzzed on the host).
DEVICE_OBJS += devices/pflash.o devices/fw_cfg.o
PURE_OBJS += devices/pflash.o devices/fw_cfg.o
UNIT_TESTS += devices/pflash_test devices/fw_cfg_test
