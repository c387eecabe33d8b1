# SPDX-License-Identifier: GPL-3.0-or-later
"""make bench: minivmm against QEMU (-accel kvm, its gdbstub), side by side in one boot of
the test host; docs/performance.md explains each figure.

In the test host: kvmstep (raw KVM single steps/s, the ceiling), rspbench (RSP single
steps/s on the loopback), boottime (exec to first output and to a marker, peak RSS split
into guest RAM and the rest). On this side: gdb-multiarch running gdbbench.py (stepi,
breakpoint round trip, next over ~1,000 instructions, memory reads) through the
forwarded port, and stepi again in a second run of the guest with its 1 kHz timer on; then
the kernel-debugging guest with Debian's vmlinux in gdb (taskbench.py): stepi and `info
threads` with vCPU threads, and with minivmm's task threads; dump-guest-memory of a
512 MiB guest through each one's monitor socket; Debian's U-Boot and EDK2 from flash to
their prompts.
QEMU is Debian's arm64 build staged by qemu-stage.py, run through its own loader. Prints a
table with the goals (pass/miss; never fails on a miss) and writes build/bench.csv,
build/bench.json and build/bench.md (the table for docs/performance.md).

usage: bench.py TOOLDIR QEMUDIR   (TOOLDIR holds kvmstep, rspbench, boottime)

BENCH_ONLY=GROUP[,GROUP...] measures only those groups of figures (rsp, gdb, timer, tasks,
dump, boot, firmware; default all); the raw KVM ceiling and the sizes are always measured,
and a goal whose figures were not measured is reported as such."""
import csv
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "testhost"))
import testhost  # noqa: E402

SECONDS = 12  # time limit per gdb figure and per RSP loop
HELLO_RUNS, LINUX_RUNS = 5, 3
LOOPBACK = "127.0.0.1:1234"
LINUX_APPEND = "console=ttyAMA0 quiet"
TIMER_HZ = 1000  # cloop's timer_hz for the stepi-with-interrupts figure
QEMU = ("./qemu/ld-linux-aarch64.so.1 --library-path ./qemu/lib ./qemu/qemu-system-aarch64 "
        "-L ./qemu/share -accel kvm -M virt,gic-version=3 -cpu host -nodefaults -nographic "
        "-serial stdio")


def vmm_cmd(vmm, image, ram_mib, gdb=None, cpus=1, initrd=None, append=None):
    """The command line that runs image on vmm ("minivmm" or "qemu") in the test host."""
    if vmm == "minivmm":
        argv = ["./minivmm", "-m", f"{ram_mib}M", "-c", str(cpus)]
        argv += ["--gdb", gdb, "-S"] if gdb else []
        argv += ["--initrd", initrd] if initrd else []
        argv += ["--append", append] if append else []
        return shlex.join(argv + [image])
    argv = ["-m", f"{ram_mib}M", "-smp", str(cpus), "-kernel", image]
    argv += ["-gdb", f"tcp:{gdb}", "-S"] if gdb else []
    argv += ["-initrd", initrd] if initrd else []
    argv += ["-append", append] if append else []
    return QEMU + " " + shlex.join(argv)


def parse(line):
    return {k: float(v) for k, v in re.findall(r"(\w+)=(-?[\d.]+)", line)}


class Background:
    """A VMM serving gdb in the test host, in the background; stop() kills it."""

    def __init__(self, th, cmd, listen):
        self.th = th
        port = listen.rsplit(":", 1)[1]
        status, out = th.run(f"""
rm -f /tmp/bench.out
{cmd} </dev/null >/tmp/bench.out 2>&1 &
echo $! >/tmp/bench.pid
i=0
while [ $i -lt 300 ]; do
    netstat -ltn 2>/dev/null | grep -q ':{port} ' && exit 0
    kill -0 $(cat /tmp/bench.pid) 2>/dev/null || {{ cat /tmp/bench.out; exit 1; }}
    sleep 0.1; i=$((i+1))
done
cat /tmp/bench.out; exit 2""")
        if status:
            raise testhost.TestHostError(f"{cmd}: not listening ({status}):\n{out}")

    def stop(self):
        self.th.run("""
p=$(cat /tmp/bench.pid); kill -KILL $p 2>/dev/null
i=0; while kill -0 $p 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done""")


