// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for src/loader.c: images are built in memory (a two-segment ELF, Linux
 * Image headers, raw blobs), then broken one field at a time. No KVM, no files. */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "loader.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (16ull << 20)
#define SZ_2M (2ull << 20)
#define FILL 0xaa

static struct guest_ram ram;
static char err[256];

static int ram_setup(void **state)
{
	ram.base = RAM_BASE;
	ram.size = RAM_SIZE;
	ram.hva = malloc(RAM_SIZE);
	if (!ram.hva)
		return -1;
	memset(ram.hva, FILL, RAM_SIZE);
	err[0] = '\0';
	return 0;
}

static int ram_teardown(void **state)
{
	free(ram.hva);
	ram.hva = NULL;
	return 0;
}

static uint8_t *gpa(gpa_t a)
{
	return ram.hva + (a - RAM_BASE);
}

/* ------------------------------------------------------------------ ELF */

/* Two PT_LOAD segments: code (0x100 bytes of 0x11) and data (0x80 bytes of 0x22
 * followed by 0xf80 bytes of BSS), plus a PT_NOTE that must be ignored. */
#define SEG0_PADDR (RAM_BASE + 0x80000)
#define SEG1_PADDR (RAM_BASE + 0x100000)
#define ELF_ENTRY (SEG0_PADDR + 0x10)
#define ELF_LEN 0x400

struct elf_img {
	union {
		uint8_t bytes[ELF_LEN];
		struct {
			Elf64_Ehdr eh;
			Elf64_Phdr ph[3];
		};
	};
	size_t len;
};

static void make_elf(struct elf_img *e)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->eh.e_ident, ELFMAG, SELFMAG);
	e->eh.e_ident[EI_CLASS] = ELFCLASS64;
	e->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	e->eh.e_ident[EI_VERSION] = EV_CURRENT;
	e->eh.e_type = ET_EXEC;
	e->eh.e_machine = EM_AARCH64;
	e->eh.e_version = EV_CURRENT;
	e->eh.e_entry = ELF_ENTRY;
	e->eh.e_phoff = offsetof(struct elf_img, ph);
	e->eh.e_ehsize = sizeof(Elf64_Ehdr);
	e->eh.e_phentsize = sizeof(Elf64_Phdr);
	e->eh.e_phnum = 3;
	e->ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD,
				 .p_offset = 0x200,
				 .p_vaddr = SEG0_PADDR,
				 .p_paddr = SEG0_PADDR,
				 .p_filesz = 0x100,
				 .p_memsz = 0x100 };
	e->ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD,
				 .p_offset = 0x300,
				 .p_vaddr = SEG1_PADDR,
				 .p_paddr = SEG1_PADDR,
				 .p_filesz = 0x80,
				 .p_memsz = 0x1000 };
	e->ph[2] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = 0x380, .p_filesz = 0x10 };
	memset(e->bytes + 0x200, 0x11, 0x100);
	memset(e->bytes + 0x300, 0x22, 0x80);
	e->len = ELF_LEN;
}

static void elf_ok(struct elf_img *e)
{
}

static void elf_bad_magic(struct elf_img *e)
{
	e->bytes[1] = 'X';
}

static void elf_class32(struct elf_img *e)
{
	e->eh.e_ident[EI_CLASS] = ELFCLASS32;
}

static void elf_big_endian(struct elf_img *e)
{
	e->eh.e_ident[EI_DATA] = ELFDATA2MSB;
}

static void elf_truncated_header(struct elf_img *e)
{
	e->len = 40;
}

static void elf_x86_64(struct elf_img *e)
{
	e->eh.e_machine = EM_X86_64;
}

static void elf_dyn(struct elf_img *e)
{
	e->eh.e_type = ET_DYN;
}

static void elf_phoff_oob(struct elf_img *e)
{
	e->eh.e_phoff = ELF_LEN - sizeof(Elf64_Phdr);
}

static void elf_phoff_overflow(struct elf_img *e)
{
	e->eh.e_phoff = UINT64_MAX - 8;
}

static void elf_phentsize(struct elf_img *e)
{
	e->eh.e_phentsize = 32;
}

static void elf_no_phdrs(struct elf_img *e)
{
	e->eh.e_phnum = 0;
}

