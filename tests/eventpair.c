// SPDX-License-Identifier: MIT
/*
 * Eventpairs: mx_eventpair_create, signals on each side, signal_peer and
 * MX_EPAIR_PEER_CLOSED. Reference §3.9, §3.11 and Magenta's event-pair
 * suite (create_test, signal_test, signal_peer_test).
 */
#include "mxtest.h"

#include <pthread.h>

#define SENTINEL ((mx_handle_t)0x2b2b2b2b)

static void new_pair(mx_handle_t *a, mx_handle_t *b)
{
	*a = *b = MX_HANDLE_INVALID;
	ASSERT_OK(mx_eventpair_create(0, a, b));
	ASSERT_TRUE(*a > 0);
	ASSERT_TRUE(*b > 0);
	ASSERT_NE(*a, *b);
}

TEST(create_rights_type_and_related)
{
	mx_info_handle_basic_t ia, ib;
	mx_handle_t a, b;

	new_pair(&a, &b);
	ASSERT_EQ(a & 1, 1);
	ASSERT_EQ(b & 1, 1);
	ia = mxt_basic(a);
	ib = mxt_basic(b);
	ASSERT_EQ(ia.rights, MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER |
		  MX_RIGHT_READ | MX_RIGHT_WRITE);
	ASSERT_EQ(ib.rights, 0x0F);
	ASSERT_EQ(ia.type, MX_OBJ_TYPE_EVENT_PAIR);
	ASSERT_EQ(ib.type, MX_OBJ_TYPE_EVENT_PAIR);
	ASSERT_EQ(ia.props, MX_OBJ_PROP_WAITABLE);
	ASSERT_NE(ia.koid, ib.koid);
	ASSERT_EQ(ia.related_koid, ib.koid);
	ASSERT_EQ(ib.related_koid, ia.koid);
	ASSERT_EQ(mxt_signals(a), MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_signals(b), MX_SIGNAL_LAST_HANDLE);
}

