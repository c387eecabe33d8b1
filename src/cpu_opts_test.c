// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for --cpu's parser: each feature, the combinations, and the one-line errors. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cpu_opts.h"

static void test_defaults_and_items(void **state)
{
	struct cpu_opts o = { 0 };
	char err[160];

	assert_int_equal(o.sve, CPU_AUTO);
	assert_int_equal(cpu_opts_parse("sve=off", &o, err, sizeof(err)), 0);
	assert_int_equal(o.sve, CPU_OFF);
	assert_int_equal(o.pauth, CPU_AUTO);
	assert_int_equal(cpu_opts_parse("pauth=off,pmu=on", &o, err, sizeof(err)), 0);
	assert_int_equal(o.pauth, CPU_OFF);
	assert_int_equal(o.pmu, CPU_ON);
	/* a later item wins, and sve-vl with sve back on is fine */
	assert_int_equal(cpu_opts_parse("sve=on,sve-vl=512,pmu=off", &o, err, sizeof(err)), 0);
	assert_int_equal(o.sve, CPU_ON);
	assert_int_equal(o.sve_vl, 512);
	assert_int_equal(o.pmu, CPU_OFF);
	assert_int_equal(cpu_opts_parse("sve-vl=2048", &o, err, sizeof(err)), 0);
	assert_int_equal(o.sve_vl, 2048);
}

static const struct bad {
	const char *arg, *msg;
} bads[] = {
	{ "", "--cpu: no feature given (sve, sve-vl, pauth, pmu)" },
	{ "sve", "--cpu 'sve': expected FEATURE=VALUE (sve, sve-vl, pauth, pmu)" },
	{ "=on", "--cpu '=on': expected FEATURE=VALUE (sve, sve-vl, pauth, pmu)" },
	{ "sve=yes", "--cpu sve=yes: expected on or off" },
	{ "pmu=", "--cpu pmu=: expected on or off" },
	{ "mte=on", "--cpu: unknown feature 'mte' (sve, sve-vl, pauth, pmu)" },
	{ "sve=on,,pmu=off", "--cpu 'sve=on,,pmu=off': an empty item" },
	{ "sve=on,", "--cpu 'sve=on,': an empty item" },
	{ "sve-vl=100", "--cpu sve-vl=100: a vector length in bits, a multiple of 128 up to 2048" },
	{ "sve-vl=0", "--cpu sve-vl=0: a vector length in bits, a multiple of 128 up to 2048" },
	{ "sve-vl=4096",
	  "--cpu sve-vl=4096: a vector length in bits, a multiple of 128 up to 2048" },
	{ "sve-vl=-128",
	  "--cpu sve-vl=-128: a vector length in bits, a multiple of 128 up to 2048" },
	{ "sve-vl=512x",
	  "--cpu sve-vl=512x: a vector length in bits, a multiple of 128 up to 2048" },
	{ "sve-vl=512,sve=off", "--cpu sve-vl=512 and sve=off conflict" },
	{ "sve=off,sve-vl=256", "--cpu sve-vl=256 and sve=off conflict" },
	{ "sve=onnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn",
	  "--cpu 'sve=onnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn': an "
	  "item is too long" },
};

/* Each bad argument: its message, and the options as they were (nothing half-applied). */
static void test_bad(void **state)
{
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct cpu_opts o = { .pmu = CPU_OFF }, before = o;
		char err[256] = "";

		assert_int_equal(cpu_opts_parse(bads[i].arg, &o, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, bads[i].msg);
		assert_memory_equal(&o, &before, sizeof(o));
	}
}

static void test_vls_str(void **state)
{
	unsigned long long vls[8] = { 0 };
	char buf[128], tiny[8];

	cpu_sve_vls_str(vls, 8, buf, sizeof(buf));
	assert_string_equal(buf, "");
	vls[0] = 0x800b; /* vq 1, 2, 4, 16 */
	cpu_sve_vls_str(vls, 8, buf, sizeof(buf));
	assert_string_equal(buf, "128, 256, 512, 2048");
	cpu_sve_vls_str(vls, 8, tiny, sizeof(tiny));
	assert_string_equal(tiny, "128");
	vls[7] = 1ull << 63; /* vq 512: past the architecture, still printed */
	cpu_sve_vls_str(vls, 8, buf, sizeof(buf));
	assert_string_equal(buf, "128, 256, 512, 2048, 65536");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_items),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_vls_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
