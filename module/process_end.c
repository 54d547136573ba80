// SPDX-License-Identifier: GPL-2.0
/*
 * The end of an mx process, and the registry of attached processes.
 *
 * A process ends once: when its thread group is gone, when a secure exec
 * severs it from the group, or, if it never ran, when it is killed
 * (process.c). Ending it closes its table (cascading to whatever its
 * handles kept alive), makes each of its threads DEAD, asserts
 * MX_TASK_TERMINATED and takes it out of its job (mx_process_finish()).
 *
 * Its state (mx_process.state, under task_lock):
 *
 *   INITIAL --start--> STARTING --claim--> RUNNING
 *      |                   |                  |  mx_process_exit(), kill,
 *      |  kill             |  kill            |  group exit, secure exec
 *      +-------------------+--------> DYING <-+
 *                                       |
 *                                       | mx_process_finish()
 *                                       v
 *                                      DEAD
 *
 * Who ends a bound process (mx_process.end, decided by cmpxchg, so that
 * exactly one of them does):
 *
 *   NONE --exit hook--> TASK --task work--> TASK_DONE --+--> REAPED
 *    |                                                   the wake-up or
 *    |                                                   the exit work
 *    +--exit work, group dead--> WORK
 *    +--exec hook--> EXEC_TASK   a task work ends it before the new
 *    |                           program runs
 *    +--exec hook--> EXEC_WORK   on PREEMPT_RT: the exit work ends it
 *
 *  - TASK: the exit hook (hooks.c) saw the group's last thread leave and
 *    queued a task work on it, which ends the process in that thread,
 *    where it may sleep (exit_task_work()), so that waiters are woken by
 *    the exiting task as for pthread_join(), not by a kworker later.
 *  - TASK_DONE -> REAPED: the group's exit is then notified on its
 *    wait_pidfd queue, whose wake-up (mx_process_exit_wake()) leaves the
 *    registry's references to the reaper, which drops them in batches;
 *    or the exit work drops them.
 *  - WORK: no task work could be queued (PREEMPT_RT, where task_work_add()
 *    may sleep; a group that was already past its task works): the exit
 *    work, queued by the wake-up, ends the process in a kworker.
 *  - EXEC_TASK, EXEC_WORK: a secure exec (bprm->secureexec: setuid,
 *    setgid, file capabilities, an LSM transition) keeps nothing mx gave
 *    the group: the process is severed (no kill or rename through its
 *    handles reaches the group from then on) and ends as a killed one
 *    does, return code -1. Its next mx call attaches a fresh process,
 *    after waiting for an EXEC_WORK end (mx_process_wait_severed()).
 *
 * The registry maps a thread group (its struct pid) to its attached
 * process, for the hooks and for every call (mx_process_current()).
 *
 * Locking (the module's lock order: docs/architecture.md):
 *  - mx_procs_lock (mutex) serialises changes to the registry and the
 *    binding of new processes (process.c, through
 *    mx_process_registry_lock()); lookups walk it under RCU, and a
 *    process is freed after a grace period.
 *  - mx_process.end is changed by cmpxchg only; the hooks take no lock.
 *  - The registry holds one reference to each attached process, dropped
 *    by the exit work or the reaper. A thread of a live group uses its own
 *    process without a reference of its own: the exit work cannot run
 *    before every thread of the group has left do_exit()'s signal->live
 *    decrement, so not while one of them is inside an ioctl.
 *  - Each attached process holds a module reference while its entry is on
 *    the wait_pidfd queue, so the module cannot be unloaded under a live
 *    process. Whoever takes the entry off the queue drops it: the wake-up
 *    that finds the group dead, which the kernel runs before the parent
 *    can reap the group (so `rmmod` right after waitpid() succeeds), or the
 *    exit work. What is left to do then (the exit work, the reaper's batch)
 *    holds no module reference: module unload finishes it
 *    (mx_process_teardown()) before anything else is torn down. The
 *    wake-up runs with the queue's spinlock held, so the module's text
 *    cannot go (free_module() waits for a grace period) before it has
 *    returned.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/hashtable.h>
#include <linux/llist.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/task_work.h>

#include "job.h"
#include "process.h"
#include "process_end.h"
#include "stats.h"
#include "thread.h"
#include "vmar.h"
#include "wait.h"
#include "work.h"

static DEFINE_HASHTABLE(mx_procs, 8);
static DEFINE_MUTEX(mx_procs_lock);


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

/**
 * mx_process_finish() - end a process whose state was set to DYING
 * @p: the process
 * @code: its return code, unless one was decided before
 *
 * Closes its table (cascading to whatever its handles kept alive), lets
 * its VMARs go (their mappings no longer keep VMOs), makes sure each of
 * its threads reads DEAD, asserts MX_TASK_TERMINATED and leaves the job.
 *
 * Context: process context, no mx lock held.
 */
