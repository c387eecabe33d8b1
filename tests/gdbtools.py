# SPDX-License-Identifier: GPL-3.0-or-later
"""Driving a debug session from the tests: minivmm serving gdb in the test host,
and the real gdb-multiarch on this side, on a pseudo-terminal (pexpect), so that
Ctrl-C is a real Ctrl-C."""
import os
import re
import shlex
import subprocess
import time

import pexpect

from conftest import GUESTS

GDB = "gdb-multiarch"
PROMPT = "(gdb) "
ANSI = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")


def symbols(elf):
    """{name: (address, size)} of a guest's symbols (nm -S; size 0 where nm has none).
    A name defined twice keeps its first address."""
    out = subprocess.run(["aarch64-linux-gnu-nm", "-S", os.path.join(GUESTS, elf)],
                         capture_output=True, text=True, check=True).stdout
    syms = {}
    for line in out.splitlines():
        f = line.split()
        syms.setdefault(f[-1], (int(f[0], 16), int(f[1], 16) if len(f) == 4 else 0))
    return syms


def symbol(elf, name):
    """(address, size) of one symbol; KeyError if the guest has none of that name."""
    return symbols(elf)[name]


def line_of(src, marker):
    """The first line of guests/SRC that holds marker: where to break by line."""
    with open(os.path.join(os.path.dirname(__file__), "..", "guests", src)) as f:
        for n, text in enumerate(f, 1):
            if marker in text:
                return n
    raise KeyError(marker)


# No minivmm (or sanitizer build of it) left from an earlier test: it would still hold
# the port.
KILL_ALL = """
pids=$(pidof minivmm minivmm-san) && kill -KILL $pids
i=0; while pidof minivmm minivmm-san >/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
"""


class Minivmm:
    """minivmm run in the background in the test host with --gdb; its output and
    exit status are collected from files there."""

    def __init__(self, host, args, tag="mv", exe="./minivmm"):
        self.host = host
        self.tag = tag
        port = host.gdb_listen.rsplit(":", 1)[1]
        status, out = host.run(f"""
{KILL_ALL}
rm -f /tmp/{tag}.out /tmp/{tag}.rc
( {exe} --gdb {host.gdb_listen} {args} </dev/null >/tmp/{tag}.out 2>&1
  echo $? >/tmp/{tag}.rc ) &
i=0
while [ $i -lt 600 ]; do
    netstat -ltn 2>/dev/null | grep -q ':{port} ' && exit 0
    [ -e /tmp/{tag}.rc ] && {{ cat /tmp/{tag}.out; exit 1; }}
    sleep 0.1; i=$((i+1))
done
exit 2""")
        assert status == 0, f"minivmm did not start listening ({status}):\n{out}"

    def output(self):
        return self.host.check(f"cat /tmp/{self.tag}.out")

    def wait(self, timeout=120):
        """Exit status and output, once minivmm has exited."""
        status, out = self.host.run(f"""
i=0
while [ ! -e /tmp/{self.tag}.rc ] && [ $i -lt {timeout * 10} ]; do sleep 0.1; i=$((i+1)); done
[ -e /tmp/{self.tag}.rc ] || exit 99
cat /tmp/{self.tag}.out; exit $(cat /tmp/{self.tag}.rc)""", timeout=timeout + 30)
        assert status != 99, f"minivmm still running after {timeout}s"
        return status, out

    def kill(self):
        self.host.run(KILL_ALL)


class Gdb:
    """gdb-multiarch on a pty. cmd() returns what a command printed before the
    next prompt."""
    sessions = 0

    def __init__(self, host, elf=None, connect=True, timeout=120):
        args = ["-nx", "-q", "-ex", "set pagination off", "-ex", "set confirm off",
                "-ex", "set width 0", "-ex", "set style enabled off",
                "-ex", "set remotetimeout 60", "-ex", "set architecture aarch64"]
        if os.environ.get("MINIVMM_GDB_REMOTELOG"):
            # every packet of every session, for a failure that a transcript does not explain
            Gdb.sessions += 1
            log = os.path.join(os.environ["MINIVMM_GDB_REMOTELOG"], f"{Gdb.sessions}.log")
            os.makedirs(os.path.dirname(log), exist_ok=True)
            args += ["-ex", f"set remotelogfile {log}"]
        if elf:
            args.append(os.path.join(GUESTS, elf) if not os.path.isabs(elf) else elf)
        self.host = host
        env = dict(os.environ, TERM="dumb")  # no bracketed-paste escapes from readline
        self.p = pexpect.spawn(GDB, args, encoding="utf-8", timeout=timeout,
                               dimensions=(200, 250), env=env)
        self.log = []
        self.p.expect_exact(PROMPT)
        if connect:
            self.cmd(f"target remote {host.gdb_connect}")

    def cmd(self, line, timeout=None):
        self.p.sendline(line)
        self.p.expect_exact(PROMPT, timeout=timeout or self.p.timeout)
        out = self.p.before
        # drop the echoed command line
        out = out.split("\n", 1)[1] if "\n" in out else ""
        out = ANSI.sub("", out.replace("\r", ""))
        self.log.append(f"(gdb) {line}\n{out}")
        return out

    def interrupt(self, timeout=None):
        """Ctrl-C while the target runs; what gdb printed when it stopped."""
        self.p.sendintr()
        self.p.expect_exact(PROMPT, timeout=timeout or self.p.timeout)
        out = ANSI.sub("", self.p.before.replace("\r", ""))
        self.log.append(f"^C\n{out}")
        return out

    def value(self, expr):
        """An integer expression evaluated by gdb."""
        out = self.cmd(f"p/x {expr}")
        m = re.search(r"= (0x[0-9a-f]+)", out)
        assert m, f"p/x {expr}: {out}"
        return int(m.group(1), 16)

    def close(self):
        if self.p.isalive():
            self.p.sendline("quit")
            try:
                self.p.expect(pexpect.EOF, timeout=30)
            except pexpect.TIMEOUT:
                self.p.terminate(force=True)

    def transcript(self):
        return "\n".join(self.log)


def kallsyms(host, name):
    """A text symbol's address, from the test host's /proc/kallsyms: the test host
    runs the guest's kernel with nokaslr, so the guest has the same addresses."""
    out = host.check(f"grep ' {shlex.quote(name)}$' /proc/kallsyms | head -n1")
    return int(out.split()[0], 16)


def wait_for(fn, timeout=30, step=0.2):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = fn()
        if v:
            return v
        time.sleep(step)
    return fn()
