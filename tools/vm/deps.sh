#!/usr/bin/env bash
# Install the Debian 12 packages that building mx, the debug kernel, the VM
# images and the tests need. Does nothing (and needs no root) when all are
# present; otherwise runs apt-get update once and installs what is missing,
# as root or through sudo. Arguments name more packages that one command
# needs (make bench: gnuplot-nox).
set -euo pipefail
. "$(dirname "$0")/common.sh"

pkgs=(
	# compilers and the module build
	build-essential bc bison flex libelf-dev libssl-dev ccache pkg-config
	# kernel headers: Debian 12's own 6.1, its PREEMPT_RT flavour and the
	# 6.12 backport
	linux-headers-amd64 linux-headers-rt-amd64 linux-headers-6.12-amd64
	# sources of the debug kernel
	linux-source-6.12 xz-utils
	# the VM: QEMU, a static busybox for the initramfs, cpio to pack it
	qemu-system-x86 busybox-static kmod cpio gzip
	# copies of the tree per kernel, and the DKMS packaging check
	rsync dkms
	# the host checks: 32-bit ABI build, C++ header build, man page lint
	gcc-multilib g++ groff-base man-db
	# static checks: sparse for the module, cppcheck for libmx
	sparse cppcheck
	# mxls (util-linux's table library); the Debian packages (make deb,
	# the packages step: dh_dkms comes with dh-dkms, which bookworm has;
	# lintian checks them), copies of the tree (git), prove for the TAP
	# of the suites
	libsmartcols-dev debhelper dh-dkms dpkg-dev git perl lintian
	"$@"
)

missing=()
for p in "${pkgs[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

log "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -q
as_root env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -q --no-install-recommends "${missing[@]}"
