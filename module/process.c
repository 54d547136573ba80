// SPDX-License-Identifier: GPL-2.0
/*
 * mx processes: one per Linux thread group that uses /dev/mx.
 *
 * A thread group is attached on its first mx call (an "ambient" process):
 * it gets an empty handle table with its own secret, a handle to itself and
 * a handle to the root job. The process is found from current's tgid, never
 * from the file, so a /dev/mx file passed to or inherited by another
 * process reaches only that process's own table.
 *
 * Death is learned from the kernel: an entry on the tgid's wait_pidfd queue
 * is woken when the thread group has exited; a work item then closes the
 * table (cascading to whatever the handles kept alive) and asserts
 * MX_TASK_TERMINATED.
 *
 * Locking:
 *  - mx_procs_lock (mutex) serialises changes to the registry of attached
 *    processes; lookups walk it under RCU.
 *  - The registry holds one reference to each attached process, dropped by
 *    the exit work. A thread of a live group uses its own process without a
 *    reference of its own: the exit work cannot run before every thread of
 *    the group has left do_exit()'s signal->live decrement, so not while one
 *    of them is inside an ioctl.
 *  - mx_process.name_lock protects the name; it nests inside nothing.
 *  - mx_process.wait_lock protects the parked waits (wait.c); innermost.
 *  - Each attached process holds a module reference, so the module cannot
 *    be unloaded under a live process; the exit work drops it, and module
 *    exit destroys the workqueue, which waits for the work to return.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "job.h"
#include "process.h"

unsigned int mx_max_handles = 65536;
module_param_named(max_handles, mx_max_handles, uint, 0644);
MODULE_PARM_DESC(max_handles,
		 "Most handles one process may hold (at most 262143)");

static DEFINE_HASHTABLE(mx_procs, 8);
static DEFINE_MUTEX(mx_procs_lock);
static struct workqueue_struct *mx_wq;

static void mx_process_release(struct mx_object *obj)
{
	struct mx_process *p = mx_to_process(obj);

	WARN_ON_ONCE(!list_empty(&p->parked_waits));
	mx_ht_destroy(&p->table);
	put_pid(p->tgid);
	kfree_rcu(p, rcu);
}

static u64 mx_process_related_koid(struct mx_object *obj)
{
	return mx_job_root_koid();
}

static void mx_process_get_name(struct mx_object *obj, char *name)
{
	struct mx_process *p = mx_to_process(obj);

	spin_lock(&p->name_lock);
	memcpy(name, p->name, MX_MAX_NAME_LEN);
	spin_unlock(&p->name_lock);
}

static void mx_process_set_name(struct mx_object *obj, const char *name)
{
	struct mx_process *p = mx_to_process(obj);

	spin_lock(&p->name_lock);
	memcpy(p->name, name, MX_MAX_NAME_LEN);
	spin_unlock(&p->name_lock);
}

const struct mx_object_ops mx_process_ops = {
	.type = MX_OBJ_TYPE_PROCESS,
	.name = "process",
	.default_rights = MX_DEFAULT_PROCESS_RIGHTS,
	.waitable = true,
	.user_signals = MX_USER_SIGNAL_ALL,
	.release = mx_process_release,
	.related_koid = mx_process_related_koid,
	.get_name = mx_process_get_name,
	.set_name = mx_process_set_name,
};

/* The exit code of a thread group none of whose threads is left. */
static int mx_group_exit_code(struct task_struct *leader)
{
	int status = READ_ONCE(leader->signal->group_exit_code);

	if (!(leader->signal->flags & SIGNAL_GROUP_EXIT))
		status = READ_ONCE(leader->exit_code);
	/* exit(n) gives n; death by a signal gives -1 as Magenta. */
	return (status & 0x7f) ? -1 : (status >> 8) & 0xff;
}

/* Whether every thread of the group has exited. */
static bool mx_tgid_dead(struct mx_process *p, int *code)
{
	struct task_struct *leader;
	bool dead;

	leader = get_pid_task(p->tgid, PIDTYPE_TGID);
	if (!leader) {
		/* Reaped already: use the code noted at the exit. */
		*code = READ_ONCE(p->exit_code_noted) ?
			READ_ONCE(p->exit_code) : -1;
		return true;
	}
	dead = atomic_read(&leader->signal->live) == 0;
	if (dead)
		*code = mx_group_exit_code(leader);
	put_task_struct(leader);
	return dead;
}

static void mx_process_exit_work(struct work_struct *work)
{
	struct mx_process *p = container_of(work, struct mx_process,
					    exit_work);
	int code;

	if (!mx_tgid_dead(p, &code))
		return;

	remove_wait_queue(&p->tgid->wait_pidfd, &p->exit_wait);
	/* A wake-up that raced with the removal must not run us again. */
	cancel_work(&p->exit_work);

	mutex_lock(&mx_procs_lock);
	hash_del_rcu(&p->hnode);
	mutex_unlock(&mx_procs_lock);

	mx_wait_process_exit(p);
	mx_ht_close_all(&p->table);

	spin_lock(&p->base.lock);
	p->dead = true;
	p->return_code = code;
	mx_object_update_signals_locked(&p->base, 0, MX_TASK_TERMINATED);
	spin_unlock(&p->base.lock);

	mx_process_put(p);
	module_put(THIS_MODULE);
}

