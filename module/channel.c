// SPDX-License-Identifier: GPL-2.0
/*
 * mx channels: two endpoints, each with a queue of messages written by the
 * other. Messages carry bytes and handles; while queued the handles are in
 * transit and belong to no process.
 *
 * Locking (the order of all: docs/architecture.md):
 *  - Both endpoints share one struct mx_channel_link whose lock protects
 *    both peer pointers, both queues and their counters.
 *  - Order: (mx_gc_state_lock ->) handle table lock -> link lock ->
 *    object lock (-> reaper lock).
 *    A write holds the writer's table lock while it checks the handles it
 *    sends, finds the peer alive and moves the handles into the message, so
 *    a write either fails with every handle still in place or succeeds with
 *    all of them gone: it never has to put handles back. The small paths
 *    (below) take the link lock without the table lock when they can.
 *  - A message that carries channel handles is queued, dequeued and
 *    purged with mx_gc_state_lock held as well (channel_gc.c), taken
 *    before the table lock by a write and before the link lock by a read
 *    or by on_zero_handles. Other messages never take it.
 *  - A peer pointer is cleared under the link lock by the peer's
 *    on_zero_handles hook before the peer can be freed; a non-NULL peer
 *    read under the link lock is live.
 *
 * When an endpoint loses its last handle its peer gets PEER_CLOSED (and
 * loses WRITABLE) and the messages queued in it go to the reaper
 * (message.c), which closes the handles they carry. Endpoints that hold
 * each other in their queues with nobody else holding them are found by
 * the collector (channel_gc.c). A reply handed to a caller is never
 * queued, so the collector sees its handles as held (a root).
 *
 * Every write sends through mx_channel_send_locked() and every read looks
 * at the front of the queue through mx_channel_front_locked() and takes
 * the message with mx_channel_dequeue_locked(). Small messages (at most
 * MX_CHANNEL_SMALL_BYTES bytes, no handles) differ only in how the
 * endpoint is found and where the bytes are kept: copied through a buffer
 * on the caller's stack, mx_channel_send_small() and
 * mx_channel_receive_small() do the whole of their work under the link
 * lock, with no reference to the endpoint, and the message is never seen
 * half-made. They find the endpoint without the table lock
 * (mx_ht_peek_rcu()), take its link lock, and go on only if the caller's
 * table has not changed meanwhile: the handle is then still in the table,
 * and the endpoint cannot lose its last handle (which takes the link lock)
 * nor be freed before the link lock is released. Endpoints and links are
 * freed after a grace period, so the link lock of one being freed is still
 * memory to lock. If the table changed, they take the table lock and look
 * again, with the link lock inside it. Anything out of the ordinary (no
 * room, an error whose order depends on what the general path checks
 * first, a message too big for the reader) sends them back to the general
 * path, which starts again from the beginning. A small message read out
 * this way is kept at its endpoint (@spare) rather than freed; the next
 * small write to that endpoint by the process that allocated it (and is
 * charged for it) takes it back, so a steady exchange allocates nothing.
 * At most one is kept per endpoint; it goes when the endpoint loses its
 * last handle.
 *
 * mx_channel_call(): the caller's struct mx_channel_caller goes on its
 * endpoint's list of callers in the same critical section (link lock) in
 * which its request is queued at the peer, so a reply can never come
 * before the caller is listed, nor a close fall between the two. A message
 * written to an endpoint whose first 4 bytes (txid) match a listed caller
 * is handed to that caller and never queued, so it never makes the
 * endpoint READABLE and never counts against the queue's bounds. Whoever
 * takes a caller off the list settles it, under the link lock: a reply
 * (status 0), the peer's last handle going (MX_ERR_PEER_CLOSED), its own
 * endpoint's last handle going (MX_ERR_CANCELED), or the caller itself
 * when its deadline passes or its thread left the call for good
 * (mx_channel_call_end()). A caller still listed pins its endpoint: the
 * call holds a reference to it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/refcount.h>
#include <linux/slab.h>

#include "channel.h"
#include "channel_gc.h"
#include "copy_in.h"
#include "mx_trace.h"
#include "stats.h"
#include "wait.h"

static unsigned int mx_channel_max_msgs = 65536;
module_param_named(channel_max_msgs, mx_channel_max_msgs, uint, 0644);
MODULE_PARM_DESC(channel_max_msgs,
		 "Most messages queued at one channel endpoint");

static unsigned int mx_channel_max_bytes = 16 << 20;
module_param_named(channel_max_bytes, mx_channel_max_bytes, uint, 0644);
MODULE_PARM_DESC(channel_max_bytes,
		 "Most message bytes queued at one channel endpoint");

/**
 * struct mx_channel_link - what the two endpoints share
 * @lock: protects both endpoints' @peer, @queue, @queued_msgs and
 *	@queued_bytes
 * @refs: one per endpoint
 * @rcu: frees the link after a grace period, once @refs is 0
 */
