// SPDX-License-Identifier: MIT
/*
 * lib.c: pairing, timing and statistics for every benchmark (bench.h).
 */
#include "bench.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *prog = "bench";

void bench_init(const char *name)
{
	prog = name;
	setvbuf(stdout, NULL, _IOLBF, 0);
	bench_pin(0);
}

void bench_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);	/* best effort */
}

uint64_t bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

void die(const char *what, long v)
{
	fprintf(stderr, "%s: %s failed (%ld, errno %d: %s)\n", prog, what, v,
		errno, strerror(errno));
	fflush(NULL);
	_exit(1);
}

void check(mx_status_t s, const char *what)
{
	if (s != MX_OK)
		die(what, s);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Quantile @q of the sorted @v[0..n), linear between neighbours. */
static double quantile(const double *v, int n, double q)
{
	double pos = q * (n - 1);
	int i = (int)pos;

	if (i >= n - 1)
		return v[n - 1];
	return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

struct stats {
	double median, iqr_pct;
};

static struct stats summarise(double *v, int n)
{
	struct stats s;

	qsort(v, n, sizeof(*v), cmp_double);
	s.median = quantile(v, n, 0.5);
	s.iqr_pct = s.median > 0 ?
		100.0 * (quantile(v, n, 0.75) - quantile(v, n, 0.25)) /
		s.median : 0;
	return s;
}

static uint64_t target_ns = BENCH_TARGET_NS;
static int samples = BENCH_SAMPLES;

void bench_set_target(uint64_t ns, int nsamples)
{
	target_ns = ns ? ns : BENCH_TARGET_NS;
	samples = nsamples > 0 && nsamples <= BENCH_SAMPLES ? nsamples :
		BENCH_SAMPLES;
}

/*
 * Batch size: the smallest n whose batch takes target_ns, judged by the
 * fastest of three runs, so that one preemption of the emulator by its
 * host cannot leave a case with a batch of a few operations.
 */
static uint64_t calibrate(bench_fn fn, void *arg)
{
	uint64_t n = 1, t, best, next;
	int i;

	for (;;) {
		best = UINT64_MAX;
		for (i = 0; i < 3; i++) {
			t = bench_now();
			fn(arg, n);
			t = bench_now() - t;
			if (t < best)
				best = t;
		}
		if (best >= target_ns || n >= BENCH_MAX_BATCH)
			return n;
		next = best ? n * target_ns / best + 1 : n * 16;
		if (next > n * 16)
			next = n * 16;
		n = next > n ? next : n + 1;
	}
}

static double sample(bench_fn fn, void *arg, uint64_t n)
{
	uint64_t t = bench_now();

	fn(arg, n);
	return (double)(bench_now() - t) / n;
}

void bench_pair(const char *name, const char *peer, bench_fn mx,
		void *mx_arg, bench_fn pfn, void *peer_arg)
{
	double m[BENCH_SAMPLES], p[BENCH_SAMPLES], r[BENCH_SAMPLES];
	struct stats sm, sp, sr;
	uint64_t nm, np;
	int i;

	nm = calibrate(mx, mx_arg);
	np = calibrate(pfn, peer_arg);
	for (i = 0; i < samples; i++) {
		if (i % 2 == 0) {
			m[i] = sample(mx, mx_arg, nm);
			p[i] = sample(pfn, peer_arg, np);
		} else {
			p[i] = sample(pfn, peer_arg, np);
			m[i] = sample(mx, mx_arg, nm);
		}
		r[i] = m[i] / p[i];
	}
	sm = summarise(m, samples);
	sp = summarise(p, samples);
	sr = summarise(r, samples);
	printf("BENCH %s %s %.1f %.1f %.3f %.1f %.1f %.1f\n", name, peer,
	       sm.median, sp.median, sr.median, sr.iqr_pct, sm.iqr_pct,
	       sp.iqr_pct);
}

void bench_skip(const char *name, const char *peer, const char *why)
{
	printf("BENCH-SKIP %s %s %s\n", name, peer, why);
}

pid_t bench_fork(mx_handle_t h, void (*child)(mx_handle_t h, void *arg),
		 void *arg)
{
	int fd = -1;
	pid_t pid;

	if (h != MX_HANDLE_INVALID)
		check(mx_handle_to_fd(h, 0, &fd), "mx_handle_to_fd");
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("fork", pid);
	if (pid == 0) {
		h = MX_HANDLE_INVALID;
		if (fd >= 0) {
			check(mx_handle_from_fd(fd, &h), "mx_handle_from_fd");
			close(fd);
		}
		child(h, arg);
		fflush(NULL);
		_exit(0);
	}
	if (fd >= 0)
		close(fd);
	return pid;
}

void bench_reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		die("waitpid", pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		die("a child", status);
}

void *bench_shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap", -1);
	return p;
}

int bench_set_param(const char *name, unsigned long value)
{
	char path[128];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "/sys/module/mx/parameters/%s", name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	rc = fprintf(f, "%lu\n", value) < 0;
	rc |= fclose(f) != 0;
	return rc ? -1 : 0;
}

/* ---- kernel memory per object (bench_mem_begin, bench_mem_end) */

#define MAX_CACHES	512

struct cache {
	char name[64];
	long long bytes;
};

struct snap {
	struct cache c[MAX_CACHES];
	int n;
	long long slab, used;
};

static void take(struct snap *s)
{
	char line[512], name[64];
	long long active, num, size, total = -1, avail = -1;
	FILE *f;

	s->n = 0;
	s->slab = 0;
	f = fopen("/proc/slabinfo", "r");
	if (!f)
		die("open /proc/slabinfo", -1);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %lld %lld %lld", name, &active, &num,
			   &size) != 4 || name[0] == '#')
			continue;
		if (s->n < MAX_CACHES) {
			snprintf(s->c[s->n].name, sizeof(s->c[s->n].name),
				 "%s", name);
			s->c[s->n++].bytes = active * size;
		}
		s->slab += active * size;
	}
	fclose(f);
	f = fopen("/proc/meminfo", "r");
	if (!f)
		die("open /proc/meminfo", -1);
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "MemTotal: %lld", &total);
		sscanf(line, "MemFree: %lld", &avail);
	}
	fclose(f);
	/* Pages on the per-CPU lists are free too, though not in MemFree. */
	f = fopen("/proc/zoneinfo", "r");
	if (!f)
		die("open /proc/zoneinfo", -1);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " count: %lld", &num) == 1)
			avail += num * (sysconf(_SC_PAGESIZE) / 1024);
	fclose(f);
	s->used = (total - avail) * 1024;
}

