// SPDX-License-Identifier: GPL-3.0-or-later
/* A64 decoding for stepping decisions. Only the encoding groups that matter are decoded
 * (branches, exception generation, system, load/store exclusive); everything else is
 * SEQUENTIAL. Masks are from the Arm ARM "A64 instruction set encoding" tables and were checked
 * against binutils output (src/arm64/insn_test.c). */
#include <string.h>
#include "src/arm64/insn.h"

#define RN(i) (((i) >> 5) & 0x1f)
#define RT(i) ((i)&0x1f)

static int64_t sext(uint64_t v, unsigned int bits)
{
	uint64_t m = 1ull << (bits - 1);

	return (int64_t)((v ^ m) - m);
}

static void set(struct arm64_insn *o, enum arm64_insn_class cls, const char *name,
		unsigned int flags)
{
	o->cls = cls;
	o->name = name;
	o->flags = flags;
}

/* B, BL, B.cond, BC.cond, CBZ/CBNZ, TBZ/TBNZ. */
static bool decode_direct(uint32_t i, uint64_t pc, struct arm64_insn *o)
{
	if ((i & 0x7c000000) == 0x14000000) { /* B / BL: imm26 */
		bool link = i >> 31;

		set(o, ARM64_INSN_BRANCH_DIRECT, link ? "bl" : "b", link ? ARM64_INSN_F_LINK : 0);
		o->target = pc + (uint64_t)(sext(i & 0x3ffffff, 26) * 4);
		return true;
	}
	if ((i & 0xff000000) == 0x54000000) { /* B.cond (o0=0) / BC.cond (o0=1): imm19 */
		set(o, ARM64_INSN_BRANCH_DIRECT, (i & 0x10) ? "bc.cond" : "b.cond",
		    ARM64_INSN_F_COND);
		o->imm = i & 0xf;
		o->target = pc + (uint64_t)(sext((i >> 5) & 0x7ffff, 19) * 4);
		return true;
	}
	if ((i & 0x7e000000) == 0x34000000) { /* CBZ / CBNZ: imm19 */
		set(o, ARM64_INSN_BRANCH_DIRECT, (i & (1u << 24)) ? "cbnz" : "cbz",
		    ARM64_INSN_F_COND);
		o->reg = RT(i);
		o->target = pc + (uint64_t)(sext((i >> 5) & 0x7ffff, 19) * 4);
		return true;
	}
	if ((i & 0x7e000000) == 0x36000000) { /* TBZ / TBNZ: b5:b40, imm14 */
		set(o, ARM64_INSN_BRANCH_DIRECT, (i & (1u << 24)) ? "tbnz" : "tbz",
		    ARM64_INSN_F_COND);
		o->reg = RT(i);
		o->imm = ((i >> 26) & 0x20) | ((i >> 19) & 0x1f);
		o->target = pc + (uint64_t)(sext((i >> 5) & 0x3fff, 14) * 4);
		return true;
	}
	return false;
}

/* Unconditional branch (register): 1101011 opc[24:21] op2[20:16]=11111 op3[15:10] Rn op4.
 * op3 is 000000 (plain) or 00001M (pointer-authenticated with key A/B). */