void mx_process_finish(struct mx_process *p, int code)
{
	struct mx_thread *t, *tmp;
	struct mx_aspace *as;
	LIST_HEAD(claims);

	mx_wait_process_exit(p);
	mx_ht_close_all(&p->table);
	mutex_lock(&p->self_lock);
	as = p->aspace;
	p->aspace = NULL;
	mutex_unlock(&p->self_lock);
	mx_aspace_detach(as);

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

/**
 * mx_process_lookup_rcu() - the process of a thread group
 * @tgid: the group's struct pid
 *
 * Not counting one an exec severed from it.
 *
 * Context: under rcu_read_lock(); the process is valid until it is left.
 * Return: the process, or NULL.
 */
struct mx_process *mx_process_lookup_rcu(struct pid *tgid)
{
	struct mx_process *p;

	hash_for_each_possible_rcu(mx_procs, p, hnode, (unsigned long)tgid)
		if (p->tgid == tgid && !mx_process_severed(p))
			return p;
	return NULL;
}

/**
 * mx_process_wait_severed() - wait for the end of a severed process
 * @tgid: a thread group
 *
 * Waits until no process an exec severed from @tgid is left for the exit
 * work to end: until then its threads are still bound to their tasks.
 * (One its task work ends is gone before the group can call again.)
 *
 * Context: process context, no mx lock held.
 */
void mx_process_wait_severed(struct pid *tgid)
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

/* Whether @tgid has an attached process (mx_process_lookup_rcu()). */
bool mx_process_known(struct pid *tgid)
{
	bool known;

	rcu_read_lock();
	known = mx_process_lookup_rcu(tgid);
	rcu_read_unlock();
	return known;
}

/**
 * mx_process_register_locked() - put a bound process in the registry
 * @p: the process, its @tgid set
 *
 * And on its group's wait_pidfd queue. The registry takes a reference
 * (the caller's, which it hands over) and a module reference.
 *
 * Context: mx_process_registry_lock() held.
 */
void mx_process_register_locked(struct mx_process *p)
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

/* Serialise a lookup and a registration (process.c's attach and bind). */
void mx_process_registry_lock(void)
{
	mutex_lock(&mx_procs_lock);
}

void mx_process_registry_unlock(void)
{
	mutex_unlock(&mx_procs_lock);
}

/**
 * mx_process_end_init() - prepare the end of a new process
 * @p: the process, being allocated
 */
void mx_process_end_init(struct mx_process *p)
{
	init_waitqueue_func_entry(&p->exit_wait, mx_process_exit_wake);
	INIT_WORK(&p->exit_work, mx_process_exit_work);
	init_task_work(&p->exit_twork, mx_process_exit_task_work);
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

/*
 * debugfs "processes": one line per attached process: pid (in the initial
 * pid namespace), koid, handles, name.
 */
static int mx_processes_show(struct seq_file *m, void *v)
{
	char name[MX_MAX_NAME_LEN];
	struct mx_process *p;
	unsigned int bkt;
	u32 count;

	rcu_read_lock();
	hash_for_each_rcu(mx_procs, bkt, p, hnode) {
		count = mx_ht_count(&p->table);
		p->base.ops->get_name(&p->base, name);
		name[MX_MAX_NAME_LEN - 1] = '\0';
		seq_printf(m, "%d %llu %u %s\n", pid_nr(p->tgid), p->base.koid,
			   count, name);
	}
	rcu_read_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mx_processes);

/**
 * mx_process_setup() - add "processes" to mx's debugfs directory
 *
 * Return: 0 (the module works without the file).
 */
int mx_process_setup(void)
{
	debugfs_create_file("processes", 0400, mx_debugfs_dir, NULL,
			    &mx_processes_fops);
	return 0;
}
