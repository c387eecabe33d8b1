# SPDX-License-Identifier: GPL-3.0-or-later
"""Faults of the peers (issue 8): gdb killed at its worst moments, Ctrl-C storms,
clients that send garbage or nothing, signals to minivmm, and a guest that jumps
into nothing. minivmm keeps the guest sound and a new gdb attaches and works."""
import os
import signal
import socket
import time

import pexpect

from gdbtools import Gdb, Minivmm
from test_gdb import Raw


def spins_advance(host, gdb_factory):
    """A new gdb attaches, sees no breakpoint of the old one, and the guest ran."""
    gdb = gdb_factory()
    try:
        a = gdb.value("spins")
        # the old gdb's breakpoint is gone from the guest
        assert "no breakpoints or watchpoints inserted" in gdb.cmd("monitor info breakpoints")
        gdb.cmd("detach")
    finally:
        gdb.close()
    time.sleep(1)
    gdb = gdb_factory()
    try:
        assert gdb.value("spins") > a, "the guest did not run on after the old gdb died"
        gdb.cmd("kill")
    finally:
        gdb.close()


def start_spinning(host):
    mv = Minivmm(host, "-S guests/timer.elf")
    gdb = Gdb(host, "timer.elf")
    gdb.cmd("set var goal = 0")
    gdb.cmd("break timer.c:36")
    gdb.cmd("continue")
    return mv, gdb


def test_gdb_killed_mid_stepi_continue_and_dump(host):
    for action in ["stepi", "continue", "dump"]:
        mv, gdb = start_spinning(host)
        try:
            if action == "stepi":
                gdb.cmd("delete")
                gdb.p.sendline("python")
                gdb.p.sendline("for i in range(100000): gdb.execute('stepi', to_string=True)")
                gdb.p.sendline("end")
            elif action == "continue":
                gdb.p.sendline("continue")
                gdb.p.expect("Continuing.")
            else:
                gdb.p.sendline("dump memory /dev/null 0x40000000 0x40400000")
            time.sleep(2)
            gdb.p.kill(signal.SIGKILL)
            time.sleep(1)
            spins_advance(host, lambda: Gdb(host, "timer.elf"))
            status, out = mv.wait()
            assert status == 5, f"after {action}: {out}"
        finally:
            mv.kill()


def test_1000_ctrl_c_in_a_row(host):
    mv = Minivmm(host, "-S guests/smploop.elf")  # loops for ever
    try:
        c = Raw(host.gdb_connect)
        c.ask("qSupported:swbreak+;hwbreak+")
        assert c.ask("QStartNoAckMode") == "OK"
        c.buf = b""
        stops = 0
        for _ in range(1000):
            c.s.sendall(b"$vCont;c#a8")
            c.s.sendall(b"\x03")
            reply = c.read_packet()
            assert reply.startswith("T"), reply
            stops += 1
        assert stops == 1000
        hits = int.from_bytes(bytes.fromhex(c.ask(f"m{smploop_hits():x},8")), "little")
        assert hits > 0, "the guest never ran between the interrupts"
        assert c.ask("D") == "OK"
        c.s.close()
        gdb = Gdb(host, "smploop.elf")  # and a gdb after all that still works
        try:
            assert gdb.value("hits[0]") >= hits
            assert "killed" in gdb.cmd("kill")
        finally:
            gdb.close()
        assert mv.wait()[0] == 5
    finally:
        mv.kill()


def smploop_hits():
    import subprocess
    from conftest import GUESTS
    out = subprocess.run(["aarch64-linux-gnu-nm", os.path.join(GUESTS, "smploop.elf")],
                         capture_output=True, text=True, check=True).stdout
    return next(int(l.split()[0], 16) for l in out.splitlines() if l.endswith(" hits"))


def test_clients_that_send_nothing_garbage_or_half_a_packet(host):
    mv = Minivmm(host, "-S guests/smploop.elf")  # loops for ever
    h, p = host.gdb_connect.rsplit(":", 1)
    try:
        # connects and says nothing: it holds the guest (an attached debugger does)
        # until it goes; then the next client is served
        silent = socket.create_connection((h, int(p)), timeout=60)
        time.sleep(1)
        silent.close()
        for junk in [os.urandom(4096), b"$m4000", b"$qSupported:xx#", b"}}}}$#zz\x03\x03"]:
            s = socket.create_connection((h, int(p)), timeout=60)
            s.sendall(junk)
            time.sleep(0.5)
            s.close()
        gdb = Gdb(host, "smploop.elf")
        try:
            assert gdb.value("hits[0]") > 0  # the guest ran after each client left
            gdb.cmd("break hit")
            assert "Breakpoint 1, hit" in gdb.cmd("continue")
            assert "killed" in gdb.cmd("kill")
        finally:
            gdb.close()
        assert mv.wait()[0] == 5
    finally:
        mv.kill()


def test_sigterm_and_sigint_end_minivmm_with_their_status(host):
    status, out = host.run("""
./minivmm --gdb 10.0.2.15:1234 -S guests/hello.elf </dev/null >/tmp/sig.out 2>&1 &
pid=$!; sleep 1; kill -INT $pid; wait $pid; echo int=$?
./minivmm --gdb 10.0.2.15:1234 -S guests/hello.elf </dev/null >/tmp/sig.out 2>&1 &
pid=$!; sleep 1; kill -TERM $pid; wait $pid; echo term=$?
""")
    assert "int=130" in out and "term=143" in out, out


def test_a_guest_jumping_into_nothing_gets_its_exception(host):
    status, out = host.run("./minivmm guests/wild.elf")
    assert status == 0
    assert "wild: 1 instruction aborts, 1 undefined instructions, 0 others" in out, out


def test_seccomp_filter_refuses_what_the_run_loop_does_not_need(host):
    # minivmm's own filter, linked into a checker: exec, new sockets, new
    # processes and signals to others are refused; the run loop's calls are not
    status, out = host.run("tools/seccomp_check")
    assert status == 0, out
    for call in ["execve", "socket", "clone (fork)", "kill"]:
        assert f"ok {call}: Operation not permitted" in out, out
    # minivmm runs with it installed on every thread, and without it on request
    status, out = host.run("""
./minivmm guests/smploop.elf </dev/null >/dev/null 2>&1 & pid=$!
sleep 1; grep -h '^Seccomp:' /proc/$pid/task/*/status | sort | uniq -c; kill $pid; wait $pid
./minivmm --no-seccomp guests/smploop.elf </dev/null >/dev/null 2>&1 & pid=$!
sleep 1; echo no-seccomp; grep -h '^Seccomp:' /proc/$pid/task/*/status | sort | uniq -c
kill $pid; wait $pid""")
    with_filter, without = out.split("no-seccomp")
    assert "2 Seccomp:\t2" in with_filter, out  # the main thread and the vCPU thread
    assert "Seccomp:\t2" not in without and "Seccomp:\t0" in without, out
