// SPDX-License-Identifier: GPL-2.0
/*
 * mx_object_wait_one() and mx_object_wait_many(): blocking waits on the
 * signal state of objects.
 *
 * A wait registers one observer per item on the objects' observer lists.
 * The observers accumulate every state they see, so a signal that is set
 * and cleared again while the waiter sleeps still satisfies the wait, as in
 * Magenta. Observers are registered while the handle table lock is held,
 * which closes the race with mx_handle_close():
 *
 *	waiter				closer
 *	lock table, find handle
 *	add observer (obj lock)
 *	unlock table
 *					lock table, remove handle, unlock
 *					mx_handle_destroy(): cancel the
 *					observers made through that handle
 *
 * Either the closer removes the handle first (the waiter then finds no
 * handle: MX_ERR_BAD_HANDLE) or the observer is on the list before the
 * closer looks for it (the waiter is cancelled: MX_ERR_CANCELED).
 *
 * Sleeping: interruptible, until the absolute CLOCK_MONOTONIC deadline on
 * an hrtimer. A signal makes the ioctl return -ERESTARTNOINTR, so the
 * handler runs and the call starts again with the same absolute deadline;
 * userspace never sees EINTR.
 *
 * Locking: each mx_waiter's @result is written under the lock of whichever
 * object settles the wait first (cmpxchg, first writer wins) and read by
 * the sleeping task; no other state is shared.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hrtimer.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "process.h"
#include "ioctl.h"

static unsigned int mx_max_wait_items = MX_WAIT_MANY_MAX_ITEMS;
module_param_named(max_wait_items, mx_max_wait_items, uint, 0644);
MODULE_PARM_DESC(max_wait_items,
		 "Most items one mx_object_wait_many() may wait on (at most 1024)");

enum { MX_WAIT_PENDING, MX_WAIT_SATISFIED, MX_WAIT_CANCELED };

/**
 * struct mx_waiter - a task sleeping in a wait call
 * @task: the task
 * @result: MX_WAIT_* (first writer wins)
 */
struct mx_waiter {
	struct task_struct *task;
	int result;
};

/**
 * struct mx_wait_obs - one item of a wait
 * @obs: the observer on @obj
 * @waiter: the sleeping task
 * @obj: the object, referenced while registered
 */
struct mx_wait_obs {
	struct mx_observer obs;
	struct mx_waiter *waiter;
	struct mx_object *obj;
};

static void mx_wait_notify(struct mx_observer *obs, u32 state)
{
	struct mx_wait_obs *wo = container_of(obs, struct mx_wait_obs, obs);
	struct mx_waiter *w = wo->waiter;
	int result;

	if (obs->cancelled)
		result = MX_WAIT_CANCELED;
	else if (state & obs->watched)
		result = MX_WAIT_SATISFIED;
	else
		return;
	if (cmpxchg(&w->result, MX_WAIT_PENDING, result) == MX_WAIT_PENDING)
		wake_up_process(w->task);
}

/*
 * Register @wo on the object named by @value in @p's table. Checks in
 * Magenta's order: bad handle, READ right, waitable.
 */
static int mx_wait_register(struct mx_process *p, struct mx_wait_obs *wo,
			    struct mx_waiter *w, s32 value, u32 signals)
{
	struct mx_handle_table *t = &p->table;
	struct mx_handle *h;
	int ret = 0;

	spin_lock(&t->lock);
	h = mx_ht_lookup_locked(t, value);
	if (!h)
		ret = MX_ERR_BAD_HANDLE;
	else if (!(h->rights & MX_RIGHT_READ))
		ret = MX_ERR_ACCESS_DENIED;
	else if (!h->obj->ops->waitable)
		ret = MX_ERR_NOT_SUPPORTED;
	if (!ret) {
		wo->waiter = w;
		wo->obj = h->obj;
		mx_object_get(h->obj);
		wo->obs.handle = h;
		wo->obs.watched = signals;
		wo->obs.notify = mx_wait_notify;
		mx_object_add_observer(h->obj, &wo->obs);
	}
	spin_unlock(&t->lock);
	return ret;
}

static u32 mx_wait_unregister(struct mx_wait_obs *wo)
{
	u32 observed = mx_object_remove_observer(wo->obj, &wo->obs);

	mx_object_put(wo->obj);
	return observed;
}

/*
 * Sleep until @w is settled or the deadline passes. Returns 0 when woken
 * or timed out (w->result tells which), -ERESTARTNOINTR for a signal.
 */
static int mx_wait_sleep(struct mx_waiter *w, u64 deadline)
{
	ktime_t expires = ns_to_ktime(min_t(u64, deadline, KTIME_MAX));
	bool forever = deadline >= KTIME_MAX;
	int ret = 0;

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(w->result) != MX_WAIT_PENDING)
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTNOINTR;
			break;
		}
		if (forever) {
			schedule();
			continue;
		}
		if (ktime_get_ns() >= deadline)
			break;
		if (!schedule_hrtimeout_range(&expires, current->timer_slack_ns,
					      HRTIMER_MODE_ABS))
			break;
	}
	__set_current_state(TASK_RUNNING);
	return ret;
}

