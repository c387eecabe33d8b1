// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for the gdb register maps and target descriptions: numbering as gdb's aarch64
 * features fix it, the same in every map for the registers maps share, the `g` layout, unique
 * names, KVM encodings, XML that is well formed and lists exactly the map's registers (checked
 * by a tiny parser here, and by xmllint when it is installed), the base map's documents byte
 * for byte as before SVE, SVE's sizes for a few vector lengths, the PAC masks, and PMUv3's
 * registers at the same numbers in every map that has them. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "types.h"
#include "src/arm64/gdbregs.h"
#include "src/arm64/regs.h"

static const char *const annexes[] = { "target.xml", "aarch64-core.xml", "aarch64-fpu.xml",
				       "minivmm-sysregs.xml" };

struct num_case {
	const char *name;
	unsigned int regno, bitsize;
	enum arm64_gdb_reg_kind kind;
	unsigned int index;
};

static const struct num_case num_cases[] = {
	{ "x0", 0, 64, ARM64_GREG_X, 0 },
	{ "x29", 29, 64, ARM64_GREG_X, 29 },
	{ "x30", 30, 64, ARM64_GREG_X, 30 },
	{ "sp", ARM64_GDB_SP, 64, ARM64_GREG_SP, 0 },
	{ "pc", ARM64_GDB_PC, 64, ARM64_GREG_PC, 0 },
	{ "cpsr", ARM64_GDB_CPSR, 32, ARM64_GREG_CPSR, 0 },
	{ "v0", ARM64_GDB_V0, 128, ARM64_GREG_V, 0 },
	{ "v31", 65, 128, ARM64_GREG_V, 31 },
	{ "fpsr", ARM64_GDB_FPSR, 32, ARM64_GREG_FPSR, 0 },
	{ "fpcr", ARM64_GDB_FPCR, 32, ARM64_GREG_FPCR, 0 },
	{ "SP_EL0", ARM64_GDB_SYSREG0, 64, ARM64_GREG_CORE, ARM64_CORE_SP_EL0 },
	{ "SP_EL1", 69, 64, ARM64_GREG_CORE, ARM64_CORE_SP_EL1 },
	{ "ELR_EL1", 70, 64, ARM64_GREG_CORE, ARM64_CORE_ELR_EL1 },
	{ "SPSR_EL1", 71, 64, ARM64_GREG_CORE, ARM64_CORE_SPSR_EL1 },
};

static void test_numbering(void **state)
{
	const struct num_case *c = *state;
	const struct arm64_gdb_reg *r = arm64_gdb_reg(c->regno);

	assert_non_null(r);
	assert_string_equal(r->name, c->name);
	assert_int_equal(r->bitsize, c->bitsize);
	assert_int_equal(r->kind, c->kind);
	assert_int_equal(r->index, c->index);
	assert_int_equal(arm64_gdb_reg_by_name(c->name), c->regno);
}

static void test_sysregs(void **state)
{
	static const char *const required[] = {
		"SCTLR_EL1", "TCR_EL1",        "TTBR0_EL1", "TTBR1_EL1", "MAIR_EL1",
		"VBAR_EL1",  "ESR_EL1",        "FAR_EL1",   "ELR_EL1",   "SPSR_EL1",
		"SP_EL1",    "CONTEXTIDR_EL1", "TPIDR_EL1", "MDSCR_EL1", "CNTVCT_EL0",
	};
	const struct arm64_gdb_reg *r;

	for (size_t i = 0; i < ARRAY_SIZE(required); i++)
		assert_true(arm64_gdb_reg_by_name(required[i]) >= ARM64_GDB_SYSREG0);
	r = arm64_gdb_reg(arm64_gdb_reg_by_name("VBAR_EL1"));
	assert_int_equal(r->kind, ARM64_GREG_SYSREG);
	assert_int_equal(arm64_sysreg_key(r->enc),
			 arm64_sysreg_key((struct arm64_sysreg_enc){ 3, 0, 12, 0, 0 }));
	assert_int_equal(arm64_sysreg_key(arm64_gdb_kvm_sysreg(r)), arm64_sysreg_key(r->enc));
	r = arm64_gdb_reg(arm64_gdb_reg_by_name("MDSCR_EL1"));
	assert_int_equal(r->enc.op0, 2);
	/* KVM's uapi swapped the timer's CNT and CVAL ids */
	r = arm64_gdb_reg(arm64_gdb_reg_by_name("CNTVCT_EL0"));
	assert_true(r->readonly);
	assert_int_equal(r->enc.crm, 0);
	assert_int_equal(arm64_gdb_kvm_sysreg(r).crm, 3);
	r = arm64_gdb_reg(arm64_gdb_reg_by_name("CNTV_CVAL_EL0"));
	assert_false(r->readonly);
	assert_int_equal(r->enc.crm, 3);
	assert_int_equal(arm64_gdb_kvm_sysreg(r).crm, 0);
	assert_int_equal(arm64_gdb_reg_by_name("nosuch"), -ENOENT);
	assert_null(arm64_gdb_reg(arm64_gdb_nregs()));
}

