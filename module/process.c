// SPDX-License-Identifier: GPL-2.0
/*
 * mx processes: one per Linux thread group that uses /dev/mx.
 *
 * A thread group is attached on its first mx call (an "ambient" process):
 * it gets an empty handle table with its own secret, a handle to itself and
 * a handle to the root job of its user (job.c). The process is found from
 * current's tgid, never
 * from the file, so a /dev/mx file passed to or inherited by another
 * process reaches only that process's own table. An ambient process is not
 * owned by its handles.
 *
 * mx_process_create() makes a process object that is bound to no thread
 * group (INITIAL). mx_process_start() (start.c) makes it STARTING, and
 * the fork() child of the caller that the kernel gave the start to binds
 * it, with its first thread, to its own thread group on its first call
 * (mx_process_bind()), and gets the bootstrap handle in its table. Such a
 * process is owned by its handles: when the last one goes, it is killed.
 *
 * An exec keeps the process: the table belongs to the thread group, as
 * its file descriptors do. How a process ends (its group's exit, a secure
 * exec, a kill) and the registry that finds a group's process are in
 * process_end.c, which opens with the states a process goes through.
 *
 * Locking (the module's lock order: docs/architecture.md):
 *  - The registry lock (process_end.c) serialises the attach and the bind
 *    of a process with every other change of the registry.
 *  - mx_process.task_lock (spinlock) protects the process's state, return
 *    code and thread list, and its threads' states (thread.c). Taken
 *    inside the registry lock; object locks and the thread registry lock
 *    nest inside it. Job locks (job.c) are never held while it is taken.
 *  - mx_process.self_lock (mutex) serialises making the self handle and
 *    the address space record of VMARs (vmar.c), whose lock nests inside.
 *  - mx_process.name_lock protects the name; it nests inside nothing.
 *  - mx_process.parked has a lock of its own (wait.c); innermost.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "job.h"
#include "process.h"
#include "process_end.h"
#include "thread.h"
#include "user.h"
#include "vmar.h"
#include "work.h"

unsigned int mx_max_handles = 65536;
module_param_named(max_handles, mx_max_handles, uint, 0644);
MODULE_PARM_DESC(max_handles,
		 "Most handles one process may hold (at most 262143)");

static void mx_process_release(struct mx_object *obj)
{
	struct mx_process *p = mx_to_process(obj);

	mx_parked_calls_fini(&p->parked);
	WARN_ON_ONCE(!list_empty(&p->threads));
	WARN_ON_ONCE(!list_empty(&p->claims));
	mx_job_remove_process(p);
	mx_object_put(&p->job->base);
	mx_ht_destroy(&p->table);
	mx_aspace_detach(p->aspace);
	put_pid(p->tgid);
	mx_user_uncache(&p->user);
	kfree_rcu(p, rcu);
}

static void mx_process_on_zero_handles(struct mx_object *obj)
{
	struct mx_process *p = mx_to_process(obj);

	/* A created process is owned by its handles; an ambient one is not. */
	if (!p->ambient)
		mx_process_kill(p);
}

static u64 mx_process_related_koid(struct mx_object *obj)
{
	return mx_to_process(obj)->job->base.koid;
}

static void mx_process_get_name(struct mx_object *obj, char *name)
{
	struct mx_process *p = mx_to_process(obj);

	spin_lock(&p->name_lock);
	memcpy(name, p->name, MX_MAX_NAME_LEN);
	spin_unlock(&p->name_lock);
}

/* Show the name as the Linux name (comm) of the group's leader. */
static void mx_process_name_to_task(struct mx_process *p, const char *name)
{
	struct task_struct *leader = NULL;
	struct pid *tgid;

	spin_lock(&p->task_lock);
	tgid = p->tgid;
	if (tgid && p->state == MX_PROCESS_RUNNING && !mx_process_severed(p))
		leader = get_pid_task(tgid, PIDTYPE_TGID);
	spin_unlock(&p->task_lock);
	if (!leader)
		return;
	mx_task_set_comm(leader, name);
	put_task_struct(leader);
}

static void mx_process_set_name(struct mx_object *obj, const char *name)
{
	struct mx_process *p = mx_to_process(obj);

	spin_lock(&p->name_lock);
	memcpy(p->name, name, MX_MAX_NAME_LEN);
	spin_unlock(&p->name_lock);
	mx_process_name_to_task(p, name);
}

static int mx_process_kill_obj(struct mx_object *obj)
{
	mx_process_kill(mx_to_process(obj));
	return 0;
}

