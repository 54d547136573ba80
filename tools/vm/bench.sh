#!/usr/bin/env bash
# make bench: build the module for Debian's stock 6.12 kernel, libmx and
# the benchmarks (bench/), boot a VM in bench mode (guest-init.sh runs
# every program in /bench) and print what they print.
#
# Benchmarks compare mx with Linux primitives measured in the same run;
# under TCG (no KVM) the absolute figures are those of an emulated CPU,
# only the ratios mean something. The console is kept in
# build/vm/bench/console.log.
set -euo pipefail
. "$(dirname "$0")/common.sh"

vm=$MX_TOP/tools/vm
dir=$MX_BUILD/bench
mkdir -p "$dir"

"$vm/deps.sh"
for d in lib bench; do
	make -s -C "$MX_TOP/$d" -j"$(nproc)" >/dev/null || die "make -C $d failed"
done
read -r vmlinuz kdir _ < <("$vm/kernel-stock.sh" 6.12)
[ -n "${kdir:-}" ] || die "no stock 6.12 kernel"
brc=0
"$vm/build-module.sh" "$kdir" "$dir/mod" || brc=$?
[ "$brc" = 0 ] || [ "$brc" = 3 ] || die "the module does not build (log: $dir/mod/build.log)"
"$vm/mkinitramfs.sh" --module "$dir/mod" --tests none --examples none \
	"$dir/initramfs.cpio"

limit=${MX_TEST_TIMEOUT:-600}
log "booting Debian's 6.12 kernel ($(mx_accel "$vmlinuz")) to run the benchmarks"
qrc=0
"$vm/qemu.sh" -k "$dir/console.log" -o "$dir/output.log" -t $((limit + 300)) \
	-a "mx.mode=bench mx.timeout=$limit" "$vmlinuz" "$dir/initramfs.cpio" || qrc=$?
tr -d '\r' <"$dir/output.log" | grep -v '^MX-\(VM-BEGIN\|INFO\|VM-DONE\)' || true
[ "$qrc" = 0 ] || die "QEMU ended with status $qrc (console: $dir/console.log)"
grep -q '^MX-VM-DONE' "$dir/output.log" || die "the run did not finish (console: $dir/console.log)"
