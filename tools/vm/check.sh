#!/usr/bin/env bash
# make check (full) and make check-quick (quick).
#   full:  debug 6.12 kernel (KUnit, KASAN, lockdep, kmemleak, UBSAN) plus
#          the userspace suites; the same suites on Debian's stock 6.1 and
#          6.12; dkms builds; the runner's own self-test.
#   quick: the userspace suites on stock 6.12.
# The last line is "N passed, N failed"; the exit status is 1 on any failure.
set -euo pipefail
. "$(dirname "$0")/common.sh"

mode=${1:-full}
vm="$MX_TOP/tools/vm"
build="$MX_TOP/build/vm"
counts="$build/counts"
mkdir -p "$build"
: > "$counts"
rc=0

"$vm/deps.sh"
make -s -C "$MX_TOP/lib" >/dev/null
make -s -C "$MX_TOP/tests" >/dev/null
[ -f "$MX_TOP/examples/Makefile" ] && make -s -C "$MX_TOP/examples" >/dev/null

# run_suites LABEL VMLINUZ KDIR TIMEOUT
run_suites() {
	local label=$1 vmlinuz=$2 kdir=$3 limit=$4
	log "$label: building the module"
	"$vm/build-module.sh" "$kdir" "$build/mod-$label"
	"$vm/mkinitramfs.sh" "$build/$label.cpio.gz" "$build/mod-$label"
	log "$label: booting (console in $build/$label.log)"
	"$vm/boot.sh" "$vmlinuz" "$build/$label.cpio.gz" "$build/$label.log" \
		"$limit" "mx.mode=test mx.timeout=$((limit / 8))"
	"$MX_TOP/tests/runner/parse.sh" "$build/$label.log" "$label" "$counts" ||
		{ rc=1; log "$label: see $build/$label.log"; }
}

read -r v612 k612 < <("$vm/kernel-stock.sh" 6.12)
if [ "$mode" = full ]; then
	kdebug=$("$vm/kernel-debug.sh")
	run_suites debug-6.12 "$kdebug/arch/x86/boot/bzImage" "$kdebug" 1500
	read -r v61 k61 < <("$vm/kernel-stock.sh" 6.1)
	run_suites stock-6.1 "$v61" "$k61" 600
	run_suites stock-6.12 "$v612" "$k612" 600
	"$vm/dkms-check.sh" "$counts" || rc=1
	"$MX_TOP/tests/runner/selftest.sh" "$counts" || rc=1
else
	run_suites stock-6.12 "$v612" "$k612" 600
	"$MX_TOP/tests/runner/selftest.sh" "$counts" || rc=1
fi

awk '{ p += $1; f += $2 } END { printf "%d passed, %d failed\n", p, f }' "$counts"
exit "$rc"
