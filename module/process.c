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
 * Death is learned from the kernel. The exit hook (hooks.c) sees the
 * thread that leaves the group with no live thread and (except on
 * PREEMPT_RT) queues a task work on it, which closes the table (cascading to whatever the handles kept
 * alive) and asserts MX_TASK_TERMINATED in that thread, in
 * exit_task_work(), where it may sleep; an entry on the tgid's wait_pidfd
 * queue is woken when the thread group has exited, and then a reaper
 * that runs in batches drops the registry's references (or, if the task
 * work was not queued, a work item does all of it).
 *
 * An exec keeps the process: the table belongs to the thread group, as
 * its file descriptors do. A secure exec (bprm->secureexec: setuid, setgid,
 * file capabilities, an LSM transition) severs it instead: the exec hook
 * (hooks.c), which runs in the exec'ing task once the new
 * credentials are committed and every other thread of the group is gone,
 * marks it severed (mx_process.end) and queues the task work on that task,
 * which ends the process as an exit would (table closed, threads DEAD,
 * MX_TASK_TERMINATED, return code -1) before the new program runs, takes it
 * off the group's wait_pidfd queue and leaves the references to the
 * reaper. Its next mx call attaches a fresh process. While severed, kills
 * and renames through the old handles reach no task (mx_process_severed()).
 * On PREEMPT_RT, where the hook queues no task work (as at exit), the
 * exit work ends it, and the group's next mx call waits for that.
 *
 * Locking:
 *  - mx_procs_lock (mutex) serialises changes to the registry of attached
 *    processes and the binding of new ones; lookups walk it under RCU.
 *  - mx_process.task_lock (spinlock) protects the process's state, return
 *    code and thread list, and its threads' states (thread.c). Taken
 *    inside mx_procs_lock; object locks and the thread registry lock nest
 *    inside it. Job locks (job.c) are never held while it is taken.
 *  - mx_process.end decides, by cmpxchg, whether the task work or the exit
 *    work ends a process, and whether an exec severed it; the hooks take
 *    no lock.
 *  - The registry holds one reference to each attached process, dropped by
 *    the exit work. A thread of a live group uses its own process without a
 *    reference of its own: the exit work cannot run before every thread of
 *    the group has left do_exit()'s signal->live decrement, so not while one
 *    of them is inside an ioctl.
 *  - mx_process.self_lock (mutex) serialises making the self handle.
 *  - mx_process.name_lock protects the name; it nests inside nothing.
 *  - mx_process.wait_lock protects the parked waits (wait.c); innermost.
 *  - Each attached process holds a module reference while its entry is on
 *    the wait_pidfd queue, so the module cannot be unloaded under a live
 *    process. Whoever takes the entry off the queue drops it: the wake-up
 *    that finds the group dead, which the kernel runs before the parent
 *    can reap the group (so `rmmod` right after waitpid() succeeds), or the
 *    exit work. What is left to do then (the exit work, the reaper's batch)
 *    holds no module reference: module exit finishes it
 *    (mx_process_teardown()) before anything else is torn down. The wake-up
 *    runs with the queue's spinlock held, so the module's text cannot go
 *    (free_module() waits for a grace period) before it has returned.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/module.h>
#include <linux/llist.h>
#include <linux/moduleparam.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/task_work.h>

#include "hooks.h"
#include "job.h"
#include "process.h"
#include "thread.h"
#include "user.h"

unsigned int mx_max_handles = 65536;
module_param_named(max_handles, mx_max_handles, uint, 0644);
MODULE_PARM_DESC(max_handles,
		 "Most handles one process may hold (at most 262143)");

static DEFINE_HASHTABLE(mx_procs, 8);
static DEFINE_MUTEX(mx_procs_lock);

static void mx_process_release(struct mx_object *obj)
{
	struct mx_process *p = mx_to_process(obj);

	WARN_ON_ONCE(!list_empty(&p->parked_waits));
	WARN_ON_ONCE(!list_empty(&p->threads));
	WARN_ON_ONCE(!list_empty(&p->claims));
	mx_job_remove_process(p);
	mx_object_put(&p->job->base);
	mx_ht_destroy(&p->table);
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

/*
 * The end of a process whose state was set to DYING: close its table
 * (cascading to whatever its handles kept alive), make sure each of its
 * threads reads DEAD, assert MX_TASK_TERMINATED and leave the job.
 */
static void mx_process_finish(struct mx_process *p, int code)
{
	struct mx_thread *t, *tmp;
	LIST_HEAD(claims);

	mx_wait_process_exit(p);
	mx_ht_close_all(&p->table);

	spin_lock(&p->task_lock);
	list_for_each_entry(t, &p->threads, pnode)
		mx_thread_gone(t);
	/* Threads started that never bound: DEAD now, their claims end. */
	list_splice_init(&p->claims, &claims);
	if (!p->ret_set) {
		p->ret_set = true;
		p->return_code = code;
	}
	p->state = MX_PROCESS_DEAD;
	mx_object_update_signals(&p->base, 0, MX_TASK_TERMINATED);
	spin_unlock(&p->task_lock);

	list_for_each_entry_safe(t, tmp, &claims, claim_node) {
		list_del_init(&t->claim_node);
		mx_object_put(&t->base);
	}
	mx_job_remove_process(p);
}

/*
 * A process its task work ended has only the registry's references left
 * when the group's exit is notified. The wake-up drops them in batches,
 * a little later, rather than waking a worker (often on another CPU) for
 * each exit on the way of the exiting task.
 */
#define MX_REAP_DELAY	1	/* jiffy */

static LLIST_HEAD(mx_reap_list);

static void mx_process_reap_work(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&mx_reap_list);
	struct mx_process *p, *tmp;

	llist_for_each_entry_safe(p, tmp, list, reap_node) {
		bool module_ref = p->reap_module_ref;

		/* An exit work queued by an earlier wake-up: it is moot. */
		cancel_work_sync(&p->exit_work);
		mx_process_put(p);
		/* A severed process's (mx_process_sever()); mx_wq's own. */
		if (module_ref)
			module_put(THIS_MODULE);
	}
}

static DECLARE_DELAYED_WORK(mx_reap_work, mx_process_reap_work);

/* Leave the registry's references of @p, off its queue, to the reaper. */
static void mx_process_reap(struct mx_process *p)
{
	if (llist_add(&p->reap_node, &mx_reap_list))
		queue_delayed_work(mx_wq, &mx_reap_work, MX_REAP_DELAY);
}

/*
 * Take @p out of the registry, mark it DYING and end it with @code. The
 * code is decided with the state, so MX_INFO_PROCESS never reads exited
 * with a code that is to change.
 */
static void mx_process_end(struct mx_process *p, int code)
{
	mutex_lock(&mx_procs_lock);
	hash_del_rcu(&p->hnode);
	mutex_unlock(&mx_procs_lock);

	spin_lock(&p->task_lock);
	p->state = MX_PROCESS_DYING;
	if (!p->ret_set) {
		p->ret_set = true;
		p->return_code = code;
	}
	spin_unlock(&p->task_lock);
	mx_process_finish(p, code);
}

/* A secure exec's process ends as a killed one does (MX_INFO_PROCESS). */
#define MX_EXEC_RETURN_CODE	-1

/*
 * Take @p's entry off its group's wait_pidfd queue, if it is still there:
 * whether it was (the caller then drops the module reference).
 */
static bool mx_process_unwatch(struct mx_process *p)
{
	struct wait_queue_head *wq = &p->tgid->wait_pidfd;
	unsigned long flags;
	bool queued;

	spin_lock_irqsave(&wq->lock, flags);
	queued = !list_empty(&p->exit_wait.entry);
	list_del_init(&p->exit_wait.entry);
	spin_unlock_irqrestore(&wq->lock, flags);
	return queued;
}

/*
 * End a process a secure exec severed from its thread group, which lives
 * on: as at its exit, but it leaves the group's wait_pidfd queue here, and
 * with it the module reference that entry holds. From the task work
 * (@in_work false) the reaper drops the registry's reference and the
 * module's, after any exit work still running (module code outside mx_wq
 * must not drop the module's last reference); the exit work drops them
 * itself.
 */
static void mx_process_sever(struct mx_process *p, bool in_work)
{
	bool queued = mx_process_unwatch(p);

	/* A wake-up that raced with the removal must not run it again. */
	if (in_work)
		cancel_work(&p->exit_work);
	mx_process_end(p, MX_EXEC_RETURN_CODE);
	if (!in_work) {
		p->reap_module_ref = queued;
		mx_process_reap(p);
		return;
	}
	mx_process_put(p);
	if (queued)
		module_put(THIS_MODULE);
}

/*
 * Task work queued by the exit hook on the thread that left a group of
 * the registry dead (mx_process_on_exit()): ends the process in that
 * thread, sleeping as it may in exit_task_work(), so that its waiters need
 * not wait for a kworker. The exit work still drops the registry's
 * references, after the group's last wake-up of wait_pidfd, which comes
 * after this has returned. Queued by the exec hook instead
 * (mx_process_on_exec()), it ends the process before the new program
 * runs (or in exit_task_work(), if the task dies first).
 */
static void mx_process_exit_task_work(struct callback_head *cb)
{
	struct mx_process *p = container_of(cb, struct mx_process,
					    exit_twork);
	int code;

	/* Set by this very task before it queued us. */
	if (READ_ONCE(p->end) == MX_END_EXEC_TASK) {
		mx_process_sever(p, false);
		return;
	}
	if (WARN_ON_ONCE(!mx_tgid_dead(p, &code)))
		code = -1;

	mx_process_end(p, code);
	/* The exit work may free @p from here on. */
	smp_store_release(&p->end, MX_END_TASK_DONE);
}

static void mx_process_exit_work(struct work_struct *work)
{
	struct mx_process *p = container_of(work, struct mx_process,
					    exit_work);
	bool queued;
	int end, code;

	/* Severed by an exec: the group may live on. */
	end = READ_ONCE(p->end);
	if (end == MX_END_EXEC_TASK || end == MX_END_EXEC_WORK)
		goto severed;
	if (!mx_tgid_dead(p, &code))
		return;
	/* Pairs with the task work's release: its teardown is seen done. */
	end = smp_load_acquire(&p->end);
	if (end == MX_END_NONE)
		end = cmpxchg(&p->end, MX_END_NONE, MX_END_WORK);
	if (end == MX_END_TASK_DONE)
		end = cmpxchg(&p->end, MX_END_TASK_DONE, MX_END_REAPED);
	if (end == MX_END_EXEC_TASK || end == MX_END_EXEC_WORK)
		goto severed;
	/*
	 * Its task work ends it (a later wake-up brings us back), or the
	 * wake-up took its references to drop.
	 */
	if (end == MX_END_TASK || end == MX_END_REAPED)
		return;
	smp_acquire__after_ctrl_dep();

	/* The wake-up that found the group dead took it off already. */
	queued = mx_process_unwatch(p);
	/* A wake-up that raced with the removal must not run us again. */
	cancel_work(&p->exit_work);

	if (end == MX_END_NONE)
		mx_process_end(p, code);

	mx_process_put(p);
	/* Module exit drains mx_wq: we return before it goes on. */
	if (queued)
		module_put(THIS_MODULE);
	return;

severed:
	/* Its task work ends it (and the reaper cancels us), or we do. */
	if (end == MX_END_EXEC_WORK)
		mx_process_sever(p, true);
}

static int mx_process_exit_wake(struct wait_queue_entry *wait,
				unsigned int mode, int sync, void *key)
{
	struct mx_process *p = container_of(wait, struct mx_process,
					    exit_wait);
	struct task_struct *leader;
	bool dead;

	/*
	 * The leader is a zombie now, but its parent may reap it before
	 * the work runs: note the exit code while it can be read.
	 */
	rcu_read_lock();
	leader = pid_task(p->tgid, PIDTYPE_TGID);
	dead = !leader || atomic_read(&leader->signal->live) == 0;
	if (leader && dead) {
		WRITE_ONCE(p->exit_code, mx_group_exit_code(leader));
		WRITE_ONCE(p->exit_code_noted, true);
	}
	rcu_read_unlock();

	/* Pairs with the task work's release, as in the exit work. */
	if (smp_load_acquire(&p->end) == MX_END_TASK_DONE &&
	    cmpxchg(&p->end, MX_END_TASK_DONE, MX_END_REAPED) ==
		    MX_END_TASK_DONE) {
		/* Off the queue (as autoremove_wake_function() does). */
		list_del_init(&wait->entry);
		mx_process_reap(p);
		module_put(THIS_MODULE);
		return 0;
	}
	queue_work(mx_wq, &p->exit_work);
	/*
	 * A dead group needs no later wake-up: the exit work finds it dead.
	 * (Its task work, if it has one, ran before the wake-up of its
	 * death: exit_task_work() comes before exit_notify().)
	 */
	if (dead && READ_ONCE(p->end) != MX_END_TASK) {
		list_del_init(&wait->entry);
		module_put(THIS_MODULE);
	}
	return 0;
}

/* The process of @tgid, not counting one an exec severed from it. */
static struct mx_process *mx_process_lookup_rcu(struct pid *tgid)
{
	struct mx_process *p;

	hash_for_each_possible_rcu(mx_procs, p, hnode, (unsigned long)tgid)
		if (p->tgid == tgid && !mx_process_severed(p))
			return p;
	return NULL;
}

/*
 * Wait until no process an exec severed from @tgid is left for the exit
 * work to end: until then its threads are still bound to their tasks.
 * (One its task work ends is gone before the group can call again.)
 */
static void mx_process_wait_severed(struct pid *tgid)
{
	struct mx_process *p, *found = NULL;

	rcu_read_lock();
	hash_for_each_possible_rcu(mx_procs, p, hnode, (unsigned long)tgid) {
		if (p->tgid == tgid &&
		    READ_ONCE(p->end) == MX_END_EXEC_WORK &&
		    kref_get_unless_zero(&p->base.ref)) {
			found = p;
			break;
		}
	}
	rcu_read_unlock();
	if (!found)
		return;
	flush_work(&found->exit_work);
	mx_process_put(found);
}

static bool mx_process_known(struct pid *tgid)
{
	bool known;

	rcu_read_lock();
	known = mx_process_lookup_rcu(tgid);
	rcu_read_unlock();
	return known;
}

/*
 * Put a bound process in the registry and on its group's wait_pidfd queue.
 * The registry takes a reference and a module reference.
 */
static void mx_process_register_locked(struct mx_process *p)
{
	lockdep_assert_held(&mx_procs_lock);
	__module_get(THIS_MODULE);
	/*
	 * On the queue before the hook can find it: a task work the hook
	 * queues is always followed by a wake-up (see mx_process_on_exit()).
	 */
	add_wait_queue(&p->tgid->wait_pidfd, &p->exit_wait);
	hash_add_rcu(mx_procs, &p->hnode, (unsigned long)p->tgid);
}

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
	spin_lock_init(&p->wait_lock);
	INIT_LIST_HEAD(&p->parked_waits);
	init_waitqueue_func_entry(&p->exit_wait, mx_process_exit_wake);
	INIT_WORK(&p->exit_work, mx_process_exit_work);
	init_task_work(&p->exit_twork, mx_process_exit_task_work);
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
	/* The creation reference becomes the registry's. */
	mx_process_register_locked(p);
	mutex_unlock(&mx_procs_lock);
	return p;

out_put:
	mx_ht_close_all(&p->table);
	mx_process_put(p);
	return ERR_PTR(ret);
}

