// SPDX-License-Identifier: MIT
/*
 * channel-copy: what a channel message costs against Linux's own byte
 * carriers, measured in the same run.
 *
 * For 64 B, 4 KiB and 64 KiB messages it times round trips over an mx
 * channel, a pipe and an AF_UNIX SOCK_SEQPACKET socketpair (message
 * boundaries, like a channel):
 *
 *   local     one thread writes a message and reads it back: the cost of
 *             the copies and the two calls, no scheduling
 *   pingpong  two processes: A writes, B reads and writes it back, A
 *             reads: two wake-ups per round trip (an mx reader waits
 *             for READABLE, then reads: mx_channel_read never blocks)
 *
 * Each figure is the median of SAMPLES samples of ITERS round trips, in
 * nanoseconds per round trip; the ratios are mx over the other. Not a
 * test: it asserts nothing about speed and always exits 0 unless a call
 * fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mx.h>

#define SAMPLES	15
#define MAXSZ	65536

enum kind { K_MX, K_PIPE, K_UNIX, K_NR };

/* Two ends of one carrier: [0] is written by the first side. */
struct carrier {
	enum kind kind;
	int fd[2][2];		/* pipe: two pipes; unix: fd[0][0], fd[0][1] */
	mx_handle_t h[2];
};

static char buf_out[MAXSZ], buf_in[MAXSZ];

static void die(const char *what, long v)
{
	fprintf(stderr, "channel-copy: %s failed (%ld, errno %d)\n", what, v,
		errno);
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static void open_carrier(struct carrier *c, enum kind k)
{
	mx_status_t s;

	memset(c, 0, sizeof(*c));
	c->kind = k;
	switch (k) {
	case K_MX:
		s = mx_channel_create(0, &c->h[0], &c->h[1]);
		if (s != MX_OK)
			die("mx_channel_create", s);
		break;
	case K_PIPE:
		if (pipe(c->fd[0]) || pipe(c->fd[1]))
			die("pipe", -1);
		break;
	case K_UNIX:
		if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, c->fd[0]))
			die("socketpair", -1);
		break;
	default:
		break;
	}
}

static void close_carrier(struct carrier *c)
{
	int i, j;

	if (c->kind == K_MX) {
		mx_handle_close(c->h[0]);
		mx_handle_close(c->h[1]);
		return;
	}
	for (i = 0; i < 2; i++)
		for (j = 0; j < 2; j++)
			if (c->fd[i][j] > 0)
				close(c->fd[i][j]);
}

/*
 * Side @side (0 or 1) sends @n bytes towards the other side, and
 * receives @n bytes from it.
 */
static void send_msg(struct carrier *c, int side, size_t n)
{
	ssize_t r;
	int fd;

	switch (c->kind) {
	case K_MX:
		r = mx_channel_write(c->h[side], 0, buf_out, n, NULL, 0);
		if (r != MX_OK)
			die("mx_channel_write", r);
		return;
	case K_PIPE:
		fd = c->fd[side][1];
		break;
	default:
		fd = c->fd[0][side];
		break;
	}
	r = write(fd, buf_out, n);
	if (r != (ssize_t)n)
		die("write", r);
}

/* @wait: the message may not be there yet (mx reads never block). */
static void recv_msg(struct carrier *c, int side, size_t n, int wait)
{
	size_t got = 0;
	ssize_t r;
	int fd;

	switch (c->kind) {
	case K_MX: {
		uint32_t nb = 0;

		if (wait)
			r = mx_object_wait_one(c->h[side], MX_CHANNEL_READABLE,
					       MX_TIME_INFINITE, NULL);
		if (wait && r != MX_OK)
			die("mx_object_wait_one", r);
		r = mx_channel_read(c->h[side], 0, buf_in, NULL, MAXSZ, 0,
				    &nb, NULL);
		if (r != MX_OK || nb != n)
			die("mx_channel_read", r);
		return;
	}
	case K_PIPE:
		fd = c->fd[!side][0];
		break;
	default:
		fd = c->fd[0][side];
		break;
	}
	/* A pipe may return a large message in pieces. */
	while (got < n) {
		r = read(fd, buf_in + got, n - got);
		if (r <= 0)
			die("read", r);
		got += r;
	}
}

