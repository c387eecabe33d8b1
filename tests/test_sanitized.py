# SPDX-License-Identifier: GPL-3.0-or-later
"""The sanitizer build in the test host (issue 8, item 2). minivmm-san is minivmm built
with AddressSanitizer and UndefinedBehaviorSanitizer (make SANITIZE=1); it ships beside
minivmm in the same boot of the test host (tests/testhost/testhost.py, SAN_SETUP). Here it
runs what reaches the most code: every bare-metal guest, a Linux boot, a debug session
under load, bad packets and memory at the edges of RAM, page tables that point outside
it, and every bad monitor command. A report of either sanitizer ends minivmm-san with a
non-zero status; each test also checks that its output holds none.

`make integration-san` runs the whole suite against it instead (docs/reliability.md)."""
import re

import pytest

from gdbtools import KILL_ALL
from test_monitor import BAD_INPUT, SockVmm
from test_reliability import (check_memory_edges_over_the_gdb_socket,
                              check_page_tables_pointing_outside_ram, load_args,
                              no_sanitizer_report, parse_load)

SAN = "./minivmm-san"
LINUX = "-c 2 -m 512M --initrd guests/linux-initrd.cpio.gz --append 'console=ttyAMA0 quiet'"

# name: (command line, exit status, what the guest prints). LeakSanitizer's check at exit
# needs ptrace(), which the seccomp filter refuses: the sanitizer build turns the check off
# once the filter is in (src/seccomp.c). With --no-seccomp it checks, at ~9 s a run in the
# test host: Linux (on 2 vCPUs) runs that way, the rest with the filter.
GUESTS = {
    "hello": ("guests/hello.elf", 0, "Hello from the minivmm guest!"),
    "smp": ("-c 4 guests/smp.elf", 0, "smp: 4 CPUs online"),
    "timer": ("guests/timer.elf", 0, "interrupts taken, the loop ran on"),
    "unbacked": ("guests/unbacked.elf", 0, "unbacked: 2 external aborts taken, still running"),
    "wild": ("guests/wild.elf", 0, "wild: 1 instruction aborts, 1 undefined instructions"),
    "emul": ("guests/emul.elf", 0, "emul: PSCI version"),
    "no-reboot": ("--no-reboot guests/reset.elf", 3, "reset: booted, asking for a reset"),
    "linux": ("--no-seccomp " + LINUX + " guests/Image", 0, "minivmm-guest: init reached"),
}


# watch PID SECS: wait for PID; if it outlives SECS, print each of its threads' state, wait
# channel and kernel stack (a vCPU in KVM_RUN or one blocked in minivmm tell different
# stories), then kill it. The status is PID's, as `wait` gives it.
WATCH = r"""
watch() {
    n=0
    while kill -0 $1 2>/dev/null && [ $n -lt $(($2 * 10)) ]; do sleep 0.1; n=$((n + 1)); done
    if kill -0 $1 2>/dev/null; then
        echo "@@still running after $2 s; its threads:@@"
        for t in /proc/$1/task/*; do
            echo "${t##*/} $(cat $t/comm) $(cut -d' ' -f3 $t/stat) $(cat $t/wchan)"
            cat $t/stack 2>/dev/null
        done
        kill -9 $1
    fi
    wait $1
}
"""


@pytest.fixture(scope="module")
def ran(host):
    """{name: (status, output)} of each of GUESTS under minivmm-san, in one script."""
    script = "".join(f"echo '@@begin {name}@@'\n"
                     f"{SAN} {cmd} </dev/null 2>&1 &\n"
                     f"watch $! 150\n"
                     f"rc=$?; echo; echo \"@@end {name} $rc@@\"\n"
                     for name, (cmd, _, _) in GUESTS.items())
    _, out = host.run(KILL_ALL + WATCH + script, 600)
    results = {}
    for m in re.finditer(r"^@@begin (\S+)@@\r?\n(.*?)\r?\n^@@end \1 (\d+)@@$", out,
                         re.M | re.S):
        results[m.group(1)] = (int(m.group(3)), m.group(2).replace("\r\n", "\n"))
    assert set(results) == set(GUESTS), out
    return results


@pytest.mark.parametrize("name", GUESTS)
def test_guest_runs_clean_under_the_sanitizers(ran, name):
    _, status, says = GUESTS[name]
    got, out = ran[name]
    no_sanitizer_report(out)
    assert got == status and says in out, out


def test_bad_options_and_images_are_one_line_under_the_sanitizers(host):
    # minivmm ends before the filter is in: LeakSanitizer checks each of these
    out = host.check(f"""
head -c 100 guests/hello.elf >/tmp/trunc.elf
for args in '--dtb guests/hello.elf guests/hello.elf' /tmp/trunc.elf; do
    {SAN} $args </dev/null >/tmp/san.out 2>&1; echo "rc=$? lines=$(wc -l </tmp/san.out)"
    cat /tmp/san.out
done""")
    no_sanitizer_report(out)
    assert out.count("rc=0") == 0 and out.count("lines=1") == 2, out
    assert out.count("minivmm: ") == 2, out


def test_debug_session_under_load_under_the_sanitizers(host):
    # the load test's client, with fewer hits and steps: the sanitizers are the point here,
    # LeakSanitizer's check at exit too (--no-seccomp)
    status, out = host.run(f"""
{KILL_ALL}
{SAN} --no-seccomp -S -c 2 --gdb unix:/tmp/sanload.sock guests/smploop.elf </dev/null >/tmp/sanload.out 2>&1 &
pid=$!
tools/rspload unix:/tmp/sanload.sock $pid {load_args()} bps=500 steps=2000 hz=100
rc=$?
[ $rc = 0 ] || kill $pid
wait $pid; echo "minivmm=$?"; cat /tmp/sanload.out
exit $rc""", timeout=900)
    no_sanitizer_report(out)
    assert status == 0 and "minivmm=0" in out, out
    fig = parse_load(out)
    assert fig["after_fds"] == fig["before_fds"], fig


def test_memory_edges_over_the_gdb_socket_under_the_sanitizers(host):
    check_memory_edges_over_the_gdb_socket(host, SAN)


def test_page_tables_pointing_outside_ram_under_the_sanitizers(host):
    check_page_tables_pointing_outside_ram(host, SAN)


def test_every_bad_monitor_command_under_the_sanitizers(host):
    vmm = SockVmm(host, "-S -c 2 guests/cloop.elf", tag="sanmon", exe=SAN)
    try:
        lines = []
        for _, line, _ in BAD_INPUT:
            lines += [line, "info cpus"]
        out = vmm.cmds(*lines)
        for i, (_, _, error) in enumerate(BAD_INPUT):
            assert out[2 * i] == f"error: {error}\n", (out[2 * i], error)
            assert "waits (-S)" in out[2 * i + 1], out[2 * i + 1]
        out = vmm.cmds("info registers", "step", "translate 0x40000000", "xp/2g 0x4ffffff8",
                       "x/16xb 0x40000000", "help", "gdb")
        assert "cpu0: pc 0x0000000040000004" in out[1], out
        status, text = vmm.quit()
    finally:
        vmm.kill()
    no_sanitizer_report(text)
    assert status == 0, text
