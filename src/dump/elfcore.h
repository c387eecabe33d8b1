/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ELF64 core file of an arm64 guest for dump-guest-memory (issue 14): what QEMU's dump
 * writes, with the notes crash, drgn and gdb read (NT_PRSTATUS, NT_FPREGSET per vCPU,
 * VMCOREINFO) and, beyond QEMU, PT_LOADs for the kernel's virtual mappings. Pure: no KVM, no
 * globals. Guest RAM is streamed from the caller's host pointers, never copied.
 * No fuzz target: the writer parses nothing hostile (counts and sizes are bounded and checked,
 * the VMCOREINFO text is copied for its given length, up to its first NUL). */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "types.h"

#define ELFCORE_MAX_REGIONS 64
#define ELFCORE_MAX_CPUS 512
#define ELFCORE_MAX_MAPPINGS 64
#define ELFCORE_MAX_VMCOREINFO (64u << 10) /* the kernel's is one page (VMCOREINFO_BYTES) */
#define ELFCORE_MAX_SVE (64u << 10)        /* NT_ARM_SVE at vq 16 is ~8.6 KiB */
#define ELFCORE_PAGE 4096u                 /* file offset = PA modulo this (p_align) */
#define ELFCORE_CHUNK (1u << 20)           /* most bytes given to one write callback */

/* The kernel's arm64 struct elf_prstatus (include/uapi/linux/elfcore.h with
 * elf_gregset_t = 34 u64: arch/arm64/include/asm/elf.h), as the dump holds it. */
#define ELFCORE_PRSTATUS_SIZE 392
#define ELFCORE_PRSTATUS_PID 32      /* pr_pid (after pr_info, pr_cursig, pr_sigpend/hold) */
#define ELFCORE_PRSTATUS_REG 112     /* pr_reg: struct user_pt_regs */
#define ELFCORE_PRSTATUS_FPVALID 384 /* pr_fpvalid (then 4 bytes of padding) */
#define ELFCORE_FPREGSET_SIZE 528    /* struct user_fpsimd_state: 32 x 16 + fpsr + fpcr + 8 */

/* Guest RAM: size bytes at guest physical pa, readable at host. */
struct elfcore_region {
	gpa_t pa;
	uint64_t size;
	const void *host;
};

/* A kernel virtual mapping: [va, va + size) maps [pa, pa + size) (the linear map, the image
 * at kimage_voffset). Written as PT_LOADs (one per RAM region it meets) whose bytes are the
 * RAM segment's own; parts outside RAM are left out. va - pa is a multiple of ELFCORE_PAGE. */
struct elfcore_mapping {
	gva_t va;
	gpa_t pa;
	uint64_t size;
};

/* arch/arm64/include/uapi/asm/ptrace.h: struct user_pt_regs and struct user_fpsimd_state. */
struct elfcore_regs {
	uint64_t x[31];
	uint64_t sp;
	uint64_t pc;
	uint64_t pstate;
};

struct elfcore_fpsimd {
	uint64_t v[32][2]; /* v[n][0]: the low 64 bits of Vn */
	uint32_t fpsr;
	uint32_t fpcr;
};

struct elfcore_cpu {
	struct elfcore_regs regs;
	struct elfcore_fpsimd fp;
	int32_t pid; /* pr_pid: the task on this CPU where known, else 0 (drgn reads a pid) */
	/* Optional NT_ARM_SVE ("LINUX") after NT_FPREGSET: its descriptor as ptrace's
	 * PTRACE_GETREGSET gives it (struct user_sve_header + registers); NULL/0: none. */
	const void *sve;
	uint32_t sve_len;
};

/* What to dump. The vCPUs' notes come in this order (crash and drgn take the n-th
 * NT_PRSTATUS for CPU n). A NULL array goes with a count of 0. */
struct elfcore_desc {
	const struct elfcore_region *regions;
	unsigned int nr_regions;
	const struct elfcore_cpu *cpus;
	unsigned int nr_cpus;
	const struct elfcore_mapping *mappings;
	unsigned int nr_mappings;
	const char *vmcoreinfo; /* the kernel's text, no note header; NULL: no VMCOREINFO note */
	size_t vmcoreinfo_len;  /* bytes of it (ends earlier at a NUL) */
};

/* Write up to len bytes (at most ELFCORE_CHUNK) from buf: bytes written, or -errno. Short
 * writes and -EINTR are retried; any other error ends the dump. */
typedef ssize_t (*elfcore_write_fn)(void *ctx, const void *buf, size_t len);

/* The file's size in bytes, as elfcore_write() will write it: 0, or -EINVAL for a bad desc. */
int elfcore_size(const struct elfcore_desc *d, uint64_t *size);

/* Write the core file from its first byte on: 0, -EINVAL for a bad desc (nothing written),
 * or the callback's -errno (the file is partial: the caller removes it). */
int elfcore_write(const struct elfcore_desc *d, elfcore_write_fn write, void *ctx);

/* An elfcore_write_fn over a file descriptor: ctx points to the int fd; write(2). */
ssize_t elfcore_fd_write(void *ctx, const void *buf, size_t len);

/* The same, sparse: a whole page of zeros at a page-aligned file offset is skipped with
 * lseek(2), a hole that reads back as zeros, so that RAM the guest never touched costs
 * neither the write nor the disk. elfcore_sparse_end() then sets the file's size (a hole
 * at its end). fd: a regular file at offset 0. */
struct elfcore_sparse {
	int fd;
	uint64_t off; /* where the next byte goes */
};
ssize_t elfcore_sparse_write(void *ctx, const void *buf, size_t len);
int elfcore_sparse_end(struct elfcore_sparse *s);
