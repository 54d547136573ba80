// SPDX-License-Identifier: GPL-2.0
/*
 * mx_object_wait_one() and mx_object_wait_many(): blocking waits on the
 * signal state of objects (their ioctls, which copy the arguments and
 * the items, are in sys_object.c); the observers every watch is made of;
 * and what every blocking call shares: sleeping to a deadline and parking
 * across a signal handler.
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
 * The call goes on while the handler runs: it is parked (struct mx_parked) on
 * the process's list of parked waits, and the call restarted by the same
 * thread with the same arguments takes it back. A parked wait keeps its
 * observers registered, so a pulse during the handler satisfies it, a close
 * cancels it and every state seen counts in observed, as if the thread had
 * never left the call; mx_channel_call() parks its wait for the reply the
 * same way (sys_channel.c), so a reply that comes during the handler is its.
 * The restarted call is recognised by its thread, its command, the user
 * instruction and stack pointers of the call, which a restart repeats
 * exactly, and its arguments (struct mx_parked_ops compares those). A parked
 * call nobody takes back is dropped when its thread enters a blocking call
 * from the same stack frame or an outer one, not from its signal handler (it
 * jumped away from the handler: siglongjmp), when its thread has exited or is
 * being killed, when its thread has more than MX_WAIT_PARKED_MAX, or when
 * the process ends. (A thread that jumps away from the handler and then makes
 * the very same call from the very same frame cannot be told from a restart:
 * it takes the old call back, as if it had never left.)
 *
 * Locking (the order of all: docs/architecture.md):
 *  - Each mx_waiter's @result is written under the lock of whichever
 *    object settles the wait first (cmpxchg, first writer wins) and read
 *    by the sleeping task.
 *  - mx_process.parked.lock (spinlock) protects the process's parked list
 *    and count; it is innermost: nothing is taken under it, and parked
 *    calls are dropped with it released.
 *  - mx_waiter.parked is written by its own task; a notifier that sees it
 *    set does not wake the task (it is busy in its signal handler). The
 *    full barriers of cmpxchg() and set_current_state() pair so that a
 *    wait taken back either sees the result or is woken.
 *  - wait_many first reads every item's signals (mx_object_signals(),
 *    lockless) under one hold of the table lock, which keeps the objects
 *    alive; when one is satisfied it returns with nothing registered,
 *    which is the same result registering would give. It looks only once
 *    mx_unpark() found no call of current's to take back: a parked call
 *    must be taken back, not looked at afresh.
 *
 * A wait's items are kept in a struct mx_wait_items: in the struct itself
 * (on the ioctl's stack) up to MX_WAIT_INLINE_ITEMS, in an allocated array
 * beyond, and every wait goes the same way over them. Its observers are
 * allocated when it registers more than one; a parked wait gets a record
 * of its own for them and a copy of its items.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hrtimer.h>
#include <linux/moduleparam.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>

#include "process.h"
#include "wait.h"

static unsigned int mx_max_wait_items = MX_WAIT_MANY_MAX_ITEMS;
module_param_named(max_wait_items, mx_max_wait_items, uint, 0644);
MODULE_PARM_DESC(max_wait_items,
		 "Most items one mx_object_wait_many() may wait on (at most 1024)");

/* Parked calls one thread may keep; the oldest goes beyond. */
#define MX_WAIT_PARKED_MAX 64

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

/**
 * struct mx_wait_key - what identifies a wait besides its thread
 * @args: the call's arguments besides the deadline and the items
 * @deadline: the absolute deadline
 * @items: wait_many's items, compared on restart; NULL for wait_one
 * @count: number of items
 */
struct mx_wait_key {
	u64 args[2];
	u64 deadline;
	struct mx_wait_item *items;
	u32 count;
};

/**
 * struct mx_wait_parked - a wait kept while its thread runs a handler
 * @pk: the parked call
 * @k: the wait's key; @k.items, if any, points into the record itself
 * @count: number of @wos registered
 * @wos: the registered observers
 */
struct mx_wait_parked {
	struct mx_parked pk;
	struct mx_wait_key k;
	u32 count;
	struct mx_wait_obs wos[] __counted_by(count);
};

/**
 * mx_waiter_settle() - settle a wait, if nothing settled it before
 * @w: the waiter
 * @result: MX_WAIT_SATISFIED or MX_WAIT_CANCELED
 *
 * Wakes the task unless it is parked in a signal handler.
 *
 * Context: any; called under the lock of what settles the wait.
 * Return: true if this settled it; false if something else did first.
 */
