// SPDX-License-Identifier: GPL-2.0
/*
 * ioctls on tasks: processes, threads and jobs.
 *
 * Locking (the order of all: docs/architecture.md): the caller's handle
 * table lock only while looking handles up or taking them out
 * (handle_table.c), never across a user copy; task state through
 * process.c, thread.c and job.c; a start's arms and claims through
 * start.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/uaccess.h>

#include "ioctl.h"
#include "job.h"
#include "process.h"
#include "process_memory.h"
#include "sys_handle.h"
#include "start.h"
#include "thread.h"
#include "vmar.h"

/* A name argument: at most MX_MAX_NAME_LEN - 1 bytes, NUL-padded. */
static int mx_copy_name(const struct mx_ioc_task_create *a, char *name)
{
	size_t len = min_t(u64, a->name_len, MX_MAX_NAME_LEN - 1);

	memset(name, 0, MX_MAX_NAME_LEN);
	if (len && copy_from_user(name, u64_to_user_ptr(a->name), len))
		return MX_ERR_INVALID_ARGS;
	return 0;
}

/**
 * mx_ioc_thread_self() - MX_IOC_THREAD_SELF: mx_thread_self()
 * @p: the calling process
 * @uarg: struct mx_ioc_thread_self
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (unwritable), MX_ERR_NO_MEMORY,
 * MX_ERR_NO_RESOURCES (table full).
 */
