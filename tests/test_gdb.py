# SPDX-License-Identifier: GPL-3.0-or-later
"""The GDB stub with the real gdb-multiarch (issue 4): breakpoints, hardware
breakpoints, watchpoints, stepping, registers, memory, threads, Ctrl-C, detach,
kill, and the Linux guest from its first instruction."""
import os
import re
import subprocess
import time

import pytest

from conftest import GUESTS

from gdbtools import Gdb, Minivmm, kallsyms


@pytest.fixture
def session(host, request):
    """Open sessions are closed after the test; transcripts shown on failure."""
    opened = []

    def start(args, elf=None, connect=True):
        mv = Minivmm(host, args)
        gdb = Gdb(host, elf, connect=connect)
        opened.append((mv, gdb))
        return mv, gdb

    yield start
    for mv, gdb in opened:
        print(gdb.transcript())  # pytest shows it when the test failed
        gdb.close()
        mv.kill()


def test_break_hbreak_backtrace_registers_memory(session):
    mv, gdb = session("-S guests/cloop.elf", "cloop.elf")
    assert "_start" in gdb.cmd("info symbol $pc")
    assert gdb.value("$pc") == 0x40000000
    assert "Breakpoint 1 at" in gdb.cmd("break work")
    assert "Hardware assisted breakpoint 2 at" in gdb.cmd("hbreak square")
    out = gdb.cmd("continue")
    assert "Breakpoint 1, work (i=0) at guests/cloop.c" in out, out
    bt = gdb.cmd("bt")
    assert re.search(r"#0\s+work \(i=0\)", bt) and re.search(r"#1\s+0x[0-9a-f]+ in main \(\)", bt), bt
    out = gdb.cmd("continue")
    assert "Breakpoint 2, square (x=0) at guests/cloop.c" in out, out
    regs = gdb.cmd("info registers")
    for name in ["x0", "x29", "x30", "sp", "pc", "cpsr"]:
        assert re.search(rf"^{name}\s+0x", regs, re.M), (name, regs)
    assert "square" in gdb.cmd("x/4i $pc") and "ldr" in gdb.cmd("x/4i $pc")
    assert gdb.value("$cpsr") & 0xf == 5  # EL1h
    # system registers: readable and writable
    assert gdb.value("$SCTLR_EL1") & 1 == 0  # MMU off in this guest
    gdb.cmd("set $TPIDR_EL1 = 0x1234abcd")
    assert gdb.value("$TPIDR_EL1") == 0x1234abcd
    for reg in ["TCR_EL1", "TTBR0_EL1", "TTBR1_EL1", "MAIR_EL1", "VBAR_EL1", "ESR_EL1",
                "FAR_EL1", "ELR_EL1", "SPSR_EL1", "SP_EL1", "CONTEXTIDR_EL1"]:
        gdb.value(f"${reg}")
    gdb.cmd("set $x0 = 5")
    assert gdb.value("$x0") == 5
    assert gdb.value("$v0.d.u[0]") is not None
    check_pmu_registers(gdb)
    gdb.cmd("set var counter = 1234")
    assert gdb.value("counter") == 1234
    # memory by address, and an address that does not translate
    assert gdb.value("*(unsigned int *)0x40000000") == int.from_bytes(
        open_elf_word(0x40000000), "little")
    assert "Cannot access memory at address 0x8" in gdb.cmd("x/x 0x8")


