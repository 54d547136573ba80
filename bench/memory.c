// SPDX-License-Identifier: MIT
/*
 * memory: kernel bytes per mx object against the Linux object it
 * replaces, from /proc/slabinfo and /proc/meminfo before and after
 * creating N of each (needs root, as the VM's programs are).
 *
 *   handle    N duplicates of one event        / N dup() of one eventfd
 *   event     N events (each with its handle)  / N eventfd()
 *   channel   N channels (two endpoints, two   / N socketpair(AF_UNIX,
 *             handles)                           SOCK_SEQPACKET), N pipe()
 *   message   N 64-byte messages queued in     / N 64-byte writes queued
 *             channels made beforehand           in socketpairs / pipes
 *
 * Prints, per object and implementation:
 *
 *   MEM <object> <impl> <slab B/obj> <all B/obj> <caches>
 *
 * slab: the growth of active objects times object size summed over every
 * slab cache (kmalloc caches included), over N. all: the growth of used
 * memory (MemTotal - MemFree - the pages on per-CPU lists), which also
 * sees what is not slab (a handle or fd table grown with kvmalloc, pipe
 * pages), but also the program's own page faults and the rest of the
 * system: trust it to some ten bytes per object. caches: the three caches that grew most, with their
 * bytes per object ("name:B;name:B"). mx's handles live in a cache of
 * their own, which SLUB merges with other 32-byte caches: slabinfo shows
 * it under the name of one of those (dnotify_struct on Debian).
 */
#include "bench.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define N		20000
#define MSG_CHANS	20		/* N / MSG_CHANS messages each */
#define SOCK_PAIRS	200		/* 100 x 64 B datagrams fit a sndbuf */
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

static void begin(void)
{
	sleep(1);	/* what the last case freed through RCU is gone */
	take(&before);
}

static void end(const char *obj, const char *impl, int n)
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

static mx_handle_t hs[2 * N];
static int fds[2 * N];
static char msg[64];

static void close_handles(int n)
{
	int i;

	for (i = 0; i < n; i++)
		check(mx_handle_close(hs[i]), "mx_handle_close");
}

static void close_fds(int n)
{
	int i;

	for (i = 0; i < n; i++)
		close(fds[i]);
}

int main(void)
{
	struct rlimit rl = { 4 * N, 4 * N };
	mx_handle_t ev;
	int i, efd;

	bench_init("memory");
	/* Before this process's first mx call: 2N channel handles. */
	if (bench_set_param("max_handles", 4 * N))
		die("raising max_handles", 4 * N);
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit", -1);
	/* Touch what the program itself uses, before any measurement. */
	memset(hs, 0, sizeof(hs));
	memset(fds, 0, sizeof(fds));
	check(mx_event_create(0, &ev), "mx_event_create");
	efd = eventfd(0, 0);

	begin();
	for (i = 0; i < N; i++)
		check(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &hs[i]),
		      "mx_handle_duplicate");
	end("handle", "mx", N);
	close_handles(N);
	begin();
	for (i = 0; i < N; i++)
		if ((fds[i] = dup(efd)) < 0)
			die("dup", i);
	end("handle", "fd(dup)", N);
	close_fds(N);

	begin();
	for (i = 0; i < N; i++)
		check(mx_event_create(0, &hs[i]), "mx_event_create");
	end("event", "mx", N);
	close_handles(N);
	begin();
	for (i = 0; i < N; i++)
		if ((fds[i] = eventfd(0, 0)) < 0)
			die("eventfd", i);
	end("event", "eventfd", N);
	close_fds(N);

	begin();
	for (i = 0; i < N; i++)
		check(mx_channel_create(0, &hs[2 * i], &hs[2 * i + 1]),
		      "mx_channel_create");
	end("channel", "mx", N);
	close_handles(2 * N);
	begin();
	for (i = 0; i < N; i++)
		if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, &fds[2 * i]))
			die("socketpair", i);
	end("channel", "unix", N);
	close_fds(2 * N);
	begin();
	for (i = 0; i < N; i++)
		if (pipe(&fds[2 * i]))
			die("pipe", i);
	end("channel", "pipe", N);
	close_fds(2 * N);

	for (i = 0; i < MSG_CHANS; i++)
		check(mx_channel_create(0, &hs[2 * i], &hs[2 * i + 1]),
		      "mx_channel_create");
	begin();
	for (i = 0; i < N; i++)
		check(mx_channel_write(hs[2 * (i % MSG_CHANS)], 0, msg,
				       sizeof(msg), NULL, 0),
		      "mx_channel_write");
	end("message-64B", "mx", N);
	close_handles(2 * MSG_CHANS);
	for (i = 0; i < SOCK_PAIRS; i++)
		if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, &fds[2 * i]))
			die("socketpair", i);
	begin();
	for (i = 0; i < N; i++)
		if (write(fds[2 * (i % SOCK_PAIRS)], msg, sizeof(msg)) !=
		    sizeof(msg))
			die("write to a socket", i);
	end("message-64B", "unix", N);
	close_fds(2 * SOCK_PAIRS);
	for (i = 0; i < MSG_CHANS; i++)
		if (pipe(&fds[2 * i]))
			die("pipe", i);
	begin();
	for (i = 0; i < N; i++)
		if (write(fds[2 * (i % MSG_CHANS) + 1], msg, sizeof(msg)) !=
		    sizeof(msg))
			die("write to a pipe", i);
	end("message-64B", "pipe", N);
	close_fds(2 * MSG_CHANS);
	return 0;
}
