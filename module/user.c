// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user limits: what the processes of one uid may hold in the kernel,
 * whoever holds the handles.
 *
 * /dev/mx is open to every local user, so every resource that a user can
 * make the kernel keep is charged to a user and bounded per user, as Linux
 * bounds pipes (fs.pipe-user-pages-*), AF_UNIX's descriptors in flight
 * and epoll's watches (max_user_watches). A user is the real uid of the
 * calling task, as for RLIMIT_NPROC and pipes; a charge stays with the
 * user that made it until what it pays for is freed, wherever its handles
 * have gone. The limits, each a module parameter:
 *
 *  - max_user_objects: objects made by create calls (events, event
 *    pairs, channels, ports, processes, threads, jobs made by
 *    mx_*_create);
 *  - max_user_message_bytes: kernel memory held by channel messages that
 *    the user wrote and nobody has read yet (their allocation, the pages
 *    of their bytes and their handle slots);
 *  - max_user_inflight_handles: handles in those messages;
 *  - max_user_watches: asynchronous waits (mx_object_wait_async()) and
 *    waitfds, each an observer that every signal change of its object
 *    walks;
 *  - max_user_vmar_mappings: the mapping records of the VMARs of the
 *    address spaces the user's processes made (vmar.c), each of which
 *    keeps a file of its VMO;
 *  - max_user_vmo_pages (vmo.c): pages committed to the user's VMOs,
 *    which also count in the memory cgroup of the VMO's creator. Past it,
 *    what would commit a page fails with MX_ERR_NO_MEMORY (a fault,
 *    SIGBUS), as a VMO out of memory does in Magenta.
 *
 * Past a limit, the call that would go over fails with
 * MX_ERR_NO_RESOURCES and changes nothing; other users are not affected.
 * A limit lowered below what a user holds refuses new charges until the
 * user is back under it.
 *
 * A charge holds a reference to its user: the entry lives while anything
 * is charged to it or a process caches it (mx_user_cached()).
 *
 * Locking (the order of all: docs/architecture.md): mx_users_lock
 * (spinlock, irqs off: the last reference may go in any context) protects
 * the hash of users; nothing is taken under it. The counters are atomics,
 * each checked against its limit by the charge that moves it (add, and
 * take back if over). Entries are freed after an RCU grace period, for
 * mx_user_cached().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "object.h"
#include "user.h"

unsigned int mx_max_user_objects = 65536;
module_param_named(max_user_objects, mx_max_user_objects, uint, 0644);
MODULE_PARM_DESC(max_user_objects,
		 "Most objects the processes of one user may have (0: none)");
EXPORT_SYMBOL_IF_KUNIT(mx_max_user_objects);

VISIBLE_IF_KUNIT unsigned long mx_max_user_message_bytes = 64UL << 20;
module_param_named(max_user_message_bytes, mx_max_user_message_bytes, ulong,
		   0644);
MODULE_PARM_DESC(max_user_message_bytes,
		 "Most kernel memory in unread messages one user may have written");
EXPORT_SYMBOL_IF_KUNIT(mx_max_user_message_bytes);

VISIBLE_IF_KUNIT unsigned int mx_max_user_inflight_handles = 65536;
module_param_named(max_user_inflight_handles, mx_max_user_inflight_handles,
		   uint, 0644);
MODULE_PARM_DESC(max_user_inflight_handles,
		 "Most handles one user may have in unread messages");
EXPORT_SYMBOL_IF_KUNIT(mx_max_user_inflight_handles);

VISIBLE_IF_KUNIT unsigned int mx_max_user_watches = 65536;
module_param_named(max_user_watches, mx_max_user_watches, uint, 0644);
VISIBLE_IF_KUNIT unsigned int mx_max_user_vmar_mappings = 262144;
module_param_named(max_user_vmar_mappings, mx_max_user_vmar_mappings, uint,
		   0644);
MODULE_PARM_DESC(max_user_vmar_mappings,
		 "Most VMO mappings the VMARs of one user's processes may hold");
EXPORT_SYMBOL_IF_KUNIT(mx_max_user_vmar_mappings);

MODULE_PARM_DESC(max_user_watches,
		 "Most asynchronous waits and waitfds one user may have");
