// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of blocking waits (wait.c): mx_object_wait_one() and
 * mx_object_wait_many() through their ioctl handlers, woken by a signal,
 * a pulse, a close or their deadline; settling a waiter; parking calls
 * across a signal handler and taking them back. Part of mx_kunit.ko (see
 * handle_table_kunit.c).
 *
 * The handlers run on a process of kunit_util.h (a handle table and a
 * list of parked calls, no task) with their arguments in user memory of
 * the case's own. What wakes a sleeping case comes from a delayed work
 * item, flushed before the case looks at the result; it first waits for
 * the wait's observer to be on the object, so that a slow machine cannot
 * turn a wake-up into a signal already there (or a close into a bad
 * handle). The parked calls
 * are the case's own thread's: its saved user registers are all zero, so
 * every call it parks has the same frame.
 *
 * Locking: each case owns its process; object and process locks are taken
 * by the code under test.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "event.h"
#include "ioctl.h"
#include "kunit_util.h"
#include "port.h"
#include "wait.h"

/* Where the arguments and what the handlers write back go. */
#define MX_WT_ARGS	0
#define MX_WT_OUT	256

struct mx_wait_fixture {
	struct mx_process *p;
	void __user *umem;
	struct mx_object *ev[2];
	s32 v[2];
};

static int mx_wait_test_init(struct kunit *test)
{
	struct mx_wait_fixture *f;
	int i;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	test->priv = f;
	f->p = mx_kt_process(test);
	f->umem = mx_kt_user_mem(test, PAGE_SIZE);
	for (i = 0; i < 2; i++) {
		f->ev[i] = mx_event_new();
		KUNIT_ASSERT_NOT_NULL(test, f->ev[i]);
		mx_kt_put_at_end(test, f->ev[i]);
		f->v[i] = mx_kt_install(test, &f->p->table, f->ev[i],
					MX_DEFAULT_EVENT_RIGHTS);
	}
	return 0;
}

/* mx_object_wait_one(): the result, and observed in *@observed. */
static long mx_wait_test_one(struct kunit *test, s32 handle, u32 signals,
			     u64 deadline, u32 *observed)
{
	struct mx_wait_fixture *f = test->priv;
	struct mx_ioc_wait_one a = {
		.handle = handle,
		.signals = signals,
		.deadline = deadline,
		.observed = (u64)(unsigned long)(f->umem + MX_WT_OUT),
	};
	u32 none = 0xdeadbeef;
	long ret;

	KUNIT_ASSERT_EQ(test, copy_to_user(f->umem + MX_WT_ARGS, &a,
					   sizeof(a)), 0ul);
	KUNIT_ASSERT_EQ(test, copy_to_user(f->umem + MX_WT_OUT, &none,
					   sizeof(none)), 0ul);
	ret = mx_ioc_wait_one(f->p, f->umem + MX_WT_ARGS);
	KUNIT_ASSERT_EQ(test, copy_from_user(observed, f->umem + MX_WT_OUT,
					     sizeof(*observed)), 0ul);
	return ret;
}

/* mx_object_wait_many() on @items, written back to @items. */
static long mx_wait_test_many(struct kunit *test, struct mx_wait_item *items,
			      u32 count, u64 deadline)
{
	struct mx_wait_fixture *f = test->priv;
	struct mx_ioc_wait_many a = {
		.items = (u64)(unsigned long)(f->umem + MX_WT_OUT),
		.count = count,
		.deadline = deadline,
	};
	size_t len = count * sizeof(*items);
	long ret;

	KUNIT_ASSERT_LE(test, len, (size_t)(PAGE_SIZE - MX_WT_OUT));
	KUNIT_ASSERT_EQ(test, copy_to_user(f->umem + MX_WT_ARGS, &a,
					   sizeof(a)), 0ul);
	KUNIT_ASSERT_EQ(test, copy_to_user(f->umem + MX_WT_OUT, items, len),
			0ul);
	ret = mx_ioc_wait_many(f->p, f->umem + MX_WT_ARGS);
	KUNIT_ASSERT_EQ(test, copy_from_user(items, f->umem + MX_WT_OUT, len),
			0ul);
	return ret;
}

/*
 * Something done to the case's process or objects a moment later, once
 * @watched has an observer (5 s at most): close @close, or set @set on
 * @obj and clear @clear again.
 */
struct mx_wait_later {
	struct delayed_work work;
	struct mx_object *watched;
	struct mx_process *p;
	struct mx_object *obj;
	s32 close;
	u32 set;
	u32 clear;
};

