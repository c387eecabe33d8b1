// SPDX-License-Identifier: GPL-3.0-or-later
/* Image loaders over a buffer: arm64 Linux Image, aarch64 ELF64 and raw binaries,
 * recognised by content, plus where the DTB and initrd go. Every size and offset
 * comes from a file the user handed us, so each is checked (overflow included)
 * before anything is written to guest RAM. */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "errmsg.h"
#include "loader.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the ELF header structs are read in place: little-endian hosts only"
#endif

#define SZ_2M (2ull << 20)
#define SZ_1G (1ull << 30)
#define PAGE_SIZE_4K 4096ull

/* booting.rst, "Call the kernel image": the 64-byte header. */
#define IMAGE_HDR_SIZE 64
#define IMAGE_TEXT_OFFSET 0x08
#define IMAGE_SIZE 0x10
#define IMAGE_FLAGS 0x18
#define IMAGE_MAGIC 0x38
#define IMAGE_PE_OFFSET 0x3c
#define IMAGE_FLAG_BE (1ull << 0)
/* "Where image_size is zero, text_offset can be assumed to be 0x80000." */
#define IMAGE_OLD_TEXT_OFFSET 0x80000ull
/* "the initrd must reside entirely within a 1 GB aligned physical memory window of
 * up to 32 GB in size that fully covers the kernel Image as well." */
#define INITRD_WINDOW (32ull << 30)

/* PE/COFF (EFI stub): "PE\0\0", a 20-byte COFF header, then the optional header. */
#define PE_COFF_NSECTIONS 6
#define PE_COFF_OPTHDR_SIZE 20
#define PE_COFF_SIZE 24
#define PE_SECTION_SIZE 40
#define PE_SECTION_RAW_SIZE 16
#define PE_SECTION_RAW_PTR 20

static uint64_t get_le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static gpa_t ram_last(const struct guest_ram *ram)
{
	return ram->base + ram->size - 1;
}

