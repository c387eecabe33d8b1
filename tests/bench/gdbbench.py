# SPDX-License-Identifier: GPL-3.0-or-later
"""The gdb half of `make bench` (tests/bench/bench.py): runs inside gdb-multiarch on the
x86 side (gdb -batch -x gdbbench.py build/guests/cloop.elf), connected to a stub in the
test host that holds the cloop guest at its first instruction. Same script for minivmm
and QEMU. Each figure loops until its count or its time limit, whichever comes first (at
least once), and one line "BENCH {json}" carries them all.

Environment: BENCH_TARGET (host:port), BENCH_SECONDS (time limit per figure),
BENCH_BURN_LINE (the line of guests/cloop.c marked BURN), BENCH_RAM (guest RAM base),
BENCH_NORANGE=1: `next` once more with gdb's range stepping off (gdb steps each
instruction itself), to show what vCont;r gains. BENCH_TIMER_HZ=N: only stepi, with
cloop's virtual timer interrupting it N times a second (cloop's timer_hz)."""
import json
import os
import time

import gdb

TARGET = os.environ["BENCH_TARGET"]
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
BURN_LINE = int(os.environ["BENCH_BURN_LINE"])
RAM = int(os.environ.get("BENCH_RAM", "0x40000000"), 0)
MEM_TOTAL = 4 << 20
MEM_CHUNK = 256 << 10
TIMER_HZ = int(os.environ.get("BENCH_TIMER_HZ", "0"))
# Where a stop is in the guest's interrupt path: guests/lib/vectors.S and the handler.
IRQ_PATH = {"vectors", "do_irq", "do_sync", "sync_handler", "irq_handler", "gic_timer_irq",
            "gic_ack", "gic_eoi", "timer_arm"}


def run(cmd):
    return gdb.execute(cmd, to_string=True)


def packets(cmd):
    """How many packets gdb sends for cmd (its remote debug log, which to_string catches)."""
    run("set debug remote 1")
    try:
        return run(cmd).count("Sending packet:")
    finally:
        run("set debug remote 0")


def timed(count, body, limit=SECONDS):
    """(iterations, seconds): body() until count or limit, at least once."""
    t0 = time.monotonic()
    n = 0
    while n < count and (n == 0 or time.monotonic() - t0 < limit):
        body(n)
        n += 1
    return n, time.monotonic() - t0


def function_at(pc):
    """The symbol pc is in, from gdb's own symbol table (no packet)."""
    out = run(f"info symbol {pc:#x}")
    return out.split()[0] if " in section " in out else "?"


def stepi_timer(res):
    """stepi inside burn() while the timer interrupts: how fast, how many interrupts the
    guest took meanwhile (it must take some, or the figure would mean nothing), and how
    many stops were in the interrupt path rather than in burn()."""
    run("tbreak burn")
    run("continue")
    ticks = int(gdb.parse_and_eval("ticks"))
    pcs = []

    def stepi(i):
        run("stepi")
        pcs.append(int(gdb.parse_and_eval("$pc")))  # in gdb's register cache after the stop

    n, dt = timed(5000, stepi)
    res["gdb_stepi_timer_per_s"] = n / dt
    res["gdb_stepi_timer_n"] = n
    res["gdb_stepi_timer_ticks"] = int(gdb.parse_and_eval("ticks")) - ticks
    if not res["gdb_stepi_timer_ticks"]:
        raise gdb.GdbError(f"the {TIMER_HZ} Hz timer never interrupted {n} stepi")
    res["gdb_stepi_timer_irq"] = sum(function_at(pc) in IRQ_PATH for pc in pcs) / n
    res["gdb_stepi_timer_packets"] = packets("stepi")


def main():
    for cmd in ("set pagination off", "set confirm off", "set width 0",
                "set remotetimeout 120", "set architecture aarch64"):
        run(cmd)
    t0 = time.monotonic()
    run(f"target remote {TARGET}")
    res = {"gdb_attach_s": time.monotonic() - t0}
    run("set var rounds = 1000000")
    if TIMER_HZ:
        run(f"set var timer_hz = {TIMER_HZ}")  # before main() reads it
        stepi_timer(res)
        print("BENCH " + json.dumps(res), flush=True)
        run("kill")
        return

    # stepi inside burn()'s loop (and on, if the limit allows: main, work, ...)
    run("tbreak burn")
    run("continue")
    n, dt = timed(5000, lambda i: run("stepi"))
    res["gdb_stepi_per_s"] = n / dt
    res["gdb_stepi_n"] = n
    res["gdb_stepi_packets"] = packets("stepi")

    # breakpoint round trip: continue -> hit work() -> stop, once per round of the loop
    run("break work")
    run("continue")
    n, dt = timed(2000, lambda i: run("continue"))
    res["gdb_bp_per_s"] = n / dt
    res["gdb_bp_n"] = n
    run("delete")

    # next over the BURN line: ~1,000 instructions, one source line
    run(f"break cloop.c:{BURN_LINE}")
    run("continue")
    spent = []

    def next_once(i):
        if i:
            run("continue")  # back to the BURN line, in the next round
        t = time.monotonic()
        where = run("next")
        spent.append(time.monotonic() - t)
        if "BURN" in where:
            raise gdb.GdbError(f"next stayed on the BURN line: {where}")

    n, _ = timed(50, next_once, limit=SECONDS * 1.5)
    res["gdb_next_ms"] = 1000 * sum(spent) / len(spent)
    res["gdb_next_n"] = n
    if os.environ.get("BENCH_NORANGE") == "1":
        run("set range-stepping off")
        spent.clear()
        timed(50, lambda i: next_once(1))
        res["gdb_next_norange_ms"] = 1000 * sum(spent) / len(spent)
        run("set range-stepping on")
        run("continue")
        res["gdb_next_packets"] = packets("next")
    run("delete")

    # memory: dump 4 MiB of guest RAM, in chunks so that a slow stub stops at the limit
    def dump(i):
        lo = RAM + i * MEM_CHUNK
        run(f"dump binary memory /dev/null {lo:#x} {lo + MEM_CHUNK:#x}")

    n, dt = timed(MEM_TOTAL // MEM_CHUNK, dump)
    res["gdb_mem_bytes_per_s"] = n * MEM_CHUNK / dt
    res["gdb_mem_bytes"] = n * MEM_CHUNK
    print("BENCH " + json.dumps(res), flush=True)
    run("kill")


try:
    main()
except Exception as e:  # gdb -batch would go on silently: say what failed
    print(f"BENCH-ERROR {e}", flush=True)
    gdb.execute("quit 1")
