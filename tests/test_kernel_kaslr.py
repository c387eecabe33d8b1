# SPDX-License-Identifier: GPL-3.0-or-later
"""Debian's kernel as it boots by default, KASLR on, debugged with its plain vmlinux
(issue 13, items 4 and 5): gdb attached after boot gets right symbols, data and
breakpoints with no offset typed (minivmm reads the kernel's VMCOREINFO and answers
qOffsets), the monitor shows the offset, and a kernel panic stops every vCPU for gdb
(SIGABRT on the panicking CPU, bt down from panic()), the stop planted where gdb's symbols
(qSymbol) say panic() is. The guest panics when the test says so: the kdebug guest's init
triggers sysrq c once the host name is "panic", which gdb writes."""
import os
import re

from conftest import GUESTS
from gdbtools import Gdb, Minivmm, wait_for

DBG = os.path.join(os.path.dirname(GUESTS), "dl", "dbg")
VMLINUX = os.path.join(DBG, "vmlinux")


def system_map(name):
    with open(os.path.join(DBG, "System.map")) as f:
        for line in f:
            addr, _, sym = line.split()
            if sym == name:
                return int(addr, 16)
    raise KeyError(name)


def note_pcs(host, path):
    """The pc of each NT_PRSTATUS in the ELF core at path in the test host (its notes come
    first, after the headers): read there with od, parsed here."""
    import struct

    def head(n):
        return bytes.fromhex("".join(host.check(f"busybox od -An -v -tx1 -N {n} {path}").split()))
    raw = head(4096)
    phoff, = struct.unpack_from("<Q", raw, 32)
    _, _, off, _, _, size = struct.unpack_from("<IIQQQQ", raw, phoff)  # PT_NOTE first
    raw = head(off + size)  # each vCPU's NT_ARM_SVE makes them tens of KiB
    pcs, i = [], off
    while i + 12 <= off + size:
        namesz, descsz, typ = struct.unpack_from("<III", raw, i)
        desc = i + 12 + (namesz + 3) // 4 * 4
        if typ == 1:
            pcs.append(struct.unpack_from("<Q", raw, desc + 112 + 8 * 32)[0])
        i = desc + (descsz + 3) // 4 * 4
    return pcs


def test_kaslr_kernel_plain_vmlinux_right_symbols_and_panic_stops_for_gdb(host, opened):
    host.run("rm -f /tmp/kaslr-panic.core")
    mv = Minivmm(host, "-c 2 -m 512M --initrd guests/kdebug-initrd.cpio.gz "
                 "--dump-on-panic /tmp/kaslr-panic.core "
                 "--append 'console=ttyAMA0 quiet kdebug.delay=20 kdebug.panic' guests/Image")
    opened.append(mv)
    assert wait_for(lambda: "workload started" in mv.output(), timeout=240), mv.output()
    gdb = Gdb(host, VMLINUX)
    opened.append(gdb)

    out = gdb.cmd("monitor info kaslr")
    m = re.search(r"^KASLR offset (0x[0-9a-f]+)$", out, re.M)
    assert m, out
    offset = int(m.group(1), 16)
    assert offset != 0, out  # the test host's CPU has RNDR: the kernel randomised its base
    assert "kernel 6.1.0-" in out, out
    # data and symbols where the randomised kernel has them, from a file that knows nothing
    assert gdb.value("&init_task") == system_map("init_task") + offset
    assert '"swapper/0' in gdb.cmd("p init_task.comm")
    assert "Linux version 6.1.0-" in gdb.cmd("p linux_banner")

    # a breakpoint by name on the relocated kernel is hit by the workload's open()
    out = gdb.cmd("break do_sys_openat2")
    assert "2 locations" in out, out
    out = gdb.cmd("continue", timeout=180)
    assert re.search(r"hit Breakpoint 1\.[12], .*do_sys_openat2", out), out
    assert re.search(r"^#0 .*do_sys_openat2 ", gdb.cmd("bt 1"), re.M)  # signed beyond: below
    gdb.cmd("delete")

    # minivmm's own stop at panic(), where gdb's symbols say it is
    # (the kernel's functions begin with two patchable NOPs: the ELF symbol, which qSymbol
    # gives, is 8 bytes before the body that DWARF's &panic names)
    out = gdb.cmd("monitor info breakpoints")
    m = re.search(r"^  (0x[0-9a-f]+) .*\(minivmm's: a kernel panic stops here\)$", out, re.M)
    assert m, out
    panic = int(m.group(1), 16)
    assert gdb.value("(long)&panic") - panic in (0, 8), out
    assert re.match(r"panic(\s|$)", gdb.cmd(f"info symbol {panic:#x}")), out
    for i, ch in enumerate("panic"):
        gdb.cmd(f"set var init_uts_ns.name.nodename[{i}] = '{ch}'")
    gdb.cmd("set var init_uts_ns.name.nodename[5] = 0")
    out = gdb.cmd("continue", timeout=180)
    assert "received signal SIGABRT" in out, out
    assert re.search(r"in panic \(", out) or "in panic ()" in out, out
    assert gdb.value("$pc") == panic
    # With pointer authentication (on by default, as this kernel's CPU has it) the kernel
    # signs the return addresses it saves. At panic()'s first instruction the return address
    # is still in x30, unsigned; the one sysrq_handle_crash saved in its frame record is
    # signed, and the stub's high-half PAC mask (pauth_v2) gives back its caller. gdb 13
    # cannot use that mask itself (it strips with the low half's only), so its bt ends there.
    out = gdb.cmd("bt 2")
    assert re.search(r"^#1 .* in sysrq_handle_crash ", out, re.M), out
    # the kernel's own word for its code mask: KERNELPACMASK in its VMCOREINFO
    cmask = gdb.value("$pauth_cmask_high")
    out = gdb.cmd('python print([ln for ln in gdb.parse_and_eval("(char *)vmcoreinfo_data")'
                  '.string().splitlines() if "KERNELPACMASK" in ln])')
    m = re.search(r"NUMBER\(KERNELPACMASK\)=(0x[0-9a-f]+)", out)
    assert m and int(m.group(1), 16) == cmask != 0, (out, hex(cmask))
    signed = gdb.value("*(unsigned long *)($x29 + 8)") & (2**64 - 1)
    stripped = signed | cmask
    assert signed != stripped, hex(signed)  # a PAC is there (all ones: 1 in 2**15)
    assert re.match(r"__handle_sysrq( \+ \d+)? in section \.text",
                    gdb.cmd(f"info symbol {stripped:#x}")), (hex(signed), hex(cmask))
    out = gdb.cmd("monitor info cpus")
    assert len(re.findall(r"^\d+\s+stopped\s", out, re.M)) == 2, out  # every vCPU held
    assert "minivmm-guest: panicking" in mv.output()
    # --dump-on-panic wrote its dump at that stop, before gdb heard of it: the panicking
    # CPU's note has the PC of the stop (the kernel printed nothing of its panic yet)
    out = mv.output()
    assert re.search(r"minivmm: --dump-on-panic: wrote /tmp/kaslr-panic.core: 512 MiB, "
                     r"2 vCPUs, Linux \S+ with its VMCOREINFO, pids of 2 of the CPUs' tasks",
                     out), out
    assert "Kernel panic - not syncing" not in out, out
    assert panic in note_pcs(host, "/tmp/kaslr-panic.core")
    host.run("rm -f /tmp/kaslr-panic.core")
    gdb.cmd("kill")
    status, _ = mv.wait()
    assert status == 5
