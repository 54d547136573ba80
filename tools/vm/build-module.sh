#!/usr/bin/env bash
# Build mx.ko (and mx_kunit.ko, where the kernel has KUnit) for one kernel.
#
# Usage: build-module.sh KDIR OUTDIR
#
# The sources (Kbuild, VERSION, module/, uapi/) are mirrored into OUTDIR and built
# there with make -C KDIR M=OUTDIR, so builds for several kernels never
# clash with each other or with an in-tree build. Later calls rebuild only
# what changed. The compiler output is kept in OUTDIR/build.log.
#
# Exit status: 0 built cleanly, 1 the build failed, 3 built with compiler
# warnings (printed; the caller decides whether they fail the run).
set -euo pipefail
. "$(dirname "$0")/common.sh"

kdir=${1:?usage: build-module.sh KDIR OUTDIR}
out=${2:?usage: build-module.sh KDIR OUTDIR}
[ -f "$kdir/Makefile" ] || die "$kdir is not a kernel build directory"

mkdir -p "$out"
# Leave build products of an in-tree build behind; keep our own in OUTDIR
# (excluded files are not deleted), so rebuilds are incremental.
rsync -a --delete \
	--exclude '*.o' --exclude '*.ko' --exclude '*.mod' --exclude '*.mod.c' \
	--exclude '.*.cmd' --exclude '*.order' --exclude 'Module.symvers' \
	--exclude '.*.d' --exclude '*.a' \
	"$MX_TOP/Kbuild" "$MX_TOP/VERSION" "$MX_TOP/module" "$MX_TOP/uapi" "$out/"

if ! make -C "$kdir" M="$out" -j"$(nproc)" modules >"$out/build.log" 2>&1; then
	grep -E 'error|warning' "$out/build.log" >&2 || tail -30 "$out/build.log" >&2
	log "module build for $kdir failed (full log: $out/build.log)"
	exit 1
fi
[ -f "$out/module/mx.ko" ] || { log "no module/mx.ko after the build in $out"; exit 1; }
if grep -qi 'warning:' "$out/build.log"; then
	grep -i -A3 'warning:' "$out/build.log" >&2
	log "module build for $kdir has warnings (full log: $out/build.log)"
	exit 3
fi
exit 0
