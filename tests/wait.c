// SPDX-License-Identifier: MIT
/*
 * mx_object_wait_one and mx_object_wait_many: check order, deadlines,
 * observed/pending accumulation, cancellation by closing the waited
 * handle, POSIX signals during a wait, and processes dying in a wait.
 * Reference §3.12-3.13 and Magenta's handle-wait and events suites.
 */
#include "mxtest.h"

#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <sys/ioctl.h>

/*
 * A thread blocked in one wait. With @items set it calls wait_many, else
 * wait_one; with @raw_fd >= 0 it calls the ioctl itself (no libmx retry
 * loop), storing the ioctl's return value and errno.
 */
struct waiter {
	mx_handle_t h;
	mx_signals_t signals;
	mx_wait_item_t *items;
	uint32_t count;
	mx_time_t deadline;
	int raw_fd;

	mx_status_t status;
	mx_signals_t observed;
	long raw_ret;
	int raw_errno;
	mx_time_t returned_at;
	pid_t tid;
	int done;
	pthread_t th;
};

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;

	__atomic_store_n(&w->tid, gettid(), __ATOMIC_RELEASE);
	if (w->raw_fd >= 0 && w->items) {
		struct mx_ioc_wait_many a = {
			.items = (uintptr_t)w->items,
			.count = w->count,
			.deadline = w->deadline,
		};

		errno = 0;
		w->raw_ret = ioctl(w->raw_fd, MX_IOC_OBJECT_WAIT_MANY, &a);
		w->raw_errno = errno;
	} else if (w->raw_fd >= 0) {
		struct mx_ioc_wait_one a = {
			.handle = w->h,
			.signals = w->signals,
			.deadline = w->deadline,
			.observed = (uintptr_t)&w->observed,
		};

		errno = 0;
		w->raw_ret = ioctl(w->raw_fd, MX_IOC_OBJECT_WAIT_ONE, &a);
		w->raw_errno = errno;
	} else if (w->items) {
		w->status = mx_object_wait_many(w->items, w->count, w->deadline);
	} else {
		w->status = mx_object_wait_one(w->h, w->signals, w->deadline,
					       &w->observed);
	}
	w->returned_at = mxt_now();
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void start_waiter(struct waiter *w)
{
	w->tid = 0;
	w->done = 0;
	mxt_start_blocked(&w->th, waiter_main, w, &w->tid, &w->done);
}

static void wait_one_in_thread(struct waiter *w, mx_handle_t h,
			       mx_signals_t signals, mx_time_t deadline)
{
	memset(w, 0, sizeof(*w));
	w->h = h;
	w->signals = signals;
	w->deadline = deadline;
	w->raw_fd = -1;
	start_waiter(w);
}

static void join(struct waiter *w)
{
	ASSERT_EQ(pthread_join(w->th, NULL), 0);
}

/* ---- wait_one: immediate results and check order ---- */

TEST(one_satisfied_at_start_returns_ok_even_past_deadline)
{
	mx_handle_t ev = mxt_event();
	mx_signals_t obs = 0;

	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_3));
	ASSERT_OK(mx_object_wait_one(ev, MX_USER_SIGNAL_3, 0, &obs));
	ASSERT_EQ(obs, MX_USER_SIGNAL_3 | MX_SIGNAL_LAST_HANDLE);
	obs = 0;
	ASSERT_OK(mx_object_wait_one(ev, MX_USER_SIGNAL_3 | MX_USER_SIGNAL_4,
				     1, &obs));
	ASSERT_EQ(obs, MX_USER_SIGNAL_3 | MX_SIGNAL_LAST_HANDLE);
	/* LAST_HANDLE is a signal like any other. */
	ASSERT_OK(mx_object_wait_one(ev, MX_SIGNAL_LAST_HANDLE, 0, NULL));
	ASSERT_OK(mx_object_wait_one(ev, 0xffffffffu, MX_TIME_INFINITE, NULL));
}

TEST(one_zero_signals_samples_state)
{
	mx_handle_t ev = mxt_event(), d;
	mx_signals_t obs = 0xdeadbeef;

	ASSERT_STATUS(mx_object_wait_one(ev, 0, 0, &obs), MX_ERR_TIMED_OUT);
	ASSERT_EQ(obs, MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED | MX_USER_SIGNAL_7));
	d = mxt_dup(ev, MX_RIGHT_READ);
	obs = 0xdeadbeef;
	ASSERT_STATUS(mx_object_wait_one(d, 0, 0, &obs), MX_ERR_TIMED_OUT);
	ASSERT_EQ(obs, MX_EVENT_SIGNALED | MX_USER_SIGNAL_7);
	/* With a deadline ahead, 0 signals still only time out. */
	ASSERT_STATUS(mx_object_wait_one(d, 0, mx_deadline_after(MX_MSEC(5)),
					 &obs), MX_ERR_TIMED_OUT);
}

