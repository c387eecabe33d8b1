// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for src/dump/elfcore.c: the dump of a small fake machine written to a memfd and
 * read back with <elf.h> (headers, every PT_LOAD, the notes, the RAM bytes, the aliases of the
 * virtual segments), short writes and EINTR, ENOSPC midway, the limits, and the edges. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/stat.h>
#include <sys/procfs.h>
#include <unistd.h>

#include <cmocka.h>

#include "src/dump/elfcore.h"

#define RAM0_PA 0x40000000ull
#define RAM0_SIZE 0x3000ull
#define RAM1_PA 0x48000000ull
#define RAM1_SIZE 0x2123ull             /* not page aligned */
#define LINEAR_VA 0xffff000000000000ull /* PAGE_OFFSET for VA_BITS 48 */
#define KIMAGE_VA 0xffff800008001000ull
#define KIMAGE_PA (RAM0_PA + 0x1000)

/* The kernel's arm64 struct elf_prstatus written out with fixed-size types
 * (include/uapi/linux/elfcore.h; elf_gregset_t from arch/arm64/include/asm/elf.h). */
struct arm64_elf_prstatus {
	int32_t si_signo, si_code, si_errno; /* struct elf_siginfo pr_info */
	int16_t pr_cursig;
	uint64_t pr_sigpend, pr_sighold;
	int32_t pr_pid, pr_ppid, pr_pgrp, pr_sid;
	int64_t pr_utime[2], pr_stime[2], pr_cutime[2], pr_cstime[2]; /* __kernel_old_timeval */
	uint64_t pr_reg[34];
	int32_t pr_fpvalid;
};

static const char vmcoreinfo_text[] = "OSRELEASE=6.1.0-57-arm64\n"
				      "PAGESIZE=4096\n"
				      "NUMBER(PHYS_OFFSET)=0x40000000\n"
				      "NUMBER(kimage_voffset)=0xffff7fffc8000000\n"
				      "KERNELOFFSET=0\n"; /* 113 bytes: not a multiple of 4 */

struct machine {
	uint8_t *ram0, *ram1;
	struct elfcore_region regions[2];
	struct elfcore_cpu cpus[2];
	struct elfcore_mapping mappings[2];
	struct elfcore_desc desc;
};

static void fill(uint8_t *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 31 + (i >> 12) * 7 + seed);
}

static void fake_cpu(struct elfcore_cpu *c, unsigned int n, int32_t pid)
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < 31; i++)
		c->regs.x[i] = 0x1000000000000000ull * (n + 1) + i;
	c->regs.sp = 0xffff800009f3be10ull + n;
	c->regs.pc = 0xffff800008a1c2d4ull + 4 * n;
	c->regs.pstate = 0x600003c5ull + n;
	for (i = 0; i < 32; i++) {
		c->fp.v[i][0] = 0x0101010101010101ull * i + n;
		c->fp.v[i][1] = 0x8000000000000000ull | (0x100ull * i) | n;
	}
	c->fp.fpsr = 0x08000010u + n;
	c->fp.fpcr = 0x03c00000u + n;
	c->pid = pid;
}

/* Two RAM regions, two vCPUs (CPU 0 idle: pid 0; CPU 1 in pid 42), the VMCOREINFO text, the
 * linear map over all of RAM (it meets both regions) and the kernel image (one page). */
static struct machine *machine_new(void)
{
	struct machine *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	m->ram0 = malloc(RAM0_SIZE);
	m->ram1 = malloc(RAM1_SIZE);
	assert_non_null(m->ram0);
	assert_non_null(m->ram1);
	fill(m->ram0, RAM0_SIZE, 1);
	fill(m->ram1, RAM1_SIZE, 2);
	m->regions[0] = (struct elfcore_region){ RAM0_PA, RAM0_SIZE, m->ram0 };
	m->regions[1] = (struct elfcore_region){ RAM1_PA, RAM1_SIZE, m->ram1 };
	fake_cpu(&m->cpus[0], 0, 0);
	fake_cpu(&m->cpus[1], 1, 42);
	m->mappings[0] = (struct elfcore_mapping){ LINEAR_VA, RAM0_PA, 0x10000000 };
	m->mappings[1] = (struct elfcore_mapping){ KIMAGE_VA, KIMAGE_PA, 0x1000 };
	m->desc = (struct elfcore_desc){
		.regions = m->regions,
		.nr_regions = 2,
		.cpus = m->cpus,
		.nr_cpus = 2,
		.mappings = m->mappings,
		.nr_mappings = 2,
		.vmcoreinfo = vmcoreinfo_text,
		.vmcoreinfo_len = sizeof(vmcoreinfo_text), /* its NUL too: the note stops before */
	};
	return m;
}