def check_pmu_registers(gdb):
    """PMUv3's system registers (org.minivmm.aarch64.pmu), there with the default --cpu
    (pmu=on): PMCR_EL0.N counters (the test host's CPU has some: read, not assumed), the
    cycle counter readable and writable, PMCR_EL0.N kept on a write, the counters past N
    unavailable, PMCEID0_EL0 (which KVM does not give) unavailable and read-only."""
    pmcr = gdb.value("$PMCR_EL0")
    n = (pmcr >> 11) & 0x1f
    assert n > 0, hex(pmcr)
    out = gdb.cmd("info registers PMCCNTR_EL0")
    assert re.search(r"^PMCCNTR_EL0\s+0x[0-9a-f]+", out, re.M), out
    gdb.cmd("set $PMCCNTR_EL0 = 0x12345678")
    assert gdb.value("$PMCCNTR_EL0") == 0x12345678
    gdb.cmd(f"set $PMCR_EL0 = {pmcr & ~0xf800:#x}")  # N = 0 asked for: the vCPU's stays
    gdb.cmd("maintenance flush register-cache")  # gdb keeps what it wrote: read the vCPU's
    assert (gdb.value("$PMCR_EL0") >> 11) & 0x1f == n
    assert gdb.value("$PMCCNTR_EL0") == 0x12345678
    gdb.value(f"$PMEVTYPER{n - 1}_EL0")
    if n < 31:
        out = gdb.cmd(f"info registers PMEVCNTR{n}_EL0")
        assert "<unavailable>" in out, out
    assert "<unavailable>" in gdb.cmd("info registers PMCEID0_EL0")
    out = gdb.cmd("set $PMCEID0_EL0 = 1")
    assert "Could not write register" in out, out
    regs = gdb.cmd("info registers system")
    assert re.search(r"^PMCNTENSET_EL0\s+0x", regs, re.M), regs


def open_elf_word(addr):
    """The 4 bytes at addr in cloop.elf's loaded image (what gdb must read back)."""
    out = subprocess.run(["aarch64-linux-gnu-objdump", "-s", "--start-address", hex(addr),
                          "--stop-address", hex(addr + 4), os.path.join(GUESTS, "cloop.elf")],
                         capture_output=True, text=True, check=True).stdout
    word = out.strip().splitlines()[-1].split()[1]
    return bytes.fromhex(word)


def test_stepi_next_step_finish(session):
    mv, gdb = session("-S guests/cloop.elf", "cloop.elf")
    gdb.cmd("break main")
    assert "Breakpoint 1, main ()" in gdb.cmd("continue")
    pc = gdb.value("$pc")
    gdb.cmd("stepi")
    assert gdb.value("$pc") == pc + 4
    out = gdb.cmd("next")
    assert re.search(r"^\d+\s", out, re.M), out
    # walk to the work() call and step into it
    for _ in range(10):
        if "work(i);" in gdb.cmd("frame"):
            break
        gdb.cmd("next")
    out = gdb.cmd("step")
    assert "work (i=0) at guests/cloop.c" in out, out
    out = gdb.cmd("finish")
    assert "Run till exit from #0  work (i=0)" in out and "main () at guests/cloop.c" in out, out
    for _ in range(4):
        if "acc += burn(60);" in gdb.cmd("frame"):
            break
        gdb.cmd("next")
    assert "acc += burn(60);" in gdb.cmd("frame")
    out = gdb.cmd("next")  # over burn(): its ~1,000 instructions run inside the stub
    assert "for (i = 0; i < rounds; i++)" in out, out


def test_watch_rwatch_awatch(session):
    mv, gdb = session("-S guests/cloop.elf", "cloop.elf")
    gdb.cmd("break work")
    gdb.cmd("continue")
    gdb.cmd("continue")  # work(1): counter goes 0 -> 1
    assert "Hardware watchpoint 2: counter" in gdb.cmd("watch counter")
    out = gdb.cmd("continue")
    assert "Old value = 0" in out and "New value = 1" in out, out
    gdb.cmd("delete")
    assert "Hardware read watchpoint 3: rounds" in gdb.cmd("rwatch rounds")
    out = gdb.cmd("continue")
    assert "Hardware read watchpoint 3: rounds" in out and "Value = 50" in out, out
    gdb.cmd("delete")
    assert "Hardware access (read/write) watchpoint 4: counter" in gdb.cmd("awatch counter")
    out = gdb.cmd("continue")
    assert "Hardware access (read/write) watchpoint 4: counter" in out, out
    assert "Value = 1" in out, out


