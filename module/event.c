// SPDX-License-Identifier: GPL-2.0
/*
 * mx events: an object with nothing but a signal state, for one process or
 * thread to signal another.
 *
 * Locking (the order of all: docs/architecture.md): the signal state and
 * the cookie are guarded by the object lock (object.c); the cookie jar
 * pointer is set once, by a compare-and-exchange.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "cookie.h"
#include "event.h"

/**
 * struct mx_event - an event
 * @base: common object head
 * @jar: the cookie jar, made by the first mx_object_set_cookie() (set
 *	once; its contents are protected by @base.lock). Not embedded:
 *	an event without a cookie stays within a 64-byte allocation.
 */
struct mx_event {
	struct mx_object base;
	struct mx_cookie_jar *jar;
};

static void mx_event_release(struct mx_object *obj)
{
	struct mx_event *e = container_of(obj, struct mx_event, base);

	kfree(e->jar);
	kfree(e);
}

const struct mx_object_ops mx_event_ops = {
	.type = MX_OBJ_TYPE_EVENT,
	.name = "event",
	.default_rights = MX_DEFAULT_EVENT_RIGHTS,
	.waitable = true,
	.user_signals = MX_EVENT_SIGNAL_MASK,
	.release = mx_event_release,
};

/**
 * mx_event_new() - a new event
 *
 * Return: the event with one reference and no handle, or NULL.
 */
struct mx_object *mx_event_new(void)
{
	struct mx_event *e;

	e = kzalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
	if (!e)
		return NULL;
	mx_object_init(&e->base, &mx_event_ops, 0);
	return &e->base;
}
EXPORT_SYMBOL_IF_KUNIT(mx_event_new);

/**
 * mx_event_cookie_jar() - an event's cookie jar
 * @obj: the event
 * @make: make the jar if the event has none yet
 *
 * Context: process context; may sleep when @make.
 * Return: the jar, which lives as long as @obj; NULL if it has none and
 * !@make; ERR_PTR(-ENOMEM).
 */
struct mx_cookie_jar *mx_event_cookie_jar(struct mx_object *obj, bool make)
{
	struct mx_event *e = container_of(obj, struct mx_event, base);
	struct mx_cookie_jar *jar, *old;

	/* Pairs with the cmpxchg() below: a jar seen is a zeroed jar. */
	jar = smp_load_acquire(&e->jar);
	if (jar || !make)
		return jar;
	jar = kzalloc(sizeof(*jar), GFP_KERNEL_ACCOUNT);
	if (!jar)
		return ERR_PTR(-ENOMEM);
	/* A full barrier: the zeroing is visible before the pointer. */
	old = cmpxchg(&e->jar, NULL, jar);
	if (old) {
		kfree(jar);
		jar = old;
	}
	return jar;
}
