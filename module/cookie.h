/* SPDX-License-Identifier: GPL-2.0 */
/* Cookie jars of events and eventpairs (cookie.c). */
#ifndef MX_COOKIE_H
#define MX_COOKIE_H

#include <linux/types.h>

struct mx_object;

/**
 * struct mx_cookie_jar - one 64-bit value kept for the holder of a scope
 * @scope: koid of the scope object the cookie was set with;
 *	MX_KOID_INVALID (0, as zeroed memory) while unset, MX_KOID_KERNEL
 *	once invalidated
 * @cookie: the value
 *
 * Both are protected by the lock of the object that owns the jar.
 */
struct mx_cookie_jar {
	u64 scope;
	u64 cookie;
};

int mx_cookie_set(struct mx_object *obj, struct mx_cookie_jar *jar,
		  u64 scope, u64 cookie);
int mx_cookie_get(struct mx_object *obj, struct mx_cookie_jar *jar,
		  u64 scope, u64 *cookie);
void mx_cookie_invalidate_locked(struct mx_object *obj,
				 struct mx_cookie_jar *jar);

struct mx_cookie_jar *mx_event_cookie_jar(struct mx_object *obj, bool make);
struct mx_cookie_jar *mx_eventpair_cookie_jar(struct mx_object *obj);

#endif /* MX_COOKIE_H */
