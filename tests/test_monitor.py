# SPDX-License-Identifier: GPL-3.0-or-later
"""The monitor (issue 6): one command table behind gdb's `monitor`, the unix socket
(--monitor unix:PATH) and the readline prompt on the terminal (Ctrl-A c, --monitor).

The terminal tests run minivmm on the test host's console, a real tty (TestHost.tty()),
and type into it: completion, history, Ctrl-A c both ways, the guest's output held while
the prompt is up, and the terminal's settings restored. The install and man page tests
need no test host."""
import os
import re
import shlex
import subprocess
import time

import pytest

from conftest import GUESTS, one_error_line

from gdbtools import Gdb, Minivmm, kallsyms

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINUX = "-c 2 -m 512M --initrd guests/linux-initrd.cpio.gz"
APPEND = "console=ttyAMA0 quiet nokaslr"
PROMPT = r"\(minivmm\) "
ANSI = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")


class SockVmm:
    """minivmm in the background in the test host with --monitor unix:/tmp/TAG.sock; its
    stdin a FIFO held open, so that a guest shell on the console waits for input."""

    def __init__(self, host, args, tag="mon", exe="./minivmm"):
        self.host, self.tag = host, tag
        self.sock = f"/tmp/{tag}.sock"
        host.check(f"""
rm -f /tmp/{tag}.sock /tmp/{tag}.out /tmp/{tag}.rc /tmp/{tag}.in; mkfifo /tmp/{tag}.in
sleep 100000 >/tmp/{tag}.in &
echo $! >/tmp/{tag}.holder
( {exe} --monitor unix:{self.sock} {args} </tmp/{tag}.in >/tmp/{tag}.out 2>&1 &
  echo $! >/tmp/{tag}.pid; wait $!; echo $? >/tmp/{tag}.rc ) &
tools/unixcat -w 60 {self.sock} </dev/null >/dev/null || {{ cat /tmp/{tag}.out; exit 1; }}""")

    def cmds(self, *lines, timeout=120):
        """Each line's output (the text between two "(minivmm)" prompt lines)."""
        quoted = " ".join(shlex.quote(ln) for ln in lines)
        out = self.host.check(f"printf '%s\\n' {quoted} | tools/unixcat {self.sock}",
                              timeout=timeout)
        parts = out.split("(minivmm)\n")
        # the greeting is the prompt line alone, and each output ends with one
        assert parts[0] == "" and parts[-1] == "" and len(parts) == len(lines) + 2, out
        return parts[1:-1]

    def cmd(self, line):
        return self.cmds(line)[0]

    def type(self, text):
        """Keys for the guest's console (minivmm's stdin)."""
        self.host.check(f"printf '%s' {shlex.quote(text)} >/tmp/{self.tag}.in")

    def output(self):
        return self.host.check(f"cat /tmp/{self.tag}.out")

    def wait_output(self, pattern, timeout=120):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            out = self.output()
            if re.search(pattern, out):
                return out
            time.sleep(0.5)
        raise AssertionError(f"no {pattern!r} in minivmm's output:\n{self.output()}")

    def quit(self):
        """`quit`: minivmm's exit status and output."""
        self.host.run(f"printf 'quit\\n' | tools/unixcat {self.sock}")
        status, out = self.host.run(f"""
i=0; while [ ! -e /tmp/{self.tag}.rc ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
kill $(cat /tmp/{self.tag}.holder) 2>/dev/null
[ -e /tmp/{self.tag}.rc ] || exit 99
cat /tmp/{self.tag}.out; exit $(cat /tmp/{self.tag}.rc)""")
        return status, out

    def kill(self):
        self.host.run(f"""
kill $(cat /tmp/{self.tag}.holder) 2>/dev/null; kill -KILL $(cat /tmp/{self.tag}.pid) 2>/dev/null
i=0; while [ ! -e /tmp/{self.tag}.rc ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done""")


def words(out):
    """The 32-bit words of gdb-style x output ("ADDR [<sym>]:\\tW\\tW...")."""
    vals = []
    for line in out.splitlines():
        if ":" in line and line.lstrip().startswith("0x"):
            vals += [int(w, 16) for w in re.findall(r"0x[0-9a-f]+", line.split(":", 1)[1])]
    return vals


def objdump_word(elf, addr):
    out = subprocess.run(["aarch64-linux-gnu-objdump", "-s", "--start-address", hex(addr),
                          "--stop-address", hex(addr + 4), os.path.join(GUESTS, elf)],
                         capture_output=True, text=True, check=True).stdout
    return int.from_bytes(bytes.fromhex(out.strip().splitlines()[-1].split()[1]), "little")


