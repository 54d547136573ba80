// SPDX-License-Identifier: GPL-2.0
/*
 * mx fifos: a pair of endpoints, each owning a ring of fixed-size
 * elements that its peer writes into and it reads from.
 *
 * Signals: MX_FIFO_READABLE while an endpoint's own ring holds an element;
 * MX_FIFO_WRITABLE while its peer's ring has a free slot and the peer has
 * handles; MX_FIFO_PEER_CLOSED once the peer's last handle is gone.
 * Elements left in a ring stay readable after the peer is gone; a read of
 * an empty ring is MX_ERR_SHOULD_WAIT whether or not the peer is there.
 *
 * Memory: both rings are allocated at creation, each inside its endpoint's
 * own allocation, and their bytes are charged to the creating user's
 * max_user_message_bytes until the second endpoint is freed.
 *
 * Locking (the order of all: docs/architecture.md): both endpoints share
 * one struct mx_fifo_link whose spinlock (irqs on) protects the two peer
 * pointers and both rings (head, tail, contents). The link lock is taken
 * before an endpoint's object lock, never after. No user memory is touched
 * under it: writes copy the elements from user memory into a kernel buffer
 * first, reads copy them out of the ring into a kernel buffer, then to the
 * user, and only then consume them (if no other reader took them
 * meanwhile: see mx_fifo_read()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "copy_in.h"
#include "fifo.h"
#include "handle_table.h"
#include "user.h"

/**
 * struct mx_fifo_link - what the two endpoints share
 * @lock: protects both endpoints' @peer, @head, @tail and ring contents
 * @refs: one per endpoint
 * @user: the creator's user, charged @charge bytes (invariant)
 * @charge: the bytes charged: both rings (invariant)
 * @rcu: frees the link after a grace period (mx_fifo_lock_value())
 */
struct mx_fifo_link {
	spinlock_t lock;
	refcount_t refs;
	struct mx_user *user;
	size_t charge;
	struct rcu_head rcu;
};

/**
 * struct mx_fifo - one endpoint
 * @base: common object head
 * @link: shared with the peer (invariant)
 * @peer: the other endpoint while it has handles (protected by @link->lock)
 * @peer_koid: the other endpoint's koid, kept after it is gone (invariant)
 * @elem_size: bytes per element (invariant)
 * @elem_count: elements per ring, a power of two (invariant)
 * @head: elements ever written into @ring (free-running; @link->lock)
 * @tail: elements ever read from @ring (free-running; @link->lock)
 * @rcu: frees the endpoint after a grace period (mx_fifo_lock_value())
 * @ring: this endpoint's ring, @elem_count * @elem_size bytes, written by
 *	the peer and read through this endpoint
 */
struct mx_fifo {
	struct mx_object base;
	struct mx_fifo_link *link;
	struct mx_fifo *peer;
	u64 peer_koid;
	u32 elem_size;
	u32 elem_count;
	u32 head;
	u32 tail;
	struct rcu_head rcu;
	u8 ring[];
};

static struct mx_fifo *to_fifo(struct mx_object *obj)
{
	return container_of(obj, struct mx_fifo, base);
}

static void mx_fifo_release(struct mx_object *obj)
{
	struct mx_fifo *f = to_fifo(obj);
	struct mx_fifo_link *link = f->link;

	if (refcount_dec_and_test(&link->refs)) {
		mx_user_uncharge_message(link->user, link->charge, 0);
		kfree_rcu(link, rcu);
	}
	kfree_rcu(f, rcu);
}

static void mx_fifo_on_zero_handles(struct mx_object *obj)
{
	struct mx_fifo *f = to_fifo(obj);
	struct mx_fifo *peer;

	spin_lock(&f->link->lock);
	peer = f->peer;
	f->peer = NULL;
	if (peer) {
		peer->peer = NULL;
		mx_object_update_signals(&peer->base, MX_FIFO_WRITABLE,
					 MX_FIFO_PEER_CLOSED);
	}
	spin_unlock(&f->link->lock);
}