TEST(one_check_order)
{
	mx_handle_t ev = mxt_event();
	mx_handle_t w = mxt_dup(ev, MX_RIGHT_WRITE);
	mx_handle_t none = mxt_dup(ev, MX_RIGHT_NONE);
	mx_handle_t r = mxt_dup(ev, MX_RIGHT_READ);
	mx_signals_t obs = 0x1234;

	ASSERT_STATUS(mx_object_wait_one(MX_HANDLE_INVALID, MX_USER_SIGNAL_0,
					 0, &obs), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_wait_one(ev ^ 1, MX_USER_SIGNAL_0, 0, &obs),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_wait_one(MX_HANDLE_INVALID, 0, 0,
					 (mx_signals_t *)1),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_wait_one(w, MX_USER_SIGNAL_0, 0, &obs),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_wait_one(none, MX_USER_SIGNAL_0,
					 MX_TIME_INFINITE, &obs),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_wait_one(w, 0, 0, (mx_signals_t *)1),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_EQ(obs, 0x1234);
	/* READ alone is enough. */
	ASSERT_OK(mx_object_signal(w, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_object_wait_one(r, MX_USER_SIGNAL_0, 0, &obs));
	ASSERT_EQ(obs, MX_USER_SIGNAL_0);
}

TEST(one_observed_pointer)
{
	mx_handle_t ev = mxt_event();
	mx_signals_t *ro = mxt_read_only_page();

	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_object_wait_one(ev, MX_USER_SIGNAL_0, 0, NULL));
	ASSERT_STATUS(mx_object_wait_one(ev, 0, 0, NULL), MX_ERR_TIMED_OUT);
	ASSERT_STATUS(mx_object_wait_one(ev, MX_USER_SIGNAL_0, 0,
					 (mx_signals_t *)1),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_wait_one(ev, 0, 0, (mx_signals_t *)1),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_wait_one(ev, MX_USER_SIGNAL_0, 0, ro),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(*ro, 0);
	/* No observer was left behind: the handle closes cleanly. */
	ASSERT_OK(mx_handle_close(ev));
}

/* ---- deadlines ---- */

TEST(deadlines_are_absolute)
{
	mx_handle_t ev = mxt_event();
	mx_wait_item_t item = { ev, MX_USER_SIGNAL_0, 0 };
	mx_time_t deadline;

	deadline = mxt_now() + MX_MSEC(50);
	ASSERT_STATUS(mx_object_wait_one(ev, MX_USER_SIGNAL_0, deadline, NULL),
		      MX_ERR_TIMED_OUT);
	ASSERT_TRUE(mxt_now() >= deadline);

	deadline = mxt_now() + MX_MSEC(50);
	ASSERT_STATUS(mx_object_wait_many(&item, 1, deadline),
		      MX_ERR_TIMED_OUT);
	ASSERT_TRUE(mxt_now() >= deadline);
	ASSERT_EQ(item.pending, MX_SIGNAL_LAST_HANDLE);

	deadline = mxt_now() + MX_MSEC(50);
	ASSERT_STATUS(mx_object_wait_many(NULL, 0, deadline), MX_ERR_TIMED_OUT);
	ASSERT_TRUE(mxt_now() >= deadline);

	/* In the past: a poll. */
	ASSERT_STATUS(mx_object_wait_one(ev, MX_USER_SIGNAL_0, 1, NULL),
		      MX_ERR_TIMED_OUT);
	ASSERT_STATUS(mx_object_wait_one(ev, MX_USER_SIGNAL_0,
					 mxt_now() - MX_MSEC(1), NULL),
		      MX_ERR_TIMED_OUT);
	ASSERT_STATUS(mx_object_wait_many(NULL, 0, 0), MX_ERR_TIMED_OUT);
}

/* ---- waking, accumulation ---- */

TEST(one_woken_by_other_thread)
{
	mx_handle_t ev = mxt_event();
	struct waiter w;

	wait_one_in_thread(&w, ev, MX_EVENT_SIGNALED, MX_TIME_INFINITE);
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	join(&w);
	ASSERT_OK(w.status);
	ASSERT_EQ(w.observed, MX_EVENT_SIGNALED | MX_SIGNAL_LAST_HANDLE);
}

TEST(one_satisfied_by_brief_signal)
{
	mx_handle_t ev = mxt_event();
	struct waiter w;

	/* Set and cleared before the waiter runs again: still satisfied. */
	wait_one_in_thread(&w, ev, MX_USER_SIGNAL_0, MX_TIME_INFINITE);
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_0, 0));
	join(&w);
	ASSERT_OK(w.status);
	ASSERT_TRUE(w.observed & MX_USER_SIGNAL_0);
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
}

TEST(one_observed_accumulates)
{
	mx_handle_t ev = mxt_event();
	struct waiter w;

	wait_one_in_thread(&w, ev, MX_USER_SIGNAL_1, mxt_now() + MX_MSEC(200));
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_0, MX_USER_SIGNAL_2));
	ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_2, 0));
	join(&w);
	ASSERT_STATUS(w.status, MX_ERR_TIMED_OUT);
	ASSERT_EQ(w.observed, MX_USER_SIGNAL_0 | MX_USER_SIGNAL_2 |
		  MX_SIGNAL_LAST_HANDLE);
	ASSERT_TRUE(w.returned_at >= w.deadline);
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
}

/* ---- cancellation (handle-wait) ---- */

TEST(close_cancels_only_waits_on_that_handle)
{
	mx_handle_t ev = mxt_event(), d;
	struct waiter w1, w2;

	d = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	wait_one_in_thread(&w1, ev, MX_EVENT_SIGNALED, MX_TIME_INFINITE);
	wait_one_in_thread(&w2, d, MX_EVENT_SIGNALED, MX_TIME_INFINITE);
	ASSERT_OK(mx_handle_close(ev));
	join(&w1);
	ASSERT_STATUS(w1.status, MX_ERR_CANCELED);
	ASSERT_TRUE(w1.observed & MX_SIGNAL_HANDLE_CLOSED);
	ASSERT_EQ(w1.observed & MX_EVENT_SIGNALED, 0);

	/* The dup and its waiter are untouched. */
	ASSERT_EQ(__atomic_load_n(&w2.done, __ATOMIC_ACQUIRE), 0);
	ASSERT_EQ(mxt_signals(d), MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal(d, 0, MX_EVENT_SIGNALED));
	join(&w2);
	ASSERT_OK(w2.status);
	ASSERT_EQ(w2.observed & MX_SIGNAL_HANDLE_CLOSED, 0);
	ASSERT_TRUE(w2.observed & MX_EVENT_SIGNALED);
	ASSERT_EQ(mxt_signals(d), MX_EVENT_SIGNALED | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_close(d));
}

TEST(close_cancels_every_wait_on_that_handle)
{
	enum { N = 4 };
	mx_handle_t ev = mxt_event();
	struct waiter w[N];
	int i;

	for (i = 0; i < N; i++)
		wait_one_in_thread(&w[i], ev, MX_USER_SIGNAL_0,
				   MX_TIME_INFINITE);
	ASSERT_OK(mx_handle_close(ev));
	for (i = 0; i < N; i++) {
		join(&w[i]);
		ASSERT_STATUS(w[i].status, MX_ERR_CANCELED);
		ASSERT_TRUE(w[i].observed & MX_SIGNAL_HANDLE_CLOSED);
	}
}

TEST(replace_cancels_waits_on_old_handle)
{
	mx_handle_t ev = mxt_event(), n = 0;
	struct waiter w;

	wait_one_in_thread(&w, ev, MX_USER_SIGNAL_0, MX_TIME_INFINITE);
	ASSERT_OK(mx_handle_replace(ev, MX_RIGHT_SAME_RIGHTS, &n));
	join(&w);
	ASSERT_STATUS(w.status, MX_ERR_CANCELED);
	ASSERT_TRUE(w.observed & MX_SIGNAL_HANDLE_CLOSED);
	ASSERT_EQ(mxt_signals(n), MX_SIGNAL_LAST_HANDLE);
}

