// SPDX-License-Identifier: MIT
/*
 * Fifos: mx_fifo_create, mx_fifo_write, mx_fifo_read, their signals
 * (READABLE, WRITABLE, PEER_CLOSED), the per-user bound on ring memory,
 * waits, ports and waitfds on fifos, transfer through a channel, and user
 * access held open while another thread uses the fifo. Reference §5.2 and
 * Magenta's fifo suite (basic_test).
 */
#include "held.h"

#include <poll.h>

#define SENTINEL ((mx_handle_t)0x2b2b2b2b)
#define WR	MX_FIFO_WRITABLE
#define RD	MX_FIFO_READABLE
#define PC	MX_FIFO_PEER_CLOSED
#define LH	MX_SIGNAL_LAST_HANDLE

static void fifo(uint32_t count, uint32_t size, mx_handle_t *a,
		 mx_handle_t *b)
{
	*a = *b = MX_HANDLE_INVALID;
	ASSERT_OK(mx_fifo_create(count, size, 0, a, b));
	ASSERT_TRUE(*a > 0 && *b > 0);
	ASSERT_NE(*a, *b);
}

/* Write n uint64_t elements from v; the status, the count in *actual. */
static mx_status_t wr(mx_handle_t h, const uint64_t *v, uint32_t n,
		      uint32_t *actual)
{
	*actual = 0xdeadu;
	return mx_fifo_write(h, v, n * sizeof(*v), actual);
}

static mx_status_t rd(mx_handle_t h, uint64_t *v, uint32_t n,
		      uint32_t *actual)
{
	*actual = 0xdeadu;
	return mx_fifo_read(h, v, n * sizeof(*v), actual);
}

