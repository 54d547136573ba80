#!/usr/bin/env bash
# The checks of make check that need no VM (the "host" step).
#
# Usage: host-check.sh [-c COUNTS]
#        host-check.sh --consumer OUT
#
# Prints one "ok - ..."/"not ok - ..." line per check, then
# "host: N passed, N failed"; appends "host PASSED FAILED 0" to COUNTS.
#   - kernel version tests (LINUX_VERSION_CODE, __has_include) appear
#     in module/compat.h only
#   - mx.h compiles as C99 and C11 with -pedantic -Wall -Wextra -Werror,
#     and as C++ (g++ -pedantic), linking against libmx (extern "C")
#   - the uapi structs have the same size and member offsets, and the
#     MX_IOC_* commands the same values, in i386 and x86_64 builds
#     (tools/vm/abi-layout.awk; gcc -m32 comes with gcc-multilib)
#   - libmx.so has its soname, exports exactly the calls declared in mx.h,
#     each with a symbol version; libmx.a holds the same calls
#   - every man page renders with groff -ww and man --warnings without a
#     warning, and every call of mx.h has a page (or a link to one)
#   - make install DESTDIR=... installs the headers, libraries, pkg-config
#     file, man pages and udev rule, and a program outside the tree
#     (tests/install/) builds against it with pkg-config, dynamically
#     (linked to libmx.so.MAJOR, versioned references) and statically
#   - make uninstall DESTDIR=... removes everything make install wrote
#   - libmx and mxls take CPPFLAGS and LDFLAGS, and no -Werror unless
#     WERROR=1
#   - mx/version.h, the version calls, NEWS and debian/changelog agree
#     with VERSION
#   - mxls has a name for every object type of the ABI, and without the
#     module (when this machine has none loaded) says so in one line and
#     exits 1
#   - make for a kernel without headers names the package to install
#
# --consumer OUT only installs into a scratch DESTDIR and builds the static
# program to OUT, for the VM (tests/examples.c runs it).
set -euo pipefail
. "$(dirname "$0")/common.sh"

out=$MX_BUILD/host
counts=""
consumer=""
case "${1:-}" in
-c) counts=$2 ;;
--consumer) consumer=${2:?usage: host-check.sh --consumer OUT} ;;
esac
passed=0 failed=0
rm -rf "$out/work"
mkdir -p "$out/work"
w=$out/work

ok() {
	echo "ok - $1"
	passed=$((passed + 1))
}
notok() {
	echo "not ok - $1"
	failed=$((failed + 1))
}
# check NAME CMD...: ok when CMD succeeds; its output is shown otherwise.
check() {
	local name=$1 log
	shift
	log=$w/$(tr -c 'a-zA-Z0-9\n' _ <<<"$name" | head -c 60).log
	if "$@" >"$log" 2>&1; then
		ok "$name"
	else
		sed 's/^/#   /' "$log" | head -30
		notok "$name"
	fi
}

make -s -C "$MX_TOP/lib" WERROR=1 >/dev/null
ver=$(cat "$MX_TOP/VERSION")
major=${ver%%.*}

# ---- make install DESTDIR=... and the program built against it

stage=$out/stage
prefix=/usr
install_tree() {
	rm -rf "$stage"
	make -s -C "$MX_TOP" install DESTDIR="$stage" PREFIX=$prefix
}
# build_consumer OUT [STATIC=1]
build_consumer() {
	PKG_CONFIG_PATH=$stage$prefix/lib/pkgconfig PKG_CONFIG_LIBDIR= \
		PKG_CONFIG_SYSROOT_DIR=$stage \
		make -s -B -C "$MX_TOP/tests/install" OUT="$1" "${@:2}"
}
if [ -n "$consumer" ]; then
	install_tree
	build_consumer "$consumer" STATIC=1
	exit 0
fi

# ---- mx.h as C99, C11 and C++

