#!/usr/bin/env bash
# Fetch Debian's stock kernel that matches the installed headers, for the VM.
#
# Usage: kernel-stock.sh 6.1|6.12|rt-6.1
# Prints one line: VMLINUZ KDIR MODULES
#   VMLINUZ  the kernel image to boot
#   KDIR     the matching headers (build the module with make -C KDIR M=...)
#   MODULES  the image's own modules tree (lib/modules/<release>), kept for
#            drivers the VM may need (binder_linux for the benchmarks)
#
# The exact package comes from the installed headers metapackage
# (linux-headers-amd64 for 6.1, linux-headers-6.12-amd64 for 6.12,
# linux-headers-rt-amd64 for 6.1 with PREEMPT_RT), which
# depends on one linux-headers-<release> at one version; the image of that
# release and version is fetched with apt-get download and unpacked with
# dpkg -x into $MX_CACHE/kernel-<release>/, once.
set -euo pipefail
. "$(dirname "$0")/common.sh"

series=${1:?usage: kernel-stock.sh 6.1|6.12|rt-6.1}
case "$series" in
6.1) meta=linux-headers-amd64 ;;
6.12) meta=linux-headers-6.12-amd64 ;;
rt-6.1) meta=linux-headers-rt-amd64 ;;
*) die "unknown kernel series '$series' (want 6.1, 6.12 or rt-6.1)" ;;
esac

# "linux-headers-6.1.0-56-amd64 (= 6.1.192-2)" -> package and version.
dep=$(dpkg-query -W -f='${Depends}' "$meta" 2>/dev/null) ||
	die "$meta is not installed (run tools/vm/deps.sh)"
hdr=$(sed -n 's/^\(linux-headers-[^ ,]*\) (= \([^)]*\)).*/\1/p' <<<"$dep")
ver=$(sed -n 's/^\(linux-headers-[^ ,]*\) (= \([^)]*\)).*/\2/p' <<<"$dep")
[ -n "$hdr" ] && [ -n "$ver" ] || die "cannot read the headers package from $meta: '$dep'"
[ "$(pkg_version "$hdr")" = "$ver" ] ||
	die "$hdr $ver is not installed (run tools/vm/deps.sh)"
release=${hdr#linux-headers-}
kdir=/usr/src/$hdr
[ -f "$kdir/Makefile" ] || die "$kdir is missing (reinstall $hdr)"

img=linux-image-$release
dir=$MX_CACHE/kernel-$release
stamp="$img $ver"
if [ ! -f "$dir/.mx-done" ] || [ "$(cat "$dir/.mx-done")" != "$stamp" ]; then
	log "fetching $img $ver"
	rm -rf "$dir"
	mkdir -p "$dir"
	# apt-get download writes into the current directory as the _apt user,
	# which cannot reach into a private home: use a world-writable spool.
	dl=$(mktemp -d /tmp/mx-kernel.XXXXXX)
	trap 'rm -rf "$dl"' EXIT
	chmod 1777 "$dl"
	if ! (cd "$dl" && apt-get download -q "$img=$ver" >&2); then
		log "not in the package lists; refreshing them"
		as_root apt-get update -q >&2
		(cd "$dl" && apt-get download -q "$img=$ver" >&2) ||
			die "cannot download $img $ver; the archive may have moved on:" \
				"upgrade the headers (apt-get install $meta) and retry"
	fi
	dpkg -x "$dl"/*.deb "$dir/root"
	echo "$stamp" >"$dir/.mx-done"
fi

vmlinuz=$dir/root/boot/vmlinuz-$release
modules=$dir/root/lib/modules/$release
[ -f "$vmlinuz" ] || die "$vmlinuz missing from $img"
echo "$vmlinuz $kdir $modules"