const struct mx_object_ops mx_process_ops = {
	.type = MX_OBJ_TYPE_PROCESS,
	.name = "process",
	.default_rights = MX_DEFAULT_PROCESS_RIGHTS,
	.waitable = true,
	.user_signals = MX_USER_SIGNAL_ALL,
	.on_zero_handles = mx_process_on_zero_handles,
	.release = mx_process_release,
	.related_koid = mx_process_related_koid,
	.get_name = mx_process_get_name,
	.set_name = mx_process_set_name,
	.kill = mx_process_kill_obj,
};

static struct mx_process *mx_process_alloc(struct mx_job *job,
					   const char *name)
{
	struct mx_process *p;

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return NULL;
	mx_object_init(&p->base, &mx_process_ops, 0);
	mx_ht_init(&p->table, mx_ht_new_mixer(), mx_max_handles);
	spin_lock_init(&p->task_lock);
	INIT_LIST_HEAD(&p->threads);
	INIT_LIST_HEAD(&p->claims);
	INIT_LIST_HEAD(&p->job_node);
	mutex_init(&p->self_lock);
	spin_lock_init(&p->name_lock);
	strscpy(p->name, name, sizeof(p->name));
	mx_parked_calls_init(&p->parked);
	mx_process_end_init(p);
	mx_object_get(&job->base);
	p->job = job;
	return p;
}

/* Give a new ambient process its handles to itself and to its job. */
static int mx_process_install_self(struct mx_process *p)
{
	struct mx_handle *self, *job;
	u32 i_self, i_job;
	int ret;

	self = mx_handle_alloc(&p->base, MX_DEFAULT_PROCESS_RIGHTS);
	if (!self)
		return MX_ERR_NO_MEMORY;
	job = mx_handle_alloc(&p->job->base, MX_DEFAULT_JOB_RIGHTS);
	if (!job) {
		ret = MX_ERR_NO_MEMORY;
		goto out_free_self;
	}
	ret = mx_ht_reserve(&p->table, &i_self, &p->self_handle);
	if (ret)
		goto out_free_job;
	ret = mx_ht_reserve(&p->table, &i_job, &p->job_handle);
	if (ret)
		goto out_unreserve_self;
	mx_ht_commit(&p->table, i_self, self);
	mx_ht_commit(&p->table, i_job, job);
	return 0;

out_unreserve_self:
	mx_ht_unreserve(&p->table, i_self);
out_free_job:
	mx_handle_free(job);
out_free_self:
	mx_handle_free(self);
	return ret;
}

static struct mx_process *mx_process_attach(struct pid *tgid)
{
	char comm[TASK_COMM_LEN];
	struct mx_process *p, *old;
	struct mx_job *job;
	int ret;

	/* In the root job of the user it acts as (its effective uid). */
	job = mx_job_user_root(current_euid());
	if (!job)
		return ERR_PTR(MX_ERR_NO_MEMORY);
	/* An ambient process is named after its Linux task, as ps shows it. */
	get_task_comm(comm, current->group_leader);
	p = mx_process_alloc(job, comm);
	mx_object_put(&job->base);
	if (!p)
		return ERR_PTR(MX_ERR_NO_MEMORY);
	p->ambient = true;
	p->state = MX_PROCESS_RUNNING;
	p->tgid = get_pid(tgid);

	ret = mx_process_install_self(p);
	if (ret)
		goto out_put;
	ret = mx_job_add_process(p->job, p);
	if (ret)
		goto out_put;

	mx_process_registry_lock();
	rcu_read_lock();
	old = mx_process_lookup_rcu(tgid);
	rcu_read_unlock();
	if (old) {
		/* Another thread of the group attached first. */
		mx_process_registry_unlock();
		mx_ht_close_all(&p->table);
		mx_process_put(p);
		return old;
	}
	/* The creation reference becomes the registry's. */
	mx_process_register_locked(p);
	mx_process_registry_unlock();
	return p;

out_put:
	mx_ht_close_all(&p->table);
	mx_process_put(p);
	return ERR_PTR(ret);
}

/**
 * mx_process_current() - the calling thread group's process
 *
 * Attaches the group on its first call. The caller needs no reference:
 * the process lives at least as long as the calling thread (see the
 * locking rules above).
 *
 * Context: process context.
 * Return: the process, or an ERR_PTR() of MX_ERR_NO_MEMORY.
 */
