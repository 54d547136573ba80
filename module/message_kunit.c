// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of channel messages (message.c): their layout at the size
 * limits, what they charge their user and give back, the handles they own,
 * copies to and from user memory, and the reaper. Part of mx_kunit.ko
 * (see handle_table_kunit.c).
 *
 * The cases that lower a per-user limit put it back in the suite's exit,
 * which runs however the case ended. They charge a user no process runs
 * as (kunit_util.h), so its counters start at zero.
 *
 * Locking: each case owns its messages; the reaper's lock is taken by the
 * code under test.
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "event.h"
#include "kunit_util.h"
#include "message.h"
#include "sys_channel.h"
#include "user.h"

struct mx_msg_saved {
	unsigned long message_bytes;
	unsigned int inflight_handles;
};

static int mx_msg_test_init(struct kunit *test)
{
	struct mx_msg_saved *s;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->message_bytes = READ_ONCE(mx_max_user_message_bytes);
	s->inflight_handles = READ_ONCE(mx_max_user_inflight_handles);
	test->priv = s;
	return 0;
}

static void mx_msg_test_exit(struct kunit *test)
{
	struct mx_msg_saved *s = test->priv;

	WRITE_ONCE(mx_max_user_message_bytes, s->message_bytes);
	WRITE_ONCE(mx_max_user_inflight_handles, s->inflight_handles);
}

/* The head of a message with @handles handles, before its bytes. */
static size_t mx_msg_head(u32 handles)
{
	return struct_size_t(struct mx_message, handles, handles);
}

static struct mx_message *mx_msg_alloc(struct kunit *test, u32 bytes,
				       u32 handles, struct mx_user *u)
{
	struct mx_message *m = mx_message_alloc(bytes, handles, u);

	KUNIT_ASSERT_FALSE(test, IS_ERR(m));
	return m;
}

/* A small message is one allocation: head, handle slots, then bytes. */
static void mx_msg_small_is_inline(struct kunit *test)
{
	struct mx_message *m = mx_msg_alloc(test, 100, 2, NULL);

	KUNIT_EXPECT_TRUE(test, m->data_inline);
	KUNIT_EXPECT_EQ(test, m->num_bytes, 100u);
	KUNIT_EXPECT_EQ(test, m->num_handles, 2);
	KUNIT_EXPECT_EQ(test, m->nr_pages, 0);
	KUNIT_EXPECT_EQ(test, m->gc_handles, 0);
	KUNIT_EXPECT_NULL(test, m->user);
	KUNIT_EXPECT_NULL(test, m->owner);
	KUNIT_EXPECT_EQ(test, (size_t)m->kcost,
			kmalloc_size_roundup(mx_msg_head(2) + 100));
	KUNIT_EXPECT_PTR_EQ(test, mx_message_data(m),
			    (void *)&m->handles[2]);
	KUNIT_EXPECT_TRUE(test, list_empty(&m->node));
	KUNIT_EXPECT_TRUE(test, list_empty(&m->gc_node));
	mx_message_release(m);
}

/* Up to a page in all the bytes are inline; one byte more, they are not. */
static void mx_msg_page_boundary(struct kunit *test)
{
	u32 fit = PAGE_SIZE - mx_msg_head(1);
	struct mx_message *m;

	m = mx_msg_alloc(test, fit, 1, NULL);
	KUNIT_EXPECT_TRUE(test, m->data_inline);
	KUNIT_EXPECT_EQ(test, m->nr_pages, 0);
	KUNIT_EXPECT_EQ(test, (size_t)m->kcost, PAGE_SIZE);
	mx_message_release(m);

	m = mx_msg_alloc(test, fit + 1, 1, NULL);
	KUNIT_EXPECT_FALSE(test, m->data_inline);
	KUNIT_EXPECT_EQ(test, m->nr_pages, 1);
	KUNIT_EXPECT_EQ(test, (size_t)m->kcost,
			kmalloc_size_roundup(mx_msg_head(1) +
					     sizeof(struct page *)));
	mx_message_release(m);
}

