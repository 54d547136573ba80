#!/usr/bin/env bash
# make bench: mx side by side with the Linux primitives it replaces.
#
# For each of Debian's stock kernels (6.1, then 6.12; MX_BENCH_KERNELS="6.12"
# picks), builds the module, packs mx.ko, Debian's own binder_linux.ko
# (from the same kernel package) and the benchmark programs (bench/) into
# the initramfs, boots the VM in bench mode (guest-init.sh loads both
# modules and runs every program in /bench) and collects what they print:
#
#   BENCH <case> <peer> <mx_ns> <peer_ns> <ratio> <spread%> <mx_iqr%> <peer_iqr%>
#   MEM <object> <impl> <slab B/obj> <all B/obj> <caches>
#
# into one table per kernel on stdout, build/bench/<kernel>.csv,
# build/bench/<kernel>-memory.csv, the same as Markdown in
# build/bench/<kernel>.md and, with gnuplot (installed here),
# build/bench/ratios.png: mx/peer per case, one bar per kernel.
# What the columns mean: bench/bench.h and docs/benchmarks.md. Under TCG
# (no KVM) the nanoseconds are those of an emulated CPU; only the ratios
# mean something. Consoles: build/vm/bench-<kernel>/.
#
# MX_BENCH="task event" runs only those programs of bench/.
# MX_BENCH_RENDER=1 boots nothing: it prints the tables and redraws the
# CSV files and the chart from the last run's output of each kernel.
set -euo pipefail
. "$(dirname "$0")/common.sh"

vm=$MX_TOP/tools/vm
out=$MX_TOP/build/bench
kernels=${MX_BENCH_KERNELS:-6.1 6.12}
# A host thread per guest CPU, as the published figures were taken: the
# -2thr and -2proc cases run on both at once (qemu.sh).
export MX_TCG_THREAD=${MX_TCG_THREAD:-multi}
mkdir -p "$out"

"$vm/deps.sh" gnuplot-nox
for d in lib bench; do
	make -s -C "$MX_TOP/$d" -j"$(nproc)" >/dev/null || die "make -C $d failed"
done

# table KERNEL: the BENCH lines of that kernel's run, as a table and CSV.
table() {
	local k=$1 log=$MX_BUILD/bench-$1/output.log
	{
		echo "kernel,case,mx_ns,peer,peer_ns,ratio,spread_pct,mx_iqr_pct,peer_iqr_pct"
		tr -d '\r' <"$log" | awk -v k="$k" '$1 == "BENCH" && NF == 9 {
			printf "%s,%s,%s,%s,%s,%s,%s,%s,%s\n", k, $2, $4, $3, $5, $6, $7, $8, $9 }'
	} >"$out/$k.csv"
	{
		echo "kernel,object,impl,slab_bytes,all_bytes,caches"
		tr -d '\r' <"$log" | awk -v k="$k" '$1 == "MEM" {
			printf "%s,%s,%s,%s,%s,%s\n", k, $2, $3, $4, $5, $6 }'
	} >"$out/$k-memory.csv"

	# The same as Markdown, for docs/benchmarks.md.
	{
		echo "| case | mx ns | peer | peer ns | mx/peer | spread |"
		echo "| --- | ---: | --- | ---: | ---: | ---: |"
		awk -F, 'NR > 1 { printf "| %s | %.0f | %s | %.0f | %.2f | %.0f%% |\n", $2, $3, $4, $5, $6, $7 }' "$out/$k.csv"
		echo
		echo "| object | impl | slab B | all B | caches (B/obj) |"
		echo "| --- | --- | ---: | ---: | --- |"
		awk -F, 'NR > 1 { c = $6; gsub(/;/, ", ", c); printf "| %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, c }' "$out/$k-memory.csv"
	} >"$out/$k.md"

	echo
	echo "== mx against Linux on Debian's $(sed -n 's/.*MX-VM-BEGIN.*kernel=\([^ ]*\).*/\1/p' "$log" | tr -d '\r' | head -1) ($accel)"
	echo "   medians in ns per operation; ratio = median of paired mx/peer samples;"
	echo "   spread = IQR/median of those ratios"
	awk -F, 'NR == 1 { printf "%-18s %10s  %-14s %10s %7s %7s\n", "case", "mx ns", "peer", "peer ns", "mx/peer", "spread"; next }
		{ printf "%-18s %10.0f  %-14s %10.0f %7.2f %6.1f%%\n", $2, $3, $4, $5, $6, $7 }' "$out/$k.csv"
	tr -d '\r' <"$log" | awk '$1 == "BENCH-SKIP" { printf "%-18s %10s  %-14s skipped: %s\n", $2, "", $3, $4 }'
	echo
	echo "   kernel memory per object (bytes; slab caches / all used memory)"
	awk -F, 'NR == 1 { printf "%-12s %-9s %8s %8s  %s\n", "object", "impl", "slab", "all", "caches (B/obj)"; next }
		{ printf "%-12s %-9s %8s %8s  %s\n", $2, $3, $4, $5, $6 }' "$out/$k-memory.csv"
}