static void machine_free(struct machine *m)
{
	free(m->ram0);
	free(m->ram1);
	free(m);
}

/* A write callback over a memfd that can misbehave as a disk or a signal would. */
struct sink {
	int fd;
	bool short_writes; /* pieces of 1..997 bytes, and -EINTR every third call */
	bool fail_zero;    /* return 0 */
	uint64_t limit;    /* > 0: ENOSPC after limit - 1 bytes */
	unsigned int calls, eintrs;
	size_t max_len;
	uint64_t written;
	const uint8_t *ram_lo, *ram_hi; /* bytes handed over from here are counted in from_ram */
	uint64_t from_ram;
};

static ssize_t sink_write(void *ctx, const void *buf, size_t len)
{
	struct sink *s = ctx;
	const uint8_t *p = buf;
	ssize_t ret;

	s->calls++;
	if (len > s->max_len)
		s->max_len = len;
	if (s->fail_zero)
		return 0;
	if (s->short_writes && s->calls % 3 == 0) {
		s->eintrs++;
		return -EINTR;
	}
	if (s->short_writes && len > 1 + s->calls % 997)
		len = 1 + s->calls % 997;
	if (s->limit) {
		if (s->written >= s->limit - 1)
			return -ENOSPC;
		if (len > s->limit - 1 - s->written)
			len = s->limit - 1 - s->written;
	}
	if (p >= s->ram_lo && p < s->ram_hi)
		s->from_ram += len;
	ret = write(s->fd, buf, len);
	assert_int_equal(ret, len);
	s->written += len;
	return ret;
}

struct file {
	uint8_t *buf;
	size_t len;
};

