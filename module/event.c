// SPDX-License-Identifier: GPL-2.0
/*
 * mx events: an object with nothing but a signal state, for one process or
 * thread to signal another.
 *
 * Locking (the order of all: docs/architecture.md): the signal state is
 * guarded by the object lock (object.c); an event has no other state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "event.h"

struct mx_event {
	struct mx_object base;
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
	return &e->base;
}
EXPORT_SYMBOL_IF_KUNIT(mx_event_new);