/* One local round trip: a message written, then read at the other end. */
static void local_trip(struct carrier *c, size_t n)
{
	send_msg(c, 0, n);
	recv_msg(c, 1, n, 0);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v)
{
	qsort(v, SAMPLES, sizeof(*v), cmp_u64);
	return v[SAMPLES / 2];
}

static uint64_t run_local(enum kind k, size_t n, int iters)
{
	uint64_t v[SAMPLES], t;
	struct carrier c;
	int s, i;

	open_carrier(&c, k);
	for (i = 0; i < iters / 10 + 1; i++)
		local_trip(&c, n);
	for (s = 0; s < SAMPLES; s++) {
		t = now_ns();
		for (i = 0; i < iters; i++)
			local_trip(&c, n);
		v[s] = (now_ns() - t) / iters;
	}
	close_carrier(&c);
	return median(v);
}

/* The echo side of a ping-pong, in a child. */
static void echo(struct carrier *c, size_t n, int trips)
{
	int i;

	for (i = 0; i < trips; i++) {
		recv_msg(c, 1, n, 1);
		send_msg(c, 1, n);
	}
}

static uint64_t run_pingpong(enum kind k, size_t n, int iters)
{
	int warm = iters / 10 + 1, s, i, status;
	uint64_t v[SAMPLES], t;
	struct carrier c;
	pid_t pid;

	open_carrier(&c, k);
	if (k == K_MX) {
		/* A fork child starts with an empty table: pass the end. */
		int fd;

		if (mx_handle_to_fd(c.h[1], 0, &fd) != MX_OK)
			die("mx_handle_to_fd", -1);
		fflush(NULL);
		pid = fork();
		if (pid == 0) {
			if (mx_handle_from_fd(fd, &c.h[1]) != MX_OK)
				die("mx_handle_from_fd", -1);
			close(fd);
			echo(&c, n, warm + SAMPLES * iters);
			_exit(0);
		}
		close(fd);
	} else {
		fflush(NULL);
		pid = fork();
		if (pid == 0) {
			echo(&c, n, warm + SAMPLES * iters);
			_exit(0);
		}
	}
	if (pid < 0)
		die("fork", pid);
	for (i = 0; i < warm; i++) {
		send_msg(&c, 0, n);
		recv_msg(&c, 0, n, 1);
	}
	for (s = 0; s < SAMPLES; s++) {
		t = now_ns();
		for (i = 0; i < iters; i++) {
			send_msg(&c, 0, n);
			recv_msg(&c, 0, n, 1);
		}
		v[s] = (now_ns() - t) / iters;
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		die("echo child", status);
	if (k == K_MX)
		mx_handle_close(c.h[0]);
	else
		close_carrier(&c);
	return median(v);
}

int main(void)
{
	static const size_t sizes[] = { 64, 4096, 65536 };
	static const int iters[] = { 2000, 1000, 200 };
	uint64_t r[K_NR];
	unsigned int i;
	int k, pp;

	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(buf_out, 0x5a, sizeof(buf_out));
	printf("channel-copy: median ns per round trip, %d samples; "
	       "ratios are mx / other\n", SAMPLES);
	for (pp = 0; pp < 2; pp++) {
		printf("%-9s %6s %10s %10s %10s %8s %8s\n",
		       pp ? "pingpong" : "local", "size", "mx", "pipe", "unix",
		       "mx/pipe", "mx/unix");
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			for (k = 0; k < K_NR; k++)
				r[k] = pp ? run_pingpong(k, sizes[i],
							 iters[i] / 4) :
					    run_local(k, sizes[i], iters[i]);
			printf("%-9s %6zu %10llu %10llu %10llu %8.2f %8.2f\n",
			       "", sizes[i], (unsigned long long)r[K_MX],
			       (unsigned long long)r[K_PIPE],
			       (unsigned long long)r[K_UNIX],
			       (double)r[K_MX] / r[K_PIPE],
			       (double)r[K_MX] / r[K_UNIX]);
		}
	}
	return 0;
}
