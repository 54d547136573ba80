#!/usr/bin/env bash
# make run: build everything, boot stock 6.12 with mx loaded, run the demo,
# and from a terminal stay at a shell inside the VM.
set -euo pipefail
. "$(dirname "$0")/common.sh"

vm="$MX_TOP/tools/vm"
build="$MX_TOP/build/vm"
mkdir -p "$build"
"$vm/deps.sh"
make -s -C "$MX_TOP/lib" >/dev/null
make -s -C "$MX_TOP/tests" >/dev/null
make -s -C "$MX_TOP/examples" >/dev/null
read -r vmlinuz kdir < <("$vm/kernel-stock.sh" 6.12)
"$vm/build-module.sh" "$kdir" "$build/mod-run"
if [ -t 0 ] && [ -t 1 ]; then
	export MX_INTERACTIVE=1
fi
"$vm/mkinitramfs.sh" "$build/run.cpio.gz" "$build/mod-run"
if [ -n "${MX_INTERACTIVE:-}" ]; then
	"$vm/boot.sh" "$vmlinuz" "$build/run.cpio.gz" "$build/run.log" 0 "mx.mode=run"
else
	"$vm/boot.sh" "$vmlinuz" "$build/run.cpio.gz" "$build/run.log" 300 "mx.mode=run"
	sed -n '/^MX-LOADED/,/^MX-VM-DONE/p' "$build/run.log" | tr -d '\r'
fi
grep -q "^MX-DEMO-EXIT 0" <(tr -d '\r' < "$build/run.log")
