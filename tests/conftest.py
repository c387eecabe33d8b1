# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures shared by the integration tests.

host:  the arm64 test host, booted once per test run (tests/testhost/testhost.py);
       every test that needs /dev/kvm runs its commands there. The sanitizer build
       ships beside minivmm, as minivmm-san (tests/test_sanitized.py).
user:  runs build/minivmm on this machine under qemu-user (natively on arm64), for
       what needs no KVM: options, image checks, device-tree output, error lines.

MINIVMM_SAN=1 (make integration-san) runs the whole suite against the sanitizer
build: it is then ./minivmm in the test host, and what `user` runs."""
import os
import platform
import re
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "testhost"))
import testhost  # noqa: E402

SAN_ONLY = os.environ.get("MINIVMM_SAN") == "1"
MINIVMM = testhost.SAN_EXE if SAN_ONLY else os.path.join(testhost.BUILD, "minivmm")
GUESTS = os.path.join(testhost.BUILD, "guests")


# The kernel-debugging guest (tests/test_kernel.py) boots build/dl/dbg/Image, the kernel
# whose vmlinux has full DWARF. Mostly it is the test host's own kernel (guests/Image);
# when deps.sh picked another ABI for it, it ships too, as Image.
KDEBUG_IMAGE = os.path.join(testhost.DL, "dbg", "Image")


def kdebug_adds():
    own = os.path.join(GUESTS, "Image")
    if not os.path.exists(KDEBUG_IMAGE) or (os.path.exists(own)
                                            and os.path.samefile(KDEBUG_IMAGE, own)):
        return []
    return [KDEBUG_IMAGE]


KDEBUG_DIR = os.path.dirname(KDEBUG_IMAGE)
KDEBUG_VMLINUX = os.path.join(KDEBUG_DIR, "vmlinux")
KDEBUG_SCRIPTS = os.path.join(KDEBUG_DIR, "gdb-scripts", "vmlinux-gdb.py")

# Sourced into the kernel tests' gdb: which line of a function calls another, so that a
# test needs no line numbers of Debian's sources.
CALL_LINE_PY = r'''
import re
import gdb

def call_line(caller, callee):
    """The source line of caller's first `bl callee`."""
    sym = gdb.lookup_static_symbol(caller) or gdb.lookup_global_symbol(caller)
    block = gdb.block_for_pc(int(sym.value().address))
    while block.function is None:
        block = block.superblock
    arch = gdb.selected_frame().architecture()
    for insn in arch.disassemble(block.start, block.end - 4):
        if re.match(r"bl\s+0x[0-9a-f]+ <%s>$" % re.escape(callee), insn["asm"]):
            return gdb.find_pc_line(insn["addr"]).line
    raise gdb.GdbError("%s does not call %s" % (caller, callee))
'''


# Debian 12's gdb (13.1) cannot unwind a return address that the kernel signed (pac-ret): it
# knows one PAC mask, for the low half of the address space, so a bt of Debian's kernel ends
# at its first signed frame whatever the stub says. The kernel-debugging sessions therefore
# run their vCPUs without pointer authentication (docs/kernel-debugging.md);
# test_kernel_kaslr keeps it on and checks the signed return addresses against the masks.
KDEBUG_CPU = "--cpu pauth=off"


def kdebug_session(host, tmp_path_factory, args, tag, helpers):
    """The kernel-debugging guest (guests/linux/kdebug-init) with args, once its workload
    runs, and gdb-multiarch on Debian's vmlinux with helpers (Python) and the kernel's own
    scripts sourced, working in build/dl/dbg as lx-symbols wants. A generator for a module
    fixture: yields (minivmm, gdb, the sleeper's pid), then ends both."""
    from gdbtools import Gdb, Minivmm, wait_for
    for path in (KDEBUG_VMLINUX, KDEBUG_SCRIPTS, KDEBUG_IMAGE):
        if not os.path.exists(path):
            pytest.fail(f"missing {path}: run tests/testhost/deps.sh")
    image = "Image" if kdebug_adds() else "guests/Image"  # where the host fixture put it
    mv = Minivmm(host, f"{KDEBUG_CPU} {args} --initrd guests/kdebug-initrd.cpio.gz {image}",
                 tag=tag)
    gdb = None
    try:
        m = wait_for(lambda: re.search(r"workload started sleeper (\d+)", mv.output()),
                     timeout=300, step=1)
        assert m, f"the kdebug guest did not start its workload:\n{mv.output()}"
        gdb = Gdb(host, KDEBUG_VMLINUX)
        path = tmp_path_factory.mktemp(tag) / "helpers.py"
        path.write_text(CALL_LINE_PY + helpers)
        gdb.cmd(f"source {path}")
        assert gdb.cmd(f"source {KDEBUG_SCRIPTS}") == ""
        # lx-symbols reloads vmlinux by name: the loaded file's real name if it ends in
        # vmlinux, else ./vmlinux. Debian's is vmlinux-<abi>-arm64 (build/dl/dbg/vmlinux
        # is a link to it), so gdb works in build/dl/dbg, as in a kernel build tree.
        gdb.cmd(f"cd {KDEBUG_DIR}")
        yield mv, gdb, int(m.group(1))
    finally:
        if gdb:
            gdb.close()
        print(mv.output()[-3000:])
        mv.kill()


@pytest.fixture(scope="session")
def host():
    os.makedirs(testhost.WORK, exist_ok=True)
    with open(os.path.join(testhost.WORK, "session.log"), "w") as log:
        th = testhost.TestHost(adds=kdebug_adds(), log=log, san=True, exe=MINIVMM)
        th.boot()
        try:
            yield th
        finally:
            th.close()


class User:
    """minivmm run here: qemu-aarch64-static on x86-64, directly on arm64."""

    def __init__(self):
        self.prefix = [] if platform.machine() == "aarch64" else ["qemu-aarch64-static"]
        self.env = None
        if SAN_ONLY:
            # the cross glibc for qemu-user's loader, the runtimes beside it; LeakSanitizer
            # stops the world with ptrace, which qemu-user does not offer
            self.env = dict(os.environ, QEMU_LD_PREFIX="/usr/aarch64-linux-gnu",
                            LD_LIBRARY_PATH=testhost.SAN_RT, ASAN_OPTIONS="detect_leaks=0")

    def run(self, *args, input=None, timeout=60, unprivileged=False):
        """minivmm ARGS; with unprivileged, as nobody when we are root (file permissions
        then mean what they say: root writes a read-only file anyway)."""
        drop = (["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
                if unprivileged and os.geteuid() == 0 else [])
        return subprocess.run(drop + self.prefix + [MINIVMM] + list(args), input=input,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout, text=True, env=self.env)


@pytest.fixture(scope="session")
def user():
    return User()


def one_error_line(proc):
    """minivmm's error: exactly one line on stderr, 'minivmm: ...'."""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got: {proc.stderr!r}"
    assert lines[0].startswith("minivmm: "), lines[0]
    return lines[0][len("minivmm: "):]


@pytest.fixture
def opened():
    """Things to close after the test (gdb, minivmm), transcripts shown on failure."""
    from gdbtools import Gdb  # gdbtools imports this module: not at its top

    things = []
    yield things
    for t in things:
        if isinstance(t, Gdb):
            print(t.transcript())
            t.close()
        else:
            t.kill()
