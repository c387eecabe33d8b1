// SPDX-License-Identifier: GPL-3.0-or-later
/* The guest's device tree. dtb_build() writes it with libfdt's sequential-write API,
 * one function per node, from the board's config and its MMIO device list; the layout
 * follows QEMU's virt board so guests written for it run here. dtb_check() and
 * dtb_set_chosen() handle a DTB the user supplies instead. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include "errmsg.h"
#include "dtb.h"

/* Fixed phandles: the tree is written front to back, so references to nodes
 * written later must be known in advance. */
#define PHANDLE_GIC 1
#define PHANDLE_APB_CLK 2

#define DTB_FIRST_SIZE (16u << 10)
#define APB_CLOCK_HZ 24000000 /* QEMU virt's "apb-pclk" fixed clock */

/* Default region sizes: GICv3 architecture (64 KiB distributor, RD_base + SGI_base
 * frames of 64 KiB each per redistributor); KVM's KVM_VGIC_V2_CPU_SIZE. */
#define GICV3_DIST_SIZE 0x10000
#define GICV3_REDIST_SIZE_PER_CPU 0x20000
#define GICV2_DIST_SIZE 0x1000
#define GICV2_CPU_SIZE 0x2000

/* PPIs as QEMU virt assigns them, from the Arm BSA's INTIDs (QEMU's include/hw/arm/bsa.h:
 * ARCH_TIMER_{S_EL1,NS_EL1,VIRT,NS_EL2}_IRQ = 29, 30, 27, 26; ARCH_GIC_MAINT_IRQ = 25).
 * The DT's PPI number is INTID - 16. */
#define PPI_TIMER_SEC_PHYS 13
#define PPI_TIMER_PHYS 14
#define PPI_TIMER_VIRT 11
#define PPI_TIMER_HYP 10
#define PPI_GIC_MAINT 9
#define PPI_MAX 16
#define SPI_MAX 988 /* INTIDs 32..1019 */
/* arm,gic.yaml: for PPIs, bits[15:8] of the third cell are the CPU mask (GICv2 only). */
#define GICV2_PPI_CPU_SHIFT 8
/* The MPIDR_EL1 bits a cpu node's reg holds: Aff3 [39:32], Aff2..Aff0 [23:0]. */
#define MPIDR_AFF_MASK 0xff00ffffffull

#define TRY(call)                    \
	do {                         \
		int ret_ = (call);   \
		if (ret_ < 0)        \
			return ret_; \
	} while (0)

struct writer {
	void *fdt;
	const struct dtb_config *cfg;
	const char *node;     /* being written, for the error message */
	char stdout_path[64]; /* "" when no device is the console */
};

static int fdt_to_errno(int fdterr)
{
	switch (-fdterr) {
	case FDT_ERR_NOSPACE:
		return -ENOSPC;
	case FDT_ERR_NOTFOUND:
		return -ENOENT;
	case FDT_ERR_EXISTS:
		return -EEXIST;
	default:
		return -EINVAL;
	}
}

/* A list of strings as one property: each NUL-terminated, back to back. */
static int prop_strings(void *fdt, const char *name, const char *const *list, unsigned int max)
{
	char buf[256];
	size_t len = 0, n;
	unsigned int i;

	for (i = 0; i < max && list[i]; i++) {
		n = strlen(list[i]) + 1;
		if (n > sizeof(buf) - len)
			return -FDT_ERR_BADVALUE;
		memcpy(buf + len, list[i], n);
		len += n;
	}
	return fdt_property(fdt, name, buf, len);
}

/* reg with #address-cells = #size-cells = 2: n (address, size) pairs. */
static int prop_reg(void *fdt, const uint64_t *pairs, unsigned int n)
{
	fdt64_t cells[4];
	unsigned int i;

	for (i = 0; i < 2 * n && i < ARRAY_SIZE(cells); i++)
		cells[i] = cpu_to_fdt64(pairs[i]);
	return fdt_property(fdt, "reg", cells, i * sizeof(cells[0]));
}

/* The interrupt specifiers in the GIC's three-cell format: the only place that
 * knows it, so devices never do. */