cat >"$w/c.c" <<'C'
#include <mx.h>
int main(void)
{
	mx_handle_t h = MX_HANDLE_INVALID;
	mx_wait_item_t item = { 0, MX_SIGNAL_NONE, 0 };

	(void)item;
	return mx_handle_close(h) == MX_ERR_BAD_HANDLE ? 0 : 1;
}
C
cp "$w/c.c" "$w/cxx.cc"
inc=(-I"$MX_TOP/lib/include")
for std in c99 c11; do
	check "mx.h compiles with -std=$std -pedantic -Wall -Wextra -Werror" \
		gcc -std=$std -pedantic -Wall -Wextra -Werror "${inc[@]}" \
		-c -o "$w/c-$std.o" "$w/c.c"
done
for std in c++11 c++17; do
	check "mx.h compiles and links as $std (g++ -pedantic -Wall -Wextra -Werror)" \
		g++ -std=$std -pedantic -Wall -Wextra -Werror "${inc[@]}" \
		-o "$w/cxx-$std" "$w/cxx.cc" "$MX_TOP/lib/libmx.a"
done

# ---- uapi layout: i386 against x86_64

# The x86_64 build prints the layout; the i386 build is only compiled, with
# a static assertion for every line of it (the host may not run i386
# programs): it compiles exactly when the two layouts agree.
awk -f "$MX_TOP/tools/vm/abi-layout.awk" "$MX_TOP/uapi/linux/mx.h" >"$w/layout.c"
aggs=$(grep -cE '^(struct|union) mx_[a-z0-9_]+ *\{' "$MX_TOP/uapi/linux/mx.h")
if gcc -m64 -std=c99 -Wall -Werror -I"$MX_TOP/uapi" -o "$w/layout64" "$w/layout.c" &&
	"$w/layout64" >"$w/layout64.txt"; then
	awk 'BEGIN { print "#include <stddef.h>"; print "#include <linux/mx.h>" }
	$3 == "size" {
		printf "_Static_assert(sizeof(%s %s) == %s, \"%s %s: size %s\");\n", $1, $2, $4, $1, $2, $4
		next
	}
	$1 ~ /^MX_IOC_/ {
		printf "_Static_assert((unsigned long)%s == %sUL, \"%s = %s\");\n", $1, $2, $1, $2
		next
	}
	{
		split($2, m, ".")
		printf "_Static_assert(offsetof(%s %s, %s) == %s, \"%s %s at %s\");\n", $1, m[1], m[2], $3, $1, $2, $3
	}' "$w/layout64.txt" >"$w/layout32.c"
	if [ "$(grep -c ' size ' "$w/layout64.txt")" != "$aggs" ]; then
		notok "uapi layout: abi-layout.awk found $(grep -c ' size ' "$w/layout64.txt") of $aggs structs"
	elif gcc -m32 -std=c11 -Wall -Werror -I"$MX_TOP/uapi" -c \
		-o "$w/layout32.o" "$w/layout32.c" 2>"$w/layout32.err"; then
		ok "uapi layout: $aggs structs and $(grep -c '^MX_IOC_' "$w/layout64.txt") commands the same in i386 and x86_64"
	else
		sed -n 's/^/#   /; /static assertion failed/p' "$w/layout32.err" | head -20
		notok "uapi layout differs between i386 and x86_64 (or no i386 build: gcc-multilib?)"
	fi
else
	notok "uapi layout: the x86_64 build failed"
fi

# ---- kernel differences live in module/compat.h only

if grep -nE 'LINUX_VERSION_CODE|KERNEL_VERSION\(|__has_include|RHEL_RELEASE' \
	"$MX_TOP"/module/*.[ch] 2>/dev/null |
	grep -v '^[^:]*/module/compat\.h:' >"$w/versions"; then
	sed 's/^/#   /' "$w/versions"
	notok "kernel version tests outside module/compat.h"
else
	ok "kernel version tests only in module/compat.h"
fi

# ---- libmx.so: soname, exports, versions; libmx.a

so=$MX_TOP/lib/libmx.so.$ver
soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "libmx.so.$major" ] && ok "libmx.so.$ver has soname libmx.so.$major" ||
	notok "libmx.so.$ver has soname '$soname', want libmx.so.$major"
# The calls of mx.h: "name(" on a line that starts a declaration (not
# indented, not a comment or a macro).
sed -n 's/^[^ \t#*\/].*[ *]\(mx_[a-z0-9_]*\)(.*/\1/p' "$MX_TOP/lib/include/mx.h" |
	sort -u >"$w/declared"
