/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An EL1 vector table for test guests (Arm ARM D1.10: 16 entries of 0x80 bytes).
 * Every entry saves the caller-saved registers and calls a C handler:
 *   sync_handler(esr, elr, kind) for synchronous exceptions (returns the ELR to
 *   resume at), irq_handler() for IRQs. FIQ/SError entries spin in place. */
	.macro	save
	sub	sp, sp, #192
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x30, x0, [sp, #160]
	str	x1, [sp, #176]
	.endm

	.macro	restore
	ldr	x1, [sp, #176]
	ldp	x30, x0, [sp, #160]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x29, [sp, #144]
	add	sp, sp, #192
	eret
	.endm

/* An entry has room for 32 instructions: it only saves and branches out. */
	.macro	entry_sync kind
	.balign	0x80
	save
	mov	x2, #\kind
	b	do_sync
	.endm

	.macro	entry_irq
	.balign	0x80
	save
	b	do_irq
	.endm

	.macro	entry_hang
	.balign	0x80
1:	wfe
	b	1b
	.endm

	.text
	.balign	0x800
	.global	vectors
vectors:
	entry_sync 0	/* current EL, SP_EL0 */
	entry_irq
	entry_hang
	entry_hang
	entry_sync 1	/* current EL, SP_ELx */
	entry_irq
	entry_hang
	entry_hang
	entry_sync 2	/* lower EL, AArch64 */
	entry_irq
	entry_hang
	entry_hang
	entry_hang	/* lower EL, AArch32: never used */
	entry_hang
	entry_hang
	entry_hang

do_sync:
	mrs	x0, esr_el1
	ldr	x1, [sp, #168]
	bl	sync_handler
	str	x0, [sp, #168]
	restore

do_irq:
	bl	irq_handler
	restore

	.weak	sync_handler
sync_handler:
	b	.
	.weak	irq_handler
irq_handler:
	ret
