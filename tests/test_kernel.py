# SPDX-License-Identifier: GPL-3.0-or-later
"""Debugging Debian's kernel under minivmm (issue 13, items 1 and 2; docs/kernel-debugging.md):
the real gdb-multiarch, the real vmlinux with full DWARF and the kernel's own gdb scripts
(build/dl/dbg, made by tests/testhost/deps.sh), against the kernel-debugging guest
(guests/linux/kdebug-init: dummy.ko loaded, a task that opens files, sleeps in open() of a
FIFO and wakes up on the other vCPU). gdb threads are vCPUs here.

One guest and one gdb session serve the whole module, in test order; each test starts
from a stopped guest and leaves it stopped with no breakpoints of its own."""
import os
import re
import subprocess
import time

import pytest

from conftest import KDEBUG_IMAGE, kdebug_session

DBG = os.path.dirname(KDEBUG_IMAGE)
MODULES = os.path.join(DBG, "debug-modules")
APPEND = "console=ttyAMA0 quiet nokaslr kdebug.delay=50"
CONT = 60  # seconds for a continue to reach a breakpoint the workload hits every ~60 ms

# Helpers sourced into gdb beside conftest's call_line: integer fields read through Python
# (gdb's expression parser spends 12-20 s, once per session, on names such as `.pid`).
GDB_HELPERS = r'''
import gdb

def field(expr, *path):
    v = gdb.parse_and_eval(expr)
    for name in path:
        v = v[name]
    return int(v)

def where():
    """function, source file, line and pc of the selected frame"""
    f = gdb.selected_frame()
    sal = f.find_sal()
    return "%s %s %d %d" % (f.name(), sal.symtab.filename, sal.line, f.pc())
'''


class Kernel:
    def __init__(self, mv, gdb, sleeper):
        self.mv, self.gdb, self.sleeper = mv, gdb, sleeper

    def cmd(self, line, timeout=None):
        t = time.monotonic()
        out = self.gdb.cmd(line, timeout=timeout)
        self.gdb.log[-1] = self.gdb.log[-1].replace(
            "\n", f"    [{time.monotonic() - t:.2f} s]\n", 1)
        return out

    def py(self, code):
        """What a Python expression evaluated in gdb prints."""
        return self.cmd(f"python print({code})").strip()

    def where(self):
        """(function, line) of the selected frame: a line of fs/open.c and so on."""
        return self.where_pc()[:2]

    def where_pc(self):
        func, src, line, pc = self.py("where()").split()
        return func, f"{src}:{line}", int(pc)

    def bp_number(self, out):
        m = re.search(r"^(?:Hardware watchpoint|Breakpoint) (\d+)", out, re.M)
        assert m, out
        return int(m.group(1))

    def locations(self, num):
        """{location: address} of a breakpoint, from info breakpoints."""
        out = self.cmd(f"info breakpoints {num}")
        return {m.group(1): int(m.group(2), 16)
                for m in re.finditer(rf"^({num}\.\d+)\s+y\s+(0x[0-9a-f]+)", out, re.M)}

    def resume_briefly(self, secs=0.3):
        """Let the guest run a moment, then stop it with Ctrl-C."""
        self.gdb.p.sendline("continue")
        self.gdb.p.expect_exact("Continuing.")
        time.sleep(secs)
        self.gdb.interrupt()

    def all_vcpus_in_kernel(self, tries=10):
        """Stop the guest where both vCPUs are at EL1 (SP_EL0 is then the current task)."""
        for _ in range(tries):
            els = []
            for t in (1, 2):
                self.cmd(f"thread {t}")
                els.append((self.gdb.value("$cpsr") >> 2) & 3)
            if els == [1, 1]:
                return
            self.resume_briefly()
        pytest.fail(f"a vCPU was at EL0 at each of {tries} stops")

    def stop_in_open(self, path):
        """Stop at do_sys_openat2's body (its second location) for an open of path;
        the breakpoint is deleted again. Returns what continue printed."""
        out = self.cmd(f'break do_sys_openat2 if $_streq((char *)$x1, "{path}")')
        num = self.bp_number(out)
        self.cmd(f"disable {num}.1")
        out = self.cmd("continue", timeout=CONT)
        self.cmd(f"delete {num}")
        assert re.search(rf"hit Breakpoint {num}\.2, do_sys_openat2 \(", out), out
        return out


