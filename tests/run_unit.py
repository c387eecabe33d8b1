#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the cmocka unit-test binaries given on the command line and print one total.

Each binary prints cmocka's own report; this adds the closing line
'unit: N passed, N failed' over all of them and exits non-zero on any failure."""
import os
import re
import subprocess
import sys


def main(argv):
    passed = failed = 0
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="STDOUT")
    for binary in argv[1:]:
        proc = subprocess.run([binary], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        sys.stdout.write(proc.stdout)
        # cmocka closes each group with "[  PASSED  ] N test(s)." and, when some
        # failed, "[  FAILED  ] N test(s), listed below:".
        ok = sum(int(n) for n in re.findall(r"^\[  PASSED  \] (\d+) test", proc.stdout, re.M))
        bad = sum(int(n) for n in re.findall(r"^\[  FAILED  \] (\d+) test", proc.stdout, re.M))
        if proc.returncode != 0 and bad == 0:
            bad = 1  # crashed or exited before reporting
            print(f"{binary}: exited with status {proc.returncode}")
        passed += ok
        failed += bad
    print(f"unit: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
