// SPDX-License-Identifier: GPL-3.0-or-later
/* The gdb register maps and target descriptions. The register table and the XML are expanded
 * from the same lists below, so a register can't be in one and missing from the other. gdb
 * requires the names of org.gnu.gdb.aarch64.core (x0-x30, sp, pc, cpsr) and
 * org.gnu.gdb.aarch64.fpu (v0-v31, fpsr, fpcr); the fpu feature's vector types mirror gdb's
 * own aarch64-fpu.xml so that `p $v0` shows the d/s/h/b/q views. A vCPU with SVE has
 * org.gnu.gdb.aarch64.sve instead of the fpu feature (gdb 13 refuses both: "Program contains
 * both fpu and SVE features", aarch64_gdbarch_init), with gdb's own names and types
 * (gdb/features/aarch64-sve.c); gdb then makes v0-v31 and q/d/s/h/b pseudo registers of the
 * low 128 bits of z0-z31. One with address authentication has org.gnu.gdb.aarch64.pauth_v2
 * (pauth_xml() says why not .pauth). One with PMUv3 has org.minivmm.aarch64.pmu, its system
 * registers as KVM_GET_ONE_REG gives them (arch/arm64/kvm/sys_regs.c, the PMU_SYS_REG rows). */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "src/arm64/esr.h"
#include "src/arm64/gdbregs.h"
#include "src/arm64/regs.h"

/* The lists and XML below are tables laid out by hand. */
/* clang-format off */
#define X_LIST(F) \
	F(0) F(1) F(2) F(3) F(4) F(5) F(6) F(7) F(8) F(9) F(10) F(11) F(12) F(13) F(14) F(15) \
	F(16) F(17) F(18) F(19) F(20) F(21) F(22) F(23) F(24) F(25) F(26) F(27) F(28) F(29) F(30)
#define V_LIST(F) X_LIST(F) F(31)
#define P_LIST(F) \
	F(0) F(1) F(2) F(3) F(4) F(5) F(6) F(7) F(8) F(9) F(10) F(11) F(12) F(13) F(14) F(15)

/* The third feature: F(name, kind, index, type, readonly, op0, op1, crn, crm, op2). Its
 * first register is written out in sysregs_xml, with its number. */
#define SYS_LIST(F) \
	F("SP_EL0", ARM64_GREG_CORE, ARM64_CORE_SP_EL0, "int", false, 0, 0, 0, 0, 0) \
	SYS_LIST_REST(F)
#define SYS_LIST_REST(F) \
	F("SP_EL1", ARM64_GREG_CORE, ARM64_CORE_SP_EL1, "int", false, 0, 0, 0, 0, 0) \
	F("ELR_EL1", ARM64_GREG_CORE, ARM64_CORE_ELR_EL1, "code_ptr", false, 0, 0, 0, 0, 0) \
	F("SPSR_EL1", ARM64_GREG_CORE, ARM64_CORE_SPSR_EL1, "uint64", false, 0, 0, 0, 0, 0) \
	F("SCTLR_EL1", ARM64_GREG_SYSREG, 0, "uint64", false, 3, 0, 1, 0, 0) \
	F("TCR_EL1", ARM64_GREG_SYSREG, 0, "uint64", false, 3, 0, 2, 0, 2) \
	F("TTBR0_EL1", ARM64_GREG_SYSREG, 0, "uint64", false, 3, 0, 2, 0, 0) \
	F("TTBR1_EL1", ARM64_GREG_SYSREG, 0, "uint64", false, 3, 0, 2, 0, 1) \
	F("MAIR_EL1", ARM64_GREG_SYSREG, 0, "uint64", false, 3, 0, 10, 2, 0) \
	F("AMAIR_EL1", ARM64_GREG_SYSREG, 0, "uint64", false, 3, 0, 10, 3, 0) \
	F("VBAR_EL1", ARM64_GREG_SYSREG, 0, "code_ptr", false, 3, 0, 12, 0, 0) \
	F("ESR_EL1", ARM64_GREG_SYSREG, 0, "uint64", false, 3, 0, 5, 2, 0) \
	F("FAR_EL1", ARM64_GREG_SYSREG, 0, "data_ptr", false, 3, 0, 6, 0, 0) \
	F("PAR_EL1", ARM64_GREG_SYSREG, 0, "uint64", false, 3, 0, 7, 4, 0) \
	F("AFSR0_EL1", ARM64_GREG_SYSREG, 0, "uint64", false, 3, 0, 5, 1, 0) \
	F("AFSR1_EL1", ARM64_GREG_SYSREG, 0, "uint64", false, 3, 0, 5, 1, 1) \
	F("CONTEXTIDR_EL1", ARM64_GREG_SYSREG, 0, "uint64", false, 3, 0, 13, 0, 1) \
	F("TPIDR_EL1", ARM64_GREG_SYSREG, 0, "data_ptr", false, 3, 0, 13, 0, 4) \
	F("TPIDR_EL0", ARM64_GREG_SYSREG, 0, "data_ptr", false, 3, 3, 13, 0, 2) \
	F("TPIDRRO_EL0", ARM64_GREG_SYSREG, 0, "data_ptr", false, 3, 3, 13, 0, 3) \
	F("CPACR_EL1", ARM64_GREG_SYSREG, 0, "uint64", false, 3, 0, 1, 0, 2) \
	F("MDSCR_EL1", ARM64_GREG_SYSREG, 0, "uint64", false, 2, 0, 0, 2, 2) \
	F("CNTKCTL_EL1", ARM64_GREG_SYSREG, 0, "uint64", false, 3, 0, 14, 1, 0) \
	F("CNTV_CTL_EL0", ARM64_GREG_SYSREG, 0, "uint64", false, 3, 3, 14, 3, 1) \
	F("CNTV_CVAL_EL0", ARM64_GREG_SYSREG, 0, "uint64", false, 3, 3, 14, 3, 2) \
	F("CNTVCT_EL0", ARM64_GREG_SYSREG, 0, "uint64", true, 3, 3, 14, 0, 2) \
	F("MPIDR_EL1", ARM64_GREG_SYSREG, 0, "uint64", true, 3, 0, 0, 0, 5) \
	F("MIDR_EL1", ARM64_GREG_SYSREG, 0, "uint64", true, 3, 0, 0, 0, 0)

