/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the KUnit suites (*_kunit.c, mx_kunit.ko) share, and nothing else
 * includes: handle tables and processes without a Linux task behind them,
 * user memory for the calls that copy to and from it, a private user to
 * charge, and clean-ups that run however a case ends.
 *
 * Locking: none of its own; each helper takes the locks of the call it
 * wraps. The helpers run in a case's own kthread.
 */
#ifndef MX_KUNIT_UTIL_H
#define MX_KUNIT_UTIL_H

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/mman.h>

#include "handle_table.h"
#include "process.h"
#include "user.h"
#include "wait.h"

/* Install a new handle to @obj with @rights in @t; returns its value. */
static inline s32 mx_kt_install(struct kunit *test, struct mx_handle_table *t,
				struct mx_object *obj, u32 rights)
{
	struct mx_handle *h = mx_handle_alloc(obj, rights);
	u32 index;
	s32 v;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, h);
	ret = mx_ht_reserve(t, &index, &v);
	if (ret)
		mx_handle_free(h);
	KUNIT_ASSERT_EQ(test, ret, 0);
	mx_ht_commit(t, index, h);
	return v;
}

/* Close the handle @v of @t, as mx_handle_close() does. */
static inline void mx_kt_close(struct kunit *test, struct mx_handle_table *t,
			       s32 v)
{
	struct mx_handle *h = mx_ht_remove(t, v);

	KUNIT_ASSERT_NOT_NULL(test, h);
	mx_handle_destroy(h);
}

/* The object the handle @v of @t names, referenced by the case. */
static inline struct mx_object *mx_kt_obj(struct kunit *test,
					  struct mx_handle_table *t, s32 v)
{
	struct mx_object *obj;

	KUNIT_ASSERT_EQ(test, mx_ht_get(t, v, 0, NULL, &obj, NULL), 0);
	return obj;
}

static inline void mx_kt_put_action(void *obj)
{
	mx_object_put(obj);
}

/* Drop the case's reference to @obj when the case ends, however it ends. */
static inline void mx_kt_put_at_end(struct kunit *test, struct mx_object *obj)
{
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, mx_kt_put_action,
							 obj), 0);
}

static inline void mx_kt_table_end(void *arg)
{
	struct mx_handle_table *t = arg;

	mx_ht_close_all(t);
	mx_ht_destroy(t);
}

/* A handle table of at most @limit handles, closed when the case ends. */
static inline struct mx_handle_table *mx_kt_table(struct kunit *test,
						  u32 limit)
{
	struct mx_handle_table *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	mx_ht_init(t, mx_ht_new_mixer(), limit);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, mx_kt_table_end,
							 t), 0);
	return t;
}

static inline void mx_kt_process_end(void *arg)
{
	struct mx_process *p = arg;

	mx_wait_process_exit(p);
	mx_ht_close_all(&p->table);
	mx_ht_destroy(&p->table);
}

/*
 * A process for the calls that take one: its handle table and its parked
 * waits, nothing else (no task, no job, no object head in use). Ended
 * when the case ends.
 */
static inline struct mx_process *mx_kt_process(struct kunit *test)
{
	struct mx_process *p;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	mx_ht_init(&p->table, mx_ht_new_mixer(), 1024);
	mx_parked_calls_init(&p->parked);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, mx_kt_process_end,
							 p), 0);
	return p;
}

/* @len bytes of user memory, readable and writable, in the case's mm. */
static inline void __user *mx_kt_user_mem(struct kunit *test, size_t len)
{
	unsigned long addr;

	addr = kunit_vm_mmap(test, NULL, 0, len, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE(test, !addr || IS_ERR_VALUE(addr));
	return (void __user *)addr;
}

/* A uid no process runs as: its user starts with nothing charged. */
#define MX_KT_UID	KUIDT_INIT(0x7ffe0000)

static inline void mx_kt_user_put(void *u)
{
	mx_user_put(u);
}

/* The user of MX_KT_UID, referenced until the case ends. */
static inline struct mx_user *mx_kt_user(struct kunit *test)
{
	struct mx_user *u = mx_user_get(MX_KT_UID);

	KUNIT_ASSERT_NOT_NULL(test, u);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, mx_kt_user_put,
							 u), 0);
	return u;
}

/* Expect nothing charged to @u but the references the case holds. */
#define MX_KT_EXPECT_UNCHARGED(test, u, nrefs)				\
	do {								\
		struct mx_user_usage __use;				\
									\
		mx_user_usage(u, &__use);				\
		KUNIT_EXPECT_EQ(test, __use.objects, 0u);		\
		KUNIT_EXPECT_EQ(test, __use.message_bytes, 0L);	\
		KUNIT_EXPECT_EQ(test, __use.inflight, 0u);		\
		KUNIT_EXPECT_EQ(test, __use.watches, 0u);		\
		KUNIT_EXPECT_EQ(test, __use.refs, (unsigned int)(nrefs)); \
	} while (0)

/* An absolute deadline @ms milliseconds from now. */
static inline u64 mx_kt_deadline_ms(unsigned int ms)
{
	return ktime_get_ns() + (u64)ms * NSEC_PER_MSEC;
}

#endif /* MX_KUNIT_UTIL_H */
