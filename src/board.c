// SPDX-License-Identifier: GPL-3.0-or-later
/* The board: QEMU virt's addresses (RAM at 0x40000000, GIC at 0x08000000, PL011 at
 * 0x09000000 on SPI 1), so that bare-metal programs written for that machine run
 * unchanged. Devices are set up here in a visible order, and the device tree is
 * made from the same bus registrations, so the guest's view cannot drift. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "board.h"
#include "dtb.h"
#include "log.h"
#include "src/arm64/kvm_regs.h"
#include "vcpu.h"

#define BOARD_UART_SPI 1

int read_file(const char *path, size_t max, void **buf, size_t *len)
{
	struct input in;
	int ret = input_open(&in, path, max, false);

	if (!ret) {
		*buf = in.data;
		*len = in.len;
	}
	return ret;
}

static int input_error(const char *what, const char *path, size_t max, int ret, char *err,
		       size_t errlen)
{
	if (ret == -EFBIG)
		snprintf(err, errlen, "%s: %s is larger than guest RAM (%zu %s)", path, what,
			 max >= (1u << 20) ? max >> 20 : max >> 10,
			 max >= (1u << 20) ? "MiB" : "KiB");
	else if (ret)
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
	return ret;
}

/* --dtb: into the heap, read_file() above. */
static int read_input(const char *what, const char *path, size_t max, void **buf, size_t *len,
		      char *err, size_t errlen)
{
	return input_error(what, path, max, read_file(path, max, buf, len), err, errlen);
}

/* The Image and the initrd: mapped (input.h), loaded again at each reset. */
static int map_input(const char *what, const char *path, size_t max, struct input *in, char *err,
		     size_t errlen)
{
	return input_error(what, path, max, input_open(in, path, max, true), err, errlen);
}

/* What Linux's panic() prints first (kernel/panic.c), on the console it was given. No proper
 * prefix of it is also a suffix of it, so a mismatch restarts the match at this byte. */
static const char panic_line[] = "Kernel panic - not syncing";

static void uart_tx(void *opaque, uint8_t byte)
{
	struct board *b = opaque;

	console_write(&byte, 1);
	if (!b->cfg->dump_on_panic)
		return;
	if (byte == (uint8_t)panic_line[b->panic_match])
		b->panic_match++;
	else
		b->panic_match = byte == (uint8_t)panic_line[0];
	if (b->panic_match == sizeof(panic_line) - 1) {
		b->panic_match = 0;
		vm_post_event(&b->vm, VM_EV_PANIC);
	}
}

/* The RTC wants pl031_alarm() at host second when (0: never): the timerfd fires then. Called
 * on a vCPU thread with the RTC's lock held; timerfd_settime() does not call back. */
static void rtc_set_timer(void *opaque, uint64_t when)
{
	struct board *b = opaque;
	struct itimerspec its = { .it_value = { .tv_sec = (time_t)when } };

	if (timerfd_settime(b->rtc_timer_fd, TFD_TIMER_ABSTIME, &its, NULL))
		log_warn("pl031: cannot set its alarm's timer: %s", strerror(errno));
}

/* A flash bank left read-array mode (reads must exit to its model) or went back to it: unmap
 * or map its slot. Before the VM exists there is no slot (vm_create() maps them all). Called
 * on a vCPU thread with the model's lock held. */
static void flash_set_romd(void *opaque, bool readable)
{
	struct board_flash_slot *slot = opaque;
	int ret;

	if (slot->b->vm.fd < 0)
		return;
	ret = vm_map_rom(&slot->b->vm, slot->i, readable);
	if (ret)
		log_warn("flash bank %u: cannot %s its memory slot: %s", slot->i,
			 readable ? "map" : "unmap", strerror(-ret));
}

static int flash_persist(void *opaque, uint64_t off, const void *data, uint64_t len)
{
	struct board_flash_slot *slot = opaque;

	return flash_bank_persist(&slot->b->flash[slot->i], off, data, len);
}

