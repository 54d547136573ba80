/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mx kernel objects: the part common to every type (koid, reference count,
 * handle count, signal state and the observers waiting on it) and handles.
 *
 * See object.c for the locking rules.
 */
#ifndef MX_OBJECT_H
#define MX_OBJECT_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/mx.h>

#include "compat.h"

struct mx_object;
struct mx_handle;
struct mx_observer;
struct mx_user;

/**
 * struct mx_object_ops - what distinguishes one object type from another
 * @type: MX_OBJ_TYPE_*
 * @name: type name for messages and debugfs
 * @default_rights: rights of the first handle
 * @waitable: has a signal state (MX_OBJ_PROP_WAITABLE)
 * @user_signals: bits mx_object_signal() and _signal_peer() may change
 * @has_peer: mx_object_signal_peer() is meaningful for this type
 * @on_zero_handles: the last handle went away (optional). Called without
 *	any mx lock held; the object is still referenced.
 * @on_handle_close: a handle was closed (optional). Called after
 *	@on_zero_handles if that ran, without any mx lock held; the object
 *	is still referenced.
 * @release: free the object; called when the last reference is dropped
 * @related_koid: koid for MX_INFO_HANDLE_BASIC.related_koid (optional)
 * @signal_peer: apply masks to the peer's state (needed when @has_peer);
 *	returns an mx status
 * @get_name: copy the name (MX_MAX_NAME_LEN bytes) (optional)
 * @set_name: set the name (optional; without it the type has no name)
 * @kill: mx_task_kill() (tasks only): 0 or an MX_ERR_* status
 */
struct mx_object_ops {
	u32 type;
	const char *name;
	u32 default_rights;
	bool waitable;
	u32 user_signals;
	bool has_peer;
	void (*on_zero_handles)(struct mx_object *obj);
	void (*on_handle_close)(struct mx_object *obj);
	void (*release)(struct mx_object *obj);
	u64 (*related_koid)(struct mx_object *obj);
	int (*signal_peer)(struct mx_object *obj, u32 clear, u32 set);
	void (*get_name)(struct mx_object *obj, char *name);
	void (*set_name)(struct mx_object *obj, const char *name);
	int (*kill)(struct mx_object *obj);
};

/**
 * struct mx_object - the common head of every mx kernel object
 * @ops: the type (invariant after init)
 * @koid: kernel object id, unique for the life of the module (invariant)
 * @ref: references: every handle holds one, so does every in-flight
 *	operation that looked the object up
 * @handle_count: handles naming the object, in tables or in transit
 *	(protected by @lock)
 * @lock: protects @signals, @observers, @handle_count
 * @signals: current signal state (written under @lock; read without it by
 *	mx_object_signals())
 * @observers: struct mx_observer waiting on @signals, newest first, the
 *	order in which they are notified (protected by @lock)
 * @user: the user the object is charged to, or NULL (user.c; set once
 *	before the object is published)
 */
struct mx_object {
	const struct mx_object_ops *ops;
	u64 koid;
	struct kref ref;
	u32 handle_count;
	spinlock_t lock;
	u32 signals;
	struct list_head observers;
	struct mx_user *user;
};

/**
 * struct mx_observer - one watcher of an object's signal state
 * @node: in mx_object.observers (protected by the object's lock)
 * @handle: the handle the watch was made through; closing that handle
 *	cancels the watch. Used only as an identity, never dereferenced.
 * @watched: the signals that satisfy the watch
 * @observed: every state seen since the watch began, accumulated
 *	(protected by the object's lock)
 * @notify: called under the object's lock on every state change and on
 *	cancellation (@cancelled set first)
 * @cancelled: the handle was closed (protected by the object's lock)
 * @async: a port registration (mx_object_wait_async()), which also ends
 *	when its handle is written into a channel
 */
struct mx_observer {
	struct list_head node;
	const struct mx_handle *handle;
	u32 watched;
	u32 observed;
	void (*notify)(struct mx_observer *obs, u32 state);
	bool cancelled;
	bool async;
};

/**
 * struct mx_handle - a reference to an object with rights
 * @obj: the object; the handle holds one reference (invariant)
 * @rights: MX_RIGHT_* (invariant: rights never change)
 * @type: @obj's MX_OBJ_TYPE_* (invariant), for lookups that may not
 *	dereference @obj (handle_table.c)
 * @node: free for the holder's use (message lists of handles in transit)
 * @async_id: the handle's identity for the port registrations made through
 *	it (port.c), which mx_port_cancel() matches after the handle is
 *	gone from the object's observers; 0 until the first. Never reused,
 *	unlike the handle's memory. Written under the lock of the table
 *	holding the handle.
 *
 * Handles come from a SLAB_TYPESAFE_BY_RCU cache: the memory of a freed
 * handle stays a handle's until a grace period has passed.
 */
struct mx_handle {
	struct mx_object *obj;
	u32 rights;
	u32 type;
	struct list_head node;
	u64 async_id;
};

int mx_object_setup(void);
void mx_object_teardown(void);

void mx_object_init(struct mx_object *obj, const struct mx_object_ops *ops,
		    u32 initial_signals);

static inline void mx_object_get(struct mx_object *obj)
{
	kref_get(&obj->ref);
}

void mx_object_put(struct mx_object *obj);

void mx_object_update_signals_locked(struct mx_object *obj, u32 clear,
				     u32 set);
void mx_object_update_signals(struct mx_object *obj, u32 clear, u32 set);
int mx_peer_signal(struct mx_object *peer, u32 clear, u32 set);

/**
 * mx_object_signals() - the current signal state
 * @obj: the object, referenced or kept alive by a held handle table lock
 *
 * Lockless: the state of some instant during the call (see the locking
 * rules in object.c).
 *
 * Context: any.
 */
static inline u32 mx_object_signals(struct mx_object *obj)
{
	return READ_ONCE(obj->signals);
}

void mx_object_add_observer(struct mx_object *obj, struct mx_observer *obs);
void mx_object_add_observer_locked(struct mx_object *obj,
				   struct mx_observer *obs);
u32 mx_object_remove_observer(struct mx_object *obj, struct mx_observer *obs);
void mx_object_move_observer(struct mx_object *obj, struct mx_observer *from,
			     struct mx_observer *to);

struct mx_handle *mx_handle_alloc(struct mx_object *obj, u32 rights);
void mx_handle_free(struct mx_handle *h);
void mx_handle_count_inc(struct mx_handle *h);
void mx_handle_destroy(struct mx_handle *h);
void mx_handle_retire(struct mx_handle *h);
void mx_handle_cancel_waits(struct mx_handle *h);
void mx_handle_cancel_async(struct mx_handle *h);

int mx_rights_reduce(u32 have, u32 want, u32 *out);


/* Kernel-side status convention: 0 for MX_OK, a negative MX_ERR_* else. */

#endif /* MX_OBJECT_H */
