// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of the collector of channel cycles (channel_gc.c): small
 * graphs of endpoints queued in each other's queues, and what a pass
 * collects and what it keeps. Part of mx_kunit.ko (see
 * handle_table_kunit.c).
 *
 * The collector is global: each case starts and ends with
 * mx_gc_quiesce(), and measures what it did as differences of the
 * collector's counters (mx_gc_counts()), so that a pass started by a
 * close meanwhile (the delayed work) changes nothing in the verdicts. No
 * userspace runs while the suites do.
 *
 * Locking: each case owns its handle table; the collector's and the
 * channels' locks are taken by the code under test.
 */
#include <kunit/test.h>

#include "channel.h"
#include "channel_gc.h"
#include "event.h"
#include "kunit_util.h"

/* A channel whose two endpoints have a handle each in the case's table. */
struct mx_gc_ch {
	struct mx_object *ep[2];
	s32 v[2];
};

struct mx_gc_fixture {
	struct mx_handle_table *t;
	unsigned long endpoints;
	unsigned long handles;
	u64 collected;
};

static void mx_gc_test_quiesce(void *unused)
{
	mx_gc_quiesce();
}

static int mx_gc_test_init(struct kunit *test)
{
	struct mx_gc_fixture *f;
	int ret;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	test->priv = f;
	/* Registered first, run last: after the table's handles are closed. */
	ret = kunit_add_action_or_reset(test, mx_gc_test_quiesce, NULL);
	if (ret)
		return ret;
	mx_gc_quiesce();
	f->t = mx_kt_table(test, 256);
	mx_gc_counts(&f->endpoints, &f->handles, &f->collected);
	return 0;
}

/* Expect the collector's counters moved by these since the case began. */
static void mx_gc_expect_counts(struct kunit *test, long endpoints,
				long handles, u64 collected)
{
	struct mx_gc_fixture *f = test->priv;
	unsigned long e, h;
	u64 c;

	mx_gc_counts(&e, &h, &c);
	KUNIT_EXPECT_EQ(test, (long)(e - f->endpoints), endpoints);
	KUNIT_EXPECT_EQ(test, (long)(h - f->handles), handles);
	KUNIT_EXPECT_EQ(test, c - f->collected, collected);
}

static void mx_gc_channel(struct kunit *test, struct mx_gc_ch *c)
{
	struct mx_gc_fixture *f = test->priv;

	KUNIT_ASSERT_EQ(test, mx_channel_alloc_pair(&c->ep[0], &c->ep[1]), 0);
	mx_kt_put_at_end(test, c->ep[0]);
	mx_kt_put_at_end(test, c->ep[1]);
	c->v[0] = mx_kt_install(test, f->t, c->ep[0],
				MX_DEFAULT_CHANNEL_RIGHTS);
	c->v[1] = mx_kt_install(test, f->t, c->ep[1],
				MX_DEFAULT_CHANNEL_RIGHTS);
}

/* Write the handles @vals into the endpoint @via: they land at its peer. */
static void mx_gc_send(struct kunit *test, s32 via, const s32 *vals, u32 n)
{
	struct mx_gc_fixture *f = test->priv;
	struct mx_object *obj = mx_kt_obj(test, f->t, via);
	struct mx_message *m = mx_message_alloc(0, n, NULL);
	int ret;

	if (IS_ERR(m))
		mx_object_put(obj);
	KUNIT_ASSERT_FALSE(test, IS_ERR(m));
	ret = mx_channel_send(f->t, obj, m, vals, NULL);
	if (ret)
		mx_message_release(m);
	mx_object_put(obj);
	KUNIT_ASSERT_EQ(test, ret, 0);
}

static void mx_gc_send1(struct kunit *test, s32 via, s32 what)
{
	mx_gc_send(test, via, &what, 1);
}

/* Read the front message of @ep into the table, as a reader would. */
static void mx_gc_read(struct kunit *test, struct mx_object *ep)
{
	struct mx_gc_fixture *f = test->priv;
	struct mx_channel_read *r;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->max_bytes = 0;
	r->max_handles = MX_CHANNEL_MAX_MSG_HANDLES;
	KUNIT_ASSERT_EQ(test, mx_channel_receive(f->t, ep, r), 0);
	mx_channel_receive_finish(f->t, r, true);
}

