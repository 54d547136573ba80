/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The collector of unreachable channel cycles. See channel_gc.c for the
 * algorithm and the locking rules.
 */
#ifndef MX_CHANNEL_GC_H
#define MX_CHANNEL_GC_H

#include <linux/list.h>
#include <linux/types.h>

#include "compat.h"

struct dentry;
struct mx_message;
struct mx_object;

/**
 * struct mx_gc_entry - what the collector knows of one channel endpoint
 * @obj: the endpoint (invariant)
 * @msgs: the messages queued at this endpoint that carry channel handles,
 *	in queue order, through their @gc_node (changed with
 *	mx_gc_state_lock and the channel's link lock both held, so either
 *	lock is enough to read it)
 * @node: in the list of endpoints in flight while @inflight is not zero,
 *	or in one of a pass's lists (mx_gc_state_lock)
 * @inflight: handles to this endpoint queued in channels
 *	(mx_gc_state_lock)
 * @refs: a pass's count of @inflight not explained by candidates
 *	(mx_gc_state_lock)
 * @dequeued: messages taken out of @msgs, ever (mx_gc_state_lock)
 * @pass: the pass @refs and @flags are of (mx_gc_state_lock)
 * @flags: MX_GC_* of that pass (mx_gc_state_lock)
 */
struct mx_gc_entry {
	struct mx_object *obj;
	struct list_head msgs;
	struct list_head node;
	unsigned long inflight;
	unsigned long refs;
	unsigned long dequeued;
	unsigned long pass;
	unsigned int flags;
};

void mx_gc_lock(void);
void mx_gc_unlock(void);
void mx_gc_entry_init(struct mx_gc_entry *e, struct mx_object *obj);
void mx_gc_queued(struct mx_gc_entry *e, struct mx_message *m);
void mx_gc_dequeued(struct mx_gc_entry *e, struct mx_message *m);
void mx_gc_dequeued_all(struct mx_gc_entry *e);
void mx_gc_handle_closed(struct mx_gc_entry *e);
void mx_gc_quiesce(void);
int mx_gc_setup(void);
void mx_gc_teardown(void);

#ifdef MX_KUNIT_VISIBILITY
unsigned long mx_gc_collect(void);
void mx_gc_counts(unsigned long *endpoints, unsigned long *handles,
		  u64 *collected);
#endif

#endif /* MX_CHANNEL_GC_H */