static void test_unique_names(void **state)
{
	struct arm64_gdb_map *m = arm64_gdb_map_new(&(struct arm64_gdb_features){ 2, true, true });
	unsigned int n = arm64_gdb_map_nregs(m);

	for (unsigned int i = 0; i < arm64_gdb_nregs(); i++)
		for (unsigned int j = i + 1; j < arm64_gdb_nregs(); j++)
			assert_string_not_equal(arm64_gdb_reg(i)->name, arm64_gdb_reg(j)->name);
	assert_int_equal(n, ARM64_GDB_MAX_REGS);
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int j = i + 1; j < n; j++)
			assert_string_not_equal(arm64_gdb_map_reg(m, i)->name,
						arm64_gdb_map_reg(m, j)->name);
	arm64_gdb_map_free(m);
}

static void test_g_layout(void **state)
{
	const struct arm64_gdb_reg *last = arm64_gdb_reg(ARM64_GDB_G_NREGS - 1);

	assert_int_equal(arm64_gdb_g_offset(0), 0);
	assert_int_equal(arm64_gdb_g_offset(ARM64_GDB_PC), 256);
	assert_int_equal(arm64_gdb_g_offset(ARM64_GDB_CPSR), 264);
	assert_int_equal(arm64_gdb_g_offset(ARM64_GDB_V0), 268);
	assert_int_equal(arm64_gdb_g_offset(ARM64_GDB_FPSR), 780);
	assert_int_equal(arm64_gdb_g_offset(ARM64_GDB_FPCR), 784);
	assert_int_equal(arm64_gdb_g_offset(ARM64_GDB_FPCR) + last->bitsize / 8, ARM64_GDB_G_BYTES);
	assert_int_equal(ARM64_GDB_G_BYTES, 788);
	assert_int_equal(arm64_gdb_g_offset(ARM64_GDB_SYSREG0), -ENOENT);
}

static void test_current_sp(void **state)
{
	assert_true(arm64_current_sp_is_el1(0x3c5));  /* EL1h, DAIF masked */
	assert_false(arm64_current_sp_is_el1(0x3c4)); /* EL1t */
	assert_false(arm64_current_sp_is_el1(0x0));   /* EL0t */
}

/* Tags nest and close, attribute quotes pair up, one root element. */
static bool well_formed(const char *s)
{
	char stack[8][64];
	int depth = 0, roots = 0;

	while ((s = strchr(s, '<'))) {
		const char *end = strchr(s, '>'), *name;
		size_t len, quotes = 0;
		bool closing;

		if (!end)
			return false;
		if (s[1] == '?' || s[1] == '!') {
			s = end + 1;
			continue;
		}
		for (const char *p = s; p < end; p++)
			quotes += *p == '"';
		closing = s[1] == '/';
		name = s + 1 + closing;
		len = strcspn(name, " \t\n/>");
		if (quotes % 2 || !len || len >= sizeof(stack[0]))
			return false;
		if (closing) {
			if (!depth || strlen(stack[depth - 1]) != len ||
			    strncmp(stack[depth - 1], name, len))
				return false;
			depth--;
		} else {
			roots += depth == 0;
			if (end[-1] != '/') {
				if (depth == (int)ARRAY_SIZE(stack))
					return false;
				memcpy(stack[depth], name, len);
				stack[depth++][len] = '\0';
			}
		}
		s = end + 1;
	}
	return depth == 0 && roots == 1;
}

static long attr(const char *tag, const char *end, const char *key, char *out, size_t size)
{
	char pat[32];
	const char *p, *q;

	snprintf(pat, sizeof(pat), " %s=\"", key);
	p = strstr(tag, pat);
	if (!p || p > end)
		return -1;
	p += strlen(pat);
	q = strchr(p, '"');
	if (out) {
		snprintf(out, size, "%.*s", (int)(q - p), p);
		return 0;
	}
	return strtol(p, NULL, 10);
}

/* The feature combinations the map tests run over. */
static const struct arm64_gdb_features feature_sets[] = {
	{ 0, false, false }, { 0, true, false },  { 1, false, false },  { 2, true, false },
	{ 4, true, false },  { 16, true, false }, { 16, false, false }, { 0, false, true },
	{ 0, true, true },   { 3, false, true },  { 16, true, true },
};

/* The documents target.xml includes, in its order, and target.xml itself first. */
static size_t documents(const struct arm64_gdb_map *m, const char *out[], size_t max)
{
	const char *s = arm64_gdb_map_xml(m, "target.xml", NULL), *q;
	size_t n = 0;

	out[n++] = "target.xml";
	while (n < max && (s = strstr(s, "href=\""))) {
		static char names[8][64];

		s += 6;
		q = strchr(s, '"');
		assert_true(q - s < 64);
		snprintf(names[n], sizeof(names[n]), "%.*s", (int)(q - s), s);
		out[n] = names[n];
		n++;
	}
	return n;
}

static void xml_well_formed(const struct arm64_gdb_map *m)
{
	const char *docs[8];
	size_t n = documents(m, docs, 8);

	assert_true(n >= 4);
	for (size_t i = 0; i < n; i++) {
		size_t len = 0;
		const char *xml = arm64_gdb_map_xml(m, docs[i], &len);

		assert_non_null(xml);
		assert_int_equal(len, strlen(xml));
		assert_true(well_formed(xml));
	}
	assert_null(arm64_gdb_map_xml(m, "arm-core.xml", NULL));
}

