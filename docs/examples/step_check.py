# SPDX-License-Identifier: GPL-3.0-or-later
# A scripted step test to copy into your own CI: gdb steps a guest under minivmm and
# checks registers; gdb's exit status says whether it held.
#
#   minivmm --gdb :1234 -S build/guests/cloop.elf &
#   gdb-multiarch -nx -batch -x docs/examples/step_check.py build/guests/cloop.elf
#
# MINIVMM_GDB overrides where minivmm listens (default 127.0.0.1:1234).
import os

import gdb


def reg(name):
    return int(gdb.parse_and_eval(f"${name}")) & 0xFFFFFFFFFFFFFFFF


gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute(f"target remote {os.environ.get('MINIVMM_GDB', '127.0.0.1:1234')}")
try:
    assert reg("pc") == 0x40000000, "not held at the entry point"
    gdb.execute("break square")
    gdb.execute("continue")
    assert int(gdb.parse_and_eval("x")) == 0, "square() should first run with x = 0"
    for _ in range(4):  # four instructions, one at a time, each 4 bytes on
        pc = reg("pc")
        gdb.execute("stepi")
        assert reg("pc") == pc + 4, f"stepi from {pc:#x} went to {reg('pc'):#x}"
    assert reg("cpsr") & 0xF == 0x5, "the guest should run at EL1h"
    gdb.execute("finish")
    assert int(gdb.parse_and_eval("$x0")) == 0, "square(0) returns 0"
    gdb.execute("delete")
    print("step_check: PASS")
except AssertionError as e:
    print(f"step_check: FAIL: {e}")
    gdb.execute("kill")
    gdb.execute("quit 1")
gdb.execute("detach")