static unsigned long mx_gc_inflight(struct mx_object *ep)
{
	return READ_ONCE(mx_channel_gc_entry(ep)->inflight);
}

static bool mx_gc_peer_closed(struct mx_object *ep)
{
	return mx_object_signals(ep) & MX_CHANNEL_PEER_CLOSED;
}

/*
 * b in its own queue (written through a): only b's queue holds b, and
 * nobody can read b's queue. a can still write to b, which does not make
 * b reachable. The pass collects b alone; a sees its peer go.
 */
static void mx_gc_self_loop_collected(struct kunit *test)
{
	struct mx_gc_ch c;

	mx_gc_channel(test, &c);
	mx_gc_send1(test, c.v[0], c.v[1]);
	KUNIT_EXPECT_EQ(test, mx_gc_inflight(c.ep[1]), 1ul);
	KUNIT_EXPECT_EQ(test, c.ep[1]->handle_count, 1u);
	KUNIT_EXPECT_EQ(test, mx_channel_queued_msgs(c.ep[1]), 1ull);
	mx_gc_expect_counts(test, 1, 1, 0);
	KUNIT_EXPECT_FALSE(test, mx_gc_peer_closed(c.ep[0]));

	mx_gc_quiesce();
	mx_gc_expect_counts(test, 0, 0, 1);
	KUNIT_EXPECT_EQ(test, c.ep[1]->handle_count, 0u);
	KUNIT_EXPECT_EQ(test, mx_channel_queued_msgs(c.ep[1]), 0ull);
	KUNIT_EXPECT_EQ(test, mx_gc_inflight(c.ep[1]), 0ul);
	KUNIT_EXPECT_TRUE(test, mx_gc_peer_closed(c.ep[0]));
	KUNIT_EXPECT_EQ(test, c.ep[0]->handle_count, 1u);
}

/*
 * (a,b) and (c,d): d written through a (into b's queue), b through c
 * (into d's queue). b and d hold each other and nothing else holds
 * either: both go, and a and c see PEER_CLOSED.
 */
static void mx_gc_two_cycle_collected(struct kunit *test)
{
	struct mx_gc_ch x, y;

	mx_gc_channel(test, &x);
	mx_gc_channel(test, &y);
	mx_gc_send1(test, x.v[0], y.v[1]);
	mx_gc_send1(test, y.v[0], x.v[1]);
	mx_gc_expect_counts(test, 2, 2, 0);

	mx_gc_quiesce();
	mx_gc_expect_counts(test, 0, 0, 2);
	KUNIT_EXPECT_EQ(test, x.ep[1]->handle_count, 0u);
	KUNIT_EXPECT_EQ(test, y.ep[1]->handle_count, 0u);
	KUNIT_EXPECT_TRUE(test, mx_gc_peer_closed(x.ep[0]));
	KUNIT_EXPECT_TRUE(test, mx_gc_peer_closed(y.ep[0]));
	KUNIT_EXPECT_EQ(test, x.ep[0]->handle_count, 1u);
	KUNIT_EXPECT_EQ(test, y.ep[0]->handle_count, 1u);
}

/* A ring of three: b -> d -> f -> b, each written through its peer. */
static void mx_gc_ring_of_three_collected(struct kunit *test)
{
	struct mx_gc_ch c[3];
	int i;

	for (i = 0; i < 3; i++)
		mx_gc_channel(test, &c[i]);
	/* c[i+1]'s second endpoint into c[i]'s second endpoint's queue. */
	for (i = 0; i < 3; i++)
		mx_gc_send1(test, c[i].v[0], c[(i + 1) % 3].v[1]);
	mx_gc_expect_counts(test, 3, 3, 0);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, mx_channel_queued_msgs(c[i].ep[1]), 1ull);

	mx_gc_quiesce();
	mx_gc_expect_counts(test, 0, 0, 3);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, c[i].ep[1]->handle_count, 0u);
		KUNIT_EXPECT_TRUE(test, mx_gc_peer_closed(c[i].ep[0]));
	}
}