static int new_memfd(void)
{
	int fd = memfd_create("elfcore_test", MFD_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

static struct file read_back(int fd)
{
	struct file f;
	off_t end = lseek(fd, 0, SEEK_END);

	assert_true(end >= 0);
	f.len = (size_t)end;
	f.buf = malloc(f.len ? f.len : 1);
	assert_non_null(f.buf);
	assert_int_equal(pread(fd, f.buf, f.len, 0), f.len);
	close(fd);
	return f;
}

/* The dump through elfcore_fd_write; its length is what elfcore_size() said. */
static struct file dump(const struct elfcore_desc *d)
{
	uint64_t size = 0;
	int fd = new_memfd();
	struct file f;

	assert_int_equal(elfcore_size(d, &size), 0);
	assert_int_equal(elfcore_write(d, elfcore_fd_write, &fd), 0);
	f = read_back(fd);
	assert_int_equal(f.len, size);
	return f;
}

/* Two dumps byte for byte the same; both freed. */
static void expect_same_file(struct file *want, struct file *got)
{
	assert_int_equal(got->len, want->len);
	assert_memory_equal(got->buf, want->buf, want->len);
	free(want->buf);
	free(got->buf);
}

static const Elf64_Ehdr *ehdr(const struct file *f)
{
	assert_true(f->len >= sizeof(Elf64_Ehdr));
	return (const Elf64_Ehdr *)f->buf;
}

static const Elf64_Phdr *phdr(const struct file *f, unsigned int i)
{
	const Elf64_Ehdr *eh = ehdr(f);

	assert_true(i < eh->e_phnum);
	assert_true(eh->e_phoff + (i + 1) * sizeof(Elf64_Phdr) <= f->len);
	return (const Elf64_Phdr *)(f->buf + eh->e_phoff + i * sizeof(Elf64_Phdr));
}

struct note {
	const char *name;
	uint32_t namesz, type, descsz;
	const uint8_t *desc;
};

/* The notes of the PT_NOTE (program header 0), each checked to lie inside it. */
static unsigned int read_notes(const struct file *f, struct note *out, unsigned int max)
{
	const Elf64_Phdr *ph = phdr(f, 0);
	uint64_t off = ph->p_offset, end = ph->p_offset + ph->p_filesz;
	unsigned int n = 0;

	assert_int_equal(ph->p_type, PT_NOTE);
	assert_true(end <= f->len);
	while (off < end) {
		Elf64_Nhdr nh;

		assert_true(n < max);
		assert_true(off + sizeof(nh) <= end);
		memcpy(&nh, f->buf + off, sizeof(nh));
		out[n].name = (const char *)f->buf + off + sizeof(nh);
		out[n].namesz = nh.n_namesz;
		out[n].type = nh.n_type;
		out[n].descsz = nh.n_descsz;
		off += sizeof(nh) + ((nh.n_namesz + 3) & ~3u);
		out[n].desc = f->buf + off;
		off += (nh.n_descsz + 3) & ~3u;
		assert_true(off <= end);
		n++;
	}
	assert_int_equal(off, end);
	return n;
}

static uint64_t u64_at(const uint8_t *p, size_t off)
{
	uint64_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static uint32_t u32_at(const uint8_t *p, size_t off)
{
	uint32_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static void check_load(const struct file *f, const Elf64_Phdr *ph, uint64_t va, uint64_t pa,
		       const uint8_t *bytes, uint64_t size)
{
	assert_int_equal(ph->p_type, PT_LOAD);
	assert_int_equal(ph->p_flags, PF_R | PF_W | PF_X);
	assert_int_equal(ph->p_vaddr, va);
	assert_int_equal(ph->p_paddr, pa);
	assert_int_equal(ph->p_filesz, size);
	assert_int_equal(ph->p_memsz, size);
	assert_int_equal(ph->p_align, 0); /* crash: a kdump, not a netdump */
	assert_int_equal(ph->p_offset % ELFCORE_PAGE, ph->p_vaddr % ELFCORE_PAGE);
	assert_true(ph->p_offset + size <= f->len);
	assert_memory_equal(f->buf + ph->p_offset, bytes, size);
}

static void check_cpu_notes(const struct note *prs, const struct note *fp,
			    const struct elfcore_cpu *c)
{
	unsigned int i;

	assert_int_equal(prs->namesz, 5);
	assert_string_equal(prs->name, "CORE");
	assert_int_equal(prs->type, NT_PRSTATUS);
	assert_int_equal(prs->descsz, 392);
	assert_int_equal((int32_t)u32_at(prs->desc, 32), c->pid); /* pr_pid */
	for (i = 0; i < 31; i++)
		assert_int_equal(u64_at(prs->desc, 112 + 8 * i), c->regs.x[i]);
	assert_int_equal(u64_at(prs->desc, 112 + 8 * 31), c->regs.sp);
	assert_int_equal(u64_at(prs->desc, 112 + 8 * 32), c->regs.pc);
	assert_int_equal(u64_at(prs->desc, 112 + 8 * 33), c->regs.pstate);
	assert_int_equal(u32_at(prs->desc, 384), 1); /* pr_fpvalid */
	for (i = 0; i < 32; i++)                     /* nothing else set: pr_info..pr_cstime */
		assert_int_equal(prs->desc[i], 0);
	for (i = 36; i < 112; i++)
		assert_int_equal(prs->desc[i], 0);

	assert_int_equal(fp->namesz, 5);
	assert_string_equal(fp->name, "CORE");
	assert_int_equal(fp->type, NT_FPREGSET);
	assert_int_equal(fp->descsz, 528);
	for (i = 0; i < 32; i++) {
		assert_int_equal(u64_at(fp->desc, 16 * i), c->fp.v[i][0]);
		assert_int_equal(u64_at(fp->desc, 16 * i + 8), c->fp.v[i][1]);
	}
	assert_int_equal(u32_at(fp->desc, 512), c->fp.fpsr);
	assert_int_equal(u32_at(fp->desc, 516), c->fp.fpcr);
	assert_int_equal(u64_at(fp->desc, 520), 0); /* __reserved[2] */
}

/* The offsets the writer uses against glibc's <sys/procfs.h> (same prefix on every LP64
 * Linux) and against the arm64 layout written out above. */
static void test_prstatus_layout(void **state)
{
	assert_int_equal(offsetof(struct elf_prstatus, pr_pid), ELFCORE_PRSTATUS_PID);
	assert_int_equal(offsetof(struct elf_prstatus, pr_reg), ELFCORE_PRSTATUS_REG);
	assert_int_equal(offsetof(struct arm64_elf_prstatus, pr_pid), ELFCORE_PRSTATUS_PID);
	assert_int_equal(offsetof(struct arm64_elf_prstatus, pr_reg), ELFCORE_PRSTATUS_REG);
	assert_int_equal(offsetof(struct arm64_elf_prstatus, pr_fpvalid), ELFCORE_PRSTATUS_FPVALID);
	assert_int_equal(sizeof(struct arm64_elf_prstatus), ELFCORE_PRSTATUS_SIZE);
	assert_int_equal(sizeof(struct elfcore_regs), 34 * 8);
#ifdef __aarch64__
	assert_int_equal(sizeof(struct elf_prstatus), ELFCORE_PRSTATUS_SIZE);
	assert_int_equal(offsetof(struct elf_prstatus, pr_fpvalid), ELFCORE_PRSTATUS_FPVALID);
#endif
}

static void test_dump_reads_back(void **state)
{
	struct machine *m = machine_new();
	struct file f = dump(&m->desc);
	const Elf64_Ehdr *eh = ehdr(&f);
	const Elf64_Phdr *note = phdr(&f, 0), *p0 = phdr(&f, 1), *p1 = phdr(&f, 2);
	uint64_t note_end, text_len = strlen(vmcoreinfo_text);
	struct note n[8];
	size_t i;

	assert_memory_equal(eh->e_ident, ELFMAG, SELFMAG);
	assert_int_equal(eh->e_ident[EI_CLASS], ELFCLASS64);
	assert_int_equal(eh->e_ident[EI_DATA], ELFDATA2LSB);
	assert_int_equal(eh->e_ident[EI_VERSION], EV_CURRENT);
	assert_int_equal(eh->e_type, ET_CORE);
	assert_int_equal(eh->e_machine, EM_AARCH64);
	assert_int_equal(eh->e_version, EV_CURRENT);
	assert_int_equal(eh->e_phoff, sizeof(Elf64_Ehdr));
	assert_int_equal(eh->e_phentsize, sizeof(Elf64_Phdr));
	assert_int_equal(eh->e_phnum, 6); /* note, 2 physical, linear map x 2 regions, image */
	assert_int_equal(eh->e_shnum, 0);

	/* The notes right after the program headers; the RAM at the next page. */
	assert_int_equal(note->p_offset, sizeof(Elf64_Ehdr) + 6 * sizeof(Elf64_Phdr));
	assert_int_equal(note->p_filesz,
			 2 * (12 + 8 + 392 + 12 + 8 + 528) + 12 + 12 + ((text_len + 3) & ~3ull));
	assert_int_equal(note->p_align, 4);
	note_end = note->p_offset + note->p_filesz;
	check_load(&f, p0, RAM0_PA, RAM0_PA, m->ram0, RAM0_SIZE);
	check_load(&f, p1, RAM1_PA, RAM1_PA, m->ram1, RAM1_SIZE);
	assert_int_equal(p0->p_offset, (note_end + 4095) & ~4095ull);
	assert_int_equal(p1->p_offset, p0->p_offset + RAM0_SIZE);
	assert_int_equal(f.len, p1->p_offset + RAM1_SIZE);
	for (i = note_end; i < p0->p_offset; i++)
		assert_int_equal(f.buf[i], 0);

	/* The virtual segments alias the physical bytes: no second copy. */
	check_load(&f, phdr(&f, 3), LINEAR_VA, RAM0_PA, m->ram0, RAM0_SIZE);
	check_load(&f, phdr(&f, 4), LINEAR_VA + (RAM1_PA - RAM0_PA), RAM1_PA, m->ram1, RAM1_SIZE);
	check_load(&f, phdr(&f, 5), KIMAGE_VA, KIMAGE_PA, m->ram0 + 0x1000, 0x1000);
	assert_int_equal(phdr(&f, 3)->p_offset, p0->p_offset);
	assert_int_equal(phdr(&f, 4)->p_offset, p1->p_offset);
	assert_int_equal(phdr(&f, 5)->p_offset, p0->p_offset + 0x1000);

	assert_int_equal(read_notes(&f, n, 8), 5);
	check_cpu_notes(&n[0], &n[1], &m->cpus[0]);
	check_cpu_notes(&n[2], &n[3], &m->cpus[1]);
	assert_int_equal(n[4].namesz, 11);
	assert_string_equal(n[4].name, "VMCOREINFO");
	assert_int_equal(n[4].type, 0);
	assert_int_equal(n[4].descsz, text_len);
	assert_memory_equal(n[4].desc, vmcoreinfo_text, text_len);
	free(f.buf);
	machine_free(m);
}

static void test_short_writes_and_eintr(void **state)
{
	struct machine *m = machine_new();
	struct file plain = dump(&m->desc), choppy;
	struct sink s = { .fd = new_memfd(), .short_writes = true };

	assert_int_equal(elfcore_write(&m->desc, sink_write, &s), 0);
	assert_true(s.eintrs > 10);
	choppy = read_back(s.fd);
	expect_same_file(&plain, &choppy);
	machine_free(m);
}

/* The sparse writer: RAM the guest never touched (zero pages: here the last two of one region
 * and all but one of the other) is a hole, and the file reads back the same. */
static void test_sparse_file_reads_back_the_same(void **state)
{
	struct machine *m = machine_new();
	struct elfcore_sparse sp = { .fd = new_memfd() };
	struct file plain, sparse;
	struct stat st;

	memset(m->ram0 + 0x1000, 0, RAM0_SIZE - 0x1000); /* its last two pages */
	memset(m->ram1, 0, RAM1_SIZE);
	m->ram1[0x1321] = 7; /* one byte in a page of zeros: that page is written */
	plain = dump(&m->desc);
	assert_int_equal(elfcore_write(&m->desc, elfcore_sparse_write, &sp), 0);
	assert_int_equal(elfcore_sparse_end(&sp), 0);
	assert_int_equal(fstat(sp.fd, &st), 0);
	assert_int_equal(st.st_size, plain.len);
	assert_true(st.st_blocks * 512 < (off_t)plain.len); /* holes (memfd: tmpfs has them) */
	sparse = read_back(sp.fd);
	expect_same_file(&plain, &sparse);
	machine_free(m);
}

/* A full disk at every kind of place: in the ELF header, the program headers, the notes, the
 * padding, the RAM, the last byte. The bytes before it are the dump's. */
static void test_enospc_midway(void **state)
{
	struct machine *m = machine_new();
	struct file good = dump(&m->desc);
	uint64_t cuts[] = {
		1, 2, 30, 200, 500, 3000, 4096, 4097, 6000, 9000, good.len - 1, good.len
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cuts); i++) {
		struct sink s = { .fd = new_memfd(), .limit = cuts[i] };
		struct file part;

		assert_int_equal(elfcore_write(&m->desc, sink_write, &s), -ENOSPC);
		part = read_back(s.fd);
		assert_int_equal(part.len, cuts[i] - 1);
		assert_memory_equal(part.buf, good.buf, part.len);
		free(part.buf);
	}
	free(good.buf);
	machine_free(m);
}

static ssize_t fail_eio(void *ctx, const void *buf, size_t len)
{
	return -EIO;
}

static void test_callback_errors(void **state)
{
	struct machine *m = machine_new();
	struct sink s = { .fd = new_memfd(), .fail_zero = true };
	int bad = -1;

	assert_int_equal(elfcore_write(&m->desc, sink_write, &s), -EIO); /* no progress */
	assert_int_equal(s.calls, 1);
	assert_int_equal(elfcore_write(&m->desc, fail_eio, NULL), -EIO);
	assert_int_equal(elfcore_write(&m->desc, elfcore_fd_write, &bad), -EBADF);
	assert_int_equal(elfcore_write(&m->desc, NULL, NULL), -EINVAL);
	close(s.fd);
	machine_free(m);
}

/* Guest RAM goes from its host pointer to the callback, in pieces of at most a chunk. */
static void test_ram_streamed_from_host(void **state)
{
	uint64_t size = 3 * ELFCORE_CHUNK + 5;
	uint8_t *ram = malloc(size);
	struct elfcore_region r = { 0x40000000, size, ram };
	struct elfcore_desc d = { .regions = &r, .nr_regions = 1 };
	struct sink s = { .fd = new_memfd(), .ram_lo = ram, .ram_hi = ram + size };
	struct file f;

	assert_non_null(ram);
	fill(ram, size, 3);
	assert_int_equal(elfcore_write(&d, sink_write, &s), 0);
	assert_int_equal(s.from_ram, size);
	assert_int_equal(s.max_len, ELFCORE_CHUNK);
	f = read_back(s.fd);
	check_load(&f, phdr(&f, 1), r.pa, r.pa, ram, size);
	free(f.buf);
	free(ram);
}

static uint8_t page[ELFCORE_PAGE];
static const struct elfcore_region r_ok[] = { { 0x40000000, 0x1000, page } };
static const struct elfcore_region r_empty[] = { { 0x40000000, 0, page } };
static const struct elfcore_region r_no_host[] = { { 0x40000000, 0x1000, NULL } };
static const struct elfcore_region r_wraps[] = { { 0xfffffffffffff000ull, 0x1000, page } };
static const struct elfcore_region r_huge[] = { { 0, 1ull << 63, page } };
static const struct elfcore_region r_overlap[] = { { 0x40000000, 0x2000, page },
						   { 0x40001000, 0x1000, page } };
static const struct elfcore_mapping m_empty[] = { { LINEAR_VA, 0x40000000, 0 } };
static const struct elfcore_mapping m_va_wraps[] = { { 0xfffffffffffff000ull, 0x40000000,
						       0x2000 } };
static const struct elfcore_mapping m_pa_wraps[] = { { LINEAR_VA, 0xfffffffffffff000ull, 0x2000 } };
static const struct elfcore_mapping m_off_page[] = { { LINEAR_VA + 0x800, 0x40000000, 0x1000 } };
static const struct elfcore_cpu c_sve_big[] = { { .sve = page, .sve_len = ELFCORE_MAX_SVE + 1 } };
static const struct elfcore_cpu c_sve_null[] = { { .sve = NULL, .sve_len = 16 } };

static const struct {
	const char *name;
	struct elfcore_desc d;
} bad[] = {
	{ "region of size 0", { .regions = r_empty, .nr_regions = 1 } },
	{ "region without host memory", { .regions = r_no_host, .nr_regions = 1 } },
	{ "region past 2^64", { .regions = r_wraps, .nr_regions = 1 } },
	{ "a file past off_t", { .regions = r_huge, .nr_regions = 1 } },
	{ "overlapping regions", { .regions = r_overlap, .nr_regions = 2 } },
	{ "regions NULL", { .regions = NULL, .nr_regions = 1 } },
	{ "cpus NULL", { .regions = r_ok, .nr_regions = 1, .cpus = NULL, .nr_cpus = 1 } },
	{ "mappings NULL", { .regions = r_ok, .nr_regions = 1, .nr_mappings = 1 } },
	{ "mapping of size 0",
	  { .regions = r_ok, .nr_regions = 1, .mappings = m_empty, .nr_mappings = 1 } },
	{ "mapping VA past 2^64",
	  { .regions = r_ok, .nr_regions = 1, .mappings = m_va_wraps, .nr_mappings = 1 } },
	{ "mapping PA past 2^64",
	  { .regions = r_ok, .nr_regions = 1, .mappings = m_pa_wraps, .nr_mappings = 1 } },
	{ "mapping VA - PA not a page multiple",
	  { .regions = r_ok, .nr_regions = 1, .mappings = m_off_page, .nr_mappings = 1 } },
	{ "SVE note too long", { .cpus = c_sve_big, .nr_cpus = 1 } },
	{ "SVE length without bytes", { .cpus = c_sve_null, .nr_cpus = 1 } },
};

static void expect_einval(const char *name, const struct elfcore_desc *d)
{
	struct sink s = { .fd = -1 };
	uint64_t size = 12345;

	if (elfcore_size(d, &size) != -EINVAL || size != 12345)
		fail_msg("%s: elfcore_size accepted it", name);
	if (elfcore_write(d, sink_write, &s) != -EINVAL || s.calls)
		fail_msg("%s: elfcore_write accepted it or wrote", name);
}

static void test_bad_descriptions(void **state)
{
	uint64_t size;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		expect_einval(bad[i].name, &bad[i].d);
	expect_einval("no description", NULL);
	assert_int_equal(
		elfcore_size(&(struct elfcore_desc){ .regions = r_ok, .nr_regions = 1 }, &size), 0);
}

/* At the limits it works (64 regions, each met by 64 mappings: 4161 program headers; 512
 * vCPUs; 64 KiB of VMCOREINFO); one more of anything is -EINVAL. */
static void test_limits(void **state)
{
	struct elfcore_region *regions = calloc(ELFCORE_MAX_REGIONS + 1, sizeof(*regions));
	struct elfcore_mapping *maps = calloc(ELFCORE_MAX_MAPPINGS + 1, sizeof(*maps));
	struct elfcore_cpu *cpus = calloc(ELFCORE_MAX_CPUS + 1, sizeof(*cpus));
	char *text = malloc(ELFCORE_MAX_VMCOREINFO + 1);
	struct elfcore_desc d = {
		.regions = regions,
		.nr_regions = ELFCORE_MAX_REGIONS,
		.cpus = cpus,
		.nr_cpus = ELFCORE_MAX_CPUS,
		.mappings = maps,
		.nr_mappings = ELFCORE_MAX_MAPPINGS,
		.vmcoreinfo = text,
		.vmcoreinfo_len = ELFCORE_MAX_VMCOREINFO,
	};
	struct elfcore_desc more;
	struct note *n = calloc(2 * ELFCORE_MAX_CPUS + 1, sizeof(*n));
	struct file f;
	unsigned int i;

	assert_non_null(n);
	assert_non_null(regions);
	assert_non_null(maps);
	assert_non_null(cpus);
	assert_non_null(text);
	memset(text, 'a', ELFCORE_MAX_VMCOREINFO + 1);
	for (i = 0; i <= ELFCORE_MAX_REGIONS; i++)
		regions[i] = (struct elfcore_region){ 0x40000000 + 0x2000ull * i, 0x1000, page };
	for (i = 0; i <= ELFCORE_MAX_MAPPINGS; i++)
		maps[i] = (struct elfcore_mapping){ LINEAR_VA + (0x100000000ull * i), 0x40000000,
						    0x1000000 };
	for (i = 0; i <= ELFCORE_MAX_CPUS; i++)
		fake_cpu(&cpus[i], i, (int32_t)i);

	f = dump(&d);
	assert_int_equal(ehdr(&f)->e_phnum, 1 + 64 + 64 * 64);
	assert_int_equal(read_notes(&f, n, 2 * ELFCORE_MAX_CPUS + 1), 2 * ELFCORE_MAX_CPUS + 1);
	check_cpu_notes(&n[2 * 511], &n[2 * 511 + 1], &cpus[511]);
	assert_int_equal(n[2 * ELFCORE_MAX_CPUS].descsz, ELFCORE_MAX_VMCOREINFO);
	check_load(&f, phdr(&f, 64 + 64 * 64), LINEAR_VA + 0x100000000ull * 63 + 0x2000 * 63,
		   0x40000000 + 0x2000 * 63, page, 0x1000);
	free(f.buf);

	more = d;
	more.nr_regions++;
	expect_einval("65 regions", &more);
	more = d;
	more.nr_cpus++;
	expect_einval("513 vCPUs", &more);
	more = d;
	more.nr_mappings++;
	expect_einval("65 mappings", &more);
	more = d;
	more.vmcoreinfo_len++;
	expect_einval("VMCOREINFO over 64 KiB", &more);
	text[100] = '\0'; /* now it ends at 100 bytes: fine */
	assert_int_equal(elfcore_size(&more, &(uint64_t){ 0 }), 0);

	free(n);
	free(text);
	free(cpus);
	free(maps);
	free(regions);
}

/* No RAM, no vCPUs, neither, no text: still a valid core, with just what there is. */
static void test_empty_parts(void **state)
{
	struct machine *m = machine_new();
	struct elfcore_desc d = { 0 };
	struct file f;
	struct note n[8];

	f = dump(&d);
	assert_int_equal(f.len, sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr));
	assert_int_equal(ehdr(&f)->e_phnum, 1);
	assert_int_equal(phdr(&f, 0)->p_filesz, 0);
	assert_int_equal(read_notes(&f, n, 8), 0);
	free(f.buf);

	d = m->desc; /* no vCPUs: only VMCOREINFO */
	d.nr_cpus = 0;
	d.cpus = NULL;
	f = dump(&d);
	assert_int_equal(read_notes(&f, n, 8), 1);
	assert_string_equal(n[0].name, "VMCOREINFO");
	check_load(&f, phdr(&f, 1), RAM0_PA, RAM0_PA, m->ram0, RAM0_SIZE);
	free(f.buf);

	d = m->desc; /* no RAM: the mappings meet nothing, so no PT_LOAD at all */
	d.nr_regions = 0;
	d.regions = NULL;
	d.vmcoreinfo_len = 0; /* and a text of no bytes is no note */
	f = dump(&d);
	assert_int_equal(ehdr(&f)->e_phnum, 1);
	assert_int_equal(read_notes(&f, n, 8), 4);
	assert_int_equal(f.len, phdr(&f, 0)->p_offset + phdr(&f, 0)->p_filesz);
	check_cpu_notes(&n[2], &n[3], &m->cpus[1]);
	free(f.buf);
	machine_free(m);
}

/* A region that starts and ends mid-page sits at its PA modulo the page; a mapping over a
 * hole in RAM becomes one PT_LOAD per region it meets. */
static void test_unaligned_regions_and_holes(void **state)
{
	uint8_t *a = malloc(0x1555), *b = malloc(0x3000);
	struct elfcore_region r[] = { { 0x40000a00, 0x1555, a }, { 0x40004000, 0x3000, b } };
	struct elfcore_mapping map = { LINEAR_VA, 0x3ffff000, 0x7000 }; /* ends in b */
	struct elfcore_desc d = {
		.regions = r, .nr_regions = 2, .mappings = &map, .nr_mappings = 1
	};
	struct file f;

	assert_non_null(a);
	assert_non_null(b);
	fill(a, 0x1555, 4);
	fill(b, 0x3000, 5);
	f = dump(&d);
	assert_int_equal(ehdr(&f)->e_phnum, 5);
	check_load(&f, phdr(&f, 1), 0x40000a00, 0x40000a00, a, 0x1555);
	check_load(&f, phdr(&f, 2), 0x40004000, 0x40004000, b, 0x3000);
	check_load(&f, phdr(&f, 3), LINEAR_VA + 0x1a00, 0x40000a00, a, 0x1555);
	check_load(&f, phdr(&f, 4), LINEAR_VA + 0x5000, 0x40004000, b, 0x2000);
	assert_true(phdr(&f, 2)->p_offset >= phdr(&f, 1)->p_offset + 0x1555);
	assert_int_equal(phdr(&f, 4)->p_offset, phdr(&f, 2)->p_offset);
	free(f.buf);
	free(a);
	free(b);
}

static void test_sve_note(void **state)
{
	struct machine *m = machine_new();
	uint8_t sve[30];
	struct file f;
	struct note n[8];

	fill(sve, sizeof(sve), 6);
	m->cpus[0].sve = sve;
	m->cpus[0].sve_len = sizeof(sve);
	f = dump(&m->desc);
	assert_int_equal(read_notes(&f, n, 8), 6);
	check_cpu_notes(&n[0], &n[1], &m->cpus[0]);
	assert_int_equal(n[2].namesz, 6);
	assert_string_equal(n[2].name, "LINUX");
	assert_int_equal(n[2].type, 0x405); /* NT_ARM_SVE */
	assert_int_equal(n[2].descsz, sizeof(sve));
	assert_memory_equal(n[2].desc, sve, sizeof(sve));
	check_cpu_notes(&n[3], &n[4], &m->cpus[1]);
	free(f.buf);
	machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prstatus_layout),
		cmocka_unit_test(test_dump_reads_back),
		cmocka_unit_test(test_short_writes_and_eintr),
		cmocka_unit_test(test_sparse_file_reads_back_the_same),
		cmocka_unit_test(test_enospc_midway),
		cmocka_unit_test(test_callback_errors),
		cmocka_unit_test(test_ram_streamed_from_host),
		cmocka_unit_test(test_bad_descriptions),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_empty_parts),
		cmocka_unit_test(test_unaligned_regions_and_holes),
		cmocka_unit_test(test_sve_note),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
