// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for src/dtb.c: generate trees for a QEMU-virt-like board, read them back
 * with libfdt, have dtc decompile them without a warning, and feed dtb_check() and
 * dtb_set_chosen() broken and user-provided blobs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <libfdt.h>

#include "dtb.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (256ull << 20)
#define GIC_DIST 0x08000000ull
#define GIC_REDIST 0x080a0000ull
#define GIC_CPU 0x08010000ull
#define UART_BASE 0x09000000ull
#define UART_PATH "/pl011@9000000"
#define GIC_PATH "/intc@8000000"

static char err[256];

static const struct dtb_device pl011 = {
	.name = "pl011",
	.compatible = { "arm,pl011", "arm,primecell" },
	.base = UART_BASE,
	.size = 0x1000,
	.nr_irqs = 1,
	.irqs = { { DTB_IRQ_SPI, 1, DTB_IRQ_LEVEL_HIGH } },
	.clock_names = { "uartclk", "apb_pclk" },
	.is_stdout = true,
};

static struct dtb_config virt(unsigned int nr_cpus, enum dtb_gic_version gic)
{
	return (struct dtb_config){
		.ram_base = RAM_BASE,
		.ram_size = RAM_SIZE,
		.nr_cpus = nr_cpus,
		.gic = { .version = gic,
			 .dist_base = GIC_DIST,
			 .redist_base = GIC_REDIST,
			 .cpu_base = GIC_CPU },
		.devices = &pl011,
		.nr_devices = 1,
		.chosen = { .bootargs = "console=ttyAMA0 earlycon",
			    .initrd_start = 0x48000000,
			    .initrd_end = 0x48123456 },
	};
}

static void *build(const struct dtb_config *cfg, size_t *size)
{
	void *blob = NULL;
	int ret = dtb_build(cfg, &blob, size, err, sizeof(err));

	if (ret)
		fail_msg("dtb_build: %d %s", ret, err);
	assert_int_equal(dtb_check(blob, *size, err, sizeof(err)), 0);
	return blob;
}

/* ------------------------------------------------------------------ property helpers */

static const void *prop(const void *fdt, const char *path, const char *name, int *len)
{
	int node = fdt_path_offset(fdt, path);
	const void *p;

	if (node < 0)
		fail_msg("no node %s: %s", path, fdt_strerror(node));
	p = fdt_getprop(fdt, node, name, len);
	if (!p)
		fail_msg("no property %s in %s", name, path);
	return p;
}

static bool has_prop(const void *fdt, const char *path, const char *name)
{
	int node = fdt_path_offset(fdt, path);

	return node >= 0 && fdt_getprop(fdt, node, name, NULL);
}

static void assert_str(const void *fdt, const char *path, const char *name, const char *want)
{
	int len;
	const char *s = prop(fdt, path, name, &len);

	assert_int_equal(len, strlen(want) + 1);
	assert_string_equal(s, want);
}

/* A string list, given as "a\0b\0" with its full length. */
static void assert_strs(const void *fdt, const char *path, const char *name, const char *want,
			int wantlen)
{
	int len;
	const void *p = prop(fdt, path, name, &len);

	assert_int_equal(len, wantlen);
	assert_memory_equal(p, want, wantlen);
}

static void assert_cells(const void *fdt, const char *path, const char *name, const uint32_t *want,
			 int n)
{
	int len, i;
	const fdt32_t *p = prop(fdt, path, name, &len);

	assert_int_equal(len, n * 4);
	for (i = 0; i < n; i++)
		assert_int_equal(fdt32_to_cpu(p[i]), want[i]);
}

static uint32_t cell(const void *fdt, const char *path, const char *name)
{
	int len;
	const fdt32_t *p = prop(fdt, path, name, &len);

	assert_int_equal(len, 4);
	return fdt32_to_cpu(*p);
}

/* Property values are only 4-byte aligned. */
static uint64_t be64_at(const void *p)
{
	fdt64_t v;

	memcpy(&v, p, sizeof(v));
	return fdt64_to_cpu(v);
}