static void test_xml_well_formed(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(annexes); i++)
		assert_non_null(arm64_gdb_xml(annexes[i], NULL));
	xml_well_formed(arm64_gdb_map_base());
	for (size_t i = 0; i < ARRAY_SIZE(feature_sets); i++) {
		struct arm64_gdb_map *m = arm64_gdb_map_new(&feature_sets[i]);

		assert_non_null(m);
		xml_well_formed(m);
		arm64_gdb_map_free(m);
	}
}

/* Walks the <reg> elements in the order target.xml includes them and numbers them as gdb
 * does: the regnum attribute, else one more than the previous register. Every register of
 * the map is met once. */
static void xml_matches_map(const struct arm64_gdb_map *m)
{
	unsigned int next = 0, seen = 0;
	bool met[ARM64_GDB_MAX_REGS] = { false };
	const char *docs[8];
	size_t n = documents(m, docs, 8);

	assert_non_null(strstr(arm64_gdb_map_xml(m, "target.xml", NULL), "<architecture>aarch64<"));
	for (size_t i = 1; i < n; i++) {
		const char *s = arm64_gdb_map_xml(m, docs[i], NULL);

		while ((s = strstr(s, "<reg "))) {
			const char *end = strchr(s, '>');
			const struct arm64_gdb_reg *r;
			char name[32];
			long regnum = attr(s, end, "regnum", NULL, 0);

			attr(s, end, "name", name, sizeof(name));
			if (regnum >= 0)
				next = (unsigned int)regnum;
			r = arm64_gdb_map_reg(m, next);
			assert_non_null(r);
			assert_string_equal(name, r->name);
			assert_int_equal(attr(s, end, "bitsize", NULL, 0), r->bitsize);
			assert_false(met[next]);
			met[next] = true;
			seen++;
			next++;
			s = end;
		}
	}
	/* every register of the map, and nothing at a number it leaves unused */
	for (unsigned int i = 0; i < arm64_gdb_map_nregs(m); i++) {
		assert_true(met[i] == (arm64_gdb_map_reg(m, i) != NULL));
		seen -= met[i];
	}
	assert_int_equal(seen, 0);
	assert_non_null(arm64_gdb_map_reg(m, arm64_gdb_map_nregs(m) - 1));
}

static void test_xml_matches_map(void **state)
{
	xml_matches_map(arm64_gdb_map_base());
	for (size_t i = 0; i < ARRAY_SIZE(feature_sets); i++) {
		struct arm64_gdb_map *m = arm64_gdb_map_new(&feature_sets[i]);

		xml_matches_map(m);
		arm64_gdb_map_free(m);
	}
}

/* The kernel's gdb scripts shift $SP_EL0 ($lx_current(): SP_EL0 >> 63), which gdb refuses
 * for a pointer type: the stack pointers are integers, as QEMU types its system registers. */
static void test_stack_pointers_are_integers(void **state)
{
	const char *xml = arm64_gdb_xml("minivmm-sysregs.xml", NULL);

	assert_non_null(strstr(xml, "<reg name=\"SP_EL0\" bitsize=\"64\" type=\"int\""));
	assert_non_null(strstr(xml, "<reg name=\"SP_EL1\" bitsize=\"64\" type=\"int\""));
}

static void xmllint(const struct arm64_gdb_map *m)
{
	const char *docs[8];
	size_t n = documents(m, docs, 8);

	for (size_t i = 0; i < n; i++) {
		char path[] = "/tmp/minivmm-gdbregs-XXXXXX";
		size_t len;
		const char *xml = arm64_gdb_map_xml(m, docs[i], &len);
		char cmd[128];
		int fd = mkstemp(path);

		assert_true(fd >= 0);
		assert_int_equal(write(fd, xml, len), (ssize_t)len);
		close(fd);
		snprintf(cmd, sizeof(cmd), "/usr/bin/xmllint --noout %s", path);
		assert_int_equal(system(cmd), 0);
		unlink(path);
	}
}

static void test_xmllint(void **state)
{
	if (access("/usr/bin/xmllint", X_OK))
		skip();
	xmllint(arm64_gdb_map_base());
	for (size_t i = 0; i < ARRAY_SIZE(feature_sets); i++) {
		struct arm64_gdb_map *m = arm64_gdb_map_new(&feature_sets[i]);

		xmllint(m);
		arm64_gdb_map_free(m);
	}
}

/* ------------------------------------------------------------- SVE and pauth */

static uint64_t fnv1a(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 0x100000001b3ull;
	return h;
}

/* The documents of a vCPU without SVE and pauth, byte for byte as before the maps were made
 * per VM (their length and FNV-1a hash, taken from that tree), from the base map and from a
 * map built for no features. */
