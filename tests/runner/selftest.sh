#!/usr/bin/env bash
# Prove the runner turns red: boot stock 6.12 once with a failing test, a
# hanging test and a module that WARNs, and check that the parser fails
# the run and names each cause. Usage: selftest.sh COUNTS_FILE
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tools/vm/common.sh"

counts=${1:?}
vm="$top/tools/vm"
work="$top/build/vm/selftest"
rm -rf "$work" && mkdir -p "$work/bin" "$work/warnmod"
cflags="-std=c11 -Wall -Wextra -Werror -I$top/lib/include -pthread"
for t in fail hang; do
	cc $cflags -o "$work/bin/$t" "$top/tests/runner/selftests/$t.c" \
		"$top/lib/libmx.a" -static -pthread
done
read -r vmlinuz kdir < <("$vm/kernel-stock.sh" 6.12)
cp "$top/tests/runner/warnmod/"* "$work/warnmod/"
make -s -C "$kdir" M="$work/warnmod" modules >/dev/null
cp "$work/warnmod/warnmod.ko" "$work/bin/warnmod.ko"
chmod -x "$work/bin/warnmod.ko"
cat > "$work/bin/warn" <<'SH'
#!/bin/sh
insmod /tests/warnmod.ko
echo "1 passed, 0 failed"
SH
chmod +x "$work/bin/warn"
"$vm/build-module.sh" "$kdir" "$work/mod"
"$vm/mkinitramfs.sh" "$work/selftest.cpio.gz" "$work/mod" "$work/bin" /nonexistent
"$vm/boot.sh" "$vmlinuz" "$work/selftest.cpio.gz" "$work/selftest.log" 300 \
	"mx.mode=test mx.timeout=5"
out=$("$top/tests/runner/parse.sh" "$work/selftest.log" selftest /dev/null) && prc=0 || prc=$?
passed=0 failed=0
check() {
	if [ "$prc" -ne 0 ] && grep -q -- "$2" <<<"$out"; then
		echo "ok - runner reports $1"; passed=$((passed + 1))
	else
		echo "not ok - runner does not report $1"; failed=$((failed + 1))
	fi
}
check "a failing test" "selftest_failing_case"
check "a hanging test" "selftest_hanging_case: timed out"
check "a kernel WARNING" "kernel report: .*WARNING:"
echo "runner self-test: $passed passed, $failed failed"
echo "$passed $failed" >> "$counts"
[ "$failed" -eq 0 ]
