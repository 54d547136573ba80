#!/usr/bin/env bash
# Build (or reuse from the cache) the debug 6.12 kernel: tinyconfig plus
# debug.config, from Debian's linux-source-6.12. Prints the build directory
# (usable as KDIR for out-of-tree modules; bzImage is under arch/x86/boot).
#
# Usage: kernel-debug.sh [rt]
#   rt   the PREEMPT_RT variant: rt-debug.config merged over debug.config
#
# The cache key is the hash of the config fragments, the linux-source
# package version and the compiler version, so a change to any of them
# rebuilds.
set -euo pipefail
. "$(dirname "$0")/common.sh"

tarball=/usr/src/linux-source-6.12.tar.xz
[ -f "$tarball" ] || die "missing $tarball (run tools/vm/deps.sh)"
srcver=$(pkg_version linux-source-6.12)
frags=("$MX_TOP/tools/vm/debug.config")
name=debug
case "${1:-}" in
"") ;;
rt) frags+=("$MX_TOP/tools/vm/rt-debug.config"); name=debug-rt ;;
*) die "usage: kernel-debug.sh [rt]" ;;
esac
key=$( { cat "${frags[@]}"; echo "$srcver"; gcc --version | head -1; } | sha256sum | cut -c1-16)
out="$MX_CACHE/kernel-$name-$key"

if [ -f "$out/.mx-done" ]; then
	echo "$out"
	exit 0
fi

src="$MX_CACHE/linux-source-6.12-$srcver"
if [ ! -f "$src/.mx-extracted" ]; then
	log "extracting $tarball"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -C "$src.tmp" -xf "$tarball" --strip-components=1
	touch "$src.tmp/.mx-extracted"
	mv "$src.tmp" "$src"
fi

log "building the $name kernel in $out (a few minutes on 2 cores, once)"
rm -rf "$out"
mkdir -p "$out"
export CCACHE_DIR="$MX_CACHE/ccache"
cc="gcc"
command -v ccache >/dev/null && cc="ccache gcc"
jobs=$(nproc)
make -s -C "$src" O="$out" CC="$cc" tinyconfig >/dev/null
(cd "$out" && "$src/scripts/kconfig/merge_config.sh" -m .config "${frags[@]}" >/dev/null)
make -s -C "$src" O="$out" CC="$cc" olddefconfig >/dev/null
# Every line of the fragments (the last one for an option set twice) must
# have survived olddefconfig.
missing=0
while IFS= read -r line; do
	case "$line" in ''|'#'*) continue ;; esac
	opt=${line%%=*}
	val=${line#*=}
	if [ "$val" = n ]; then
		grep -q "^$opt=" "$out/.config" && { log "config: $opt still set"; missing=1; }
	else
		grep -q "^$line\$" "$out/.config" || { log "config: $line did not stick"; missing=1; }
	fi
done < <(awk '/^CONFIG_/ { opt = $0; sub(/=.*/, "", opt); if (!(opt in v)) order[n++] = opt; v[opt] = $0 }
	END { for (i = 0; i < n; i++) print v[order[i]] }' "${frags[@]}")
[ "$missing" -eq 0 ] || die "${frags[*]##*/} do not apply cleanly to linux-source $srcver"
make -s -C "$src" O="$out" CC="$cc" -j"$jobs" bzImage modules >"$out/build.log" 2>&1 ||
	{ tail -40 "$out/build.log" >&2; die "debug kernel build failed"; }
touch "$out/.mx-done"
echo "$out"