static void mx_wait_later_fn(struct work_struct *work)
{
	struct mx_wait_later *l = container_of(to_delayed_work(work),
					       struct mx_wait_later, work);
	struct mx_handle *h;
	int i;

	for (i = 0; i < 5000 && list_empty(&l->watched->observers); i++)
		usleep_range(1000, 2000);
	if (l->close) {
		h = mx_ht_remove(&l->p->table, l->close);
		if (h)
			mx_handle_destroy(h);
		return;
	}
	mx_object_update_signals(l->obj, 0, l->set);
	if (l->clear)
		mx_object_update_signals(l->obj, l->clear, 0);
}

static void mx_wait_later(struct mx_wait_later *l)
{
	INIT_DELAYED_WORK(&l->work, mx_wait_later_fn);
	schedule_delayed_work(&l->work, msecs_to_jiffies(20));
}

/* A signal already asserted satisfies the wait at once. */
static void mx_wait_one_satisfied_now(struct kunit *test)
{
	struct mx_wait_fixture *f = test->priv;
	u32 observed;

	mx_object_update_signals(f->ev[0], 0, MX_EVENT_SIGNALED);
	KUNIT_EXPECT_EQ(test, mx_wait_test_one(test, f->v[0], MX_EVENT_SIGNALED,
					       MX_TIME_INFINITE, &observed),
			(long)MX_OK);
	KUNIT_EXPECT_EQ(test, observed,
			MX_SIGNAL_LAST_HANDLE | MX_EVENT_SIGNALED);
	KUNIT_EXPECT_TRUE(test, list_empty(&f->ev[0]->observers));
}

/* Nothing comes: the wait ends at its deadline with what it saw. */
static void mx_wait_one_times_out(struct kunit *test)
{
	struct mx_wait_fixture *f = test->priv;
	u64 deadline = mx_kt_deadline_ms(20);
	u32 observed;

	KUNIT_EXPECT_EQ(test, mx_wait_test_one(test, f->v[0], MX_EVENT_SIGNALED,
					       deadline, &observed),
			(long)MX_ERR_TIMED_OUT);
	KUNIT_EXPECT_GE(test, ktime_get_ns(), deadline);
	KUNIT_EXPECT_EQ(test, observed, MX_SIGNAL_LAST_HANDLE);
	KUNIT_EXPECT_TRUE(test, list_empty(&f->ev[0]->observers));
}

/* A deadline already past is a poll. */
static void mx_wait_one_deadline_past(struct kunit *test)
{
	struct mx_wait_fixture *f = test->priv;
	u32 observed;

	KUNIT_EXPECT_EQ(test, mx_wait_test_one(test, f->v[1], MX_USER_SIGNAL_0,
					       0, &observed),
			(long)MX_ERR_TIMED_OUT);
	KUNIT_EXPECT_EQ(test, observed, MX_SIGNAL_LAST_HANDLE);
	mx_object_update_signals(f->ev[1], 0, MX_USER_SIGNAL_0);
	KUNIT_EXPECT_EQ(test, mx_wait_test_one(test, f->v[1], MX_USER_SIGNAL_0,
					       0, &observed), (long)MX_OK);
}

/* The handle's checks in order, and the arguments' memory. */
static void mx_wait_one_checks(struct kunit *test)
{
	struct mx_wait_fixture *f = test->priv;
	struct mx_object *port = mx_port_new();
	struct mx_ioc_wait_one a = { .handle = f->v[0], .signals = ~0u };
	s32 gone, noread, pv;
	u32 observed;

	KUNIT_ASSERT_NOT_NULL(test, port);
	mx_kt_put_at_end(test, port);
	pv = mx_kt_install(test, &f->p->table, port, MX_DEFAULT_PORT_RIGHTS);
	gone = mx_kt_install(test, &f->p->table, f->ev[0], MX_RIGHT_READ);
	noread = mx_kt_install(test, &f->p->table, f->ev[0], MX_RIGHT_WRITE);
	mx_kt_close(test, &f->p->table, gone);
	KUNIT_EXPECT_EQ(test, mx_wait_test_one(test, gone, ~0u, 0, &observed),
			(long)MX_ERR_BAD_HANDLE);
	/* Nothing written when the wait never began. */
	KUNIT_EXPECT_EQ(test, observed, 0xdeadbeefu);
	KUNIT_EXPECT_EQ(test, mx_wait_test_one(test, noread, ~0u, 0,
					       &observed),
			(long)MX_ERR_ACCESS_DENIED);
	KUNIT_EXPECT_EQ(test, mx_wait_test_one(test, pv, ~0u, 0, &observed),
			(long)MX_ERR_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, mx_ioc_wait_one(f->p, (void __user *)16),
			(long)MX_ERR_INVALID_ARGS);
	/* Satisfied, but observed cannot be written. */
	a.observed = 16;
	KUNIT_ASSERT_EQ(test, copy_to_user(f->umem, &a, sizeof(a)), 0ul);
	KUNIT_EXPECT_EQ(test, mx_ioc_wait_one(f->p, f->umem),
			(long)MX_ERR_INVALID_ARGS);
	KUNIT_EXPECT_TRUE(test, list_empty(&f->ev[0]->observers));
}

