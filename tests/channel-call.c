// SPDX-License-Identifier: MIT
/*
 * mx_channel_call: check order and the errors returned before the request
 * is sent (reference §3.7, §3.5), replies routed by txid, deadlines, the
 * failures after the request (MX_ERR_CALL_FAILED and its read_status),
 * Magenta's channel_call and channel_call2 cases, POSIX signals during a
 * call, callers that die, and calls between processes.
 */
#include "mxtest.h"

#include <fcntl.h>
#include <semaphore.h>
#include <setjmp.h>
#include <stdbool.h>
#include <sys/ioctl.h>

/* Every message of these tests: a txid, then a value. */
struct msg {
	uint32_t txid;
	uint32_t val;
};

static mx_koid_t koid_of(mx_handle_t h)
{
	return mxt_basic(h).koid;
}

/* Nothing is queued at @h. */
static void assert_empty(mx_handle_t h)
{
	ASSERT_STATUS(mx_channel_read(h, 0, NULL, NULL, 0, 0, NULL, NULL),
		      MX_ERR_SHOULD_WAIT);
}

/* ---- the server side, in the main thread ---- */

/*
 * Take the next request at @h: its txid; its value in *@val; up to 4
 * handles in @handles, their count in *@nh (both may be NULL).
 */
static uint32_t serve_read(mx_handle_t h, uint32_t *val, mx_handle_t *handles,
			   uint32_t *nh)
{
	uint32_t nb = 0, n = 0;
	struct msg m;

	ASSERT_OK(mx_object_wait_one(h, MX_CHANNEL_READABLE, MX_TIME_INFINITE,
				     NULL));
	ASSERT_OK(mx_channel_read(h, 0, &m, handles, sizeof(m),
				  handles ? 4 : 0, &nb, &n));
	ASSERT_EQ(nb, sizeof(m));
	if (val)
		*val = m.val;
	if (nh)
		*nh = n;
	return m.txid;
}

static void serve_reply(mx_handle_t h, uint32_t txid, uint32_t val,
			mx_handle_t *handles, uint32_t nh)
{
	struct msg m = { txid, val };

	ASSERT_OK(mx_channel_write(h, 0, &m, sizeof(m), handles, nh));
}

/* ---- callers in threads ---- */

/*
 * One mx_channel_call in a thread: the request is @req (plus @wr_handles),
 * the reply goes to @rep and @rd_handles. Tests may change @args and the
 * out pointers before starting it. With @raw_fd >= 0 the ioctl is made
 * directly, without libmx.
 */
struct caller {
	mx_handle_t h;
	uint32_t options;
	mx_time_t deadline;
	struct msg req;
	struct msg rep;
	mx_handle_t wr_handles[4];
	mx_handle_t rd_handles[4];
	mx_channel_call_args_t args;
	uint32_t *pab, *pah;
	mx_status_t *prs;
	int raw_fd;

	mx_status_t status;
	mx_status_t read_status;
	uint32_t actual_bytes;
	uint32_t actual_handles;
	long raw_ret;
	int raw_errno;
	mx_time_t returned_at;
	pid_t tid;
	int done;
	pthread_t th;
};

#define SENTINEL 0x5a5a5a5au

static void caller_init(struct caller *c, mx_handle_t h, uint32_t txid,
			uint32_t val)
{
	memset(c, 0, sizeof(*c));
	c->h = h;
	c->deadline = MX_TIME_INFINITE;
	c->req = (struct msg){ txid, val };
	c->rep = (struct msg){ SENTINEL, SENTINEL };
	c->args = (mx_channel_call_args_t){
		.wr_bytes = &c->req,
		.wr_handles = c->wr_handles,
		.rd_bytes = &c->rep,
		.rd_handles = c->rd_handles,
		.wr_num_bytes = sizeof(c->req),
		.wr_num_handles = 0,
		.rd_num_bytes = sizeof(c->rep),
		.rd_num_handles = 4,
	};
	c->pab = &c->actual_bytes;
	c->pah = &c->actual_handles;
	c->prs = &c->read_status;
	c->read_status = (mx_status_t)SENTINEL;
	c->actual_bytes = SENTINEL;
	c->actual_handles = SENTINEL;
	c->raw_fd = -1;
}

/* Let @c send a duplicate of @ev with its request. */
static void caller_sends_dup(struct caller *c, mx_handle_t ev)
{
	c->wr_handles[0] = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	c->args.wr_num_handles = 1;
}

