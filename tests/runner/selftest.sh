#!/usr/bin/env bash
# Prove that the runner turns red when it should.
#
# Usage: selftest.sh [COUNTS]
#
# One boot of Debian's stock 6.12 kernel runs five programs from
# tests/runner/selftests/: a failing case, a case that hangs past every
# timeout, a program killed by SIGSEGV, one that loads a module that
# WARNs (tests/runner/warnmod), and one that passes. The console is parsed
# as for a real run and each scenario checks that the parser fails the run
# and names the cause; prove(1) reads the TAP of the passing and the
# failing program and must agree.
# Then the parser alone reads the logs in tests/runner/fixtures/ (KUnit
# failures, kernel reports of each kind, leaks, a panic).
#
# Prints one "ok - ..."/"not ok - ..." line per scenario and last its own
# "N passed, N failed"; appends "selftest PASSED FAILED 0" to COUNTS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../tools/vm/common.sh"

counts=${1:-}
vm=$MX_TOP/tools/vm
work=$MX_BUILD/selftest
parse=$here/parse.sh
passed=0 failed=0

ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1"; failed=$((failed + 1)); }

finish() {
	echo "runner self-test: $passed passed, $failed failed"
	[ -z "$counts" ] || echo "selftest $passed $failed 0" >>"$counts"
	[ "$failed" -eq 0 ]
	exit
}

# expect NAME OUTPUT PATTERN...: ok when every (grep -E) PATTERN occurs in
# OUTPUT, a parse of a failing run.
expect() {
	local name=$1 out=$2 pat
	shift 2
	for pat in "$@"; do
		if ! grep -Eq -- "$pat" <<<"$out"; then
			not_ok "$name (no line matches: $pat)"
			return
		fi
	done
	ok "$name"
}

# ---- one boot with the failing, hanging, crashing and warning programs

rm -rf "$work"
mkdir -p "$work/bin" "$work/warnmod"
built=1
[ -f "$MX_TOP/lib/libmx.a" ] || make -s -C "$MX_TOP/lib" >/dev/null || built=0
cflags=(-std=c11 -O2 -Wall -Wextra -Werror -I"$MX_TOP/tests" -I"$MX_TOP/lib/include" -pthread)
for t in selftest_fail selftest_hang selftest_crash selftest_pass; do
	cc "${cflags[@]}" -o "$work/bin/$t" "$here/selftests/$t.c" \
		"$MX_TOP/lib/libmx.a" -static -pthread || built=0
done
install -m 755 "$here/selftests/selftest_warn" "$work/bin/"

read -r vmlinuz kdir _ < <("$vm/kernel-stock.sh" 6.12)
cp "$here/warnmod/warnmod.c" "$here/warnmod/Kbuild" "$work/warnmod/"
make -s -C "$kdir" M="$work/warnmod" modules >"$work/warnmod/build.log" 2>&1 || built=0

if [ "$built" = 1 ]; then
	"$vm/mkinitramfs.sh" --tests "$work/bin" --examples none --bench none \
		--file "$work/warnmod/warnmod.ko:modules/extra/warnmod.ko" \
		"$work/initramfs.cpio"
	qrc=0
	"$vm/qemu.sh" -k "$work/console.log" -o "$work/output.log" -t 120 \
		-a "mx.mode=test mx.timeout=4" "$vmlinuz" "$work/initramfs.cpio" || qrc=$?
	prc=0
	out=$("$parse" -l selftest -q "$qrc" "$work/output.log" "$work/console.log") || prc=$?
	echo "$out" >"$work/results.txt"
	if [ "$prc" = 0 ]; then
		not_ok "the parser passed a run that must fail (see $work/results.txt)"
	fi
	expect "a failing case fails the run, by name, with the passing one counted" "$out" \
		'^FAIL selftest: selftest_fail: selftest_failing_case$' \
		'got 1 \(0x1\), want 2' \
		'program +selftest_fail +1 passed, 1 failed'
	expect "a program hanging past every timeout is killed and reported" "$out" \
		'^FAIL selftest: selftest_hang: timed out after 4 s' \
		'stack of task'
	expect "a program killed by a signal is reported with it" "$out" \
		'^FAIL selftest: selftest_crash: killed by SIGSEGV'
	expect "a kernel WARNING fails the run, tied to its program" "$out" \
		'^FAIL selftest: kernel report \(during selftest_warn\): WARNING: .*warnmod'
	expect "a passing program is counted, its skip too" "$out" \
		'program +selftest_pass +1 passed, 0 failed, 1 skipped'
	# prove, on each program's output as the VM printed it.
	tap() {
		tr -d '\r' <"$work/output.log" |
			sed -n "/^MX-TEST-BEGIN $1\$/,/^MX-TEST-END $1 /{/^MX-TEST-/d;p}" \
			>"$work/$1.tap"
	}
	tap selftest_pass
	tap selftest_fail
	if prove -e cat "$work/selftest_pass.tap" >"$work/prove-pass.txt" 2>&1; then
		ok "prove accepts the TAP of a passing program"
	else
		sed 's/^/#   /' "$work/prove-pass.txt"
		not_ok "prove accepts the TAP of a passing program"
	fi
	if ! prove -e cat "$work/selftest_fail.tap" >"$work/prove-fail.txt" 2>&1 &&
		grep -q 'Failed test: *2' "$work/prove-fail.txt"; then
		ok "prove fails the TAP of a failing program, on its case"
	else
		sed 's/^/#   /' "$work/prove-fail.txt"
		not_ok "prove fails the TAP of a failing program, on its case"
	fi
	if grep -q "did not finish" <<<"$out"; then
		not_ok "the VM carries on to the end after a hang (see $work/results.txt)"
	else
		ok "the VM carries on to the end after a hang"
	fi