/* A sleeping wait is woken by the signal it waits for. */
static void mx_wait_one_woken_by_signal(struct kunit *test)
{
	struct mx_wait_fixture *f = test->priv;
	struct mx_wait_later l = { .watched = f->ev[0], .obj = f->ev[0],
				   .set = MX_EVENT_SIGNALED };
	long ret;
	u32 observed;

	mx_wait_later(&l);
	ret = mx_wait_test_one(test, f->v[0], MX_EVENT_SIGNALED,
			       mx_kt_deadline_ms(10000), &observed);
	flush_delayed_work(&l.work);
	KUNIT_EXPECT_EQ(test, ret, (long)MX_OK);
	KUNIT_EXPECT_EQ(test, observed,
			MX_SIGNAL_LAST_HANDLE | MX_EVENT_SIGNALED);
}

/* A pulse (set, then cleared) while it sleeps still satisfies it. */
static void mx_wait_one_sees_pulse(struct kunit *test)
{
	struct mx_wait_fixture *f = test->priv;
	struct mx_wait_later l = { .watched = f->ev[1], .obj = f->ev[1],
				   .set = MX_USER_SIGNAL_4,
				   .clear = MX_USER_SIGNAL_4 };
	long ret;
	u32 observed;

	mx_wait_later(&l);
	ret = mx_wait_test_one(test, f->v[1], MX_USER_SIGNAL_4,
			       mx_kt_deadline_ms(10000), &observed);
	flush_delayed_work(&l.work);
	KUNIT_EXPECT_EQ(test, ret, (long)MX_OK);
	KUNIT_EXPECT_EQ(test, observed,
			MX_SIGNAL_LAST_HANDLE | MX_USER_SIGNAL_4);
	KUNIT_EXPECT_EQ(test, mx_object_signals(f->ev[1]),
			MX_SIGNAL_LAST_HANDLE);
}

/* Closing the handle a wait was made through cancels the wait. */
static void mx_wait_one_cancelled_by_close(struct kunit *test)
{
	struct mx_wait_fixture *f = test->priv;
	struct mx_wait_later l = { .watched = f->ev[0], .p = f->p,
				   .close = f->v[0] };
	long ret;
	u32 observed;

	mx_wait_later(&l);
	ret = mx_wait_test_one(test, f->v[0], MX_EVENT_SIGNALED,
			       mx_kt_deadline_ms(10000), &observed);
	flush_delayed_work(&l.work);
	KUNIT_EXPECT_EQ(test, ret, (long)MX_ERR_CANCELED);
	KUNIT_EXPECT_EQ(test, observed,
			MX_SIGNAL_LAST_HANDLE | MX_SIGNAL_HANDLE_CLOSED);
	KUNIT_EXPECT_EQ(test, f->ev[0]->handle_count, 0u);
	KUNIT_EXPECT_TRUE(test, list_empty(&f->ev[0]->observers));
}

/* No items: a sleep until the deadline. */
static void mx_wait_many_none_sleeps(struct kunit *test)
{
	u64 deadline = mx_kt_deadline_ms(20);

	KUNIT_EXPECT_EQ(test, mx_wait_test_many(test, NULL, 0, deadline),
			(long)MX_ERR_TIMED_OUT);
	KUNIT_EXPECT_GE(test, ktime_get_ns(), deadline);
}

