// SPDX-License-Identifier: GPL-2.0
/*
 * mx objects and handles: koids, reference and handle counts, signal state.
 *
 * Locking (the order of all: docs/architecture.md):
 *  - mx_object.lock (spinlock, irqs on) protects the signal state, the
 *    observer list and the handle count of one object. Observers' notify
 *    callbacks run under it and must only record the state and wake a task
 *    (or queue a packet); they never take another object's lock.
 *  - The signal state is one word, written (WRITE_ONCE) only under the
 *    lock, together with the notification of the observers. A reader that
 *    only wants the current state (mx_object_signals()) reads it without
 *    the lock (READ_ONCE): it gets the state of some instant during the
 *    read, which is all the lock would give it. Whoever must not miss a
 *    change after the read registers an observer, under the lock.
 *  - Order: a handle table lock (handle_table.c) may be held when an
 *    object lock is taken, never the reverse. A peer lock (eventpair.c,
 *    channel.c) may also be held when an object lock is taken.
 *
 * Lifetime: an object lives while it has references (kref). Every handle
 * holds one; so does any operation in flight that looked it up. The handle
 * count is separate: when it drops to zero the type's on_zero_handles hook
 * runs (peer closed, process killed, ...), while references keep the
 * memory alive until the operations in flight finish.
 *
 * Handles come from a SLAB_TYPESAFE_BY_RCU cache, for the table lookups
 * made without the table lock (handle_table.c).
 *
 * MX_SIGNAL_LAST_HANDLE is part of the signal state: set while exactly one
 * handle exists (and at creation), cleared while there are more.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/slab.h>

#include "object.h"
#include "stats.h"
#include "user.h"

static atomic64_t mx_next_koid = ATOMIC64_INIT(1024);
static struct kmem_cache *mx_handle_cache;

int mx_object_setup(void)
{
	/* Lookups without the table lock read handles being freed. */
	mx_handle_cache = KMEM_CACHE(mx_handle,
				     SLAB_ACCOUNT | SLAB_TYPESAFE_BY_RCU);
	return mx_handle_cache ? 0 : -ENOMEM;
}

void mx_object_teardown(void)
{
	kmem_cache_destroy(mx_handle_cache);
}

/**
 * mx_object_init() - initialise the common part of a new object
 * @obj: the object, embedded in its type's struct
 * @ops: the type
 * @initial_signals: type-specific initial state; LAST_HANDLE is added
 *
 * The object starts with one reference, owned by the caller, and no handle.
 */
void mx_object_init(struct mx_object *obj, const struct mx_object_ops *ops,
		    u32 initial_signals)
{
	obj->ops = ops;
	obj->koid = atomic64_inc_return(&mx_next_koid) - 1;
	kref_init(&obj->ref);
	obj->handle_count = 0;
	spin_lock_init(&obj->lock);
	obj->signals = initial_signals | MX_SIGNAL_LAST_HANDLE;
	INIT_LIST_HEAD(&obj->observers);
	obj->user = NULL;
	mx_stats_object(ops->type, 1);
}
EXPORT_SYMBOL_IF_KUNIT(mx_object_init);

static void mx_object_release(struct kref *ref)
{
	struct mx_object *obj = container_of(ref, struct mx_object, ref);

	WARN_ON_ONCE(!list_empty(&obj->observers));
	WARN_ON_ONCE(obj->handle_count);
	mx_stats_object(obj->ops->type, -1);
	mx_user_uncharge(obj);
	obj->ops->release(obj);
}

/**
 * mx_object_put() - drop a reference
 * @obj: the object
 *
 * Context: may free the object; must not be called under any mx lock.
 */
void mx_object_put(struct mx_object *obj)
{
	kref_put(&obj->ref, mx_object_release);
}
EXPORT_SYMBOL_IF_KUNIT(mx_object_put);

/**
 * mx_object_update_signals_locked() - change the signal state
 * @obj: the object
 * @clear: bits to clear
 * @set: bits to set (applied after @clear)
 *
 * Observers are told only when the state actually changes, newest first
 * (as Magenta: the packets one change queues at ports come in that order).
 *
 * Context: @obj->lock held.
 */
void mx_object_update_signals_locked(struct mx_object *obj, u32 clear,
				     u32 set)
{
	struct mx_observer *obs, *tmp;
	u32 old = obj->signals;
	u32 now = (old & ~clear) | set;

	lockdep_assert_held(&obj->lock);
	if (now == old)
		return;
	WRITE_ONCE(obj->signals, now);
	list_for_each_entry_safe(obs, tmp, &obj->observers, node) {
		obs->observed |= now;
		obs->notify(obs, now);
	}
}
EXPORT_SYMBOL_IF_KUNIT(mx_object_update_signals_locked);