TEST(signal_wins_over_later_close)
{
	mx_handle_t ev = mxt_event();
	struct waiter w;

	wait_one_in_thread(&w, ev, MX_USER_SIGNAL_0, MX_TIME_INFINITE);
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_handle_close(ev));
	join(&w);
	/* Settled by the signal first; a later close does not change it. */
	ASSERT_OK(w.status);
	ASSERT_TRUE(w.observed & MX_USER_SIGNAL_0);
}

/* ---- wait_many ---- */

TEST(many_pending_for_every_item)
{
	mx_handle_t ev[3] = { mxt_event(), mxt_event(), mxt_event() };
	mx_wait_item_t items[3];
	int i;

	for (i = 0; i < 3; i++)
		items[i] = (mx_wait_item_t){ ev[i], MX_EVENT_SIGNALED,
					     0xdeadbeef };
	ASSERT_STATUS(mx_object_wait_many(items, 3, 0), MX_ERR_TIMED_OUT);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(items[i].handle, ev[i]);
		ASSERT_EQ(items[i].waitfor, MX_EVENT_SIGNALED);
		ASSERT_EQ(items[i].pending, MX_SIGNAL_LAST_HANDLE);
	}
	ASSERT_OK(mx_object_signal(ev[1], 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_object_signal(ev[2], 0, MX_USER_SIGNAL_6));
	for (i = 0; i < 3; i++)
		items[i].pending = 0xdeadbeef;
	ASSERT_OK(mx_object_wait_many(items, 3, 0));
	ASSERT_EQ(items[0].pending, MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(items[1].pending, MX_EVENT_SIGNALED | MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(items[2].pending, MX_USER_SIGNAL_6 | MX_SIGNAL_LAST_HANDLE);
}

TEST(many_same_handle_twice)
{
	mx_handle_t ev = mxt_event();
	mx_wait_item_t items[2] = {
		{ ev, MX_USER_SIGNAL_0, 0 },
		{ ev, MX_USER_SIGNAL_1, 0 },
	};
	struct waiter w;

	ASSERT_STATUS(mx_object_wait_many(items, 2, 0), MX_ERR_TIMED_OUT);
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_1));
	ASSERT_OK(mx_object_wait_many(items, 2, 0));
	ASSERT_EQ(items[0].pending, MX_USER_SIGNAL_1 | MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(items[1].pending, MX_USER_SIGNAL_1 | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_1, 0));

	/* Blocked on both, cancelled through both by one close. */
	memset(&w, 0, sizeof(w));
	w.items = items;
	w.count = 2;
	w.deadline = MX_TIME_INFINITE;
	w.raw_fd = -1;
	start_waiter(&w);
	ASSERT_OK(mx_handle_close(ev));
	join(&w);
	ASSERT_STATUS(w.status, MX_ERR_CANCELED);
	ASSERT_TRUE(items[0].pending & MX_SIGNAL_HANDLE_CLOSED);
	ASSERT_TRUE(items[1].pending & MX_SIGNAL_HANDLE_CLOSED);
}