static int prop_irqs(struct writer *w, const struct dtb_irq *irqs, unsigned int n)
{
	fdt32_t cells[3 * DTB_MAX_IRQS];
	unsigned int i;
	uint32_t flags;

	for (i = 0; i < n && i < DTB_MAX_IRQS; i++) {
		flags = irqs[i].flags;
		/* nr_cpus <= DTB_GICV2_MAX_CPUS with GICv2: checked in check_config(). */
		if (w->cfg->gic.version == DTB_GIC_V2 && irqs[i].type == DTB_IRQ_PPI)
			flags |= ((1u << w->cfg->nr_cpus) - 1) << GICV2_PPI_CPU_SHIFT;
		cells[3 * i] = cpu_to_fdt32(irqs[i].type);
		cells[3 * i + 1] = cpu_to_fdt32(irqs[i].num);
		cells[3 * i + 2] = cpu_to_fdt32(flags);
	}
	return fdt_property(w->fdt, "interrupts", cells, 3 * i * sizeof(cells[0]));
}

static int write_root_props(struct writer *w)
{
	w->node = "/";
	TRY(fdt_property_string(w->fdt, "compatible", "linux,dummy-virt"));
	TRY(fdt_property_string(w->fdt, "model", w->cfg->model ? w->cfg->model : "minivmm"));
	TRY(fdt_property_cell(w->fdt, "#address-cells", 2));
	TRY(fdt_property_cell(w->fdt, "#size-cells", 2));
	return fdt_property_cell(w->fdt, "interrupt-parent", PHANDLE_GIC);
}

static int write_chosen(struct writer *w)
{
	const struct dtb_chosen *ch = &w->cfg->chosen;

	w->node = "/chosen";
	TRY(fdt_begin_node(w->fdt, "chosen"));
	if (ch->bootargs)
		TRY(fdt_property_string(w->fdt, "bootargs", ch->bootargs));
	if (w->stdout_path[0])
		TRY(fdt_property_string(w->fdt, "stdout-path", w->stdout_path));
	/* Linux reads these with the length of the property: 64-bit values are fine. */
	if (ch->initrd_end > ch->initrd_start) {
		TRY(fdt_property_u64(w->fdt, "linux,initrd-start", ch->initrd_start));
		TRY(fdt_property_u64(w->fdt, "linux,initrd-end", ch->initrd_end));
	}
	if (ch->has_kaslr_seed)
		TRY(fdt_property_u64(w->fdt, "kaslr-seed", ch->kaslr_seed));
	return fdt_end_node(w->fdt);
}

static int write_aliases(struct writer *w)
{
	if (!w->stdout_path[0])
		return 0;
	w->node = "/aliases";
	TRY(fdt_begin_node(w->fdt, "aliases"));
	TRY(fdt_property_string(w->fdt, "serial0", w->stdout_path));
	return fdt_end_node(w->fdt);
}

static int write_memory(struct writer *w)
{
	const uint64_t reg[] = { w->cfg->ram_base, w->cfg->ram_size };
	char name[32];

	w->node = "/memory";
	snprintf(name, sizeof(name), "memory@%" PRIx64, w->cfg->ram_base);
	TRY(fdt_begin_node(w->fdt, name));
	TRY(fdt_property_string(w->fdt, "device_type", "memory"));
	TRY(prop_reg(w->fdt, reg, 1));
	return fdt_end_node(w->fdt);
}

/* Without an explicit list, the MPIDR KVM gives vCPU i at reset (reset_mpidr() in
 * arch/arm64/kvm/sys_regs.c): 16 CPUs per Aff0 cluster, then Aff1, then Aff2. */
static uint64_t cpu_mpidr(const struct dtb_config *cfg, unsigned int i)
{
	if (cfg->mpidrs)
		return cfg->mpidrs[i] & MPIDR_AFF_MASK;
	return (i & 0xf) | ((i >> 4) & 0xff) << 8 | (uint64_t)((i >> 12) & 0xff) << 16;
}