/* fw_cfg's DMA reaches guest RAM only. */
static void *fw_cfg_ram(void *opaque, gpa_t gpa, uint64_t len)
{
	return guest_ram_ptr(&((struct board *)opaque)->ram, gpa, len);
}

/* --bios: the two banks, lowest on the bus (so first in the device tree, as in QEMU's). */
static int add_flash(struct board *b, char *err, size_t errlen)
{
	static const gpa_t base[VM_MAX_ROM] = { FLASH_BANK0_BASE, FLASH_BANK1_BASE };
	static const char *const name[VM_MAX_ROM] = { "flash", "flash" }; /* the node's name */
	unsigned int i;
	int ret;

	for (i = 0; i < VM_MAX_ROM; i++) {
		b->flash_slot[i] = (struct board_flash_slot){ b, i };
		ret = pflash_init(&b->pflash[i], &b->vm.bus, name[i], base[i], b->flash[i].mem,
				  FLASH_BANK_SIZE,
				  &(struct pflash_backing){ .persist = flash_persist,
							    .set_romd = flash_set_romd,
							    .opaque = &b->flash_slot[i] });
		if (ret) {
			snprintf(err, errlen, "flash bank %u: %s", i, strerror(-ret));
			return ret;
		}
		b->vm.rom[i] = (struct guest_ram){ base[i], FLASH_BANK_SIZE, b->flash[i].mem };
	}
	pflash_join(&b->pflash[0], &b->pflash[1]);
	b->vm.nr_rom = VM_MAX_ROM;
	return 0;
}

/* --bios: fw_cfg with what QEMU's -kernel, -initrd and -append put there for firmware
 * (hw/arm/boot.c): each blob with its size; the command line with its NUL. */
static int add_fw_cfg(struct board *b, char *err, size_t errlen)
{
	const struct vm_config *cfg = b->cfg;
	int ret;

	ret = fw_cfg_init(&b->fw_cfg, &b->vm.bus, BOARD_FW_CFG_BASE,
			  &(struct fw_cfg_mem){ .ptr = fw_cfg_ram, .opaque = b });
	if (ret) {
		snprintf(err, errlen, "fw_cfg: %s", strerror(-ret));
		return ret;
	}
	b->has_fw_cfg = true;
	ret = fw_cfg_add_u16(&b->fw_cfg, FW_CFG_NB_CPUS, (uint16_t)cfg->nr_cpus);
	if (!ret && cfg->image)
		ret = fw_cfg_add_u32(&b->fw_cfg, FW_CFG_KERNEL_SIZE, (uint32_t)b->image.len) ?:
		      fw_cfg_add_bytes(&b->fw_cfg, FW_CFG_KERNEL_DATA, b->image.data,
				       (uint32_t)b->image.len);
	if (!ret && b->initrd)
		ret = fw_cfg_add_u32(&b->fw_cfg, FW_CFG_INITRD_SIZE, (uint32_t)b->initrd_len) ?:
		      fw_cfg_add_bytes(&b->fw_cfg, FW_CFG_INITRD_DATA, b->initrd,
				       (uint32_t)b->initrd_len);
	if (!ret && cfg->append)
		ret = fw_cfg_add_u32(&b->fw_cfg, FW_CFG_CMDLINE_SIZE,
				     (uint32_t)strlen(cfg->append) + 1) ?:
		      fw_cfg_add_bytes(&b->fw_cfg, FW_CFG_CMDLINE_DATA, cfg->append,
				       (uint32_t)strlen(cfg->append) + 1);
	if (ret)
		snprintf(err, errlen, "fw_cfg: %s", strerror(-ret));
	return ret;
}