/* The largest message: 64 KiB in 16 pages, 64 handles, a small head. */
static void mx_msg_largest_in_pages(struct kunit *test)
{
	struct mx_message *m;

	m = mx_msg_alloc(test, MX_CHANNEL_MAX_MSG_BYTES,
			 MX_CHANNEL_MAX_MSG_HANDLES, NULL);
	KUNIT_EXPECT_FALSE(test, m->data_inline);
	KUNIT_EXPECT_EQ(test, m->nr_pages, MX_CHANNEL_MAX_MSG_BYTES / PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, m->num_handles, MX_CHANNEL_MAX_MSG_HANDLES);
	KUNIT_EXPECT_EQ(test, (size_t)m->kcost,
			kmalloc_size_roundup(mx_msg_head(MX_CHANNEL_MAX_MSG_HANDLES) +
					     16 * sizeof(struct page *)));
	KUNIT_EXPECT_LT(test, (size_t)m->kcost, PAGE_SIZE);
	mx_message_release(m);
}

/* A message charges its allocation and its handles, and gives them back. */
static void mx_msg_charges_user(struct kunit *test)
{
	struct mx_user *u = mx_kt_user(test);
	struct mx_user_usage use;
	struct mx_message *m;

	MX_KT_EXPECT_UNCHARGED(test, u, 1);
	m = mx_msg_alloc(test, 1000, 3, u);
	KUNIT_EXPECT_PTR_EQ(test, m->user, u);
	mx_user_usage(u, &use);
	KUNIT_EXPECT_EQ(test, use.message_bytes, (long)m->kcost);
	KUNIT_EXPECT_EQ(test, use.inflight, 3u);
	KUNIT_EXPECT_EQ(test, use.refs, 2u);
	mx_message_release(m);
	MX_KT_EXPECT_UNCHARGED(test, u, 1);
}

