# SPDX-License-Identifier: GPL-3.0-or-later
"""A real board (issue 3): Debian's arm64 kernel to its init and to a shell, the SMP,
timer, C, unbacked-MMIO and reset guests, the generated device tree, a tree of the
user's, and every bad input as one clear line; QEMU virt's RTC and virtio-mmio
transports as Linux sees them (issue 15)."""
import base64
import os
import re
import secrets
import subprocess

import pytest

from conftest import GUESTS, one_error_line

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMAGE = os.path.join(GUESTS, "Image")
INITRD = os.path.join(GUESTS, "linux-initrd.cpio.gz")
HELLO = os.path.join(GUESTS, "hello.elf")
LINUX = "./minivmm -c 2 -m 512M --initrd guests/linux-initrd.cpio.gz"
# A Linux boot takes ~6 s in the test host; the guardian timeouts are for a hang.
LINUX_TIMEOUT = 120


def lines(out):
    return out.replace("\r\n", "\n").splitlines()


def guest_says(out, what):
    """The values of the Linux guest's "minivmm-guest: WHAT VALUE" lines."""
    prefix = f"minivmm-guest: {what} "
    return [ln[len(prefix):] for ln in lines(out) if ln.startswith(prefix)]


def status_of(out):
    m = re.search(r"^@@status (\d+)@@$", out, re.M)
    assert m, f"no status line in:\n{out}"
    return int(m.group(1))


# --- Linux ---------------------------------------------------------------------------

def test_linux_boots_to_init_with_two_cpus_and_our_cmdline(host):
    marker = "minivmm.test=" + secrets.token_hex(4)
    append = f"console=ttyAMA0 quiet {marker}"
    status, out = host.run(f"timeout -s KILL {LINUX_TIMEOUT - 20} {LINUX} "
                           f"--append '{append}' guests/Image", LINUX_TIMEOUT)
    assert guest_says(out, "init") == ["reached"], out
    assert guest_says(out, "cpus") == ["online 0-1"], out
    cmdline = guest_says(out, "cmdline")
    assert len(cmdline) == 1 and append in cmdline[0], out
    assert guest_says(out, "model") == ["minivmm"], out  # the generated tree
    # the host CPU's features, on by default: the test host (QEMU's max CPU) has them all
    features = set(guest_says(out, "features")[0].split())
    assert {"sve", "sve2", "paca", "pacg"} <= features, out
    assert "armv8_pmuv3" in guest_says(out, "perf")[0].split(), out
    assert guest_says(out, "sve default vl") == ["64"], out  # Linux's default, 512 bits
    assert guest_says(out, "powering") == ["off"], out
    assert status == 0, out


def test_console_input_reaches_the_linux_shell(host):
    # stdin is a FIFO (not a terminal): its bytes must still reach the guest's PL011.
    # A writer fd stays open so that the guest never sees end of input; we type only
    # once the shell has printed its prompt. This boot also has the CPU's features off.
    script = f"""
rm -f /tmp/con.in /tmp/con.out; mkfifo /tmp/con.in
timeout -s KILL {LINUX_TIMEOUT - 20} ./minivmm --initrd guests/linux-initrd.cpio.gz \\
	--cpu sve=off,pauth=off --cpu pmu=off \\
	--append 'console=ttyAMA0 quiet guest.shell' guests/Image </tmp/con.in >/tmp/con.out 2>&1 &
vmm=$!
exec 3>/tmp/con.in
i=0
while ! grep -q '^/ # ' /tmp/con.out && [ $i -lt 900 ]; do sleep 0.1; i=$((i + 1)); done
echo 'echo $((6*7))' >&3
echo 'exit' >&3
wait $vmm
echo "@@status $?@@"
exec 3>&-
cat /tmp/con.out
"""
    _, out = host.run(script, LINUX_TIMEOUT)
    assert "minivmm-guest: init reached" in out, out
    # the shell's echo of the typed line is "echo $((6*7))": only the shell makes 42
    assert "42" in lines(out), out
    assert guest_says(out, "powering") == ["off"], out  # `exit` ended the shell
    features = set(guest_says(out, "features")[0].split())
    assert not features & {"sve", "sve2", "paca", "pacg"}, out
    assert "armv8_pmuv3" not in guest_says(out, "perf")[0].split(), out
    assert guest_says(out, "sve default vl") == ["none"], out
    assert status_of(out) == 0, out


