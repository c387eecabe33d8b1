// SPDX-License-Identifier: GPL-3.0-or-later
/* The MMIO bus: a short array of regions, searched linearly. We have a few dozen regions
 * (most of them the empty virtio-mmio transports, registered last), so a list beats any
 * tree; regions never go away while vCPUs run. */
#include <errno.h>
#include <string.h>

#include "mmio.h"

static bool overlaps(const struct mmio_region *r, gpa_t base, uint64_t size)
{
	return base < r->base + r->size && r->base < base + size;
}

int mmio_bus_register(struct mmio_bus *bus, struct mmio_region *r)
{
	unsigned int i;

	if (r->size == 0 || r->base + r->size < r->base)
		return -EINVAL;
	for (i = 0; i < bus->nr; i++)
		if (overlaps(bus->regions[i], r->base, r->size))
			return -EBUSY;
	if (bus->nr == MMIO_MAX_REGIONS)
		return -ENOSPC;
	bus->regions[bus->nr++] = r;
	return 0;
}

struct mmio_region *mmio_bus_find(struct mmio_bus *bus, gpa_t addr, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < bus->nr; i++) {
		struct mmio_region *r = bus->regions[i];

		if (addr >= r->base && addr - r->base < r->size && len <= r->size - (addr - r->base))
			return r;
	}
	return NULL;
}

int mmio_bus_access(struct mmio_bus *bus, gpa_t addr, void *data, unsigned int len, bool is_write)
{
	struct mmio_region *r = mmio_bus_find(bus, addr, len);

	if (!r)
		return -ENODEV;
	if (is_write)
		return r->ops->write ? r->ops->write(r->opaque, addr - r->base, data, len) : 0;
	if (!r->ops->read) {
		memset(data, 0, len);
		return 0;
	}
	return r->ops->read(r->opaque, addr - r->base, data, len);
}