# chart: ratios.png from every kernel's CSV that this run wrote.
chart() {
	local dat=$out/ratios.dat cols=() csvs=() k i=0 plot=""
	for k in $kernels; do
		if [ -s "$out/$k.csv" ]; then
			cols+=("$k")
			csvs+=("$out/$k.csv")
		fi
	done
	[ ${#cols[@]} -gt 0 ] || return 0
	# One row per case/peer, one column of ratios per kernel.
	awk -F, 'FNR == 1 { f++; next }
		{ key = $2 " / " $4; if (!(key in seen)) { seen[key] = ++n; keys[n] = key }
		  r[key, f] = $6 }
		END { for (i = 1; i <= n; i++) {
			line = "\"" keys[i] "\""
			for (a = 1; a < ARGC; a++) line = line " " (((keys[i], a) in r) ? r[keys[i], a] : "NaN")
			print line } }' "${csvs[@]}" >"$dat"
	for k in "${cols[@]}"; do
		i=$((i + 1))
		plot+="${plot:+, }'$dat' using $((i + 1)):xtic(1) title 'Linux $k'"
	done
	gnuplot <<-EOF || log "gnuplot failed; no chart"
		set terminal pngcairo size 1100,$((240 + 22 * $(wc -l <"$dat"))) font ",10" noenhanced
		set output '$out/ratios.png'
		set title "mx time / Linux peer time per operation (lower is better; 1 = same; $accel)"
		set style data histograms
		set style histogram clustered gap 1
		set style fill solid 0.8 border -1
		set boxwidth 0.9
		set xtics rotate by -60 left
		set ylabel 'mx / peer (log scale)'
		set logscale y 2
		set yrange [0.125:32]
		set ytics ('1/8' 0.125, '1/4' 0.25, '1/2' 0.5, '1' 1, '2' 2, '4' 4, '8' 8, '16' 16, '32' 32)
		set grid ytics
		set rmargin 14
		set key top left
		set bmargin 14
		set arrow from graph 0, first 1 to graph 1, first 1 nohead lc rgb 'red' lw 2
		plot $plot
	EOF
}

failed=0
accel=unknown
for k in $kernels; do
	dir=$MX_BUILD/bench-$k
	if [ -n "${MX_BENCH_RENDER:-}" ]; then
		[ -f "$dir/output.log" ] || die "no earlier run on $k ($dir/output.log)"
		read -r vmlinuz _ < <("$vm/kernel-stock.sh" "$k")
		accel=$(mx_accel "$vmlinuz")
		table "$k"
		continue
	fi
	mkdir -p "$dir"
	read -r vmlinuz kdir kmods < <("$vm/kernel-stock.sh" "$k")
	[ -n "${kdir:-}" ] || die "no stock $k kernel"
	accel=$(mx_accel "$vmlinuz")
	brc=0
	"$vm/build-module.sh" "$kdir" "$dir/mod" || brc=$?
	[ "$brc" = 0 ] || [ "$brc" = 3 ] || die "the module does not build for $k (log: $dir/mod/build.log)"
	# Debian's binder driver, as the kernel package ships it (xz on 6.12).
	files=()
	binder=$(find "$kmods" -name 'binder_linux.ko*' | head -1)
	case "$binder" in
	*.xz) xz -dc "$binder" >"$dir/binder_linux.ko"; binder=$dir/binder_linux.ko ;;
	esac
	if [ -n "$binder" ]; then
		files+=(--file "$binder:/modules/extra/binder_linux.ko")
	else
		log "no binder_linux.ko in $kmods: the binder cases will be skipped"
	fi
	"$vm/mkinitramfs.sh" --module "$dir/mod" --tests none --helpers none \
		--examples none "${files[@]}" "$dir/initramfs.cpio"

	limit=${MX_TEST_TIMEOUT:-600}
	log "booting Debian's $k kernel ($accel) to run the benchmarks"
	qrc=0
	"$vm/qemu.sh" -k "$dir/console.log" -o "$dir/output.log" -t $((limit + 300)) \
		-a "mx.mode=bench mx.timeout=$limit" "$vmlinuz" "$dir/initramfs.cpio" || qrc=$?
	# Anything a program said besides its figures (errors above all).
	tr -d '\r' <"$dir/output.log" |
		grep -Ev '^(MX-(VM-BEGIN|INFO|VM-DONE|TEST-BEGIN|TEST-END)|BENCH|BENCH-SKIP|MEM)( |$)' >&2 || true
	if tr -d '\r' <"$dir/output.log" | grep '^MX-TEST-END' | grep -v ' rc=0 ' >&2; then
		log "$k: a benchmark program failed (output: $dir/output.log)"
		failed=1
	fi
	if [ "$qrc" != 0 ] || ! grep -q '^MX-VM-DONE' "$dir/output.log"; then
		log "$k: the run did not finish (QEMU status $qrc; console: $dir/console.log)"
		failed=1
	fi
	table "$k"
done
chart
echo
echo "CSV: $out/<kernel>.csv, $out/<kernel>-memory.csv (Markdown: <kernel>.md); chart: $out/ratios.png"
exit "$failed"
