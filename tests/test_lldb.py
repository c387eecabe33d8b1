# SPDX-License-Identifier: GPL-3.0-or-later
"""The same basic session with Debian's lldb as the client (issue 4): users of
either debugger must be served."""
import os
import re
import subprocess

from conftest import GUESTS
from gdbtools import Minivmm

# Debian 12's lldb looks for its Python package in the wrong folder; without this it
# prints a traceback (harmless) at start.
LLDB_ENV = dict(os.environ, PYTHONPATH="/usr/lib/llvm-14/lib/python3.11/dist-packages")


def lldb(host, *commands, timeout=180):
    argv = ["lldb", "--batch", "--no-lldbinit", os.path.join(GUESTS, "cloop.elf"),
            "-o", "settings set plugin.process.gdb-remote.packet-timeout 60",
            "-o", f"gdb-remote {host.gdb_connect}"]
    for c in commands:
        argv += ["-o", c]
    p = subprocess.run(argv, env=LLDB_ENV, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=timeout)
    return p.stdout + p.stderr


def test_lldb_session(host):
    mv = Minivmm(host, "-S guests/cloop.elf")
    try:
        out = lldb(host,
                   "breakpoint set --name square",
                   "continue",
                   "register read pc x0",
                   "thread step-inst",
                   "register read pc",
                   "memory read --size 4 --count 4 --format x 0x40000000",
                   "process detach")
        print(out)
        assert re.search(r"Breakpoint 1: where = cloop.elf`square", out), out
        m = re.search(r"stop reason = breakpoint 1\.1", out)
        assert m, out
        pcs = [int(x, 16) for x in re.findall(r"pc = (0x[0-9a-f]+)", out)]
        assert len(pcs) >= 2 and pcs[-1] == pcs[-2] + 4, pcs
        assert re.search(r"0x40000000: 0x[0-9a-f]{8} 0x[0-9a-f]{8}", out), out
        status, log = mv.wait()
        assert status == 0 and "cloop: counter" in log, log
    finally:
        mv.kill()
