/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A fake arm64 machine behind include/dbg_cpu.h, for the debugger's unit tests and fuzzer: N
 * vCPUs over malloc'd RAM at FAKE_RAM_BASE, deterministic and single-threaded. It executes a
 * small subset of A64 (below) through the guest's own translation (src/arm64/ptw.h) and gives
 * the debug exits KVM gives on arm64 (arch/arm64/kvm/debug.c and handle_exit.c; api.rst 4.86):
 *
 * - Any debug at all (DBG_HW_ENABLE) routes every debug exception of the guest to us, the
 *   guest's own BRKs included (MDCR_EL2.TDE): BRK exits with EC 0x3c, PC at the BRK. With
 *   debug off, a BRK is the guest's synchronous exception (VBAR_EL1 + 0x200 from EL1h).
 * - DBG_HW_HW: an enabled DBGBCR whose DBGBVR is the PC exits with EC 0x30 before the
 *   instruction runs, every time it is met; an enabled DBGWCR/DBGWVR pair that an LDR/STR
 *   touches exits with EC 0x34, FAR the access's address, the access not done.
 * - DBG_HW_SINGLESTEP: one instruction, then EC 0x32 at the next PC. An exception taken on
 *   the way (an interrupt before the instruction, or one the instruction raises) ends the
 *   step on its vector.
 * - An interrupt raised with fake_raise() is taken before the next instruction once its
 *   PSTATE mask bit (I, F, A) is clear: ELR_EL1 = that instruction, SPSR_EL1 = PSTATE, PSTATE
 *   = EL1h with DAIF set, PC = VBAR_EL1 + group + 0x80 * type. It is taken once (edge). The
 *   virtual timer's interrupt (fake_timer()) is a level IRQ, as the GIC gives it.
 *
 * Instructions: NOP, B, BL, BR, BLR, RET, ERET, CBZ/CBNZ (64-bit), ADD/SUB (immediate, 64-bit,
 * SP as operand), MOVZ/MOVK (64-bit), LDR/STR Xt, [Xn|SP{, #imm}], MRS/MSR (the system
 * registers below, ELR_EL1, SPSR_EL1, SP_EL0), MSR DAIFSet/DAIFClr, BRK; any other word is a
 * NOP. An instruction fetch or data access that does not translate to RAM is an abort to the
 * guest (EC 0x21/0x20, 0x25/0x24).
 *
 * The driver, fake_run(), plays the vCPU threads and the main loop: it runs the vCPUs the
 * debugger let run round-robin, one instruction each per round; a vCPU that (re)enters
 * "KVM_RUN" gets dbg_before_run() first, an exit goes to dbg_on_exit(), and a vCPU the
 * debugger stops pauses; at the end of that round (plus fake_set_latency() rounds) the main
 * loop's dbg_on_stopped() runs. The fake checks the threading rules of dbg_cpu.h (registers and
 * debug state of a vCPU only from its own exit hooks or while it is paused) and counts each
 * break of them, and records every stop the debugger reports and every set_debug. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dbg_cpu.h"
#include "debugger.h"
#include "gdbstub/target.h"
#include "types.h"

#define FAKE_RAM_BASE 0x40000000ull
#define FAKE_MAX_CPUS 8
#define FAKE_MAX_STOPS 256 /* the last stops fake_stop() keeps */

struct fake;

extern const struct dbg_cpu_ops fake_cpu_ops;

/* nr_cpus vCPUs (at most FAKE_MAX_CPUS), all paused, at EL1h with DAIF masked, PC at
 * FAKE_RAM_BASE, MMU off; ram_size bytes of zeroed RAM (a multiple of 4 KiB). NULL on failure. */
struct fake *fake_new(unsigned int nr_cpus, uint64_t ram_size);
void fake_free(struct fake *f);
unsigned int fake_nr_cpus(const struct fake *f);

/* A debugger over f with these slot counts (dbg_new), its stops recorded by f. Freed by the
 * caller with dbg_free() before fake_free(). */
struct dbg *fake_dbg_new(struct fake *f, unsigned int nr_hw_bps, unsigned int nr_hw_wps);
/* The debugger f's driver hands exits to (fake_dbg_new sets it; NULL: exits just pause). */
void fake_set_dbg(struct fake *f, struct dbg *d);
/* Slots that exist: enabled registers beyond them never match (fake_dbg_new sets them). */
void fake_set_slots(struct fake *f, unsigned int nr_hw_bps, unsigned int nr_hw_wps);

/* ------------------------------------------------------------------ state */

