// SPDX-License-Identifier: GPL-2.0
/*
 * mx ports (Magenta's ports v2): a queue of packets, filled by
 * mx_port_queue() and by asynchronous waits (mx_object_wait_async()), and
 * emptied by mx_port_wait(), one packet per waiter.
 *
 * A registration is an observer on the watched object, made through one
 * handle. When the state matches its trigger it queues its own packet,
 * embedded in it, so a state change never needs to allocate; a REPEATING
 * registration whose packet is still queued adds no second one. A
 * registration ends when it has fired (ONCE), when its handle is closed,
 * replaced or written into a channel, by mx_port_cancel(), or when the
 * port loses its last handle; a packet it already queued stays deliverable
 * (except after mx_port_cancel() and the port's end, which remove it).
 * mx_port_cancel() finds registrations and packets by the handle's
 * async_id (object.h), which outlives the registration and is never
 * reused, so a fired ONCE registration's packet can be taken back through
 * its handle while the handle lives, and never through a later handle.
 *
 * mx_port_wait() takes a packet off the queue, copies it out, and puts it
 * back at the head if the copy fails, so no packet is lost to a bad
 * buffer and the buffer is written only with a packet.
 *
 * User packets are allocated by mx_port_queue() and bounded by the
 * port_max_packets module parameter (MX_ERR_SHOULD_WAIT beyond it), and
 * charged to the caller's user with its messages (user.c). Registrations
 * are charged to their user's max_user_watches.
 *
 * Locking (the order of all: docs/architecture.md):
 *  - mx_port.lock (spinlock) protects the queue, the list of live
 *    registrations, the user packet count and @dead, and each
 *    registration's @queued, @seq and packet. It nests inside the watched
 *    object's lock (a registration fires from the object's notify) and
 *    inside a handle table lock; nothing is taken under it but the wait
 *    queue's own lock (wake_up()).
 *  - A registration's @live (on its object's observer list) is protected
 *    by that object's lock. While a registration is on the port's list it
 *    is live, so its object, which still has the handle it was made
 *    through, is alive: the port takes a reference to the object under
 *    its own lock before ending the registration under the object's lock.
 *  - A registration's @count is protected by its object's lock; its
 *    @key and @handle_id are invariant.
 *  - References: a registration holds one on its port; it is freed when it
 *    is neither live nor queued nor held by an ending in progress or by a
 *    waiter copying its packet out (kref).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "channel.h"
#include "port.h"
#include "process.h"
#include "user.h"
#include "wait.h"

VISIBLE_IF_KUNIT unsigned int mx_port_max_packets = 4096;
module_param_named(port_max_packets, mx_port_max_packets, uint, 0644);
MODULE_PARM_DESC(port_max_packets,
		 "Most user packets queued at one port (mx_port_queue)");
EXPORT_SYMBOL_IF_KUNIT(mx_port_max_packets);

/* The last async_id given to a handle (struct mx_handle). */
static atomic64_t mx_port_last_handle_id = ATOMIC64_INIT(0);

/**
 * struct mx_port - a port
 * @base: common object head (a port has no signal state of its own)
 * @lock: see the top of the file
 * @queue: queued packets, struct mx_port_entry, oldest first
 * @regs: live registrations, struct mx_port_reg
 * @nr_user: user packets in @queue
 * @dead: the port lost its last handle: no more packets or registrations
 * @wq: tasks in mx_port_wait() (exclusive) and poll()ers of a waitfd
 */
struct mx_port {
	struct mx_object base;
	spinlock_t lock;
	struct list_head queue;
	struct list_head regs;
	u32 nr_user;
	bool dead;
	wait_queue_head_t wq;
};

/**
 * struct mx_port_entry - a queued packet
 * @node: in mx_port.queue
 * @reg: the registration it belongs to, or NULL for a user packet
 * @user: for a user packet, the user its memory is charged to (user.c:
 *	max_user_message_bytes), referenced (invariant)
 * @pkt: the packet
 */
struct mx_port_entry {
	struct list_head node;
	struct mx_port_reg *reg;
	struct mx_user *user;
	struct mx_port_packet pkt;
};