static void test_base_documents_unchanged(void **state)
{
	static const struct {
		const char *annex;
		size_t len;
		uint64_t hash;
	} before[] = {
		{ "target.xml", 301, 0x374ee795f6334f8eull },
		{ "aarch64-core.xml", 2703, 0x1005c23ee3361c93ull },
		{ "aarch64-fpu.xml", 3240, 0x6e0d174bf825a7e5ull },
		{ "minivmm-sysregs.xml", 2040, 0x48f8ec2a3125dd11ull },
	};
	struct arm64_gdb_map *m =
		arm64_gdb_map_new(&(struct arm64_gdb_features){ 0, false, false });
	size_t len, len2;

	assert_non_null(m);
	for (size_t i = 0; i < ARRAY_SIZE(before); i++) {
		const char *xml = arm64_gdb_xml(before[i].annex, &len);
		const char *xml2 = arm64_gdb_map_xml(m, before[i].annex, &len2);

		assert_int_equal(len, before[i].len);
		assert_true(fnv1a(xml, len) == before[i].hash);
		assert_int_equal(len2, len);
		assert_memory_equal(xml2, xml, len);
	}
	assert_null(arm64_gdb_map_xml(m, "aarch64-sve.xml", NULL));
	assert_null(arm64_gdb_map_xml(m, "aarch64-pauth.xml", NULL));
	assert_int_equal(arm64_gdb_map_nregs(m), arm64_gdb_nregs());
	assert_int_equal(arm64_gdb_map_g_nregs(m), ARM64_GDB_G_NREGS);
	arm64_gdb_map_free(m);
}

/* Every register of the base map has the same name and number in every map, but v0-v31,
 * which SVE's z0-z31 replace in their numbers. */
static void test_numbers_shared_by_every_map(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(feature_sets); i++) {
		const struct arm64_gdb_features *f = &feature_sets[i];
		struct arm64_gdb_map *m = arm64_gdb_map_new(f);
		unsigned int pauth0 = f->sve_vq ? ARM64_GDB_VG + 1 : ARM64_GDB_P0;

		for (unsigned int r = 0; r < arm64_gdb_nregs(); r++) {
			const struct arm64_gdb_reg *b = arm64_gdb_reg(r),
						   *x = arm64_gdb_map_reg(m, r);

			if (f->sve_vq && b->kind == ARM64_GREG_V) {
				assert_int_equal(x->kind, ARM64_GREG_Z);
				assert_int_equal(x->index, b->index);
				assert_int_equal(x->name[0], 'z');
				assert_string_equal(x->name + 1, b->name + 1);
				continue;
			}
			assert_string_equal(x->name, b->name);
			assert_int_equal(x->bitsize, b->bitsize);
			assert_int_equal(arm64_gdb_map_reg_by_name(m, b->name), (int)r);
		}
		assert_int_equal(arm64_gdb_map_nregs(m), f->pmu ? ARM64_GDB_MAX_REGS
								: arm64_gdb_nregs() +
									  (f->sve_vq ? 18 : 0) +
									  (f->pauth ? 4 : 0));
		/* PMCR_EL0 is 118 in every map with the PMU, whatever else it has */
		assert_int_equal(arm64_gdb_map_reg_by_name(m, "PMCR_EL0"),
				 f->pmu ? ARM64_GDB_PMU0 : -ENOENT);
		assert_int_equal(arm64_gdb_map_reg_by_name(m, "PMEVTYPER30_EL0"),
				 f->pmu ? ARM64_GDB_MAX_REGS - 1 : -ENOENT);
		if (f->pauth) {
			assert_int_equal(arm64_gdb_map_reg_by_name(m, "pauth_dmask"), pauth0);
			assert_int_equal(arm64_gdb_map_reg_by_name(m, "pauth_cmask_high"),
					 pauth0 + 3);
		} else {
			assert_int_equal(arm64_gdb_map_reg_by_name(m, "pauth_dmask"), -ENOENT);
		}
		arm64_gdb_map_free(m);
	}
}

struct sve_case {
	const char *name;
	unsigned int vq;
};

static const struct sve_case sve_cases[] = {
	{ "sve vq 1 (128 bits)", 1 },
	{ "sve vq 3 (384 bits)", 3 },
	{ "sve vq 4 (512 bits)", 4 },
	{ "sve vq 16 (2048 bits, gdb's largest)", 16 },
};

/* The sizes gdb sees are the vCPU's largest vector length; z in v's numbers, p0-p15, ffr
 * and vg after the system registers; no fpu feature; the `g` packet carries the core. */
