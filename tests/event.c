// SPDX-License-Identifier: MIT
/*
 * Events: mx_event_create and the life of an event's signal state.
 * Reference §3.8 and Magenta's events suite (basic_test, user_signals_test,
 * wait_signals_test, reset_test, wait_many_failures_test).
 */
#include "mxtest.h"

#include <pthread.h>

TEST(create_rights_type_and_state)
{
	mx_handle_t ev = mxt_event();
	mx_info_handle_basic_t info = mxt_basic(ev);

	ASSERT_EQ(ev & 1, 1);
	ASSERT_TRUE(info.koid >= 1024);
	ASSERT_EQ(info.rights, MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER |
		  MX_RIGHT_READ | MX_RIGHT_WRITE);
	ASSERT_EQ(info.rights, 0x0F);
	ASSERT_EQ(info.type, MX_OBJ_TYPE_EVENT);
	ASSERT_EQ(info.related_koid, 0);
	ASSERT_EQ(info.props, MX_OBJ_PROP_WAITABLE);
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_close(ev));
}

TEST(create_koids_unique_and_increasing)
{
	mx_handle_t a = mxt_event(), b = mxt_event();
	mx_koid_t ka = mxt_basic(a).koid, kb = mxt_basic(b).koid, kc;

	ASSERT_TRUE(kb > ka);
	/* Never reused, even once the first is gone. */
	ASSERT_OK(mx_handle_close(a));
	a = mxt_event();
	kc = mxt_basic(a).koid;
	ASSERT_TRUE(kc > kb);
}

TEST(create_options_invalid_args)
{
	mx_handle_t h = MX_HANDLE_INVALID;

	ASSERT_STATUS(mx_event_create(1, &h), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_event_create(0x80000000u, &h), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_event_create(0xffffffffu, &h), MX_ERR_INVALID_ARGS);
	ASSERT_EQ(h, MX_HANDLE_INVALID);
	/* Options are checked before the out pointer. */
	ASSERT_STATUS(mx_event_create(1, NULL), MX_ERR_INVALID_ARGS);
}

TEST(create_bad_out_pointer)
{
	ASSERT_STATUS(mx_event_create(0, NULL), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_event_create(0, (mx_handle_t *)1),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_event_create(0, (mx_handle_t *)-8L),
		      MX_ERR_INVALID_ARGS);
}

TEST(signal_set_and_clear)
{
	mx_handle_t ev = mxt_event();

	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_EQ(mxt_signals(ev), MX_EVENT_SIGNALED | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_EQ(mxt_signals(ev), MX_EVENT_SIGNALED | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal(ev, MX_EVENT_SIGNALED, 0));
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNAL_MASK));
	ASSERT_EQ(mxt_signals(ev), MX_EVENT_SIGNAL_MASK | MX_SIGNAL_LAST_HANDLE);
	/* Clear applies first, then set. */
	ASSERT_OK(mx_object_signal(ev, MX_EVENT_SIGNAL_MASK, MX_USER_SIGNAL_4));
	ASSERT_EQ(mxt_signals(ev), MX_USER_SIGNAL_4 | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_4, MX_USER_SIGNAL_4));
	ASSERT_EQ(mxt_signals(ev), MX_USER_SIGNAL_4 | MX_SIGNAL_LAST_HANDLE);
	/* Clearing bits that are not set is fine. */
	ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_ALL, 0));
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal(ev, 0, 0));
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
}

/* events: reset_test */
TEST(reset_then_wait_times_out)
{
	mx_handle_t ev = mxt_event();
	mx_signals_t obs = 0;

	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_object_signal(ev, MX_EVENT_SIGNALED, 0));
	ASSERT_STATUS(mx_object_wait_one(ev, MX_EVENT_SIGNALED,
					 mxt_now() + MX_MSEC(10), &obs),
		      MX_ERR_TIMED_OUT);
	ASSERT_EQ(obs, MX_SIGNAL_LAST_HANDLE);
}