def test_user_dtb_is_what_the_linux_guest_gets(host, user, tmp_path):
    # A tree dumped here, changed with fdtput, handed back with --dtb: the guest must
    # see the user's model, and /chosen must carry this run's --append and --initrd.
    dtb = tmp_path / "user.dtb"
    p = user.run("-c", "2", "-m", "512M", "--append", "from-the-dump", "--dump-dtb", str(dtb),
                 IMAGE)
    assert p.returncode == 0, p.stderr
    subprocess.run(["fdtput", "-t", "s", str(dtb), "/", "model", "custom-model"], check=True)
    b64 = base64.b64encode(dtb.read_bytes()).decode()
    marker = "minivmm.test=" + secrets.token_hex(4)
    status, out = host.run(f"echo {b64} | base64 -d >/tmp/user.dtb\n"
                           f"timeout -s KILL {LINUX_TIMEOUT - 20} {LINUX} --dtb /tmp/user.dtb "
                           f"--append 'console=ttyAMA0 quiet {marker}' guests/Image",
                           LINUX_TIMEOUT)
    assert guest_says(out, "model") == ["custom-model"], out
    cmdline = guest_says(out, "cmdline")
    assert len(cmdline) == 1 and marker in cmdline[0], out
    assert "from-the-dump" not in out
    assert guest_says(out, "init") == ["reached"], out  # it found the initrd
    assert status == 0, out


# The board's PL031 and virtio-mmio transports as Debian's kernel sees them (issue 15), in
# one boot with guest.devices (guests/linux/init), between two readings of the test host's
# clock: the RTC's time must be the host's, its alarm must reach rtc-pl031's handler, and
# virtio_mmio must probe all 32 transports, bind none and print nothing.
@pytest.fixture(scope="module")
def devices_boot(host):
    script = (f"echo \"@@host before $(date +%s)@@\"\n"
              f"timeout -s KILL {LINUX_TIMEOUT - 20} {LINUX} "
              f"--append 'console=ttyAMA0 quiet guest.devices' guests/Image\n"
              f"echo \"@@status $?@@\"\n"
              f"echo \"@@host after $(date +%s)@@\"\n")
    _, out = host.run(script, LINUX_TIMEOUT)
    before, after = (int(re.search(rf"^@@host {w} (\d+)@@$", out, re.M).group(1))
                     for w in ("before", "after"))
    assert guest_says(out, "powering") == ["off"], out
    assert status_of(out) == 0, out
    return out, before, after


def test_linux_rtc_pl031_is_rtc0_with_the_hosts_time(devices_boot):
    out, before, after = devices_boot
    dmesg = guest_says(out, "dmesg")
    assert any("rtc-pl031 9010000.pl031: registered as rtc0" in ln for ln in dmesg), out
    assert guest_says(out, "rtc name") == ["rtc-pl031 9010000.pl031"], out
    # RTCDR is the host's wall clock; the kernel set its own clock from it at boot
    for what in ("rtc since_epoch", "rtc date"):
        t = guest_says(out, what)
        assert len(t) == 1 and t[0].isdigit(), out
        assert before - 60 <= int(t[0]) <= after + 60, (what, before, after, out)
    # the wake alarm, due 2 s after it was set, was taken once by rtc-pl031's handler with
    # no access to the RTC meanwhile (the board's timer raised it), and the RTC core cleared it
    assert guest_says(out, "rtc alarm irqs") == ["1 wakealarm ''"], out


