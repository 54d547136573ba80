#!/usr/bin/env bash
# Run the test suites: make check (full) and make check-quick (quick).
#
# Usage: check.sh [full|quick|STEP...]
#   full        every step below
#   quick       selftest, host and stock-6.12
#   STEP...     some of: selftest host static stock-6.12 stock-6.1
#               rt-6.1 debug-6.12 debug-rt-6.12 dkms packages
#
# Steps:
#   selftest    the runner proves it turns red (tests/runner/selftest.sh)
#   host        checks that need no VM (tools/vm/host-check.sh): mx.h as
#               C99 -pedantic and C++, the uapi layout in 32- and 64-bit
#               builds, libmx's soname and symbol versions, the man pages,
#               make install DESTDIR=... and a program built against it
#               with pkg-config (run in the VM by tests/examples.c)
#   static      sparse and checkpatch for the module (against the debug
#               kernel's tree), cppcheck for libmx, no cycle in the calls
#               between the files of either (tools/callgraph.sh;
#               tools/vm/static.sh)
#   stock-6.12, stock-6.1
#               Debian's own kernels: the userspace suites (tests/bin)
#   rt-6.1      Debian 12's PREEMPT_RT kernel (linux-image-rt-amd64): the
#               userspace suites
#   debug-6.12  a 6.12 kernel with KUnit, KASAN, lockdep, kmemleak and
#               UBSAN (tools/vm/kernel-debug.sh; built once, then cached):
#               the KUnit suites (mx_kunit.ko) and the userspace suites
#   debug-rt-6.12
#               the same kernel built with PREEMPT_RT (tools/vm/
#               rt-debug.config; cached too), where spinlock_t sleeps and
#               DEBUG_ATOMIC_SLEEP reports one taken in atomic context: the
#               KUnit and userspace suites
#   dkms        dkms add, build and install of the tree for the headers
#               of 6.1, 6.12 and rt-6.1
#   packages    the Debian packages and the manual's install sequences
#               (tools/vm/packages-check.sh): dpkg-buildpackage, apt
#               install (mx-dkms's DKMS builds for 6.1, 6.12 and rt-6.1),
#               make install/uninstall, the DKMS sequence, each in a
#               throwaway copy of this machine; then the packaged mx.ko,
#               mxls and programs built against libmx-dev in a 6.12 VM
#
# Any failed case, timeout, crash, kernel report (WARNING, BUG, KASAN,
# UBSAN, lockdep, RCU, hung task, leak...), compiler warning in the module
# or VM that does not finish fails the run. The last line is
# "N passed, N failed", summed over every step; the exit status is 1 when
# anything failed.
#
# Environment:
#   MX_TESTS="abi channel"  run only these test programs
#   MX_TEST_TIMEOUT=S       time limit per test program (default 120 s,
#                           300 s on the debug kernel)
#   MX_CASE_TIMEOUT=S       MXTEST_TIMEOUT for each case (mxtest: 60 s)
#   MX_FUZZ_SECONDS=S       length of the fuzz run (tests/fuzz.c; 16 s)
#   MX_SOAK_SECONDS=S       length of the soak (tests/soak.c; 30 s)
#   MX_NEIGHBOUR_SECONDS=S  length of the hostile neighbour's run
#                           (tests/user-neighbour.c; 15 s)
#   MX_FUZZ_SEED=N          seed of both (default: from the clock)
#   MX_VM_TIMEOUT=S         wall-clock limit per VM (default: from the
#                           number of programs and their limit)
#   MX_ALLOW_WARNINGS=1     compiler warnings in the module do not fail
#   MX_QEMU_MEM=2G          guest memory (default 2G, 1G on the debug kernel)
#   MX_KVM=0|1, MX_CACHE, MX_BUILD: see tools/vm/common.sh
set -euo pipefail
. "$(dirname "$0")/common.sh"

