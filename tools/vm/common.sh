# Shared helpers for the VM scripts. Sourced, not run.
# shellcheck shell=bash

MX_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MX_CACHE=${MX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mx}
# Per-checkout outputs (module builds, initramfs images, console logs).
MX_BUILD=${MX_BUILD:-$MX_TOP/build/vm}
mkdir -p "$MX_CACHE"

log() { printf '[mx-vm] %s\n' "$*" >&2; }
die() { printf '[mx-vm] error: %s\n' "$*" >&2; exit 1; }

# sudo only when not root (CI and the build machines run as root).
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "need root for: $* (run as root or install sudo)"
	fi
}

# The Debian package version of an installed package, or empty.
pkg_version() {
	dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true
}

# Seconds since the epoch with centiseconds, for timings.
now() { date +%s.%2N; }

# elapsed START: seconds since START (a value of now), one decimal.
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# mx_accel KERNEL: print "kvm" when KVM can really run a guest, else "tcg".
#
# /dev/kvm may exist and still fail (nested virtualisation without the MSRs
# QEMU wants: QEMU then aborts or hangs), so the probe boots KERNEL with no
# root until its panic reboots the guest. MX_KVM=1 or MX_KVM=0 skips the
# probe. The answer is kept for the rest of this host boot.
mx_accel() {
	local kernel=$1 boot_id cache="$MX_CACHE/accel" out
	case "${MX_KVM:-}" in
	1) echo kvm; return ;;
	0) echo tcg; return ;;
	esac
	if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
		echo tcg
		return
	fi
	boot_id=$(cat /proc/sys/kernel/random/boot_id)
	if [ -f "$cache" ] && [ "$(cut -d' ' -f1 "$cache")" = "$boot_id" ]; then
		cut -d' ' -f2 "$cache"
		return
	fi
	out=$(timeout 30 qemu-system-x86_64 -accel kvm -cpu max -m 256 \
		-nodefaults -no-user-config -display none -serial stdio \
		-no-reboot -kernel "$kernel" \
		-append "console=ttyS0 panic=-1 rdinit=/none root=/dev/none" \
		</dev/null 2>&1) || true
	if grep -q "Kernel panic" <<<"$out"; then
		echo "$boot_id kvm" >"$cache"
		echo kvm
	else
		log "KVM does not work here; using TCG (slower). MX_KVM=1 forces KVM."
		echo "$boot_id tcg" >"$cache"
		echo tcg
	fi
}