@pytest.fixture(scope="module")
def k(host, tmp_path_factory):
    if not os.path.exists(MODULES):
        pytest.fail(f"missing {MODULES}: run tests/testhost/deps.sh")
    for mv, gdb, sleeper in kdebug_session(host, tmp_path_factory,
                                           f"-c 2 -m 512M --append '{APPEND}'", "kdebug",
                                           GDB_HELPERS):
        yield Kernel(mv, gdb, sleeper)


@pytest.fixture(autouse=True)
def transcript(k):
    """Each test's part of the gdb transcript, shown when it fails."""
    start = len(k.gdb.log)
    yield
    print("\n".join(k.gdb.log[start:]))


def image_banners():
    """The banners in the Image the guest boots: 6.1's has two, one with no build number
    ("# SMP") and the one the kernel prints ("#1 SMP")."""
    with open(KDEBUG_IMAGE, "rb") as f:
        found = re.findall(rb"Linux version \d[^\n%\0]*(?=\n\0)", f.read())
    assert found
    return [b.decode() for b in found]


def test_attach_version_cmdline(k):
    threads = k.cmd("info threads")
    assert re.search(r"^\*?\s+1\s+Thread 1 \(CPU#0 ", threads, re.M), threads
    assert re.search(r"^\*?\s+2\s+Thread 2 \(CPU#1 ", threads, re.M), threads
    assert k.cmd("lx-version").strip() in image_banners()
    assert k.cmd("lx-cmdline").strip() == APPEND


def test_dmesg(k):
    out = k.cmd("lx-dmesg")
    assert re.search(r"^\[\s*0\.000000\] Machine model: minivmm$", out, re.M), out[-2000:]
    banner = k.cmd("lx-version").strip()
    assert banner in image_banners()
    assert re.search(rf"^\[\s*0\.000000\] {re.escape(banner)}$", out, re.M), out[:2000]
    assert re.search(r"^\[\s*\d+\.\d+\] Run /init as init process$", out, re.M), out[-2000:]


def test_ps(k):
    out = k.cmd("lx-ps")
    rows = {int(m.group(2)): (int(m.group(1), 16), m.group(3))
            for m in re.finditer(r"^(0x[0-9a-f]+)\s+(\d+)\s+(\S.*)$", out, re.M)}
    assert rows.get(0, (0, ""))[1] == "swapper/0", out
    assert rows.get(1, (0, ""))[1] == "init", out
    assert rows.get(2, (0, ""))[1] == "kthreadd", out
    assert rows.get(k.sleeper, (0, ""))[1] == "init", out  # a subshell of /init
    assert rows[1][0] == k.gdb.value("&$lx_task_by_pid(1)")