/* The devices on the bus, in address order of nothing but this list. */
static int add_devices(struct board *b, char *err, size_t errlen)
{
	unsigned int i;
	int ret;

	if (b->cfg->bios && (ret = add_flash(b, err, errlen)))
		return ret;
	ret = pl011_init(&b->uart, &b->vm.bus, BOARD_UART_BASE,
			 gic_spi_line(&b->gic, BOARD_UART_SPI), BOARD_UART_SPI);
	if (ret) {
		snprintf(err, errlen, "pl011: %s", strerror(-ret));
		return ret;
	}
	b->uart.tx = uart_tx;
	b->uart.cb_opaque = b;
	/* The RTC's alarm: a CLOCK_REALTIME timerfd the main loop watches (board.h). */
	b->rtc_timer_fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
	if (b->rtc_timer_fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "pl031: its alarm's timer: %s", strerror(errno));
		return ret;
	}
	ret = pl031_init(&b->rtc, &b->vm.bus, BOARD_RTC_BASE, gic_spi_line(&b->gic, BOARD_RTC_SPI),
			 BOARD_RTC_SPI, &(struct pl031_clock){ .set_timer = rtc_set_timer, .opaque = b });
	if (ret) {
		snprintf(err, errlen, "pl031: %s", strerror(-ret));
		return ret;
	}
	if (b->cfg->bios && (ret = add_fw_cfg(b, err, errlen)))
		return ret;
	/* Lowest address first on the bus, so in the device tree too, as QEMU's nodes end up
	 * in its finished tree. Empty transports raise no interrupt: no line is taken from
	 * the GIC's short table of them. */
	for (i = 0; i < BOARD_VIRTIO_MMIO_COUNT; i++) {
		ret = virtio_mmio_init(&b->virtio[i], &b->vm.bus,
				       BOARD_VIRTIO_MMIO_BASE + i * VIRTIO_MMIO_SIZE,
				       BOARD_VIRTIO_MMIO_SPI + i);
		if (ret) {
			snprintf(err, errlen, "virtio-mmio %u: %s", i, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static void copy_image(void *opaque, void *dst, const void *src, size_t n)
{
	input_copy(opaque, dst, src, n);
}

/* Image, then initrd below the DTB's block at the top of RAM (loader.h's policy). A mapped
 * file's pages are given back as they are copied (input_copy()), and at the end those the
 * loader read besides or the kernel mapped around a fault: none stays resident. */
static int load_guest(struct board *b, char *err, size_t errlen)
{
	const struct vm_config *cfg = b->cfg;
	struct load_opts opts = {
		.load_addr = cfg->load_addr,
		.copy = copy_image,
		.copy_opaque = &b->image,
	};
	char why[256];
	int ret;

	ret = loader_load(b->image.data, b->image.len, &b->ram, &opts, &b->img, why, sizeof(why));
	input_release(&b->image);
	if (ret) {
		snprintf(err, errlen, "%s: %s", cfg->image, why);
		return ret;
	}
	if (b->initrd) {
		ret = loader_place_initrd(&b->ram, &b->img, b->initrd_len, &b->initrd_addr, why,
					  sizeof(why));
		if (ret) {
			snprintf(err, errlen, "%s: %s", cfg->initrd, why);
			return ret;
		}
		input_copy(&b->initrd_file, guest_ram_ptr(&b->ram, b->initrd_addr, b->initrd_len),
			   b->initrd, b->initrd_len);
		input_release(&b->initrd_file);
	}
	return 0;
}

static void describe_devices(struct board *b, struct dtb_device *devs, unsigned int *nr)
{
	unsigned int i;

	*nr = 0;
	for (i = 0; i < b->vm.bus.nr; i++) {
		struct mmio_region *r = b->vm.bus.regions[i];
		struct dtb_device *d = &devs[*nr];

		if (!r->describe)
			continue;
		memset(d, 0, sizeof(*d));
		d->name = r->name;
		d->base = r->base;
		d->size = r->size;
		r->describe(r->opaque, d);
		(*nr)++;
	}
}

/* The guest's device tree: the user's (--dtb) with our /chosen, or a generated one. */
static int make_dtb(struct board *b, char *err, size_t errlen)
{
	const struct vm_config *cfg = b->cfg;
	struct dtb_device devs[MMIO_MAX_REGIONS];
	struct dtb_chosen chosen = {
		.bootargs = cfg->append,
		.has_kaslr_seed = cfg->has_kaslr_seed,
		.kaslr_seed = cfg->kaslr_seed,
	};
	struct dtb_config dc = {
		.ram_base = b->ram.base,
		.ram_size = b->ram.size,
		.nr_cpus = cfg->nr_cpus,
		.gic = {
			.version = b->gic.is_v2 ? DTB_GIC_V2 : DTB_GIC_V3,
			.dist_base = GIC_DIST_BASE,
			.dist_size = GIC_DIST_SIZE,
			.redist_base = GIC_REDIST_BASE,
			.redist_size = GIC_REDIST_FRAME * cfg->nr_cpus,
			.cpu_base = GIC_CPU_BASE,
			.cpu_size = GIC_CPU_SIZE,
		},
		.devices = devs,
		.pmu = b->features.pmu,
		.pmu_ppi = BOARD_PMU_PPI,
	};
	char why[256];
	int ret;

	if (b->initrd && !cfg->bios) { /* with firmware, the initrd is in fw_cfg */
		chosen.initrd_start = b->initrd_addr;
		chosen.initrd_end = b->initrd_addr + b->initrd_len;
	}
	free(b->dtb);
	b->dtb = NULL;
	if (b->user_dtb) {
		ret = dtb_set_chosen(b->user_dtb, b->user_dtb_len, &chosen, &b->dtb, &b->dtb_size,
				     why, sizeof(why));
		if (ret)
			snprintf(err, errlen, "%s: %s", cfg->dtb, why);
		return ret;
	}
	describe_devices(b, devs, &dc.nr_devices);
	dc.chosen = chosen;
	ret = dtb_build(&dc, &b->dtb, &b->dtb_size, why, sizeof(why));
	if (ret)
		snprintf(err, errlen, "device tree: %s", why);
	return ret;
}

static int place_dtb(struct board *b, char *err, size_t errlen)
{
	char why[256];
	int ret;

	if (b->cfg->bios) { /* at the start of RAM, where QEMU puts it for firmware */
		if (b->dtb_size > b->ram.size) {
			snprintf(err, errlen, "device tree: larger than guest RAM");
			return -E2BIG;
		}
		b->dtb_addr = b->ram.base;
		memcpy(guest_ram_ptr(&b->ram, b->dtb_addr, b->dtb_size), b->dtb, b->dtb_size);
		return 0;
	}
	ret = loader_place_dtb(&b->ram, &b->img, b->dtb_size, &b->dtb_addr, why, sizeof(why));
	if (ret) {
		snprintf(err, errlen, "device tree: %s", why);
		return ret;
	}
	memcpy(guest_ram_ptr(&b->ram, b->dtb_addr, b->dtb_size), b->dtb, b->dtb_size);
	return 0;
}

/* Guest RAM is mapped lazily, so mmap() alone would accept any size: refuse what the
 * host could never back, and what does not fit KVM's default 40-bit guest physical
 * address space (KVM_CAP_ARM_VM_IPA_SIZE; we create VMs with type 0). A memslot's
 * size must be a multiple of the host's page size, or KVM_SET_USER_MEMORY_REGION
 * fails with a bare EINVAL (virt/kvm/kvm_main.c, __kvm_set_memory_region()). */
static int check_ram_size(uint64_t size, char *err, size_t errlen)
{
	long page = sysconf(_SC_PAGESIZE);
	struct sysinfo si;
	uint64_t host;

	if (page > 0 && size % page) {
		snprintf(err, errlen,
			 "guest RAM of %llu bytes is not a multiple of the host's "
			 "page size (%ld bytes)",
			 (unsigned long long)size, page);
		return -EINVAL;
	}
	if (VM_RAM_BASE + size > (1ull << 40) || VM_RAM_BASE + size < size) {
		snprintf(err, errlen, "%llu MiB of guest RAM does not fit the 40-bit guest "
			 "physical address space (at most %llu MiB)",
			 (unsigned long long)(size >> 20),
			 (unsigned long long)(((1ull << 40) - VM_RAM_BASE) >> 20));
		return -E2BIG;
	}
	if (sysinfo(&si) == 0) {
		host = (uint64_t)si.totalram * si.mem_unit;
		if (size > host) {
			snprintf(err, errlen, "%llu MiB of guest RAM is more than this host has "
				 "(%llu MiB)", (unsigned long long)(size >> 20),
				 (unsigned long long)(host >> 20));
			return -E2BIG;
		}
	}
	return 0;
}

/* A fresh board: files, RAM, devices and the loaded guest, everything that can be
 * checked without KVM, so that a bad input is reported the same with or without
 * /dev/kvm. */
static int prepare_guest(struct board *b, const struct vm_config *cfg, char *err,
			 size_t errlen)
{
	int ret;

	memset(b, 0, sizeof(*b));
	b->cfg = cfg;
	b->gic.dev_fd = -1;
	b->rtc_timer_fd = -1;
	b->vm.fd = -1; /* no VM yet: flash_set_romd() has no slot to change */
	b->flash[0].fd = b->flash[1].fd = -1;
	err[0] = '\0';
	ret = 0;
	if (cfg->bios) {
		ret = flash_bank_firmware(&b->flash[0], cfg->bios, err, errlen);
		if (!ret)
			ret = flash_bank_vars(&b->flash[1], cfg->bios_vars, cfg->bios, err, errlen);
		if (ret)
			return ret;
	}
	if (cfg->image)
		ret = map_input("image", cfg->image, cfg->ram_size, &b->image, err, errlen);
	if (!ret && cfg->initrd)
		ret = map_input("initrd", cfg->initrd, cfg->ram_size, &b->initrd_file, err, errlen);
	b->initrd = b->initrd_file.data; /* NULL without --initrd */
	b->initrd_len = b->initrd_file.len;
	if (!ret && cfg->dtb) {
		char why[256];

		ret = read_input("device tree", cfg->dtb, cfg->ram_size, &b->user_dtb,
				 &b->user_dtb_len, err, errlen);
		if (!ret && (ret = dtb_check(b->user_dtb, b->user_dtb_len, why, sizeof(why))))
			snprintf(err, errlen, "%s: %s", cfg->dtb, why);
	}
	if (ret)
		return ret;
	ret = check_ram_size(cfg->ram_size, err, errlen);
	if (ret)
		return ret;
	ret = vm_alloc_ram(&b->ram, VM_RAM_BASE, cfg->ram_size);
	if (ret) {
		snprintf(err, errlen, "cannot allocate %llu MiB of guest RAM: %s",
			 (unsigned long long)(cfg->ram_size >> 20), strerror(-ret));
		return ret;
	}
	ret = add_devices(b, err, errlen);
	if (!ret && cfg->bios)
		b->img.entry = FLASH_BANK0_BASE; /* the image is the firmware's to load */
	else if (!ret)
		ret = load_guest(b, err, errlen);
	return ret;
}

/* First instruction of the boot vCPU: the entry point; a Linux Image also gets the
 * device tree's address in x0, x1-x3 zero (booting.rst). Bare-metal programs get
 * the same registers, so they can find the device tree too. */
static int set_boot_regs(struct board *b)
{
	struct vcpu *v = &b->vm.vcpus[0];
	int ret, i;

	ret = vcpu_set_reg64(v, ARM64_REG_PC, b->img.entry);
	if (!ret)
		ret = vcpu_set_reg64(v, ARM64_REG_X(0), b->dtb_addr);
	for (i = 1; !ret && i < 4; i++)
		ret = vcpu_set_reg64(v, ARM64_REG_X(i), 0);
	return ret;
}

static int create_vcpus(struct board *b, char *err, size_t errlen)
{
	struct vm *vm = &b->vm;
	unsigned int i;
	int ret;

	ret = vcpu_features_choose(vm, &b->cfg->cpu, &b->features, err, errlen);
	if (ret)
		return ret;
	vm->vcpus = calloc(b->cfg->nr_cpus, sizeof(*vm->vcpus));
	if (!vm->vcpus)
		return -ENOMEM;
	for (i = 0; i < b->cfg->nr_cpus; i++) {
		ret = vcpu_create(vm, &vm->vcpus[i], i, i > 0, &b->features, err, errlen);
		if (ret)
			return ret;
		vm->nr_vcpus++;
	}
	return 0;
}

static int create_machine(struct board *b, char *err, size_t errlen)
{
	char why[256];
	int ret;

	ret = vm_create(&b->vm, &b->ram, err, errlen);
	if (ret)
		return ret;
	ret = vm_check_extension(&b->vm, KVM_CAP_MAX_VCPUS);
	if (ret > 0 && b->cfg->nr_cpus > (unsigned int)ret) {
		snprintf(err, errlen, "%u vCPUs requested: this host's KVM allows at most %d",
			 b->cfg->nr_cpus, ret);
		ret = -E2BIG;
		goto err_destroy_vm;
	}
	ret = gic_create(&b->gic, b->vm.fd, b->cfg->nr_cpus, why, sizeof(why));
	if (ret) {
		snprintf(err, errlen, "interrupt controller: %s", why);
		goto err_destroy_vm;
	}
	ret = create_vcpus(b, err, errlen);
	if (ret)
		goto err_destroy_vcpus;
	ret = gic_init(&b->gic, why, sizeof(why));
	if (ret) {
		snprintf(err, errlen, "interrupt controller: %s", why);
		goto err_destroy_vcpus;
	}
	for (unsigned int i = 0; b->features.pmu && i < b->vm.nr_vcpus; i++) {
		ret = vcpu_init_pmu(&b->vm.vcpus[i], BOARD_PMU_PPI + 16, err, errlen);
		if (ret)
			goto err_destroy_vcpus;
	}
	return 0;

err_destroy_vcpus:
	vcpu_destroy_all(&b->vm);
	free(b->vm.vcpus);
	gic_destroy(&b->gic);
err_destroy_vm:
	vm_destroy(&b->vm);
	return ret;
}

static void free_inputs(struct board *b)
{
	vm_free_ram(&b->ram);
	input_close(&b->image);
	input_close(&b->initrd_file);
	b->initrd = NULL;
	if (b->has_fw_cfg)
		fw_cfg_destroy(&b->fw_cfg);
	b->has_fw_cfg = false;
	flash_bank_free(&b->flash[0]);
	flash_bank_free(&b->flash[1]);
	free(b->user_dtb);
	free(b->dtb);
	if (b->rtc_timer_fd >= 0) /* made with the devices, which go with the inputs */
		close(b->rtc_timer_fd);
	b->rtc_timer_fd = -1;
}

const char *board_memory_map(struct board *b)
{
	uint64_t ram_end = b->ram.base + b->ram.size;

	if (!b->cfg->bios)
		return NULL;
	snprintf(b->memory_map, sizeof(b->memory_map),
		 "<?xml version=\"1.0\"?>\n"
		 "<!DOCTYPE memory-map PUBLIC \"+//IDN gnu.org//DTD GDB Memory Map V1.0//EN\" "
		 "\"http://sourceware.org/gdb/gdb-memory-map.dtd\">\n"
		 "<memory-map>\n"
		 "<!-- flash: the firmware, then its variables -->\n"
		 "<memory type=\"rom\" start=\"0x%llx\" length=\"0x%llx\"/>\n"
		 "<memory type=\"rom\" start=\"0x%llx\" length=\"0x%llx\"/>\n"
		 "<!-- devices: the stub reads none of them -->\n"
		 "<memory type=\"ram\" start=\"0x%llx\" length=\"0x%llx\"/>\n"
		 "<memory type=\"ram\" start=\"0x%" PRIx64 "\" length=\"0x%" PRIx64 "\"/>\n"
		 "<!-- beyond RAM: virtual addresses once the MMU is on -->\n"
		 "<memory type=\"ram\" start=\"0x%" PRIx64 "\" length=\"0x%" PRIx64 "\"/>\n"
		 "</memory-map>\n",
		 FLASH_BANK0_BASE, FLASH_BANK_SIZE, FLASH_BANK1_BASE, FLASH_BANK_SIZE,
		 FLASH_BANK1_BASE + FLASH_BANK_SIZE, b->ram.base - FLASH_BANK1_BASE - FLASH_BANK_SIZE,
		 b->ram.base, b->ram.size, ram_end, UINT64_MAX - ram_end);
	return b->memory_map;
}

void board_rtc_timer_fired(struct board *b)
{
	uint64_t n;

	if (read(b->rtc_timer_fd, &n, sizeof(n)) == sizeof(n))
		pl031_alarm(&b->rtc);
}

int board_dump_dtb(struct board *b, const struct vm_config *cfg, char *err, size_t errlen)
{
	FILE *f;
	int ret;

	ret = prepare_guest(b, cfg, err, errlen);
	b->features.pmu = cfg->cpu.pmu != CPU_OFF; /* as for the GIC: the host is assumed to have it */
	if (!ret)
		ret = make_dtb(b, err, errlen);
	if (!ret) {
		f = fopen(cfg->dump_dtb, "wb");
		if (!f || fwrite(b->dtb, 1, b->dtb_size, f) != b->dtb_size) {
			ret = -errno;
			snprintf(err, errlen, "%s: %s", cfg->dump_dtb, strerror(errno));
		}
		if (f && fclose(f) && !ret) {
			ret = -errno;
			snprintf(err, errlen, "%s: %s", cfg->dump_dtb, strerror(errno));
		}
	}
	free_inputs(b);
	return ret;
}

int board_create(struct board *b, const struct vm_config *cfg, char *err, size_t errlen)
{
	int ret;

	ret = prepare_guest(b, cfg, err, errlen);
	if (!ret)
		ret = create_machine(b, err, errlen);
	if (ret)
		goto err_free;
	ret = make_dtb(b, err, errlen);
	if (!ret)
		ret = place_dtb(b, err, errlen);
	if (!ret && (ret = set_boot_regs(b)))
		snprintf(err, errlen, "setting the boot registers: %s", strerror(-ret));
	if (ret) {
		board_destroy(b);
		return ret;
	}
	return 0;

err_free:
	free_inputs(b);
	return ret;
}

/* A file that changed since it was mapped is not loaded again: a reset boots the guest
 * that was booted, and a file that shrank under its mapping would raise SIGBUS on the
 * copy. (A change between this check and the copy is not caught.) */
static int check_input(const struct input *in, const char *path, char *err, size_t errlen)
{
	int ret = input_check(in);

	if (ret == -ESTALE)
		snprintf(err, errlen,
			 "%s: changed since minivmm started: restart minivmm to load it", path);
	else if (ret)
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
	return ret;
}

int board_reset(struct board *b, char *err, size_t errlen)
{
	int ret;

	ret = b->cfg->image ? check_input(&b->image, b->cfg->image, err, errlen) : 0;
	if (!ret && b->initrd)
		ret = check_input(&b->initrd_file, b->cfg->initrd, err, errlen);
	if (ret)
		return ret;
	vm_clear_ram(&b->ram);
	if (b->cfg->bios) {
		/* Flash keeps what the guest wrote, as flash does, and goes back to read-array
		 * mode; fw_cfg forgets the guest's selection. */
		for (unsigned int i = 0; i < b->vm.nr_rom; i++)
			pflash_reset(&b->pflash[i]);
		fw_cfg_reset(&b->fw_cfg);
		ret = 0;
	} else {
		ret = load_guest(b, err, errlen);
	}
	if (!ret)
		ret = place_dtb(b, err, errlen);
	if (ret)
		return ret;
	ret = vcpu_reset_all(&b->vm);
	if (!ret)
		ret = set_boot_regs(b);
	if (ret)
		snprintf(err, errlen, "resetting the vCPUs: %s", strerror(-ret));
	return ret;
}

void board_destroy(struct board *b)
{
	vcpu_destroy_all(&b->vm);
	free(b->vm.vcpus);
	gic_destroy(&b->gic);
	vm_destroy(&b->vm);
	free_inputs(b);
}
