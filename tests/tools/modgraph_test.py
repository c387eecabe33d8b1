# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of tests/tools/modgraph.py on small fake trees (pytest, no KVM, under a second).

Run by `make check-modules` before the check itself:
    python3 -m pytest -q tests/tools/modgraph_test.py"""
import os
import subprocess
import sys

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "modgraph.py")


def tree(tmp_path, files):
    """Write files ({relative path: text}) under tmp_path; an include list is shorthand
    for a file holding just those quoted includes."""
    for rel, body in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, list):
            body = "".join(f'#include "{h}"\n' for h in body)
        path.write_text(body)
    return tmp_path


def run(root, *args):
    proc = subprocess.run([sys.executable, SCRIPT, "--root", str(root)] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr == ""
    return proc.returncode, proc.stdout.splitlines()


# A layered tree shaped like minivmm's: every kind of module, no cycle.
LAYERED = {
    "include/types.h": "#pragma once\n#include <stdint.h>\n",
    "include/vm.h": ["types.h"],
    "src/vm.c": ["vm.h", "src/arm64/ptw.h"],
    "include/vcpu.h": ["vm.h"],
    "src/vcpu.c": ["vcpu.h", "vm.h"],
    "src/arm64/ptw.h": ["types.h"],
    "src/arm64/ptw.c": ["ptw.h"],               # found beside the including file
    "include/gic.h": ["types.h"],
    "devices/gic.c": ["gic.h"],                 # goes with include/gic.h
    "gdbstub/internal.h": ["gdbstub/rsp.h", "gdbstub/target.h"],
    "gdbstub/rsp.h": "",
    "gdbstub/target.h": "",
    "gdbstub/rsp.c": ["gdbstub/internal.h"],
    "include/debug.h": ["gdbstub/target.h", "vcpu.h"],
    "src/debug_internal.h": ["debug.h"],
    "src/debug.c": ["debug_internal.h", "vcpu.h"],
    "src/step.c": ["debug_internal.h"],          # part of "debug"
    "include/monitor.h": "",
    "src/monitor.c": ["monitor.h", "debug.h"],
    "src/monitor_cmds.c": ["monitor.h", "vcpu.h"],  # part of "monitor"
    "src/main.c": ["debug.h", "monitor.h", "gic.h", "config.h", "linux/kvm.h"],
    # neither modules nor edges: tests, fuzzers, guests/, tests/, a comment
    "src/vm_test.c": ["vcpu.h", "debug.h", "monitor.h"],
    "gdbstub/rsp_fuzz.c": ["debug.h"],
    "include/note.h": '#pragma once\n/* #include "debug.h" is not needed here */\n',
    "guests/lib/x.h": ["../../include/debug.h"],
    "tests/fuzz/fuzz.h": ["debug.h"],
}
# modules: types vm vcpu arm64/ptw gic gdbstub debug monitor main note
# edges: vm->types vm->arm64/ptw vcpu->vm arm64/ptw->types gic->types debug->gdbstub
#        debug->vcpu monitor->debug monitor->vcpu main->debug main->monitor main->gic
LAYERED_SUMMARY = "modgraph: 10 modules, 12 edges, no cycles"


def test_no_cycles(tmp_path):
    status, out = run(tree(tmp_path, LAYERED))
    assert (status, out) == (0, [LAYERED_SUMMARY])


def test_modules_and_edges(tmp_path):
    status, out = run(tree(tmp_path, LAYERED), "--verbose")
    assert status == 0
    modules = {line.split()[1].rstrip(":"): line.split()[2:]
               for line in out if line.startswith("  module ")}
    assert modules == {
        "arm64/ptw": ["src/arm64/ptw.c", "src/arm64/ptw.h"],
        "debug": ["include/debug.h", "src/debug.c", "src/debug_internal.h", "src/step.c"],
        "gdbstub": ["gdbstub/internal.h", "gdbstub/rsp.c", "gdbstub/rsp.h",
                    "gdbstub/target.h"],
        "gic": ["devices/gic.c", "include/gic.h"],
        "main": ["src/main.c"],
        "monitor": ["include/monitor.h", "src/monitor.c", "src/monitor_cmds.c"],
        "note": ["include/note.h"],
        "types": ["include/types.h"],
        "vcpu": ["include/vcpu.h", "src/vcpu.c"],
        "vm": ["include/vm.h", "src/vm.c"],
    }
    edges = sorted(line.split("(")[0].split("edge ")[1].strip()
                   for line in out if line.startswith("  include edge "))
    assert edges == sorted([
        "vm -> types", "vm -> arm64/ptw", "vcpu -> vm", "arm64/ptw -> types",
        "gic -> types", "debug -> gdbstub", "debug -> vcpu", "monitor -> debug",
        "monitor -> vcpu", "main -> debug", "main -> monitor", "main -> gic"])
    assert '  src/main.c:4: #include "config.h" names no project file' in out
    assert out[-1] == LAYERED_SUMMARY


def test_cycle_through_a_public_header(tmp_path):
    # today's shape: board.c includes vcpu.h, vcpu.h includes debug.h, and a file of the
    # debugger (by its private header) includes board.h
    files = dict(LAYERED)
    files.update({
        "include/board.h": ["vm.h"],
        "src/board.c": ["board.h", "vcpu.h"],
        "include/vcpu.h": ["vm.h", "debug.h"],
        "src/breakpoints.c": ["board.h", "debug_internal.h"],
    })
    status, out = run(tree(tmp_path, files))
    assert status == 1
    assert out[0] == "modgraph: 2 cycles in the include graph:"
    assert out[1:3] == ["debug -> vcpu -> debug", "board -> vcpu -> debug -> board"]
    assert '  vcpu -> debug: include/vcpu.h:2: #include "debug.h"' in out
    assert '  debug -> board: src/breakpoints.c:1: #include "board.h"' in out
    assert out[-1] == "modgraph: 11 modules, 16 edges, 2 cycles"


def test_every_cycle_is_reported_once(tmp_path):
    # a -> b -> c -> a and a -> c -> a share the edge c -> a; d -> e -> d is apart
    files = {
        "include/a.h": ["b.h", "c.h"],
        "include/b.h": ["c.h"],
        "include/c.h": "",
        "src/c.c": ["c.h", "a.h"],
        "include/d.h": "",
        "include/e.h": ["d.h"],
        "src/d.c": ["e.h"],
    }
    status, out = run(tree(tmp_path, files))
    assert status == 1
    assert out[0] == "modgraph: 3 cycles in the include graph:"
    assert out[1:4] == ["a -> c -> a", "d -> e -> d", "a -> b -> c -> a"]
    assert out[-1] == "modgraph: 5 modules, 6 edges, 3 cycles"


def test_cycle_inside_a_library_is_not_one(tmp_path):
    files = {
        "gdbstub/internal.h": ["gdbstub/a.h"],
        "gdbstub/a.h": ["gdbstub/internal.h"],
        "gdbstub/a.c": ["gdbstub/internal.h"],
    }
    assert run(tree(tmp_path, files)) == (0, ["modgraph: 1 modules, 0 edges, no cycles"])


CALLS = {
    # the headers make no cycle: a and b both include only common.h
    "include/common.h": "#pragma once\nvoid a_run(void);\nvoid b_stop(int);\n",
    "include/a.h": "",
    "include/b.h": "",
    "src/a.c": '#include "common.h"\n'
               "static void helper(void)\n{\n}\n"
               "void a_run(void)\n{\n\thelper();\n\tif (1)\n\t\tb_stop(1);\n}\n",
    "src/b.c": '#include "common.h"\n'
               "/* a_run() is not called from a comment */\n"
               "static const char *s = \"a_run()\";\n"
               "void b_stop(int x)\n{\n\tops->a_run();\n\tvoid (*fn)(void) = a_run;\n}\n",
}


def test_calls_through_pointers_are_no_edge(tmp_path):
    root = tree(tmp_path, CALLS)
    assert run(root) == (0, ["modgraph: 3 modules, 2 edges, no cycles"])
    assert run(root, "--calls") == (0, [
        "modgraph: 3 modules, 2 edges, no cycles",
        "modgraph: 3 modules, 1 edges, no cycles in the call graph"])


def test_call_cycle(tmp_path):
    files = dict(CALLS)
    files["src/b.c"] = ('#include "common.h"\n'
                        "static void a_run(void)\n{\n}\n"       # its own, static: no edge
                        "void b_stop(int x)\n{\n\ta_run();\n}\n"
                        "void b_more(void)\n{\n\tb_stop(a_first());\n}\n")
    files["src/a.c"] += "int a_first(void)\n{\n\treturn 0;\n}\n"
    status, out = run(tree(tmp_path, files), "--calls")
    assert status == 1
    assert out[0] == "modgraph: 3 modules, 2 edges, no cycles"
    assert out[1:3] == ["modgraph: 1 cycles in the call graph:", "a -> b -> a"]
    assert "  a -> b: src/a.c:9: a_run() calls b_stop()" in out
    assert "  b -> a: src/b.c:11: b_more() calls a_first()" in out
    assert out[-1] == "modgraph: 3 modules, 2 edges, 1 cycles in the call graph"