static u64 mx_fifo_related_koid(struct mx_object *obj)
{
	return to_fifo(obj)->peer_koid;
}

static int mx_fifo_signal_peer(struct mx_object *obj, u32 clear, u32 set)
{
	struct mx_fifo *f = to_fifo(obj);
	int ret;

	spin_lock(&f->link->lock);
	ret = mx_peer_signal(f->peer ? &f->peer->base : NULL, clear, set);
	spin_unlock(&f->link->lock);
	return ret;
}

const struct mx_object_ops mx_fifo_ops = {
	.type = MX_OBJ_TYPE_FIFO,
	.name = "fifo",
	.default_rights = MX_DEFAULT_FIFO_RIGHTS,
	.waitable = true,
	.user_signals = MX_USER_SIGNAL_ALL,
	.has_peer = true,
	.on_zero_handles = mx_fifo_on_zero_handles,
	.release = mx_fifo_release,
	.related_koid = mx_fifo_related_koid,
	.signal_peer = mx_fifo_signal_peer,
};
EXPORT_SYMBOL_IF_KUNIT(mx_fifo_ops);

/**
 * mx_fifo_check() - whether a ring of these dimensions may be made
 * @elem_count: elements per ring
 * @elem_size: bytes per element
 *
 * Return: 0 or MX_ERR_OUT_OF_RANGE (a zero, a count not a power of two,
 * either above MX_FIFO_MAX_ELEMS / MX_FIFO_MAX_BYTES, or a ring of more
 * than MX_FIFO_MAX_BYTES bytes).
 */
int mx_fifo_check(u32 elem_count, u32 elem_size)
{
	if (!elem_count || !elem_size || !is_power_of_2(elem_count) ||
	    elem_count > MX_FIFO_MAX_ELEMS || elem_size > MX_FIFO_MAX_BYTES ||
	    (u64)elem_count * elem_size > MX_FIFO_MAX_BYTES)
		return MX_ERR_OUT_OF_RANGE;
	return 0;
}

static struct mx_fifo *mx_fifo_alloc(u32 elem_count, u32 elem_size)
{
	struct mx_fifo *f;

	f = kzalloc(struct_size(f, ring, (size_t)elem_count * elem_size),
		    GFP_KERNEL_ACCOUNT);
	if (!f)
		return NULL;
	f->elem_count = elem_count;
	f->elem_size = elem_size;
	return f;
}

/**
 * mx_fifo_new() - a new pair
 * @elem_count: elements per ring (checked by mx_fifo_check())
 * @elem_size: bytes per element
 * @user: the creator's user, charged for both rings
 * @side0: out: one endpoint, with one reference and no handle
 * @side1: out: the other endpoint
 *
 * Return: 0; MX_ERR_NO_RESOURCES (the user's max_user_message_bytes),
 * MX_ERR_NO_MEMORY.
 */
int mx_fifo_new(u32 elem_count, u32 elem_size, struct mx_user *user,
		struct mx_object **side0, struct mx_object **side1)
{
	size_t charge = 2 * (size_t)elem_count * elem_size;
	struct mx_fifo_link *link;
	struct mx_fifo *a, *b;
	int ret;

	/* Charged first: a user at its limit allocates nothing. */
	ret = mx_user_charge_message(user, charge, 0);
	if (ret)
		return ret;
	link = kzalloc(sizeof(*link), GFP_KERNEL_ACCOUNT);
	if (!link)
		goto out_uncharge;
	a = mx_fifo_alloc(elem_count, elem_size);
	if (!a)
		goto out_free_link;
	b = mx_fifo_alloc(elem_count, elem_size);
	if (!b)
		goto out_free_a;

