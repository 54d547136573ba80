#!/usr/bin/env bash
# make run: build the module for Debian's stock 6.12 kernel, libmx, the
# tests and the demo; boot a VM with mx loaded and run the demo
# (examples/bin/mx-demo, or the test programs when there is no demo).
#
# From a terminal, the VM then gives you a shell (/dev/mx ready, the tests
# in /tests, the examples in /examples); leave it with "poweroff -f" or
# Ctrl-A X. Without a terminal (CI), the VM powers off after the demo.
#
# The exit status is the demo's (with the test programs: the number that
# failed). The console is kept in build/vm/run/console.log.
set -euo pipefail
. "$(dirname "$0")/common.sh"

vm=$MX_TOP/tools/vm
dir=$MX_BUILD/run
mkdir -p "$dir"

"$vm/deps.sh"
for d in lib tests examples; do
	[ -f "$MX_TOP/$d/Makefile" ] || continue
	make -s -C "$MX_TOP/$d" -j"$(nproc)" >/dev/null ||
		die "make -C $d failed"
done
read -r vmlinuz kdir _ < <("$vm/kernel-stock.sh" 6.12)
[ -n "${kdir:-}" ] || die "no stock 6.12 kernel"
brc=0
"$vm/build-module.sh" "$kdir" "$dir/mod" || brc=$?
[ "$brc" = 0 ] || [ "$brc" = 3 ] || die "the module does not build (log: $dir/mod/build.log)"
"$vm/mkinitramfs.sh" --module "$dir/mod" "$dir/initramfs.cpio"

limit=${MX_TEST_TIMEOUT:-120}
if [ -t 0 ] && [ -t 1 ]; then
	log "booting Debian's 6.12 kernel; the demo runs, then you get a shell"
	"$vm/qemu.sh" -i -k "$dir/console.log" \
		-a "mx.mode=run mx.interactive=1 mx.timeout=$limit" \
		"$vmlinuz" "$dir/initramfs.cpio" || true
	# The terminal may be left in raw mode if QEMU was killed.
	stty sane 2>/dev/null || true
else
	log "booting Debian's 6.12 kernel to run the demo"
	qrc=0
	"$vm/qemu.sh" -k "$dir/console.log" -t $((limit + 300)) \
		-a "mx.mode=run mx.timeout=$limit" \
		"$vmlinuz" "$dir/initramfs.cpio" || qrc=$?
	# Show what the guest printed (the kernel's boot messages stay in the log).
	tr -d '\r' <"$dir/console.log" |
		sed -n '/^MX-VM-BEGIN/,$p' | grep -v '^MX-\(VM-BEGIN\|INFO\)\|^\[ *[0-9]' || true
	[ "$qrc" = 0 ] || log "QEMU ended with status $qrc (console: $dir/console.log)"
fi

# Kernel reports during the run are worth knowing about even here.
if grep -Eq 'BUG:|WARNING:|KASAN:|UBSAN:|Oops|Call Trace|Kernel panic' "$dir/console.log"; then
	log "the kernel reported problems during the run: see $dir/console.log"
fi
rc=$(tr -d '\r' <"$dir/console.log" | sed -n 's/^MX-DEMO-EXIT \([0-9]*\).*/\1/p' | tail -1)
if [ -z "$rc" ]; then
	log "the demo did not finish (console: $dir/console.log)"
	exit 1
fi
exit "$rc"
