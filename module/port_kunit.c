// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of ports (port.c): the packet queue and its order and
 * bounds, asynchronous waits and how they fire, end and are cancelled,
 * and what is charged to the user meanwhile. Part of mx_kunit.ko (see
 * handle_table_kunit.c).
 *
 * Packets are taken with mx_port_wait() into user memory of the case's
 * own (kunit_util.h), with a deadline already past when the case expects
 * not to sleep. The port_max_packets parameter a case lowers is put back
 * by the suite's exit.
 *
 * Locking: each case owns its port and table; the port's and objects'
 * locks are taken by the code under test.
 */
#include <kunit/test.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "channel.h"
#include "event.h"
#include "kunit_util.h"
#include "port.h"

struct mx_port_fixture {
	struct mx_handle_table *t;
	struct mx_user *u;
	struct mx_object *port;
	s32 pv;
	struct mx_object *ev;
	s32 ev_v;
	struct mx_port_packet __user *upkt;
	unsigned int max_packets;
};

static int mx_port_test_init(struct kunit *test)
{
	struct mx_port_fixture *f;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	test->priv = f;
	f->max_packets = READ_ONCE(mx_port_max_packets);
	f->t = mx_kt_table(test, 64);
	f->u = mx_kt_user(test);
	f->port = mx_port_new();
	KUNIT_ASSERT_NOT_NULL(test, f->port);
	mx_kt_put_at_end(test, f->port);
	f->pv = mx_kt_install(test, f->t, f->port, MX_DEFAULT_PORT_RIGHTS);
	f->ev = mx_event_new();
	KUNIT_ASSERT_NOT_NULL(test, f->ev);
	mx_kt_put_at_end(test, f->ev);
	f->ev_v = mx_kt_install(test, f->t, f->ev, MX_DEFAULT_EVENT_RIGHTS);
	f->upkt = mx_kt_user_mem(test, PAGE_SIZE);
	return 0;
}

static void mx_port_test_exit(struct kunit *test)
{
	struct mx_port_fixture *f = test->priv;

	WRITE_ONCE(mx_port_max_packets, f->max_packets);
}

static int mx_port_test_queue(struct kunit *test, u64 key)
{
	struct mx_port_fixture *f = test->priv;
	struct mx_port_packet pkt = { .key = key, .type = 7, .status = -5 };

	pkt.user.u64[0] = key * 3;
	return mx_port_queue_packet(f->port, &pkt, f->u);
}

/* mx_port_wait_packet()'s delivery to user memory, as the ioctl's. */
static int mx_port_test_copy(const struct mx_port_packet *pkt, void *ctx)
{
	struct mx_port_packet __user *upkt = (void __force __user *)ctx;

	return copy_to_user(upkt, pkt, sizeof(*pkt)) ? MX_ERR_INVALID_ARGS : 0;
}

/* Take the oldest packet until @deadline: 0 with it in @pkt, or the error. */
static int mx_port_test_wait(struct kunit *test, u64 deadline,
			     struct mx_port_packet *pkt)
{
	struct mx_port_fixture *f = test->priv;
	int ret;

	memset(pkt, 0, sizeof(*pkt));
	ret = mx_port_wait_packet(f->port, deadline, mx_port_test_copy,
				  (void __force *)f->upkt);
	if (!ret)
		KUNIT_ASSERT_EQ(test, copy_from_user(pkt, f->upkt,
						     sizeof(*pkt)), 0ul);
	return ret;
}

/* Take a packet without sleeping. */
static int mx_port_test_take(struct kunit *test, struct mx_port_packet *pkt)
{
	return mx_port_test_wait(test, 0, pkt);
}

static void mx_port_test_signal(struct kunit *test, u32 clear, u32 set)
{
	struct mx_port_fixture *f = test->priv;

	mx_object_update_signals(f->ev, clear, set);
}