def test_threads_and_stepi_on_one_vcpu(session):
    mv, gdb = session("-S -c 2 guests/smp.elf", "smp.elf")
    threads = gdb.cmd("info threads")
    assert "Thread 1 " in threads and "Thread 2 " in threads, threads
    assert "powered off" in threads, threads  # cpu1 waits for PSCI CPU_ON
    gdb.cmd("break secondary_main")
    out = gdb.cmd("continue")
    assert "Thread 2" in out and "secondary_main" in out, out
    gdb.cmd("thread 1")
    pc1 = gdb.value("$pc")
    gdb.cmd("thread 2")
    pc2 = gdb.value("$pc")
    gdb.cmd("stepi")
    assert gdb.value("$pc") == pc2 + 4
    gdb.cmd("thread 1")
    assert gdb.value("$pc") == pc1, "stepi on thread 2 moved thread 1"
    gdb.cmd("delete")
    assert "exited normally" in gdb.cmd("continue")
    status, out = mv.wait()
    assert status == 0 and "smp: 2 CPUs online" in out, out


def test_ctrl_c_detach_reattach_kill(session, host):
    mv, gdb = session("-S guests/timer.elf", "timer.elf")
    gdb.cmd("set var goal = 0")  # spin for ever
    gdb.p.sendline("continue")
    gdb.p.expect("Continuing.")
    time.sleep(2)
    out = gdb.interrupt()
    assert "received signal SIGINT" in out, out
    ticks = gdb.value("ticks")
    assert ticks > 0
    assert "detached" in gdb.cmd("detach")
    gdb.close()
    time.sleep(1)
    gdb2 = Gdb(host, "timer.elf")
    try:
        assert gdb2.value("ticks") > ticks, "the guest did not run on after detach"
        assert "killed" in gdb2.cmd("kill")
    finally:
        print(gdb2.transcript())
        gdb2.close()
    status, out = mv.wait()
    assert status == 5, out
    assert "gdb killed the guest" in out


def test_linux_hbreak_start_kernel_then_init(session, host):
    addr = kallsyms(host, "start_kernel")
    mv, gdb = session("-S -m 512M --initrd guests/linux-initrd.cpio.gz "
                      "--append 'console=ttyAMA0 quiet nokaslr' guests/Image")
    gdb.cmd(f"hbreak *{addr:#x}")
    out = gdb.cmd("continue", timeout=300)
    assert "Breakpoint 1" in out, out
    assert gdb.value("$pc") == addr
    gdb.cmd("delete")
    out = gdb.cmd("continue", timeout=300)
    assert "exited normally" in out, out
    status, out = mv.wait()
    assert status == 0 and "minivmm-guest: init reached" in out, out


def rsp(payload):
    return f"${payload}#{sum(payload.encode()) % 256:02x}".encode()


class Raw:
    """A raw RSP client on this side: for the protocol's edge cases."""

    def __init__(self, addr):
        import socket
        host, port = addr.rsplit(":", 1)
        self.s = socket.create_connection((host, int(port)), timeout=60)
        self.buf = b""

    def read_packet(self):
        while True:
            i = self.buf.find(b"$")
            j = self.buf.find(b"#", i)
            if i >= 0 and j >= 0 and len(self.buf) >= j + 3:
                pkt, self.buf = self.buf[i + 1:j].decode(), self.buf[j + 3:]
                self.s.sendall(b"+")
                return pkt
            chunk = self.s.recv(65536)
            if not chunk:
                raise EOFError(self.buf)
            self.buf += chunk

    def ask(self, payload):
        self.s.sendall(rsp(payload))
        return self.read_packet()

    def read_ack(self):
        while not self.buf:
            self.buf += self.s.recv(1)
        c, self.buf = self.buf[:1], self.buf[1:]
        return c


