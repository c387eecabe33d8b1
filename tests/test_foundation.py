# SPDX-License-Identifier: GPL-3.0-or-later
"""The first guest under KVM, and the errors before any guest runs (issue 2)."""
import os
import subprocess

from conftest import GUESTS, one_error_line


def test_hello_guest_prints_its_line_and_powers_off(host):
    status, out = host.run("./minivmm guests/hello.elf")
    assert status == 0, out
    assert out.replace("\r\n", "\n") == "Hello from the minivmm guest!\n"


def test_no_dev_kvm_is_one_clear_line(host):
    status, out = host.run("mv /dev/kvm /dev/kvm.off; ./minivmm guests/hello.elf; "
                           "rc=$?; mv /dev/kvm.off /dev/kvm; exit $rc")
    assert status == 1
    assert out.strip() == "minivmm: /dev/kvm does not exist: this host has no KVM"
    # and KVM is back for the tests that follow
    assert host.run("./minivmm guests/hello.elf")[0] == 0


def test_missing_image(user):
    p = user.run("/nonexistent/guest.elf")
    assert p.returncode == 1
    assert one_error_line(p) == "/nonexistent/guest.elf: No such file or directory"


def test_unreadable_image(user, tmp_path):
    if os.geteuid() == 0:
        # root reads anything: a directory stands in for an unreadable file
        p = user.run(str(tmp_path))
        assert p.returncode == 1
        assert one_error_line(p) == f"{tmp_path}: Is a directory"
    else:
        f = tmp_path / "guest.elf"
        f.write_bytes(b"\0" * 64)
        f.chmod(0)
        p = user.run(str(f))
        assert one_error_line(p) == f"{f}: Permission denied"


def test_elf_for_another_machine(user):
    p = user.run("/bin/true")  # an x86-64 ELF on this machine
    assert p.returncode == 1
    msg = one_error_line(p)
    assert msg.startswith("/bin/true: ") and "not an aarch64 ELF" in msg, msg


def test_relocatable_object_is_refused(user, tmp_path):
    src = tmp_path / "x.c"
    src.write_text("int x(void) { return 1; }\n")
    obj = tmp_path / "x.o"
    subprocess.run(["aarch64-linux-gnu-gcc", "-c", "-o", str(obj), str(src)], check=True)
    p = user.run(str(obj))
    assert p.returncode == 1
    assert "not ET_EXEC" in one_error_line(p)


def test_segment_outside_guest_ram(user, tmp_path):
    # The hello guest linked at 0x80000000, beyond 16 MiB of RAM at 0x40000000.
    out = tmp_path / "far.elf"
    subprocess.run(["aarch64-linux-gnu-objcopy", "--change-addresses", "0x40000000",
                    os.path.join(GUESTS, "hello.elf"), str(out)], check=True)
    p = user.run("-m", "16M", str(out))
    assert p.returncode == 1
    msg = one_error_line(p)
    assert "outside guest RAM" in msg, msg