struct mx_process *mx_process_current(void)
{
	struct pid *tgid = task_tgid(current);
	struct mx_process *p;

	rcu_read_lock();
	p = mx_process_lookup_rcu(tgid);
	rcu_read_unlock();
	if (likely(p))
		return p;
	/* The first call since a secure exec, maybe. */
	mx_process_wait_severed(tgid);
	return mx_process_attach(tgid);
}

/**
 * mx_process_new() - make a process that is not started
 * @job: the job it belongs to
 * @name: its name, NUL-terminated
 * @out: the new process, with its creation reference
 *
 * Return: 0; MX_ERR_NO_MEMORY, MX_ERR_BAD_STATE (@job was killed).
 */
int mx_process_new(struct mx_job *job, const char *name,
		      struct mx_process **out)
{
	struct mx_process *p;
	int ret;

	p = mx_process_alloc(job, name);
	if (!p)
		return MX_ERR_NO_MEMORY;
	p->state = MX_PROCESS_INITIAL;
	ret = mx_job_add_process(job, p);
	if (ret) {
		mx_process_put(p);
		return ret;
	}
	*out = p;
	return 0;
}

/**
 * mx_process_self_handle() - the handle behind mx_process_self()
 * @p: the calling process
 * @value: out: the value of the handle @p holds to itself
 *
 * An ambient process got it when it was attached; a started process gets
 * it on its first call (Magenta's launcher hands every process one).
 *
 * Return: 0, MX_ERR_NO_MEMORY or MX_ERR_NO_RESOURCES (table full).
 */
int mx_process_self_handle(struct mx_process *p, s32 *value)
{
	struct mx_handle *h;
	int ret = 0;
	u32 index;
	s32 v;

	v = READ_ONCE(p->self_handle);
	if (v) {
		*value = v;
		return 0;
	}
	mutex_lock(&p->self_lock);
	v = p->self_handle;
	if (v)
		goto out_unlock;
	h = mx_handle_alloc(&p->base, MX_DEFAULT_PROCESS_RIGHTS);
	if (!h) {
		ret = MX_ERR_NO_MEMORY;
		goto out_unlock;
	}
	ret = mx_ht_reserve(&p->table, &index, &v);
	if (ret) {
		mx_handle_free(h);
		goto out_unlock;
	}
	mx_ht_commit(&p->table, index, h);
	WRITE_ONCE(p->self_handle, v);
out_unlock:
	mutex_unlock(&p->self_lock);
	*value = v;
	return ret;
}

/**
 * mx_process_bind() - bind a process made by mx_process_create(), and its
 * first thread, to a new thread group
 * @p: the process, STARTING
 * @t: its first thread, STARTING
 * @task: the fork() child the start was given to (start.c): a group
 *	leader with no other thread, checked by the caller
 *
 * The group must never have used mx (it is not in the registry, checked
 * under the same lock that adds it).
 *
 * Return: 0; MX_ERR_BAD_STATE (@p or @t not STARTING, @t killed, or the
 * child has used mx already).
 */
int mx_process_bind(struct mx_process *p, struct mx_thread *t,
		    struct task_struct *task)
{
	struct pid *tgid = task_tgid(task);
	char name[MX_MAX_NAME_LEN];
	int ret = 0;

	mx_process_registry_lock();
	if (mx_process_known(tgid)) {
		ret = MX_ERR_BAD_STATE;
		goto out_unlock;
	}
	spin_lock(&p->task_lock);
	if (p->state != MX_PROCESS_STARTING ||
	    t->state != MX_THREAD_STARTING || t->killed) {
		ret = MX_ERR_BAD_STATE;
	} else {
		p->state = MX_PROCESS_RUNNING;
		p->tgid = get_pid(tgid);
		mx_thread_bind_locked(t, task);
	}
	spin_unlock(&p->task_lock);
	if (ret)
		goto out_unlock;
	mx_object_get(&p->base);	/* the registry's reference */
	mx_process_register_locked(p);
out_unlock:
	mx_process_registry_unlock();
	if (ret)
		return ret;

	/* Dead before the entry was on the queue: nobody will wake it. */
	if (atomic_read(&task->signal->live) == 0)
		queue_work(mx_wq, &p->exit_work);
	mx_process_get_name(&p->base, name);
	mx_task_set_comm(task, name);
	if (task == current)
		mx_thread_suspend_pending(t);
	return 0;
}