struct mx_channel_link {
	spinlock_t lock;
	union {
		refcount_t refs;
		struct rcu_head rcu;
	};
};

/**
 * struct mx_channel - one endpoint
 * @base: common object head
 * @link: shared with the peer (invariant)
 * @peer: the other endpoint while it has handles (protected by @link->lock)
 * @queue: messages to be read here (protected by @link->lock)
 * @rcu: frees the endpoint after a grace period, when @queue is empty for
 *	good
 * @queued_msgs: length of @queue (protected by @link->lock)
 * @queued_bytes: bytes in @queue (protected by @link->lock)
 * @callers: struct mx_channel_caller of the calls made through this
 *	endpoint that await their replies (protected by @link->lock)
 * @peer_koid: the other endpoint's koid (invariant)
 * @spare: a small message read out of @queue, kept for the next small
 *	write to this endpoint by its owner (protected by @link->lock)
 * @gc: the collector's view of the endpoint
 */
struct mx_channel {
	struct mx_object base;
	struct mx_channel_link *link;
	struct mx_channel *peer;
	union {
		struct list_head queue;
		struct rcu_head rcu;
	};
	u32 queued_msgs;
	u32 queued_bytes;
	struct list_head callers;
	u64 peer_koid;
	struct mx_message *spare;
	struct mx_gc_entry gc;
};

static struct mx_channel *to_channel(struct mx_object *obj)
{
	return container_of(obj, struct mx_channel, base);
}

static void mx_channel_release(struct mx_object *obj)
{
	struct mx_channel *ch = to_channel(obj);

	WARN_ON_ONCE(!list_empty(&ch->queue));
	WARN_ON_ONCE(!list_empty(&ch->callers));
	if (ch->spare)
		mx_message_release(ch->spare);
	/* The small paths may be locking the link of an endpoint being freed. */
	if (refcount_dec_and_test(&ch->link->refs))
		kfree_rcu(ch->link, rcu);
	kfree_rcu(ch, rcu);
}

static void mx_channel_settle_locked(struct mx_channel *ch,
				     struct mx_channel_caller *c, int status,
				     struct mx_message *reply)
{
	lockdep_assert_held(&ch->link->lock);
	list_del_init(&c->node);
	c->status = status;
	c->reply = reply;
	mx_waiter_settle(c->waiter, MX_WAIT_SATISFIED);
}

static void mx_channel_fail_callers_locked(struct mx_channel *ch, int status)
{
	struct mx_channel_caller *c, *tmp;

	lockdep_assert_held(&ch->link->lock);
	list_for_each_entry_safe(c, tmp, &ch->callers, node)
		mx_channel_settle_locked(ch, c, status, NULL);
}

/* The link lock, after mx_gc_state_lock if @gc. */
static void mx_channel_lock(struct mx_channel *ch, bool gc)
	__acquires(&ch->link->lock)
{
	if (gc)
		mx_gc_lock();
	spin_lock(&ch->link->lock);
}

static void mx_channel_unlock(struct mx_channel *ch, bool gc)
	__releases(&ch->link->lock)
{
	spin_unlock(&ch->link->lock);
	if (gc)
		mx_gc_unlock();
}

static void mx_channel_on_zero_handles(struct mx_object *obj)
{
	struct mx_channel *ch = to_channel(obj);
	struct mx_message *spare;
	struct mx_channel *peer;
	bool gc = false;
	LIST_HEAD(dead);

retry:
	mx_channel_lock(ch, gc);
	if (!gc && !list_empty(&ch->gc.msgs)) {
		mx_channel_unlock(ch, gc);
		gc = true;
		goto retry;
	}
	peer = ch->peer;
	ch->peer = NULL;
	if (peer) {
		peer->peer = NULL;
		mx_object_update_signals(&peer->base, MX_CHANNEL_WRITABLE,
					 MX_CHANNEL_PEER_CLOSED);
		mx_channel_fail_callers_locked(peer, MX_ERR_PEER_CLOSED);
	}
	mx_channel_fail_callers_locked(ch, MX_ERR_CANCELED);
	if (gc)
		mx_gc_dequeued_all(&ch->gc);
	list_splice_init(&ch->queue, &dead);
	mx_stats_messages(-(long)ch->queued_msgs, -(long)ch->queued_bytes);
	ch->queued_msgs = 0;
	ch->queued_bytes = 0;
	mx_message_reap(&dead);
	spare = ch->spare;
	ch->spare = NULL;
	mx_channel_unlock(ch, gc);
	if (spare)
		mx_message_release(spare);
}