static void elf_no_load(struct elf_img *e)
{
	e->ph[0].p_type = PT_NULL;
	e->ph[1].p_type = PT_NOTE;
}

static void elf_seg_outside_ram(struct elf_img *e)
{
	e->ph[1].p_paddr = 0x80000000;
}

static void elf_seg_straddles_ram_end(struct elf_img *e)
{
	e->ph[1].p_paddr = RAM_BASE + RAM_SIZE - 0x800;
}

static void elf_seg_wraps(struct elf_img *e)
{
	e->ph[1].p_paddr = UINT64_MAX - 0x10;
}

static void elf_filesz_gt_memsz(struct elf_img *e)
{
	e->ph[0].p_filesz = 0x200;
}

static void elf_offset_overflow(struct elf_img *e)
{
	e->ph[1].p_offset = UINT64_MAX - 0x10;
}

static void elf_data_past_eof(struct elf_img *e)
{
	e->ph[1].p_offset = ELF_LEN - 0x40;
}

static void elf_entry_outside(struct elf_img *e)
{
	e->eh.e_entry = RAM_BASE + 0x800000;
}

static void elf_entry_in_bss(struct elf_img *e)
{
	e->eh.e_entry = SEG1_PADDR + 0x800;
}

/* Linked at a high virtual address, loaded at its physical one: the vCPU starts
 * with the MMU off, so the entry must come back physical. */
static void elf_virtual_entry(struct elf_img *e)
{
	e->ph[0].p_vaddr = 0xffff800000080000ull;
	e->eh.e_entry = 0xffff800000080010ull;
}

static const struct elf_case {
	const char *name;
	void (*mutate)(struct elf_img *e);
	int ret;
	const char *msg; /* expected err (substring); NULL for success */
	enum image_kind kind;
	gpa_t entry;
} elf_cases[] = {
	{ "elf: two PT_LOAD segments", elf_ok, 0, NULL, IMAGE_ELF, ELF_ENTRY },
	{ "elf: bad magic loads as raw", elf_bad_magic, 0, NULL, IMAGE_RAW, RAM_BASE },
	{ "elf: ELFCLASS32", elf_class32, -ENOEXEC,
	  "32-bit ELF (machine 183): not an aarch64 ELF64 image", IMAGE_ELF, 0 },
	{ "elf: big-endian", elf_big_endian, -ENOEXEC, "big-endian ELF", IMAGE_ELF, 0 },
	{ "elf: truncated header", elf_truncated_header, -ENOEXEC, "truncated ELF header: 40 bytes",
	  IMAGE_ELF, 0 },
	{ "elf: EM_X86_64", elf_x86_64, -ENOEXEC, "not an aarch64 ELF (machine 62)", IMAGE_ELF, 0 },
	{ "elf: ET_DYN", elf_dyn, -ENOEXEC, "ELF type 3 is not ET_EXEC", IMAGE_ELF, 0 },
	{ "elf: phoff out of bounds", elf_phoff_oob, -ENOEXEC, "run past the end of the file",
	  IMAGE_ELF, 0 },
	{ "elf: phoff overflow", elf_phoff_overflow, -ENOEXEC, "run past the end of the file",
	  IMAGE_ELF, 0 },
	{ "elf: bad phentsize", elf_phentsize, -ENOEXEC, "bad ELF program header table", IMAGE_ELF,
	  0 },
	{ "elf: no program headers", elf_no_phdrs, -ENOEXEC, "bad ELF program header table",
	  IMAGE_ELF, 0 },
	{ "elf: no PT_LOAD", elf_no_load, -ENOEXEC, "no loadable", IMAGE_ELF, 0 },
	{ "elf: segment outside RAM", elf_seg_outside_ram, -ERANGE,
	  "ELF segment 1 at 0x80000000+0x1000 is outside guest RAM (0x40000000-0x40ffffff)",
	  IMAGE_ELF, 0 },
	{ "elf: segment past RAM end", elf_seg_straddles_ram_end, -ERANGE, "is outside guest RAM",
	  IMAGE_ELF, 0 },
	{ "elf: segment wraps around", elf_seg_wraps, -ERANGE, "is outside guest RAM", IMAGE_ELF,
	  0 },
	{ "elf: filesz > memsz", elf_filesz_gt_memsz, -ENOEXEC,
	  "ELF segment 0: file size 0x200 > memory size 0x100", IMAGE_ELF, 0 },
	{ "elf: offset+filesz overflow", elf_offset_overflow, -ENOEXEC,
	  "runs past the end of the file", IMAGE_ELF, 0 },
	{ "elf: data past end of file", elf_data_past_eof, -ENOEXEC,
	  "ELF segment 1: file data 0x3c0+0x80 runs past the end of the file (1024 bytes)",
	  IMAGE_ELF, 0 },
	{ "elf: entry outside segments", elf_entry_outside, -ENOEXEC,
	  "ELF entry point 0x40800000 is not inside a loaded segment", IMAGE_ELF, 0 },
	{ "elf: entry in BSS", elf_entry_in_bss, 0, NULL, IMAGE_ELF, SEG1_PADDR + 0x800 },
	{ "elf: virtual entry -> physical", elf_virtual_entry, 0, NULL, IMAGE_ELF, ELF_ENTRY },
};