def test_lsmod_lx_symbols_and_a_breakpoint_in_the_module(k):
    m = re.search(r"^(0x[0-9a-f]+)\s+dummy\s+(\d+)\s+0$", k.cmd("lx-lsmod"), re.M)
    assert m, k.gdb.log[-1]
    base = int(m.group(1), 16)
    out = k.cmd(f"lx-symbols {MODULES}")
    m = re.search(r"^loading @(0x[0-9a-f]+): (\S+)$", out, re.M)
    assert m and int(m.group(1), 16) == base, out
    assert m.group(2).endswith("/kernel/drivers/net/dummy.ko"), out
    assert "Error" not in out, out
    num = k.bp_number(k.cmd("break dummy_get_stats64"))
    out = k.cmd("continue", timeout=CONT)  # the sleeper's cat reads /proc/net/dev
    assert re.search(rf"hit Breakpoint {num}(\.\d)?, ", out), out
    k.cmd(f"delete {num}")
    pc = k.gdb.value("$pc")
    assert base <= pc < base + 0x1000
    # gdb places the module's .init.text at its .text too (lx-symbols gives it no
    # address), so a frame there may be named after dummy_init_*; the section is right.
    out = k.cmd("info symbol $pc")
    assert re.match(r"dummy_get_stats64( \+ \d+)? in section \.text of \S+/dummy\.ko$",
                    out.strip()), out
    bt = k.cmd("bt")
    assert re.search(r"^#0 .* at drivers/net/dummy\.c:\d+$", bt, re.M), bt
    assert re.search(r"^#1\s+0x[0-9a-f]+ in dev_get_stats \(dev=0x", bt, re.M), bt
    for f in ["dev_seq_show", "seq_read", "vfs_read", "invoke_syscall", "el0_svc"]:
        assert f" {f} (" in bt, (f, bt)
    assert '"cat"' in k.cmd("p $lx_current().comm")
    # finish out of the module's function (it does not sleep): back in dev_get_stats
    out = k.cmd("finish", timeout=CONT)
    assert "Run till exit from #0 " in out, out
    assert re.search(r"^(0x[0-9a-f]+ in )?dev_get_stats \(dev=0x", out, re.M), out
    assert k.cmd("info symbol $pc").startswith("dev_get_stats + ")


def test_mounts(k):
    out = k.cmd("lx-mounts")
    mounts = {(m.group(1), m.group(2), m.group(3)) for m in
              re.finditer(r"^0x[0-9a-f]+ 0x[0-9a-f]+ (\S+) (\S+) (\S+) \S+ 0 0$", out, re.M)}
    assert {("rootfs", "/", "rootfs"), ("proc", "/proc", "proc"), ("sysfs", "/sys", "sysfs"),
            ("devtmpfs", "/dev", "devtmpfs")} <= mounts, out


def test_fdtdump(k, tmp_path):
    dtb = tmp_path / "guest.dtb"
    out = k.cmd(f"lx-fdtdump {dtb}")
    assert f"Dumped fdt blob to {dtb}" in out, out
    p = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", str(dtb)],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    dts = p.stdout
    assert 'model = "minivmm";' in dts, dts
    assert f'bootargs = "{APPEND}";' in dts, dts
    assert "reg = <0x00 0x40000000 0x00 0x20000000>;" in dts, dts  # -m 512M
    assert "cpu@0 {" in dts and "cpu@1 {" in dts and "cpu@2 {" not in dts, dts


def test_lx_current_per_cpu_task_by_pid_on_every_vcpu(k):
    k.all_vcpus_in_kernel()
    for thread in (1, 2):
        cpu = thread - 1
        k.cmd(f"thread {thread}")
        m = re.search(r'= "([^"\\]+)', k.cmd("p $lx_current().comm"))
        assert m, k.gdb.log[-1]
        comm = m.group(1)
        pid = int(k.py('field("$lx_current()", "pid")'))
        assert int(k.py('field("$lx_current()", "thread_info", "cpu")')) == cpu
        if pid:
            assert k.gdb.value(f"&$lx_task_by_pid({pid}) == &$lx_current()") == 1
            assert f'"{comm}"' in k.cmd(f"p $lx_task_by_pid({pid}).comm")
        else:
            assert comm == f"swapper/{cpu}"  # the idle task: pid 0 on every CPU
        # without a CPU, $lx_per_cpu takes gdb's thread number - 1
        assert k.gdb.value('$lx_per_cpu("runqueues").cpu') == cpu
        assert k.gdb.value('$lx_per_cpu("runqueues").curr == &$lx_current()') == 1
    k.cmd("thread 1")
    assert k.gdb.value('$lx_per_cpu("runqueues", 1).cpu') == 1
    assert k.gdb.value('$lx_per_cpu("runqueues", 0).cpu') == 0
    assert re.search(r'= "init", ', k.cmd("p $lx_task_by_pid(1).comm")), k.gdb.log[-1]
    assert k.gdb.value("$lx_task_by_pid(1).comm[0]") == ord("i")