static void mx_channel_on_handle_close(struct mx_object *obj)
{
	mx_gc_handle_closed(&to_channel(obj)->gc);
}

static u64 mx_channel_related_koid(struct mx_object *obj)
{
	return to_channel(obj)->peer_koid;
}

static int mx_channel_signal_peer(struct mx_object *obj, u32 clear, u32 set)
{
	struct mx_channel *ch = to_channel(obj);
	int ret;

	spin_lock(&ch->link->lock);
	ret = mx_peer_signal(ch->peer ? &ch->peer->base : NULL,
			     clear, set);
	spin_unlock(&ch->link->lock);
	return ret;
}

const struct mx_object_ops mx_channel_ops = {
	.type = MX_OBJ_TYPE_CHANNEL,
	.name = "channel",
	.default_rights = MX_DEFAULT_CHANNEL_RIGHTS,
	.waitable = true,
	.user_signals = MX_USER_SIGNAL_ALL,
	.has_peer = true,
	.on_zero_handles = mx_channel_on_zero_handles,
	.on_handle_close = mx_channel_on_handle_close,
	.release = mx_channel_release,
	.related_koid = mx_channel_related_koid,
	.signal_peer = mx_channel_signal_peer,
};
EXPORT_SYMBOL_IF_KUNIT(mx_channel_ops);

/**
 * mx_channel_alloc_pair() - a new channel
 * @ep0: out: one endpoint, with one reference and no handle
 * @ep1: out: the other
 *
 * Return: 0 or MX_ERR_NO_MEMORY.
 */
int mx_channel_alloc_pair(struct mx_object **ep0, struct mx_object **ep1)
{
	struct mx_channel_link *link;
	struct mx_channel *a, *b;

	link = kzalloc(sizeof(*link), GFP_KERNEL_ACCOUNT);
	if (!link)
		goto out;
	a = kzalloc(sizeof(*a), GFP_KERNEL_ACCOUNT);
	if (!a)
		goto out_free_link;
	b = kzalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);
	if (!b)
		goto out_free_a;

	spin_lock_init(&link->lock);
	refcount_set(&link->refs, 2);
	mx_object_init(&a->base, &mx_channel_ops, MX_CHANNEL_WRITABLE);
	mx_object_init(&b->base, &mx_channel_ops, MX_CHANNEL_WRITABLE);
	a->link = link;
	b->link = link;
	a->peer = b;
	b->peer = a;
	INIT_LIST_HEAD(&a->queue);
	INIT_LIST_HEAD(&b->queue);
	INIT_LIST_HEAD(&a->callers);
	INIT_LIST_HEAD(&b->callers);
	a->peer_koid = b->base.koid;
	b->peer_koid = a->base.koid;
	mx_gc_entry_init(&a->gc, &a->base);
	mx_gc_entry_init(&b->gc, &b->base);
	*ep0 = &a->base;
	*ep1 = &b->base;
	return 0;

out_free_a:
	kfree(a);
out_free_link:
	kfree(link);
out:
	return MX_ERR_NO_MEMORY;
}
EXPORT_SYMBOL_IF_KUNIT(mx_channel_alloc_pair);

/*
 * Check the handles a write sends (mx_ht_check_transfer_locked(): bad
 * handle, the channel's own endpoint, TRANSFER, twice). Fills
 * @m->handles and @m->gc_handles.
 */
static int mx_channel_check_handles_locked(struct mx_handle_table *t,
					   struct mx_channel *ch,
					   struct mx_message *m,
					   const s32 *values)
{
	u32 i;
	int ret;

	mx_ht_assert_held(t);
	ret = mx_ht_check_transfer_locked(t, values, m->num_handles,
					  MX_RIGHT_TRANSFER, &ch->base,
					  m->handles);
	if (ret)
		return ret;
	m->gc_handles = 0;
	for (i = 0; i < m->num_handles; i++)
		if (m->handles[i]->obj->ops == &mx_channel_ops)
			m->gc_handles++;
	return 0;
}

/* The caller on @ch that @m answers, if any. */
static struct mx_channel_caller *
mx_channel_find_caller_locked(struct mx_channel *ch, struct mx_message *m)
{
	struct mx_channel_caller *c;
	u32 txid;

	lockdep_assert_held(&ch->link->lock);
	if (list_empty(&ch->callers))
		return NULL;
	txid = mx_message_txid(m);
	list_for_each_entry(c, &ch->callers, node)
		if (c->txid == txid)
			return c;
	return NULL;
}

/**
 * mx_channel_queued_msgs() - messages queued at an endpoint, for a port
 *	packet's count
 * @obj: the endpoint
 *
 * Read without the link lock: a snapshot that may be stale at once.
 *
 * Return: the number of queued messages.
 */
