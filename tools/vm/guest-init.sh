#!/bin/busybox sh
# shellcheck shell=ash
# /init of the mx VM: a busybox initramfs built by tools/vm/mkinitramfs.sh.
#
# Image layout:
#   /modules/mx.ko, /modules/mx_kunit.ko (debug kernel only)
#   /modules/extra/*.ko  other drivers, loaded in bench mode (binder_linux)
#   /tests/*     userspace test programs (every executable is one program)
#   /examples/*  the demo (mx-demo) and other examples
#   /bench/*     benchmark programs
#
# Kernel command line (all optional):
#   mx.mode=test|run|bench  what to do (default test)
#   mx.out=DEV              where the run's output goes (default /dev/console;
#                           the test runs use ttyS1 so that kernel messages
#                           on the console never interleave with it)
#   mx.timeout=SECONDS      time limit for each program (default 120)
#   mx.casetimeout=SECONDS  passed to the test programs as MXTEST_TIMEOUT
#   mx.interactive=1        run mode: leave a shell on the console afterwards
#   mx.fuzz=S mx.soak=S mx.seed=N
#                           passed to the programs as MX_FUZZ_SECONDS,
#                           MX_SOAK_SECONDS and MX_FUZZ_SEED
#   mx.neighbour=S          passed to the programs as MX_NEIGHBOUR_SECONDS
#
# The output is read by tests/runner/parse.sh. Markers, one per line:
#   MX-VM-BEGIN mode=M kernel=RELEASE
#   MX-INFO text                      progress, for people reading the log
#   MX-NOTE text                      worth a look, not a failure
#   MX-FAIL text                      a failure of the run
#   MX-KUNIT-BEGIN / MX-KUNIT-END     KTAP of every suite in mx_kunit.ko
#   MX-TEST-BEGIN name                before each program's own output
#   MX-TEST-TIMEOUT name seconds      the program was killed at its limit
#   MX-TEST-END name rc=N time=S      its exit status (128+N: signal N)
#   MX-KMEMLEAK-BEGIN / MX-KMEMLEAK-END  kmemleak's report after rmmod
#   MX-DEMO-EXIT rc                   run mode: the demo's exit status
#   MX-VM-ABORT reason                gave up early (the VM is not usable)
#   MX-VM-DONE                        last line of a complete run
# Each program's start and end are also written to the kernel log
# ("mx-vm: begin NAME"), so kernel reports can be tied to a program.
PATH=/bin
export PATH

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tmpfs tmpfs /tmp

mode="test"
out=/dev/console
limit=120
casetimeout=
interactive=0
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	mx.mode=*) mode=${arg#*=} ;;
	mx.out=*) out=/dev/${arg#*=} ;;
	mx.timeout=*) limit=${arg#*=} ;;
	mx.casetimeout=*) casetimeout=${arg#*=} ;;
	mx.interactive=*) interactive=${arg#*=} ;;
	mx.fuzz=*) export MX_FUZZ_SECONDS="${arg#*=}" ;;
	mx.soak=*) export MX_SOAK_SECONDS="${arg#*=}" ;;
	mx.seed=*) export MX_FUZZ_SEED="${arg#*=}" ;;
	mx.neighbour=*) export MX_NEIGHBOUR_SECONDS="${arg#*=}" ;;
	esac
done
[ -c "$out" ] || out=/dev/console
exec >"$out" 2>&1 </dev/null

kmsg() { echo "mx-vm: $*" >/dev/kmsg; }

# nap SECONDS: sleep without forking (a read that times out on a FIFO
# nobody writes), so that polling costs the tests nothing.
mkfifo /tmp/.nap
exec 9<>/tmp/.nap
# shellcheck disable=SC3045 # busybox ash has read -t and -u
nap() { read -r -t "$1" -u 9 _ || :; }

# Print the last line, let the serial driver send everything still queued
# (the last close of the port waits for it; a reboot would cut it off) and
# restart; QEMU runs with -no-reboot, so it exits.
finish() {
	echo "$1"
	exec >/dev/null 2>&1
	kmsg "$1"
	reboot -f
	nap 10
}

abort() {
	echo "MX-VM-ABORT $*"
	nap 1
	finish "MX-VM-END"
}

