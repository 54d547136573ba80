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
 * Locking (the order of all: docs/architecture.md): the target's handle
 * table lock while its snapshot is taken (snapshot.c) or a handle is
 * copied out of it; the caller's own table is locked only after the
 * target's is released, so the target may be the caller itself. The
 * records are gathered into a kernel buffer and copied out afterwards.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ioctl.h"
#include "mx_trace.h"
#include "process.h"
#include "sys_handle.h"
#include "process_end.h"
#include "snapshot.h"

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

	mx_ht_lock(ht);
	if (mx_ht_closed_locked(ht)) {
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
	mx_ht_unlock(ht);
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
	ret = mx_sys_install(&p->table, &h, &a.out, 1, &value);
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
