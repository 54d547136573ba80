// SPDX-License-Identifier: GPL-2.0
/*
 * Debugger access to another process's handles: list its handle table
 * (with the handles in transit in the channels it holds) and copy a handle
 * out of it into the caller's table.
 *
 * Who may: the target is named by a process handle with MX_RIGHT_ENUMERATE
 * (list) or MX_RIGHT_ENUMERATE | MX_RIGHT_DESTROY (copy), as Magenta gates
 * such access with rights on the process handle; or by pid, for a caller
 * with CAP_SYS_PTRACE in the target's user namespace (ptrace_may_access()
 * is not exported to modules; sharing the target's uid is not enough).
 * The capability is checked before the module says whether the pid uses
 * mx at all, so an unprivileged caller learns nothing from the errors.
 *
 * Locking: the target's handle table lock, then (for each channel endpoint
 * in it) the channel's link lock, the order every channel write uses; the
 * caller's own table is locked only after the target's is released, so the
 * target may be the caller itself. Nothing sleeps under them: the records
 * are gathered into a kernel buffer and copied out afterwards.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "channel.h"
#include "ioctl.h"
#include "mx_trace.h"
#include "process.h"
#include "process_end.h"

#define MX_DEBUG_LIST_RIGHTS	MX_RIGHT_ENUMERATE
#define MX_DEBUG_COPY_RIGHTS	(MX_RIGHT_ENUMERATE | MX_RIGHT_DESTROY)

/* The process of thread group @nr, for a caller allowed to debug it. */
static int mx_debug_target_pid(s32 nr, struct mx_process **out)
{
	const struct cred *cred;
	struct task_struct *task;
	struct mx_process *t;
	struct pid *pid;
	bool allowed;

	if (nr <= 0)
		return MX_ERR_INVALID_ARGS;
	pid = find_get_pid(nr);
	task = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (!task)
		return MX_ERR_NOT_FOUND;
	cred = get_task_cred(task);
	allowed = ns_capable(cred->user_ns, CAP_SYS_PTRACE);
	put_cred(cred);
	if (!allowed) {
		put_task_struct(task);
		return MX_ERR_ACCESS_DENIED;
	}
	t = mx_process_get_by_pid(task_tgid(task));
	put_task_struct(task);
	if (!t)
		return MX_ERR_NOT_FOUND;
	*out = t;
	return 0;
}

/*
 * The target of a debug call: a process handle of the caller's with
 * @rights, or a pid. Return: 0 with a reference to the target in @out;
 * MX_ERR_INVALID_ARGS (both or neither named), MX_ERR_BAD_HANDLE,
 * MX_ERR_ACCESS_DENIED, MX_ERR_WRONG_TYPE (the handle), MX_ERR_NOT_FOUND,
 * MX_ERR_ACCESS_DENIED (the pid).
 */
static int mx_debug_target(struct mx_process *p, s32 process, s32 pid,
			   u32 rights, struct mx_process **out)
{
	struct mx_object *obj;
	int ret;

	if (process == MX_HANDLE_INVALID)
		return mx_debug_target_pid(pid, out);
	if (pid)
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, process, rights, &mx_process_ops, &obj,
			NULL);
	if (ret)
		return ret;
	*out = mx_to_process(obj);
	return 0;
}

/*
 * Fill @out with up to @room records of @t's table, then of the handles in
 * transit at its endpoints. Return: the records there are; @info's
 * counters are filled in.
 */
static u32 mx_debug_collect(struct mx_process *t, struct mx_debug_handle *out,
			    u32 room, struct mx_debug_process *info,
			    u32 *written)
{
	struct mx_handle_table *ht = &t->table;
	struct mx_debug_handle *d;
	u32 i, k, n = 0, total = 0, nt = 0, msgs, handles;
	struct mx_handle *h;
	struct mx_object *o;

	spin_lock(&ht->lock);
	for (i = 0; i < ht->nr_slots; i++) {
		h = ht->slots[i].h;
		if (!h || h == MX_HT_RESERVED)
			continue;
		total++;
		if (n < room) {
			o = h->obj;
			d = &out[n++];
			memset(d, 0, sizeof(*d));
			d->value = mx_ht_encode(ht->mixer, i, ht->slots[i].gen);
			d->koid = o->koid;
			d->related_koid = o->ops->related_koid ?
					  o->ops->related_koid(o) : 0;
			d->type = o->ops->type;
			d->rights = h->rights;
		}
	}
	info->handles = total;
	/* Same order again: the k-th live slot is the k-th record. */
	for (i = 0, k = 0; i < ht->nr_slots; i++) {
		h = ht->slots[i].h;
		if (!h || h == MX_HT_RESERVED)
			continue;
		k++;
		if (h->obj->ops != &mx_channel_ops)
			continue;
		n += mx_channel_debug_queue(h->obj,
					    mx_ht_encode(ht->mixer, i,
							 ht->slots[i].gen),
					    out ? out + n : NULL, room - n,
					    &msgs, &handles);
		nt += handles;
		if (k <= room) {
			out[k - 1].queued_msgs = msgs;
			out[k - 1].queued_handles = handles;
		}
	}
	spin_unlock(&ht->lock);
	info->in_transit = nt;
	*written = n;
	return total + nt;
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
 * A snapshot of @t's table, taken under its lock, followed by the handles
 * in the messages queued at the channel endpoints it holds (one level: the
 * queues of endpoints that are themselves in transit are not walked).
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
		*avail = mx_debug_collect(t, NULL, 0, info, written);
		room = min(max, *avail);
	}
	if (room) {
		*buf = kvcalloc(room, sizeof(**buf), GFP_KERNEL_ACCOUNT);
		if (!*buf)
			return MX_ERR_NO_MEMORY;
	}
	*avail = mx_debug_collect(t, *buf, room, info, written);

	info->koid = t->base.koid;
	info->pid = pid_vnr(t->tgid);
	t->base.ops->get_name(&t->base, info->name);
	info->name[MX_MAX_NAME_LEN - 1] = '\0';
	return 0;
}