def test_linux_virtio_mmio_probes_32_empty_transports_quietly(devices_boot):
    out, _, _ = devices_boot
    assert guest_says(out, "virtio_mmio") == ["loaded"], out
    # /sys/bus/platform/devices/a000000.virtio_mmio ... a003e00.virtio_mmio: from the DT;
    # none bound to the driver (device id 0), no virtio device on the virtio bus
    assert guest_says(out, "virtio-mmio transports") == ["32 first a000000 bound 0 devices 0"], \
        out
    bad = [ln for ln in guest_says(out, "dmesg") if "virtio" in ln.lower() and
           re.search(r"(?i)error|fail|wrong|not supported|invalid|unable", ln)]
    assert not bad, out


# --- bare-metal guests, all in one script ---------------------------------------------

BAREMETAL = {
    "smp": "./minivmm -c 4 guests/smp.elf",
    "timer": "./minivmm guests/timer.elf",
    "cloop": "./minivmm guests/cloop.elf",
    "unbacked": "./minivmm guests/unbacked.elf",
    "no-reboot": "./minivmm --no-reboot guests/reset.elf",
    # SIGTERM after 2 s of rebooting; the outer KILL is for a minivmm that ignores it
    "reboot": "timeout -s KILL 20 timeout -s TERM 2 ./minivmm guests/reset.elf",
    # a child killed by a signal: busy box sh says "Terminated" (see the reboot test)
    "killed": "sh -c 'kill $$'",
    # the mapped image touched, the mapped initrd grown, while the guest keeps resetting
    # (not shrunk: a file shrinking during a reset's copy would be a race, not a test)
    "image-touched": "sh -c 'cp guests/reset.elf /tmp/touched.elf; "
                     "(sleep 1; touch /tmp/touched.elf) & exec ./minivmm /tmp/touched.elf'",
    "initrd-grown": "sh -c 'head -c 5000 guests/hello.elf >/tmp/grown.img; "
                    "(sleep 1; echo more >>/tmp/grown.img) & "
                    "exec ./minivmm --initrd /tmp/grown.img guests/reset.elf'",
}


@pytest.fixture(scope="module")
def baremetal(host):
    """{name: (status, output)} of each command in BAREMETAL, run in one script."""
    # A signal may cut the guest's output mid-line: a newline goes before each end mark.
    script = "".join(f"echo '@@begin {name}@@'\n"
                     f"timeout -s KILL 60 {cmd}\n"
                     f"rc=$?; echo; echo \"@@end {name} $rc@@\"\n"
                     for name, cmd in BAREMETAL.items())
    _, out = host.run(script, 120)
    results = {}
    for m in re.finditer(r"^@@begin (\S+)@@\r?\n(.*?)\r?\n^@@end \1 (\d+)@@$", out,
                         re.M | re.S):
        results[m.group(1)] = (int(m.group(3)), m.group(2).replace("\r\n", "\n"))
    assert set(results) == set(BAREMETAL), out
    return results


def test_smp_guest_every_cpu_reports_in(baremetal):
    status, out = baremetal["smp"]
    online = re.findall(r"^smp: cpu (\d+) online, MPIDR (0x[0-9a-f]+)$", out, re.M)
    assert [int(c) for c, _ in online] == [0, 1, 2, 3], out
    # MPIDR_EL1: bit 31 RES1, Aff0 = the vCPU index (KVM's reset value)
    assert [int(m, 16) for _, m in online] == [0x80000000 | i for i in range(4)], out
    assert "smp: 4 CPUs online" in lines(out), out
    assert status == 0, out


def test_timer_guest_takes_interrupts_through_the_gic(baremetal):
    status, out = baremetal["timer"]
    m = re.search(r"^timer: (\d+) interrupts taken", out, re.M)
    assert m and int(m.group(1)) >= 100, out
    assert status == 0, out