# Defined dynamic symbols: "mx_x@@MX_1.0" (readelf prints name@@version).
readelf --dyn-syms -W "$so" | awk '$7 != "UND" && $5 == "GLOBAL" && $8 !~ /^MX_[0-9.]*$/ { print $8 }' |
	sort >"$w/exported"
if grep -v '@@MX_[0-9.]*$' "$w/exported" >"$w/unversioned"; then
	notok "libmx.so exports symbols without a version: $(tr '\n' ' ' <"$w/unversioned")"
else
	ok "every symbol libmx.so exports has a version ($(sort -u "$w/exported" | sed 's/.*@@//' | sort -u | tr '\n' ' '| sed 's/ $//'))"
fi
sed 's/@.*//' "$w/exported" | sort -u >"$w/exported.names"
if diff "$w/declared" "$w/exported.names" >"$w/exports.diff"; then
	ok "libmx.so exports exactly the $(wc -l <"$w/declared") calls of mx.h"
else
	sed 's/^/#   /' "$w/exports.diff"
	notok "libmx.so exports differ from mx.h (<: declared only, >: exported only)"
fi
nm -g --defined-only "$MX_TOP/lib/libmx.a" 2>/dev/null | awk 'NF == 3 && $2 == "T" { print $3 }' |
	grep '^mx_' | sort -u >"$w/static.names"
# (Internal helpers, mx__*, are not exported from libmx.so but must be
# global in the archive.)
if comm -23 "$w/declared" "$w/static.names" >"$w/static.missing" &&
	[ ! -s "$w/static.missing" ]; then
	ok "libmx.a defines the calls of mx.h"
else
	notok "libmx.a lacks: $(tr '\n' ' ' <"$w/static.missing")"
fi

# ---- man pages

