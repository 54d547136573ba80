// SPDX-License-Identifier: GPL-2.0
/*
 * Channel messages and the reaper of messages left in dead endpoints.
 *
 * A message is one allocation (header, handle pointers, then the bytes)
 * when that fits in a page; else the header, the handle pointers and a
 * vector of pages, and the bytes in those pages, as a pipe keeps them:
 * a 64 KiB message takes 64 KiB (not the 128 KiB of a power-of-two
 * allocation of 64 KiB plus a header), and it never needs memory that is
 * contiguous, which a long-running system may have to compact, or map in
 * vmalloc space for every message.
 * Either way it is copied in once (from the writer) and out once (to the
 * reader); a small one without handles passes through a buffer on the
 * stack both ways instead (channel.c). It is charged to the memory cgroup
 * of the writer that allocated it and to the writer's user (user.c: the
 * per-user bounds on message memory and on handles in flight, checked
 * before anything is allocated), and a small one read out may be kept
 * at its endpoint for that same writer's next message. It may fail rather
 * than invoke the OOM killer (__GFP_RETRY_MAYFAIL): a writer over its
 * cgroup's limit gets MX_ERR_NO_MEMORY and nothing else is killed for it.
 * Handles in a message are live (counted) but belong to no process.
 *
 * When an endpoint loses its last handle, the messages still queued in it
 * are handed to the reaper, which closes their handles from a work item.
 * Closing those handles can free more endpoints with queues of their own;
 * those are appended to the same list and handled by the same loop, so a
 * chain of channels nested in messages is unwound iteratively, never by
 * recursion on the kernel stack (Magenta also reaps them asynchronously).
 *
 * Locking (the order of all: docs/architecture.md): mx_reap_lock protects
 * mx_reap_list; it nests inside any other lock (it is taken under a
 * channel link lock) and nothing is taken under it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "message.h"
#include "object.h"
#include "user.h"

static LIST_HEAD(mx_reap_list);
static DEFINE_SPINLOCK(mx_reap_lock);
static void mx_message_reap_work(struct work_struct *work);
static DECLARE_WORK(mx_reap_work, mx_message_reap_work);

/* The size of the allocation of a message's head (and inline bytes). */
static size_t mx_message_head_size(u32 num_bytes, u32 num_handles,
				   bool *inline_data)
{
	size_t head = struct_size_t(struct mx_message, handles, num_handles);

	*inline_data = head + num_bytes <= PAGE_SIZE;
	/*
	 * The whole bucket, so that a message kept for reuse can take any
	 * bytes that fit in it (mx_message_can_hold()).
	 */
	if (*inline_data)
		return kmalloc_size_roundup(head + num_bytes);
	return kmalloc_size_roundup(head + DIV_ROUND_UP(num_bytes, PAGE_SIZE) *
				    sizeof(struct page *));
}

/* What a message costs its user: its allocation and its pages. */
static size_t mx_message_cost(struct mx_message *m)
{
	return m->kcost + (size_t)m->nr_pages * PAGE_SIZE;
}

/**
 * mx_message_alloc() - a message with room for bytes and handles
 * @num_bytes: data size
 * @num_handles: handle count
 * @user: the writer's user, charged for the message's memory and handles
 *	(user.c); NULL to charge nobody
 *
 * Return: the message (handles not yet filled in); ERR_PTR() of
 * MX_ERR_NO_RESOURCES (the user's limits) or MX_ERR_NO_MEMORY.
 */
struct mx_message *mx_message_alloc(u32 num_bytes, u32 num_handles,
				    struct mx_user *user)
{
	const gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL |
			  __GFP_NOWARN;
	u32 nr_pages = 0;
	struct mx_message *m;
	bool inline_data;
	size_t size;
	int ret;

	size = mx_message_head_size(num_bytes, num_handles, &inline_data);
	if (!inline_data)
		nr_pages = DIV_ROUND_UP(num_bytes, PAGE_SIZE);
	/* Charged first: a user at its limit allocates nothing. */
	if (user) {
		ret = mx_user_charge_message(user,
					     size + (size_t)nr_pages * PAGE_SIZE,
					     num_handles);
		if (ret)
			return ERR_PTR(ret);
	}
	m = kmalloc(size, gfp);
	if (!m)
		goto out_uncharge;
	m->data_inline = inline_data;
	m->num_handles = num_handles;
	m->kcost = size;
	m->nr_pages = 0;
	m->user = NULL;
	for (; m->nr_pages < nr_pages; m->nr_pages++) {
		mx_message_pages(m)[m->nr_pages] = alloc_page(gfp);
		if (!mx_message_pages(m)[m->nr_pages])
			goto out_free;
	}
	INIT_LIST_HEAD(&m->node);
	INIT_LIST_HEAD(&m->gc_node);
	m->num_bytes = num_bytes;
	m->gc_handles = 0;
	m->owner = NULL;
	m->user = user;
	return m;

out_free:
	mx_message_release(m);
out_uncharge:
	if (user)
		mx_user_uncharge_message(user,
					 size + (size_t)nr_pages * PAGE_SIZE,
					 num_handles);
	return ERR_PTR(MX_ERR_NO_MEMORY);
}
EXPORT_SYMBOL_IF_KUNIT(mx_message_alloc);

