#!/usr/bin/env bash
# Fetch Debian's stock kernel image that matches the installed headers and
# print "VMLINUZ KDIR". Usage: kernel-stock.sh 6.1|6.12
set -euo pipefail
. "$(dirname "$0")/common.sh"

series=${1:?usage: kernel-stock.sh 6.1|6.12}
# The exact ABI name comes from the installed headers (never hard-coded).
case "$series" in
6.1) hdr=$(dpkg-query -W -f='${Package}\n' 'linux-headers-6.1.*-amd64' |
	   grep -v common | sort -V | tail -1) ;;
6.12) hdr=$(dpkg-query -W -f='${Package}\n' 'linux-headers-6.12.*-amd64' |
	    grep -v common | sort -V | tail -1) ;;
*) die "unknown kernel series $series" ;;
esac
[ -n "$hdr" ] || die "no headers for $series installed (run tools/vm/deps.sh)"
abi=${hdr#linux-headers-}
kdir=/usr/src/$hdr
img="linux-image-$abi"
dir="$MX_CACHE/kernel-$abi"
if [ ! -f "$dir/.mx-done" ]; then
	log "fetching $img"
	rm -rf "$dir" && mkdir -p "$dir/dl"
	(cd "$dir/dl" && apt-get download "$img" >/dev/null 2>&1 ||
		{ as_root apt-get update -qq && apt-get download "$img" >/dev/null; })
	dpkg -x "$dir"/dl/*.deb "$dir/root"
	rm -rf "$dir/dl"
	touch "$dir/.mx-done"
fi
vmlinuz=$(ls "$dir"/root/boot/vmlinuz-* | head -1)
echo "$vmlinuz $kdir"