static void test_sve_map(void **state)
{
	const struct sve_case *c = *state;
	struct arm64_gdb_map *m =
		arm64_gdb_map_new(&(struct arm64_gdb_features){ c->vq, false, false });
	const char *xml = arm64_gdb_map_xml(m, "aarch64-sve.xml", NULL);
	const struct arm64_gdb_reg *r;
	char want[96];
	uint32_t id = 0;

	assert_non_null(m);
	assert_non_null(xml);
	assert_null(arm64_gdb_map_xml(m, "aarch64-fpu.xml", NULL));
	assert_null(strstr(arm64_gdb_map_xml(m, "target.xml", NULL), "aarch64-fpu.xml"));
	assert_non_null(strstr(xml, "<feature name=\"org.gnu.gdb.aarch64.sve\">"));
	snprintf(want, sizeof(want), "<reg name=\"z31\" bitsize=\"%u\" type=\"svev\"/>",
		 c->vq * 128);
	assert_non_null(strstr(xml, want));
	snprintf(want, sizeof(want), "<vector id=\"svevbu\" type=\"uint8\" count=\"%u\"/>",
		 c->vq * 16);
	assert_non_null(strstr(xml, want));
	snprintf(want, sizeof(want), "<vector id=\"svep\" type=\"uint8\" count=\"%u\"/>",
		 c->vq * 2);
	assert_non_null(strstr(xml, want));
	for (unsigned int i = 0; i < 32; i++) {
		r = arm64_gdb_map_reg(m, ARM64_GDB_V0 + i);
		assert_int_equal(r->kind, ARM64_GREG_Z);
		assert_int_equal(r->bitsize, c->vq * 128);
		assert_int_equal(arm64_gdb_map_reg_id(m, ARM64_GDB_V0 + i, 0, &id), 0);
		assert_int_equal(id, ARM64_R_Z(i));
	}
	for (unsigned int i = 0; i < 16; i++) {
		r = arm64_gdb_map_reg(m, ARM64_GDB_P0 + i);
		assert_int_equal(r->kind, ARM64_GREG_P);
		assert_int_equal(r->bitsize, c->vq * 16);
		assert_int_equal(arm64_gdb_map_reg_id(m, ARM64_GDB_P0 + i, 0, &id), 0);
		assert_int_equal(id, ARM64_R_P(i));
	}
	assert_int_equal(arm64_gdb_map_reg_by_name(m, "ffr"), ARM64_GDB_FFR);
	assert_int_equal(arm64_gdb_map_reg(m, ARM64_GDB_FFR)->bitsize, c->vq * 16);
	assert_int_equal(arm64_gdb_map_reg_id(m, ARM64_GDB_FFR, 0, &id), 0);
	assert_int_equal(id, ARM64_R_FFR);
	assert_int_equal(arm64_gdb_map_reg_by_name(m, "vg"), ARM64_GDB_VG);
	assert_int_equal(arm64_gdb_map_reg(m, ARM64_GDB_VG)->bitsize, 64);
	assert_int_equal(arm64_gdb_map_reg_id(m, ARM64_GDB_VG, 0, &id), -ENOENT);
	assert_int_equal(arm64_gdb_map_reg_by_name(m, "v0"), -ENOENT); /* gdb's pseudo now */
	assert_int_equal(arm64_gdb_map_g_nregs(m), ARM64_GDB_G_NREGS_SVE);
	assert_int_equal(arm64_gdb_map_g_offset(m, ARM64_GDB_CPSR), 264);
	assert_int_equal(arm64_gdb_map_g_offset(m, ARM64_GDB_V0), -ENOENT);
	assert_true(arm64_gdb_map_reg(m, ARM64_GDB_V0)->bitsize / 8 <= ARM64_SVE_Z_BYTES);
	arm64_gdb_map_free(m);
}

static void test_bad_vector_lengths_are_refused(void **state)
{
	static const unsigned int bad[] = { 17, 32, 1000, ~0u };

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		errno = 0;
		assert_null(arm64_gdb_map_new(&(struct arm64_gdb_features){ bad[i], true, false }));
		assert_int_equal(errno, EINVAL);
	}
	arm64_gdb_map_free(NULL);
	arm64_gdb_map_free((struct arm64_gdb_map *)arm64_gdb_map_base()); /* a no-op */
}

static void test_pauth_map(void **state)
{
	struct arm64_gdb_map *m = arm64_gdb_map_new(&(struct arm64_gdb_features){ 0, true, false });
	const char *xml = arm64_gdb_map_xml(m, "aarch64-pauth.xml", NULL);
	uint32_t id;

	assert_non_null(xml);
	assert_non_null(strstr(xml, "<feature name=\"org.gnu.gdb.aarch64.pauth_v2\">"));
	assert_non_null(strstr(arm64_gdb_map_xml(m, "target.xml", NULL), "aarch64-pauth.xml"));
	for (unsigned int i = 0; i < 4; i++) {
		const struct arm64_gdb_reg *r = arm64_gdb_map_reg(m, ARM64_GDB_P0 + i);

		assert_int_equal(r->kind, ARM64_GREG_PAUTH);
		assert_int_equal(r->index, i);
		assert_true(r->readonly);
		assert_int_equal(r->bitsize, 64);
		assert_int_equal(arm64_gdb_map_reg_id(m, ARM64_GDB_P0 + i, 0, &id), -ENOENT);
	}
	assert_string_equal(arm64_gdb_map_reg(m, ARM64_GDB_P0 + 1)->name, "pauth_cmask");
	assert_int_equal(arm64_gdb_map_g_nregs(m), ARM64_GDB_G_NREGS);
	assert_null(arm64_gdb_map_xml(m, "aarch64-sve.xml", NULL));
	arm64_gdb_map_free(m);
}

/* ------------------------------------------------------------------- PMUv3 */

struct pmu_case {
	const char *name;
	unsigned int regno;
	struct arm64_sysreg_enc enc; /* Arm ARM D23 */
	bool readonly;
	unsigned int index;
};