def test_c_guest_runs_its_loop(baremetal):
    status, out = baremetal["cloop"]
    # 50 rounds of counter += i*i: 0² + ... + 49² = 40425
    assert re.search(r"^cloop: counter = 40425, acc = \d+$", out, re.M), out
    assert status == 0, out


def test_unbacked_access_is_an_external_abort_and_minivmm_runs_on(baremetal):
    status, out = baremetal["unbacked"]
    assert "unbacked: 2 external aborts taken, still running" in lines(out), out
    assert status == 0, out


def test_reset_with_no_reboot_exits_3(baremetal):
    status, out = baremetal["no-reboot"]
    assert lines(out) == ["reset: booted, asking for a reset"], out
    assert status == 3, out


def test_reset_reboots_the_guest_and_sigterm_exits_143(baremetal):
    status, out = baremetal["reboot"]
    boots = out.count("reset: booted, asking for a reset")
    assert boots >= 2, out
    assert "still here after SYSTEM_RESET" not in out, out
    # 143 = 128 + SIGTERM, minivmm's own exit status after its clean-up; had the
    # signal killed it, sh would have said "Terminated" (as it does here:)
    assert status == 143, out[-2000:]
    assert "Terminated" not in out, out[-2000:]
    assert baremetal["killed"][0] == 143 and "Terminated" in baremetal["killed"][1]


@pytest.mark.parametrize("name,path", [("image-touched", "/tmp/touched.elf"),
                                       ("initrd-grown", "/tmp/grown.img")])
def test_reset_refuses_an_input_file_changed_since_the_start(baremetal, name, path):
    # The Image and the initrd are mapped, not copied (src/input.c): a reset after the file
    # changed would load another guest, or fault on a file that shrank. One line, status 1.
    status, out = baremetal[name]
    assert out.count("reset: booted, asking for a reset") >= 2, out[-2000:]
    assert (f"minivmm: guest reset failed: {path}: changed since minivmm started: "
            "restart minivmm to load it") in lines(out), out[-2000:]
    assert status == 1, out[-2000:]


# --- the generated device tree ---------------------------------------------------------

def dump_dtb(user, tmp_path, *args):
    """Dump with args; (dts text, dtb path). dtc must decompile it without a warning."""
    dtb = tmp_path / "board.dtb"
    p = user.run(*args, "--dump-dtb", str(dtb), IMAGE)
    assert p.returncode == 0 and p.stderr == "" and p.stdout == "", p.stderr
    d = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", str(dtb)], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    assert d.returncode == 0 and d.stderr == "", d.stderr
    return d.stdout, dtb


def fdtget(dtb, node, prop, typ="x"):
    return subprocess.run(["fdtget", "-t", typ, str(dtb), node, prop], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)


def fdt_u64(dtb, node, prop):
    p = fdtget(dtb, node, prop)
    assert p.returncode == 0, f"{node} {prop}: {p.stderr}"
    hi, lo = (int(c, 16) for c in p.stdout.split())
    return hi << 32 | lo