/* One item satisfied: every item's pending is written, nothing else. */
static void mx_wait_many_ready_now(struct kunit *test)
{
	struct mx_wait_fixture *f = test->priv;
	struct mx_wait_item it[2] = {
		{ .handle = f->v[0], .waitfor = MX_EVENT_SIGNALED,
		  .pending = 77 },
		{ .handle = f->v[1], .waitfor = MX_EVENT_SIGNALED,
		  .pending = 77 },
	};

	mx_object_update_signals(f->ev[1], 0, MX_EVENT_SIGNALED);
	KUNIT_EXPECT_EQ(test, mx_wait_test_many(test, it, 2, 0), (long)MX_OK);
	KUNIT_EXPECT_EQ(test, it[0].handle, f->v[0]);
	KUNIT_EXPECT_EQ(test, it[0].waitfor, MX_EVENT_SIGNALED);
	KUNIT_EXPECT_EQ(test, it[0].pending, MX_SIGNAL_LAST_HANDLE);
	KUNIT_EXPECT_EQ(test, it[1].pending,
			MX_SIGNAL_LAST_HANDLE | MX_EVENT_SIGNALED);
}

/* A sleeping wait_many is woken by any of its items. */
static void mx_wait_many_woken(struct kunit *test)
{
	struct mx_wait_fixture *f = test->priv;
	struct mx_wait_later l = { .watched = f->ev[1], .obj = f->ev[1],
				   .set = MX_USER_SIGNAL_1 };
	struct mx_wait_item it[2] = {
		{ .handle = f->v[0], .waitfor = MX_USER_SIGNAL_1 },
		{ .handle = f->v[1], .waitfor = MX_USER_SIGNAL_1 },
	};
	long ret;

	mx_wait_later(&l);
	ret = mx_wait_test_many(test, it, 2, mx_kt_deadline_ms(10000));
	flush_delayed_work(&l.work);
	KUNIT_EXPECT_EQ(test, ret, (long)MX_OK);
	KUNIT_EXPECT_EQ(test, it[0].pending, MX_SIGNAL_LAST_HANDLE);
	KUNIT_EXPECT_EQ(test, it[1].pending,
			MX_SIGNAL_LAST_HANDLE | MX_USER_SIGNAL_1);
	KUNIT_EXPECT_TRUE(test, list_empty(&f->ev[0]->observers));
	KUNIT_EXPECT_TRUE(test, list_empty(&f->ev[1]->observers));
}

/* Timed out, wait_many still writes back what each item saw. */
static void mx_wait_many_times_out(struct kunit *test)
{
	struct mx_wait_fixture *f = test->priv;
	struct mx_wait_item it[2] = {
		{ .handle = f->v[0], .waitfor = MX_USER_SIGNAL_7,
		  .pending = 77 },
		{ .handle = f->v[1], .waitfor = MX_USER_SIGNAL_7,
		  .pending = 77 },
	};

	KUNIT_EXPECT_EQ(test, mx_wait_test_many(test, it, 2,
						mx_kt_deadline_ms(20)),
			(long)MX_ERR_TIMED_OUT);
	KUNIT_EXPECT_EQ(test, it[0].pending, MX_SIGNAL_LAST_HANDLE);
	KUNIT_EXPECT_EQ(test, it[1].pending, MX_SIGNAL_LAST_HANDLE);
}

/* The arguments first, then the items in order; nothing written back. */
static void mx_wait_many_checks(struct kunit *test)
{
	struct mx_wait_fixture *f = test->priv;
	struct mx_ioc_wait_many a = { .count = 1 };
	struct mx_wait_item it[2] = {
		{ .handle = f->v[0], .waitfor = MX_EVENT_SIGNALED,
		  .pending = 77 },
		{ .handle = f->v[1] ^ 0x40000000, .waitfor = MX_EVENT_SIGNALED,
		  .pending = 77 },
	};

	mx_object_update_signals(f->ev[0], 0, MX_EVENT_SIGNALED);
	KUNIT_EXPECT_EQ(test, mx_wait_test_many(test, it, 2, 0),
			(long)MX_ERR_BAD_HANDLE);
	KUNIT_EXPECT_EQ(test, it[0].pending, 77u);
	KUNIT_EXPECT_EQ(test, it[1].pending, 77u);

	/* items NULL; too many; pad not zero */
	KUNIT_ASSERT_EQ(test, copy_to_user(f->umem, &a, sizeof(a)), 0ul);
	KUNIT_EXPECT_EQ(test, mx_ioc_wait_many(f->p, f->umem),
			(long)MX_ERR_INVALID_ARGS);
	a.items = (u64)(unsigned long)(f->umem + MX_WT_OUT);
	a.count = MX_WAIT_MANY_MAX_ITEMS + 1;
	KUNIT_ASSERT_EQ(test, copy_to_user(f->umem, &a, sizeof(a)), 0ul);
	KUNIT_EXPECT_EQ(test, mx_ioc_wait_many(f->p, f->umem),
			(long)MX_ERR_INVALID_ARGS);
	a.count = 1;
	a.pad = 1;
	KUNIT_ASSERT_EQ(test, copy_to_user(f->umem, &a, sizeof(a)), 0ul);
	KUNIT_EXPECT_EQ(test, mx_ioc_wait_many(f->p, f->umem),
			(long)MX_ERR_INVALID_ARGS);
}

