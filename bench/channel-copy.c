// SPDX-License-Identifier: MIT
/*
 * channel-copy: what a channel message costs against Linux's own byte
 * carriers, measured side by side (bench.h).
 *
 *   rw-<size>        one thread writes a message and reads it back: the
 *                    copies and the two calls, no scheduling; against a
 *                    pipe and an AF_UNIX SOCK_SEQPACKET socketpair
 *                    (message boundaries, like a channel)
 *   pingpong-<size>  two processes: A writes, B reads and writes it back,
 *                    A reads; ns per round trip. An mx reader waits for
 *                    READABLE, then reads (mx_channel_read never blocks).
 *                    64 B also against eventfd and futex wake-ups with the
 *                    bytes in shared memory, and against binder (a
 *                    transaction to the context manager and its reply)
 *   call-64B         mx_channel_call (write, wait and read in one call)
 *                    on A's side, against the pipe ping-pong and the
 *                    same binder transaction
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/android/binder.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAXSZ	65536

static char buf_out[MAXSZ], buf_in[MAXSZ];

/* ---- mx channel */

struct chan {
	mx_handle_t h[2];	/* [0] this side, [1] the other (or child) */
	size_t n;
};

static void mx_rw(void *arg, uint64_t n)
{
	struct chan *c = arg;
	uint32_t nb;

	while (n--) {
		check(mx_channel_write(c->h[0], 0, buf_out, c->n, NULL, 0),
		      "mx_channel_write");
		check(mx_channel_read(c->h[1], 0, buf_in, NULL, MAXSZ, 0, &nb,
				      NULL), "mx_channel_read");
	}
}

/* Reads one message, waiting for it; false when the peer has gone. */
static int mx_recv(mx_handle_t h, size_t *len)
{
	mx_signals_t obs = 0;
	uint32_t nb = 0;

	check(mx_object_wait_one(h, MX_CHANNEL_READABLE |
				 MX_CHANNEL_PEER_CLOSED, MX_TIME_INFINITE,
				 &obs), "mx_object_wait_one");
	if (!(obs & MX_CHANNEL_READABLE))
		return 0;
	check(mx_channel_read(h, 0, buf_in, NULL, MAXSZ, 0, &nb, NULL),
	      "mx_channel_read");
	*len = nb;
	return 1;
}

static void mx_echo(mx_handle_t h, void *arg)
{
	size_t len;

	(void)arg;
	while (mx_recv(h, &len))
		if (mx_channel_write(h, 0, buf_in, len, NULL, 0) != MX_OK)
			break;
}

static void mx_pingpong(void *arg, uint64_t n)
{
	struct chan *c = arg;
	size_t len;

	while (n--) {
		check(mx_channel_write(c->h[0], 0, buf_out, c->n, NULL, 0),
		      "mx_channel_write");
		if (!mx_recv(c->h[0], &len) || len != c->n)
			die("mx echo", len);
	}
}

static void mx_call(void *arg, uint64_t n)
{
	struct chan *c = arg;
	mx_channel_call_args_t a = {
		.wr_bytes = buf_out, .rd_bytes = buf_in,
		.wr_num_bytes = c->n, .rd_num_bytes = MAXSZ,
	};
	uint32_t nb, nh;
	mx_status_t rs;

	while (n--) {
		(*(uint32_t *)buf_out)++;	/* the txid */
		check(mx_channel_call(c->h[0], 0, MX_TIME_INFINITE, &a, &nb,
				      &nh, &rs), "mx_channel_call");
	}
}

/* ---- pipes and sockets */

struct fds {
	int rd, wr;		/* this side */
	int peer_rd, peer_wr;	/* the child's, closed here after the fork */
	size_t n;
};

static void read_full(int fd, char *b, size_t n)
{
	ssize_t r;

	while (n) {
		r = read(fd, b, n);
		if (r <= 0)
			die("read", r);
		b += r;
		n -= r;
	}
}

static void write_full(int fd, const char *b, size_t n)
{
	ssize_t r = write(fd, b, n);

	if (r != (ssize_t)n)
		die("write", r);
}

static void fd_rw(void *arg, uint64_t n)
{
	struct fds *f = arg;

	while (n--) {
		write_full(f->wr, buf_out, f->n);
		read_full(f->peer_rd, buf_in, f->n);
	}
}

static void fd_echo(mx_handle_t h, void *arg)
{
	struct fds *f = arg;
	ssize_t r;

	(void)h;
	close(f->rd);
	if (f->wr != f->rd)
		close(f->wr);
	for (;;) {
		r = read(f->peer_rd, buf_in, f->n);
		if (r == 0)
			return;
		if (r < 0)
			die("read", r);
		if ((size_t)r < f->n)	/* a pipe splits large writes */
			read_full(f->peer_rd, buf_in + r, f->n - r);
		write_full(f->peer_wr, buf_in, f->n);
	}
}