/* arm/cpus.yaml: reg is the MPIDR affinity; one cell unless some CPU has Aff3. */
static int write_cpus(struct writer *w)
{
	unsigned int i, acells = 1;
	char name[32];
	uint64_t id;

	for (i = 0; i < w->cfg->nr_cpus; i++)
		if (cpu_mpidr(w->cfg, i) >> 32)
			acells = 2;
	w->node = "/cpus";
	TRY(fdt_begin_node(w->fdt, "cpus"));
	TRY(fdt_property_cell(w->fdt, "#address-cells", acells));
	TRY(fdt_property_cell(w->fdt, "#size-cells", 0));
	for (i = 0; i < w->cfg->nr_cpus; i++) {
		id = cpu_mpidr(w->cfg, i);
		snprintf(name, sizeof(name), "cpu@%" PRIx64, id);
		TRY(fdt_begin_node(w->fdt, name));
		TRY(fdt_property_string(w->fdt, "device_type", "cpu"));
		TRY(fdt_property_string(w->fdt, "compatible", "arm,armv8"));
		if (acells == 2)
			TRY(fdt_property_u64(w->fdt, "reg", id));
		else
			TRY(fdt_property_cell(w->fdt, "reg", (uint32_t)id));
		TRY(fdt_property_string(w->fdt, "enable-method", "psci"));
		TRY(fdt_end_node(w->fdt));
	}
	return fdt_end_node(w->fdt);
}

/* KVM implements PSCI through HVC (KVM_ARM_VCPU_PSCI_0_2); 0.2 and later need no
 * function IDs in the node (arm/psci.yaml). */
static int write_psci(struct writer *w)
{
	static const char *const compat[] = { "arm,psci-1.0", "arm,psci-0.2" };

	w->node = "/psci";
	TRY(fdt_begin_node(w->fdt, "psci"));
	TRY(prop_strings(w->fdt, "compatible", compat, ARRAY_SIZE(compat)));
	TRY(fdt_property_string(w->fdt, "method", "hvc"));
	return fdt_end_node(w->fdt);
}

static int write_gic(struct writer *w)
{
	const struct dtb_gic *g = &w->cfg->gic;
	const struct dtb_irq maint = { DTB_IRQ_PPI, PPI_GIC_MAINT, DTB_IRQ_LEVEL_HIGH };
	bool v3 = g->version == DTB_GIC_V3;
	uint64_t reg[4] = { g->dist_base, g->dist_size };
	char name[32];

	if (!reg[1])
		reg[1] = v3 ? GICV3_DIST_SIZE : GICV2_DIST_SIZE;
	reg[2] = v3 ? g->redist_base : g->cpu_base;
	reg[3] = v3 ? g->redist_size : g->cpu_size;
	if (!reg[3])
		reg[3] =
			v3 ? (uint64_t)GICV3_REDIST_SIZE_PER_CPU * w->cfg->nr_cpus : GICV2_CPU_SIZE;
	w->node = "/intc";
	snprintf(name, sizeof(name), "intc@%" PRIx64, g->dist_base);
	TRY(fdt_begin_node(w->fdt, name));
	TRY(fdt_property_string(w->fdt, "compatible", v3 ? "arm,gic-v3" : "arm,cortex-a15-gic"));
	TRY(fdt_property_cell(w->fdt, "#interrupt-cells", 3));
	TRY(fdt_property(w->fdt, "interrupt-controller", NULL, 0));
	/* No child nodes (no ITS): 0 address cells, as an interrupt-map would read them. */
	TRY(fdt_property_cell(w->fdt, "#address-cells", 0));
	TRY(prop_reg(w->fdt, reg, 2));
	/* GICv2's maintenance interrupt goes with the GICH/GICV regions, which a guest
	 * without EL2 does not get; GICv3 describes it on its own (arm,gic-v3.yaml). */
	if (v3)
		TRY(prop_irqs(w, &maint, 1));
	TRY(fdt_property_cell(w->fdt, "phandle", PHANDLE_GIC));
	return fdt_end_node(w->fdt);
}

/* arm,arch_timer.yaml: secure EL1 physical, EL1 physical, virtual, EL2 physical.
 * Level-high, as QEMU virt describes them since virt-2.9. always-on: a vCPU's idle
 * (WFI) never stops the timer, so Linux needs no broadcast timer. */