/* The first to settle a waiter wins; later ones change nothing. */
static void mx_wait_settle_first_wins(struct kunit *test)
{
	struct mx_waiter w = { .task = current };

	KUNIT_EXPECT_TRUE(test, mx_waiter_settle(&w, MX_WAIT_SATISFIED));
	KUNIT_EXPECT_FALSE(test, mx_waiter_settle(&w, MX_WAIT_CANCELED));
	KUNIT_EXPECT_EQ(test, w.result, (int)MX_WAIT_SATISFIED);
	/* Settled: the sleep returns at once, deadline or not. */
	KUNIT_EXPECT_EQ(test, mx_wait_sleep(&w, MX_TIME_INFINITE), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(current->__state),
			(unsigned int)TASK_RUNNING);
}

/* One step of a sleep whose deadline passed: at the deadline at once. */
static void mx_wait_sleep_step_past(struct kunit *test)
{
	struct mx_waiter w = { .task = current };
	u64 deadline = mx_kt_deadline_ms(10);

	set_current_state(TASK_INTERRUPTIBLE);
	KUNIT_EXPECT_EQ(test, mx_sleep_step(0), 1);
	__set_current_state(TASK_RUNNING);
	KUNIT_EXPECT_EQ(test, mx_wait_sleep(&w, deadline), 0);
	KUNIT_EXPECT_EQ(test, w.result, (int)MX_WAIT_PENDING);
	KUNIT_EXPECT_GE(test, ktime_get_ns(), deadline);
}

/* ---- parked calls ---- */

struct mx_wait_test_parked {
	struct mx_parked pk;
	int *drops;
	const void *key;
};

static bool mx_wait_test_matches(const struct mx_parked *pk, const void *key)
{
	return container_of(pk, struct mx_wait_test_parked, pk)->key == key;
}

static void mx_wait_test_drop(struct mx_parked *pk)
{
	struct mx_wait_test_parked *tp =
		container_of(pk, struct mx_wait_test_parked, pk);

	(*tp->drops)++;
	mx_parked_fini(pk);
	kfree(tp);
}

static const struct mx_parked_ops mx_wait_test_parked_ops = {
	.matches = mx_wait_test_matches,
	.drop = mx_wait_test_drop,
};

/* Park a call of command @cmd with @key for the case's process. */
static struct mx_wait_test_parked *mx_wait_test_park(struct kunit *test,
						     unsigned int cmd,
						     const void *key,
						     int *drops)
{
	struct mx_wait_fixture *f = test->priv;
	struct mx_wait_test_parked *tp;

	tp = kzalloc(sizeof(*tp), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tp);
	tp->drops = drops;
	tp->key = key;
	mx_parked_init(&tp->pk, &mx_wait_test_parked_ops, cmd);
	KUNIT_EXPECT_PTR_EQ(test, tp->pk.w.task, current);
	KUNIT_EXPECT_EQ(test, tp->pk.w.result, (int)MX_WAIT_PENDING);
	mx_park(f->p, &tp->pk);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(tp->pk.w.parked));
	return tp;
}

/* The restarted call (same command, same arguments) takes its call back. */
static void mx_wait_park_and_take_back(struct kunit *test)
{
	struct mx_wait_fixture *f = test->priv;
	struct mx_wait_test_parked *tp;
	struct mx_parked *pk;
	int drops = 0, key;

	tp = mx_wait_test_park(test, 42, &key, &drops);
	KUNIT_EXPECT_EQ(test, f->p->parked.nr, 1u);
	pk = mx_unpark(f->p, 42, &key);
	KUNIT_EXPECT_PTR_EQ(test, pk, &tp->pk);
	KUNIT_EXPECT_EQ(test, f->p->parked.nr, 0u);
	KUNIT_EXPECT_TRUE(test, list_empty(&f->p->parked.list));
	KUNIT_EXPECT_EQ(test, drops, 0);
	if (pk) {
		KUNIT_EXPECT_FALSE(test, READ_ONCE(pk->w.parked));
		mx_wait_test_drop(pk);
	}
	/* Nothing parked: nothing found. */
	KUNIT_EXPECT_NULL(test, mx_unpark(f->p, 42, &key));
}

