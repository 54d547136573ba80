// SPDX-License-Identifier: GPL-2.0
/*
 * ioctls on tasks: processes, threads and jobs.
 *
 * Locking: the caller's handle table lock only while looking handles up or
 * taking them out (handle_table.c), never across a user copy; task state
 * through process.c, thread.c and job.c. The start-up of a child of
 * mx_process_start() arms and clears its parent-death signal, and sets
 * its process's start_ready, under that child's task_lock(), which nests
 * inside nothing of mx's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait_bit.h>

#include "ioctl.h"
#include "job.h"
#include "process.h"
#include "thread.h"

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

	ret = mx_thread_self(p, &a.thread);
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
	ret = mx_thread_create(mx_to_process(obj), p, name, &thread);
	mx_object_put(obj);
	if (ret)
		return ret;
	t = &thread->base;
	return mx_ht_install_new(&p->table, &t, &a.out, 1);
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
	if (obj->ops == &mx_process_ops)
		mx_process_kill(mx_to_process(obj));
	else if (obj->ops == &mx_thread_ops)
		mx_thread_kill(mx_to_thread(obj));
	else if (obj->ops == &mx_job_ops)
		ret = mx_job_kill(mx_to_job(obj));
	else
		ret = MX_ERR_WRONG_TYPE;
	mx_object_put(obj);
	return ret;
}

/**
 * mx_ioc_process_create() - MX_IOC_PROCESS_CREATE: mx_process_create()
 * @p: the calling process
 * @uarg: struct mx_ioc_task_create
 *
 * Needs MX_RIGHT_WRITE on the job. mx has no VMARs: a non-NULL vmar_handle
 * receives MX_HANDLE_INVALID.
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
	struct mx_object *obj, *np;
	struct mx_process *proc;
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
	ret = mx_process_create(mx_to_job(obj), name, &proc);
	mx_object_put(obj);
	if (ret)
		return ret;
	/* Written before the handle is published: all or nothing. */
	if (a.out_vmar &&
	    put_user(MX_HANDLE_INVALID,
		     (s32 __user *)u64_to_user_ptr(a.out_vmar))) {
		mx_process_put(proc);
		return MX_ERR_INVALID_ARGS;
	}
	np = &proc->base;
	return mx_ht_install_new(&p->table, &np, &a.out, 1);
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
	ret = mx_job_create(mx_to_job(obj), &job);
	mx_object_put(obj);
	if (ret)
		return ret;
	nj = &job->base;
	return mx_ht_install_new(&p->table, &nj, &a.out, 1);
}

/* ---- mx_process_start ---- */

/**
 * struct mx_start - the handles one mx_process_start() moves
 * @n: how many: arg1, or the launcher's handles
 * @values: their values in the caller's table
 * @hs: the handles, once taken out of it
 * @index: the slots reserved for them in the new process's table
 * @new_values: their values there
 */
struct mx_start {
	u32 n;
	s32 values[MX_LAUNCH_MAX_HANDLES];
	struct mx_handle *hs[MX_LAUNCH_MAX_HANDLES];
	u32 index[MX_LAUNCH_MAX_HANDLES];
	s32 new_values[MX_LAUNCH_MAX_HANDLES];
};

/*
 * The child to bind: a task of the caller's pid namespace that leads a
 * thread group of one thread, is not exiting, and is a child of the
 * caller's own thread group (fork() from any of its threads).
 */
static struct task_struct *mx_get_fresh_child(pid_t nr)
{
	struct task_struct *task;
	bool ok = false;

	rcu_read_lock();
	task = pid_task(find_vpid(nr), PIDTYPE_PID);
	if (task) {
		ok = thread_group_leader(task) &&
		     same_thread_group(rcu_dereference(task->real_parent),
				       current) &&
		     get_nr_threads(task) == 1 &&
		     !(READ_ONCE(task->flags) & PF_EXITING);
		if (ok)
			get_task_struct(task);
	}
	rcu_read_unlock();
	return ok ? task : NULL;
}

/*
 * Find the handles to move, in Magenta's terms: arg1 must exist
 * (MX_ERR_INVALID_ARGS, no right needed); a launcher's handles must each
 * exist, have MX_RIGHT_TRANSFER and appear once. With @take they leave
 * the table.
 */
static int mx_start_take_locked(struct mx_handle_table *t,
				struct mx_start *st, bool launch, bool take)
{
	u32 i, j;

	lockdep_assert_held(&t->lock);
	for (i = 0; i < st->n; i++) {
		st->hs[i] = mx_ht_lookup_locked(t, st->values[i]);
		if (!st->hs[i])
			return launch ? MX_ERR_BAD_HANDLE : MX_ERR_INVALID_ARGS;
		if (launch && !(st->hs[i]->rights & MX_RIGHT_TRANSFER))
			return MX_ERR_ACCESS_DENIED;
	}
	for (i = 0; i < st->n; i++)
		for (j = i + 1; j < st->n; j++)
			if (st->hs[i] == st->hs[j])
				return MX_ERR_INVALID_ARGS;
	if (take)
		for (i = 0; i < st->n; i++)
			mx_ht_remove_locked(t, st->values[i]);
	return 0;
}