def test_break_by_name_makes_two_locations_and_both_work(k):
    # -fpatchable-function-entry=2: two NOPs (ftrace's `mov x9, x30; nop`) that the line
    # table gives to the function before, then the body; gdb plants both.
    out = k.cmd('break do_sys_openat2 if $_streq((char *)$x1, "/proc/version")')
    assert "(2 locations)" in out, out
    num = k.bp_number(out)
    locs = k.locations(num)
    assert sorted(locs) == [f"{num}.1", f"{num}.2"], k.gdb.log[-1]
    first, body = locs[f"{num}.1"], locs[f"{num}.2"]
    assert body == first + 8, k.gdb.log[-1]
    assert re.search(rf"^{num}\.2 .* in do_sys_openat2 at fs/open\.c:\d+$",
                     k.gdb.log[-1], re.M), k.gdb.log[-1]
    out = k.cmd("continue", timeout=CONT)
    assert re.search(rf"hit Breakpoint {num}\.1, 0x0*{first:x} in do_sys_openat2 \(\)",
                     out), out
    assert k.gdb.value("$pc") == first
    assert "No symbol table info available." in k.cmd("info args")  # not in scope yet
    k.cmd("stepi")
    out = k.cmd("stepi")
    assert k.gdb.value("$pc") == body
    assert 'do_sys_openat2 (dfd=-100, filename=0x' in out, out
    assert '"/proc/version"' in k.cmd("info args")
    # and a stop at the body's own breakpoint
    k.cmd(f"disable {num}.1")
    out = k.cmd("continue", timeout=CONT)
    assert re.search(rf"hit Breakpoint {num}\.2, do_sys_openat2 \(dfd=-100, filename=0x"
                     r'[0-9a-f]+ "/proc/version"', out), out
    assert k.gdb.value("$pc") == body
    k.cmd(f"delete {num}")


