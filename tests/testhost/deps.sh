#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs everything minivmm's build, tests and demo need, from Debian's archive.
# Idempotent: packages already installed and files already downloaded are skipped.
# Usage: tests/testhost/deps.sh [DOWNLOAD_DIR]   (default: build/dl)
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
dl=${1:-$top/build/dl}
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo

host_pkgs=(make gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm
	qemu-user-static gdb-multiarch cpio device-tree-compiler libcmocka-dev
	python3 python3-pytest python3-pexpect python3-apt lldb python3-lldb-14 tmux groff-base man-db
	clang llvm libclang-rt-14-dev iproute2 libasan8-arm64-cross libubsan1-arm64-cross)
arm64_pkgs=(libfdt-dev:arm64 libreadline-dev:arm64 libncurses-dev:arm64)

missing=()
for p in "${host_pkgs[@]}" "${arm64_pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done

updated=
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$sudo dpkg --add-architecture arm64
	$sudo apt-get update -qq
	updated=1
fi
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	[ -n "$updated" ] || $sudo apt-get update -qq
	updated=1
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
fi

# Downloaded, never installed: Debian's arm64 kernel (test host and Linux guest)
# and a static busybox (both initramfs images).
mkdir -p "$dl"
fetch() { # fetch PACKAGE: download its .deb into $dl once, unpack into $dl/PACKAGE
	local pkg=$1 deb
	[ -d "$dl/$pkg" ] && return 0
	deb=$(ls "$dl"/"${pkg%%:*}"_*.deb 2>/dev/null | head -n1 || true)
	if [ -z "$deb" ]; then
		[ -n "$updated" ] || { $sudo apt-get update -qq; updated=1; }
		(cd "$dl" && apt-get download -qq -o APT::Sandbox::User=root "$pkg")
		deb=$(ls "$dl"/"${pkg%%:*}"_*.deb | head -n1)
	fi
	rm -rf "$dl/$pkg.tmp"
	dpkg -x "$deb" "$dl/$pkg.tmp"
	mv "$dl/$pkg.tmp" "$dl/$pkg"
}

kpkg=
[ -f "$dl/kernel-package" ] && kpkg=$(cat "$dl/kernel-package")
if [ -z "$kpkg" ]; then
	[ -n "$updated" ] || { $sudo apt-get update -qq; updated=1; }
	kpkg=$(apt-cache depends linux-image-arm64:arm64 |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-arm64\).*/\1/p' | head -n1)
	[ -n "$kpkg" ] || { echo "deps: cannot resolve linux-image-arm64:arm64" >&2; exit 1; }
	echo "$kpkg" >"$dl/kernel-package"
fi
fetch "${kpkg%%:*}:arm64"
fetch busybox-static:arm64
# libfdt-dev is not co-installable for two architectures: the arm64 one is
# installed for minivmm, the host's is unpacked here for the unit tests.
host_arch=$(dpkg --print-architecture)
[ "$host_arch" = arm64 ] || fetch "libfdt-dev:$host_arch"

# Stable names for the Makefile and the test host scripts (relative links: the
# checkout may move).
kdir="${kpkg%%:*}:arm64"
ln -sfn "$(cd "$dl" && ls "$kdir"/boot/vmlinuz-* | head -n1)" "$dl/Image"
ln -sfn "$(cd "$dl" && ls -d "$kdir"/lib/modules/* | head -n1)" "$dl/modules"
ln -sfn "busybox-static:arm64/bin/busybox" "$dl/busybox"
if [ "$host_arch" != arm64 ]; then
	ln -sfn "libfdt-dev:$host_arch/usr" "$dl/host-libfdt"
else
	ln -sfn /usr "$dl/host-libfdt"
fi
