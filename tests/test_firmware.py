# SPDX-License-Identifier: GPL-3.0-or-later
"""--bios and --bios-vars (firmware from flash, docs/firmware.md): what a wrong file or
a wrong combination of options says. minivmm checks them before it opens /dev/kvm, so
these run here under qemu-user."""
import hashlib
import os
import re
import tempfile
import time

from conftest import GUESTS, one_error_line

UBOOT = os.path.join(GUESTS, "u-boot.bin")
IMAGE = os.path.join(GUESTS, "Image")
BANK = 64 << 20


def test_bios_file_that_cannot_be_used(user, tmp_path):
    cases = [
        ("/nonexistent", "/nonexistent: No such file or directory"),
        (str(tmp_path), f"{tmp_path}: Is a directory"),
        ("/dev/null", "/dev/null: the firmware file is empty"),
    ]
    big = tmp_path / "big.fd"
    with open(big, "wb") as f:
        f.truncate(BANK + 1)
    cases.append((str(big), f"{big}: the firmware ({BANK + 1} bytes) is larger than the "
                            "flash bank"))
    for path, want in cases:
        p = user.run("--bios", path)
        assert p.returncode != 0 and p.stdout == "", (path, p)
        assert one_error_line(p).startswith(want), (path, p.stderr)


def test_bios_options_that_do_not_go_together(user, tmp_path):
    vars_ = str(tmp_path / "vars.fd")
    for args, want in [
        (["--bios-vars", vars_, IMAGE], "--bios-vars is flash for the firmware: give --bios"),
        (["--bios", UBOOT, "--load-addr", "0x40080000", IMAGE], "--load-addr: with --bios"),
        (["--bios", UBOOT, "--initrd", IMAGE], "the firmware gets it through fw_cfg with a "
                                               "kernel image: give IMAGE too"),
    ]:
        p = user.run(*args)
        assert p.returncode == 2 and p.stdout == "", (args, p)
        assert want in one_error_line(p), (args, p.stderr)
    assert not os.path.exists(vars_)  # nothing made for a run that did not start


def test_bios_vars_file_that_cannot_be_used(user, tmp_path):
    wrong = tmp_path / "small.fd"
    wrong.write_bytes(b"\xff" * 4096)
    cases = [
        (UBOOT, "is the firmware image itself"),
        (str(wrong), "a variables file must be the flash bank's size, 67108864 bytes "
                     "(64 MiB); this one has 4096"),
        (str(tmp_path / "no" / "vars.fd"), "No such file or directory"),
        (str(tmp_path), "Is a directory"),
        ("/dev/null", "/dev/null: the variables file must be a regular file"),
    ]
    for path, want in cases:
        p = user.run("--bios", UBOOT, "--bios-vars", path)
        assert p.returncode != 0 and p.stdout == "", (path, p)
        assert want in one_error_line(p), (path, p.stderr)
    assert wrong.read_bytes() == b"\xff" * 4096  # a refused file is left as it was
    # a read-only one, for a user who cannot write it (pytest's tmp_path is 0700: a
    # folder nobody can enter)
    with tempfile.TemporaryDirectory() as d:
        os.chmod(d, 0o755)
        ro = os.path.join(d, "ro.fd")
        with open(ro, "wb") as f:
            f.truncate(BANK)
        os.chmod(ro, 0o444)
        p = user.run("--bios", UBOOT, "--bios-vars", ro, unprivileged=True)
        assert p.returncode != 0 and p.stdout == "", p
        assert one_error_line(p) == (f"{ro}: the variables file must be writable (its "
                                     "flash bank is kept there)"), p.stderr
        assert os.path.getsize(ro) == BANK


TTY_PRE = "stty raw -echo; rm -f /tmp/vars.fd\n"


def typed(t, line):
    """A line typed at a human's pace: firmware polls its UART and drops what arrives
    faster than its loop runs (EDK2's shell does)."""
    for c in line:
        t.send(c)
        time.sleep(0.02)
    t.send("\r")


def plain(text):
    """text less the terminal's escape sequences (EDK2 positions every character)."""
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def uboot_prompt(t):
    t.expect("Hit any key to stop autoboot", timeout=180)
    t.send(" ")
    t.expect("=> ")


def test_uboot_from_flash_keeps_its_environment_in_the_vars_file(host):
    """Debian's u-boot-qemu build reaches its prompt from the reset vector, finds the
    flash banks, and saveenv's write survives a restart through --bios-vars."""
    run = "./minivmm -m 512M --bios guests/u-boot.bin --bios-vars /tmp/vars.fd; echo @@rc $?@@\n"
    t = host.tty(TTY_PRE + run, timeout=400)
    uboot_prompt(t)
    t.send("version\r")
    assert "U-Boot 2023.01" in t.expect("=> ")
    t.send("printenv foo\r")
    assert "not defined" in t.expect("=> ")
    t.send("setenv foo bar123; saveenv\r")
    assert "OK" in t.expect("=> ", timeout=120)
    t.send("poweroff\r")
    t.expect(r"@@rc 0@@")
    assert t.wait()[0] == 0
    assert host.check("stat -c %s /tmp/vars.fd").strip() == str(BANK)
    t = host.tty("stty raw -echo\n" + run, timeout=400)
    uboot_prompt(t)
    t.send("printenv foo\r")
    assert "foo=bar123" in t.expect("=> ")
    t.send("poweroff\r")
    t.expect(r"@@rc 0@@")
    assert t.wait()[0] == 0


