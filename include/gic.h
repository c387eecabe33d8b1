/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The in-kernel interrupt controller (KVM's vGICv3, or vGICv2 where the host has
 * only that), at QEMU virt's addresses, and SPI lines for userspace devices. */
#pragma once

#include <stdbool.h>
#include "pl011.h"
#include "types.h"

#define GIC_DIST_BASE 0x08000000ull
#define GIC_DIST_SIZE 0x10000ull
#define GIC_CPU_BASE 0x08010000ull /* v2 CPU interface */
#define GIC_CPU_SIZE 0x10000ull
#define GIC_REDIST_BASE 0x080a0000ull
#define GIC_REDIST_FRAME 0x20000ull /* RD_base + SGI_base, per vCPU */
#define GIC_REDIST_MAX_CPUS 123     /* frames that fit below the UART at 0x09000000 */
#define GIC_V2_MAX_CPUS 8

struct gic {
	int vm_fd;
	int dev_fd;
	bool is_v2;
	unsigned int nr_spis;
	struct gic_spi {
		struct gic *gic;
		unsigned int num; /* SPI number: INTID - 32 */
	} spis[8];
};

/* Create the vGIC before the vCPUs. -ENODEV when the host has neither version. On failure
 * returns -errno with a one-line reason in err. */
int gic_create(struct gic *g, int vm_fd, unsigned int nr_cpus, char *err, size_t errlen);
/* Finish set-up once all vCPUs exist (KVM_DEV_ARM_VGIC_CTRL_INIT); errors as gic_create(). */
int gic_init(struct gic *g, char *err, size_t errlen);
/* An irq_line driving SPI num (devices' "interrupts = <0 num 4>"). */
struct irq_line gic_spi_line(struct gic *g, unsigned int num);
void gic_destroy(struct gic *g);
