// SPDX-License-Identifier: MIT
/*
 * socket: what an mx stream socket costs against Linux's byte streams,
 * measured side by side (bench.h).
 *
 *   rw-<size>   one thread writes <size> bytes into one end of a stream
 *               socket and reads them from the other: two calls and two
 *               copies, no scheduling; against a pipe and an AF_UNIX
 *               SOCK_STREAM socketpair
 *   channel-rw-64B  a channel's write+read of 64 bytes against the same
 *               pipe: the floor of an mx call of this kind, in the same run
 *
 * and the kernel bytes per object (MEM lines, as bench/memory.c prints
 * them): N stream sockets (two endpoints, two handles) against N AF_UNIX
 * SOCK_STREAM socketpairs and N pipes; N 64-byte writes queued in
 * sockets made beforehand, against the same writes queued in
 * socketpairs and pipes.
 */
#include "bench.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAXSZ		65536
#define N		10000
#define QUEUES		100	/* N / QUEUES 64-byte writes each */

static char buf_out[MAXSZ], buf_in[MAXSZ];
static mx_handle_t hs[2 * N];
static int fds[2 * N];

struct sock {
	mx_handle_t h[2];
	size_t n;
};

static void mx_rw(void *arg, uint64_t n)
{
	struct sock *s = arg;
	size_t actual;

	while (n--) {
		check(mx_socket_write(s->h[0], 0, buf_out, s->n, &actual),
		      "mx_socket_write");
		if (actual != s->n)
			die("mx_socket_write: short", (long)actual);
		check(mx_socket_read(s->h[1], 0, buf_in, s->n, &actual),
		      "mx_socket_read");
		if (actual != s->n)
			die("mx_socket_read: short", (long)actual);
	}
}

/* The channel's write+read of the same bytes, for reference. */
static void chan_rw(void *arg, uint64_t n)
{
	struct sock *s = arg;
	uint32_t nb;

	while (n--) {
		check(mx_channel_write(s->h[0], 0, buf_out, s->n, NULL, 0),
		      "mx_channel_write");
		check(mx_channel_read(s->h[1], 0, buf_in, NULL, MAXSZ, 0, &nb,
				      NULL), "mx_channel_read");
	}
}

struct fdpair {
	int wr, rd;
	size_t n;
};

static void fd_rw(void *arg, uint64_t n)
{
	struct fdpair *f = arg;
	size_t done;
	ssize_t r;

	while (n--) {
		r = write(f->wr, buf_out, f->n);
		if (r != (ssize_t)f->n)
			die("write", r);
		for (done = 0; done < f->n; done += r) {
			r = read(f->rd, buf_in + done, f->n - done);
			if (r <= 0)
				die("read", r);
		}
	}
}

/*
 * @fn on @s against the same bytes through a pipe, then (if @unix_too) on an AF_UNIX
 * stream socketpair; the handles are closed after.
 */
static void against_fds(const char *name, bench_fn fn, struct sock *s,
			int unix_too)
{
	struct fdpair f = { .n = s->n };
	int p[2];

	if (pipe(p))
		die("pipe", -1);
	f.wr = p[1];
	f.rd = p[0];
	bench_pair(name, "pipe", fn, s, fd_rw, &f);
	close(p[0]);
	close(p[1]);
	if (unix_too) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, p))
			die("socketpair", -1);
		f.wr = p[0];
		f.rd = p[1];
		bench_pair(name, "unix", fn, s, fd_rw, &f);
		close(p[0]);
		close(p[1]);
	}
	mx_handle_close(s->h[0]);
	mx_handle_close(s->h[1]);
}

static void rw_case(size_t n, const char *name)
{
	struct sock s = { .n = n };

	check(mx_socket_create(MX_SOCKET_STREAM, &s.h[0], &s.h[1]),
	      "mx_socket_create");
	against_fds(name, mx_rw, &s, 1);
}

/* A channel against the same pipe, to set the socket's rows beside. */
static void channel_case(size_t n, const char *name)
{
	struct sock s = { .n = n };

	check(mx_channel_create(0, &s.h[0], &s.h[1]), "mx_channel_create");
	against_fds(name, chan_rw, &s, 0);
}

static void close_handles(int n)
{
	int i;

	for (i = 0; i < n; i++)
		mx_handle_close(hs[i]);
}

static void close_fds(int n)
{
	int i;

	for (i = 0; i < n; i++)
		close(fds[i]);
}

static void memory_rows(void)
{
	struct rlimit rl = { 4 * N + 64, 4 * N + 64 };
	size_t actual;
	int i;

	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit", -1);
	memset(hs, 0, sizeof(hs));
	memset(fds, 0, sizeof(fds));

	bench_mem_begin();
	for (i = 0; i < N; i++)
		check(mx_socket_create(0, &hs[2 * i], &hs[2 * i + 1]),
		      "mx_socket_create");
	bench_mem_end("socket", "mx", N);
	close_handles(2 * N);
	bench_mem_begin();
	for (i = 0; i < N; i++)
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, &fds[2 * i]))
			die("socketpair", i);
	bench_mem_end("socket", "unix", N);
	close_fds(2 * N);
	bench_mem_begin();
	for (i = 0; i < N; i++)
		if (pipe(&fds[2 * i]))
			die("pipe", i);
	bench_mem_end("socket", "pipe", N);
	close_fds(2 * N);

	for (i = 0; i < QUEUES; i++)
		check(mx_socket_create(0, &hs[2 * i], &hs[2 * i + 1]),
		      "mx_socket_create");
	bench_mem_begin();
	for (i = 0; i < N; i++)
		check(mx_socket_write(hs[2 * (i % QUEUES)], 0, buf_out, 64,
				      &actual), "mx_socket_write");
	bench_mem_end("socket-64B", "mx", N);
	close_handles(2 * QUEUES);
	for (i = 0; i < QUEUES; i++)
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, &fds[2 * i]))
			die("socketpair", i);
	bench_mem_begin();
	for (i = 0; i < N; i++)
		if (write(fds[2 * (i % QUEUES)], buf_out, 64) != 64)
			die("write to a socket", i);
	bench_mem_end("socket-64B", "unix", N);
	close_fds(2 * QUEUES);
	for (i = 0; i < QUEUES; i++)
		if (pipe(&fds[2 * i]))
			die("pipe", i);
	bench_mem_begin();
	for (i = 0; i < N; i++)
		if (write(fds[2 * (i % QUEUES) + 1], buf_out, 64) != 64)
			die("write to a pipe", i);
	bench_mem_end("socket-64B", "pipe", N);
	close_fds(2 * QUEUES);
}

int main(void)
{
	bench_init("socket");
	memset(buf_out, 0x5a, sizeof(buf_out));
	rw_case(64, "socket-rw-64B");
	rw_case(65536, "socket-rw-64KiB");
	channel_case(64, "socket-channel-rw-64B");
	memory_rows();
	return 0;
}
