/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The guest's device tree: generated with libfdt from the board's memory map and the
 * devices on the MMIO bus, or given by the user (--dtb), then checked and given the
 * /chosen properties. Pure code: no I/O, no exit(); errors are -errno plus one line. */
#pragma once

#include <stdbool.h>
#include "types.h"

/* booting.rst: the DTB "must not exceed 2 megabytes in size". */
#define DTB_MAX_SIZE (2u << 20)
#define DTB_MAX_COMPAT 4
#define DTB_MAX_IRQS 4
#define DTB_MAX_CLOCKS 2
#define DTB_MAX_CPUS 512     /* KVM_MAX_VCPUS on arm64 */
#define DTB_GICV2_MAX_CPUS 8 /* GICv2 targets at most 8 CPUs (GICD_ITARGETSR) */

/* First cell of a GIC interrupt specifier (bindings: arm,gic.yaml, arm,gic-v3.yaml). */
enum dtb_irq_type {
	DTB_IRQ_SPI = 0, /* num 0..987: INTID num + 32 */
	DTB_IRQ_PPI = 1, /* num 0..15: INTID num + 16 */
};

/* Third cell: trigger type (include/dt-bindings/interrupt-controller/irq.h). */
#define DTB_IRQ_EDGE_RISING 1
#define DTB_IRQ_EDGE_FALLING 2
#define DTB_IRQ_LEVEL_HIGH 4
#define DTB_IRQ_LEVEL_LOW 8

struct dtb_irq {
	enum dtb_irq_type type;
	uint32_t num;
	uint32_t flags; /* DTB_IRQ_*; dtb.c adds the GICv2 PPI CPU mask itself */
};

/*
 * One MMIO device's node, "<name>@<base>" under the root. board.c builds one per
 * region registered on the MMIO bus, taking base and size from the struct
 * mmio_region itself, and the rest from the device (e.g. a pl011_describe()), so the
 * guest's view cannot drift from the bus. The device states its interrupts as
 * type/number/trigger; dtb.c encodes them for the GIC in use. A device with needs
 * beyond this table adds its own properties through add_props.
 */
struct dtb_device {
	const char *name;                       /* "pl011" */
	const char *compatible[DTB_MAX_COMPAT]; /* most specific first; NULL ends it early */
	gpa_t base;
	uint64_t size;
	/* A device in two parts lists both in its one node's reg (size2 > 0): QEMU virt's
	 * flash node holds both of its banks. */
	gpa_t base2;
	uint64_t size2;
	unsigned int nr_irqs;
	struct dtb_irq irqs[DTB_MAX_IRQS];
	const char *clock_names[DTB_MAX_CLOCKS]; /* each one fed by the board's APB clock */
	bool is_stdout;                          /* /chosen/stdout-path and alias serial0 */
	/* Optional: more properties, called inside the open node with libfdt's
	 * sequential-write handle (fdt_property*()); returns 0 or -FDT_ERR_*. */
	int (*add_props)(void *fdt, void *opaque);
	void *opaque;
};

enum dtb_gic_version {
	DTB_GIC_V3, /* "arm,gic-v3": distributor + redistributor region */
	DTB_GIC_V2, /* "arm,cortex-a15-gic": distributor + CPU interface */
};

/* A size of 0 takes the default: v3 distributor 64 KiB, redistributors 128 KiB per
 * vCPU; v2 distributor 4 KiB, CPU interface 8 KiB (KVM_VGIC_V2_*_SIZE). */
struct dtb_gic {
	enum dtb_gic_version version;
	gpa_t dist_base;
	uint64_t dist_size;
	gpa_t redist_base;    /* v3 */
	uint64_t redist_size; /* v3: 128 KiB (two 64 KiB frames) per vCPU */
	gpa_t cpu_base;       /* v2 */
	uint64_t cpu_size;    /* v2 */
};

struct dtb_chosen {
	const char *bootargs;           /* NULL: none (dtb_set_chosen: keep) */
	gpa_t initrd_start, initrd_end; /* end > start: linux,initrd-start/-end (end exclusive) */
	bool has_kaslr_seed;            /* only then /chosen/kaslr-seed (Linux randomises) */
	uint64_t kaslr_seed;
};

struct dtb_config {
	const char *model; /* NULL: "minivmm" */
	gpa_t ram_base;
	uint64_t ram_size;
	unsigned int nr_cpus;
	const uint64_t *mpidrs; /* nr_cpus MPIDR_EL1 values; NULL: KVM's defaults (i < 16: i) */
	struct dtb_gic gic;
	uint32_t apb_clock_hz; /* the fixed clock behind clock_names; 0: 24 MHz */
	bool pmu;              /* the vCPUs have PMUv3: a /pmu node with its interrupt, */
	uint32_t pmu_ppi;      /* this PPI (0..15) */
	const struct dtb_device *devices;
	unsigned int nr_devices;
	struct dtb_chosen chosen;
};

/* Generate the DTB into a malloc'd *blob of *size bytes (at most DTB_MAX_SIZE). */
int dtb_build(const struct dtb_config *cfg, void **blob, size_t *size, char *err, size_t errlen);

/* Is [blob, blob + len) a complete, well-formed device tree Linux accepts? -EINVAL, or
 * -E2BIG over DTB_MAX_SIZE, with the reason. */
int dtb_check(const void *blob, size_t len, char *err, size_t errlen);

/* A malloc'd copy of the DTB in with /chosen (created if missing) given the set fields
 * of ch: bootargs if non-NULL, the initrd range if non-empty, the KASLR seed if flagged.
 * Other /chosen properties are kept. in is checked with dtb_check() first. */
int dtb_set_chosen(const void *in, size_t len, const struct dtb_chosen *ch, void **out,
		   size_t *out_size, char *err, size_t errlen);
