// SPDX-License-Identifier: GPL-2.0
/*
 * Cookie jars: the one 64-bit value an event or an eventpair keeps for
 * whoever holds a handle to the scope object it was set with
 * (mx_object_set_cookie(), mx_object_get_cookie()).
 *
 * Locking (the order of all: docs/architecture.md): a jar's lock guards
 * its scope and value; it is a leaf, taken under an eventpair's link lock
 * (eventpair.c invalidates the surviving side's jar) and never held
 * across a user access.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mx.h>

#include "cookie.h"
#include "object.h"

/**
 * mx_cookie_jar_init() - an empty jar
 * @jar: the jar, not yet published
 */
void mx_cookie_jar_init(struct mx_cookie_jar *jar)
{
	spin_lock_init(&jar->lock);
	jar->scope = MX_KOID_INVALID;
	jar->cookie = 0;
}

/**
 * mx_cookie_set() - mx_object_set_cookie() on a jar
 * @jar: the jar
 * @scope: koid of the caller's scope object (a user koid)
 * @cookie: the value
 *
 * The first set fixes the scope for the life of the object.
 *
 * Context: any; takes the jar's lock.
 * Return: 0; MX_ERR_ACCESS_DENIED (set with another scope, or the jar was
 * invalidated).
 */
int mx_cookie_set(struct mx_cookie_jar *jar, u64 scope, u64 cookie)
{
	int ret = 0;

	spin_lock(&jar->lock);
	if (jar->scope == MX_KOID_INVALID)
		jar->scope = scope;
	if (jar->scope == scope)
		jar->cookie = cookie;
	else
		ret = MX_ERR_ACCESS_DENIED;
	spin_unlock(&jar->lock);
	return ret;
}

/**
 * mx_cookie_get() - mx_object_get_cookie() on a jar
 * @jar: the jar
 * @scope: koid of the caller's scope object
 * @cookie: out: the value
 *
 * Context: any; takes the jar's lock.
 * Return: 0; MX_ERR_ACCESS_DENIED (unset, another scope, or invalidated).
 */
int mx_cookie_get(struct mx_cookie_jar *jar, u64 scope, u64 *cookie)
{
	int ret = 0;

	spin_lock(&jar->lock);
	if (jar->scope != MX_KOID_INVALID && jar->scope == scope)
		*cookie = jar->cookie;
	else
		ret = MX_ERR_ACCESS_DENIED;
	spin_unlock(&jar->lock);
	return ret;
}

/**
 * mx_cookie_jar_invalidate() - make the jar unreachable for good
 * @jar: the jar
 *
 * The scope becomes the kernel's koid, which no user scope has: every
 * later get and set is refused.
 *
 * Context: any; takes the jar's lock.
 */
void mx_cookie_jar_invalidate(struct mx_cookie_jar *jar)
{
	spin_lock(&jar->lock);
	jar->scope = MX_KOID_KERNEL;
	jar->cookie = 0;
	spin_unlock(&jar->lock);
}