bool mx_waiter_settle(struct mx_waiter *w, int result)
{
	if (cmpxchg(&w->result, MX_WAIT_PENDING, result) != MX_WAIT_PENDING)
		return false;
	if (!READ_ONCE(w->parked))
		wake_up_process(w->task);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(mx_waiter_settle);

/**
 * mx_observer_init() - set up an observer before it is added to an object
 * @obs: the observer
 * @handle: the handle the watch is made through, whose closing cancels it;
 *	NULL for a watch of the object itself
 * @watched: the signals that satisfy the watch
 * @notify: called under the object's lock on every state change and on
 *	cancellation
 * @async: a port registration, which also ends when its handle is written
 *	into a channel
 *
 * Sets every field; mx_object_add_observer() then adds it.
 */
void mx_observer_init(struct mx_observer *obs, const struct mx_handle *handle,
		      u32 watched,
		      void (*notify)(struct mx_observer *obs, u32 state),
		      bool async)
{
	INIT_LIST_HEAD(&obs->node);
	obs->handle = handle;
	obs->watched = watched;
	obs->observed = 0;
	obs->notify = notify;
	obs->cancelled = false;
	obs->async = async;
}

static void mx_wait_notify(struct mx_observer *obs, u32 state)
{
	struct mx_wait_obs *wo = container_of(obs, struct mx_wait_obs, obs);

	if (obs->cancelled)
		mx_waiter_settle(wo->waiter, MX_WAIT_CANCELED);
	else if (state & obs->watched)
		mx_waiter_settle(wo->waiter, MX_WAIT_SATISFIED);
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
	int ret;

	mx_ht_lock(t);
	ret = mx_ht_check_waitable_locked(t, value, MX_RIGHT_READ, &h);
	if (!ret) {
		wo->waiter = w;
		wo->obj = h->obj;
		mx_object_get(h->obj);
		/* A blocking wait: it outlives its handle's trip in transit. */
		mx_observer_init(&wo->obs, h, signals, mx_wait_notify, false);
		mx_object_add_observer(h->obj, &wo->obs);
	}
	mx_ht_unlock(t);
	return ret;
}

static u32 mx_wait_unregister(struct mx_wait_obs *wo)
{
	u32 observed = mx_object_remove_observer(wo->obj, &wo->obs);

	mx_object_put(wo->obj);
	return observed;
}

/**
 * mx_sleep_step() - one step of an interruptible sleep until a deadline
 * @deadline: absolute CLOCK_MONOTONIC deadline; KTIME_MAX and above is
 *	forever
 *
 * For a caller that has set its task state (TASK_INTERRUPTIBLE) and found
 * its condition false; it sets the state back to running itself.
 *
 * Return: 0 when woken (check the condition again), 1 at the deadline,
 * -ERESTARTNOINTR when a signal is pending.
 */
int mx_sleep_step(u64 deadline)
{
	ktime_t expires;

	if (signal_pending(current))
		return -ERESTARTNOINTR;
	if (deadline >= KTIME_MAX) {
		schedule();
		return 0;
	}
	if (ktime_get_ns() >= deadline)
		return 1;
	expires = ns_to_ktime(deadline);
	return schedule_hrtimeout_range(&expires, current->timer_slack_ns,
					HRTIMER_MODE_ABS) ? 0 : 1;
}
EXPORT_SYMBOL_IF_KUNIT(mx_sleep_step);

/**
 * mx_wait_sleep() - sleep until a waiter is settled or a deadline passes
 * @w: the waiter, current's
 * @deadline: absolute CLOCK_MONOTONIC nanoseconds; MX_TIME_INFINITE or
 *	anything past KTIME_MAX for none
 *
 * Context: process context; sleeps interruptibly.
 * Return: 0 when settled or timed out (@w->result tells which),
 * -ERESTARTNOINTR when a signal is pending.
 */
int mx_wait_sleep(struct mx_waiter *w, u64 deadline)
{
	int step = 0;

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(w->result) != MX_WAIT_PENDING)
			break;
		step = mx_sleep_step(deadline);
		if (step)
			break;
	}
	__set_current_state(TASK_RUNNING);
	return step < 0 ? step : 0;
}
EXPORT_SYMBOL_IF_KUNIT(mx_wait_sleep);

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
 * mx_parked_init() - start a call that may be parked
 * @pk: the call's record
 * @ops: its kind
 * @cmd: its ioctl command
 *
 * Notes current's user instruction and stack pointers, which a restart of
 * the ioctl repeats, and takes a reference to current.
 *
 * Context: process context, in the ioctl of the call.
 */