def test_dump_dtb_decompiles_cleanly_with_the_board(user, tmp_path):
    append = "console=ttyAMA0 root=/dev/ram0 minivmm.test=dtb"
    dts, dtb = dump_dtb(user, tmp_path, "-c", "2", "-m", "512M", "--append", append,
                        "--initrd", INITRD, "--kaslr-seed", "0x123456789abcdef0")
    assert fdtget(dtb, "/chosen", "bootargs", "s").stdout.strip() == append
    start = fdt_u64(dtb, "/chosen", "linux,initrd-start")
    end = fdt_u64(dtb, "/chosen", "linux,initrd-end")
    assert end - start == os.path.getsize(INITRD)
    assert 0x40000000 <= start and end <= 0x40000000 + (512 << 20)
    assert fdt_u64(dtb, "/chosen", "kaslr-seed") == 0x123456789abcdef0
    mem = fdtget(dtb, "/memory@40000000", "reg").stdout.split()
    assert [int(c, 16) for c in mem] == [0, 0x40000000, 0, 512 << 20]
    cpus = subprocess.run(["fdtget", "-l", str(dtb), "/cpus"], stdout=subprocess.PIPE,
                          text=True, check=True).stdout.split()
    assert cpus == ["cpu@0", "cpu@1"]
    for cpu in cpus:
        assert fdtget(dtb, f"/cpus/{cpu}", "enable-method", "s").stdout.strip() == "psci"
    assert re.search(r'psci \{\s*compatible = "arm,psci-1.0\\0arm,psci-0.2";\s*'
                     r'method = "hvc";', dts), dts
    # GICv3: distributor + one 128 KiB redistributor frame pair per CPU
    assert re.search(r'compatible = "arm,gic-v3";.*?reg = <0x00 0x8000000 0x00 0x10000 '
                     r'0x00 0x80a0000 0x00 0x40000>;', dts, re.S), dts
    assert 'compatible = "arm,armv8-timer";' in dts
    assert re.search(r'pl011@9000000 \{\s*compatible = "arm,pl011\\0arm,primecell";', dts), dts
    assert fdtget(dtb, "/chosen", "stdout-path", "s").stdout.strip() == "/pl011@9000000"


def test_dump_dtb_has_no_kaslr_seed_unless_asked(user, tmp_path):
    dts, dtb = dump_dtb(user, tmp_path, "-c", "2")
    assert "kaslr-seed" not in dts
    assert fdtget(dtb, "/chosen", "kaslr-seed").returncode != 0


def test_dump_dtb_has_qemus_rtc_and_32_virtio_mmio_nodes(user, tmp_path):
    dts, _ = dump_dtb(user, tmp_path, "-c", "1")
    clock = re.search(r"pl011@9000000 \{.*?clocks = <(0x[0-9a-f]+) ", dts, re.S).group(1)
    # as QEMU virt's create_rtc(): primecell, SPI 2 level-high, the APB clock
    assert re.search(r'pl031@9010000 \{\s*compatible = "arm,pl031\\0arm,primecell";\s*'
                     r"reg = <0x00 0x9010000 0x00 0x1000>;\s*"
                     r"interrupts = <0x00 0x02 0x04>;\s*"
                     rf'clocks = <{clock}>;\s*clock-names = "apb_pclk";\s*\}};', dts), dts
    # as create_virtio_devices(): lowest address first in the finished tree, 0x200 apart,
    # SPIs 16..47 (INTIDs 48..79) edge-rising, dma-coherent
    nodes = re.findall(r"virtio_mmio@([0-9a-f]+) \{(.*?)\};", dts, re.S)
    assert [int(a, 16) for a, _ in nodes] == [0x0a000000 + 0x200 * i for i in range(32)], dts
    for i, (addr, body) in enumerate(nodes):
        want = (r'\s*compatible = "virtio,mmio";\s*'
                rf"reg = <0x00 0x{addr} 0x00 0x200>;\s*"
                rf"interrupts = <0x00 {hex(16 + i)} 0x01>;\s*dma-coherent;\s*")
        assert re.fullmatch(want, body), body


# --- bad input ------------------------------------------------------------------------

def host_ram():
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad")
    f = {"20M": d / "20M.bin", "truncated": d / "truncated.Image", "text": d / "notes.txt",
         "tiny": d / "tiny.dtb"}
    f["20M"].write_bytes(b"\xa5" * (20 << 20))
    with open(IMAGE, "rb") as src:
        f["truncated"].write_bytes(src.read(64 << 10))
    f["text"].write_text("this is not a device tree, just a text file of some length\n" * 4)
    f["tiny"].write_bytes(b"\xd0\x0d")
    return {k: str(v) for k, v in f.items()}