/* The fifth feature, PMUv3's: F(name, readonly, op0, op1, crn, crm, op2), encodings of Arm ARM
 * D23.x; PMCR_EL0 is written out in pmu_xml with its number. KVM keeps no PMCEID0/1_EL0 (it
 * computes them from the host's at each guest read, access_pmceid; no .reg and no get_user, so
 * KVM_GET_ONE_REG says ENOENT): gdb sees them unavailable unless a KVM gives them. The
 * write-only PMSWINC_EL0 and the PMSELR_EL0-indexed PMXEVCNTR/PMXEVTYPER_EL0 are left out. */
#define PMU_LIST(F) \
	F("PMCR_EL0", false, 3, 3, 9, 12, 0) \
	PMU_LIST_REST(F)
#define PMU_LIST_REST(F) \
	F("PMCNTENSET_EL0", false, 3, 3, 9, 12, 1) \
	F("PMCNTENCLR_EL0", false, 3, 3, 9, 12, 2) \
	F("PMOVSSET_EL0", false, 3, 3, 9, 14, 3) \
	F("PMOVSCLR_EL0", false, 3, 3, 9, 12, 3) \
	F("PMSELR_EL0", false, 3, 3, 9, 12, 5) \
	F("PMCCNTR_EL0", false, 3, 3, 9, 13, 0) \
	F("PMCCFILTR_EL0", false, 3, 3, 14, 15, 7) \
	F("PMUSERENR_EL0", false, 3, 3, 9, 14, 0) \
	F("PMINTENSET_EL1", false, 3, 0, 9, 14, 1) \
	F("PMINTENCLR_EL1", false, 3, 0, 9, 14, 2) \
	F("PMCEID0_EL0", true, 3, 3, 9, 12, 6) \
	F("PMCEID1_EL0", true, 3, 3, 9, 12, 7)

#define NO_ENC { 0, 0, 0, 0, 0 }
#define X_ROW(n) { "x" #n, 64, ARM64_GREG_X, n, false, NO_ENC, "general" },
#define V_ROW(n) { "v" #n, 128, ARM64_GREG_V, n, false, NO_ENC, "float" },
#define SYS_ROW(name, kind, index, type, ro, op0, op1, crn, crm, op2) \
	{ name, 64, kind, index, ro, { op0, op1, crn, crm, op2 }, "system" },

#define PMU_ROW(name, ro, op0, op1, crn, crm, op2) \
	{ name, 64, ARM64_GREG_PMU, ARM64_PMU_ANY, ro, { op0, op1, crn, crm, op2 }, "system" },
/* PMEVCNTR<n>_EL0 is (3, 3, 14, 0b10:n[4:3], n[2:0]), PMEVTYPER<n>_EL0 (3, 3, 14, 0b11:n[4:3],
 * n[2:0]); n 31 of the latter is PMCCFILTR_EL0. */