/* A message in pages charges its pages as well. */
static void mx_msg_charges_pages(struct kunit *test)
{
	struct mx_user *u = mx_kt_user(test);
	struct mx_user_usage use;
	struct mx_message *m;

	m = mx_msg_alloc(test, 3 * PAGE_SIZE, 0, u);
	mx_user_usage(u, &use);
	KUNIT_EXPECT_EQ(test, m->nr_pages, 3);
	KUNIT_EXPECT_EQ(test, use.message_bytes,
			(long)(m->kcost + 3 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, use.inflight, 0u);
	mx_message_free(m);
	MX_KT_EXPECT_UNCHARGED(test, u, 1);
}

/* Over the user's bytes, nothing is allocated and nothing stays charged. */
static void mx_msg_user_bytes_limit(struct kunit *test)
{
	struct mx_user *u = mx_kt_user(test);
	struct mx_message *m, *n;
	size_t cost;

	m = mx_msg_alloc(test, 100, 0, u);
	cost = m->kcost;
	WRITE_ONCE(mx_max_user_message_bytes, 2 * cost);
	n = mx_msg_alloc(test, 100, 0, u);
	KUNIT_EXPECT_PTR_EQ(test, mx_message_alloc(100, 0, u),
			    ERR_PTR(MX_ERR_NO_RESOURCES));
	mx_message_release(m);
	mx_message_release(n);
	/* A message bigger than the limit on its own never fits. */
	KUNIT_EXPECT_PTR_EQ(test, mx_message_alloc(3 * cost, 0, u),
			    ERR_PTR(MX_ERR_NO_RESOURCES));
	MX_KT_EXPECT_UNCHARGED(test, u, 1);
}

/* Over the user's handles in flight: refused, its bytes given back too. */
static void mx_msg_user_handles_limit(struct kunit *test)
{
	struct mx_user *u = mx_kt_user(test);
	struct mx_user_usage use;
	struct mx_message *m;

	WRITE_ONCE(mx_max_user_inflight_handles, 4);
	m = mx_msg_alloc(test, 0, 4, u);
	KUNIT_EXPECT_PTR_EQ(test, mx_message_alloc(0, 1, u),
			    ERR_PTR(MX_ERR_NO_RESOURCES));
	mx_user_usage(u, &use);
	KUNIT_EXPECT_EQ(test, use.inflight, 4u);
	KUNIT_EXPECT_EQ(test, use.message_bytes, (long)m->kcost);
	KUNIT_EXPECT_EQ(test, use.refs, 2u);
	mx_message_release(m);
	MX_KT_EXPECT_UNCHARGED(test, u, 1);
}

/* Fill the @n handle slots of @m with live handles to @obj. */
static void mx_msg_fill(struct kunit *test, struct mx_message *m,
			struct mx_object *obj, u32 n)
{
	struct mx_handle *h;
	u32 i;

	for (i = 0; i < n; i++) {
		h = mx_handle_alloc(obj, MX_DEFAULT_EVENT_RIGHTS);
		KUNIT_ASSERT_NOT_NULL(test, h);
		mx_handle_count_inc(h);
		m->handles[i] = h;
	}
}

/* Freeing a message closes the handles it carries. */
static void mx_msg_free_closes_handles(struct kunit *test)
{
	struct mx_object *ev = mx_event_new();
	struct mx_user *u = mx_kt_user(test);
	struct mx_message *m;

	KUNIT_ASSERT_NOT_NULL(test, ev);
	mx_kt_put_at_end(test, ev);
	m = mx_msg_alloc(test, 16, 3, u);
	mx_msg_fill(test, m, ev, 3);
	KUNIT_EXPECT_EQ(test, ev->handle_count, 3u);
	KUNIT_EXPECT_EQ(test, kref_read(&ev->ref), 4u);
	mx_message_free(m);
	KUNIT_EXPECT_EQ(test, ev->handle_count, 0u);
	KUNIT_EXPECT_EQ(test, kref_read(&ev->ref), 1u);
	MX_KT_EXPECT_UNCHARGED(test, u, 1);
}

/* Releasing one whose handles went elsewhere leaves them alone. */
static void mx_msg_release_keeps_handles(struct kunit *test)
{
	struct mx_object *ev = mx_event_new();
	struct mx_handle *h[2];
	struct mx_message *m;

	KUNIT_ASSERT_NOT_NULL(test, ev);
	mx_kt_put_at_end(test, ev);
	m = mx_msg_alloc(test, 0, 2, NULL);
	mx_msg_fill(test, m, ev, 2);
	h[0] = m->handles[0];
	h[1] = m->handles[1];
	mx_message_release(m);
	KUNIT_EXPECT_EQ(test, ev->handle_count, 2u);
	KUNIT_EXPECT_EQ(test, kref_read(&ev->ref), 3u);
	mx_handle_destroy(h[0]);
	mx_handle_destroy(h[1]);
	KUNIT_EXPECT_EQ(test, ev->handle_count, 0u);
}

/* Reuse for bytes: inline, no handles, and room in its allocation. */
static void mx_msg_can_hold(struct kunit *test)
{
	struct mx_message *m = mx_msg_alloc(test, 10, 0, NULL);
	u32 room = m->kcost - mx_msg_head(0);

	KUNIT_EXPECT_TRUE(test, mx_message_can_hold(m, 0));
	KUNIT_EXPECT_TRUE(test, mx_message_can_hold(m, room));
	KUNIT_EXPECT_FALSE(test, mx_message_can_hold(m, room + 1));
	mx_message_release(m);

	m = mx_msg_alloc(test, 10, 1, NULL);
	KUNIT_EXPECT_FALSE(test, mx_message_can_hold(m, 10));
	mx_message_release(m);

	m = mx_msg_alloc(test, 2 * PAGE_SIZE, 0, NULL);
	KUNIT_EXPECT_FALSE(test, mx_message_can_hold(m, 10));
	mx_message_release(m);
}

/* Bytes copied in and out again are the same, inline or in pages. */
static void mx_msg_copy_round_trip(struct kunit *test)
{
	static const u32 sizes[] = { 1, 100, PAGE_SIZE + 1,
				     MX_CHANNEL_MAX_MSG_BYTES };
	const u32 n = MX_CHANNEL_MAX_MSG_BYTES;
	void __user *ubuf = mx_kt_user_mem(test, 2 * n);
	u8 *src = kunit_kmalloc(test, n, GFP_KERNEL);
	u8 *dst = kunit_kmalloc(test, n, GFP_KERNEL);
	struct mx_message *m;
	u32 i, k, txid;

	KUNIT_ASSERT_NOT_NULL(test, src);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	for (i = 0; i < n; i++)
		src[i] = i * 7 + (i >> 9);
	KUNIT_ASSERT_EQ(test, copy_to_user(ubuf, src, n), 0ul);
	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		m = mx_msg_alloc(test, sizes[k], 0, NULL);
		KUNIT_EXPECT_EQ(test, mx_message_copy_in(m, ubuf), 0ul);
		KUNIT_EXPECT_EQ(test, mx_message_copy_out(m, ubuf + n), 0ul);
		memset(dst, 0xa5, n);
		KUNIT_ASSERT_EQ(test, copy_from_user(dst, ubuf + n, sizes[k]),
				0ul);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(dst, src, sizes[k]), 0,
				    "%u bytes", sizes[k]);
		memcpy(&txid, src, sizeof(txid));
		KUNIT_EXPECT_EQ(test, mx_message_txid(m),
				sizes[k] < 4 ? 0 : txid);
		mx_message_release(m);
	}
}