def test_raw_protocol_errors_and_second_client(host):
    mv = Minivmm(host, "-S guests/hello.elf")
    try:
        c = Raw(host.gdb_connect)
        c.s.sendall(b"$qSupported#00")  # wrong checksum: NAK, the stub keeps working
        assert c.read_ack() == b"-"
        reply = c.ask("qSupported:swbreak+;hwbreak+")
        assert "PacketSize=" in reply and "qXfer:features:read+" in reply, reply
        assert c.ask("vMustReplyEmpty") == ""
        assert c.ask("qNoSuchThing") == ""
        assert c.ask("Hg99") == "E03"           # no such thread
        assert c.ask("mzz,4").startswith("E")   # malformed hex
        assert c.ask("m8,4") == "E14"           # does not translate / not RAM
        assert c.ask("Z0,40000000,2") == "E22"  # only kind 4 exists on A64
        # a second client while one is attached: refused, the first one still works
        import socket
        other = socket.create_connection(tuple([host.gdb_connect.rsplit(":", 1)[0],
                                                int(host.gdb_connect.rsplit(":", 1)[1])]),
                                         timeout=60)
        assert other.recv(1) == b""
        other.close()
        assert c.ask("?").startswith("T05thread:1;")
        assert c.ask("D") == "OK"
        status, out = mv.wait()
        assert status == 0, out
        assert "Hello from the minivmm guest!" in out
        assert "refused a gdb connection" in out, out
        assert "anyone who can reach it controls the guest" in out, out
    finally:
        mv.kill()


@pytest.mark.parametrize("args, message", [
    (["--gdb", ":99999"], "--gdb :99999: '99999' is not a port number (1-65535)"),
    (["--gdb", "nowhere"], "--gdb nowhere: expected [HOST]:PORT or unix:PATH"),
    (["--gdb", "1.2.3:80"], "--gdb 1.2.3:80: '1.2.3' is not an IP address (or localhost)"),
    (["--gdb", "unix:/" + "x" * 120], "path too long"),
    (["-S"], "-S waits for gdb: give --gdb [HOST]:PORT or --gdb unix:PATH too"),
])
def test_gdb_option_errors(user, args, message):
    from conftest import one_error_line
    p = user.run(*args, os.path.join(GUESTS, "hello.elf"))
    assert p.returncode != 0
    assert message in one_error_line(p)


def test_gdb_port_in_use(user):
    import socket
    from conftest import one_error_line
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    port = s.getsockname()[1]
    p = user.run("--gdb", f":{port}", os.path.join(GUESTS, "hello.elf"))
    s.close()
    assert p.returncode == 1
    assert one_error_line(p) == f"--gdb 127.0.0.1:{port}: cannot listen: Address already in use"


def test_readme_step_check_script(host):
    """The scripted step test the README offers users passes as documented."""
    mv = Minivmm(host, "-S guests/cloop.elf")
    try:
        p = subprocess.run(["gdb-multiarch", "-nx", "-batch", "-ex", "set remotetimeout 60",
                            "-x", os.path.join(os.path.dirname(__file__), "..", "docs",
                                               "examples", "step_check.py"),
                            os.path.join(GUESTS, "cloop.elf")],
                           env=dict(os.environ, MINIVMM_GDB=host.gdb_connect),
                           capture_output=True, text=True, timeout=300)
        assert p.returncode == 0 and "step_check: PASS" in p.stdout, p.stdout + p.stderr
        status, out = mv.wait()
        assert status == 0 and "cloop: counter" in out, out
    finally:
        mv.kill()


# SVE and pointer authentication (issue 15): the vCPUs' features are minivmm's --cpu (on
# where the host has them); the test host's CPU has SVE up to 2048 bits and pauth.
SVE_CPU = "--cpu sve=on,pauth=on"


def gdb_bytes(gdb, expr):
    """The bytes of a gdb array expression ($z0.b.u, $p0), in order."""
    out = gdb.cmd(f"p/x {expr}")
    m = re.search(r"= \{(.*)\}", out, re.S)
    assert m and "repeats" not in out and "..." not in out, out
    return [int(v, 16) for v in m.group(1).split(",")]


def gdb_list(values):
    return "{" + ", ".join(str(v) for v in values) + "}"


