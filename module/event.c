// SPDX-License-Identifier: GPL-2.0
/*
 * mx events: an object with nothing but a signal state, for one process or
 * thread to signal another.
 *
 * Locking (the order of all: docs/architecture.md): the signal state is
 * guarded by the object lock (object.c), the cookie by its jar's lock
 * (cookie.c); an event has no other state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "cookie.h"
#include "event.h"

struct mx_event {
	struct mx_object base;
	struct mx_cookie_jar jar;
};

static void mx_event_release(struct mx_object *obj)
{
	kfree(container_of(obj, struct mx_event, base));
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
	mx_cookie_jar_init(&e->jar);
	return &e->base;
}
EXPORT_SYMBOL_IF_KUNIT(mx_event_new);

/**
 * mx_event_cookie_jar() - an event's cookie jar
 * @obj: the event
 *
 * Return: the jar, which lives as long as @obj.
 */
struct mx_cookie_jar *mx_event_cookie_jar(struct mx_object *obj)
{
	return &container_of(obj, struct mx_event, base)->jar;
}