static struct snap before, after;

void bench_mem_begin(void)
{
	sleep(1);	/* what the last case freed through RCU is gone */
	take(&before);
}

void bench_mem_end(const char *obj, const char *impl, int n)
{
	struct { const char *name; long long d; } top[3] = { { 0 } };
	char caches[256] = "";
	int i, j, k;

	take(&after);
	for (i = 0; i < after.n; i++) {
		long long d = after.c[i].bytes;

		for (j = 0; j < before.n; j++)
			if (!strcmp(before.c[j].name, after.c[i].name)) {
				d -= before.c[j].bytes;
				break;
			}
		for (k = 0; k < 3; k++)
			if (d > top[k].d) {
				memmove(&top[k + 1], &top[k],
					(2 - k) * sizeof(top[0]));
				top[k].name = after.c[i].name;
				top[k].d = d;
				break;
			}
	}
	for (k = 0; k < 3 && top[k].name; k++)
		if (top[k].d >= n)	/* at least a byte per object */
			snprintf(caches + strlen(caches),
				 sizeof(caches) - strlen(caches), "%s%s:%lld",
				 k ? ";" : "", top[k].name, top[k].d / n);
	printf("MEM %s %s %lld %lld %s\n", obj, impl,
	       (after.slab - before.slab) / n, (after.used - before.used) / n,
	       caches[0] ? caches : "-");
}
