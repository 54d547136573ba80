#!/usr/bin/env bash
# Pack the VM's initramfs: static busybox, /init (tools/vm/guest-init.sh),
# the modules, the test programs and the programs they exec, the examples
# and the benchmarks. One layout serves every mode; the kernel command line
# picks what runs (see guest-init.sh).
#
# Usage: mkinitramfs.sh [options] OUT.cpio
#   --module DIR     a build-module.sh output dir: DIR/module/mx.ko and,
#                    when built, DIR/module/mx_kunit.ko
#   --tests DIR      test programs (default tests/bin)
#   --helpers DIR    programs the tests exec (default tests/helpers/bin),
#                    packed into /helpers owned by root: mode 4755
#                    (setuid root) for a name ending in -setuid, else 0755
#   --examples DIR   examples (default examples/bin)
#   --bench DIR      benchmark programs (default bench/bin)
#   --file SRC:DEST  any other file, e.g. a driver for /modules/extra/
#   (a DIR of "none" leaves that part out; a missing default is skipped)
#
# MX_TESTS="abi channel" keeps only the named test programs.
#
# The archive is not compressed: every kernel accepts a plain cpio, and the
# KASAN kernel under emulation reaches /init about 1.5 s sooner without
# inflating one (Debian's kernels: no difference).
set -euo pipefail
. "$(dirname "$0")/common.sh"

moddir="" files=()
testdir=$MX_TOP/tests/bin
helperdir=$MX_TOP/tests/helpers/bin
exdir=$MX_TOP/examples/bin
benchdir=$MX_TOP/bench/bin
while [ $# -gt 1 ]; do
	case "$1" in
	--module) moddir=$2 ;;
	--tests) testdir=$2 ;;
	--helpers) helperdir=$2 ;;
	--examples) exdir=$2 ;;
	--bench) benchdir=$2 ;;
	--file) files+=("$2") ;;
	*) die "unknown option $1" ;;
	esac
	shift 2
done
out=${1:?usage: mkinitramfs.sh [options] OUT.cpio}

# The guest has no libc: busybox-static's /bin/busybox is the static one.
busybox=/bin/busybox
[ -n "$(pkg_version busybox-static)" ] && [ -x "$busybox" ] ||
	die "busybox-static is not installed (run tools/vm/deps.sh)"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp,modules/extra,tests,helpers,examples,bench}

# busybox and a link per applet (made here, so boot does not spend time on
# "busybox --install" under emulation).
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
install -m 755 "$MX_TOP/tools/vm/guest-init.sh" "$root/init"

if [ -n "$moddir" ]; then
	[ -f "$moddir/module/mx.ko" ] || die "no $moddir/module/mx.ko"
	cp "$moddir/module/mx.ko" "$root/modules/"
	if [ -f "$moddir/module/mx_kunit.ko" ]; then
		cp "$moddir/module/mx_kunit.ko" "$root/modules/"
	fi
fi

# copy_progs SRC DEST: the regular files of SRC (filtered by MX_TESTS for
# the tests and by MX_BENCH for the benchmarks).
copy_progs() {
	local src=$1 dest=$2 f name
	[ "$src" != none ] && [ -d "$src" ] || return 0
	for f in "$src"/*; do
		[ -f "$f" ] || continue
		name=${f##*/}
		if [ "$dest" = tests ] && [ -n "${MX_TESTS:-}" ]; then
			case " $MX_TESTS " in *" $name "*) ;; *) continue ;; esac
		fi
		if [ "$dest" = bench ] && [ -n "${MX_BENCH:-}" ]; then
			case " $MX_BENCH " in *" $name "*) ;; *) continue ;; esac
		fi
		cp -p "$f" "$root/$dest/"
	done
}
copy_progs "$testdir" tests
copy_progs "$exdir" examples
copy_progs "$helperdir" helpers
# The archive makes every file root's (cpio -R 0:0) and keeps the modes.
for f in "$root"/helpers/*; do
	[ -f "$f" ] || continue
	case "$f" in
	*-setuid) chmod 4755 "$f" ;;
	*) chmod 755 "$f" ;;
	esac
done
copy_progs "$benchdir" bench

for f in "${files[@]}"; do
	src=${f%%:*} dest=${f#*:}
	[ -f "$src" ] || die "--file: no $src"
	mkdir -p "$root/$(dirname "$dest")"
	cp "$src" "$root/$dest"
done

# Dynamically linked programs (mxls needs libsmartcols, which Debian ships
# only shared; a program built against an installed libmx.so): the
# loader and the libraries ldd names, at the same paths.
find "$root" -type f -perm -u+x ! -name busybox ! -name init | while read -r f; do
	readelf -l "$f" 2>/dev/null | grep -q 'Requesting program interpreter' || continue
	ldd "$f" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p' |
	while read -r lib; do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
done

mkdir -p "$(dirname "$out")"
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