vm=$MX_TOP/tools/vm
runner=$MX_TOP/tests/runner
counts=$MX_BUILD/counts
rows=$MX_BUILD/rows
fails=$MX_BUILD/failures

case "${1:-full}" in
full) steps="selftest host static stock-6.12 stock-6.1 rt-6.1 debug-6.12 debug-rt-6.12 dkms packages" ;;
quick) steps="selftest host stock-6.12" ;;
*) steps="$*" ;;
esac
for s in $steps; do
	case "$s" in
	selftest | host | static | stock-6.12 | stock-6.1 | rt-6.1 | debug-6.12 | debug-rt-6.12 | dkms | packages) ;;
	*) die "unknown step '$s' (usage: check.sh [full|quick|STEP...])" ;;
	esac
done

mkdir -p "$MX_BUILD"
: >"$counts"
: >"$rows"
: >"$fails"
started=$(now)

# row LABEL TEXT: a line of the final summary.
row() { printf '  %-12s %s\n' "$1" "$2" >>"$rows"; }

# failure LABEL CAUSE: a failure of a step itself (a build, a download).
failure() {
	echo "$1 0 1 0" >>"$counts"
	echo "FAIL $1: $2" | tee -a "$fails"
	row "$1" "FAILED: $2"
}

# The summary, on every exit: even when a step stops the script, the last
# line still counts what ran, and the stop is a failure.
summary() {
	local rc=$? p f s
	trap - EXIT
	read -r p f s < <(awk '{ p += $2; f += $3; s += $4 } END { print p + 0, f + 0, s + 0 }' "$counts")
	if [ "$rc" != 0 ] && [ "$f" -eq 0 ]; then
		failure check.sh "stopped early (exit status $rc)" >/dev/null
		f=1
	fi
	echo
	echo "==== mx check: $steps ($(elapsed "$started") s)"
	cat "$rows"
	if [ "$f" -gt 0 ]; then
		echo
		head -40 "$fails"
		[ "$(wc -l <"$fails")" -le 40 ] ||
			echo "... and $(($(wc -l <"$fails") - 40)) more (see each step's results.txt)"
		echo
		echo "logs: $MX_BUILD/<step>/ (output.log: the programs, console.log: the kernel)"
	fi
	[ "$s" -eq 0 ] || echo "($s skipped)"
	echo "$p passed, $f failed"
	[ "$f" -eq 0 ] && [ "$rc" -eq 0 ] && exit 0
	exit 1
}
trap summary EXIT

"$vm/deps.sh"

# ---- userspace: libmx, the test programs, the examples, the benchmarks
# (built so that they do not rot; make check never runs them)

log "building libmx, the tests, the examples and the benchmarks"
ulog=$MX_BUILD/userspace.log
: >"$ulog"
for d in lib tools tests examples bench; do
	[ -f "$MX_TOP/$d/Makefile" ] || continue
	if ! make -C "$MX_TOP/$d" -j"$(nproc)" WERROR=1 >>"$ulog" 2>&1; then
		grep -E 'error|warning' "$ulog" | tail -20 || tail -20 "$ulog"
		failure "build" "make -C $d failed (log: $ulog)"
		exit 1
	fi
done
# A program built outside the tree against an installed copy (make install
# DESTDIR=...) with pkg-config; the VM runs it as /examples/mx-pkgconfig.
consumer=$MX_BUILD/host/consumer/mx-pkgconfig
if ! "$vm/host-check.sh" --consumer "$consumer" >>"$ulog" 2>&1; then
	tail -20 "$ulog"
	failure "build" "the program built against the installed libmx (log: $ulog)"
	exit 1
fi

# ---- one kernel: build the module, boot, parse