def test_source_level_session_in_the_open_path(k):
    out = k.stop_in_open("/proc/version")  # cat's open(): it does not sleep
    bt = k.cmd("bt")
    assert re.search(r"^#0\s+do_sys_openat2 \(dfd=-100, filename=0x", bt), bt
    for f in ["__arm64_sys_openat", "invoke_syscall", "el0_svc", "el0t_64_sync"]:
        assert f" {f} (" in bt, (f, bt)
    args = k.cmd("info args")
    assert re.search(r'^dfd = -100\nfilename = 0x[0-9a-f]+ "/proc/version"\nhow = 0x',
                     args), args
    assert re.search(r"^op = \{open_flag = ", k.cmd("info locals"), re.M), k.gdb.log[-1]
    # filename is a user pointer: gdb reads it through the task's TTBR0
    uptr = k.gdb.value("filename")
    assert uptr < 1 << 48
    assert re.search(r'^0x[0-9a-f]+:\s+"/proc/version"$', k.cmd("x/s filename"), re.M)
    thread = int(k.py("gdb.selected_thread().num"))
    out = k.cmd(f"monitor translate {uptr:#x} {thread - 1}")
    assert "TTBR0_EL1" in out and "=> PA 0x" in out, out
    assert re.search(r"^\$\d+ = \{flags = \d+, mode = 0, resolve = 0\}$",
                     k.cmd("p *how"), re.M), k.gdb.log[-1]
    assert '"cat"' in k.cmd("p $lx_current().comm")
    pid = int(k.py('field("$lx_current()", "pid")'))

    # advance to the getname() call, step into it, finish out of it
    line = int(k.py('call_line("do_sys_openat2", "getname")'))
    k.cmd(f"advance {line}", timeout=CONT)
    assert k.where() == ("do_sys_openat2", f"fs/open.c:{line}")
    out = k.cmd("step")
    assert re.search(r'^getname \(filename=0x[0-9a-f]+ "/proc/version"\) at fs/namei\.c:\d+',
                     out, re.M), out
    out = k.cmd("finish", timeout=CONT)
    assert "Run till exit from #0  getname (" in out, out
    m = re.search(r"^Value returned is (\$\d+) = \(struct filename \*\) 0x", out, re.M)
    assert m and k.where()[0] == "do_sys_openat2", out
    out = k.cmd(f"p *{m.group(1)}")
    assert re.search(r'\{name = 0x[0-9a-f]+ "/proc/version", uptr = (0x[0-9a-f]+)', out), out
    assert int(re.search(r"uptr = (0x[0-9a-f]+)", out).group(1), 16) == uptr

    # advance to the do_filp_open() call, next over it (gdb plants a breakpoint where it
    # returns), until the line after; IS_ERR() and the like are lines of include/linux
    line = int(k.py('call_line("do_sys_openat2", "do_filp_open")'))
    k.cmd(f"advance {line}", timeout=CONT)
    assert k.where() == ("do_sys_openat2", f"fs/open.c:{line}")
    places = [k.where_pc()]
    k.cmd("next", timeout=CONT)
    places.append(k.where_pc())
    k.cmd("until", timeout=CONT)
    places.append(k.where_pc())
    assert [f for f, _, _ in places] == ["do_sys_openat2"] * 3, places
    assert places[0][1] != places[1][1] != places[2][1], places
    assert places[0][2] < places[1][2] < places[2][2], places
    assert int(k.py('field("$lx_current()", "pid")')) == pid

    # and out of the system call's worker: cat's fd
    out = k.cmd("finish", timeout=CONT)
    assert "Run till exit from #0  do_sys_openat2 (dfd=-100" in out, out
    m = re.search(r"^Value returned is \$\d+ = (-?\d+)$", out, re.M)
    assert m and 0 <= int(m.group(1)) < 1024, out
    assert k.where()[0] in ("__arm64_sys_openat", "do_sys_open", "__do_sys_openat",
                            "__se_sys_openat"), out


def test_watch_a_kernel_variable_the_open_path_changes(k):
    # root_user.pipe_bufs counts the pipe buffers root's pipes hold: opening a FIFO with
    # no pipe yet allocates one (fifo_open -> alloc_pipe_info: +16) and the last close
    # frees it (-16). The workload does both with its two FIFOs on every iteration.
    out = k.cmd("watch root_user.pipe_bufs.counter")
    assert re.search(r"^Hardware watchpoint (\d+): root_user\.pipe_bufs\.counter$", out,
                     re.M), out
    num = k.bp_number(out)
    seen_open = False
    for _ in range(6):
        out = k.cmd("continue", timeout=CONT)
        assert f"hit Hardware watchpoint {num}: root_user.pipe_bufs.counter" in out, out
        m = re.search(r"Old value = (-?\d+)\nNew value = (-?\d+)", out)
        assert m and abs(int(m.group(2)) - int(m.group(1))) == 16, out
        assert k.gdb.value("root_user.pipe_bufs.counter") == int(m.group(2))
        bt = k.cmd("bt 16")
        assert " account_pipe_buffers (user=" in bt, bt
        if " fifo_open (" in bt:
            assert " alloc_pipe_info (" in bt and " do_sys_openat2 (" in bt, bt
            seen_open = True
            break
    k.cmd(f"delete {num}")
    assert seen_open, "no watchpoint hit in fifo_open in 6 changes"