static int write_timer(struct writer *w)
{
	static const struct dtb_irq irqs[] = {
		{ DTB_IRQ_PPI, PPI_TIMER_SEC_PHYS, DTB_IRQ_LEVEL_HIGH },
		{ DTB_IRQ_PPI, PPI_TIMER_PHYS, DTB_IRQ_LEVEL_HIGH },
		{ DTB_IRQ_PPI, PPI_TIMER_VIRT, DTB_IRQ_LEVEL_HIGH },
		{ DTB_IRQ_PPI, PPI_TIMER_HYP, DTB_IRQ_LEVEL_HIGH },
	};

	w->node = "/timer";
	TRY(fdt_begin_node(w->fdt, "timer"));
	TRY(fdt_property_string(w->fdt, "compatible", "arm,armv8-timer"));
	TRY(prop_irqs(w, irqs, ARRAY_SIZE(irqs)));
	TRY(fdt_property(w->fdt, "always-on", NULL, 0));
	return fdt_end_node(w->fdt);
}

/* arm,pmu.yaml: the vCPUs' PMUv3 and its overflow interrupt, a PPI (QEMU virt's 7). */
static int write_pmu(struct writer *w)
{
	const struct dtb_irq irq = { DTB_IRQ_PPI, w->cfg->pmu_ppi, DTB_IRQ_LEVEL_HIGH };

	w->node = "/pmu";
	TRY(fdt_begin_node(w->fdt, "pmu"));
	TRY(fdt_property_string(w->fdt, "compatible", "arm,armv8-pmuv3"));
	TRY(prop_irqs(w, &irq, 1));
	return fdt_end_node(w->fdt);
}

/* The PL011's clocks (arm,primecell.yaml wants "apb_pclk"; the UART adds
 * "uartclk"): one fixed clock feeds both, as on QEMU virt. */
static int write_apb_clock(struct writer *w)
{
	uint32_t hz = w->cfg->apb_clock_hz ? w->cfg->apb_clock_hz : APB_CLOCK_HZ;

	w->node = "/apb-pclk";
	TRY(fdt_begin_node(w->fdt, "apb-pclk"));
	TRY(fdt_property_string(w->fdt, "compatible", "fixed-clock"));
	TRY(fdt_property_cell(w->fdt, "#clock-cells", 0));
	TRY(fdt_property_cell(w->fdt, "clock-frequency", hz));
	TRY(fdt_property_string(w->fdt, "clock-output-names", "apb_pclk"));
	TRY(fdt_property_cell(w->fdt, "phandle", PHANDLE_APB_CLK));
	return fdt_end_node(w->fdt);
}

static int write_device(struct writer *w, const struct dtb_device *d)
{
	const uint64_t reg[] = { d->base, d->size, d->base2, d->size2 };
	fdt32_t clocks[DTB_MAX_CLOCKS];
	unsigned int nclk = 0;
	char name[64];

	w->node = d->name;
	snprintf(name, sizeof(name), "%s@%" PRIx64, d->name, d->base);
	TRY(fdt_begin_node(w->fdt, name));
	TRY(prop_strings(w->fdt, "compatible", d->compatible, DTB_MAX_COMPAT));
	TRY(prop_reg(w->fdt, reg, d->size2 ? 2 : 1));
	if (d->nr_irqs)
		TRY(prop_irqs(w, d->irqs, d->nr_irqs));
	while (nclk < DTB_MAX_CLOCKS && d->clock_names[nclk])
		clocks[nclk++] = cpu_to_fdt32(PHANDLE_APB_CLK);
	if (nclk) {
		TRY(fdt_property(w->fdt, "clocks", clocks, nclk * sizeof(clocks[0])));
		TRY(prop_strings(w->fdt, "clock-names", d->clock_names, DTB_MAX_CLOCKS));
	}
	if (d->add_props)
		TRY(d->add_props(w->fdt, d->opaque));
	return fdt_end_node(w->fdt);
}

static int write_tree(struct writer *w, void *buf, size_t size)
{
	unsigned int i;

	w->fdt = buf;
	w->node = "header";
	TRY(fdt_create(buf, size));
	TRY(fdt_finish_reservemap(buf));
	TRY(fdt_begin_node(buf, ""));
	TRY(write_root_props(w));
	TRY(write_chosen(w));
	TRY(write_aliases(w));
	TRY(write_memory(w));
	TRY(write_cpus(w));
	TRY(write_psci(w));
	TRY(write_gic(w));
	TRY(write_timer(w));
	if (w->cfg->pmu)
		TRY(write_pmu(w));
	TRY(write_apb_clock(w));
	for (i = 0; i < w->cfg->nr_devices; i++)
		TRY(write_device(w, &w->cfg->devices[i]));
	w->node = "/";
	TRY(fdt_end_node(buf));
	return fdt_finish(buf);
}

