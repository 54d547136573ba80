#!/usr/bin/env bash
# Boot a kernel and initramfs in QEMU, console to LOG (and to the terminal
# when MX_INTERACTIVE is set). KVM is used only when it really works
# (MX_KVM=1 forces it, MX_KVM=0 forbids it); otherwise TCG.
# Usage: boot.sh KERNEL INITRD LOG TIMEOUT_S [EXTRA_CMDLINE]
set -euo pipefail
. "$(dirname "$0")/common.sh"

kernel=${1:?} initrd=${2:?} logf=${3:?} limit=${4:?} extra=${5:-}
accel=tcg
if [ "${MX_KVM:-auto}" = 1 ]; then
	accel=kvm
elif [ "${MX_KVM:-auto}" = auto ] && [ -w /dev/kvm ]; then
	# /dev/kvm exists on some hosts without working; try a tiny boot.
	if timeout 10 qemu-system-x86_64 -accel kvm -m 64 -nographic \
		-no-reboot -kernel "$kernel" -append "console=ttyS0 panic=-1 \
		rdinit=/nonexistent" </dev/null 2>&1 | grep -q "Linux version"; then
		accel=kvm
	fi
fi
args=(-accel "$accel" -cpu max -m 2G -smp 2 -nographic -no-reboot
      -kernel "$kernel" -initrd "$initrd"
      -append "console=ttyS0 panic=-1 tsc=reliable $extra")
if [ -n "${MX_INTERACTIVE:-}" ]; then
	qemu-system-x86_64 "${args[@]}" | tee "$logf"
else
	timeout "$limit" qemu-system-x86_64 "${args[@]}" </dev/null >"$logf" 2>&1 || true
fi