static const struct pmu_case pmu_cases[] = {
	{ "PMCR_EL0", 118, { 3, 3, 9, 12, 0 }, false, ARM64_PMU_ANY },
	{ "PMCNTENSET_EL0", 119, { 3, 3, 9, 12, 1 }, false, ARM64_PMU_ANY },
	{ "PMCNTENCLR_EL0", 120, { 3, 3, 9, 12, 2 }, false, ARM64_PMU_ANY },
	{ "PMOVSSET_EL0", 121, { 3, 3, 9, 14, 3 }, false, ARM64_PMU_ANY },
	{ "PMOVSCLR_EL0", 122, { 3, 3, 9, 12, 3 }, false, ARM64_PMU_ANY },
	{ "PMSELR_EL0", 123, { 3, 3, 9, 12, 5 }, false, ARM64_PMU_ANY },
	{ "PMCCNTR_EL0", 124, { 3, 3, 9, 13, 0 }, false, ARM64_PMU_ANY },
	{ "PMCCFILTR_EL0", 125, { 3, 3, 14, 15, 7 }, false, ARM64_PMU_ANY },
	{ "PMUSERENR_EL0", 126, { 3, 3, 9, 14, 0 }, false, ARM64_PMU_ANY },
	{ "PMINTENSET_EL1", 127, { 3, 0, 9, 14, 1 }, false, ARM64_PMU_ANY },
	{ "PMINTENCLR_EL1", 128, { 3, 0, 9, 14, 2 }, false, ARM64_PMU_ANY },
	{ "PMCEID0_EL0", 129, { 3, 3, 9, 12, 6 }, true, ARM64_PMU_ANY },
	{ "PMCEID1_EL0", 130, { 3, 3, 9, 12, 7 }, true, ARM64_PMU_ANY },
	{ "PMEVCNTR0_EL0", 131, { 3, 3, 14, 8, 0 }, false, 0 },
	{ "PMEVCNTR9_EL0", 140, { 3, 3, 14, 9, 1 }, false, 9 },
	{ "PMEVCNTR30_EL0", 161, { 3, 3, 14, 11, 6 }, false, 30 },
	{ "PMEVTYPER0_EL0", 162, { 3, 3, 14, 12, 0 }, false, 0 },
	{ "PMEVTYPER17_EL0", 179, { 3, 3, 14, 14, 1 }, false, 17 },
	{ "PMEVTYPER30_EL0", 192, { 3, 3, 14, 15, 6 }, false, 30 },
};

/* Numbers, encodings and ONE_REG ids, the same with and without SVE and pauth. */
static void test_pmu_numbering(void **state)
{
	const struct pmu_case *c = *state;
	static const struct arm64_gdb_features fs[] = { { 0, false, true },
							{ 0, true, true },
							{ 4, true, true } };

	for (size_t i = 0; i < ARRAY_SIZE(fs); i++) {
		struct arm64_gdb_map *m = arm64_gdb_map_new(&fs[i]);
		const struct arm64_gdb_reg *r = arm64_gdb_map_reg(m, c->regno);
		uint32_t id = 0;

		assert_non_null(r);
		assert_string_equal(r->name, c->name);
		assert_int_equal(r->bitsize, 64);
		assert_int_equal(r->kind, ARM64_GREG_PMU);
		assert_int_equal(r->index, c->index);
		assert_int_equal(r->readonly, c->readonly);
		assert_string_equal(r->group, "system");
		assert_int_equal(arm64_sysreg_key(r->enc), arm64_sysreg_key(c->enc));
		assert_int_equal(arm64_sysreg_key(arm64_gdb_kvm_sysreg(r)),
				 arm64_sysreg_key(c->enc));
		assert_int_equal(arm64_gdb_map_reg_by_name(m, c->name), (int)c->regno);
		assert_int_equal(arm64_gdb_map_reg_id(m, c->regno, 0, &id), 0);
		assert_int_equal(id, ARM64_R_SYS(c->enc.op0, c->enc.op1, c->enc.crn, c->enc.crm,
						 c->enc.op2));
		assert_int_equal(arm64_gdb_map_g_offset(m, c->regno), -ENOENT);
		arm64_gdb_map_free(m);
	}
}

/* Without SVE and pauth: the PMU at 118, numbers 96..117 unused; the document's feature and
 * its explicit first number; the other documents as without the PMU. */
static void test_pmu_map(void **state)
{
	struct arm64_gdb_map *m = arm64_gdb_map_new(&(struct arm64_gdb_features){ 0, false, true });
	const char *xml = arm64_gdb_map_xml(m, "minivmm-pmu.xml", NULL);
	const char *target = arm64_gdb_map_xml(m, "target.xml", NULL);
	size_t len;

	assert_non_null(xml);
	assert_non_null(strstr(xml, "<feature name=\"org.minivmm.aarch64.pmu\">"));
	assert_non_null(strstr(xml, "<reg name=\"PMCR_EL0\" bitsize=\"64\" type=\"uint64\" "
				    "group=\"system\" regnum=\"118\"/>"));
	assert_null(strstr(xml, "PMEVCNTR31_EL0"));
	assert_null(strstr(xml, "PMSWINC_EL0"));
	assert_non_null(strstr(target, "<xi:include href=\"minivmm-sysregs.xml\"/>\n"
				       "  <xi:include href=\"minivmm-pmu.xml\"/>\n</target>\n"));
	/* target.xml is the base one with the PMU's line */
	assert_int_equal(strlen(target),
			 strlen(arm64_gdb_xml("target.xml", &len)) +
				 strlen("  <xi:include href=\"minivmm-pmu.xml\"/>\n"));
	for (size_t i = 1; i < ARRAY_SIZE(annexes); i++)
		assert_ptr_equal(arm64_gdb_map_xml(m, annexes[i], NULL),
				 arm64_gdb_xml(annexes[i], NULL));
	assert_null(arm64_gdb_map_xml(m, "aarch64-sve.xml", NULL));
	for (unsigned int i = ARM64_GDB_P0; i < ARM64_GDB_PMU0; i++)
		assert_null(arm64_gdb_map_reg(m, i));
	assert_int_equal(arm64_gdb_map_nregs(m), ARM64_GDB_MAX_REGS);
	assert_null(arm64_gdb_map_reg(m, ARM64_GDB_MAX_REGS));
	assert_int_equal(arm64_gdb_map_g_nregs(m), ARM64_GDB_G_NREGS);
	arm64_gdb_map_free(m);
}