long mx_ioc_thread_self(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_thread_self a = {};
	int ret;

	ret = mx_thread_self_handle(p, &a.thread);
	if (ret)
		return ret;
	if (copy_to_user(uarg, &a, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	return MX_OK;
}

/**
 * mx_ioc_thread_create() - MX_IOC_THREAD_CREATE: mx_thread_create()
 * @p: the calling process
 * @uarg: struct mx_ioc_task_create
 *
 * Needs MX_RIGHT_WRITE on the process, which must be the caller or one not
 * yet started.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (options, reserved fields, name or out
 * unreadable/unwritable), MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED,
 * MX_ERR_WRONG_TYPE, MX_ERR_BAD_STATE (process dying or dead),
 * MX_ERR_NOT_SUPPORTED (another running process), MX_ERR_NO_MEMORY,
 * MX_ERR_NO_RESOURCES.
 */
long mx_ioc_thread_create(struct mx_process *p, void __user *uarg)
{
	char name[MX_MAX_NAME_LEN];
	struct mx_ioc_task_create a;
	struct mx_object *obj, *t;
	struct mx_thread *thread;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.options || a.pad || a.out_vmar)
		return MX_ERR_INVALID_ARGS;
	ret = mx_copy_name(&a, name);
	if (ret)
		return ret;
	ret = mx_ht_get(&p->table, a.parent, MX_RIGHT_WRITE, &mx_process_ops,
			&obj, NULL);
	if (ret)
		return ret;
	ret = mx_thread_new(mx_to_process(obj), p, name, &thread);
	mx_object_put(obj);
	if (ret)
		return ret;
	t = &thread->base;
	return mx_sys_install_new(&p->table, &t, &a.out, 1);
}

/**
 * mx_ioc_thread_start() - MX_IOC_THREAD_START: mx_thread_start()
 * @p: the calling process
 * @uarg: struct mx_ioc_thread_start
 *
 * Needs MX_RIGHT_WRITE. With @flags 0 the call checks; with
 * MX_THREAD_START_CLAIM it also makes the thread STARTING, for the Linux
 * thread the caller makes next, which then binds with
 * MX_THREAD_START_CLAIMED and the same value (no handle is looked up
 * then), or is given back with MX_THREAD_START_ABORT if none could be
 * made. With MX_THREAD_START_BIND the calling thread, new and of the same
 * process, becomes the NEW thread named by the handle.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (flags), MX_ERR_BAD_HANDLE,
 * MX_ERR_ACCESS_DENIED (no right; or binding a thread that is not new),
 * MX_ERR_WRONG_TYPE, MX_ERR_BAD_STATE (started or killed already, or the
 * process is not running; no such claim), MX_ERR_NOT_SUPPORTED (a thread
 * of another process).
 */
long mx_ioc_thread_start(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_thread_start a;
	struct mx_object *obj;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	switch (a.flags) {
	case 0:
	case MX_THREAD_START_BIND:
	case MX_THREAD_START_CLAIM:
		break;
	case MX_THREAD_START_CLAIMED:
		return mx_thread_bind_claimed(p, a.thread, false);
	case MX_THREAD_START_ABORT:
		return mx_thread_bind_claimed(p, a.thread, true);
	default:
		return MX_ERR_INVALID_ARGS;
	}
	ret = mx_ht_get(&p->table, a.thread, MX_RIGHT_WRITE, &mx_thread_ops,
			&obj, NULL);
	if (ret)
		return ret;
	if (a.flags == MX_THREAD_START_BIND)
		ret = mx_thread_bind_current(p, mx_to_thread(obj));
	else if (a.flags == MX_THREAD_START_CLAIM)
		ret = mx_thread_claim(p, mx_to_thread(obj), a.thread);
	else
		ret = mx_thread_start_check(p, mx_to_thread(obj));
	mx_object_put(obj);
	return ret;
}

/**
 * mx_ioc_task_kill() - MX_IOC_TASK_KILL: mx_task_kill()
 * @p: the calling process
 * @arg: the handle value
 *
 * Needs MX_RIGHT_DESTROY on a process, thread or job. Killing the calling
 * thread or process does not return to userspace.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED (no right, or the
 * root job), MX_ERR_WRONG_TYPE.
 */
long mx_ioc_task_kill(struct mx_process *p, unsigned long arg)
{
	struct mx_object *obj;
	int ret;

	ret = mx_ht_get(&p->table, (s32)arg, MX_RIGHT_DESTROY, NULL, &obj,
			NULL);
	if (ret)
		return ret;
	ret = obj->ops->kill ? obj->ops->kill(obj) : MX_ERR_WRONG_TYPE;
	mx_object_put(obj);
	return ret;
}

/**
 * mx_ioc_task_suspend() - MX_IOC_TASK_SUSPEND: mx_task_suspend()
 * @p: the calling process
 * @arg: the handle value
 *
 * Needs MX_RIGHT_WRITE; only threads can be suspended, as in Magenta.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED,
 * MX_ERR_WRONG_TYPE (a process or job), MX_ERR_BAD_STATE (a thread not
 * running).
 */
long mx_ioc_task_suspend(struct mx_process *p, unsigned long arg)
{
	struct mx_object *obj;
	int ret;

	ret = mx_ht_get(&p->table, (s32)arg, MX_RIGHT_WRITE, NULL, &obj, NULL);
	if (ret)
		return ret;
	if (obj->ops == &mx_thread_ops)
		ret = mx_thread_suspend(mx_to_thread(obj));
	else
		ret = MX_ERR_WRONG_TYPE;
	mx_object_put(obj);
	return ret;
}

/**
 * mx_ioc_task_resume() - MX_IOC_TASK_RESUME: mx_task_resume()
 * @p: the calling process
 * @uarg: struct mx_ioc_task_resume
 *
 * The options are checked before the handle; no right is needed, as in
 * Magenta. mx has no exceptions yet, so no thread is ever stopped in
 * one: MX_RESUME_EXCEPTION is MX_ERR_BAD_STATE.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (an unknown option, TRY_NEXT without
 * EXCEPTION), MX_ERR_BAD_HANDLE, MX_ERR_WRONG_TYPE, MX_ERR_BAD_STATE (not
 * running; not in an exception).
 */
long mx_ioc_task_resume(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_task_resume a;
	struct mx_object *obj;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.options & ~(MX_RESUME_EXCEPTION | MX_RESUME_TRY_NEXT))
		return MX_ERR_INVALID_ARGS;
	if ((a.options & MX_RESUME_TRY_NEXT) &&
	    !(a.options & MX_RESUME_EXCEPTION))
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, a.handle, 0, NULL, &obj, NULL);
	if (ret)
		return ret;
	if (obj->ops != &mx_thread_ops)
		ret = MX_ERR_WRONG_TYPE;
	else if (a.options)
		ret = MX_ERR_BAD_STATE;
	else
		ret = mx_thread_resume(mx_to_thread(obj));
	mx_object_put(obj);
	return ret;
}

/**
 * mx_ioc_process_create() - MX_IOC_PROCESS_CREATE: mx_process_create()
 * @p: the calling process
 * @uarg: struct mx_ioc_task_create
 *
 * Needs MX_RIGHT_WRITE on the job. A non-NULL vmar_handle receives a
 * handle to the new process's root VMAR, whose layout is recorded until
 * the process starts (vmar.c); both handles are written out before
 * either is placed.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (options, reserved field, name or an
 * out pointer unreadable/unwritable), MX_ERR_BAD_HANDLE,
 * MX_ERR_ACCESS_DENIED, MX_ERR_WRONG_TYPE, MX_ERR_BAD_STATE (job killed),
 * MX_ERR_NO_MEMORY, MX_ERR_NO_RESOURCES.
 */