/**
 * struct mx_port_reg - one asynchronous wait
 * @obs: the observer on the watched object
 * @obj: the watched object (not referenced; see the locking rules)
 * @port: the port, referenced
 * @node: in mx_port.regs while live
 * @end_node: in a list of registrations being ended by the port
 * @ref: see the locking rules
 * @key: the packets' key
 * @handle_id: the async_id of the handle it was made through
 * @count: signal.count of the next packet: the messages queued at a
 *	channel for a packet queued at registration (set and reset around
 *	it, under the object's lock), else 1
 * @repeating: MX_WAIT_ASYNC_REPEATING
 * @live: on @obj's observer list (protected by @obj's lock)
 * @queued: @entry is in the port's queue (protected by the port's lock)
 * @cancelled: taken by mx_port_cancel(): it queues no packet any more,
 *	even while it is still on its object's list (protected by the
 *	port's lock)
 * @seq: moves on when it queues a packet or is cancelled (protected by the
 *	port's lock), so that a packet taken out and put back
 *	(mx_port_put_back()) can tell it was superseded
 * @user: the user it is charged to (user.c), referenced (invariant)
 * @entry: the packet
 */
struct mx_port_reg {
	struct mx_observer obs;
	struct mx_object *obj;
	struct mx_port *port;
	struct list_head node;
	struct list_head end_node;
	struct kref ref;
	u64 key;
	u64 handle_id;
	u64 count;
	bool repeating;
	bool live;
	bool queued;
	bool cancelled;
	u32 seq;
	struct mx_user *user;
	struct mx_port_entry entry;
};

static inline struct mx_port *to_port(struct mx_object *obj)
{
	return container_of(obj, struct mx_port, base);
}

static void mx_port_reg_free(struct kref *ref)
{
	struct mx_port_reg *reg = container_of(ref, struct mx_port_reg, ref);

	mx_object_put(&reg->port->base);
	if (reg->user)
		mx_user_uncharge_watch(reg->user);
	kfree(reg);
}

static void mx_port_reg_put(struct mx_port_reg *reg)
{
	kref_put(&reg->ref, mx_port_reg_free);
}

/* Take @e off the queue. Context: port lock held. */
static void mx_port_unqueue_locked(struct mx_port *port,
				   struct mx_port_entry *e)
{
	lockdep_assert_held(&port->lock);
	list_del_init(&e->node);
	if (e->reg)
		e->reg->queued = false;
	else
		port->nr_user--;
}

/* Free an entry taken off the queue. Context: no port lock held. */
static void mx_port_entry_done(struct mx_port_entry *e)
{
	if (e->reg) {
		mx_port_reg_put(e->reg);
		return;
	}
	mx_user_uncharge_message(e->user, sizeof(*e), 0);
	kfree(e);
}

/*
 * End a live registration: off its object and its port. Drops the
 * registration's "live" reference. Context: the object's lock held.
 */
static void mx_port_reg_end_locked(struct mx_port_reg *reg)
{
	struct mx_port *port = reg->port;

	lockdep_assert_held(&reg->obj->lock);
	list_del(&reg->obs.node);
	reg->live = false;
	spin_lock(&port->lock);
	if (!list_empty(&reg->node))
		list_del_init(&reg->node);
	spin_unlock(&port->lock);
	mx_port_reg_put(reg);
}

/* Queue @reg's packet for @state. Context: the object's lock held. */
static void mx_port_reg_fire(struct mx_port_reg *reg, u32 state)
{
	struct mx_port *port = reg->port;
	struct mx_port_packet *pkt = &reg->entry.pkt;

	spin_lock(&port->lock);
	if (!port->dead && !reg->queued && !reg->cancelled) {
		pkt->key = reg->key;
		pkt->type = reg->repeating ? MX_PKT_TYPE_SIGNAL_REP :
					     MX_PKT_TYPE_SIGNAL_ONE;
		pkt->status = 0;
		pkt->signal.trigger = reg->obs.watched;
		pkt->signal.observed = state;
		pkt->signal.count = reg->count;
		reg->queued = true;
		reg->seq++;
		kref_get(&reg->ref);
		list_add_tail(&reg->entry.node, &port->queue);
		wake_up(&port->wq);
	}
	spin_unlock(&port->lock);
}

