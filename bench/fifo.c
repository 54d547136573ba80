// SPDX-License-Identifier: MIT
/*
 * fifo: records through a fifo against a pipe (bench.h), and kernel
 * bytes per fifo (MEM lines, as bench/memory.c).
 *
 *   fifo-16B       one thread: mx_fifo_write of one 16-byte record, then
 *                  mx_fifo_read of it. Against write + read of 16 bytes
 *                  on a pipe
 *   fifo-16B-x16   the same with 16 records per call (256 bytes)
 *   fifo-16B-xthr  two threads, a round trip: A writes a record to B and
 *                  waits for B's reply record (mx_object_wait_one on
 *                  READABLE, then a read). Against a pair of pipes with
 *                  blocking reads
 *   MEM fifo       N fifos of 16 x 16-byte records (two endpoints, two
 *                  handles, two 256-byte rings) against N pipes (each
 *                  with its default ring of pages allocated on first
 *                  write; empty here)
 */
#include "bench.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define N	5000

struct rec {
	uint64_t a, b;
};

struct same {
	mx_handle_t h[2];
	int fd[2];
	uint32_t k;		/* records per call */
};

static void mx_same(void *arg, uint64_t n)
{
	struct same *s = arg;
	struct rec r[16] = { { 1, 2 } };
	uint32_t got;

	while (n--) {
		check(mx_fifo_write(s->h[0], r, s->k * sizeof(r[0]), &got),
		      "mx_fifo_write");
		check(mx_fifo_read(s->h[1], r, s->k * sizeof(r[0]), &got),
		      "mx_fifo_read");
	}
}

static void pipe_same(void *arg, uint64_t n)
{
	struct same *s = arg;
	struct rec r[16] = { { 1, 2 } };
	size_t len = s->k * sizeof(r[0]);

	while (n--) {
		if (write(s->fd[1], r, len) != (ssize_t)len)
			die("pipe write", -1);
		if (read(s->fd[0], r, len) != (ssize_t)len)
			die("pipe read", -1);
	}
}

/* ---- two threads */

struct xthr {
	int pipe_kind;
	mx_handle_t a, b;	/* fifo endpoints: A's and B's */
	int ab[2], ba[2];	/* pipes A to B and B to A */
	_Atomic int stop;
	pthread_t thread;
};

static void mx_recv(mx_handle_t h, struct rec *r)
{
	uint32_t got;
	mx_status_t s;

	while ((s = mx_fifo_read(h, r, sizeof(*r), &got)) ==
	       MX_ERR_SHOULD_WAIT)
		check(mx_object_wait_one(h, MX_FIFO_READABLE |
					 MX_FIFO_PEER_CLOSED,
					 MX_TIME_INFINITE, NULL),
		      "mx_object_wait_one");
	check(s, "mx_fifo_read");
}

static void *x_b(void *arg)
{
	struct xthr *x = arg;
	struct rec r;
	uint32_t got;

	for (;;) {
		if (x->pipe_kind) {
			if (read(x->ab[0], &r, sizeof(r)) != sizeof(r))
				break;
			if (r.a == 0)
				break;
			if (write(x->ba[1], &r, sizeof(r)) != sizeof(r))
				die("pipe write", -1);
		} else {
			mx_recv(x->b, &r);
			if (r.a == 0)
				break;
			check(mx_fifo_write(x->b, &r, sizeof(r), &got),
			      "mx_fifo_write");
		}
	}
	return NULL;
}

static void x_a(void *arg, uint64_t n)
{
	struct xthr *x = arg;
	struct rec r = { 1, 2 };
	uint32_t got;

	while (n--) {
		if (x->pipe_kind) {
			if (write(x->ab[1], &r, sizeof(r)) != sizeof(r))
				die("pipe write", -1);
			if (read(x->ba[0], &r, sizeof(r)) != sizeof(r))
				die("pipe read", -1);
		} else {
			check(mx_fifo_write(x->a, &r, sizeof(r), &got),
			      "mx_fifo_write");
			mx_recv(x->a, &r);
		}
	}
}

static void x_stop(struct xthr *x)
{
	struct rec r = { 0, 0 };
	uint32_t got;

	if (x->pipe_kind) {
		if (write(x->ab[1], &r, sizeof(r)) != sizeof(r))
			die("pipe write", -1);
	} else {
		check(mx_fifo_write(x->a, &r, sizeof(r), &got),
		      "mx_fifo_write");
	}
	pthread_join(x->thread, NULL);
}

static void xthr_case(void)
{
	struct xthr m = { 0 }, p = { .pipe_kind = 1 };

	check(mx_fifo_create(16, sizeof(struct rec), 0, &m.a, &m.b),
	      "mx_fifo_create");
	if (pipe(p.ab) || pipe(p.ba))
		die("pipe", -1);
	if (pthread_create(&m.thread, NULL, x_b, &m) ||
	    pthread_create(&p.thread, NULL, x_b, &p))
		die("pthread_create", -1);
	bench_pair("fifo-16B-xthr", "pipe", x_a, &m, x_a, &p);
	x_stop(&m);
	x_stop(&p);
}

static mx_handle_t hs[2 * N];
static int fds[2 * N];

static void memory(void)
{
	int i;

	bench_mem_begin();
	for (i = 0; i < N; i++)
		check(mx_fifo_create(16, 16, 0, &hs[2 * i], &hs[2 * i + 1]),
		      "mx_fifo_create");
	bench_mem_end("fifo-16x16B", "mx", N);
	for (i = 0; i < 2 * N; i++)
		check(mx_handle_close(hs[i]), "mx_handle_close");
	bench_mem_begin();
	for (i = 0; i < N; i++)
		if (pipe(&fds[2 * i]))
			die("pipe", i);
	bench_mem_end("fifo-16x16B", "pipe", N);
	for (i = 0; i < 2 * N; i++)
		close(fds[i]);
}

int main(void)
{
	struct rlimit rl = { 4 * N, 4 * N };
	struct same s = { .k = 1 };

	bench_init("fifo");
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit", -1);
	check(mx_fifo_create(16, sizeof(struct rec), 0, &s.h[0], &s.h[1]),
	      "mx_fifo_create");
	if (pipe(s.fd))
		die("pipe", -1);
	bench_pair("fifo-16B", "pipe", mx_same, &s, pipe_same, &s);
	s.k = 16;
	bench_pair("fifo-16B-x16", "pipe", mx_same, &s, pipe_same, &s);
	xthr_case();
	memset(hs, 0, sizeof(hs));
	memset(fds, 0, sizeof(fds));
	memory();
	return 0;
}