	/* Made objects only now: nothing can fail after this. */
	mx_object_init(&a->base, &mx_fifo_ops, MX_FIFO_WRITABLE);
	mx_object_init(&b->base, &mx_fifo_ops, MX_FIFO_WRITABLE);
	spin_lock_init(&link->lock);
	refcount_set(&link->refs, 2);
	link->user = user;
	link->charge = charge;
	a->link = link;
	b->link = link;
	a->peer = b;
	b->peer = a;
	a->peer_koid = b->base.koid;
	b->peer_koid = a->base.koid;
	*side0 = &a->base;
	*side1 = &b->base;
	return 0;

out_free_a:
	kfree(a);
out_free_link:
	kfree(link);
out_uncharge:
	mx_user_uncharge_message(user, charge, 0);
	return MX_ERR_NO_MEMORY;
}
EXPORT_SYMBOL_IF_KUNIT(mx_fifo_new);

/**
 * mx_fifo_elem_size() - bytes per element
 * @obj: a fifo endpoint
 */
u32 mx_fifo_elem_size(struct mx_object *obj)
{
	return to_fifo(obj)->elem_size;
}

/**
 * mx_fifo_elem_count() - elements per ring
 * @obj: a fifo endpoint
 */
u32 mx_fifo_elem_count(struct mx_object *obj)
{
	return to_fifo(obj)->elem_count;
}

/*
 * memcpy() for elements: mx_small_copy() (copy_in.h) up to 64 bytes (a
 * few records), where a string move's start-up cost is not repaid;
 * memcpy() for longer runs.
 */
static __always_inline void mx_fifo_copy(u8 *d, const u8 *s, size_t n)
{
	if (n > 64)
		memcpy(d, s, n);
	else
		mx_small_copy(d, s, n);
}

static int mx_fifo_write_room_locked(struct mx_fifo *f, u32 count, u32 *room)
{
	struct mx_fifo *peer = f->peer;

	lockdep_assert_held(&f->link->lock);
	if (!peer)
		return MX_ERR_PEER_CLOSED;
	if (!count)
		return MX_ERR_OUT_OF_RANGE;
	*room = peer->elem_count - (peer->head - peer->tail);
	return *room ? 0 : MX_ERR_SHOULD_WAIT;
}

/**
 * mx_fifo_write_room() - how many elements a write could queue now
 * @obj: the writing endpoint
 * @count: elements the caller has; 0 checks only for the peer
 * @room: out: free slots in the peer's ring
 *
 * Return: 0; MX_ERR_PEER_CLOSED, then MX_ERR_OUT_OF_RANGE (@count 0),
 * then MX_ERR_SHOULD_WAIT (no free slot), in this order.
 */
int mx_fifo_write_room(struct mx_object *obj, u32 count, u32 *room)
{
	struct mx_fifo *f = to_fifo(obj);
	int ret;

	spin_lock(&f->link->lock);
	ret = mx_fifo_write_room_locked(f, count, room);
	spin_unlock(&f->link->lock);
	return ret;
}

/* Queue @n elements (there is room) in the peer's ring; the signals. */
static u32 mx_fifo_write_locked(struct mx_fifo *f, const u8 *src, u32 n)
{
	struct mx_fifo *peer = f->peer;
	u32 i, mask = peer->elem_count - 1;
	u32 was_used = peer->head - peer->tail;

	lockdep_assert_held(&f->link->lock);
	for (i = 0; i < n; ) {
		u32 slot = (peer->head + i) & mask;
		u32 run = min(n - i, peer->elem_count - slot);

		mx_fifo_copy(peer->ring + (size_t)slot * f->elem_size,
			     src + (size_t)i * f->elem_size,
			     (size_t)run * f->elem_size);
		i += run;
	}
	peer->head += n;
	if (!was_used)
		mx_object_update_signals(&peer->base, 0, MX_FIFO_READABLE);
	if (was_used + n == peer->elem_count)
		mx_object_update_signals(&f->base, MX_FIFO_WRITABLE, 0);
	return n;
}

/**
 * mx_fifo_write() - queue elements in the peer's ring
 * @obj: the writing endpoint
 * @buf: the elements, in kernel memory
 * @count: how many; more than the ring has room for is not an error
 * @written: out: how many were queued, at least one on success
 *
 * The peer becomes readable if its ring was empty; the writer stops being
 * writable if the ring is now full.
 *
 * Return: 0; MX_ERR_PEER_CLOSED, MX_ERR_OUT_OF_RANGE (@count 0),
 * MX_ERR_SHOULD_WAIT (the ring is full), in this order.
 */