/* No map without the PMU names it, or has its document. */
static void test_no_pmu_without_it(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(feature_sets); i++) {
		struct arm64_gdb_map *m = arm64_gdb_map_new(&feature_sets[i]);
		const char *target = arm64_gdb_map_xml(m, "target.xml", NULL);

		assert_true(feature_sets[i].pmu == (strstr(target, "minivmm-pmu.xml") != NULL));
		assert_true(feature_sets[i].pmu ==
			    (arm64_gdb_map_xml(m, "minivmm-pmu.xml", NULL) != NULL));
		if (!feature_sets[i].pmu)
			assert_true(arm64_gdb_map_nregs(m) <= ARM64_GDB_PMU0);
		arm64_gdb_map_free(m);
	}
	assert_null(arm64_gdb_xml("minivmm-pmu.xml", NULL));
}

/* SVE, pauth and the PMU together: every number used, each feature where it is alone. */
static void test_pmu_sve_pauth(void **state)
{
	struct arm64_gdb_map *m = arm64_gdb_map_new(&(struct arm64_gdb_features){ 8, true, true });
	const char *target = arm64_gdb_map_xml(m, "target.xml", NULL);

	for (unsigned int i = 0; i < ARM64_GDB_MAX_REGS; i++)
		assert_non_null(arm64_gdb_map_reg(m, i));
	assert_int_equal(arm64_gdb_map_reg_by_name(m, "z0"), ARM64_GDB_V0);
	assert_int_equal(arm64_gdb_map_reg_by_name(m, "vg"), ARM64_GDB_VG);
	assert_int_equal(arm64_gdb_map_reg_by_name(m, "pauth_dmask"), ARM64_GDB_VG + 1);
	assert_int_equal(arm64_gdb_map_reg_by_name(m, "pauth_cmask_high"), ARM64_GDB_PMU0 - 1);
	assert_int_equal(arm64_gdb_map_reg_by_name(m, "PMCR_EL0"), ARM64_GDB_PMU0);
	assert_int_equal(arm64_gdb_map_g_nregs(m), ARM64_GDB_G_NREGS_SVE);
	assert_non_null(strstr(target, "aarch64-sve.xml\"/>\n  <xi:include href=\"aarch64-pauth.xml"
				       "\"/>\n  <xi:include href=\"minivmm-sysregs.xml\"/>\n"
				       "  <xi:include href=\"minivmm-pmu.xml\"/>\n</target>\n"));
	arm64_gdb_map_free(m);
}

/* An event counter's registers exist below PMCR_EL0.N; the rest whatever N is; a write keeps
 * PMCR_EL0.N only. */
static void test_pmu_counters_exist(void **state)
{
	struct arm64_gdb_map *m = arm64_gdb_map_new(&(struct arm64_gdb_features){ 0, false, true });
	const uint64_t pmcr6 = 0x41000000ull | 6 << ARM64_PMCR_N_SHIFT | 1;

	assert_true(arm64_gdb_pmu_reg_exists(arm64_gdb_map_reg(m, ARM64_GDB_PMEVCNTR0 + 5), pmcr6));
	assert_false(
		arm64_gdb_pmu_reg_exists(arm64_gdb_map_reg(m, ARM64_GDB_PMEVCNTR0 + 6), pmcr6));
	assert_true(
		arm64_gdb_pmu_reg_exists(arm64_gdb_map_reg(m, ARM64_GDB_PMEVTYPER0 + 5), pmcr6));
	assert_false(
		arm64_gdb_pmu_reg_exists(arm64_gdb_map_reg(m, ARM64_GDB_PMEVTYPER0 + 30), pmcr6));
	assert_true(arm64_gdb_pmu_reg_exists(arm64_gdb_map_reg(m, ARM64_GDB_PMEVTYPER0 + 30),
					     31ull << ARM64_PMCR_N_SHIFT));
	for (unsigned int i = ARM64_GDB_PMU0; i < ARM64_GDB_PMEVCNTR0; i++) {
		assert_true(arm64_gdb_pmu_reg_exists(arm64_gdb_map_reg(m, i), 0));
		assert_true(arm64_gdb_kept_bits(arm64_gdb_map_reg(m, i)) ==
			    (i == ARM64_GDB_PMU0 ? 0xf800ull : 0));
	}
	assert_false(arm64_gdb_pmu_reg_exists(arm64_gdb_map_reg(m, ARM64_GDB_PMEVCNTR0), 0));
	assert_true(arm64_gdb_pmu_reg_exists(arm64_gdb_map_reg(m, ARM64_GDB_PC), 0));
	assert_true(arm64_gdb_kept_bits(arm64_gdb_map_reg(m, ARM64_GDB_PC)) == 0);
	arm64_gdb_map_free(m);
}