# run_kernel LABEL VMLINUZ KDIR LIMIT [MEM]
run_kernel() {
	local label=$1 vmlinuz=$2 kdir=$3 limit=$4 mem=${5:-2G}
	local dir=$MX_BUILD/$label t0 brc=0 qrc=0 prc=0 nprogs vm_limit extra boot
	t0=$(now)
	mkdir -p "$dir"
	log "$label: building the module"
	"$vm/build-module.sh" "$kdir" "$dir/mod" || brc=$?
	case "$brc" in
	0) ;;
	3) [ -n "${MX_ALLOW_WARNINGS:-}" ] ||
		failure "$label" "compiler warnings in the module build (log: $dir/mod/build.log)" ;;
	*) failure "$label" "the module does not build (log: $dir/mod/build.log)"
	   return ;;
	esac
	if [ "${label#debug-}" != "$label" ] && [ ! -f "$dir/mod/module/mx_kunit.ko" ]; then
		failure "$label" "mx_kunit.ko was not built for the KUnit kernel"
	fi
	"$vm/mkinitramfs.sh" --module "$dir/mod" --bench none \
		--file "$consumer:examples/mx-pkgconfig" "$dir/initramfs.cpio"

	nprogs=$(find "$MX_TOP/tests/bin" -maxdepth 1 -type f -perm -u+x 2>/dev/null | wc -l)
	vm_limit=${MX_VM_TIMEOUT:-$((300 + (nprogs + 2) * limit))}
	extra="mx.mode=test mx.timeout=$limit"
	[ -z "${MX_CASE_TIMEOUT:-}" ] || extra+=" mx.casetimeout=$MX_CASE_TIMEOUT"
	[ -z "${MX_FUZZ_SECONDS:-}" ] || extra+=" mx.fuzz=$MX_FUZZ_SECONDS"
	[ -z "${MX_SOAK_SECONDS:-}" ] || extra+=" mx.soak=$MX_SOAK_SECONDS"
	[ -z "${MX_NEIGHBOUR_SECONDS:-}" ] || extra+=" mx.neighbour=$MX_NEIGHBOUR_SECONDS"
	[ -z "${MX_FUZZ_SEED:-}" ] || extra+=" mx.seed=$MX_FUZZ_SEED"
	log "$label: booting (limits: $limit s per program, $vm_limit s in all)"
	"$vm/qemu.sh" -k "$dir/console.log" -o "$dir/output.log" -t "$vm_limit" \
		-m "$mem" -a "$extra" "$vmlinuz" "$dir/initramfs.cpio" || qrc=$?

	"$runner/parse.sh" -l "$label" -c "$counts" -q "$qrc" \
		"$dir/output.log" "$dir/console.log" >"$dir/results.txt" || prc=$?
	cat "$dir/results.txt"
	grep '^FAIL ' "$dir/results.txt" >>"$fails" || true
	boot=$(sed -n 's/^\[ *\([0-9]*\.[0-9]\)[0-9]*\] Run \/init as init process.*/\1/p' "$dir/console.log" | head -1)
	row "$label" "$(tail -1 "$dir/results.txt" | sed 's/^[^:]*: //') in $(elapsed "$t0") s (boot to /init: ${boot:-?} s)"
	if [ "$prc" != 0 ]; then
		log "$label: logs: $dir/output.log (programs), $dir/console.log (kernel)"
	fi
}