# clock: sets $cs to the uptime in hundredths of a second.
clock() {
	read -r cs _ </proc/uptime
	cs=${cs%.*}${cs#*.}
	while [ "${cs#0}" != "$cs" ]; do cs=${cs#0}; done
	: "${cs:=0}"
}

# session_pids SID: processes of session SID that have not exited yet.
session_pids() {
	local sid=$1 s line
	for s in /proc/[0-9]*/stat; do
		read -r line 2>/dev/null <"$s" || continue
		# after "pid (comm) ": state ppid pgrp session ...
		# shellcheck disable=SC2086 # split into fields on purpose
		set -- ${line##*) }
		[ "$4" = "$sid" ] && [ "$1" != Z ] || continue
		s=${s%/stat}
		echo "${s#/proc/}"
	done
}

# kill_session SID: SIGKILL to every process of the session (a program
# may have moved children into process groups of their own).
kill_session() {
	local p
	kill -KILL -"$1" 2>/dev/null
	for p in $(session_pids "$1"); do
		kill -KILL "$p" 2>/dev/null
	done
}

# dump_stacks SID: the kernel stack of every task of the session.
dump_stacks() {
	local p t comm st
	for p in $(session_pids "$1"); do
		for t in /proc/"$p"/task/*; do
			read -r comm 2>/dev/null <"$t/comm" || continue
			read -r st 2>/dev/null <"$t/stat"
			st=${st##*) }
			echo "# stack of task ${t##*/} ($comm, state ${st%% *}):"
			sed 's/^/#   /' "$t/stack" 2>/dev/null
		done
	done
}

# run_limited NAME LIMIT CMD...: run CMD in a session of its own, so that
# everything it forks can be killed with it, for at most LIMIT seconds.
# Sets rc (its exit status; 128+N when killed by signal N) and secs. What
# it leaves running is killed. A process that survives SIGKILL is stuck
# in the kernel: nothing after that can be trusted, so the VM ends.
run_limited() {
	name=$1
	lim=$2
	shift 2
	clock
	t0=$cs
	setsid "$@" 9<&- &
	pid=$!
	killed_at=
	while :; do
		read -r line 2>/dev/null </proc/$pid/stat || break
		st=${line##*) }
		[ "${st%% *}" = Z ] && break
		clock
		if [ -z "$killed_at" ] && [ "$cs" -ge $((t0 + lim * 100)) ]; then
			echo "MX-TEST-TIMEOUT $name $lim"
			kmsg "timeout $name after $lim s"
			dump_stacks "$pid"
			kill_session "$pid"
			killed_at=$cs
		elif [ -n "$killed_at" ] && [ "$cs" -ge $((killed_at + 2000)) ]; then
			dump_stacks "$pid"
			abort "processes of $name survive SIGKILL (stuck in the kernel)"
		fi
		# Poll often while the program is young: most end quickly.
		if [ "$cs" -lt $((t0 + 200)) ]; then nap 0.02; else nap 0.2; fi
	done
	wait "$pid"
	rc=$?
	clock
	secs=$(((cs - t0) / 100)).$(printf %02d $(((cs - t0) % 100)))
	left=$(session_pids "$pid")
	[ -n "$left" ] || return 0
	echo "MX-NOTE $name left processes running: $(echo "$left" | tr '\n' ' ')(killed)"
	kill_session "$pid"
	n=0
	while [ -n "$(session_pids "$pid")" ]; do
		n=$((n + 1))
		if [ $n -ge 100 ]; then
			dump_stacks "$pid"
			abort "processes of $name survive SIGKILL (stuck in the kernel)"
		fi
		nap 0.2
	done
}

# run_program NAME PATH: one program, between markers.
run_program() {
	echo "MX-TEST-BEGIN $1"
	kmsg "begin $1"
	run_limited "$1" "$limit" "$2"
	kmsg "end $1 rc=$rc"
	echo "MX-TEST-END $1 rc=$rc time=$secs"
}

# run_dir DIR: every executable in DIR, in name order.
run_dir() {
	for t in "$1"/*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		run_program "${t##*/}" "$t"
	done
}

load_mx() {
	if [ ! -f /modules/mx.ko ]; then
		echo "MX-INFO no mx.ko in this image"
		return
	fi
	if ! err=$(insmod /modules/mx.ko 2>&1); then
		echo "MX-FAIL insmod mx.ko failed: $err"
		abort "mx.ko does not load"
	fi
	if [ ! -c /dev/mx ]; then
		echo "MX-FAIL mx.ko loaded but /dev/mx did not appear"
		abort "no /dev/mx"
	fi
	chmod 666 /dev/mx
	echo "MX-INFO mx.ko loaded"
}

# Every program has been waited for, so nothing holds the module any more:
# an unload must succeed at once (tests/unload.c checks the same).
unload_mx() {
	grep -q '^mx ' /proc/modules || return 0
	if err=$(rmmod mx 2>&1); then
		echo "MX-INFO mx.ko unloaded"
	else
		echo "MX-FAIL rmmod mx failed: $err ($(grep '^mx ' /proc/modules))"
	fi
}

# kunit: load the KUnit module (it runs its suites while loading; insmod
# succeeds even when tests fail) and print the KTAP of the new suites.
kunit() {
	[ -f /modules/mx_kunit.ko ] || return 0
	d=/sys/kernel/debug/kunit
	before=" $(cd "$d" 2>/dev/null && echo *) "
	echo "MX-KUNIT-BEGIN"
	kmsg "begin kunit"
	run_limited kunit "$limit" insmod /modules/mx_kunit.ko
	[ "$rc" = 0 ] || echo "MX-FAIL insmod mx_kunit.ko: exit status $rc"
	found=0
	for r in "$d"/*/results; do
		[ -f "$r" ] || continue
		s=${r%/results}
		case "$before" in *" ${s##*/} "*) continue ;; esac
		cat "$r"
		found=1
	done
	echo "MX-KUNIT-END"
	kmsg "end kunit"
	[ "$found" = 1 ] || echo "MX-FAIL mx_kunit.ko produced no KUnit results"
	grep -q '^mx_kunit ' /proc/modules &&
		! rmmod mx_kunit && echo "MX-FAIL rmmod mx_kunit failed"
}

# kmemleak (debug kernel): what boot left unreferenced is scanned for and
# cleared (marked as not a leak) in the background while the first tests
# run; objects the tests allocate in the meantime are too young to be
# reported by that scan. After rmmod, objects are given the 5 s kmemleak
# wants before it reports one, and two scans (the second catches objects
# the first saw referenced only from a stack or register) report the rest.
kl=/sys/kernel/debug/kmemleak
kl_pid=
kmemleak_start() {
	[ -w "$kl" ] || return 0
	(echo scan >"$kl" && echo clear >"$kl") &
	kl_pid=$!
}
kmemleak_report() {
	[ -w "$kl" ] || return 0
	clock
	t0=$cs
	[ -z "$kl_pid" ] || wait "$kl_pid"
	nap 5
	echo scan >"$kl"
	echo scan >"$kl"
	clock
	echo "MX-INFO kmemleak: $(((cs - t0) / 100)) s for the final scans"
	echo "MX-KMEMLEAK-BEGIN"
	cat "$kl"
	echo "MX-KMEMLEAK-END"
}

echo "MX-VM-BEGIN mode=$mode kernel=$(uname -r)"
[ -n "$casetimeout" ] && export MXTEST_TIMEOUT="$casetimeout"
export TMPDIR=/tmp
cd /tmp || :

case "$mode" in
test)
	kmemleak_start
	load_mx
	kunit
	run_dir /tests
	unload_mx
	kmemleak_report
	;;