TEST(many_woken_by_one_item)
{
	mx_handle_t a = mxt_event(), b = mxt_event();
	mx_wait_item_t items[2] = {
		{ a, MX_EVENT_SIGNALED, 0xdeadbeef },
		{ b, MX_EVENT_SIGNALED, 0xdeadbeef },
	};
	struct waiter w;

	memset(&w, 0, sizeof(w));
	w.items = items;
	w.count = 2;
	w.deadline = MX_TIME_INFINITE;
	w.raw_fd = -1;
	start_waiter(&w);
	ASSERT_OK(mx_object_signal(b, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_object_signal(b, MX_USER_SIGNAL_0, MX_EVENT_SIGNALED));
	join(&w);
	ASSERT_OK(w.status);
	ASSERT_EQ(items[0].pending, MX_SIGNAL_LAST_HANDLE);
	/* Accumulated, as for wait_one. */
	ASSERT_EQ(items[1].pending, MX_USER_SIGNAL_0 | MX_EVENT_SIGNALED |
		  MX_SIGNAL_LAST_HANDLE);
}

TEST(many_cancelled_when_one_item_closes)
{
	mx_handle_t a = mxt_event(), b = mxt_event();
	mx_wait_item_t items[2] = {
		{ a, MX_EVENT_SIGNALED, 0xdeadbeef },
		{ b, MX_EVENT_SIGNALED, 0xdeadbeef },
	};
	struct waiter w;

	memset(&w, 0, sizeof(w));
	w.items = items;
	w.count = 2;
	w.deadline = MX_TIME_INFINITE;
	w.raw_fd = -1;
	start_waiter(&w);
	ASSERT_OK(mx_handle_close(b));
	join(&w);
	ASSERT_STATUS(w.status, MX_ERR_CANCELED);
	ASSERT_EQ(items[0].pending, MX_SIGNAL_LAST_HANDLE);
	ASSERT_TRUE(items[1].pending & MX_SIGNAL_HANDLE_CLOSED);
	/* The other item's object is fine. */
	ASSERT_OK(mx_object_signal(a, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_handle_close(a));
}

TEST(many_count_limits)
{
	enum { MAX = 1024 };
	static mx_wait_item_t items[MAX + 1];
	static mx_handle_t ev[MAX];
	int i;

	for (i = 0; i < MAX; i++) {
		ev[i] = mxt_event();
		items[i] = (mx_wait_item_t){ ev[i], MX_EVENT_SIGNALED,
					     0xdeadbeef };
	}
	items[MAX] = (mx_wait_item_t){ ev[0], MX_EVENT_SIGNALED, 0xdeadbeef };
	ASSERT_OK(mx_object_signal(ev[MAX - 1], 0, MX_EVENT_SIGNALED));

	/* 1025 items: INVALID_ARGS even though one is satisfied. */
	ASSERT_STATUS(mx_object_wait_many(items, MAX + 1, 0),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_wait_many(items, UINT32_MAX, 0),
		      MX_ERR_INVALID_ARGS);
	for (i = 0; i <= MAX; i++)
		ASSERT_EQ(items[i].pending, 0xdeadbeef);

	/* 1024: fine, and every pending is written. */
	ASSERT_OK(mx_object_wait_many(items, MAX, 0));
	for (i = 0; i < MAX - 1; i++)
		ASSERT_EQ(items[i].pending, MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(items[MAX - 1].pending,
		  MX_EVENT_SIGNALED | MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(items[MAX].pending, 0xdeadbeef);

	/* 1024 items that time out. */
	ASSERT_OK(mx_object_signal(ev[MAX - 1], MX_EVENT_SIGNALED, 0));
	for (i = 0; i < MAX; i++)
		items[i].pending = 0xdeadbeef;
	ASSERT_STATUS(mx_object_wait_many(items, MAX, mx_deadline_after(
					  MX_MSEC(10))), MX_ERR_TIMED_OUT);
	for (i = 0; i < MAX; i++)
		ASSERT_EQ(items[i].pending, MX_SIGNAL_LAST_HANDLE);
	for (i = 0; i < MAX; i++)
		ASSERT_OK(mx_handle_close(ev[i]));
}

/*
 * A lower bound set by the administrator (module parameter
 * max_wait_items) is a resource limit: MX_ERR_NO_RESOURCES, as for every
 * bound Magenta did not have (docs/decisions.md); above Magenta's own
 * 1024 it stays MX_ERR_INVALID_ARGS.
 */
#define MAX_ITEMS_PARAM "/sys/module/mx/parameters/max_wait_items"

TEST(many_count_above_module_limit)
{
	static mx_wait_item_t items[1025];
	mx_handle_t ev = mxt_event();
	mx_status_t s4, s5, s1025;
	char saved[32];
	FILE *f = fopen(MAX_ITEMS_PARAM, "r");
	int i;

	if (!f || !fgets(saved, sizeof(saved), f))
		SKIP("no %s", MAX_ITEMS_PARAM);
	fclose(f);
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	for (i = 0; i < 1025; i++)
		items[i] = (mx_wait_item_t){ ev, MX_USER_SIGNAL_0, 0 };
	if (mxt_write_file(MAX_ITEMS_PARAM, "4"))
		SKIP("cannot write %s (not root?)", MAX_ITEMS_PARAM);
	s4 = mx_object_wait_many(items, 4, 0);
	s5 = mx_object_wait_many(items, 5, 0);
	s1025 = mx_object_wait_many(items, 1025, 0);
	if (mxt_write_file(MAX_ITEMS_PARAM, saved))
		FAIL("cannot restore %s", MAX_ITEMS_PARAM);
	ASSERT_OK(s4);
	ASSERT_STATUS(s5, MX_ERR_NO_RESOURCES);
	ASSERT_STATUS(s1025, MX_ERR_INVALID_ARGS);
	ASSERT_EQ(items[4].pending, 0);
}

TEST(many_items_pointer)
{
	mx_handle_t ev = mxt_event();

	/* count 0: a sleep until the deadline; items are not looked at. */
	ASSERT_STATUS(mx_object_wait_many(NULL, 0, 0), MX_ERR_TIMED_OUT);
	ASSERT_STATUS(mx_object_wait_many((mx_wait_item_t *)1, 0, 0),
		      MX_ERR_TIMED_OUT);
	/* count > 0 */
	ASSERT_STATUS(mx_object_wait_many(NULL, 1, 0), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_wait_many(NULL, 1, MX_TIME_INFINITE),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_wait_many((mx_wait_item_t *)1, 1, 0),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_wait_many(NULL, 1025, 0), MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_handle_close(ev));
}

TEST(many_read_only_items)
{
	mx_handle_t ev = mxt_event();
	mx_wait_item_t *items;

	items = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(items != MAP_FAILED);
	items[0] = (mx_wait_item_t){ ev, MX_USER_SIGNAL_0, 0x77 };
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_EQ(mprotect(items, 4096, PROT_READ), 0);
	/* Read fine, pending cannot be written back. */
	ASSERT_STATUS(mx_object_wait_many(items, 1, 0), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_wait_many(items, 1,
					  mx_deadline_after(MX_MSEC(1))),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(items[0].pending, 0x77);
	/* No observer left behind. */
	ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_0, MX_USER_SIGNAL_1));
	ASSERT_OK(mx_handle_close(ev));
}

/*
 * Up to 64 items with one satisfied take a path that reads the items one
 * by one; 65 take the general one. Both give the same: every pending
 * written, the handle and waitfor fields left as they were.
 */
TEST(many_64_and_65_items_one_satisfied)
{
	enum { N = 65 };
	mx_wait_item_t items[N];
	mx_handle_t ev[N];
	uint32_t count;
	int i;

	for (i = 0; i < N; i++)
		ev[i] = mxt_event();
	for (count = 63; count <= N; count++) {
		for (i = 0; i < N; i++)
			items[i] = (mx_wait_item_t){ ev[i], MX_USER_SIGNAL_0,
						     0xdeadbeef };
		ASSERT_OK(mx_object_signal(ev[count - 1], 0,
					   MX_USER_SIGNAL_0));
		ASSERT_OK(mx_object_wait_many(items, count, MX_TIME_INFINITE));
		for (i = 0; i < N; i++) {
			ASSERT_EQ(items[i].handle, ev[i]);
			ASSERT_EQ(items[i].waitfor, MX_USER_SIGNAL_0);
		}
		for (i = 0; i < (int)count - 1; i++)
			ASSERT_EQ(items[i].pending, MX_SIGNAL_LAST_HANDLE);
		ASSERT_EQ(items[count - 1].pending,
			  MX_USER_SIGNAL_0 | MX_SIGNAL_LAST_HANDLE);
		for (i = count; i < N; i++)
			ASSERT_EQ(items[i].pending, 0xdeadbeef);
		ASSERT_OK(mx_object_signal(ev[count - 1], MX_USER_SIGNAL_0, 0));

		/* The last item bad: its error, nothing written. */
		items[0].pending = 0x77;
		ASSERT_OK(mx_object_signal(ev[0], 0, MX_USER_SIGNAL_0));
		items[count - 1].handle = ev[count - 1] ^ 1;
		ASSERT_STATUS(mx_object_wait_many(items, count, 0),
			      MX_ERR_BAD_HANDLE);
		ASSERT_EQ(items[0].pending, 0x77);
		ASSERT_OK(mx_object_signal(ev[0], MX_USER_SIGNAL_0, 0));
	}
	for (i = 0; i < N; i++)
		ASSERT_OK(mx_handle_close(ev[i]));
}

/* Items running into an unreadable page: nothing written, no observer. */
TEST(many_items_cross_into_unreadable_page)
{
	mx_handle_t ev = mxt_event();
	mx_wait_item_t *items;
	char *map;
	int i;

	map = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(map != MAP_FAILED);
	ASSERT_EQ(mprotect(map + 4096, 4096, PROT_NONE), 0);
	/* 4 items in the first page, the fifth across the boundary. */
	items = (mx_wait_item_t *)(map + 4096 - 4 * sizeof(*items) - 4);
	for (i = 0; i < 4; i++)
		items[i] = (mx_wait_item_t){ ev, MX_USER_SIGNAL_0, 0x77 };
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_STATUS(mx_object_wait_many(items, 5, 0), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_wait_many(items, 5, MX_TIME_INFINITE),
		      MX_ERR_INVALID_ARGS);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(items[i].pending, 0x77);
	ASSERT_OK(mx_object_wait_many(items, 4, 0));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(items[i].pending,
			  MX_USER_SIGNAL_0 | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_0, MX_USER_SIGNAL_1));
	ASSERT_EQ(munmap(map, 8192), 0);
	ASSERT_OK(mx_handle_close(ev));
}

TEST(many_item_errors_undo_and_write_nothing)
{
	mx_handle_t a = mxt_event(), b = mxt_event();
	mx_handle_t nr = mxt_dup(b, MX_RIGHT_WRITE);
	mx_wait_item_t items[3];

	/* events: second item invalid -> BAD_HANDLE, nothing written */
	items[0] = (mx_wait_item_t){ a, MX_EVENT_SIGNALED, 1 };
	items[1] = (mx_wait_item_t){ MX_HANDLE_INVALID, MX_EVENT_SIGNALED, 2 };
	items[2] = (mx_wait_item_t){ b, MX_EVENT_SIGNALED, 3 };
	ASSERT_OK(mx_object_signal(a, 0, MX_EVENT_SIGNALED));
	ASSERT_STATUS(mx_object_wait_many(items, 3, 0), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_wait_many(items, 3, MX_TIME_INFINITE),
		      MX_ERR_BAD_HANDLE);
	ASSERT_EQ(items[0].pending, 1);
	ASSERT_EQ(items[1].pending, 2);
	ASSERT_EQ(items[2].pending, 3);

	/* Each item in order: the first failure is the one reported. */
	items[1] = (mx_wait_item_t){ nr, MX_EVENT_SIGNALED, 2 };
	ASSERT_STATUS(mx_object_wait_many(items, 3, 0), MX_ERR_ACCESS_DENIED);
	items[2] = (mx_wait_item_t){ b ^ 1, MX_EVENT_SIGNALED, 3 };
	ASSERT_STATUS(mx_object_wait_many(items, 3, 0), MX_ERR_ACCESS_DENIED);
	items[1] = (mx_wait_item_t){ a ^ 1, MX_EVENT_SIGNALED, 2 };
	items[2] = (mx_wait_item_t){ nr, MX_EVENT_SIGNALED, 3 };
	ASSERT_STATUS(mx_object_wait_many(items, 3, 0), MX_ERR_BAD_HANDLE);
	ASSERT_EQ(items[0].pending, 1);
	ASSERT_EQ(items[1].pending, 2);
	ASSERT_EQ(items[2].pending, 3);

	/* The first event is still usable and has no stale observer. */
	ASSERT_OK(mx_object_signal(a, MX_EVENT_SIGNALED, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_object_wait_one(a, MX_USER_SIGNAL_0, 0, NULL));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(nr));
	ASSERT_OK(mx_handle_close(b));
}

TEST(many_zero_waitfor_times_out)
{
	mx_handle_t a = mxt_event();
	mx_wait_item_t items[2] = { { a, 0, 0 }, { a, 0, 0 } };
	mx_time_t deadline = mxt_now() + MX_MSEC(20);

	ASSERT_OK(mx_object_signal(a, 0, MX_EVENT_SIGNALED));
	ASSERT_STATUS(mx_object_wait_many(items, 2, deadline),
		      MX_ERR_TIMED_OUT);
	ASSERT_TRUE(mxt_now() >= deadline);
	ASSERT_EQ(items[0].pending, MX_EVENT_SIGNALED | MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(items[1].pending, MX_EVENT_SIGNALED | MX_SIGNAL_LAST_HANDLE);
}

/* ---- POSIX signals during a wait ---- */

TEST(posix_signal_then_same_deadline)
{
	mx_handle_t ev = mxt_event();
	struct waiter w;

	mxt_counting_handler();
	wait_one_in_thread(&w, ev, MX_USER_SIGNAL_0, mxt_now() + MX_MSEC(300));
	mxt_interrupt_thrice(w.th, w.tid, &w.done);
	join(&w);
	ASSERT_STATUS(w.status, MX_ERR_TIMED_OUT);
	ASSERT_EQ(w.observed, MX_SIGNAL_LAST_HANDLE);
	/* Restarted with the original absolute deadline, not a new one. */
	ASSERT_TRUE(w.returned_at >= w.deadline);
}

TEST(posix_signal_then_satisfied)
{
	mx_handle_t ev = mxt_event();
	struct waiter w;

	mxt_counting_handler();
	wait_one_in_thread(&w, ev, MX_USER_SIGNAL_0, MX_TIME_INFINITE);
	mxt_interrupt_thrice(w.th, w.tid, &w.done);
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	join(&w);
	ASSERT_OK(w.status);
	ASSERT_EQ(w.observed, MX_USER_SIGNAL_0 | MX_SIGNAL_LAST_HANDLE);
}

TEST(posix_signal_then_cancelled)
{
	mx_handle_t ev = mxt_event();
	struct waiter w;

	mxt_counting_handler();
	wait_one_in_thread(&w, ev, MX_USER_SIGNAL_0, MX_TIME_INFINITE);
	mxt_interrupt_thrice(w.th, w.tid, &w.done);
	ASSERT_OK(mx_handle_close(ev));
	join(&w);
	ASSERT_STATUS(w.status, MX_ERR_CANCELED);
}

TEST(posix_signal_raw_ioctl_never_eintr)
{
	mx_handle_t ev = mxt_event();
	mx_wait_item_t items[2] = {
		{ ev, MX_USER_SIGNAL_0, 0 },
		{ ev, MX_USER_SIGNAL_1, 0 },
	};
	int fd = open("/dev/mx", O_RDWR | O_CLOEXEC);
	struct waiter w;

	ASSERT_TRUE(fd >= 0);
	mxt_counting_handler();

	/* wait_one: times out at the deadline; the ioctl returns 21. */
	memset(&w, 0, sizeof(w));
	w.h = ev;
	w.signals = MX_USER_SIGNAL_0;
	w.deadline = mxt_now() + MX_MSEC(300);
	w.raw_fd = fd;
	start_waiter(&w);
	mxt_interrupt_thrice(w.th, w.tid, &w.done);
	join(&w);
	ASSERT_EQ(w.raw_ret, -MX_ERR_TIMED_OUT);
	ASSERT_EQ(w.raw_errno, 0);
	ASSERT_EQ(w.observed, MX_SIGNAL_LAST_HANDLE);
	ASSERT_TRUE(w.returned_at >= w.deadline);

	/* wait_many: satisfied after the interruptions. */
	memset(&w, 0, sizeof(w));
	w.items = items;
	w.count = 2;
	w.deadline = MX_TIME_INFINITE;
	w.raw_fd = fd;
	mxt_handled = 0;
	start_waiter(&w);
	mxt_interrupt_thrice(w.th, w.tid, &w.done);
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_1));
	join(&w);
	ASSERT_EQ(w.raw_ret, 0);
	ASSERT_EQ(w.raw_errno, 0);
	ASSERT_EQ(items[1].pending, MX_USER_SIGNAL_1 | MX_SIGNAL_LAST_HANDLE);

	/* wait_many with no items: a pure sleep, to its deadline. */
	memset(&w, 0, sizeof(w));
	w.items = items;
	w.count = 0;
	w.deadline = mxt_now() + MX_MSEC(300);
	w.raw_fd = fd;
	mxt_handled = 0;
	start_waiter(&w);
	mxt_interrupt_thrice(w.th, w.tid, &w.done);
	join(&w);
	ASSERT_EQ(w.raw_ret, -MX_ERR_TIMED_OUT);
	ASSERT_EQ(w.raw_errno, 0);
	ASSERT_TRUE(w.returned_at >= w.deadline);
	close(fd);
}

/*
 * While the waiting thread runs a signal handler its wait_one/wait_many
 * call has not returned, so what happens meanwhile is part of the wait:
 * a pulse satisfies it, a close cancels it, and every state seen counts
 * in observed. A handler held until another thread has acted makes the
 * timing deterministic.
 */
TEST(posix_signal_pulse_during_handler_satisfies)
{
	mx_handle_t ev = mxt_event();
	struct waiter w;

	mxt_holding_handler();
	wait_one_in_thread(&w, ev, MX_USER_SIGNAL_0, mxt_now() + MX_SEC(1));
	mxt_hold_in_handler(w.th);
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_0, 0));
	mxt_release_handler();
	join(&w);
	ASSERT_OK(w.status);
	ASSERT_EQ(w.observed, MX_USER_SIGNAL_0 | MX_SIGNAL_LAST_HANDLE);
}