/* Another call from the same frame drops what was parked there. */
static void mx_wait_unpark_drops_left_frame(struct kunit *test)
{
	struct mx_wait_fixture *f = test->priv;
	int drops = 0, key, other;

	mx_wait_test_park(test, 42, &key, &drops);
	KUNIT_EXPECT_NULL(test, mx_unpark(f->p, 43, &key));
	KUNIT_EXPECT_EQ(test, drops, 1);
	KUNIT_EXPECT_EQ(test, f->p->parked.nr, 0u);

	/* The same command with other arguments is another call too. */
	mx_wait_test_park(test, 42, &key, &drops);
	KUNIT_EXPECT_NULL(test, mx_unpark(f->p, 42, &other));
	KUNIT_EXPECT_EQ(test, drops, 2);
	KUNIT_EXPECT_TRUE(test, list_empty(&f->p->parked.list));
}

/* A thread keeps its 64 newest parked calls; the oldest goes first. */
static void mx_wait_park_keeps_newest(struct kunit *test)
{
	struct mx_wait_fixture *f = test->priv;
	struct mx_wait_test_parked *tp[65];
	static const char keys[65];
	struct mx_parked *pk;
	int drops = 0, i;

	for (i = 0; i < 65; i++)
		tp[i] = mx_wait_test_park(test, 42, &keys[i], &drops);
	KUNIT_EXPECT_EQ(test, drops, 1);
	KUNIT_EXPECT_EQ(test, f->p->parked.nr, 64u);
	/* The oldest kept is found; the 63 newer, from that frame, dropped. */
	pk = mx_unpark(f->p, 42, &keys[1]);
	KUNIT_EXPECT_PTR_EQ(test, pk, &tp[1]->pk);
	KUNIT_EXPECT_EQ(test, drops, 64);
	KUNIT_EXPECT_EQ(test, f->p->parked.nr, 0u);
	if (pk)
		mx_wait_test_drop(pk);
}

/* The end of a process drops every call parked in it. */
static void mx_wait_process_exit_drops(struct kunit *test)
{
	struct mx_wait_fixture *f = test->priv;
	int drops = 0, key[3], i;

	for (i = 0; i < 3; i++)
		mx_wait_test_park(test, 40 + i, &key[i], &drops);
	KUNIT_EXPECT_EQ(test, f->p->parked.nr, 3u);
	mx_wait_process_exit(f->p);
	KUNIT_EXPECT_EQ(test, drops, 3);
	KUNIT_EXPECT_EQ(test, f->p->parked.nr, 0u);
	KUNIT_EXPECT_TRUE(test, list_empty(&f->p->parked.list));
}

static struct kunit_case mx_wait_cases[] = {
	KUNIT_CASE(mx_wait_one_satisfied_now),
	KUNIT_CASE(mx_wait_one_times_out),
	KUNIT_CASE(mx_wait_one_deadline_past),
	KUNIT_CASE(mx_wait_one_checks),
	KUNIT_CASE(mx_wait_one_woken_by_signal),
	KUNIT_CASE(mx_wait_one_sees_pulse),
	KUNIT_CASE(mx_wait_one_cancelled_by_close),
	KUNIT_CASE(mx_wait_many_none_sleeps),
	KUNIT_CASE(mx_wait_many_ready_now),
	KUNIT_CASE(mx_wait_many_woken),
	KUNIT_CASE(mx_wait_many_times_out),
	KUNIT_CASE(mx_wait_many_checks),
	KUNIT_CASE(mx_wait_settle_first_wins),
	KUNIT_CASE(mx_wait_sleep_step_past),
	KUNIT_CASE(mx_wait_park_and_take_back),
	KUNIT_CASE(mx_wait_unpark_drops_left_frame),
	KUNIT_CASE(mx_wait_park_keeps_newest),
	KUNIT_CASE(mx_wait_process_exit_drops),
	{}
};

static struct kunit_suite mx_wait_suite = {
	.name = "mx_wait",
	.init = mx_wait_test_init,
	.test_cases = mx_wait_cases,
};

kunit_test_suite(mx_wait_suite);
