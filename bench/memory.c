// SPDX-License-Identifier: MIT
/*
 * memory: kernel bytes per mx object against the Linux object it
 * replaces, from /proc/slabinfo and /proc/meminfo before and after
 * creating N of each (needs root, as the VM's programs are;
 * bench_mem_begin() and bench_mem_end() in lib.c take and compare them).
 *
 *   handle    N duplicates of one event        / N dup() of one eventfd
 *   event     N events (each with its handle)  / N eventfd()
 *   channel   N channels (two endpoints, two   / N socketpair(AF_UNIX,
 *             handles)                           SOCK_SEQPACKET), N pipe()
 *   message   N 64-byte messages queued in     / N 64-byte writes queued
 *             channels made beforehand           in socketpairs / pipes
 *   event+cookie N events, each with a cookie set (mx only)
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
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define N		20000
#define MSG_CHANS	20		/* N / MSG_CHANS messages each */
#define SOCK_PAIRS	200		/* 100 x 64 B datagrams fit a sndbuf */
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

	bench_mem_begin();
	for (i = 0; i < N; i++)
		check(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &hs[i]),
		      "mx_handle_duplicate");
	bench_mem_end("handle", "mx", N);
	close_handles(N);
	bench_mem_begin();
	for (i = 0; i < N; i++)
		if ((fds[i] = dup(efd)) < 0)
			die("dup", i);
	bench_mem_end("handle", "fd(dup)", N);
	close_fds(N);

	bench_mem_begin();
	for (i = 0; i < N; i++)
		check(mx_event_create(0, &hs[i]), "mx_event_create");
	bench_mem_end("event", "mx", N);
	close_handles(N);
	bench_mem_begin();
	for (i = 0; i < N; i++)
		if ((fds[i] = eventfd(0, 0)) < 0)
			die("eventfd", i);
	bench_mem_end("event", "eventfd", N);
	close_fds(N);

	bench_mem_begin();
	for (i = 0; i < N; i++)
		check(mx_channel_create(0, &hs[2 * i], &hs[2 * i + 1]),
		      "mx_channel_create");
	bench_mem_end("channel", "mx", N);
	close_handles(2 * N);
	bench_mem_begin();
	for (i = 0; i < N; i++)
		if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, &fds[2 * i]))
			die("socketpair", i);
	bench_mem_end("channel", "unix", N);
	close_fds(2 * N);
	bench_mem_begin();
	for (i = 0; i < N; i++)
		if (pipe(&fds[2 * i]))
			die("pipe", i);
	bench_mem_end("channel", "pipe", N);
	close_fds(2 * N);

	for (i = 0; i < MSG_CHANS; i++)
		check(mx_channel_create(0, &hs[2 * i], &hs[2 * i + 1]),
		      "mx_channel_create");
	bench_mem_begin();
	for (i = 0; i < N; i++)
		check(mx_channel_write(hs[2 * (i % MSG_CHANS)], 0, msg,
				       sizeof(msg), NULL, 0),
		      "mx_channel_write");
	bench_mem_end("message-64B", "mx", N);
	close_handles(2 * MSG_CHANS);
	for (i = 0; i < SOCK_PAIRS; i++)
		if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, &fds[2 * i]))
			die("socketpair", i);
	bench_mem_begin();
	for (i = 0; i < N; i++)
		if (write(fds[2 * (i % SOCK_PAIRS)], msg, sizeof(msg)) !=
		    sizeof(msg))
			die("write to a socket", i);
	bench_mem_end("message-64B", "unix", N);
	close_fds(2 * SOCK_PAIRS);
	for (i = 0; i < MSG_CHANS; i++)
		if (pipe(&fds[2 * i]))
			die("pipe", i);
	bench_mem_begin();
	for (i = 0; i < N; i++)
		if (write(fds[2 * (i % MSG_CHANS) + 1], msg, sizeof(msg)) !=
		    sizeof(msg))
			die("write to a pipe", i);
	bench_mem_end("message-64B", "pipe", N);
	close_fds(2 * MSG_CHANS);

	/* cookies: an event with one (its jar is made by the first set) */
	check(mx_event_create(0, &hs[N]), "mx_event_create");
	bench_mem_begin();
	for (i = 0; i < N; i++) {
		check(mx_event_create(0, &hs[i]), "mx_event_create");
		check(mx_object_set_cookie(hs[i], hs[N], i),
		      "mx_object_set_cookie");
	}
	bench_mem_end("event+cookie", "mx", N);
	close_handles(N + 1);
	return 0;
}