def test_thread_apply_all_bt(k):
    k.all_vcpus_in_kernel()
    out = k.cmd("thread apply all bt")
    parts = re.split(r"^Thread (\d) \(Thread \d \(CPU#(\d) [^)]*\)\):$", out, flags=re.M)
    found = {int(parts[i]): (int(parts[i + 1]), parts[i + 2]) for i in range(1, len(parts), 3)}
    assert sorted(found) == [1, 2], out
    for thread, (cpu, bt) in found.items():
        assert cpu == thread - 1, out
        frames = re.findall(r"^#(\d+)\s+(?:0x[0-9a-f]+ in )?(\S+) \(", bt, re.M)
        assert len(frames) >= 3, bt
        assert [int(n) for n, _ in frames] == list(range(len(frames))), bt
        assert all(re.fullmatch(r"[A-Za-z_][\w.]*", f) for _, f in frames), bt


def test_ctrl_c_while_a_finish_waits_on_the_other_vcpu(k):
    """vCPU threads: a finish out of the sleeper's open() of the FIFO waits for the return
    on the vCPU it began on (the task wakes on the other one), while gdb steps the other
    vCPU over its return breakpoint again and again. Ctrl-C then stops the guest cleanly:
    the stop names a vCPU gdb let run (gdb 13 died in finish_step_over when it named a
    held one). Three tries; each ends at a prompt with both vCPUs stopped."""
    import pexpect
    from gdbtools import PROMPT
    interrupted = 0
    for _ in range(3):
        k.stop_in_open("/tmp/kdebug.fifo")
        k.gdb.p.sendline("finish")
        k.gdb.p.expect_exact("Run till exit")
        if k.gdb.p.expect_exact([PROMPT, pexpect.TIMEOUT], timeout=1.5) == 1:
            out = k.gdb.interrupt(timeout=60)
            interrupted += 1
        else:
            out = k.gdb.p.before
        assert "internal-error" not in out and "Assertion" not in out, out
        out = k.cmd("info threads")
        assert re.search(r"Thread 1 \(CPU#0 \[stopped\]", out), out
        assert re.search(r"Thread 2 \(CPU#1 \[stopped\]", out), out
    print(f"Ctrl-C: {interrupted} of 3 finishes were still waiting")


DRGN_SCRIPT = r'''
import json, sys
import drgn
from drgn.helpers.linux.pid import for_each_task
from drgn.helpers.linux.percpu import per_cpu
from drgn.helpers.linux.printk import get_dmesg

prog = drgn.Program()
prog.set_core_dump(sys.argv[1])
prog.load_debug_info([sys.argv[2]])
tasks = {int(t.pid): t.comm.string_().decode() for t in for_each_task(prog)}
def frames(task):
    return [f.name for f in prog.stack_trace(task) if f.name]
print(json.dumps({
    "comm": prog["init_task"].comm.string_().decode(),
    "release": prog["init_uts_ns"].name.release.string_().decode(),
    "tasks": tasks,
    "init": frames(1),
    "curr": [[int(t.pid), frames(t)] for t in
             (per_cpu(prog["runqueues"], c).curr for c in (0, 1))],
    "dmesg": get_dmesg(prog).decode(errors="replace")[-4000:],
}))
'''


def core_cpus(path):
    """(pr_pid, exception level) of each NT_PRSTATUS note of an ELF core, in order."""
    import struct
    with open(path, "rb") as f:
        eh = f.read(64)
        phoff, = struct.unpack_from("<Q", eh, 32)
        f.seek(phoff)
        _, _, off, _, _, size, _, _ = struct.unpack("<IIQQQQQQ", f.read(56))  # PT_NOTE first
        f.seek(off)
        notes = f.read(size)
    cpus, i = [], 0
    while i + 12 <= len(notes):
        namesz, descsz, typ = struct.unpack_from("<III", notes, i)
        desc = i + 12 + (namesz + 3) // 4 * 4
        if typ == 1 and notes[i + 12:i + 16] == b"CORE":
            # arm64 elf_prstatus: pr_pid at 32, pr_reg (x0-x30, sp, pc, pstate) at 112
            pid, = struct.unpack_from("<i", notes, desc + 32)
            pstate, = struct.unpack_from("<Q", notes, desc + 112 + 33 * 8)
            cpus.append((pid, (pstate >> 2) & 3))
        i = desc + (descsz + 3) // 4 * 4
    return cpus


