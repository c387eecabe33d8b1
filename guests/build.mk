# SPDX-License-Identifier: GPL-3.0-or-later
# Bare-metal test guests for QEMU virt's memory map: guests/NAME.{c,S} -> $(O)/guests/NAME.elf
GUESTS += hello smp timer cloop unbacked reset brk emul smploop manybp wild
# SVE's registers under gdb (issue 15): its SVE instructions sit in inline assembly behind
# .arch_extension sve, so the guests' -mgeneral-regs-only stays.
GUESTS += sve
# Stepping over pointer authentication (issue 15): paciasp/autiasp/retaa in assembly behind
# .arch_extension pauth.
GUESTS += pauth
GUEST_LIB := guests/lib/start.o guests/lib/uart.o guests/lib/psci.o guests/lib/vectors.o \
	guests/lib/gic.o

# Source-level stepping wants every line and variable where the source says.
$(O)/guests/cloop.o: GUEST_OPT := -O0

# The Linux guest: Debian's arm64 kernel (the test host's own) and a busybox
# initramfs whose init prints markers and powers off. virtio_mmio is a module there
# (CONFIG_VIRTIO_MMIO=m, no dependencies), which init loads for guest.devices.
LINUX_GUEST := $(O)/guests/Image $(O)/guests/linux-initrd.cpio.gz
LINUX_MODULES := kernel/drivers/virtio/virtio_mmio.ko

$(O)/guests/Image: $(DEPS_STAMP)
	$(Q)mkdir -p $(@D)
	$(Q)ln -sfn ../dl/Image $@

$(O)/guests/linux-initrd.cpio.gz: guests/linux/init $(DEPS_STAMP)
	$(quiet) CPIO $@
	$(Q)rm -rf $(O)/guests/linux-root && mkdir -p $(O)/guests/linux-root/bin \
		$(O)/guests/linux-root/lib/modules
	$(Q)cp $(DL)/busybox $(O)/guests/linux-root/bin/busybox
	$(Q)cp $(addprefix $(DL)/modules/,$(LINUX_MODULES)) $(O)/guests/linux-root/lib/modules/
	$(Q)cp guests/linux/init $(O)/guests/linux-root/init
	$(Q)(cd $(O)/guests/linux-root && find . | cpio --quiet -o -H newc -R 0:0) | gzip -9 >$@
	$(Q)rm -rf $(O)/guests/linux-root

# The kernel-debugging guest (docs/kernel-debugging.md): boots $(DL)/dbg/Image, the
# kernel whose full-DWARF vmlinux is $(DL)/dbg/vmlinux; its initramfs loads
# dummy.ko (no dependencies) and runs a workload that migrates between 2 vCPUs.
KDEBUG_GUEST := $(O)/guests/kdebug-initrd.cpio.gz
KDEBUG_MODULES := kernel/drivers/net/dummy.ko  # as dbg_modules in tests/testhost/deps.sh

guests: $(KDEBUG_GUEST)

$(O)/guests/kdebug-initrd.cpio.gz: guests/linux/kdebug-init $(DEPS_STAMP)
	$(quiet) CPIO $@
	$(Q)rm -rf $(O)/guests/kdebug-root && mkdir -p $(O)/guests/kdebug-root/bin \
		$(O)/guests/kdebug-root/lib/modules
	$(Q)cp $(DL)/busybox $(O)/guests/kdebug-root/bin/busybox
	$(Q)cp $(addprefix $(DL)/dbg/modules/,$(KDEBUG_MODULES)) $(O)/guests/kdebug-root/lib/modules/
	$(Q)cp guests/linux/kdebug-init $(O)/guests/kdebug-root/init
	$(Q)(cd $(O)/guests/kdebug-root && find . | cpio --quiet -o -H newc -R 0:0) | gzip -9 >$@
	$(Q)rm -rf $(O)/guests/kdebug-root

# Firmware for --bios (docs/firmware.md): Debian's U-Boot for QEMU's arm64 virt board and
# its EDK2, as tests/testhost/deps.sh fetched them.
FIRMWARE_GUEST := $(O)/guests/u-boot.bin $(O)/guests/QEMU_EFI.fd

guests: $(FIRMWARE_GUEST)

$(FIRMWARE_GUEST): $(O)/guests/%: $(DEPS_STAMP)
	$(Q)mkdir -p $(@D)
	$(Q)ln -sfn ../dl/$* $@