/* Reference basic_test, in full. */
TEST(basic)
{
	mx_handle_t a = SENTINEL, b = SENTINEL;
	uint64_t v[8], got[8];
	uint32_t n;
	int i;

	ASSERT_STATUS(mx_fifo_create(0, 0, 0, &a, &b), MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_fifo_create(35, 32, 0, &a, &b), MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_fifo_create(128, 33, 0, &a, &b), MX_ERR_OUT_OF_RANGE);
	ASSERT_EQ(a, SENTINEL);
	ASSERT_EQ(b, SENTINEL);
	fifo(8, 8, &a, &b);
	ASSERT_EQ(mxt_signals(a), WR | LH);
	ASSERT_EQ(mxt_signals(b), WR | LH);

	/* user signals on each side and on the peer */
	ASSERT_OK(mx_object_signal(a, 0, MX_USER_SIGNAL_0));
	ASSERT_EQ(mxt_signals(a), WR | LH | MX_USER_SIGNAL_0);
	ASSERT_EQ(mxt_signals(b), WR | LH);
	ASSERT_OK(mx_object_signal_peer(a, 0, MX_USER_SIGNAL_1));
	ASSERT_EQ(mxt_signals(b), WR | LH | MX_USER_SIGNAL_1);
	ASSERT_OK(mx_object_signal(a, MX_USER_SIGNAL_0, 0));
	ASSERT_OK(mx_object_signal_peer(a, MX_USER_SIGNAL_1, 0));
	ASSERT_EQ(mxt_signals(a), WR | LH);
	ASSERT_EQ(mxt_signals(b), WR | LH);
	/* fifo signals are not the user's */
	ASSERT_STATUS(mx_object_signal(a, 0, RD), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_signal_peer(a, 0, WR), MX_ERR_INVALID_ARGS);

	/* empty */
	ASSERT_STATUS(rd(b, got, 8, &n), MX_ERR_SHOULD_WAIT);
	ASSERT_EQ(n, 0xdeadu);

	/* fill it */
	for (i = 0; i < 8; i++)
		v[i] = 0x100 + i;
	ASSERT_OK(wr(a, v, 8, &n));
	ASSERT_EQ(n, 8);
	ASSERT_EQ(mxt_signals(a), LH);
	ASSERT_EQ(mxt_signals(b), WR | RD | LH);
	ASSERT_STATUS(wr(a, v, 1, &n), MX_ERR_SHOULD_WAIT);
	ASSERT_EQ(n, 0xdeadu);

	/* partial reads of 4 */
	ASSERT_OK(rd(b, got, 4, &n));
	ASSERT_EQ(n, 4);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(got[i], 0x100 + (uint64_t)i);
	ASSERT_EQ(mxt_signals(a), WR | LH);
	ASSERT_EQ(mxt_signals(b), WR | RD | LH);

	/* wraparound: 4 more land at the start of the ring */
	for (i = 0; i < 4; i++)
		v[i] = 0x200 + i;
	ASSERT_OK(wr(a, v, 4, &n));
	ASSERT_EQ(n, 4);
	ASSERT_EQ(mxt_signals(a), LH);
	ASSERT_OK(rd(b, got, 8, &n));
	ASSERT_EQ(n, 8);
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(got[i], 0x104 + (uint64_t)i);
		ASSERT_EQ(got[4 + i], 0x200 + (uint64_t)i);
	}
	ASSERT_EQ(mxt_signals(b), WR | LH);
	ASSERT_EQ(mxt_signals(a), WR | LH);

	/* 5 in, then 3 of 8 offered when only 3 are free */
	for (i = 0; i < 8; i++)
		v[i] = 0x300 + i;
	ASSERT_OK(wr(a, v, 5, &n));
	ASSERT_EQ(n, 5);
	ASSERT_EQ(mxt_signals(a), WR | LH);
	ASSERT_OK(wr(a, v + 5, 3, &n));
	ASSERT_EQ(n, 3);
	ASSERT_EQ(mxt_signals(a), LH);
	ASSERT_OK(rd(b, got, 8, &n));
	ASSERT_EQ(n, 8);
	for (i = 0; i < 8; i++)
		ASSERT_EQ(got[i], 0x300 + (uint64_t)i);
	ASSERT_OK(wr(a, v, 5, &n));
	ASSERT_OK(wr(a, v, 8, &n));
	ASSERT_EQ(n, 3);

	/* the other direction is separate */
	ASSERT_STATUS(rd(a, got, 8, &n), MX_ERR_SHOULD_WAIT);
	ASSERT_OK(wr(b, v, 2, &n));
	ASSERT_EQ(n, 2);
	ASSERT_EQ(mxt_signals(a), RD | LH);

	/* close: PEER_CLOSED, WRITABLE gone, what is queued stays */
	ASSERT_OK(mx_handle_close(b));
	ASSERT_EQ(mxt_signals(a), RD | PC | LH);
	ASSERT_STATUS(wr(a, v, 1, &n), MX_ERR_PEER_CLOSED);
	ASSERT_OK(rd(a, got, 8, &n));
	ASSERT_EQ(n, 2);
	ASSERT_EQ(got[0], 0x300);
	ASSERT_EQ(got[1], 0x301);
	ASSERT_EQ(mxt_signals(a), PC | LH);
	/* empty after the peer is gone: SHOULD_WAIT, never PEER_CLOSED */
	ASSERT_STATUS(rd(a, got, 8, &n), MX_ERR_SHOULD_WAIT);
	ASSERT_OK(mx_handle_close(a));
}

TEST(create_rights_type_related_koid)
{
	mx_info_handle_basic_t ia, ib;
	mx_handle_t a, b;

	fifo(4, 16, &a, &b);
	ia = mxt_basic(a);
	ib = mxt_basic(b);
	ASSERT_EQ(ia.rights, MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER |
		  MX_RIGHT_READ | MX_RIGHT_WRITE);
	ASSERT_EQ(ib.rights, 0x0F);
	ASSERT_EQ(ia.type, MX_OBJ_TYPE_FIFO);
	ASSERT_EQ(ib.type, MX_OBJ_TYPE_FIFO);
	ASSERT_EQ(ia.props, MX_OBJ_PROP_WAITABLE);
	ASSERT_NE(ia.koid, ib.koid);
	ASSERT_EQ(ia.related_koid, ib.koid);
	ASSERT_EQ(ib.related_koid, ia.koid);
	ASSERT_OK(mx_handle_close(a));
	/* the related koid outlives the peer */
	ASSERT_EQ(mxt_basic(b).related_koid, ia.koid);
	ASSERT_OK(mx_handle_close(b));
}

