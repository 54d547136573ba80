# Shared helpers for the VM scripts. Sourced, not run.
# shellcheck shell=bash

MX_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MX_CACHE=${MX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mx}
mkdir -p "$MX_CACHE"

log() { printf '[mx-vm] %s\n' "$*" >&2; }
die() { printf '[mx-vm] error: %s\n' "$*" >&2; exit 1; }

# sudo only when not root (CI and the build machines run as root).
as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The Debian package version of an installed package, or empty.
pkg_version() {
	dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true
}
