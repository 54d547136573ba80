#!/bin/sh
# shellcheck shell=ash
# In the VM of make check's packages step (tools/vm/packages-check.sh),
# as the test program /tests/packages: the mx.ko that the mx-dkms package
# built is loaded; check that the packaged programs and those built
# against the installed packages work, and run the manual's install-run
# sequence in a root of its own whose linker cache is the one make
# install left. Prints TAP and "N passed, N failed, N skipped".
PATH=/bin:/usr/bin
export PATH
version=@VERSION@
n=0 passed=0 failed=0

ok() {
	n=$((n + 1))
	passed=$((passed + 1))
	echo "ok $n - $1"
}
notok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
}
# expect NAME PATTERN CMD...: CMD exits 0 and its output has PATTERN.
expect() {
	name=$1 pat=$2
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" = 0 ] && printf '%s\n' "$out" | grep -q -- "$pat"; then
		ok "$name"
	else
		printf '%s\n' "$out" | sed 's/^/# /' | tail -15
		notok "$name (exit status $rc)"
	fi
}

echo "TAP version 13"
echo "1..8"

got=$(cat /sys/module/mx/version 2>/dev/null)
if [ "$got" = "$version" ]; then
	ok "the module DKMS built from mx-dkms is loaded, version $version"
else
	notok "the loaded module's version is '$got', want $version"
fi
expect "mxls -V (mx-tools) names the release and libmx0" \
	"^mxls from mx $version (libmx ${version%.*})\$" mxls -V
expect "a program built against libmx-dev with pkg-config runs (libmx.so.0)" \
	"mx-pkgconfig: ok" /pkg/mx-pkgconfig
expect "the same, linked statically" "mx-pkgconfig: ok" /pkg/mx-pkgconfig-static
# mx-demo runs mxls from $PATH: the packaged one lists its processes.
expect "libmx-dev's mx-demo example runs, with the packaged mxls" \
	'1 msg, 1 handle' /pkg/mx-demo
expect "libmx-dev's mx-tree example runs" "" /pkg/mx-tree

# make runtests's runner, on a machine with the module loaded.
out=$(sh /pkg/tests/runtests.sh -d /pkg/tests/bin -o /tmp/runtests 2>&1)
rc=$?
if [ "$rc" = 0 ] && printf '%s\n' "$out" | tail -1 | grep -q '^[1-9][0-9]* passed, 0 failed'; then
	ok "tests/runtests.sh runs the suites against the loaded module: $(printf '%s\n' "$out" | tail -1)"
else
	printf '%s\n' "$out" | sed 's/^/# /' | tail -15
	notok "tests/runtests.sh (exit status $rc)"
fi

# The install-run sequence, as written, where make install left its
# library and ldconfig its cache.
r=/seq/install-root
mkdir -p "$r/bin" "$r/dev" "$r/proc" "$r/tmp"
cp /bin/busybox "$r/bin/busybox"
ln -sf busybox "$r/bin/sh"
mount --bind /dev "$r/dev"
mount -t proc proc "$r/proc"
mount -t tmpfs tmpfs "$r/tmp"
out=$(chroot "$r" /bin/sh -c 'cd /seq && TMPDIR=/tmp sh -e run.sh' 2>&1)
rc=$?
if [ "$rc" = 0 ] && printf '%s\n' "$out" | grep -q "mx-echo: done"; then
	ok "the install-run sequence: the example built after make install runs"
else
	printf '%s\n' "$out" | sed 's/^/# /' | tail -15
	notok "the install-run sequence (exit status $rc)"
fi
umount "$r/tmp" "$r/proc" "$r/dev" 2>/dev/null

echo "$passed passed, $failed failed, 0 skipped"
[ "$failed" = 0 ]