u64 mx_channel_queued_msgs(struct mx_object *obj)
{
	return READ_ONCE(to_channel(obj)->queued_msgs);
}
EXPORT_SYMBOL_IF_KUNIT(mx_channel_queued_msgs);

static void mx_channel_enqueue_locked(struct mx_channel *ch,
				      struct mx_message *m)
{
	bool was_empty = list_empty(&ch->queue);

	lockdep_assert_held(&ch->link->lock);
	list_add_tail(&m->node, &ch->queue);
	WRITE_ONCE(ch->queued_msgs, ch->queued_msgs + 1);
	ch->queued_bytes += m->num_bytes;
	mx_stats_messages(1, m->num_bytes);
	if (m->gc_handles)
		mx_gc_queued(&ch->gc, m);
	if (was_empty)
		mx_object_update_signals(&ch->base, 0, MX_CHANNEL_READABLE);
}

/*
 * Send @m from @ch: to the peer's caller it answers, if one is waiting,
 * else into the peer's queue, within its bounds. Only then do the handles
 * it carries (@values, @m->handles) leave @t and is @c, if any, listed on
 * @ch for the reply. Every write, small or not, goes this way.
 *
 * Context: @ch's link lock held; @t's lock too if @m carries handles, and
 * mx_gc_state_lock before it if @m carries channel handles.
 * Return: 0; MX_ERR_PEER_CLOSED, MX_ERR_NO_RESOURCES (the peer's queue is
 * full), with nothing done.
 */
static int mx_channel_send_locked(struct mx_handle_table *t,
				  struct mx_channel *ch, struct mx_message *m,
				  const s32 *values,
				  struct mx_channel_caller *c)
{
	struct mx_channel *peer = ch->peer;
	struct mx_channel_caller *to;
	u32 i;

	lockdep_assert_held(&ch->link->lock);
	if (!peer)
		return MX_ERR_PEER_CLOSED;
	to = mx_channel_find_caller_locked(peer, m);
	if (!to && (peer->queued_msgs >= mx_channel_max_msgs ||
		    (u64)peer->queued_bytes + m->num_bytes > mx_channel_max_bytes))
		return MX_ERR_NO_RESOURCES;
	for (i = 0; i < m->num_handles; i++) {
		mx_ht_remove_locked(t, values[i]);
		trace_mx_handle_transfer(values[i], m->handles[i]->obj->koid,
					 m->handles[i]->obj->ops->type,
					 m->handles[i]->rights, false);
		/* Port registrations end when their handle is sent. */
		mx_handle_cancel_async(m->handles[i]);
	}
	if (c) {
		c->txid = mx_message_txid(m);
		list_add_tail(&c->node, &ch->callers);
	}
	if (to)
		mx_channel_settle_locked(peer, to, 0, m);
	else
		mx_channel_enqueue_locked(peer, m);
	return 0;
}

/**
 * mx_channel_send() - send a message to the peer
 * @t: the writer's handle table
 * @obj: the endpoint written to
 * @m: the message, bytes filled in; on success it belongs to the channel
 * @values: the values of the handles to send, @m->num_handles of them
 * @c: for mx_channel_call(): the caller, to be listed on @obj for the
 *	reply as the message is sent; NULL for a plain write
 *
 * All or nothing: on failure every handle stays in @t with its value, and
 * @c is not listed. The message goes to the peer's caller it answers, if
 * one is waiting, else to the peer's queue. A message that carries
 * channel handles is sent under mx_gc_state_lock.
 *
 * Return: 0; MX_ERR_BAD_HANDLE, MX_ERR_NOT_SUPPORTED (the endpoint itself),
 * MX_ERR_ACCESS_DENIED (no TRANSFER), MX_ERR_INVALID_ARGS (a handle twice),
 * MX_ERR_PEER_CLOSED, MX_ERR_NO_RESOURCES (the peer's queue is full).
 */