/**
 * mx_process_on_exit() - a task exits (the exit hook)
 * @task: the exiting task (current)
 *
 * When @task's thread group is dead (no thread of it can be in an mx call
 * any more) and is a process of the registry, queues the task work that
 * ends the process on @task, once per process. Every thread of the group
 * passes exit_notify(), which wakes wait_pidfd when the group is gone,
 * only after this: the exit work that follows the wake-up finds the task
 * work done.
 *
 * Context: the hook: preemption disabled, no lock held; takes none. Not
 * on PREEMPT_RT.
 */
void mx_process_on_exit(struct task_struct *task)
{
	struct mx_process *p;

	/*
	 * On PREEMPT_RT the exit work does it all: with KASAN,
	 * task_work_add() may allocate, taking spinlock_t, which sleeps there.
	 */
	if (IS_ENABLED(CONFIG_PREEMPT_RT) || atomic_read(&task->signal->live))
		return;
	rcu_read_lock();
	p = mx_process_lookup_rcu(task_tgid(task));
	/* Not MX_END_NONE: the exit work ended it, or another thread queued. */
	if (p && cmpxchg(&p->end, MX_END_NONE, MX_END_TASK) == MX_END_NONE &&
	    task_work_add(task, &p->exit_twork, TWA_NONE)) {
		/* Past exit_task_work() (not expected): the exit work ends it. */
		WRITE_ONCE(p->end, MX_END_NONE);
		queue_work(mx_wq, &p->exit_work);
	}
	rcu_read_unlock();
}