#define PMEVCNTR_ROW(n) { "PMEVCNTR" #n "_EL0", 64, ARM64_GREG_PMU, n, false, \
			  { 3, 3, 14, 8 + ((n) >> 3), (n) & 7 }, "system" },
#define PMEVTYPER_ROW(n) { "PMEVTYPER" #n "_EL0", 64, ARM64_GREG_PMU, n, false, \
			   { 3, 3, 14, 12 + ((n) >> 3), (n) & 7 }, "system" },

static const struct arm64_gdb_reg pmu_regs[] = {
	PMU_LIST(PMU_ROW)
	X_LIST(PMEVCNTR_ROW)
	X_LIST(PMEVTYPER_ROW)
};

static const struct arm64_gdb_reg regs[] = {
	X_LIST(X_ROW)
	{ "sp", 64, ARM64_GREG_SP, 0, false, NO_ENC, "general" },
	{ "pc", 64, ARM64_GREG_PC, 0, false, NO_ENC, "general" },
	{ "cpsr", 32, ARM64_GREG_CPSR, 0, false, NO_ENC, "general" },
	V_LIST(V_ROW)
	{ "fpsr", 32, ARM64_GREG_FPSR, 0, false, NO_ENC, "float" },
	{ "fpcr", 32, ARM64_GREG_FPCR, 0, false, NO_ENC, "float" },
	SYS_LIST(SYS_ROW)
};

#define STR_(x) #x
#define STR(x) STR_(x)
#define XML_HEAD(kind) "<?xml version=\"1.0\"?>\n<!DOCTYPE " kind " SYSTEM \"gdb-target.dtd\">\n"
#define X_XML(n) "  <reg name=\"x" #n "\" bitsize=\"64\" type=\"int\"/>\n"
#define V_XML(n) "  <reg name=\"v" #n "\" bitsize=\"128\" type=\"aarch64v\"/>\n"
#define SYS_XML(name, kind, index, type, ro, op0, op1, crn, crm, op2) \
	"  <reg name=\"" name "\" bitsize=\"64\" type=\"" type "\" group=\"system\"/>\n"
#define FIELD(name, start, end, type) \
	"    <field name=\"" name "\" start=\"" #start "\" end=\"" #end "\" type=\"" type "\"/>\n"
#define VEC(id, type, count) "  <vector id=\"" id "\" type=\"" type "\" count=\"" #count "\"/>\n"
#define UFIELD(name, type) "    <field name=\"" name "\" type=\"" type "\"/>\n"

static const char target_xml[] =
	XML_HEAD("target")
	"<target version=\"1.0\" xmlns:xi=\"http://www.w3.org/2001/XInclude\">\n"
	"  <architecture>aarch64</architecture>\n"
	"  <xi:include href=\"aarch64-core.xml\"/>\n"
	"  <xi:include href=\"aarch64-fpu.xml\"/>\n"
	"  <xi:include href=\"minivmm-sysregs.xml\"/>\n"
	"</target>\n";

/* PSTATE as SPSR_EL1 lays it out (Arm ARM C5.2.18). */
static const char core_xml[] =
	XML_HEAD("feature")
	"<feature name=\"org.gnu.gdb.aarch64.core\">\n"
	"  <flags id=\"cpsr_flags\" size=\"4\">\n"
	FIELD("SP", 0, 0, "bool") FIELD("EL", 2, 3, "uint32") FIELD("nRW", 4, 4, "bool")
	FIELD("F", 6, 6, "bool") FIELD("I", 7, 7, "bool") FIELD("A", 8, 8, "bool")
	FIELD("D", 9, 9, "bool") FIELD("BTYPE", 10, 11, "uint32") FIELD("SSBS", 12, 12, "bool")
	FIELD("IL", 20, 20, "bool") FIELD("SS", 21, 21, "bool") FIELD("PAN", 22, 22, "bool")
	FIELD("UAO", 23, 23, "bool") FIELD("DIT", 24, 24, "bool") FIELD("TCO", 25, 25, "bool")
	FIELD("V", 28, 28, "bool") FIELD("C", 29, 29, "bool") FIELD("Z", 30, 30, "bool")
	FIELD("N", 31, 31, "bool")
	"  </flags>\n"
	X_LIST(X_XML)
	"  <reg name=\"sp\" bitsize=\"64\" type=\"data_ptr\"/>\n"
	"  <reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\"/>\n"
	"  <reg name=\"cpsr\" bitsize=\"32\" type=\"cpsr_flags\"/>\n"
	"</feature>\n";