TEST(create_options_not_supported_outs_untouched)
{
	mx_handle_t a = SENTINEL, b = SENTINEL;

	ASSERT_STATUS(mx_eventpair_create(1, &a, &b), MX_ERR_NOT_SUPPORTED);
	ASSERT_EQ(a, SENTINEL);
	ASSERT_EQ(b, SENTINEL);
	ASSERT_STATUS(mx_eventpair_create(0x80000000u, &a, &b),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_EQ(a, SENTINEL);
	ASSERT_EQ(b, SENTINEL);
	/* The Magenta test's form: outs start (and stay) invalid. */
	a = b = MX_HANDLE_INVALID;
	ASSERT_STATUS(mx_eventpair_create(1, &a, &b), MX_ERR_NOT_SUPPORTED);
	ASSERT_EQ(a, MX_HANDLE_INVALID);
	ASSERT_EQ(b, MX_HANDLE_INVALID);
	/* Options are checked before the out pointers. */
	ASSERT_STATUS(mx_eventpair_create(1, NULL, NULL), MX_ERR_NOT_SUPPORTED);
}

TEST(create_bad_out_pointers_make_nothing)
{
	mx_handle_t a = SENTINEL, b = SENTINEL;

	ASSERT_STATUS(mx_eventpair_create(0, NULL, &b), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_eventpair_create(0, (mx_handle_t *)1, &b),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_eventpair_create(0, &a, NULL), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_eventpair_create(0, &a, (mx_handle_t *)1),
		      MX_ERR_INVALID_ARGS);
	/* Whatever was written to a good out names no handle. */
	if (a != SENTINEL)
		ASSERT_STATUS(mx_object_get_info(a, MX_INFO_HANDLE_VALID, NULL,
						 0, NULL, NULL),
			      MX_ERR_BAD_HANDLE);
	if (b != SENTINEL)
		ASSERT_STATUS(mx_object_get_info(b, MX_INFO_HANDLE_VALID, NULL,
						 0, NULL, NULL),
			      MX_ERR_BAD_HANDLE);
}

/* event-pair: signal_test */
TEST(signal_affects_own_side_only)
{
	mx_handle_t a, b;

	new_pair(&a, &b);
	ASSERT_OK(mx_object_signal(a, 0, MX_USER_SIGNAL_0));
	ASSERT_EQ(mxt_signals(a), MX_USER_SIGNAL_0 | MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_signals(b), MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal(b, 0, MX_EPAIR_SIGNALED | MX_USER_SIGNAL_7));
	ASSERT_EQ(mxt_signals(b), MX_EPAIR_SIGNALED | MX_USER_SIGNAL_7 |
		  MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_signals(a), MX_USER_SIGNAL_0 | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal(a, MX_USER_SIGNAL_0, 0));
	ASSERT_EQ(mxt_signals(a), MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal(b, MX_EPAIR_SIGNALED | MX_USER_SIGNAL_7, 0));
	ASSERT_EQ(mxt_signals(b), MX_SIGNAL_LAST_HANDLE);
	/* Closing one side: the other reads exactly PEER_CLOSED|LAST_HANDLE. */
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(mxt_signals(b), MX_EPAIR_PEER_CLOSED | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_close(b));
}

TEST(signal_mask)
{
	mx_handle_t a, b;
	int bit;

	new_pair(&a, &b);
	ASSERT_OK(mx_object_signal(a, 0, MX_USER_SIGNAL_ALL | MX_EPAIR_SIGNALED));
	ASSERT_OK(mx_object_signal(a, MX_USER_SIGNAL_ALL | MX_EPAIR_SIGNALED, 0));
	for (bit = 0; bit < 24; bit++) {
		uint32_t m = 1u << bit;

		if (m == MX_EPAIR_SIGNALED)
			continue;
		ASSERT_STATUS(mx_object_signal(a, 0, m), MX_ERR_INVALID_ARGS);
		ASSERT_STATUS(mx_object_signal(a, m, 0), MX_ERR_INVALID_ARGS);
		ASSERT_STATUS(mx_object_signal_peer(a, 0, m),
			      MX_ERR_INVALID_ARGS);
		ASSERT_STATUS(mx_object_signal_peer(a, m, 0),
			      MX_ERR_INVALID_ARGS);
	}
	/* A bad bit fails the whole call: nothing is applied. */
	ASSERT_STATUS(mx_object_signal(a, 0, MX_USER_SIGNAL_0 |
				       MX_EPAIR_PEER_CLOSED),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_signal_peer(a, 0, MX_USER_SIGNAL_0 |
					    MX_SIGNAL_LAST_HANDLE),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(mxt_signals(a), MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_signals(b), MX_SIGNAL_LAST_HANDLE);
}

/* event-pair: signal_peer_test */
TEST(signal_peer_sets_and_clears_other_side)
{
	mx_handle_t a, b;

	new_pair(&a, &b);
	ASSERT_OK(mx_object_signal_peer(a, 0, MX_USER_SIGNAL_0));
	ASSERT_EQ(mxt_signals(a), MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_signals(b), MX_USER_SIGNAL_0 | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal_peer(b, 0, MX_USER_SIGNAL_1 |
					MX_EPAIR_SIGNALED));
	ASSERT_EQ(mxt_signals(a), MX_USER_SIGNAL_1 | MX_EPAIR_SIGNALED |
		  MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_signals(b), MX_USER_SIGNAL_0 | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal_peer(a, MX_USER_SIGNAL_0, MX_USER_SIGNAL_2));
	ASSERT_EQ(mxt_signals(b), MX_USER_SIGNAL_2 | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal_peer(b, MX_EPAIR_SIGNALED, 0));
	ASSERT_EQ(mxt_signals(a), MX_USER_SIGNAL_1 | MX_SIGNAL_LAST_HANDLE);

	/* The survivor keeps its user bits and gains PEER_CLOSED. */
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(mxt_signals(b), MX_EPAIR_PEER_CLOSED | MX_SIGNAL_LAST_HANDLE |
		  MX_USER_SIGNAL_2);
	ASSERT_STATUS(mx_object_signal_peer(b, 0, MX_USER_SIGNAL_0),
		      MX_ERR_PEER_CLOSED);
	ASSERT_STATUS(mx_object_signal_peer(b, MX_USER_SIGNAL_0, 0),
		      MX_ERR_PEER_CLOSED);
	/* Its own state stays its own to change, except PEER_CLOSED. */
	ASSERT_OK(mx_object_signal(b, MX_USER_SIGNAL_2, MX_EPAIR_SIGNALED));
	ASSERT_EQ(mxt_signals(b), MX_EPAIR_PEER_CLOSED | MX_SIGNAL_LAST_HANDLE |
		  MX_EPAIR_SIGNALED);
	ASSERT_STATUS(mx_object_signal(b, MX_EPAIR_PEER_CLOSED, 0),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(mxt_signals(b), MX_EPAIR_PEER_CLOSED | MX_SIGNAL_LAST_HANDLE |
		  MX_EPAIR_SIGNALED);
	/* The mask is checked before the peer. */
	ASSERT_STATUS(mx_object_signal_peer(b, 0, MX_EPAIR_PEER_CLOSED),
		      MX_ERR_INVALID_ARGS);
}

TEST(survivor_keeps_signaled_and_user_bits)
{
	mx_handle_t a, b;

	new_pair(&a, &b);
	ASSERT_OK(mx_object_signal(b, 0, MX_EPAIR_SIGNALED | MX_USER_SIGNAL_3));
	ASSERT_OK(mx_object_signal_peer(a, 0, MX_USER_SIGNAL_6));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(mxt_signals(b), MX_EPAIR_PEER_CLOSED | MX_SIGNAL_LAST_HANDLE |
		  MX_EPAIR_SIGNALED | MX_USER_SIGNAL_3 | MX_USER_SIGNAL_6);
}

TEST(signal_peer_needs_no_rights)
{
	mx_handle_t a, b, none = 0, ro = 0;

	new_pair(&a, &b);
	ASSERT_OK(mx_handle_duplicate(a, MX_RIGHT_NONE, &none));
	ASSERT_OK(mx_handle_duplicate(a, MX_RIGHT_READ, &ro));
	ASSERT_EQ(mxt_basic(none).rights, 0);
	ASSERT_OK(mx_object_signal_peer(none, 0, MX_USER_SIGNAL_4));
	ASSERT_EQ(mxt_signals(b), MX_USER_SIGNAL_4 | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal_peer(ro, MX_USER_SIGNAL_4, 0));
	ASSERT_EQ(mxt_signals(b), MX_SIGNAL_LAST_HANDLE);
	/* mx_object_signal on the same handles does need WRITE. */
	ASSERT_STATUS(mx_object_signal(none, 0, MX_USER_SIGNAL_4),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_signal(ro, 0, MX_USER_SIGNAL_4),
		      MX_ERR_ACCESS_DENIED);
	/* A peer-closed error is still reported to a handle without rights. */
	ASSERT_OK(mx_handle_close(b));
	ASSERT_STATUS(mx_object_signal_peer(none, 0, MX_USER_SIGNAL_4),
		      MX_ERR_PEER_CLOSED);
}

TEST(signal_peer_check_order)
{
	mx_handle_t ev = 0, a, b;

	new_pair(&a, &b);
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_STATUS(mx_object_signal_peer(MX_HANDLE_INVALID, 0,
					    MX_USER_SIGNAL_0),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_signal_peer(MX_HANDLE_INVALID, 0, 0xffffffffu),
		      MX_ERR_BAD_HANDLE);
	/* Events and processes have no peer: NOT_SUPPORTED, before the mask. */
	ASSERT_STATUS(mx_object_signal_peer(ev, 0, MX_USER_SIGNAL_0),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_STATUS(mx_object_signal_peer(ev, 0, 0xffffffffu),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_STATUS(mx_object_signal_peer(mx_process_self(), 0,
					    MX_USER_SIGNAL_0),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_STATUS(mx_object_signal_peer(mx_job_default(), 0,
					    MX_USER_SIGNAL_0),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_close(ev));
}

TEST(peer_closed_only_when_all_handles_of_a_side_close)
{
	mx_handle_t a, b, a2 = 0, b2 = 0;

	new_pair(&a, &b);
	ASSERT_OK(mx_handle_duplicate(a, MX_RIGHT_SAME_RIGHTS, &a2));
	ASSERT_OK(mx_handle_duplicate(b, MX_RIGHT_SAME_RIGHTS, &b2));
	ASSERT_EQ(mxt_signals(b), 0);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(mxt_signals(b), 0);
	ASSERT_EQ(mxt_signals(a2), MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal_peer(a2, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_EQ(mxt_signals(b2), MX_USER_SIGNAL_0 | MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_signals(a2), MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_close(a2));
	ASSERT_EQ(mxt_signals(b2), MX_USER_SIGNAL_0 | MX_EPAIR_PEER_CLOSED |
		  MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_close(b2));
}

TEST(replace_keeps_the_side_alive)
{
	mx_handle_t a, b, n = 0;

	new_pair(&a, &b);
	ASSERT_OK(mx_handle_replace(a, MX_RIGHT_SAME_RIGHTS, &n));
	ASSERT_EQ(mxt_signals(b), MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal_peer(b, 0, MX_USER_SIGNAL_5));
	ASSERT_EQ(mxt_signals(n), MX_USER_SIGNAL_5 | MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_basic(n).related_koid, mxt_basic(b).koid);
	ASSERT_OK(mx_handle_close(n));
	ASSERT_EQ(mxt_signals(b), MX_EPAIR_PEER_CLOSED | MX_SIGNAL_LAST_HANDLE);
}

struct waiter {
	mx_handle_t h;
	mx_signals_t signals;
	mx_status_t status;
	mx_signals_t observed;
	pid_t tid;
	int done;
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;

	__atomic_store_n(&w->tid, gettid(), __ATOMIC_RELEASE);
	w->status = mx_object_wait_one(w->h, w->signals, MX_TIME_INFINITE,
				       &w->observed);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void start(pthread_t *th, struct waiter *w)
{
	ASSERT_EQ(pthread_create(th, NULL, wait_thread, w), 0);
	while (!__atomic_load_n(&w->tid, __ATOMIC_ACQUIRE))
		usleep(100);
	mxt_wait_blocked(w->tid, &w->done);
}

TEST(peer_close_wakes_waiter)
{
	struct waiter w = { 0 };
	mx_handle_t a, b;
	pthread_t th;

	new_pair(&a, &b);
	w.h = b;
	w.signals = MX_EPAIR_PEER_CLOSED;
	start(&th, &w);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(pthread_join(th, NULL), 0);
	ASSERT_OK(w.status);
	ASSERT_EQ(w.observed, MX_EPAIR_PEER_CLOSED | MX_SIGNAL_LAST_HANDLE);
}

TEST(signal_peer_wakes_waiter)
{
	struct waiter w = { 0 };
	mx_handle_t a, b;
	pthread_t th;

	new_pair(&a, &b);
	w.h = b;
	w.signals = MX_USER_SIGNAL_1;
	start(&th, &w);
	ASSERT_OK(mx_object_signal_peer(a, 0, MX_USER_SIGNAL_1));
	ASSERT_EQ(pthread_join(th, NULL), 0);
	ASSERT_OK(w.status);
	ASSERT_EQ(w.observed, MX_USER_SIGNAL_1 | MX_SIGNAL_LAST_HANDLE);
}

/* Peers racing to close and to signal each other, many times over. */
struct racer {
	mx_handle_t h;
	int peer_closed, ok;
	mx_status_t bad;
};

static void *signal_peer_until_closed(void *arg)
{
	struct racer *r = arg;

	for (;;) {
		mx_status_t s = mx_object_signal_peer(r->h, MX_USER_SIGNAL_ALL,
						      MX_USER_SIGNAL_0);

		if (s == MX_ERR_PEER_CLOSED) {
			r->peer_closed = 1;
			return NULL;
		}
		if (s != MX_OK) {
			r->bad = s;
			return NULL;
		}
		r->ok++;
	}
}

TEST(close_races_signal_peer)
{
	int round;

	for (round = 0; round < 100; round++) {
		struct racer r = { 0 };
		mx_handle_t a, b;
		pthread_t th;

		new_pair(&a, &b);
		r.h = b;
		ASSERT_EQ(pthread_create(&th, NULL, signal_peer_until_closed,
					 &r), 0);
		if (round % 2)
			usleep(50);
		ASSERT_OK(mx_handle_close(a));
		ASSERT_EQ(pthread_join(th, NULL), 0);
		ASSERT_OK(r.bad);
		ASSERT_EQ(r.peer_closed, 1);
		ASSERT_TRUE(mxt_signals(b) & MX_EPAIR_PEER_CLOSED);
		ASSERT_OK(mx_handle_close(b));
	}
}