void mx_parked_init(struct mx_parked *pk, const struct mx_parked_ops *ops,
		    unsigned int cmd)
{
	struct pt_regs *regs = task_pt_regs(current);

	INIT_LIST_HEAD(&pk->node);
	pk->ops = ops;
	pk->cmd = cmd;
	pk->ip = instruction_pointer(regs);
	pk->sp = user_stack_pointer(regs);
	pk->w.task = get_task_struct(current);
	pk->w.result = MX_WAIT_PENDING;
	pk->w.parked = false;
}
EXPORT_SYMBOL_IF_KUNIT(mx_parked_init);

/* Set up the parked calls of a new process. */
void mx_parked_calls_init(struct mx_parked_calls *pc)
{
	spin_lock_init(&pc->lock);
	INIT_LIST_HEAD(&pc->list);
	pc->nr = 0;
}
EXPORT_SYMBOL_IF_KUNIT(mx_parked_calls_init);

/* A process is released: mx_wait_process_exit() dropped its calls. */
void mx_parked_calls_fini(struct mx_parked_calls *pc)
{
	WARN_ON_ONCE(!list_empty(&pc->list));
}

/**
 * mx_parked_fini() - the end of a record set up by mx_parked_init()
 * @pk: the record, not parked
 */
void mx_parked_fini(struct mx_parked *pk)
{
	put_task_struct(pk->w.task);
}
EXPORT_SYMBOL_IF_KUNIT(mx_parked_fini);

static void mx_parked_drop_list(struct list_head *list)
{
	struct mx_parked *pk, *tmp;

	list_for_each_entry_safe(pk, tmp, list, node) {
		list_del_init(&pk->node);
		pk->ops->drop(pk);
	}
}

/**
 * mx_unpark() - take back the call current parked when a signal came
 * @p: the calling process
 * @cmd: the ioctl command being restarted
 * @key: the arguments, for @ops->matches of the calls parked with @cmd
 *
 * On the way, drops current's parked calls whose frames are gone (current
 * is back at or above their stack pointer, and not in a handler on the
 * alternate signal stack).
 *
 * Context: process context, no mx lock held.
 * Return: the call, off the list and no longer parked, or NULL.
 */
struct mx_parked *mx_unpark(struct mx_process *p, unsigned int cmd,
			    const void *key)
{
	struct pt_regs *regs = task_pt_regs(current);
	unsigned long ip = instruction_pointer(regs);
	unsigned long sp = user_stack_pointer(regs);
	struct mx_parked *pk, *tmp, *found = NULL;
	bool on_altstack = on_sig_stack(sp);
	LIST_HEAD(drop);

	if (!READ_ONCE(p->parked.nr))
		return NULL;
	spin_lock(&p->parked.lock);
	list_for_each_entry_safe(pk, tmp, &p->parked.list, node) {
		if (pk->w.task != current)
			continue;
		if (!found && pk->cmd == cmd && pk->ip == ip && pk->sp == sp &&
		    pk->ops->matches(pk, key)) {
			list_del_init(&pk->node);
			found = pk;
		} else if (!on_altstack && pk->sp <= sp) {
			list_move(&pk->node, &drop);
		} else {
			continue;
		}
		p->parked.nr--;
	}
	spin_unlock(&p->parked.lock);

	mx_parked_drop_list(&drop);
	if (found)
		WRITE_ONCE(found->w.parked, false);
	return found;
}
EXPORT_SYMBOL_IF_KUNIT(mx_unpark);

/**
 * mx_park() - keep a call while current runs a signal handler
 * @p: the calling process
 * @pk: the call, set up by mx_parked_init(); the list owns it from now on
 *
 * First drops the calls of threads that have exited and, beyond
 * MX_WAIT_PARKED_MAX of current's own (handlers interrupted in turn), the
 * oldest of those. The calls of other live threads are never dropped
 * here: every thread of a process may be in a handler at once (a signal
 * sent to each, say), and each will come back for its call. A thread
 * being killed never comes back: its call is dropped at once instead.
 *
 * Context: process context, no mx lock held.
 */
