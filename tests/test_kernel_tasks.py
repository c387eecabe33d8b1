# SPDX-License-Identifier: GPL-3.0-or-later
"""gdb's threads as the kernel's tasks (--gdb-threads tasks; issue 13, item 3;
docs/kernel-debugging.md): the real gdb-multiarch and the real vmlinux against the
kernel-debugging guest, whose sleeper task sleeps in open() of a FIFO and wakes up on the
other vCPU each time. A thread is a task (its id the pid), so what gdb ties to a thread
follows the task from CPU to CPU: finish and next over a call that sleeps come back to the
same task every time. Tasks that are not on a CPU are threads too, with the registers
cpu_switch_to saved; they cannot run alone (a clear error), and the vCPUs stay reachable.
The kernel's own gdb scripts (lx-ps) are the oracle for the task list."""
import re
import time

import pytest

from conftest import kdebug_session

APPEND = "console=ttyAMA0 quiet nokaslr kdebug.delay=50"
CONT = 60
SHADOW0 = 0xfffffffe  # CPU n's idle task (pid 0 on every CPU): 0xfffffffe - n, as KGDB

HELPERS = r'''
import gdb

def where():
    f = gdb.selected_frame()
    sal = f.find_sal()
    return "%s %d %d %d" % (f.name(), sal.line, gdb.selected_thread().ptid[1],
                            gdb.selected_thread().num)
'''


class Session:
    def __init__(self, mv, gdb, sleeper):
        self.mv, self.gdb, self.sleeper = mv, gdb, sleeper

    def cmd(self, line, timeout=None):
        return self.gdb.cmd(line, timeout=timeout)

    def where(self):
        """(function, line, thread id) of the selected frame and thread."""
        func, line, tid, _ = self.cmd("python print(where())").split()
        return func, int(line), int(tid)

    def threads(self):
        """{thread id: extra info} from info threads."""
        out = self.cmd("info threads")
        return {int(m.group(1)): m.group(2)
                for m in re.finditer(r"^\*?\s+\d+\s+Thread (\d+) \((.*?)\)\s", out, re.M)}

    def gdb_num(self, tid):
        out = self.cmd("info threads")
        m = re.search(rf"^\*?\s+(\d+)\s+Thread {tid} \(", out, re.M)
        assert m, out
        return int(m.group(1))

    def cpu_of(self, tid):
        info = self.threads()[tid]
        m = re.search(r"CPU#(\d+) \[", info)
        return int(m.group(1)) if m else None

    def stop_in_sleeper_open(self):
        """Stop in the sleeper's do_sys_openat2 (its body: the second location)."""
        out = self.cmd(f"break do_sys_openat2 thread {self.gdb_num(self.sleeper)}")
        num = int(re.search(r"^Breakpoint (\d+)", out, re.M).group(1))
        self.cmd(f"disable {num}.1")
        out = self.cmd("continue", timeout=CONT)
        self.cmd(f"delete {num}")
        assert re.search(rf"hit Breakpoint {num}\.2, do_sys_openat2 \(", out), out
        assert self.where()[2] == self.sleeper, out
        return out


@pytest.fixture(scope="module")
def s(host, tmp_path_factory):
    for mv, gdb, sleeper in kdebug_session(host, tmp_path_factory,
                                           f"-c 2 -m 512M --gdb-threads tasks "
                                           f"--append '{APPEND}'", "ktasks", HELPERS):
        # gdb's symbols (qSymbol) come after its first stop: tasks are threads from the next
        out = gdb.cmd("monitor threads")
        assert out.startswith("threads are vCPUs until the next stop (gdb's symbols came"), out
        gdb.cmd("stepi")
        yield Session(mv, gdb, sleeper)


@pytest.fixture(autouse=True)
def transcript(s):
    start = len(s.gdb.log)
    yield
    print("\n".join(s.gdb.log[start:]))