static uint64_t u64(const void *fdt, const char *path, const char *name)
{
	int len;
	const void *p = prop(fdt, path, name, &len);

	assert_int_equal(len, 8);
	return be64_at(p);
}

static void assert_reg(const void *fdt, const char *path, const uint64_t *pairs, int n)
{
	int len, i;
	const uint8_t *p = prop(fdt, path, "reg", &len);

	assert_int_equal(len, n * 16);
	for (i = 0; i < 2 * n; i++)
		assert_int_equal(be64_at(p + 8 * i), pairs[i]);
}

static uint32_t phandle_of(const void *fdt, const char *path)
{
	int node = fdt_path_offset(fdt, path);

	assert_true(node >= 0);
	return fdt_get_phandle(fdt, node);
}

/* ------------------------------------------------------------------ generated trees */

static void test_one_cpu(void **state)
{
	struct dtb_config cfg = virt(1, DTB_GIC_V3);
	static const char pl011_compat[] = "arm,pl011\0arm,primecell";
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
	static const uint32_t timer_irqs[] = { 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4 };
	static const uint32_t maint_irq[] = { 1, 9, 4 }, uart_irq[] = { 0, 1, 4 };
	const uint64_t mem[] = { RAM_BASE, RAM_SIZE }, uart[] = { UART_BASE, 0x1000 };
	const uint64_t gic[] = { GIC_DIST, 0x10000, GIC_REDIST, 0x20000 };
	size_t size;
	void *fdt = build(&cfg, &size);
	uint32_t gic_ph = phandle_of(fdt, GIC_PATH), clk_ph = phandle_of(fdt, "/apb-pclk");

	assert_true(size <= DTB_MAX_SIZE && size == fdt_totalsize(fdt));
	assert_str(fdt, "/", "compatible", "linux,dummy-virt");
	assert_str(fdt, "/", "model", "minivmm");
	assert_int_equal(cell(fdt, "/", "#address-cells"), 2);
	assert_int_equal(cell(fdt, "/", "#size-cells"), 2);
	assert_true(gic_ph != 0 && clk_ph != 0 && gic_ph != clk_ph);
	assert_int_equal(cell(fdt, "/", "interrupt-parent"), gic_ph);

	assert_str(fdt, "/memory@40000000", "device_type", "memory");
	assert_reg(fdt, "/memory@40000000", mem, 1);

	assert_int_equal(cell(fdt, "/cpus", "#address-cells"), 1);
	assert_int_equal(cell(fdt, "/cpus", "#size-cells"), 0);
	assert_str(fdt, "/cpus/cpu@0", "device_type", "cpu");
	assert_str(fdt, "/cpus/cpu@0", "enable-method", "psci");
	assert_int_equal(cell(fdt, "/cpus/cpu@0", "reg"), 0);
	assert_true(fdt_path_offset(fdt, "/cpus/cpu@1") < 0);

	assert_strs(fdt, "/psci", "compatible", psci_compat, sizeof(psci_compat));
	assert_str(fdt, "/psci", "method", "hvc");

	assert_str(fdt, GIC_PATH, "compatible", "arm,gic-v3");
	assert_int_equal(cell(fdt, GIC_PATH, "#interrupt-cells"), 3);
	assert_true(has_prop(fdt, GIC_PATH, "interrupt-controller"));
	assert_reg(fdt, GIC_PATH, gic, 2);
	assert_cells(fdt, GIC_PATH, "interrupts", maint_irq, 3);

	assert_str(fdt, "/timer", "compatible", "arm,armv8-timer");
	assert_cells(fdt, "/timer", "interrupts", timer_irqs, 12);
	assert_true(has_prop(fdt, "/timer", "always-on"));

	assert_str(fdt, "/apb-pclk", "compatible", "fixed-clock");
	assert_int_equal(cell(fdt, "/apb-pclk", "#clock-cells"), 0);
	assert_int_equal(cell(fdt, "/apb-pclk", "clock-frequency"), 24000000);

	assert_strs(fdt, UART_PATH, "compatible", pl011_compat, sizeof(pl011_compat));
	assert_reg(fdt, UART_PATH, uart, 1);
	assert_cells(fdt, UART_PATH, "interrupts", uart_irq, 3);
	assert_cells(fdt, UART_PATH, "clocks", (const uint32_t[]){ clk_ph, clk_ph }, 2);
	assert_strs(fdt, UART_PATH, "clock-names", "uartclk\0apb_pclk",
		    sizeof("uartclk\0apb_pclk"));

	assert_str(fdt, "/chosen", "bootargs", "console=ttyAMA0 earlycon");
	assert_str(fdt, "/chosen", "stdout-path", UART_PATH);
	assert_int_equal(u64(fdt, "/chosen", "linux,initrd-start"), 0x48000000);
	assert_int_equal(u64(fdt, "/chosen", "linux,initrd-end"), 0x48123456);
	assert_false(has_prop(fdt, "/chosen", "kaslr-seed"));
	assert_str(fdt, "/aliases", "serial0", UART_PATH);
	assert_int_equal(fdt_path_offset(fdt, "serial0"), fdt_path_offset(fdt, UART_PATH));
	free(fdt);
}