static const char fpu_xml[] =
	XML_HEAD("feature")
	"<feature name=\"org.gnu.gdb.aarch64.fpu\">\n"
	VEC("v2d", "ieee_double", 2) VEC("v2u", "uint64", 2) VEC("v2i", "int64", 2)
	VEC("v4f", "ieee_single", 4) VEC("v4u", "uint32", 4) VEC("v4i", "int32", 4)
	VEC("v8f", "ieee_half", 8) VEC("v8u", "uint16", 8) VEC("v8i", "int16", 8)
	VEC("v8bf16", "bfloat16", 8) VEC("v16u", "uint8", 16) VEC("v16i", "int8", 16)
	VEC("v1u", "uint128", 1) VEC("v1i", "int128", 1)
	"  <union id=\"vnd\">\n" UFIELD("f", "v2d") UFIELD("u", "v2u") UFIELD("s", "v2i")
	"  </union>\n"
	"  <union id=\"vns\">\n" UFIELD("f", "v4f") UFIELD("u", "v4u") UFIELD("s", "v4i")
	"  </union>\n"
	"  <union id=\"vnh\">\n" UFIELD("bf", "v8bf16") UFIELD("f", "v8f") UFIELD("u", "v8u")
	UFIELD("s", "v8i")
	"  </union>\n"
	"  <union id=\"vnb\">\n" UFIELD("u", "v16u") UFIELD("s", "v16i")
	"  </union>\n"
	"  <union id=\"vnq\">\n" UFIELD("u", "v1u") UFIELD("s", "v1i")
	"  </union>\n"
	"  <union id=\"aarch64v\">\n" UFIELD("d", "vnd") UFIELD("s", "vns") UFIELD("h", "vnh")
	UFIELD("b", "vnb") UFIELD("q", "vnq")
	"  </union>\n"
	V_LIST(V_XML)
	"  <reg name=\"fpsr\" bitsize=\"32\"/>\n"
	"  <reg name=\"fpcr\" bitsize=\"32\"/>\n"
	"</feature>\n";

/* The first register carries its number explicitly; the rest follow it (gdb numbers registers
 * in document order, one more than the previous). */
static const char sysregs_xml[] =
	XML_HEAD("feature")
	"<feature name=\"org.minivmm.aarch64.sysregs\">\n"
	"  <reg name=\"SP_EL0\" bitsize=\"64\" type=\"int\" group=\"system\" regnum=\"68\"/>\n"
	SYS_LIST_REST(SYS_XML)
	"</feature>\n";

#define PMU_XML(name, ro, op0, op1, crn, crm, op2) \
	"  <reg name=\"" name "\" bitsize=\"64\" type=\"uint64\" group=\"system\"/>\n"
#define PMEVCNTR_XML(n) \
	"  <reg name=\"PMEVCNTR" #n "_EL0\" bitsize=\"64\" type=\"uint64\" group=\"system\"/>\n"
#define PMEVTYPER_XML(n) \
	"  <reg name=\"PMEVTYPER" #n "_EL0\" bitsize=\"64\" type=\"uint64\" group=\"system\"/>\n"

/* Numbered from ARM64_GDB_PMU0 in every map, whatever comes before. */
static const char pmu_xml[] =
	XML_HEAD("feature")
	"<feature name=\"org.minivmm.aarch64.pmu\">\n"
	"  <reg name=\"PMCR_EL0\" bitsize=\"64\" type=\"uint64\" group=\"system\" regnum=\""
	STR(ARM64_GDB_PMU0) "\"/>\n"
	PMU_LIST_REST(PMU_XML)
	X_LIST(PMEVCNTR_XML)
	X_LIST(PMEVTYPER_XML)
	"</feature>\n";

#define NAME_Z(n) "z" #n,
#define NAME_P(n) "p" #n,
static const char *const z_names[] = { V_LIST(NAME_Z) };
static const char *const p_names[] = { P_LIST(NAME_P) };
static const char *const pauth_names[] = { "pauth_dmask", "pauth_cmask", "pauth_dmask_high",
					   "pauth_cmask_high" };

/* SVE's vector types as gdb builds them for a vector length (create_feature_aarch64_sve):
 * per element size a vector of each kind, a union of them, and one union of those. */
