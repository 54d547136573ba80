# Turn the console output of a VM run into results. Run by parse.sh (see
# there for the inputs); written for any POSIX awk (Debian's default is
# mawk).
#
# What it reads (markers: see tools/vm/guest-init.sh):
#   - the KTAP of the KUnit suites between MX-KUNIT-BEGIN and -END: each
#     test case (the "    ok N name" lines one level in) counts once;
#   - each test program's output between MX-TEST-BEGIN and -END (TAP,
#     numbered or not): its own closing "N passed, N failed[, N skipped]"
#     line gives its counts, its "not ok [N] - name: why" lines and the
#     "# ..." lines before them give the causes; a program that timed out,
#     was killed by a signal, ended without that line, reported fewer
#     cases than its plan ("1..N") or skipped everything ("1..0 # SKIP":
#     no /dev/mx) is one more failure, named after it;
#   - every kernel message (a line starting "[   12.345678]") and the
#     kmemleak report, for kernel reports (see report_re): each report is
#     a failure, quoted, and tied to the program that was running (the
#     same report again only adds to its count; leaks count once per
#     allocation backtrace; an OOM kill that a program announced is not
#     a report);
#   - MX-FAIL lines, and the final MX-VM-DONE (without it the VM died or
#     was killed).
#
# Output: one row per KUnit suite and per program, then "FAIL" and the
# cause of every failure, then a last line "LABEL: N passed, N failed, N
# skipped". Exit status 1 when anything failed.

BEGIN {
	report_re = "BUG:|WARNING:|KASAN:|UBSAN:|Oops|Call Trace|Kernel panic|" \
		"possible circular locking|possible recursive locking|" \
		"inconsistent lock state|suspicious RCU usage|" \
		"unreferenced object|hung_task|blocked for more than|" \
		"soft lockup|hard LOCKUP|general protection fault|" \
		"kernel BUG at|detected stall|ODEBUG:|list_add corruption|" \
		"list_del corruption|refcount_t:|stack-protector:|Bad page|" \
		"invoked oom-killer"
	ts_re = "^\\[ *[0-9]+\\.[0-9]+\\]"
	sec = ""
	cur = ""
	quote_max = 24
}

# ---------------------------------------------------------------- helpers

function strip_ts(s) {
	sub(/^\[ *[0-9]+\.[0-9]+\] ?/, "", s)
	return s
}

# A failure: counted once, with a one-line cause and optional detail.
function fail(cause, detail) {
	failed++
	note_cause(cause, detail)
}

# A cause that is shown but counted elsewhere (e.g. in a program's own
# "N failed").
function note_cause(cause, detail) {
	ncause++
	causes[ncause] = cause
	details[ncause] = detail
}

function add_line(text, line, max,   n) {
	n = split(text, _lines, "\n")
	if (text != "" && n >= max)
		return text
	return text == "" ? line : text "\n" line
}

function during() {
	return cur == "" ? "" : " (during " cur ")"
}

function signame(n) {
	if (n == 4) return "SIGILL"
	if (n == 6) return "SIGABRT"
	if (n == 7) return "SIGBUS"
	if (n == 8) return "SIGFPE"
	if (n == 9) return "SIGKILL"
	if (n == 11) return "SIGSEGV"
	if (n == 13) return "SIGPIPE"
	if (n == 14) return "SIGALRM"
	if (n == 15) return "SIGTERM"
	return "signal " n
}

# ----------------------------------------------------------- kernel reports