def test_gdb_from_the_reset_vector_of_flash(host, opened):
    """-S stops at 0x0, in flash, before U-Boot's first instruction: gdb steps it; a
    hardware breakpoint in flash (gdb's choice there, from the memory map) and a software
    one are hit; gdb steps out of relocate_code into U-Boot's copy in RAM."""
    from gdbtools import Gdb, Minivmm
    mv = Minivmm(host, "-S -m 512M --bios guests/u-boot.bin")
    opened.append(mv)
    gdb = Gdb(host)
    opened.append(gdb)
    assert "0x0" in gdb.cmd("p/x $pc")
    first = gdb.cmd("x/i $pc")
    gdb.cmd("stepi")
    pc = gdb.value("$pc")
    m = re.search(r"=> 0x0:\s+b\s+(0x[0-9a-f]+)", first)  # U-Boot's vector: b reset
    assert m and pc == int(m.group(1), 16), (first, hex(pc))
    # gdb knows flash from the memory map (qXfer:memory-map) and asks for hbreak there
    assert "hardware breakpoints for read-only" in gdb.cmd("break *0x40")
    out = gdb.cmd("continue", timeout=120)
    assert "Breakpoint 1" in out and "0x0000000000000040" in out, out
    assert "0x40" in gdb.cmd("p/x $pc")
    assert gdb.cmd("x/i $pc") == gdb.cmd("x/i 0x40")  # the original, not a BRK
    # a software breakpoint in flash too (a client that sends Z0 there; gdb does once a
    # user region overrides the map): its BRK is in the guest's copy of the bank only
    gdb.cmd("delete")
    gdb.cmd("mem 0 0x4000000 rw")
    out = gdb.cmd("break *0x48")
    assert "Breakpoint 2 at 0x48" in out and "hardware" not in out, out
    out = gdb.cmd("continue", timeout=120)
    assert "Breakpoint 2" in out and "0x0000000000000048" in out, out
    assert "0xeb010009" in gdb.cmd("x/wx 0x48")  # U-Boot's subs x9, x0, x1: no BRK seen
    gdb.cmd("delete")
    # through the relocation: relocate_code's ret at 0x2b80 (after its copy loop, which
    # would copy a BRK too: hbreak) returns into the copy at the top of RAM
    assert "ret" in gdb.cmd("x/i 0x2b80")
    assert "Hardware assisted breakpoint 3 at 0x2b80" in gdb.cmd("hbreak *0x2b80")
    out = gdb.cmd("continue", timeout=120)
    assert "Breakpoint 3" in out and "0x0000000000002b80" in out, out
    lr = gdb.value("$x30")
    gdb.cmd("stepi")
    pc = gdb.value("$pc")
    assert pc == lr and 0x40000000 < pc < 0x60000000, (hex(lr), hex(pc))
    gdb.cmd("delete")
    gdb.cmd("kill")
    sums = host.check("md5sum guests/u-boot.bin").split()[0]
    with open(UBOOT, "rb") as f:
        assert sums == hashlib.md5(f.read()).hexdigest()  # the image file never written


def test_edk2_from_flash_reaches_its_shell_and_keeps_a_variable(host):
    """Debian's qemu-efi-aarch64 build reaches the UEFI shell; a non-volatile variable
    set there is still there after a restart: EDK2's variable store is the vars file."""
    run = ("./minivmm -m 512M --bios guests/QEMU_EFI.fd --bios-vars /tmp/efivars.fd; "
           "echo @@rc $?@@\n")
    # a GUID of our own: the shell's default, EFI's global one, takes only the names
    # the UEFI specification gives
    GUID = "8f1c1bd8-5c4a-4e2b-9a3d-6d696e69766d"
    host.check("rm -f /tmp/efivars.fd")
    for boot in range(2):
        t = host.tty("stty raw -echo\n" + run, timeout=500)
        t.expect("startup.nsh", timeout=400)
        t.send("\x1b")  # ESC: no 5 s wait for a startup script there is not
        t.expect("Shell> ")
        if boot == 0:
            typed(t, f"setvar MinivmmTest -guid {GUID} -nv -bs =4d696e69")
            out = plain(t.expect("Shell> "))
            assert "Unable" not in out and "Invalid" not in out, out
        typed(t, f"setvar MinivmmTest -guid {GUID}")
        out = plain(t.expect("Shell> ")).split("\n", 1)[-1]  # less the echo
        assert re.search(r"4D\s*69\s*6E\s*69", out, re.I), out
        typed(t, "reset -s")
        t.expect(r"@@rc 0@@", timeout=60)
        assert t.wait()[0] == 0


