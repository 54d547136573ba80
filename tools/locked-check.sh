#!/usr/bin/env bash
# Every function of the module whose name ends in _locked says which lock
# its caller holds with lockdep_assert_held() (or another lockdep_assert,
# or mx_ht_assert_held() for a handle table's), so that lockdep checks the
# claim its name makes.
#
# Usage: locked-check.sh [FILE...]   (default: module/*.c)
# Prints each function that does not, and exits 1 if there is one.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- module/*.c
awk '
	# A definition: the name at the start of a line, or after a return
	# type, then its parameters; the body opens with "{" alone on a line.
	/^[a-z].*[ *]mx_[a-z0-9_]*_locked\(/ && !/;[ \t]*$/ {
		name = $0
		sub(/\(.*/, "", name)
		sub(/.*[ *]/, "", name)
		pending = 1
		next
	}
	pending && /^\{/ { inbody = 1; found = 0; pending = 0; next }
	pending && /;[ \t]*$/ && !/,$/ { pending = 0 }
	inbody && /lockdep_assert|_assert_held\(/ { found = 1 }
	inbody && /^\}/ {
		if (!found) {
			printf "%s: %s() asserts no lock\n", FILENAME, name
			bad = 1
		}
		inbody = 0
	}
	END { exit bad }
' "$@"