def raw_kvm(th):
    return parse(th.check("./kvmstep 5000", timeout=120))["rate"]


def rsp_steps(th, vmm):
    bg = Background(th, vmm_cmd(vmm, "guests/cloop.elf", 256, gdb=LOOPBACK), LOOPBACK)
    try:
        out = th.check(f"./rspbench {LOOPBACK} 20000 {SECONDS}", timeout=SECONDS * 4 + 60)
    finally:
        bg.stop()
    lines = {ln.split()[0]: parse(ln) for ln in out.splitlines() if ln.startswith("rsp_")}
    return {"rsp_step_per_s": lines["rsp_step"]["rate"],
            "rsp_steppc_per_s": lines["rsp_steppc"]["rate"],
            "rsp_ping_per_s": lines["rsp_ping"]["rate"]}


def run_gdbbench(th, vmm, **env):
    """gdbbench.py in gdb-multiarch against vmm serving a fresh cloop guest; its figures.
    env: more BENCH_* settings for it."""
    burn = next(i for i, ln in enumerate(open(os.path.join(TOP, "guests", "cloop.c")), 1)
                if "/* BURN */" in ln)
    bg = Background(th, vmm_cmd(vmm, "guests/cloop.elf", 256, gdb=th.gdb_listen),
                    th.gdb_listen)
    env = dict(os.environ, BENCH_TARGET=th.gdb_connect, BENCH_SECONDS=str(SECONDS),
               BENCH_BURN_LINE=str(burn), **env)
    try:
        p = subprocess.run(["gdb-multiarch", "-nx", "-batch", "-x",
                            os.path.join(HERE, "gdbbench.py"),
                            os.path.join(testhost.BUILD, "guests", "cloop.elf")],
                           env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=SECONDS * 12 + 120)
    finally:
        bg.stop()
    m = re.search(r"^BENCH (\{.*\})$", p.stdout, re.M)
    if not m:
        raise testhost.TestHostError(f"gdb on {vmm} failed:\n{p.stdout[-3000:]}")
    return json.loads(m.group(1))


def gdb_figures(th, vmm):
    return run_gdbbench(th, vmm, BENCH_NORANGE="1" if vmm == "minivmm" else "0")


def gdb_timer_figures(th, vmm):
    """stepi again, in a guest whose timer interrupts it TIMER_HZ times a second."""
    return run_gdbbench(th, vmm, BENCH_TIMER_HZ=str(TIMER_HZ))


KDEBUG_APPEND = "console=ttyAMA0 quiet nokaslr kdebug.delay=50"
KDEBUG_VMLINUX = os.path.join(testhost.DL, "dbg", "vmlinux")


def kdebug_image():
    """The Image whose vmlinux build/dl/dbg has: shipped as ./Image when it is not
    guests/Image (as tests/conftest.py does)."""
    own = os.path.join(testhost.BUILD, "guests", "Image")
    dbg = os.path.join(testhost.DL, "dbg", "Image")
    return "guests/Image" if os.path.exists(own) and os.path.samefile(own, dbg) else "Image"


def task_figures(th, vmm):
    """The kernel-debugging guest with Debian's vmlinux in gdb: a stop and `info threads`
    with vCPU threads (minivmm and QEMU), and with minivmm's task threads."""
    modes = [("linux_", [])] + ([("linux_tasks_", ["--gdb-threads", "tasks"])]
                                if vmm == "minivmm" else [])
    res = {}
    for prefix, extra in modes:
        if vmm == "minivmm":
            cmd = shlex.join(["./minivmm", "-m", "512M", "-c", "2", "--gdb", th.gdb_listen] +
                             extra + ["--initrd", "guests/kdebug-initrd.cpio.gz",
                                      "--append", KDEBUG_APPEND, kdebug_image()])
        else:
            cmd = QEMU + " " + shlex.join(["-m", "512M", "-smp", "2", "-kernel",
                                           kdebug_image(), "-initrd",
                                           "guests/kdebug-initrd.cpio.gz", "-append",
                                           KDEBUG_APPEND, "-gdb", f"tcp:{th.gdb_listen}"])
        bg = Background(th, cmd, th.gdb_listen)
        try:
            th.check("i=0; until grep -q 'workload started' /tmp/bench.out; do "
                     "i=$((i+1)); [ $i -lt 3000 ] || { cat /tmp/bench.out; exit 1; }; "
                     "sleep 0.1; done", timeout=400)
            env = dict(os.environ, BENCH_TARGET=th.gdb_connect, BENCH_SECONDS=str(SECONDS),
                       BENCH_PREFIX=prefix)
            p = subprocess.run(["gdb-multiarch", "-nx", "-batch", "-x",
                                os.path.join(HERE, "taskbench.py"), KDEBUG_VMLINUX],
                               env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, timeout=SECONDS * 8 + 300)
        finally:
            bg.stop()
        m = re.search(r"^BENCH (\{.*\})$", p.stdout, re.M)
        if not m:
            raise testhost.TestHostError(f"gdb on {vmm} {prefix}failed:\n{p.stdout[-3000:]}")
        res.update(json.loads(m.group(1)))
    return res