int mx_channel_send(struct mx_handle_table *t, struct mx_object *obj,
		    struct mx_message *m, const s32 *values,
		    struct mx_channel_caller *c)
{
	struct mx_channel *ch = to_channel(obj);
	bool gc = false;
	int ret;

retry:
	if (gc)
		mx_gc_lock();
	mx_ht_lock(t);
	ret = mx_channel_check_handles_locked(t, ch, m, values);
	if (ret)
		goto out_unlock_table;
	if (m->gc_handles && !gc) {
		mx_ht_unlock(t);
		gc = true;
		goto retry;
	}
	spin_lock(&ch->link->lock);
	ret = mx_channel_send_locked(t, ch, m, values, c);
	spin_unlock(&ch->link->lock);
out_unlock_table:
	mx_ht_unlock(t);
	if (gc)
		mx_gc_unlock();
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(mx_channel_send);

/**
 * mx_channel_call_end() - stop awaiting a reply
 * @obj: the endpoint the call was made through
 * @c: the caller, listed there by mx_channel_send()
 *
 * Return: @c's status if it was settled (0: @c->reply is the caller's to
 * read or free); MX_ERR_TIMED_OUT if it was still waiting: it is taken off
 * the list and a reply that comes later is queued as any message.
 */
int mx_channel_call_end(struct mx_object *obj, struct mx_channel_caller *c)
{
	struct mx_channel *ch = to_channel(obj);
	int ret;

	spin_lock(&ch->link->lock);
	if (list_empty(&c->node)) {
		ret = c->status;
	} else {
		list_del_init(&c->node);
		ret = MX_ERR_TIMED_OUT;
	}
	spin_unlock(&ch->link->lock);
	return ret;
}

static void mx_channel_dequeue_locked(struct mx_channel *ch,
				      struct mx_message *m)
{
	lockdep_assert_held(&ch->link->lock);
	list_del_init(&m->node);
	if (m->gc_handles)
		mx_gc_dequeued(&ch->gc, m);
	WRITE_ONCE(ch->queued_msgs, ch->queued_msgs - 1);
	ch->queued_bytes -= m->num_bytes;
	mx_stats_messages(-1, -(long)m->num_bytes);
	if (list_empty(&ch->queue))
		mx_object_update_signals(&ch->base, MX_CHANNEL_READABLE, 0);
}

/* Does @m fit a reader with room for @max_bytes and @max_handles? */
static bool mx_channel_fits(const struct mx_message *m, u32 max_bytes,
			    u32 max_handles)
{
	return m->num_bytes <= max_bytes && m->num_handles <= max_handles;
}

/*
 * The message at the front of @ch's queue, for a reader with room for
 * @max_bytes and @max_handles. Every read, small or not, looks this way.
 * Return: 0 (it fits) or MX_ERR_BUFFER_TOO_SMALL, with *@out the message;
 * MX_ERR_SHOULD_WAIT (empty, the peer alive) or MX_ERR_PEER_CLOSED (empty,
 * the peer gone), with *@out NULL.
 */
static int mx_channel_front_locked(struct mx_channel *ch, u32 max_bytes,
				   u32 max_handles, struct mx_message **out)
{
	struct mx_message *m;

	lockdep_assert_held(&ch->link->lock);
	m = list_first_entry_or_null(&ch->queue, struct mx_message, node);
	*out = m;
	if (!m)
		return ch->peer ? MX_ERR_SHOULD_WAIT : MX_ERR_PEER_CLOSED;
	return mx_channel_fits(m, max_bytes, max_handles) ? 0 :
	       MX_ERR_BUFFER_TOO_SMALL;
}

/*
 * Find the endpoint a small path works on and take its link lock: without
 * the table lock if the table does not change meanwhile, else with the
 * table lock, held (*@table_locked) until mx_channel_small_unlock().
 * Return: 0, or the error of the handle with nothing held.
 *
 * It returns holding one or two locks on success and none on failure, a
 * condition sparse's context tracking cannot follow: for sparse the pair
 * mx_channel_small_lock() / mx_channel_small_unlock() holds nothing
 * (__release() here, __acquire() there); lockdep checks them.
 */
static int mx_channel_small_lock(struct mx_handle_table *t, s32 value,
				 u32 rights, struct mx_channel **out,
				 bool *table_locked)
{
	struct mx_channel *ch;
	struct mx_ht_peek pk;
	struct mx_handle *h;
	int ret;

	*table_locked = false;
	rcu_read_lock();
	if (mx_ht_peek_rcu(t, value, &pk)) {
		ret = mx_ht_check_fields(pk.found, pk.rights, pk.type, rights,
					 MX_OBJ_TYPE_CHANNEL);
		if (ret) {
			rcu_read_unlock();
			return ret;
		}
		ch = to_channel(pk.obj);
		spin_lock(&ch->link->lock);
		if (mx_ht_unchanged(t, pk.seq)) {
			/* Pinned by the link lock from now on. */
			rcu_read_unlock();
			*out = ch;
			__release(&ch->link->lock);	/* sparse: see above */
			return 0;
		}
		spin_unlock(&ch->link->lock);
	}
	rcu_read_unlock();

	mx_ht_lock(t);
	ret = mx_ht_check_locked(t, value, rights, &mx_channel_ops, &h);
	if (ret) {
		mx_ht_unlock(t);
		return ret;
	}
	ch = to_channel(h->obj);
	spin_lock(&ch->link->lock);
	*table_locked = true;
	*out = ch;
	__release(&ch->link->lock);	/* sparse: see above */
	__release(&t->lock);
	return 0;
}

static void mx_channel_small_unlock(struct mx_handle_table *t,
				    struct mx_channel *ch, bool table_locked)
{
	__acquire(&ch->link->lock);	/* sparse: see mx_channel_small_lock() */
	spin_unlock(&ch->link->lock);
	if (table_locked) {
		__acquire(&t->lock);
		mx_ht_unlock(t);
	}
}

/**
 * mx_channel_send_small() - write a small message with no handles
 * @t: the writer's handle table
 * @value: the value of the writer's handle to the endpoint
 * @owner: the writing process, for the message kept for reuse
 * @user: the writing process's cached user, charged for a new message
 * @bytes: the bytes, already copied in
 * @num_bytes: how many, at most MX_CHANNEL_SMALL_BYTES
 * @koid: out: the endpoint's koid, once its handle is found
 *
 * mx_channel_send() for the common case: the endpoint is found without a
 * reference (mx_channel_small_lock()) and the message is, when the peer
 * kept one of @owner's, that one, with no allocation; a message it
 * allocates is charged to the caller. The message is then sent as any
 * (mx_channel_send_locked()).
 *
 * Context: process context, no mx lock held.
 * Return: 0; MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED, MX_ERR_WRONG_TYPE
 * (the handle, checked first by either path); MX_CHANNEL_SLOW for anything
 * else, with nothing done: the general path decides, in its order.
 */
int mx_channel_send_small(struct mx_handle_table *t, s32 value,
			  const void *owner, struct mx_user __rcu **user,
			  const void *bytes, u32 num_bytes, u64 *koid)
{
	struct mx_message *m = NULL, *spare;
	struct mx_channel *ch, *peer;
	bool table_locked;
	int ret;

	for (;;) {
		ret = mx_channel_small_lock(t, value, MX_RIGHT_WRITE, &ch,
					    &table_locked);
		if (ret)
			goto out_free;
		*koid = ch->base.koid;
		peer = ch->peer;
		if (!peer) {
			ret = MX_CHANNEL_SLOW;
			goto out_unlock;
		}
		if (m)
			break;
		spare = peer->spare;
		if (spare && spare->owner == owner &&
		    mx_message_can_hold(spare, num_bytes)) {
			peer->spare = NULL;
			m = spare;
			break;
		}
		mx_channel_small_unlock(t, ch, table_locked);
		m = mx_message_alloc_for(user, num_bytes, 0);
		/* The general path says why, in its order. */
		if (IS_ERR(m))
			return MX_CHANNEL_SLOW;
		m->owner = owner;
	}

	m->num_bytes = num_bytes;
	mx_small_copy(mx_message_data(m), bytes, num_bytes);
	if (mx_channel_send_locked(t, ch, m, NULL, NULL))
		ret = MX_CHANNEL_SLOW;
	else
		m = NULL;

out_unlock:
	mx_channel_small_unlock(t, ch, table_locked);
out_free:
	if (m)
		mx_message_release(m);
	return ret;
}

/**
 * mx_channel_receive_small() - read a small message with no handles
 * @t: the reader's handle table
 * @value: the value of the reader's handle to the endpoint
 * @buf: room for MX_CHANNEL_SMALL_BYTES bytes
 * @max_bytes: room in the reader's own buffer
 * @num_bytes: out: the size of the message read
 * @koid: out: the endpoint's koid, once its handle is found
 *
 * mx_channel_receive() and its copy for the common case: the endpoint is
 * found without a reference (mx_channel_small_lock()), and the front
 * message, if it has no handles and fits @buf as well, is copied to @buf
 * and dequeued. It is then kept at the endpoint for reuse, not freed.
 *
 * Context: process context, no mx lock held.
 * Return: 0 with the message in @buf; MX_ERR_BAD_HANDLE,
 * MX_ERR_ACCESS_DENIED, MX_ERR_WRONG_TYPE; MX_ERR_SHOULD_WAIT,
 * MX_ERR_PEER_CLOSED (the queue is empty); MX_CHANNEL_SLOW for any other
 * front message, left where it is.
 */
int mx_channel_receive_small(struct mx_handle_table *t, s32 value, void *buf,
			     u32 max_bytes, u32 *num_bytes, u64 *koid)
{
	struct mx_message *m;
	struct mx_channel *ch;
	bool table_locked;
	int ret;

	ret = mx_channel_small_lock(t, value, MX_RIGHT_READ, &ch,
				    &table_locked);
	if (ret)
		return ret;
	*koid = ch->base.koid;
	ret = mx_channel_front_locked(ch, min_t(u32, max_bytes,
						MX_CHANNEL_SMALL_BYTES),
				      0, &m);
	if (ret) {
		if (ret == MX_ERR_BUFFER_TOO_SMALL)
			ret = MX_CHANNEL_SLOW;
		m = NULL;
		goto out_unlock;
	}
	*num_bytes = m->num_bytes;
	mx_small_copy(buf, mx_message_data(m), m->num_bytes);
	mx_channel_dequeue_locked(ch, m);
	/* Keep the newest: its writer is the likeliest to write again. */
	if (ch->peer && m->data_inline)
		swap(ch->spare, m);

out_unlock:
	mx_channel_small_unlock(t, ch, table_locked);
	if (m)
		mx_message_release(m);
	return ret;
}

static void mx_channel_unreserve(struct mx_handle_table *t,
				 struct mx_channel_read *r, u32 n)
{
	while (n--)
		mx_ht_unreserve(t, r->index[n]);
}

/* Reserve slots in @t for the @r->num_handles handles of a message. */
static int mx_channel_reserve(struct mx_handle_table *t,
			      struct mx_channel_read *r)
{
	int ret;
	u32 i;

