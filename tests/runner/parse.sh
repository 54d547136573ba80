#!/usr/bin/env bash
# Turn the console logs of one VM run into results (the rules are in
# parse.awk).
#
# Usage: parse.sh [-l LABEL] [-c COUNTS] [-q QEMU_STATUS] LOG...
#   LOG...   the guest's output and the kernel console, in any order (or one
#            file holding both); kernel messages are told apart by their
#            "[   12.345678]" time stamps
#   -l       name of the run in the output (default: the first LOG's name)
#   -c       append "LABEL PASSED FAILED SKIPPED" to this file
#   -q       QEMU's exit status (124: killed at the time limit)
#
# Prints a row per KUnit suite and per test program, the cause of every
# failure, and last "LABEL: N passed, N failed, N skipped". Exit status 1
# when anything failed.
set -euo pipefail

label="" counts="" qrc=""
while getopts "l:c:q:" opt; do
	case "$opt" in
	l) label=$OPTARG ;;
	c) counts=$OPTARG ;;
	q) qrc=$OPTARG ;;
	*) echo "usage: parse.sh [-l LABEL] [-c COUNTS] [-q QEMU_STATUS] LOG..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "parse.sh: no log given" >&2; exit 2; }
for f in "$@"; do
	[ -f "$f" ] || { echo "parse.sh: no such log: $f" >&2; exit 2; }
done
[ -n "$label" ] || label=$(basename "$1" .log)

exec awk -v label="$label" -v counts="$counts" -v qemu_rc="$qrc" \
	-f "$(dirname "$0")/parse.awk" "$@"