# name, arguments ({name} = a file from `files`, IMAGE, HELLO), exit status, the message
# (a regular expression matched against all of it).
BAD_INPUT = [
    ("memory zero", ["-m", "0", HELLO], 2, r"invalid memory size '0' \(expected e\.g\. 256M or 1G\)"),
    ("memory not a number", ["-m", "abc", HELLO], 2, r"invalid memory size 'abc' .*"),
    ("memory bad suffix", ["-m", "12Q", HELLO], 2, r"invalid memory size '12Q' .*"),
    ("memory negative", ["-m", "-5", HELLO], 2, r"invalid memory size '-5' .*"),
    ("memory beyond 40 bits", ["-m", "100000G", HELLO], 1,
     r"102400000 MiB of guest RAM does not fit the 40-bit guest physical address space "
     r"\(at most 1047552 MiB\)"),
    ("memory beyond the host", ["-m", "{more_than_host}", HELLO], 1,
     r"\d+ MiB of guest RAM is more than this host has \(\d+ MiB\)"),
    ("memory not whole pages", ["-m", "3000001", HELLO], 1,
     r"guest RAM of 3000001 bytes is not a multiple of the host's page size \(\d+ bytes\)"),
    ("cpus zero", ["-c", "0", HELLO], 2, r"invalid number of CPUs '0' \(1 to 123\)"),
    ("cpus not a number", ["-c", "abc", HELLO], 2, r"invalid number of CPUs 'abc' \(1 to 123\)"),
    ("cpus too many", ["-c", "124", HELLO], 2, r"invalid number of CPUs '124' \(1 to 123\)"),
    ("initrd larger than RAM", ["-m", "16M", "--initrd", "{20M}", HELLO], 1,
     r"{20M}: initrd is larger than guest RAM \(16 MiB\)"),
    ("image larger than RAM", ["-m", "16M", "{20M}"], 1,
     r"{20M}: image is larger than guest RAM \(16 MiB\)"),
    ("Linux Image larger than RAM", ["-m", "16M", IMAGE], 1,
     re.escape(IMAGE) + r": image is larger than guest RAM \(16 MiB\)"),
    ("truncated Linux Image", ["{truncated}"], 1,
     r"{truncated}: truncated Linux Image: header says \d+ bytes, file has 65536"),
    ("dtb a text file", ["--dtb", "{text}", HELLO], 1,
     r"{text}: not a device tree blob \(magic 0x74686973, expected 0xd00dfeed\)"),
    ("dtb too short", ["--dtb", "{tiny}", HELLO], 1, r"{tiny}: not a device tree: only 2 bytes"),
    ("dtb missing", ["--dtb", "/nonexistent.dtb", HELLO], 1,
     r"/nonexistent\.dtb: No such file or directory"),
    ("dtb with dump-dtb", ["--dtb", "{text}", "--dump-dtb", "{text}.out", HELLO], 2,
     r"--dtb and --dump-dtb exclude each other: only a generated tree is dumped"),
    ("dump-on-panic over a file", ["--dump-on-panic", "{text}", HELLO], 2,
     r"--dump-on-panic: {text} exists \(minivmm keeps earlier dumps: move it or name another "
     r"file\)"),
    ("dump-on-panic nowhere", ["--dump-on-panic", "/nonexistent/v.core", HELLO], 2,
     r"--dump-on-panic: cannot write /nonexistent/v\.core: No such file or directory"),
    ("cpu unknown feature", ["--cpu", "mte=on", HELLO], 2,
     r"--cpu: unknown feature 'mte' \(sve, sve-vl, pauth, pmu\)"),
    ("cpu not on or off", ["--cpu", "sve=on,pmu=yes", HELLO], 2,
     r"--cpu pmu=yes: expected on or off"),
    ("cpu vector length", ["--cpu", "sve-vl=500", HELLO], 2,
     r"--cpu sve-vl=500: a vector length in bits, a multiple of 128 up to 2048"),
    ("cpu vector length without SVE", ["--cpu", "sve=off", "--cpu", "sve-vl=256", HELLO], 2,
     r"--cpu sve-vl=256 and sve=off conflict"),
    ("cpu empty item", ["--cpu", "sve=on,", HELLO], 2, r"--cpu 'sve=on,': an empty item"),
    ("gdb-threads not a mode", ["--gdb-threads", "frames", HELLO], 2,
     r"invalid --gdb-threads 'frames' \(vcpus or tasks\)"),
    ("unknown long option", ["--frobnicate", HELLO], 2,
     r"unknown option '--frobnicate' \(see --help\)"),
    ("unknown short option", ["-x", HELLO], 2, r"unknown option '-x' \(see --help\)"),
    ("missing argument", [HELLO, "--initrd"], 2,
     r"option '--initrd' needs an argument \(see --help\)"),
    ("missing short argument", [HELLO, "-m"], 2, r"option '-m' needs an argument \(see --help\)"),
    ("no image", ["-c", "2"], 2, r"no image given \(see --help\)"),
    ("two images", [HELLO, HELLO], 2, r"more than one image given \(see --help\)"),
]


