// SPDX-License-Identifier: GPL-3.0-or-later
/* KVM's in-kernel GIC (Documentation/virt/kvm/devices/arm-vgic-v3.rst and
 * arm-vgic.rst): created with KVM_CREATE_DEVICE before the vCPUs, given its
 * addresses, and initialised once every vCPU exists. Userspace devices raise SPIs
 * with KVM_IRQ_LINE. The timer is KVM's too and needs nothing from us. */
#include <errno.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "errmsg.h"
#include "gic.h"

static int set_addr(struct gic *g, uint64_t type, uint64_t addr)
{
	struct kvm_device_attr attr = {
		.group = KVM_DEV_ARM_VGIC_GRP_ADDR,
		.attr = type,
		.addr = (uintptr_t)&addr,
	};

	return ioctl(g->dev_fd, KVM_SET_DEVICE_ATTR, &attr) < 0 ? -errno : 0;
}

static int create_device(struct gic *g, uint32_t type)
{
	struct kvm_create_device dev = { .type = type };

	if (ioctl(g->vm_fd, KVM_CREATE_DEVICE, &dev) < 0)
		return -errno;
	g->dev_fd = dev.fd;
	return 0;
}

int gic_create(struct gic *g, int vm_fd, unsigned int nr_cpus, char *err, size_t errlen)
{
	const char *what; /* the step that failed, for the message */
	int ret;

	/* Not a memset: SPI lines may have been handed out already. */
	g->vm_fd = vm_fd;
	g->is_v2 = false;
	g->dev_fd = -1;
	what = "KVM_CREATE_DEVICE(vGICv3)";
	ret = create_device(g, KVM_DEV_TYPE_ARM_VGIC_V3);
	if (ret == -ENODEV) {
		/* No GICv3 emulation (a GICv2-only host): fall back to vGICv2. */
		what = "KVM_CREATE_DEVICE: the host has no vGICv3, and vGICv2";
		ret = create_device(g, KVM_DEV_TYPE_ARM_VGIC_V2);
		if (ret)
			goto err_close;
		g->is_v2 = true;
		if (nr_cpus > GIC_V2_MAX_CPUS) {
			what = "vGICv2 (the host has no vGICv3) supports at most 8 vCPUs";
			ret = -E2BIG;
			goto err_close;
		}
		what = "vGICv2 addresses";
		ret = set_addr(g, KVM_VGIC_V2_ADDR_TYPE_DIST, GIC_DIST_BASE);
		if (!ret)
			ret = set_addr(g, KVM_VGIC_V2_ADDR_TYPE_CPU, GIC_CPU_BASE);
	} else if (!ret) {
		what = "vGICv3 addresses";
		ret = set_addr(g, KVM_VGIC_V3_ADDR_TYPE_DIST, GIC_DIST_BASE);
		if (!ret)
			ret = set_addr(g, KVM_VGIC_V3_ADDR_TYPE_REDIST, GIC_REDIST_BASE);
	}
	if (ret)
		goto err_close;
	return 0;

err_close:
	if (g->dev_fd >= 0)
		close(g->dev_fd);
	g->dev_fd = -1;
	return errmsg_fail(err, errlen, ret, "%s: %s", what, strerror(-ret));
}

int gic_init(struct gic *g, char *err, size_t errlen)
{
	struct kvm_device_attr attr = {
		.group = KVM_DEV_ARM_VGIC_GRP_CTRL,
		.attr = KVM_DEV_ARM_VGIC_CTRL_INIT,
	};
	int ret;

	if (ioctl(g->dev_fd, KVM_SET_DEVICE_ATTR, &attr) < 0) {
		ret = -errno;
		return errmsg_fail(err, errlen, ret, "KVM_DEV_ARM_VGIC_CTRL_INIT: %s",
				   strerror(-ret));
	}
	return 0;
}

static void spi_set(void *opaque, int level)
{
	struct gic_spi *s = opaque;
	/* KVM_IRQ_LINE on arm64: irq_type in bits 24-31, the INTID (32 + SPI) in 0-15. */
	struct kvm_irq_level irq = {
		.irq = (KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) | (32 + s->num),
		.level = level,
	};

	ioctl(s->gic->vm_fd, KVM_IRQ_LINE, &irq);
}

struct irq_line gic_spi_line(struct gic *g, unsigned int num)
{
	struct gic_spi *s;

	if (g->nr_spis == ARRAY_SIZE(g->spis))
		return (struct irq_line){ 0 };
	s = &g->spis[g->nr_spis++];
	s->gic = g;
	s->num = num;
	return (struct irq_line){ .set = spi_set, .opaque = s };
}

void gic_destroy(struct gic *g)
{
	if (g->dev_fd >= 0)
		close(g->dev_fd);
}