static void fd_pingpong(void *arg, uint64_t n)
{
	struct fds *f = arg;

	while (n--) {
		write_full(f->wr, buf_out, f->n);
		read_full(f->rd, buf_in, f->n);
	}
}

/* Two pipes, one each way; or one socketpair. */
static void open_pipes(struct fds *f, size_t n)
{
	int a[2], b[2];

	if (pipe(a) || pipe(b))
		die("pipe", -1);
	*f = (struct fds){ .wr = a[1], .peer_rd = a[0], .peer_wr = b[1],
			   .rd = b[0], .n = n };
}

static void open_unix(struct fds *f, size_t n)
{
	int s[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, s))
		die("socketpair", -1);
	*f = (struct fds){ .wr = s[0], .rd = s[0], .peer_rd = s[1],
			   .peer_wr = s[1], .n = n };
}

static void close_fds(struct fds *f)
{
	close(f->rd);
	if (f->wr != f->rd)
		close(f->wr);
	if (f->peer_rd >= 0) {
		close(f->peer_rd);
		if (f->peer_wr != f->peer_rd)
			close(f->peer_wr);
	}
}

/* ---- eventfd and futex wake-ups, the bytes in shared memory */

struct shm {
	_Atomic uint32_t seq;	/* futex: odd = request, even = reply */
	_Atomic uint32_t stop;
	int efd[2];		/* eventfd: [0] to the child, [1] back */
	char buf[64];
};

static void efd_post(int fd)
{
	uint64_t one = 1;

	if (write(fd, &one, 8) != 8)
		die("eventfd write", -1);
}

static void efd_take(int fd)
{
	uint64_t v;

	if (read(fd, &v, 8) != 8)
		die("eventfd read", -1);
}

static void efd_echo(mx_handle_t h, void *arg)
{
	struct shm *s = arg;

	(void)h;
	for (;;) {
		efd_take(s->efd[0]);
		if (atomic_load(&s->stop))
			return;
		memcpy(buf_in, s->buf, sizeof(s->buf));
		memcpy(s->buf, buf_in, sizeof(s->buf));
		efd_post(s->efd[1]);
	}
}

static void efd_pingpong(void *arg, uint64_t n)
{
	struct shm *s = arg;

	while (n--) {
		memcpy(s->buf, buf_out, sizeof(s->buf));
		efd_post(s->efd[0]);
		efd_take(s->efd[1]);
		memcpy(buf_in, s->buf, sizeof(s->buf));
	}
}

