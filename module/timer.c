// SPDX-License-Identifier: GPL-2.0
/*
 * mx timers: MX_TIMER_SIGNALED at an absolute CLOCK_MONOTONIC deadline
 * (the clock of mx_time_get(MX_CLOCK_MONOTONIC)), once, or strobed every
 * period after it.
 *
 * An hrtimer fires at the deadline. Its callback runs in hard interrupt
 * context (soft interrupt context on PREEMPT_RT), where the object lock -
 * a spinlock taken with interrupts on - may not be taken: the callback
 * only queues the timer's work item on a per-CPU high-priority workqueue
 * (and moves a periodic timer's expiry on), and the work item changes the
 * signals in process context. A one-shot timer asserts SIGNALED until it
 * is cancelled or started again; a periodic one strobes it (sets and at
 * once clears it, under one hold of the object lock), so the waits and
 * asynchronous waits made before the strobe see it and a later look at
 * the state does not. Strobes that come while the previous one's work is
 * still pending are one strobe; periods missed entirely (the machine
 * busy) are skipped, not fired back to back.
 *
 * Locking (the order of all: docs/architecture.md): mx_timer.lock, a
 * mutex, serialises start, cancel and the close of the last handle; under
 * it those cancel the hrtimer (which waits for a running callback) and the
 * work item (which waits for a running one), then take the object lock to
 * clear SIGNALED. The callback takes no lock of mx's; the work item takes
 * only the object lock. A timer is therefore never armed, and its work
 * never pending, once its last handle is gone: release (and module
 * unload, which releases every object first) finds nothing running.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "timer.h"

/**
 * struct mx_timer - a timer
 * @base: common object head
 * @lock: serialises start, cancel and close (see the top of the file)
 * @hrt: fires at the deadline, then every @period
 * @work: changes the signals for a firing of @hrt
 * @period: 0 (one-shot) or the period in ns; written under @lock while
 *	neither @hrt nor @work is pending, read by both
 * @armed: started since the last disarm (under @lock); when false,
 *	neither @hrt nor @work is pending or running, and SIGNALED is clear
 * @dead: the last handle is gone: never armed again (under @lock)
 */
struct mx_timer {
	struct mx_object base;
	struct mutex lock;
	struct hrtimer hrt;
	struct work_struct work;
	u64 period;
	bool armed;
	bool dead;
};

static struct mx_timer *to_timer(struct mx_object *obj)
{
	return container_of(obj, struct mx_timer, base);
}

static void mx_timer_work(struct work_struct *work)
{
	struct mx_timer *t = container_of(work, struct mx_timer, work);

	spin_lock(&t->base.lock);
	mx_object_update_signals_locked(&t->base, 0, MX_TIMER_SIGNALED);
	if (t->period)
		mx_object_update_signals_locked(&t->base, MX_TIMER_SIGNALED,
						0);
	spin_unlock(&t->base.lock);
}

static enum hrtimer_restart mx_timer_fire(struct hrtimer *hrt)
{
	struct mx_timer *t = container_of(hrt, struct mx_timer, hrt);
	ktime_t period = ns_to_ktime(t->period);

	queue_work(system_highpri_wq, &t->work);
	if (!period)
		return HRTIMER_NORESTART;
	/* The next period still ahead; none after KTIME_MAX. */
	if (hrtimer_get_expires(hrt) > KTIME_MAX - period)
		return HRTIMER_NORESTART;
	hrtimer_forward(hrt, hrtimer_cb_get_time(hrt), period);
	return HRTIMER_RESTART;
}

/*
 * Disarm, wait for a running callback and work item, clear SIGNALED. A
 * timer not armed since the last disarm has neither; a one-shot whose
 * hrtimer is taken off its queue before it fired queued no work.
 */
static void mx_timer_disarm_locked(struct mx_timer *t)
{
	lockdep_assert_held(&t->lock);
	if (!t->armed)
		return;
	t->armed = false;
	if (hrtimer_cancel(&t->hrt) != 1 || t->period)
		cancel_work_sync(&t->work);
	/* Nothing can set it now: a clear state needs no lock to stay so. */
	if (mx_object_signals(&t->base) & MX_TIMER_SIGNALED)
		mx_object_update_signals(&t->base, MX_TIMER_SIGNALED, 0);
}

static void mx_timer_on_zero_handles(struct mx_object *obj)
{
	struct mx_timer *t = to_timer(obj);

	mutex_lock(&t->lock);
	t->dead = true;
	mx_timer_disarm_locked(t);
	mutex_unlock(&t->lock);
}

static void mx_timer_release(struct mx_object *obj)
{
	struct mx_timer *t = to_timer(obj);

	/* Never armed since its last handle went (or never had one). */
	WARN_ON_ONCE(hrtimer_active(&t->hrt) || work_pending(&t->work));
	mutex_destroy(&t->lock);
	kfree(t);
}

const struct mx_object_ops mx_timer_ops = {
	.type = MX_OBJ_TYPE_TIMER,
	.name = "timer",
	.default_rights = MX_DEFAULT_TIMER_RIGHTS,
	.waitable = true,
	.user_signals = MX_USER_SIGNAL_ALL,
	.on_zero_handles = mx_timer_on_zero_handles,
	.release = mx_timer_release,
};
EXPORT_SYMBOL_IF_KUNIT(mx_timer_ops);

/**
 * mx_timer_new() - a new timer, not armed
 *
 * Return: the timer, with one reference and no handle, or NULL.
 */
struct mx_object *mx_timer_new(void)
{
	struct mx_timer *t;

	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	mx_object_init(&t->base, &mx_timer_ops, 0);
	mutex_init(&t->lock);
	hrtimer_init(&t->hrt, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	t->hrt.function = mx_timer_fire;
	INIT_WORK(&t->work, mx_timer_work);
	return &t->base;
}
EXPORT_SYMBOL_IF_KUNIT(mx_timer_new);

/**
 * mx_timer_start() - (re)arm a timer
 * @obj: the timer
 * @deadline: absolute CLOCK_MONOTONIC time in ns; one in the past fires
 *	at once
 * @period: 0 for one firing, else the period in ns (checked by the caller)
 *
 * An armed timer is cancelled first, and SIGNALED cleared, as Magenta.
 * Slack is not taken: the timer fires as near its deadline as the
 * hrtimer can, as Magenta, which ignores slack.
 *
 * Context: process context; may sleep.
 */
void mx_timer_start(struct mx_object *obj, u64 deadline, u64 period)
{
	struct mx_timer *t = to_timer(obj);

	mutex_lock(&t->lock);
	mx_timer_disarm_locked(t);
	if (!t->dead) {
		t->period = min_t(u64, period, KTIME_MAX);
		t->armed = true;
		hrtimer_start(&t->hrt,
			      ns_to_ktime(min_t(u64, deadline, KTIME_MAX)),
			      HRTIMER_MODE_ABS);
	}
	mutex_unlock(&t->lock);
}

/**
 * mx_timer_cancel() - disarm a timer, if armed, and clear SIGNALED
 * @obj: the timer
 *
 * Returns once no callback and no change of the signals for an earlier
 * firing is running.
 *
 * Context: process context; may sleep.
 */
void mx_timer_cancel(struct mx_object *obj)
{
	struct mx_timer *t = to_timer(obj);

	mutex_lock(&t->lock);
	mx_timer_disarm_locked(t);
	mutex_unlock(&t->lock);
}