TEST(posix_signal_observed_accumulates_across_handler)
{
	mx_handle_t ev = mxt_event();
	struct waiter w;

	mxt_holding_handler();
	wait_one_in_thread(&w, ev, MX_USER_SIGNAL_1, mxt_now() + MX_MSEC(300));
	mxt_hold_in_handler(w.th);
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_0, 0));
	mxt_release_handler();
	join(&w);
	ASSERT_STATUS(w.status, MX_ERR_TIMED_OUT);
	ASSERT_EQ(w.observed, MX_USER_SIGNAL_0 | MX_SIGNAL_LAST_HANDLE);
}

TEST(posix_signal_close_during_handler_cancels)
{
	mx_handle_t ev = mxt_event();
	struct waiter w;

	mxt_holding_handler();
	wait_one_in_thread(&w, ev, MX_USER_SIGNAL_0, mxt_now() + MX_SEC(1));
	mxt_hold_in_handler(w.th);
	ASSERT_OK(mx_handle_close(ev));
	mxt_release_handler();
	join(&w);
	ASSERT_STATUS(w.status, MX_ERR_CANCELED);
	ASSERT_TRUE(w.observed & MX_SIGNAL_HANDLE_CLOSED);
}

TEST(posix_signal_close_during_handler_cancels_wait_many)
{
	mx_handle_t a = mxt_event(), b = mxt_event();
	mx_wait_item_t items[2] = {
		{ a, MX_USER_SIGNAL_0, 0xdeadbeef },
		{ b, MX_USER_SIGNAL_0, 0xdeadbeef },
	};
	struct waiter w;

	mxt_holding_handler();
	memset(&w, 0, sizeof(w));
	w.items = items;
	w.count = 2;
	w.deadline = mxt_now() + MX_SEC(1);
	w.raw_fd = -1;
	start_waiter(&w);
	mxt_hold_in_handler(w.th);
	ASSERT_OK(mx_handle_close(b));
	mxt_release_handler();
	join(&w);
	ASSERT_STATUS(w.status, MX_ERR_CANCELED);
	ASSERT_EQ(items[0].pending, MX_SIGNAL_LAST_HANDLE);
	ASSERT_TRUE(items[1].pending & MX_SIGNAL_HANDLE_CLOSED);
}