	for (i = 0; i < r->num_handles; i++) {
		ret = mx_ht_reserve(t, &r->index[i], &r->values[i]);
		if (ret) {
			mx_channel_unreserve(t, r, i);
			return ret;
		}
	}
	return 0;
}

/**
 * mx_channel_receive() - take the message at the front of an endpoint
 * @t: the reader's handle table
 * @obj: the endpoint
 * @r: the read: buffer sizes and options in; the message, its sizes and
 *	the slots reserved for its handles out
 *
 * On success the message is dequeued and slots are reserved in @t for its
 * handles; the caller copies it out, then installs the handles with
 * mx_channel_receive_finish(). A message that carries channel handles is
 * dequeued under mx_gc_state_lock.
 *
 * Return: 0; MX_ERR_SHOULD_WAIT (empty, peer alive); MX_ERR_PEER_CLOSED
 * (empty, peer gone); MX_ERR_BUFFER_TOO_SMALL (sizes in @r; the message is
 * left queued, or discarded with MX_CHANNEL_READ_MAY_DISCARD); an error of
 * mx_ht_reserve() (the message is left queued).
 */
int mx_channel_receive(struct mx_handle_table *t, struct mx_object *obj,
		       struct mx_channel_read *r)
{
	struct mx_channel *ch = to_channel(obj);
	struct mx_message *m;
	bool gc = false;
	u32 gc_handles;
	int ret;

