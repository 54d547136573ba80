// SPDX-License-Identifier: GPL-2.0
/*
 * ioctls of cookies: mx_object_set_cookie(), mx_object_get_cookie().
 *
 * Locking (the order of all: docs/architecture.md): none of its own; the
 * object lock that guards a jar (cookie.c) is held only inside
 * mx_cookie_set()/_get(), never across the copy to the user.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/uaccess.h>

#include "cookie.h"
#include "event.h"
#include "eventpair.h"
#include "handle_table.h"
#include "ioctl.h"
#include "process.h"

/*
 * Only events and eventpairs have a jar; an event makes its own at the
 * first set (@make).
 */
static struct mx_cookie_jar *mx_cookie_jar_of(struct mx_object *obj,
					      bool make)
{
	if (obj->ops == &mx_event_ops)
		return mx_event_cookie_jar(obj, make);
	return mx_eventpair_cookie_jar(obj);
}

/*
 * Magenta's order: the scope (any object; only its koid counts), then the
 * handle (no right needed), then whether the object has a jar. @obj gets
 * a reference the caller puts.
 */
static int mx_cookie_target(struct mx_process *p,
			    const struct mx_ioc_cookie *a, u64 *scope,
			    struct mx_object **obj)
{
	struct mx_object *s;
	int ret;

	ret = mx_ht_get(&p->table, a->scope, 0, NULL, &s, NULL);
	if (ret)
		return ret;
	*scope = s->koid;
	mx_object_put(s);
	ret = mx_ht_get(&p->table, a->handle, 0, NULL, obj, NULL);
	if (ret)
		return ret;
	if ((*obj)->ops != &mx_event_ops && (*obj)->ops != &mx_eventpair_ops) {
		mx_object_put(*obj);
		return MX_ERR_NOT_SUPPORTED;
	}
	return 0;
}

/**
 * mx_ioc_object_set_cookie() - MX_IOC_OBJECT_SET_COOKIE:
 * mx_object_set_cookie()
 * @p: the calling process
 * @uarg: struct mx_ioc_cookie, @cookie the value
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (arguments unreadable),
 * MX_ERR_BAD_HANDLE (the scope, then the handle), MX_ERR_NOT_SUPPORTED
 * (no jar), MX_ERR_ACCESS_DENIED (another scope's, or invalidated),
 * MX_ERR_NO_MEMORY (an event's first cookie: its jar not allocated).
 */
long mx_ioc_object_set_cookie(struct mx_process *p, void __user *uarg)
{
	struct mx_cookie_jar *jar;
	struct mx_ioc_cookie a;
	struct mx_object *obj;
	u64 scope;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	ret = mx_cookie_target(p, &a, &scope, &obj);
	if (ret)
		return ret;
	jar = mx_cookie_jar_of(obj, true);
	if (IS_ERR(jar))
		ret = MX_ERR_NO_MEMORY;
	else
		ret = mx_cookie_set(obj, jar, scope, a.cookie);
	mx_object_put(obj);
	return ret;
}

/**
 * mx_ioc_object_get_cookie() - MX_IOC_OBJECT_GET_COOKIE:
 * mx_object_get_cookie()
 * @p: the calling process
 * @uarg: struct mx_ioc_cookie, @cookie the address of the value
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (arguments unreadable, or the value
 * unwritable), MX_ERR_BAD_HANDLE, MX_ERR_NOT_SUPPORTED,
 * MX_ERR_ACCESS_DENIED (unset, another scope's, or invalidated).
 */
long mx_ioc_object_get_cookie(struct mx_process *p, void __user *uarg)
{
	struct mx_cookie_jar *jar;
	struct mx_ioc_cookie a;
	struct mx_object *obj;
	u64 scope, cookie;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	ret = mx_cookie_target(p, &a, &scope, &obj);
	if (ret)
		return ret;
	jar = mx_cookie_jar_of(obj, false);
	ret = mx_cookie_get(obj, jar, scope, &cookie);
	mx_object_put(obj);
	if (!ret && put_user(cookie, (u64 __user *)u64_to_user_ptr(a.cookie)))
		ret = MX_ERR_INVALID_ARGS;
	return ret;
}