/**
 * mx_process_kill() - mx_task_kill() on a process
 * @p: the process
 *
 * A running process gets SIGKILL (its whole thread group); one never
 * started, or whose child has not claimed it yet, ends at once (that
 * child's claim fails, and it exits). The return code becomes -1 unless mx_process_exit()
 * set it first. Idempotent. A process an exec severed from its group is
 * left to its teardown: the group runs another program now.
 *
 * Context: process context, no mx lock held; the caller holds a reference.
 */
void mx_process_kill(struct mx_process *p)
{
	struct pid *tgid = NULL;
	bool initial = false;

	spin_lock(&p->task_lock);
	if (mx_process_severed(p)) {
		spin_unlock(&p->task_lock);
		return;
	}
	if (p->state == MX_PROCESS_INITIAL ||
	    p->state == MX_PROCESS_STARTING ||
	    p->state == MX_PROCESS_RUNNING) {
		initial = p->state != MX_PROCESS_RUNNING;
		p->state = MX_PROCESS_DYING;
		if (!p->ret_set) {
			p->ret_set = true;
			p->return_code = -1;
		}
	}
	/* A dying group may still run: SIGKILL it whatever its state. */
	if (!initial && p->tgid && p->state != MX_PROCESS_DEAD)
		tgid = get_pid(p->tgid);
	spin_unlock(&p->task_lock);

	if (initial)
		mx_process_finish(p, -1);
	if (tgid) {
		kill_pid(tgid, SIGKILL, 1);
		put_pid(tgid);
	}
}

/**
 * mx_process_set_return_code() - mx_process_exit(): note the return code
 * @p: the calling process, about to exit
 * @code: the code, unless a kill or an earlier exit decided one
 */
void mx_process_set_return_code(struct mx_process *p, int code)
{
	spin_lock(&p->task_lock);
	if (!p->ret_set) {
		p->ret_set = true;
		p->return_code = code;
	}
	if (p->state == MX_PROCESS_RUNNING)
		p->state = MX_PROCESS_DYING;
	spin_unlock(&p->task_lock);
}

/**
 * mx_process_info() - MX_INFO_PROCESS of a process
 * @p: the process
 * @rec: out: the record
 */
void mx_process_info(struct mx_process *p, struct mx_info_process *rec)
{
	memset(rec, 0, sizeof(*rec));
	spin_lock(&p->task_lock);
	rec->started = p->state != MX_PROCESS_INITIAL;
	rec->exited = p->state == MX_PROCESS_DYING ||
		      p->state == MX_PROCESS_DEAD;
	rec->return_code = p->ret_set ? p->return_code : 0;
	spin_unlock(&p->task_lock);
}

/**
 * mx_process_find_thread() - a thread of @p by koid
 * @p: the process
 * @koid: the koid
 *
 * Threads that ended are found while the process still lists them.
 *
 * Return: the thread's object, referenced, or NULL.
 */
struct mx_object *mx_process_find_thread(struct mx_process *p, u64 koid)
{
	struct mx_object *found = NULL;
	struct mx_thread *t;

	spin_lock(&p->task_lock);
	list_for_each_entry(t, &p->threads, pnode) {
		if (t->base.koid == koid) {
			if (kref_get_unless_zero(&t->base.ref))
				found = &t->base;
			break;
		}
	}
	spin_unlock(&p->task_lock);
	return found;
}

/**
 * mx_process_thread_koids() - MX_INFO_PROCESS_THREADS of a process
 * @p: the process
 * @koids: out: the koids of its threads that are not dead, in creation
 *	order (kvfree() it)
 * @n: out: how many
 *
 * Return: 0 or MX_ERR_NO_MEMORY.
 */
int mx_process_thread_koids(struct mx_process *p, u64 **koids, u32 *n)
{
	struct mx_thread *t;
	u32 count, room = 0, i;
	u64 *buf = NULL;

	for (;;) {
		count = 0;
		spin_lock(&p->task_lock);
		list_for_each_entry(t, &p->threads, pnode) {
			if (t->state == MX_THREAD_DEAD)
				continue;
			if (count < room)
				buf[count] = t->base.koid;
			count++;
		}
		spin_unlock(&p->task_lock);
		if (count <= room)
			break;
		kvfree(buf);
		room = count + 8;
		buf = kvmalloc_array(room, sizeof(*buf), GFP_KERNEL_ACCOUNT);
		if (!buf)
			return MX_ERR_NO_MEMORY;
	}
	for (i = count; i < room; i++)
		buf[i] = 0;
	*koids = buf;
	*n = count;
	return 0;
}