static int mx_wait_status(struct mx_waiter *w)
{
	switch (READ_ONCE(w->result)) {
	case MX_WAIT_SATISFIED:
		return MX_OK;
	case MX_WAIT_CANCELED:
		return MX_ERR_CANCELED;
	default:
		return MX_ERR_TIMED_OUT;
	}
}

/**
 * mx_ioc_wait_one() - MX_IOC_OBJECT_WAIT_ONE: mx_object_wait_one()
 * @p: the calling process
 * @uarg: struct mx_ioc_wait_one
 *
 * Needs MX_RIGHT_READ.
 *
 * Context: process context; sleeps.
 * Return: MX_OK when a watched signal was seen; MX_ERR_INVALID_ARGS
 * (arguments or @observed unreadable/unwritable), MX_ERR_BAD_HANDLE,
 * MX_ERR_ACCESS_DENIED, MX_ERR_NOT_SUPPORTED (not waitable),
 * MX_ERR_CANCELED (the handle was closed), MX_ERR_TIMED_OUT; or
 * -ERESTARTNOINTR to run a signal handler and start again.
 */
long mx_ioc_wait_one(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_wait_one a;
	struct mx_waiter w = { .task = current };
	struct mx_wait_obs wo;
	u32 observed;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	ret = mx_wait_register(p, &wo, &w, a.handle, a.signals);
	if (ret)
		return ret;
	ret = mx_wait_sleep(&w, a.deadline);
	observed = mx_wait_unregister(&wo);
	/* Settled before the observer went: that result stands. */
	if (ret && READ_ONCE(w.result) == MX_WAIT_PENDING)
		return ret;
	ret = mx_wait_status(&w);
	if (a.observed && put_user(observed, (u32 __user *)u64_to_user_ptr(a.observed)))
		return MX_ERR_INVALID_ARGS;
	return ret;
}

/* Sleep until the deadline with nothing to wait for (count == 0). */
static long mx_wait_none(u64 deadline)
{
	struct mx_waiter w = { .task = current };
	int ret = mx_wait_sleep(&w, deadline);

	return ret ? ret : MX_ERR_TIMED_OUT;
}

/**
 * mx_ioc_wait_many() - MX_IOC_OBJECT_WAIT_MANY: mx_object_wait_many()
 * @p: the calling process
 * @uarg: struct mx_ioc_wait_many
 *
 * Each item needs MX_RIGHT_READ. Items are checked in order and the first
 * failure undoes the items registered before it, with no pending written.
 * Otherwise every item's pending is written back.
 *
 * Context: process context; sleeps.
 * Return: MX_OK, MX_ERR_TIMED_OUT (count 0, or the deadline passed),
 * MX_ERR_INVALID_ARGS (items NULL, count above 1024, unreadable or
 * unwritable items), MX_ERR_NO_RESOURCES (count above the max_wait_items
 * parameter), MX_ERR_NO_MEMORY, the first item's MX_ERR_BAD_HANDLE
 * / MX_ERR_ACCESS_DENIED / MX_ERR_NOT_SUPPORTED, MX_ERR_CANCELED; or
 * -ERESTARTNOINTR.
 */
long mx_ioc_wait_many(struct mx_process *p, void __user *uarg)
{
	struct mx_waiter w = { .task = current };
	struct mx_ioc_wait_many a;
	struct mx_wait_item __user *uitems;
	struct mx_wait_item *items;
	struct mx_wait_obs *wos;
	u32 i, registered = 0;
	long ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.count == 0)
		return mx_wait_none(a.deadline);
	if (!a.items || a.count > MX_WAIT_MANY_MAX_ITEMS)
		return MX_ERR_INVALID_ARGS;
	/* A lower bound set by the administrator is a resource limit. */
	if (a.count > mx_max_wait_items)
		return MX_ERR_NO_RESOURCES;
	uitems = u64_to_user_ptr(a.items);

	items = kvmalloc_array(a.count, sizeof(*items), GFP_KERNEL_ACCOUNT);
	if (!items)
		return MX_ERR_NO_MEMORY;
	wos = kvmalloc_array(a.count, sizeof(*wos), GFP_KERNEL_ACCOUNT);
	if (!wos) {
		ret = MX_ERR_NO_MEMORY;
		goto out_free_items;
	}
	if (copy_from_user(items, uitems, a.count * sizeof(*items))) {
		ret = MX_ERR_INVALID_ARGS;
		goto out_free_wos;
	}

	for (i = 0; i < a.count; i++) {
		ret = mx_wait_register(p, &wos[i], &w, items[i].handle,
				       items[i].waitfor);
		if (ret)
			goto out_unregister;
		registered++;
	}

	ret = mx_wait_sleep(&w, a.deadline);
	for (i = 0; i < a.count; i++)
		items[i].pending = mx_wait_unregister(&wos[i]);
	registered = 0;
	/* Settled before the observers went: that result stands. */
	if (ret && READ_ONCE(w.result) == MX_WAIT_PENDING)
		goto out_free_wos;
	ret = mx_wait_status(&w);
	if (copy_to_user(uitems, items, a.count * sizeof(*items)))
		ret = MX_ERR_INVALID_ARGS;
	goto out_free_wos;

out_unregister:
	for (i = 0; i < registered; i++)
		mx_wait_unregister(&wos[i]);
out_free_wos:
	kvfree(wos);
out_free_items:
	kvfree(items);
	return ret;
}