def test_dump_guest_memory_for_drgn_and_crash(k, tmp_path):
    """monitor dump-guest-memory while gdb holds the guest: the whole machine as an ELF
    core that Debian's drgn and crash read with the real vmlinux, no option and no guest
    driver for its VMCOREINFO; each CPU's NT_PRSTATUS has the pid of the task it runs."""
    import json
    import subprocess
    from conftest import KDEBUG_VMLINUX
    k.stop_in_open("/tmp/kdebug.fifo")
    ps = k.cmd("lx-ps")
    gdb_tasks = {int(m.group(1)): m.group(2)
                 for m in re.finditer(r"^0x[0-9a-f]+\s+(\d+)\s+(\S.*)$", ps, re.M)}
    out = k.cmd("monitor dump-guest-memory /tmp/kdebug.core", timeout=300)
    m = re.search(r"^wrote /tmp/kdebug.core: (\d+) MiB, 2 vCPUs, Linux (\S+) with its "
                  r"VMCOREINFO, pids of 2 of the CPUs' tasks, in ([\d.]+) s$", out, re.M)
    assert m, out
    assert int(m.group(1)) == 512, out
    core = str(tmp_path / "kdebug.core")
    k.mv.host.fetch("/tmp/kdebug.core", core)
    k.mv.host.run("rm -f /tmp/kdebug.core")
    # the guest goes on under gdb as before
    out = k.cmd("stepi")
    assert "do_sys_openat2" in k.cmd("bt 2"), out

    env = dict(os.environ, DRGN_USE_LIBKDUMPFILE_FOR_ELF="1")
    p = subprocess.run(["/usr/bin/python3", "-c", DRGN_SCRIPT, core, KDEBUG_VMLINUX], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    print({key: v for key, v in d.items() if key != "dmesg"})
    assert d["comm"] == "swapper/0"
    assert d["release"] == m.group(2)
    assert {pid: comm for pid, comm in d["tasks"].items()} == \
        {str(pid): comm for pid, comm in gdb_tasks.items() if pid}, (d["tasks"], ps)
    # each CPU's NT_PRSTATUS names the task drgn finds on that CPU's runqueue, whose stack
    # drgn then unwinds from the note's registers: one of them stopped in the open; a CPU
    # that was in user space (init, the mover, runs a shell loop) has no kernel frames
    cpus = core_cpus(core)
    assert [pid for pid, _ in cpus] == [pid for pid, _ in d["curr"]], (cpus, d["curr"])
    for (pid, el), (_, frames) in zip(cpus, d["curr"]):
        assert bool(frames) == (el == 1), (cpus, d["curr"])
    # pid 1 is in a system call unless it is the task of a CPU in user space
    if (1, 0) not in cpus:
        assert "el0_svc" in d["init"], (cpus, d["init"])
    assert any(frames[:1] == ["do_sys_openat2"] for _, frames in d["curr"]), d["curr"]
    assert "Run /init as init process" in d["dmesg"], d["dmesg"]

    crash = os.path.join(os.path.dirname(__file__), "tools", "crash-arm64")
    p = subprocess.run([crash, "-s", KDEBUG_VMLINUX, core], input="sys\nbt -a\nlog\nquit\n",
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    print(p.stdout[-6000:])
    assert re.search(r"RELEASE: " + re.escape(m.group(2)), p.stdout), p.stdout
    assert re.search(r"CPUS: 2\b", p.stdout), p.stdout
    assert re.search(r"MEMORY: 512 MB", p.stdout), p.stdout
    assert len(re.findall(r"^PID: \d+\s+TASK: \S+\s+CPU: [01]\s", p.stdout, re.M)) == 2, p.stdout
    assert re.search(r"^ #0 \[\w+\] do_sys_openat2 at ", p.stdout, re.M), p.stdout
    assert "Run /init as init process" in p.stdout, p.stdout
