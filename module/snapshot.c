// SPDX-License-Identifier: GPL-2.0
/*
 * A snapshot of a process's handles, for debuggers (MX_IOC_DEBUG_LIST_HANDLES
 * and MX_INFO_HANDLE_TABLE): a record per handle of its table, followed by
 * a record per handle in transit in the messages queued at the channel
 * endpoints it holds (one level: the queues of endpoints that are
 * themselves in transit are not walked).
 *
 * Locking (the order of all: docs/architecture.md): the process's handle
 * table lock, then (for each channel endpoint in it) the channel's link
 * lock, the order every channel write uses. Nothing sleeps under them: the
 * records go to a kernel buffer, which the caller copies out.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "channel.h"
#include "process.h"
#include "snapshot.h"

/* Where mx_snapshot_collect() is, between two handles of the table. */
struct mx_snapshot_walk {
	struct mx_debug_handle *out;
	u32 room;
	u32 n;		/* records written */
	u32 k;		/* handles of the table seen */
	u32 in_transit;
};

/* First pass: a record per handle of the table. */
static void mx_snapshot_handle(s32 value, struct mx_handle *h, void *ctx)
{
	struct mx_snapshot_walk *w = ctx;
	struct mx_object *o = h->obj;
	struct mx_debug_handle *d;

	if (w->n >= w->room)
		return;
	d = &w->out[w->n++];
	memset(d, 0, sizeof(*d));
	d->value = value;
	d->koid = o->koid;
	d->related_koid = o->ops->related_koid ? o->ops->related_koid(o) : 0;
	d->type = o->ops->type;
	d->rights = h->rights;
}

/*
 * Second pass, in the same order (the k-th handle is the k-th record): the
 * handles in transit at each channel endpoint, and their counts.
 */
static void mx_snapshot_queue(s32 value, struct mx_handle *h, void *ctx)
{
	struct mx_snapshot_walk *w = ctx;
	u32 msgs, handles;

	w->k++;
	if (h->obj->ops != &mx_channel_ops)
		return;
	w->n += mx_channel_debug_queue(h->obj, value,
				       w->out ? w->out + w->n : NULL,
				       w->room - w->n, &msgs, &handles);
	w->in_transit += handles;
	if (w->k <= w->room) {
		w->out[w->k - 1].queued_msgs = msgs;
		w->out[w->k - 1].queued_handles = handles;
	}
}

/*
 * Fill @out with up to @room records of @t's table, then of the handles in
 * transit at its endpoints. Return: the records there are; @info's
 * counters are filled in.
 */
static u32 mx_snapshot_collect(struct mx_process *t, struct mx_debug_handle *out,
			       u32 room, struct mx_debug_process *info,
			       u32 *written)
{
	struct mx_snapshot_walk w = { .out = out, .room = room };
	u32 total;

	mx_ht_lock(&t->table);
	total = mx_ht_iterate_locked(&t->table, mx_snapshot_handle, &w);
	mx_ht_iterate_locked(&t->table, mx_snapshot_queue, &w);
	mx_ht_unlock(&t->table);
	info->handles = total;
	info->in_transit = w.in_transit;
	*written = w.n;
	return total + w.in_transit;
}

/**
 * mx_debug_snapshot() - a snapshot of a process's handles
 * @t: the process
 * @max: most records wanted
 * @buf: out: the records (kvfree() them), NULL if none were written
 * @written: out: records in @buf
 * @avail: out: records there were
 * @info: out: the process itself
 *
 * Taken under @t's table lock, as the top of this file says.
 *
 * Return: 0; MX_ERR_BAD_STATE (@t has exited), MX_ERR_NO_MEMORY.
 */
int mx_debug_snapshot(struct mx_process *t, u32 max,
		      struct mx_debug_handle **buf, u32 *written, u32 *avail,
		      struct mx_debug_process *info)
{
	u32 room = 0;

	memset(info, 0, sizeof(*info));
	*buf = NULL;
	spin_lock(&t->task_lock);
	info->dead = t->state == MX_PROCESS_DEAD;
	spin_unlock(&t->task_lock);
	if (info->dead)
		return MX_ERR_BAD_STATE;

	/* Size the buffer from a first count; the table may grow meanwhile. */
	if (max) {
		*avail = mx_snapshot_collect(t, NULL, 0, info, written);
		room = min(max, *avail);
	}
	if (room) {
		*buf = kvcalloc(room, sizeof(**buf), GFP_KERNEL_ACCOUNT);
		if (!*buf)
			return MX_ERR_NO_MEMORY;
	}
	*avail = mx_snapshot_collect(t, *buf, room, info, written);

	info->koid = t->base.koid;
	info->pid = pid_vnr(t->tgid);
	t->base.ops->get_name(&t->base, info->name);
	info->name[MX_MAX_NAME_LEN - 1] = '\0';
	return 0;
}