else
	not_ok "build the self-test programs and warnmod.ko (see $work)"
fi

# ---- the parser alone, on recorded logs

fx=$here/fixtures
out=$("$parse" -l fx "$fx/kunit-fail.log" || true)
expect "KTAP: failed cases, failed parameters and a suite cut short" "$out" \
	'^FAIL fx: kunit mx_demo\.mx_demo_fail$' \
	'EXPECTATION FAILED at module/handle_table_kunit.c:42' \
	'^FAIL fx: kunit mx_demo\.mx_demo_table$' \
	'^FAIL fx: kunit mx_cut_short: only 1 of 3 cases' \
	'^fx: 2 passed, 3 failed, 1 skipped$'
out=$("$parse" -l fx "$fx/programs.log" "$fx/kernel.log" || true)
expect "programs: failures, timeout, signal, no summary, cut off" "$out" \
	'^FAIL fx: failing: failing_second$' \
	'^FAIL fx: hanging: timed out after 5 s' \
	'^FAIL fx: crashing: killed by SIGSEGV$' \
	'^FAIL fx: silent: exited with status 0 without' \
	'^FAIL fx: unfinished: did not finish'
expect "kernel reports: WARNING, KASAN, lockdep, each tied to its program" "$out" \
	'^FAIL fx: kernel report \(during channel\): WARNING: CPU: 1 .*channel.c:200.*and 1 more like it' \
	'^FAIL fx: kernel report \(during channel\): BUG: KASAN: slab-use-after-free' \
	'^FAIL fx: kernel report \(during event\): WARNING: possible circular locking' \
	'^FAIL fx: the VM did not finish'
out=$("$parse" -l fx "$fx/kmemleak.log" || true)
expect "kmemleak: one failure per allocation backtrace" "$out" \
	'^FAIL fx: memory leak \(kmemleak, after the run\): unreferenced object 0xffff888005d3c000 \(size 64\):$' \
	'^FAIL fx: memory leak \(kmemleak, after the run\): unreferenced object 0xffff888005d3c040 .*and 1 more like it' \
	'^fx: 1 passed, 2 failed'
out=$("$parse" -l fx "$fx/panic.log" || true)
expect "a panic: the oops is quoted and the VM counted as not finished" "$out" \
	'^FAIL fx: kernel report \(during channel\): BUG: kernel NULL pointer' \
	'RIP: 0010:mx_channel_read' \
	'^FAIL fx: the VM did not finish: the kernel panicked'
out=$("$parse" -l fx "$fx/oom.log" || true)
expect "an OOM kill: passed over when the program announced it, else a report" "$out" \
	'^FAIL fx: kernel report \(during channel\): channel invoked oom-killer' \
	'^fx: 2 passed, 1 failed'
if printf '%s\n' "$out" | grep -q 'during process'; then
	not_ok "an announced OOM kill is not a report"
else
	ok "an announced OOM kill is not a report"
fi
out=$("$parse" -l fx "$fx/tap.log" || true)
expect "numbered TAP: failures, a plan not kept, every case skipped" "$out" \
	'^FAIL fx: event: event_wait_twice$' \
	'got MX_ERR_TIMED_OUT' \
	'^FAIL fx: handle: handle_dup: timed out after 60 s$' \
	'^FAIL fx: port: reported 2 cases of the 3 its plan announced$' \
	'^FAIL fx: wait: skipped every case: /dev/mx: No such file' \
	'program +channel +1 passed, 0 failed, 0 skipped' \
	'^fx: 5 passed, 4 failed, 5 skipped$'
out=$("$parse" -l fx "$fx/clean.log" || true)
expect "a clean run passes" "$out" '^fx: 3 passed, 0 failed, 1 skipped$'

finish
