// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of object signal state (object.c): LAST_HANDLE, observers
 * and what cancels them, eventpair peers. Part of mx_kunit.ko (see
 * handle_table_kunit.c).
 *
 * Locking: each case owns its objects; object locks are taken by the code
 * under test.
 */
#include <kunit/test.h>

#include "event.h"
#include "eventpair.h"
#include "object.h"

struct mx_test_obs {
	struct mx_observer obs;
	int notified;
};

static void mx_test_notify(struct mx_observer *obs, u32 state)
{
	container_of(obs, struct mx_test_obs, obs)->notified++;
}

static void mx_object_last_handle_tracks_count(struct kunit *test)
{
	struct mx_object *ev = mx_event_new();
	struct mx_handle *a, *b;

	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_EXPECT_EQ(test, mx_object_signals(ev), MX_SIGNAL_LAST_HANDLE);
	a = mx_handle_alloc(ev, 0);
	b = mx_handle_alloc(ev, 0);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	mx_handle_count_inc(a);
	KUNIT_EXPECT_EQ(test, mx_object_signals(ev), MX_SIGNAL_LAST_HANDLE);
	mx_handle_count_inc(b);
	KUNIT_EXPECT_EQ(test, mx_object_signals(ev), 0u);
	mx_handle_destroy(b);
	KUNIT_EXPECT_EQ(test, mx_object_signals(ev), MX_SIGNAL_LAST_HANDLE);
	mx_handle_destroy(a);
	mx_object_put(ev);
}

static void mx_object_observer_accumulates(struct kunit *test)
{
	struct mx_object *ev = mx_event_new();
	struct mx_test_obs t = { .obs = { .watched = MX_USER_SIGNAL_1,
					  .notify = mx_test_notify } };

	KUNIT_ASSERT_NOT_NULL(test, ev);
	mx_object_add_observer(ev, &t.obs);
	KUNIT_EXPECT_EQ(test, t.notified, 0);
	mx_object_update_signals(ev, 0, MX_USER_SIGNAL_0);
	mx_object_update_signals(ev, MX_USER_SIGNAL_0, 0);
	/* No change, no notification. */
	mx_object_update_signals(ev, MX_USER_SIGNAL_0, 0);
	KUNIT_EXPECT_EQ(test, t.notified, 2);
	KUNIT_EXPECT_EQ(test, mx_object_remove_observer(ev, &t.obs),
			MX_SIGNAL_LAST_HANDLE | MX_USER_SIGNAL_0);
	mx_object_put(ev);
}

static void mx_object_observer_satisfied_at_once(struct kunit *test)
{
	struct mx_object *ev = mx_event_new();
	struct mx_test_obs t = { .obs = { .watched = MX_EVENT_SIGNALED,
					  .notify = mx_test_notify } };

	KUNIT_ASSERT_NOT_NULL(test, ev);
	mx_object_update_signals(ev, 0, MX_EVENT_SIGNALED);
	mx_object_add_observer(ev, &t.obs);
	KUNIT_EXPECT_EQ(test, t.notified, 1);
	mx_object_remove_observer(ev, &t.obs);
	mx_object_put(ev);
}

static void mx_object_close_cancels_only_its_handle(struct kunit *test)
{
	struct mx_object *ev = mx_event_new();
	struct mx_handle *a, *b;
	struct mx_test_obs ta = { .obs = { .notify = mx_test_notify } };
	struct mx_test_obs tb = { .obs = { .notify = mx_test_notify } };

	KUNIT_ASSERT_NOT_NULL(test, ev);
	a = mx_handle_alloc(ev, 0);
	b = mx_handle_alloc(ev, 0);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	mx_handle_count_inc(a);
	mx_handle_count_inc(b);
	ta.obs.handle = a;
	tb.obs.handle = b;
	mx_object_add_observer(ev, &ta.obs);
	mx_object_add_observer(ev, &tb.obs);
	mx_handle_destroy(a);
	KUNIT_EXPECT_TRUE(test, ta.obs.cancelled);
	KUNIT_EXPECT_FALSE(test, tb.obs.cancelled);
	KUNIT_EXPECT_EQ(test, mx_object_remove_observer(ev, &ta.obs) &
			MX_SIGNAL_HANDLE_CLOSED, MX_SIGNAL_HANDLE_CLOSED);
	KUNIT_EXPECT_EQ(test, mx_object_remove_observer(ev, &tb.obs) &
			MX_SIGNAL_HANDLE_CLOSED, 0u);
	mx_handle_destroy(b);
	mx_object_put(ev);
}