EXPORT_SYMBOL_IF_KUNIT(mx_max_user_watches);

/**
 * struct mx_user - what is charged to one uid
 * @node: in mx_users (protected by mx_users_lock)
 * @rcu: for freeing after a grace period
 * @uid: the real uid (invariant)
 * @ref: charges and caches that keep the entry
 * @objects: objects charged
 * @message_bytes: bytes of unread messages charged
 * @inflight: handles in unread messages charged
 * @watches: asynchronous waits and waitfds charged
 * @mappings: VMAR mapping records charged
 * @vmo_pages: VMO pages charged
 */
struct mx_user {
	struct hlist_node node;
	struct rcu_head rcu;
	kuid_t uid;
	refcount_t ref;
	atomic_t objects;
	atomic_long_t message_bytes;
	atomic_t inflight;
	atomic_t watches;
	atomic_t mappings;
	atomic_long_t vmo_pages;
};

static DEFINE_HASHTABLE(mx_users, 6);
static DEFINE_SPINLOCK(mx_users_lock);

static struct mx_user *mx_user_find_locked(kuid_t uid)
{
	struct mx_user *u;

	lockdep_assert_held(&mx_users_lock);
	hash_for_each_possible(mx_users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			return u;
	return NULL;
}

/**
 * mx_user_get() - the entry of a uid, made if needed
 * @uid: the uid
 *
 * Context: process context, no mx lock held.
 * Return: the entry with a reference, or NULL when out of memory.
 */
struct mx_user *mx_user_get(kuid_t uid)
{
	struct mx_user *u, *new;

	spin_lock_irq(&mx_users_lock);
	u = mx_user_find_locked(uid);
	if (u)
		refcount_inc(&u->ref);
	spin_unlock_irq(&mx_users_lock);
	if (u)
		return u;

	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return NULL;
	new->uid = uid;
	refcount_set(&new->ref, 1);
	spin_lock_irq(&mx_users_lock);
	u = mx_user_find_locked(uid);
	if (u) {
		refcount_inc(&u->ref);
	} else {
		hash_add(mx_users, &new->node, __kuid_val(uid));
		u = new;
		new = NULL;
	}
	spin_unlock_irq(&mx_users_lock);
	kfree(new);
	return u;
}
EXPORT_SYMBOL_IF_KUNIT(mx_user_get);

/**
 * mx_user_put() - drop a reference to a user's entry
 * @u: the entry, or NULL
 *
 * Context: any.
 */
void mx_user_put(struct mx_user *u)
{
	unsigned long flags;

	/* refcount_dec_and_lock_irqsave(), spelled out for sparse. */
	if (!u || refcount_dec_not_one(&u->ref))
		return;
	spin_lock_irqsave(&mx_users_lock, flags);
	if (!refcount_dec_and_test(&u->ref)) {
		spin_unlock_irqrestore(&mx_users_lock, flags);
		return;
	}
	hash_del(&u->node);
	spin_unlock_irqrestore(&mx_users_lock, flags);
	WARN_ON_ONCE(atomic_read(&u->objects) ||
		     atomic_long_read(&u->message_bytes) ||
		     atomic_read(&u->inflight) || atomic_read(&u->watches) ||
		     atomic_read(&u->mappings));
	kfree_rcu(u, rcu);
}
EXPORT_SYMBOL_IF_KUNIT(mx_user_put);

/**
 * mx_user_cached() - the calling task's user, through a per-process cache
 * @cache: the process's cache (NULL at first), which holds a reference
 *
 * The fast path takes one reference and no lock; a task whose real uid
 * changed finds its new entry and caches it instead.
 *
 * Context: process context, no mx lock held.
 * Return: the entry with a reference for the caller, or NULL when out of
 * memory.
 */
struct mx_user *mx_user_cached(struct mx_user __rcu **cache)
{
	kuid_t uid = current_uid();
	struct mx_user *u, *old;

	rcu_read_lock();
	u = rcu_dereference(*cache);
	if (u && uid_eq(u->uid, uid) && refcount_inc_not_zero(&u->ref)) {
		rcu_read_unlock();
		return u;
	}
	rcu_read_unlock();