# --- gdb's monitor ---------------------------------------------------------------------

def test_gdb_monitor_help_info_breakpoints_x_and_run_control_refused(host, opened):
    mv = Minivmm(host, "-S -c 2 guests/cloop.elf")
    opened.append(mv)
    gdb = Gdb(host, "cloop.elf")
    opened.append(gdb)
    out = gdb.cmd("monitor help")
    for syntax in ["help [CMD]", "info cpus", "info registers [CPU]", "info breakpoints",
                   "info kaslr", "info version", "translate VA [CPU]", "x/FMT VA [CPU]", "xp/FMT PA", "stop", "cont",
                   "step [CPU]", "step-irq [on|off]", "threads [vcpus|tasks]", "dtb FILE",
                   "dump-guest-memory [-f] FILE", "gdb",
                   "quit"]:
        assert re.search(rf"^{re.escape(syntax)}\s", out, re.M), (syntax, out)
    out = gdb.cmd("monitor info cpus")
    assert re.search(r"^0\s+stopped\s+0x0000000040000000\s+EL1h\s+holds it$", out, re.M), out
    assert re.search(r"^1\s+powered off\s+-\s+-\s+holds it$", out, re.M), out
    assert "no breakpoints or watchpoints inserted" in gdb.cmd("monitor info breakpoints")
    # the kernel's gdb scripts take a non-empty answer for a stub that numbers threads by CPU
    assert re.match(r"minivmm \S+$", gdb.cmd("monitor info version").strip())

    # gdb removes its breakpoints at each stop unless told to keep them in
    gdb.cmd("set breakpoint always-inserted on")
    work = int(re.search(r"Breakpoint 1 at (0x[0-9a-f]+)", gdb.cmd("break work")).group(1), 16)
    square = int(re.search(r"breakpoint 2 at (0x[0-9a-f]+)", gdb.cmd("hbreak square")).group(1),
                 16)
    counter = gdb.value("(long)&counter")
    gdb.cmd("watch counter")
    assert "Breakpoint 1, work" in gdb.cmd("continue")
    out = gdb.cmd("monitor info breakpoints")
    m = re.search(rf"^  0x{work:016x}  pa 0x{work:x}  insn 0x([0-9a-f]{{8}})  (.*)$", out, re.M)
    assert m, out
    assert int(m.group(1), 16) == objdump_word("cloop.elf", work), out
    assert m.group(2) in ("brk #0 in memory", "lifted (a step is over it)"), out
    assert re.search(rf"^  slot \d+  0x{square:016x}$", out, re.M), out
    assert re.search(rf"^  write\s+0x{counter:016x}  len \d+  slot \d+$", out, re.M), out

    assert "MMU off" in gdb.cmd("monitor translate 0x40000000")
    mine, theirs = gdb.cmd("monitor x/4x 0x40000000"), gdb.cmd("x/4x 0x40000000")
    assert len(words(mine)) == 4 and words(mine) == words(theirs), (mine, theirs)
    pc = gdb.value("$pc")
    assert words(gdb.cmd(f"monitor x/2xg {pc}")) == words(gdb.cmd(f"x/2xg {pc}"))

    # gdb owns the run state: the monitor's run control says so, and nothing moves
    for cmd in ["cont", "stop", "step", "step 1"]:
        out = gdb.cmd(f"monitor {cmd}").strip()
        assert re.fullmatch(rf"error: {cmd.split()[0]}: gdb \(\S+\) is attached and runs the "
                            r"guest: use its continue, stepi or Ctrl-C, or detach it", out), out
    assert gdb.value("$pc") == pc
    assert re.search(r"gdb: attached from \S+ \(gdb holds the guest\)", gdb.cmd("monitor gdb"))
    assert gdb.cmd("monitor frobnicate").strip() == \
        "error: unknown command 'frobnicate' (type 'help' for a list)"
    assert "Breakpoint 2, square" in gdb.cmd("continue")  # and the session goes on


