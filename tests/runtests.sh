#!/bin/sh
# SPDX-License-Identifier: MIT
# make runtests: the userspace suites that are safe outside a VM, run on
# this machine against the mx module loaded on it (as liburing's make
# runtests runs its tests against the running kernel).
#
# Usage: runtests.sh [-d BINDIR] [-o LOGDIR] [PROGRAM...]
#   BINDIR    the test programs (default: tests/bin beside this script)
#   LOGDIR    each program's output (default: BINDIR/../runtests)
#   PROGRAM   run only these (default: every program but the VM-only ones)
#
# Needs root (the cases switch to other users, as in the VM) and /dev/mx.
# Each program prints TAP (prove(1) reads it too); its closing line is
# counted. A program that fails, times out (MX_TEST_TIMEOUT, 300 s) or
# makes the kernel report something (BUG, WARNING, lockdep, ...: dmesg)
# fails the run. Prints one row per program and last
# "N passed, N failed, N skipped"; exit status 1 when anything failed.
#
# VM-only, never run here: programs that unload the module, inject
# faults, fuzz, soak, make the OOM killer act, set per-user limits or
# cgroup limits, count every object of the machine (stats), or need the
# VM's /examples or setuid /helpers.
VM_ONLY="channel-gc channel-memory examples faultinject fuzz process secure-exec
soak stats trace unload user-limits user-neighbour user-objects"

here=$(cd "$(dirname "$0")" && pwd)
bindir=$here/bin
logdir=""
while [ $# -gt 0 ]; do
	case "$1" in
	-d) bindir=$2; shift 2 ;;
	-o) logdir=$2; shift 2 ;;
	-*) echo "usage: runtests.sh [-d BINDIR] [-o LOGDIR] [PROGRAM...]" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ -n "$logdir" ] || logdir=$bindir/../runtests
limit=${MX_TEST_TIMEOUT:-300}

if [ "$(id -u)" != 0 ]; then
	echo "runtests: run as root (sudo make runtests): the cases switch users" >&2
	exit 1
fi
if [ ! -c /dev/mx ]; then
	echo "runtests: no /dev/mx: load the module first" \
	     "(sudo modprobe mx, or sudo insmod module/mx.ko)" >&2
	exit 1
fi
if [ -r /sys/module/mx/version ] && [ -r "$here/../VERSION" ] &&
	[ "$(cat /sys/module/mx/version)" != "$(cat "$here/../VERSION")" ]; then
	echo "runtests: note: the loaded module is mx $(cat /sys/module/mx/version)," \
	     "these tests are $(cat "$here/../VERSION")'s" >&2
fi

if [ $# -eq 0 ]; then
	for p in "$bindir"/*; do
		[ -f "$p" ] && [ -x "$p" ] || continue
		name=${p##*/}
		case " $(echo $VM_ONLY) " in *" $name "*) continue ;; esac
		set -- "$@" "$name"
	done
fi
mkdir -p "$logdir"

report='BUG:|WARNING:|KASAN:|UBSAN:|Oops|Call Trace|Kernel panic|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|blocked for more than|soft lockup|hard LOCKUP|general protection fault|refcount_t:|list_add corruption|list_del corruption'
P=0 F=0 S=0 nfail=0
for name in "$@"; do
	prog=$bindir/$name
	log=$logdir/$name.log
	if [ ! -x "$prog" ]; then
		echo "  $name: no such program in $bindir"
		F=$((F + 1))
		continue
	fi
	before=$(dmesg 2>/dev/null | wc -l)
	start=$(date +%s)
	timeout -s KILL "$limit" "$prog" >"$log" 2>&1 </dev/null
	rc=$?
	secs=$(($(date +%s) - start))
	sum=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
	p=0 f=0 s=0
	if [ -n "$sum" ]; then
		p=$(echo "$sum" | cut -d' ' -f1)
		f=$(echo "$sum" | cut -d' ' -f3)
		s=$(echo "$sum" | cut -d' ' -f5)
		s=${s:-0}
	fi
	why=""
	if [ "$rc" = 137 ]; then
		why="timed out after $limit s"
	elif [ -z "$sum" ]; then
		why="ended (status $rc) without its \"N passed, N failed\" line"
	elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		why="exited with status $rc although no case failed"
	fi
	new=$(dmesg 2>/dev/null | tail -n +"$((before + 1))" | grep -E "$report" | head -3)
	[ -z "$new" ] || why="${why:+$why; }the kernel reported: $(echo "$new" | head -1)"
	[ -z "$why" ] || f=$((f + 1))
	P=$((P + p)) F=$((F + f)) S=$((S + s))
	printf '  %-20s %d passed, %d failed, %d skipped (%d s)%s\n' "$name" \
		"$p" "$f" "$s" "$secs" "${why:+: $why}"
	if [ "$f" != 0 ]; then
		nfail=$((nfail + 1))
		grep -E '^(not ok|#)' "$log" | head -10 | sed 's/^/      /'
		echo "      (output: $log)"
	fi
done
echo "$P passed, $F failed, $S skipped"
[ "$F" = 0 ]