static void mx_port_reg_notify(struct mx_observer *obs, u32 state)
{
	struct mx_port_reg *reg = container_of(obs, struct mx_port_reg, obs);

	if (obs->cancelled) {
		mx_port_reg_end_locked(reg);
		return;
	}
	if (!(state & obs->watched))
		return;
	mx_port_reg_fire(reg, state);
	if (!reg->repeating)
		mx_port_reg_end_locked(reg);
}

/*
 * End the registrations in @regs (taken off the port's list under its
 * lock, each with a reference on the registration and on its object).
 */
static void mx_port_end_regs(struct list_head *regs)
{
	struct mx_port_reg *reg, *tmp;
	struct mx_object *obj;

	list_for_each_entry_safe(reg, tmp, regs, end_node) {
		list_del(&reg->end_node);
		obj = reg->obj;
		spin_lock(&obj->lock);
		if (reg->live)
			mx_port_reg_end_locked(reg);
		spin_unlock(&obj->lock);
		mx_object_put(obj);
		mx_port_reg_put(reg);
	}
}

/* Move a live registration to @to, holding it and its object. */
static void mx_port_take_reg_locked(struct mx_port *port,
				    struct mx_port_reg *reg,
				    struct list_head *to)
{
	lockdep_assert_held(&port->lock);
	mx_object_get(reg->obj);
	kref_get(&reg->ref);
	list_del_init(&reg->node);
	list_add_tail(&reg->end_node, to);
}

/* The last handle is gone: drain the queue, end every registration. */
static void mx_port_on_zero_handles(struct mx_object *obj)
{
	struct mx_port *port = to_port(obj);
	struct mx_port_reg *reg, *rtmp;
	struct mx_port_entry *e, *etmp;
	LIST_HEAD(entries);
	LIST_HEAD(regs);

	spin_lock(&port->lock);
	port->dead = true;
	list_for_each_entry_safe(e, etmp, &port->queue, node) {
		mx_port_unqueue_locked(port, e);
		list_add_tail(&e->node, &entries);
	}
	list_for_each_entry_safe(reg, rtmp, &port->regs, node)
		mx_port_take_reg_locked(port, reg, &regs);
	spin_unlock(&port->lock);

	list_for_each_entry_safe(e, etmp, &entries, node) {
		list_del_init(&e->node);
		mx_port_entry_done(e);
	}
	mx_port_end_regs(&regs);
	wake_up_all(&port->wq);
}

static void mx_port_release(struct mx_object *obj)
{
	struct mx_port *port = to_port(obj);

	WARN_ON_ONCE(!list_empty(&port->queue) || !list_empty(&port->regs));
	kfree(port);
}

const struct mx_object_ops mx_port_ops = {
	.type = MX_OBJ_TYPE_PORT,
	.name = "port",
	.default_rights = MX_DEFAULT_PORT_RIGHTS,
	.waitable = false,
	.on_zero_handles = mx_port_on_zero_handles,
	.release = mx_port_release,
};

/**
 * mx_port_new() - a new, empty port
 *
 * Return: the port with one reference and no handle, or NULL.
 */
struct mx_object *mx_port_new(void)
{
	struct mx_port *port;

	port = kzalloc(sizeof(*port), GFP_KERNEL_ACCOUNT);
	if (!port)
		return NULL;
	mx_object_init(&port->base, &mx_port_ops, 0);
	spin_lock_init(&port->lock);
	INIT_LIST_HEAD(&port->queue);
	INIT_LIST_HEAD(&port->regs);
	init_waitqueue_head(&port->wq);
	return &port->base;
}
EXPORT_SYMBOL_IF_KUNIT(mx_port_new);