/* Whether the process and thread can still be started. */
static bool mx_start_state_ok(struct mx_process *proc, struct mx_thread *thr)
{
	bool ok;

	spin_lock(&proc->task_lock);
	ok = proc->state == MX_PROCESS_INITIAL &&
	     thr->state == MX_THREAD_NEW && !thr->killed;
	spin_unlock(&proc->task_lock);
	return ok;
}

static void mx_start_destroy(struct mx_start *st)
{
	u32 i;

	for (i = 0; i < st->n; i++)
		mx_handle_destroy(st->hs[i]);
}

/* Check only: as Magenta, a failure after the arg1 step consumes it. */
static int mx_start_check(struct mx_process *p, struct mx_process *proc,
			  struct mx_thread *thr, struct mx_start *st,
			  bool launch)
{
	int ret;

	spin_lock(&p->table.lock);
	ret = mx_start_take_locked(&p->table, st, launch, false);
	spin_unlock(&p->table.lock);
	if (ret || mx_start_state_ok(proc, thr))
		return ret;

	spin_lock(&p->table.lock);
	ret = mx_start_take_locked(&p->table, st, launch, true);
	spin_unlock(&p->table.lock);
	if (!ret)
		mx_start_destroy(st);
	return MX_ERR_BAD_STATE;
}

/* Put the moved handles in the new process's reserved slots. */
static void mx_start_place(struct mx_process *proc, struct mx_start *st)
{
	struct mx_handle_table *t = &proc->table;
	bool closed;
	u32 i;

	/* They changed hands: waits made through them end. */
	for (i = 0; i < st->n; i++)
		mx_handle_cancel_waits(st->hs[i]);
	spin_lock(&t->lock);
	closed = t->closed;
	if (!closed)
		for (i = 0; i < st->n; i++)
			mx_ht_place_locked(t, st->index[i], st->hs[i]);
	spin_unlock(&t->lock);
	if (!closed)
		return;
	/* The child died at once and its table is gone. */
	for (i = 0; i < st->n; i++)
		mx_ht_unreserve(t, st->index[i]);
	mx_start_destroy(st);
}

/* @task: the child, from mx_get_fresh_child(); the caller puts it. */
static int mx_start_bind(struct mx_process *p, struct mx_process *proc,
			 struct mx_thread *thr, struct mx_start *st,
			 bool launch, struct task_struct *task)
{
	u32 i, reserved = 0;
	bool state_ok = true;
	int ret;

	for (i = 0; i < st->n; i++) {
		ret = mx_ht_reserve(&proc->table, &st->index[i],
				    &st->new_values[i]);
		if (ret == MX_ERR_BAD_STATE) {
			/* Its table is closed: the process is dead. */
			state_ok = false;
			break;
		}
		if (ret)
			goto out_unreserve;
		reserved++;
	}

	spin_lock(&p->table.lock);
	ret = mx_start_take_locked(&p->table, st, launch, true);
	spin_unlock(&p->table.lock);
	if (ret)
		goto out_unreserve;

	ret = state_ok ? mx_process_bind(proc, thr, task) : MX_ERR_BAD_STATE;
	if (ret) {
		mx_start_destroy(st);
		goto out_unreserve;
	}
	mx_start_place(proc, st);
	return 0;

out_unreserve:
	for (i = 0; i < reserved; i++)
		mx_ht_unreserve(&proc->table, st->index[i]);
	return ret;
}

/*
 * Let the bound child of mx_process_start() run: it waits in
 * mx_ioc_process_start_wait() for arg1's value. Under the child's
 * task_lock(), which that wait takes to arm the parent-death signal: once
 * started, the child no longer dies with its parent.
 */
static void mx_start_release(struct mx_process *proc, struct task_struct *task,
			     s32 arg1)
{
	task_lock(task);
	proc->start_arg1 = arg1;
	/* start_arg1 before start_ready: mx_process_started() reads it. */
	smp_store_release(&proc->start_ready, true);
	task->pdeath_signal = 0;
	task_unlock(task);
	/* start_ready before the waker tests for waiters: see wake_up_var(). */
	smp_mb();
	wake_up_var(task);
}