static void mx_object_eventpair_peer_closed(struct kunit *test)
{
	struct mx_object *a, *b;
	struct mx_handle *ha, *hb;

	KUNIT_ASSERT_EQ(test, mx_eventpair_new(&a, &b), 0);
	ha = mx_handle_alloc(a, 0);
	hb = mx_handle_alloc(b, 0);
	KUNIT_ASSERT_NOT_NULL(test, ha);
	KUNIT_ASSERT_NOT_NULL(test, hb);
	mx_handle_count_inc(ha);
	mx_handle_count_inc(hb);
	KUNIT_EXPECT_EQ(test, a->ops->signal_peer(a, 0, MX_USER_SIGNAL_3), 0);
	KUNIT_EXPECT_EQ(test, mx_object_signals(b),
			MX_SIGNAL_LAST_HANDLE | MX_USER_SIGNAL_3);
	mx_handle_destroy(hb);
	KUNIT_EXPECT_EQ(test, mx_object_signals(a),
			MX_SIGNAL_LAST_HANDLE | MX_EPAIR_PEER_CLOSED);
	KUNIT_EXPECT_EQ(test, a->ops->signal_peer(a, 0, MX_USER_SIGNAL_3),
			MX_ERR_PEER_CLOSED);
	mx_handle_destroy(ha);
	mx_object_put(a);
	mx_object_put(b);
}

/* A handle going into a channel ends its port registrations only. */
static void mx_object_cancel_async_only(struct kunit *test)
{
	struct mx_object *ev = mx_event_new();
	struct mx_test_obs ta = { .obs = { .notify = mx_test_notify,
					   .async = true } };
	struct mx_test_obs tw = { .obs = { .notify = mx_test_notify } };
	struct mx_handle *h;

	KUNIT_ASSERT_NOT_NULL(test, ev);
	h = mx_handle_alloc(ev, 0);
	KUNIT_ASSERT_NOT_NULL(test, h);
	mx_handle_count_inc(h);
	ta.obs.handle = h;
	tw.obs.handle = h;
	mx_object_add_observer(ev, &ta.obs);
	mx_object_add_observer(ev, &tw.obs);
	mx_handle_cancel_async(h);
	KUNIT_EXPECT_TRUE(test, ta.obs.cancelled);
	KUNIT_EXPECT_EQ(test, ta.notified, 1);
	KUNIT_EXPECT_FALSE(test, tw.obs.cancelled);
	KUNIT_EXPECT_EQ(test, tw.notified, 0);
	/* Cancelled once: a later cancel does not notify it again. */
	mx_handle_cancel_waits(h);
	KUNIT_EXPECT_EQ(test, ta.notified, 1);
	KUNIT_EXPECT_TRUE(test, tw.obs.cancelled);
	KUNIT_EXPECT_EQ(test, tw.notified, 1);
	mx_object_remove_observer(ev, &ta.obs);
	mx_object_remove_observer(ev, &tw.obs);
	mx_handle_destroy(h);
	mx_object_put(ev);
}