/**
 * mx_port_queue_packet() - queue a user packet
 * @obj: the port
 * @pkt: the packet; its type is forced to MX_PKT_TYPE_USER
 * @user: the caller's user, charged for the packet's memory
 *
 * Return: 0; MX_ERR_NO_RESOURCES (the user's max_user_message_bytes),
 * MX_ERR_NO_MEMORY, MX_ERR_SHOULD_WAIT (port_max_packets user packets
 * queued), MX_ERR_BAD_STATE (the port is closing).
 */
int mx_port_queue_packet(struct mx_object *obj, const struct mx_port_packet *pkt,
		  struct mx_user *user)
{
	struct mx_port *port = to_port(obj);
	struct mx_port_entry *e;
	int ret;

	ret = mx_user_charge_message(user, sizeof(*e), 0);
	if (ret)
		return ret;
	e = kmalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
	if (!e) {
		mx_user_uncharge_message(user, sizeof(*e), 0);
		return MX_ERR_NO_MEMORY;
	}
	e->reg = NULL;
	e->user = user;
	e->pkt = *pkt;
	e->pkt.type = MX_PKT_TYPE_USER;

	spin_lock(&port->lock);
	if (port->dead) {
		ret = MX_ERR_BAD_STATE;
	} else if (port->nr_user >= READ_ONCE(mx_port_max_packets)) {
		ret = MX_ERR_SHOULD_WAIT;
	} else {
		list_add_tail(&e->node, &port->queue);
		port->nr_user++;
		wake_up(&port->wq);
		e = NULL;
	}
	spin_unlock(&port->lock);
	if (e)
		mx_port_entry_done(e);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(mx_port_queue_packet);

/*
 * Take the oldest packet off the queue, a copy in @pkt and its
 * registration's @seq in @seq. Return: its entry (to finish with
 * mx_port_entry_done() or mx_port_put_back()), or NULL.
 */
static struct mx_port_entry *mx_port_take(struct mx_port *port,
					  struct mx_port_packet *pkt,
					  u32 *seq)
{
	struct mx_port_entry *e;

	spin_lock(&port->lock);
	e = list_first_entry_or_null(&port->queue, struct mx_port_entry,
				     node);
	if (e) {
		*pkt = e->pkt;
		*seq = e->reg ? e->reg->seq : 0;
		mx_port_unqueue_locked(port, e);
	}
	spin_unlock(&port->lock);
	return e;
}

/*
 * Put a packet taken by mx_port_take() that could not be delivered back at
 * the head of the queue. It is dropped instead if the port lost its last
 * handle meanwhile (the queue was drained), or if its registration
 * (REPEATING) queued a newer packet meanwhile, which stands for it, or was
 * cancelled. (A cancel of a fired ONCE registration while its packet was
 * out did not see it, and it comes back.)
 */
static void mx_port_put_back(struct mx_port *port, struct mx_port_entry *e,
			     u32 seq)
{
	bool drop = false;

	spin_lock(&port->lock);
	if (port->dead || (e->reg && e->reg->seq != seq)) {
		drop = true;
	} else {
		list_add(&e->node, &port->queue);
		if (e->reg)
			e->reg->queued = true;
		else
			port->nr_user++;
		wake_up(&port->wq);
	}
	spin_unlock(&port->lock);
	if (drop)
		mx_port_entry_done(e);
}

/**
 * mx_port_wait_packet() - take the oldest packet, sleeping for one if need be
 * @obj: the port
 * @deadline: absolute CLOCK_MONOTONIC deadline
 * @deliver: gives the packet to the caller: 0, or an MX_ERR_* status
 *	that puts the packet back
 * @ctx: for @deliver
 *
 * Each packet wakes one waiter (exclusive wait). A waiter that leaves
 * without a packet (signal, deadline) passes a wake-up it may have taken
 * on to the next. A packet @deliver refuses goes back to the head of the
 * queue.
 *
 * Context: process context; sleeps.
 * Return: 0; MX_ERR_TIMED_OUT; @deliver's error; -ERESTARTNOINTR for a
 * signal (the call starts again with the same deadline; no packet is
 * lost).
 */
int mx_port_wait_packet(struct mx_object *obj, u64 deadline,
			mx_port_deliver_fn deliver, void *ctx)
{
	struct mx_port *port = to_port(obj);
	struct mx_port_packet pkt;
	struct mx_port_entry *e;
	DEFINE_WAIT(wait);
	int ret = 0, step;
	u32 seq = 0;

	e = mx_port_take(port, &pkt, &seq);
	if (!e) {
		for (;;) {
			prepare_to_wait_exclusive(&port->wq, &wait,
						  TASK_INTERRUPTIBLE);
			e = mx_port_take(port, &pkt, &seq);
			if (e)
				break;
			step = mx_sleep_step(deadline);
			if (step < 0) {
				ret = step;
				break;
			}
			if (step > 0) {
				e = mx_port_take(port, &pkt, &seq);
				if (!e)
					ret = MX_ERR_TIMED_OUT;
				break;
			}
		}
		finish_wait(&port->wq, &wait);
	}
	if (ret) {
		spin_lock(&port->lock);
		if (!list_empty(&port->queue))
			wake_up(&port->wq);
		spin_unlock(&port->lock);
		return ret;
	}
	ret = deliver(&pkt, ctx);
	if (ret) {
		mx_port_put_back(port, e, seq);
		return ret;
	}
	mx_port_entry_done(e);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mx_port_wait_packet);

/**
 * mx_port_wait_async() - register an asynchronous wait
 * @t: the caller's handle table
 * @value: the handle to watch (needs MX_RIGHT_READ, waitable)
 * @pobj: the port, referenced by the caller
 * @key: the packets' key
 * @signals: the trigger
 * @repeating: MX_WAIT_ASYNC_REPEATING
 * @user: the caller's user, charged for the registration (max_user_watches)
 *
 * If a signal of @signals is asserted already, a packet is queued at once.
 * The registration is made under the table lock, so a concurrent close of
 * the handle either comes first (MX_ERR_BAD_HANDLE) or ends it.
 *
 * Return: 0; MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED, MX_ERR_NOT_SUPPORTED
 * (not waitable), MX_ERR_NO_RESOURCES (the user's watches), MX_ERR_NO_MEMORY.
 */
int mx_port_wait_async(struct mx_handle_table *t, s32 value,
		       struct mx_object *pobj, u64 key, u32 signals,
		       bool repeating, struct mx_user *user)
{
	struct mx_port *port = to_port(pobj);
	struct mx_port_reg *reg;
	struct mx_handle *h;
	struct mx_object *obj;
	int ret = 0;

	reg = kzalloc(sizeof(*reg), GFP_KERNEL_ACCOUNT);
	if (!reg)
		return MX_ERR_NO_MEMORY;
	kref_init(&reg->ref);
	mx_object_get(pobj);
	reg->port = port;
	INIT_LIST_HEAD(&reg->node);
	INIT_LIST_HEAD(&reg->entry.node);
	reg->entry.reg = reg;
	reg->key = key;
	reg->repeating = repeating;

	mx_ht_lock(t);
	ret = mx_ht_check_waitable_locked(t, value, MX_RIGHT_READ, &h);
	if (ret)
		goto out_unlock_table;
	ret = mx_user_charge_watch(user);
	if (ret)
		goto out_unlock_table;
	reg->user = user;

	obj = h->obj;
	reg->obj = obj;
	mx_observer_init(&reg->obs, h, signals, mx_port_reg_notify, true);
	if (!h->async_id)
		h->async_id = atomic64_inc_return(&mx_port_last_handle_id);
	reg->handle_id = h->async_id;

	spin_lock(&obj->lock);
	/*
	 * A packet queued at registration on a channel counts its messages
	 * (at least 1: a read may be emptying the queue); any later one 1.
	 */
	reg->count = 1;
	if ((signals & MX_CHANNEL_READABLE) && obj->ops == &mx_channel_ops)
		reg->count = max_t(u64, mx_channel_queued_msgs(obj), 1);
	spin_lock(&port->lock);
	if (port->dead) {
		/* The port's last handle went meanwhile: nothing to deliver. */
		spin_unlock(&port->lock);
		spin_unlock(&obj->lock);
		goto out_unlock_table;
	}
	list_add_tail(&reg->node, &port->regs);
	spin_unlock(&port->lock);
	reg->live = true;
	kref_get(&reg->ref);
	mx_object_add_observer_locked(obj, &reg->obs);
	reg->count = 1;
	spin_unlock(&obj->lock);

out_unlock_table:
	mx_ht_unlock(t);
	/* Drop the reference of this call; the live one stays if it lives. */
	mx_port_reg_put(reg);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(mx_port_wait_async);

/**
 * mx_port_cancel_key() - remove registrations and their packets
 * @t: the caller's handle table
 * @pobj: the port, referenced by the caller
 * @value: the handle the registrations were made through (needs
 *	MX_RIGHT_READ, waitable, as for mx_port_wait_async())
 * @key: their key
 *
 * Removes the live registrations made through @value with @key, and the
 * queued packets of every registration made through it with @key, fired
 * ONCE registrations' included.
 *
 * Return: 0 if anything was removed; MX_ERR_NOT_FOUND if not;
 * MX_ERR_BAD_HANDLE (@value is not a handle of the caller),
 * MX_ERR_ACCESS_DENIED, MX_ERR_NOT_SUPPORTED (not waitable).
 */
int mx_port_cancel_key(struct mx_handle_table *t, struct mx_object *pobj,
		   s32 value, u64 key)
{
	struct mx_port *port = to_port(pobj);
	struct mx_port_entry *e, *etmp;
	struct mx_port_reg *reg, *rtmp;
	struct mx_handle *h;
	LIST_HEAD(entries);
	LIST_HEAD(regs);
	bool found = false;
	int ret = 0;
	u64 id = 0;

	mx_ht_lock(t);
	ret = mx_ht_check_waitable_locked(t, value, MX_RIGHT_READ, &h);
	if (!ret)
		id = h->async_id;
	mx_ht_unlock(t);
	if (ret)
		return ret;
	/* No registration was ever made through it. */
	if (!id)
		return MX_ERR_NOT_FOUND;

	/*
	 * A registration taken here stays on its object's list until
	 * mx_port_end_regs(), and its packet is on @entries until freed: it
	 * is marked cancelled under the port's lock first, so that a signal
	 * change meanwhile queues nothing (its entry cannot be on two lists).
	 */
	spin_lock(&port->lock);
	list_for_each_entry_safe(e, etmp, &port->queue, node) {
		if (!e->reg || e->reg->handle_id != id || e->reg->key != key)
			continue;
		e->reg->cancelled = true;
		mx_port_unqueue_locked(port, e);
		list_add_tail(&e->node, &entries);
		found = true;
	}
	list_for_each_entry_safe(reg, rtmp, &port->regs, node) {
		if (reg->handle_id != id || reg->key != key)
			continue;
		reg->cancelled = true;
		/* Its packet, if a waiter has it out, is not put back. */
		reg->seq++;
		mx_port_take_reg_locked(port, reg, &regs);
		found = true;
	}
	spin_unlock(&port->lock);

	list_for_each_entry_safe(e, etmp, &entries, node) {
		list_del_init(&e->node);
		mx_port_entry_done(e);
	}
	mx_port_end_regs(&regs);
	return found ? 0 : MX_ERR_NOT_FOUND;
}
EXPORT_SYMBOL_IF_KUNIT(mx_port_cancel_key);

/**
 * mx_port_poll() - poll() of a waitfd on a port
 * @obj: the port
 * @file: the waitfd
 * @pt: the poll table
 *
 * Return: EPOLLIN while a packet is queued.
 */
__poll_t mx_port_poll(struct mx_object *obj, struct file *file,
		      poll_table *pt)
{
	struct mx_port *port = to_port(obj);
	__poll_t mask = 0;

	poll_wait(file, &port->wq, pt);
	spin_lock(&port->lock);
	if (!list_empty(&port->queue))
		mask = EPOLLIN | EPOLLRDNORM;
	spin_unlock(&port->lock);
	return mask;
}
