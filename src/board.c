// SPDX-License-Identifier: GPL-3.0-or-later
/* The board: QEMU virt's addresses (RAM at 0x40000000, PL011 at 0x09000000), so
 * that bare-metal programs written for that machine run unchanged. Devices are set
 * up here in a visible order. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board.h"
#include "log.h"
#include "src/arm64/kvm_regs.h"
#include "vcpu.h"

int read_file(const char *path, size_t max, void **buf, size_t *len)
{
	struct stat st;
	size_t done = 0;
	int fd, ret;
	char *p;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		goto err_close;
	}
	ret = -EISDIR;
	if (S_ISDIR(st.st_mode))
		goto err_close;
	ret = -EFBIG;
	if ((uint64_t)st.st_size > max)
		goto err_close;
	ret = -ENOMEM;
	p = malloc(st.st_size ? st.st_size : 1);
	if (!p)
		goto err_close;
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, p + done, st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			free(p);
			goto err_close;
		}
		done += n;
	}
	close(fd);
	*buf = p;
	*len = done;
	return 0;

err_close:
	close(fd);
	return ret;
}

static void uart_tx(void *opaque, uint8_t byte)
{
	console_write(&byte, 1);
}

static int load_guest(struct board *b, char *err, size_t errlen)
{
	struct load_opts opts = { .load_addr = b->cfg->load_addr };
	char why[256];
	int ret;

	ret = loader_load(b->image, b->image_len, &b->ram, &opts, &b->img, why, sizeof(why));
	if (ret)
		snprintf(err, errlen, "%s: %s", b->cfg->image, why);
	return ret;
}

/* First instruction of the boot vCPU: the entry point; a Linux Image also gets
 * the device tree's address in x0 (booting.rst: x1-x3 zero). */
static int set_boot_regs(struct board *b)
{
	struct vcpu *v = &b->vm.vcpus[0];
	int ret;

	ret = vcpu_set_reg64(v, ARM64_REG_PC, b->img.entry);
	if (!ret)
		ret = vcpu_set_reg64(v, ARM64_REG_X(0), 0);
	return ret;
}

static int create_vcpus(struct board *b, char *err, size_t errlen)
{
	struct vm *vm = &b->vm;
	const char *what;
	unsigned int i;
	int ret;

	vm->vcpus = calloc(b->cfg->nr_cpus, sizeof(*vm->vcpus));
	if (!vm->vcpus)
		return -ENOMEM;
	for (i = 0; i < b->cfg->nr_cpus; i++) {
		ret = vcpu_create(vm, &vm->vcpus[i], i, i > 0, &what);
		if (ret) {
			snprintf(err, errlen, "cpu%u: %s: %s", i, what, strerror(-ret));
			return ret;
		}
		vm->nr_vcpus++;
	}
	return 0;
}

/* The file, RAM and the loaded guest: everything that can be checked without KVM,
 * so that a bad image is reported the same with or without /dev/kvm. */
static int prepare_guest(struct board *b, char *err, size_t errlen)
{
	const struct vm_config *cfg = b->cfg;
	int ret;

	ret = read_file(cfg->image, cfg->ram_size, &b->image, &b->image_len);
	if (ret == -EFBIG)
		snprintf(err, errlen, "%s: image is larger than guest RAM (%llu MiB)", cfg->image,
			 (unsigned long long)(cfg->ram_size >> 20));
	else if (ret)
		snprintf(err, errlen, "%s: %s", cfg->image, strerror(-ret));
	if (ret)
		return ret;
	ret = vm_alloc_ram(&b->ram, VM_RAM_BASE, cfg->ram_size);
	if (ret) {
		snprintf(err, errlen, "cannot allocate %llu MiB of guest RAM: %s",
			 (unsigned long long)(cfg->ram_size >> 20), strerror(-ret));
		return ret;
	}
	return load_guest(b, err, errlen);
}

static int create_machine(struct board *b, char *err, size_t errlen)
{
	const char *what;
	int ret;

	ret = vm_create(&b->vm, &b->ram, &what);
	if (ret) {
		if (ret == -ENOENT && !strcmp(what, "open /dev/kvm"))
			snprintf(err, errlen, "/dev/kvm does not exist: this host has no KVM");
		else if (!strcmp(what, "open /dev/kvm"))
			snprintf(err, errlen, "cannot open /dev/kvm: %s", strerror(-ret));
		else
			snprintf(err, errlen, "%s: %s", what, strerror(-ret));
		return ret;
	}
	ret = pl011_init(&b->uart, &b->vm.bus, BOARD_UART_BASE, (struct irq_line){ 0 });
	if (ret) {
		snprintf(err, errlen, "pl011: %s", strerror(-ret));
		goto err_destroy_vm;
	}
	b->uart.tx = uart_tx;
	b->uart.cb_opaque = b;
	ret = create_vcpus(b, err, errlen);
	if (!ret)
		ret = set_boot_regs(b);
	if (ret) {
		if (!*err)
			snprintf(err, errlen, "setting the boot registers: %s", strerror(-ret));
		goto err_destroy_vcpus;
	}
	return 0;

err_destroy_vcpus:
	vcpu_destroy_all(&b->vm);
	free(b->vm.vcpus);
err_destroy_vm:
	vm_destroy(&b->vm);
	return ret;
}

int board_create(struct board *b, const struct vm_config *cfg, char *err, size_t errlen)
{
	int ret;

	memset(b, 0, sizeof(*b));
	b->cfg = cfg;
	err[0] = '\0';
	ret = prepare_guest(b, err, errlen);
	if (!ret)
		ret = create_machine(b, err, errlen);
	if (ret) {
		vm_free_ram(&b->ram);
		free(b->image);
	}
	return ret;
}

int board_reset(struct board *b, char *err, size_t errlen)
{
	int ret;

	vm_clear_ram(&b->ram);
	ret = load_guest(b, err, errlen);
	if (ret)
		return ret;
	ret = set_boot_regs(b);
	if (ret)
		snprintf(err, errlen, "setting the boot registers: %s", strerror(-ret));
	return ret;
}

void board_destroy(struct board *b)
{
	vcpu_destroy_all(&b->vm);
	free(b->vm.vcpus);
	vm_destroy(&b->vm);
	vm_free_ram(&b->ram);
	free(b->image);
}