/**
 * mx_ioc_process_start() - MX_IOC_PROCESS_START: mx_process_start() and
 * the launcher
 * @p: the calling process
 * @uarg: struct mx_ioc_process_start
 *
 * Needs MX_RIGHT_WRITE on the process and on the thread, which must have
 * been created in that process. With @pid 0 it only checks; with the pid
 * of the caller's fork() child it binds the process and the thread to that
 * child (mx_process_bind()) and moves arg1 (or the launcher's handles)
 * into the child's table; then (not for the launcher, which tells its
 * child the values itself) it lets the child, waiting in
 * mx_ioc_process_start_wait(), run. As in Magenta, arg1 needs no right,
 * and once it is taken a later failure does not give it back. @out may be
 * 0 when not launching.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (flags, arguments unreadable, arg1
 * not a handle, a launcher handle twice, out unwritable),
 * MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED (rights; the thread is not of
 * the process; @pid is not a fresh child of the caller),
 * MX_ERR_WRONG_TYPE, MX_ERR_BAD_STATE (process or thread started, killed
 * or dead; the child used mx already), MX_ERR_NO_MEMORY.
 */
long mx_ioc_process_start(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_process_start a;
	struct mx_object *pobj, *tobj;
	struct task_struct *task;
	struct mx_process *proc;
	struct mx_thread *thr;
	struct mx_start *st;
	bool launch;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.flags & ~MX_PROCESS_START_LAUNCH)
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

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st) {
		ret = MX_ERR_NO_MEMORY;
		goto out_put_thread;
	}
	if (launch) {
		st->n = a.num_handles;
		if (copy_from_user(st->values, u64_to_user_ptr(a.handles),
				   st->n * sizeof(s32))) {
			ret = MX_ERR_INVALID_ARGS;
			goto out_free;
		}
	} else {
		st->n = 1;
		st->values[0] = a.arg1;
	}

	if (!a.pid) {
		ret = mx_start_check(p, proc, thr, st, launch);
		goto out_free;
	}
	task = mx_get_fresh_child(a.pid);
	if (!task) {
		ret = MX_ERR_ACCESS_DENIED;
		goto out_free;
	}
	ret = mx_start_bind(p, proc, thr, st, launch, task);
	if (!ret && st->n && a.out &&
	    copy_to_user(u64_to_user_ptr(a.out), st->new_values,
			 st->n * sizeof(s32)))
		ret = MX_ERR_INVALID_ARGS;
	/* A launcher's child gets its values from the launcher itself. */
	if (!ret && !launch)
		mx_start_release(proc, task, st->new_values[0]);
	put_task_struct(task);
out_free:
	kfree(st);
out_put_thread:
	mx_object_put(tobj);
out_put_process:
	mx_object_put(pobj);
	return ret;
}

/* Whether the thread that forked the caller, @parent, is gone or going. */
static bool mx_start_parent_gone(pid_t parent)
{
	struct task_struct *t;
	bool gone;

	rcu_read_lock();
	t = rcu_dereference(current->real_parent);
	gone = task_pid_vnr(t) != parent || (READ_ONCE(t->flags) & PF_EXITING);
	rcu_read_unlock();
	return gone;
}

/**
 * mx_ioc_process_start_wait() - MX_IOC_PROCESS_START_WAIT: the fork()
 * child of mx_process_start() waits to be started
 * @uarg: struct mx_ioc_process_start_wait
 *
 * Made before the caller's group is attached (it would then no longer be
 * bindable): it waits until the parent has bound the group and placed
 * arg1 (mx_start_release()). Until then the caller has SIGKILL as its
 * parent-death signal, so a parent that dies first, or kills the child
 * on a failed start, ends the wait with the child. The signal is armed
 * before @parent is tested, with a full barrier: the parent sets
 * PF_EXITING, then do_exit()'s fully ordered decrement of signal->live,
 * then reads the signal when it reparents its children, so either it
 * sends the signal or the test sees it exiting. mx_start_release() clears
 * the signal under task_lock(), which also orders it with the arming.
 *
 * Context: process context; sleeps, killable.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (unreadable, unwritable),
 * MX_ERR_BAD_STATE (@parent is not the caller's parent, or is exiting),
 * -ERESTARTSYS (a fatal signal: the caller dies).
 */
long mx_ioc_process_start_wait(void __user *uarg)
{
	struct mx_ioc_process_start_wait a;
	bool started;
	s32 arg1;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	task_lock(current);
	started = mx_process_started(&arg1);
	if (!started)
		current->pdeath_signal = SIGKILL;
	task_unlock(current);
	if (!started) {
		smp_mb();	/* the signal armed before the parent test */
		if (mx_start_parent_gone(a.parent)) {
			/* Started just before the parent went? */
			smp_rmb();
			if (!mx_process_started(&arg1))
				return MX_ERR_BAD_STATE;
		} else {
			ret = wait_var_event_killable(current,
						      mx_process_started(&arg1));
			if (ret)
				return ret;
		}
	}
	a.arg1 = arg1;
	if (copy_to_user(uarg, &a, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	return MX_OK;
}