static uint64_t align_down(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

/* Every byte of the image reaches guest RAM through here. */
static void copy_out(const struct load_opts *opts, void *dst, const uint8_t *src, size_t n)
{
	if (opts && opts->copy)
		opts->copy(opts->copy_opaque, dst, src, n);
	else
		memcpy(dst, src, n);
}

/* [a, a + alen) and [b, b + blen) intersect; neither wraps (checked by callers). */
static bool overlaps(gpa_t a, uint64_t alen, gpa_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/*
 * An EFI-stub kernel carries a PE/COFF header whose section table says where the
 * file's data ends. It is the only reliable truncation check for an Image: the file
 * is always shorter than image_size (which counts the BSS), by an amount only the
 * kernel's link knows. An Image without a PE header (no EFI stub) is taken as is.
 */
static int check_pe_extent(const uint8_t *buf, size_t len, char *err, size_t errlen)
{
	uint64_t pe = get_le(buf + IMAGE_PE_OFFSET, 4), sec, extent = 0;
	unsigned int i, nsec;

	if (buf[0] != 'M' || buf[1] != 'Z' || pe > len || len - pe < PE_COFF_SIZE ||
	    memcmp(buf + pe, "PE\0\0", 4))
		return 0;
	nsec = get_le(buf + pe + PE_COFF_NSECTIONS, 2);
	sec = pe + PE_COFF_SIZE + get_le(buf + pe + PE_COFF_OPTHDR_SIZE, 2);
	if (sec > len || (len - sec) / PE_SECTION_SIZE < nsec)
		return errmsg_fail(err, errlen, -ENOEXEC,
			    "truncated Linux Image: PE section table at 0x%" PRIx64
			    " is past the end of the file (%zu bytes)",
			    sec, len);
	for (i = 0; i < nsec; i++) {
		const uint8_t *s = buf + sec + (uint64_t)i * PE_SECTION_SIZE;
		uint64_t end =
			get_le(s + PE_SECTION_RAW_PTR, 4) + get_le(s + PE_SECTION_RAW_SIZE, 4);

		if (end > extent)
			extent = end;
	}
	if (extent > len)
		return errmsg_fail(err, errlen, -ENOEXEC,
			    "truncated Linux Image: header says %" PRIu64 " bytes, file has %zu",
			    extent, len);
	return 0;
}

static int load_linux(const uint8_t *buf, size_t len, struct guest_ram *ram,
		      const struct load_opts *opts, struct image_info *info, char *err,
		      size_t errlen)
{
	uint64_t text_offset, image_size, flags, size;
	gpa_t base, start;
	uint8_t *dst;
	int ret;

	if (len < IMAGE_HDR_SIZE)
		return errmsg_fail(err, errlen, -ENOEXEC,
			    "truncated Linux Image: header says %d bytes, file has %zu",
			    IMAGE_HDR_SIZE, len);
	text_offset = get_le(buf + IMAGE_TEXT_OFFSET, 8);
	image_size = get_le(buf + IMAGE_SIZE, 8);
	flags = get_le(buf + IMAGE_FLAGS, 8);
	if (image_size == 0) /* before v3.17: text_offset has unknown endianness */
		text_offset = IMAGE_OLD_TEXT_OFFSET;
	else if (flags & IMAGE_FLAG_BE)
		return errmsg_fail(err, errlen, -ENOEXEC, "big-endian Linux Image is not supported");
	ret = check_pe_extent(buf, len, err, errlen);
	if (ret)
		return ret;
	/*
	 * "The Image must be placed text_offset bytes from a 2MB aligned base address".
	 * Flags bit 3 (physical placement) = 0 asks for that base to be as close as
	 * possible to the start of DRAM; = 1 allows anywhere below 2^48. The lowest 2 MiB
	 * boundary in RAM satisfies both. "At least image_size bytes from the start of
	 * the image must be free for use by the kernel."
	 */
	size = image_size > len ? image_size : len; /* a file longer than image_size: keep it all */
	base = (ram->base + SZ_2M - 1) & ~(SZ_2M - 1);
	if (base < ram->base || __builtin_add_overflow(base, text_offset, &start) ||
	    !(dst = guest_ram_ptr(ram, start, size)))
		return errmsg_fail(err, errlen, -ERANGE,
			    "Linux Image needs 0x%" PRIx64
			    " bytes at 2 MiB + text_offset 0x%" PRIx64
			    ", outside guest RAM (0x%" PRIx64 "-0x%" PRIx64 ")",
			    size, text_offset, ram->base, ram_last(ram));
	copy_out(opts, dst, buf, len);
	*info = (struct image_info){ .kind = IMAGE_LINUX,
				     .entry = start,
				     .start = start,
				     .end = start + size,
				     .is_linux = true };
	return 0;
}

static int check_ehdr(const uint8_t *buf, size_t len, Elf64_Ehdr *eh, char *err, size_t errlen)
{
	uint64_t phend;

	/* e_machine sits at offset 18 in both classes. */
	if (len >= 20 && buf[EI_CLASS] == ELFCLASS32)
		return errmsg_fail(err, errlen, -ENOEXEC,
			    "32-bit ELF (machine %" PRIu64 "): not an aarch64 ELF64 image",
			    get_le(buf + 18, 2));
	if (len < EI_NIDENT || buf[EI_CLASS] != ELFCLASS64)
		return errmsg_fail(err, errlen, -ENOEXEC, "not an ELF64 file (truncated or bad class)");
	if (buf[EI_DATA] != ELFDATA2LSB)
		return errmsg_fail(err, errlen, -ENOEXEC, "big-endian ELF is not supported");
	if (len < sizeof(*eh))
		return errmsg_fail(err, errlen, -ENOEXEC, "truncated ELF header: %zu bytes", len);
	memcpy(eh, buf, sizeof(*eh));
	if (eh->e_machine != EM_AARCH64)
		return errmsg_fail(err, errlen, -ENOEXEC, "not an aarch64 ELF (machine %u)",
			    eh->e_machine);
	if (eh->e_type != ET_EXEC)
		return errmsg_fail(err, errlen, -ENOEXEC,
			    "ELF type %u is not ET_EXEC (link the guest at a fixed address)",
			    eh->e_type);
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 || eh->e_phnum == PN_XNUM)
		return errmsg_fail(err, errlen, -ENOEXEC,
			    "bad ELF program header table (%u entries of %u bytes)", eh->e_phnum,
			    eh->e_phentsize);
	if (__builtin_add_overflow(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr),
				   &phend) ||
	    phend > len)
		return errmsg_fail(err, errlen, -ENOEXEC,
			    "ELF program headers at 0x%" PRIx64
			    " run past the end of the file (%zu bytes)",
			    (uint64_t)eh->e_phoff, len);
	return 0;
}