/**
 * mx_message_alloc_for() - mx_message_alloc() charged to the calling user
 * @cache: the calling process's cached user (mx_user_cached())
 * @num_bytes: data size
 * @num_handles: handle count
 *
 * Context: process context, no mx lock held.
 * Return: as mx_message_alloc().
 */
struct mx_message *mx_message_alloc_for(struct mx_user __rcu **cache,
					u32 num_bytes, u32 num_handles)
{
	struct mx_user *user = mx_user_cached(cache);
	struct mx_message *m;

	if (!user)
		return ERR_PTR(MX_ERR_NO_MEMORY);
	m = mx_message_alloc(num_bytes, num_handles, user);
	mx_user_put(user);
	return m;
}

/**
 * mx_message_can_hold() - may a message with no handles be reused for bytes
 * @m: a message that carries no handle
 * @num_bytes: the bytes it would carry
 *
 * Return: true if @m's data is inline and its allocation has room.
 */
bool mx_message_can_hold(struct mx_message *m, u32 num_bytes)
{
	size_t head = struct_size(m, handles, 0);

	return m->data_inline && !m->num_handles && head + num_bytes <= m->kcost;
}
EXPORT_SYMBOL_IF_KUNIT(mx_message_can_hold);

/**
 * mx_message_free() - close the handles a message carries and free it
 * @m: the message, in no list
 *
 * Context: process context, no mx lock held.
 */
void mx_message_free(struct mx_message *m)
{
	u32 i;

	for (i = 0; i < m->num_handles; i++)
		mx_handle_destroy(m->handles[i]);
	mx_message_release(m);
}
EXPORT_SYMBOL_IF_KUNIT(mx_message_free);

/**
 * mx_message_release() - free a message whose handles went elsewhere
 * @m: the message, in no list; its handles now belong to someone else
 */
void mx_message_release(struct mx_message *m)
{
	struct mx_user *user = m->user;
	size_t cost = mx_message_cost(m);
	u32 handles = m->num_handles;
	u32 i;

	for (i = 0; i < m->nr_pages; i++)
		__free_page(mx_message_pages(m)[i]);
	kfree(m);
	if (user)
		mx_user_uncharge_message(user, cost, handles);
}
EXPORT_SYMBOL_IF_KUNIT(mx_message_release);

/**
 * mx_message_reap() - free messages later, from the reaper
 * @msgs: a list of messages; it is emptied
 *
 * Context: any; may be called under a channel link lock.
 */
void mx_message_reap(struct list_head *msgs)
{
	unsigned long flags;

	if (list_empty(msgs))
		return;
	spin_lock_irqsave(&mx_reap_lock, flags);
	list_splice_tail_init(msgs, &mx_reap_list);
	spin_unlock_irqrestore(&mx_reap_lock, flags);
	schedule_work(&mx_reap_work);
}
EXPORT_SYMBOL_IF_KUNIT(mx_message_reap);

static void mx_message_reap_work(struct work_struct *work)
{
	struct mx_message *m;

	for (;;) {
		spin_lock_irq(&mx_reap_lock);
		m = list_first_entry_or_null(&mx_reap_list, struct mx_message,
					     node);
		if (m)
			list_del_init(&m->node);
		spin_unlock_irq(&mx_reap_lock);
		if (!m)
			break;
		mx_message_free(m);
		cond_resched();
	}
}

/**
 * mx_message_flush() - wait until the reaper has freed what it was given
 *
 * Context: process context, no mx lock held.
 */
void mx_message_flush(void)
{
	flush_work(&mx_reap_work);
}
EXPORT_SYMBOL_IF_KUNIT(mx_message_flush);

/* Module unload: nothing can queue more; finish what is queued. */
void mx_message_teardown(void)
{
	flush_work(&mx_reap_work);
	WARN_ON_ONCE(!list_empty(&mx_reap_list));
}