/**
 * mx_process_on_exec() - a task does a secure exec (the exec hook)
 * @task: the exec'ing task (current), the only thread of its group, its
 *	new credentials committed
 *
 * Severs the group's process, if it has one: marks it (no kill or rename
 * through its handles reaches the group from then on) and queues the task
 * work that ends it on @task, which runs before the new program does. The
 * exit work ends it instead on PREEMPT_RT (or if @task were past its task
 * works), and the group's next mx call waits for it
 * (mx_process_current()).
 *
 * Context: the hook: preemption disabled, no lock held; takes none.
 */
void mx_process_on_exec(struct task_struct *task)
{
	/*
	 * Not on PREEMPT_RT, as at exit: with KASAN, task_work_add() may
	 * allocate, taking spinlock_t, which sleeps there.
	 */
	int end = IS_ENABLED(CONFIG_PREEMPT_RT) ? MX_END_EXEC_WORK :
						   MX_END_EXEC_TASK;
	struct mx_process *p;

	rcu_read_lock();
	p = mx_process_lookup_rcu(task_tgid(task));
	/*
	 * The group lives (@task is in it), so neither its exit work nor its
	 * exit hook decided anything yet: this takes it.
	 */
	if (!p || cmpxchg(&p->end, MX_END_NONE, end) != MX_END_NONE)
		goto out_unlock;
	if (end == MX_END_EXEC_TASK &&
	    !task_work_add(task, &p->exit_twork, TWA_RESUME))
		goto out_unlock;
	/* No task work: the exit work ends it. */
	WRITE_ONCE(p->end, MX_END_EXEC_WORK);
	queue_work(mx_wq, &p->exit_work);
out_unlock:
	rcu_read_unlock();
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
 * mx_process_create() - make a process that is not started
 * @job: the job it belongs to
 * @name: its name, NUL-terminated
 * @out: the new process, with its creation reference
 *
 * Return: 0; MX_ERR_NO_MEMORY, MX_ERR_BAD_STATE (@job was killed).
 */
int mx_process_create(struct mx_job *job, const char *name,
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
 * mx_process_self() - the handle behind mx_process_self()
 * @p: the calling process
 * @value: out: the value of the handle @p holds to itself
 *
 * An ambient process got it when it was attached; a started process gets
 * it on its first call (Magenta's launcher hands every process one).
 *
 * Return: 0, MX_ERR_NO_MEMORY or MX_ERR_NO_RESOURCES (table full).
 */
int mx_process_self(struct mx_process *p, s32 *value)
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

	mutex_lock(&mx_procs_lock);
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
	mutex_unlock(&mx_procs_lock);
	if (ret)
		return ret;

	/* Dead before the entry was on the queue: nobody will wake it. */
	if (atomic_read(&task->signal->live) == 0)
		queue_work(mx_wq, &p->exit_work);
	mx_process_get_name(&p->base, name);
	mx_task_set_comm(task, name);
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

/**
 * mx_process_teardown() - module unload: finish what the last exits left
 *
 * Processes whose groups are dead hold no module reference, but their
 * last references may still wait for the reaper's batch, and their
 * teardown (and their threads') for mx_wq. Runs the batch now and waits
 * for every work item on mx_wq, including those they queue in turn.
 *
 * Context: module unload, the hooks detached and no arm left to end
 * (start.c): nothing
 * but mx_wq's own works may queue on it any more.
 */
void mx_process_teardown(void)
{
	cancel_delayed_work_sync(&mx_reap_work);
	mx_process_reap_work(NULL);
	drain_workqueue(mx_wq);
	/* Every live process holds a module reference: none can be left. */
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