static int check_phdr(const Elf64_Phdr *ph, unsigned int i, size_t len, const struct guest_ram *ram,
		      char *err, size_t errlen)
{
	uint64_t fend;

	if (ph->p_filesz > ph->p_memsz)
		return errmsg_fail(err, errlen, -ENOEXEC,
			    "ELF segment %u: file size 0x%" PRIx64 " > memory size 0x%" PRIx64, i,
			    (uint64_t)ph->p_filesz, (uint64_t)ph->p_memsz);
	if (__builtin_add_overflow(ph->p_offset, ph->p_filesz, &fend) || fend > len)
		return errmsg_fail(err, errlen, -ENOEXEC,
			    "ELF segment %u: file data 0x%" PRIx64 "+0x%" PRIx64
			    " runs past the end of the file (%zu bytes)",
			    i, (uint64_t)ph->p_offset, (uint64_t)ph->p_filesz, len);
	if (!guest_ram_contains(ram, ph->p_paddr, ph->p_memsz))
		return errmsg_fail(err, errlen, -ERANGE,
			    "ELF segment %u at 0x%" PRIx64 "+0x%" PRIx64
			    " is outside guest RAM (0x%" PRIx64 "-0x%" PRIx64 ")",
			    i, (uint64_t)ph->p_paddr, (uint64_t)ph->p_memsz, ram->base,
			    ram_last(ram));
	return 0;
}

/* Pass 1: validate every PT_LOAD, find the extent and the physical entry point (e_entry
 * is virtual; the vCPU starts with the MMU off, so translate it through its segment). */