struct pac_case {
	const char *name;
	uint64_t tcr;
	uint64_t dmask, cmask, dmask_high, cmask_high;
};

#define TCR(t0sz, t1sz) ((uint64_t)(t0sz) | (uint64_t)(t1sz) << 16)
#define TBI0 (1ull << 37)
#define TBI1 (1ull << 38)
#define TBID0 (1ull << 51)
#define TBID1 (1ull << 52)

static const struct pac_case pac_cases[] = {
	/* Linux's: 48-bit VAs, TBI0 only: ptrauth_user_pac_mask() GENMASK(54, 48) and
	 * ptrauth_kernel_pac_mask() GENMASK(63, 48) */
	{ "pac linux 48-bit", TCR(16, 16) | TBI0, 0x007f000000000000ull, 0x007f000000000000ull,
	  0xffff000000000000ull, 0xffff000000000000ull },
	{ "pac 39-bit", TCR(25, 25) | TBI0, 0x007fff8000000000ull, 0x007fff8000000000ull,
	  0xffffff8000000000ull, 0xffffff8000000000ull },
	/* TBID0: code pointers keep their top byte in the PAC */
	{ "pac tbid0", TCR(16, 16) | TBI0 | TBID0, 0x007f000000000000ull, 0xffff000000000000ull,
	  0xffff000000000000ull, 0xffff000000000000ull },
	/* TBI1 (KASAN's tags) with TBID1 */
	{ "pac tbi1 tbid1", TCR(16, 16) | TBI1 | TBID1, 0xffff000000000000ull,
	  0xffff000000000000ull, 0x007f000000000000ull, 0xffff000000000000ull },
	/* the two halves sized apart */
	{ "pac t0sz 12 t1sz 20", TCR(12, 20) | TBI0 | TBI1, 0x007f000000000000ull,
	  0x007f000000000000ull, 0x007ff00000000000ull, 0x007ff00000000000ull },
	/* an MMU not set up: TxSZ 0 is taken as 16 */
	{ "pac tcr 0", 0, 0xffff000000000000ull, 0xffff000000000000ull, 0xffff000000000000ull,
	  0xffff000000000000ull },
	/* TxSZ past 48 is taken as 48 */
	{ "pac t0sz 63", TCR(63, 63) | TBI0, 0x007fffffffff0000ull, 0x007fffffffff0000ull,
	  0xffffffffffff0000ull, 0xffffffffffff0000ull },
};

static void test_pac_mask(void **state)
{
	const struct pac_case *c = *state;

	assert_true(arm64_pac_mask(c->tcr, false, false) == c->dmask);
	assert_true(arm64_pac_mask(c->tcr, false, true) == c->cmask);
	assert_true(arm64_pac_mask(c->tcr, true, false) == c->dmask_high);
	assert_true(arm64_pac_mask(c->tcr, true, true) == c->cmask_high);
	/* bit 55 selects the half: never part of a PAC where the top byte is ignored */
	assert_false(arm64_pac_mask(c->tcr | TBI0 | TBI1, false, false) & (1ull << 55));
}

int main(void)
{
	struct CMUnitTest tests[ARRAY_SIZE(num_cases) + ARRAY_SIZE(sve_cases) +
				ARRAY_SIZE(pac_cases) + ARRAY_SIZE(pmu_cases) + 16];
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(num_cases); i++)
		tests[n++] = (struct CMUnitTest){ num_cases[i].name, test_numbering, NULL, NULL,
						  (void *)&num_cases[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_sysregs);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_unique_names);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_g_layout);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_current_sp);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_xml_well_formed);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_xml_matches_map);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_stack_pointers_are_integers);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_xmllint);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_base_documents_unchanged);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_numbers_shared_by_every_map);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_bad_vector_lengths_are_refused);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_pauth_map);
	for (size_t i = 0; i < ARRAY_SIZE(sve_cases); i++)
		tests[n++] = (struct CMUnitTest){ sve_cases[i].name, test_sve_map, NULL, NULL,
						  (void *)&sve_cases[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_pmu_map);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_no_pmu_without_it);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_pmu_sve_pauth);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_pmu_counters_exist);
	for (size_t i = 0; i < ARRAY_SIZE(pmu_cases); i++)
		tests[n++] = (struct CMUnitTest){ pmu_cases[i].name, test_pmu_numbering, NULL, NULL,
						  (void *)&pmu_cases[i] };
	for (size_t i = 0; i < ARRAY_SIZE(pac_cases); i++)
		tests[n++] = (struct CMUnitTest){ pac_cases[i].name, test_pac_mask, NULL, NULL,
						  (void *)&pac_cases[i] };
	return _cmocka_run_group_tests("arm64_gdbregs", tests, n, NULL, NULL);
}