TEST(create_limits_and_options_ignored)
{
	mx_handle_t a = SENTINEL, b = SENTINEL;
	static const uint32_t bad[][2] = {
		{ 0, 8 }, { 8, 0 }, { 3, 8 }, { 6, 1 }, { 8192, 1 },
		{ 1, 4097 }, { 2, 4096 }, { 4096, 2 }, { 0x80000000u, 1 },
		{ 1, 0xffffffffu }, { 0x10000, 0x10000 },
	};
	static const uint32_t good[][2] = {
		{ 1, 1 }, { 1, 4096 }, { 4096, 1 }, { 2, 2048 }, { 64, 64 },
		{ 16, 3 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_STATUS(mx_fifo_create(bad[i][0], bad[i][1], 0, &a, &b),
			      MX_ERR_OUT_OF_RANGE);
		/* checked before the outs */
		ASSERT_STATUS(mx_fifo_create(bad[i][0], bad[i][1], 0, NULL,
					     NULL), MX_ERR_OUT_OF_RANGE);
	}
	ASSERT_EQ(a, SENTINEL);
	ASSERT_EQ(b, SENTINEL);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		fifo(good[i][0], good[i][1], &a, &b);
		ASSERT_OK(mx_handle_close(a));
		ASSERT_OK(mx_handle_close(b));
	}
	/* options are ignored, as Magenta's code */
	ASSERT_OK(mx_fifo_create(8, 8, 1, &a, &b));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_OK(mx_fifo_create(8, 8, 0xffffffffu, &a, &b));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

TEST(create_bad_outs_make_nothing)
{
	mx_handle_t a = SENTINEL, b = SENTINEL, e;
	void *ro = mxt_read_only_page();

	ASSERT_STATUS(mx_fifo_create(8, 8, 0, NULL, &b), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_fifo_create(8, 8, 0, &a, NULL), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_fifo_create(8, 8, 0, &a, ro), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_fifo_create(8, 8, 0, ro, &b), MX_ERR_INVALID_ARGS);
	ASSERT_EQ(b, SENTINEL);
	/* no handle was left behind: the next value is the first free one */
	e = mxt_event();
	fifo(8, 8, &a, &b);
	ASSERT_OK(mx_handle_close(e));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
	e = mxt_event();
	ASSERT_OK(mx_handle_close(e));
}

TEST(write_check_order)
{
	mx_handle_t a, b, ev = mxt_event(), ro;
	uint64_t v[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint32_t n = 0;

	fifo(4, 8, &a, &b);
	ro = mxt_dup(a, MX_RIGHT_READ | MX_RIGHT_DUPLICATE);
	ASSERT_STATUS(wr(MX_HANDLE_INVALID, v, 1, &n), MX_ERR_BAD_HANDLE);
	{
		mx_handle_t gone = mxt_event();

		ASSERT_OK(mx_handle_close(gone));
		ASSERT_STATUS(wr(gone, v, 1, &n), MX_ERR_BAD_HANDLE);
	}
	ASSERT_STATUS(wr(ev, v, 1, &n), MX_ERR_WRONG_TYPE);
	/* rights before type: an event without WRITE */
	ASSERT_STATUS(wr(mxt_dup(ev, MX_RIGHT_READ), v, 1, &n),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(wr(ro, v, 1, &n), MX_ERR_ACCESS_DENIED);
	/* less than one element */
	ASSERT_STATUS(mx_fifo_write(a, v, 7, &n), MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_fifo_write(a, v, 0, &n), MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_fifo_write(a, NULL, 0, NULL), MX_ERR_OUT_OF_RANGE);
	/* the remainder of len is ignored */
	ASSERT_OK(mx_fifo_write(a, v, 2 * 8 + 7, &n));
	ASSERT_EQ(n, 2);
	/* more than fits: the room, as a partial write */
	ASSERT_OK(wr(a, v + 2, 6, &n));
	ASSERT_EQ(n, 2);
	/* full: OUT_OF_RANGE comes before SHOULD_WAIT, and bad data is
	 * not read when nothing fits */
	ASSERT_STATUS(mx_fifo_write(a, v, 3, &n), MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(wr(a, v, 1, &n), MX_ERR_SHOULD_WAIT);
	ASSERT_STATUS(mx_fifo_write(a, NULL, 8, &n), MX_ERR_SHOULD_WAIT);
	ASSERT_STATUS(mx_fifo_write(a, (void *)8, 8, NULL),
		      MX_ERR_SHOULD_WAIT);
	/* peer closed comes before OUT_OF_RANGE */
	ASSERT_OK(mx_handle_close(b));
	ASSERT_STATUS(mx_fifo_write(a, v, 0, &n), MX_ERR_PEER_CLOSED);
	ASSERT_STATUS(mx_fifo_write(a, NULL, 8, NULL), MX_ERR_PEER_CLOSED);
	ASSERT_STATUS(wr(a, v, 1, &n), MX_ERR_PEER_CLOSED);
	/* but after the rights */
	ASSERT_STATUS(wr(ro, v, 1, &n), MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(ro));
	ASSERT_OK(mx_handle_close(ev));
}

TEST(write_bad_pointers)
{
	mx_handle_t a, b;
	uint64_t v[4] = { 10, 11, 12, 13 }, got[4];
	uint32_t n = 0;
	char *two;

	fifo(4, 8, &a, &b);
	/* unreadable data: nothing queued */
	ASSERT_STATUS(mx_fifo_write(a, NULL, 8, &n), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_fifo_write(a, (void *)8, 16, &n),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(mxt_signals(b), WR | LH);
	ASSERT_STATUS(rd(b, got, 4, &n), MX_ERR_SHOULD_WAIT);
	/* actual is mandatory, but the elements were queued */
	ASSERT_STATUS(mx_fifo_write(a, v, 8, NULL), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_fifo_write(a, v + 1, 8, mxt_read_only_page()),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(mxt_signals(b), WR | RD | LH);
	ASSERT_OK(rd(b, got, 4, &n));
	ASSERT_EQ(n, 2);
	ASSERT_EQ(got[0], 10);
	ASSERT_EQ(got[1], 11);

	/*
	 * Data readable for exactly the elements that fit: 3 free slots,
	 * 4 offered, the 4th on an unmapped page: 3 written, as Magenta
	 * copies only what it writes.
	 */
	two = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(two != MAP_FAILED);
	ASSERT_EQ(munmap(two + 4096, 4096), 0);
	memcpy(two + 4096 - 24, v, 24);
	ASSERT_OK(wr(a, v, 1, &n));
	ASSERT_OK(mx_fifo_write(a, two + 4096 - 24, 32, &n));
	ASSERT_EQ(n, 3);
	ASSERT_OK(rd(b, got, 4, &n));
	ASSERT_EQ(n, 4);
	ASSERT_EQ(got[0], 10);
	ASSERT_EQ(got[1], 10);
	ASSERT_EQ(got[2], 11);
	ASSERT_EQ(got[3], 12);
	/* 4 free, the 4th unreadable: nothing written */
	ASSERT_STATUS(mx_fifo_write(a, two + 4096 - 24, 32, &n),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(rd(b, got, 4, &n), MX_ERR_SHOULD_WAIT);
	ASSERT_EQ(mxt_signals(a), WR | LH);
	munmap(two, 4096);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

TEST(read_check_order_and_bad_pointers)
{
	mx_handle_t a, b, ev = mxt_event(), wo;
	uint64_t v[4] = { 20, 21, 22, 23 }, got[4];
	uint32_t n = 0;

	fifo(4, 8, &a, &b);
	wo = mxt_dup(b, MX_RIGHT_WRITE);
	ASSERT_STATUS(rd(MX_HANDLE_INVALID, got, 1, &n), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(rd(ev, got, 1, &n), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(rd(wo, got, 1, &n), MX_ERR_ACCESS_DENIED);
	/* OUT_OF_RANGE before SHOULD_WAIT */
	ASSERT_STATUS(mx_fifo_read(b, got, 7, &n), MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_fifo_read(b, NULL, 0, NULL), MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_fifo_read(b, NULL, 8, NULL), MX_ERR_SHOULD_WAIT);
	ASSERT_OK(wr(a, v, 4, &n));
	/* unwritable data: nothing consumed, the ring stays full */
	ASSERT_STATUS(mx_fifo_read(b, NULL, 8, &n), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_fifo_read(b, mxt_read_only_page(), 32, &n),
		      MX_ERR_INVALID_ARGS);
	/* b has a duplicate (wo): no LAST_HANDLE */
	ASSERT_EQ(mxt_signals(b), WR | RD);
	ASSERT_EQ(mxt_signals(a), LH);
	/* actual mandatory: the elements are consumed all the same */
	ASSERT_STATUS(mx_fifo_read(b, got, 8, NULL), MX_ERR_INVALID_ARGS);
	ASSERT_EQ(got[0], 20);
	ASSERT_EQ(mxt_signals(a), WR | LH);
	/* the remainder of len is ignored */
	ASSERT_OK(mx_fifo_read(b, got, 2 * 8 + 5, &n));
	ASSERT_EQ(n, 2);
	ASSERT_EQ(got[0], 21);
	ASSERT_EQ(got[1], 22);
	ASSERT_OK(rd(b, got, 4, &n));
	ASSERT_EQ(n, 1);
	ASSERT_EQ(got[0], 23);
	ASSERT_EQ(mxt_signals(b), WR);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_OK(mx_handle_close(wo));
	ASSERT_OK(mx_handle_close(ev));
}

TEST(odd_sizes_wrap_many_times)
{
	mx_handle_t a, b;
	unsigned char out[5 * 13], in[8 * 13];
	uint32_t n, total_in = 0, total_out = 0, i;
	unsigned char seq_w = 0, seq_r = 0;
	uint64_t seed = 7;

	/* 13-byte elements, 8 slots: whole runs straddle the ring's end */
	fifo(8, 13, &a, &b);
	while (total_out < 5000) {
		uint32_t k = 1 + mxt_rnd(&seed) % 5;
		mx_status_t s;

		for (i = 0; i < k * 13; i++)
			out[i] = (unsigned char)(seq_w + i);
		s = mx_fifo_write(a, out, k * 13, &n);
		if (s == MX_OK) {
			ASSERT_TRUE(n >= 1 && n <= k);
			seq_w = (unsigned char)(seq_w + n * 13);
			total_out += n;
		} else {
			ASSERT_STATUS(s, MX_ERR_SHOULD_WAIT);
		}
		k = 1 + mxt_rnd(&seed) % 8;
		s = mx_fifo_read(b, in, k * 13, &n);
		if (s == MX_OK) {
			ASSERT_TRUE(n >= 1 && n <= k);
			for (i = 0; i < n * 13; i++)
				ASSERT_EQ(in[i], (unsigned char)(seq_r + i));
			seq_r = (unsigned char)(seq_r + n * 13);
			total_in += n;
		} else {
			ASSERT_STATUS(s, MX_ERR_SHOULD_WAIT);
		}
	}
	ASSERT_TRUE(total_in <= total_out && total_out - total_in <= 8);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

TEST(largest_ring_in_one_call)
{
	mx_handle_t a, b;
	static unsigned char out[4096], in[8192];
	uint32_t n;
	int i;

	for (i = 0; i < 4096; i++)
		out[i] = (unsigned char)(i * 7);
	fifo(4096, 1, &a, &b);
	ASSERT_OK(mx_fifo_write(a, out, sizeof(out), &n));
	ASSERT_EQ(n, 4096);
	ASSERT_EQ(mxt_signals(a), LH);
	ASSERT_OK(mx_fifo_read(b, in, sizeof(in), &n));
	ASSERT_EQ(n, 4096);
	ASSERT_EQ(memcmp(in, out, 4096), 0);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
	fifo(1, 4096, &a, &b);
	ASSERT_OK(mx_fifo_write(a, out, sizeof(out), &n));
	ASSERT_EQ(n, 1);
	ASSERT_OK(mx_fifo_read(b, in, sizeof(in), &n));
	ASSERT_EQ(n, 1);
	ASSERT_EQ(memcmp(in, out, 4096), 0);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

TEST(close_with_duplicates_and_peer_signals)
{
	mx_handle_t a, b, b2;
	uint64_t v = 5;
	uint32_t n;

	fifo(2, 8, &a, &b);
	b2 = mxt_dup(b, MX_RIGHT_SAME_RIGHTS);
	ASSERT_EQ(mxt_signals(b), WR);
	ASSERT_OK(mx_handle_close(b));
	ASSERT_EQ(mxt_signals(a), WR | LH);
	ASSERT_OK(wr(a, &v, 1, &n));
	ASSERT_OK(mx_handle_close(b2));
	ASSERT_EQ(mxt_signals(a), PC | LH);
	ASSERT_STATUS(mx_object_signal_peer(a, 0, MX_USER_SIGNAL_0),
		      MX_ERR_PEER_CLOSED);
	ASSERT_OK(mx_object_signal(a, 0, MX_USER_SIGNAL_0));
	ASSERT_EQ(mxt_signals(a), PC | LH | MX_USER_SIGNAL_0);
	ASSERT_OK(mx_handle_close(a));
}

struct blocked {
	mx_handle_t h;
	mx_signals_t want, obs;
	mx_status_t s;
	pid_t tid;
	int done;
};

static void *wait_thread(void *arg)
{
	struct blocked *w = arg;

	__atomic_store_n(&w->tid, (pid_t)syscall(SYS_gettid),
			 __ATOMIC_RELEASE);
	w->s = mx_object_wait_one(w->h, w->want, MX_TIME_INFINITE, &w->obs);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

TEST(waits_port_and_waitfd_see_the_signals)
{
	struct blocked w = { 0 };
	mx_port_packet_t pkt;
	mx_handle_t a, b, port;
	uint64_t v[2] = { 1, 2 }, got[2];
	struct pollfd pfd;
	pthread_t th;
	uint32_t n, st;
	int fd = -1;

	fifo(2, 8, &a, &b);
	/* a blocked wait_one wakes on READABLE */
	w.h = b;
	w.want = RD;
	mxt_start_blocked(&th, wait_thread, &w, &w.tid, &w.done);
	ASSERT_OK(wr(a, v, 1, &n));
	pthread_join(th, NULL);
	ASSERT_OK(w.s);
	ASSERT_EQ(w.obs, RD | WR | LH);
	ASSERT_OK(rd(b, got, 2, &n));

	/* wait_many on both ends */
	{
		mx_wait_item_t items[2] = {
			{ .handle = a, .waitfor = RD },
			{ .handle = b, .waitfor = RD },
		};

		ASSERT_STATUS(mx_object_wait_many(items, 2, 0),
			      MX_ERR_TIMED_OUT);
		ASSERT_OK(wr(b, v, 1, &n));
		ASSERT_OK(mx_object_wait_many(items, 2, MX_TIME_INFINITE));
		ASSERT_EQ(items[0].pending, RD | WR | LH);
		ASSERT_EQ(items[1].pending, WR | LH);
		ASSERT_OK(rd(a, got, 2, &n));
	}

	/* a port gets a packet when the writer's ring fills */
	ASSERT_OK(mx_port_create(MX_PORT_OPT_V2, &port));
	ASSERT_OK(mx_object_wait_async(b, port, 77, RD, MX_WAIT_ASYNC_ONCE));
	ASSERT_STATUS(mx_port_wait(port, 0, &pkt, 0), MX_ERR_TIMED_OUT);
	ASSERT_OK(wr(a, v, 2, &n));
	ASSERT_OK(mx_port_wait(port, 0, &pkt, 0));
	ASSERT_EQ(pkt.key, 77);
	ASSERT_EQ(pkt.type, MX_PKT_TYPE_SIGNAL_ONE);
	ASSERT_EQ(pkt.signal.trigger, RD);
	ASSERT_EQ(pkt.signal.observed, RD | WR | LH);
	/* ... and when it has room again (a's WRITABLE) */
	ASSERT_OK(mx_object_wait_async(a, port, 78, WR, MX_WAIT_ASYNC_ONCE));
	ASSERT_STATUS(mx_port_wait(port, 0, &pkt, 0), MX_ERR_TIMED_OUT);
	ASSERT_OK(rd(b, got, 1, &n));
	ASSERT_OK(mx_port_wait(port, 0, &pkt, 0));
	ASSERT_EQ(pkt.key, 78);
	ASSERT_EQ(pkt.signal.observed, WR | LH);

	/* a waitfd follows READABLE */
	ASSERT_OK(mx_waitfd_create(b, RD | PC, O_CLOEXEC, &fd));
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	ASSERT_EQ(poll(&pfd, 1, 0), 1);
	ASSERT_OK(rd(b, got, 2, &n));
	ASSERT_EQ(poll(&pfd, 1, 0), 0);
	ASSERT_EQ(read(fd, &st, sizeof(st)), (ssize_t)sizeof(st));
	ASSERT_EQ(st, WR | LH);
	ASSERT_OK(wr(a, v, 1, &n));
	ASSERT_EQ(poll(&pfd, 1, 1000), 1);
	ASSERT_OK(rd(b, got, 2, &n));
	ASSERT_EQ(poll(&pfd, 1, 0), 0);
	/* and PEER_CLOSED */
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(poll(&pfd, 1, 1000), 1);
	ASSERT_EQ(read(fd, &st, sizeof(st)), (ssize_t)sizeof(st));
	ASSERT_EQ(st, PC | LH);
	close(fd);
	ASSERT_OK(mx_handle_close(b));
	ASSERT_OK(mx_handle_close(port));
}

TEST(endpoint_through_a_channel)
{
	mx_handle_t a, b, c0, c1, got = MX_HANDLE_INVALID;
	mx_info_handle_basic_t ia, ig;
	uint64_t v[3] = { 7, 8, 9 }, r[3];
	uint32_t nb = 0, nh = 0, n;

	fifo(4, 8, &a, &b);
	mxt_channel(&c0, &c1);
	ia = mxt_basic(a);
	ASSERT_OK(wr(a, v, 3, &n));
	ASSERT_OK(mx_channel_write(c0, 0, NULL, 0, &b, 1));
	ASSERT_OK(mx_channel_read(c1, 0, NULL, &got, 0, 1, &nb, &nh));
	ASSERT_EQ(nh, 1);
	ig = mxt_basic(got);
	ASSERT_EQ(ig.type, MX_OBJ_TYPE_FIFO);
	ASSERT_EQ(ig.rights, 0x0F);
	ASSERT_EQ(ig.related_koid, ia.koid);
	ASSERT_EQ(mxt_signals(got), RD | WR | LH);
	ASSERT_OK(rd(got, r, 3, &n));
	ASSERT_EQ(n, 3);
	ASSERT_EQ(r[2], 9);
	ASSERT_OK(mx_handle_close(got));
	ASSERT_EQ(mxt_signals(a), PC | LH);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(c0));
	ASSERT_OK(mx_handle_close(c1));
}

/* Every error path again, as another uid. */
static void errors_as_other_user(void *arg)
{
	mx_handle_t a = SENTINEL, b = SENTINEL, gone = mxt_event();
	uint64_t v = 1;
	uint32_t n;

	(void)arg;
	ASSERT_OK(mx_handle_close(gone));
	ASSERT_STATUS(mx_fifo_create(3, 8, 0, &a, &b), MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_fifo_create(8, 8, 0, NULL, &b), MX_ERR_INVALID_ARGS);
	fifo(2, 8, &a, &b);
	ASSERT_STATUS(mx_fifo_write(a, (void *)16, 8, &n),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_fifo_write(a, &v, 4, &n), MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_fifo_read(b, &v, 8, &n), MX_ERR_SHOULD_WAIT);
	ASSERT_OK(mx_fifo_write(a, &v, 8, &n));
	ASSERT_STATUS(mx_fifo_read(b, (void *)16, 8, &n), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_fifo_read(b, &v, 8, (void *)16),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_fifo_read(gone, &v, 8, &n), MX_ERR_BAD_HANDLE);
	ASSERT_OK(mx_handle_close(b));
	ASSERT_STATUS(mx_fifo_write(a, &v, 8, &n), MX_ERR_PEER_CLOSED);
	ASSERT_OK(mx_handle_close(a));
}

TEST(errors_as_a_second_uid)
{
	mxt_as_user(4411, errors_as_other_user, NULL);
}

/* Rings are charged to their creator: 16 KiB of them, then no more. */
static void other_user_creates(void *arg)
{
	mx_handle_t a, b;

	(void)arg;
	fifo(4096, 1, &a, &b);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

static void bound_body(void)
{
	mx_handle_t a[3], b[3], x = SENTINEL, y = SENTINEL;
	uint64_t v = 3;
	uint32_t n;
	int i;

	mxt_become_keeping_root(4412);
	/* two pairs of two 4 KiB rings fill 16 KiB */
	for (i = 0; i < 2; i++)
		fifo(512, 8, &a[i], &b[i]);
	ASSERT_STATUS(mx_fifo_create(512, 8, 0, &x, &y), MX_ERR_NO_RESOURCES);
	ASSERT_EQ(x, SENTINEL);
	ASSERT_EQ(y, SENTINEL);
	/* but smaller ones still fit nowhere either: it is bytes */
	ASSERT_STATUS(mx_fifo_create(1, 1, 0, &x, &y), MX_ERR_NO_RESOURCES);
	/* another user is not affected */
	mxt_as_user(4413, other_user_creates, NULL);
	/* the existing fifos work */
	ASSERT_OK(mx_fifo_write(a[0], &v, 8, &n));
	/* closing one endpoint keeps the charge (its ring is still there) */
	ASSERT_OK(mx_handle_close(a[1]));
	ASSERT_STATUS(mx_fifo_create(1, 1, 0, &x, &y), MX_ERR_NO_RESOURCES);
	/* closing both frees it */
	ASSERT_OK(mx_handle_close(b[1]));
	fifo(512, 8, &a[2], &b[2]);
	ASSERT_STATUS(mx_fifo_create(1, 1, 0, &x, &y), MX_ERR_NO_RESOURCES);
}

TEST(ring_memory_is_bounded_per_user)
{
	mxt_with_param("max_user_message_bytes", "16384", bound_body);
}

/* ---- user access held open by a racing thread ---- */

struct held_ctx {
	mx_handle_t h, other;
	mx_status_t s;
	uint32_t n;
	uint64_t v[4];
};

static void during_close(void *arg)
{
	struct held_ctx *c = arg;

	c->s = mx_handle_close(c->other);
}

static void during_fill(void *arg)
{
	struct held_ctx *c = arg;

	c->s = mx_fifo_write(c->h, c->v, 4 * 8, &c->n);
}

static void during_read(void *arg)
{
	struct held_ctx *c = arg;

	c->s = mx_fifo_read(c->h, c->v, 8, &c->n);
}

TEST(held_write_while_the_peer_closes)
{
	struct mxt_held held;
	struct held_ctx c = { .s = 99 };
	mx_handle_t a;
	uint32_t n = 0xdead;
	void *page;

	fifo(4, 8, &a, &c.other);
	page = mxt_held_page(&held, during_close, &c, false);
	ASSERT_STATUS(mx_fifo_write(a, page, 8, &n), MX_ERR_PEER_CLOSED);
	mxt_held_done(&held);
	ASSERT_OK(c.s);
	ASSERT_EQ(n, 0xdead);
	ASSERT_EQ(mxt_signals(a), PC | LH);
	ASSERT_OK(mx_handle_close(a));
}

TEST(held_write_while_another_fills_the_ring)
{
	struct mxt_held held;
	struct held_ctx c = { .s = 99, .v = { 1, 2, 3, 4 } };
	mx_handle_t b;
	uint64_t got[4];
	uint32_t n = 0xdead;
	void *page;

	fifo(4, 8, &c.h, &b);
	page = mxt_held_page(&held, during_fill, &c, false);
	/* the other write did not wait for the held one */
	ASSERT_STATUS(mx_fifo_write(c.h, page, 8, &n), MX_ERR_SHOULD_WAIT);
	mxt_held_done(&held);
	ASSERT_OK(c.s);
	ASSERT_EQ(c.n, 4);
	ASSERT_OK(mx_fifo_read(b, got, sizeof(got), &n));
	ASSERT_EQ(n, 4);
	ASSERT_EQ(got[3], 4);
	ASSERT_OK(mx_handle_close(c.h));
	ASSERT_OK(mx_handle_close(b));
}

TEST(held_read_while_another_reads)
{
	struct mxt_held held;
	struct held_ctx c = { .s = 99 };
	uint64_t v[2] = { 31, 32 };
	mx_handle_t a;
	uint32_t n = 0xdead;
	uint64_t *page;

	fifo(4, 8, &a, &c.h);
	ASSERT_OK(mx_fifo_write(a, v, sizeof(v), &n));
	page = mxt_held_page(&held, during_read, &c, false);
	/* the held read copied 31; the other took it meanwhile: it gets 32 */
	ASSERT_OK(mx_fifo_read(c.h, page, 8, &n));
	mxt_held_done(&held);
	ASSERT_OK(c.s);
	ASSERT_EQ(c.n, 1);
	ASSERT_EQ(c.v[0], 31);
	ASSERT_EQ(n, 1);
	ASSERT_EQ(page[0], 32);
	ASSERT_STATUS(mx_fifo_read(c.h, v, 8, &n), MX_ERR_SHOULD_WAIT);
	ASSERT_EQ(mxt_signals(c.h), WR | LH);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(c.h));
}

TEST(held_read_that_faults_consumes_nothing)
{
	struct mxt_held held;
	struct held_ctx c = { .s = 99 };
	uint64_t v[2] = { 41, 42 }, got[2];
	mx_handle_t a;
	uint32_t n = 0xdead;
	void *page;

	fifo(4, 8, &a, &c.h);
	c.other = a;
	ASSERT_OK(mx_fifo_write(a, v, sizeof(v), &n));
	/* the writer closes meanwhile; the read then faults */
	page = mxt_held_page(&held, during_close, &c, true);
	ASSERT_STATUS(mx_fifo_read(c.h, page, 16, &n), MX_ERR_INVALID_ARGS);
	mxt_held_done(&held);
	ASSERT_OK(c.s);
	ASSERT_EQ(mxt_signals(c.h), RD | PC | LH);
	ASSERT_OK(mx_fifo_read(c.h, got, sizeof(got), &n));
	ASSERT_EQ(n, 2);
	ASSERT_EQ(got[0], 41);
	ASSERT_EQ(got[1], 42);
	ASSERT_OK(mx_handle_close(c.h));
}