static const struct {
	const char *id, *type;
	unsigned int bits;
} sve_vectors[] = {
	{ "svevqu", "uint128", 128 },   { "svevqs", "int128", 128 },  { "svevdf", "ieee_double", 64 },
	{ "svevdu", "uint64", 64 },     { "svevds", "int64", 64 },    { "svevsf", "ieee_single", 32 },
	{ "svevsu", "uint32", 32 },     { "svevss", "int32", 32 },    { "svevhf", "ieee_half", 16 },
	{ "svevhu", "uint16", 16 },     { "svevhs", "int16", 16 },    { "svevbu", "uint8", 8 },
	{ "svevbs", "int8", 8 },
};
static const char sve_unions[] =
	"  <union id=\"svevnq\">\n" UFIELD("u", "svevqu") UFIELD("s", "svevqs") "  </union>\n"
	"  <union id=\"svevnd\">\n" UFIELD("f", "svevdf") UFIELD("u", "svevdu") UFIELD("s", "svevds")
	"  </union>\n"
	"  <union id=\"svevns\">\n" UFIELD("f", "svevsf") UFIELD("u", "svevsu") UFIELD("s", "svevss")
	"  </union>\n"
	"  <union id=\"svevnh\">\n" UFIELD("f", "svevhf") UFIELD("u", "svevhu") UFIELD("s", "svevhs")
	"  </union>\n"
	"  <union id=\"svevnb\">\n" UFIELD("u", "svevbu") UFIELD("s", "svevbs") "  </union>\n"
	"  <union id=\"svev\">\n" UFIELD("q", "svevnq") UFIELD("d", "svevnd") UFIELD("s", "svevns")
	UFIELD("h", "svevnh") UFIELD("b", "svevnb") "  </union>\n";
/* clang-format on */

/* ---------------------------------------------------------------- the maps */

struct doc {
	const char *annex, *text;
	size_t len;
};

#define MAX_DOCS 6

struct arm64_gdb_map {
	struct arm64_gdb_features f;
	unsigned int nregs, g_nregs;
	const struct arm64_gdb_reg *regs;
	struct doc docs[MAX_DOCS];
	unsigned int nr_docs;
};

static const struct arm64_gdb_map base = {
	.nregs = sizeof(regs) / sizeof(regs[0]),
	.g_nregs = ARM64_GDB_G_NREGS,
	.regs = regs,
	.docs = {
		{ "target.xml", target_xml, sizeof(target_xml) - 1 },
		{ "aarch64-core.xml", core_xml, sizeof(core_xml) - 1 },
		{ "aarch64-fpu.xml", fpu_xml, sizeof(fpu_xml) - 1 },
		{ "minivmm-sysregs.xml", sysregs_xml, sizeof(sysregs_xml) - 1 },
	},
	.nr_docs = 4,
};

/* A map made for features: the map, the registers and the documents it made. */
struct built {
	struct arm64_gdb_map map; /* first: arm64_gdb_map_free() finds the rest from it */
	struct arm64_gdb_reg regs[ARM64_GDB_MAX_REGS];
	char target[512], pauth[512], sve[8192];
};

/* Text appended to a fixed buffer; ok stays false once it ran out. */
struct text {
	char *buf;
	size_t cap, len;
	bool ok;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!t->ok)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->cap - t->len)
		t->ok = false;
	else
		t->len += (size_t)n;
}

static void add_doc(struct arm64_gdb_map *m, const char *annex, const struct text *t)
{
	m->docs[m->nr_docs++] = (struct doc){ annex, t->buf, t->len };
}

/* org.gnu.gdb.aarch64.sve at vq quadwords, numbered as sve_regs() numbers it. */
static bool sve_xml(struct built *b, unsigned int vq)
{
	struct text t = { b->sve, sizeof(b->sve), 0, true };
	unsigned int i;

	put(&t, "%s<feature name=\"org.gnu.gdb.aarch64.sve\">\n", XML_HEAD("feature"));
	for (i = 0; i < sizeof(sve_vectors) / sizeof(sve_vectors[0]); i++)
		put(&t, "  <vector id=\"%s\" type=\"%s\" count=\"%u\"/>\n", sve_vectors[i].id,
		    sve_vectors[i].type, vq * 128 / sve_vectors[i].bits);
	put(&t, "%s  <vector id=\"svep\" type=\"uint8\" count=\"%u\"/>\n", sve_unions, vq * 2);
	for (i = 0; i < 32; i++)
		put(&t, "  <reg name=\"%s\" bitsize=\"%u\" type=\"svev\"/>\n", z_names[i],
		    vq * 128);
	put(&t, "  <reg name=\"fpsr\" bitsize=\"32\"/>\n  <reg name=\"fpcr\" bitsize=\"32\"/>\n");
	for (i = 0; i < 16; i++)
		put(&t, "  <reg name=\"%s\" bitsize=\"%u\" type=\"svep\"%s/>\n", p_names[i],
		    vq * 16, i ? "" : " regnum=\"" STR(ARM64_GDB_P0) "\"");
	put(&t, "  <reg name=\"ffr\" bitsize=\"%u\" type=\"svep\"/>\n", vq * 16);
	put(&t, "  <reg name=\"vg\" bitsize=\"64\" type=\"int\"/>\n</feature>\n");
	add_doc(&b->map, "aarch64-sve.xml", &t);
	return t.ok;
}

