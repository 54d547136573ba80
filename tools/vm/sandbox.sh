#!/usr/bin/env bash
# Run a command as root in a throwaway copy of this machine: a private
# mount namespace whose / is an overlay of the real root under a tmpfs, so
# that packages, make install, DKMS and ldconfig act as on the machine
# itself and leave nothing on it. Used by tools/vm/packages-check.sh.
#
# Usage: sandbox.sh [-b DIR]... [-k RELEASE] [-u UPPER] -- CMD [ARG...]
#   -b DIR      DIR (outside) is DIR inside too, read-write: where outputs go
#   -k RELEASE  "uname -r" answers RELEASE inside (the kernel DKMS and make
#               build for by default: this machine may run another one)
#   -u UPPER    after CMD, copy the overlay's upper layer (every file CMD
#               created or changed in the root) to UPPER, to be inspected
#
# Inside, "sudo" runs its command as it is (the sandbox is root already).
# The sandbox cannot load kernel modules (CAP_SYS_MODULE is dropped): a
# module built there is never loaded into the running kernel.
# Needs root (or sudo), unshare and setpriv (util-linux).
set -euo pipefail
. "$(dirname "$0")/common.sh"

binds=() release="" upper_out=""
while [ $# -gt 0 ]; do
	case "$1" in
	-b) binds+=("$(cd "$2" && pwd)"); shift 2 ;;
	-k) release=$2; shift 2 ;;
	-u) upper_out=$2; shift 2 ;;
	--) shift; break ;;
	*) die "usage: sandbox.sh [-b DIR]... [-k RELEASE] [-u UPPER] -- CMD..." ;;
	esac
done
[ $# -ge 1 ] || die "sandbox.sh: no command"

if [ "$(id -u)" -ne 0 ]; then
	args=()
	for d in "${binds[@]}"; do args+=(-b "$d"); done
	[ -z "$release" ] || args+=(-k "$release")
	[ -z "$upper_out" ] || args+=(-u "$upper_out")
	exec sudo -E "$0" "${args[@]}" -- "$@"
fi

base=$(mktemp -d "${TMPDIR:-/tmp}/mx-sandbox.XXXXXX")
trap 'rm -rf "$base"' EXIT

# The part that runs in the new mount namespace.
inner() {
	local base=$1 release=$2 upper_out=$3 nbinds=$4 root d
	shift 4
	local binds=("${@:1:$nbinds}")
	shift "$nbinds"
	mount -t tmpfs -o mode=0755 mx-sandbox "$base"
	mkdir -p "$base/upper" "$base/work" "$base/root"
	root=$base/root
	mount -t overlay overlay \
		-o "lowerdir=/,upperdir=$base/upper,workdir=$base/work" "$root"
	mount -t proc proc "$root/proc"
	mount --rbind /sys "$root/sys"
	mount --rbind /dev "$root/dev"
	mount -t tmpfs tmpfs "$root/run"
	mount -t tmpfs tmpfs "$root/tmp"
	for d in "${binds[@]}"; do
		mkdir -p "$root$d"
		mount --bind "$d" "$root$d"
	done
	mkdir -p "$root/usr/local/sbin/.mx-sandbox"
	if [ -n "$release" ]; then
		cat >"$root/usr/local/sbin/.mx-sandbox/uname" <<-EOF
		#!/bin/sh
		[ "\$*" = -r ] && { echo "$release"; exit 0; }
		exec /usr/bin/uname "\$@"
		EOF
		chmod 755 "$root/usr/local/sbin/.mx-sandbox/uname"
	fi
	if [ ! -x "$root/usr/bin/sudo" ]; then
		printf '#!/bin/sh\nexec "$@"\n' >"$root/usr/local/sbin/.mx-sandbox/sudo"
		chmod 755 "$root/usr/local/sbin/.mx-sandbox/sudo"
	fi
	local rc=0
	chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin/.mx-sandbox:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		${MX_SANDBOX_ENV:-} \
		/usr/bin/setpriv --bounding-set=-sys_module --inh-caps=-sys_module \
		"$@" || rc=$?
	if [ -n "$upper_out" ]; then
		rm -rf "$upper_out"
		mkdir -p "$upper_out"
		cp -a "$base/upper/." "$upper_out/"
		rm -rf "$upper_out/usr/local/sbin/.mx-sandbox"
	fi
	return "$rc"
}

export -f inner
unshare --mount --propagation private --fork \
	bash -c 'set -euo pipefail; inner "$@"' inner \
	"$base" "$release" "$upper_out" "${#binds[@]}" "${binds[@]}" "$@"
