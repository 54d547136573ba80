/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MX_CHANNEL_H
#define MX_CHANNEL_H

#include "channel_gc.h"
#include "handle_table.h"
#include "message.h"
#include "object.h"

struct mx_waiter;

extern const struct mx_object_ops mx_channel_ops;

/*
 * Messages of at most this many bytes and no handles take the small
 * paths: mx_channel_send_small() and mx_channel_receive_small().
 */
#define MX_CHANNEL_SMALL_BYTES	256

/* A small path's answer: not for it, take the general path instead. */
#define MX_CHANNEL_SLOW		1

/**
 * struct mx_channel_caller - a thread in mx_channel_call() awaiting its reply
 * @node: in the calling endpoint's list of callers until settled, then
 *	empty (protected by the channel's link lock)
 * @txid: the transaction id the reply carries (invariant)
 * @waiter: settled (and so woken) when @status is set (invariant)
 * @status: once settled: 0 when @reply came, MX_ERR_PEER_CLOSED or
 *	MX_ERR_CANCELED (written under the link lock)
 * @reply: the reply, the caller's once settled
 */
struct mx_channel_caller {
	struct list_head node;
	u32 txid;
	struct mx_waiter *waiter;
	int status;
	struct mx_message *reply;
};

/**
 * struct mx_channel_read - one mx_channel_receive() in progress
 * @max_bytes: room for bytes in the reader's buffer
 * @max_handles: room for handles
 * @may_discard: MX_CHANNEL_READ_MAY_DISCARD
 * @num_bytes: out: size of the front message
 * @num_handles: out: its handle count
 * @msg: out: the message taken
 * @index: out: the reader's slots reserved for the handles
 * @values: out: the values the handles will have
 */
struct mx_channel_read {
	u32 max_bytes;
	u32 max_handles;
	bool may_discard;
	u32 num_bytes;
	u32 num_handles;
	struct mx_message *msg;
	u32 index[MX_CHANNEL_MAX_MSG_HANDLES];
	s32 values[MX_CHANNEL_MAX_MSG_HANDLES];
};

int mx_channel_alloc_pair(struct mx_object **ep0, struct mx_object **ep1);
int mx_channel_send(struct mx_handle_table *t, struct mx_object *obj,
		    struct mx_message *m, const s32 *values,
		    struct mx_channel_caller *c);
int mx_channel_send_small(struct mx_handle_table *t, s32 value,
			  const void *owner, struct mx_user __rcu **user,
			  const void *bytes, u32 num_bytes, u64 *koid);
int mx_channel_receive_small(struct mx_handle_table *t, s32 value, void *buf,
			     u32 max_bytes, u32 *num_bytes, u64 *koid);
int mx_channel_call_end(struct mx_object *obj, struct mx_channel_caller *c);
int mx_channel_receive(struct mx_handle_table *t, struct mx_object *obj,
		       struct mx_channel_read *r);
int mx_channel_receive_reply(struct mx_handle_table *t, struct mx_message *m,
			     struct mx_channel_read *r);
u64 mx_channel_queued_msgs(struct mx_object *obj);
void mx_channel_receive_finish(struct mx_handle_table *t,
			       struct mx_channel_read *r, bool ok);
struct mx_gc_entry *mx_channel_gc_entry(struct mx_object *obj);
bool mx_channel_gc_purge(struct mx_gc_entry *e, struct list_head *dead,
			 struct mx_message *last, int *budget);
u32 mx_channel_debug_queue(struct mx_object *obj, s32 via,
			   struct mx_debug_handle *out, u32 room, u32 *msgs,
			   u32 *handles);

#endif /* MX_CHANNEL_H */