long mx_ioc_process_create(struct mx_process *p, void __user *uarg)
{
	char name[MX_MAX_NAME_LEN];
	struct mx_ioc_task_create a;
	struct mx_object *obj, *objs[2];
	struct mx_process *proc;
	u64 uptrs[2];
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.options || a.pad)
		return MX_ERR_INVALID_ARGS;
	ret = mx_copy_name(&a, name);
	if (ret)
		return ret;
	ret = mx_ht_get(&p->table, a.parent, MX_RIGHT_WRITE, &mx_job_ops,
			&obj, NULL);
	if (ret)
		return ret;
	ret = mx_process_new(mx_to_job(obj), name, &proc);
	mx_object_put(obj);
	if (ret)
		return ret;
	objs[1] = &proc->base;
	uptrs[1] = a.out;
	if (!a.out_vmar)
		return mx_sys_install_new(&p->table, &objs[1], &uptrs[1], 1);
	ret = mx_aspace_create_root(proc, &objs[0]);
	if (ret) {
		mx_process_put(proc);
		return ret;
	}
	/* The VMAR's first: a bad vmar_handle leaves *proc_handle alone. */
	uptrs[0] = a.out_vmar;
	return mx_sys_install_new(&p->table, objs, uptrs, 2);
}

/*
 * mx_process_read_memory() and mx_process_write_memory(): checks in
 * Magenta's order, then process_memory.c.
 */
static long mx_process_memory(struct mx_process *p, void __user *uarg,
			      bool write)
{
	struct mx_ioc_process_memory a;
	struct mx_object *obj;
	struct mx_process *t;
	u64 done = 0;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.pad || !a.buffer || !a.len || a.len > MX_PROCESS_MEMORY_MAX)
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, a.process,
			write ? MX_RIGHT_WRITE : MX_RIGHT_READ | MX_RIGHT_WRITE,
			&mx_process_ops, &obj, NULL);
	if (ret)
		return ret;
	t = mx_to_process(obj);
	if (READ_ONCE(t->state) != MX_PROCESS_RUNNING)
		ret = MX_ERR_BAD_STATE;
	else
		ret = mx_process_access_memory(t, a.vaddr,
					       u64_to_user_ptr(a.buffer),
					       a.len, write, &done);
	mx_object_put(obj);
	if (ret)
		return ret;
	if (mx_sys_put_size(a.actual, done))
		return MX_ERR_INVALID_ARGS;
	return MX_OK;
}

/**
 * mx_ioc_process_read_memory() - MX_IOC_PROCESS_READ_MEMORY:
 *	mx_process_read_memory()
 * @p: the calling process
 * @uarg: struct mx_ioc_process_memory
 *
 * Needs MX_RIGHT_READ and MX_RIGHT_WRITE on the process, as Magenta.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (buffer NULL, len 0 or past 64 MiB,
 * pad, a pointer unwritable), MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED,
 * MX_ERR_WRONG_TYPE, MX_ERR_BAD_STATE (not running),
 * MX_ERR_ACCESS_DENIED (its memory is not dumpable), MX_ERR_NO_MEMORY
 * (the address is in no mapping).
 */
long mx_ioc_process_read_memory(struct mx_process *p, void __user *uarg)
{
	return mx_process_memory(p, uarg, false);
}

/**
 * mx_ioc_process_write_memory() - MX_IOC_PROCESS_WRITE_MEMORY:
 *	mx_process_write_memory()
 * @p: the calling process
 * @uarg: struct mx_ioc_process_memory
 *
 * Needs MX_RIGHT_WRITE on the process.
 *
 * Context: process context.
 * Return: as mx_ioc_process_read_memory().
 */
long mx_ioc_process_write_memory(struct mx_process *p, void __user *uarg)
{
	return mx_process_memory(p, uarg, true);
}

/**
 * mx_ioc_process_exit() - MX_IOC_PROCESS_EXIT: the first half of
 * mx_process_exit()
 * @p: the calling process
 * @arg: the return code (an int)
 *
 * Notes the return code (unless a kill or an earlier exit decided it);
 * libmx then ends the thread group.
 *
 * Context: process context.
 * Return: MX_OK.
 */
long mx_ioc_process_exit(struct mx_process *p, unsigned long arg)
{
	mx_process_set_return_code(p, (int)arg);
	return MX_OK;
}

/**
 * mx_ioc_job_create() - MX_IOC_JOB_CREATE: mx_job_create()
 * @p: the calling process
 * @uarg: struct mx_ioc_job_create
 *
 * Needs MX_RIGHT_WRITE on the parent job.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (options, out unwritable),
 * MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED, MX_ERR_WRONG_TYPE,
 * MX_ERR_OUT_OF_RANGE (too deep), MX_ERR_BAD_STATE (parent killed),
 * MX_ERR_NO_MEMORY, MX_ERR_NO_RESOURCES.
 */
