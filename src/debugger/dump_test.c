// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for dump-guest-memory's gathering (src/debugger/dump.c) against the fake CPU: the
 * registers of every vCPU in its NT_PRSTATUS and NT_FPREGSET, RAM without our BRKs (which are
 * back in the guest after), pr_pid for a guest that is not Linux, a Linux guest's VMCOREINFO
 * note and kernel segments, and a write that fails half-way. The file is read back with
 * <elf.h>; src/dump/elfcore_test.c tests the writer's layout itself. */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <cmocka.h>

#include "debugger.h"
#include "src/arm64/esr.h"
#include "src/arm64/regs.h"
#include "src/debugger/fakecpu.h"

#define A(off) (FAKE_RAM_BASE + (off))
#define RAM (1u << 20)
#define CODE 0x100
#define INFO 0x8000 /* a VMCOREINFO page */

struct t {
	struct fake *f;
	struct dbg *d;
};

/* The file, in memory. */
struct buf {
	uint8_t *p;
	size_t len, cap;
	size_t fail_at; /* != 0: -ENOSPC once this many bytes are in */
};

static ssize_t put(void *ctx, const void *data, size_t len)
{
	struct buf *b = ctx;

	if (b->fail_at && b->len + len > b->fail_at)
		return -ENOSPC;
	if (b->len + len > b->cap) {
		b->cap = 2 * (b->len + len);
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
	return (ssize_t)len;
}

static int setup(void **state)
{
	static struct t t;
	const uint32_t code[] = { FAKE_NOP, FAKE_NOP, FAKE_NOP, FAKE_NOP };
	unsigned int cpu, n;

	memset(&t, 0, sizeof(t));
	t.f = fake_new(2, RAM);
	assert_non_null(t.f);
	fake_put(t.f, A(CODE), code, 4);
	for (cpu = 0; cpu < 2; cpu++) {
		for (n = 0; n < 31; n++)
			fake_set_reg(t.f, cpu, ARM64_R_X(n), 0x1000ull * cpu + n);
		fake_set_reg(t.f, cpu, ARM64_R_PC, A(CODE));
		fake_set_reg(t.f, cpu, ARM64_R_PSTATE, ARM64_PSTATE_EL1h | ARM64_PSTATE_I);
		fake_set_reg(t.f, cpu, ARM64_R_SP_EL1, A(0x9000 + 0x100 * cpu));
		fake_set_reg(t.f, cpu, ARM64_R_SP_EL0, 0xdead);
		fake_set_reg(t.f, cpu, ARM64_R_FPSR, 0x10 + cpu);
		fake_set_reg(t.f, cpu, ARM64_R_FPCR, 0x20 + cpu);
	}
	t.d = fake_dbg_new(t.f, 4, 4);
	assert_non_null(t.d);
	dbg_attach(t.d);
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;

	assert_int_equal(fake_violations(t->f), 0);
	dbg_free(t->d);
	fake_free(t->f);
	return 0;
}

static const Elf64_Phdr *phdr(const struct buf *b, unsigned int i)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)b->p;

	assert_true(i < eh->e_phnum);
	return (const Elf64_Phdr *)(b->p + eh->e_phoff) + i;
}

/* The descriptor of the n-th note of type type and name name (NULL: none), its size. */
static const uint8_t *note(const struct buf *b, const char *name, uint32_t type, unsigned int n,
			   size_t *size)
{
	const Elf64_Phdr *ph = phdr(b, 0);
	size_t off = ph->p_offset, end = ph->p_offset + ph->p_filesz;

	assert_int_equal(ph->p_type, PT_NOTE);
	while (off + sizeof(Elf64_Nhdr) <= end) {
		const Elf64_Nhdr *nh = (const Elf64_Nhdr *)(b->p + off);
		const char *nm = (const char *)(nh + 1);
		const uint8_t *desc = (const uint8_t *)nm + ((nh->n_namesz + 3) & ~3u);

		if (nh->n_type == type && !strcmp(nm, name) && !n--) {
			*size = nh->n_descsz;
			return desc;
		}
		off = (size_t)(desc - b->p) + ((nh->n_descsz + 3) & ~3u);
	}
	return NULL;
}

