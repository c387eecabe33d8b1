// SPDX-License-Identifier: GPL-3.0-or-later
/* The gdb register map and target description. The register table and the XML are expanded
 * from the same lists below, so a register can't be in one and missing from the other. gdb
 * requires the names of org.gnu.gdb.aarch64.core (x0-x30, sp, pc, cpsr) and
 * org.gnu.gdb.aarch64.fpu (v0-v31, fpsr, fpcr); the fpu feature's vector types mirror gdb's
 * own aarch64-fpu.xml so that `p $v0` shows the d/s/h/b/q views. */
#include <errno.h>
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

#define NO_ENC { 0, 0, 0, 0, 0 }
#define X_ROW(n) { "x" #n, 64, ARM64_GREG_X, n, false, NO_ENC, "general" },
#define V_ROW(n) { "v" #n, 128, ARM64_GREG_V, n, false, NO_ENC, "float" },
#define SYS_ROW(name, kind, index, type, ro, op0, op1, crn, crm, op2) \
	{ name, 64, kind, index, ro, { op0, op1, crn, crm, op2 }, "system" },

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
/* clang-format on */

unsigned int arm64_gdb_nregs(void)
{
	return sizeof(regs) / sizeof(regs[0]);
}

const struct arm64_gdb_reg *arm64_gdb_reg(unsigned int regno)
{
	return regno < arm64_gdb_nregs() ? &regs[regno] : NULL;
}

int arm64_gdb_reg_by_name(const char *name)
{
	for (unsigned int i = 0; i < arm64_gdb_nregs(); i++)
		if (!strcmp(regs[i].name, name))
			return (int)i;
	return -ENOENT;
}

int arm64_gdb_g_offset(unsigned int regno)
{
	int off = 0;

	if (regno >= ARM64_GDB_G_NREGS)
		return -ENOENT;
	for (unsigned int i = 0; i < regno; i++)
		off += regs[i].bitsize / 8;
	return off;
}

struct arm64_sysreg_enc arm64_gdb_kvm_sysreg(const struct arm64_gdb_reg *r)
{
	return arm64_sysreg_kvm_enc(r->enc);
}

int arm64_gdb_reg_id(unsigned int regno, uint64_t pstate, uint32_t *id)
{
	static const uint32_t core[] = {
		[ARM64_CORE_SP_EL0] = ARM64_R_SP_EL0,
		[ARM64_CORE_SP_EL1] = ARM64_R_SP_EL1,
		[ARM64_CORE_ELR_EL1] = ARM64_R_ELR_EL1,
		[ARM64_CORE_SPSR_EL1] = ARM64_R_SPSR_EL1,
	};
	const struct arm64_gdb_reg *r = arm64_gdb_reg(regno);

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
	default:
		*id = ARM64_R_SYS(r->enc.op0, r->enc.op1, r->enc.crn, r->enc.crm, r->enc.op2);
		return 0;
	}
}

bool arm64_current_sp_is_el1(uint64_t pstate)
{
	return (pstate & ARM64_PSTATE_M_MASK) == ARM64_PSTATE_EL1h;
}

const char *arm64_gdb_xml(const char *annex, size_t *len)
{
	static const struct {
		const char *annex, *text;
		size_t len;
	} docs[] = {
		{ "target.xml", target_xml, sizeof(target_xml) - 1 },
		{ "aarch64-core.xml", core_xml, sizeof(core_xml) - 1 },
		{ "aarch64-fpu.xml", fpu_xml, sizeof(fpu_xml) - 1 },
		{ "minivmm-sysregs.xml", sysregs_xml, sizeof(sysregs_xml) - 1 },
	};

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		if (!strcmp(annex, docs[i].annex)) {
			if (len)
				*len = docs[i].len;
			return docs[i].text;
		}
	}
	return NULL;
}
