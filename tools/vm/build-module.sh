#!/usr/bin/env bash
# Build mx.ko (and mx_kunit.ko where the kernel has KUnit) for one kernel,
# in a copy of the sources so builds for several kernels never clash.
# Usage: build-module.sh KDIR OUTDIR. Fails on any compiler warning.
set -euo pipefail
. "$(dirname "$0")/common.sh"

kdir=${1:?usage: build-module.sh KDIR OUTDIR}
out=${2:?usage: build-module.sh KDIR OUTDIR}
mkdir -p "$out"
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	--exclude '*.mod*' --exclude 'modules.order' \
	"$MX_TOP/Kbuild" "$MX_TOP/module" "$MX_TOP/uapi" "$out/"
if ! make -s -C "$kdir" M="$out" modules >"$out/build.log" 2>&1; then
	cat "$out/build.log" >&2
	die "module build failed for $kdir"
fi
if grep -q "warning:" "$out/build.log"; then
	cat "$out/build.log" >&2
	die "module build for $kdir has warnings"
fi