/* The bytes the file holds for guest PA pa (its first PT_LOAD with p_paddr there). */
static const uint8_t *file_pa(const struct buf *b, uint64_t pa)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)b->p;
	unsigned int i;

	for (i = 1; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = phdr(b, i);

		if (ph->p_type == PT_LOAD && pa >= ph->p_paddr && pa < ph->p_paddr + ph->p_filesz)
			return b->p + ph->p_offset + (pa - ph->p_paddr);
	}
	fail_msg("no segment holds PA 0x%llx", (unsigned long long)pa);
	return NULL;
}

static int insert(struct t *t, uint64_t addr)
{
	return dbg_gdb_ops.insert_bp(t->d, 0, GDB_BP_SW, addr, 4);
}

static void test_registers_and_ram_without_our_breakpoints(void **state)
{
	struct t *t = *state;
	struct buf b = { 0 };
	struct dbg_dump_result r;
	const uint8_t *pr, *fp;
	uint32_t in_ram, in_file;
	uint64_t v;
	size_t size;
	int32_t pid;
	unsigned int cpu;

	assert_int_equal(insert(t, A(CODE + 4)), 0);
	memcpy(&in_ram, fake_ram(t->f, A(CODE + 4), 4), 4);
	assert_int_not_equal(in_ram, FAKE_NOP); /* the BRK is in the guest */
	assert_int_equal(dbg_dump(t->d, NULL, put, &b, &r), 0);
	assert_int_equal(b.len, r.bytes);
	assert_false(r.is_linux);
	assert_false(r.vmcoreinfo);
	assert_int_equal(r.nr_cpus, 2);
	assert_int_equal(r.nr_mappings, 0);
	/* the guest's own instruction in the file, our BRK back in the guest after */
	memcpy(&in_file, file_pa(&b, A(CODE + 4)), 4);
	assert_int_equal(in_file, FAKE_NOP);
	assert_memory_equal(fake_ram(t->f, A(CODE + 4), 4), &in_ram, 4);
	assert_memory_equal(file_pa(&b, A(0)), fake_ram(t->f, A(0), CODE + 4), CODE + 4);
	assert_int_equal(((const Elf64_Ehdr *)b.p)->e_machine, EM_AARCH64);
	for (cpu = 0; cpu < 2; cpu++) {
		pr = note(&b, "CORE", NT_PRSTATUS, cpu, &size);
		assert_non_null(pr);
		assert_int_equal(size, ELFCORE_PRSTATUS_SIZE);
		memcpy(&pid, pr + ELFCORE_PRSTATUS_PID, 4);
		assert_int_equal(pid, cpu + 1); /* not Linux: gdb's threads are the vCPUs */
		memcpy(&v, pr + ELFCORE_PRSTATUS_REG + 8 * 30, 8);
		assert_int_equal(v, 0x1000ull * cpu + 30); /* x30 */
		memcpy(&v, pr + ELFCORE_PRSTATUS_REG + 8 * 31, 8);
		assert_int_equal(v, A(0x9000 + 0x100 * cpu)); /* sp: SP_EL1 at EL1h */
		memcpy(&v, pr + ELFCORE_PRSTATUS_REG + 8 * 32, 8);
		assert_int_equal(v, A(CODE)); /* pc */
		memcpy(&v, pr + ELFCORE_PRSTATUS_REG + 8 * 33, 8);
		assert_int_equal(v, ARM64_PSTATE_EL1h | ARM64_PSTATE_I);
		fp = note(&b, "CORE", NT_FPREGSET, cpu, &size);
		assert_non_null(fp);
		assert_int_equal(size, ELFCORE_FPREGSET_SIZE);
		assert_int_equal(*(const uint32_t *)(fp + 512), 0x10 + cpu); /* fpsr */
		assert_int_equal(*(const uint32_t *)(fp + 516), 0x20 + cpu); /* fpcr */
		assert_null(note(&b, "LINUX", NT_ARM_SVE, cpu, &size));      /* no SVE */
	}
	free(b.p);
}