def boottime_runs(th, what, cmd, mark, options):
    """One run of cmd under boottime per entry of options (boottime's flags beside -w), in
    one script; each run's figures, all of which must have seen mark."""
    q = shlex.quote(mark)
    out = th.check("".join(f"./boottime -w {q} {o} -- {cmd} </dev/null\n" for o in options),
                   timeout=900)
    rows = [parse(ln) for ln in out.splitlines() if ln.startswith("first_ms=")]
    if len(rows) != len(options) or any(r.get("mark_ms", -1) < 0 for r in rows):
        raise testhost.TestHostError(f"{what}: no marker:\n{out[-3000:]}")
    return rows


def boot_figures(th, vmm):
    """Medians of exec -> first byte (hello) and exec -> init marker (Linux); the peak RSS
    beyond guest RAM from one sampled run of each."""
    cases = [("hello", HELLO_RUNS, 256, vmm_cmd(vmm, "guests/hello.elf", 256),
              "Hello from the minivmm guest!"),
             ("linux", LINUX_RUNS, 512,
              vmm_cmd(vmm, "guests/Image", 512, cpus=2, initrd="guests/linux-initrd.cpio.gz",
                      append=LINUX_APPEND), "minivmm-guest: init reached")]
    res = {}
    for name, runs, ram, cmd, mark in cases:
        rows = boottime_runs(th, f"{vmm} {name}", cmd, mark, [""] * runs + [f"-r {ram << 20}"])
        res[f"{name}_first_ms"] = statistics.median(r["first_ms"] for r in rows[:runs])
        res[f"{name}_mark_ms"] = statistics.median(r["mark_ms"] for r in rows[:runs])
        res[f"{name}_other_rss_mib"] = rows[runs]["other_rss_kb"] / 1024
        res[f"{name}_guest_rss_mib"] = rows[runs]["guest_rss_kb"] / 1024
    return res


FIRMWARE_RUNS = 3
FIRMWARE = [("uboot", "guests/u-boot.bin", "Hit any key to stop autoboot"),
            ("edk2", "guests/QEMU_EFI.fd", "UEFI Interactive Shell")]


def firmware_figures(th, vmm):
    """Medians of exec -> U-Boot's autoboot prompt and exec -> the UEFI shell's banner, from
    flash (--bios / -bios, 512 MiB); boottime kills the VMM at the marker."""
    res = {}
    for name, fw, mark in FIRMWARE:
        cmd = (f"./minivmm -m 512M --bios {fw}" if vmm == "minivmm" else
               f"{QEMU} -m 512M -bios {fw}")
        rows = boottime_runs(th, f"{vmm} {name}", cmd, mark, ["-k"] * FIRMWARE_RUNS)
        res[f"{name}_mark_ms"] = statistics.median(r["mark_ms"] for r in rows)
    return res


DUMP_MIB = 512  # the guest's RAM for the dump figure (the test host's tmpfs holds the file)