long mx_ioc_job_create(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_job_create a;
	struct mx_object *obj, *nj;
	struct mx_job *job;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.options)
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, a.parent, MX_RIGHT_WRITE, &mx_job_ops,
			&obj, NULL);
	if (ret)
		return ret;
	ret = mx_job_new(mx_to_job(obj), &job);
	mx_object_put(obj);
	if (ret)
		return ret;
	nj = &job->base;
	return mx_sys_install_new(&p->table, &nj, &a.out, 1);
}

/* mx_start_arm()'s publish: the moved handles' values, to @ctx (a u64). */
static int mx_start_publish(const s32 *values, u32 n, void *ctx)
{
	u64 out = *(u64 *)ctx;

	if (n && copy_to_user(u64_to_user_ptr(out), values, n * sizeof(s32)))
		return MX_ERR_INVALID_ARGS;
	return 0;
}

/**
 * mx_ioc_process_start() - MX_IOC_PROCESS_START: arm mx_process_start()
 * or the launcher, or abort the calling thread's arm
 * @p: the calling process
 * @uarg: struct mx_ioc_process_start
 *
 * Needs MX_RIGHT_WRITE on the process and on the thread, which must have
 * been created in that process. As in Magenta, arg1 needs no right, and
 * once the state check is passed a later failure does not give it back.
 * With MX_PROCESS_START_ABORT (and nothing else), undoes the arm of the
 * calling thread that no child took: libmx's fork() failed.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (flags, arguments unreadable, arg1
 * not a handle, a launcher handle twice, @out unwritable),
 * MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED (rights; the thread is not of
 * the process), MX_ERR_WRONG_TYPE, MX_ERR_BAD_STATE (process or thread
 * started, killed or dead; the calling thread has an arm already; abort
 * without an arm), MX_ERR_NO_MEMORY (also: the arm cannot be filed),
 * MX_ERR_NO_RESOURCES.
 */
long mx_ioc_process_start(struct mx_process *p, void __user *uarg)
{
	s32 values[MX_LAUNCH_MAX_HANDLES];
	struct mx_ioc_process_start a;
	struct mx_object *pobj, *tobj;
	struct mx_process *proc;
	struct mx_thread *thr;
	struct mx_arm *arm;
	bool launch;
	u32 n;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.flags == MX_PROCESS_START_ABORT) {
		if (a.process || a.thread || a.arg1 || a.reserved ||
		    a.handles || a.num_handles || a.out)
			return MX_ERR_INVALID_ARGS;
		return mx_start_abort();
	}
	if (a.flags & ~MX_PROCESS_START_LAUNCH || a.reserved || !a.out)
		return MX_ERR_INVALID_ARGS;
	launch = a.flags & MX_PROCESS_START_LAUNCH;
	if (launch ? (a.arg1 || a.num_handles > MX_LAUNCH_MAX_HANDLES) :
		     (a.num_handles || a.handles))
		return MX_ERR_INVALID_ARGS;

	ret = mx_ht_get(&p->table, a.process, MX_RIGHT_WRITE, &mx_process_ops,
			&pobj, NULL);
	if (ret)
		return ret;
	ret = mx_ht_get(&p->table, a.thread, MX_RIGHT_WRITE, &mx_thread_ops,
			&tobj, NULL);
	if (ret)
		goto out_put_process;
	proc = mx_to_process(pobj);
	thr = mx_to_thread(tobj);
	if (thr->process != proc) {
		ret = MX_ERR_ACCESS_DENIED;
		goto out_put_thread;
	}

	arm = mx_arm_new(proc, thr, launch);
	if (!arm) {
		ret = MX_ERR_NO_MEMORY;
		goto out_put_thread;
	}
	if (launch) {
		n = a.num_handles;
		if (copy_from_user(values, u64_to_user_ptr(a.handles),
				   n * sizeof(s32))) {
			ret = MX_ERR_INVALID_ARGS;
			goto out_discard;
		}
	} else {
		n = 1;
		values[0] = a.arg1;
	}
	ret = mx_start_arm(p, arm, values, n, mx_start_publish, &a.out);
	if (!ret)
		return MX_OK;	/* the arm keeps both references */
out_discard:
	mx_arm_discard(arm);
out_put_thread:
	mx_object_put(tobj);
out_put_process:
	mx_object_put(pobj);
	return ret;
}

/**
 * mx_ioc_process_claim() - MX_IOC_PROCESS_CLAIM: the child of a start
 * binds itself to its process (mx_start_claim())
 * @unattached: NULL: the caller has no process yet
 * @arg: unused
 *
 * Context: process context.
 * Return: as mx_start_claim().
 */
long mx_ioc_process_claim(struct mx_process *unattached, unsigned long arg)
{
	return mx_start_claim();
}