# stock SERIES: vmlinuz, KDIR and release of Debian's kernel, or a failure.
stock() {
	local out label=stock-$1
	[ "${1#rt-}" = "$1" ] || label=$1
	if ! out=$("$vm/kernel-stock.sh" "$1"); then
		failure "$label" "cannot get Debian's $1 kernel"
		return 1
	fi
	read -r vmlinuz kdir _ <<<"$out"
	release=${kdir##*/linux-headers-}
}

test_limit=${MX_TEST_TIMEOUT:-120}
for step in $steps; do
	case "$step" in
	selftest)
		t0=$(now)
		src=0
		"$runner/selftest.sh" "$counts" | tee "$MX_BUILD/selftest.txt" || src=$?
		[ "$src" = 0 ] || sed -n 's/^not ok - /FAIL selftest: /p' \
			"$MX_BUILD/selftest.txt" >>"$fails"
		row selftest "$(awk '$1 == "selftest" { print $2 " passed, " $3 " failed" }' "$counts") in $(elapsed "$t0") s"
		;;
	host)
		t0=$(now)
		hrc=0
		"$vm/host-check.sh" -c "$counts" | tee "$MX_BUILD/host.txt" || hrc=$?
		[ "$hrc" = 0 ] || sed -n 's/^not ok - /FAIL host: /p' \
			"$MX_BUILD/host.txt" >>"$fails"
		row host "$(awk '$1 == "host" { print $2 " passed, " $3 " failed" }' "$counts") in $(elapsed "$t0") s"
		;;
	static)
		t0=$(now)
		if ! kdebug=$("$vm/kernel-debug.sh"); then
			failure static "the debug kernel does not build"
			continue
		fi
		src=0
		"$vm/static.sh" "$kdebug" "$MX_BUILD/static" | tee "$MX_BUILD/static.txt" || src=$?
		sp=$(grep -c '^ok - ' "$MX_BUILD/static.txt" || true)
		sf=$(grep -c '^not ok - ' "$MX_BUILD/static.txt" || true)
		[ "$src" = 0 ] || [ "$sf" != 0 ] || sf=1
		echo "static $sp $sf 0" >>"$counts"
		sed -n 's/^not ok - /FAIL static: /p' "$MX_BUILD/static.txt" >>"$fails"
		row static "$sp passed, $sf failed in $(elapsed "$t0") s"
		;;
	stock-6.12 | stock-6.1 | rt-6.1)
		stock "${step#stock-}" || continue
		run_kernel "$step" "$vmlinuz" "$kdir" "$test_limit" "${MX_QEMU_MEM:-2G}"
		;;
	debug-6.12 | debug-rt-6.12)
		variant=""
		[ "$step" = debug-6.12 ] || variant=rt
		if ! kdebug=$("$vm/kernel-debug.sh" $variant); then
			failure "$step" "the debug kernel does not build"
			continue
		fi
		# 1G: under emulation, KASAN's boot and kmemleak's scans take
		# about twice as long with 2G.
		run_kernel "$step" "$kdebug/arch/x86/boot/bzImage" "$kdebug" \
			"${MX_TEST_TIMEOUT:-300}" "${MX_QEMU_MEM:-1G}"
		;;
	dkms)
		t0=$(now)
		releases=()
		for s in 6.1 6.12 rt-6.1; do
			stock "$s" && releases+=("$release")
		done
		drc=0
		[ ${#releases[@]} -eq 0 ] || "$vm/dkms-check.sh" -c "$counts" "${releases[@]}" || drc=$?
		[ "$drc" = 0 ] || echo "FAIL dkms: dkms build failed (logs: $MX_BUILD/dkms/)" >>"$fails"
		row dkms "$(awk '$1 == "dkms" { print $2 " passed, " $3 " failed" }' "$counts") in $(elapsed "$t0") s"
		;;
	packages)
		t0=$(now)
		releases=()
		vml=""
		for s in 6.12 6.1 rt-6.1; do
			stock "$s" || continue
			releases+=("$release")
			[ "$s" != 6.12 ] || vml=$vmlinuz
		done
		if [ -z "$vml" ]; then
			failure packages "no stock 6.12 kernel to boot"
			continue
		fi
		prc=0
		"$vm/packages-check.sh" -c "$counts" "$vml" "${releases[@]}" |
			tee "$MX_BUILD/packages.txt" || prc=$?
		[ "$prc" = 0 ] || sed -n 's/^not ok - /FAIL packages: /p; s/^  FAIL /FAIL /p' \
			"$MX_BUILD/packages.txt" >>"$fails"
		row packages "$(awk '$1 == "packages" { print $2 " passed, " $3 " failed" }' "$counts") in $(elapsed "$t0") s"
		;;
	esac
done