void mx_park(struct mx_process *p, struct mx_parked *pk)
{
	struct mx_parked *old, *tmp;
	unsigned int mine = 0;
	LIST_HEAD(drop);

	WRITE_ONCE(pk->w.parked, true);
	if (fatal_signal_pending(current)) {
		pk->ops->drop(pk);
		return;
	}
	spin_lock(&p->parked.lock);
	/* Newest first, so that current keeps its newest calls. */
	list_for_each_entry_safe_reverse(old, tmp, &p->parked.list, node) {
		if (old->w.task == current) {
			if (++mine < MX_WAIT_PARKED_MAX)
				continue;
		} else if (!(old->w.task->flags & PF_EXITING)) {
			continue;
		}
		list_move(&old->node, &drop);
		p->parked.nr--;
	}
	list_add_tail(&pk->node, &p->parked.list);
	p->parked.nr++;
	spin_unlock(&p->parked.lock);

	mx_parked_drop_list(&drop);
}
EXPORT_SYMBOL_IF_KUNIT(mx_park);

/**
 * mx_wait_process_exit() - drop the parked calls of a process that ended
 * @p: the process
 *
 * Context: process context; no mx lock held.
 */
void mx_wait_process_exit(struct mx_process *p)
{
	LIST_HEAD(drop);

	spin_lock(&p->parked.lock);
	list_splice_init(&p->parked.list, &drop);
	p->parked.nr = 0;
	spin_unlock(&p->parked.lock);
	mx_parked_drop_list(&drop);
}
EXPORT_SYMBOL_IF_KUNIT(mx_wait_process_exit);

/* ---- wait_one and wait_many ---- */

/**
 * mx_wait_items_init() - room for the items of a wait_many
 * @wi: the storage, usually on the caller's stack
 * @count: how many items, at least 1 and at most MX_WAIT_MANY_MAX_ITEMS
 *
 * Up to MX_WAIT_INLINE_ITEMS items are kept in @wi itself; more in an
 * allocated array. Free with mx_wait_items_fini().
 *
 * Return: 0; MX_ERR_NO_RESOURCES (@count above the max_wait_items
 * parameter), MX_ERR_NO_MEMORY.
 */
int mx_wait_items_init(struct mx_wait_items *wi, u32 count)
{
	/* A lower bound set by the administrator is a resource limit. */
	if (count > mx_max_wait_items)
		return MX_ERR_NO_RESOURCES;
	wi->count = count;
	wi->items = wi->inline_items;
	if (count <= ARRAY_SIZE(wi->inline_items))
		return 0;
	wi->items = kvmalloc_array(count, sizeof(*wi->items),
				   GFP_KERNEL_ACCOUNT);
	return wi->items ? 0 : MX_ERR_NO_MEMORY;
}

/**
 * mx_wait_items_fini() - the end of mx_wait_items_init()'s storage
 * @wi: the storage
 */
void mx_wait_items_fini(struct mx_wait_items *wi)
{
	if (wi->items != wi->inline_items)
		kvfree(wi->items);
}

static struct mx_wait_parked *to_wait_parked(const struct mx_parked *pk)
{
	return container_of(pk, struct mx_wait_parked, pk);
}

static void mx_wait_parked_free(struct mx_wait_parked *pw)
{
	u32 i;

	for (i = 0; i < pw->count; i++)
		mx_wait_unregister(&pw->wos[i]);
	mx_parked_fini(&pw->pk);
	kvfree(pw);
}

static bool mx_wait_parked_matches(const struct mx_parked *pk,
				   const void *key)
{
	const struct mx_wait_key *a = &to_wait_parked(pk)->k, *b = key;
	u32 i;

	if (a->args[0] != b->args[0] || a->args[1] != b->args[1] ||
	    a->deadline != b->deadline || a->count != b->count)
		return false;
	for (i = 0; b->items && i < b->count; i++)
		if (a->items[i].handle != b->items[i].handle ||
		    a->items[i].waitfor != b->items[i].waitfor)
			return false;
	return true;
}

static void mx_wait_parked_drop(struct mx_parked *pk)
{
	mx_wait_parked_free(to_wait_parked(pk));
}

static const struct mx_parked_ops mx_wait_parked_ops = {
	.matches = mx_wait_parked_matches,
	.drop = mx_wait_parked_drop,
};

static struct mx_wait_parked *mx_wait_unpark(struct mx_process *p,
					     unsigned int cmd,
					     const struct mx_wait_key *k)
{
	struct mx_parked *pk = mx_unpark(p, cmd, k);

	return pk ? to_wait_parked(pk) : NULL;
}