void mx_object_update_signals(struct mx_object *obj, u32 clear, u32 set)
{
	spin_lock(&obj->lock);
	mx_object_update_signals_locked(obj, clear, set);
	spin_unlock(&obj->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mx_object_update_signals);

/**
 * mx_peer_signal() - mx_object_signal_peer() of an object
 * with a peer (a channel endpoint, an eventpair side)
 * @peer: the peer, read under the pair's link lock; NULL once it is gone
 * @clear: signals to clear
 * @set: signals to set
 *
 * Context: the pair's link lock held, which keeps @peer alive.
 * Return: 0, or MX_ERR_PEER_CLOSED when there is no peer.
 */
int mx_peer_signal(struct mx_object *peer, u32 clear, u32 set)
{
	if (!peer)
		return MX_ERR_PEER_CLOSED;
	mx_object_update_signals(peer, clear, set);
	return 0;
}

/**
 * mx_object_add_observer() - start watching an object
 * @obj: the object
 * @obs: the observer, with @handle, @watched and @notify filled in
 *
 * @obs->observed starts as the current state, and @notify is called at
 * once if the state already satisfies the watch. The _locked variant is
 * called with the object's lock held.
 */
void mx_object_add_observer_locked(struct mx_object *obj,
				   struct mx_observer *obs)
{
	lockdep_assert_held(&obj->lock);
	obs->cancelled = false;
	obs->observed = obj->signals;
	/* Newest first, as Magenta's observer list (push-front). */
	list_add(&obs->node, &obj->observers);
	if (obs->observed & obs->watched)
		obs->notify(obs, obj->signals);
}

void mx_object_add_observer(struct mx_object *obj, struct mx_observer *obs)
{
	spin_lock(&obj->lock);
	mx_object_add_observer_locked(obj, obs);
	spin_unlock(&obj->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mx_object_add_observer);

/**
 * mx_object_remove_observer() - stop watching
 * @obj: the object
 * @obs: an observer added with mx_object_add_observer()
 *
 * Return: every state observed, plus MX_SIGNAL_HANDLE_CLOSED if the watch
 * was cancelled by closing its handle.
 */
u32 mx_object_remove_observer(struct mx_object *obj, struct mx_observer *obs)
{
	u32 observed;

	spin_lock(&obj->lock);
	list_del(&obs->node);
	observed = obs->observed;
	if (obs->cancelled)
		observed |= MX_SIGNAL_HANDLE_CLOSED;
	spin_unlock(&obj->lock);
	return observed;
}
EXPORT_SYMBOL_IF_KUNIT(mx_object_remove_observer);

/**
 * mx_object_move_observer() - let another observer take over a watch
 * @obj: the object
 * @from: an observer added with mx_object_add_observer()
 * @to: takes @from's place, its watch and what it has seen so far; its
 *	@notify is used from now on
 *
 * No state change falls between the two: @from is never notified again.
 */
void mx_object_move_observer(struct mx_object *obj, struct mx_observer *from,
			     struct mx_observer *to)
{
	spin_lock(&obj->lock);
	to->handle = from->handle;
	to->watched = from->watched;
	to->observed = from->observed;
	to->cancelled = from->cancelled;
	to->async = from->async;
	list_replace(&from->node, &to->node);
	spin_unlock(&obj->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mx_object_move_observer);

/**
 * mx_handle_alloc() - make a handle that is not yet counted or installed
 * @obj: the object; the handle takes its own reference
 * @rights: the handle's rights
 *
 * The handle becomes visible (and counted, for LAST_HANDLE) only through
 * mx_handle_count_inc(), done when it is installed in a table. Until then
 * mx_handle_free() undoes this without any observable effect.
 *
 * Return: the handle, or NULL when out of memory.
 */
struct mx_handle *mx_handle_alloc(struct mx_object *obj, u32 rights)
{
	struct mx_handle *h;

	h = kmem_cache_alloc(mx_handle_cache, GFP_KERNEL_ACCOUNT);
	if (!h)
		return NULL;
	mx_object_get(obj);
	h->obj = obj;
	h->rights = rights;
	h->type = obj->ops->type;
	INIT_LIST_HEAD(&h->node);
	h->async_id = 0;
	mx_stats_handles(1);
	return h;
}
EXPORT_SYMBOL_IF_KUNIT(mx_handle_alloc);

/**
 * mx_handle_free() - free a handle that was never counted
 * @h: the handle
 */
void mx_handle_free(struct mx_handle *h)
{
	mx_stats_handles(-1);
	mx_object_put(h->obj);
	kmem_cache_free(mx_handle_cache, h);
}
EXPORT_SYMBOL_IF_KUNIT(mx_handle_free);

/**
 * mx_handle_count_inc() - count a handle that becomes live
 * @h: the handle
 *
 * Context: may be called under a handle table lock.
 */
void mx_handle_count_inc(struct mx_handle *h)
{
	struct mx_object *obj = h->obj;

	spin_lock(&obj->lock);
	obj->handle_count++;
	if (obj->handle_count == 2)
		mx_object_update_signals_locked(obj, MX_SIGNAL_LAST_HANDLE, 0);
	spin_unlock(&obj->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mx_handle_count_inc);

static void mx_handle_cancel_locked(struct mx_handle *h, bool async_only)
{
	struct mx_object *obj = h->obj;
	struct mx_observer *obs, *tmp;

	lockdep_assert_held(&obj->lock);
	list_for_each_entry_safe(obs, tmp, &obj->observers, node) {
		if (obs->handle != h || obs->cancelled ||
		    (async_only && !obs->async))
			continue;
		obs->cancelled = true;
		obs->notify(obs, obj->signals);
	}
}

/**
 * mx_handle_cancel_waits() - cancel the waits made through a handle
 * @h: the handle
 *
 * For a handle that changes hands (read out of a channel by another
 * process) or is about to be freed.
 */
void mx_handle_cancel_waits(struct mx_handle *h)
{
	struct mx_object *obj = h->obj;

	spin_lock(&obj->lock);
	mx_handle_cancel_locked(h, false);
	spin_unlock(&obj->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mx_handle_cancel_waits);

/**
 * mx_handle_cancel_async() - end the port registrations made through a handle
 * @h: the handle, being written into a channel
 *
 * Blocking waits through @h go on while it is in transit (they end when it
 * is read out or destroyed); port registrations end now.
 */
void mx_handle_cancel_async(struct mx_handle *h)
{
	struct mx_object *obj = h->obj;

	spin_lock(&obj->lock);
	mx_handle_cancel_locked(h, true);
	spin_unlock(&obj->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mx_handle_cancel_async);

/**
 * mx_handle_retire() - free a live handle whose place another handle took
 * @h: the handle, already out of its table
 *
 * For mx_handle_replace(): the waits made through @h are cancelled, and
 * the object's handle count is left alone (the replacement inherits it),
 * so MX_SIGNAL_LAST_HANDLE does not flicker.
 */
void mx_handle_retire(struct mx_handle *h)
{
	mx_handle_cancel_waits(h);
	mx_handle_free(h);
}
EXPORT_SYMBOL_IF_KUNIT(mx_handle_retire);

/**
 * mx_handle_destroy() - close a live handle
 * @h: a handle counted with mx_handle_count_inc(), already removed from
 *	its table (or its message)
 *
 * Cancels the waits made through @h, drops the handle count (setting
 * LAST_HANDLE again at one, running on_zero_handles at zero, then
 * on_handle_close) and the handle's reference.
 *
 * Context: process context, no mx lock held.
 */
void mx_handle_destroy(struct mx_handle *h)
{
	struct mx_object *obj = h->obj;
	bool zero;

	spin_lock(&obj->lock);
	mx_handle_cancel_locked(h, false);
	obj->handle_count--;
	zero = obj->handle_count == 0;
	if (obj->handle_count == 1)
		mx_object_update_signals_locked(obj, 0, MX_SIGNAL_LAST_HANDLE);
	spin_unlock(&obj->lock);

	if (zero && obj->ops->on_zero_handles)
		obj->ops->on_zero_handles(obj);
	if (obj->ops->on_handle_close)
		obj->ops->on_handle_close(obj);
	mx_handle_free(h);
}
EXPORT_SYMBOL_IF_KUNIT(mx_handle_destroy);

/**
 * mx_rights_reduce() - rights for a duplicated or replaced handle
 * @have: the source handle's rights
 * @want: the rights asked for; MX_RIGHT_SAME_RIGHTS means @have
 * @out: the new handle's rights
 *
 * Return: 0, or MX_ERR_INVALID_ARGS if @want is not a subset of @have.
 */
int mx_rights_reduce(u32 have, u32 want, u32 *out)
{
	if (want == MX_RIGHT_SAME_RIGHTS) {
		*out = have;
		return 0;
	}
	if (want & ~have)
		return MX_ERR_INVALID_ARGS;
	*out = want;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mx_rights_reduce);