int mx_fifo_write(struct mx_object *obj, const void *buf, u32 count,
		  u32 *written)
{
	struct mx_fifo *f = to_fifo(obj);
	u32 room;
	int ret;

	spin_lock(&f->link->lock);
	ret = mx_fifo_write_room_locked(f, count, &room);
	if (!ret)
		*written = mx_fifo_write_locked(f, buf, min(count, room));
	spin_unlock(&f->link->lock);
	return ret;
}

static int mx_fifo_peek_locked(struct mx_fifo *f, u8 *dst, u32 count,
			       u32 *copied, u32 *tail)
{
	u32 used = f->head - f->tail, n, i, mask = f->elem_count - 1;

	lockdep_assert_held(&f->link->lock);
	if (!used)
		return MX_ERR_SHOULD_WAIT;
	n = min(count, used);
	for (i = 0; i < n; ) {
		u32 slot = (f->tail + i) & mask;
		u32 run = min(n - i, f->elem_count - slot);

		mx_fifo_copy(dst + (size_t)i * f->elem_size,
			     f->ring + (size_t)slot * f->elem_size,
			     (size_t)run * f->elem_size);
		i += run;
	}
	*copied = n;
	*tail = f->tail;
	return 0;
}

/**
 * mx_fifo_peek() - copy the oldest elements of an endpoint's ring
 * @obj: the reading endpoint
 * @buf: out: room for @count elements, in kernel memory
 * @count: the most to copy, not 0
 * @copied: out: how many were copied, at least one on success
 * @tail: out: the ring's read position, for mx_fifo_consume()
 *
 * Nothing is consumed: the caller hands the elements on, then consumes
 * them with mx_fifo_consume(), or leaves them if it could not.
 *
 * Return: 0 or MX_ERR_SHOULD_WAIT (the ring is empty, whether or not the
 * peer is still there).
 */
int mx_fifo_peek(struct mx_object *obj, void *buf, u32 count, u32 *copied,
		 u32 *tail)
{
	struct mx_fifo *f = to_fifo(obj);
	int ret;

	spin_lock(&f->link->lock);
	ret = mx_fifo_peek_locked(f, buf, count, copied, tail);
	spin_unlock(&f->link->lock);
	return ret;
}

/**
 * mx_fifo_consume() - drop elements mx_fifo_peek() copied
 * @obj: the reading endpoint
 * @n: how many it copied
 * @tail: the read position it gave
 *
 * The elements are dropped only if no other read consumed any since the
 * peek (the ring's read position is still @tail). The peer becomes
 * writable again if the ring was full; the reader stops being readable
 * if the ring is now empty.
 *
 * Return: true if they were dropped, false if another read came first.
 */