/*
 * Move a wait interrupted by a signal from the ioctl's frame to a parked
 * record: its observers move to the record's, a result reached before the
 * last of them moved is carried over. @k->items (may be NULL) is copied
 * into the record. Return: true if parked; false (out of memory) if the
 * caller must end the wait itself.
 */
static bool mx_wait_park_new(struct mx_process *p, unsigned int cmd,
			     const struct mx_wait_key *k, struct mx_waiter *w,
			     struct mx_wait_obs *wos)
{
	struct mx_wait_parked *pw;
	size_t size = struct_size(pw, wos, k->count), items_size = 0;
	int result;
	u32 i;

	if (k->items)
		items_size = array_size(k->count, sizeof(*k->items));
	pw = kvzalloc(size_add(size, items_size), GFP_KERNEL_ACCOUNT);
	if (!pw)
		return false;
	pw->count = k->count;
	mx_parked_init(&pw->pk, &mx_wait_parked_ops, cmd);
	pw->pk.w.parked = true;
	pw->k = *k;
	if (k->items) {
		pw->k.items = (void *)pw + size;
		memcpy(pw->k.items, k->items, items_size);
	}
	for (i = 0; i < k->count; i++) {
		pw->wos[i].waiter = &pw->pk.w;
		pw->wos[i].obj = wos[i].obj;
		/* The watch itself comes with the move. */
		mx_observer_init(&pw->wos[i].obs, NULL, 0, mx_wait_notify,
				 false);
		mx_object_move_observer(wos[i].obj, &wos[i].obs,
					&pw->wos[i].obs);
	}
	/* Nothing notifies @w any more. */
	result = READ_ONCE(w->result);
	if (result != MX_WAIT_PENDING)
		cmpxchg(&pw->pk.w.result, MX_WAIT_PENDING, result);
	mx_park(p, &pw->pk);
	return true;
}

/*
 * Look at every item without registering anything, for when one is
 * satisfied already (a server draining ready objects): every item is
 * checked and its signals read under one hold of the table lock, in item
 * order, so errors come as registering gives them. Return: 1 if some item
 * is satisfied (every pending filled in), 0 if the call must wait, or the
 * first item's error.
 */
static int mx_wait_scan(struct mx_process *p, struct mx_wait_item *items,
			u32 count)
{
	struct mx_wait_item *it, *end = items + count;
	struct mx_handle_table *t = &p->table;
	bool satisfied = false;
	struct mx_handle *h;
	int ret = 0;

	mx_ht_lock(t);
	for (it = items; it < end; it++) {
		ret = mx_ht_check_waitable_locked(t, it->handle, MX_RIGHT_READ,
						  &h);
		if (ret)
			break;
		it->pending = mx_object_signals(h->obj);
		if (it->pending & it->waitfor)
			satisfied = true;
	}
	mx_ht_unlock(t);
	return ret ? ret : satisfied;
}

/*
 * A wait on @k->count @items (handle and waitfor in, pending out): take
 * back the call parked by the signal that interrupted it, or else, if
 * @scan, look for an item satisfied already (mx_wait_scan()), then
 * register an observer per item and sleep; then end the wait, or park it
 * if a signal came before it was settled. *@filled tells whether every
 * pending was filled in. Inlined into each kind of wait: the one-item
 * wait, the commonest, pays no call for it. Return: MX_OK,
 * MX_ERR_TIMED_OUT, MX_ERR_CANCELED (*@filled); the first item's error,
 * MX_ERR_NO_MEMORY, -ERESTARTNOINTR (not *@filled).
 */
