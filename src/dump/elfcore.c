// SPDX-License-Identifier: GPL-3.0-or-later
/* The ELF core writer (src/dump/elfcore.h): a plan of the file's layout from the description,
 * with every offset checked, then the bytes in file order through the caller's callback.
 * Headers and notes go through a small buffer; guest RAM goes straight from its host pointer.
 *
 * The layout:
 *   ELF header           ELF64, LSB, ET_CORE, EM_AARCH64, ELFOSABI_NONE (as the kernel's vmcore)
 *   program headers      PT_NOTE; a PT_LOAD per RAM region; a PT_LOAD per (mapping, region) met
 *   notes                per vCPU: NT_PRSTATUS, NT_FPREGSET ("CORE"), [NT_ARM_SVE ("LINUX")];
 *                        then VMCOREINFO (name "VMCOREINFO", type 0)
 *   RAM                  each region at an offset equal to its PA modulo 4 KiB, zeros between
 *
 * Why these choices:
 * - A physical PT_LOAD has p_paddr = p_vaddr = PA. QEMU writes the same without paging
 *   (qemu/qemu dump/dump.c, write_elf64_load: p_vaddr = virt_addr ?: p_paddr). Readers take
 *   p_paddr as the physical address: libkdumpfile (ptesarik/libkdumpfile
 *   src/kdumpfile/elfdump.c, init_elf64 and find_closest_load: p_paddr, UINT64_MAX for none),
 *   drgn (osandov/drgn libdrgn/program.c: a physical segment at p_paddr once any p_paddr is
 *   non-zero, a virtual one at p_vaddr), crash (PHYS_OFFSET from VMCOREINFO, else the lowest
 *   p_paddr: arm_kdump_phys_base in netdump.c). p_vaddr = PA is what gdb needs for a bare-metal
 *   guest, which runs with VA = PA, and it cannot collide with a kernel's (upper-half) VAs.
 * - A kernel mapping is a PT_LOAD with p_vaddr = VA and p_paddr = PA, as in the headers kexec
 *   builds for arm64's /proc/vmcore: RAM at page_offset, the image at _text (horms/kexec-tools
 *   kexec/arch/arm64/crashdump-arm64.c, elf_info.page_offset and kern_vaddr_start). Its
 *   p_offset points into the physical segment's bytes: PT_LOADs may share file bytes, so RAM
 *   is in the file once.
 * - Notes: the kernel's arm64 struct elf_prstatus (392 bytes: pr_pid at 32, pr_reg at 112,
 *   pr_fpvalid at 384; QEMU's target/arm/arch_dump.c asserts the same) and struct
 *   user_fpsimd_state (528 bytes). VMCOREINFO as kernel/crash_core.c appends it
 *   (append_elf_note(buf, VMCOREINFO_NOTE_NAME, 0, data, size): the text without its NUL);
 *   drgn and libkdumpfile match the name "VMCOREINFO" (n_namesz 11). Notes are 4-aligned
 *   (Elf64_Nhdr, name and descriptor each padded to 4), PT_NOTE p_align 4: drgn reads 8-aligned
 *   notes only when p_align is 8.
 * - RAM at PA mod 4 KiB, so p_offset = p_vaddr (mod 4 KiB) for the physical and the virtual
 *   segments (VA - PA is a multiple of the page), but PT_LOAD p_align 0, as QEMU's dumps
 *   have it: crash (netdump.c, is_netdump) takes an ELF core whose first PT_LOAD has a page
 *   aligned p_offset and a p_align for a netdump, not a kdump, and then reads neither
 *   NUMBER(PHYS_OFFSET) from VMCOREINFO nor the CPUs' registers the kdump way.
 *   A region's size need not be page aligned: p_filesz = p_memsz = its size. */
