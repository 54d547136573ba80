#!/usr/bin/env bash
# The Debian packages and the manual's install sequences, as a user runs
# them (make check's "packages" step).
#
# Usage: packages-check.sh [-c COUNTS] VMLINUZ RELEASE...
#   VMLINUZ   Debian's stock kernel the VM boots; its release is the first
#             RELEASE
#   RELEASE   the Debian kernels whose headers are installed (6.12, 6.1,
#             rt-6.1): the mx-dkms package builds the module for each
#
# Each sequence of docs/manual.md marked "<!-- sequence: NAME -->" (the
# indented block that follows) is run as written, in a copy of the tree
# made as a clean clone is, inside tools/vm/sandbox.sh: a throwaway copy
# of this machine whose "uname -r" is the first RELEASE, so that
# installing, DKMS and removing act as on a real Debian 12 machine and
# leave this one untouched.
#   packages, packages-remove
#             make deb (dpkg-buildpackage -us -uc -b), apt install of the
#             four packages: mx-dkms's scripts run dkms add, build and
#             install for every RELEASE; then the packages' contents,
#             versions, hardening and symbols, a program built against
#             libmx-dev with pkg-config and the examples libmx-dev ships;
#             apt purge, and nothing may be left; lintian on the packages
#   install, modules-install, modules-uninstall, uninstall
#             make, make install (ldconfig), an example built with
#             pkg-config; make modules_install and modules_uninstall;
#             make uninstall, and nothing may be left
#   dkms, dkms-remove
#             make dist, the tarball into /usr/src, dkms add, build and
#             install; dkms remove, and nothing may be left
# Then one VM boots VMLINUZ with the mx.ko that the package's DKMS built
# and runs, through tools/vm/packages-guest.sh: the packaged mxls, the
# programs built against the installed libmx-dev, the shipped examples,
# make runtests's runner (tests/runtests.sh) on two suites, and the
# install-run sequence (the example built after make install, found
# through ld.so.cache as on the machine).
#
# MX_PACKAGES_STAGES="install dkms" runs only some of the three stages
# (packages, install, dkms); the VM needs the packages stage.
#
# Prints "ok - ..."/"not ok - ..." lines, the VM's rows, then
# "packages: N passed, N failed"; appends "packages PASSED FAILED 0" to
# COUNTS.
set -euo pipefail
. "$(dirname "$0")/common.sh"

vm=$MX_TOP/tools/vm
work=$MX_BUILD/packages
ver=$(cat "$MX_TOP/VERSION")
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
debs=(mx-dkms_"$ver"-1_all.deb libmx0_"$ver"-1_"$arch".deb
	libmx-dev_"$ver"-1_"$arch".deb mx-tools_"$ver"-1_"$arch".deb)

# ---------------------------------------------------------------- helpers