/* Any register by src/arm64/regs.h id, as 64 bits (the low half of a V register). */
uint64_t fake_reg(const struct fake *f, unsigned int cpu, uint32_t id);
void fake_set_reg(struct fake *f, unsigned int cpu, uint32_t id, uint64_t val);
/* The vCPUs' features as the features op gives them (before fake_dbg_new): SVE with
 * vector length sve_vq quadwords (0: none), pointer authentication. With SVE the fake has Z,
 * P and FFR as KVM shows them (include/dbg_cpu.h): at 2048/256 bits, only the vector length
 * written, V the low 128 bits of Z. It executes no SVE instruction. */
void fake_set_features(struct fake *f, unsigned int sve_vq, bool pauth);
/* PMUv3 on every vCPU (before fake_dbg_new), PMCR_EL0.N nr_counters; its registers as Linux
 * 6.1's KVM gives them through ONE_REG (a SET/CLR pair is one register, a write to either
 * replaces it; all 31 event counters are there; PMCEID0/1_EL0 are not). Without it, none. */
void fake_set_pmu(struct fake *f, unsigned int nr_counters);
/* SVE register id's storage on cpu (ARM64_SVE_Z_BYTES or _P_BYTES), NULL without SVE. */
uint8_t *fake_sve_reg(struct fake *f, unsigned int cpu, uint32_t id);
/* Host pointer to [pa, pa + len) if it is all RAM, else NULL. */
uint8_t *fake_ram(struct fake *f, gpa_t pa, uint64_t len);
uint32_t fake_peek32(struct fake *f, gpa_t pa);
void fake_poke32(struct fake *f, gpa_t pa, uint32_t insn);
/* n instructions from pa on. */
void fake_put(struct fake *f, gpa_t pa, const uint32_t *insns, size_t n);
/* Every guest store also goes to shadow (ram_size bytes, indexed from FAKE_RAM_BASE), so that
 * a test can keep its own copy of what memory should hold. NULL: none. */
void fake_set_shadow(struct fake *f, uint8_t *shadow);

/* Page tables: 4K granule, 48-bit VAs, tables allocated from the top of RAM down. Maps [va, va
 * + len) to pa in TTBR0's tables (va below 2^48) or TTBR1's (va at or above 0xffff000000000000).
 * 0, or -ENOMEM when table space runs out, -EINVAL for an unaligned or out-of-range request. */
int fake_map(struct fake *f, gva_t va, gpa_t pa, uint64_t len);
/* The lowest byte the table allocator has used (RAM above it holds page tables). */
gpa_t fake_tables_start(const struct fake *f);
/* TCR_EL1, TTBR0_EL1 and TTBR1_EL1 for the tables above on cpu, and SCTLR_EL1.M = on. */
void fake_mmu(struct fake *f, unsigned int cpu, bool on);

/* Events. */
enum fake_irq { FAKE_IRQ, FAKE_FIQ, FAKE_SERROR };
void fake_raise(struct fake *f, unsigned int cpu, enum fake_irq kind);
bool fake_irq_pending(const struct fake *f, unsigned int cpu, enum fake_irq kind);
/* The virtual timer (CNTV_*_EL0, the counter ticking once a step of the vCPU): enabled, to
 * fire ticks from now; its interrupt is a level IRQ until the guest writes CNTV_CVAL_EL0 or
 * CNTV_CTL_EL0. */
void fake_timer(struct fake *f, unsigned int cpu, uint64_t ticks);
void fake_set_powered_off(struct fake *f, unsigned int cpu, bool off);
/* Leave KVM_RUN without a debug exit every n instructions (as an MMIO access or a signal
 * does): dbg_before_run() again before the next one. 0: never. */
void fake_set_kick_every(struct fake *f, unsigned int n);
/* Called before each instruction a vCPU executes, with the word it fetched: not for one that
 * exits to the debugger instead (a breakpoint, a watchpoint, a BRK while debug is on). */
typedef void (*fake_insn_fn)(void *opaque, unsigned int cpu, uint64_t pc, uint32_t insn);
void fake_set_insn_hook(struct fake *f, fake_insn_fn fn, void *opaque);
/* Rounds between a vCPU's stop and the main loop's dbg_on_stopped() (0: the end of the round
 * in which it stopped). The other vCPUs run on meanwhile, as real threads do. */
void fake_set_latency(struct fake *f, unsigned int rounds);

/* ----------------------------------------------------------------- running */

/* Runs until no vCPU is let run and no dbg_on_stopped() is due, or max_steps vCPU steps (an
 * instruction, or an exit before one) have been taken. Returns the steps taken. */
unsigned int fake_run(struct fake *f, unsigned int max_steps);
/* Let run (ops->run) and not paused since. */
bool fake_running(const struct fake *f, unsigned int cpu);
bool fake_any_running(const struct fake *f);
/* A vCPU stopped and the main loop has not been told yet. */
bool fake_stop_due(const struct fake *f);