static void test_four_cpus(void **state)
{
	struct dtb_config cfg = virt(4, DTB_GIC_V3);
	const uint64_t gic[] = { GIC_DIST, 0x10000, GIC_REDIST, 4 * 0x20000 };
	char path[32];
	size_t size;
	void *fdt = build(&cfg, &size);

	for (unsigned int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "/cpus/cpu@%u", i);
		assert_int_equal(cell(fdt, path, "reg"), i);
		assert_str(fdt, path, "compatible", "arm,armv8");
	}
	assert_true(fdt_path_offset(fdt, "/cpus/cpu@4") < 0);
	assert_reg(fdt, GIC_PATH, gic, 2);
	free(fdt);
}

/* Beyond 16 vCPUs KVM moves on to Aff1; an explicit list may use Aff3 (two cells). */
static void test_mpidrs(void **state)
{
	struct dtb_config cfg = virt(18, DTB_GIC_V3);
	const uint64_t mpidrs[] = { 0x80000000, 0x1, 0x81000200, 0x01000a0b0cull };
	size_t size;
	void *fdt = build(&cfg, &size);

	assert_int_equal(cell(fdt, "/cpus/cpu@f", "reg"), 0xf);
	assert_int_equal(cell(fdt, "/cpus/cpu@100", "reg"), 0x100);
	assert_int_equal(cell(fdt, "/cpus/cpu@101", "reg"), 0x101);
	free(fdt);

	cfg.nr_cpus = ARRAY_SIZE(mpidrs);
	cfg.mpidrs = mpidrs;
	fdt = build(&cfg, &size);
	assert_int_equal(cell(fdt, "/cpus", "#address-cells"), 2);
	/* Bit 31 (RES1) and bit 24 (MT) are not affinity. */
	assert_int_equal(u64(fdt, "/cpus/cpu@0", "reg"), 0);
	assert_int_equal(u64(fdt, "/cpus/cpu@1", "reg"), 1);
	assert_int_equal(u64(fdt, "/cpus/cpu@200", "reg"), 0x200);
	assert_int_equal(u64(fdt, "/cpus/cpu@1000a0b0c", "reg"), 0x01000a0b0cull);
	free(fdt);
}

static void test_gicv2(void **state)
{
	struct dtb_config cfg = virt(4, DTB_GIC_V2);
	const uint64_t gic[] = { GIC_DIST, 0x1000, GIC_CPU, 0x2000 };
	/* PPIs carry the CPU mask (4 CPUs: 0xf) in bits [15:8]. */
	static const uint32_t timer_irqs[] = { 1, 13, 0xf04, 1, 14, 0xf04,
					       1, 11, 0xf04, 1, 10, 0xf04 };
	static const uint32_t uart_irq[] = { 0, 1, 4 };
	size_t size;
	void *fdt = build(&cfg, &size);

	assert_str(fdt, GIC_PATH, "compatible", "arm,cortex-a15-gic");
	assert_reg(fdt, GIC_PATH, gic, 2);
	assert_false(has_prop(fdt, GIC_PATH, "interrupts"));
	assert_cells(fdt, "/timer", "interrupts", timer_irqs, 12);
	assert_cells(fdt, UART_PATH, "interrupts", uart_irq, 3);
	free(fdt);
}