static void decode_branch_reg(uint32_t i, struct arm64_insn *o)
{
	unsigned int opc = (i >> 21) & 0xf, op3 = (i >> 10) & 0x3f, rn = RN(i), op4 = RT(i);
	bool pac = (op3 & 0x3e) == 0x02, plain = op3 == 0 && op4 == 0;
	unsigned int f = pac ? ARM64_INSN_F_PAC : 0;

	o->reg = rn;
	if (((i >> 16) & 0x1f) != 0x1f || !(plain || pac))
		goto undef;
	switch (opc) {
	case 0x0: /* BR, BRAAZ, BRABZ (op4 = 11111 when authenticated) */
	case 0x1: /* BLR, BLRAAZ, BLRABZ */
		if (pac && op4 != 0x1f)
			goto undef;
		set(o, ARM64_INSN_BRANCH_INDIRECT, opc ? "blr" : "br",
		    f | (opc ? ARM64_INSN_F_LINK : 0));
		return;
	case 0x2: /* RET, RETAA, RETAB (authenticated forms: Rn = op4 = 11111, uses X30) */
		if (pac && (rn != 0x1f || op4 != 0x1f))
			goto undef;
		set(o, ARM64_INSN_BRANCH_INDIRECT, "ret", f | ARM64_INSN_F_RET);
		o->reg = pac ? 30 : rn;
		return;
	case 0x4: /* ERET, ERETAA, ERETAB */
		if (rn != 0x1f || (pac && op4 != 0x1f))
			goto undef;
		set(o, ARM64_INSN_ERET, "eret", f);
		return;
	case 0x5: /* DRPS: UNDEFINED outside Debug state */
		set(o, ARM64_INSN_EXCEPTION_GEN, "drps", 0);
		return;
	case 0x8: /* BRAA, BRAB: op4 = Rm (modifier) */
	case 0x9: /* BLRAA, BLRAB */
		if (!pac)
			goto undef;
		set(o, ARM64_INSN_BRANCH_INDIRECT, opc & 1 ? "blr" : "br",
		    ARM64_INSN_F_PAC | (opc & 1 ? ARM64_INSN_F_LINK : 0));
		return;
	}
undef:
	set(o, ARM64_INSN_EXCEPTION_GEN, "undef", 0);
}

/* Exception generation: 11010100 opc[23:21] imm16 op2[4:2]=000 LL[1:0]. */
static void decode_exception(uint32_t i, struct arm64_insn *o)
{
	static const char *const names[8][4] = {
		[0] = { NULL, "svc", "hvc", "smc" },
		[1] = { "brk" },
		[2] = { "hlt" },
		[3] = { "tcancel" }, /* FEAT_TME: leaves the transaction, not PC + 4 */
		[5] = { NULL, "dcps1", "dcps2", "dcps3" },
	};
	const char *name = (i & 0x1c) ? NULL : names[(i >> 21) & 7][i & 3];

	set(o, ARM64_INSN_EXCEPTION_GEN, name ? name : "undef", 0);
	o->imm = (i >> 5) & 0xffff;
}

/* System: MRS/MSR, MSR (immediate), SYS/SYSL, and the WFx hints. */
static bool decode_system(uint32_t i, struct arm64_insn *o)
{
	if ((i & 0xffffffdf) == 0xd503205f) { /* HINT #2 WFE, #3 WFI */
		set(o, ARM64_INSN_WAIT, (i & 0x20) ? "wfi" : "wfe", 0);
		return true;
	}
	if ((i & 0xffffffc0) == 0xd5031000) { /* WFET, WFIT (FEAT_WFxT): Rd = timeout */
		set(o, ARM64_INSN_WAIT, (i & 0x20) ? "wfit" : "wfet", 0);
		o->reg = RT(i);
		return true;
	}
	if ((i & 0xffd00000) == 0xd5100000) { /* MSR/MRS (register): op0 = 0b1x, L = bit 21 */
		bool read = i & (1u << 21);

		set(o, ARM64_INSN_SYSREG, read ? "mrs" : "msr",
		    read ? ARM64_INSN_F_LOAD : ARM64_INSN_F_STORE);
		o->reg = RT(i);
		o->sysreg = (struct arm64_sysreg_enc){ (uint8_t)(2 + ((i >> 19) & 1)),
						       (uint8_t)((i >> 16) & 7),
						       (uint8_t)((i >> 12) & 0xf),
						       (uint8_t)((i >> 8) & 0xf),
						       (uint8_t)((i >> 5) & 7) };
		return true;
	}
	if ((i & 0xfff8f01f) == 0xd500401f) { /* MSR (immediate): PSTATE fields */
		set(o, ARM64_INSN_SYSREG, "msr", ARM64_INSN_F_STORE);
		return true;
	}
	if ((i & 0xffd80000) == 0xd5080000) { /* SYS / SYSL: op0 = 0b01 */
		bool sysl = i & (1u << 21);

		set(o, ARM64_INSN_SYSREG, sysl ? "sysl" : "sys",
		    sysl ? ARM64_INSN_F_LOAD : ARM64_INSN_F_STORE);
		o->reg = RT(i);
		return true;
	}
	return false;
}

