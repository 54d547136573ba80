#!/usr/bin/env bash
# dkms add + build of this tree against every installed Debian kernel
# headers package, under a throwaway version so a real install is not
# touched. Prints "ok - ..."/"not ok - ..." lines and appends its counts.
# Usage: dkms-check.sh COUNTS_FILE
set -euo pipefail
. "$(dirname "$0")/common.sh"

counts=${1:?}
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$MX_TOP/dkms.conf")-check
src=/usr/src/mx-$ver
passed=0 failed=0
cleanup() { dkms remove "mx/$ver" --all >/dev/null 2>&1 || true; rm -rf "$src"; }
trap cleanup EXIT
cleanup
mkdir -p "$src"
rsync -a --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	"$MX_TOP/Kbuild" "$MX_TOP/module" "$MX_TOP/uapi" "$MX_TOP/dkms.conf" "$src/"
sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$ver\"/" "$src/dkms.conf"
if dkms add "mx/$ver" >/dev/null; then
	for b in /lib/modules/*/build; do
		k=$(basename "$(dirname "$b")")
		[ -e "$b/Makefile" ] || continue
		if dkms build "mx/$ver" -k "$k" >/tmp/mx-dkms.log 2>&1; then
			echo "ok - dkms build against $k"; passed=$((passed + 1))
		else
			tail -20 /tmp/mx-dkms.log
			echo "not ok - dkms build against $k"; failed=$((failed + 1))
		fi
	done
else
	echo "not ok - dkms add"; failed=$((failed + 1))
fi
echo "dkms: $passed passed, $failed failed"
echo "$passed $failed" >> "$counts"
[ "$failed" -eq 0 ]
