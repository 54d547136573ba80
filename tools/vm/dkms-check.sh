#!/usr/bin/env bash
# Check that the tree works as a DKMS package: dkms add of the sources as
# make dist packs them, then for each given kernel dkms build and dkms
# install (the
# module lands in /lib/modules/RELEASE/updates/dkms with that kernel's
# vermagic) and dkms uninstall, then dkms remove. The copy carries its own
# version (PACKAGE_VERSION-check<pid>), so a real installation of mx is
# never touched; a kernel that already has an mx module installed by DKMS
# is built for but not installed for.
#
# Usage: dkms-check.sh [-c COUNTS] RELEASE...   (e.g. 6.1.0-56-amd64)
# Prints "ok - ..."/"not ok - ..." lines per kernel (and one for the
# version that make dist stamps into dkms.conf), then
# "dkms: N passed, N failed"; appends "dkms PASSED FAILED 0" to COUNTS.
set -euo pipefail
. "$(dirname "$0")/common.sh"

counts=""
if [ "${1:-}" = -c ]; then
	counts=$2
	shift 2
fi
[ $# -ge 1 ] || die "usage: dkms-check.sh [-c COUNTS] RELEASE..."

base=$(cat "$MX_TOP/VERSION")
[ -n "$base" ] || die "no version in VERSION"
# A version of its own per run, so that two checks on one machine do not
# meet; one left behind by a run that was killed is removed here.
ver=$base-check$$
logs=$MX_BUILD/dkms
passed=0 failed=0

remove() {
	as_root dkms remove "mx/$1" --all >/dev/null 2>&1 || true
	as_root rm -rf "/usr/src/mx-$1"
}
for old in /usr/src/mx-*-check[0-9]*; do
	[ -d "$old" ] || continue
	old=${old#/usr/src/mx-}
	kill -0 "${old##*-check}" 2>/dev/null || remove "$old"
done
cleanup() {
	remove "$ver"
	rm -rf "${tmp:-}"
}
trap cleanup EXIT
rm -rf "$logs"
mkdir -p "$logs"

# What DKMS builds from: make dist's tarball, whose dkms.conf carries
# the release's version (the tree's says #MODULE_VERSION#).
tmp=$(mktemp -d)
make -s -C "$MX_TOP" dist DISTDIR="$tmp" >/dev/null
tar -C "$tmp" -xzf "$tmp/mx-$base.tar.gz"
src=$tmp/mx-$base
stamped=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$src/dkms.conf")
if [ "$stamped" = "$base" ]; then
	echo "ok - make dist stamps dkms.conf with VERSION ($base)"
	passed=$((passed + 1))
else
	echo "not ok - make dist's dkms.conf has version '$stamped', VERSION $base"
	failed=$((failed + 1))
fi
sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$ver\"/" "$src/dkms.conf"
chmod -R a+rX "$src"

# install_check RELEASE: dkms install, the module where it belongs with the
# kernel's vermagic, dkms uninstall.
install_check() {
	local k=$1 ko dest=/lib/modules/$1/updates/dkms vm
	if compgen -G "$dest/mx.ko*" >/dev/null; then
		echo "ok - dkms install for $k # SKIP an mx module is installed there already"
		return
	fi
	if ! as_root dkms install "mx/$ver" -k "$k" >"$logs/install-$k.log" 2>&1; then
		sed 's/^/    /' "$logs/install-$k.log"
		echo "not ok - dkms install for $k (log: $logs/install-$k.log)"
		failed=$((failed + 1))
		return
	fi
	ko=$(compgen -G "$dest/mx.ko*" | head -1 || true)
	vm=""
	[ -z "$ko" ] || vm=$(modinfo -F vermagic "$ko" 2>/dev/null | cut -d' ' -f1)
	if [ "$vm" = "$k" ]; then
		echo "ok - dkms install for $k ($ko)"
		passed=$((passed + 1))
	else
		echo "not ok - dkms install for $k: module '$ko', vermagic '$vm'"
		failed=$((failed + 1))
	fi
	if as_root dkms uninstall "mx/$ver" -k "$k" >"$logs/uninstall-$k.log" 2>&1 &&
		! compgen -G "$dest/mx.ko*" >/dev/null; then
		echo "ok - dkms uninstall for $k"
		passed=$((passed + 1))
	else
		echo "not ok - dkms uninstall for $k (log: $logs/uninstall-$k.log)"
		failed=$((failed + 1))
	fi
}

if ! as_root dkms add "$src" >"$logs/add.log" 2>&1; then
	cat "$logs/add.log"
	echo "not ok - dkms add"
	failed=$((failed + 1))
else
	for k in "$@"; do
		built=/var/lib/dkms/mx/$ver/$k/x86_64/module/mx.ko
		if as_root dkms build "mx/$ver" -k "$k" >"$logs/build-$k.log" 2>&1 &&
			{ [ -f "$built" ] || [ -f "$built.xz" ]; }; then
			echo "ok - dkms build for $k"
			passed=$((passed + 1))
			install_check "$k"
		else
			sed 's/^/    /' "$logs/build-$k.log"
			make_log=/var/lib/dkms/mx/$ver/build/make.log
			[ -f "$make_log" ] && tail -30 "$make_log" | sed 's/^/    /'
			echo "not ok - dkms build for $k (log: $logs/build-$k.log)"
			failed=$((failed + 1))
		fi
	done
fi

echo "dkms: $passed passed, $failed failed"
[ -z "$counts" ] || echo "dkms $passed $failed 0" >>"$counts"
[ "$failed" -eq 0 ]