@pytest.mark.parametrize("args,status,message", [row[1:] for row in BAD_INPUT],
                         ids=[row[0] for row in BAD_INPUT])
def test_bad_input_is_one_clear_line(user, files, args, status, message):
    subst = dict(files, more_than_host=f"{(host_ram() >> 30) * 2 + 2}G")
    assert (host_ram() >> 30) * 2 + 2 < 1000, "this machine has too much RAM for the case"
    args = [a.format(**subst) for a in args]
    message = message.format(**{k: re.escape(v) for k, v in subst.items()})
    p = user.run(*args)
    assert p.returncode == status, p.stderr
    assert re.fullmatch(message, one_error_line(p)), p.stderr
    assert p.stdout == ""


def test_dtb_with_dump_dtb_writes_nothing(user, files):
    out = files["text"] + ".dump"
    user.run("--dtb", files["text"], "--dump-dtb", out, HELLO)
    assert not os.path.exists(out)


# --- help and version -------------------------------------------------------------------

def help_entries(text):
    """{long option: its help text}: an entry starts at a line "  -x, --long" or
    "      --long"; lines indented deeper continue it; an option listed twice (two
    forms of its argument) gets both texts."""
    entries, cur = {}, None
    for ln in text.splitlines():
        m = re.match(r"  (?:-\w, |    )(--[\w-]+)(.*)", ln)
        if m:
            cur = m.group(1)
            entries[cur] = entries.get(cur, "") + m.group(2)
        elif cur and re.match(r" {8,}\S", ln):
            entries[cur] += " " + ln.strip()
        else:
            cur = None
    return entries


def test_help_lists_every_option_with_its_default(user):
    p = user.run("--help")
    assert p.returncode == 0 and p.stderr == ""
    entries = help_entries(p.stdout)
    # every option in main.c's getopt_long table is listed...
    with open(os.path.join(TOP, "src", "main.c")) as f:
        table = dict(re.findall(r'\{ "([\w-]+)", (no|required|optional)_argument', f.read()))
    assert table and set(entries) == {"--" + o for o in table}, p.stdout
    # ...and each that takes a value says what it is without one (a flag's default is
    # to be off); --dump-dtb only acts
    for opt, kind in table.items():
        if kind != "no" and opt != "dump-dtb":
            assert "default" in entries["--" + opt], f"--{opt}: no default in --help"
    assert re.search(r"-m, --memory SIZE .*default 256M", p.stdout)
    assert re.search(r"-c, --cpus N .*default 1\b", p.stdout)
    assert "(default: reset)" in entries["--no-reboot"]


def test_version_prints_a_version_line(user):
    for opt in ("--version", "-V"):
        p = user.run(opt)
        assert p.returncode == 0 and p.stderr == ""
        assert re.fullmatch(r"minivmm \S+\n", p.stdout), p.stdout