/*
 * A handler that makes mx calls of its own, a wait among them, leaves the
 * interrupted wait intact: the pulse it makes still counts.
 */
static mx_handle_t nested_ev, nested_other;
static mx_status_t nested_status;
static mx_signals_t nested_observed;

static void on_sigusr2_nested(int sig)
{
	(void)sig;
	mx_object_signal(nested_ev, 0, MX_USER_SIGNAL_0);
	mx_object_signal(nested_ev, MX_USER_SIGNAL_0, 0);
	nested_status = mx_object_wait_one(nested_other, MX_USER_SIGNAL_0,
					   mxt_now() + MX_MSEC(5),
					   &nested_observed);
}

TEST(posix_signal_handler_with_its_own_wait)
{
	struct waiter w;

	nested_ev = mxt_event();
	nested_other = mxt_event();
	mxt_on_signal(SIGUSR2, on_sigusr2_nested);
	wait_one_in_thread(&w, nested_ev, MX_USER_SIGNAL_0,
			   mxt_now() + MX_SEC(2));
	ASSERT_EQ(pthread_kill(w.th, SIGUSR2), 0);
	join(&w);
	ASSERT_OK(w.status);
	ASSERT_EQ(w.observed, MX_USER_SIGNAL_0 | MX_SIGNAL_LAST_HANDLE);
	ASSERT_STATUS(nested_status, MX_ERR_TIMED_OUT);
	ASSERT_EQ(nested_observed, MX_SIGNAL_LAST_HANDLE);
}

