# Write a C program that prints the layout of every struct and union of the
# uapi header (size, and the offset of each member) and the value of every
# MX_IOC_* command, one line each. host-check.sh runs it as x86_64 and
# turns its output into static assertions that an i386 build must pass:
# one module serves both (compat_ioctl).
#
# Usage: awk -f abi-layout.awk uapi/linux/mx.h > layout.c
# Members of anonymous unions count as members of their struct.
BEGIN {
	depth = 0
	print "#include <stddef.h>"
	print "#include <stdio.h>"
	print "#include <linux/mx.h>"
	print "int main(void)"
	print "{"
}
{
	line = $0
	gsub(/\/\*.*\*\//, "", line)
	if (line ~ /^[ \t]*\/?\*/)
		next
}
depth == 0 && match(line, /^(struct|union) mx_[a-z0-9_]+ *\{/) {
	split(substr(line, RSTART, RLENGTH), w, /[ {]+/)
	agg = w[1] " " w[2]
	printf "\tprintf(\"%s size %%zu\\n\", sizeof(%s));\n", agg, agg
	depth = 1
	next
}
depth > 0 && line ~ /\{/ { depth++; next }
depth > 0 && line ~ /^[ \t]*\}/ { depth--; next }
depth > 0 && line ~ /;/ {
	sub(/\[.*/, "", line)
	sub(/;.*/, "", line)
	n = split(line, w, /[ \t*]+/)
	m = w[n]
	printf "\tprintf(\"%s.%s %%zu\\n\", offsetof(%s, %s));\n", agg, m, agg, m
	next
}
depth == 0 && match(line, /^#define MX_IOC_[A-Z0-9_]+[ \t]+_IO/) {
	split(line, w, /[ \t]+/)
	printf "\tprintf(\"%s %%#lx\\n\", (unsigned long)%s);\n", w[2], w[2]
}
END {
	print "\treturn 0;"
	print "}"
}
