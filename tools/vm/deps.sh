#!/usr/bin/env bash
# Install every Debian package the build, the VM and the tests need, if any
# is missing. Safe to run again; does nothing when all are present.
set -euo pipefail
. "$(dirname "$0")/common.sh"

pkgs=(qemu-system-x86 busybox-static kmod cpio linux-headers-amd64
      linux-headers-6.12-amd64 linux-source-6.12 build-essential bc bison
      flex libelf-dev libssl-dev ccache dkms xz-utils rsync pkg-config)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
log "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -qq
as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