LINUX = "--initrd guests/linux-initrd.cpio.gz --append 'console=ttyAMA0 quiet' guests/Image"


def test_uboot_and_edk2_boot_linux_through_fw_cfg(host):
    """The boot chain, as with QEMU's -bios and -kernel: U-Boot's default boot command
    (qfw load, booti) and EDK2's kernel loader (QemuKernelLoaderFsDxe) take the Image, the
    initrd and the command line from fw_cfg and start Debian's kernel, which reaches init
    with our device tree."""
    # (quiet silences the EFI stub; EDK2's loader names the initrd it serves on the
    # command line it gives the kernel)
    proof = {"u-boot.bin": ["loading kernel to address", "Starting kernel",
                            "cmdline console=ttyAMA0 quiet\r\n"],
             "QEMU_EFI.fd": ["UEFI firmware", "cmdline console=ttyAMA0 quiet initrd=initrd"]}
    # both at once (the test host has two CPUs), each into its own file
    host.check("".join(
        f"( timeout -s KILL 400 ./minivmm -m 512M --bios guests/{fw} {LINUX} "
        f"</dev/null >/tmp/{fw}.out 2>&1; echo $? >/tmp/{fw}.rc ) &\n" for fw in proof) +
        "wait", 450)
    for fw, says in proof.items():
        status, out = host.run(f"cat /tmp/{fw}.out; exit $(cat /tmp/{fw}.rc)")
        assert status == 0, (fw, out)
        for line in says + ["minivmm-guest: init reached", "minivmm-guest: model minivmm"]:
            assert line in out, (fw, line, out)


def test_gdb_in_relocated_uboot_steps_a_flash_write_once_and_detaches(host, opened):
    """gdb attaches to U-Boot at its prompt, where it runs from its copy at the top of RAM
    (bdinfo's relocaddr): a software breakpoint there is hit; a CFI word program of bank 1
    stepped one store at a time lands each store exactly once (a repeated command word
    would be taken for the data); after detach U-Boot answers again."""
    from gdbtools import Gdb
    t = host.tty(f"stty raw -echo\n./minivmm -m 512M --gdb {host.gdb_listen} "
                 "--bios guests/u-boot.bin; echo @@rc $?@@\n", timeout=400)
    uboot_prompt(t)
    t.send("bdinfo\r")
    out = t.expect("=> ")
    m = re.search(r"relocaddr\s*=\s*(0x[0-9a-f]+)", out)
    assert m, out
    reloc = int(m.group(1), 16)
    gdb = Gdb(host)
    opened.append(gdb)

    pc = gdb.value("$pc")
    assert 0x40000000 < reloc <= pc < 0x60000000, (hex(reloc), hex(pc))
    # the code that runs is flash's, copied: the same instructions at pc - relocaddr
    assert (gdb.cmd(f"x/4xw {pc}").split(":")[1] ==
            gdb.cmd(f"x/4xw {pc - reloc}").split(":")[1])
    out = gdb.cmd("break *$pc")
    assert "Breakpoint 1 at" in out and "hardware" not in out, out  # RAM: a BRK
    out = gdb.cmd("continue", timeout=60)
    assert "Breakpoint 1" in out and f"{pc:016x}" in out, out
    gdb.cmd("delete")

    # three stores at a scratch page: the program command, the word, read array
    saved = {r: gdb.value(f"${r}") for r in ("pc", "x0", "x1", "x2", "x3")}
    code, word, at = 0x48000000, 0x12345678, 0x07fff000  # in bank 1's last block
    after = gdb.value(f"*(unsigned int *){at + 4:#x}")
    gdb.cmd(f"set {{unsigned int[3]}}{code:#x} = {{0xb9000001, 0xb9000002, 0xb9000003}}")
    for reg, v in (("x0", at), ("x1", 0x00400040), ("x2", word), ("x3", 0x00ff00ff),
                   ("pc", code)):
        gdb.cmd(f"set ${reg} = {v:#x}")
    for i in range(3):
        gdb.cmd("stepi")
        assert gdb.value("$pc") == code + 4 * (i + 1), gdb.log[-2:]
    assert gdb.value(f"*(unsigned int *){at:#x}") == word, gdb.log[-4:]
    assert gdb.value(f"*(unsigned int *){at + 4:#x}") == after  # the next word untouched
    for reg, v in saved.items():
        gdb.cmd(f"set ${reg} = {v:#x}")
    gdb.cmd("detach")
    t.send("version\r")
    assert "U-Boot 2023.01" in t.expect("=> ")
    t.send(f"md.l {at:#x} 2\r")
    assert f"12345678 {after:08x}" in t.expect("=> "), "U-Boot reads the word"
    t.send("poweroff\r")
    t.expect(r"@@rc 0@@")
    assert t.wait()[0] == 0