# A report spans its first matching line and what follows, until the
# kernel's end-of-report line, a new "cut here", or 50 lines without a
# matching line; matches inside it belong to the same report.
function report_line(s, is_match) {
	if (inc_open && (s ~ /\[ cut here \]/ || inc_since > 50))
		report_close()
	klines++
	if (!inc_open) {
		if (!is_match)
			return
		# the panic that follows an oops (oops=panic) is part of it
		if (s ~ /Kernel panic/ && klines - last_close <= 30) {
			panicked = 1
			return
		}
		inc_open = 1
		inc_head = s
		inc_where = "kernel report" during()
		inc_quote = ""
		inc_since = 0
		return
	}
	# register dumps and the like say little in a summary (the log has them)
	# and so do the unreliable (" ? ") frames of a stack trace and
	# lockdep's irq state
	if (s !~ /^(RSP|RAX|RDX|RBP|R08|R10|R13|R14|FS|CS|CR2|PKRU|DR0|DR3|DR6|Code|Hardware name|Tainted): / &&
	    s !~ /^ \? / && s !~ /^irq event stamp:|^(hard|soft)irqs last/)
		inc_quote = add_line(inc_quote, s, quote_max)
	inc_since = is_match ? 0 : inc_since + 1
	if (s ~ /---\[ end (trace|Kernel panic)/ || s ~ /^==========/)
		report_close()
}

# The same report again (a WARN in a loop) is counted and quoted once,
# with the number of times it was seen.
function report_close(   key) {
	if (!inc_open)
		return
	inc_open = 0
	last_close = klines
	if (inc_head ~ /Kernel panic/ || inc_quote ~ /Kernel panic/)
		panicked = 1
	key = inc_where ": " inc_head
	gsub(/CPU: [0-9]+ (UID: [0-9]+ )?PID: [0-9]+ /, "", key)
	if (key in rep_cause) {
		rep_times[key]++
		return
	}
	fail(inc_where ": " inc_head, inc_quote)
	rep_cause[key] = ncause
	rep_times[key] = 1
}

# kmemleak: one failure per allocation backtrace, however many objects
# leaked from it.
function leak_line(s) {
	if (s ~ /^unreferenced object/) {
		leak_end()
		leak_open = 1
		leak_head = s
		leak_bt = leak_quote = ""
		leak_inbt = 0
		return
	}
	if (!leak_open)
		return
	leak_quote = add_line(leak_quote, s, quote_max)
	if (s ~ /^ *backtrace/)
		leak_inbt = 1
	else if (leak_inbt)
		leak_bt = leak_bt "|" s
}

function leak_end(   key) {
	if (!leak_open)
		return
	leak_open = 0
	key = "leak" leak_bt
	if (key in rep_cause) {
		rep_times[key]++
		return
	}
	fail("memory leak (kmemleak, after the run): " leak_head, leak_quote)
	rep_cause[key] = ncause
	rep_times[key] = 1
}

# ----------------------------------------------------------------- KUnit

function kunit_case(s,   ok, name, n) {
	ok = (s !~ /^ *not ok/)
	name = s
	sub(/^ *(not )?ok [0-9]+ /, "", name)
	kcases++
	if (!ok) {
		sub(/ # .*/, "", name)
		failed++
		suite_failed[ksuite]++
		ksuite_fail++
		note_cause("kunit " ksuite "." name, kdiag)
	} else if (name ~ / # SKIP/) {
		skipped++
		suite_skipped[ksuite]++
	} else {
		passed++
		suite_passed[ksuite]++
	}
	kdiag = ""
}

function kunit_suite_end(s) {
	if (ksuite == "")
		return
	if (kplan > 0 && kcases < kplan) {
		suite_failed[ksuite]++
		fail("kunit " ksuite ": only " kcases " of " kplan \
			" cases reported (did one crash?)", kdiag)
	} else if (s ~ /^not ok/ && ksuite_fail == 0)
		fail("kunit " ksuite ": the suite failed", kdiag)
	ksuite = ""
}

function kunit_line(s,   indent) {
	if (s ~ /KTAP version/ || s ~ /^ *$/)
		return
	indent = match(s, /[^ ]/) - 1
	if (indent == 4 && s ~ /^    # Subtest: /) {
		ksuite = substr(s, 16)
		nsuite++
		suites[nsuite] = ksuite
		kplan = kcases = ksuite_fail = 0
		kdiag = ""
	} else if (indent == 4 && s ~ /^    1\.\.[0-9]+/) {
		kplan = substr(s, 8) + 0
	} else if (indent == 4 && s ~ /^    (not )?ok [0-9]+ /) {
		kunit_case(s)
	} else if (indent == 0 && s ~ /^(not )?ok [0-9]+ /) {
		kunit_suite_end(s)
	} else if (indent >= 4 && s !~ /# (Subtest|module):|^ *1\.\.|^ *ok [0-9]|pass:[0-9]+ fail:|# Totals:/) {
		kdiag = add_line(kdiag, s, 12)
	}
}

# ---------------------------------------------------------- test programs

function prog_begin(name) {
	sec = "prog"
	prog = name
	cur = name
	p_ok = p_notok = p_skip = p_sum = p_sp = p_sf = p_ss = 0
	p_plan = -1
	p_skipall = ""
	p_timeout = ""
	p_diag = p_tdiag = ""
	p_nc = 0
}

function prog_line(s,   a, n, why, i) {
	if (s ~ /^MX-TEST-TIMEOUT /) {
		split(s, a, " ")
		p_timeout = a[3]
	} else if (p_timeout != "" && s ~ /^#/) {
		p_tdiag = add_line(p_tdiag, s, 40)
	} else if (s ~ /^1\.\.[0-9]+/) {
		p_plan = substr(s, 4) + 0
		if (p_plan == 0 && s ~ /# *SKIP/) {
			p_skipall = s
			sub(/^[^#]*# *SKIP */, "", p_skipall)
			if (p_skipall == "")
				p_skipall = "no reason given"
		}
	} else if (s ~ /^ok( [0-9]+)? - /) {
		if (s ~ / # SKIP/)
			p_skip++
		else
			p_ok++
		p_diag = ""
	} else if (s ~ /^not ok( [0-9]+)? - /) {
		p_notok++
		why = s
		sub(/^not ok( [0-9]+)? - /, "", why)
		sub(/: failed \(see the # lines above\)$/, "", why)
		p_nc++
		p_case[p_nc] = why
		p_cdiag[p_nc] = p_diag
		p_diag = ""
	} else if (s ~ /^#/) {
		p_diag = add_line(p_diag, s, 12)
	} else if (s ~ /^[0-9]+ passed, [0-9]+ failed/) {
		n = split(s, a, /[ ,]+/)
		p_sum = 1
		p_sp = a[1] + 0
		p_sf = a[3] + 0
		p_ss = (n >= 6 && a[6] ~ /^skipped/) ? a[5] + 0 : 0
	}
}

# rc: the exit status, or "" when the program never ended.
function prog_end(rc, secs,   P, F, S, i, status, sig) {
	if (p_sum) {
		P = p_sp; F = p_sf; S = p_ss
		if (p_notok > F)
			F = p_notok
	} else {
		P = p_ok; F = p_notok; S = p_skip
	}
	passed += P; failed += F; skipped += S
	for (i = 1; i <= p_nc; i++)
		note_cause(prog ": " p_case[i], p_cdiag[i])
	if (F > p_nc)
		note_cause(prog ": reports " F " failed cases, " p_nc \
			" of them by name", "")

	status = ""
	if (p_timeout != "") {
		status = "timed out after " p_timeout " s and was killed"
		if (rc == "")
			status = "timed out after " p_timeout " s; SIGKILL did not end it"
	} else if (rc == "") {
		status = "did not finish (the VM stopped while it ran)"
	} else if (rc + 0 >= 128) {
		sig = signame(rc - 128)
		status = "killed by " sig
	} else if (!p_sum) {
		status = "exited with status " rc \
			" without its \"N passed, N failed\" line"
	} else if (rc + 0 != 0 && F == 0) {
		status = "exited with status " rc " although no case failed"
	} else if (p_skipall != "") {
		status = "skipped every case: " p_skipall
	} else if (p_plan >= 0 && p_ok + p_notok + p_skip != p_plan) {
		status = "reported " p_ok + p_notok + p_skip " cases of the " \
			p_plan " its plan announced"
	}
	if (status != "") {
		F++
		fail(prog ": " status, p_tdiag != "" ? p_tdiag : p_diag)
	}

	nprog++
	prog_name[nprog] = prog
	prog_row[nprog] = P " passed, " F " failed, " S " skipped" \
		(secs != "" ? " (" secs " s)" : "") \
		(status != "" ? ": " status : "")
	sec = ""
	prog = ""
	cur = ""
}

# ------------------------------------------------------------- main loop

FNR == 1 {
	if (sec == "prog")
		prog_end("", "")
	sec = ""
	cur = ""
	report_close()
}

{
	sub(/\r+$/, "")
	line = $0
}

# Kernel messages: reports, and which program was running.
line ~ ts_re {
	s = strip_ts(line)
	if (s ~ /^mx-vm: /) {
		# the guest's own markers: a report never spans two programs
		report_close()
		if (s ~ /^mx-vm: begin /)
			cur = substr(s, 14)
		else if (s ~ /^mx-vm: (end|timeout) /)
			cur = ""
		oom_ok = oom_in = 0
		next
	}
	# A program that makes the OOM killer act on purpose says so first
	# ("mx-test: expect oom" in /dev/kmsg); the killer's own report, from
	# "invoked oom-killer" to "Killed process", is then not a failure. Only
	# its stack trace is passed over: any other report inside still counts.
	if (s ~ /^mx-test: expect oom/) {
		oom_ok = 1
		next
	}
	if (oom_ok && s ~ /invoked oom-killer:/) {
		report_close()
		oom_in = 1
		oom_lines = 0
		next
	}
	if (oom_in) {
		if (s ~ /Killed process|oom_reaper:/ || ++oom_lines > 300)
			oom_in = 0
		else if (s ~ /^Call Trace:/)
			next
	}
	report_line(s, s ~ report_re)
	next
}

/^MX-VM-BEGIN / { begun = 1; kernel = line; sub(/.*kernel=/, "", kernel); next }
/^MX-VM-DONE/ { done = 1; next }
/^MX-VM-ABORT / { aborted = 1; fail("the VM run was aborted: " substr(line, 13), ""); next }
/^MX-FAIL / { fail(substr(line, 9), ""); next }
/^MX-NOTE / { nnote++; notes[nnote] = substr(line, 9); next }
/^MX-INFO / { next }

/^MX-KUNIT-BEGIN/ { sec = "kunit"; cur = "kunit"; next }
/^MX-KUNIT-END/ { kunit_suite_end("not ok"); sec = ""; cur = ""; next }
sec == "kunit" { kunit_line(line); next }

/^MX-TEST-BEGIN / {
	if (sec == "prog")
		prog_end("", "")
	prog_begin(substr(line, 15))
	next
}
/^MX-TEST-END / && sec == "prog" {
	rc = secs = ""
	if (line ~ / rc=/) { rc = line; sub(/.* rc=/, "", rc); sub(/ .*/, "", rc) }
	if (line ~ / time=/) { secs = line; sub(/.* time=/, "", secs); sub(/ .*/, "", secs) }
	if (rc == "")
		rc = "?"
	prog_end(rc, secs)
	next
}
sec == "prog" { prog_line(line); next }

/^MX-KMEMLEAK-BEGIN/ { sec = "kmemleak"; next }
/^MX-KMEMLEAK-END/ { leak_end(); sec = ""; next }
sec == "kmemleak" { leak_line(line); next }

# ------------------------------------------------------------------ end

END {
	if (sec == "prog")
		prog_end("", "")
	if (sec == "kunit") {
		kunit_suite_end("not ok")
		fail("kunit: the KTAP output stops before MX-KUNIT-END", "")
	}
	report_close()
	leak_end()
	for (key in rep_cause)
		if (rep_times[key] > 1)
			causes[rep_cause[key]] = causes[rep_cause[key]] \
				" (and " rep_times[key] - 1 " more like it)"
	if (!done && !aborted) {
		why = "no MX-VM-DONE"
		if (qemu_rc == 124)
			why = "QEMU was killed at the time limit"
		else if (panicked)
			why = "the kernel panicked"
		else if (!begun)
			why = "the guest's /init never started"
		fail("the VM did not finish: " why, "")
	}
	if (passed + failed == 0)
		fail("no test results at all", "")

	for (i = 1; i <= nsuite; i++)
		printf "  kunit    %-28s %d passed, %d failed, %d skipped\n", suites[i],
			suite_passed[suites[i]], suite_failed[suites[i]],
			suite_skipped[suites[i]]
	for (i = 1; i <= nprog; i++)
		printf "  program  %-28s %s\n", prog_name[i], prog_row[i]
	for (i = 1; i <= nnote; i++)
		printf "  note: %s\n", notes[i]
	for (i = 1; i <= ncause; i++) {
		printf "FAIL %s: %s\n", label, causes[i]
		if (details[i] != "") {
			n = split(details[i], d, "\n")
			for (j = 1; j <= n; j++)
				printf "       | %s\n", d[j]
		}
	}
	printf "%s: %d passed, %d failed, %d skipped\n", label, passed, failed,
		skipped
	if (counts != "")
		printf "%s %d %d %d\n", label, passed, failed, skipped >>counts
	exit failed ? 1 : 0
}