def dump_figures(th, vmm):
    """dump-guest-memory of a 512 MiB guest (hello, held at its first instruction: -S)
    through each one's monitor socket into the test host's tmpfs: the median of 3, as
    seconds per GiB."""
    sock = f"/tmp/bench-{vmm}.sock"
    if vmm == "minivmm":
        start = vmm_cmd(vmm, "guests/hello.elf", DUMP_MIB) + f" -S --monitor unix:{sock}"
    else:
        start = (vmm_cmd(vmm, "guests/hello.elf", DUMP_MIB) +
                 f" -S -monitor unix:{sock},server=on,wait=off")
    out = th.check(f"""
rm -f {sock} /tmp/bench.core
{start} </dev/null >/tmp/bench-{vmm}.out 2>&1 &
pid=$!
tools/unixcat -w 60 {sock} </dev/null >/dev/null || {{ cat /tmp/bench-{vmm}.out; exit 1; }}
for i in 1 2 3; do
    t0=$(cut -d' ' -f1 /proc/uptime)
    printf 'dump-guest-memory /tmp/bench.core\n' | tools/unixcat {sock} >/tmp/bench-dump.out
    t1=$(cut -d' ' -f1 /proc/uptime)
    echo "t0=$t0 t1=$t1 bytes=$(wc -c </tmp/bench.core)"
    rm -f /tmp/bench.core
done
kill $pid; wait $pid 2>/dev/null; true""", timeout=600)
    rows = [parse(ln) for ln in out.splitlines() if ln.startswith("t0=")]
    if len(rows) != 3 or any(r["bytes"] < DUMP_MIB << 20 for r in rows):
        raise testhost.TestHostError(f"{vmm}: dump-guest-memory wrote no dump:\n{out[-3000:]}")
    return {"dump_s_per_gib": statistics.median(r["t1"] - r["t0"] for r in rows)
            * 1024 / DUMP_MIB}


def sizes(qemu_dir):
    """minivmm as built and stripped; QEMU: its binary and every library it loads."""
    mv = os.path.join(testhost.BUILD, "minivmm")
    stripped = os.path.join(testhost.BUILD, "bench", "minivmm.stripped")
    strip = "strip" if os.uname().machine == "aarch64" else "aarch64-linux-gnu-strip"
    subprocess.run([strip, "-o", stripped, mv], check=True)
    q = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(qemu_dir) for f in fs)
    return ({"size_mib": os.path.getsize(mv) / 2**20,
             "size_stripped_mib": os.path.getsize(stripped) / 2**20},
            {"size_mib": q / 2**20, "size_stripped_mib": q / 2**20})


# key, label, unit, higher is better (None: it describes the figure above, no ratio)
ROWS = [
    ("raw_kvm_per_s", "raw KVM single step (ceiling)", "steps/s", True),
    ("rsp_step_per_s", "stub step, RSP on loopback", "steps/s", True),
    ("rsp_steppc_per_s", "stub step + pc known", "steps/s", True),
    ("rsp_ping_per_s", "RSP round trip, no vCPU (qC)", "per s", True),
    ("step_vs_raw", "stub step / raw KVM", "fraction", True),
    ("gdb_stepi_per_s", "gdb stepi (x86 side)", "stepi/s", True),
    ("gdb_stepi_packets", "  packets gdb sends per stepi", "packets", False),
    ("gdb_stepi_timer_per_s", "gdb stepi with a 1 kHz timer", "stepi/s", True),
    ("gdb_stepi_timer_irq", "  stops in the IRQ path", "fraction", None),
    ("gdb_bp_per_s", "breakpoint round trip (gdb)", "hits/s", True),
    ("gdb_next_ms", "next over ~1,000 insns (gdb)", "ms", False),
    ("gdb_next_packets", "  packets gdb sends per next", "packets", False),
    ("gdb_next_norange_ms", "  the same, range-stepping off", "ms", False),
    ("gdb_mem_kib_per_s", "memory read, gdb dump", "KiB/s", True),
    ("linux_stepi_per_s", "gdb stepi, Linux, vCPU threads", "stepi/s", True),
    ("linux_stepi_packets", "  packets gdb sends per stepi", "packets", False),
    ("linux_tasks_stepi_per_s", "  the same, task threads", "stepi/s", None),
    ("linux_tasks_stepi_packets", "  packets gdb sends per stepi", "packets", None),
    ("linux_info_threads_ms", "info threads, Linux, vCPU thr.", "ms", False),
    ("linux_tasks_info_threads_ms", "  the same, task threads", "ms", None),
    ("linux_tasks_threads", "  threads it shows", "threads", None),
    ("dump_s_per_gib", "dump-guest-memory, 512 MiB", "s/GiB", False),
    ("hello_first_ms", "exec -> first output, hello", "ms", False),
    ("linux_mark_ms", "exec -> init marker, Linux", "ms", False),
    ("uboot_mark_ms", "exec -> U-Boot prompt, flash", "ms", False),
    ("edk2_mark_ms", "exec -> UEFI shell, flash", "ms", False),
    ("hello_other_rss_mib", "RSS beyond guest RAM, hello", "MiB", False),
    ("linux_other_rss_mib", "RSS beyond guest RAM, Linux", "MiB", False),
    ("size_mib", "binary (+ libs) size", "MiB", False),
]


