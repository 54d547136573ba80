// SPDX-License-Identifier: GPL-2.0
/*
 * ioctls on any object: signals, waits, information, properties, and the
 * process's own handles.
 *
 * Locking (the order of all: docs/architecture.md): the caller's handle
 * table lock only while looking a handle up (handle_table.c); object state
 * through each type's own functions; a wait's observers and sleep through
 * wait.c. No lock is held across a user copy.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compat.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "ioctl.h"
#include "job.h"
#include "process.h"
#include "process_vmos.h"
#include "sys_handle.h"
#include "snapshot.h"
#include "thread.h"
#include "vmar.h"
#include "waitfd.h"
#include "wait.h"

/* Check the masks of mx_object_signal() and mx_object_signal_peer(). */
static int mx_signal_masks_ok(struct mx_object *obj,
			      const struct mx_ioc_signal *a)
{
	u32 allowed = obj->ops->user_signals;

	if ((a->clear_mask | a->set_mask) & ~allowed)
		return MX_ERR_INVALID_ARGS;
	return 0;
}

/**
 * mx_ioc_object_signal() - MX_IOC_OBJECT_SIGNAL: mx_object_signal()
 * @p: the calling process
 * @uarg: struct mx_ioc_signal
 *
 * Needs MX_RIGHT_WRITE. Events and eventpairs accept the user signals and
 * MX_EVENT_SIGNALED; other waitable objects the user signals only.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (arguments unreadable, or a bit
 * outside the type's mask), MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED,
 * MX_ERR_NOT_SUPPORTED (not waitable).
 */
long mx_ioc_object_signal(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_signal a;
	struct mx_object *obj;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)) || a.pad)
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, a.handle, MX_RIGHT_WRITE, NULL, &obj, NULL);
	if (ret)
		return ret;
	if (!obj->ops->waitable)
		ret = MX_ERR_NOT_SUPPORTED;
	else
		ret = mx_signal_masks_ok(obj, &a);
	if (!ret)
		mx_object_update_signals(obj, a.clear_mask, a.set_mask);
	mx_object_put(obj);
	return ret;
}

/**
 * mx_ioc_object_signal_peer() - MX_IOC_OBJECT_SIGNAL_PEER:
 * mx_object_signal_peer()
 * @p: the calling process
 * @uarg: struct mx_ioc_signal
 *
 * Needs no right, as in Magenta's code (its documentation asks for
 * MX_RIGHT_WRITE).
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS, MX_ERR_BAD_HANDLE,
 * MX_ERR_NOT_SUPPORTED (the type has no peer), MX_ERR_PEER_CLOSED.
 */
long mx_ioc_object_signal_peer(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_signal a;
	struct mx_object *obj;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)) || a.pad)
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, a.handle, 0, NULL, &obj, NULL);
	if (ret)
		return ret;
	if (!obj->ops->has_peer)
		ret = MX_ERR_NOT_SUPPORTED;
	else
		ret = mx_signal_masks_ok(obj, &a);
	if (!ret)
		ret = obj->ops->signal_peer(obj, a.clear_mask, a.set_mask);
	mx_object_put(obj);
	return ret;
}

/**
 * mx_ioc_wait_one() - MX_IOC_OBJECT_WAIT_ONE: mx_object_wait_one()
 * @p: the calling process
 * @uarg: struct mx_ioc_wait_one
 *
 * Needs MX_RIGHT_READ.
 *
 * Context: process context; sleeps.
 * Return: MX_OK when a watched signal was seen; MX_ERR_INVALID_ARGS
 * (arguments or @observed unreadable/unwritable), MX_ERR_BAD_HANDLE,
 * MX_ERR_ACCESS_DENIED, MX_ERR_NOT_SUPPORTED (not waitable),
 * MX_ERR_CANCELED (the handle was closed), MX_ERR_TIMED_OUT; or
 * -ERESTARTNOINTR to run a signal handler and take the wait back.
 */