static int check_irqs(const struct dtb_device *d, char *err, size_t errlen)
{
	unsigned int i;

	if (d->nr_irqs > DTB_MAX_IRQS)
		return errmsg_fail(err, errlen, -EINVAL, "device %s: %u interrupts, at most %d",
				   d->name, d->nr_irqs, DTB_MAX_IRQS);
	for (i = 0; i < d->nr_irqs; i++) {
		const struct dtb_irq *q = &d->irqs[i];

		if ((q->type == DTB_IRQ_SPI && q->num < SPI_MAX) ||
		    (q->type == DTB_IRQ_PPI && q->num < PPI_MAX))
			continue;
		return errmsg_fail(err, errlen, -EINVAL, "device %s: bad interrupt (%s %u)",
				   d->name, q->type == DTB_IRQ_PPI ? "PPI" : "SPI", q->num);
	}
	return 0;
}

/* Our own inputs (board code), checked so that a slip gives a message, not a bad tree. */
static int check_config(const struct dtb_config *cfg, struct writer *w, char *err, size_t errlen)
{
	const struct dtb_device *d;
	unsigned int i;
	int ret;

	if (cfg->nr_cpus == 0 || cfg->nr_cpus > DTB_MAX_CPUS)
		return errmsg_fail(err, errlen, -EINVAL, "cannot describe %u CPUs", cfg->nr_cpus);
	if (cfg->gic.version == DTB_GIC_V2 && cfg->nr_cpus > DTB_GICV2_MAX_CPUS)
		return errmsg_fail(err, errlen, -EINVAL, "GICv2 supports at most %d CPUs, not %u",
				   DTB_GICV2_MAX_CPUS, cfg->nr_cpus);
	if (cfg->pmu && cfg->pmu_ppi >= PPI_MAX)
		return errmsg_fail(err, errlen, -EINVAL, "PMU: bad interrupt (PPI %u)",
				   cfg->pmu_ppi);
	if (cfg->chosen.bootargs && strlen(cfg->chosen.bootargs) >= DTB_MAX_SIZE)
		return errmsg_fail(err, errlen, -E2BIG, "kernel command line is longer than 2 MiB");
	w->stdout_path[0] = '\0';
	for (i = 0; i < cfg->nr_devices; i++) {
		d = &cfg->devices[i];
		if (!d->name || !d->compatible[0])
			return errmsg_fail(err, errlen, -EINVAL,
					   "device %u has no name or compatible", i);
		ret = check_irqs(d, err, errlen);
		if (ret)
			return ret;
		if (d->is_stdout && !w->stdout_path[0])
			snprintf(w->stdout_path, sizeof(w->stdout_path), "/%s@%" PRIx64, d->name,
				 d->base);
	}
	return 0;
}

int dtb_build(const struct dtb_config *cfg, void **blob, size_t *size, char *err, size_t errlen)
{
	struct writer w = { .cfg = cfg };
	size_t bufsize = DTB_FIRST_SIZE;
	void *buf, *shrunk;
	int ret;

	ret = check_config(cfg, &w, err, errlen);
	if (ret)
		return ret;
	/* The size is unknown until written: retry with twice the room on NOSPACE. */
	for (;;) {
		buf = malloc(bufsize);
		if (!buf)
			return errmsg_fail(err, errlen, -ENOMEM,
					   "out of memory for the device tree");
		ret = write_tree(&w, buf, bufsize);
		if (ret != -FDT_ERR_NOSPACE || bufsize >= DTB_MAX_SIZE)
			break;
		free(buf);
		bufsize *= 2;
	}
	if (ret == -FDT_ERR_NOSPACE) {
		free(buf);
		return errmsg_fail(err, errlen, -E2BIG, "device tree would exceed 2 MiB");
	}
	if (ret) {
		free(buf);
		return errmsg_fail(err, errlen, fdt_to_errno(ret),
				   "cannot write device tree node %s: %s", w.node,
				   fdt_strerror(ret));
	}
	*size = fdt_totalsize(buf); /* fdt_finish() trimmed it to what was written */
	shrunk = realloc(buf, *size);
	*blob = shrunk ? shrunk : buf;
	return 0;
}