/* A moved watch keeps what it saw; only the new observer is notified. */
static void mx_object_move_observer_keeps_state(struct kunit *test)
{
	struct mx_object *ev = mx_event_new();
	struct mx_test_obs from = { .obs = { .watched = MX_USER_SIGNAL_2,
					     .notify = mx_test_notify } };
	struct mx_test_obs to = { .obs = { .notify = mx_test_notify } };

	KUNIT_ASSERT_NOT_NULL(test, ev);
	mx_object_add_observer(ev, &from.obs);
	mx_object_update_signals(ev, 0, MX_USER_SIGNAL_1);
	mx_object_update_signals(ev, MX_USER_SIGNAL_1, 0);
	KUNIT_EXPECT_EQ(test, from.notified, 2);
	mx_object_move_observer(ev, &from.obs, &to.obs);
	KUNIT_EXPECT_EQ(test, to.obs.watched, MX_USER_SIGNAL_2);
	mx_object_update_signals(ev, 0, MX_USER_SIGNAL_2);
	KUNIT_EXPECT_EQ(test, from.notified, 2);
	KUNIT_EXPECT_EQ(test, to.notified, 1);
	KUNIT_EXPECT_EQ(test, mx_object_remove_observer(ev, &to.obs),
			MX_SIGNAL_LAST_HANDLE | MX_USER_SIGNAL_1 |
			MX_USER_SIGNAL_2);
	mx_object_put(ev);
}

/* A retired handle cancels its waits but leaves the count to its heir. */
static void mx_object_retire_keeps_count(struct kunit *test)
{
	struct mx_object *ev = mx_event_new();
	struct mx_test_obs t = { .obs = { .notify = mx_test_notify } };
	struct mx_handle *a, *b;

	KUNIT_ASSERT_NOT_NULL(test, ev);
	a = mx_handle_alloc(ev, 0);
	b = mx_handle_alloc(ev, 0);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	mx_handle_count_inc(a);
	KUNIT_EXPECT_EQ(test, mx_object_signals(ev), MX_SIGNAL_LAST_HANDLE);
	t.obs.handle = a;
	mx_object_add_observer(ev, &t.obs);
	/* b replaces a: it is counted in a's place. */
	mx_handle_retire(a);
	KUNIT_EXPECT_TRUE(test, t.obs.cancelled);
	KUNIT_EXPECT_EQ(test, ev->handle_count, 1u);
	KUNIT_EXPECT_EQ(test, mx_object_signals(ev), MX_SIGNAL_LAST_HANDLE);
	KUNIT_EXPECT_EQ(test, mx_object_remove_observer(ev, &t.obs),
			MX_SIGNAL_LAST_HANDLE | MX_SIGNAL_HANDLE_CLOSED);
	mx_handle_destroy(b);
	KUNIT_EXPECT_EQ(test, ev->handle_count, 0u);
	mx_object_put(ev);
}

/* Koids are never reused: each new object's is above the last one's. */
static void mx_object_koids_increase(struct kunit *test)
{
	struct mx_object *a = mx_event_new(), *b = mx_event_new();

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_GT(test, b->koid, a->koid);
	KUNIT_EXPECT_GE(test, a->koid, 1024ull);
	mx_object_put(a);
	mx_object_put(b);
}

static struct kunit_case mx_object_cases[] = {
	KUNIT_CASE(mx_object_last_handle_tracks_count),
	KUNIT_CASE(mx_object_observer_accumulates),
	KUNIT_CASE(mx_object_observer_satisfied_at_once),
	KUNIT_CASE(mx_object_close_cancels_only_its_handle),
	KUNIT_CASE(mx_object_eventpair_peer_closed),
	KUNIT_CASE(mx_object_cancel_async_only),
	KUNIT_CASE(mx_object_move_observer_keeps_state),
	KUNIT_CASE(mx_object_retire_keeps_count),
	KUNIT_CASE(mx_object_koids_increase),
	{}
};

static struct kunit_suite mx_object_suite = {
	.name = "mx_object_signals",
	.test_cases = mx_object_cases,
};

kunit_test_suite(mx_object_suite);