static void check_untouched(gpa_t a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(gpa(a)[i], FILL);
}

static void check_bytes(gpa_t a, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(gpa(a)[i], v);
}

static void run_elf_case(void **state)
{
	const struct elf_case *c = *state;
	struct image_info info = { .entry = 0x1234 };
	struct elf_img e;
	int ret;

	make_elf(&e);
	c->mutate(&e);
	ret = loader_load(e.bytes, e.len, &ram, NULL, &info, err, sizeof(err));
	assert_int_equal(ret, c->ret);
	if (c->ret) {
		assert_non_null(strstr(err, c->msg));
		assert_null(strchr(err, '\n'));
		/* Nothing is written, to RAM or info, unless the whole image is valid. */
		check_untouched(SEG0_PADDR, 0x100);
		assert_int_equal(info.entry, 0x1234);
		assert_int_equal(info.end, 0);
		return;
	}
	assert_int_equal(info.kind, c->kind);
	assert_int_equal(info.entry, c->entry);
	assert_false(info.is_linux);
	if (c->kind != IMAGE_ELF)
		return;
	check_bytes(SEG0_PADDR, 0x100, 0x11);
	check_bytes(SEG1_PADDR, 0x80, 0x22);
	check_bytes(SEG1_PADDR + 0x80, 0xf80, 0); /* memsz - filesz is zeroed */
	check_untouched(SEG1_PADDR + 0x1000, 16);
	assert_int_equal(info.start, SEG0_PADDR);
	assert_int_equal(info.end, SEG1_PADDR + 0x1000);
}

/* ------------------------------------------------------------------ Linux Image */

#define IMG_LEN 0x1000

static void put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++, v >>= 8)
		p[i] = v & 0xff;
}

static void make_image(uint8_t *buf, uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	memset(buf, 0x33, IMG_LEN);
	put_le(buf + 0x08, text_offset, 8);
	put_le(buf + 0x10, image_size, 8);
	put_le(buf + 0x18, flags, 8);
	memset(buf + 0x20, 0, 0x18);
	memcpy(buf + 0x38, "ARM\x64", 4);
	put_le(buf + 0x3c, 0, 4);
}

/* An EFI-stub style header: "MZ", a PE header at 0x40 and one section whose raw
 * data ends at raw_end, as in distribution kernels. */
static void add_pe(uint8_t *buf, uint32_t raw_end)
{
	uint8_t *pe = buf + 0x40, *sec;

	buf[0] = 'M';
	buf[1] = 'Z';
	put_le(buf + 0x3c, 0x40, 4);
	memset(pe, 0, 24 + 40);
	memcpy(pe, "PE\0\0", 4);
	put_le(pe + 4, 0xaa64, 2); /* IMAGE_FILE_MACHINE_ARM64 */
	put_le(pe + 6, 1, 2);      /* one section */
	put_le(pe + 20, 0, 2);     /* no optional header */
	sec = pe + 24;
	memcpy(sec, ".text", 5);
	put_le(sec + 16, raw_end - 0x1000, 4); /* SizeOfRawData */
	put_le(sec + 20, 0x1000, 4);           /* PointerToRawData */
}