/*
 * A chain from a live handle: b (in the table) holds d, d holds f. d and
 * f are candidates (every handle to them is queued), but b's queue is a
 * root: nothing is collected, and the chain stays readable.
 */
static void mx_gc_chain_from_live_handle_kept(struct kunit *test)
{
	struct mx_gc_ch x, y, z;

	mx_gc_channel(test, &x);
	mx_gc_channel(test, &y);
	mx_gc_channel(test, &z);
	mx_gc_send1(test, x.v[0], y.v[1]);
	mx_gc_send1(test, y.v[0], z.v[1]);
	mx_gc_expect_counts(test, 2, 2, 0);

	KUNIT_EXPECT_EQ(test, mx_gc_collect(), 0ul);
	mx_gc_quiesce();
	mx_gc_expect_counts(test, 2, 2, 0);
	KUNIT_EXPECT_EQ(test, y.ep[1]->handle_count, 1u);
	KUNIT_EXPECT_EQ(test, z.ep[1]->handle_count, 1u);
	KUNIT_EXPECT_EQ(test, mx_channel_queued_msgs(x.ep[1]), 1ull);
	KUNIT_EXPECT_EQ(test, mx_channel_queued_msgs(y.ep[1]), 1ull);
	KUNIT_EXPECT_FALSE(test, mx_gc_peer_closed(y.ep[0]));
	KUNIT_EXPECT_FALSE(test, mx_gc_peer_closed(z.ep[0]));

	/* d read out of b: a root again; f is still held through d. */
	mx_gc_read(test, x.ep[1]);
	mx_gc_expect_counts(test, 1, 1, 0);
	KUNIT_EXPECT_EQ(test, mx_gc_inflight(y.ep[1]), 0ul);
	KUNIT_EXPECT_EQ(test, mx_gc_inflight(z.ep[1]), 1ul);
	mx_gc_quiesce();
	mx_gc_expect_counts(test, 1, 1, 0);
	KUNIT_EXPECT_EQ(test, z.ep[1]->handle_count, 1u);
}

/*
 * The cycle of mx_gc_two_cycle_collected() with a second handle to d in
 * the table: d is no candidate, so b, queued at d, is reachable. Once that
 * handle is closed the two are garbage.
 */
static void mx_gc_cycle_held_by_table(struct kunit *test)
{
	struct mx_gc_fixture *f = test->priv;
	struct mx_gc_ch x, y;
	s32 d2;

	mx_gc_channel(test, &x);
	mx_gc_channel(test, &y);
	d2 = mx_kt_install(test, f->t, y.ep[1], MX_DEFAULT_CHANNEL_RIGHTS);
	mx_gc_send1(test, x.v[0], y.v[1]);
	mx_gc_send1(test, y.v[0], x.v[1]);
	mx_gc_expect_counts(test, 2, 2, 0);

	KUNIT_EXPECT_EQ(test, mx_gc_collect(), 0ul);
	mx_gc_quiesce();
	mx_gc_expect_counts(test, 2, 2, 0);
	KUNIT_EXPECT_EQ(test, x.ep[1]->handle_count, 1u);
	KUNIT_EXPECT_EQ(test, y.ep[1]->handle_count, 2u);
	KUNIT_EXPECT_FALSE(test, mx_gc_peer_closed(x.ep[0]));
	KUNIT_EXPECT_FALSE(test, mx_gc_peer_closed(y.ep[0]));

	mx_kt_close(test, f->t, d2);
	mx_gc_quiesce();
	mx_gc_expect_counts(test, 0, 0, 2);
	KUNIT_EXPECT_EQ(test, x.ep[1]->handle_count, 0u);
	KUNIT_EXPECT_EQ(test, y.ep[1]->handle_count, 0u);
	KUNIT_EXPECT_TRUE(test, mx_gc_peer_closed(x.ep[0]));
	KUNIT_EXPECT_TRUE(test, mx_gc_peer_closed(y.ep[0]));
}