#include <assert.h>
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "src/dump/elfcore.h"

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the dump is ELFDATA2LSB, as the host");
_Static_assert(sizeof(struct elfcore_regs) == 34 * 8, "struct user_pt_regs");
_Static_assert(sizeof(((struct elfcore_fpsimd *)0)->v) == 32 * 16, "32 128-bit registers");
_Static_assert(1 + ELFCORE_MAX_REGIONS * (1 + ELFCORE_MAX_MAPPINGS) < PN_XNUM,
	       "e_phnum holds every program header: no PN_XNUM section needed");

#define NOTE_ALIGN 4u
#define LOAD_FLAGS (PF_R | PF_W | PF_X) /* as the kernel's /proc/vmcore */
#define NT_VMCOREINFO 0                 /* kernel/crash_core.c: append_elf_note(..., 0, ...) */
#ifndef NT_ARM_SVE
#define NT_ARM_SVE 0x405
#endif

struct layout {
	size_t vmcoreinfo_len; /* text bytes (up to its first NUL); 0: no note */
	uint16_t phnum;
	uint64_t note_off, note_size;
	uint64_t ram_off[ELFCORE_MAX_REGIONS];
	uint64_t size;
};

/* The bytes written so far and a buffer for the small pieces (headers, notes, padding). */
struct out {
	elfcore_write_fn write;
	void *ctx;
	uint64_t done; /* bytes the callback took */
	size_t len;    /* bytes waiting in buf */
	uint8_t buf[4096];
};

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static uint64_t note_bytes(size_t namesz, uint64_t descsz)
{
	return sizeof(Elf64_Nhdr) + align_up(namesz, NOTE_ALIGN) + align_up(descsz, NOTE_ALIGN);
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* The part of mapping m that lies in region r: false if none. Both were checked not to wrap. */
static bool mapping_in_region(const struct elfcore_mapping *m, const struct elfcore_region *r,
			      gpa_t *pa, uint64_t *len)
{
	gpa_t start = m->pa > r->pa ? m->pa : r->pa;
	gpa_t mend = m->pa + m->size, rend = r->pa + r->size;
	gpa_t end = mend < rend ? mend : rend;

	if (start >= end)
		return false;
	*pa = start;
	*len = end - start;
	return true;
}

static int check_regions(const struct elfcore_desc *d)
{
	uint64_t end;
	unsigned int i, j;

	if (d->nr_regions > ELFCORE_MAX_REGIONS || (d->nr_regions && !d->regions))
		return -EINVAL;
	for (i = 0; i < d->nr_regions; i++) {
		const struct elfcore_region *r = &d->regions[i];

		if (!r->size || !r->host || __builtin_add_overflow(r->pa, r->size, &end))
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (ranges_overlap(r->pa, r->size, d->regions[j].pa, d->regions[j].size))
				return -EINVAL;
	}
	return 0;
}

static int check_desc(const struct elfcore_desc *d)
{
	uint64_t end;
	unsigned int i;
	int ret;

	if (!d)
		return -EINVAL;
	ret = check_regions(d);
	if (ret)
		return ret;
	if (d->nr_cpus > ELFCORE_MAX_CPUS || (d->nr_cpus && !d->cpus))
		return -EINVAL;
	for (i = 0; i < d->nr_cpus; i++)
		if (d->cpus[i].sve_len > ELFCORE_MAX_SVE || (d->cpus[i].sve_len && !d->cpus[i].sve))
			return -EINVAL;
	if (d->nr_mappings > ELFCORE_MAX_MAPPINGS || (d->nr_mappings && !d->mappings))
		return -EINVAL;
	for (i = 0; i < d->nr_mappings; i++) {
		const struct elfcore_mapping *m = &d->mappings[i];

		if (!m->size || __builtin_add_overflow(m->va, m->size, &end) ||
		    __builtin_add_overflow(m->pa, m->size, &end) || (m->va - m->pa) % ELFCORE_PAGE)
			return -EINVAL;
	}
	return 0;
}

static uint64_t notes_size(const struct elfcore_desc *d, size_t vmcoreinfo_len)
{
	uint64_t size = 0;
	unsigned int i;

	/* At most 512 * (~1 KiB + 64 KiB) + 64 KiB: no overflow. */
	for (i = 0; i < d->nr_cpus; i++) {
		size += note_bytes(sizeof("CORE"), ELFCORE_PRSTATUS_SIZE);
		size += note_bytes(sizeof("CORE"), ELFCORE_FPREGSET_SIZE);
		if (d->cpus[i].sve_len)
			size += note_bytes(sizeof("LINUX"), d->cpus[i].sve_len);
	}
	if (vmcoreinfo_len)
		size += note_bytes(sizeof("VMCOREINFO"), vmcoreinfo_len);
	return size;
}

static int plan(const struct elfcore_desc *d, struct layout *l)
{
	unsigned int i, j, phnum;
	uint64_t cur, len;
	const char *nul;
	gpa_t pa;
	int ret;

	ret = check_desc(d);
	if (ret)
		return ret;
	memset(l, 0, sizeof(*l));
	phnum = 1 + d->nr_regions;
	if (d->vmcoreinfo) {
		nul = memchr(d->vmcoreinfo, '\0', d->vmcoreinfo_len);
		l->vmcoreinfo_len = nul ? (size_t)(nul - d->vmcoreinfo) : d->vmcoreinfo_len;
		if (l->vmcoreinfo_len > ELFCORE_MAX_VMCOREINFO)
			return -EINVAL;
	}
	for (i = 0; i < d->nr_mappings; i++)
		for (j = 0; j < d->nr_regions; j++)
			phnum += mapping_in_region(&d->mappings[i], &d->regions[j], &pa, &len);
	l->phnum = (uint16_t)phnum;
	l->note_off = sizeof(Elf64_Ehdr) + (uint64_t)phnum * sizeof(Elf64_Phdr);
	l->note_size = notes_size(d, l->vmcoreinfo_len);
	cur = l->note_off + l->note_size;
	for (i = 0; i < d->nr_regions; i++) {
		const struct elfcore_region *r = &d->regions[i];

		/* the first offset from cur on that is r->pa modulo the page */
		if (__builtin_add_overflow(cur, (r->pa - cur) & (ELFCORE_PAGE - 1),
					   &l->ram_off[i]) ||
		    __builtin_add_overflow(l->ram_off[i], r->size, &cur))
			return -EINVAL;
	}
	if (cur > INT64_MAX) /* an off_t */
		return -EINVAL;
	l->size = cur;
	return 0;
}

int elfcore_size(const struct elfcore_desc *d, uint64_t *size)
{
	struct layout l;
	int ret = plan(d, &l);

	if (ret)
		return ret;
	*size = l.size;
	return 0;
}

/* Everything in [p, p + n) to the callback, at most ELFCORE_CHUNK a call. */
static int write_all(struct out *o, const void *p, uint64_t n)
{
	const uint8_t *s = p;

	while (n) {
		size_t want = n < ELFCORE_CHUNK ? (size_t)n : ELFCORE_CHUNK;
		ssize_t ret = o->write(o->ctx, s, want);

		if (ret == -EINTR)
			continue;
		if (ret < 0)
			return (int)ret;
		if (ret == 0 || (size_t)ret > want)
			return -EIO; /* a callback that makes no progress or overstates it */
		s += ret;
		n -= (uint64_t)ret;
		o->done += (uint64_t)ret;
	}
	return 0;
}

static int flush(struct out *o)
{
	int ret = write_all(o, o->buf, o->len);

	o->len = 0;
	return ret;
}

/* n bytes from p, or zeros when p is NULL, through the buffer. */
static int put(struct out *o, const void *p, uint64_t n)
{
	const uint8_t *s = p;
	int ret;

	while (n) {
		size_t room = sizeof(o->buf) - o->len;
		size_t k = n < room ? (size_t)n : room;

		if (s) {
			memcpy(o->buf + o->len, s, k);
			s += k;
		} else {
			memset(o->buf + o->len, 0, k);
		}
		o->len += k;
		n -= k;
		if (o->len == sizeof(o->buf)) {
			ret = flush(o);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static uint64_t out_pos(const struct out *o)
{
	return o->done + o->len;
}

static int put_ehdr(struct out *o, const struct layout *l)
{
	Elf64_Ehdr eh = {
		.e_type = ET_CORE,
		.e_machine = EM_AARCH64,
		.e_version = EV_CURRENT,
		.e_phoff = sizeof(Elf64_Ehdr),
		.e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr),
		.e_phnum = l->phnum,
	};

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	return put(o, &eh, sizeof(eh));
}

static int put_load(struct out *o, uint64_t off, gva_t va, gpa_t pa, uint64_t size)
{
	Elf64_Phdr ph = {
		.p_type = PT_LOAD,
		.p_flags = LOAD_FLAGS,
		.p_offset = off,
		.p_vaddr = va,
		.p_paddr = pa,
		.p_filesz = size,
		.p_memsz = size,
		.p_align = 0, /* a kdump to crash (above) */
	};

	return put(o, &ph, sizeof(ph));
}

static int put_phdrs(struct out *o, const struct elfcore_desc *d, const struct layout *l)
{
	Elf64_Phdr note = {
		.p_type = PT_NOTE,
		.p_offset = l->note_off,
		.p_filesz = l->note_size,
		.p_memsz = l->note_size,
		.p_align = NOTE_ALIGN,
	};
	unsigned int i, j;
	uint64_t len;
	gpa_t pa;
	int ret;

	ret = put(o, &note, sizeof(note));
	for (i = 0; !ret && i < d->nr_regions; i++)
		ret = put_load(o, l->ram_off[i], d->regions[i].pa, d->regions[i].pa,
			       d->regions[i].size);
	for (i = 0; !ret && i < d->nr_mappings; i++) {
		const struct elfcore_mapping *m = &d->mappings[i];

		for (j = 0; !ret && j < d->nr_regions; j++)
			if (mapping_in_region(m, &d->regions[j], &pa, &len))
				ret = put_load(o, l->ram_off[j] + (pa - d->regions[j].pa),
					       m->va + (pa - m->pa), pa, len);
	}
	return ret;
}

static int put_note(struct out *o, const char *name, uint32_t type, const void *desc,
		    uint32_t descsz)
{
	Elf64_Nhdr nh = { .n_namesz = (uint32_t)strlen(name) + 1,
			  .n_descsz = descsz,
			  .n_type = type };
	int ret;

	ret = put(o, &nh, sizeof(nh));
	if (!ret)
		ret = put(o, name, nh.n_namesz);
	if (!ret)
		ret = put(o, NULL, align_up(nh.n_namesz, NOTE_ALIGN) - nh.n_namesz);
	if (!ret)
		ret = put(o, desc, descsz);
	if (!ret)
		ret = put(o, NULL, align_up(descsz, NOTE_ALIGN) - descsz);
	return ret;
}

static int put_cpu_notes(struct out *o, const struct elfcore_cpu *c)
{
	uint8_t prs[ELFCORE_PRSTATUS_SIZE] = { 0 }, fp[ELFCORE_FPREGSET_SIZE] = { 0 };
	int32_t fpvalid = 1; /* NT_FPREGSET follows */
	int ret;

	/* The rest of elf_prstatus (signals, times, pids but pr_pid) stays 0, as in the
	 * kernel's own crash notes (crash_save_cpu). */
	memcpy(prs + ELFCORE_PRSTATUS_PID, &c->pid, sizeof(c->pid));
	memcpy(prs + ELFCORE_PRSTATUS_REG, &c->regs, sizeof(c->regs));
	memcpy(prs + ELFCORE_PRSTATUS_FPVALID, &fpvalid, sizeof(fpvalid));
	memcpy(fp, c->fp.v, sizeof(c->fp.v));
	memcpy(fp + sizeof(c->fp.v), &c->fp.fpsr, sizeof(c->fp.fpsr));
	memcpy(fp + sizeof(c->fp.v) + 4, &c->fp.fpcr, sizeof(c->fp.fpcr));
	ret = put_note(o, "CORE", NT_PRSTATUS, prs, sizeof(prs));
	if (!ret)
		ret = put_note(o, "CORE", NT_FPREGSET, fp, sizeof(fp));
	if (!ret && c->sve_len)
		ret = put_note(o, "LINUX", NT_ARM_SVE, c->sve, c->sve_len);
	return ret;
}

static int put_notes(struct out *o, const struct elfcore_desc *d, const struct layout *l)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; !ret && i < d->nr_cpus; i++)
		ret = put_cpu_notes(o, &d->cpus[i]);
	if (!ret && l->vmcoreinfo_len)
		ret = put_note(o, "VMCOREINFO", NT_VMCOREINFO, d->vmcoreinfo,
			       (uint32_t)l->vmcoreinfo_len);
	return ret;
}

/* Each region after the zeros that bring the file to its offset, from its host pointer. */
static int put_ram(struct out *o, const struct elfcore_desc *d, const struct layout *l)
{
	unsigned int i;
	int ret;

	for (i = 0; i < d->nr_regions; i++) {
		ret = put(o, NULL, l->ram_off[i] - out_pos(o));
		if (!ret)
			ret = flush(o);
		if (!ret)
			ret = write_all(o, d->regions[i].host, d->regions[i].size);
		if (ret)
			return ret;
	}
	return 0;
}

int elfcore_write(const struct elfcore_desc *d, elfcore_write_fn write, void *ctx)
{
	struct out o = { .write = write, .ctx = ctx };
	struct layout l;
	int ret;

	if (!write)
		return -EINVAL;
	ret = plan(d, &l);
	if (ret)
		return ret;
	ret = put_ehdr(&o, &l);
	if (!ret)
		ret = put_phdrs(&o, d, &l);
	if (!ret) {
		assert(out_pos(&o) == l.note_off);
		ret = put_notes(&o, d, &l);
	}
	if (!ret) {
		assert(out_pos(&o) == l.note_off + l.note_size);
		ret = put_ram(&o, d, &l);
	}
	if (!ret)
		ret = flush(&o);
	assert(ret || o.done == l.size);
	return ret;
}

ssize_t elfcore_fd_write(void *ctx, const void *buf, size_t len)
{
	ssize_t ret = write(*(const int *)ctx, buf, len);

	return ret < 0 ? -errno : ret;
}

static bool zero_page(const uint8_t *p)
{
	return !p[0] && !memcmp(p, p + 1, ELFCORE_PAGE - 1);
}

/* One write(2) for the bytes before the next hole: short writes are the caller's to retry. */
ssize_t elfcore_sparse_write(void *ctx, const void *buf, size_t len)
{
	struct elfcore_sparse *s = ctx;
	const uint8_t *p = buf;
	size_t n = 0, lead;
	ssize_t ret;

	/* zero pages at the start: skipped */
	while (!(s->off % ELFCORE_PAGE) && len - n >= ELFCORE_PAGE && zero_page(p + n)) {
		n += ELFCORE_PAGE;
		s->off += ELFCORE_PAGE;
	}
	if (n) {
		if (lseek(s->fd, (off_t)s->off, SEEK_SET) < 0)
			return -errno;
		return (ssize_t)n;
	}
	/* else up to the next zero page (the first page boundary at least) */
	lead = (ELFCORE_PAGE - s->off % ELFCORE_PAGE) % ELFCORE_PAGE;
	n = lead ? (lead < len ? lead : len) : 0;
	while (n < len && (len - n < ELFCORE_PAGE || !zero_page(p + n)))
		n += len - n < ELFCORE_PAGE ? len - n : ELFCORE_PAGE;
	ret = write(s->fd, p, n);
	if (ret < 0)
		return -errno;
	s->off += (uint64_t)ret;
	return ret;
}

int elfcore_sparse_end(struct elfcore_sparse *s)
{
	return ftruncate(s->fd, (off_t)s->off) ? -errno : 0;
}