static void futex_wait(_Atomic uint32_t *w, uint32_t v)
{
	syscall(SYS_futex, w, FUTEX_WAIT, v, NULL, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *w)
{
	syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
}

static void futex_echo(mx_handle_t h, void *arg)
{
	struct shm *s = arg;
	uint32_t v = 0;

	(void)h;
	for (;;) {
		while (atomic_load(&s->seq) == v)
			futex_wait(&s->seq, v);
		if (atomic_load(&s->stop))
			return;
		memcpy(buf_in, s->buf, sizeof(s->buf));
		memcpy(s->buf, buf_in, sizeof(s->buf));
		v += 2;
		atomic_store(&s->seq, v);
		futex_wake(&s->seq);
	}
}

static void futex_pingpong(void *arg, uint64_t n)
{
	struct shm *s = arg;
	uint32_t v;

	while (n--) {
		memcpy(s->buf, buf_out, sizeof(s->buf));
		v = atomic_load(&s->seq) + 1;
		atomic_store(&s->seq, v);
		futex_wake(&s->seq);
		while (atomic_load(&s->seq) == v)
			futex_wait(&s->seq, v);
		memcpy(buf_in, s->buf, sizeof(s->buf));
	}
}

/* ---- binder: raw ioctls, a context manager and one client */

#define BINDER_MAP	(128 * 1024)

struct binder {
	int fd;
	size_t n;
	int ready_fd;			/* the server says it is ready */
	binder_uintptr_t to_free;	/* last reply, freed with the next call */
	uint32_t rbuf[129];		/* 128 words and an end mark */
};

static int binder_open(struct binder *b)
{
	b->fd = open("/dev/binder", O_RDWR | O_CLOEXEC);
	if (b->fd < 0)
		return -1;
	if (mmap(NULL, BINDER_MAP, PROT_READ, MAP_PRIVATE, b->fd, 0) ==
	    MAP_FAILED)
		die("binder mmap", -1);
	b->to_free = 0;
	return 0;
}

/* Writes @w and, unless @noread, waits for and reads what comes back. */
static void binder_io(struct binder *b, void *w, size_t wlen, int noread)
{
	struct binder_write_read bwr = {
		.write_size = wlen,
		.write_buffer = (binder_uintptr_t)(uintptr_t)w,
		.read_size = noread ? 0 : sizeof(b->rbuf) - 4,
		.read_buffer = (binder_uintptr_t)(uintptr_t)b->rbuf,
	};

	if (ioctl(b->fd, BINDER_WRITE_READ, &bwr) < 0)
		die("BINDER_WRITE_READ", -1);
	if (bwr.write_consumed != wlen)
		die("binder write_consumed", bwr.write_consumed);
	b->rbuf[bwr.read_consumed / 4] = 0xffffffff;	/* end mark */
}

static void binder_wr(struct binder *b, void *w, size_t wlen)
{
	binder_io(b, w, wlen, 0);
}

/*
 * Scans what binder returned for @want (BR_TRANSACTION or BR_REPLY);
 * copies its transaction into @t. Other commands (BR_NOOP,
 * BR_TRANSACTION_COMPLETE, ...) carry no payload we keep.
 */
static int binder_find(struct binder *b, uint32_t want,
		       struct binder_transaction_data *t)
{
	char *p = (char *)b->rbuf, *end = p + sizeof(b->rbuf) - 4;
	uint32_t cmd;

	while (p < end) {
		memcpy(&cmd, p, 4);
		if (cmd == 0xffffffff)
			return 0;
		p += 4;
		if (cmd == BR_TRANSACTION || cmd == BR_REPLY) {
			memcpy(t, p, sizeof(*t));
			p += sizeof(*t);
			if (cmd == want)
				return 1;
		} else if (cmd == BR_DEAD_REPLY || cmd == BR_FAILED_REPLY) {
			die("binder reply failed", cmd);
		} else {
			p += _IOC_SIZE(cmd);
		}
	}
	return 0;
}

struct bcmd {
	uint32_t free_cmd;
	binder_uintptr_t free_ptr;
	uint32_t cmd;
	struct binder_transaction_data t;
} __attribute__((packed));

static void binder_server(mx_handle_t h, void *arg)
{
	struct binder *b = arg;
	struct binder_transaction_data t;
	struct bcmd c;
	uint32_t enter = BC_ENTER_LOOPER;

	(void)h;
	if (binder_open(b))
		die("open /dev/binder", -1);
	if (ioctl(b->fd, BINDER_SET_CONTEXT_MGR, 0) < 0)
		die("BINDER_SET_CONTEXT_MGR", -1);
	binder_io(b, &enter, 4, 1);
	if (write(b->ready_fd, "r", 1) != 1)
		die("write", -1);
	close(b->ready_fd);
	for (;;) {
		while (!binder_find(b, BR_TRANSACTION, &t))
			binder_wr(b, NULL, 0);
		if (t.code == 1)		/* stop */
			return;
		memcpy(buf_in, (void *)(uintptr_t)t.data.ptr.buffer,
		       t.data_size);
		c.free_cmd = BC_FREE_BUFFER;
		c.free_ptr = t.data.ptr.buffer;
		c.cmd = BC_REPLY;
		memset(&c.t, 0, sizeof(c.t));
		c.t.data_size = t.data_size;
		c.t.data.ptr.buffer = (binder_uintptr_t)(uintptr_t)buf_in;
		binder_wr(b, &c, sizeof(c));
	}
}

static void binder_call(struct binder *b, uint32_t code)
{
	struct binder_transaction_data t;
	struct bcmd c;
	void *w = &c;
	size_t wlen = sizeof(c);

	memset(&c, 0, sizeof(c));
	c.free_cmd = BC_FREE_BUFFER;
	c.free_ptr = b->to_free;
	c.cmd = BC_TRANSACTION;
	c.t.target.handle = 0;
	c.t.code = code;
	c.t.flags = code == 1 ? TF_ONE_WAY : 0;
	c.t.data_size = b->n;
	c.t.data.ptr.buffer = (binder_uintptr_t)(uintptr_t)buf_out;
	if (!b->to_free) {
		w = &c.cmd;
		wlen -= offsetof(struct bcmd, cmd);
	}
	if (code == 1) {		/* stop: one way, no reply */
		binder_io(b, w, wlen, 1);
		return;
	}
	binder_wr(b, w, wlen);
	while (!binder_find(b, BR_REPLY, &t))
		binder_wr(b, NULL, 0);
	if (t.data_size != b->n)
		die("binder reply size", t.data_size);
	memcpy(buf_in, (void *)(uintptr_t)t.data.ptr.buffer, t.data_size);
	b->to_free = t.data.ptr.buffer;
}

static void binder_pingpong(void *arg, uint64_t n)
{
	while (n--)
		binder_call(arg, 0);
}

/* ---- the cases */

static void rw_case(size_t n, const char *name)
{
	struct chan c = { .n = n };
	struct fds f;

	check(mx_channel_create(0, &c.h[0], &c.h[1]), "mx_channel_create");
	open_pipes(&f, n);
	bench_pair(name, "pipe", mx_rw, &c, fd_rw, &f);
	close_fds(&f);
	open_unix(&f, n);
	bench_pair(name, "unix", mx_rw, &c, fd_rw, &f);
	close_fds(&f);
	mx_handle_close(c.h[0]);
	mx_handle_close(c.h[1]);
}

/* One mx echo child serves every peer of the case in turn. */
static void pingpong_case(size_t n, const char *name, int more)
{
	struct chan c = { .n = n };
	struct fds f;
	struct shm *s;
	struct binder b = { .n = n };
	mx_handle_t theirs;
	pid_t mxpid, pid;
	int p[2];
	char r;

	check(mx_channel_create(0, &c.h[0], &theirs), "mx_channel_create");
	mxpid = bench_fork(theirs, mx_echo, NULL);

	open_pipes(&f, n);
	pid = bench_fork(MX_HANDLE_INVALID, fd_echo, &f);
	close(f.peer_rd);
	close(f.peer_wr);
	f.peer_rd = f.peer_wr = -1;
	bench_pair(name, "pipe", mx_pingpong, &c, fd_pingpong, &f);
	if (more)
		bench_pair("call-64B", "pipe", mx_call, &c, fd_pingpong, &f);
	close_fds(&f);
	bench_reap(pid);

	open_unix(&f, n);
	pid = bench_fork(MX_HANDLE_INVALID, fd_echo, &f);
	close(f.peer_rd);
	f.peer_rd = f.peer_wr = -1;
	bench_pair(name, "unix", mx_pingpong, &c, fd_pingpong, &f);
	close_fds(&f);
	bench_reap(pid);

	if (more) {
		s = bench_shared(sizeof(*s));
		s->efd[0] = eventfd(0, 0);
		s->efd[1] = eventfd(0, 0);
		if (s->efd[0] < 0 || s->efd[1] < 0)
			die("eventfd", -1);
		pid = bench_fork(MX_HANDLE_INVALID, efd_echo, s);
		bench_pair(name, "eventfd+shm", mx_pingpong, &c,
			   efd_pingpong, s);
		atomic_store(&s->stop, 1);
		efd_post(s->efd[0]);
		bench_reap(pid);
		close(s->efd[0]);
		close(s->efd[1]);

		atomic_store(&s->stop, 0);
		atomic_store(&s->seq, 0);
		pid = bench_fork(MX_HANDLE_INVALID, futex_echo, s);
		bench_pair(name, "futex+shm", mx_pingpong, &c,
			   futex_pingpong, s);
		atomic_store(&s->stop, 1);
		atomic_store(&s->seq, atomic_load(&s->seq) + 1);
		futex_wake(&s->seq);
		bench_reap(pid);

		if (access("/dev/binder", R_OK | W_OK)) {
			bench_skip(name, "binder", "no-/dev/binder");
			bench_skip("call-64B", "binder", "no-/dev/binder");
			goto out;
		}
		if (pipe(p))
			die("pipe", -1);
		b.ready_fd = p[1];
		pid = bench_fork(MX_HANDLE_INVALID, binder_server, &b);
		close(p[1]);
		if (read(p[0], &r, 1) != 1)
			die("binder server start", -1);
		close(p[0]);
		if (binder_open(&b))
			die("open /dev/binder", -1);
		bench_pair(name, "binder", mx_pingpong, &c, binder_pingpong,
			   &b);
		bench_pair("call-64B", "binder", mx_call, &c,
			   binder_pingpong, &b);
		binder_call(&b, 1);
		bench_reap(pid);
		close(b.fd);
	}
out:
	mx_handle_close(c.h[0]);
	bench_reap(mxpid);
}

int main(void)
{
	bench_init("channel-copy");
	memset(buf_out, 0x5a, sizeof(buf_out));
	rw_case(64, "rw-64B");
	rw_case(4096, "rw-4KiB");
	rw_case(65536, "rw-64KiB");
	pingpong_case(64, "pingpong-64B", 1);
	pingpong_case(4096, "pingpong-4KiB", 0);
	pingpong_case(65536, "pingpong-64KiB", 0);
	return 0;
}
