#!/usr/bin/env bash
# Boot a kernel and initramfs in QEMU.
#
# Usage: qemu.sh [options] KERNEL INITRD
#   -a ARGS   more kernel command line (e.g. "mx.mode=test")
#   -k FILE   the kernel console (first serial port) goes to FILE
#   -o FILE   a second serial port goes to FILE and the guest writes its
#             own output there (mx.out=ttyS1), apart from kernel messages
#   -t SECS   wall-clock limit; QEMU is killed after it (default 600,
#             0 = none)
#   -m MEM    guest memory (default 2G, or MX_QEMU_MEM)
#   -i        interactive: the console is this terminal (Ctrl-A X quits
#             QEMU, Ctrl-C goes to the guest); -k FILE also logs it
#
# KVM is used when it works (see mx_accel in common.sh; MX_KVM=0/1
# decides), TCG otherwise. MX_QEMU_SMP overrides the 2 CPUs. Exit status:
# QEMU's, or 124 when the limit killed it.
set -euo pipefail
. "$(dirname "$0")/common.sh"

extra="" klog="" ulog="" limit=600 interactive=0 mem=${MX_QEMU_MEM:-2G}
while getopts "a:k:o:t:m:i" opt; do
	case "$opt" in
	a) extra=$OPTARG ;;
	k) klog=$OPTARG ;;
	o) ulog=$OPTARG ;;
	t) limit=$OPTARG ;;
	m) mem=$OPTARG ;;
	i) interactive=1 ;;
	*) die "usage: qemu.sh [-a ARGS] [-k FILE] [-o FILE] [-t SECS] [-m MEM] [-i] KERNEL INITRD" ;;
	esac
done
shift $((OPTIND - 1))
kernel=${1:?usage: qemu.sh [options] KERNEL INITRD}
initrd=${2:?usage: qemu.sh [options] KERNEL INITRD}
[ -f "$kernel" ] || die "no kernel $kernel"
[ -f "$initrd" ] || die "no initramfs $initrd"

accel=$(mx_accel "$kernel")
# panic=-1: a panic restarts the guest at once, and -no-reboot turns the
#   restart into QEMU's exit (as does the guest's final "reboot -f").
# oops=panic: an oops leaves the kernel in a state nothing can be learnt
#   from any more; stop there instead of waiting for the time limit.
# tsc=reliable: keeps the TSC clocksource under emulation (timings).
cmdline="console=ttyS0 panic=-1 oops=panic tsc=reliable $extra"

# Under TCG the guest CPUs share one host thread (MX_TCG_THREAD=multi
# gives each its own): with a thread each, a kernel patching its own
# text (static keys: the first memory cgroup, early boot) has been seen
# to hang or oops on the other CPU, which never happens on hardware.
accel_opt=$accel
[ "$accel" != tcg ] || accel_opt="tcg,thread=${MX_TCG_THREAD:-single}"
args=(-accel "$accel_opt" -cpu max -m "$mem" -smp "${MX_QEMU_SMP:-2}"
	-nodefaults -no-user-config -display none -no-reboot
	-kernel "$kernel" -initrd "$initrd")
# qboot lists every CPU in its MP table; SeaBIOS's lists only the boot CPU,
# and the debug kernel (no ACPI) then runs on one CPU whatever -smp says.
qboot=/usr/share/qemu/qboot.rom
[ -f "$qboot" ] && args+=(-bios "$qboot")

if [ "$interactive" = 1 ]; then
	# One multiplexed terminal for the console and QEMU's monitor.
	chardev=stdio,id=con,mux=on,signal=off
	[ -n "$klog" ] && chardev+=",logfile=$klog"
	args+=(-chardev "$chardev" -serial chardev:con -mon chardev=con,mode=readline)
	exec qemu-system-x86_64 "${args[@]}" -append "$cmdline"
fi

if [ -n "$klog" ]; then
	mkdir -p "$(dirname "$klog")"
	args+=(-serial "file:$klog")
else
	args+=(-serial stdio)
fi
if [ -n "$ulog" ]; then
	mkdir -p "$(dirname "$ulog")"
	args+=(-serial "file:$ulog")
	cmdline+=" mx.out=ttyS1"
fi

# Under TCG a stock kernel has been seen to oops in early boot (int3 in
# sched_clock_cpu while patching text), before it runs /init. Such a boot
# never reached anything of mx's (/init loads the module), so with a
# console log the guest is booted again, up to twice; the dead boot's
# console is kept as FILE.early.
for attempt in 1 2 3; do
	[ -z "$klog" ] || : >"$klog"
	[ -z "$ulog" ] || : >"$ulog"
	start=$(now)
	rc=0
	timeout --kill-after=10 "$limit" \
		qemu-system-x86_64 "${args[@]}" -append "$cmdline" </dev/null || rc=$?
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		log "QEMU killed after the limit of $limit s ($accel)"
		rc=124
		break
	fi
	log "QEMU ran $(elapsed "$start") s ($accel)"
	if [ -z "$klog" ] || [ "$attempt" = 3 ] ||
		grep -q "Run /init as init process" "$klog"; then
		break
	fi
	log "the kernel died before /init (console: $klog.early); booting again"
	mv "$klog" "$klog.early"
done
exit "$rc"