def test_gdb_monitor_translate_and_x_in_linux(host, opened):
    vfs_read = kallsyms(host, "vfs_read")
    mv = Minivmm(host, f"-S {LINUX} --append '{APPEND}' guests/Image")
    opened.append(mv)
    gdb = Gdb(host)
    opened.append(gdb)
    gdb.cmd(f"hbreak *{vfs_read:#x}")  # init reads /proc: the kernel runs with its MMU on
    assert "Breakpoint 1" in gdb.cmd("continue", timeout=300)
    out = gdb.cmd(f"monitor translate {vfs_read:#x}")
    assert f"VA 0x{vfs_read:016x}: TTBR1_EL1, 4K granule" in out, out
    assert re.search(r"^  L[0-3] table 0x[0-9a-f]+ index \d+: desc at 0x[0-9a-f]+ = 0x[0-9a-f]{16}"
                     r" table$", out, re.M), out
    pa = int(re.search(r"=> PA 0x([0-9a-f]+) \(\S+ (page|block)\)", out).group(1), 16)
    assert 0x40000000 <= pa < 0x40000000 + (512 << 20), out
    out = gdb.cmd("monitor translate 0")
    assert re.search(r"=> translation fault at level \d: ", out), out
    out = gdb.cmd("monitor translate 0x0080000000000000")
    assert "=> translation fault at level 0: VA in neither the TTBR0 nor the TTBR1 range" in out
    mine, theirs = gdb.cmd(f"monitor x/4x {vfs_read:#x}"), gdb.cmd(f"x/4x {vfs_read:#x}")
    assert len(words(mine)) == 4 and words(mine) == words(theirs), (mine, theirs)
    assert words(gdb.cmd(f"monitor xp/4x {pa:#x}")) == words(mine)
    out = gdb.cmd("monitor x/4x 0").strip()
    assert re.fullmatch(r"error: x: 0x0 does not translate on cpu0 \(.+; 'translate 0x0 0' "
                        r"shows the walk\)", out), out


# --- the unix socket -------------------------------------------------------------------

@pytest.fixture(scope="module")
def held(host):
    """A 2-vCPU bare-metal guest held at its first instruction (-S, no gdb), with the
    monitor on a socket: shared by the bad-input cases."""
    vmm = SockVmm(host, "-S -c 2 guests/cloop.elf", tag="held")
    yield vmm
    vmm.kill()


BAD_INPUT = [
    ("unknown command", "frobnicate now", "unknown command 'frobnicate' (type 'help' for a list)"),
    ("unknown info", "info frob", "unknown command 'info frob' (info takes cpus, cpu, registers, "
     "breakpoints, kaslr, version)"),
    ("info alone", "info", "info: what? (info cpus, cpu, registers, breakpoints, kaslr, version)"),
    ("missing VA", "translate", "translate: missing VA (usage: translate VA [CPU])"),
    ("malformed VA", "translate 0xzz", "translate: '0xzz' is not a number (0x for hex)"),
    ("hex without 0x", "x/4x ffff0000", "x: 'ffff0000' is not a number (0x for hex)"),
    ("extra argument", "info cpus now", "info cpus: unexpected 'now' (usage: info cpus)"),
    ("no such CPU", "info registers 7", "info registers: no CPU 7 (CPUs are 0 to 1)"),
    ("no such CPU for translate", "translate 0 2", "translate: no CPU 2 (CPUs are 0 to 1)"),
    ("no such CPU for step", "step 9", "step: no CPU 9 (CPUs are 0 to 1)"),
    ("bad x format", "x/4q 0x40000000",
     "x: bad format '/4q' (COUNT, then one of x d u o t c, one size of b h w g)"),
    ("x/i", "x/2i 0x40000000", "x: format 'i' needs a disassembler: use gdb's x/i"),
    ("x count too big", "x/20000g 0x40000000", "x: '/20000g' is more than 65536 bytes"),
    ("x wraps around", "x/4g 0xfffffffffffffff8", "x: 0xfffffffffffffff8 + 32 bytes wraps around"),
    ("x outside RAM", "x/4x 0x9000000", "x: 0x9000000 maps to 0x9000000, which is not guest RAM"),
    ("xp outside RAM", "xp/4x 0x9000000", "xp: 0x9000000 is not guest RAM (RAM is 0x40000000 "
     "to 0x4fffffff; xp never reads devices)"),
    ("step-irq not on/off", "step-irq maybe", "step-irq: expected on or off, not 'maybe'"),
    ("threads not a mode", "threads frames", "threads: 'frames': expected vcpus or tasks"),
    ("dtb without FILE", "dtb", "dtb: missing FILE (usage: dtb FILE)"),
    ("dtb unwritable", "dtb /nonexistent/g.dtb",
     "dtb: cannot write /nonexistent/g.dtb: No such file or directory"),
    ("dump without FILE", "dump-guest-memory",
     "dump-guest-memory: missing FILE (usage: dump-guest-memory [-f] FILE)"),
    ("dump -f without FILE", "dump-guest-memory -f",
     "dump-guest-memory: give a file (usage: dump-guest-memory [-f] FILE)"),
    ("dump unwritable", "dump-guest-memory /nonexistent/g.core",
     "dump-guest-memory: cannot write /nonexistent/g.core: No such file or directory"),
    ("dump over a file", "dump-guest-memory minivmm",
     "dump-guest-memory: minivmm exists (dump-guest-memory -f minivmm overwrites it)"),
    ("help for nothing", "help frob", "help: no command 'frob' (type 'help' for a list)"),
    ("fmt where none goes", "translate/4 0", "translate takes no /FMT"),
    ("step a powered-off CPU", "step 1", "step: cpu1 is powered off"),
    ("line too long", "x" * 1500, "line too long (at most 1023 characters)"),
]


