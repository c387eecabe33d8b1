#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stage Debian's arm64 qemu-system-aarch64 for the test host (`make bench` compares with it).

Resolves the runtime closure of qemu-system-arm:arm64 with python3-apt (Depends and
Pre-Depends, first satisfiable alternative, leaving out packages only maintainer scripts
need), `apt-get download`s the .debs into DL (kept: a second run downloads nothing),
`dpkg -x`es them into a staging tree and copies qemu-system-aarch64 with its DT_NEEDED
closure, resolved inside that tree (glibc and ld-linux-aarch64.so.1 included), into OUT:

    OUT/qemu-system-aarch64  OUT/lib/*.so*  OUT/ld-linux-aarch64.so.1  OUT/share/ (empty)

The test host's root file system has no C library, so QEMU runs through the loader:
    OUT/ld-linux-aarch64.so.1 --library-path OUT/lib OUT/qemu-system-aarch64 -L OUT/share ...

usage: qemu-stage.py DL OUT   (e.g. build/dl/qemu-arm64 build/bench/qemu)"""
import os
import re
import shutil
import subprocess
import sys

import apt_pkg

ROOT_PKG = ("qemu-system-arm", "arm64")
# Needed only by maintainer scripts, never by the running binary.
SKIP = {"debconf", "adduser", "dpkg", "perl-base", "debconf-2.0", "init-system-helpers",
        "passwd", "libpam-runtime", "sensible-utils"}
LIB_DIRS = ["lib/aarch64-linux-gnu", "usr/lib/aarch64-linux-gnu", "lib", "usr/lib"]


def resolve():
    """[(name, arch, version)] of the closure, root first."""
    apt_pkg.init()
    cache = apt_pkg.Cache(None)
    dep_cache = apt_pkg.DepCache(cache)
    todo = [cache[ROOT_PKG]]
    seen, out = set(), []
    while todo:
        pkg = todo.pop(0)
        if (pkg.name, pkg.architecture) in seen or pkg.name in SKIP:
            continue
        seen.add((pkg.name, pkg.architecture))
        ver = dep_cache.get_candidate_ver(pkg)
        if ver is None:
            sys.exit(f"qemu-stage: no candidate for {pkg.name}:{pkg.architecture}")
        out.append((pkg.name, ver.arch, ver.ver_str))
        for kind in ("PreDepends", "Depends"):
            for alts in ver.depends_list.get(kind, []):
                target = first_satisfiable(alts, dep_cache)
                if target is None:
                    sys.exit(f"qemu-stage: {pkg.name}: cannot satisfy "
                             + " | ".join(d.target_pkg.name for d in alts))
                todo.append(target)
    return out


def first_satisfiable(alts, dep_cache):
    """The package of the first alternative that a candidate version satisfies."""
    for dep in alts:
        if dep.target_pkg.name in SKIP:
            return dep.target_pkg
        for ver in dep.all_targets():  # real versions and providers
            if dep_cache.get_candidate_ver(ver.parent_pkg) == ver:
                return ver.parent_pkg
    return None


def deb_name(name, arch, ver):
    return f"{name}_{ver.replace(':', '%3a')}_{arch}.deb"


def download(pkgs, dl):
    os.makedirs(dl, exist_ok=True)
    want = [p for p in pkgs if not os.path.exists(os.path.join(dl, deb_name(*p)))]
    if want:
        print(f"qemu-stage: downloading {len(want)} of {len(pkgs)} packages into {dl}")
        subprocess.run(["apt-get", "download", "-qq", "-o", "APT::Sandbox::User=root"]
                       + [f"{n}:{a}={v}" for n, a, v in want], cwd=dl, check=True)


def needed(path):
    out = subprocess.run(["readelf", "-dW", path], check=True, stdout=subprocess.PIPE,
                         text=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def find_lib(stage, name):
    for d in LIB_DIRS:
        path = os.path.join(stage, d, name)
        if os.path.lexists(path):
            return path
    sys.exit(f"qemu-stage: {name} not found in the staged packages")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    dl, out = (os.path.abspath(a) for a in sys.argv[1:])
    pkgs = resolve()
    download(pkgs, dl)
    stamp = os.path.join(out, ".stamp")
    key = "\n".join(deb_name(*p) for p in pkgs) + "\n"
    if os.path.exists(stamp) and open(stamp).read() == key:
        return
    stage = out + ".stage"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    for p in pkgs:
        subprocess.run(["dpkg", "-x", os.path.join(dl, deb_name(*p)), stage], check=True)
    # usrmerge is not in bookworm's packages, but a symlinked /lib would be resolved too.
    binary = os.path.join(stage, "usr/bin/qemu-system-aarch64")
    os.makedirs(os.path.join(out, "lib"))
    os.makedirs(os.path.join(out, "share", "keymaps"))
    shutil.copy(binary, out)
    todo, done = needed(binary) + ["ld-linux-aarch64.so.1"], set()
    while todo:
        name = todo.pop()
        if name in done:
            continue
        done.add(name)
        src = os.path.realpath(find_lib(stage, name))
        dest = os.path.join(out, "ld-linux-aarch64.so.1" if name.startswith("ld-linux")
                            else os.path.join("lib", name))
        shutil.copy(src, dest)
        todo += needed(src)
    shutil.rmtree(stage)
    with open(stamp, "w") as f:
        f.write(key)
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs)
    print(f"qemu-stage: {len(pkgs)} packages, {len(done)} libraries, {size / 2**20:.1f} MiB "
          f"in {out}")


if __name__ == "__main__":
    main()