passed=0 failed=0
ok() {
	echo "ok - $1"
	passed=$((passed + 1))
}
notok() {
	echo "not ok - $1"
	failed=$((failed + 1))
}
# check NAME CMD...: ok when CMD succeeds; its output is shown otherwise.
# The output is kept in $last_log.
check() {
	local name=$1 log
	shift
	log=${name%%:*}
	log=${log//[^a-zA-Z0-9]/_}
	log=$work/logs/${log:0:60}.log
	last_log=$log
	if "$@" >"$log" 2>&1; then
		ok "$name"
	else
		sed 's/^/#   /' "$log" | tail -25 || true
		notok "$name (log: $log)"
		return 1
	fi
}

# block NAME: the commands of the manual's sequence NAME.
block() {
	awk -v name="$1" '
		$0 == "<!-- sequence: " name " -->" { want = 1; next }
		want && /^    / { inblk = 1; print substr($0, 5); next }
		want && inblk { exit }
		want && /^$/ { next }
		want { exit }' "$MX_TOP/docs/manual.md"
}

# run_block NAME DIR: run the sequence NAME in DIR, as a shell script
# with -e (each command must succeed), echoing each command.
run_block() {
	local text
	text=$(block "$1")
	[ -n "$text" ] || { echo "no sequence '$1' in docs/manual.md"; return 1; }
	(cd "$2" && bash -e -x -c "$text")
}

# checkout DIR: the tracked files of the tree as they are now, in a new
# git repository: what a clean clone of this state would hold.
checkout() {
	rm -rf "$1"
	mkdir -p "$1"
	(cd "$MX_TOP" && git ls-files -z | xargs -0 cp --parents -d -t "$1")
	(cd "$1" && git init -q && git add -A &&
		git -c user.name=mx -c user.email=mx@localhost commit -q -m checkout)
}

# leftovers UPPER WHAT: the files a sandbox's session left in the root
# (its overlay's upper layer), but what installing and removing anything
# changes (the linker cache, depmod's indexes, dpkg's and apt's records,
# logs) and the key DKMS makes on first use to sign modules (Secure Boot)
# and keeps: none may be left.
leftovers() {
	local upper=$1 what=$2 left
	left=$(cd "$upper" && find . ! -type d | sed 's|^\./||' | grep -vE \
		-e '^etc/ld\.so\.cache$' -e '^var/cache/' -e '^var/log/' \
		-e '^var/lib/(dpkg|apt|ucf|systemd|man-db)/' -e '^(usr/)?lib/modules/[^/]*/modules\.' \
		-e '^etc/dkms/framework\.conf$' -e '^var/lib/dkms/mok\.(key|pub)$' -e '^etc/apt/apt\.conf\.d/99mx-sandbox$' \
		-e '^root/' -e '^tmp/' -e '^run/' || true)
	if [ -z "$left" ]; then
		ok "$what leaves nothing behind"
	else
		sed 's/^/#   left: \//' <<<"$left" | head -20 || true
		notok "$what leaves $(wc -l <<<"$left") files behind"
	fi
}

# ------------------------------------------------- inside the sandbox

# Each stage runs as root inside sandbox.sh, with $work bound in.
stage_packages() {
	local src=$work/pkg/mx k ko v lib
	export DEBIAN_FRONTEND=noninteractive
	# apt asks nothing; mx-dkms builds for every kernel with headers.
	echo 'APT::Get::Assume-Yes "true";' >/etc/apt/apt.conf.d/99mx-sandbox
	echo 'autoinstall_all_kernels="yes"' >>/etc/dkms/framework.conf

	check "the packages sequence: make deb, apt install of the four packages" \
		run_block packages "$src" || return 0
	local buildlog=$last_log

	# DKMS built and installed the module for each kernel.
	for k in "${releases[@]}"; do
		ko=$(compgen -G "/lib/modules/$k/updates/dkms/mx.ko*" | head -1 || true)
		v=""
		[ -z "$ko" ] || v=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)/$(modinfo -F version "$ko")
		if [ "$v" = "$k/$ver" ]; then
			ok "mx-dkms built and installed mx.ko $ver for $k"
		else
			notok "mx-dkms: no mx.ko $ver for $k ('$ko', '$v'; dkms status: $(dkms status mx 2>&1 | tr '\n' ' '))"
		fi
	done
	ko=$(compgen -G "/lib/modules/${releases[0]}/updates/dkms/mx.ko*" | head -1 || true)
	mkdir -p "$work/vm/mod/module"
	case "$ko" in
	*.ko) cp "$ko" "$work/vm/mod/module/mx.ko" ;;
	*.ko.xz) xz -dc "$ko" >"$work/vm/mod/module/mx.ko" ;;
	*.ko.zst) zstd -qdc "$ko" >"$work/vm/mod/module/mx.ko" ;;
	esac

	# What the packages put where.
	local want=(
		"/usr/src/mx-$ver/dkms.conf" "/usr/src/mx-$ver/Kbuild"
		"/usr/src/mx-$ver/module/main.c" "/usr/lib/udev/rules.d/60-mx.rules"
		/usr/share/man/man4/mx.4.gz "/usr/lib/$multiarch/libmx.so.0"
		"/usr/lib/$multiarch/libmx.so.$ver" /usr/include/mx.h
		/usr/include/mx/abi.h /usr/include/mx/version.h
		"/usr/lib/$multiarch/libmx.a" "/usr/lib/$multiarch/libmx.so"
		"/usr/lib/$multiarch/pkgconfig/libmx.pc"
		/usr/share/man/man3/mx_channel_write.3.gz
		/usr/share/man/man3/mx_version_major.3.gz
		/usr/share/doc/libmx-dev/examples/Makefile
		/usr/share/doc/libmx-dev/examples/mx-demo.c
		/usr/share/doc/mx-dkms/examples/mx.conf
		/usr/bin/mxls /usr/share/man/man1/mxls.1.gz
		/usr/share/doc/libmx0/copyright
	)
	local missing=() f
	for f in "${want[@]}"; do [ -e "$f" ] || missing+=("$f"); done
	[ ${#missing[@]} -eq 0 ] && ok "the packages install ${#want[@]} files where Debian puts them" ||
		notok "the packages do not install: ${missing[*]}"
	if grep -q "^PACKAGE_VERSION=\"$ver\"$" "/usr/src/mx-$ver/dkms.conf" &&
		! grep -q '^CLEAN=' "/usr/src/mx-$ver/dkms.conf" &&
		[ "$(pkg-config --modversion libmx)" = "$ver" ] &&
		zcat /usr/share/man/man3/mx_channel_write.3.gz | grep "^\.TH .* \"mx $ver\"" >/dev/null &&
		zcat /usr/share/man/man1/mxls.1.gz | grep "^\.TH .* \"mx $ver\"" >/dev/null &&
		mxls -V | grep "^mxls from mx $ver (libmx ${ver%.*})$" >/dev/null; then
		ok "dkms.conf, libmx.pc, the man pages and mxls -V all say $ver"
	else
		notok "a version differs from $ver (dkms.conf, libmx.pc, man pages, mxls -V: $(mxls -V 2>&1))"
	fi
	# Every page's link works (a .so page that names a missing page).
	local bad=""
	for f in /usr/share/man/man3/mx_*.3.gz; do
		man -l "$f" >/dev/null 2>&1 || bad+=" ${f##*/}"
	done
	[ -z "$bad" ] && ok "every mx page in man3 renders (links included)" ||
		notok "man pages that do not render:$bad"

	# The library: soname, hardening, symbols file.
	lib=/usr/lib/$multiarch/libmx.so.$ver
	if readelf -d "$lib" | grep 'FLAGS.*BIND_NOW' >/dev/null &&
		readelf -lW "$lib" | grep GNU_RELRO >/dev/null &&
		readelf -d /usr/bin/mxls | grep 'FLAGS.*BIND_NOW' >/dev/null &&
		readelf -d /usr/bin/mxls | grep 'NEEDED.*libmx\.so\.0' >/dev/null &&
		grep -q -- '-D_FORTIFY_SOURCE=2 .*-c -o channel\.o channel\.c' "$buildlog"; then
		ok "libmx0 and mxls are hardened (_FORTIFY_SOURCE, relro, -z now); mxls uses libmx.so.0"
	else
		notok "libmx0 or mxls lacks the hardening flags, or mxls does not use libmx.so.0"
	fi
	readelf --dyn-syms -W "$lib" | awk '$7 != "UND" && $5 == "GLOBAL" { print $8 }' |
		sed 's/@@*/@/; s/^\(MX_[0-9.]*\)$/\1@\1/' | sort >"$work/logs/exported"
	sed -n 's/^ \([^ ]*\) .*/\1/p' "/var/lib/dpkg/info/libmx0:$arch.symbols" | sort >"$work/logs/symbols"
	if diff "$work/logs/symbols" "$work/logs/exported" >"$work/logs/symbols.diff"; then
		ok "libmx0's symbols file lists the $(wc -l <"$work/logs/exported") versioned symbols libmx.so.0 exports"
	else
		sed 's/^/#   /' "$work/logs/symbols.diff"
		notok "debian/libmx0.symbols differs from libmx.so.0's exports (<: file only, >: library only)"
	fi
	if grep -E -- '-Werror( |$)' "$buildlog" | grep . >/dev/null; then
		notok "the package build passes -Werror"
	else
		ok "the package build passes no -Werror"
	fi

	# Programs built against the installed libmx-dev, for the VM.
	local out=$work/vm/root
	mkdir -p "$out/usr/bin" "$out/pkg"
	check "a program builds against libmx-dev with pkg-config, shared and static" \
		bash -c "make -s -B -C '$MX_TOP/tests/install' OUT='$out/pkg/mx-pkgconfig' &&
			 make -s -B -C '$MX_TOP/tests/install' OUT='$out/pkg/mx-pkgconfig-static' STATIC=1"
	rm -rf "$work/pkg/examples"
	cp -r /usr/share/doc/libmx-dev/examples "$work/pkg/examples"
	check "the examples libmx-dev ships build with their Makefile" \
		make -C "$work/pkg/examples"
	cp "$work/pkg/examples/mx-demo" "$work/pkg/examples/mx-tree" "$out/pkg/" 2>/dev/null || true
	cp /usr/bin/mxls "$out/usr/bin/mxls"
	# Their shared libraries, at the same paths.
	for f in "$out"/pkg/* "$out/usr/bin/mxls"; do
		{ ldd "$f" 2>/dev/null || true; } | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p'
	done | sort -u | while read -r lib; do
		mkdir -p "$out$(dirname "$lib")"
		cp -L "$lib" "$out$lib"
	done

	check "the packages-remove sequence: apt purge of the four packages" \
		run_block packages-remove "$src"
	if [ -z "$(dkms status mx 2>/dev/null)" ] && [ ! -e "/usr/src/mx-$ver" ] &&
		! compgen -G "/lib/modules/*/updates/dkms/mx.ko*" >/dev/null; then
		ok "purging mx-dkms removed the module from DKMS and every kernel"
	else
		notok "after apt purge: $(dkms status mx 2>&1 | tr '\n' ' ') $(compgen -G "/lib/modules/*/updates/dkms/mx.ko*" | tr '\n' ' ')"
	fi
}

stage_install() {
	local src=$work/inst/mx f missing=()
	check "the install sequence: make, make install, an example built with pkg-config" \
		run_block install "$src" || return 0
	for f in /usr/local/include/mx.h /usr/local/include/mx/version.h \
		/usr/local/lib/libmx.so.0 /usr/local/lib/libmx.a \
		/usr/local/lib/pkgconfig/libmx.pc /usr/local/bin/mxls \
		/usr/local/share/man/man3/mx_handle_close.3 \
		/usr/local/share/man/man1/mxls.1 /usr/lib/udev/rules.d/60-mx.rules; do
		[ -e "$f" ] || missing+=("$f")
	done
	[ ${#missing[@]} -eq 0 ] && ok "make install put the headers, libraries, man pages, mxls and the udev rule in place" ||
		notok "make install did not install: ${missing[*]}"
	# ldconfig ran: the example finds libmx.so.0 without LD_LIBRARY_PATH.
	if ldconfig -p | grep 'libmx\.so\.0 .*/usr/local/lib/libmx\.so\.0' >/dev/null &&
		ldd "$src/mx-echo" | grep 'libmx\.so\.0 => /usr/local/lib/libmx\.so\.0' >/dev/null; then
		ok "after make install the example finds /usr/local/lib/libmx.so.0 (ldconfig ran)"
	else
		ldd "$src/mx-echo" | sed 's/^/#   /'
		notok "after make install the example does not find libmx.so.0"
	fi
	# For the VM: a root of its own (the guest chroots into it) with the
	# example, the sequence that runs it, the libraries it loads and this
	# machine's linker cache, which finds libmx.so.0 in /usr/local/lib.
	local root=$work/vm/root/seq/install-root lib
	mkdir -p "$root/seq" "$root/etc"
	cp "$src/mx-echo" "$root/seq/"
	block install-run >"$root/seq/run.sh"
	cp /etc/ld.so.cache "$root/etc/"
	ldd "$src/mx-echo" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p' |
	while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done

	check "the modules-install sequence: make modules_install" \
		run_block modules-install "$src" &&
		if [ -n "$(find "/lib/modules/${releases[0]}/" -path '*/module/mx.ko*')" ] &&
			grep -q '/module/mx\.ko' "/lib/modules/${releases[0]}/modules.dep"; then
			ok "make modules_install installed mx.ko for ${releases[0]} and ran depmod"
		else
			notok "make modules_install: no mx.ko in modules.dep of ${releases[0]}"
		fi
	check "the modules-uninstall sequence: make modules_uninstall" \
		run_block modules-uninstall "$src" &&
		if [ -z "$(find "/lib/modules/${releases[0]}/" -path '*/module/mx.ko*')" ] &&
			! grep -q '/module/mx\.ko' "/lib/modules/${releases[0]}/modules.dep"; then
			ok "make modules_uninstall removed mx.ko and ran depmod"
		else
			notok "make modules_uninstall left mx.ko or its modules.dep entry"
		fi
	check "the uninstall sequence: make uninstall" \
		run_block uninstall "$src" || true
}

stage_dkms() {
	local src=$work/dkms/mx k=${releases[0]} ko v
	check "the dkms sequence: make dist, tar into /usr/src, dkms add, build, install" \
		run_block dkms "$src" || return 0
	ko=$(compgen -G "/lib/modules/$k/updates/dkms/mx.ko*" | head -1 || true)
	v=""
	[ -z "$ko" ] || v=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)/$(modinfo -F version "$ko")
	[ "$v" = "$k/$ver" ] && ok "dkms installed mx.ko $ver for the running kernel $k" ||
		notok "dkms install: '$ko' '$v', want $k/$ver"
	check "the dkms-remove sequence: dkms remove, rm the sources" \
		run_block dkms-remove "$src" || true
}