@pytest.mark.parametrize("line,error", [c[1:] for c in BAD_INPUT], ids=[c[0] for c in BAD_INPUT])
def test_bad_input_is_one_error_line_and_the_monitor_goes_on(held, line, error):
    bad, after = held.cmds(line, "info cpus")
    assert bad == f"error: {error}\n"
    assert re.search(r"^0\s+stopped\s+0x0000000040000000\s+EL1h\s+waits \(-S\)$", after, re.M), after


def test_socket_run_control_registers_and_dtb_without_gdb(held, host):
    out = held.cmd("info registers")
    assert re.search(r"\bpc  0x0000000040000000$", out, re.M) and "cpsr 0x" in out, out
    assert re.search(r"^VBAR_EL1\s+0x[0-9a-f]{16}\s+SCTLR_EL1\s+0x[0-9a-f]{16}$", out, re.M), out
    assert "CPU 1 (powered off)" in held.cmd("info registers 1")
    out = held.cmds("step", "step", "x/1xg 0x40000000", "step-irq on", "step-irq", "step-irq off")
    assert out[0] == "cpu0: pc 0x0000000040000004 EL1h\n", out
    assert out[1] == "cpu0: pc 0x0000000040000008 EL1h\n", out
    assert out[3] == out[4] == "step-irq on: a step may stop in an interrupt handler\n", out
    assert "step-irq off" in out[5]
    assert "gdb: not enabled" in held.cmd("gdb")
    # what is RAM is shown, then where it ends
    assert held.cmd("xp/2g 0x4ffffff8") == "0x4ffffff8:\t0x0000000000000000\nerror: xp: " \
        "0x50000000 is not guest RAM (RAM is 0x40000000 to 0x4fffffff; xp never reads devices)\n"
    out = held.cmd("dtb /tmp/held.dtb")
    size = int(re.search(r"wrote the guest's device tree \((\d+) bytes\) to /tmp/held.dtb",
                         out).group(1))
    assert host.check("wc -c </tmp/held.dtb").strip() == str(size)
    assert host.check("head -c 4 /tmp/held.dtb | od -An -tx1").split() == ["d0", "0d", "fe", "ed"]
    assert host.check(f"stat -c %a {held.sock}").strip() == "600"  # only our user connects