bench)
	load_mx
	for m in /modules/extra/*.ko; do
		[ -f "$m" ] || continue
		if err=$(insmod "$m" 2>&1); then
			echo "MX-INFO loaded ${m##*/}"
		else
			echo "MX-NOTE insmod ${m##*/} failed: $err"
		fi
	done
	[ -c /dev/binder ] && chmod 666 /dev/binder
	run_dir /bench
	unload_mx
	;;
run)
	load_mx
	export PATH=/bin:/examples:/tests
	if [ -x /examples/mx-demo ]; then
		echo "== /examples/mx-demo"
		run_limited mx-demo "$limit" /examples/mx-demo
		echo "MX-DEMO-EXIT $rc"
	else
		echo "== no demo in this image; running the test programs instead"
		fails=0
		for t in /tests/*; do
			[ -f "$t" ] && [ -x "$t" ] || continue
			echo "== $t"
			run_limited "${t##*/}" "$limit" "$t"
			[ "$rc" = 0 ] || fails=$((fails + 1))
		done
		echo "MX-DEMO-EXIT $fails"
	fi
	if [ "$interactive" = 1 ]; then
		echo
		echo "mx is loaded (/dev/mx); tests in /tests, examples in /examples."
		echo "Leave with 'poweroff -f' (or Ctrl-A X)."
		HOME=/tmp PS1='mx-vm:\w# ' setsid cttyhack sh
	fi
	;;
*)
	echo "MX-FAIL unknown mx.mode=$mode"
	;;
esac
finish "MX-VM-DONE"
