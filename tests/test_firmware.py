# SPDX-License-Identifier: GPL-3.0-or-later
"""--bios and --bios-vars (firmware from flash, docs/firmware.md): what a wrong file or
a wrong combination of options says. minivmm checks them before it opens /dev/kvm, so
these run here under qemu-user."""
import os
import re
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
    ro = tmp_path / "ro.fd"
    with open(ro, "wb") as f:
        f.truncate(BANK)
    os.chmod(ro, 0o444)
    cases = [
        (UBOOT, "is the firmware image itself"),
        (str(wrong), "a variables file must be the flash bank's size, 67108864 bytes "
                     "(64 MiB); this one has 4096"),
        (str(tmp_path / "no" / "vars.fd"), "No such file or directory"),
        (str(tmp_path), "Is a directory"),
        ("/dev/null", "/dev/null: the variables file must be a regular file"),
    ]
    if os.geteuid() != 0:  # root writes a read-only file anyway
        cases.append((str(ro), "Permission denied"))
    for path, want in cases:
        p = user.run("--bios", UBOOT, "--bios-vars", path)
        assert p.returncode != 0 and p.stdout == "", (path, p)
        assert want in one_error_line(p), (path, p.stderr)
    assert wrong.read_bytes() == b"\xff" * 4096  # a refused file is left as it was


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
    """-S stops at 0x0, in flash, before U-Boot's first instruction: gdb steps it, and a
    breakpoint in flash (which a BRK cannot be written to) is hit."""
    from gdbtools import Gdb, Minivmm
    mv = Minivmm(host, "-S -m 512M --bios guests/u-boot.bin")
    opened.append(mv)
    gdb = Gdb(host)
    opened.append(gdb)
    assert "0x0" in gdb.cmd("p/x $pc")
    first = gdb.cmd("x/i $pc")
    gdb.cmd("stepi")
    pc = int(gdb.cmd("p/x $pc").split("=")[1], 16)
    m = re.search(r"=> 0x0:\s+b\s+(0x[0-9a-f]+)", first)  # U-Boot's vector: b reset
    assert m and pc == int(m.group(1), 16), (first, hex(pc))
    # gdb knows flash from the memory map (qXfer:memory-map) and asks for hbreak there
    assert "hardware breakpoints for read-only" in gdb.cmd("break *0x40")
    out = gdb.cmd("continue", timeout=120)
    assert "Breakpoint 1" in out and "0x0000000000000040" in out, out
    assert "0x40" in gdb.cmd("p/x $pc")
    assert gdb.cmd("x/i $pc") == gdb.cmd("x/i 0x40")  # the original, not a BRK


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
        t.expect("Shell> ", timeout=400)
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