static const struct image_case {
	const char *name;
	gpa_t ram_base;
	uint64_t text_offset, image_size, flags;
	uint32_t pe_raw_end; /* 0: no PE header */
	size_t len;
	int ret;
	const char *msg;
	gpa_t entry, end;
} image_cases[] = {
	{ "image: text_offset 0", RAM_BASE, 0, 0x200000, 0xa, 0, IMG_LEN, 0, NULL, RAM_BASE,
	  RAM_BASE + 0x200000 },
	{ "image: text_offset 0x80000", RAM_BASE, 0x80000, 0x200000, 0xa, 0, IMG_LEN, 0, NULL,
	  RAM_BASE + 0x80000, RAM_BASE + 0x280000 },
	{ "image: RAM base not 2 MiB aligned", RAM_BASE + 0x100000, 0x80000, 0x200000, 0xa, 0,
	  IMG_LEN, 0, NULL, RAM_BASE + SZ_2M + 0x80000, RAM_BASE + SZ_2M + 0x280000 },
	{ "image: image_size 0 means text_offset 0x80000", RAM_BASE, 0x12345, 0, 0, 0, IMG_LEN, 0,
	  NULL, RAM_BASE + 0x80000, RAM_BASE + 0x80000 + IMG_LEN },
	{ "image: phys placement bit 3 set", RAM_BASE, 0, 0x200000, 0xa | 8, 0, IMG_LEN, 0, NULL,
	  RAM_BASE, RAM_BASE + 0x200000 },
	{ "image: with complete PE header", RAM_BASE, 0, 0x200000, 0xa, IMG_LEN, IMG_LEN, 0, NULL,
	  RAM_BASE, RAM_BASE + 0x200000 },
	{ "image: big-endian flag", RAM_BASE, 0, 0x200000, 0xa | 1, 0, IMG_LEN, -ENOEXEC,
	  "big-endian Linux Image is not supported", 0, 0 },
	{ "image: truncated header", RAM_BASE, 0, 0x200000, 0xa, 0, 0x3e, -ENOEXEC,
	  "truncated Linux Image: header says 64 bytes, file has 62", 0, 0 },
	{ "image: truncated (PE header)", RAM_BASE, 0, 0x2010000, 0xa, 31981568, IMG_LEN, -ENOEXEC,
	  "truncated Linux Image: header says 31981568 bytes, file has 4096", 0, 0 },
	{ "image: image_size larger than RAM", RAM_BASE, 0, 32ull << 20, 0xa, 0, IMG_LEN, -ERANGE,
	  "Linux Image needs 0x2000000 bytes at 2 MiB + text_offset 0x0, outside guest RAM "
	  "(0x40000000-0x40ffffff)",
	  0, 0 },
	{ "image: text_offset past RAM", RAM_BASE, RAM_SIZE, 0x1000, 0xa, 0, IMG_LEN, -ERANGE,
	  "outside guest RAM", 0, 0 },
	{ "image: text_offset overflow", RAM_BASE, UINT64_MAX - 0x1000, 0x1000, 0xa, 0, IMG_LEN,
	  -ERANGE, "outside guest RAM", 0, 0 },
};

static void run_image_case(void **state)
{
	const struct image_case *c = *state;
	struct guest_ram r = { .base = c->ram_base,
			       .size = RAM_SIZE - (c->ram_base - RAM_BASE),
			       .hva = gpa(c->ram_base) };
	struct image_info info = { 0 };
	uint8_t buf[IMG_LEN];
	int ret;

	make_image(buf, c->text_offset, c->image_size, c->flags);
	if (c->pe_raw_end)
		add_pe(buf, c->pe_raw_end);
	ret = loader_load(buf, c->len, &r, NULL, &info, err, sizeof(err));
	assert_int_equal(ret, c->ret);
	if (c->ret) {
		assert_non_null(strstr(err, c->msg));
		check_untouched(RAM_BASE, 0x100);
		return;
	}
	assert_int_equal(info.kind, IMAGE_LINUX);
	assert_true(info.is_linux);
	assert_int_equal(info.entry, c->entry);
	assert_int_equal(info.start, c->entry);
	assert_int_equal(info.end, c->end);
	assert_memory_equal(gpa(c->entry), buf, IMG_LEN);
}

