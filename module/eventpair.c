// SPDX-License-Identifier: GPL-2.0
/*
 * mx eventpairs: two events, each of which can signal the other and learns
 * when the other side's last handle is closed (MX_EPAIR_PEER_CLOSED).
 *
 * Locking (the order of all: docs/architecture.md): both sides share one
 * struct mx_epair_link whose lock protects the two peer pointers. A side's
 * peer pointer is cleared (under the link lock) by that peer's
 * on_zero_handles hook, before the peer can be freed, so a non-NULL peer
 * read under the link lock is a live object. The link lock is taken before
 * an object lock, never after. A side's cookie jar is protected by that
 * side's object lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/refcount.h>
#include <linux/slab.h>

#include "cookie.h"
#include "eventpair.h"

/**
 * struct mx_epair_link - what the two sides of a pair share
 * @lock: protects both sides' @peer
 * @refs: one per side
 */
struct mx_epair_link {
	spinlock_t lock;
	refcount_t refs;
};

/**
 * struct mx_eventpair - one side of an eventpair
 * @base: common object head
 * @link: shared with the peer (invariant)
 * @peer: the other side while it has handles (protected by @link->lock)
 * @peer_koid: the other side's koid, kept after it is gone (invariant)
 * @jar: the cookie (protected by @base.lock), invalidated when the other
 *	side's last handle goes
 */
struct mx_eventpair {
	struct mx_object base;
	struct mx_epair_link *link;
	struct mx_eventpair *peer;
	u64 peer_koid;
	struct mx_cookie_jar jar;
};

static struct mx_eventpair *to_epair(struct mx_object *obj)
{
	return container_of(obj, struct mx_eventpair, base);
}

static void mx_eventpair_release(struct mx_object *obj)
{
	struct mx_eventpair *ep = to_epair(obj);

	if (refcount_dec_and_test(&ep->link->refs))
		kfree(ep->link);
	kfree(ep);
}

static void mx_eventpair_on_zero_handles(struct mx_object *obj)
{
	struct mx_eventpair *ep = to_epair(obj);
	struct mx_eventpair *peer;

	spin_lock(&ep->link->lock);
	peer = ep->peer;
	ep->peer = NULL;
	if (peer) {
		peer->peer = NULL;
		spin_lock(&peer->base.lock);
		mx_cookie_invalidate_locked(&peer->base, &peer->jar);
		mx_object_update_signals_locked(&peer->base, 0,
						MX_EPAIR_PEER_CLOSED);
		spin_unlock(&peer->base.lock);
	}
	spin_unlock(&ep->link->lock);
}

static u64 mx_eventpair_related_koid(struct mx_object *obj)
{
	return to_epair(obj)->peer_koid;
}

static int mx_eventpair_signal_peer(struct mx_object *obj, u32 clear, u32 set)
{
	struct mx_eventpair *ep = to_epair(obj);
	int ret;

	spin_lock(&ep->link->lock);
	ret = mx_peer_signal(ep->peer ? &ep->peer->base : NULL,
			     clear, set);
	spin_unlock(&ep->link->lock);
	return ret;
}

const struct mx_object_ops mx_eventpair_ops = {
	.type = MX_OBJ_TYPE_EVENT_PAIR,
	.name = "eventpair",
	.default_rights = MX_DEFAULT_EVENTPAIR_RIGHTS,
	.waitable = true,
	.user_signals = MX_USER_SIGNAL_ALL | MX_EPAIR_SIGNALED,
	.has_peer = true,
	.on_zero_handles = mx_eventpair_on_zero_handles,
	.release = mx_eventpair_release,
	.related_koid = mx_eventpair_related_koid,
	.signal_peer = mx_eventpair_signal_peer,
};
EXPORT_SYMBOL_IF_KUNIT(mx_eventpair_ops);

/**
 * mx_eventpair_new() - a new pair
 * @side0: out: one side, with one reference and no handle
 * @side1: out: the other side
 *
 * Return: 0 or MX_ERR_NO_MEMORY.
 */
int mx_eventpair_new(struct mx_object **side0, struct mx_object **side1)
{
	struct mx_eventpair *a, *b;
	struct mx_epair_link *link;

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
	mx_object_init(&a->base, &mx_eventpair_ops, 0);
	mx_object_init(&b->base, &mx_eventpair_ops, 0);
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
out:
	return MX_ERR_NO_MEMORY;
}
EXPORT_SYMBOL_IF_KUNIT(mx_eventpair_new);

/**
 * mx_eventpair_cookie_jar() - one side's cookie jar
 * @obj: the side
 *
 * Return: the jar (zeroed, so unset, at creation), which lives as long as
 * @obj.
 */
struct mx_cookie_jar *mx_eventpair_cookie_jar(struct mx_object *obj)
{
	return &to_epair(obj)->jar;
}
