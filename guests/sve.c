// SPDX-License-Identifier: GPL-3.0-or-later
/* SVE under gdb (issue 15): the guest turns SVE on at EL1 at the vCPU's largest vector length,
 * puts known values in z0 (byte i = i + 1), p0 (ptrue .s: 0x11 in every byte), z1 and p1
 * (zero) and z2 (all ones), and stops in sve_stop() for gdb. gdb reads those, writes z1 (byte
 * i = 0xa0 ^ i), p1 (byte i = 0x5a ^ i) and v2's first byte (0x42: as an AdvSIMD write, the
 * rest of z2 past v2 becomes zero) and continues; the guest then stores its registers and
 * prints "sve: PASS", or "sve: FAIL" and the first wrong byte. Needs a vCPU with SVE (an
 * SVE instruction without it is undefined: the default sync handler hangs). */
#include "guest.h"

#define VL_MAX 256 /* bytes: 2048 bits */

volatile uint64_t vl; /* bytes, as RDVL gives them */
static uint8_t z0[VL_MAX], z1[VL_MAX], z2[VL_MAX], p0[VL_MAX / 8], p1[VL_MAX / 8];

/* CPACR_EL1.FPEN and .ZEN = 0b11: FP/SIMD and SVE do not trap at EL1 (Arm ARM D19.2.30);
 * ZCR_EL1.LEN = 15 asks for 2048 bits, and the vector length is the largest the vCPU has up
 * to that (KVM caps it with ZCR_EL2). ZCR_EL1 is S3_0_C1_C2_0. */
static void sve_on(void)
{
	uint64_t len = 15, bytes;

	write_sysreg(cpacr_el1, 3ull << 20 | 3ull << 16);
	__asm__ volatile("isb");
	__asm__ volatile(".arch_extension sve\n"
			 "msr S3_0_C1_C2_0, %1\n"
			 "isb\n"
			 "rdvl %0, #1"
			 : "=r"(bytes)
			 : "r"(len));
	vl = bytes;
}

static void fill(void)
{
	__asm__ volatile(".arch_extension sve\n"
			 "index z0.b, #1, #1\n"
			 "ptrue p0.s\n"
			 "dup z1.b, #0\n"
			 "pfalse p1.b\n"
			 "dup z2.b, #-1\n" ::
				 : "memory");
}

/* gdb's breakpoint: it reads and writes the registers here. */
void __attribute__((noinline)) sve_stop(void)
{
	__asm__ volatile("nop" ::: "memory");
}

static void store(void)
{
	__asm__ volatile(".arch_extension sve\n"
			 "str z0, [%0]\n"
			 "str z1, [%1]\n"
			 "str z2, [%2]\n"
			 "str p0, [%3]\n"
			 "str p1, [%4]\n" ::"r"(z0),
			 "r"(z1), "r"(z2), "r"(p0), "r"(p1)
			 : "memory");
}

/* The first byte of reg[0..n) that is not want(i), or -1. */
static int wrong(const uint8_t *reg, uint64_t n, uint8_t (*want)(uint64_t i))
{
	for (uint64_t i = 0; i < n; i++)
		if (reg[i] != want(i))
			return (int)i;
	return -1;
}

static uint8_t want_z0(uint64_t i)
{
	return (uint8_t)(i + 1);
}

static uint8_t want_z1(uint64_t i)
{
	return (uint8_t)(0xa0 ^ i);
}

static uint8_t want_z2(uint64_t i)
{
	return i == 0 ? 0x42 : i < 16 ? 0xff : 0;
}

static uint8_t want_p0(uint64_t i)
{
	return 0x11;
}

static uint8_t want_p1(uint64_t i)
{
	return (uint8_t)(0x5a ^ i);
}

static int check(const char *name, const uint8_t *reg, uint64_t n, uint8_t (*want)(uint64_t))
{
	int i = wrong(reg, n, want);

	if (i < 0)
		return 0;
	uart_puts("sve: FAIL ");
	uart_puts(name);
	uart_puts("[");
	uart_put_dec((uint64_t)i);
	uart_puts("] = ");
	uart_put_hex(reg[i]);
	uart_puts(", want ");
	uart_put_hex(want((uint64_t)i));
	uart_puts("\n");
	return 1;
}

int main(void)
{
	int bad = 0;

	sve_on();
	uart_puts("sve: vector length ");
	uart_put_dec(vl * 8);
	uart_puts(" bits\n");
	if (vl < 16 || vl > VL_MAX || vl % 16) {
		uart_puts("sve: FAIL the vector length\n");
		return 1;
	}
	fill();
	sve_stop();
	store();
	bad += check("z0", z0, vl, want_z0);
	bad += check("z1", z1, vl, want_z1);
	bad += check("z2", z2, vl, want_z2);
	bad += check("p0", p0, vl / 8, want_p0);
	bad += check("p1", p1, vl / 8, want_p1);
	uart_puts(bad ? "sve: FAIL\n" : "sve: PASS\n");
	return bad;
}
