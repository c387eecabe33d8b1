# SPDX-License-Identifier: GPL-3.0-or-later
"""The Linux half of `make bench` (tests/bench/bench.py, group "tasks"): runs inside
gdb-multiarch with Debian's vmlinux (gdb -batch -x taskbench.py build/dl/dbg/vmlinux),
connected to a stub in the test host that runs the kernel-debugging guest (two vCPUs, its
workload going). What a stop costs (stepi/s, up to 300 of them from the body of
do_sys_openat2 on, where the workload's opens run) and what `info threads` costs (ms, with
gdb's caches flushed by a stop before each), for minivmm's vCPU threads, its task threads
and QEMU's. One line "BENCH {json}".

Environment: BENCH_TARGET (host:port), BENCH_SECONDS (time limit per figure), BENCH_PREFIX
(the figures' key prefix: "linux_" or "linux_tasks_")."""
import json
import os
import re
import statistics
import time

import gdb

TARGET = os.environ["BENCH_TARGET"]
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
PREFIX = os.environ.get("BENCH_PREFIX", "linux_")


def run(cmd):
    return gdb.execute(cmd, to_string=True)


def main():
    for cmd in ("set pagination off", "set confirm off", "set width 0",
                "set remotetimeout 120"):
        run(cmd)
    run(f"target remote {TARGET}")
    run("stepi")  # gdb's symbols came after the first stop: task threads from this one
    res = {}
    # the same place in every run: stepi from the body of do_sys_openat2 (the workload opens
    # files all the time), in whichever task got there
    run("break do_sys_openat2")
    run("disable 1.1")
    run("continue")
    run("delete")
    t0 = time.monotonic()
    n = 0
    while n < 300 and (n < 20 or time.monotonic() - t0 < SECONDS):
        run("stepi")
        n += 1
    res[PREFIX + "stepi_per_s"] = n / (time.monotonic() - t0)
    run("set debug remote 1")
    try:
        log = run("stepi")
    finally:
        run("set debug remote 0")
    res[PREFIX + "stepi_packets"] = log.count("Sending packet:")
    if os.environ.get("BENCH_LOG"):
        print(log)
    spent = []
    t0 = time.monotonic()
    while len(spent) < 20 and (len(spent) < 3 or time.monotonic() - t0 < SECONDS):
        run("stepi")
        t = time.monotonic()
        out = run("info threads")
        spent.append(time.monotonic() - t)
    res[PREFIX + "info_threads_ms"] = 1000 * statistics.median(spent)
    res[PREFIX + "threads"] = len(re.findall(r"^\*?\s+\d+\s+Thread ", out, re.M))
    print("BENCH " + json.dumps(res), flush=True)
    run("detach")


try:
    main()
except Exception as e:  # gdb -batch would go on silently: say what failed
    print(f"BENCH-ERROR {e}", flush=True)
    gdb.execute("quit 1")