/* A copy that faults says how many bytes it did not copy. */
static void mx_msg_copy_in_fault(struct kunit *test)
{
	void __user *ubuf = mx_kt_user_mem(test, 2 * PAGE_SIZE);
	struct mx_message *m;

	KUNIT_ASSERT_EQ(test, vm_munmap((unsigned long)ubuf + PAGE_SIZE,
					PAGE_SIZE), 0);
	m = mx_msg_alloc(test, 3 * PAGE_SIZE, 0, NULL);
	/* The first page is copied, the second faults. */
	KUNIT_EXPECT_EQ(test, mx_message_copy_in(m, ubuf),
			2ul * PAGE_SIZE);
	mx_message_release(m);

	m = mx_msg_alloc(test, 64, 0, NULL);
	KUNIT_EXPECT_EQ(test, mx_message_copy_in(m, ubuf + PAGE_SIZE), 64ul);
	KUNIT_EXPECT_EQ(test, mx_message_copy_out(m, ubuf + PAGE_SIZE), 64ul);
	mx_message_release(m);
}

/* The reaper frees what it is given, handles closed, once flushed. */
static void mx_msg_reaper_frees(struct kunit *test)
{
	struct mx_object *ev = mx_event_new();
	struct mx_user *u = mx_kt_user(test);
	struct mx_message *m;
	LIST_HEAD(dead);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, ev);
	mx_kt_put_at_end(test, ev);
	for (i = 0; i < 3; i++) {
		m = mx_msg_alloc(test, 8, 2, u);
		mx_msg_fill(test, m, ev, 2);
		list_add_tail(&m->node, &dead);
	}
	KUNIT_EXPECT_EQ(test, ev->handle_count, 6u);
	mx_message_reap(&dead);
	KUNIT_EXPECT_TRUE(test, list_empty(&dead));
	mx_message_flush();
	KUNIT_EXPECT_EQ(test, ev->handle_count, 0u);
	KUNIT_EXPECT_EQ(test, kref_read(&ev->ref), 1u);
	MX_KT_EXPECT_UNCHARGED(test, u, 1);
}

static struct kunit_case mx_message_cases[] = {
	KUNIT_CASE(mx_msg_small_is_inline),
	KUNIT_CASE(mx_msg_page_boundary),
	KUNIT_CASE(mx_msg_largest_in_pages),
	KUNIT_CASE(mx_msg_charges_user),
	KUNIT_CASE(mx_msg_charges_pages),
	KUNIT_CASE(mx_msg_user_bytes_limit),
	KUNIT_CASE(mx_msg_user_handles_limit),
	KUNIT_CASE(mx_msg_free_closes_handles),
	KUNIT_CASE(mx_msg_release_keeps_handles),
	KUNIT_CASE(mx_msg_can_hold),
	KUNIT_CASE(mx_msg_copy_round_trip),
	KUNIT_CASE(mx_msg_copy_in_fault),
	KUNIT_CASE(mx_msg_reaper_frees),
	{}
};

static struct kunit_suite mx_message_suite = {
	.name = "mx_message",
	.init = mx_msg_test_init,
	.exit = mx_msg_test_exit,
	.test_cases = mx_message_cases,
};

kunit_test_suite(mx_message_suite);
