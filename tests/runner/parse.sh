#!/usr/bin/env bash
# Read a VM console log and turn it into results.
# Usage: parse.sh LOG LABEL COUNTS_FILE
# Prints one line per failure with its cause, then "LABEL: N passed,
# N failed"; appends "passed failed" to COUNTS_FILE; exits 1 on any failure.
#
# Counted: KUnit cases (KTAP from the results files), each userspace
# program's own "N passed, N failed" line, and one failure for each of: a
# program that timed out, crashed or ended without its summary; any kernel
# report (BUG, WARNING, KASAN, UBSAN, lockdep, RCU, kmemleak, Oops, panic,
# hung task, soft lockup); an MX-FAIL line; a VM that never finished.
set -euo pipefail
logf=${1:?} label=${2:?} counts=${3:?}

awk -v label="$label" -v counts="$counts" '
function fail(why) { failed++; printf "not ok - %s: %s\n", label, why }
function strip(s) { sub(/\r$/, "", s); return s }
{ line = strip($0); $0 = line }
line ~ /^MX-KUNIT-BEGIN/ { inkunit = 1; next }
line ~ /^MX-KUNIT-END/ { inkunit = 0; next }
inkunit && line ~ /^    ok [0-9]+ / { passed++; next }
inkunit && line ~ /^    not ok [0-9]+ / {
	fail("kunit " substr(line, 5)); next }
inkunit && line ~ /^not ok [0-9]+ / { suitefail = suitefail " " line }
line ~ /^MX-TEST-BEGIN / { prog = $2; summary = 0; begun[prog] = 1; next }
line ~ /^MX-TEST-END / {
	p = $2; rc = $3; ended[p] = 1
	if (rc == 124 || rc == 143)
		fail(p ": timed out")
	else if (!summary)
		fail(p ": exited " rc " without its summary line (crash?)")
	else if (rc != 0 && pfailed == 0)
		fail(p ": exited " rc)
	prog = ""; next }
prog != "" && line ~ /^not ok - / { fail(prog ": " substr(line, 10)); next }
prog != "" && line ~ /^# / { print "    " line; next }
prog != "" && line ~ /^[0-9]+ passed, [0-9]+ failed/ {
	summary = 1; passed += $1; pfailed = $3 + 0
	# the failing cases were already counted one by one above
	next }
line ~ /^MX-FAIL / { fail(substr(line, 9)); next }
line ~ /^MX-VM-DONE/ { done = 1; next }
line ~ /BUG:|WARNING:|KASAN:|UBSAN:|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|unreferenced object|Oops|Kernel panic|blocked for more than|soft lockup|general protection fault/ {
	fail("kernel report: " line); next }
END {
	for (p in begun) if (!(p in ended)) fail(p ": never finished (VM died?)")
	if (suitefail != "" && failed == 0) fail("kunit suite failed:" suitefail)
	if (!done) fail("the VM did not finish (timeout or panic)")
	printf "%s: %d passed, %d failed\n", label, passed, failed
	printf "%d %d\n", passed, failed >> counts
	exit failed ? 1 : 0
}' "$logf"