/**
 * mx_ioc_debug_list_handles() - MX_IOC_DEBUG_LIST_HANDLES
 * @p: the calling process
 * @uarg: struct mx_ioc_debug_list
 *
 * Lists the target as mx_debug_snapshot() describes. Records that do not
 * fit are counted in *avail only.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (options, both or neither of process
 * and pid, a buffer unwritable), an error of the target (see
 * mx_debug_target()), MX_ERR_BAD_STATE (the target has exited),
 * MX_ERR_NO_MEMORY.
 */
long mx_ioc_debug_list_handles(struct mx_process *p, void __user *uarg)
{
	struct mx_debug_process info;
	struct mx_debug_handle *buf;
	struct mx_ioc_debug_list a;
	struct mx_process *t;
	u32 written, avail;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.options)
		return MX_ERR_INVALID_ARGS;
	ret = mx_debug_target(p, a.process, a.pid, MX_DEBUG_LIST_RIGHTS, &t);
	if (ret)
		return ret;
	ret = mx_debug_snapshot(t, a.count, &buf, &written, &avail, &info);
	if (ret)
		goto out_put;
	if (written && copy_to_user(u64_to_user_ptr(a.buffer), buf,
				    written * sizeof(*buf)))
		ret = MX_ERR_INVALID_ARGS;
	else if (a.info && copy_to_user(u64_to_user_ptr(a.info), &info,
					sizeof(info)))
		ret = MX_ERR_INVALID_ARGS;
	else if (a.actual &&
		 put_user(written, (u32 __user *)u64_to_user_ptr(a.actual)))
		ret = MX_ERR_INVALID_ARGS;
	else if (a.avail &&
		 put_user(avail, (u32 __user *)u64_to_user_ptr(a.avail)))
		ret = MX_ERR_INVALID_ARGS;
	kvfree(buf);
out_put:
	mx_process_put(t);
	return ret;
}

/*
 * The object behind @value in @t's table, for a copy with @want rights.
 * Return: 0 with a reference in @obj; MX_ERR_BAD_STATE (exited),
 * MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED (no DUPLICATE right),
 * MX_ERR_INVALID_ARGS (@want not a subset).
 */
static int mx_debug_copy_source(struct mx_process *t, s32 value, u32 want,
				struct mx_object **obj, u32 *rights)
{
	struct mx_handle_table *ht = &t->table;
	struct mx_handle *h;
	int ret;

	spin_lock(&ht->lock);
	if (ht->closed) {
		ret = MX_ERR_BAD_STATE;
		goto out_unlock;
	}
	ret = mx_ht_check_locked(ht, value, MX_RIGHT_DUPLICATE, NULL, &h);
	if (ret)
		goto out_unlock;
	ret = mx_rights_reduce(h->rights, want, rights);
	if (ret)
		goto out_unlock;
	*obj = h->obj;
	mx_object_get(*obj);
out_unlock:
	spin_unlock(&ht->lock);
	return ret;
}

/**
 * mx_ioc_debug_copy_handle() - MX_IOC_DEBUG_COPY_HANDLE
 * @p: the calling process
 * @uarg: struct mx_ioc_debug_copy
 *
 * Duplicates a handle of the target's into the caller's table, as
 * mx_handle_duplicate() would have in the target: the source handle must
 * have MX_RIGHT_DUPLICATE, and the copy gets its rights or fewer. The
 * target's handle is left as it was.
 *
 * Context: process context.
 * Return: MX_OK; in order: MX_ERR_INVALID_ARGS (options, pad), an error
 * of the target (see mx_debug_target()), MX_ERR_BAD_STATE (the target
 * has exited), MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED (no DUPLICATE on
 * the source), MX_ERR_INVALID_ARGS (rights not a subset),
 * MX_ERR_NO_MEMORY, MX_ERR_NO_RESOURCES (the caller's table is full),
 * MX_ERR_INVALID_ARGS (out unwritable: no handle is made).
 */
long mx_ioc_debug_copy_handle(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_debug_copy a;
	struct mx_object *obj;
	struct mx_process *t;
	struct mx_handle *h;
	u32 rights;
	s32 value;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.options || a.pad)
		return MX_ERR_INVALID_ARGS;
	ret = mx_debug_target(p, a.process, a.pid, MX_DEBUG_COPY_RIGHTS, &t);
	if (ret)
		return ret;
	ret = mx_debug_copy_source(t, a.handle, a.rights, &obj, &rights);
	if (ret)
		goto out_put_target;
	h = mx_handle_alloc(obj, rights);
	if (!h) {
		ret = MX_ERR_NO_MEMORY;
		goto out_put;
	}
	ret = mx_ht_install_user(&p->table, &h, &a.out, 1, &value);
	if (ret) {
		mx_handle_free(h);
		goto out_put;
	}
	trace_mx_handle_duplicate(a.handle, value, obj->koid, rights,
				  pid_vnr(t->tgid));
out_put:
	mx_object_put(obj);
out_put_target:
	mx_process_put(t);
	return ret;
}