long mx_ioc_wait_one(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_wait_one a;
	struct mx_wait_item item;
	bool filled;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	item = (struct mx_wait_item){
		.handle = a.handle,
		.waitfor = a.signals,
	};
	ret = mx_wait_one(p, &item, a.deadline, a.observed, &filled);
	if (filled && a.observed &&
	    put_user(item.pending, (u32 __user *)u64_to_user_ptr(a.observed)))
		return MX_ERR_INVALID_ARGS;
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(mx_ioc_wait_one);

/*
 * Read the handle and waitfor of @count items from user memory, in one
 * stretch of user access with no call and no string move (which costs a
 * step per byte where it is emulated). Return: 0 or MX_ERR_INVALID_ARGS.
 */
static int mx_wait_items_in(struct mx_wait_item *items,
			    const struct mx_wait_item __user *uitems,
			    u32 count)
{
	const struct mx_wait_item __user *u = uitems;
	struct mx_wait_item *it, *end = items + count;

	/* No array indexing: a bounds check would call out of user access. */
	if (!user_read_access_begin(uitems, count * sizeof(*uitems)))
		return MX_ERR_INVALID_ARGS;
	for (it = items; it < end; it++, u++) {
		unsafe_get_user(it->handle, &u->handle, out_fault);
		unsafe_get_user(it->waitfor, &u->waitfor, out_fault);
	}
	user_read_access_end();
	return 0;

out_fault:
	user_read_access_end();
	return MX_ERR_INVALID_ARGS;
}

/*
 * Write every item's pending back to user memory, and nothing else: the
 * caller's handle and waitfor stay as they are. Return: 0 or
 * MX_ERR_INVALID_ARGS.
 */
static int mx_wait_pending_out(struct mx_wait_item __user *uitems,
			       const struct mx_wait_item *items, u32 count)
{
	const struct mx_wait_item *it, *end = items + count;
	struct mx_wait_item __user *u = uitems;

	if (!user_write_access_begin(uitems, count * sizeof(*uitems)))
		return MX_ERR_INVALID_ARGS;
	for (it = items; it < end; it++, u++)
		unsafe_put_user(it->pending, &u->pending, out_fault);
	user_write_access_end();
	return 0;

out_fault:
	user_write_access_end();
	return MX_ERR_INVALID_ARGS;
}

/*
 * mx_ioc_wait_many() from its items on, in a frame of its own: their
 * storage takes 768 bytes of it (MX_WAIT_INLINE_ITEMS).
 */
static noinline int mx_wait_many_items(struct mx_process *p,
				       const struct mx_ioc_wait_many *a)
{
	struct mx_wait_item __user *uitems = u64_to_user_ptr(a->items);
	/* Not zeroed first: only the items read in are used. */
	struct mx_wait_items wi __uninitialized;
	bool filled;
	int ret;

	ret = mx_wait_items_init(&wi, a->count);
	if (ret)
		return ret;
	ret = mx_wait_items_in(wi.items, uitems, a->count);
	if (ret)
		goto out_fini;
	ret = mx_wait_many(p, &wi, a->deadline, a->items, &filled);
	if (filled && mx_wait_pending_out(uitems, wi.items, a->count))
		ret = MX_ERR_INVALID_ARGS;
out_fini:
	mx_wait_items_fini(&wi);
	return ret;
}

/**
 * mx_ioc_wait_many() - MX_IOC_OBJECT_WAIT_MANY: mx_object_wait_many()
 * @p: the calling process
 * @uarg: struct mx_ioc_wait_many
 *
 * Each item needs MX_RIGHT_READ. Items are checked in order and the first
 * failure undoes the items registered before it, with no pending written.
 * Otherwise every item's pending is written back.
 *
 * Context: process context; sleeps.
 * Return: MX_OK, MX_ERR_TIMED_OUT (count 0, or the deadline passed),
 * MX_ERR_INVALID_ARGS (items NULL, count above 1024, unreadable or
 * unwritable items), MX_ERR_NO_RESOURCES (count above the max_wait_items
 * parameter), MX_ERR_NO_MEMORY, the first item's MX_ERR_BAD_HANDLE
 * / MX_ERR_ACCESS_DENIED / MX_ERR_NOT_SUPPORTED, MX_ERR_CANCELED; or
 * -ERESTARTNOINTR to run a signal handler and take the wait back.
 */
long mx_ioc_wait_many(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_wait_many a;

	if (copy_from_user(&a, uarg, sizeof(a)) || a.pad)
		return MX_ERR_INVALID_ARGS;
	if (a.count == 0)
		return mx_wait_none(a.deadline);
	if (!a.items || a.count > MX_WAIT_MANY_MAX_ITEMS)
		return MX_ERR_INVALID_ARGS;
	return mx_wait_many_items(p, &a);
}
EXPORT_SYMBOL_IF_KUNIT(mx_ioc_wait_many);

/*
 * Magenta's rule for topics with one record: copy it if it fits, report
 * actual (0 or 1) and avail (1), then fail with MX_ERR_BUFFER_TOO_SMALL if
 * it did not fit.
 */
static int mx_info_single(const struct mx_ioc_get_info *a, const void *rec,
			  size_t size)
{
	u64 actual = 0;

	if (a->buffer_size >= size) {
		if (copy_to_user(u64_to_user_ptr(a->buffer), rec, size))
			return MX_ERR_INVALID_ARGS;
		actual = 1;
	}
	if (a->actual && mx_sys_put_size(a->actual, actual))
		return MX_ERR_INVALID_ARGS;
	if (a->avail && mx_sys_put_size(a->avail, 1))
		return MX_ERR_INVALID_ARGS;
	return actual ? MX_OK : MX_ERR_BUFFER_TOO_SMALL;
}

static int mx_info_handle_basic(struct mx_process *p,
				const struct mx_ioc_get_info *a)
{
	struct mx_info_handle_basic rec = {};
	struct mx_object *obj;
	u32 rights;
	int ret;

	ret = mx_ht_get(&p->table, a->handle, 0, NULL, &obj, &rights);
	if (ret)
		return ret;
	rec.koid = obj->koid;
	rec.rights = rights;
	rec.type = obj->ops->type;
	rec.related_koid = obj->ops->related_koid ?
			   obj->ops->related_koid(obj) : 0;
	rec.props = obj->ops->waitable ? MX_OBJ_PROP_WAITABLE :
					 MX_OBJ_PROP_NONE;
	mx_object_put(obj);
	return mx_info_single(a, &rec, sizeof(rec));
}

static int mx_info_process(struct mx_process *p,
			   const struct mx_ioc_get_info *a)
{
	struct mx_info_process rec;
	struct mx_object *obj;
	int ret;

	ret = mx_ht_get(&p->table, a->handle, MX_RIGHT_READ, &mx_process_ops,
			&obj, NULL);
	if (ret)
		return ret;
	mx_process_info(mx_to_process(obj), &rec);
	mx_object_put(obj);
	return mx_info_single(a, &rec, sizeof(rec));
}

/* MX_INFO_VMAR: no right needed; a destroyed VMAR reports its old range. */
static int mx_info_vmar(struct mx_process *p, const struct mx_ioc_get_info *a)
{
	struct mx_info_vmar rec;
	struct mx_object *obj;
	int ret;

	ret = mx_ht_get(&p->table, a->handle, 0, &mx_vmar_ops, &obj, NULL);
	if (ret)
		return ret;
	mx_vmar_info(mx_to_vmar(obj), &rec);
	mx_object_put(obj);
	return mx_info_single(a, &rec, sizeof(rec));
}

static int mx_info_thread(struct mx_process *p,
			  const struct mx_ioc_get_info *a)
{
	struct mx_info_thread rec;
	struct mx_object *obj;
	int ret;

	ret = mx_ht_get(&p->table, a->handle, MX_RIGHT_READ, &mx_thread_ops,
			&obj, NULL);
	if (ret)
		return ret;
	mx_thread_info(mx_to_thread(obj), &rec);
	mx_object_put(obj);
	return mx_info_single(a, &rec, sizeof(rec));
}

/*
 * Copy out @written records (@bytes bytes of @buf) of @avail, and say how
 * many were copied and how many there are, where the caller asks.
 */
static int mx_info_records(const struct mx_ioc_get_info *a, const void *buf,
			   size_t bytes, u32 written, u32 avail)
{
	if (bytes && copy_to_user(u64_to_user_ptr(a->buffer), buf, bytes))
		return MX_ERR_INVALID_ARGS;
	if (a->actual && mx_sys_put_size(a->actual, written))
		return MX_ERR_INVALID_ARGS;
	if (a->avail && mx_sys_put_size(a->avail, avail))
		return MX_ERR_INVALID_ARGS;
	return MX_OK;
}

/* Records of koids: as many as fit, actual and avail; frees @koids. */
static int mx_info_koids(const struct mx_ioc_get_info *a, u64 *koids, u32 n)
{
	u64 actual = min_t(u64, n, a->buffer_size / sizeof(u64));
	int ret;

	ret = mx_info_records(a, koids, actual * sizeof(u64), actual, n);
	kvfree(koids);
	return ret;
}

/*
 * A topic with many records: copy as many as fit, report how many were
 * copied and how many there are; never MX_ERR_BUFFER_TOO_SMALL.
 */
static int mx_info_process_threads(struct mx_process *p,
				   const struct mx_ioc_get_info *a)
{
	struct mx_object *obj;
	u64 *koids;
	u32 n;
	int ret;

	ret = mx_ht_get(&p->table, a->handle, MX_RIGHT_ENUMERATE,
			&mx_process_ops, &obj, NULL);
	if (ret)
		return ret;
	ret = mx_process_thread_koids(mx_to_process(obj), &koids, &n);
	mx_object_put(obj);
	if (ret)
		return ret;
	return mx_info_koids(a, koids, n);
}

/*
 * MX_INFO_JOB_CHILDREN and MX_INFO_JOB_PROCESSES: the koids of a job's
 * direct child jobs or processes, for a job handle with
 * MX_RIGHT_ENUMERATE; as many as fit, actual and avail reported, MX_OK.
 */
static int mx_info_job_koids(struct mx_process *p,
			     const struct mx_ioc_get_info *a, bool jobs)
{
	struct mx_object *obj;
	u64 *koids;
	u32 n;
	int ret;

	ret = mx_ht_get(&p->table, a->handle, MX_RIGHT_ENUMERATE, &mx_job_ops,
			&obj, NULL);
	if (ret)
		return ret;
	ret = mx_job_child_koids(mx_to_job(obj), jobs, &koids, &n);
	mx_object_put(obj);
	if (ret)
		return ret;
	return mx_info_koids(a, koids, n);
}

/* MX_INFO_THREAD_STATS: MX_RIGHT_READ on a thread; one record. */
static int mx_info_thread_stats(struct mx_process *p,
				const struct mx_ioc_get_info *a)
{
	struct mx_info_thread_stats rec = { };
	struct mx_object *obj;
	int ret;

	ret = mx_ht_get(&p->table, a->handle, MX_RIGHT_READ, &mx_thread_ops,
			&obj, NULL);
	if (ret)
		return ret;
	rec.total_runtime = mx_thread_runtime(mx_to_thread(obj));
	mx_object_put(obj);
	return mx_info_single(a, &rec, sizeof(rec));
}

/*
 * MX_INFO_HANDLE_TABLE (beyond Magenta): the records of
 * mx_debug_list_handles(), for a process handle with MX_RIGHT_ENUMERATE.
 * As Magenta's topics with many records: as many as fit, actual and avail
 * reported, MX_OK.
 */
static int mx_info_handle_table(struct mx_process *p,
				const struct mx_ioc_get_info *a)
{
	struct mx_debug_process info;
	struct mx_debug_handle *buf;
	struct mx_object *obj;
	u32 written, avail;
	int ret;

	ret = mx_ht_get(&p->table, a->handle, MX_RIGHT_ENUMERATE,
			&mx_process_ops, &obj, NULL);
	if (ret)
		return ret;
	ret = mx_debug_snapshot(mx_to_process(obj),
				min_t(u64, a->buffer_size / sizeof(*buf),
				      U32_MAX),
				&buf, &written, &avail, &info);
	mx_object_put(obj);
	if (ret)
		return ret;
	ret = mx_info_records(a, buf, written * sizeof(*buf), written, avail);
	kvfree(buf);
	return ret;
}

/*
 * MX_INFO_PROCESS_MAPS: the address space, root VMAR, sub-VMARs and
 * mappings of another running process, for a process handle with
 * MX_RIGHT_READ, with the preconditions and record rule of
 * MX_INFO_PROCESS_VMOS.
 */
static int mx_info_process_maps(struct mx_process *p,
				const struct mx_ioc_get_info *a)
{
	struct mx_info_maps *buf = NULL;
	struct task_struct *task;
	struct mm_struct *mm = NULL;
	struct mx_process *t;
	struct mx_object *obj;
	u32 written = 0, avail = 0;
	int ret;

	ret = mx_ht_get(&p->table, a->handle, MX_RIGHT_READ, &mx_process_ops,
			&obj, NULL);
	if (ret)
		return ret;
	t = mx_to_process(obj);
	ret = MX_ERR_ACCESS_DENIED;
	if (t == p)
		goto out_put;
	ret = MX_ERR_BAD_STATE;
	if (READ_ONCE(t->state) != MX_PROCESS_RUNNING)
		goto out_put;
	task = get_pid_task(t->tgid, PIDTYPE_TGID);
	if (task) {
		mm = get_task_mm(task);
		put_task_struct(task);
	}
	if (!mm)
		goto out_put;
	ret = mx_aspace_maps(t, mm, min_t(u64, a->buffer_size / sizeof(*buf),
					  U32_MAX),
			     &buf, &written, &avail);
	mmput(mm);
out_put:
	mx_object_put(obj);
	if (ret)
		return ret;
	ret = mx_info_records(a, buf, written * sizeof(*buf), written, avail);
	kvfree(buf);
	return ret;
}

/*
 * MX_INFO_PROCESS_VMOS: the VMOs another running process holds and maps,
 * for a process handle with MX_RIGHT_READ. The calling process itself is
 * refused, as Magenta (MX_ERR_ACCESS_DENIED). As Magenta's topics with
 * many records: as many as fit, actual and avail reported, MX_OK.
 */
static int mx_info_process_vmos(struct mx_process *p,
				const struct mx_ioc_get_info *a)
{
	struct mx_info_vmo *buf;
	struct mx_process *t;
	struct mx_object *obj;
	u32 written = 0, avail = 0;
	int ret;

	ret = mx_ht_get(&p->table, a->handle, MX_RIGHT_READ, &mx_process_ops,
			&obj, NULL);
	if (ret)
		return ret;
	t = mx_to_process(obj);
	if (t == p)
		ret = MX_ERR_ACCESS_DENIED;
	else if (READ_ONCE(t->state) != MX_PROCESS_RUNNING)
		ret = MX_ERR_BAD_STATE;
	else
		ret = mx_process_vmos(t, min_t(u64, a->buffer_size /
						   sizeof(*buf), U32_MAX),
				      &buf, &written, &avail);
	mx_object_put(obj);
	if (ret)
		return ret;
	ret = mx_info_records(a, buf, written * sizeof(*buf), written, avail);
	kvfree(buf);
	return ret;
}

/**
 * mx_ioc_get_info() - MX_IOC_OBJECT_GET_INFO: mx_object_get_info()
 * @p: the calling process
 * @uarg: struct mx_ioc_get_info
 *
 * The topic is checked first. MX_INFO_HANDLE_VALID and MX_INFO_HANDLE_BASIC
 * need no right; MX_INFO_PROCESS needs MX_RIGHT_READ on a process,
 * MX_INFO_THREAD MX_RIGHT_READ on a thread, MX_INFO_VMAR no right on a
 * VMAR, MX_INFO_PROCESS_THREADS and MX_INFO_HANDLE_TABLE
 * MX_RIGHT_ENUMERATE on a process, MX_INFO_PROCESS_MAPS and
 * MX_INFO_PROCESS_VMOS MX_RIGHT_READ on another running process,
 * MX_INFO_JOB_CHILDREN and MX_INFO_JOB_PROCESSES MX_RIGHT_ENUMERATE on a
 * job, MX_INFO_THREAD_STATS MX_RIGHT_READ on a thread.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_NOT_SUPPORTED (unknown topic), MX_ERR_BAD_HANDLE,
 * MX_ERR_ACCESS_DENIED, MX_ERR_WRONG_TYPE, MX_ERR_BUFFER_TOO_SMALL,
 * MX_ERR_INVALID_ARGS (a buffer unwritable), MX_ERR_BAD_STATE (the
 * handle table of a process that has exited), MX_ERR_NO_MEMORY.
 */
long mx_ioc_get_info(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_get_info a;
	struct mx_object *obj;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	switch (a.topic) {
	case MX_INFO_HANDLE_VALID:
		ret = mx_ht_get(&p->table, a.handle, 0, NULL, &obj, NULL);
		if (!ret)
			mx_object_put(obj);
		return ret;
	case MX_INFO_HANDLE_BASIC:
		return mx_info_handle_basic(p, &a);
	case MX_INFO_PROCESS:
		return mx_info_process(p, &a);
	case MX_INFO_VMAR:
		return mx_info_vmar(p, &a);
	case MX_INFO_JOB_CHILDREN:
		return mx_info_job_koids(p, &a, true);
	case MX_INFO_JOB_PROCESSES:
		return mx_info_job_koids(p, &a, false);
	case MX_INFO_PROCESS_MAPS:
		return mx_info_process_maps(p, &a);
	case MX_INFO_THREAD:
		return mx_info_thread(p, &a);
	case MX_INFO_PROCESS_THREADS:
		return mx_info_process_threads(p, &a);
	case MX_INFO_HANDLE_TABLE:
		return mx_info_handle_table(p, &a);
	case MX_INFO_PROCESS_VMOS:
		return mx_info_process_vmos(p, &a);
	case MX_INFO_THREAD_STATS:
		return mx_info_thread_stats(p, &a);
	default:
		return MX_ERR_NOT_SUPPORTED;
	}
}

/*
 * The arguments of a property call and the object they name, referenced:
 * MX_ERR_INVALID_ARGS (unreadable, value NULL), or mx_ht_get()'s.
 */
static int mx_property_target(struct mx_process *p, void __user *uarg,
			      u32 right, struct mx_ioc_property *a,
			      struct mx_object **obj)
{
	if (copy_from_user(a, uarg, sizeof(*a)))
		return MX_ERR_INVALID_ARGS;
	if (!a->value)
		return MX_ERR_INVALID_ARGS;
	return mx_ht_get(&p->table, a->handle, right, NULL, obj, NULL);
}

/**
 * mx_ioc_get_property() - MX_IOC_OBJECT_GET_PROPERTY:
 * mx_object_get_property()
 * @p: the calling process
 * @uarg: struct mx_ioc_property
 *
 * Needs MX_RIGHT_GET_PROPERTY. MX_PROP_NAME copies MX_MAX_NAME_LEN bytes,
 * NUL-terminated ("" for a type without a name).
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (value NULL or unwritable, unknown
 * property), MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED,
 * MX_ERR_BUFFER_TOO_SMALL (size below MX_MAX_NAME_LEN).
 */
long mx_ioc_get_property(struct mx_process *p, void __user *uarg)
{
	char name[MX_MAX_NAME_LEN] = "";
	struct mx_ioc_property a;
	struct mx_object *obj;
	int ret;

	ret = mx_property_target(p, uarg, MX_RIGHT_GET_PROPERTY, &a, &obj);
	if (ret)
		return ret;
	switch (a.property) {
	case MX_PROP_NAME:
		if (a.size < MX_MAX_NAME_LEN) {
			ret = MX_ERR_BUFFER_TOO_SMALL;
			break;
		}
		if (obj->ops->get_name)
			obj->ops->get_name(obj, name);
		name[MX_MAX_NAME_LEN - 1] = '\0';
		if (copy_to_user(u64_to_user_ptr(a.value), name, sizeof(name)))
			ret = MX_ERR_INVALID_ARGS;
		break;
	default:
		ret = MX_ERR_INVALID_ARGS;
		break;
	}
	mx_object_put(obj);
	return ret;
}

/**
 * mx_ioc_set_property() - MX_IOC_OBJECT_SET_PROPERTY:
 * mx_object_set_property()
 * @p: the calling process
 * @uarg: struct mx_ioc_property
 *
 * Needs MX_RIGHT_SET_PROPERTY. MX_PROP_NAME takes at most
 * MX_MAX_NAME_LEN - 1 bytes (longer names are cut silently).
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (value NULL or unreadable, unknown
 * property), MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED, MX_ERR_NOT_SUPPORTED
 * (the type has no name).
 */
long mx_ioc_set_property(struct mx_process *p, void __user *uarg)
{
	char name[MX_MAX_NAME_LEN] = "";
	struct mx_ioc_property a;
	struct mx_object *obj;
	size_t len;
	int ret;

	ret = mx_property_target(p, uarg, MX_RIGHT_SET_PROPERTY, &a, &obj);
	if (ret)
		return ret;
	switch (a.property) {
	case MX_PROP_NAME:
		len = min_t(u64, a.size, MX_MAX_NAME_LEN - 1);
		if (copy_from_user(name, u64_to_user_ptr(a.value), len))
			ret = MX_ERR_INVALID_ARGS;
		else if (!obj->ops->set_name)
			ret = MX_ERR_NOT_SUPPORTED;
		else
			obj->ops->set_name(obj, name);
		break;
	default:
		ret = MX_ERR_INVALID_ARGS;
		break;
	}
	mx_object_put(obj);
	return ret;
}

/**
 * mx_ioc_process_self() - MX_IOC_PROCESS_SELF: the values behind
 * mx_process_self() and mx_job_default()
 * @p: the calling process
 * @uarg: struct mx_ioc_self
 *
 * A started process gets its self handle on its first call and has no
 * job handle (0) unless one was given to it.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (unwritable), MX_ERR_NO_MEMORY,
 * MX_ERR_NO_RESOURCES.
 */
long mx_ioc_process_self(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_self a = {
		.job = p->job_handle,
	};
	int ret;

	ret = mx_process_self_handle(p, &a.process);
	if (ret)
		return ret;
	if (copy_to_user(uarg, &a, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	return MX_OK;
}

/**
 * mx_ioc_waitfd_create() - MX_IOC_WAITFD_CREATE: mx_waitfd_create()
 * @p: the calling process
 * @uarg: struct mx_ioc_waitfd
 *
 * Needs MX_RIGHT_READ on the handle.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (flags other than O_CLOEXEC and
 * O_NONBLOCK, reserved fields, a port with signals other than
 * MX_PORT_READABLE, fd unwritable), MX_ERR_BAD_HANDLE,
 * MX_ERR_ACCESS_DENIED, MX_ERR_NOT_SUPPORTED (neither waitable nor a
 * port), MX_ERR_NO_RESOURCES (the user's max_user_watches; no fd free),
 * MX_ERR_NO_MEMORY.
 */
long mx_ioc_waitfd_create(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_waitfd a;
	struct mx_waitfd *w;
	struct mx_object *obj;
	struct file *file;
	int fd, ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if ((a.flags & ~(O_CLOEXEC | O_NONBLOCK)) || a.pad)
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, a.handle, MX_RIGHT_READ, NULL, &obj, NULL);
	if (ret)
		return ret;
	ret = mx_waitfd_new(p, obj, a.signals, &w);
	if (ret)
		goto out_put;

	fd = get_unused_fd_flags(O_RDWR | a.flags);
	if (fd < 0) {
		ret = fd == -EMFILE ? MX_ERR_NO_RESOURCES : MX_ERR_NO_MEMORY;
		goto out_free;
	}
	file = mx_waitfd_file(w, a.flags);
	if (IS_ERR(file)) {
		ret = MX_ERR_NO_MEMORY;
		goto out_put_fd;
	}
	if (put_user(fd, (s32 __user *)u64_to_user_ptr(a.fd))) {
		/* The file owns @w and the reference now: fput frees them. */
		fput(file);
		put_unused_fd(fd);
		return MX_ERR_INVALID_ARGS;
	}
	fd_install(fd, file);
	return MX_OK;

out_put_fd:
	put_unused_fd(fd);
out_free:
	mx_waitfd_free(w);
out_put:
	mx_object_put(obj);
	return ret;
}

/* What a handle from mx_object_get_child(MX_HANDLE_INVALID, ...) may have. */
#define MX_SYSTEM_CHILD_RIGHTS	(MX_RIGHT_READ | MX_RIGHT_WRITE | \
				 MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER | \
				 MX_RIGHT_GET_PROPERTY | \
				 MX_RIGHT_SET_PROPERTY | MX_RIGHT_ENUMERATE)

/* The root of the job tree @p lives in: its user's root job. */
static struct mx_job *mx_tree_root(struct mx_process *p)
{
	struct mx_job *j = p->job;

	while (j->parent)
		j = j->parent;
	return j;
}

/**
 * mx_ioc_get_child() - MX_IOC_OBJECT_GET_CHILD: mx_object_get_child()
 * @p: the calling process
 * @uarg: struct mx_ioc_get_child
 *
 * A thread of a process, or a child job or process of a job (direct
 * children only), by koid, for a handle with MX_RIGHT_ENUMERATE; the new
 * handle has the parent handle's rights or the subset asked for. With
 * MX_HANDLE_INVALID ("the system"), any process of the caller's own job
 * tree, that is of its user, with at most MX_SYSTEM_CHILD_RIGHTS: jobs
 * are per user in mx, and a process of another user is never found.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (out unwritable), MX_ERR_BAD_HANDLE,
 * MX_ERR_ACCESS_DENIED (no MX_RIGHT_ENUMERATE, rights not a subset),
 * MX_ERR_WRONG_TYPE (not a job or process), MX_ERR_NOT_FOUND,
 * MX_ERR_NO_MEMORY, MX_ERR_NO_RESOURCES.
 */
long mx_ioc_get_child(struct mx_process *p, void __user *uarg)
{
	struct mx_object *parent = NULL, *child = NULL;
	struct mx_ioc_get_child a;
	struct mx_handle *h;
	u32 have, rights;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.handle == MX_HANDLE_INVALID) {
		rights = a.rights == MX_RIGHT_SAME_RIGHTS ?
			 MX_SYSTEM_CHILD_RIGHTS : a.rights;
		if (rights & ~MX_SYSTEM_CHILD_RIGHTS)
			return MX_ERR_ACCESS_DENIED;
		child = mx_job_find_process(mx_tree_root(p), a.koid);
		goto found;
	}
	ret = mx_ht_get(&p->table, a.handle, 0, NULL, &parent, &have);
	if (ret)
		return ret;
	ret = MX_ERR_ACCESS_DENIED;
	if (!(have & MX_RIGHT_ENUMERATE))
		goto out_put;
	rights = a.rights == MX_RIGHT_SAME_RIGHTS ? have : a.rights;
	if (rights & ~have)
		goto out_put;
	if (parent->ops == &mx_process_ops)
		child = mx_process_find_thread(mx_to_process(parent), a.koid);
	else if (parent->ops == &mx_job_ops)
		child = mx_job_find_child(mx_to_job(parent), a.koid);
	else
		ret = MX_ERR_WRONG_TYPE;
	mx_object_put(parent);
	if (ret == MX_ERR_WRONG_TYPE)
		return ret;
found:
	if (!child)
		return MX_ERR_NOT_FOUND;
	h = mx_handle_alloc(child, rights);
	mx_object_put(child);
	if (!h)
		return MX_ERR_NO_MEMORY;
	ret = mx_sys_install(&p->table, &h, &a.out, 1, NULL);
	if (ret)
		mx_handle_free(h);
	return ret;

out_put:
	mx_object_put(parent);
	return ret;
}