	for (;;) {
		mx_channel_lock(ch, gc);
		ret = mx_channel_front_locked(ch, r->max_bytes, r->max_handles,
					      &m);
		if (!m) {
			mx_channel_unlock(ch, gc);
			return ret;
		}
		if (m->gc_handles && !gc) {
			/* Taking it out needs mx_gc_state_lock: again. */
			mx_channel_unlock(ch, gc);
			gc = true;
			continue;
		}
		r->num_bytes = m->num_bytes;
		r->num_handles = m->num_handles;
		gc_handles = m->gc_handles;
		if (ret) {
			if (r->may_discard)
				mx_channel_dequeue_locked(ch, m);
			else
				m = NULL;
			mx_channel_unlock(ch, gc);
			if (m)
				mx_message_free(m);
			return ret;
		}
		mx_channel_unlock(ch, gc);

		/* Reserve the handles' slots before taking the message. */
		ret = mx_channel_reserve(t, r);
		if (ret)
			return ret;

		mx_channel_lock(ch, gc);
		if (list_first_entry_or_null(&ch->queue, struct mx_message,
					     node) == m &&
		    m->num_bytes == r->num_bytes &&
		    m->num_handles == r->num_handles &&
		    m->gc_handles == gc_handles) {
			mx_channel_dequeue_locked(ch, m);
			mx_channel_unlock(ch, gc);
			r->msg = m;
			return 0;
		}
		/* Another reader took it first: start again. */
		mx_channel_unlock(ch, gc);
		mx_channel_unreserve(t, r, r->num_handles);
	}
}
EXPORT_SYMBOL_IF_KUNIT(mx_channel_receive);

/**
 * mx_channel_receive_reply() - start reading a reply to mx_channel_call()
 * @t: the caller's handle table
 * @m: the reply, the caller's
 * @r: as for mx_channel_receive(), with no MX_CHANNEL_READ_MAY_DISCARD
 *
 * As mx_channel_receive(), for a message that was never queued; finish
 * with mx_channel_receive_finish().
 *
 * Return: 0; MX_ERR_BUFFER_TOO_SMALL or an error of mx_ht_reserve(), the
 * reply freed (its handles closed).
 */
int mx_channel_receive_reply(struct mx_handle_table *t, struct mx_message *m,
			     struct mx_channel_read *r)
{
	int ret = MX_ERR_BUFFER_TOO_SMALL;