/* The PAC masks, their first register numbered first, as org.gnu.gdb.aarch64.pauth_v2 with
 * the high half's masks, as QEMU gives them (target/arm/gdbstub64.c). Not .pauth: gdb 13
 * takes pauth_cmask from .pauth and strips every return address that the CFI says is signed
 * with `addr & ~pauth_cmask` (aarch64_frame_unmask_lr), which cannot give back a kernel
 * address's ones: with the low half's mask a kernel backtrace breaks at its first frame, signed
 * or not (measured with gdb-multiarch 13.1 on Debian's vmlinux: #1 0xff808000083ac08c [PAC]
 * in ?? () for an unsigned 0xffff8000083ac08c). gdb 13 leaves .pauth_v2 alone (its registers
 * are shown, not used); gdb 9 to 12 crash on .pauth next to other registers (QEMU's reason
 * for _v2); later gdbs take either name and strip both halves right (sign-extending kernel
 * addresses with pauth_cmask_high). */
static bool pauth_xml(struct built *b, unsigned int first)
{
	struct text t = { b->pauth, sizeof(b->pauth), 0, true };
	unsigned int i;

	put(&t, "%s<feature name=\"org.gnu.gdb.aarch64.pauth_v2\">\n", XML_HEAD("feature"));
	put(&t, "  <reg name=\"%s\" bitsize=\"64\" type=\"int\" regnum=\"%u\"/>\n", pauth_names[0],
	    first);
	for (i = 1; i < 4; i++)
		put(&t, "  <reg name=\"%s\" bitsize=\"64\" type=\"int\"/>\n", pauth_names[i]);
	put(&t, "</feature>\n");
	add_doc(&b->map, "aarch64-pauth.xml", &t);
	return t.ok;
}

static bool target_doc(struct built *b)
{
	struct text t = { b->target, sizeof(b->target), 0, true };
	const struct arm64_gdb_features *f = &b->map.f;

	put(&t,
	    "%s<target version=\"1.0\" xmlns:xi=\"http://www.w3.org/2001/XInclude\">\n"
	    "  <architecture>aarch64</architecture>\n"
	    "  <xi:include href=\"aarch64-core.xml\"/>\n"
	    "  <xi:include href=\"%s\"/>\n",
	    XML_HEAD("target"), f->sve_vq ? "aarch64-sve.xml" : "aarch64-fpu.xml");
	if (f->pauth)
		put(&t, "  <xi:include href=\"aarch64-pauth.xml\"/>\n");
	put(&t, "  <xi:include href=\"minivmm-sysregs.xml\"/>\n");
	if (f->pmu)
		put(&t, "  <xi:include href=\"minivmm-pmu.xml\"/>\n");
	put(&t, "</target>\n");
	add_doc(&b->map, "target.xml", &t);
	return t.ok;
}

static void add_reg(struct built *b, const char *name, unsigned int bits, enum arm64_gdb_reg_kind k,
		    unsigned int index, const char *group)
{
	b->regs[b->map.nregs++] = (struct arm64_gdb_reg){ .name = name,
							  .bitsize = (uint16_t)bits,
							  .kind = (uint8_t)k,
							  .index = (uint8_t)index,
							  .readonly = k == ARM64_GREG_PAUTH,
							  .group = group };
}

/* The base map's registers with z0-z31 in v0-v31's places, then p0-p15, ffr and vg after the
 * system registers (ARM64_GDB_P0); the PAC masks after those. */