/* With PMUv3 in the vCPUs, /pmu and its PPI (GICv2: with the CPU mask); without, no node. */
static void test_pmu(void **state)
{
	static const uint32_t v3_irq[] = { 1, 7, 4 }, v2_irq[] = { 1, 7, 0x304 };
	struct dtb_config cfg = virt(2, DTB_GIC_V3);
	char err[128];
	size_t size;
	void *fdt = build(&cfg, &size);

	assert_true(fdt_path_offset(fdt, "/pmu") < 0);
	free(fdt);
	cfg.pmu = true;
	cfg.pmu_ppi = 7;
	fdt = build(&cfg, &size);
	assert_str(fdt, "/pmu", "compatible", "arm,armv8-pmuv3");
	assert_cells(fdt, "/pmu", "interrupts", v3_irq, 3);
	free(fdt);
	cfg.gic.version = DTB_GIC_V2;
	cfg.gic.cpu_base = GIC_CPU;
	fdt = build(&cfg, &size);
	assert_cells(fdt, "/pmu", "interrupts", v2_irq, 3);
	free(fdt);
	cfg.pmu_ppi = 16;
	fdt = NULL;
	assert_int_equal(dtb_build(&cfg, &fdt, &size, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "PMU: bad interrupt (PPI 16)");
	assert_null(fdt);
}

static void test_optional_props(void **state)
{
	struct dtb_config cfg = virt(1, DTB_GIC_V3);
	struct dtb_device quiet = pl011;
	size_t size;
	void *fdt;

	cfg.chosen =
		(struct dtb_chosen){ .has_kaslr_seed = true, .kaslr_seed = 0x1122334455667788 };
	cfg.model = "test board";
	quiet.is_stdout = false;
	cfg.devices = &quiet;
	fdt = build(&cfg, &size);
	assert_str(fdt, "/", "model", "test board");
	assert_int_equal(u64(fdt, "/chosen", "kaslr-seed"), 0x1122334455667788);
	assert_false(has_prop(fdt, "/chosen", "bootargs"));
	assert_false(has_prop(fdt, "/chosen", "stdout-path"));
	assert_false(has_prop(fdt, "/chosen", "linux,initrd-start"));
	assert_true(fdt_path_offset(fdt, "/aliases") < 0);
	free(fdt);
}

static int add_status(void *fdt, void *opaque)
{
	return fdt_property_string(fdt, "status", opaque);
}

static int add_fails(void *fdt, void *opaque)
{
	return -FDT_ERR_BADVALUE;
}

static void test_add_props(void **state)
{
	struct dtb_config cfg = virt(1, DTB_GIC_V3);
	struct dtb_device d = pl011;
	size_t size;
	void *fdt;

	d.add_props = add_status;
	d.opaque = "okay";
	cfg.devices = &d;
	fdt = build(&cfg, &size);
	assert_str(fdt, UART_PATH, "status", "okay");
	free(fdt);

	d.add_props = add_fails;
	assert_int_equal(dtb_build(&cfg, &fdt, &size, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "cannot write device tree node pl011: FDT_ERR_BADVALUE");
}

/* A long command line makes the first buffer too small: the build must retry. */
static void test_grows_to_fit(void **state)
{
	struct dtb_config cfg = virt(4, DTB_GIC_V3);
	size_t n = 100000, size;
	char *args = malloc(n + 1);
	void *fdt;

	assert_non_null(args);
	memset(args, 'x', n);
	args[n] = '\0';
	cfg.chosen.bootargs = args;
	fdt = build(&cfg, &size);
	assert_true(size > n);
	assert_str(fdt, "/chosen", "bootargs", args);
	free(fdt);
	free(args);
}

static void test_too_big(void **state)
{
	struct dtb_config cfg = virt(1, DTB_GIC_V3);
	size_t n = DTB_MAX_SIZE - 100, size;
	char *args = malloc(n + 1);
	void *fdt = NULL;

	assert_non_null(args);
	memset(args, 'x', n);
	args[n] = '\0';
	cfg.chosen.bootargs = args;
	assert_int_equal(dtb_build(&cfg, &fdt, &size, err, sizeof(err)), -E2BIG);
	assert_string_equal(err, "device tree would exceed 2 MiB");
	assert_null(fdt);
	free(args);
}

static const struct bad_config {
	const char *name;
	unsigned int nr_cpus;
	enum dtb_gic_version gic;
	struct dtb_irq irq;
	const char *msg;
} bad_configs[] = {
	{ "config: no CPU", 0, DTB_GIC_V3, { DTB_IRQ_SPI, 1, 4 }, "cannot describe 0 CPUs" },
	{ "config: GICv2 with 9 CPUs",
	  9,
	  DTB_GIC_V2,
	  { DTB_IRQ_SPI, 1, 4 },
	  "GICv2 supports at most 8 CPUs, not 9" },
	{ "config: PPI 16",
	  1,
	  DTB_GIC_V3,
	  { DTB_IRQ_PPI, 16, 4 },
	  "device pl011: bad interrupt (PPI 16)" },
	{ "config: SPI 988",
	  1,
	  DTB_GIC_V3,
	  { DTB_IRQ_SPI, 988, 4 },
	  "device pl011: bad interrupt (SPI 988)" },
};

static void run_bad_config(void **state)
{
	const struct bad_config *c = *state;
	struct dtb_config cfg = virt(c->nr_cpus, c->gic);
	struct dtb_device d = pl011;
	void *fdt = NULL;
	size_t size;

	d.irqs[0] = c->irq;
	cfg.devices = &d;
	assert_int_equal(dtb_build(&cfg, &fdt, &size, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, c->msg);
	assert_null(fdt);
}

/* ------------------------------------------------------------------ dtc */

static const struct dtc_case {
	const char *name;
	unsigned int nr_cpus;
	enum dtb_gic_version gic;
	bool kaslr;
	const uint64_t *mpidrs;
} dtc_cases[] = {
	{ "dtc: GICv3, 1 CPU", 1, DTB_GIC_V3, false, NULL },
	{ "dtc: GICv3, 4 CPUs, KASLR seed", 4, DTB_GIC_V3, true, NULL },
	{ "dtc: GICv3, 20 CPUs", 20, DTB_GIC_V3, false, NULL },
	{ "dtc: GICv2, 8 CPUs", 8, DTB_GIC_V2, false, NULL },
	{ "dtc: MPIDRs with Aff3", 2, DTB_GIC_V3, false, (const uint64_t[]){ 0, 0x100000000ull } },
};

static long file_size(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	return n;
}

/* dtc's checks (unit addresses, phandles, interrupt providers, ...) run on DTB input
 * too: any line on stderr is a warning about our tree. */
static void run_dtc_case(void **state)
{
	const struct dtc_case *c = *state;
	struct dtb_config cfg = virt(c->nr_cpus, c->gic);
	char dtb[] = "/tmp/dtb_test_XXXXXX", log[sizeof(dtb) + 4], cmd[256];
	size_t size;
	void *fdt;
	FILE *f;
	int fd, status;

	if (system("command -v dtc >/dev/null 2>&1") != 0)
		skip();
	cfg.chosen.has_kaslr_seed = c->kaslr;
	cfg.mpidrs = c->mpidrs;
	fdt = build(&cfg, &size);
	fd = mkstemp(dtb);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(fdt, 1, size, f), size);
	fclose(f);
	snprintf(log, sizeof(log), "%s.err", dtb);
	snprintf(cmd, sizeof(cmd), "dtc -I dtb -O dts -o /dev/null %s 2>%s", dtb, log);
	status = system(cmd);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	if (file_size(log) != 0) {
		snprintf(cmd, sizeof(cmd), "cat %s >&2", log);
		if (system(cmd) < 0)
			fail_msg("dtc warned (see %s)", log);
	}
	assert_int_equal(file_size(log), 0);
	unlink(dtb);
	unlink(log);
	free(fdt);
}

/* ------------------------------------------------------------------ dtb_check */

static void *valid_blob(size_t *size)
{
	struct dtb_config cfg = virt(2, DTB_GIC_V3);
	void *blob;

	assert_int_equal(dtb_build(&cfg, &blob, size, err, sizeof(err)), 0);
	return blob;
}

static size_t bad_garbage(uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(i * 37 + 11);
	return n;
}

static size_t bad_short(uint8_t *b, size_t n)
{
	return 8;
}

static size_t bad_truncated(uint8_t *b, size_t n)
{
	return n - 1;
}

static size_t bad_half(uint8_t *b, size_t n)
{
	return n / 2;
}

static size_t bad_version(uint8_t *b, size_t n)
{
	fdt_set_version(b, 1);
	fdt_set_last_comp_version(b, 1);
	return n;
}

/* After the root's FDT_BEGIN_NODE and its empty, padded name comes the first
 * property's token: make it no token at all. */
static size_t bad_token(uint8_t *b, size_t n)
{
	fdt32_t bogus = cpu_to_fdt32(0x12345678);

	memcpy(b + fdt_off_dt_struct(b) + 8, &bogus, 4);
	return n;
}

static size_t bad_string_offset(uint8_t *b, size_t n)
{
	fdt_set_size_dt_strings(b, 4);
	return n;
}

static size_t ok_unchanged(uint8_t *b, size_t n)
{
	return n;
}

static const struct check_case {
	const char *name;
	size_t (*mangle)(uint8_t *blob, size_t len); /* returns the length to check */
	int ret;
	const char *msg; /* prefix of err */
} check_cases[] = {
	{ "check: valid", ok_unchanged, 0, "" },
	{ "check: garbage", bad_garbage, -EINVAL, "not a device tree blob (magic 0x0b30557a" },
	{ "check: 8 bytes", bad_short, -EINVAL, "not a device tree: only 8 bytes" },
	{ "check: truncated by one byte", bad_truncated, -EINVAL,
	  "truncated device tree: header says " },
	{ "check: half", bad_half, -EINVAL, "truncated device tree" },
	{ "check: version 1", bad_version, -EINVAL, "bad device tree header: FDT_ERR_BADVERSION" },
	{ "check: bad structure token", bad_token, -EINVAL, "corrupt device tree: " },
	{ "check: strings cut short", bad_string_offset, -EINVAL, "corrupt device tree: " },
};

static void run_check_case(void **state)
{
	const struct check_case *c = *state;
	size_t size, len;
	uint8_t *blob = valid_blob(&size);

	err[0] = '\0';
	len = c->mangle(blob, size);
	assert_int_equal(dtb_check(blob, len, err, sizeof(err)), c->ret);
	if (strncmp(err, c->msg, strlen(c->msg)))
		fail_msg("err \"%s\" does not start with \"%s\"", err, c->msg);
	assert_null(strchr(err, '\n'));
	free(blob);
}

static void test_check_too_big(void **state)
{
	size_t n = DTB_MAX_SIZE + 8;
	void *blob = malloc(n);

	assert_non_null(blob);
	assert_int_equal(fdt_create_empty_tree(blob, n), 0);
	assert_int_equal(dtb_check(blob, n, err, sizeof(err)), -E2BIG);
	assert_string_equal(err, "device tree of 2097160 bytes: Linux accepts at most 2 MiB");
	free(blob);
}

/* ------------------------------------------------------------------ dtb_set_chosen */

static void test_chosen_override(void **state)
{
	const struct dtb_chosen ch = { .bootargs = "root=/dev/vda rw",
				       .initrd_start = 0x4f000000,
				       .initrd_end = 0x4f800000,
				       .has_kaslr_seed = true,
				       .kaslr_seed = 42 };
	size_t size, out_size;
	void *in = valid_blob(&size), *out = NULL, *copy = malloc(size);

	assert_non_null(copy);
	memcpy(copy, in, size);
	assert_int_equal(dtb_set_chosen(in, size, &ch, &out, &out_size, err, sizeof(err)), 0);
	assert_memory_equal(in, copy, size); /* the input is left alone */
	assert_int_equal(dtb_check(out, out_size, err, sizeof(err)), 0);
	assert_str(out, "/chosen", "bootargs", "root=/dev/vda rw");
	assert_int_equal(u64(out, "/chosen", "linux,initrd-start"), 0x4f000000);
	assert_int_equal(u64(out, "/chosen", "linux,initrd-end"), 0x4f800000);
	assert_int_equal(u64(out, "/chosen", "kaslr-seed"), 42);
	assert_str(out, "/chosen", "stdout-path", UART_PATH); /* kept */
	assert_str(out, GIC_PATH, "compatible", "arm,gic-v3");
	free(out);
	free(copy);
	free(in);
}

/* Only bootargs given: the initrd range already there stays. */
static void test_chosen_partial(void **state)
{
	const struct dtb_chosen ch = { .bootargs = "quiet" };
	size_t size, out_size;
	void *in = valid_blob(&size), *out = NULL;

	assert_int_equal(dtb_set_chosen(in, size, &ch, &out, &out_size, err, sizeof(err)), 0);
	assert_str(out, "/chosen", "bootargs", "quiet");
	assert_int_equal(u64(out, "/chosen", "linux,initrd-start"), 0x48000000);
	assert_false(has_prop(out, "/chosen", "kaslr-seed"));
	free(out);
	free(in);
}

/* A user DTB without /chosen gets one. */
static void test_chosen_created(void **state)
{
	const struct dtb_chosen ch = { .bootargs = "console=ttyAMA0" };
	uint8_t in[256];
	void *out = NULL;
	size_t out_size;

	assert_int_equal(fdt_create_empty_tree(in, sizeof(in)), 0);
	assert_true(fdt_path_offset(in, "/chosen") < 0);
	assert_int_equal(dtb_set_chosen(in, sizeof(in), &ch, &out, &out_size, err, sizeof(err)), 0);
	assert_str(out, "/chosen", "bootargs", "console=ttyAMA0");
	assert_int_equal(out_size, fdt_totalsize(out));
	free(out);
}

static void test_chosen_bad_input(void **state)
{
	const struct dtb_chosen ch = { .bootargs = "x" };
	uint8_t junk[64] = "this is not a device tree";
	void *out = NULL;
	size_t out_size;

	assert_int_equal(dtb_set_chosen(junk, sizeof(junk), &ch, &out, &out_size, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "not a device tree"));
	assert_null(out);
}

/* ------------------------------------------------------------------ main */

#define MAX_TESTS 64

#define ADD_ROWS(t, n, rows, fn)                                                                  \
	do {                                                                                      \
		for (size_t i_ = 0; i_ < ARRAY_SIZE(rows) && (n) < MAX_TESTS; i_++)               \
			(t)[(n)++] = (struct CMUnitTest){ .name = (rows)[i_].name,                \
							  .test_func = (fn),                      \
							  .initial_state = (void *)&(rows)[i_] }; \
	} while (0)

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_one_cpu),
		cmocka_unit_test(test_four_cpus),
		cmocka_unit_test(test_mpidrs),
		cmocka_unit_test(test_gicv2),
		cmocka_unit_test(test_pmu),
		cmocka_unit_test(test_optional_props),
		cmocka_unit_test(test_add_props),
		cmocka_unit_test(test_grows_to_fit),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_check_too_big),
		cmocka_unit_test(test_chosen_override),
		cmocka_unit_test(test_chosen_partial),
		cmocka_unit_test(test_chosen_created),
		cmocka_unit_test(test_chosen_bad_input),
	};
	struct CMUnitTest t[MAX_TESTS];
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
		t[n++] = fixed[i];
	ADD_ROWS(t, n, bad_configs, run_bad_config);
	ADD_ROWS(t, n, dtc_cases, run_dtc_case);
	ADD_ROWS(t, n, check_cases, run_check_case);
	return _cmocka_run_group_tests("dtb", t, n, NULL, NULL);
}
