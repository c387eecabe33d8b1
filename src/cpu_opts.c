// SPDX-License-Identifier: GPL-3.0-or-later
/* --cpu's parser (include/cpu_opts.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_opts.h"
#include "errmsg.h"

#define ITEM_MAX 64

static int parse_onoff(const char *name, const char *val, enum cpu_want *w, char *err,
		       size_t errlen)
{
	if (!strcmp(val, "on"))
		*w = CPU_ON;
	else if (!strcmp(val, "off"))
		*w = CPU_OFF;
	else
		return errmsg_fail(err, errlen, -EINVAL, "--cpu %s=%s: expected on or off", name,
				   val);
	return 0;
}

static int parse_vl(const char *val, unsigned int *vl, char *err, size_t errlen)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(val, &end, 10);
	if (errno || end == val || *end || *val == '-' || v == 0 || v % 128 || v > CPU_SVE_VL_MAX)
		return errmsg_fail(err, errlen, -EINVAL,
				   "--cpu sve-vl=%s: a vector length in bits, a multiple of 128 "
				   "up to %d",
				   val, CPU_SVE_VL_MAX);
	*vl = (unsigned int)v;
	return 0;
}

static int parse_item(const char *item, struct cpu_opts *o, char *err, size_t errlen)
{
	const char *eq = strchr(item, '=');
	char name[ITEM_MAX];

	if (!eq || eq == item)
		return errmsg_fail(err, errlen, -EINVAL,
				   "--cpu '%s': expected FEATURE=VALUE (sve, sve-vl, pauth, pmu)",
				   item);
	snprintf(name, sizeof(name), "%.*s", (int)(eq - item), item);
	if (!strcmp(name, "sve"))
		return parse_onoff(name, eq + 1, &o->sve, err, errlen);
	if (!strcmp(name, "pauth"))
		return parse_onoff(name, eq + 1, &o->pauth, err, errlen);
	if (!strcmp(name, "pmu"))
		return parse_onoff(name, eq + 1, &o->pmu, err, errlen);
	if (!strcmp(name, "sve-vl"))
		return parse_vl(eq + 1, &o->sve_vl, err, errlen);
	return errmsg_fail(err, errlen, -EINVAL,
			   "--cpu: unknown feature '%s' (sve, sve-vl, pauth, pmu)", name);
}

int cpu_opts_parse(const char *arg, struct cpu_opts *o, char *err, size_t errlen)
{
	struct cpu_opts n = *o; /* o changes only if all of arg is good */
	const char *p = arg, *comma;
	char item[ITEM_MAX];
	int ret;

	if (!*arg)
		return errmsg_fail(err, errlen, -EINVAL,
				   "--cpu: no feature given (sve, sve-vl, pauth, pmu)");
	for (;;) {
		comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len == 0 || len >= sizeof(item))
			return errmsg_fail(err, errlen, -EINVAL, "--cpu '%s': %s", arg,
					   len ? "an item is too long" : "an empty item");
		memcpy(item, p, len);
		item[len] = '\0';
		ret = parse_item(item, &n, err, errlen);
		if (ret)
			return ret;
		if (!comma)
			break;
		p = comma + 1;
	}
	if (n.sve == CPU_OFF && n.sve_vl)
		return errmsg_fail(err, errlen, -EINVAL, "--cpu sve-vl=%u and sve=off conflict",
				   n.sve_vl);
	*o = n;
	return 0;
}

void cpu_sve_vls_str(const unsigned long long *vls, unsigned int nwords, char *buf, size_t cap)
{
	size_t used = 0;
	char one[16];
	int n;

	buf[0] = '\0';
	for (unsigned int vq = 1; vq <= nwords * 64u; vq++) {
		if (!cpu_sve_vls_has(vls, vq))
			continue;
		n = snprintf(one, sizeof(one), "%s%u", used ? ", " : "", vq * 128);
		if (used + (size_t)n >= cap)
			break; /* whole lengths only */
		memcpy(buf + used, one, (size_t)n + 1);
		used += (size_t)n;
	}
}