def advantage(key, higher, mv, qm):
    """How many times better minivmm is (> 1: ahead of QEMU)."""
    a, b = mv.get(key), qm.get(key)
    if not a or not b or higher is None:
        return None
    return a / b if higher else b / a


def goals(mv, qm):
    """[(goal, passed, detail)]; passed is None when a figure it needs was not measured."""
    adv = {k: advantage(k, h, mv, qm) for k, _, _, h in ROWS if k != "raw_kvm_per_s"}
    behind = [k for k, a in adv.items() if a is not None and a <= 1]

    def goal(name, key, ok, detail):
        if key not in mv:
            return name, None, "not measured"
        return name, ok(), detail()

    def faster(name, key, times):
        return goal(name, key, lambda: (adv[key] or 0) >= times,
                    lambda: f"{adv[key] or 0:.1f}x")

    return [
        goal("stub step rate >= 0.8 x raw KVM", "step_vs_raw",
             lambda: mv["step_vs_raw"] >= 0.8, lambda: f"{mv['step_vs_raw']:.2f}"),
        ("every figure ahead of QEMU's", not behind,
         "behind: " + ", ".join(behind) if behind else "all ahead"),
        faster("next >= 20x faster than QEMU", "gdb_next_ms", 20),
        faster("stepi with a 1 kHz timer >= 3x QEMU", "gdb_stepi_timer_per_s", 3),
        faster("exec -> first output >= 5x faster", "hello_first_ms", 5),
        goal("task threads: a stop costs <= 1.25x vCPU threads'", "linux_tasks_stepi_per_s",
             lambda: mv["linux_stepi_per_s"] / mv["linux_tasks_stepi_per_s"] <= 1.25,
             lambda: f"{mv['linux_stepi_per_s'] / mv['linux_tasks_stepi_per_s']:.2f}x"),
        goal("static binary under 2 MB", "size_mib", lambda: mv["size_mib"] * 2**20 < 2e6,
             lambda: f"{mv['size_mib'] * 2**20 / 1e6:.2f} MB"),
        goal("RSS beyond guest RAM under 8 MB, hello", "hello_other_rss_mib",
             lambda: mv["hello_other_rss_mib"] * 2**20 < 8e6,
             lambda: f"{mv['hello_other_rss_mib']:.1f} MiB"),
        goal("RSS beyond guest RAM under 8 MB, Linux", "linux_other_rss_mib",
             lambda: mv["linux_other_rss_mib"] * 2**20 < 8e6,
             lambda: f"{mv['linux_other_rss_mib']:.1f} MiB"),
    ]


def verdict(ok, miss):
    return "-" if ok is None else "pass" if ok else miss


def report(mv, qm, where):
    out = [f"minivmm vs QEMU {qm.get('version', '')} (-accel kvm), {where}", "",
           f"{'figure':<32} {'unit':<9} {'minivmm':>10} {'QEMU':>10} {'minivmm ahead':>14}"]
    rows = []
    for key, label, unit, higher in ROWS:
        a, b = mv.get(key), qm.get(key)
        adv = advantage(key, higher, mv, qm)
        ratio = "(ceiling)" if key == "raw_kvm_per_s" else f"{adv:.2f}x" if adv else "-"
        out.append(f"{label:<32} {unit:<9} {fmt(a):>10} {fmt(b):>10} {ratio:>14}")
        rows.append({"figure": key, "label": label, "unit": unit, "minivmm": a, "qemu": b,
                     "minivmm_ahead": adv, "higher_is_better": higher})
    out += ["", "Goals (reported, never failing):"]
    gl = goals(mv, qm)
    for name, ok, detail in gl:
        out.append(f"  {verdict(ok, 'MISS'):<4}  {name:<42} {detail}")
    return "\n".join(out), rows, gl


