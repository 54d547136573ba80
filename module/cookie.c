// SPDX-License-Identifier: GPL-2.0
/*
 * Cookie jars: the one 64-bit value an event or an eventpair keeps for
 * whoever holds a handle to the scope object it was set with
 * (mx_object_set_cookie(), mx_object_get_cookie()).
 *
 * Locking (the order of all: docs/architecture.md): a jar is protected by
 * the lock of the object that owns it (object.c), taken here with nothing
 * nested inside it and never across a user access; eventpair.c
 * invalidates the surviving side's jar under that side's object lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mx.h>

#include "cookie.h"
#include "object.h"

/**
 * mx_cookie_set() - mx_object_set_cookie() on a jar
 * @obj: the object that owns @jar
 * @jar: the jar
 * @scope: koid of the caller's scope object (a user koid)
 * @cookie: the value
 *
 * The first set fixes the scope for the life of the object.
 *
 * Context: process context; takes @obj's lock.
 * Return: 0; MX_ERR_ACCESS_DENIED (set with another scope, or the jar was
 * invalidated).
 */
int mx_cookie_set(struct mx_object *obj, struct mx_cookie_jar *jar,
		  u64 scope, u64 cookie)
{
	int ret = 0;

	spin_lock(&obj->lock);
	if (jar->scope == MX_KOID_INVALID)
		jar->scope = scope;
	if (jar->scope == scope)
		jar->cookie = cookie;
	else
		ret = MX_ERR_ACCESS_DENIED;
	spin_unlock(&obj->lock);
	return ret;
}

/**
 * mx_cookie_get() - mx_object_get_cookie() on a jar
 * @obj: the object that owns @jar
 * @jar: the jar, or NULL if the object never had a cookie set
 * @scope: koid of the caller's scope object
 * @cookie: out: the value
 *
 * Context: process context; takes @obj's lock.
 * Return: 0; MX_ERR_ACCESS_DENIED (unset, another scope, or invalidated).
 */
int mx_cookie_get(struct mx_object *obj, struct mx_cookie_jar *jar,
		  u64 scope, u64 *cookie)
{
	int ret = MX_ERR_ACCESS_DENIED;

	if (!jar)
		return ret;
	spin_lock(&obj->lock);
	if (jar->scope != MX_KOID_INVALID && jar->scope == scope) {
		*cookie = jar->cookie;
		ret = 0;
	}
	spin_unlock(&obj->lock);
	return ret;
}

/**
 * mx_cookie_invalidate_locked() - make the jar unreachable for good
 * @obj: the object that owns @jar
 * @jar: the jar
 *
 * The scope becomes the kernel's koid, which no user scope has: every
 * later get and set is refused.
 *
 * Context: @obj's lock is held.
 */
void mx_cookie_invalidate_locked(struct mx_object *obj,
				 struct mx_cookie_jar *jar)
{
	lockdep_assert_held(&obj->lock);
	jar->scope = MX_KOID_KERNEL;
	jar->cookie = 0;
}
