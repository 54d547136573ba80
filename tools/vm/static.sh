#!/usr/bin/env bash
# Static checks: sparse, checkpatch and the lock assertions for the module,
# cppcheck for libmx, and no cycle in the calls between the files of either
# (callgraph).
#
# Usage: static.sh KDIR OUTDIR
#   KDIR    a configured kernel build tree (the debug kernel's)
#   OUTDIR  where the sparse build and the logs go
#
# Prints one "ok - NAME" or "not ok - NAME: why" line per check and exits 1
# when any fails. Logs: OUTDIR/{sparse,checkpatch,locked,cppcheck,callgraph}.log.
set -euo pipefail
. "$(dirname "$0")/common.sh"

kdir=${1:?usage: static.sh KDIR OUTDIR}
out=${2:?usage: static.sh KDIR OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
fails=0

result() {
	if [ "$2" = 0 ]; then
		echo "ok - $1"
	else
		echo "not ok - $1: $3 (log: $out/$1.log)"
		fails=$((fails + 1))
	fi
}

# sparse: C=2 checks every file, built or not, in a copy of the tree of its
# own so the objects of the test builds are not touched.
rc=0
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	"$MX_TOP/Kbuild" "$MX_TOP/VERSION" "$MX_TOP/module" "$MX_TOP/uapi" "$out/src/"
make -C "$kdir" M="$out/src" C=2 CHECK="sparse -Wno-unknown-attribute" \
	-j"$(nproc)" modules >"$out/sparse.log" 2>&1 || rc=$?
# sparse reports as "file:line:col: warning|error: ..."
n=$(grep -cE '^[^ ]+:[0-9]+:[0-9]+: (warning|error):' "$out/sparse.log" || true)
if [ "$rc" != 0 ] || [ "$n" != 0 ]; then
	grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error):' "$out/sparse.log" | head -20 >&2 || true
	result sparse 1 "$n reports (make status $rc)"
else
	result sparse 0
fi

# checkpatch: every file of the module
cp=$(ls "$MX_CACHE"/linux-source-6.12-*/scripts/checkpatch.pl 2>/dev/null | head -1)
if [ -z "$cp" ]; then
	result checkpatch 1 "no checkpatch.pl under $MX_CACHE"
else
	: >"$out/checkpatch.log"
	rc=0
	for f in "$MX_TOP"/module/*.[ch]; do
		"$cp" --no-tree -q -f "$f" >>"$out/checkpatch.log" 2>&1 || rc=1
	done
	[ "$rc" = 0 ] || head -20 "$out/checkpatch.log" >&2
	result checkpatch "$rc" "reports in $(grep -c '^#.*FILE:' "$out/checkpatch.log" || true) places"
fi

# Every _locked function of the module asserts the lock it says it needs.
rc=0
"$MX_TOP"/tools/locked-check.sh >"$out/locked.log" 2>&1 || rc=$?
[ "$rc" = 0 ] || head -20 "$out/locked.log" >&2
result locked "$rc" "$(grep -c 'asserts no lock' "$out/locked.log" || true) functions assert no lock"

# cppcheck: libmx
rc=0
cppcheck --error-exitcode=1 --enable=warning,portability,performance \
	--std=c11 -q --inline-suppr -I "$MX_TOP/lib/include" -I "$MX_TOP/uapi" \
	"$MX_TOP"/lib/*.c >"$out/cppcheck.log" 2>&1 || rc=$?
[ "$rc" = 0 ] || head -20 "$out/cppcheck.log" >&2
result cppcheck "$rc" "reports"

# callgraph: the module's objects are those of the sparse build above
rc=0
"$MX_TOP/tools/callgraph.sh" -m "$out/src/module" module lib \
	>"$out/callgraph.log" 2>&1 || rc=$?
[ "$rc" = 0 ] || grep -E 'not allowed|does not build|^callgraph:' "$out/callgraph.log" | head -20 >&2 || true
result callgraph "$rc" "a cycle not allowed, or no objects (status $rc)"

[ "$fails" = 0 ]