def markdown(rows, gl):
    out = ["| figure | unit | minivmm | QEMU | minivmm ahead |", "|---|---|---:|---:|---:|"]
    for r in rows:
        ahead = ("ceiling" if r["figure"] == "raw_kvm_per_s" else
                 f"{r['minivmm_ahead']:.2f}x" if r["minivmm_ahead"] else "-")
        out.append(f"| {r['label'].strip()} | {r['unit']} | {fmt(r['minivmm'])} | "
                   f"{fmt(r['qemu'])} | {ahead} |")
    out += ["", "| goal | result | |", "|---|---|---|"]
    out += [f"| {n} | {verdict(ok, '**miss**')} | {d} |" for n, ok, d in gl]
    return "\n".join(out) + "\n"


def fmt(v):
    if v is None:
        return "-"
    return f"{v:.0f}" if abs(v) >= 100 else f"{v:.2f}" if abs(v) < 10 else f"{v:.1f}"


GROUPS = [("rsp", "RSP steps", rsp_steps), ("gdb", "gdb", gdb_figures),
          ("timer", f"gdb, {TIMER_HZ} Hz timer", gdb_timer_figures),
          ("tasks", "Linux, vCPU and task threads", task_figures),
          ("dump", "dump-guest-memory", dump_figures), ("boot", "boot", boot_figures),
          ("firmware", "firmware from flash", firmware_figures)]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    tools, qemu_dir = sys.argv[1:]
    only = os.environ.get("BENCH_ONLY", "").replace(",", " ").split()
    unknown = set(only) - {g for g, _, _ in GROUPS}
    if unknown:
        sys.exit(f"bench: BENCH_ONLY: no group {', '.join(sorted(unknown))} "
                 f"(groups: {', '.join(g for g, _, _ in GROUPS)})")
    t_start = time.monotonic()
    adds = [os.path.join(tools, t) for t in ("kvmstep", "rspbench", "boottime")] + [qemu_dir]
    if kdebug_image() == "Image":
        adds.append(os.path.join(testhost.DL, "dbg", "Image"))
    th = testhost.TestHost(adds=adds)
    print("bench: booting the test host", flush=True)
    th.boot()
    mv, qm = {}, {}
    try:
        where = "natively" if th.native else "in the emulated test host (QEMU TCG, nested KVM)"
        qm["version"] = th.check(f"{QEMU.split(' -L')[0]} --version").split()[3]
        raw = raw_kvm(th)
        mv["raw_kvm_per_s"] = qm["raw_kvm_per_s"] = raw
        for group, name, fn in GROUPS:
            if only and group not in only:
                continue
            for vmm, res in (("minivmm", mv), ("qemu", qm)):
                print(f"bench: {name}, {vmm}", flush=True)
                res.update(fn(th, vmm))
    finally:
        th.close()
    if "gdb_next_ms" in qm:  # QEMU has no vCont;r: gdb steps anyway
        qm["gdb_next_norange_ms"] = qm["gdb_next_ms"]
    for res in (mv, qm):
        if "rsp_step_per_s" in res:
            res["step_vs_raw"] = res["rsp_step_per_s"] / raw
        if "gdb_mem_bytes_per_s" in res:
            res["gdb_mem_kib_per_s"] = res["gdb_mem_bytes_per_s"] / 1024
    s_mv, s_qm = sizes(qemu_dir)
    mv.update(s_mv)
    qm.update(s_qm)
    text, rows, gl = report(mv, qm, where)
    print("\n" + text)
    print(f"\n({time.monotonic() - t_start:.0f} s; build/bench.csv, .json, .md)")
    with open(os.path.join(testhost.BUILD, "bench.md"), "w") as f:
        f.write(markdown(rows, gl))
    with open(os.path.join(testhost.BUILD, "bench.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with open(os.path.join(testhost.BUILD, "bench.json"), "w") as f:
        json.dump({"where": where, "only": only or "all", "rows": rows, "minivmm": mv, "qemu": qm,
                   "goals": [{"goal": n, "pass": ok, "detail": d} for n, ok, d in gl]},
                  f, indent=1)


if __name__ == "__main__":
    main()