static void build_regs(struct built *b)
{
	const struct arm64_gdb_features *f = &b->map.f;
	unsigned int i;

	memcpy(b->regs, regs, sizeof(regs));
	b->map.nregs = base.nregs;
	for (i = 0; f->sve_vq && i < 32; i++)
		b->regs[ARM64_GDB_V0 + i] = (struct arm64_gdb_reg){ .name = z_names[i],
								    .bitsize = f->sve_vq * 128,
								    .kind = ARM64_GREG_Z,
								    .index = (uint8_t)i,
								    .group = "vector" };
	for (i = 0; f->sve_vq && i < 16; i++)
		add_reg(b, p_names[i], f->sve_vq * 16, ARM64_GREG_P, i, "vector");
	if (f->sve_vq) {
		add_reg(b, "ffr", f->sve_vq * 16, ARM64_GREG_FFR, 0, "vector");
		add_reg(b, "vg", 64, ARM64_GREG_VG, 0, "vector");
	}
	for (i = 0; f->pauth && i < 4; i++)
		add_reg(b, pauth_names[i], 64, ARM64_GREG_PAUTH, i, "general");
	if (f->pmu) {
		static_assert(sizeof(pmu_regs) / sizeof(pmu_regs[0]) == ARM64_GDB_NR_PMU,
			      "pmu_regs[] is ARM64_GDB_NR_PMU long");
		memcpy(b->regs + ARM64_GDB_PMU0, pmu_regs, sizeof(pmu_regs));
		b->map.nregs = ARM64_GDB_PMU0 + ARM64_GDB_NR_PMU;
	}
}

struct arm64_gdb_map *arm64_gdb_map_new(const struct arm64_gdb_features *f)
{
	struct built *b;
	bool ok;