static int mx_process_exit_wake(struct wait_queue_entry *wait,
				unsigned int mode, int sync, void *key)
{
	struct mx_process *p = container_of(wait, struct mx_process,
					    exit_wait);
	struct task_struct *leader;

	/*
	 * The leader is a zombie now, but its parent may reap it before
	 * the work runs: note the exit code while it can be read.
	 */
	rcu_read_lock();
	leader = pid_task(p->tgid, PIDTYPE_TGID);
	if (leader && atomic_read(&leader->signal->live) == 0) {
		WRITE_ONCE(p->exit_code, mx_group_exit_code(leader));
		WRITE_ONCE(p->exit_code_noted, true);
	}
	rcu_read_unlock();
	queue_work(mx_wq, &p->exit_work);
	return 0;
}

static struct mx_process *mx_process_lookup_rcu(struct pid *tgid)
{
	struct mx_process *p;

	hash_for_each_possible_rcu(mx_procs, p, hnode, (unsigned long)tgid)
		if (p->tgid == tgid)
			return p;
	return NULL;
}

/* Give a new process its handles to itself and to the root job. */
static int mx_process_install_self(struct mx_process *p)
{
	struct mx_handle *self, *job;
	u32 i_self, i_job;
	int ret;

	self = mx_handle_alloc(&p->base, MX_DEFAULT_PROCESS_RIGHTS);
	if (!self)
		return MX_ERR_NO_MEMORY;
	job = mx_job_root_handle_alloc();
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

/* An ambient process is named after its Linux task, as ps shows it. */
static void mx_process_name_from_task(struct mx_process *p,
				      struct task_struct *task)
{
	char comm[TASK_COMM_LEN];

	get_task_comm(comm, task);
	strscpy(p->name, comm, sizeof(p->name));
}

static struct mx_process *mx_process_attach(struct pid *tgid)
{
	struct mx_process *p, *old;
	int ret;

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return ERR_PTR(MX_ERR_NO_MEMORY);
	mx_object_init(&p->base, &mx_process_ops, 0);
	mx_ht_init(&p->table, mx_ht_new_mixer(), mx_max_handles);
	spin_lock_init(&p->name_lock);
	spin_lock_init(&p->wait_lock);
	INIT_LIST_HEAD(&p->parked_waits);
	mx_process_name_from_task(p, current->group_leader);
	p->tgid = get_pid(tgid);
	init_waitqueue_func_entry(&p->exit_wait, mx_process_exit_wake);
	INIT_WORK(&p->exit_work, mx_process_exit_work);

	ret = mx_process_install_self(p);
	if (ret)
		goto out_put;

	mutex_lock(&mx_procs_lock);
	rcu_read_lock();
	old = mx_process_lookup_rcu(tgid);
	rcu_read_unlock();
	if (old) {
		/* Another thread of the group attached first. */
		mutex_unlock(&mx_procs_lock);
		mx_ht_close_all(&p->table);
		mx_process_put(p);
		return old;
	}
	__module_get(THIS_MODULE);
	hash_add_rcu(mx_procs, &p->hnode, (unsigned long)tgid);
	add_wait_queue(&tgid->wait_pidfd, &p->exit_wait);
	mutex_unlock(&mx_procs_lock);
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
	return mx_process_attach(tgid);
}

int mx_process_init(void)
{
	mx_wq = alloc_workqueue("mx", WQ_UNBOUND, 0);
	return mx_wq ? 0 : -ENOMEM;
}

void mx_process_exit(void)
{
	/* Every process holds a module reference: none can be left. */
	destroy_workqueue(mx_wq);
	WARN_ON_ONCE(!hash_empty(mx_procs));
}

/**
 * mx_process_get_by_pid() - the mx process of a thread group, if attached
 * @tgid: the thread group's struct pid
 *
 * Return: the process with a reference the caller must put, or NULL if
 * the group never attached or its process is being torn down.
 */
struct mx_process *mx_process_get_by_pid(struct pid *tgid)
{
	struct mx_process *p;

	rcu_read_lock();
	p = mx_process_lookup_rcu(tgid);
	if (p && !kref_get_unless_zero(&p->base.ref))
		p = NULL;
	rcu_read_unlock();
	return p;
}

/**
 * mx_process_show_all() - debugfs "processes": one line per attached
 *	process: pid (in the initial pid namespace), koid, handles, name
 * @m: the seq_file
 */
void mx_process_show_all(struct seq_file *m)
{
	char name[MX_MAX_NAME_LEN];
	struct mx_process *p;
	unsigned int bkt;
	u32 count;

	rcu_read_lock();
	hash_for_each_rcu(mx_procs, bkt, p, hnode) {
		spin_lock(&p->table.lock);
		count = p->table.count;
		spin_unlock(&p->table.lock);
		mx_process_get_name(&p->base, name);
		name[MX_MAX_NAME_LEN - 1] = '\0';
		seq_printf(m, "%d %llu %u %s\n", pid_nr(p->tgid), p->base.koid,
			   count, name);
	}
	rcu_read_unlock();
}