/* ------------------------------------------------------------------ raw */

static const struct raw_case {
	const char *name;
	gpa_t load_addr;
	uint64_t ram_size; /* 0: RAM_SIZE */
	size_t len;
	int ret;
	const char *msg;
	gpa_t entry;
} raw_cases[] = {
	{ "raw: default address", 0, 0, 0x100, 0, NULL, RAM_BASE },
	{ "raw: at load_addr", RAM_BASE + 0x200000, 0, 0x100, 0, NULL, RAM_BASE + 0x200000 },
	{ "raw: fills RAM exactly", 0, 0x10000, 0x10000, 0, NULL, RAM_BASE },
	{ "raw: bigger than RAM", 0, 0x10000, 0x10001, -E2BIG,
	  "raw image of 65537 bytes is larger than guest RAM (65536 bytes)", 0 },
	{ "raw: past the end of RAM", RAM_BASE + RAM_SIZE - 0x80, 0, 0x100, -ERANGE,
	  "raw image at 0x40ffff80+0x100 is outside guest RAM (0x40000000-0x40ffffff)", 0 },
	{ "raw: below RAM", 0x1000, 0, 0x100, -ERANGE, "is outside guest RAM", 0 },
	{ "raw: empty", 0, 0, 0, -ENOEXEC, "empty image", 0 },
};

static void run_raw_case(void **state)
{
	const struct raw_case *c = *state;
	struct guest_ram r = ram;
	struct load_opts opts = { .load_addr = c->load_addr };
	struct image_info info = { 0 };
	uint8_t *buf = malloc(c->len + 1);
	int ret;

	assert_non_null(buf);
	memset(buf, 0x44, c->len + 1);
	if (c->ram_size)
		r.size = c->ram_size;
	ret = loader_load(buf, c->len, &r, &opts, &info, err, sizeof(err));
	assert_int_equal(ret, c->ret);
	if (c->ret) {
		assert_non_null(strstr(err, c->msg));
	} else {
		assert_int_equal(info.kind, IMAGE_RAW);
		assert_int_equal(info.entry, c->entry);
		assert_int_equal(info.start, c->entry);
		assert_int_equal(info.end, c->entry + c->len);
		assert_false(info.is_linux);
		check_bytes(c->entry, c->len, 0x44);
	}
	free(buf);
}

/* ------------------------------------------------------------------ placement */

static const struct image_info linux_at_base = { .kind = IMAGE_LINUX,
						 .entry = RAM_BASE,
						 .start = RAM_BASE,
						 .end = RAM_BASE + 0x200000,
						 .is_linux = true };

static void test_place_dtb_and_initrd(void **state)
{
	gpa_t dtb, initrd;

	assert_int_equal(loader_place_dtb(&ram, &linux_at_base, 0x10000, &dtb, err, sizeof(err)),
			 0);
	assert_int_equal(dtb, RAM_BASE + RAM_SIZE - SZ_2M);
	assert_int_equal(dtb % 8, 0);
	assert_int_equal(
		loader_place_initrd(&ram, &linux_at_base, 0x100001, &initrd, err, sizeof(err)), 0);
	assert_int_equal(initrd % 4096, 0);
	assert_true(initrd + 0x100001 <= dtb);
	assert_true(initrd >= linux_at_base.end);
	assert_int_equal(initrd, dtb - 0x101000);
}

static void test_place_dtb_ram_end_unaligned(void **state)
{
	struct guest_ram r = ram;
	gpa_t dtb;

	r.size = RAM_SIZE - 0x100000; /* ends 1 MiB into a 2 MiB block */
	assert_int_equal(loader_place_dtb(&r, NULL, 0x1000, &dtb, err, sizeof(err)), 0);
	assert_int_equal(dtb, RAM_BASE + RAM_SIZE - 2 * SZ_2M);
}

static void test_place_dtb_too_big(void **state)
{
	gpa_t dtb;

	assert_int_equal(
		loader_place_dtb(&ram, &linux_at_base, LOADER_DTB_MAX + 1, &dtb, err, sizeof(err)),
		-E2BIG);
	assert_non_null(strstr(err, "at most 2 MiB"));
}

