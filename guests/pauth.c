// SPDX-License-Identifier: GPL-3.0-or-later
/* Pointer authentication under gdb's stepi (issue 15): the guest sets an APIA key, turns
 * address authentication on at EL1 (SCTLR_EL1.EnIA) and checks that PACIA really signs, then
 * calls pac_paciasp() (paciasp, stp x29/x30, ..., ldp, autiasp, ret) and pac_retaa()
 * (paciasp, stp, ..., ldp, retaa) once each, written out in assembly so that they are those
 * instructions exactly; gdb breaks at each and steps every instruction. It prints
 * "pauth: PASS" if both returned their results and the signing check held, else "pauth: FAIL"
 * and why. Needs a vCPU with pointer authentication (--cpu pauth=on): without it the keys'
 * MSRs are undefined (the default sync handler hangs). */
#include "guest.h"

uint64_t pac_paciasp(uint64_t x);
uint64_t pac_retaa(uint64_t x);

/* Each returns x + 1 and x + 2. The frame record is stored signed, as GCC's
 * -mbranch-protection=pac-ret would do; .arch_extension pauth lets the assembler take
 * retaa (paciasp and autiasp are HINT #25 and #29, no-ops without FEAT_PAuth). */
__asm__(".text\n"
	".arch_extension pauth\n"
	".global pac_paciasp\n"
	".type pac_paciasp, %function\n"
	".balign 4\n"
	"pac_paciasp:\n"
	"	paciasp\n"
	"	stp x29, x30, [sp, #-16]!\n"
	"	mov x29, sp\n"
	"	add x0, x0, #1\n"
	"	ldp x29, x30, [sp], #16\n"
	"	autiasp\n"
	"	ret\n"
	".size pac_paciasp, . - pac_paciasp\n"
	".global pac_retaa\n"
	".type pac_retaa, %function\n"
	".balign 4\n"
	"pac_retaa:\n"
	"	paciasp\n"
	"	stp x29, x30, [sp, #-16]!\n"
	"	add x0, x0, #2\n"
	"	ldp x29, x30, [sp], #16\n"
	"	retaa\n"
	".size pac_retaa, . - pac_retaa\n");

/* APIAKeyLo_EL1 is S3_0_C2_C1_0, APIAKeyHi_EL1 S3_0_C2_C1_1 (Arm ARM D19.2). SCTLR_EL1.EnIA
 * is bit 31: PACIA*, AUTIA* and RETAA use the key. TCR_EL1 gets T0SZ = T1SZ = 16 (48-bit
 * halves) so that the PAC's bits are defined with the MMU off too (a TxSZ of 0 is
 * CONSTRAINED UNPREDICTABLE there): bits 63..48 but 55 for an address of the low half. */
static void pauth_on(void)
{
	write_sysreg(tcr_el1, 16ull | 16ull << 16);
	write_sysreg(S3_0_C2_C1_0, 0x0123456789abcdefull);
	write_sysreg(S3_0_C2_C1_1, 0xfedcba9876543210ull);
	__asm__ volatile("isb");
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | 1ull << 31);
	__asm__ volatile("isb");
}

/* PACIA signs (the pointer changes), XPACI strips it back, AUTIA authenticates it back: the
 * key and EnIA are in effect, not no-ops. */
static int signs(void)
{
	uint64_t ptr = 0x40001230, signed_ptr = ptr, stripped, authed, mod = 0x5a5a;

	__asm__ volatile(".arch_extension pauth\n"
			 "pacia %0, %1"
			 : "+r"(signed_ptr)
			 : "r"(mod));
	stripped = signed_ptr;
	__asm__ volatile(".arch_extension pauth\n"
			 "xpaci %0"
			 : "+r"(stripped));
	authed = signed_ptr;
	__asm__ volatile(".arch_extension pauth\n"
			 "autia %0, %1"
			 : "+r"(authed)
			 : "r"(mod));
	return signed_ptr != ptr && stripped == ptr && authed == ptr;
}

int main(void)
{
	uint64_t a, b;
	int ok;

	pauth_on();
	ok = signs();
	if (!ok)
		uart_puts("pauth: FAIL pacia did not sign\n");
	a = pac_paciasp(40);
	b = pac_retaa(40);
	uart_puts("pauth: paciasp/autiasp/ret gave ");
	uart_put_dec(a);
	uart_puts(", retaa gave ");
	uart_put_dec(b);
	uart_puts("\n");
	ok &= a == 41 && b == 42;
	uart_puts(ok ? "pauth: PASS\n" : "pauth: FAIL\n");
	return !ok;
}