bool mx_fifo_consume(struct mx_object *obj, u32 n, u32 tail)
{
	struct mx_fifo *f = to_fifo(obj);
	bool was_full;

	spin_lock(&f->link->lock);
	if (f->tail != tail) {
		spin_unlock(&f->link->lock);
		return false;
	}
	was_full = f->head - f->tail == f->elem_count;
	f->tail += n;
	if (was_full && f->peer)
		mx_object_update_signals(&f->peer->base, 0, MX_FIFO_WRITABLE);
	if (f->head == f->tail)
		mx_object_update_signals(&f->base, MX_FIFO_READABLE, 0);
	spin_unlock(&f->link->lock);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(mx_fifo_consume);

/*
 * The endpoint a handle of @t names, with its link lock held, found
 * without the table lock (as channel.c's small messages): the handle is
 * peeked under RCU, the link lock taken, and the endpoint kept only if
 * the table did not change meanwhile. The handle is then still in the
 * table, so the endpoint cannot lose its last handle (which takes the
 * link lock) nor be freed until the link lock is released; endpoints and
 * links are freed after a grace period, so the lock is memory to take.
 * Return: the endpoint; or NULL with *@ret an error of the handle, or
 * MX_FIFO_SLOW if the table was changing (the caller takes the general
 * path).
 */
static struct mx_fifo *mx_fifo_lock_value(struct mx_handle_table *t,
					  s32 value, u32 rights, int *ret)
{
	struct mx_ht_peek pk;
	struct mx_fifo *f;

	rcu_read_lock();
	if (!mx_ht_peek_rcu(t, value, &pk)) {
		*ret = MX_FIFO_SLOW;
		goto out_unlock;
	}
	*ret = mx_ht_check_fields(pk.found, pk.rights, pk.type, rights,
				  MX_OBJ_TYPE_FIFO);
	if (*ret)
		goto out_unlock;
	f = to_fifo(pk.obj);
	spin_lock(&f->link->lock);
	if (mx_ht_unchanged(t, pk.seq)) {
		rcu_read_unlock();
		__release(&f->link->lock);	/* sparse: the caller's now */
		return f;
	}
	spin_unlock(&f->link->lock);
	*ret = MX_FIFO_SLOW;
out_unlock:
	rcu_read_unlock();
	return NULL;
}

static void mx_fifo_unlock(struct mx_fifo *f)
{
	__acquire(&f->link->lock);	/* sparse: see mx_fifo_lock_value() */
	spin_unlock(&f->link->lock);
}

/**
 * mx_fifo_write_value() - mx_fifo_write() through a handle's value,
 * without the table lock or a reference
 * @t: the caller's table
 * @value: the handle
 * @buf: what the caller's data holds, in kernel memory
 * @len: its bytes (the call's len)
 * @written: out: elements queued
 *
 * Return: as mx_fifo_write(), after the handle's errors; MX_FIFO_SLOW
 * (nothing done) if the table was changing.
 */
int mx_fifo_write_value(struct mx_handle_table *t, s32 value,
			const void *buf, size_t len, u32 *written)
{
	struct mx_fifo *f;
	u32 count, room;
	int ret;

	f = mx_fifo_lock_value(t, value, MX_RIGHT_WRITE, &ret);
	if (!f)
		return ret;
	count = min_t(size_t, len / f->elem_size, U32_MAX);
	ret = mx_fifo_write_room_locked(f, count, &room);
	if (!ret)
		*written = mx_fifo_write_locked(f, buf, min(count, room));
	mx_fifo_unlock(f);
	return ret;
}

/**
 * mx_fifo_peek_value() - mx_fifo_peek() through a handle's value, without
 * the table lock
 * @t: the caller's table
 * @value: the handle
 * @buf: out: room for @max_bytes bytes
 * @len: the call's len
 * @max_bytes: the most bytes @buf holds
 * @obj: out: the endpoint, referenced, for mx_fifo_consume()
 * @copied: out: elements copied
 * @tail: out: as mx_fifo_peek()'s
 *
 * Return: as mx_fifo_peek(), after the handle's errors and
 * MX_ERR_OUT_OF_RANGE (@len below one element); MX_FIFO_SLOW (nothing
 * done) if the table was changing or more than @max_bytes could be read.
 * *@obj is set (and referenced) only on success.
 */
int mx_fifo_peek_value(struct mx_handle_table *t, s32 value, void *buf,
		       size_t len, size_t max_bytes, struct mx_object **obj,
		       u32 *copied, u32 *tail)
{
	struct mx_fifo *f;
	u32 count;
	int ret;

	f = mx_fifo_lock_value(t, value, MX_RIGHT_READ, &ret);
	if (!f)
		return ret;
	count = min_t(size_t, len / f->elem_size, f->elem_count);
	if (!count)
		ret = MX_ERR_OUT_OF_RANGE;
	else if ((size_t)count * f->elem_size > max_bytes)
		ret = MX_FIFO_SLOW;
	else
		ret = mx_fifo_peek_locked(f, buf, count, copied, tail);
	if (!ret) {
		/* A handle of the caller's is there: not the last reference. */
		mx_object_get(&f->base);
		*obj = &f->base;
	}
	mx_fifo_unlock(f);
	return ret;
}