/*
 * Every handle to b and d is queued, so both are candidates; but a second
 * handle to b waits in f's queue, and f is in the table. b is reachable
 * from there, and d through b: nothing is collected.
 */
static void mx_gc_cycle_reachable_from_held_queue(struct kunit *test)
{
	struct mx_gc_fixture *f = test->priv;
	struct mx_gc_ch x, y, z;
	s32 b2;

	mx_gc_channel(test, &x);
	mx_gc_channel(test, &y);
	mx_gc_channel(test, &z);
	b2 = mx_kt_install(test, f->t, x.ep[1], MX_DEFAULT_CHANNEL_RIGHTS);
	mx_gc_send1(test, z.v[0], b2);
	mx_gc_send1(test, x.v[0], y.v[1]);
	mx_gc_send1(test, y.v[0], x.v[1]);
	KUNIT_EXPECT_EQ(test, mx_gc_inflight(x.ep[1]), 2ul);
	KUNIT_EXPECT_EQ(test, x.ep[1]->handle_count, 2u);
	mx_gc_expect_counts(test, 2, 3, 0);

	KUNIT_EXPECT_EQ(test, mx_gc_collect(), 0ul);
	mx_gc_quiesce();
	mx_gc_expect_counts(test, 2, 3, 0);
	KUNIT_EXPECT_FALSE(test, mx_gc_peer_closed(x.ep[0]));
	KUNIT_EXPECT_FALSE(test, mx_gc_peer_closed(y.ep[0]));

	/* Read b out of f and close it: the cycle is garbage then. */
	mx_gc_read(test, z.ep[1]);
	mx_gc_expect_counts(test, 2, 2, 0);
	KUNIT_EXPECT_EQ(test, mx_gc_inflight(x.ep[1]), 1ul);
	KUNIT_EXPECT_EQ(test, mx_ht_count(f->t), 5u);
	mx_ht_close_all(f->t);
	mx_gc_quiesce();
	mx_gc_expect_counts(test, 0, 0, 2);
	KUNIT_EXPECT_EQ(test, x.ep[1]->handle_count, 0u);
	KUNIT_EXPECT_EQ(test, y.ep[1]->handle_count, 0u);
}

/*
 * What a garbage endpoint's queue holds besides channels goes with it:
 * an event queued at b in its self-loop loses its handle.
 */
static void mx_gc_garbage_frees_carried_objects(struct kunit *test)
{
	struct mx_gc_fixture *f = test->priv;
	struct mx_object *ev = mx_event_new();
	unsigned int refs;
	struct mx_gc_ch c;
	s32 vals[2];

	KUNIT_ASSERT_NOT_NULL(test, ev);
	mx_kt_put_at_end(test, ev);
	mx_gc_channel(test, &c);
	vals[0] = c.v[1];
	vals[1] = mx_kt_install(test, f->t, ev, MX_DEFAULT_EVENT_RIGHTS);
	refs = kref_read(&ev->ref);
	mx_gc_send(test, c.v[0], vals, 2);
	/* Only the channel handle is the collector's business. */
	mx_gc_expect_counts(test, 1, 1, 0);
	KUNIT_EXPECT_EQ(test, ev->handle_count, 1u);

	mx_gc_quiesce();
	mx_gc_expect_counts(test, 0, 0, 1);
	KUNIT_EXPECT_EQ(test, ev->handle_count, 0u);
	KUNIT_EXPECT_EQ(test, kref_read(&ev->ref), refs - 1);
	KUNIT_EXPECT_EQ(test, mx_ht_count(f->t), 1u);
}