def test_dump_of_a_bare_metal_guest_opens_in_gdb(host, opened, tmp_path):
    """dump-guest-memory of a guest that is not Linux: gdb opens the core with the ELF and
    shows each vCPU as a thread with its registers; a disk that fills up mid-way gets one
    line, no file is left, and the guest runs on."""
    import subprocess
    from gdbtools import GDB
    vmm = SockVmm(host, "-S -c 2 -m 32M guests/cloop.elf", tag="bmdump")
    opened.append(vmm)
    steps = vmm.cmds("step", "step", "step")
    pc = int(re.fullmatch(r"cpu0: pc 0x([0-9a-f]{16}) EL1h\n", steps[-1]).group(1), 16)
    regs = vmm.cmd("info registers")
    x1 = int(re.search(r"\bx1\s+0x([0-9a-f]{16})", regs).group(1), 16)
    out = vmm.cmd("dump-guest-memory /tmp/bm.core")
    assert re.fullmatch(r"wrote /tmp/bm.core: 32 MiB, 2 vCPUs, in [\d.]+ s\n", out), out
    assert vmm.cmd("dump-guest-memory /tmp/bm.core").startswith(
        "error: dump-guest-memory: /tmp/bm.core exists (dump-guest-memory -f /tmp/bm.core")
    assert vmm.cmd("dump-guest-memory -f /tmp/bm.core").startswith("wrote /tmp/bm.core: 32 MiB")
    # a second dump while one runs: one line of error, the first one whole
    out = host.check(f"""
rm -f /tmp/bm2.core
( printf 'dump-guest-memory /tmp/bm2.core\\n' | tools/unixcat {vmm.sock} >/tmp/first.out ) &
printf 'dump-guest-memory /tmp/bm2.core\\n' | tools/unixcat {vmm.sock}
wait
cat /tmp/first.out; rm -f /tmp/bm2.core""")
    assert out.count("wrote /tmp/bm2.core: 32 MiB") == 1, out
    assert re.search(r"^error: (another client is using the monitor|dump-guest-memory: "
                     r"/tmp/bm2.core exists \(dump-guest-memory -f /tmp/bm2.core overwrites "
                     r"it\))$", out, re.M), out
    core = str(tmp_path / "bm.core")
    host.fetch("/tmp/bm.core", core)
    host.run("rm -f /tmp/bm.core")
    p = subprocess.run([GDB, "-nx", "-batch", "-ex", "set architecture aarch64",
                        os.path.join(GUESTS, "cloop.elf"), core,
                        "-ex", "info threads", "-ex", "p/x $pc", "-ex", "p/x $x1"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    assert re.search(r"^\*\s+1\s+(LWP|process|Thread) 1\b", p.stdout, re.M), p.stdout
    assert re.search(r"^\s+2\s+(LWP|process|Thread) 2\b", p.stdout, re.M), p.stdout
    assert f"= {pc:#x}" in p.stdout and f"= {x1:#x}" in p.stdout, (p.stdout, pc, x1)

    # ENOSPC (two pages: the headers and the first page of RAM fit; pages of zeros are
    # holes): one line, nothing left behind, the guest steps on
    host.check("mkdir -p /tmp/small && mount -t tmpfs -o size=8k tmpfs /tmp/small")
    try:
        out, after = vmm.cmds("dump-guest-memory /tmp/small/bm.core", "step")
        assert out == "error: dump-guest-memory: cannot write /tmp/small/bm.core: No space " \
            "left on device (the partial file is removed; the guest runs on)\n", out
        assert host.check("ls -A /tmp/small") == ""
        assert re.fullmatch(r"cpu0: pc 0x[0-9a-f]{16} EL1h\n", after), after
    finally:
        host.run("umount /tmp/small")


def test_dump_while_gdb_runs_the_guest(host, opened, tmp_path):
    """A dump from the socket while gdb's continue runs: the guest pauses for it and goes
    on, gdb's Ctrl-C and breakpoints work after it, and the file has the guest's own
    instruction where gdb's breakpoint is (never hit: _start runs once)."""
    import struct
    vmm = SockVmm(host, f"--gdb {host.gdb_listen} -S -m 32M guests/cloop.elf", tag="gdump")
    opened.append(vmm)
    gdb = Gdb(host, "cloop.elf")
    opened.append(gdb)
    gdb.cmd("break square")
    assert "Breakpoint 1, square" in gdb.cmd("continue")
    start = gdb.value("(long)&_start")
    insn = gdb.value("*(unsigned int *)&_start")  # reads never show our BRKs
    gdb.cmd("set var rounds = 0x7fffffff")  # it runs until gdb stops it
    gdb.cmd("disable 1")
    gdb.cmd("break *_start")
    gdb.p.sendline("continue")
    gdb.p.expect_exact("Continuing.")
    out = vmm.cmd("dump-guest-memory /tmp/gdump.core")
    assert re.fullmatch(r"wrote /tmp/gdump.core: 32 MiB, 1 vCPU, in [\d.]+ s\n", out), out
    out = gdb.interrupt(timeout=60)
    assert "SIGINT" in out, out
    gdb.cmd("enable 1")
    assert "Breakpoint 1, square" in gdb.cmd("continue")
    core = tmp_path / "gdump.core"
    host.fetch("/tmp/gdump.core", str(core))
    host.run("rm -f /tmp/gdump.core")
    data = core.read_bytes()
    phoff, = struct.unpack_from("<Q", data, 32)
    phnum, = struct.unpack_from("<H", data, 56)
    for i in range(phnum):
        typ, _, off, _, paddr, filesz = struct.unpack_from("<IIQQQQ", data, phoff + 56 * i)
        if typ == 1 and paddr <= start < paddr + filesz:
            assert struct.unpack_from("<I", data, off + start - paddr)[0] == insn
            break
    else:
        pytest.fail(f"no PT_LOAD holds {start:#x}")


def test_dump_on_panic_without_gdb(host, opened, tmp_path):
    """--dump-on-panic: Debian's kernel panics (sysrq c) with no gdb attached; minivmm sees
    its panic line on the console and writes the dump then, which drgn reads: the log ends
    in the panic, and the CPU that panicked is in panic() in its note's registers."""
    import json
    from conftest import KDEBUG_VMLINUX, kdebug_adds
    image = "Image" if kdebug_adds() else "guests/Image"  # the kernel of that vmlinux
    # 256 MiB: the dump and its way out of the test host cost by the byte
    vmm = SockVmm(host, f"{LINUX.replace('-m 512M', '-m 256M')} --dump-on-panic "
                        f"/tmp/panic.core --append '{APPEND} guest.shell' {image}", tag="panic")
    opened.append(vmm)
    vmm.wait_output(r"/ # ")
    vmm.type("echo c >/proc/sysrq-trigger\n")
    out = vmm.wait_output(r"--dump-on-panic: (wrote|error).*", timeout=180)
    # one line, though the guest's own may be cut by it (stderr beside the console)
    assert re.search(r"minivmm: --dump-on-panic: wrote /tmp/panic.core: 256 MiB, 2 vCPUs, "
                     r"Linux \S+ with its VMCOREINFO, pids of [12] of the CPUs' tasks, in "
                     r"[\d.]+ s\r?\n", out), out
    core = str(tmp_path / "panic.core")
    host.fetch("/tmp/panic.core", core)
    host.run("rm -f /tmp/panic.core")
    script = r'''
import json, sys, drgn
from drgn.helpers.linux.percpu import per_cpu
from drgn.helpers.linux.printk import get_dmesg
prog = drgn.Program()
prog.set_core_dump(sys.argv[1])
prog.load_debug_info([sys.argv[2]])
print(json.dumps({"dmesg": get_dmesg(prog).decode(errors="replace")[-2000:],
                  "stacks": [[f.name for f in prog.stack_trace(per_cpu(prog["runqueues"], c).curr)
                              if f.name] for c in (0, 1)]}))
'''
    env = dict(os.environ, DRGN_USE_LIBKDUMPFILE_FOR_ELF="1")
    p = subprocess.run(["/usr/bin/python3", "-c", script, core, KDEBUG_VMLINUX], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert "sysrq: Trigger a crash" in d["dmesg"], d["dmesg"]
    assert any("panic" in frames for frames in d["stacks"]), d["stacks"]
    assert any("sysrq_handle_crash" in frames for frames in d["stacks"]), d["stacks"]


def test_socket_clients_one_at_a_time(held, host):
    out = host.check(f"""
( sleep 3 | tools/unixcat {held.sock} >/tmp/first.out ) &
sleep 1
printf 'gdb\\n' | tools/unixcat {held.sock}
wait
for i in 1 2 3; do printf 'gdb\\n' | tools/unixcat {held.sock}; done""")
    first, rest = out.split("\n", 1)
    assert first == "error: another client is using the monitor", out
    assert rest.count("gdb: not enabled") == 3, out


def test_socket_linux_two_cpus_stop_step_cont_translate(host, opened):
    vfs_read = kallsyms(host, "vfs_read")
    vmm = SockVmm(host, f"{LINUX} --append '{APPEND} guest.shell' guests/Image", tag="lnx")
    opened.append(vmm)
    vmm.wait_output(r"/ # ")
    vmm.type("while :; do :; done &\nwhile :; do :; done &\n")  # no CPU idles in WFI
    vmm.wait_output(r"done &[\s\S]*done &[\s\S]*/ # ")
    out = vmm.cmd("info cpus")
    rows = re.findall(r"^([01])\s+running\s+0x([0-9a-f]{16})\s+(EL1h|EL0t)\s+-$", out, re.M)
    assert [r[0] for r in rows] == ["0", "1"], out
    tr, x, bad, noncanon = vmm.cmds(f"translate {vfs_read:#x} 1", f"x/4x {vfs_read:#x} 1",
                                    "x/4x 0", "translate 0x0080000000000000 1")
    assert tr.startswith(f"cpu1: VA 0x{vfs_read:016x}: TTBR1_EL1"), tr
    pa = int(re.search(r"=> PA 0x([0-9a-f]+)", tr).group(1), 16)
    assert words(vmm.cmd(f"xp/4x {pa:#x}")) == words(x) and len(words(x)) == 4, (tr, x)
    assert re.fullmatch(r"error: x: 0x0 does not translate on cpu0 \(.+\)\n", bad), bad
    assert "=> translation fault at level 0: VA in neither" in noncanon, noncanon
    # what the vCPUs got of the test host's CPU (QEMU's max: SVE up to 2048 bits, PMUv3)
    out = vmm.cmd("info cpu")
    assert out.startswith("2 vCPUs, each with:\n"), out
    assert re.search(r"^SVE +on, vector lengths 128, 256, .*2048 bits \(the registers gdb "
                     r"sees: 2048\)$", out, re.M), out
    assert re.search(r"^pointer authentication +on, address and generic", out, re.M), out
    assert re.search(r"^PMU +on, PMUv3, [1-9]\d* event counters, overflow interrupt PPI 7$",
                     out, re.M), out

    out = vmm.cmds("stop", "info cpus", "step 1", "step 1", "cont", "info cpus")
    assert out[0] == "guest stopped ('cont' resumes it)\n", out
    assert len(re.findall(r"^[01]\s+stopped\s+0x", out[1], re.M)) == 2, out
    pcs = [int(re.fullmatch(r"cpu1: pc 0x([0-9a-f]{16}) \S+\n", o).group(1), 16) for o in out[2:4]]
    assert pcs[0] != pcs[1], out
    assert out[4] == "guest running\n", out
    assert len(re.findall(r"^[01]\s+running\s+0x", out[5], re.M)) == 2, out
    status, out = vmm.quit()
    assert status == 0, out


# --- the terminal ----------------------------------------------------------------------

def clean(text):
    return ANSI.sub("", text).replace("\r", "")


TTY_PRE = "export TERM=dumb HOME=/tmp/mh; mkdir -p /tmp/mh; stty sane; stty -g >/tmp/stty.before\n"
TTY_POST = ("echo \"@@rc $?@@\"; stty -g >/tmp/stty.after; stty raw -echo\n"
            "cmp -s /tmp/stty.before /tmp/stty.after && echo '@@stty same@@'\n")


def test_console_completion_history_info_cpus_quit(host):
    host.check("rm -rf /tmp/mh")
    t = host.tty(TTY_PRE + "./minivmm --monitor -S -c 2 guests/smp.elf\n" + TTY_POST)
    t.expect(PROMPT)
    t.send("inf\t")
    t.expect("info ")  # the only completion, and a space
    t.send("\t\t")  # both lists info's subcommands
    assert re.search(r"breakpoints\s+cpu\s+cpus\s+kaslr\s+registers\s+version",
                     clean(t.expect(PROMPT + "info ")))
    t.send("c\t")
    t.expect("pu")  # "c" completed to the common part of cpu and cpus, no space
    t.send("s\t")
    t.expect("s ")  # the one completion, and a space
    t.send("\r")
    out = clean(t.expect(PROMPT))
    assert re.search(r"^0\s+stopped\s+0x0000000040000000\s+EL1h\s+waits \(-S\)$", out, re.M), out
    assert re.search(r"^1\s+powered off\s+-\s+-\s+waits \(-S\)$", out, re.M), out
    t.send("\x1b[A")  # up: the last line back
    t.expect("info cpus ")
    t.send("\r")
    assert "powered off" in clean(t.expect(PROMPT))
    t.send("info registers 9\r")
    assert "error: info registers: no CPU 9 (CPUs are 0 to 1)" in clean(t.expect(PROMPT))
    t.send("transl")
    t.send("\x03")  # Ctrl-C drops the line (and does not end minivmm)
    t.expect(PROMPT)
    t.send("quit\r")
    status, out = t.wait()
    assert status == 0 and "@@rc 0@@" in out and "@@stty same@@" in out, out
    assert host.check("cat /tmp/mh/.minivmm_history").split("\n") == \
        ["info cpus ", "info registers 9", "quit", ""]

    # the next run reads it: up gives the last command of the one before
    t = host.tty(TTY_PRE + "./minivmm --monitor -S guests/hello.elf\n" + TTY_POST)
    t.expect(PROMPT)
    t.send("\x1b[A")
    t.expect("quit")
    t.send("\x03")
    t.expect(PROMPT)
    t.send("help gdb\r")
    assert "is a gdb attached" in clean(t.expect(PROMPT))
    t.send("quit\r")
    status, out = t.wait()
    assert status == 0 and "@@stty same@@" in out, out
    assert host.check("tail -n 2 /tmp/mh/.minivmm_history") == "help gdb\nquit\n"


def test_console_ctrl_a_c_holds_guest_output_and_switches_back(host):
    vfs_read = kallsyms(host, "vfs_read")
    t = host.tty(TTY_PRE + f"./minivmm {LINUX} --append '{APPEND} guest.shell' guests/Image\n"
                 + TTY_POST, timeout=400)
    t.expect(r"/ # ", timeout=300)
    t.send("i=0; while true; do echo tick-$i; i=$((i+1)); sleep 0.2; done &\r")
    before = t.expect(r"tick-3\b")
    t.send("\x01c")  # Ctrl-A c: the prompt
    before += t.expect(PROMPT)
    last = max(int(n) for n in re.findall(r"tick-(\d+)", before))
    at_prompt = ""
    t.send("info cpus\r")
    at_prompt += t.expect(PROMPT)
    assert len(re.findall(r"^[01]\s+running\s+0x[0-9a-f]{16}\s+EL", clean(at_prompt), re.M)) == 2
    time.sleep(3)  # ticks meanwhile: held, not shown, not lost
    t.send(f"translate {vfs_read:#x}\r")
    at_prompt += t.expect(PROMPT)
    assert re.search(r"=> PA 0x[0-9a-f]+ \(", at_prompt), at_prompt
    t.send("translate 0\r")
    at_prompt += t.expect(PROMPT)
    assert "=> translation fault" in at_prompt, at_prompt
    assert "tick-" not in at_prompt, at_prompt
    t.send("\x01c")  # and back to the guest console: what it printed comes first
    after = t.expect(rf"tick-{last + 20}\b", timeout=60)
    seen = [int(n) for n in re.findall(r"tick-(\d+)", after)]
    assert seen == list(range(last + 1, last + 21)), after
    t.send("\x01x")  # Ctrl-A x quits
    status, out = t.wait()
    assert "@@rc 0@@" in out and "@@stty same@@" in out, out


# --- options, man page, install --------------------------------------------------------

def test_monitor_option_errors(user):
    p = user.run("--monitor=tcp:1234", os.path.join(GUESTS, "hello.elf"))
    assert p.returncode == 2 and one_error_line(p) == "--monitor tcp:1234: expected stdio or unix:PATH"
    p = user.run("--monitor", os.path.join(GUESTS, "hello.elf"), input="")
    assert p.returncode == 2 and one_error_line(p) == \
        "--monitor: stdin is not a terminal (scripts: --monitor unix:PATH)"
    assert "--monitor unix:PATH" in user.run("--help").stdout


def test_man_page_renders_without_warnings(user):
    page = os.path.join(TOP, "docs", "minivmm.1")
    p = subprocess.run(["groff", "-ww", "-man", "-z", page], capture_output=True, text=True)
    assert p.returncode == 0 and p.stderr == "", p.stderr
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
    p = subprocess.run(["man", "--warnings", "-l", page], capture_output=True, text=True,
                       env=env)
    assert p.returncode == 0 and p.stderr == "", p.stderr
    text = p.stdout
    # every option of --help, and every monitor command, is in the page
    for opt in re.findall(r"^\s+(?:-\w, )?(--[\w-]+)", user.run("--help").stdout, re.M):
        assert opt in text, opt
    for cmd in ["info cpus", "info cpu\n", "info registers", "info breakpoints", "translate", "x/FMT",
                "xp/FMT", "step-irq", "threads", "dtb FILE", "dump-guest-memory", "quit", "Ctrl-A c", "EXIT STATUS"]:
        assert cmd in text, cmd


def test_make_install_puts_binary_and_man_page_in_place(tmp_path):
    p = subprocess.run(["make", "-C", TOP, "install", f"DESTDIR={tmp_path}", "PREFIX=/opt/mv"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    binary = tmp_path / "opt/mv/bin/minivmm"
    page = tmp_path / "opt/mv/share/man/man1/minivmm.1"
    built = os.path.join(os.path.dirname(GUESTS), "minivmm")  # the normal build, always
    assert binary.read_bytes() == open(built, "rb").read() and os.access(binary, os.X_OK)
    assert page.read_text() == open(os.path.join(TOP, "docs", "minivmm.1")).read()
    assert oct(page.stat().st_mode & 0o777) == "0o644"
