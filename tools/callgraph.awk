# The call graph between the files of one program, from nm, and its cycles.
# Run by tools/callgraph.sh; see there.
#
# Input: lines "T FILE SYMBOL" (FILE defines the global function SYMBOL)
# and "U FILE SYMBOL" (FILE calls or takes the address of SYMBOL, which it
# does not define), in any order. Variables: name (what is checked, for the
# messages) and allow (a file of allowed pairs, "a.c b.c  # why"; may be
# empty or missing).
#
# FILE calls FILE2 when one of its U symbols is a T symbol of FILE2. The
# strongly connected components of that graph (Tarjan) are its cycles: an
# edge lies on a cycle exactly when both its ends are in one component.
# Printed: each component of more than one file, each distinct shortest
# cycle through each of its edges (with the symbols of each call), and
# each edge on a cycle whose pair of files the allow list does not name.
# Exit status 1 when there is such an edge.

function tarjan(v,    i, w, n) {
	index_of[v] = counter
	low[v] = counter
	counter++
	stack[++sp] = v
	on_stack[v] = 1
	n = nout[v]
	for (i = 1; i <= n; i++) {
		w = out[v, i]
		if (!(w in index_of)) {
			tarjan(w)
			if (low[w] < low[v])
				low[v] = low[w]
		} else if (on_stack[w] && index_of[w] < low[v]) {
			low[v] = index_of[w]
		}
	}
	if (low[v] == index_of[v]) {
		ncomp++
		size[ncomp] = 0
		do {
			w = stack[sp--]
			on_stack[w] = 0
			comp[w] = ncomp
			size[ncomp]++
		} while (w != v)
	}
}

# The shortest path from @from to @to inside component @c, as
# "from -> ... -> to" (breadth first, neighbours in name order).
function path(from, to, c,    head, tail, q, prev, v, i, w, p) {
	split("", prev)
	head = tail = 1
	q[1] = from
	prev[from] = ""
	while (head <= tail) {
		v = q[head++]
		if (v == to)
			break
		for (i = 1; i <= nout[v]; i++) {
			w = out[v, i]
			if (comp[w] != c || (w in prev))
				continue
			prev[w] = v
			q[++tail] = w
		}
	}
	p = to
	for (v = to; v != from; v = prev[v])
		p = prev[v] " -> " p
	return p
}

# A cycle "a -> b -> c -> a" written from its smallest name, so that each
# is printed once.
function canonical(cyc,    parts, n, i, best, k, s) {
	n = split(cyc, parts, " -> ") - 1
	best = 1
	for (i = 2; i <= n; i++)
		if (parts[i] < parts[best])
			best = i
	s = parts[best]
	for (k = 1; k <= n; k++)
		s = s " -> " parts[(best - 1 + k) % n + 1]
	return s
}

function pair(a, b) {
	return a < b ? a SUBSEP b : b SUBSEP a
}

# Insertion sort of names[1..n].
function sort_names(names, n,    i, j, t) {
	for (i = 2; i <= n; i++) {
		t = names[i]
		for (j = i - 1; j >= 1 && names[j] > t; j--)
			names[j + 1] = names[j]
		names[j + 1] = t
	}
}

$1 == "T" {
	file[$2] = 1
	if ($3 in def && def[$3] != $2)
		dup[$3] = 1
	def[$3] = $2
	next
}
$1 == "U" {
	file[$2] = 1
	nu++
	ufile[nu] = $2
	usym[nu] = $3
	next
}

END {
	if (allow != "") {
		while ((getline line < allow) > 0) {
			sub(/#.*/, "", line)
			if (split(line, f, " ") == 0)
				continue
			if (split(line, f, " ") != 2) {
				printf "%s: %s: not a pair of files: %s\n",
				       name, allow, line
				bad_allow = 1
				continue
			}
			allowed[pair(f[1], f[2])] = f[1] " " f[2]
		}
		close(allow)
	}

	nfiles = 0
	for (v in file)
		names[++nfiles] = v
	sort_names(names, nfiles)

	for (i = 1; i <= nu; i++) {
		a = ufile[i]
		if (!(usym[i] in def) || (usym[i] in dup))
			continue
		b = def[usym[i]]
		if (a == b)
			continue
		if (!((a, b) in edge)) {
			edge[a, b] = usym[i]
			nedges++
		} else if (index(" " edge[a, b] " ", " " usym[i] " ") == 0) {
			edge[a, b] = edge[a, b] " " usym[i]
		}
	}
	# Adjacency in name order, so that the output does not depend on
	# the order of nm's lines.
	for (i = 1; i <= nfiles; i++) {
		a = names[i]
		nout[a] = 0
		for (j = 1; j <= nfiles; j++)
			if ((a, names[j]) in edge)
				out[a, ++nout[a]] = names[j]
	}

	counter = 0
	sp = 0
	ncomp = 0
	for (i = 1; i <= nfiles; i++)
		if (!(names[i] in index_of))
			tarjan(names[i])

	ncycles = 0
	nbad = 0
	ngroups = 0
	for (c = 1; c <= ncomp; c++) {
		if (size[c] < 2)
			continue
		ngroups++
		members = ""
		for (i = 1; i <= nfiles; i++)
			if (comp[names[i]] == c)
				members = members " " names[i]
		printf "%s: files that call each other:%s\n", name, members
		for (i = 1; i <= nfiles; i++) {
			a = names[i]
			if (comp[a] != c)
				continue
			for (j = 1; j <= nout[a]; j++) {
				b = out[a, j]
				if (comp[b] != c)
					continue
				on_cycle[pair(a, b)] = 1
				if (!(pair(a, b) in allowed)) {
					nbad++
					bad[nbad] = a " -> " b
				}
				cyc = canonical(a " -> " path(b, a, c))
				if (cyc in seen)
					continue
				seen[cyc] = 1
				ncycles++
				printf "  cycle: %s\n", cyc
			}
		}
		# The calls that make the group's edges.
		for (i = 1; i <= nfiles; i++) {
			a = names[i]
			if (comp[a] != c)
				continue
			for (j = 1; j <= nout[a]; j++) {
				b = out[a, j]
				if (comp[b] == c)
					printf "    %s -> %s: %s\n", a, b, edge[a, b]
			}
		}
	}
	for (p in allowed)
		if (!(p in on_cycle))
			printf "%s: allowed but on no cycle (remove it from %s): %s\n",
			       name, allow, allowed[p]
	for (i = 1; i <= nbad; i++)
		printf "%s: not allowed: %s is on a cycle\n", name, bad[i]
	printf "%s: %d files, %d calls between files, %d groups on cycles, " \
	       "%d cycles, %d edges on a cycle not allowed\n",
	       name, nfiles, nedges, ngroups, ncycles, nbad
	exit (nbad > 0 || bad_allow) ? 1 : 0
}