static int mx_port_test_async(struct kunit *test, u64 key, u32 signals,
			      bool repeating)
{
	struct mx_port_fixture *f = test->priv;

	return mx_port_wait_async(f->t, f->ev_v, f->port, key, signals,
				  repeating, f->u);
}

static void mx_port_expect_usage(struct kunit *test, long bytes,
				 unsigned int watches)
{
	struct mx_port_fixture *f = test->priv;
	struct mx_user_usage use;

	mx_user_usage(f->u, &use);
	KUNIT_EXPECT_EQ(test, use.message_bytes, bytes);
	KUNIT_EXPECT_EQ(test, use.watches, watches);
}

/* User packets come out first in, first out, typed USER, as queued. */
static void mx_port_user_packets_in_order(struct kunit *test)
{
	struct mx_port_fixture *f = test->priv;
	struct mx_port_packet pkt;
	struct mx_user_usage use;
	long one;
	u64 key;

	KUNIT_ASSERT_EQ(test, mx_port_test_queue(test, 1), 0);
	mx_user_usage(f->u, &use);
	one = use.message_bytes;
	KUNIT_EXPECT_GT(test, one, 0L);
	KUNIT_ASSERT_EQ(test, mx_port_test_queue(test, 2), 0);
	KUNIT_ASSERT_EQ(test, mx_port_test_queue(test, 3), 0);
	mx_port_expect_usage(test, 3 * one, 0);
	for (key = 1; key <= 3; key++) {
		KUNIT_ASSERT_EQ(test, mx_port_test_take(test, &pkt), 0);
		KUNIT_EXPECT_EQ(test, pkt.key, key);
		KUNIT_EXPECT_EQ(test, pkt.type, MX_PKT_TYPE_USER);
		KUNIT_EXPECT_EQ(test, pkt.status, -5);
		KUNIT_EXPECT_EQ(test, pkt.user.u64[0], key * 3);
	}
	KUNIT_EXPECT_EQ(test, mx_port_test_take(test, &pkt), MX_ERR_TIMED_OUT);
	MX_KT_EXPECT_UNCHARGED(test, f->u, 1);
}