static __always_inline int mx_wait(struct mx_process *p, unsigned int cmd,
				   const struct mx_wait_key *k,
				   struct mx_wait_item *items, bool scan,
				   bool *filled)
{
	struct mx_waiter sw = { .task = current }, *w = &sw;
	struct mx_wait_obs one, *wos = &one;
	struct mx_wait_parked *pw;
	u32 i, registered = 0;
	int ret;

	*filled = false;
	pw = mx_wait_unpark(p, cmd, k);
	if (pw) {
		w = &pw->pk.w;
		wos = pw->wos;
		goto sleep;
	}
	if (scan) {
		ret = mx_wait_scan(p, items, k->count);
		if (ret < 0)
			return ret;
		if (ret) {
			*filled = true;
			return MX_OK;
		}
	}
	if (k->count > 1) {
		wos = kvmalloc_array(k->count, sizeof(*wos),
				     GFP_KERNEL_ACCOUNT);
		if (!wos)
			return MX_ERR_NO_MEMORY;
	}
	for (; registered < k->count; registered++) {
		ret = mx_wait_register(p, &wos[registered], w,
				       items[registered].handle,
				       items[registered].waitfor);
		if (ret)
			goto out_unregister;
	}

sleep:
	ret = mx_wait_sleep(w, k->deadline);
	/* Settled before the signal: that result stands. */
	if (ret && READ_ONCE(w->result) == MX_WAIT_PENDING) {
		if (pw) {
			mx_park(p, &pw->pk);
			return ret;
		}
		if (mx_wait_park_new(p, cmd, k, w, wos))
			goto out_free;
		goto out_unregister;
	}
	for (i = 0; i < k->count; i++)
		items[i].pending = mx_wait_unregister(&wos[i]);
	*filled = true;
	ret = mx_wait_status(w);
	if (pw) {
		pw->count = 0;
		mx_wait_parked_free(pw);
		return ret;
	}
	goto out_free;

out_unregister:
	while (registered--)
		mx_wait_unregister(&wos[registered]);
out_free:
	if (wos != &one)
		kvfree(wos);
	return ret;
}

/**
 * mx_wait_one() - wait for signals on one object
 * @p: the calling process
 * @item: the handle and the signals to wait for; out: @item->pending, every
 *	state observed, when *@filled
 * @deadline: absolute CLOCK_MONOTONIC deadline
 * @id: the address of the call's observed (may be 0), which with the rest
 *	tells a restarted call
 * @filled: out: whether @item->pending was filled in
 *
 * Needs MX_RIGHT_READ.
 *
 * Context: process context; sleeps.
 * Return: MX_OK when a watched signal was seen; MX_ERR_BAD_HANDLE,
 * MX_ERR_ACCESS_DENIED, MX_ERR_NOT_SUPPORTED (not waitable),
 * MX_ERR_CANCELED (the handle was closed), MX_ERR_TIMED_OUT; or
 * -ERESTARTNOINTR to run a signal handler and take the wait back.
 */
int mx_wait_one(struct mx_process *p, struct mx_wait_item *item,
		u64 deadline, u64 id, bool *filled)
{
	struct mx_wait_key k = {
		.args = { (u64)(u32)item->handle << 32 | item->waitfor, id },
		.deadline = deadline,
		.count = 1,
	};

	return mx_wait(p, MX_IOC_OBJECT_WAIT_ONE, &k, item, false, filled);
}

/**
 * mx_wait_many() - wait for signals on any of several objects
 * @p: the calling process
 * @wi: the items (mx_wait_items_init()), read in; out: every item's
 *	pending when *@filled
 * @deadline: absolute CLOCK_MONOTONIC deadline
 * @id: the address of the caller's items, which with the items tells a
 *	restarted call
 * @filled: out: whether every pending was filled in
 *
 * Each item needs MX_RIGHT_READ. Items are checked in order and the first
 * failure undoes the items registered before it, with no pending filled
 * in. When some item is satisfied already nothing is registered.
 *
 * Context: process context; sleeps.
 * Return: MX_OK, MX_ERR_TIMED_OUT, MX_ERR_NO_MEMORY, the first item's
 * MX_ERR_BAD_HANDLE / MX_ERR_ACCESS_DENIED / MX_ERR_NOT_SUPPORTED,
 * MX_ERR_CANCELED; or -ERESTARTNOINTR to run a signal handler and take the
 * wait back.
 */
int mx_wait_many(struct mx_process *p, struct mx_wait_items *wi,
		 u64 deadline, u64 id, bool *filled)
{
	struct mx_wait_key k = {
		.args = { id, 0 },
		.deadline = deadline,
		.items = wi->items,
		.count = wi->count,
	};

	return mx_wait(p, MX_IOC_OBJECT_WAIT_MANY, &k, wi->items, true,
		       filled);
}

/**
 * mx_wait_none() - sleep until a deadline with nothing to wait for
 * @deadline: absolute CLOCK_MONOTONIC deadline
 *
 * Context: process context; sleeps.
 * Return: MX_ERR_TIMED_OUT, or -ERESTARTNOINTR to run a signal handler
 * (the restarted call sleeps to the same deadline).
 */
int mx_wait_none(u64 deadline)
{
	struct mx_waiter w = { .task = current };
	int ret = mx_wait_sleep(&w, deadline);

	return ret ? ret : MX_ERR_TIMED_OUT;
}