/* ------------------------------------------------------------ what happened */

/* Instructions cpu executed, exits it took with exception class ec (0x30, 0x32, 0x34, 0x3c). */
uint64_t fake_insns(const struct fake *f, unsigned int cpu);
unsigned int fake_exits(const struct fake *f, unsigned int cpu, unsigned int ec);
/* What the last set_debug gave cpu (all zero before any), and how many set_debug calls. */
const struct dbg_hw_state *fake_debug(const struct fake *f, unsigned int cpu);
unsigned int fake_nr_set_debug(const struct fake *f, unsigned int cpu);
/* Has any set_debug given cpu a state with (at least) these flags? */
bool fake_debug_seen(const struct fake *f, unsigned int cpu, uint32_t flags);
/* Has any set_debug given cpu an enabled breakpoint slot on va (and which slot)? */
bool fake_bp_seen(const struct fake *f, unsigned int cpu, gva_t va, unsigned int *slot);
/* Forget the above, and the counts of instructions and exits. */
void fake_clear_history(struct fake *f);
/* Breaches of dbg_cpu.h's rules (registers of a vCPU in KVM_RUN, set_debug from another
 * vCPU's thread, pause_all from a vCPU thread, ...), and a description of the first one. */
unsigned int fake_violations(const struct fake *f);
const char *fake_first_violation(const struct fake *f);

/* Stops reported through dbg_subscribe, in order, with the vCPU's PC at the report: stop i
 * of fake_nr_stops(), NULL once FAKE_MAX_STOPS newer ones came. */
struct fake_stop {
	struct gdb_stop stop;
	uint64_t pc;
};
unsigned int fake_nr_stops(const struct fake *f);
const struct fake_stop *fake_stop(const struct fake *f, unsigned int i);

/* gdb's side, as gdbstub drives dbg_gdb_ops: gdb waits for a stop from the call on (resume
 * marks it waiting before calling, as gdbstub does; a failed resume clears it). A stop reported
 * while gdb is not waiting, or a second one for one wait, counts as fake_bad_stops(). */
int fake_gdb_resume(struct fake *f, const struct gdb_resume *r);
void fake_gdb_interrupt(struct fake *f);
/* D and k: gdb waits for nothing from then on. */
int fake_gdb_detach(struct fake *f);
void fake_gdb_kill(struct fake *f);
bool fake_gdb_waiting(const struct fake *f);
unsigned int fake_bad_stops(const struct fake *f);
/* Shorthands for fake_gdb_resume(): every vCPU continues; one vCPU steps (the others stay);
 * one vCPU range-steps [start, end). */
int fake_gdb_continue(struct fake *f);
int fake_gdb_step(struct fake *f, unsigned int cpu);
int fake_gdb_range(struct fake *f, unsigned int cpu, uint64_t start, uint64_t end);

/* ------------------------------------------------------ assembling A64 words */

#define FAKE_NOP 0xd503201fu
#define FAKE_RET 0xd65f03c0u /* ret x30 */
#define FAKE_ERET 0xd69f03e0u
#define FAKE_BRK0 0xd4200000u /* the debugger's own software breakpoint */
#define FAKE_SP 31u           /* register 31 as a base or ADD/SUB operand */
#define FAKE_XZR 31u          /* register 31 elsewhere */

uint32_t fake_b(uint64_t pc, uint64_t target);
uint32_t fake_bl(uint64_t pc, uint64_t target);
uint32_t fake_br(unsigned int rn);
uint32_t fake_blr(unsigned int rn);
uint32_t fake_cbz(unsigned int rt, uint64_t pc, uint64_t target);
uint32_t fake_cbnz(unsigned int rt, uint64_t pc, uint64_t target);
uint32_t fake_add(unsigned int rd, unsigned int rn, unsigned int imm12);
uint32_t fake_sub(unsigned int rd, unsigned int rn, unsigned int imm12);
uint32_t fake_movz(unsigned int rd, uint16_t imm, unsigned int shift);
uint32_t fake_movk(unsigned int rd, uint16_t imm, unsigned int shift);
uint32_t fake_ldr(unsigned int rt, unsigned int rn, unsigned int off); /* off: multiple of 8 */
uint32_t fake_str(unsigned int rt, unsigned int rn, unsigned int off);
uint32_t fake_brk(uint16_t imm);
/* id: ARM64_R_SYS(...), ARM64_R_ELR_EL1, ARM64_R_SPSR_EL1 or ARM64_R_SP_EL0. */
uint32_t fake_mrs(unsigned int rt, uint32_t id);
uint32_t fake_msr(uint32_t id, unsigned int rt);
uint32_t fake_daifset(unsigned int mask); /* D A I F = 8 4 2 1 */
uint32_t fake_daifclr(unsigned int mask);