/* A vCPU with SVE: NT_ARM_SVE after NT_FPREGSET, as ptrace's regset at the vCPU's vector
 * length (SVE_PT_REGS_SVE), and NT_FPREGSET's V the low halves of its Z. */
static void test_sve_registers_in_nt_arm_sve(void **state)
{
	enum { VQ = 2, ZB = VQ * 16, PB = VQ * 2, FPSR_OFF = 16 + 32 * ZB + 17 * PB + 12 };
	struct t *t = *state;
	struct buf b = { 0 };
	struct dbg_dump_result r;
	const uint8_t *sve, *fp;
	size_t size;
	unsigned int cpu, n, i;

	dbg_free(t->d);
	fake_set_features(t->f, VQ, true);
	t->d = fake_dbg_new(t->f, 4, 4);
	dbg_attach(t->d);
	for (cpu = 0; cpu < 2; cpu++) {
		for (n = 0; n < 32; n++)
			for (i = 0; i < ZB; i++)
				fake_sve_reg(t->f, cpu, ARM64_R_Z(n))[i] =
					(uint8_t)(n * 7 + i + cpu);
		for (n = 0; n < 17; n++) /* p0-p15, ffr */
			for (i = 0; i < PB; i++)
				fake_sve_reg(t->f, cpu, ARM64_R_P(n))[i] = (uint8_t)(0x80 + n + i);
	}
	assert_int_equal(dbg_dump(t->d, NULL, put, &b, &r), 0);
	assert_int_equal(b.len, r.bytes);
	for (cpu = 0; cpu < 2; cpu++) {
		sve = note(&b, "LINUX", NT_ARM_SVE, cpu, &size);
		assert_non_null(sve);
		/* the header: size, max_size, vl, max_vl, flags */
		assert_int_equal(size, FPSR_OFF + 16); /* fpsr, fpcr, then up to 16 */
		assert_int_equal(size % 16, 0);
		assert_int_equal(*(const uint32_t *)sve, size);
		assert_int_equal(*(const uint32_t *)(sve + 4), size);
		assert_int_equal(*(const uint16_t *)(sve + 8), ZB);
		assert_int_equal(*(const uint16_t *)(sve + 10), ZB);
		assert_int_equal(*(const uint16_t *)(sve + 12), 1); /* SVE_PT_REGS_SVE */
		for (n = 0; n < 32; n++)
			assert_memory_equal(sve + 16 + n * ZB,
					    fake_sve_reg(t->f, cpu, ARM64_R_Z(n)), ZB);
		for (n = 0; n < 17; n++)
			assert_memory_equal(sve + 16 + 32 * ZB + n * PB,
					    fake_sve_reg(t->f, cpu, ARM64_R_P(n)), PB);
		assert_int_equal(*(const uint32_t *)(sve + FPSR_OFF), 0x10 + cpu);
		assert_int_equal(*(const uint32_t *)(sve + FPSR_OFF + 4), 0x20 + cpu);
		fp = note(&b, "CORE", NT_FPREGSET, cpu, &size);
		for (n = 0; n < 32; n++)
			assert_memory_equal(fp + 16 * n, fake_sve_reg(t->f, cpu, ARM64_R_Z(n)), 16);
	}
	free(b.p);
}

static void test_sp_of_a_vcpu_at_el0_is_sp_el0(void **state)
{
	struct t *t = *state;
	struct buf b = { 0 };
	struct dbg_dump_result r;
	const uint8_t *pr;
	uint64_t v;
	size_t size;

	fake_set_reg(t->f, 1, ARM64_R_PSTATE, 0); /* EL0t */
	assert_int_equal(dbg_dump(t->d, NULL, put, &b, &r), 0);
	pr = note(&b, "CORE", NT_PRSTATUS, 1, &size);
	assert_non_null(pr);
	memcpy(&v, pr + ELFCORE_PRSTATUS_REG + 8 * 31, 8);
	assert_int_equal(v, 0xdead);
	free(b.p);
}