/* events: wait_signals_test (the single-thread part) */
TEST(wait_signals_fresh_and_signaled)
{
	mx_handle_t ev[3] = { mxt_event(), mxt_event(), mxt_event() };
	mx_wait_item_t items[3];
	mx_signals_t obs;
	int i;

	for (i = 0; i < 3; i++) {
		obs = 0xdeadbeef;
		ASSERT_STATUS(mx_object_wait_one(ev[i], MX_EVENT_SIGNALED,
						 mx_deadline_after(1), &obs),
			      MX_ERR_TIMED_OUT);
		ASSERT_EQ(obs, MX_SIGNAL_LAST_HANDLE);
		obs = 0xdeadbeef;
		ASSERT_STATUS(mx_object_wait_one(ev[i], MX_EVENT_SIGNALED, 0,
						 &obs), MX_ERR_TIMED_OUT);
		ASSERT_EQ(obs, MX_SIGNAL_LAST_HANDLE);
		items[i] = (mx_wait_item_t){ ev[i], MX_EVENT_SIGNALED,
					     0xdeadbeef };
	}
	ASSERT_STATUS(mx_object_wait_many(items, 3, mx_deadline_after(1)),
		      MX_ERR_TIMED_OUT);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(items[i].pending, MX_SIGNAL_LAST_HANDLE);
	ASSERT_STATUS(mx_object_wait_many(items, 3, 0), MX_ERR_TIMED_OUT);

	ASSERT_OK(mx_object_signal(ev[1], 0, MX_EVENT_SIGNALED));
	obs = 0;
	ASSERT_OK(mx_object_wait_one(ev[1], MX_EVENT_SIGNALED, 0, &obs));
	ASSERT_EQ(obs, MX_EVENT_SIGNALED | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_wait_one(ev[1], MX_EVENT_SIGNALED, 1, &obs));
	ASSERT_OK(mx_object_wait_one(ev[1], MX_EVENT_SIGNALED,
				     MX_TIME_INFINITE, &obs));
	ASSERT_OK(mx_object_wait_many(items, 3, 0));
	ASSERT_EQ(items[0].pending, MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(items[1].pending, MX_EVENT_SIGNALED | MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(items[2].pending, MX_SIGNAL_LAST_HANDLE);
}

/* events: wait_many_failures_test */
TEST(wait_many_failures)
{
	mx_handle_t ev = mxt_event();
	mx_wait_item_t items[2] = {
		{ ev, MX_EVENT_SIGNALED, 0x1234 },
		{ MX_HANDLE_INVALID, MX_EVENT_SIGNALED, 0x5678 },
	};

	ASSERT_STATUS(mx_object_wait_many(NULL, 0, mx_deadline_after(1)),
		      MX_ERR_TIMED_OUT);
	ASSERT_STATUS(mx_object_wait_many(items, 2, MX_TIME_INFINITE),
		      MX_ERR_BAD_HANDLE);
	ASSERT_EQ(items[0].pending, 0x1234);
	ASSERT_EQ(items[1].pending, 0x5678);
	/* The first event is still usable. */
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_object_wait_one(ev, MX_EVENT_SIGNALED, 0, NULL));
	ASSERT_OK(mx_handle_close(ev));
}

/*
 * events: basic_test and user_signals_test -- a master and three workers
 * ping each other through events, with wait_many on (own event, quit).
 */
struct ping {
	mx_handle_t ping, pong, quit;
	mx_signals_t bit;	/* the signal used for both directions */
	int rounds;
	mx_status_t status;
};

static void *worker(void *arg)
{
	struct ping *p = arg;

	for (;;) {
		mx_wait_item_t items[2] = {
			{ p->ping, p->bit, 0 },
			{ p->quit, MX_EVENT_SIGNALED, 0 },
		};

		p->status = mx_object_wait_many(items, 2, MX_TIME_INFINITE);
		if (p->status != MX_OK)
			return NULL;
		if (items[1].pending & MX_EVENT_SIGNALED)
			return NULL;
		if (!(items[0].pending & p->bit)) {
			p->status = MX_ERR_INTERNAL;
			return NULL;
		}
		p->status = mx_object_signal(p->ping, MX_USER_SIGNAL_ALL |
					     MX_EVENT_SIGNALED, 0);
		if (p->status != MX_OK)
			return NULL;
		p->rounds++;
		p->status = mx_object_signal(p->pong, MX_USER_SIGNAL_ALL, p->bit);
		if (p->status != MX_OK)
			return NULL;
	}
}

static void ping_pong(mx_signals_t bit)
{
	enum { WORKERS = 3, ROUNDS = 50 };
	struct ping p[WORKERS];
	pthread_t th[WORKERS];
	mx_handle_t quit = mxt_event();
	int i, r;

	for (i = 0; i < WORKERS; i++) {
		p[i] = (struct ping){ mxt_event(), mxt_event(), quit, bit, 0,
				      MX_OK };
		ASSERT_EQ(pthread_create(&th[i], NULL, worker, &p[i]), 0);
	}
	for (r = 0; r < ROUNDS; r++) {
		for (i = 0; i < WORKERS; i++)
			ASSERT_OK(mx_object_signal(p[i].ping, MX_USER_SIGNAL_ALL,
						   bit));
		for (i = 0; i < WORKERS; i++) {
			mx_signals_t obs = 0;

			ASSERT_OK(mx_object_wait_one(p[i].pong, bit,
						     MX_TIME_INFINITE, &obs));
			ASSERT_TRUE(obs & bit);
			ASSERT_OK(mx_object_signal(p[i].pong, bit, 0));
		}
	}
	ASSERT_OK(mx_object_signal(quit, 0, MX_EVENT_SIGNALED));
	for (i = 0; i < WORKERS; i++) {
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
		ASSERT_OK(p[i].status);
		ASSERT_EQ(p[i].rounds, ROUNDS);
		ASSERT_OK(mx_handle_close(p[i].ping));
		ASSERT_OK(mx_handle_close(p[i].pong));
	}
	ASSERT_OK(mx_handle_close(quit));
}

TEST(threads_ping_pong_signaled)
{
	ping_pong(MX_EVENT_SIGNALED);
}

TEST(threads_ping_pong_user_signals)
{
	ping_pong(MX_USER_SIGNAL_1);
	ping_pong(MX_USER_SIGNAL_2);
}

/* events: wait_signals_test -- another thread closes the waited handle. */
struct closer {
	mx_handle_t h;
	mx_status_t status;
};

static void *close_after_200ms(void *arg)
{
	struct closer *c = arg;

	mx_nanosleep(mx_deadline_after(MX_MSEC(200)));
	c->status = mx_handle_close(c->h);
	return NULL;
}

TEST(close_from_other_thread_cancels_wait)
{
	struct closer c = { mxt_event(), MX_ERR_INTERNAL };
	mx_signals_t obs = 0;
	pthread_t th;

	ASSERT_EQ(pthread_create(&th, NULL, close_after_200ms, &c), 0);
	ASSERT_STATUS(mx_object_wait_one(c.h, MX_EVENT_SIGNALED,
					 MX_TIME_INFINITE, &obs),
		      MX_ERR_CANCELED);
	ASSERT_TRUE(obs & MX_SIGNAL_HANDLE_CLOSED);
	ASSERT_EQ(pthread_join(th, NULL), 0);
	ASSERT_OK(c.status);
	ASSERT_STATUS(mx_handle_close(c.h), MX_ERR_BAD_HANDLE);
}

TEST(many_events)
{
	enum { N = 2000 };
	static mx_handle_t h[N];
	int i;

	for (i = 0; i < N; i++) {
		h[i] = mxt_event();
		if (i % 2)
			ASSERT_OK(mx_object_signal(h[i], 0, MX_EVENT_SIGNALED));
	}
	for (i = 0; i < N; i++)
		ASSERT_EQ(mxt_signals(h[i]), MX_SIGNAL_LAST_HANDLE |
			  (i % 2 ? MX_EVENT_SIGNALED : 0));
	for (i = 0; i < N; i++)
		ASSERT_OK(mx_handle_close(h[i]));
}