/* Messages without channel handles are none of the collector's business. */
static void mx_gc_plain_messages_ignored(struct kunit *test)
{
	struct mx_gc_fixture *f = test->priv;
	struct mx_object *ev = mx_event_new();
	struct mx_gc_ch c;
	s32 v;

	KUNIT_ASSERT_NOT_NULL(test, ev);
	mx_kt_put_at_end(test, ev);
	mx_gc_channel(test, &c);
	v = mx_kt_install(test, f->t, ev, MX_DEFAULT_EVENT_RIGHTS);
	mx_gc_send(test, c.v[0], NULL, 0);
	mx_gc_send1(test, c.v[0], v);
	KUNIT_EXPECT_EQ(test, mx_channel_queued_msgs(c.ep[1]), 2ull);
	KUNIT_EXPECT_TRUE(test, list_empty(&mx_channel_gc_entry(c.ep[1])->msgs));
	mx_gc_expect_counts(test, 0, 0, 0);
	mx_gc_quiesce();
	mx_gc_expect_counts(test, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, mx_channel_queued_msgs(c.ep[1]), 2ull);
	KUNIT_EXPECT_EQ(test, ev->handle_count, 1u);
}

/*
 * The entry's list holds exactly the queued messages that carry channel
 * handles, in queue order, and a read takes them off.
 */
static void mx_gc_edges_follow_the_queue(struct kunit *test)
{
	struct mx_gc_ch x, y, z;
	struct mx_gc_entry *e;

	mx_gc_channel(test, &x);
	mx_gc_channel(test, &y);
	mx_gc_channel(test, &z);
	mx_gc_send1(test, x.v[0], y.v[1]);
	mx_gc_send(test, x.v[0], NULL, 0);
	mx_gc_send1(test, x.v[0], z.v[1]);
	e = mx_channel_gc_entry(x.ep[1]);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&e->msgs), (size_t)2);
	KUNIT_EXPECT_EQ(test, e->dequeued, 0ul);
	mx_gc_expect_counts(test, 2, 2, 0);
	mx_gc_read(test, x.ep[1]);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&e->msgs), (size_t)1);
	KUNIT_EXPECT_EQ(test, e->dequeued, 1ul);
	mx_gc_expect_counts(test, 1, 1, 0);
	/* The plain message is not an edge: reading it changes nothing. */
	mx_gc_read(test, x.ep[1]);
	KUNIT_EXPECT_EQ(test, e->dequeued, 1ul);
	mx_gc_read(test, x.ep[1]);
	KUNIT_EXPECT_TRUE(test, list_empty(&e->msgs));
	KUNIT_EXPECT_EQ(test, e->dequeued, 2ul);
	mx_gc_expect_counts(test, 0, 0, 0);
}

/*
 * An endpoint that loses its last handle purges its queue itself: the
 * chain it held is freed by the reaper, not by the collector.
 */
static void mx_gc_close_purges_without_collector(struct kunit *test)
{
	struct mx_gc_fixture *f = test->priv;
	struct mx_gc_ch x, y;

	mx_gc_channel(test, &x);
	mx_gc_channel(test, &y);
	mx_gc_send1(test, x.v[0], y.v[1]);
	mx_gc_expect_counts(test, 1, 1, 0);
	mx_kt_close(test, f->t, x.v[1]);
	mx_message_flush();
	mx_gc_expect_counts(test, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, y.ep[1]->handle_count, 0u);
	KUNIT_EXPECT_TRUE(test, mx_gc_peer_closed(y.ep[0]));
	mx_gc_quiesce();
	mx_gc_expect_counts(test, 0, 0, 0);
}

static struct kunit_case mx_channel_gc_cases[] = {
	KUNIT_CASE(mx_gc_self_loop_collected),
	KUNIT_CASE(mx_gc_two_cycle_collected),
	KUNIT_CASE(mx_gc_ring_of_three_collected),
	KUNIT_CASE(mx_gc_chain_from_live_handle_kept),
	KUNIT_CASE(mx_gc_cycle_held_by_table),
	KUNIT_CASE(mx_gc_cycle_reachable_from_held_queue),
	KUNIT_CASE(mx_gc_garbage_frees_carried_objects),
	KUNIT_CASE(mx_gc_plain_messages_ignored),
	KUNIT_CASE(mx_gc_edges_follow_the_queue),
	KUNIT_CASE(mx_gc_close_purges_without_collector),
	{}
};

static struct kunit_suite mx_channel_gc_suite = {
	.name = "mx_channel_gc",
	.init = mx_gc_test_init,
	.test_cases = mx_channel_gc_cases,
};

kunit_test_suite(mx_channel_gc_suite);