static void test_a_linux_guest_has_its_vmcoreinfo_and_kernel_segments(void **state)
{
	static const char text[] = "OSRELEASE=6.1.0-57-arm64\nPAGESIZE=4096\n"
				   "KERNELOFFSET=0\nNUMBER(VA_BITS)=48\n"
				   "NUMBER(kimage_voffset)=0xffff7fff80000000\n"
				   "NUMBER(PHYS_OFFSET)=0x40000000\n";
	const struct dbg_dump_opts o = { .image_start = A(0x10000), .image_end = A(0x30000) };
	struct t *t = *state;
	struct buf b = { 0 };
	struct dbg_dump_result r;
	const Elf64_Phdr *ph;
	const uint8_t *desc;
	size_t size;
	int32_t pid;

	memcpy(fake_ram(t->f, A(INFO), sizeof(text)), text, sizeof(text));
	assert_int_equal(dbg_dump(t->d, &o, put, &b, &r), 0);
	assert_true(r.is_linux);
	assert_true(r.vmcoreinfo);
	assert_string_equal(r.osrelease, "6.1.0-57-arm64");
	assert_int_equal(r.pids_known, 0); /* gdb told no symbols */
	desc = note(&b, "VMCOREINFO", 0, 0, &size);
	assert_non_null(desc);
	assert_int_equal(size, strlen(text));
	assert_memory_equal(desc, text, size);
	desc = note(&b, "CORE", NT_PRSTATUS, 0, &size);
	memcpy(&pid, desc + ELFCORE_PRSTATUS_PID, 4);
	assert_int_equal(pid, 0); /* unknown: 0, as the tools read it */
	/* RAM by PA, then the linear map, then the image */
	assert_int_equal(r.nr_mappings, 2);
	ph = phdr(&b, 2);
	assert_int_equal(ph->p_vaddr, 0xffff000000000000ull + (FAKE_RAM_BASE - 0x40000000));
	assert_int_equal(ph->p_paddr, FAKE_RAM_BASE);
	assert_int_equal(ph->p_filesz, RAM);
	assert_int_equal(ph->p_offset, phdr(&b, 1)->p_offset); /* the same bytes */
	ph = phdr(&b, 3);
	assert_int_equal(ph->p_vaddr, A(0x10000) + 0xffff7fff80000000ull);
	assert_int_equal(ph->p_paddr, A(0x10000));
	assert_int_equal(ph->p_filesz, 0x20000);
	free(b.p);
}

static void test_a_write_that_fails_leaves_the_guest_as_it_was(void **state)
{
	struct t *t = *state;
	struct buf b = { .fail_at = 8192 };
	struct dbg_dump_result r;
	uint32_t before;

	assert_int_equal(insert(t, A(CODE + 8)), 0);
	memcpy(&before, fake_ram(t->f, A(CODE + 8), 4), 4);
	assert_int_equal(dbg_dump(t->d, NULL, put, &b, &r), -ENOSPC);
	assert_memory_equal(fake_ram(t->f, A(CODE + 8), 4), &before, 4);
	/* and the breakpoint still works as one */
	assert_int_equal(dbg_gdb_ops.remove_bp(t->d, 0, GDB_BP_SW, A(CODE + 8), 4), 0);
	assert_int_equal(*(const uint32_t *)fake_ram(t->f, A(CODE + 8), 4), FAKE_NOP);
	free(b.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_registers_and_ram_without_our_breakpoints,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_sve_registers_in_nt_arm_sve, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sp_of_a_vcpu_at_el0_is_sp_el0, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_a_linux_guest_has_its_vmcoreinfo_and_kernel_segments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_write_that_fails_leaves_the_guest_as_it_was,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
