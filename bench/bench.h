/* SPDX-License-Identifier: MIT */
/*
 * bench.h: what every benchmark program shares (bench/lib.c).
 *
 * A case is a pair: an mx operation and the Linux primitive it replaces,
 * each given as a function that performs the operation @n times. The
 * pair is measured in the same process, sample by sample, alternating
 * which side goes first:
 *
 *   calibrate  each side runs growing batches (each three times) until
 *              the fastest of the three takes BENCH_TARGET_NS; that sets
 *              its batch size and warms caches, page tables and the
 *              scheduler up
 *   sample     BENCH_SAMPLES pairs; pair i times one batch of mx and one
 *              of the peer (mx first when i is even), in ns per operation
 *
 * and printed as one machine-readable line, which tools/vm/bench.sh
 * collects into the table, the CSV and the chart:
 *
 *   BENCH <case> <peer> <mx_ns> <peer_ns> <ratio> <spread%> <mx_iqr%> <peer_iqr%>
 *
 * mx_ns and peer_ns are the medians of the samples; ratio is the median
 * of the per-pair ratios mx/peer (each mx batch against the peer batch
 * timed next to it, which cancels slow drifts of the host); spread is the
 * interquartile range of those ratios over their median, in percent, and
 * mx_iqr / peer_iqr the same for each side's own samples. A case that
 * cannot run prints "BENCH-SKIP <case> <peer> <reason>".
 *
 * Programs: floor.c (null calls, handle duplicate, cost against the
 * table size, threads and tables), event.c (signals, port wake-ups,
 * wait_many), channel-copy.c (write+read, ping-pong against pipe,
 * AF_UNIX, eventfd, futex, binder), handles.c (handles in messages
 * against SCM_RIGHTS), memory.c (kernel bytes per object; prints MEM
 * lines instead), task.c (process and thread creation against fork and
 * pthread_create), vmo.c (VMO read/write, mapping, clones and bytes per
 * VMO against a memfd).
 */
#ifndef MX_BENCH_H
#define MX_BENCH_H

#define _GNU_SOURCE
#include <stdint.h>
#include <sys/types.h>

#include <mx.h>

/*
 * Short batches, many of them: under emulation on a busy host the virtual
 * CPU is descheduled for milliseconds at a time, and the clock inside
 * goes on. A 0.3 ms batch mostly runs clean, so the median is the cost of
 * the operation and the interquartile range shows the disturbance; a
 * batch of several milliseconds would almost always be hit.
 */
#define BENCH_SAMPLES	201		/* pairs per case */
#define BENCH_TARGET_NS	300000ull	/* one batch: about 0.3 ms */
#define BENCH_MAX_BATCH	(1ull << 30)

/* Performs the operation @n times; @arg is the side's own state. */
typedef void (*bench_fn)(void *arg, uint64_t n);

/* Side-by-side measurement of one case; prints its BENCH line. */
void bench_pair(const char *name, const char *peer, bench_fn mx,
		void *mx_arg, bench_fn pfn, void *peer_arg);
void bench_skip(const char *name, const char *peer, const char *why);

/* Batch length and pairs of the next cases (0, 0: back to the defaults). */
void bench_set_target(uint64_t ns, int samples);

/* Helpers. die() exits 1 with errno; check() dies unless @s is MX_OK. */
uint64_t bench_now(void);
void die(const char *what, long v) __attribute__((noreturn));
void check(mx_status_t s, const char *what);
void bench_init(const char *prog);

/*
 * bench_init() pins the program to CPU 0, and what it forks or starts
 * inherits that: a ping-pong measures the IPC path and two context
 * switches, not the latency of waking another CPU (which under emulation
 * is the emulator's). bench_pin() moves the calling thread to @cpu (the
 * cases that run two CPUs at once).
 */
void bench_pin(int cpu);

/*
 * A fork child starts with an empty handle table: bench_fork() forks and
 * moves @h (if not MX_HANDLE_INVALID) into the child, where @child runs
 * with the handle's new value and then _exit(0)s. The parent's @h is
 * gone after the call. bench_reap() waits for the child and dies unless
 * it exited 0.
 */
pid_t bench_fork(mx_handle_t h, void (*child)(mx_handle_t h, void *arg),
		 void *arg);
void bench_reap(pid_t pid);

/* Shared anonymous memory (MAP_SHARED), zeroed, for cross-process state. */
void *bench_shared(size_t size);

/*
 * Kernel memory per object, from /proc/slabinfo and /proc/meminfo (root):
 * bench_mem_begin() waits a second for what earlier cases freed through
 * RCU and takes a snapshot; bench_mem_end() takes another and prints
 *
 *   MEM <object> <impl> <slab B/obj> <all B/obj> <caches>
 *
 * for the @n objects made in between (bench/memory.c says what the
 * columns count).
 */
void bench_mem_begin(void);
void bench_mem_end(const char *obj, const char *impl, int n);

/* Write a value to a module parameter (/sys/module/mx/parameters/NAME). */
int bench_set_param(const char *name, unsigned long value);

#endif
