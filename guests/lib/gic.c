// SPDX-License-Identifier: GPL-3.0-or-later
/* Just enough GICv3 for test guests (Arm IHI 0069): the distributor, this CPU's
 * redistributor, the system-register CPU interface and the virtual timer (PPI 27). */
#include "guest.h"

#define GICD_BASE 0x08000000ul
#define GICR_BASE 0x080a0000ul
#define GICD_CTLR (*(volatile uint32_t *)(GICD_BASE + 0x0))
#define GICD_CTLR_ARE_NS (1u << 4)
#define GICD_CTLR_ENABLE_G1NS (1u << 1)
#define GICR_WAKER 0x14
#define GICR_SGI 0x10000 /* SGI_base frame */
#define GICR_IGROUPR0 0x80
#define GICR_ISENABLER0 0x100
#define TIMER_PPI 27

static volatile uint32_t *gicr(unsigned int cpu, unsigned long off)
{
	return (volatile uint32_t *)(GICR_BASE + cpu * 0x20000ul + off);
}

void gic_init_dist(void)
{
	GICD_CTLR = GICD_CTLR_ARE_NS | GICD_CTLR_ENABLE_G1NS;
}

void gic_init_cpu(unsigned int cpu)
{
	/* Wake the redistributor: clear ProcessorSleep, wait for ChildrenAsleep to clear. */
	*gicr(cpu, GICR_WAKER) &= ~(1u << 1);
	while (*gicr(cpu, GICR_WAKER) & (1u << 2))
		;
	*gicr(cpu, GICR_SGI + GICR_IGROUPR0) = 0xffffffffu; /* all SGIs/PPIs group 1 */
	write_sysreg(S3_0_C12_C12_5, 1);                  /* ICC_SRE_EL1.SRE */
	__asm__ volatile("isb");
	write_sysreg(S3_0_C4_C6_0, 0xff); /* ICC_PMR_EL1: let every priority through */
	write_sysreg(S3_0_C12_C12_7, 1);  /* ICC_IGRPEN1_EL1 */
	__asm__ volatile("isb");
}

void gic_enable_ppi(unsigned int cpu, unsigned int intid)
{
	*gicr(cpu, GICR_SGI + GICR_ISENABLER0) = 1u << intid;
}

uint32_t gic_ack(void)
{
	uint64_t iar = read_sysreg(S3_0_C12_C12_0); /* ICC_IAR1_EL1 */

	__asm__ volatile("dsb sy");
	return (uint32_t)iar;
}

void gic_eoi(uint32_t intid)
{
	write_sysreg(S3_0_C12_C12_1, intid); /* ICC_EOIR1_EL1 */
	__asm__ volatile("isb");
}

void timer_arm(uint64_t ticks)
{
	write_sysreg(cntv_tval_el0, ticks);
	write_sysreg(cntv_ctl_el0, 1); /* ENABLE, not masked */
	__asm__ volatile("isb");
}

void timer_start_periodic(unsigned int cpu, uint64_t hz)
{
	gic_enable_ppi(cpu, TIMER_PPI);
	timer_arm(read_sysreg(cntfrq_el0) / hz);
}

int gic_timer_irq(uint64_t period)
{
	uint32_t intid = gic_ack();

	if (intid == TIMER_PPI)
		timer_arm(period);
	if (intid < 1020) /* 1020-1023: special INTIDs, nothing to end */
		gic_eoi(intid);
	return intid == TIMER_PPI;
}
