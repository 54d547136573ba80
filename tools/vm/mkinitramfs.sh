#!/usr/bin/env bash
# Build a busybox initramfs: /init, the modules, test programs, examples.
# Usage: mkinitramfs.sh OUT.cpio.gz MODDIR [TESTBIN_DIR [EXAMPLES_DIR]]
set -euo pipefail
. "$(dirname "$0")/common.sh"

out=${1:?} moddir=${2:?}
testdir=${3:-$MX_TOP/tests/bin}
exdir=${4:-$MX_TOP/examples/bin}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,proc,sys,dev,tmp,tests,examples}
cp /bin/busybox "$root/bin/busybox"
install -m 755 "$MX_TOP/tools/vm/guest-init.sh" "$root/init"
cp "$moddir"/module/mx.ko "$root/"
[ -f "$moddir/module/mx_kunit.ko" ] && cp "$moddir/module/mx_kunit.ko" "$root/"
[ -d "$testdir" ] && cp "$testdir"/* "$root/tests/" 2>/dev/null || true
[ -d "$exdir" ] && cp "$exdir"/* "$root/examples/" 2>/dev/null || true
[ -n "${MX_INTERACTIVE:-}" ] && touch "$root/interactive"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out"
