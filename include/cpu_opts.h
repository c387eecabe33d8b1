/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --cpu FEATURE=VALUE[,...]: which of the host CPU's features the guest's vCPUs get. Each is
 * on by default where the host's KVM has it (as QEMU's -cpu host and kvmtool do); "on" asks
 * for it and fails where the host lacks it, "off" leaves it out. The parser is pure (unit-
 * tested on the host); vcpu.c matches the choice against the host. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

enum cpu_want {
	CPU_AUTO, /* the guest gets it if the host has it */
	CPU_ON,   /* it must: an error on a host without it */
	CPU_OFF,
};

#define CPU_SVE_VL_MAX 2048 /* bits: the architecture's largest vector length */

struct cpu_opts {
	enum cpu_want sve, pauth, pmu;
	unsigned int sve_vl; /* bits, the largest vector length; 0: the host's largest */
};

/* Parse arg ("sve=off,pmu=on", "sve-vl=512") into o, on top of what o holds (a later
 * --cpu or a later item wins). -EINVAL with a one-line reason. */
int cpu_opts_parse(const char *arg, struct cpu_opts *o, char *err, size_t errlen);

/* Does the set of vector lengths vls (bit vq - 1 for vq 128-bit quadwords, KVM_REG_ARM64_SVE_VLS
 * layout) hold vq (1 and up)? */
static inline bool cpu_sve_vls_has(const unsigned long long *vls, unsigned int vq)
{
	return vls[(vq - 1) / 64] & (1ull << ((vq - 1) % 64));
}

/* The vector lengths a set of them (bit vq - 1 for vq 128-bit quadwords) holds, in bits, as
 * "128, 256, 512" into buf. */
void cpu_sve_vls_str(const unsigned long long *vls, unsigned int nwords, char *buf, size_t cap);