manfail=0
for page in "$MX_TOP"/man/*.[0-9] "$MX_TOP"/tools/*/*.[0-9]; do
	[ -f "$page" ] || continue
	name=${page##*/}
	warn=$( { groff -man -ww -z -t "$page"
		  LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" >/dev/null; } 2>&1) || true
	if [ -n "$warn" ]; then
		sed 's/^/#   /' <<<"$warn" | head -10
		notok "man page $name renders without warnings"
		manfail=1
	fi
done
npages=$(find "$MX_TOP/man" "$MX_TOP/tools" -maxdepth 2 -name '*.[0-9]' 2>/dev/null | wc -l || true)
if [ "$npages" -gt 0 ] && [ "$manfail" = 0 ]; then
	ok "$npages man pages render without warnings (groff -ww, man --warnings)"
elif [ "$npages" = 0 ]; then
	notok "no man pages in man/"
fi

# ---- make install DESTDIR=...

if check "make install DESTDIR=$stage PREFIX=$prefix" install_tree; then
	missing=()
	for f in include/mx.h include/mx/abi.h include/mx/version.h lib/libmx.a lib/libmx.so.$ver \
		lib/libmx.so.$major lib/libmx.so lib/pkgconfig/libmx.pc \
		share/man/man4/mx.4; do
		[ -e "$stage$prefix/$f" ] || missing+=("$prefix/$f")
	done
	[ -e "$stage/usr/lib/udev/rules.d/60-mx.rules" ] || missing+=(/usr/lib/udev/rules.d/60-mx.rules)
	[ ! -L "$stage$prefix/include/mx/abi.h" ] || missing+=("$prefix/include/mx/abi.h (a symlink)")
	# A page (or a .so link to one) for every call.
	while read -r fn; do
		[ -f "$stage$prefix/share/man/man3/$fn.3" ] || missing+=("man3/$fn.3")
	done <"$w/declared"
	if [ ${#missing[@]} -eq 0 ]; then
		ok "make install installed headers, libraries, pkg-config file, udev rule and $(find "$stage$prefix/share/man" -type f | wc -l) man pages"
	else
		notok "make install did not install: ${missing[*]}"
	fi
	pcdir=$stage$prefix/lib/pkgconfig
	pc=$(PKG_CONFIG_PATH=$pcdir PKG_CONFIG_LIBDIR= pkg-config --modversion libmx 2>&1) || true
	[ "$pc" = "$ver" ] && ok "pkg-config --modversion libmx is $ver" ||
		notok "pkg-config --modversion libmx: '$pc', want $ver"
	if check "a program outside the tree builds with pkg-config --cflags --libs libmx" \
		build_consumer "$w/consumer"; then
		needed=$(readelf -d "$w/consumer" | sed -n 's/.*(NEEDED).*\[\(libmx[^]]*\)\]/\1/p')
		vers=$(readelf -V "$w/consumer" | grep -o 'Name: MX_[0-9.]*' | sed 's/^Name: //' | sort -u | tr '\n' ' ')
		if [ "$needed" = "libmx.so.$major" ] && [ -n "$vers" ]; then
			ok "it needs libmx.so.$major with versions ${vers% }"
		else
			notok "it needs '$needed' with versions '$vers', want libmx.so.$major with MX_*"
		fi
		check "it builds statically with pkg-config --static" \
			build_consumer "$w/consumer-static" STATIC=1
	fi
else
	notok "no installed tree to build against"
fi

# ---- make uninstall leaves nothing of make install

if [ -d "$stage" ]; then
	make -s -C "$MX_TOP" install-modules-load DESTDIR="$stage" >/dev/null 2>&1 || true
	if make -s -C "$MX_TOP" uninstall DESTDIR="$stage" PREFIX=$prefix >"$w/uninstall.log" 2>&1 &&
		[ -z "$(find "$stage" -mindepth 1 2>/dev/null)" ]; then
		ok "make uninstall DESTDIR=... removes everything make install wrote"
	else
		{ cat "$w/uninstall.log"; find "$stage" -mindepth 1 -not -type d; } | sed 's/^/#   /' | head -20 || true
		notok "make uninstall DESTDIR=... leaves files behind"
	fi
fi

# ---- build flags: a distribution's reach libmx and mxls; no -Werror

nflags=$(make -s -n -B -C "$MX_TOP/lib" CPPFLAGS=-DMX_PROBE_CPP LDFLAGS=-Wl,-z,now 2>/dev/null)
if [ "$(grep -c ' -c ' <<<"$nflags")" -gt 0 ] &&
	! grep ' -c ' <<<"$nflags" | grep -v -- '-DMX_PROBE_CPP' >/dev/null &&
	grep -- '-shared' <<<"$nflags" | grep -- '-Wl,-z,now' >/dev/null; then
	ok "libmx's build takes CPPFLAGS and LDFLAGS"
else
	notok "libmx's build ignores CPPFLAGS or LDFLAGS"
fi
nflags=$(make -s -n -B -C "$MX_TOP/tools" mxls/mxls CPPFLAGS=-DMX_PROBE_CPP LDFLAGS=-Wl,-z,now 2>/dev/null)
grep -- '-DMX_PROBE_CPP' <<<"$nflags" | grep -- '-Wl,-z,now' >/dev/null &&
	ok "mxls's build takes CPPFLAGS and LDFLAGS" ||
	notok "mxls's build ignores CPPFLAGS or LDFLAGS"
werror=$(for d in lib tools examples; do make -s -n -B -C "$MX_TOP/$d" 2>/dev/null; done |
	grep -oE -- '-Werror( |$)' | head -1 || true)
[ -z "$werror" ] && ok "no -Werror in the builds that are shipped (lib, tools, examples) without WERROR=1" ||
	notok "-Werror in a shipped build without WERROR=1"

# ---- versions: one source

vh=$MX_TOP/lib/include/mx/version.h
hv=$(awk '/#define MX_VERSION_(MAJOR|MINOR|PATCH)/ { v = v (v == "" ? "" : ".") $3 } END { print v }' "$vh")
[ "$hv" = "$ver" ] && ok "mx/version.h says $ver, as VERSION does" ||
	notok "mx/version.h says '$hv', VERSION $ver"
cat >"$w/ver.c" <<'C'
#include <stdio.h>
#include <mx.h>
int main(void)
{
#if !MX_CHECK_VERSION(0, 1) || MX_CHECK_VERSION(MX_VERSION_MAJOR, MX_VERSION_MINOR + 1)
#error MX_CHECK_VERSION
#endif
	if (!mx_check_version(MX_VERSION_MAJOR, MX_VERSION_MINOR) ||
	    mx_check_version(MX_VERSION_MAJOR + 1, 0) ||
	    !mx_check_version(MX_VERSION_MAJOR - 1, 99))
		return 1;
	printf("%d.%d\n", mx_version_major(), mx_version_minor());
	return 0;
}
C
if gcc -std=c99 -Wall -Werror "${inc[@]}" -o "$w/ver" "$w/ver.c" "$MX_TOP/lib/libmx.a" &&
	[ "$("$w/ver")" = "${ver%.*}" ]; then
	ok "mx_version_major/minor and mx_check_version give $ver's, as MX_CHECK_VERSION does"
else
	notok "the version calls or macros disagree with VERSION ($ver)"
fi
dv=$(sed -n '1s/^[^ ]* (\([^)-]*\).*/\1/p' "$MX_TOP/debian/changelog" 2>/dev/null)
[ "$dv" = "$ver" ] && ok "debian/changelog's upstream version is $ver" ||
	notok "debian/changelog's upstream version is '$dv', VERSION $ver"
grep -q "^mx $ver\$" "$MX_TOP/NEWS" && ok "NEWS has an entry for $ver" ||
	notok "NEWS has no entry for $ver"

# ---- mxls: every object type by name; without the module, one line

types=$(sed -n 's/^#define \(MX_OBJ_TYPE_[A-Z0-9_]*\)[[:space:]]*[0-9].*/\1/p' "$MX_TOP/uapi/linux/mx.h" |
	grep -v -e _NONE -e _LAST)
nonames=""
for t in $types; do
	# or a name that stands for it (#define MX_OBJ_TYPE_PORT MX_OBJ_TYPE_IOPORT2)
	names="$t $(sed -n "s/^#define \(MX_OBJ_TYPE_[A-Z0-9_]*\)[[:space:]]*$t\$/\1/p" "$MX_TOP/uapi/linux/mx.h")"
	found=0
	for n in $names; do
		grep -q "{ $n, \"" "$MX_TOP/tools/mxls/mxls.c" && found=1
	done
	[ "$found" = 1 ] || nonames+=" $t"
done
[ -z "$nonames" ] && ok "mxls names every object type of the ABI ($(wc -w <<<"$types"))" ||
	notok "mxls has no name for:$nonames"
make -s -C "$MX_TOP/tools" >/dev/null 2>&1 || true
if [ -e /dev/mx ]; then
	ok "mxls without the module # SKIP /dev/mx exists on this machine"
else
	for args in "" "--all" "-J" "-p 1"; do
		mrc=0
		"$MX_TOP/tools/mxls/mxls" $args >"$w/mxls.out" 2>"$w/mxls.err" || mrc=$?
		if [ "$mrc" = 1 ] && [ ! -s "$w/mxls.out" ] && [ "$(wc -l <"$w/mxls.err")" = 1 ] &&
			grep -q 'mx module is not loaded' "$w/mxls.err"; then
			ok "mxls ${args:-(no arguments)} without the module: exit 1, one line"
		else
			sed 's/^/#   /' "$w/mxls.out" "$w/mxls.err" | head -5 || true
			notok "mxls ${args:-(no arguments)} without the module: exit $mrc, $(wc -l <"$w/mxls.out") lines out, $(wc -l <"$w/mxls.err") on stderr"
		fi
	done
fi

# ---- make without headers says which package

if make -s -C "$MX_TOP" module KREL=0.0.0-nosuch >"$w/noheaders.out" 2>&1; then
	notok "make module for a kernel without headers succeeded"
elif grep -q 'apt install linux-headers-0.0.0-nosuch' "$w/noheaders.out"; then
	ok "make without the kernel's headers names the package to install"
else
	sed 's/^/#   /' "$w/noheaders.out" | head -5 || true
	notok "make without the kernel's headers does not name the package"
fi

echo "host: $passed passed, $failed failed"
[ -z "$counts" ] || echo "host $passed $failed 0" >>"$counts"
[ "$failed" -eq 0 ]