	if (f->sve_vq > ARM64_SVE_VQ_MAX) {
		errno = EINVAL;
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->map.f = *f;
	b->map.regs = b->regs;
	b->map.g_nregs = f->sve_vq ? ARM64_GDB_G_NREGS_SVE : ARM64_GDB_G_NREGS;
	build_regs(b);
	ok = target_doc(b);
	b->map.docs[b->map.nr_docs++] = base.docs[1]; /* aarch64-core.xml */
	if (f->sve_vq)
		ok &= sve_xml(b, f->sve_vq);
	else
		b->map.docs[b->map.nr_docs++] = base.docs[2]; /* aarch64-fpu.xml */
	if (f->pauth)
		ok &= pauth_xml(b, f->sve_vq ? ARM64_GDB_VG + 1 : ARM64_GDB_P0);
	b->map.docs[b->map.nr_docs++] = base.docs[3]; /* minivmm-sysregs.xml */
	if (f->pmu)
		b->map.docs[b->map.nr_docs++] =
			(struct doc){ "minivmm-pmu.xml", pmu_xml, sizeof(pmu_xml) - 1 };
	assert(ok); /* the buffers hold the largest documents (vq 16): our bug if not */
	return &b->map;
}

void arm64_gdb_map_free(struct arm64_gdb_map *m)
{
	if (m && m != &base)
		free((struct built *)m);
}

const struct arm64_gdb_map *arm64_gdb_map_base(void)
{
	return &base;
}

const struct arm64_gdb_features *arm64_gdb_map_features(const struct arm64_gdb_map *m)
{
	return &m->f;
}

unsigned int arm64_gdb_map_nregs(const struct arm64_gdb_map *m)
{
	return m->nregs;
}

unsigned int arm64_gdb_map_g_nregs(const struct arm64_gdb_map *m)
{
	return m->g_nregs;
}

const struct arm64_gdb_reg *arm64_gdb_map_reg(const struct arm64_gdb_map *m, unsigned int regno)
{
	return regno < m->nregs && m->regs[regno].name ? &m->regs[regno] : NULL;
}

int arm64_gdb_map_reg_by_name(const struct arm64_gdb_map *m, const char *name)
{
	for (unsigned int i = 0; i < m->nregs; i++)
		if (m->regs[i].name && !strcmp(m->regs[i].name, name))
			return (int)i;
	return -ENOENT;
}

int arm64_gdb_map_g_offset(const struct arm64_gdb_map *m, unsigned int regno)
{
	int off = 0;

	if (regno >= m->g_nregs)
		return -ENOENT;
	for (unsigned int i = 0; i < regno; i++)
		off += m->regs[i].bitsize / 8;
	return off;
}

struct arm64_sysreg_enc arm64_gdb_kvm_sysreg(const struct arm64_gdb_reg *r)
{
	return arm64_sysreg_kvm_enc(r->enc);
}

int arm64_gdb_map_reg_id(const struct arm64_gdb_map *m, unsigned int regno, uint64_t pstate,
			 uint32_t *id)
{
	static const uint32_t core[] = {
		[ARM64_CORE_SP_EL0] = ARM64_R_SP_EL0,
		[ARM64_CORE_SP_EL1] = ARM64_R_SP_EL1,
		[ARM64_CORE_ELR_EL1] = ARM64_R_ELR_EL1,
		[ARM64_CORE_SPSR_EL1] = ARM64_R_SPSR_EL1,
	};
	const struct arm64_gdb_reg *r = arm64_gdb_map_reg(m, regno);

	if (!r)
		return -ENOENT;
	switch (r->kind) {
	case ARM64_GREG_X:
		*id = ARM64_R_X(r->index);
		return 0;
	case ARM64_GREG_SP:
		*id = arm64_current_sp_is_el1(pstate) ? ARM64_R_SP_EL1 : ARM64_R_SP_EL0;
		return 0;
	case ARM64_GREG_PC:
		*id = ARM64_R_PC;
		return 0;
	case ARM64_GREG_CPSR:
		*id = ARM64_R_PSTATE;
		return 0;
	case ARM64_GREG_V:
		*id = ARM64_R_V(r->index);
		return 0;
	case ARM64_GREG_FPSR:
		*id = ARM64_R_FPSR;
		return 0;
	case ARM64_GREG_FPCR:
		*id = ARM64_R_FPCR;
		return 0;
	case ARM64_GREG_CORE:
		*id = core[r->index];
		return 0;
	case ARM64_GREG_Z:
		*id = ARM64_R_Z(r->index);
		return 0;
	case ARM64_GREG_P:
		*id = ARM64_R_P(r->index);
		return 0;
	case ARM64_GREG_FFR:
		*id = ARM64_R_FFR;
		return 0;
	case ARM64_GREG_VG:
	case ARM64_GREG_PAUTH:
		return -ENOENT;
	default:
		*id = ARM64_R_SYS(r->enc.op0, r->enc.op1, r->enc.crn, r->enc.crm, r->enc.op2);
		return 0;
	}
}

bool arm64_gdb_pmu_reg_exists(const struct arm64_gdb_reg *r, uint64_t pmcr)
{
	return r->kind != ARM64_GREG_PMU || r->index == ARM64_PMU_ANY ||
	       r->index < ((pmcr & ARM64_PMCR_N_MASK) >> ARM64_PMCR_N_SHIFT);
}

uint64_t arm64_gdb_kept_bits(const struct arm64_gdb_reg *r)
{
	static const struct arm64_sysreg_enc pmcr = { 3, 3, 9, 12, 0 };

	return r->kind == ARM64_GREG_PMU && arm64_sysreg_key(r->enc) == arm64_sysreg_key(pmcr)
		       ? ARM64_PMCR_N_MASK
		       : 0;
}

bool arm64_current_sp_is_el1(uint64_t pstate)
{
	return (pstate & ARM64_PSTATE_M_MASK) == ARM64_PSTATE_EL1h;
}

const char *arm64_gdb_map_xml(const struct arm64_gdb_map *m, const char *annex, size_t *len)
{
	for (unsigned int i = 0; i < m->nr_docs; i++) {
		if (!strcmp(annex, m->docs[i].annex)) {
			if (len)
				*len = m->docs[i].len;
			return m->docs[i].text;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------ the base map */

unsigned int arm64_gdb_nregs(void)
{
	return base.nregs;
}

const struct arm64_gdb_reg *arm64_gdb_reg(unsigned int regno)
{
	return arm64_gdb_map_reg(&base, regno);
}

int arm64_gdb_reg_by_name(const char *name)
{
	return arm64_gdb_map_reg_by_name(&base, name);
}

int arm64_gdb_g_offset(unsigned int regno)
{
	return arm64_gdb_map_g_offset(&base, regno);
}

int arm64_gdb_reg_id(unsigned int regno, uint64_t pstate, uint32_t *id)
{
	return arm64_gdb_map_reg_id(&base, regno, pstate, id);
}

const char *arm64_gdb_xml(const char *annex, size_t *len)
{
	return arm64_gdb_map_xml(&base, annex, len);
}

/* -------------------------------------------------------------- PAC masks */

#define GENMASK64(hi, lo) ((~0ull >> (63 - (hi))) & ~((1ull << (lo)) - 1))

uint64_t arm64_pac_mask(uint64_t tcr, bool high, bool insn)
{
	/* TCR_EL1 (Arm ARM D17.2.131): T0SZ [5:0], T1SZ [21:16], TBI0 37, TBI1 38, TBID0 51,
	 * TBID1 52. A TxSZ outside 16..48 is taken as the nearest (a CPU without FEAT_LVA
	 * treats smaller values as 16): an MMU not set up yet still gives a sane mask. */
	unsigned int txsz = (tcr >> (high ? 16 : 0)) & 63;
	bool tbi = (tcr >> (high ? 38 : 37)) & 1;
	bool tbid = (tcr >> (high ? 52 : 51)) & 1;

	txsz = txsz < 16 ? 16 : txsz > 48 ? 48 : txsz;
	return GENMASK64(tbi && !(insn && tbid) ? 54 : 63, 64 - txsz);
}
