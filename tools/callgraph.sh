#!/usr/bin/env bash
# Static check: no cycle in the calls between the files of the module or
# of libmx.
#
# Usage: callgraph.sh [-k KDIR] [-m OBJDIR] [module] [lib]
#   module      the module's objects (the mx-y list of module/Kbuild):
#               those in OBJDIR when given (a module build, such as
#               tools/vm/static.sh's), else built here in a copy of the
#               tree against KDIR (default: Debian's 6.12 headers)
#   lib         libmx's objects, from make -C lib
#   (none)      both
#
# A file calls another when one of the symbols nm lists undefined (U) in
# its object is a function (T) the other defines. Every group of files
# that call each other round a cycle is printed, with its cycles and the
# calls that make them (tools/callgraph.awk). The module's cycles must be
# pairs named in tools/callgraph-module.allow ("a.c b.c  # why", the pair
# read in either direction); libmx has no allow list: it must have none.
# Exit status 1 when a cycle is not allowed.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kdir=
objdir=
while getopts k:m: opt; do
	case $opt in
	k) kdir=$OPTARG ;;
	m) objdir=$OPTARG ;;
	*) echo "usage: callgraph.sh [-k KDIR] [-m OBJDIR] [module] [lib]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- module lib

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# "T FILE SYMBOL" and "U FILE SYMBOL" lines for the objects given, each
# named after its source file.
symbols() {
	local o src
	for o in "$@"; do
		src=$(basename "${o%.o}").c
		nm -g --defined-only "$o" | awk -v f="$src" '$2 == "T" || $2 == "W" { print "T", f, $3 }'
		nm -u "$o" | awk -v f="$src" '{ print "U", f, $NF }'
	done
}

check() {
	local name=$1 allow=$2
	shift 2
	symbols "$@" | awk -v name="$name" -v allow="$allow" -f "$top/tools/callgraph.awk"
}

# The objects of mx.ko, in module/Kbuild's order.
module_objects() {
	awk '/^mx-y[ \t]*:?=/ { on = 1; sub(/^[^=]*=/, "") }
	     on { line = $0; sub(/\\$/, "", line); printf "%s ", line
		  if ($0 !~ /\\$/) on = 0 }' "$top/module/Kbuild"
}

rc=0
for what in "$@"; do
	case $what in
	module)
		if [ -z "$objdir" ]; then
			[ -n "$kdir" ] || kdir=$(ls -d /usr/src/linux-headers-6.12*-amd64 2>/dev/null | head -1)
			[ -d "$kdir" ] || { echo "callgraph: no kernel headers (-k KDIR)" >&2; exit 2; }
			mkdir -p "$tmp/src"
			cp -a "$top/Kbuild" "$top/VERSION" "$top/module" "$top/uapi" "$tmp/src/"
			find "$tmp/src" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \) -delete
			if ! make -C "$kdir" M="$tmp/src" MX_KUNIT=n -j2 modules \
				>"$tmp/build.log" 2>&1; then
				tail -20 "$tmp/build.log" >&2
				echo "callgraph: the module does not build" >&2
				exit 2
			fi
			objdir=$tmp/src/module
		fi
		objs=()
		for o in $(module_objects); do
			[ -f "$objdir/$o" ] || { echo "callgraph: no $objdir/$o" >&2; exit 2; }
			objs+=("$objdir/$o")
		done
		check module "$top/tools/callgraph-module.allow" "${objs[@]}" || rc=1
		;;
	lib)
		make -s -C "$top/lib" >"$tmp/lib.log" 2>&1 || {
			cat "$tmp/lib.log" >&2
			echo "callgraph: libmx does not build" >&2
			exit 2
		}
		objs=()
		for c in "$top"/lib/*.c; do
			objs+=("${c%.c}.o")
		done
		check lib "" "${objs[@]}" || rc=1
		;;
	*)
		echo "usage: callgraph.sh [-k KDIR] [-m OBJDIR] [module] [lib]" >&2
		exit 2
		;;
	esac
done
exit $rc
