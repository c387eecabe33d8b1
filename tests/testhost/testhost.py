# SPDX-License-Identifier: GPL-3.0-or-later
"""The arm64 test host: where everything that needs /dev/kvm runs.

On an x86-64 machine it is an emulated arm64 computer (QEMU TCG with EL2, Debian's
arm64 kernel, whose KVM comes up) booted from an initramfs that holds busybox,
minivmm, the test guests and any extra files; on an arm64 machine with a usable
/dev/kvm it is the machine itself. Either way the files sit in one folder, and
commands run there.

Two ways to use it:
  run_once(argv)  boot, run one command with the console on our stdio, power off
                  and return the command's exit status (tests/testhost/run);
  TestHost()      boot once and run many commands, each returning its status and
                  output (the pytest fixture in tests/conftest.py); TestHost.tty()
                  runs one with the console as its terminal, to type into.
"""
import base64
import os
import platform
import re
import secrets
import select
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("O", os.path.join(TOP, "build"))
if not os.path.isabs(BUILD):
    BUILD = os.path.join(TOP, BUILD)
DL = os.path.join(BUILD, "dl")
WORK = os.path.join(BUILD, "testhost")
# virtio-net for the forwarded ports (gdb's, the agent's), virtio-blk for fetch()'s
# disk (init loads them)
NET_MODULES = ["failover", "net_failover", "virtio_pci_legacy_dev",
               "virtio_pci_modern_dev", "virtio_pci", "virtio_net", "virtio_blk"]
GUEST_PORT = 1234  # the port forwarded from the x86 side
AGENT_PORT = 1235  # the agent's, forwarded too (init)
FETCH_SIZE = 1 << 30  # the disk fetch() brings files out on (sparse)
BOOT_TIMEOUT = 300


class TestHostError(Exception):
    pass


# The sanitizer build (make SANITIZE=1, docs/reliability.md) is linked dynamically, and the
# test host has no C library: it ships with its loader, glibc and runtimes in san-rt/, which
# SAN_SETUP links to where the loader and the libraries are on any arm64 Debian system.
SAN_EXE = os.path.join(BUILD, "minivmm-san")
SAN_RT = os.path.join(BUILD, "san-rt")
SAN_SETUP = """mkdir -p /lib/aarch64-linux-gnu && \
ln -sf "$PWD/san-rt/ld-linux-aarch64.so.1" /lib/ld-linux-aarch64.so.1 && \
for f in "$PWD"/san-rt/*.so*; do ln -sf "$f" /lib/aarch64-linux-gnu/ || exit 1; done"""


def is_native():
    """An arm64 machine whose /dev/kvm we may use: no emulation needed."""
    return platform.machine() == "aarch64" and os.access("/dev/kvm", os.R_OK | os.W_OK)