	u = mx_user_get(uid);
	if (!u)
		return NULL;
	/* One reference for the caller, one for the cache. */
	refcount_inc(&u->ref);
	old = unrcu_pointer(xchg(cache, RCU_INITIALIZER(u)));
	mx_user_put(old);
	return u;
}
EXPORT_SYMBOL_IF_KUNIT(mx_user_cached);

/**
 * mx_user_uncache() - drop a process's cached user
 * @cache: the cache of a process being freed
 */
void mx_user_uncache(struct mx_user __rcu **cache)
{
	mx_user_put(unrcu_pointer(xchg(cache, NULL)));
}
EXPORT_SYMBOL_IF_KUNIT(mx_user_uncache);

/* Add @n to @v unless that passes @limit. Return: true if added. */
static bool mx_charge_atomic(atomic_t *v, unsigned int n, unsigned int limit)
{
	if ((unsigned int)atomic_add_return(n, v) <= limit)
		return true;
	atomic_sub(n, v);
	return false;
}

/**
 * mx_user_charge() - charge a new object to the calling user
 * @obj: the object, not yet charged and not yet visible to anyone
 *
 * Context: process context, no mx lock held.
 * Return: 0; MX_ERR_NO_RESOURCES (the user is at max_user_objects),
 * MX_ERR_NO_MEMORY.
 */
int mx_user_charge(struct mx_object *obj)
{
	struct mx_user *u = mx_user_get(current_uid());

	if (!u)
		return MX_ERR_NO_MEMORY;
	if (!mx_charge_atomic(&u->objects, 1, READ_ONCE(mx_max_user_objects))) {
		mx_user_put(u);
		return MX_ERR_NO_RESOURCES;
	}
	obj->user = u;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mx_user_charge);

/**
 * mx_user_uncharge() - give back what mx_user_charge() took
 * @obj: the object being freed (charged or not)
 *
 * Context: any context where the object may be freed.
 */
void mx_user_uncharge(struct mx_object *obj)
{
	struct mx_user *u = obj->user;

	if (!u)
		return;
	obj->user = NULL;
	atomic_dec(&u->objects);
	mx_user_put(u);
}
EXPORT_SYMBOL_IF_KUNIT(mx_user_uncharge);

/**
 * mx_user_charge_message() - charge a message being written
 * @u: the writer's user, referenced by the caller
 * @bytes: the kernel memory the message takes
 * @handles: the handles it carries
 *
 * On success the message holds a reference to @u, which
 * mx_user_uncharge_message() drops.
 *
 * Return: 0 or MX_ERR_NO_RESOURCES (a limit of the user's).
 */
int mx_user_charge_message(struct mx_user *u, size_t bytes, u32 handles)
{
	unsigned long limit = READ_ONCE(mx_max_user_message_bytes);

	if ((unsigned long)atomic_long_add_return(bytes, &u->message_bytes) >
	    limit)
		goto out_bytes;
	if (handles &&
	    !mx_charge_atomic(&u->inflight, handles,
			      READ_ONCE(mx_max_user_inflight_handles)))
		goto out_bytes;
	refcount_inc(&u->ref);
	return 0;

out_bytes:
	atomic_long_sub(bytes, &u->message_bytes);
	return MX_ERR_NO_RESOURCES;
}
EXPORT_SYMBOL_IF_KUNIT(mx_user_charge_message);

/**
 * mx_user_uncharge_message() - a message charged to @u is freed
 * @u: its user
 * @bytes: as charged
 * @handles: as charged
 *
 * Context: any.
 */
void mx_user_uncharge_message(struct mx_user *u, size_t bytes, u32 handles)
{
	atomic_long_sub(bytes, &u->message_bytes);
	if (handles)
		atomic_sub(handles, &u->inflight);
	mx_user_put(u);
}
EXPORT_SYMBOL_IF_KUNIT(mx_user_uncharge_message);

/**
 * mx_user_charge_watch() - charge an asynchronous wait or a waitfd
 * @u: the caller's user, referenced by the caller
 *
 * On success the watch holds a reference to @u.
 *
 * Return: 0 or MX_ERR_NO_RESOURCES (the user is at max_user_watches).
 */
int mx_user_charge_watch(struct mx_user *u)
{
	if (!mx_charge_atomic(&u->watches, 1, READ_ONCE(mx_max_user_watches)))
		return MX_ERR_NO_RESOURCES;
	refcount_inc(&u->ref);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mx_user_charge_watch);

/**
 * mx_user_charge_mappings() - charge VMAR mapping records
 * @u: the user of the address space, referenced by it
 * @n: how many
 *
 * The address space's reference to @u covers the charge.
 *
 * Return: 0 or MX_ERR_NO_RESOURCES (past max_user_vmar_mappings).
 */
int mx_user_charge_mappings(struct mx_user *u, unsigned int n)
{
	if (!mx_charge_atomic(&u->mappings, n,
			      READ_ONCE(mx_max_user_vmar_mappings)))
		return MX_ERR_NO_RESOURCES;
	return 0;
}

/**
 * mx_user_uncharge_mappings() - VMAR mapping records charged to @u went
 * @u: their user
 * @n: how many
 */
void mx_user_uncharge_mappings(struct mx_user *u, unsigned int n)
{
	atomic_sub(n, &u->mappings);
}

/**
 * mx_user_uncharge_watch() - a watch charged to @u ended
 * @u: its user
 *
 * Context: any.
 */
void mx_user_uncharge_watch(struct mx_user *u)
{
	atomic_dec(&u->watches);
	mx_user_put(u);
}
EXPORT_SYMBOL_IF_KUNIT(mx_user_uncharge_watch);

/**
 * mx_user_charge_pages() - charge pages committed to a VMO
 * @u: the VMO's user, referenced by the VMO
 * @n: how many
 * @limit: the bound (max_user_vmo_pages)
 *
 * Context: any.
 * Return: 0 or MX_ERR_NO_MEMORY (the user would be over @limit).
 */
int mx_user_charge_pages(struct mx_user *u, unsigned long n,
			 unsigned long limit)
{
	if (n > limit)
		return MX_ERR_NO_MEMORY;
	if ((unsigned long)atomic_long_add_return(n, &u->vmo_pages) <= limit)
		return 0;
	atomic_long_sub(n, &u->vmo_pages);
	return MX_ERR_NO_MEMORY;
}
EXPORT_SYMBOL_IF_KUNIT(mx_user_charge_pages);

/**
 * mx_user_uncharge_pages() - pages charged to @u were freed
 * @u: their user
 * @n: how many
 *
 * Context: any.
 */
void mx_user_uncharge_pages(struct mx_user *u, unsigned long n)
{
	atomic_long_sub(n, &u->vmo_pages);
}
EXPORT_SYMBOL_IF_KUNIT(mx_user_uncharge_pages);

#ifdef MX_KUNIT_VISIBILITY
/**
 * mx_user_usage() - what is charged to a user, for the KUnit suites
 * @u: the user, referenced by the caller
 * @out: out: its counters, a snapshot
 */
void mx_user_usage(struct mx_user *u, struct mx_user_usage *out)
{
	out->objects = atomic_read(&u->objects);
	out->message_bytes = atomic_long_read(&u->message_bytes);
	out->inflight = atomic_read(&u->inflight);
	out->watches = atomic_read(&u->watches);
	out->mappings = atomic_read(&u->mappings);
	out->vmo_pages = atomic_long_read(&u->vmo_pages);
	out->refs = refcount_read(&u->ref);
}
EXPORT_SYMBOL_IF_KUNIT(mx_user_usage);
#endif

/**
 * mx_user_teardown() - module unload: nothing is charged any more
 */
void mx_user_teardown(void)
{
	struct mx_user *u;
	struct hlist_node *tmp;
	int bkt;

	hash_for_each_safe(mx_users, bkt, tmp, u, node) {
		WARN(1, "uid %u still has %u objects, %ld message bytes, %u handles in flight, %u watches, %u mappings\n",
		     __kuid_val(u->uid), atomic_read(&u->objects),
		     atomic_long_read(&u->message_bytes),
		     atomic_read(&u->inflight), atomic_read(&u->watches),
		     atomic_read(&u->mappings));
		hash_del(&u->node);
		kfree(u);
	}
	/* Entries freed before unload may still wait for a grace period. */
	rcu_barrier();
}
