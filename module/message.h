/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Channel messages: bytes plus handles in transit.
 */
#ifndef MX_MESSAGE_H
#define MX_MESSAGE_H

#include <linux/list.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/types.h>

struct mx_handle;
struct mx_user;

/**
 * struct mx_message - one message in a channel
 * @node: in an endpoint's queue (protected by the channel's link lock) or
 *	in the reaper's list
 * @gc_node: while queued, in the endpoint's list of messages that carry
 *	channel handles, if this one does (see channel_gc.c)
 * @num_bytes: size of the data, after @handles
 * @num_handles: handles carried, in transit: they belong to no process
 *	(invariant: the bytes are found after the handle slots)
 * @kcost: bytes of the message's own allocation, as charged (invariant)
 * @gc_handles: how many of @handles name channel endpoints (set when
 *	the message is queued)
 * @nr_pages: without inline data, how many pages are allocated
 * @data_inline: the bytes are right after @handles, in the same
 *	allocation (mx_message_data()); else in pages whose vector is there
 *	(mx_message_pages()) (invariant)
 * @owner: the mx process that allocated it, as an identity only, never
 *	dereferenced; NULL if unknown. A message kept for reuse (channel.c)
 *	goes only to a write of its owner, whose memory cgroup it is
 *	charged to.
 * @user: the user it is charged to (user.c), referenced; NULL if none
 * @handles: the handles
 */
struct mx_message {
	struct list_head node;
	struct list_head gc_node;
	u32 num_bytes;
	u16 num_handles;
	u16 kcost;
	/* Small fields, so that the head with 64 bytes fits in 128. */
	u8 gc_handles;
	u8 nr_pages;
	bool data_inline;
	const void *owner;
	struct mx_user *user;
	struct mx_handle *handles[];
};

/* The bytes of a message whose bytes are inline (small ones). */
static inline void *mx_message_data(struct mx_message *m)
{
	return &m->handles[m->num_handles];
}

/* The pages of a message whose bytes are not inline. */
static inline struct page **mx_message_pages(struct mx_message *m)
{
	return (struct page **)&m->handles[m->num_handles];
}

/**
 * mx_message_chunk() - where a message keeps some of its bytes
 * @m: the message
 * @off: an offset below @m->num_bytes
 * @len: out: how many bytes from @off are kept together there
 *
 * Return: the kernel address of byte @off.
 */
static inline void *mx_message_chunk(struct mx_message *m, u32 off, u32 *len)
{
	if (m->data_inline) {
		*len = m->num_bytes - off;
		return (char *)mx_message_data(m) + off;
	}
	*len = min_t(u32, m->num_bytes - off, PAGE_SIZE - off % PAGE_SIZE);
	return (char *)page_address(mx_message_pages(m)[off / PAGE_SIZE]) +
	       off % PAGE_SIZE;
}

/*
 * A message's transaction id: its first 4 bytes, 0 if it has fewer. A
 * reply to mx_channel_call() is recognised by it.
 */
static inline u32 mx_message_txid(struct mx_message *m)
{
	u32 txid = 0;

	if (m->num_bytes < sizeof(txid))
		return 0;
	if (m->data_inline)
		memcpy(&txid, mx_message_data(m), sizeof(txid));
	else
		memcpy(&txid, page_address(mx_message_pages(m)[0]),
		       sizeof(txid));
	return txid;
}

struct mx_message *mx_message_alloc(u32 num_bytes, u32 num_handles,
				     struct mx_user *user);
struct mx_message *mx_message_alloc_for(struct mx_user __rcu **cache,
					u32 num_bytes, u32 num_handles);
bool mx_message_can_hold(struct mx_message *m, u32 num_bytes);
void mx_message_free(struct mx_message *m);
void mx_message_release(struct mx_message *m);
void mx_message_reap(struct list_head *msgs);
void mx_message_flush(void);
void mx_message_teardown(void);

#endif /* MX_MESSAGE_H */