	r->num_bytes = m->num_bytes;
	r->num_handles = m->num_handles;
	if (mx_channel_fits(m, r->max_bytes, r->max_handles))
		ret = mx_channel_reserve(t, r);
	if (ret) {
		mx_message_free(m);
		return ret;
	}
	r->msg = m;
	return 0;
}

/**
 * mx_channel_receive_finish() - end a read of a message or of a call's reply
 * @t: the reader's table
 * @r: the read
 * @ok: the message was copied out: install its handles in the reserved
 *	slots. Otherwise the message is lost (as in Magenta) and its handles
 *	are closed.
 *
 * For a read started by mx_channel_receive() or
 * mx_channel_receive_reply().
 * Waits made through the received handles are cancelled: the handles have
 * changed hands. Frees the message.
 */
void mx_channel_receive_finish(struct mx_handle_table *t,
			       struct mx_channel_read *r, bool ok)
{
	struct mx_message *m = r->msg;
	u32 i;

	if (!ok) {
		mx_channel_unreserve(t, r, m->num_handles);
		mx_message_free(m);
		return;
	}
	for (i = 0; i < m->num_handles; i++)
		mx_handle_cancel_waits(m->handles[i]);
	mx_ht_lock(t);
	for (i = 0; i < m->num_handles; i++)
		mx_ht_place_locked(t, r->index[i], m->handles[i]);
	mx_ht_unlock(t);
	mx_message_release(m);
}
EXPORT_SYMBOL_IF_KUNIT(mx_channel_receive_finish);

/**
 * mx_channel_gc_entry() - the collector's entry of an endpoint
 * @obj: a channel endpoint
 *
 * Return: the entry.
 */
struct mx_gc_entry *mx_channel_gc_entry(struct mx_object *obj)
{
	return &to_channel(obj)->gc;
}
EXPORT_SYMBOL_IF_KUNIT(mx_channel_gc_entry);

/**
 * mx_channel_gc_purge() - take the edges out of an unreachable endpoint
 * @e: the endpoint's entry
 * @dead: out: its messages that carry channel handles, for the reaper
 * @last: the last of them to take
 * @budget: handles to visit at most, less those visited on return
 *
 * Takes them from the head of the queue, up to @last or until @budget is
 * spent (at least one message).
 *
 * Context: mx_gc_state_lock held.
 * Return: whether @last was taken.
 */
bool mx_channel_gc_purge(struct mx_gc_entry *e, struct list_head *dead,
			 struct mx_message *last, int *budget)
{
	struct mx_channel *ch = to_channel(e->obj);
	struct mx_message *m;
	bool done = false;

	spin_lock(&ch->link->lock);
	do {
		m = list_first_entry(&ch->gc.msgs, struct mx_message, gc_node);
		*budget -= m->gc_handles;
		mx_channel_dequeue_locked(ch, m);
		list_add_tail(&m->node, dead);
		done = m == last;
	} while (!done && *budget > 0);
	spin_unlock(&ch->link->lock);
	return done;
}

/**
 * mx_channel_debug_queue() - describe the handles queued at an endpoint
 * @obj: a channel endpoint
 * @via: the value of the handle @obj was found through, for the records
 * @out: room for @room records of the handles in transit (may be NULL if
 *	@room is 0)
 * @room: how many records fit in @out
 * @msgs: out: messages queued
 * @handles: out: handles they carry
 *
 * Context: any handle table lock may be held (the link lock comes after).
 * Return: records written, at most @room.
 */
u32 mx_channel_debug_queue(struct mx_object *obj, s32 via,
			   struct mx_debug_handle *out, u32 room, u32 *msgs,
			   u32 *handles)
{
	struct mx_channel *ch = to_channel(obj);
	struct mx_debug_handle *d;
	struct mx_message *m;
	struct mx_object *o;
	u32 n = 0, pos = 0, i;

	*handles = 0;
	spin_lock(&ch->link->lock);
	*msgs = ch->queued_msgs;
	list_for_each_entry(m, &ch->queue, node) {
		*handles += m->num_handles;
		for (i = 0; i < m->num_handles && n < room; i++, n++) {
			o = m->handles[i]->obj;
			d = &out[n];
			memset(d, 0, sizeof(*d));
			d->value = via;
			d->flags = MX_DEBUG_HANDLE_IN_TRANSIT;
			d->koid = o->koid;
			d->related_koid = o->ops->related_koid ?
					  o->ops->related_koid(o) : 0;
			d->type = o->ops->type;
			d->rights = m->handles[i]->rights;
			d->queued_msgs = pos;
		}
		pos++;
	}
	spin_unlock(&ch->link->lock);
	return n;
}