static void *caller_main(void *arg)
{
	struct caller *c = arg;

	__atomic_store_n(&c->tid, gettid(), __ATOMIC_RELEASE);
	if (c->raw_fd >= 0) {
		struct mx_ioc_channel_call a = {
			.handle = c->h,
			.options = c->options,
			.deadline = c->deadline,
			.args = (uintptr_t)&c->args,
			.actual_bytes = (uintptr_t)c->pab,
			.actual_handles = (uintptr_t)c->pah,
			.read_status = (uintptr_t)c->prs,
		};

		errno = 0;
		c->raw_ret = ioctl(c->raw_fd, MX_IOC_CHANNEL_CALL, &a);
		c->raw_errno = errno;
	} else {
		c->status = mx_channel_call(c->h, c->options, c->deadline,
					    &c->args, c->pab, c->pah, c->prs);
	}
	c->returned_at = mxt_now();
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Start @c and return once it is blocked waiting for its reply. */
static void start_caller(struct caller *c)
{
	mxt_start_blocked(&c->th, caller_main, c, &c->tid, &c->done);
}

static void join(struct caller *c)
{
	ASSERT_EQ(pthread_join(c->th, NULL), 0);
}

/*
 * A thread in wait_one on @h for READABLE or USER_SIGNAL_0: its observed
 * tells whether @h was ever READABLE until USER_SIGNAL_0 ends it.
 */
struct watcher {
	mx_handle_t h;
	mx_signals_t observed;
	mx_status_t status;
	pid_t tid;
	int done;
	pthread_t th;
};

static void *watcher_main(void *arg)
{
	struct watcher *w = arg;

	__atomic_store_n(&w->tid, gettid(), __ATOMIC_RELEASE);
	w->status = mx_object_wait_one(w->h, MX_CHANNEL_READABLE |
				       MX_USER_SIGNAL_0, MX_TIME_INFINITE,
				       &w->observed);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void start_watcher(struct watcher *w, mx_handle_t h)
{
	memset(w, 0, sizeof(*w));
	w->h = h;
	mxt_start_blocked(&w->th, watcher_main, w, &w->tid, &w->done);
}

/* End @w and require that @h never became READABLE meanwhile. */
static void assert_never_readable(struct watcher *w)
{
	ASSERT_OK(mx_object_signal(w->h, 0, MX_USER_SIGNAL_0));
	ASSERT_EQ(pthread_join(w->th, NULL), 0);
	ASSERT_OK(w->status);
	ASSERT_EQ(w->observed & MX_CHANNEL_READABLE, 0);
	ASSERT_OK(mx_object_signal(w->h, MX_USER_SIGNAL_0, 0));
}

/* ---- Magenta's channel_call cases ---- */

TEST(call_basic)
{
	struct watcher w;
	struct caller c;
	mx_handle_t a, b;
	uint32_t val, txid;

	mxt_channel(&a, &b);
	start_watcher(&w, a);
	caller_init(&c, a, 0x1234, 7);
	start_caller(&c);
	txid = serve_read(b, &val, NULL, NULL);
	ASSERT_EQ(txid, 0x1234);
	ASSERT_EQ(val, 7);
	serve_reply(b, txid, 8, NULL, 0);
	join(&c);
	ASSERT_OK(c.status);
	ASSERT_EQ(c.actual_bytes, sizeof(struct msg));
	ASSERT_EQ(c.actual_handles, 0);
	ASSERT_EQ(c.rep.txid, 0x1234);
	ASSERT_EQ(c.rep.val, 8);
	/* read_status is written only when the call failed. */
	ASSERT_EQ(c.read_status, (mx_status_t)SENTINEL);
	/* The reply went to the caller, never through the queue. */
	assert_never_readable(&w);
	assert_empty(a);
	assert_empty(b);
	ASSERT_EQ(mxt_signals(a), MX_CHANNEL_WRITABLE | MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_signals(b), MX_CHANNEL_WRITABLE | MX_SIGNAL_LAST_HANDLE);
}

TEST(call_ten_callers_replies_in_reverse_order)
{
	enum { N = 10 };
	struct caller c[N];
	uint32_t txid[N], val[N];
	struct watcher w;
	mx_handle_t a, b;
	int i;

	mxt_channel(&a, &b);
	start_watcher(&w, a);
	for (i = 0; i < N; i++) {
		caller_init(&c[i], a, 0x100 + i, 3 * i);
		start_caller(&c[i]);
	}
	for (i = 0; i < N; i++) {
		txid[i] = serve_read(b, &val[i], NULL, NULL);
		ASSERT_EQ(val[i], 3 * (txid[i] - 0x100));
	}
	for (i = N - 1; i >= 0; i--)
		serve_reply(b, txid[i], val[i] + 1000, NULL, 0);
	for (i = 0; i < N; i++) {
		join(&c[i]);
		ASSERT_OK(c[i].status);
		ASSERT_EQ(c[i].rep.txid, 0x100 + i);
		ASSERT_EQ(c[i].rep.val, 3 * i + 1000);
	}
	assert_never_readable(&w);
	assert_empty(a);
	assert_empty(b);
}

TEST(call_reply_too_large)
{
	struct { struct msg m; char more[8]; } big = { { 0x77, 1 }, "12345" };
	mx_handle_t a, b, ev = mxt_event(), d;
	struct watcher w;
	struct caller c;

	mxt_channel(&a, &b);
	start_watcher(&w, a);
	caller_init(&c, a, 0x77, 0);
	start_caller(&c);
	ASSERT_EQ(serve_read(b, NULL, NULL, NULL), 0x77);
	d = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	ASSERT_OK(mx_channel_write(b, 0, &big, sizeof(big), &d, 1));
	join(&c);
	ASSERT_STATUS(c.status, MX_ERR_CALL_FAILED);
	ASSERT_STATUS(c.read_status, MX_ERR_BUFFER_TOO_SMALL);
	/* As in Magenta: nothing written back, the reply discarded. */
	ASSERT_EQ(c.actual_bytes, SENTINEL);
	ASSERT_EQ(c.actual_handles, SENTINEL);
	ASSERT_EQ(c.rep.txid, SENTINEL);
	mxt_wait_signal(ev, MX_SIGNAL_LAST_HANDLE);
	assert_never_readable(&w);
	assert_empty(a);
}

TEST(call_no_reply_times_out_at_deadline)
{
	mx_handle_t a, b, ev = mxt_event(), got[4];
	mx_handle_t d = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	mx_channel_call_args_t args;
	struct msg req = { 0x99, 5 }, rep = { 0, 0 };
	uint32_t nb = SENTINEL, nh = SENTINEL, n = 0;
	mx_status_t rs = (mx_status_t)SENTINEL;
	mx_time_t deadline, t;

	mxt_channel(&a, &b);
	args = (mx_channel_call_args_t){
		.wr_bytes = &req, .wr_handles = &d,
		.rd_bytes = &rep, .rd_handles = got,
		.wr_num_bytes = sizeof(req), .wr_num_handles = 1,
		.rd_num_bytes = sizeof(rep), .rd_num_handles = 4,
	};
	deadline = mxt_now() + MX_MSEC(250);
	ASSERT_STATUS(mx_channel_call(a, 0, deadline, &args, &nb, &nh, &rs),
		      MX_ERR_TIMED_OUT);
	t = mxt_now();
	ASSERT_TRUE(t >= deadline);
	ASSERT_EQ(rs, (mx_status_t)SENTINEL);
	ASSERT_EQ(nb, SENTINEL);
	/* The request and its handle were sent. */
	ASSERT_STATUS(mx_handle_close(d), MX_ERR_BAD_HANDLE);
	ASSERT_EQ(serve_read(b, NULL, got, &n), 0x99);
	ASSERT_EQ(n, 1);
	ASSERT_EQ(koid_of(got[0]), koid_of(ev));
	/* A late reply is an ordinary message. */
	serve_reply(b, 0x99, 6, NULL, 0);
	ASSERT_EQ(mxt_signals(a), MX_CHANNEL_READABLE | MX_CHANNEL_WRITABLE |
		  MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_channel_read(a, 0, &rep, NULL, sizeof(rep), 0, NULL,
				  NULL));
	ASSERT_EQ(rep.txid, 0x99);
	ASSERT_EQ(rep.val, 6);

	/* A deadline already past: sent, then timed out at once. */
	args.wr_num_handles = 0;
	ASSERT_STATUS(mx_channel_call(a, 0, 0, &args, &nb, &nh, &rs),
		      MX_ERR_TIMED_OUT);
	ASSERT_EQ(serve_read(b, NULL, NULL, NULL), 0x99);
}

TEST(call_reply_handle_wanted_is_received)
{
	mx_handle_t a, b, ev = mxt_event(), d;
	mx_info_handle_basic_t info;
	struct caller c;

	mxt_channel(&a, &b);
	caller_init(&c, a, 0x42, 0);
	start_caller(&c);
	ASSERT_EQ(serve_read(b, NULL, NULL, NULL), 0x42);
	d = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	serve_reply(b, 0x42, 1, &d, 1);
	join(&c);
	ASSERT_OK(c.status);
	ASSERT_EQ(c.actual_bytes, sizeof(struct msg));
	ASSERT_EQ(c.actual_handles, 1);
	ASSERT_TRUE(c.rd_handles[0] > 0 && (c.rd_handles[0] & 1));
	info = mxt_basic(c.rd_handles[0]);
	ASSERT_EQ(info.koid, koid_of(ev));
	ASSERT_EQ(info.rights, MX_DEFAULT_EVENT_RIGHTS);
	ASSERT_OK(mx_object_signal(c.rd_handles[0], 0, MX_USER_SIGNAL_2));
	ASSERT_EQ(mxt_signals(ev), MX_USER_SIGNAL_2);
	ASSERT_OK(mx_handle_close(c.rd_handles[0]));
	ASSERT_EQ(mxt_signals(ev), MX_USER_SIGNAL_2 | MX_SIGNAL_LAST_HANDLE);
}

TEST(call_reply_handle_unwanted_fails)
{
	mx_handle_t a, b, ev = mxt_event(), d;
	struct caller c;

	mxt_channel(&a, &b);
	caller_init(&c, a, 0x43, 0);
	c.args.rd_num_handles = 0;
	start_caller(&c);
	ASSERT_EQ(serve_read(b, NULL, NULL, NULL), 0x43);
	d = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	serve_reply(b, 0x43, 1, &d, 1);
	join(&c);
	ASSERT_STATUS(c.status, MX_ERR_CALL_FAILED);
	ASSERT_STATUS(c.read_status, MX_ERR_BUFFER_TOO_SMALL);
	mxt_wait_signal(ev, MX_SIGNAL_LAST_HANDLE);
	assert_empty(a);
}

TEST(call_sends_a_handle)
{
	mx_handle_t a, b, ev = mxt_event(), got[4];
	struct caller c;
	uint32_t n = 0;

	mxt_channel(&a, &b);
	caller_init(&c, a, 0x44, 0);
	caller_sends_dup(&c, ev);
	start_caller(&c);
	/* Gone from the caller as soon as the request is sent. */
	ASSERT_STATUS(mx_handle_close(c.wr_handles[0]), MX_ERR_BAD_HANDLE);
	ASSERT_EQ(serve_read(b, NULL, got, &n), 0x44);
	ASSERT_EQ(n, 1);
	ASSERT_EQ(koid_of(got[0]), koid_of(ev));
	serve_reply(b, 0x44, 0, NULL, 0);
	join(&c);
	ASSERT_OK(c.status);
	ASSERT_EQ(c.actual_handles, 0);
}

TEST(call_sends_and_receives_a_handle)
{
	mx_handle_t a, b, ev = mxt_event(), got[4];
	struct caller c;
	uint32_t n = 0;

	mxt_channel(&a, &b);
	caller_init(&c, a, 0x45, 0);
	caller_sends_dup(&c, ev);
	start_caller(&c);
	ASSERT_EQ(serve_read(b, NULL, got, &n), 0x45);
	ASSERT_EQ(n, 1);
	serve_reply(b, 0x45, 0, got, 1);
	join(&c);
	ASSERT_OK(c.status);
	ASSERT_EQ(c.actual_handles, 1);
	ASSERT_EQ(koid_of(c.rd_handles[0]), koid_of(ev));
	/* Installed afresh: the value it left with does not come back. */
	ASSERT_NE(c.rd_handles[0], c.wr_handles[0]);
	ASSERT_STATUS(mx_handle_close(c.wr_handles[0]), MX_ERR_BAD_HANDLE);
	ASSERT_OK(mx_handle_close(c.rd_handles[0]));
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
}

TEST(call_server_closes_its_end)
{
	mx_handle_t a, b, ev = mxt_event();
	struct caller c;

	mxt_channel(&a, &b);
	caller_init(&c, a, 0x46, 0);
	caller_sends_dup(&c, ev);
	start_caller(&c);
	ASSERT_OK(mx_handle_close(b));
	join(&c);
	ASSERT_STATUS(c.status, MX_ERR_CALL_FAILED);
	ASSERT_STATUS(c.read_status, MX_ERR_PEER_CLOSED);
	ASSERT_EQ(c.actual_bytes, SENTINEL);
	/* The handle went with the request, into the closed end's queue. */
	ASSERT_STATUS(mx_handle_close(c.wr_handles[0]), MX_ERR_BAD_HANDLE);
	mxt_wait_signal(ev, MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_signals(a), MX_CHANNEL_PEER_CLOSED |
		  MX_SIGNAL_LAST_HANDLE);
}

TEST(call_own_endpoint_closed_is_canceled)
{
	mx_handle_t a, b;
	struct caller c;

	mxt_channel(&a, &b);
	caller_init(&c, a, 0x47, 0);
	start_caller(&c);
	ASSERT_OK(mx_handle_close(a));
	join(&c);
	ASSERT_STATUS(c.status, MX_ERR_CALL_FAILED);
	ASSERT_STATUS(c.read_status, MX_ERR_CANCELED);
	/* The request was sent and stays readable. */
	ASSERT_EQ(serve_read(b, NULL, NULL, NULL), 0x47);
	ASSERT_STATUS(mx_channel_write(b, 0, "x", 1, NULL, 0),
		      MX_ERR_PEER_CLOSED);
}

/* ---- check order and errors before the request is sent ---- */

static mx_status_t call0(mx_handle_t h, uint32_t options,
			 const mx_channel_call_args_t *args)
{
	uint32_t nb, nh;
	mx_status_t rs = (mx_status_t)SENTINEL;
	mx_status_t s = mx_channel_call(h, options, 0, args, &nb, &nh, &rs);

	if (s != MX_ERR_CALL_FAILED && rs != (mx_status_t)SENTINEL)
		FAIL("read_status written with %d", s);
	return s;
}

TEST(call_check_order)
{
	mx_handle_t a, b, c0, c1, ev = mxt_event(), ev_ro, nt, closed, hs[2];
	static char big[MX_CHANNEL_MAX_MSG_BYTES + 1];
	struct msg req = { 1, 2 };
	mx_channel_call_args_t args = {
		.wr_bytes = &req, .wr_handles = hs,
		.wr_num_bytes = sizeof(req),
	};
	mx_channel_call_args_t bad;

	mxt_channel(&a, &b);
	mxt_channel(&c0, &c1);
	closed = mxt_event();
	ASSERT_OK(mx_handle_close(closed));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_READ, &ev_ro));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_READ | MX_RIGHT_WRITE, &nt));

	/* args first, then options, then the handle. */
	ASSERT_STATUS(call0(MX_HANDLE_INVALID, 1, NULL), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(call0(a, 0, (void *)8), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(call0(MX_HANDLE_INVALID, 1, &args), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(call0(MX_HANDLE_INVALID, 0, &args), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(call0(closed, 0, &args), MX_ERR_BAD_HANDLE);
	/* Rights before type, then the sizes. */
	ASSERT_OK(mx_handle_replace(c0, MX_RIGHT_READ | MX_RIGHT_TRANSFER,
				    &c0));
	ASSERT_STATUS(call0(c0, 0, &args), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(call0(ev_ro, 0, &args), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(call0(ev, 0, &args), MX_ERR_WRONG_TYPE);
	bad = args;
	bad.wr_bytes = big;
	bad.wr_num_bytes = sizeof(big);
	ASSERT_STATUS(call0(c0, 0, &bad), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(call0(a, 0, &bad), MX_ERR_OUT_OF_RANGE);
	bad = args;
	bad.wr_num_handles = MX_CHANNEL_MAX_MSG_HANDLES + 1;
	ASSERT_STATUS(call0(a, 0, &bad), MX_ERR_OUT_OF_RANGE);
	/* Then the bytes and the handle array. */
	bad = args;
	bad.wr_bytes = (void *)8;
	ASSERT_STATUS(call0(a, 0, &bad), MX_ERR_INVALID_ARGS);
	bad = args;
	bad.wr_handles = (void *)8;
	bad.wr_num_handles = 1;
	ASSERT_STATUS(call0(a, 0, &bad), MX_ERR_INVALID_ARGS);
	/* Then each handle in turn; every handle stays where it was. */
	args.wr_num_handles = 2;
	hs[0] = ev;
	hs[1] = MX_HANDLE_INVALID;
	ASSERT_STATUS(call0(a, 0, &args), MX_ERR_BAD_HANDLE);
	hs[1] = a;
	ASSERT_STATUS(call0(a, 0, &args), MX_ERR_NOT_SUPPORTED);
	hs[1] = nt;
	ASSERT_STATUS(call0(a, 0, &args), MX_ERR_ACCESS_DENIED);
	hs[1] = ev;
	ASSERT_STATUS(call0(a, 0, &args), MX_ERR_INVALID_ARGS);
	/* A handle without TRANSFER is refused even before a bad one. */
	hs[0] = nt;
	hs[1] = MX_HANDLE_INVALID;
	ASSERT_STATUS(call0(a, 0, &args), MX_ERR_ACCESS_DENIED);
	mxt_basic(ev);
	mxt_basic(nt);
	assert_empty(b);

	/* WRITE is the only right the channel handle needs. */
	ASSERT_OK(mx_handle_replace(a, MX_RIGHT_WRITE, &a));
	args.wr_num_handles = 0;
	ASSERT_STATUS(call0(a, 0, &args), MX_ERR_TIMED_OUT);
	ASSERT_EQ(serve_read(b, NULL, NULL, NULL), 1);

	/* Peer closed: returned directly, the handles put back. */
	ASSERT_OK(mx_handle_close(b));
	hs[0] = ev;
	args.wr_num_handles = 1;
	ASSERT_STATUS(call0(a, 0, &args), MX_ERR_PEER_CLOSED);
	ASSERT_EQ(mxt_basic(ev).rights, MX_DEFAULT_EVENT_RIGHTS);
	ASSERT_OK(mx_handle_close(ev));
}

/* Fill the queue at @h's peer; return how many messages it took. */
static int fill_peer_queue(mx_handle_t h)
{
	int n = 0;

	while (mx_channel_write(h, 0, "q", 1, NULL, 0) == MX_OK)
		ASSERT_TRUE(++n < (1 << 20));
	ASSERT_STATUS(mx_channel_write(h, 0, "q", 1, NULL, 0),
		      MX_ERR_NO_RESOURCES);
	return n;
}

/*
 * A full queue at the peer refuses the request, its handles kept; a reply
 * to a waiting caller is not queued, so no bound applies to it.
 */
TEST(call_queue_bounds)
{
	mx_handle_t a, b, ev = mxt_event();
	struct msg m = { 0x55, 0 };
	mx_channel_call_args_t args = {
		.wr_bytes = &m, .wr_handles = &ev,
		.wr_num_bytes = sizeof(m), .wr_num_handles = 1,
	};
	struct caller c;

	mxt_channel(&a, &b);
	fill_peer_queue(a);
	ASSERT_STATUS(call0(a, 0, &args), MX_ERR_NO_RESOURCES);
	mxt_basic(ev);

	/* Room for one request at b; none for anything more at a. */
	ASSERT_STATUS(mx_channel_read(b, MX_CHANNEL_READ_MAY_DISCARD, NULL,
				      NULL, 0, 0, NULL, NULL),
		      MX_ERR_BUFFER_TOO_SMALL);
	fill_peer_queue(b);
	caller_init(&c, a, 0x56, 0);
	start_caller(&c);
	serve_reply(b, 0x56, 9, NULL, 0);
	join(&c);
	ASSERT_OK(c.status);
	ASSERT_EQ(c.rep.val, 9);
}

/* ---- after the request: what the reply's copy-out may fail on ---- */

/* Run @c against server end @b; the reply carries a handle. */
static void failed_copy_out(struct caller *c, mx_handle_t b,
			    mx_status_t want_status)
{
	mx_handle_t ev = mxt_event(), d = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);

	start_caller(c);
	ASSERT_EQ(serve_read(b, NULL, NULL, NULL), c->req.txid);
	serve_reply(b, c->req.txid, 1, &d, 1);
	join(c);
	ASSERT_STATUS(c->status, want_status);
	/* The reply is lost, its handle closed, never installed. */
	mxt_wait_signal(ev, MX_SIGNAL_LAST_HANDLE);
	assert_empty(c->h);
	ASSERT_OK(mx_handle_close(ev));
}

TEST(call_copy_out_failures)
{
	void *ro = mxt_read_only_page();
	struct caller c;
	mx_handle_t a, b;

	mxt_channel(&a, &b);

	/* As in Magenta, the actual counts are not optional. */
	caller_init(&c, a, 0x61, 0);
	c.pab = NULL;
	failed_copy_out(&c, b, MX_ERR_CALL_FAILED);
	ASSERT_STATUS(c.read_status, MX_ERR_INVALID_ARGS);

	caller_init(&c, a, 0x62, 0);
	c.pah = ro;
	failed_copy_out(&c, b, MX_ERR_CALL_FAILED);
	ASSERT_STATUS(c.read_status, MX_ERR_INVALID_ARGS);

	caller_init(&c, a, 0x63, 0);
	c.args.rd_bytes = ro;
	failed_copy_out(&c, b, MX_ERR_CALL_FAILED);
	ASSERT_STATUS(c.read_status, MX_ERR_INVALID_ARGS);

	caller_init(&c, a, 0x64, 0);
	c.args.rd_handles = ro;
	failed_copy_out(&c, b, MX_ERR_CALL_FAILED);
	ASSERT_STATUS(c.read_status, MX_ERR_INVALID_ARGS);

	/* No read_status: the call still fails. */
	caller_init(&c, a, 0x65, 0);
	c.args.rd_handles = ro;
	c.prs = NULL;
	failed_copy_out(&c, b, MX_ERR_CALL_FAILED);
	ASSERT_EQ(c.read_status, (mx_status_t)SENTINEL);

	/* A read_status that cannot be written changes nothing either. */
	caller_init(&c, a, 0x66, 0);
	c.args.rd_handles = ro;
	c.prs = ro;
	failed_copy_out(&c, b, MX_ERR_CALL_FAILED);
}

/* ---- routing of replies by txid ---- */

TEST(call_txid_routing)
{
	struct msg m = { 0, 0 };
	mx_handle_t a, b;
	struct caller c;
	uint32_t nb = 0;

	mxt_channel(&a, &b);
	caller_init(&c, a, 0x11111111, 1);
	start_caller(&c);
	ASSERT_EQ(serve_read(b, NULL, NULL, NULL), 0x11111111);
	/* Another txid is an ordinary message, and the call goes on. */
	serve_reply(b, 0x22222222, 2, NULL, 0);
	ASSERT_EQ(mxt_signals(a), MX_CHANNEL_READABLE | MX_CHANNEL_WRITABLE |
		  MX_SIGNAL_LAST_HANDLE);
	mxt_wait_blocked(c.tid, &c.done);
	ASSERT_EQ(__atomic_load_n(&c.done, __ATOMIC_ACQUIRE), 0);
	serve_reply(b, 0x11111111, 3, NULL, 0);
	join(&c);
	ASSERT_OK(c.status);
	ASSERT_EQ(c.rep.val, 3);
	/* Only the other message is queued. */
	ASSERT_OK(mx_channel_read(a, 0, &m, NULL, sizeof(m), 0, &nb, NULL));
	ASSERT_EQ(m.txid, 0x22222222);
	assert_empty(a);

	/* Under 4 bytes the txid is 0, for the request and for replies. */
	caller_init(&c, a, 0, 0);
	c.args.wr_num_bytes = 2;
	start_caller(&c);
	ASSERT_OK(mx_channel_read(b, 0, &m, NULL, sizeof(m), 0, &nb, NULL));
	ASSERT_EQ(nb, 2);
	ASSERT_OK(mx_channel_write(b, 0, "r", 1, NULL, 0));
	join(&c);
	ASSERT_OK(c.status);
	ASSERT_EQ(c.actual_bytes, 1);
	ASSERT_EQ(((char *)&c.rep)[0], 'r');
	assert_empty(a);
}

/* ---- POSIX signals during a call ---- */

TEST(posix_signal_request_sent_once_same_deadline)
{
	mx_handle_t a, b;
	struct caller c;

	mxt_counting_handler();
	mxt_channel(&a, &b);
	caller_init(&c, a, 0x71, 0);
	c.deadline = mxt_now() + MX_MSEC(300);
	start_caller(&c);
	mxt_interrupt_thrice(c.th, c.tid, &c.done);
	join(&c);
	ASSERT_STATUS(c.status, MX_ERR_TIMED_OUT);
	ASSERT_TRUE(c.returned_at >= c.deadline);
	ASSERT_EQ(serve_read(b, NULL, NULL, NULL), 0x71);
	assert_empty(b);
}

TEST(posix_signal_then_reply)
{
	mx_handle_t a, b, ev = mxt_event(), d;
	struct caller c;

	mxt_counting_handler();
	mxt_channel(&a, &b);
	caller_init(&c, a, 0x72, 0);
	start_caller(&c);
	mxt_interrupt_thrice(c.th, c.tid, &c.done);
	ASSERT_EQ(serve_read(b, NULL, NULL, NULL), 0x72);
	assert_empty(b);
	d = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	serve_reply(b, 0x72, 4, &d, 1);
	join(&c);
	ASSERT_OK(c.status);
	ASSERT_EQ(c.rep.val, 4);
	ASSERT_EQ(c.actual_handles, 1);
	ASSERT_EQ(koid_of(c.rd_handles[0]), koid_of(ev));
}

TEST(posix_signal_raw_ioctl_never_eintr)
{
	int fd = open("/dev/mx", O_RDWR | O_CLOEXEC);
	mx_handle_t a, b;
	struct caller c;

	ASSERT_TRUE(fd >= 0);
	mxt_counting_handler();
	mxt_channel(&a, &b);
	caller_init(&c, a, 0x73, 0);
	c.raw_fd = fd;
	start_caller(&c);
	mxt_interrupt_thrice(c.th, c.tid, &c.done);
	ASSERT_EQ(serve_read(b, NULL, NULL, NULL), 0x73);
	assert_empty(b);
	serve_reply(b, 0x73, 5, NULL, 0);
	join(&c);
	ASSERT_EQ(c.raw_ret, 0);
	ASSERT_EQ(c.raw_errno, 0);
	ASSERT_EQ(c.rep.val, 5);
	close(fd);
}

/*
 * While the calling thread runs a signal handler the call has not
 * returned: a reply that comes meanwhile is its reply, a close ends it. A
 * handler held until the main thread has acted makes this deterministic.
 */
TEST(posix_signal_reply_during_handler_is_delivered)
{
	mx_handle_t a, b, ev = mxt_event(), d;
	struct watcher w;
	struct caller c;

	mxt_holding_handler();
	mxt_channel(&a, &b);
	start_watcher(&w, a);
	caller_init(&c, a, 0x74, 0);
	start_caller(&c);
	mxt_hold_in_handler(c.th);
	ASSERT_EQ(serve_read(b, NULL, NULL, NULL), 0x74);
	d = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	serve_reply(b, 0x74, 6, &d, 1);
	/* Not queued: it waits for the call to come back. */
	assert_empty(a);
	mxt_release_handler();
	join(&c);
	ASSERT_OK(c.status);
	ASSERT_EQ(c.rep.val, 6);
	ASSERT_EQ(c.actual_handles, 1);
	ASSERT_EQ(koid_of(c.rd_handles[0]), koid_of(ev));
	assert_never_readable(&w);
	assert_empty(b);
}

/*
 * Every calling thread of the process in a handler at once (a signal sent
 * to each, as a runtime stopping its threads does): each call is kept,
 * none is sent twice, each gets its reply.
 */
TEST(posix_signal_every_caller_in_a_handler_at_once)
{
	enum { N = 80 };
	static struct caller c[N];
	uint32_t txid, val;
	mx_handle_t a, b;
	int i;

	mxt_holding_handler();
	mxt_channel(&a, &b);
	for (i = 0; i < N; i++) {
		caller_init(&c[i], a, 0x1000 + i, i);
		start_caller(&c[i]);
	}
	for (i = 0; i < N; i++)
		mxt_hold_in_handler(c[i].th);
	for (i = 0; i < N; i++) {
		txid = serve_read(b, &val, NULL, NULL);
		ASSERT_EQ(txid, 0x1000 + val);
		serve_reply(b, txid, val + 1, NULL, 0);
	}
	for (i = 0; i < N; i++)
		mxt_release_handler();
	for (i = 0; i < N; i++) {
		join(&c[i]);
		ASSERT_OK(c[i].status);
		ASSERT_EQ(c[i].rep.val, i + 1);
	}
	assert_empty(a);
	assert_empty(b);
}

TEST(posix_signal_peer_closed_during_handler)
{
	mx_handle_t a, b;
	struct caller c;

	mxt_holding_handler();
	mxt_channel(&a, &b);
	caller_init(&c, a, 0x75, 0);
	start_caller(&c);
	mxt_hold_in_handler(c.th);
	ASSERT_OK(mx_handle_close(b));
	mxt_release_handler();
	join(&c);
	ASSERT_STATUS(c.status, MX_ERR_CALL_FAILED);
	ASSERT_STATUS(c.read_status, MX_ERR_PEER_CLOSED);
}

TEST(posix_signal_deadline_passes_during_handler)
{
	mx_handle_t a, b;
	struct caller c;

	mxt_holding_handler();
	mxt_channel(&a, &b);
	caller_init(&c, a, 0x76, 0);
	/*
	 * Far enough that the call is surely still blocked when the signal
	 * comes, also on the PREEMPT_RT debug kernel under emulation, where
	 * starting the thread alone took longer than 50 ms.
	 */
	c.deadline = mxt_now() + MX_SEC(1);
	start_caller(&c);
	mxt_hold_in_handler(c.th);
	while (mxt_now() < c.deadline + MX_MSEC(20))
		usleep(10 * 1000);
	mxt_release_handler();
	join(&c);
	ASSERT_STATUS(c.status, MX_ERR_TIMED_OUT);
	/* Timed out: a reply now is an ordinary message. */
	serve_reply(b, 0x76, 7, NULL, 0);
	ASSERT_EQ(mxt_signals(a) & MX_CHANNEL_READABLE, MX_CHANNEL_READABLE);
	ASSERT_EQ(serve_read(b, NULL, NULL, NULL), 0x76);
	assert_empty(b);
}

/*
 * A handler that jumps away ends the call it interrupted, once the thread
 * makes a blocking call from an outer frame: the request is not sent
 * again and a reply that comes later is queued as any message.
 */
static sem_t escaped, go_on;

/* A frame of its own, below escaper_main's (no tail call). */
static __attribute__((noinline)) mx_status_t escape_call(struct caller *c)
{
	mx_status_t s = mx_channel_call(c->h, 0, MX_TIME_INFINITE, &c->args,
					c->pab, c->pah, c->prs);

	return s - 1000;
}

static void *escaper_main(void *arg)
{
	struct caller *c = arg;

	__atomic_store_n(&c->tid, gettid(), __ATOMIC_RELEASE);
	if (sigsetjmp(mxt_escape_jmp, 1)) {
		sem_post(&escaped);
		while (sem_wait(&go_on) != 0)
			;
		/* A blocking call from this outer frame. */
		c->status = mx_object_wait_one(c->h, MX_USER_SIGNAL_7, 0, NULL);
		return NULL;
	}
	c->status = escape_call(c);
	return NULL;
}

TEST(posix_signal_longjmp_out_of_a_call_ends_it)
{
	struct msg m = { 0, 0 };
	mx_handle_t a, b;
	struct caller c;

	ASSERT_EQ(sem_init(&escaped, 0, 0), 0);
	ASSERT_EQ(sem_init(&go_on, 0, 0), 0);
	mxt_on_signal(SIGUSR2, mxt_escape_handler);
	mxt_channel(&a, &b);
	caller_init(&c, a, 0x77, 0);
	ASSERT_EQ(pthread_create(&c.th, NULL, escaper_main, &c), 0);
	while (!__atomic_load_n(&c.tid, __ATOMIC_ACQUIRE))
		usleep(100);
	mxt_wait_blocked(c.tid, NULL);
	ASSERT_EQ(pthread_kill(c.th, SIGUSR2), 0);
	while (sem_wait(&escaped) != 0)
		;
	ASSERT_EQ(sem_post(&go_on), 0);
	join(&c);
	ASSERT_STATUS(c.status, MX_ERR_TIMED_OUT);
	ASSERT_EQ(serve_read(b, NULL, NULL, NULL), 0x77);
	assert_empty(b);
	serve_reply(b, 0x77, 8, NULL, 0);
	ASSERT_OK(mx_channel_read(a, 0, &m, NULL, sizeof(m), 0, NULL, NULL));
	ASSERT_EQ(m.val, 8);
}

/*
 * A thread that ends inside the handler never takes its call back: a
 * reply that reaches the call is dropped with it, its handles closed, when
 * another thread of the process parks a call (or the process ends).
 */
TEST(posix_signal_thread_ends_in_handler_reply_dropped)
{
	mx_handle_t a, b, x, y, ev = mxt_event(), d;
	struct caller c, w;

	mxt_on_signal(SIGUSR2, mxt_exit_handler);
	mxt_channel(&a, &b);
	caller_init(&c, a, 0x78, 0);
	start_caller(&c);
	ASSERT_EQ(pthread_kill(c.th, SIGUSR2), 0);
	join(&c);
	ASSERT_EQ(c.done, 0);
	ASSERT_EQ(serve_read(b, NULL, NULL, NULL), 0x78);
	d = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	serve_reply(b, 0x78, 9, &d, 1);
	assert_empty(a);

	/* Another call parks: the dead thread's call is dropped. */
	mxt_holding_handler();
	mxt_channel(&x, &y);
	caller_init(&w, x, 0x79, 0);
	start_caller(&w);
	mxt_hold_in_handler(w.th);
	mxt_wait_signal(ev, MX_SIGNAL_LAST_HANDLE);
	mxt_release_handler();
	ASSERT_EQ(serve_read(y, NULL, NULL, NULL), 0x79);
	serve_reply(y, 0x79, 0, NULL, 0);
	join(&w);
	ASSERT_OK(w.status);
	/* The endpoint itself is unharmed. */
	caller_init(&c, a, 0x7a, 0);
	start_caller(&c);
	ASSERT_EQ(serve_read(b, NULL, NULL, NULL), 0x7a);
	serve_reply(b, 0x7a, 10, NULL, 0);
	join(&c);
	ASSERT_OK(c.status);
	ASSERT_EQ(c.rep.val, 10);
}

/* ---- between processes ---- */

/* A fork child serving @fd's channel end: replies val + 1, handles back. */
static void serve_in_child(int fd)
{
	mx_handle_t b = 0, hs[4];
	uint32_t nb, nh;
	struct msg m;
	mx_status_t s;

	if (mx_handle_from_fd(fd, &b) != MX_OK)
		_exit(2);
	for (;;) {
		s = mx_channel_read(b, 0, &m, hs, sizeof(m), 4, &nb, &nh);
		if (s == MX_ERR_SHOULD_WAIT) {
			if (mx_object_wait_one(b, MX_CHANNEL_READABLE |
					       MX_CHANNEL_PEER_CLOSED,
					       MX_TIME_INFINITE, NULL) != MX_OK)
				_exit(3);
			continue;
		}
		if (s == MX_ERR_PEER_CLOSED)
			_exit(0);
		if (s != MX_OK || nb != sizeof(m))
			_exit(4);
		m.val++;
		if (mx_channel_write(b, 0, &m, sizeof(m), hs, nh) != MX_OK)
			_exit(5);
	}
}

static pid_t fork_with_fd(mx_handle_t h, void (*fn)(int fd))
{
	int fd;
	pid_t pid;

	ASSERT_OK(mx_handle_to_fd(h, 0, &fd));
	pid = mxt_fork();
	if (pid == 0) {
		fn(fd);
		_exit(0);
	}
	close(fd);
	return pid;
}

TEST(call_across_processes)
{
	mx_handle_t a, b, ev = mxt_event(), got = 0;
	mx_handle_t d = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	struct msg req, rep;
	uint32_t nb = 0, nh = 0, i;
	mx_channel_call_args_t args = {
		.wr_bytes = &req, .rd_bytes = &rep, .rd_handles = &got,
		.wr_num_bytes = sizeof(req), .rd_num_bytes = sizeof(rep),
		.rd_num_handles = 1,
	};
	int status;
	pid_t pid;

	mxt_channel(&a, &b);
	pid = fork_with_fd(b, serve_in_child);
	for (i = 0; i < 3; i++) {
		req = (struct msg){ 0xc0 + i, 10 * i };
		ASSERT_OK(mx_channel_call(a, 0, MX_TIME_INFINITE, &args, &nb,
					  &nh, NULL));
		ASSERT_EQ(rep.txid, 0xc0 + i);
		ASSERT_EQ(rep.val, 10 * i + 1);
		ASSERT_EQ(nh, 0);
	}
	/* A handle there and back. */
	args.wr_handles = &d;
	args.wr_num_handles = 1;
	ASSERT_OK(mx_channel_call(a, 0, MX_TIME_INFINITE, &args, &nb, &nh,
				  NULL));
	ASSERT_EQ(nh, 1);
	ASSERT_EQ(koid_of(got), koid_of(ev));
	ASSERT_OK(mx_handle_close(got));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 0);
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
}

/*
 * A caller in a fork child, killed by SIGKILL in the call: either with the
 * call sleeping, or parked in a signal handler with its reply delivered.
 * Everything it held is closed: the reply's handle, its endpoint.
 */
static int child_pipe = -1;

static void on_sigusr2_report_and_stay(int sig)
{
	char x = 'h';

	(void)sig;
	if (write(child_pipe, &x, 1) != 1)
		_exit(6);
	for (;;)
		pause();
}

static void call_in_child(int fd)
{
	mx_handle_t a = 0, ev = 0;
	struct msg req = { 0xd0, 0 }, rep;
	uint32_t nb, nh;
	mx_channel_call_args_t args = {
		.wr_bytes = &req, .rd_bytes = &rep, .rd_handles = &ev,
		.wr_num_bytes = sizeof(req), .rd_num_bytes = sizeof(rep),
		.rd_num_handles = 1,
	};

	mxt_on_signal(SIGUSR2, on_sigusr2_report_and_stay);
	if (mx_handle_from_fd(fd, &a))
		_exit(2);
	mx_channel_call(a, 0, MX_TIME_INFINITE, &args, &nb, &nh, NULL);
	_exit(3);
}

static void kill_caller_child(bool parked)
{
	mx_handle_t a, b, ev = mxt_event(), d;
	int p[2], status;
	mx_status_t s;
	pid_t pid;
	char x;

	ASSERT_EQ(pipe(p), 0);
	child_pipe = p[1];
	mxt_channel(&a, &b);
	pid = fork_with_fd(a, call_in_child);
	close(p[1]);
	ASSERT_EQ(serve_read(b, NULL, NULL, NULL), 0xd0);
	d = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	if (parked) {
		/* The call is parked once the handler has reported. */
		ASSERT_EQ(kill(pid, SIGUSR2), 0);
		ASSERT_EQ(read(p[0], &x, 1), 1);
		serve_reply(b, 0xd0, 1, &d, 1);
		ASSERT_EQ(kill(pid, SIGKILL), 0);
	} else {
		mxt_wait_blocked(pid, NULL);
		ASSERT_EQ(kill(pid, SIGKILL), 0);
		/* The reply races with the death: sent or refused. */
		s = mx_channel_write(b, 0, &(struct msg){ 0xd0, 1 },
				     sizeof(struct msg), &d, 1);
		if (s == MX_ERR_PEER_CLOSED)
			ASSERT_OK(mx_handle_close(d));
		else
			ASSERT_OK(s);
	}
	close(p[0]);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(WTERMSIG(status), SIGKILL);
	ASSERT_OK(mx_object_wait_one(b, MX_CHANNEL_PEER_CLOSED,
				     MX_TIME_INFINITE, NULL));
	mxt_wait_signal(ev, MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_close(b));
	ASSERT_OK(mx_handle_close(ev));
}

TEST(sigkill_child_in_call)
{
	int round;

	for (round = 0; round < 3; round++)
		kill_caller_child(false);
}

TEST(sigkill_child_with_parked_call_and_reply)
{
	int round;

	for (round = 0; round < 3; round++)
		kill_caller_child(true);
}
