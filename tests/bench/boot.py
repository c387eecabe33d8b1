# SPDX-License-Identifier: GPL-3.0-or-later
"""make bench-boot: boot time and memory of minivmm, in one boot of the test host.

For the hello guest and the Linux guest (with `quiet`), tests/bench/boottime.c
execs minivmm RUNS times and reports the time from exec to the guest's first
output byte and to minivmm's exit (the guest's poweroff); we print the medians.
One more run per guest samples /proc/PID/smaps to split the peak resident set
into guest RAM (lazily touched, MAP_NORESERVE) and the rest: minivmm's own cost.
Figures are recorded in docs/performance.md.

usage: boot.py BOOTTIME   (the helper, built for arm64 by `make bench-boot`)"""
import os
import re
import shlex
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "testhost"))
import testhost  # noqa: E402

RUNS = 5
LINUX_APPEND = "console=ttyAMA0 quiet"
# name, guest RAM in MiB, minivmm's arguments, a line the guest must print
CASES = [
    ("hello", 256, ["guests/hello.elf"], "Hello from the minivmm guest!"),
    ("linux", 512, ["-c", "2", "--initrd", "guests/linux-initrd.cpio.gz", "--append",
                    LINUX_APPEND, "guests/Image"], "minivmm-guest: powering off"),
]


def parse(line):
    return {k: float(v) for k, v in re.findall(r"(\w+)=(-?[\d.]+)", line)}


def measure(th, name, ram_mib, args, expect):
    """RUNS timed runs, then one sampled run: (list of timed results, sampled result)."""
    vmm = shlex.join(["./minivmm", "-m", f"{ram_mib}M"] + args)
    script = (f"for i in $(seq {RUNS}); do\n"
              f"  ./boottime -o /tmp/bench.out -- {vmm}\n"
              f"  grep -q {shlex.quote(expect)} /tmp/bench.out || echo 'MISSING OUTPUT'\n"
              f"done\n"
              f"./boottime -o /tmp/bench.out -r {ram_mib << 20} -- {vmm}\n"
              f"grep -q {shlex.quote(expect)} /tmp/bench.out || echo 'MISSING OUTPUT'\n")
    status, out = th.run(script, timeout=600)
    results = [parse(ln) for ln in out.splitlines() if ln.startswith("first_ms=")]
    if status or "MISSING OUTPUT" in out or len(results) != RUNS + 1 or \
            any(r["status"] != 0 for r in results):
        sys.exit(f"bench-boot: {name} failed (status {status}):\n{out}")
    return results[:RUNS], results[RUNS]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: boot.py BOOTTIME")
    th = testhost.TestHost(adds=[sys.argv[1]])
    th.boot()
    try:
        where = "natively" if th.native else "in the emulated test host (QEMU TCG, nested KVM)"
        base = parse(th.check("./boottime -- ./minivmm --version"))
        rows = [(name, ram) + measure(th, name, ram, args, expect)
                for name, ram, args, expect in CASES]
    finally:
        th.close()
    print(f"minivmm boot benchmark, {where}; median of {RUNS} runs\n")
    print(f"{'guest':<7} {'-m':>5} {'first byte':>11} {'exit':>9} {'maxrss':>9} "
          f"{'guest RAM':>10} {'minivmm':>9}")
    print(f"{'':<7} {'':>5} {'ms':>11} {'ms':>9} {'MiB':>9} {'MiB':>10} {'MiB':>9}")
    for name, ram, timed, sampled in rows:
        first = statistics.median(r["first_ms"] for r in timed)
        done = statistics.median(r["exit_ms"] for r in timed)
        maxrss = statistics.median(r["maxrss_kb"] for r in timed) / 1024
        print(f"{name:<7} {str(ram) + 'M':>5} {first:>11.1f} {done:>9.1f} {maxrss:>9.1f} "
              f"{sampled['guest_rss_kb'] / 1024:>10.1f} {sampled['other_rss_kb'] / 1024:>9.1f}")
    print(f"\nmaxrss: ru_maxrss from wait4 (guest RAM the guest touched included); "
          f"guest RAM / minivmm:\npeak resident set of the guest RAM mapping / of everything "
          f"else, sampled every 5 ms\nin one extra run. `minivmm --version` alone: "
          f"maxrss {base['maxrss_kb'] / 1024:.1f} MiB.")


if __name__ == "__main__":
    main()