/* port_max_packets user packets at most; a refused one is not charged. */
static void mx_port_user_packet_limit(struct kunit *test)
{
	struct mx_port_fixture *f = test->priv;
	struct mx_port_packet pkt;
	struct mx_user_usage use;

	WRITE_ONCE(mx_port_max_packets, 2);
	KUNIT_ASSERT_EQ(test, mx_port_test_queue(test, 1), 0);
	mx_user_usage(f->u, &use);
	KUNIT_ASSERT_EQ(test, mx_port_test_queue(test, 2), 0);
	KUNIT_EXPECT_EQ(test, mx_port_test_queue(test, 3), MX_ERR_SHOULD_WAIT);
	mx_port_expect_usage(test, 2 * use.message_bytes, 0);
	KUNIT_ASSERT_EQ(test, mx_port_test_take(test, &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.key, 1ull);
	KUNIT_EXPECT_EQ(test, mx_port_test_queue(test, 3), 0);
	KUNIT_ASSERT_EQ(test, mx_port_test_take(test, &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.key, 2ull);
	KUNIT_ASSERT_EQ(test, mx_port_test_take(test, &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.key, 3ull);
}

/* A port without handles drops its packets and takes no more. */
static void mx_port_dead_refuses(struct kunit *test)
{
	struct mx_port_fixture *f = test->priv;

	KUNIT_ASSERT_EQ(test, mx_port_test_queue(test, 1), 0);
	KUNIT_ASSERT_EQ(test, mx_port_test_queue(test, 2), 0);
	mx_kt_close(test, f->t, f->pv);
	MX_KT_EXPECT_UNCHARGED(test, f->u, 1);
	KUNIT_EXPECT_EQ(test, mx_port_test_queue(test, 3), MX_ERR_BAD_STATE);
	KUNIT_EXPECT_EQ(test, mx_port_test_async(test, 4, MX_USER_SIGNAL_0,
						 false), 0);
	MX_KT_EXPECT_UNCHARGED(test, f->u, 1);
}

/* A ONCE registration queues one packet, then is gone. */
static void mx_port_async_once_fires_once(struct kunit *test)
{
	struct mx_port_fixture *f = test->priv;
	struct mx_port_packet pkt;

	KUNIT_ASSERT_EQ(test, mx_port_test_async(test, 7, MX_USER_SIGNAL_0,
						 false), 0);
	mx_port_expect_usage(test, 0, 1);
	mx_port_test_signal(test, 0, MX_USER_SIGNAL_1);
	KUNIT_EXPECT_EQ(test, mx_port_test_take(test, &pkt), MX_ERR_TIMED_OUT);
	mx_port_test_signal(test, 0, MX_USER_SIGNAL_0);
	KUNIT_ASSERT_EQ(test, mx_port_test_take(test, &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.key, 7ull);
	KUNIT_EXPECT_EQ(test, pkt.type, MX_PKT_TYPE_SIGNAL_ONE);
	KUNIT_EXPECT_EQ(test, pkt.status, 0);
	KUNIT_EXPECT_EQ(test, pkt.signal.trigger, MX_USER_SIGNAL_0);
	KUNIT_EXPECT_EQ(test, pkt.signal.observed,
			MX_SIGNAL_LAST_HANDLE | MX_USER_SIGNAL_0 |
			MX_USER_SIGNAL_1);
	KUNIT_EXPECT_EQ(test, pkt.signal.count, 1ull);
	mx_port_expect_usage(test, 0, 0);
	mx_port_test_signal(test, MX_USER_SIGNAL_0, 0);
	mx_port_test_signal(test, 0, MX_USER_SIGNAL_0);
	KUNIT_EXPECT_EQ(test, mx_port_test_take(test, &pkt), MX_ERR_TIMED_OUT);
	MX_KT_EXPECT_UNCHARGED(test, f->u, 1);
}

/* A REPEATING registration whose packet is queued adds no second one. */
static void mx_port_async_repeating_queued_once(struct kunit *test)
{
	struct mx_port_packet pkt;
	int i;

	KUNIT_ASSERT_EQ(test, mx_port_test_async(test, 9, MX_USER_SIGNAL_1,
						 true), 0);
	for (i = 0; i < 3; i++) {
		mx_port_test_signal(test, 0, MX_USER_SIGNAL_1);
		mx_port_test_signal(test, MX_USER_SIGNAL_1, 0);
	}
	KUNIT_ASSERT_EQ(test, mx_port_test_take(test, &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.key, 9ull);
	KUNIT_EXPECT_EQ(test, pkt.type, MX_PKT_TYPE_SIGNAL_REP);
	KUNIT_EXPECT_EQ(test, pkt.signal.observed,
			MX_SIGNAL_LAST_HANDLE | MX_USER_SIGNAL_1);
	KUNIT_EXPECT_EQ(test, mx_port_test_take(test, &pkt), MX_ERR_TIMED_OUT);
	/* Delivered: the next match queues it again. */
	mx_port_test_signal(test, 0, MX_USER_SIGNAL_1);
	KUNIT_ASSERT_EQ(test, mx_port_test_take(test, &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.key, 9ull);
	KUNIT_EXPECT_EQ(test, mx_port_test_take(test, &pkt), MX_ERR_TIMED_OUT);
	mx_port_expect_usage(test, 0, 1);
}

/* A trigger already asserted queues the packet at registration. */
static void mx_port_async_asserted_at_once(struct kunit *test)
{
	struct mx_port_fixture *f = test->priv;
	struct mx_port_packet pkt;

	mx_port_test_signal(test, 0, MX_USER_SIGNAL_2);
	KUNIT_ASSERT_EQ(test, mx_port_test_async(test, 3, MX_USER_SIGNAL_2 |
						 MX_USER_SIGNAL_3, false), 0);
	KUNIT_ASSERT_EQ(test, mx_port_test_take(test, &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.key, 3ull);
	KUNIT_EXPECT_EQ(test, pkt.signal.trigger,
			MX_USER_SIGNAL_2 | MX_USER_SIGNAL_3);
	KUNIT_EXPECT_EQ(test, pkt.signal.observed,
			MX_SIGNAL_LAST_HANDLE | MX_USER_SIGNAL_2);
	MX_KT_EXPECT_UNCHARGED(test, f->u, 1);
}

/* Cancel removes the registrations and packets of its key only. */
static void mx_port_cancel_by_key(struct kunit *test)
{
	struct mx_port_fixture *f = test->priv;
	struct mx_port_packet pkt;

	KUNIT_ASSERT_EQ(test, mx_port_test_async(test, 1, MX_USER_SIGNAL_0,
						 true), 0);
	KUNIT_ASSERT_EQ(test, mx_port_test_async(test, 2, MX_USER_SIGNAL_0,
						 true), 0);
	mx_port_test_signal(test, 0, MX_USER_SIGNAL_0);
	mx_port_expect_usage(test, 0, 2);
	KUNIT_EXPECT_EQ(test, mx_port_cancel_key(f->t, f->port, f->ev_v, 1), 0);
	mx_port_expect_usage(test, 0, 1);
	KUNIT_ASSERT_EQ(test, mx_port_test_take(test, &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.key, 2ull);
	KUNIT_EXPECT_EQ(test, mx_port_test_take(test, &pkt), MX_ERR_TIMED_OUT);
	KUNIT_EXPECT_EQ(test, mx_port_cancel_key(f->t, f->port, f->ev_v, 1),
			MX_ERR_NOT_FOUND);
	mx_port_test_signal(test, MX_USER_SIGNAL_0, 0);
	mx_port_test_signal(test, 0, MX_USER_SIGNAL_0);
	KUNIT_ASSERT_EQ(test, mx_port_test_take(test, &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.key, 2ull);
	KUNIT_EXPECT_EQ(test, mx_port_test_take(test, &pkt), MX_ERR_TIMED_OUT);
}

/* A fired ONCE registration's packet is taken back through its handle. */
static void mx_port_cancel_takes_fired_packet(struct kunit *test)
{
	struct mx_port_fixture *f = test->priv;
	struct mx_port_packet pkt;

	KUNIT_ASSERT_EQ(test, mx_port_test_async(test, 5, MX_USER_SIGNAL_0,
						 false), 0);
	mx_port_test_signal(test, 0, MX_USER_SIGNAL_0);
	KUNIT_EXPECT_EQ(test, mx_port_cancel_key(f->t, f->port, f->ev_v, 5), 0);
	KUNIT_EXPECT_EQ(test, mx_port_test_take(test, &pkt), MX_ERR_TIMED_OUT);
	MX_KT_EXPECT_UNCHARGED(test, f->u, 1);
}

/* Cancel checks its handle: bad, rights, waitable; then finds nothing. */
static void mx_port_cancel_errors(struct kunit *test)
{
	struct mx_port_fixture *f = test->priv;
	s32 gone = mx_kt_install(test, f->t, f->ev, MX_DEFAULT_EVENT_RIGHTS);
	s32 noread = mx_kt_install(test, f->t, f->ev, MX_RIGHT_TRANSFER);

	mx_kt_close(test, f->t, gone);
	KUNIT_EXPECT_EQ(test, mx_port_cancel_key(f->t, f->port, gone, 1),
			MX_ERR_BAD_HANDLE);
	KUNIT_EXPECT_EQ(test, mx_port_cancel_key(f->t, f->port, noread, 1),
			MX_ERR_ACCESS_DENIED);
	KUNIT_EXPECT_EQ(test, mx_port_cancel_key(f->t, f->port, f->pv, 1),
			MX_ERR_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, mx_port_cancel_key(f->t, f->port, f->ev_v, 1),
			MX_ERR_NOT_FOUND);
	KUNIT_EXPECT_EQ(test, mx_port_wait_async(f->t, noread, f->port, 1,
						 MX_USER_SIGNAL_0, false, f->u),
			MX_ERR_ACCESS_DENIED);
	MX_KT_EXPECT_UNCHARGED(test, f->u, 1);
}

/* Closing the watched handle ends the registration; its packet stays. */
static void mx_port_close_ends_registration(struct kunit *test)
{
	struct mx_port_fixture *f = test->priv;
	struct mx_port_packet pkt;

	KUNIT_ASSERT_EQ(test, mx_port_test_async(test, 6, MX_USER_SIGNAL_0,
						 true), 0);
	mx_port_test_signal(test, 0, MX_USER_SIGNAL_0);
	mx_kt_close(test, f->t, f->ev_v);
	KUNIT_ASSERT_EQ(test, mx_port_test_take(test, &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.key, 6ull);
	mx_port_test_signal(test, MX_USER_SIGNAL_0, 0);
	mx_port_test_signal(test, 0, MX_USER_SIGNAL_0);
	KUNIT_EXPECT_EQ(test, mx_port_test_take(test, &pkt), MX_ERR_TIMED_OUT);
	MX_KT_EXPECT_UNCHARGED(test, f->u, 1);
}

/* The port's last handle ends every registration and drops every packet. */
static void mx_port_close_port_drains(struct kunit *test)
{
	struct mx_port_fixture *f = test->priv;

	KUNIT_ASSERT_EQ(test, mx_port_test_async(test, 1, MX_USER_SIGNAL_0,
						 true), 0);
	KUNIT_ASSERT_EQ(test, mx_port_test_async(test, 2, MX_USER_SIGNAL_1,
						 false), 0);
	mx_port_test_signal(test, 0, MX_USER_SIGNAL_0);
	KUNIT_ASSERT_EQ(test, mx_port_test_queue(test, 3), 0);
	mx_kt_close(test, f->t, f->pv);
	MX_KT_EXPECT_UNCHARGED(test, f->u, 1);
	/* The event's observers are gone with them. */
	KUNIT_EXPECT_TRUE(test, list_empty(&f->ev->observers));
}

/* A packet that cannot be copied out goes back to the head of the queue. */
static void mx_port_bad_buffer_puts_back(struct kunit *test)
{
	struct mx_port_fixture *f = test->priv;
	struct mx_port_packet pkt;

	KUNIT_ASSERT_EQ(test, mx_port_test_queue(test, 5), 0);
	KUNIT_ASSERT_EQ(test, mx_port_test_queue(test, 6), 0);
	KUNIT_EXPECT_EQ(test, mx_port_wait_packet(f->port, 0, mx_port_test_copy,
						  (void *)16),
			MX_ERR_INVALID_ARGS);
	KUNIT_ASSERT_EQ(test, mx_port_test_take(test, &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.key, 5ull);
	KUNIT_ASSERT_EQ(test, mx_port_test_take(test, &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.key, 6ull);
}

struct mx_port_later {
	struct delayed_work work;
	struct kunit *test;
};

static void mx_port_later_fn(struct work_struct *work)
{
	struct mx_port_later *l = container_of(to_delayed_work(work),
					       struct mx_port_later, work);

	mx_port_test_queue(l->test, 42);
}

/* A waiter sleeps until a packet comes. */
static void mx_port_wait_woken_by_packet(struct kunit *test)
{
	struct mx_port_later l = { .test = test };
	struct mx_port_packet pkt;
	int ret;

	INIT_DELAYED_WORK(&l.work, mx_port_later_fn);
	schedule_delayed_work(&l.work, msecs_to_jiffies(20));
	ret = mx_port_test_wait(test, mx_kt_deadline_ms(10000), &pkt);
	flush_delayed_work(&l.work);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, pkt.key, 42ull);
	KUNIT_EXPECT_EQ(test, mx_port_test_take(test, &pkt), MX_ERR_TIMED_OUT);
}

/* With nothing queued the wait ends at its deadline, not before. */
static void mx_port_wait_times_out(struct kunit *test)
{
	u64 deadline = mx_kt_deadline_ms(20);
	struct mx_port_packet pkt;

	KUNIT_EXPECT_EQ(test, mx_port_test_wait(test, deadline, &pkt),
			MX_ERR_TIMED_OUT);
	KUNIT_EXPECT_GE(test, ktime_get_ns(), deadline);
}

/* READABLE asserted at registration counts the messages queued. */
static void mx_port_channel_packet_counts_messages(struct kunit *test)
{
	struct mx_port_fixture *f = test->priv;
	struct mx_object *a, *b;
	struct mx_port_packet pkt;
	struct mx_message *m;
	s32 va, vb;
	int i;

	KUNIT_ASSERT_EQ(test, mx_channel_alloc_pair(&a, &b), 0);
	mx_kt_put_at_end(test, a);
	mx_kt_put_at_end(test, b);
	va = mx_kt_install(test, f->t, a, MX_DEFAULT_CHANNEL_RIGHTS);
	vb = mx_kt_install(test, f->t, b, MX_DEFAULT_CHANNEL_RIGHTS);
	for (i = 0; i < 3; i++) {
		m = mx_message_alloc(4, 0, NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(m));
		memset(mx_message_data(m), 0, 4);
		KUNIT_ASSERT_EQ(test, mx_channel_send(f->t, a, m, NULL, NULL),
				0);
	}
	KUNIT_ASSERT_EQ(test, mx_port_wait_async(f->t, vb, f->port, 11,
						 MX_CHANNEL_READABLE, true,
						 f->u), 0);
	KUNIT_ASSERT_EQ(test, mx_port_test_take(test, &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.key, 11ull);
	KUNIT_EXPECT_EQ(test, pkt.signal.count, 3ull);
	KUNIT_EXPECT_EQ(test, pkt.signal.observed,
			MX_SIGNAL_LAST_HANDLE | MX_CHANNEL_READABLE |
			MX_CHANNEL_WRITABLE);
	/* A later packet counts 1, whatever is queued. */
	mx_kt_close(test, f->t, va);
	KUNIT_ASSERT_EQ(test, mx_port_test_take(test, &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.signal.count, 1ull);
	KUNIT_EXPECT_EQ(test, pkt.signal.observed,
			MX_SIGNAL_LAST_HANDLE | MX_CHANNEL_READABLE |
			MX_CHANNEL_PEER_CLOSED);
}

static struct kunit_case mx_port_cases[] = {
	KUNIT_CASE(mx_port_user_packets_in_order),
	KUNIT_CASE(mx_port_user_packet_limit),
	KUNIT_CASE(mx_port_dead_refuses),
	KUNIT_CASE(mx_port_async_once_fires_once),
	KUNIT_CASE(mx_port_async_repeating_queued_once),
	KUNIT_CASE(mx_port_async_asserted_at_once),
	KUNIT_CASE(mx_port_cancel_by_key),
	KUNIT_CASE(mx_port_cancel_takes_fired_packet),
	KUNIT_CASE(mx_port_cancel_errors),
	KUNIT_CASE(mx_port_close_ends_registration),
	KUNIT_CASE(mx_port_close_port_drains),
	KUNIT_CASE(mx_port_bad_buffer_puts_back),
	KUNIT_CASE(mx_port_wait_woken_by_packet),
	KUNIT_CASE(mx_port_wait_times_out),
	KUNIT_CASE(mx_port_channel_packet_counts_messages),
	{}
};

static struct kunit_suite mx_port_suite = {
	.name = "mx_port",
	.init = mx_port_test_init,
	.exit = mx_port_test_exit,
	.test_cases = mx_port_cases,
};

kunit_test_suite(mx_port_suite);