static void test_place_dtb_covered_by_image(void **state)
{
	struct image_info big = linux_at_base;
	gpa_t dtb;

	big.end = RAM_BASE + RAM_SIZE - 0x1000;
	assert_int_equal(loader_place_dtb(&ram, &big, 0x1000, &dtb, err, sizeof(err)), -ENOSPC);
	assert_non_null(strstr(err, "covers the DTB's place at 0x40e00000"));
}

static void test_place_dtb_tiny_ram(void **state)
{
	struct guest_ram r = ram;
	gpa_t dtb;

	r.size = SZ_2M - 1;
	assert_int_equal(loader_place_dtb(&r, NULL, 0x1000, &dtb, err, sizeof(err)), -ENOSPC);
}

/* RAM at gpa 0 holding exactly one 2 MiB block: the DTB goes at 0. */
static void test_place_dtb_ram_at_zero(void **state)
{
	struct guest_ram r = { .base = 0, .size = SZ_2M, .hva = NULL };
	gpa_t dtb = 1;

	assert_int_equal(loader_place_dtb(&r, NULL, 0x1000, &dtb, err, sizeof(err)), 0);
	assert_int_equal(dtb, 0);
}

static void test_place_initrd_no_room(void **state)
{
	gpa_t initrd;

	/* 16 MiB RAM - 2 MiB kernel - 2 MiB DTB block leaves 12 MiB. */
	assert_int_equal(
		loader_place_initrd(&ram, &linux_at_base, 12ull << 20, &initrd, err, sizeof(err)),
		0);
	assert_int_equal(initrd, linux_at_base.end);
	assert_int_equal(loader_place_initrd(&ram, &linux_at_base, (12ull << 20) + 1, &initrd, err,
					     sizeof(err)),
			 -ENOSPC);
	assert_non_null(strstr(err, "no room for 0xc00001 bytes"));
	assert_int_equal(
		loader_place_initrd(&ram, &linux_at_base, RAM_SIZE + 1, &initrd, err, sizeof(err)),
		-E2BIG);
}

/* An image at the top of RAM pushes the blob below it. */
static void test_place_below_image(void **state)
{
	struct image_info top = { .kind = IMAGE_ELF,
				  .start = RAM_BASE + 0xf00000,
				  .end = RAM_BASE + RAM_SIZE };
	gpa_t a;

	assert_int_equal(loader_place(&ram, &top, 0, 0x1800, 0x1000, &a, err, sizeof(err)), 0);
	assert_int_equal(a, RAM_BASE + 0xf00000 - 0x2000);
	assert_int_equal(loader_place(&ram, &top, 0, 0xf00001, 8, &a, err, sizeof(err)), -ENOSPC);
	assert_int_equal(loader_place(&ram, &top, 0, 0x100, 3, &a, err, sizeof(err)), -ENOSPC);
	assert_int_equal(loader_place(&ram, &top, RAM_BASE, 0x100, 8, &a, err, sizeof(err)),
			 -ENOSPC);
}

/* booting.rst: initrd and kernel within one 1 GiB-aligned 32 GiB window. */
static void test_place_initrd_window(void **state)
{
	struct guest_ram big = { .base = RAM_BASE, .size = 40ull << 30, .hva = NULL };
	gpa_t initrd;

	assert_int_equal(
		loader_place_initrd(&big, &linux_at_base, 0x1000, &initrd, err, sizeof(err)),
		-ENOSPC);
	assert_non_null(strstr(err, "32 GiB"));
}

/* ------------------------------------------------------------------ copy hook */

/* What the loader handed to opts->copy: every copy must come from inside the buffer. */
struct copy_log {
	const uint8_t *buf;
	size_t len, bytes;
	unsigned int calls;
};

static void log_copy(void *opaque, void *dst, const void *src, size_t n)
{
	struct copy_log *log = opaque;
	const uint8_t *s = src;

	assert_true(s >= log->buf && n <= log->len && s - log->buf <= (ptrdiff_t)(log->len - n));
	memcpy(dst, src, n);
	log->bytes += n;
	log->calls++;
}

/* Each loader copies the file's bytes through the hook (board.c's gives a mapping's pages
 * back as it goes), and only there: the BSS is zeroed, not copied. */
