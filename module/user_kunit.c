// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of per-user limits (user.c): one entry per uid, charges up
 * to each limit and not beyond, a failed charge leaving nothing behind,
 * a lowered limit, the per-process cache. Part of mx_kunit.ko (see
 * handle_table_kunit.c).
 *
 * Most cases charge a uid no process runs as (kunit_util.h); the object
 * and cache cases charge the case's own (root's), and look at differences
 * only. The limits a case lowers are put back by the suite's exit.
 *
 * Locking: the code under test takes mx_users_lock; the counters are
 * atomics.
 */
#include <kunit/test.h>
#include <linux/cred.h>

#include "event.h"
#include "kunit_util.h"
#include "user.h"

struct mx_user_saved {
	unsigned int objects;
	unsigned long message_bytes;
	unsigned int inflight_handles;
	unsigned int watches;
};

static int mx_user_test_init(struct kunit *test)
{
	struct mx_user_saved *s;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->objects = READ_ONCE(mx_max_user_objects);
	s->message_bytes = READ_ONCE(mx_max_user_message_bytes);
	s->inflight_handles = READ_ONCE(mx_max_user_inflight_handles);
	s->watches = READ_ONCE(mx_max_user_watches);
	test->priv = s;
	return 0;
}

static void mx_user_test_exit(struct kunit *test)
{
	struct mx_user_saved *s = test->priv;

	WRITE_ONCE(mx_max_user_objects, s->objects);
	WRITE_ONCE(mx_max_user_message_bytes, s->message_bytes);
	WRITE_ONCE(mx_max_user_inflight_handles, s->inflight_handles);
	WRITE_ONCE(mx_max_user_watches, s->watches);
}

/* One entry per uid, one reference per get. */
static void mx_user_one_entry_per_uid(struct kunit *test)
{
	struct mx_user *a = mx_kt_user(test);
	struct mx_user *b = mx_user_get(MX_KT_UID);

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_PTR_EQ(test, a, b);
	MX_KT_EXPECT_UNCHARGED(test, a, 2);
	mx_user_put(b);
	MX_KT_EXPECT_UNCHARGED(test, a, 1);
}

/* What one uid is charged, another is not. */
static void mx_user_uids_apart(struct kunit *test)
{
	struct mx_user *a = mx_kt_user(test);
	struct mx_user *b = mx_user_get(KUIDT_INIT(__kuid_val(MX_KT_UID) + 1));

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_PTR_NE(test, a, b);
	KUNIT_ASSERT_EQ(test, mx_user_charge_message(a, 100, 2), 0);
	KUNIT_ASSERT_EQ(test, mx_user_charge_watch(a), 0);
	MX_KT_EXPECT_UNCHARGED(test, b, 1);
	mx_user_uncharge_message(a, 100, 2);
	mx_user_uncharge_watch(a);
	mx_user_put(b);
	MX_KT_EXPECT_UNCHARGED(test, a, 1);
}

/* Message bytes up to the limit exactly; beyond it, nothing changes. */
static void mx_user_message_bytes_limit(struct kunit *test)
{
	struct mx_user *u = mx_kt_user(test);
	struct mx_user_usage use;

	WRITE_ONCE(mx_max_user_message_bytes, 1000);
	KUNIT_EXPECT_EQ(test, mx_user_charge_message(u, 1001, 0),
			MX_ERR_NO_RESOURCES);
	MX_KT_EXPECT_UNCHARGED(test, u, 1);
	KUNIT_ASSERT_EQ(test, mx_user_charge_message(u, 600, 0), 0);
	KUNIT_ASSERT_EQ(test, mx_user_charge_message(u, 400, 0), 0);
	KUNIT_EXPECT_EQ(test, mx_user_charge_message(u, 1, 0),
			MX_ERR_NO_RESOURCES);
	mx_user_usage(u, &use);
	KUNIT_EXPECT_EQ(test, use.message_bytes, 1000L);
	KUNIT_EXPECT_EQ(test, use.refs, 3u);
	mx_user_uncharge_message(u, 600, 0);
	mx_user_uncharge_message(u, 400, 0);
	MX_KT_EXPECT_UNCHARGED(test, u, 1);
}

/* Handles in flight: over the limit, the bytes are taken back as well. */
static void mx_user_inflight_limit(struct kunit *test)
{
	struct mx_user *u = mx_kt_user(test);
	struct mx_user_usage use;

	WRITE_ONCE(mx_max_user_inflight_handles, 5);
	KUNIT_ASSERT_EQ(test, mx_user_charge_message(u, 10, 5), 0);
	KUNIT_EXPECT_EQ(test, mx_user_charge_message(u, 10, 1),
			MX_ERR_NO_RESOURCES);
	mx_user_usage(u, &use);
	KUNIT_EXPECT_EQ(test, use.message_bytes, 10L);
	KUNIT_EXPECT_EQ(test, use.inflight, 5u);
	KUNIT_EXPECT_EQ(test, use.refs, 2u);
	/* Bytes alone still fit. */
	KUNIT_ASSERT_EQ(test, mx_user_charge_message(u, 10, 0), 0);
	mx_user_uncharge_message(u, 10, 0);
	mx_user_uncharge_message(u, 10, 5);
	MX_KT_EXPECT_UNCHARGED(test, u, 1);
}

