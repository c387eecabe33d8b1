#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Usage: tests/fuzz/run.py --seconds N [--jobs J] [--out DIR] TARGET...

Run each libFuzzer harness DIR/TARGET_fuzz for N seconds, J at a time, on its committed
corpus tests/fuzz/corpus/TARGET (read only) and its scratch corpus DIR/corpus/TARGET (where
new inputs go). Prints one line per target (executions, crashes) and exits non-zero if any
target crashed, leaked, timed out or ran out of memory; the input is in DIR/crash/TARGET/
and the whole log in DIR/log/TARGET.log."""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(target, seconds, out):
    binary = os.path.join(out, f"{target}_fuzz")
    seeds = os.path.join(TOP, "tests", "fuzz", "corpus", target)
    scratch = os.path.join(out, "corpus", target)
    crash = os.path.join(out, "crash", target)
    log = os.path.join(out, "log", f"{target}.log")
    for d in (scratch, crash, os.path.dirname(log)):
        os.makedirs(d, exist_ok=True)
    cmd = [binary, f"-max_total_time={seconds}", "-timeout=10", "-rss_limit_mb=2048",
           "-print_final_stats=1", f"-artifact_prefix={crash}/", scratch]
    if os.path.isdir(seeds):
        cmd.append(seeds)
    dictionary = os.path.join(TOP, "tests", "fuzz", f"{target}.dict")
    if os.path.exists(dictionary):
        cmd.insert(1, f"-dict={dictionary}")
    start = time.monotonic()
    with open(log, "w") as f:
        rc = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT).returncode
    secs = time.monotonic() - start
    with open(log, errors="replace") as f:
        text = f.read()
    stat = dict(re.findall(r"^stat::(\w+):\s+(\d+)", text, re.M))
    return target, rc, stat, log, text, secs


def main():
    p = argparse.ArgumentParser(usage=__doc__.splitlines()[0][7:])
    p.add_argument("--seconds", type=int, required=True)
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--out", default="build/fuzz")
    p.add_argument("targets", nargs="+")
    args = p.parse_args()
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        jobs = [pool.submit(run, t, args.seconds, args.out) for t in args.targets]
        for job in jobs:
            target, rc, stat, log, text, secs = job.result()
            execs = int(stat.get("number_of_executed_units", 0))
            crashes = 0 if rc == 0 else 1
            print(f"fuzz: {target:8} {execs:>10} execs in {secs:.0f} s "
                  f"({execs / max(1, secs):.0f}/s), {crashes} crashes, "
                  f"{stat.get('new_units_added', 0)} new inputs, "
                  f"peak {stat.get('peak_rss_mb', '?')} MB")
            if rc:
                failed += 1
                print(f"fuzz: {target}: exit status {rc}, log {log}; last lines:")
                sys.stdout.writelines("    " + line + "\n"
                                      for line in text.splitlines()[-25:])
    print(f"fuzz: {len(args.targets) - failed} targets clean, {failed} crashed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