static void test_copy_hook(void **state)
{
	static uint8_t image[IMG_LEN], raw[0x300];
	struct copy_log log = { 0 };
	struct load_opts opts = { .copy = log_copy, .copy_opaque = &log };
	struct image_info info;
	struct elf_img e;

	make_elf(&e);
	log = (struct copy_log){ .buf = e.bytes, .len = e.len };
	assert_int_equal(loader_load(e.bytes, e.len, &ram, &opts, &info, err, sizeof(err)), 0);
	assert_int_equal(log.calls, 2);
	assert_int_equal(log.bytes, 0x100 + 0x80); /* the two segments' p_filesz */
	check_bytes(SEG1_PADDR, 0x80, 0x22);
	check_bytes(SEG1_PADDR + 0x80, 0xf80, 0);

	make_image(image, 0x80000, 0x2000, 0);
	log = (struct copy_log){ .buf = image, .len = sizeof(image) };
	assert_int_equal(loader_load(image, sizeof(image), &ram, &opts, &info, err, sizeof(err)),
			 0);
	assert_int_equal(log.calls, 1);
	assert_int_equal(log.bytes, sizeof(image));
	assert_memory_equal(gpa(info.start), image, sizeof(image));

	memset(raw, 0x44, sizeof(raw));
	log = (struct copy_log){ .buf = raw, .len = sizeof(raw) };
	assert_int_equal(loader_load(raw, sizeof(raw), &ram, &opts, &info, err, sizeof(err)), 0);
	assert_int_equal(log.calls, 1);
	assert_int_equal(log.bytes, sizeof(raw));
	check_bytes(RAM_BASE, sizeof(raw), 0x44);
}

/* ------------------------------------------------------------------ main */

#define MAX_TESTS 64

static size_t add_cases(struct CMUnitTest *t, size_t n, const void *rows, size_t nrows,
			size_t rowsize, const char *(*name)(const void *row), CMUnitTestFunction fn)
{
	for (size_t i = 0; i < nrows && n < MAX_TESTS; i++) {
		const void *row = (const char *)rows + i * rowsize;

		t[n++] = (struct CMUnitTest){ .name = name(row),
					      .test_func = fn,
					      .setup_func = ram_setup,
					      .teardown_func = ram_teardown,
					      .initial_state = (void *)row };
	}
	return n;
}

static const char *elf_name(const void *r)
{
	return ((const struct elf_case *)r)->name;
}

static const char *image_name(const void *r)
{
	return ((const struct image_case *)r)->name;
}

static const char *raw_name(const void *r)
{
	return ((const struct raw_case *)r)->name;
}

#define PLACE_TEST(f) cmocka_unit_test_setup_teardown(f, ram_setup, ram_teardown)

int main(void)
{
	static const struct CMUnitTest place[] = {
		PLACE_TEST(test_place_dtb_and_initrd), PLACE_TEST(test_place_dtb_ram_end_unaligned),
		PLACE_TEST(test_place_dtb_too_big),    PLACE_TEST(test_place_dtb_covered_by_image),
		PLACE_TEST(test_place_dtb_tiny_ram),   PLACE_TEST(test_place_dtb_ram_at_zero),
		PLACE_TEST(test_place_initrd_no_room), PLACE_TEST(test_place_below_image),
		PLACE_TEST(test_place_initrd_window),  PLACE_TEST(test_copy_hook),
	};
	struct CMUnitTest t[MAX_TESTS];
	size_t n = 0;

	n = add_cases(t, n, elf_cases, ARRAY_SIZE(elf_cases), sizeof(elf_cases[0]), elf_name,
		      run_elf_case);
	n = add_cases(t, n, image_cases, ARRAY_SIZE(image_cases), sizeof(image_cases[0]),
		      image_name, run_image_case);
	n = add_cases(t, n, raw_cases, ARRAY_SIZE(raw_cases), sizeof(raw_cases[0]), raw_name,
		      run_raw_case);
	for (size_t i = 0; i < ARRAY_SIZE(place) && n < MAX_TESTS; i++)
		t[n++] = place[i];
	return _cmocka_run_group_tests("loader", t, n, NULL, NULL);
}