/* Watches up to the limit; a limit lowered below them refuses more. */
static void mx_user_watch_limit_lowered(struct kunit *test)
{
	struct mx_user *u = mx_kt_user(test);
	struct mx_user_usage use;
	int i;

	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, mx_user_charge_watch(u), 0);
	WRITE_ONCE(mx_max_user_watches, 2);
	KUNIT_EXPECT_EQ(test, mx_user_charge_watch(u), MX_ERR_NO_RESOURCES);
	mx_user_usage(u, &use);
	KUNIT_EXPECT_EQ(test, use.watches, 3u);
	KUNIT_EXPECT_EQ(test, use.refs, 4u);
	mx_user_uncharge_watch(u);
	KUNIT_EXPECT_EQ(test, mx_user_charge_watch(u), MX_ERR_NO_RESOURCES);
	mx_user_uncharge_watch(u);
	/* Back under the limit: one more fits, and no more. */
	KUNIT_ASSERT_EQ(test, mx_user_charge_watch(u), 0);
	KUNIT_EXPECT_EQ(test, mx_user_charge_watch(u), MX_ERR_NO_RESOURCES);
	mx_user_uncharge_watch(u);
	mx_user_uncharge_watch(u);
	MX_KT_EXPECT_UNCHARGED(test, u, 1);
}

/* Objects are charged to the caller's uid and given back when freed. */
static void mx_user_objects_charged(struct kunit *test)
{
	struct mx_object *a = mx_event_new(), *b = mx_event_new();
	struct mx_user_usage before, use;
	struct mx_user *u;

	KUNIT_ASSERT_NOT_NULL(test, a);
	mx_kt_put_at_end(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	mx_kt_put_at_end(test, b);
	KUNIT_ASSERT_EQ(test, mx_user_charge(a), 0);
	KUNIT_ASSERT_NOT_NULL(test, a->user);
	/* A reference of the case's own, to look at it once a is uncharged. */
	u = mx_user_get(current_uid());
	KUNIT_ASSERT_PTR_EQ(test, u, a->user);
	mx_user_usage(u, &before);
	KUNIT_EXPECT_GE(test, before.objects, 1u);
	/* At the limit: the next object of that uid is refused. */
	WRITE_ONCE(mx_max_user_objects, before.objects);
	KUNIT_EXPECT_EQ(test, mx_user_charge(b), MX_ERR_NO_RESOURCES);
	KUNIT_EXPECT_NULL(test, b->user);
	mx_user_usage(u, &use);
	KUNIT_EXPECT_EQ(test, use.objects, before.objects);
	KUNIT_EXPECT_EQ(test, use.refs, before.refs);
	/* An object gives its charge back as it is freed. */
	mx_user_uncharge(a);
	KUNIT_EXPECT_NULL(test, a->user);
	mx_user_usage(u, &use);
	KUNIT_EXPECT_EQ(test, use.objects, before.objects - 1);
	KUNIT_EXPECT_EQ(test, use.refs, before.refs - 1);
	mx_user_put(u);
}

/* The per-process cache holds one reference and hands out others. */
static void mx_user_cache_references(struct kunit *test)
{
	struct mx_user __rcu *cache = NULL;
	struct mx_user_usage use;
	struct mx_user *u, *v;
	unsigned int refs;

	u = mx_user_cached(&cache);
	KUNIT_ASSERT_NOT_NULL(test, u);
	KUNIT_EXPECT_PTR_EQ(test, rcu_access_pointer(cache), u);
	mx_user_usage(u, &use);
	refs = use.refs;
	KUNIT_EXPECT_GE(test, refs, 2u);
	v = mx_user_cached(&cache);
	KUNIT_EXPECT_PTR_EQ(test, v, u);
	mx_user_usage(u, &use);
	KUNIT_EXPECT_EQ(test, use.refs, refs + 1);
	mx_user_put(v);
	mx_user_put(u);
	mx_user_usage(u, &use);
	/* Only the cache's own is left of the ones taken here. */
	KUNIT_EXPECT_EQ(test, use.refs, refs - 1);
	mx_user_uncache(&cache);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(cache));
}

static struct kunit_case mx_user_cases[] = {
	KUNIT_CASE(mx_user_one_entry_per_uid),
	KUNIT_CASE(mx_user_uids_apart),
	KUNIT_CASE(mx_user_message_bytes_limit),
	KUNIT_CASE(mx_user_inflight_limit),
	KUNIT_CASE(mx_user_watch_limit_lowered),
	KUNIT_CASE(mx_user_objects_charged),
	KUNIT_CASE(mx_user_cache_references),
	{}
};

static struct kunit_suite mx_user_suite = {
	.name = "mx_user",
	.init = mx_user_test_init,
	.exit = mx_user_test_exit,
	.test_cases = mx_user_cases,
};

kunit_test_suite(mx_user_suite);