static int scan_elf(const uint8_t *buf, size_t len, const Elf64_Ehdr *eh,
		    const struct guest_ram *ram, struct image_info *info, char *err, size_t errlen)
{
	bool have_entry = false, have_load = false;
	Elf64_Phdr ph;
	unsigned int i;
	int ret;

	info->start = UINT64_MAX;
	info->end = 0;
	for (i = 0; i < eh->e_phnum; i++) {
		memcpy(&ph, buf + eh->e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		ret = check_phdr(&ph, i, len, ram, err, errlen);
		if (ret)
			return ret;
		have_load = true;
		if (ph.p_paddr < info->start)
			info->start = ph.p_paddr;
		if (ph.p_paddr + ph.p_memsz > info->end)
			info->end = ph.p_paddr + ph.p_memsz;
		if (!have_entry && eh->e_entry >= ph.p_vaddr &&
		    eh->e_entry - ph.p_vaddr < ph.p_memsz) {
			info->entry = ph.p_paddr + (eh->e_entry - ph.p_vaddr);
			have_entry = true;
		}
	}
	if (!have_load)
		return errmsg_fail(err, errlen, -ENOEXEC, "ELF has no loadable (PT_LOAD) segment");
	if (!have_entry)
		return errmsg_fail(err, errlen, -ENOEXEC,
			    "ELF entry point 0x%" PRIx64 " is not inside a loaded segment",
			    (uint64_t)eh->e_entry);
	return 0;
}

static int load_elf(const uint8_t *buf, size_t len, struct guest_ram *ram,
		    const struct load_opts *opts, struct image_info *info, char *err, size_t errlen)
{
	struct image_info img;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	unsigned int i;
	uint8_t *dst;
	int ret;

	ret = check_ehdr(buf, len, &eh, err, errlen);
	if (ret)
		return ret;
	ret = scan_elf(buf, len, &eh, ram, &img, err, errlen);
	if (ret)
		return ret;
	/* Pass 2: copy. Everything was checked above, so this cannot fail half-way. */
	for (i = 0; i < eh.e_phnum; i++) {
		memcpy(&ph, buf + eh.e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		dst = guest_ram_ptr(ram, ph.p_paddr, ph.p_memsz);
		copy_out(opts, dst, buf + ph.p_offset, ph.p_filesz);
		memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
	}
	img.kind = IMAGE_ELF;
	img.is_linux = false;
	*info = img;
	return 0;
}

static int load_raw(const uint8_t *buf, size_t len, struct guest_ram *ram, gpa_t addr,
		    const struct load_opts *opts, struct image_info *info, char *err, size_t errlen)
{
	uint8_t *dst;

	if (len == 0)
		return errmsg_fail(err, errlen, -ENOEXEC, "empty image");
	if (len > ram->size)
		return errmsg_fail(err, errlen, -E2BIG,
			    "raw image of %zu bytes is larger than guest RAM (%" PRIu64 " bytes)",
			    len, ram->size);
	dst = guest_ram_ptr(ram, addr, len);
	if (!dst)
		return errmsg_fail(err, errlen, -ERANGE,
			    "raw image at 0x%" PRIx64 "+0x%zx is outside guest RAM (0x%" PRIx64
			    "-0x%" PRIx64 ")",
			    addr, len, ram->base, ram_last(ram));
	copy_out(opts, dst, buf, len);
	*info = (struct image_info){ .kind = IMAGE_RAW,
				     .entry = addr,
				     .start = addr,
				     .end = addr + len,
				     .is_linux = false };
	return 0;
}

int loader_load(const void *buf, size_t len, struct guest_ram *ram, const struct load_opts *opts,
		struct image_info *info, char *err, size_t errlen)
{
	const uint8_t *p = buf;
	gpa_t addr = opts && opts->load_addr ? opts->load_addr : ram->base;

	if (err && errlen)
		err[0] = '\0';
	if (len >= SELFMAG && !memcmp(p, ELFMAG, SELFMAG))
		return load_elf(p, len, ram, opts, info, err, errlen);
	if (len >= IMAGE_MAGIC + 4 && !memcmp(p + IMAGE_MAGIC, "ARM\x64", 4))
		return load_linux(p, len, ram, opts, info, err, errlen);
	return load_raw(p, len, ram, addr, opts, info, err, errlen);
}

const char *loader_kind_name(enum image_kind kind)
{
	switch (kind) {
	case IMAGE_LINUX:
		return "Linux Image";
	case IMAGE_ELF:
		return "ELF";
	case IMAGE_RAW:
		return "raw binary";
	}
	return "unknown";
}

int loader_place(const struct guest_ram *ram, const struct image_info *img, gpa_t limit,
		 uint64_t size, uint64_t align, gpa_t *out, char *err, size_t errlen)
{
	gpa_t ram_end = ram->base + ram->size, addr;

	if (!limit || limit > ram_end)
		limit = ram_end;
	if (!align || (align & (align - 1)) || limit <= ram->base || size > limit - ram->base)
		goto nospace;
	addr = align_down(limit - size, align);
	/* Below the image if the top slot collides with it. */
	if (img && overlaps(addr, size, img->start, img->end - img->start)) {
		if (img->start < ram->base || img->start - ram->base < size)
			goto nospace;
		addr = align_down(img->start - size, align);
	}
	if (addr < ram->base)
		goto nospace;
	*out = addr;
	return 0;

nospace:
	return errmsg_fail(err, errlen, -ENOSPC,
		    "no room for 0x%" PRIx64 " bytes below 0x%" PRIx64 " in guest RAM (0x%" PRIx64
		    "-0x%" PRIx64 ") next to the image (0x%" PRIx64 "-0x%" PRIx64 ")",
		    size, limit, ram->base, ram_last(ram), img ? img->start : 0,
		    img ? img->end : 0);
}

/* The last whole 2 MiB block of RAM, if RAM holds one. */
static bool dtb_slot(const struct guest_ram *ram, gpa_t *slot)
{
	gpa_t top = align_down(ram->base + ram->size, SZ_2M);

	if (top < SZ_2M || top - SZ_2M < ram->base)
		return false;
	*slot = top - SZ_2M;
	return true;
}

int loader_place_dtb(const struct guest_ram *ram, const struct image_info *img, uint64_t size,
		     gpa_t *out, char *err, size_t errlen)
{
	gpa_t slot;

	if (size > LOADER_DTB_MAX)
		return errmsg_fail(err, errlen, -E2BIG,
			    "device tree of %" PRIu64 " bytes: Linux accepts at most 2 MiB", size);
	if (!dtb_slot(ram, &slot))
		return errmsg_fail(err, errlen, -ENOSPC, "guest RAM holds no 2 MiB block for the DTB");
	/* The whole block is kept free so that the DTB may grow up to 2 MiB. */
	if (img && overlaps(slot, SZ_2M, img->start, img->end - img->start))
		return errmsg_fail(err, errlen, -ENOSPC,
			    "the image (0x%" PRIx64 "-0x%" PRIx64
			    ") covers the DTB's place at 0x%" PRIx64 "; give the guest more RAM",
			    img->start, img->end, slot);
	*out = slot;
	return 0;
}

int loader_place_initrd(const struct guest_ram *ram, const struct image_info *img, uint64_t size,
			gpa_t *out, char *err, size_t errlen)
{
	gpa_t slot, addr, low, high;
	int ret;

	if (!dtb_slot(ram, &slot))
		return errmsg_fail(err, errlen, -ENOSPC, "guest RAM holds no 2 MiB block for the DTB");
	if (size > ram->size)
		return errmsg_fail(err, errlen, -E2BIG,
			    "initrd of %" PRIu64 " bytes is larger than guest RAM (%" PRIu64
			    " bytes)",
			    size, ram->size);
	ret = loader_place(ram, img, slot, size, PAGE_SIZE_4K, &addr, err, errlen);
	if (ret)
		return ret;
	if (img && img->is_linux) {
		low = img->start < addr ? img->start : addr;
		high = img->end > addr + size ? img->end : addr + size;
		if (high - align_down(low, SZ_1G) > INITRD_WINDOW)
			return errmsg_fail(err, errlen, -ENOSPC,
				    "initrd at 0x%" PRIx64
				    " and the kernel do not fit in one 1 GiB-aligned"
				    " 32 GiB window (booting.rst)",
				    addr);
	}
	*out = addr;
	return 0;
}