/*
 * A handler that jumps away ends the wait it interrupted: a wait made
 * afterwards from another place is a new wait, blind to what happened
 * before it began. (The very same call from the very same frame cannot be
 * told from a restart and would take the old wait back.)
 */
static sem_t escaped, go_again;

struct escaper {
	mx_handle_t ev;
	mx_status_t status;
	mx_signals_t observed;
	pid_t tid;
	int done;
};

static __attribute__((noinline)) mx_status_t
escape_wait(struct escaper *e)
{
	return mx_object_wait_one(e->ev, MX_USER_SIGNAL_0, MX_TIME_INFINITE,
				  &e->observed);
}

static __attribute__((noinline)) mx_status_t
escape_wait_again(struct escaper *e)
{
	mx_signals_t observed = 0;
	mx_status_t st = mx_object_wait_one(e->ev, MX_USER_SIGNAL_0,
					    MX_TIME_INFINITE, &observed);

	e->observed = observed;
	return st;
}

static void *escaper_main(void *arg)
{
	struct escaper *e = arg;
	volatile int round = 0;

	__atomic_store_n(&e->tid, gettid(), __ATOMIC_RELEASE);
	if (sigsetjmp(mxt_escape_jmp, 1)) {
		sem_post(&escaped);
		while (sem_wait(&go_again) != 0)
			;
	}
	round++;
	if (round == 1)
		e->status = escape_wait(e) - 1000;
	else
		e->status = escape_wait_again(e);
	__atomic_store_n(&e->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

TEST(posix_signal_longjmp_out_of_a_wait_ends_it)
{
	struct escaper e = { 0 };
	pthread_t th;

	e.ev = mxt_event();
	ASSERT_EQ(sem_init(&escaped, 0, 0), 0);
	ASSERT_EQ(sem_init(&go_again, 0, 0), 0);
	mxt_on_signal(SIGUSR2, mxt_escape_handler);

	ASSERT_EQ(pthread_create(&th, NULL, escaper_main, &e), 0);
	while (!__atomic_load_n(&e.tid, __ATOMIC_ACQUIRE))
		usleep(100);
	mxt_wait_blocked(e.tid, &e.done);
	ASSERT_EQ(pthread_kill(th, SIGUSR2), 0);
	while (sem_wait(&escaped) != 0)
		;
	/* A pulse no live wait can see. */
	ASSERT_OK(mx_object_signal(e.ev, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_object_signal(e.ev, MX_USER_SIGNAL_0, 0));
	ASSERT_EQ(sem_post(&go_again), 0);
	mxt_wait_blocked(e.tid, &e.done);
	ASSERT_EQ(__atomic_load_n(&e.done, __ATOMIC_ACQUIRE), 0);
	ASSERT_OK(mx_object_signal(e.ev, 0, MX_USER_SIGNAL_1));
	usleep(20 * 1000);
	ASSERT_EQ(__atomic_load_n(&e.done, __ATOMIC_ACQUIRE), 0);
	ASSERT_OK(mx_object_signal(e.ev, 0, MX_USER_SIGNAL_0));
	ASSERT_EQ(pthread_join(th, NULL), 0);
	ASSERT_OK(e.status);
	ASSERT_EQ(e.observed, MX_USER_SIGNAL_0 | MX_USER_SIGNAL_1 |
			      MX_SIGNAL_LAST_HANDLE);
}

/*
 * A thread that ends inside the handler leaves its wait behind; the
 * module drops it (kmemleak on the debug kernel checks) and the object
 * behaves as before for everyone else.
 */
TEST(posix_signal_thread_ends_in_handler)
{
	mx_handle_t ev = mxt_event();
	struct waiter w, w2;
	int i;

	mxt_on_signal(SIGUSR2, mxt_exit_handler);
	for (i = 0; i < 4; i++) {
		wait_one_in_thread(&w, ev, MX_USER_SIGNAL_0, MX_TIME_INFINITE);
		ASSERT_EQ(pthread_kill(w.th, SIGUSR2), 0);
		join(&w);
		ASSERT_EQ(w.done, 0);
	}
	/* Another thread parks in turn, dropping the dead threads' waits. */
	mxt_holding_handler();
	wait_one_in_thread(&w2, ev, MX_USER_SIGNAL_0, MX_TIME_INFINITE);
	mxt_hold_in_handler(w2.th);
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	mxt_release_handler();
	join(&w2);
	ASSERT_OK(w2.status);
	ASSERT_OK(mx_handle_close(ev));
}

/*
 * wait_many restarted with different items (the handler rewrote them) is
 * a new wait on the new items.
 */
static mx_wait_item_t rewrite_items[1];
static mx_handle_t rewrite_to;

static void on_sigusr2_rewrite(int sig)
{
	(void)sig;
	rewrite_items[0].handle = rewrite_to;
}

TEST(posix_signal_wait_many_items_rewritten_in_handler)
{
	mx_handle_t a = mxt_event(), b = mxt_event();
	struct waiter w;

	rewrite_items[0].handle = a;
	rewrite_items[0].waitfor = MX_USER_SIGNAL_0;
	rewrite_items[0].pending = 0;
	rewrite_to = b;
	mxt_on_signal(SIGUSR2, on_sigusr2_rewrite);
	memset(&w, 0, sizeof(w));
	w.items = rewrite_items;
	w.count = 1;
	w.deadline = MX_TIME_INFINITE;
	w.raw_fd = -1;
	start_waiter(&w);
	ASSERT_EQ(pthread_kill(w.th, SIGUSR2), 0);
	/* Blocked again, on b now: a no longer ends the wait. */
	usleep(20 * 1000);
	mxt_wait_blocked(w.tid, &w.done);
	ASSERT_OK(mx_object_signal(a, 0, MX_USER_SIGNAL_0));
	usleep(20 * 1000);
	ASSERT_EQ(__atomic_load_n(&w.done, __ATOMIC_ACQUIRE), 0);
	ASSERT_OK(mx_object_signal(b, 0, MX_USER_SIGNAL_0));
	join(&w);
	ASSERT_OK(w.status);
	ASSERT_EQ(rewrite_items[0].handle, b);
	ASSERT_EQ(rewrite_items[0].pending,
		  MX_USER_SIGNAL_0 | MX_SIGNAL_LAST_HANDLE);
}

/* ---- processes dying while they wait ---- */

struct child_waiter {
	mx_wait_item_t items[2];
	pid_t tid;
};

static void *child_wait_forever(void *arg)
{
	struct child_waiter *c = arg;

	__atomic_store_n(&c->tid, gettid(), __ATOMIC_RELEASE);
	if (c->items[1].handle)
		mx_object_wait_many(c->items, 2, MX_TIME_INFINITE);
	else
		mx_object_wait_one(c->items[0].handle, MX_USER_SIGNAL_0,
				   MX_TIME_INFINITE, NULL);
	return NULL;
}

/*
 * A child with three threads blocked in waits: two in wait_one on an
 * event (one through a dup), one in wait_many on the event and an
 * eventpair side. It reports their tids on @pipe_w, then its main thread
 * waits too. @how: 0 = stay (to be killed), else the main thread calls
 * exit(@how) once the others are blocked.
 */
static void run_waiting_child(int pipe_w, int how)
{
	static struct child_waiter c[3];
	mx_handle_t ev = mxt_event(), d, a = 0, b = 0;
	pthread_t th[3];
	pid_t tids[4];
	int i;

	d = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	ASSERT_OK(mx_eventpair_create(0, &a, &b));
	c[0].items[0] = (mx_wait_item_t){ ev, MX_USER_SIGNAL_0, 0 };
	c[1].items[0] = (mx_wait_item_t){ d, MX_USER_SIGNAL_0, 0 };
	c[2].items[0] = (mx_wait_item_t){ ev, MX_USER_SIGNAL_0, 0 };
	c[2].items[1] = (mx_wait_item_t){ a, MX_EPAIR_PEER_CLOSED, 0 };
	for (i = 0; i < 3; i++)
		ASSERT_EQ(pthread_create(&th[i], NULL, child_wait_forever,
					 &c[i]), 0);
	for (i = 0; i < 3; i++) {
		while (!__atomic_load_n(&c[i].tid, __ATOMIC_ACQUIRE))
			usleep(100);
		tids[i] = c[i].tid;
	}
	tids[3] = gettid();
	ASSERT_EQ(write(pipe_w, tids, sizeof(tids)), (ssize_t)sizeof(tids));
	if (how) {
		for (i = 0; i < 3; i++)
			mxt_wait_blocked(tids[i], NULL);
		exit(how);
	}
	mx_object_wait_one(ev, MX_USER_SIGNAL_1, MX_TIME_INFINITE, NULL);
	_exit(99);
}

static void kill_or_exit_waiting_child(int how)
{
	int p[2], status, i;
	pid_t tids[4], pid;
	mx_handle_t ev;

	ASSERT_EQ(pipe(p), 0);
	pid = mxt_fork();
	if (pid == 0) {
		close(p[0]);
		run_waiting_child(p[1], how);
		_exit(98);
	}
	close(p[1]);
	ASSERT_EQ(read(p[0], tids, sizeof(tids)), (ssize_t)sizeof(tids));
	close(p[0]);
	if (!how) {
		for (i = 0; i < 4; i++)
			mxt_wait_blocked(tids[i], NULL);
		ASSERT_EQ(kill(pid, SIGKILL), 0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	if (how) {
		ASSERT_TRUE(WIFEXITED(status));
		ASSERT_EQ(WEXITSTATUS(status), how);
	} else {
		ASSERT_TRUE(WIFSIGNALED(status));
		ASSERT_EQ(WTERMSIG(status), SIGKILL);
	}

	/* The system is fine: this process still creates, waits, closes. */
	ev = mxt_event();
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_object_wait_one(ev, MX_EVENT_SIGNALED, MX_TIME_INFINITE,
				     NULL));
	ASSERT_OK(mx_handle_close(ev));
}

/*
 * A blocking wait goes on while its handle is in transit (turned into an
 * fd, or written into a channel); only port registrations end then. Both
 * wait_one and a wait_many too large for the on-stack items, whose
 * observers come from the heap, many times, so that no garbage in them
 * can pass for a port registration.
 */
TEST(blocking_waits_go_on_while_their_handle_is_in_transit)
{
	enum { N = 80, ROUNDS = 20 };
	static mx_wait_item_t items[N];
	struct waiter one, many;
	mx_handle_t ev, keep, a, b, got;
	uint32_t nh = 0;
	int i, round, fd;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	for (round = 0; round < ROUNDS; round++) {
		ev = mxt_event();
		keep = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
		for (i = 0; i < N; i++)
			items[i] = (mx_wait_item_t){ ev, MX_USER_SIGNAL_0, 0 };
		wait_one_in_thread(&one, ev, MX_USER_SIGNAL_0,
				   MX_TIME_INFINITE);
		memset(&many, 0, sizeof(many));
		many.items = items;
		many.count = N;
		many.deadline = MX_TIME_INFINITE;
		many.raw_fd = -1;
		start_waiter(&many);
		if (round & 1) {
			ASSERT_OK(mx_channel_write(a, 0, NULL, 0, &ev, 1));
		} else {
			ASSERT_OK(mx_handle_to_fd(ev, 0, &fd));
		}
		ASSERT_EQ(__atomic_load_n(&one.done, __ATOMIC_ACQUIRE), 0);
		ASSERT_EQ(__atomic_load_n(&many.done, __ATOMIC_ACQUIRE), 0);
		ASSERT_OK(mx_object_signal(keep, 0, MX_USER_SIGNAL_0));
		join(&one);
		join(&many);
		ASSERT_OK(one.status);
		ASSERT_TRUE(one.observed & MX_USER_SIGNAL_0);
		ASSERT_OK(many.status);
		for (i = 0; i < N; i++)
			ASSERT_TRUE(items[i].pending & MX_USER_SIGNAL_0);
		if (round & 1) {
			ASSERT_OK(mx_channel_read(b, 0, NULL, &got, 0, 1, NULL,
						  &nh));
			ASSERT_OK(mx_handle_close(got));
		} else {
			close(fd);
		}
		ASSERT_OK(mx_handle_close(keep));
	}
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

TEST(sigkill_child_blocked_in_waits)
{
	int round;

	for (round = 0; round < 3; round++)
		kill_or_exit_waiting_child(0);
}

TEST(exit_child_with_threads_blocked_in_waits)
{
	kill_or_exit_waiting_child(7);
}
