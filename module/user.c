// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user accounting of mx objects.
 *
 * Every object made by a create call (events, event pairs, channels,
 * ports) is charged to the real uid of the caller, as RLIMIT_NPROC
 * counts tasks, and stays charged to it until it is freed, wherever its
 * handles have gone. A user with max_user_objects objects gets
 * MX_ERR_NO_RESOURCES from the next create call. Objects the module makes
 * on its own (mx processes, the root job) are not charged.
 *
 * Locking: mx_users_lock (spinlock, irqs off) protects the hash of users and each
 * user's count. A user's entry lives while it has objects charged: the
 * last uncharge removes and frees it. No other lock is taken under it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "object.h"

unsigned int mx_max_user_objects = 1048576;
module_param_named(max_user_objects, mx_max_user_objects, uint, 0644);
MODULE_PARM_DESC(max_user_objects,
		 "Most objects the processes of one user may have (0: none)");

/**
 * struct mx_user - the objects charged to one uid
 * @node: in mx_users (protected by mx_users_lock)
 * @uid: the real uid (invariant)
 * @objects: objects charged (protected by mx_users_lock)
 */
struct mx_user {
	struct hlist_node node;
	kuid_t uid;
	unsigned int objects;
};

static DEFINE_HASHTABLE(mx_users, 6);
static DEFINE_SPINLOCK(mx_users_lock);

static struct mx_user *mx_user_find_locked(kuid_t uid)
{
	struct mx_user *u;

	hash_for_each_possible(mx_users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			return u;
	return NULL;
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
	kuid_t uid = current_uid();
	struct mx_user *u, *new = NULL;
	int ret = 0;

	spin_lock_irq(&mx_users_lock);
	u = mx_user_find_locked(uid);
	if (!u) {
		spin_unlock_irq(&mx_users_lock);
		new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
		if (!new)
			return MX_ERR_NO_MEMORY;
		new->uid = uid;
		spin_lock_irq(&mx_users_lock);
		u = mx_user_find_locked(uid);
		if (!u) {
			hash_add(mx_users, &new->node, __kuid_val(uid));
			u = new;
			new = NULL;
		}
	}
	if (u->objects >= READ_ONCE(mx_max_user_objects)) {
		ret = MX_ERR_NO_RESOURCES;
		if (!u->objects) {
			hash_del(&u->node);
			new = u;
		}
	} else {
		u->objects++;
		obj->user = u;
	}
	spin_unlock_irq(&mx_users_lock);
	kfree(new);
	return ret;
}

/**
 * mx_user_uncharge() - give back what mx_user_charge() took
 * @obj: the object being freed (charged or not)
 *
 * Context: any context where the object may be freed.
 */
void mx_user_uncharge(struct mx_object *obj)
{
	struct mx_user *u = obj->user, *dead = NULL;
	unsigned long flags;

	if (!u)
		return;
	obj->user = NULL;
	spin_lock_irqsave(&mx_users_lock, flags);
	if (!--u->objects) {
		hash_del(&u->node);
		dead = u;
	}
	spin_unlock_irqrestore(&mx_users_lock, flags);
	kfree(dead);
}

/**
 * mx_user_exit() - module unload: no object is left, so no user either
 */
void mx_user_exit(void)
{
	struct mx_user *u;
	struct hlist_node *tmp;
	int bkt;

	hash_for_each_safe(mx_users, bkt, tmp, u, node) {
		WARN(1, "uid %u still has %u objects\n",
		     __kuid_val(u->uid), u->objects);
		hash_del(&u->node);
		kfree(u);
	}
}