/* Load/store exclusive: size 001000 o2=0 L o1 Rs o0 Rt2 Rn Rt. With o1=1 and bit 31 clear it
 * is CASP, not an exclusive; o2=1 is LDAR/STLR/CAS. */
static bool decode_exclusive(uint32_t i, struct arm64_insn *o)
{
	static const char *const names[2][2][2] = {
		/* [L][pair][o0 acquire/release] */
		{ { "stxr", "stlxr" }, { "stxp", "stlxp" } },
		{ { "ldxr", "ldaxr" }, { "ldxp", "ldaxp" } },
	};
	bool load = i & (1u << 22), pair = i & (1u << 21), o0 = i & (1u << 15);

	if ((i & 0x3f800000) != 0x08000000 || (pair && !(i >> 31)))
		return false;
	set(o, ARM64_INSN_EXCLUSIVE, names[load][pair][o0],
	    load ? ARM64_INSN_F_LOAD : ARM64_INSN_F_STORE);
	o->reg = RT(i);
	return true;
}

void arm64_insn_decode(uint32_t i, uint64_t pc, struct arm64_insn *o)
{
	memset(o, 0, sizeof(*o));
	set(o, ARM64_INSN_SEQUENTIAL, "other", 0);
	if (decode_direct(i, pc, o))
		return;
	if ((i & 0xfe000000) == 0xd6000000) {
		decode_branch_reg(i, o);
	} else if ((i & 0xff000000) == 0xd4000000) {
		decode_exception(i, o);
	} else if ((i & 0xffff0000) == 0x00000000) { /* UDF #imm16 (permanently undefined) */
		set(o, ARM64_INSN_EXCEPTION_GEN, "udf", 0);
		o->imm = i & 0xffff;
	} else if ((i & 0xffc00000) == 0xd5000000) {
		decode_system(i, o);
	} else {
		decode_exclusive(i, o);
	}
}

bool arm64_insn_is_branch(uint32_t insn)
{
	struct arm64_insn o;

	arm64_insn_decode(insn, 0, &o);
	return o.cls == ARM64_INSN_BRANCH_DIRECT || o.cls == ARM64_INSN_BRANCH_INDIRECT ||
	       o.cls == ARM64_INSN_EXCEPTION_GEN || o.cls == ARM64_INSN_ERET;
}

size_t arm64_insn_next_branch(const uint32_t *insns, size_t n)
{
	size_t i = 0;

	while (i < n && !arm64_insn_is_branch(insns[i]))
		i++;
	return i;
}

const char *arm64_insn_class_name(enum arm64_insn_class cls)
{
	static const char *const names[] = {
		[ARM64_INSN_SEQUENTIAL] = "sequential",
		[ARM64_INSN_BRANCH_DIRECT] = "direct branch",
		[ARM64_INSN_BRANCH_INDIRECT] = "indirect branch",
		[ARM64_INSN_EXCEPTION_GEN] = "exception generation",
		[ARM64_INSN_ERET] = "exception return",
		[ARM64_INSN_WAIT] = "wait",
		[ARM64_INSN_EXCLUSIVE] = "exclusive",
		[ARM64_INSN_SYSREG] = "system register",
	};
	return (unsigned int)cls < sizeof(names) / sizeof(names[0]) ? names[cls] : "?";
}

bool arm64_insn_writes_sp(uint32_t insn)
{
	bool rd_sp = (insn & 0x1f) == 0x1f, rn_sp = ((insn >> 5) & 0x1f) == 0x1f;

	/* ADD/SUB (immediate) and (extended register) without S: Rd 31 is SP. */
	if (((insn & 0x1f800000) == 0x11000000 || (insn & 0x1fe00000) == 0x0b200000) &&
	    !(insn & (1u << 29)))
		return rd_sp;
	/* AND/ORR/EOR (immediate), not ANDS: Rd 31 is SP. */
	if ((insn & 0x1f800000) == 0x12000000 && ((insn >> 29) & 3) != 3)
		return rd_sp;
	/* Loads/stores, single register, pre- or post-indexed: writeback to Rn. */
	if ((insn & 0x3b200400) == 0x38000400)
		return rn_sp;
	/* Load/store pair, pre- or post-indexed. */
	if ((insn & 0x3a800000) == 0x28800000)
		return rn_sp;
	return false;
}