if [ "${1:-}" = --stage ]; then
	# Inside the sandbox: --stage NAME RELEASE...
	name=$2
	shift 2
	releases=("$@")
	mkdir -p "$work/logs"
	"stage_$name"
	echo "STAGE $name $passed $failed"
	exit 0
fi

# --------------------------------------------------------------- outside

counts=""
if [ "${1:-}" = -c ]; then
	counts=$2
	shift 2
fi
[ $# -ge 2 ] || die "usage: packages-check.sh [-c COUNTS] VMLINUZ RELEASE..."
vmlinuz=$1
shift
releases=("$@")

rm -rf "$work"
mkdir -p "$work/logs" "$work/vm" "$MX_CACHE/ccache"

# stage NAME: run stage NAME in a sandbox that runs releases[0]; its
# counts join ours, and what it left in the root is checked.
stage() {
	local name=$1 out p f
	out=$(MX_SANDBOX_ENV="CCACHE_DIR=$MX_CACHE/ccache" \
		"$vm/sandbox.sh" -b "$work" -b "$MX_CACHE/ccache" -k "${releases[0]}" \
		-u "$work/upper-$name" -- \
		/usr/bin/env PATH=/usr/lib/ccache:/usr/local/sbin/.mx-sandbox:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		bash "$MX_TOP/tools/vm/packages-check.sh" --stage "$name" "${releases[@]}" 2>&1) || true
	grep -v '^STAGE ' <<<"$out" || true
	if read -r _ _ p f < <(grep '^STAGE ' <<<"$out"); then
		passed=$((passed + p))
		failed=$((failed + f))
	else
		tail -20 <<<"$out" | sed 's/^/#   /'
		notok "the $name stage did not finish"
	fi
}

# make runtests's runner, with two suites, for the VM.
make -s -C "$MX_TOP/tests" bin/event bin/eventpair >/dev/null
mkdir -p "$work/vm/root/pkg/tests/bin"
cp "$MX_TOP/tests/runtests.sh" "$work/vm/root/pkg/tests/"
cp "$MX_TOP/tests/bin/event" "$MX_TOP/tests/bin/eventpair" "$work/vm/root/pkg/tests/bin/"

stages=" ${MX_PACKAGES_STAGES:-packages install dkms} "
if [[ $stages == *" packages "* ]]; then
	log "packages: the Debian packages (build, install, DKMS for ${releases[*]}, purge)"
	checkout "$work/pkg/mx"
	stage packages
	leftovers "$work/upper-packages" "installing and purging the packages"
fi

# lintian on what was built: no error, no warning (the packages are built
# from the upstream tree, so there is no ITP bug to close).
if [[ $stages == *" packages "* ]] && compgen -G "$work/pkg/mx_${ver}-1_*.changes" >/dev/null; then
	lintian --suppress-tags initial-upload-closes-no-bugs \
		"$work"/pkg/mx_"$ver"-1_*.changes >"$work/logs/lintian.log" 2>&1 || true
	if grep -qE '^[EW]: ' "$work/logs/lintian.log"; then
		grep -E '^[EW]: ' "$work/logs/lintian.log" | sed 's/^/#   /' | head -20 || true
		notok "lintian finds $(grep -cE '^[EW]: ' "$work/logs/lintian.log") errors and warnings in the packages"
	else
		ok "lintian finds no error or warning in the packages"
	fi
fi

if [[ $stages == *" install "* ]]; then
	log "packages: make install, modules_install, uninstall"
	checkout "$work/inst/mx"
	stage install
	leftovers "$work/upper-install" "make install, modules_install, modules_uninstall and uninstall"
fi

if [[ $stages == *" dkms "* ]]; then
	log "packages: the DKMS sequence"
	checkout "$work/dkms/mx"
	stage dkms
	leftovers "$work/upper-dkms" "the DKMS sequence and its removal"
fi
# make dist: the tarball holds the tracked files only, dkms.conf stamped.
tarball=$work/dkms/mx/mx-$ver.tar.gz
if [[ $stages != *" dkms "* ]]; then
	:
elif [ -f "$tarball" ]; then
	tar -tzf "$tarball" | sed "s|^mx-$ver/||" | grep -v '/$' | grep -v '^$' | sort >"$work/logs/dist.list"
	(cd "$MX_TOP" && git ls-files | sort) >"$work/logs/tracked.list"
	if diff "$work/logs/tracked.list" "$work/logs/dist.list" >"$work/logs/dist.diff" &&
		tar -xzOf "$tarball" "mx-$ver/dkms.conf" | grep "^PACKAGE_VERSION=\"$ver\"$" >/dev/null; then
		ok "make dist: mx-$ver/ holds the $(wc -l <"$work/logs/dist.list") tracked files, no build output, dkms.conf stamped $ver"
	else
		sed 's/^/#   /' "$work/logs/dist.diff" | head || true
		notok "make dist: the tarball differs from the tracked files, or dkms.conf is not stamped"
	fi
else
	notok "make dist made no $tarball"
fi

# ---- the VM: the package's mx.ko, the packaged programs, install-run

if [ -f "$work/vm/mod/module/mx.ko" ]; then
	mkdir -p "$work/vm/tests"
	sed "s/@VERSION@/$ver/" "$vm/packages-guest.sh" >"$work/vm/tests/packages"
	chmod 755 "$work/vm/tests/packages"
	files=()
	while read -r f; do
		files+=(--file "$f:${f#"$work/vm/root/"}")
	done < <(find "$work/vm/root" -type f)
	# Links (libmx.so.0 -> libmx.so.0.3.0) as the files they name.
	while read -r f; do
		files+=(--file "$f:${f#"$work/vm/root/"}")
	done < <(find "$work/vm/root" -type l)
	MX_TESTS="" "$vm/mkinitramfs.sh" --module "$work/vm/mod" --tests "$work/vm/tests" \
		--examples none --bench none "${files[@]}" "$work/vm/initramfs.cpio"
	qrc=0
	log "packages: booting ${releases[0]} with the packaged mx.ko"
	"$vm/qemu.sh" -k "$work/vm/console.log" -o "$work/vm/output.log" -t 300 \
		-a "mx.mode=test mx.timeout=120" "$vmlinuz" "$work/vm/initramfs.cpio" || qrc=$?
	prc=0
	"$MX_TOP/tests/runner/parse.sh" -l packages-vm -c "$work/vm/counts" -q "$qrc" \
		"$work/vm/output.log" "$work/vm/console.log" >"$work/vm/results.txt" || prc=$?
	sed 's/^/  /' "$work/vm/results.txt"
	read -r _ p f _ <"$work/vm/counts"
	passed=$((passed + p))
	failed=$((failed + f))
else
	notok "no mx.ko from the package for ${releases[0]}: the VM was not booted"
fi

echo "packages: $passed passed, $failed failed"
[ -z "$counts" ] || echo "packages $passed $failed 0" >>"$counts"
[ "$failed" -eq 0 ]