def free_port():
    """A TCP port free on 127.0.0.1 now (two test runs can share a machine)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def payload_files(adds=(), san=False, exe=None):
    """{name in the test host's folder: path here}: minivmm (exe if given), guests/,
    tools/ (the tests' helpers, `make tools`), extra files; with san, minivmm-san and
    its runtime in san-rt/ too."""
    files = {"minivmm": exe or os.path.join(BUILD, "minivmm")}
    if san:
        files["minivmm-san"] = SAN_EXE
        if not os.path.isdir(SAN_RT):
            raise TestHostError(f"missing {SAN_RT}: run make {SAN_RT}/.stamp first")
        for name in sorted(os.listdir(SAN_RT)):
            if not name.startswith("."):
                files["san-rt/" + name] = os.path.join(SAN_RT, name)
    for sub in ("guests", "tools"):
        gdir = os.path.join(BUILD, sub)
        if os.path.isdir(gdir):
            for name in sorted(os.listdir(gdir)):
                path = os.path.join(gdir, name)
                if os.path.isfile(path) and not name.endswith((".o", ".d")):
                    files[sub + "/" + name] = path
    for add in adds:
        if not os.path.exists(add):
            raise TestHostError(f"--add {add}: no such file")
        base = os.path.basename(add.rstrip("/"))
        if os.path.isdir(add):  # a folder ships as a tree of its files (empty folders too)
            for dirpath, dirs, names in os.walk(add):
                rel = os.path.join(base, os.path.relpath(dirpath, add))
                for n in names + [d for d in dirs if not os.listdir(os.path.join(dirpath, d))]:
                    files[os.path.normpath(os.path.join(rel, n))] = \
                        os.path.abspath(os.path.join(dirpath, n))
        else:
            files[base] = os.path.abspath(add)
    missing = [p for p in files.values() if not os.path.exists(p)]
    if missing:
        raise TestHostError(f"missing {missing[0]}: run make first")
    return files


def _cpio(root, out, dereference=False):
    names = subprocess.run(["find", "."], cwd=root, check=True, stdout=subprocess.PIPE).stdout
    cmd = ["cpio", "--quiet", "-o", "-H", "newc", "-R", "0:0"] + (["-L"] if dereference else [])
    with open(out, "wb") as f:
        subprocess.run(cmd, cwd=root, input=names, stdout=f, check=True)
    if os.path.getsize(out) < 512:
        raise TestHostError(f"{out}: cpio wrote an empty archive")


def _newer(target, sources):
    if not os.path.exists(target):
        return False
    t = os.path.getmtime(target)
    return all(os.path.getmtime(s) <= t for s in sources)


def base_image():
    """busybox, /init and the network modules: rebuilt only when they change."""
    out = os.path.join(WORK, "base.cpio")
    init = os.path.join(TOP, "tests", "testhost", "init")
    agent = os.path.join(TOP, "tests", "testhost", "agent")
    busybox = os.path.join(DL, "busybox")
    modules = {}
    for dirpath, _, names in os.walk(os.path.realpath(os.path.join(DL, "modules"))):
        for n in names:
            if n.endswith(".ko") and n[:-3] in NET_MODULES:
                modules[n[:-3]] = os.path.join(dirpath, n)
    if len(modules) != len(NET_MODULES):
        raise TestHostError("kernel modules missing: run tests/testhost/deps.sh")
    sources = [init, agent, busybox, __file__] + list(modules.values())
    if _newer(out, sources):
        return out
    root = os.path.join(WORK, "base")
    shutil.rmtree(root, ignore_errors=True)
    for d in ("bin", "sbin", "usr/bin", "usr/sbin", "dev", "proc", "sys", "tmp",
              "lib/modules", "t"):
        os.makedirs(os.path.join(root, d))
    shutil.copy(busybox, os.path.join(root, "bin", "busybox"))
    shutil.copy(init, os.path.join(root, "init"))
    os.chmod(os.path.join(root, "init"), 0o755)
    shutil.copy(agent, os.path.join(root, "agent"))
    for name, path in modules.items():
        shutil.copy(path, os.path.join(root, "lib", "modules", name + ".ko"))
    _cpio(root, out)
    return out


def make_initrd(files, command=None):
    """base.cpio followed by a second archive with /t: the kernel unpacks both."""
    os.makedirs(WORK, exist_ok=True)
    base = base_image()
    stage = tempfile.mkdtemp(prefix="payload-", dir=WORK)
    try:
        t = os.path.join(stage, "t")
        for name, path in files.items():
            dest = os.path.join(t, name)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            os.symlink(path, dest)
        if command is not None:
            with open(os.path.join(t, ".cmd"), "w") as f:
                f.write(command + "\n")
        payload = os.path.join(stage, "payload.cpio")
        _cpio(stage, payload, dereference=True)
        fd, initrd = tempfile.mkstemp(prefix="initrd-", suffix=".cpio", dir=WORK)
        with os.fdopen(fd, "wb") as out:
            for part in (base, payload):
                with open(part, "rb") as f:
                    shutil.copyfileobj(f, out, 1 << 20)
        return initrd
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def console_log(token):
    """Where an agent-mode test host's PL011 (the kernel's console) writes."""
    return os.path.join(WORK, f"console-{token}.log")


def log_tail(token, n=3000):
    try:
        with open(console_log(token), "rb") as f:
            return f.read()[-n:].decode(errors="replace")
    except OSError:
        return "(the console is the stream above)"


def qemu_argv(initrd, mode, token, gdb_port=None, fetch_disk=None, agent_port=None):
    append = f"console=ttyAMA0 quiet loglevel=1 nokaslr th.mode={mode} th.token={token}"
    # pauth-impdef: QEMU's own cheap PAC algorithm instead of QARMA, which TCG computes at
    # every signed call and return of both kernels (the test host's and, now that vCPUs get
    # pointer authentication, the guest's): Linux boots under minivmm in 4.5 s, not 12.3 s
    argv = ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3",
            "-cpu", "max,pauth-impdef=on", "-smp", "2", "-m", "2048",
            "-accel", "tcg,thread=multi",
            "-nodefaults", "-display", "none", "-monitor", "none", "-no-reboot",
            "-chardev", "stdio,id=con,signal=off",
            "-kernel", os.path.join(DL, "Image"), "-initrd", initrd]
    argv += ["-serial", "chardev:con"]
    if gdb_port:
        append += " th.net=1"
        fwd = f"hostfwd=tcp:127.0.0.1:{gdb_port}-:{GUEST_PORT}"
        if agent_port:
            fwd += f",hostfwd=tcp:127.0.0.1:{agent_port}-:{AGENT_PORT}"
        argv += ["-netdev", "user,id=n0,restrict=on," + fwd,
                 "-device", "virtio-net-pci,netdev=n0,romfile="]
    if fetch_disk:
        argv += ["-drive", f"file={fetch_disk},format=raw,if=none,id=fd0,cache=unsafe",
                 "-device", "virtio-blk-pci,drive=fd0,romfile="]
    return argv + ["-append", append]


class _Stream:
    """Bytes from QEMU's stdout, read as they come."""

    def __init__(self, fd):
        self.fd = fd
        self.buf = b""

    def fill(self, deadline):
        """Read what comes next into buf (at least one byte)."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise TestHostError("timed out; the test host said:\n"
                                + self.buf[-3000:].decode(errors="replace"))
        r, _, _ = select.select([self.fd], [], [], left)
        if r:
            chunk = os.read(self.fd, 65536)
            if not chunk:
                raise TestHostError("test host ended; it said:\n"
                                    + self.buf[-3000:].decode(errors="replace"))
            self.buf += chunk

    def read_until(self, marker, deadline, sink=None):
        """Data before marker (consumed with it). sink, if given, gets the data as
        it streams, less a tail that could be the start of the marker."""
        while True:
            i = self.buf.find(marker)
            if i >= 0:
                data, self.buf = self.buf[:i], self.buf[i + len(marker):]
                if sink:
                    sink(data)
                return data
            if sink:
                # Hold back only what could be the start of the marker.
                keep = next((k for k in range(min(len(marker) - 1, len(self.buf)), 0, -1)
                             if self.buf.endswith(marker[:k])), 0)
                if len(self.buf) > keep:
                    sink(self.buf[:len(self.buf) - keep])
                    self.buf = self.buf[len(self.buf) - keep:]
            left = deadline - time.monotonic() if deadline else None
            if left is not None and left <= 0:
                raise TestHostError(f"timed out waiting for {marker!r}; the test host said:\n"
                                    + self.buf[-3000:].decode(errors="replace"))
            r, _, _ = select.select([self.fd], [], [], left)
            if not r:
                continue
            chunk = os.read(self.fd, 65536)
            if not chunk:
                raise TestHostError(f"test host ended before {marker!r}; it said:\n"
                                    + self.buf[-3000:].decode(errors="replace"))
            self.buf += chunk


def run_once(argv, adds=(), gdb_port=None, timeout=None, san=False):
    """Boot, run argv in the folder holding minivmm and guests/ (and with san,
    minivmm-san ready to run), stream its output, power off. Returns argv's exit status."""
    files = payload_files(adds, san)
    command = shlex.join(argv)
    if san and not is_native():
        command = f"{SAN_SETUP} && {command}"
    if is_native():
        with tempfile.TemporaryDirectory(prefix="minivmm-testhost-") as d:
            for name, path in files.items():
                os.makedirs(os.path.dirname(os.path.join(d, name)), exist_ok=True)
                os.symlink(path, os.path.join(d, name))
            return subprocess.run(command, shell=True, cwd=d, timeout=timeout).returncode
    token = secrets.token_hex(6)
    initrd = make_initrd(files, command)
    try:
        proc = subprocess.Popen(qemu_argv(initrd, "run", token, gdb_port),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        stream = _Stream(proc.stdout.fileno())
        deadline = time.monotonic() + timeout if timeout else None
        out = sys.stdout.buffer

        def sink(data):
            out.write(data)
            out.flush()

        try:
            stream.read_until(f"@@TH-READY {token}@@\r\n".encode(),
                              time.monotonic() + BOOT_TIMEOUT)
            stream.read_until(f"@@TH-EXIT {token} ".encode(), deadline, sink)
            status = int(stream.read_until(b"@@", time.monotonic() + 10))
        except TestHostError as e:
            print(f"testhost: {e}", file=sys.stderr)
            status = 125
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        return status
    finally:
        os.unlink(initrd)


class _Channel:
    """One of the agent's two ways in (the console, the network): a command goes out,
    its output and its numbered end come back."""

    def __init__(self, name, stream, write):
        self.name = name
        self.stream = stream
        self.write = write


class TestHost:
    """One boot of the test host, serving many commands (pytest's session fixture).

    gdb_listen is what minivmm's --gdb must be given there, gdb_connect what gdb on
    this side connects to. Scripts go to the agent over TCP; the console's agent runs
    the terminal sessions (tty()) and answers for the other when it does not."""

    def __init__(self, adds=(), gdb_port=None, log=None, san=False, exe=None):
        self.san = san
        self.files = payload_files(adds, san, exe)
        self.native = is_native()
        self.gdb_port = gdb_port or free_port()
        self.fetch_disk = None
        self.log = log
        self.diagnosing = False
        self.seq = 0
        self.proc = None
        self.sock = None
        self.dir = None
        if self.native:
            self.gdb_listen = f"127.0.0.1:{self.gdb_port}"
        else:
            # The test host's user-mode NIC is only reachable through QEMU's
            # forward from 127.0.0.1 here, so listening on its address is safe.
            self.gdb_listen = f"10.0.2.15:{GUEST_PORT}"
        self.gdb_connect = f"127.0.0.1:{self.gdb_port}"

    def boot(self):
        if self.native:
            self.dir = tempfile.mkdtemp(prefix="minivmm-testhost-")
            for name, path in self.files.items():
                os.makedirs(os.path.dirname(os.path.join(self.dir, name)), exist_ok=True)
                os.symlink(path, os.path.join(self.dir, name))
            return
        self.token = secrets.token_hex(6)
        self.initrd = make_initrd(self.files)
        self.fetch_disk = os.path.join(WORK, f"fetch-{self.token}.img")
        with open(self.fetch_disk, "wb") as f:
            f.truncate(FETCH_SIZE)
        agent_port = free_port()
        self.proc = subprocess.Popen(qemu_argv(self.initrd, "agent", self.token, self.gdb_port,
                                               self.fetch_disk, agent_port),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        def to_console(data):
            self.proc.stdin.write(data)
            self.proc.stdin.flush()

        self.console = _Channel("console", _Stream(self.proc.stdout.fileno()), to_console)
        try:
            self.console.stream.read_until(f"@@TH-READY {self.token}@@".encode(),
                                           time.monotonic() + BOOT_TIMEOUT)
        except TestHostError as e:
            raise TestHostError(f"boot: {e}\nits console said:\n{log_tail(self.token)}") from None
        # The marker's line ending comes before raw mode took effect: skip it.
        self._run(self.console, "true", 60)
        self.net = self._connect(agent_port)
        if self.san:
            self.check(SAN_SETUP)

    def _connect(self, port):
        """The agent's TCP channel. QEMU accepts at once and drops the connection if
        nothing listens in the test host yet: try again until the agent greets."""
        deadline = time.monotonic() + 60
        hello = f"@@TH-NET {self.token}@@\n".encode()
        while True:
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            stream = _Stream(sock.fileno())
            try:
                stream.read_until(hello, min(deadline, time.monotonic() + 10))
                self.sock = sock
                return _Channel("network", stream, sock.sendall)
            except TestHostError as e:
                sock.close()
                if time.monotonic() >= deadline:
                    raise TestHostError(f"the agent's port: {e}") from None
                time.sleep(0.5)

    def run(self, script, timeout=120):
        """Run a shell script in the test host's folder; (status, output)."""
        if self.native:
            p = subprocess.run(["sh", "-c", script], cwd=self.dir, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=timeout)
            return p.returncode, p.stdout.decode(errors="replace")
        return self._run(self.net, script, timeout)

    def _run(self, chan, script, timeout):
        marker = self._send(chan, "run", script, timeout)
        try:
            out = chan.stream.read_until(marker, time.monotonic() + timeout + 30)
        except TestHostError as e:
            if self.diagnosing:
                raise
            raise TestHostError(f"{script.strip()[:200]!r}: {e}\n"
                                f"{self._diagnose(chan, marker)}") from None
        status = int(chan.stream.read_until(b"@@\n", time.monotonic() + 10))
        text = self.after_stale(out).decode(errors="replace")
        if self.log:
            self.log.write(f"$ {script}\n{text}[status {status}]\n")
            self.log.flush()
        return status, text

    def _send(self, chan, verb, script, timeout):
        """Send the agent a command; the marker its reply will end with."""
        self.seq += 1
        b64 = base64.b64encode(script.encode()).decode()
        chan.write(f"{verb} {b64} {int(timeout)} {self.seq}\n".encode())
        return f"@@TH-RC {self.token} {self.seq} ".encode()

    def after_stale(self, out):
        """out less what came before it: the end of a command the driver gave up on."""
        stale = f"@@TH-RC {self.token} ".encode()
        i = out.rfind(stale)
        if i < 0:
            return out
        j = out.find(b"@@\n", i + len(stale))
        return out[j + 3:] if j >= 0 else out

    def _diagnose(self, chan, marker):
        """After a script missed its deadline (the agent kills it at the deadline, so
        this means the test host or the channel stalled): wait a bounded time for its
        late end, then ask the other channel's agent what the test host is doing. Text
        for the error."""
        try:
            chan.stream.read_until(marker, time.monotonic() + 30)
            chan.stream.read_until(b"@@\n", time.monotonic() + 10)
            late = "the script ended late"
        except TestHostError:
            late = f"no end on the {chan.name} in a further 30 s either"
        other = self.console if chan is self.net else self.net
        self.diagnosing = True
        try:
            _, out = self._run(other, "uptime; ps | grep -v ' \\['; dmesg | tail -20", 30)
        except TestHostError as e:
            return f"{late}; asking on the {other.name} failed too: {e}"
        finally:
            self.diagnosing = False
        return f"{late}; the {other.name}'s agent says:\n{out}"

    def fetch(self, path, dest, timeout=300):
        """Copy the test host's file path to dest here (a dump for crash and drgn), through
        a disk of its own (/dev/vda; the console and the network are far too slow for
        hundreds of MiB). Its size, checked."""
        size = int(self.check(f"stat -c %s {path}"))  # no read of hundreds of MiB
        if self.native:
            shutil.copy(os.path.join(self.dir, path), dest)
            return size
        if size > FETCH_SIZE:
            raise TestHostError(f"fetch {path}: {size} bytes, more than the disk holds")
        self.check(f"dd if={path} of=/dev/vda bs=1M conv=fsync 2>/dev/null", timeout=timeout)
        with open(self.fetch_disk, "rb") as src, open(dest, "wb") as out:
            left = size
            while left:
                chunk = src.read(min(left, 1 << 24))
                if not chunk:
                    raise TestHostError(f"fetch {path}: the disk ends before {size} bytes")
                out.write(chunk)
                left -= len(chunk)
        return size

    def tty(self, script, timeout=120):
        """Start a shell script whose stdin and stdout are the test host's console, a real
        terminal (the PL011; raw, no echo, as the agent leaves it): a TtySession to type
        into and read from, until its wait()."""
        if self.native:
            return _NativeTty(self, script, timeout)
        marker = self._send(self.console, "tty", script, timeout)
        return TtySession(self, script, marker, time.monotonic() + timeout + 30)

    def check(self, script, timeout=120):
        """run(), raising if the script fails; its output."""
        status, out = self.run(script, timeout)
        if status != 0:
            raise TestHostError(f"{script!r} exited {status}:\n{out}")
        return out

    def close(self):
        if self.native:
            if self.dir:
                shutil.rmtree(self.dir, ignore_errors=True)
            return
        if self.sock:
            self.sock.close()
        if self.proc and self.proc.poll() is None:
            try:
                self.proc.stdin.write(b"run cG93ZXJvZmYgLWYK 10\n")  # poweroff -f
                self.proc.stdin.flush()
                self.proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        token = getattr(self, "token", None)
        for path in (getattr(self, "initrd", None), self.fetch_disk,
                     token and console_log(token)):
            if path and os.path.exists(path):
                os.unlink(path)


class TtySession:
    """A script running on the test host's console (TestHost.tty()): send() types,
    expect() reads up to a pattern, wait() gives the exit status and the rest."""

    def __init__(self, host, script, marker, deadline):
        self.host = host
        self.deadline = deadline
        self.marker = marker
        self.transcript = [f"$ (tty) {script}\n"]

    def send(self, keys):
        self.transcript.append(f"<<{keys!r}>>")
        self.host.console.write(keys.encode() if isinstance(keys, str) else keys)

    def expect(self, pattern, timeout=60):
        """Output up to and including the first match of the regular expression
        pattern (str); raises TestHostError if the script ends or time runs out."""
        st = self.host.console.stream
        deadline = min(self.deadline, time.monotonic() + timeout)
        rx = re.compile(pattern.encode())
        while True:
            m = rx.search(st.buf)
            if m:
                out, st.buf = st.buf[:m.end()], st.buf[m.end():]
                self._log(out)
                return out.decode(errors="replace")
            if self.marker in st.buf:
                self._log(st.buf)
                raise TestHostError(f"script ended before {pattern!r}:\n"
                                    + st.buf.decode(errors="replace")[-3000:])
            try:
                st.fill(deadline)
            except TestHostError:
                self._log(st.buf)
                raise TestHostError(f"no {pattern!r} in time; got:\n"
                                    + st.buf.decode(errors="replace")[-3000:])

    def wait(self, timeout=60):
        """(status, output) once the script has ended."""
        st = self.host.console.stream
        deadline = min(self.deadline, time.monotonic() + timeout)
        out = st.read_until(self.marker, deadline)
        status = int(st.read_until(b"@@\n", time.monotonic() + 10))
        self._log(out)
        # Keys the script left unread would prefix the agent's next line: end them.
        self.host.console.write(b"\n")
        if self.host.log:
            self.host.log.write("".join(self.transcript) + f"[status {status}]\n")
            self.host.log.flush()
        return status, out.decode(errors="replace")

    def _log(self, data):
        self.transcript.append(data.decode(errors="replace"))


class _NativeTty:
    """TtySession on an arm64 machine: the script on a pseudo-terminal of our own."""

    def __init__(self, host, script, timeout):
        import pexpect
        self.pexpect = pexpect
        self.host = host
        self.p = pexpect.spawn("sh", ["-c", "stty raw -echo; " + script], cwd=host.dir,
                               timeout=timeout)
        self.transcript = [f"$ (tty) {script}\n"]

    def send(self, keys):
        self.transcript.append(f"<<{keys!r}>>")
        self.p.send(keys)

    def expect(self, pattern, timeout=60):
        try:
            self.p.expect(pattern.encode(), timeout=timeout)
        except (self.pexpect.EOF, self.pexpect.TIMEOUT):
            raise TestHostError(f"no {pattern!r}; got:\n"
                                + self.p.before.decode(errors="replace")[-3000:])
        out = (self.p.before + self.p.after).decode(errors="replace")
        self.transcript.append(out)
        return out

    def wait(self, timeout=60):
        self.p.expect(self.pexpect.EOF, timeout=timeout)
        out = self.p.before.decode(errors="replace")
        self.p.close()
        self.transcript.append(out)
        return self.p.exitstatus if self.p.exitstatus is not None else 128, out