int dtb_check(const void *blob, size_t len, char *err, size_t errlen)
{
	uint32_t total;
	int ret;

	if (len < sizeof(struct fdt_header))
		return errmsg_fail(err, errlen, -EINVAL, "not a device tree: only %zu bytes", len);
	if (fdt_magic(blob) != FDT_MAGIC)
		return errmsg_fail(err, errlen, -EINVAL,
				   "not a device tree blob (magic 0x%08x, expected 0x%08x)",
				   fdt_magic(blob), FDT_MAGIC);
	total = fdt_totalsize(blob);
	if (total > len)
		return errmsg_fail(err, errlen, -EINVAL,
				   "truncated device tree: header says %" PRIu32
				   " bytes, file has %zu",
				   total, len);
	if (total > DTB_MAX_SIZE)
		return errmsg_fail(err, errlen, -E2BIG,
				   "device tree of %" PRIu32 " bytes: Linux accepts at most 2 MiB",
				   total);
	ret = fdt_check_header(blob);
	if (ret)
		return errmsg_fail(err, errlen, -EINVAL, "bad device tree header: %s",
				   fdt_strerror(ret));
	/* dtc writes version 17; older ones only break things (found by tests/fuzz/dtb_fuzz.c).
	 * Before 16, a node's name is its full path, and libfdt 1.6.1's fdt_check_full()
	 * dereferences NULL when fdt_get_name() fails on the root. libfdt checks string offsets
	 * against size_dt_strings only from 17 on, so a v16 tree with a wrong size passes here
	 * and dtb_set_chosen()'s fdt_open_into() makes it a corrupt v17 one. */
	if (fdt_version(blob) < 17)
		return errmsg_fail(err, errlen, -EINVAL,
				   "device tree version %" PRIu32 " is too old (need 17)",
				   fdt_version(blob));
	ret = fdt_check_full(blob, len);
	if (ret)
		return errmsg_fail(err, errlen, -EINVAL, "corrupt device tree: %s",
				   fdt_strerror(ret));
	return 0;
}

static int set_chosen_props(void *fdt, const struct dtb_chosen *ch)
{
	int node = fdt_path_offset(fdt, "/chosen");

	if (node == -FDT_ERR_NOTFOUND)
		node = fdt_add_subnode(fdt, 0, "chosen");
	if (node < 0)
		return node;
	if (ch->bootargs)
		TRY(fdt_setprop_string(fdt, node, "bootargs", ch->bootargs));
	if (ch->initrd_end > ch->initrd_start) {
		TRY(fdt_setprop_u64(fdt, node, "linux,initrd-start", ch->initrd_start));
		TRY(fdt_setprop_u64(fdt, node, "linux,initrd-end", ch->initrd_end));
	}
	if (ch->has_kaslr_seed)
		TRY(fdt_setprop_u64(fdt, node, "kaslr-seed", ch->kaslr_seed));
	return fdt_pack(fdt);
}

int dtb_set_chosen(const void *in, size_t len, const struct dtb_chosen *ch, void **out,
		   size_t *out_size, char *err, size_t errlen)
{
	size_t args = ch->bootargs ? strlen(ch->bootargs) + 1 : 0, room;
	void *buf;
	int ret;

	ret = dtb_check(in, len, err, errlen);
	if (ret)
		return ret;
	if (args > DTB_MAX_SIZE)
		return errmsg_fail(err, errlen, -E2BIG, "kernel command line is longer than 2 MiB");
	/* Room for the new properties: values, names, and the /chosen node itself. */
	room = fdt_totalsize(in) + args + 256;
	buf = malloc(room);
	if (!buf)
		return errmsg_fail(err, errlen, -ENOMEM, "out of memory for the device tree");
	ret = fdt_open_into(in, buf, room);
	if (!ret)
		ret = set_chosen_props(buf, ch);
	if (ret) {
		free(buf);
		return errmsg_fail(err, errlen, fdt_to_errno(ret), "cannot set /chosen: %s",
				   fdt_strerror(ret));
	}
	if (fdt_totalsize(buf) > DTB_MAX_SIZE) {
		free(buf);
		return errmsg_fail(err, errlen, -E2BIG, "device tree with /chosen exceeds 2 MiB");
	}
	*out = buf;
	*out_size = fdt_totalsize(buf);
	return 0;
}