def test_threads_are_the_kernels_tasks(s):
    out = s.cmd("monitor threads")
    m = re.match(r"threads are tasks: (\d+) now", out)
    assert m, out
    threads = s.threads()
    assert len(threads) == int(m.group(1)), threads
    # the same tasks as the kernel's own scripts list
    ps = s.cmd("lx-ps")
    pids = {int(m.group(1)): m.group(2)
            for m in re.finditer(r"^0x[0-9a-f]+\s+(\d+)\s+(\S.*)$", ps, re.M)}
    assert {t for t in threads if t < SHADOW0 - 64} == {p for p in pids if p}, (threads, ps)
    for pid, comm in pids.items():
        if pid:
            assert threads[pid].startswith(f"{comm} pid {pid}, "), (pid, threads[pid])
    # each vCPU runs exactly one of them; CPU 0's idle task is thread 0xfffffffe
    on = [re.search(r"CPU#(\d+) \[stopped\]", i) for i in threads.values()]
    assert sorted(int(m.group(1)) for m in on if m) == [0, 1], threads
    assert threads[SHADOW0].startswith("swapper/0 pid 0, "), threads
    assert threads[SHADOW0 - 1].startswith("swapper/1 pid 0, "), threads
    assert re.search(r"not on a CPU \(last on CPU#[01]\)", threads[2]), threads  # kthreadd


def test_a_sleeping_task_has_its_saved_context(s):
    # the sleeper is asleep in open() almost always; if this stop caught it running, let
    # the guest run a moment and look again (a few times at most)
    for _ in range(10):
        if s.cpu_of(s.sleeper) is None:
            break
        s.gdb.p.sendline("continue")
        s.gdb.p.expect_exact("Continuing.")
        time.sleep(0.3)
        s.gdb.interrupt()
    else:
        pytest.fail("the sleeper ran at each of 10 stops: it should be asleep in open()")
    s.cmd(f"thread {s.gdb_num(s.sleeper)}")
    bt = s.cmd("bt")
    assert re.search(r"in (__switch_to|__schedule|schedule)", bt), bt
    # asleep in open() of the FIFO, or waiting for its cat: down to the syscall from EL0
    assert ("fifo_open" in bt and "do_sys_openat2" in bt) or "do_wait" in bt, bt
    assert "el0_svc" in bt, bt
    # $lx_current() names the selected task, as `current` would be if it ran
    assert s.gdb.value("$lx_current()->pid") == s.sleeper
    out = s.cmd("p $x0")
    assert "<unavailable>" in out, out
    out = s.cmd("set var $x19 = 1")
    assert "Could not" in out or "E01" in out or "rror" in out, out


def test_a_task_not_on_a_cpu_cannot_run_alone(s):
    s.cmd(f"thread {s.gdb_num(2)}")  # kthreadd sleeps
    assert s.cpu_of(2) is None
    out = s.cmd("stepi")
    assert "thread 2 (kthreadd, pid 2) is not on a CPU: it cannot step or run alone" in out, out
    # nothing ran, gdb and the monitor carry on
    assert "stopped" in s.cmd("monitor info cpus")
    running = [t for t, info in s.threads().items() if "[stopped]" in info]
    s.cmd(f"thread {s.gdb_num(running[0])}")
    out = s.cmd("stepi")
    assert "not on a CPU" not in out, out


def test_finish_out_of_a_sleeping_open_20_of_20(s):
    done = moved = 0
    for i in range(20):
        s.stop_in_sleeper_open()
        before = s.cpu_of(s.sleeper)
        out = s.cmd("finish", timeout=CONT)
        assert "Run till exit from" in out, out
        func, _, tid = s.where()
        assert tid == s.sleeper, (i, out)
        assert func in ("do_sys_open", "__do_sys_openat", "__arm64_sys_openat",
                        "__se_sys_openat"), (i, out)
        done += 1
        moved += s.cpu_of(s.sleeper) != before
    print(f"finish: {done} of 20 back in the sleeper, {moved} after moving to the other vCPU")
    assert done == 20
    assert moved >= 3, moved


def test_next_over_a_call_that_sleeps(s):
    line = int(s.cmd("python print(call_line('do_sys_openat2', 'do_filp_open'))"))
    moved = 0
    for done in range(5):
        s.stop_in_sleeper_open()
        out = s.cmd(f"advance {line}", timeout=CONT)
        # at the line, not in the caller: another task that meets the line's breakpoint
        # (gdb's, for this task only) is stepped off it, and the others, should they run
        # meanwhile, wait at it (docs/debugging.md, "SMP stays coherent")
        assert s.where() == ("do_sys_openat2", line, s.sleeper), (done, out)
        before = s.cpu_of(s.sleeper)
        out = s.cmd("next", timeout=CONT)
        func, at, tid = s.where()
        # the next line: 1321's IS_ERR(f), inlined from include/linux/err.h
        assert tid == s.sleeper and func == "do_sys_openat2" and at != line, (done, out)
        assert "do_filp_open" not in s.cmd("bt 1"), (done, out)
        moved += s.cpu_of(s.sleeper) != before
    print(f"next: 5 of 5 in the sleeper, {moved} after moving")
