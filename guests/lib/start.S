/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Entry of every test guest: the boot CPU clears .bss, takes its stack and calls
 * main(); secondaries brought up with PSCI CPU_ON enter at secondary_entry with
 * their CPU number in x0 and call secondary_main(cpu). Returning powers off. */
	.section .text.boot, "ax"
	.global _start
_start:
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	mov	x0, #0
	bl	set_stack
	bl	main
	bl	psci_system_off
3:	wfi
	b	3b

	.global secondary_entry
secondary_entry:
	mov	x19, x0
	bl	set_stack
	mov	x0, x19
	bl	secondary_main
	bl	psci_cpu_off
4:	wfi
	b	4b

/* sp = top of CPU x0's stack; preserves x0. */
set_stack:
	ldr	x1, =__stacks_start
	add	x2, x0, #1
	lsl	x2, x2, #14
	add	sp, x1, x2
	ret

	.weak secondary_main
secondary_main:
	ret