@pytest.mark.parametrize("vl", [None, 512], ids=["host-largest-vl", "sve-vl-512"])
def test_sve_registers_and_pauth_masks(session, vl):
    """gdb reads z0/p0/vg/v0 as the guest set them, writes z1, p1 and v2 (which zeroes the rest
    of z2, as an AdvSIMD write) for the guest to check; vg cannot change; the PAC masks are
    there. guests/sve.c says PASS only if every byte it got back is right."""
    cpu = SVE_CPU + (f",sve-vl={vl}" if vl else "")
    mv, gdb = session(f"-S {cpu} guests/sve.elf", "sve.elf")
    gdb.cmd("set print elements unlimited")
    gdb.cmd("set print repeats unlimited")
    assert "Breakpoint 1 at" in gdb.cmd("break sve_stop")
    out = gdb.cmd("continue")
    assert "Breakpoint 1, sve_stop" in out, out
    nbytes = gdb.value("vl")  # the guest's RDVL: its vector length in bytes
    if vl:
        assert nbytes == vl // 8
    assert nbytes % 16 == 0 and 16 <= nbytes <= 256
    # the description's sizes are the vCPU's vector length; vg is it in 64-bit granules
    assert gdb.value("$vg") == nbytes // 8
    assert gdb.value("sizeof($z0)") == nbytes
    assert gdb.value("sizeof($p0)") == nbytes // 8
    assert gdb_bytes(gdb, "$z0.b.u") == [(i + 1) & 0xff for i in range(nbytes)]
    assert gdb_bytes(gdb, "$p0") == [0x11] * (nbytes // 8)
    assert gdb_bytes(gdb, "$v0.b.u") == list(range(1, 17))  # gdb's pseudo: z0's low 128 bits
    assert gdb_bytes(gdb, "$z2.b.u") == [0xff] * nbytes
    # writes the guest checks when it runs on
    gdb.cmd(f"set $z1.b.u = {gdb_list((0xa0 ^ i) & 0xff for i in range(nbytes))}")
    gdb.cmd(f"set $p1 = {gdb_list((0x5a ^ i) & 0xff for i in range(nbytes // 8))}")
    gdb.cmd("set $v2.b.u[0] = 0x42")
    assert gdb_bytes(gdb, "$z1.b.u") == [(0xa0 ^ i) & 0xff for i in range(nbytes)]
    assert gdb_bytes(gdb, "$z2.b.u") == [0x42] + [0xff] * 15 + [0] * (nbytes - 16)
    # vg is the vCPU's: another length is an error, and nothing changed
    out = gdb.cmd(f"set $vg = {2 if nbytes != 16 else 4}")
    assert "Could not write register \"vg\"" in out and "E22" in out, out
    assert gdb.value("$vg") == nbytes // 8
    assert gdb.value("sizeof($z0)") == nbytes
    assert gdb_bytes(gdb, "$z0.b.u") == [(i + 1) & 0xff for i in range(nbytes)]
    gdb.cmd(f"set $vg = {nbytes // 8}")  # its own value is fine
    # the PAC masks (org.gnu.gdb.aarch64.pauth_v2), from TCR_EL1
    out = gdb.cmd("info registers pauth_dmask pauth_cmask pauth_dmask_high pauth_cmask_high")
    for name in ["pauth_dmask", "pauth_cmask", "pauth_dmask_high", "pauth_cmask_high"]:
        m = re.search(rf"^{name}\s+(0x[0-9a-f]+)", out, re.M)
        assert m and int(m.group(1), 16) != 0, (name, out)
    regs = gdb.cmd("info registers")
    assert re.search(r"^vg\s+0x", regs, re.M) and re.search(r"^SP_EL0\s+0x", regs, re.M), regs
    gdb.cmd("delete")
    out = gdb.cmd("continue")
    assert "exited normally" in out, out
    status, out = mv.wait()
    assert status == 0 and "sve: PASS" in out, out
    assert f"sve: vector length {nbytes * 8} bits" in out, out


def test_without_sve_and_pauth_gdb_sees_the_fpu(session):
    """The description without them is the one before SVE: v0 a register of its own, no vg,
    no PAC masks, and with pmu=off no PMU registers (the guest is not run: its SVE
    instructions would be undefined)."""
    mv, gdb = session("-S --cpu sve=off,pauth=off,pmu=off guests/sve.elf", "sve.elf")
    gdb.cmd("set $v0.d.u[1] = 0x1122334455667788")
    assert gdb.value("$v0.d.u[1]") == 0x1122334455667788
    assert gdb.value("sizeof($v0)") == 16
    assert "Invalid register" in gdb.cmd("info registers vg")
    assert "Invalid register" in gdb.cmd("info registers pauth_dmask")
    assert "Invalid register" in gdb.cmd("info registers PMCR_EL0")
    assert "Invalid register" in gdb.cmd("info registers PMCCNTR_EL0")
    assert "void" in gdb.cmd("p $PMCR_EL0")  # an unknown $name is a convenience variable
    assert not re.search(r"^z0\s", gdb.cmd("info all-registers"), re.M)


def stepi_pc(gdb):
    gdb.cmd("stepi")
    return gdb.value("$pc")


@pytest.mark.parametrize("func, insns", [
    ("pac_paciasp", ["paciasp", "stp", "mov", "add", "ldp", "autiasp", "ret"]),
    ("pac_retaa", ["paciasp", "stp", "add", "ldp", "retaa"]),
], ids=["paciasp-autiasp-ret", "retaa"])
def test_stepi_over_pointer_authentication_lands_once(session, func, insns):
    """guests/pauth.c turns address authentication on (an APIA key, SCTLR_EL1.EnIA) and calls
    func once. Each stepi moves the PC by exactly 4, whatever the instruction signs or
    authenticates; after paciasp x30 is signed (changed, and its PAC stripped with pauth_cmask
    it is the return address); after autiasp (or in retaa) it is authenticated; the last
    stepi lands once, exactly at the caller's next instruction (minivmm emulates none of these:
    an interrupted step over retaa is stepped again after the handler, as its target is only
    known once authenticated). The guest then says PASS."""
    mv, gdb = session("-S --cpu pauth=on guests/pauth.elf", "pauth.elf")
    assert "Breakpoint 1 at" in gdb.cmd(f"break *{func}")
    out = gdb.cmd("continue")
    assert "Breakpoint 1," in out and func in out, out
    pc = gdb.value("$pc")
    lr = gdb.value("$x30")  # the caller's next instruction, unsigned
    assert "main" in gdb.cmd("info symbol $x30")
    cmask = gdb.value("$pauth_cmask")
    assert cmask != 0 and (lr & cmask) == 0, (hex(cmask), hex(lr))
    for i, name in enumerate(insns):
        assert name in gdb.cmd("x/i $pc"), (i, name)
        new = stepi_pc(gdb)
        if i == len(insns) - 1:  # ret / retaa: back in the caller, once
            assert new == lr, (name, hex(new), hex(lr))
            break
        assert new == pc + 4, (name, hex(pc), hex(new))
        pc = new
        x30 = gdb.value("$x30")
        if name == "paciasp":  # signed: changed, and the return address once stripped
            assert x30 != lr and (x30 & ~cmask) == lr, (hex(x30), hex(lr))
            signed = x30
        elif name == "ldp":  # the signed x30 back from the frame record
            assert x30 == signed, (hex(x30), hex(signed))
        elif name == "autiasp":  # authenticated: the return address itself
            assert x30 == lr, (hex(x30), hex(lr))
    assert gdb.value("$pc") == lr
    assert gdb.value("$x0") == (41 if func == "pac_paciasp" else 42)
    # the step was reported once: the next stepi goes on from there, and the breakpoint is
    # not met again
    assert stepi_pc(gdb) == lr + 4
    gdb.cmd("delete")
    out = gdb.cmd("continue")
    assert "exited normally" in out, out
    status, out = mv.wait()
    assert status == 0 and "pauth: PASS" in out, out
    assert "pauth: paciasp/autiasp/ret gave 41, retaa gave 42" in out, out
