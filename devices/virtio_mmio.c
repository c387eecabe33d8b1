// SPDX-License-Identifier: GPL-3.0-or-later
/* virtio-mmio transports with no device behind them, read as QEMU's empty ones read
 * (hw/virtio/virtio-mmio.c, virtio_mmio_read() without a backend): the magic value, the
 * version and the vendor id; every other register reads as zero, DeviceID included, and
 * writes are ignored. Linux's virtio_mmio_probe() checks the magic and the version, then
 * stops quietly at device id 0 ("a (dummy) placeholder with no function"). */
#include <string.h>
#include <libfdt.h>

#include "dtb.h"
#include "virtio_mmio.h"

/* virtio 1.2, 4.2.2 "MMIO Device Register Layout". */
enum {
	VIRTIO_MMIO_REG_MAGIC = 0x000,
	VIRTIO_MMIO_REG_VERSION = 0x004,
	VIRTIO_MMIO_REG_DEVICE_ID = 0x008,
	VIRTIO_MMIO_REG_VENDOR_ID = 0x00c,
};

/* 4.2.2.2: the driver MUST use only 32-bit wide and aligned accesses to the control
 * registers; anything else reads as zero here. */
static uint32_t empty_read(const struct virtio_mmio *t, uint64_t off, unsigned int len)
{
	if (len != 4 || (off & 3))
		return 0;
	switch (off) {
	case VIRTIO_MMIO_REG_MAGIC:
		return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_REG_VERSION:
		return t->version;
	case VIRTIO_MMIO_REG_DEVICE_ID:
		return t->device_id; /* 0: no device */
	case VIRTIO_MMIO_REG_VENDOR_ID:
		return VIRTIO_MMIO_VENDOR_QEMU;
	}
	return 0; /* no features, no queues, no status, no config space */
}

static int virtio_mmio_read(void *opaque, uint64_t off, void *data, unsigned int len)
{
	const struct virtio_mmio *t = opaque;
	uint32_t v = empty_read(t, off, len);

	memset(data, 0, len);
	memcpy(data, &v, len < 4 ? len : 4);
	return 0;
}

static int virtio_mmio_write(void *opaque, uint64_t off, const void *data, unsigned int len)
{
	return 0; /* no device: nothing to configure, no queue to notify */
}

static int add_dma_coherent(void *fdt, void *opaque)
{
	return fdt_property(fdt, "dma-coherent", NULL, 0);
}

/* QEMU virt's node (hw/arm/virt.c, create_virtio_devices): "virtio,mmio", an edge-rising
 * SPI, and dma-coherent (the guest's rings are in RAM the host reads coherently). */
static void virtio_mmio_describe(void *opaque, struct dtb_device *d)
{
	struct virtio_mmio *t = opaque;

	d->compatible[0] = "virtio,mmio";
	d->nr_irqs = 1;
	d->irqs[0] = (struct dtb_irq){ DTB_IRQ_SPI, t->spi, DTB_IRQ_EDGE_RISING };
	d->add_props = add_dma_coherent;
	d->opaque = t;
}

static const struct mmio_ops virtio_mmio_ops = {
	.read = virtio_mmio_read,
	.write = virtio_mmio_write,
};

int virtio_mmio_init(struct virtio_mmio *t, struct mmio_bus *bus, gpa_t base, unsigned int spi)
{
	memset(t, 0, sizeof(*t));
	t->spi = spi;
	/* QEMU's transports are legacy (Version 1) unless -global virtio-mmio.force-legacy=false;
	 * ours say 2, the layout a device we add will speak, so that a transport does not
	 * change version when one is plugged in. Linux takes 1 and 2 alike. */
	t->version = VIRTIO_MMIO_VERSION_MODERN;
	t->device_id = VIRTIO_MMIO_NO_DEVICE;
	t->region = (struct mmio_region){ .name = "virtio_mmio",
					  .base = base,
					  .size = VIRTIO_MMIO_SIZE,
					  .ops = &virtio_mmio_ops,
					  .opaque = t,
					  .describe = virtio_mmio_describe };
	return mmio_bus_register(bus, &t->region);
}
