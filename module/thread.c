// SPDX-License-Identifier: GPL-2.0
/*
 * mx threads: thread objects bound to Linux threads.
 *
 * A thread object is made by mx_thread_create() (state NEW) in the caller's
 * own process or in a process not yet started, or for a Linux thread that
 * calls mx_thread_self() without having been started by mx (an "ambient"
 * thread, RUNNING at once). It is bound to a Linux thread exactly once:
 *  - mx_thread_start(): the thread becomes STARTING (mx_thread_claim():
 *    started, as its handles see it) and libmx creates a Linux thread,
 *    which binds itself by the handle value the start was given
 *    (mx_thread_bind_claimed()), without the starter waiting for it; only
 *    a thread of the same process, born after the thread object and not
 *    yet known to mx, can be bound (mx_thread_bind_current() binds a NEW
 *    thread by its handle, the older way);
 *  - mx_process_start(): the process's first thread is bound to the
 *    child's only thread, together with the process (process.c).
 *
 * Death is learned from the kernel, never polled: the exit hook (hooks.c)
 * on the sched_process_exit tracepoint, which every exiting task passes in
 * do_exit() on both 6.1 and 6.12, finds the thread object of the task in
 * the registry and asserts MX_TASK_TERMINATED there and then. (A non-leader
 * thread's exit does not wake any pidfd wait queue on 6.1.) The hook runs
 * with preemption disabled and no lock held. Without PREEMPT_RT it takes
 * the process's task lock (trylock) and asserts MX_TASK_TERMINATED itself,
 * so a waiter is woken by the exiting thread as pthread_join() is; on
 * PREEMPT_RT, where spinlock_t sleeps and may not be taken there, or when
 * the lock is busy, it only takes a reference to the thread and queues its
 * gone work, which does the same in process context a moment later. Either
 * way the exit work follows, which closes the thread's self handle and
 * drops the task (the probe drops the task itself when there is no self
 * handle to close). When the
 * whole process ends, process.c does the same for every thread the probe
 * may have missed (one bound while it was already exiting).
 *
 * A secure exec (one that changed credentials) ends the process of the
 * exec'ing task and so its threads, all but that task gone already: the
 * exec hook hands it to process.c, and the start the
 * task was part of ends as at its exit (start.c). Until the process's
 * teardown has unbound them, its threads are not killed or renamed
 * (mx_process_severed()).
 *
 * Killing one thread: Linux cannot end a single thread from outside (a
 * SIGKILL ends the group, and do_exit() is not exported), so the module
 * queues a task work on the thread that forces MX_THREAD_KILL_SIGNAL on
 * it when it next returns to user mode, unblocking it in that thread
 * first (even if the thread blocks every signal); libmx's handler for
 * that signal ends the thread with the exit system call.
 *
 * Locking (the order of all: docs/architecture.md):
 *  - mx_process.task_lock (spinlock) protects the state, @task, @killed,
 *    @kill_queued, @self_handle and claim of each of the process's
 *    threads, and the process's lists of threads and of claims (each
 *    claim holds a reference to its thread, put outside the lock). Inside it nest mx_threads_lock and object
 *    locks (signals are asserted under it, so a state and its signal never
 *    disagree).
 *  - The exit hook takes task_lock only with spin_trylock() (the exiting
 *    task may hold it if it oopsed inside an mx call) and, under it, what
 *    mx_thread_gone() takes: the registry lock, the thread's object lock
 *    and its observers' (a waiter's wake-up, a port's lock, a waitfd's
 *    wait queue), all spinlocks that never sleep without PREEMPT_RT.
 *  - mx_threads_lock (spinlock) protects the registry of bound threads;
 *    the probe looks threads up under RCU (structs are freed after a grace
 *    period). The registry holds a reference to each thread in it, handed
 *    to the exit work when the thread is taken out.
 *  - mx_thread.name_lock protects the name; it nests inside nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/idr.h>
#include <linux/pid_namespace.h>
#include <linux/rculist.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/task_work.h>
#include <linux/timekeeping.h>

#include "process.h"
#include "thread.h"
#include "work.h"

static DEFINE_HASHTABLE(mx_threads, 8);
static DEFINE_SPINLOCK(mx_threads_lock);
static atomic_t mx_nr_threads = ATOMIC_INIT(0);

/**
 * mx_task_set_comm() - show an mx name as a Linux task's name
 * @task: the task
 * @name: the name; cut to TASK_COMM_LEN - 1 bytes
 *
 * As set_task_comm() (not exported), without the rename tracepoint.
 */
void mx_task_set_comm(struct task_struct *task, const char *name)
{
	task_lock(task);
	strscpy_pad(task->comm, name, sizeof(task->comm));
	task_unlock(task);
}

static struct mx_thread *mx_thread_lookup_rcu(struct task_struct *task)
{
	struct mx_thread *t;

	hash_for_each_possible_rcu(mx_threads, t, hnode, (unsigned long)task)
		if (READ_ONCE(t->task) == task)
			return t;
	return NULL;
}

static bool mx_task_registered_locked(struct task_struct *task)
{
	struct mx_thread *t;

	lockdep_assert_held(&mx_threads_lock);
	hash_for_each_possible(mx_threads, t, hnode, (unsigned long)task)
		if (t->task == task)
			return true;
	return false;
}

static void mx_thread_release(struct mx_object *obj)
{
	struct mx_thread *t = mx_to_thread(obj);
	struct mx_process *p = t->process;

	WARN_ON_ONCE(t->task);
	spin_lock(&p->task_lock);
	list_del_init(&t->pnode);
	spin_unlock(&p->task_lock);
	mx_process_put(p);
	kfree_rcu(t, rcu);
}

static void mx_thread_on_zero_handles(struct mx_object *obj)
{
	struct mx_thread *t = mx_to_thread(obj);

	/* A started thread is owned by its handles, as in Magenta. */
	if (!t->ambient)
		mx_thread_kill(t);
}

static u64 mx_thread_related_koid(struct mx_object *obj)
{
	return mx_to_thread(obj)->process->base.koid;
}

static void mx_thread_get_name(struct mx_object *obj, char *name)
{
	struct mx_thread *t = mx_to_thread(obj);

	spin_lock(&t->name_lock);
	memcpy(name, t->name, MX_MAX_NAME_LEN);
	spin_unlock(&t->name_lock);
}

/* The bound, live Linux thread, referenced, or NULL. */
static struct task_struct *mx_thread_get_task(struct mx_thread *t)
{
	struct task_struct *task = NULL;

	spin_lock(&t->process->task_lock);
	if (t->state == MX_THREAD_RUNNING && t->task &&
	    !mx_process_severed(t->process)) {
		task = t->task;
		get_task_struct(task);
	}
	spin_unlock(&t->process->task_lock);
	return task;
}

static void mx_thread_set_name(struct mx_object *obj, const char *name)
{
	struct mx_thread *t = mx_to_thread(obj);
	struct task_struct *task;

	spin_lock(&t->name_lock);
	memcpy(t->name, name, MX_MAX_NAME_LEN);
	spin_unlock(&t->name_lock);

	/* The group leader's comm shows the process's name. */
	task = mx_thread_get_task(t);
	if (!task)
		return;
	if (!thread_group_leader(task))
		mx_task_set_comm(task, name);
	put_task_struct(task);
}

static int mx_thread_kill_obj(struct mx_object *obj)
{
	mx_thread_kill(mx_to_thread(obj));
	return 0;
}

const struct mx_object_ops mx_thread_ops = {
	.type = MX_OBJ_TYPE_THREAD,
	.name = "thread",
	.default_rights = MX_DEFAULT_THREAD_RIGHTS,
	.waitable = true,
	.user_signals = MX_USER_SIGNAL_ALL,
	.on_zero_handles = mx_thread_on_zero_handles,
	.release = mx_thread_release,
	.related_koid = mx_thread_related_koid,
	.get_name = mx_thread_get_name,
	.set_name = mx_thread_set_name,
	.kill = mx_thread_kill_obj,
};

static void mx_thread_kill_fn(struct callback_head *cb)
{
	struct mx_thread *t = container_of(cb, struct mx_thread, kill_work);
	sigset_t set;

	/*
	 * Runs in the victim, on its way back to user mode (or in exit).
	 * A kill queued before a secure exec that it did not reach before
	 * the exec is void: the thread runs another program now.
	 */
	if (mx_process_severed(t->process))
		goto out_put;
	/*
	 * force_sig() of a blocked signal would reset its handler to the
	 * default for the whole group and so end the process, not the
	 * thread: unblock it in this thread first.
	 */
	sigemptyset(&set);
	sigaddset(&set, MX_THREAD_KILL_SIGNAL);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	force_sig(MX_THREAD_KILL_SIGNAL);
out_put:
	mx_object_put(&t->base);
}

static void mx_thread_gone_fn(struct work_struct *work)
{
	struct mx_thread *t = container_of(work, struct mx_thread, gone_work);

	spin_lock(&t->process->task_lock);
	mx_thread_gone(t);
	spin_unlock(&t->process->task_lock);
	mx_object_put(&t->base);	/* the probe's reference */
}

/* Whether a suspended thread may go on: resumed, or dying. */
static bool mx_thread_may_go(struct mx_thread *t)
{
	return !READ_ONCE(t->suspend_req) ||
	       READ_ONCE(t->state) != MX_THREAD_RUNNING;
}

/*
 * mx_task_suspend()'s task work: runs in the thread on its way back to
 * user mode (a blocking call it was in was interrupted and will start
 * again) and stops it there until mx_task_resume(), a kill, or a fatal
 * signal. Freezable, so that it never holds up a system suspend.
 */
static void mx_thread_suspend_fn(struct callback_head *cb)
{
	struct mx_thread *t = container_of(cb, struct mx_thread, suspend_work);
	struct mx_process *p = t->process;
	bool park;

	spin_lock(&p->task_lock);
	t->suspend_queued = false;
	park = t->suspend_req && t->state == MX_THREAD_RUNNING &&
	       !(current->flags & PF_EXITING);
	if (park) {
		t->suspended = true;
		mx_object_update_signals(&t->base, 0, MX_THREAD_SUSPENDED);
	}
	spin_unlock(&p->task_lock);
	if (park) {
		wait_event_state(t->resume_wq, mx_thread_may_go(t),
				 (TASK_KILLABLE | TASK_FREEZABLE));
		spin_lock(&p->task_lock);
		t->suspended = false;
		mx_object_update_signals(&t->base, MX_THREAD_SUSPENDED, 0);
		spin_unlock(&p->task_lock);
	}
	mx_object_put(&t->base);	/* the suspend's */
}

static void mx_thread_exit_fn(struct work_struct *work)
{
	struct mx_thread *t = container_of(work, struct mx_thread, exit_work);
	struct mx_process *p = t->process;
	struct mx_handle *h = NULL;
	struct task_struct *task;
	s32 self;

	spin_lock(&p->task_lock);
	task = t->task;
	if (task)
		t->runtime = READ_ONCE(task->se.sum_exec_runtime);
	WRITE_ONCE(t->task, NULL);
	self = t->self_handle;
	t->self_handle = 0;
	spin_unlock(&p->task_lock);

	/* The handle mx_thread_self() returned ends with its thread. */
	if (self)
		h = mx_ht_remove_if(&p->table, self, &t->base);
	if (h)
		mx_handle_destroy(h);
	if (task)
		put_task_struct(task);
	mx_object_put(&t->base);	/* the registry's reference */
}

static struct mx_thread *mx_thread_alloc(struct mx_process *p,
					 const char *name, bool ambient)
{
	struct mx_thread *t;

	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	mx_object_init(&t->base, &mx_thread_ops, 0);
	mx_object_get(&p->base);
	t->process = p;
	INIT_LIST_HEAD(&t->pnode);
	INIT_LIST_HEAD(&t->claim_node);
	INIT_HLIST_NODE(&t->hnode);
	t->state = MX_THREAD_NEW;
	t->ambient = ambient;
	t->created_ns = ktime_get_ns();
	t->pid_cursor = idr_get_cursor(&task_active_pid_ns(current)->idr);
	init_task_work(&t->kill_work, mx_thread_kill_fn);
	init_task_work(&t->suspend_work, mx_thread_suspend_fn);
	init_waitqueue_head(&t->resume_wq);
	INIT_WORK(&t->exit_work, mx_thread_exit_fn);
	INIT_WORK(&t->gone_work, mx_thread_gone_fn);
	spin_lock_init(&t->name_lock);
	strscpy(t->name, name, sizeof(t->name));
	return t;
}

/**
 * mx_thread_bind_locked() - bind a NEW thread to a Linux thread
 * @t: the thread
 * @task: the Linux thread, of @t's process, not registered
 *
 * The thread becomes RUNNING and enters the registry, which takes a
 * reference to it and to @task.
 *
 * Context: @t->process->task_lock held.
 */
void mx_thread_bind_locked(struct mx_thread *t, struct task_struct *task)
{
	lockdep_assert_held(&t->process->task_lock);
	get_task_struct(task);
	mx_object_get(&t->base);
	t->state = MX_THREAD_RUNNING;
	spin_lock(&mx_threads_lock);
	WRITE_ONCE(t->task, task);
	hash_add_rcu(mx_threads, &t->hnode, (unsigned long)task);
	atomic_inc(&mx_nr_threads);
	spin_unlock(&mx_threads_lock);
}

/*
 * mx_thread_gone() but for the exit work: whether the caller is to do it
 * (the thread was in the registry).
 */
static bool mx_thread_end_locked(struct mx_thread *t)
{
	bool registered;

	lockdep_assert_held(&t->process->task_lock);
	spin_lock(&mx_threads_lock);
	registered = !hlist_unhashed(&t->hnode);
	if (registered) {
		hlist_del_init_rcu(&t->hnode);
		atomic_dec(&mx_nr_threads);
	}
	spin_unlock(&mx_threads_lock);
	if (t->state == MX_THREAD_STARTING || t->state == MX_THREAD_RUNNING ||
	    t->state == MX_THREAD_DYING) {
		t->state = MX_THREAD_DEAD;
		mx_object_update_signals(&t->base, 0, MX_TASK_TERMINATED);
	}
	return registered;
}

/**
 * mx_thread_gone() - the Linux thread of a thread object has exited
 * @t: the thread
 *
 * Takes the thread out of the registry, asserts MX_TASK_TERMINATED on a
 * STARTING, RUNNING or DYING thread and queues the exit work. Idempotent;
 * a NEW thread is left as it is. (A STARTING thread stays on the claims
 * list, which the process's end empties.)
 *
 * Context: any, without sleeping; @t->process->task_lock held.
 */
void mx_thread_gone(struct mx_thread *t)
{
	if (mx_thread_end_locked(t))
		queue_work(mx_wq, &t->exit_work);
}

/*
 * Assert the end of @t from the probe, if it can be done there. Not on
 * PREEMPT_RT, where spinlock_t sleeps; not when @t's process lock is busy
 * (its holder may be this very task, oopsing inside an mx call). Does the
 * exit work's part too unless there is a self handle to close (which may
 * sleep). Consumes the caller's reference to @t unless it returns false.
 */
static bool mx_thread_gone_atomic(struct mx_thread *t)
{
	struct task_struct *task = NULL;
	bool registered;

	if (IS_ENABLED(CONFIG_PREEMPT_RT) ||
	    !spin_trylock(&t->process->task_lock))
		return false;
	registered = mx_thread_end_locked(t);
	/* The exit work's part, when it has no self handle to close. */
	if (registered && !t->self_handle) {
		task = t->task;
		if (task)
			t->runtime = READ_ONCE(task->se.sum_exec_runtime);
		WRITE_ONCE(t->task, NULL);
	}
	spin_unlock(&t->process->task_lock);
	if (task) {
		/* @task runs: this is not its last reference. */
		put_task_struct(task);
		/* The registry's reference: ours keeps it from being the last. */
		refcount_dec(&t->base.ref.refcount);
	} else if (registered) {
		queue_work(mx_wq, &t->exit_work);
	}
	/*
	 * The last reference is put in process context (the release may
	 * free the process). The gone work is queued by nobody else.
	 */
	if (!refcount_dec_not_one(&t->base.ref.refcount))
		WARN_ON_ONCE(!queue_work(mx_wq, &t->gone_work));
	return true;
}

/**
 * mx_thread_on_exit() - a task exits (the exit hook)
 * @task: the exiting task (current)
 *
 * Called by every task in do_exit(), after its memory is gone and before
 * its parent is told. Asserts MX_TASK_TERMINATED on its thread object
 * there when it may take spinlock_t (see mx_thread_gone_atomic()); else
 * queues the gone work.
 *
 * Context: the hook: preemption disabled, no lock held.
 */
void mx_thread_on_exit(struct task_struct *task)
{
	struct mx_thread *t;

	if (!atomic_read(&mx_nr_threads))
		return;
	rcu_read_lock();
	t = mx_thread_lookup_rcu(task);
	/* @t is freed only after a grace period: a reference can be tried. */
	if (t && kref_get_unless_zero(&t->base.ref) &&
	    !mx_thread_gone_atomic(t) && !queue_work(mx_wq, &t->gone_work))
		/* Already queued, with a reference: this one is not the last. */
		refcount_dec(&t->base.ref.refcount);
	rcu_read_unlock();
}

/**
 * mx_thread_new() - make a thread object (mx_thread_create())
 * @p: the process it is to run in
 * @caller: the calling process
 * @name: its name, NUL-terminated
 * @out: the new thread, with its creation reference
 *
 * Return: 0; MX_ERR_BAD_STATE (@p is dying or dead),
 * MX_ERR_NOT_SUPPORTED (@p is another process that already runs: Linux
 * cannot add a thread to it), MX_ERR_NO_MEMORY.
 */
int mx_thread_new(struct mx_process *p, struct mx_process *caller,
		     const char *name, struct mx_thread **out)
{
	struct mx_thread *t;
	int ret = 0;

	t = mx_thread_alloc(p, name, false);
	if (!t)
		return MX_ERR_NO_MEMORY;
	spin_lock(&p->task_lock);
	if (p->state == MX_PROCESS_DYING || p->state == MX_PROCESS_DEAD)
		ret = MX_ERR_BAD_STATE;
	else if ((p->state == MX_PROCESS_RUNNING ||
		  p->state == MX_PROCESS_STARTING) && p != caller)
		ret = MX_ERR_NOT_SUPPORTED;
	else
		list_add_tail(&t->pnode, &p->threads);
	spin_unlock(&p->task_lock);
	if (ret) {
		mx_object_put(&t->base);
		return ret;
	}
	*out = t;
	return 0;
}

/* The calling thread's object, made (ambient) if it has none. */
static struct mx_thread *mx_thread_current(struct mx_process *p)
{
	struct mx_thread *t;
	char comm[TASK_COMM_LEN];

	rcu_read_lock();
	t = mx_thread_lookup_rcu(current);
	if (t && !kref_get_unless_zero(&t->base.ref))
		t = NULL;
	rcu_read_unlock();
	if (t)
		return t;

	get_task_comm(comm, current);
	t = mx_thread_alloc(p, comm, true);
	if (!t)
		return ERR_PTR(MX_ERR_NO_MEMORY);
	spin_lock(&p->task_lock);
	list_add_tail(&t->pnode, &p->threads);
	mx_thread_bind_locked(t, current);
	spin_unlock(&p->task_lock);
	return t;
}

/**
 * mx_thread_self_handle() - the handle behind mx_thread_self()
 * @p: the calling process
 * @value: out: the value of the handle @p holds to the calling thread
 *
 * Made on the first call of each thread (with the thread object, for a
 * thread mx did not start) and closed by the module when the thread ends.
 *
 * Context: process context; only the calling thread touches its own
 * self handle until it exits.
 * Return: 0, MX_ERR_NO_MEMORY, MX_ERR_NO_RESOURCES (table full).
 */
int mx_thread_self_handle(struct mx_process *p, s32 *value)
{
	struct mx_thread *t;
	struct mx_handle *h;
	u32 index;
	s32 v;
	int ret;

	t = mx_thread_current(p);
	if (IS_ERR(t))
		return PTR_ERR(t);
	spin_lock(&p->task_lock);
	v = t->self_handle;
	spin_unlock(&p->task_lock);
	if (v) {
		*value = v;
		ret = 0;
		goto out_put;
	}

	h = mx_handle_alloc(&t->base, MX_DEFAULT_THREAD_RIGHTS);
	if (!h) {
		ret = MX_ERR_NO_MEMORY;
		goto out_put;
	}
	ret = mx_ht_reserve(&p->table, &index, &v);
	if (ret) {
		mx_handle_free(h);
		goto out_put;
	}
	mx_ht_commit(&p->table, index, h);
	spin_lock(&p->task_lock);
	t->self_handle = v;
	spin_unlock(&p->task_lock);
	*value = v;
out_put:
	mx_object_put(&t->base);
	return ret;
}

/* Magenta's checks of mx_thread_start(), and mx's own. */
static int mx_thread_start_check_locked(struct mx_process *caller,
					struct mx_thread *t)
{
	struct mx_process *p = t->process;

	lockdep_assert_held(&p->task_lock);
	if (t->state != MX_THREAD_NEW || t->killed)
		return MX_ERR_BAD_STATE;
	if (p->state != MX_PROCESS_RUNNING)
		return MX_ERR_BAD_STATE;
	if (p != caller)
		return MX_ERR_NOT_SUPPORTED;
	return 0;
}

/**
 * mx_thread_start_check() - may mx_thread_start() start this thread?
 * @caller: the calling process
 * @t: the thread
 *
 * Return: 0; MX_ERR_BAD_STATE (started or killed already, or its process
 * is not running), MX_ERR_NOT_SUPPORTED (a thread of another process).
 */
int mx_thread_start_check(struct mx_process *caller, struct mx_thread *t)
{
	int ret;

	spin_lock(&t->process->task_lock);
	ret = mx_thread_start_check_locked(caller, t);
	spin_unlock(&t->process->task_lock);
	return ret;
}

/*
 * Whether @task was born after @t was made. start_time and created_ns come
 * from the same clock, but a coarse clocksource (jiffies, in some VMs)
 * gives both the same value within one tick; then the pid tells, as pids
 * are handed out in order (a wrap of the whole pid space within one tick
 * is not a concern).
 */
static bool mx_task_born_after(struct task_struct *task,
			       const struct mx_thread *t)
{
	struct pid_namespace *ns = task_active_pid_ns(task);

	if (task->start_time != t->created_ns)
		return task->start_time > t->created_ns;
	return (unsigned int)task_pid_nr_ns(task, ns) >= t->pid_cursor;
}

/**
 * mx_thread_bind_current() - bind a thread object to the calling thread
 * @caller: the calling process
 * @t: the thread
 *
 * The second half of mx_thread_start(), made by the new Linux thread.
 *
 * Return: 0; an error of mx_thread_start_check(); MX_ERR_ACCESS_DENIED
 * (the calling thread is older than @t, or mx knows it already).
 */
int mx_thread_bind_current(struct mx_process *caller, struct mx_thread *t)
{
	struct mx_process *p = t->process;
	bool known;
	int ret;

	spin_lock(&p->task_lock);
	ret = mx_thread_start_check_locked(caller, t);
	if (ret)
		goto out_unlock;
	spin_lock(&mx_threads_lock);
	known = mx_task_registered_locked(current);
	spin_unlock(&mx_threads_lock);
	if (known || !mx_task_born_after(current, t)) {
		ret = MX_ERR_ACCESS_DENIED;
		goto out_unlock;
	}
	mx_thread_bind_locked(t, current);
out_unlock:
	spin_unlock(&p->task_lock);
	if (!ret) {
		char name[MX_MAX_NAME_LEN];

		mx_thread_get_name(&t->base, name);
		mx_task_set_comm(current, name);
		mx_thread_suspend_pending(t);
	}
	return ret;
}

/**
 * mx_thread_claim() - the first half of mx_thread_start()
 * @caller: the calling process
 * @t: the thread
 * @value: the handle value @t was named by
 *
 * Makes a NEW thread STARTING: started, as far as its handles can tell,
 * and waiting for the Linux thread the caller makes next, which binds by
 * @value (mx_thread_bind_claimed()), whatever became of the handle. The
 * claim holds a reference to @t.
 *
 * Return: 0 or an error of mx_thread_start_check().
 */
int mx_thread_claim(struct mx_process *caller, struct mx_thread *t,
		    s32 value)
{
	struct mx_process *p = t->process;
	int ret;

	spin_lock(&p->task_lock);
	ret = mx_thread_start_check_locked(caller, t);
	if (!ret) {
		t->state = MX_THREAD_STARTING;
		t->claim_value = value;
		mx_object_get(&t->base);
		list_add_tail(&t->claim_node, &p->claims);
	}
	spin_unlock(&p->task_lock);
	return ret;
}

/**
 * mx_thread_bind_claimed() - the second half of mx_thread_start()
 * @caller: the calling process
 * @value: the handle value mx_thread_claim() was given
 * @abort: give the claim back instead (no Linux thread could be made):
 *	the thread is NEW again
 *
 * Binds the calling thread, new and unknown to mx, to the oldest STARTING
 * thread of @caller claimed with @value. A thread killed meanwhile, or in
 * a process that is ending, becomes DEAD instead (MX_TASK_TERMINATED).
 *
 * Return: 0; MX_ERR_BAD_STATE (no such claim, or the thread was killed or
 * its process is ending: the calling thread is to end without running);
 * MX_ERR_ACCESS_DENIED (the calling thread is older than the thread
 * object, or mx knows it already; the claim stays).
 */
int mx_thread_bind_claimed(struct mx_process *caller, s32 value, bool abort)
{
	struct mx_thread *t = NULL, *c;
	char name[MX_MAX_NAME_LEN];
	bool known;
	int ret = 0;

	spin_lock(&caller->task_lock);
	list_for_each_entry(c, &caller->claims, claim_node) {
		if (c->claim_value == value) {
			t = c;
			break;
		}
	}
	if (!t) {
		spin_unlock(&caller->task_lock);
		return MX_ERR_BAD_STATE;
	}
	if (abort) {
		t->state = MX_THREAD_NEW;
	} else if (t->killed || caller->state != MX_PROCESS_RUNNING) {
		t->state = MX_THREAD_DEAD;
		mx_object_update_signals(&t->base, 0, MX_TASK_TERMINATED);
		ret = MX_ERR_BAD_STATE;
	} else {
		spin_lock(&mx_threads_lock);
		known = mx_task_registered_locked(current);
		spin_unlock(&mx_threads_lock);
		if (known || !mx_task_born_after(current, t)) {
			spin_unlock(&caller->task_lock);
			return MX_ERR_ACCESS_DENIED;
		}
		mx_thread_bind_locked(t, current);
	}
	list_del_init(&t->claim_node);
	spin_unlock(&caller->task_lock);
	if (!abort && !ret) {
		mx_thread_get_name(&t->base, name);
		mx_task_set_comm(current, name);
		mx_thread_suspend_pending(t);
	}
	mx_object_put(&t->base);	/* the claim's reference */
	return ret;
}

/**
 * mx_thread_kill() - mx_task_kill() on a thread
 * @t: the thread
 *
 * A NEW thread can never start afterwards (and asserts nothing); a
 * STARTING one ends (MX_TASK_TERMINATED) when its Linux thread comes to
 * bind, without running; a running one is made to exit alone, MX_TASK_TERMINATED following when it
 * is gone, unless a secure exec severed its process (its teardown ends
 * it). Idempotent.
 *
 * Context: process context, no mx lock held; the caller holds a reference.
 */
void mx_thread_kill(struct mx_thread *t)
{
	struct mx_process *p = t->process;
	struct task_struct *task = NULL;

	spin_lock(&p->task_lock);
	if (t->state == MX_THREAD_NEW || t->state == MX_THREAD_STARTING) {
		/* A STARTING thread ends when its Linux thread comes to bind. */
		t->killed = true;
	} else if (t->state == MX_THREAD_RUNNING && !t->kill_queued &&
		   t->task && !mx_process_severed(p)) {
		t->kill_queued = true;
		t->state = MX_THREAD_DYING;
		task = t->task;
		get_task_struct(task);
		mx_object_get(&t->base);	/* for the task work */
	}
	spin_unlock(&p->task_lock);
	if (!task)
		return;
	/* Fails only when the task is past exit_task_work(): it is gone. */
	if (task_work_add(task, &t->kill_work, TWA_SIGNAL))
		mx_object_put(&t->base);
	put_task_struct(task);
	/* A suspended thread goes on, to its kill. */
	wake_up(&t->resume_wq);
}

/**
 * mx_thread_suspend() - mx_task_suspend() on a thread
 * @t: the thread
 *
 * Asks @t to stop at its next return to user mode: a task work that
 * interrupts what it waits in (mx's waits and Linux's system calls start
 * again after the resume, with their absolute deadlines). Not counted:
 * one mx_thread_resume() undoes any number of suspends. Returns at once.
 *
 * A thread started but not yet bound to its Linux thread (STARTING) is
 * suspended as it binds (mx_thread_suspend_pending()), before its entry.
 *
 * Context: process context, no mx lock held; the caller holds a reference.
 * Return: 0, or MX_ERR_BAD_STATE (@t is not running: never started,
 * dying or dead).
 */
int mx_thread_suspend(struct mx_thread *t)
{
	struct mx_process *p = t->process;
	struct task_struct *task = NULL;
	int ret = 0;

	spin_lock(&p->task_lock);
	if (t->state == MX_THREAD_STARTING && !t->killed) {
		/* Started, not bound yet: it stops as it binds. */
		WRITE_ONCE(t->suspend_req, true);
	} else if (t->state != MX_THREAD_RUNNING || !t->task ||
		   mx_process_severed(p)) {
		ret = MX_ERR_BAD_STATE;
	} else {
		WRITE_ONCE(t->suspend_req, true);
		if (!t->suspend_queued && !t->suspended) {
			t->suspend_queued = true;
			task = t->task;
			get_task_struct(task);
			mx_object_get(&t->base);	/* for the task work */
		}
	}
	spin_unlock(&p->task_lock);
	if (!task)
		return ret;
	if (task_work_add(task, &t->suspend_work, TWA_SIGNAL)) {
		/* Past exit_task_work(): it is gone. */
		spin_lock(&p->task_lock);
		t->suspend_queued = false;
		spin_unlock(&p->task_lock);
		mx_object_put(&t->base);
	}
	put_task_struct(task);
	return 0;
}

/**
 * mx_thread_suspend_pending() - a thread just bound: stop it now if a
 *	suspend came while it was STARTING
 * @t: the thread, bound to current
 *
 * Context: process context, no mx lock held; the caller holds a reference.
 */
void mx_thread_suspend_pending(struct mx_thread *t)
{
	if (READ_ONCE(t->suspend_req))
		mx_thread_suspend(t);
}

/**
 * mx_thread_resume() - mx_task_resume(thread, 0)
 * @t: the thread
 *
 * Undoes every suspend: a suspended thread goes on, a suspend it has not
 * reached yet is dropped; a thread that is not suspended is left alone.
 *
 * Context: process context, no mx lock held; the caller holds a reference.
 * Return: 0, or MX_ERR_BAD_STATE (@t is not running).
 */
int mx_thread_resume(struct mx_thread *t)
{
	struct mx_process *p = t->process;
	int ret = 0;

	spin_lock(&p->task_lock);
	if (t->state != MX_THREAD_RUNNING && t->state != MX_THREAD_STARTING)
		ret = MX_ERR_BAD_STATE;
	else
		WRITE_ONCE(t->suspend_req, false);
	spin_unlock(&p->task_lock);
	if (!ret)
		wake_up(&t->resume_wq);
	return ret;
}

/**
 * mx_thread_runtime() - MX_INFO_THREAD_STATS of a thread: the time its
 *	Linux thread has run, in nanoseconds
 * @t: the thread
 *
 * Read from the scheduler's account, which the running thread brings up
 * to date at each tick and switch; a thread that ended keeps its total.
 *
 * Return: the runtime; 0 for a thread never started.
 */
u64 mx_thread_runtime(struct mx_thread *t)
{
	u64 ns;

	spin_lock(&t->process->task_lock);
	ns = t->task ? READ_ONCE(t->task->se.sum_exec_runtime) : t->runtime;
	spin_unlock(&t->process->task_lock);
	return ns;
}

/**
 * mx_thread_info() - MX_INFO_THREAD of a thread
 * @t: the thread
 * @rec: out: the record
 *
 * A running thread reads BLOCKED while its Linux thread sleeps (in any
 * system call) and SUSPENDED while mx_task_suspend() holds it, or it is
 * stopped or traced.
 */
void mx_thread_info(struct mx_thread *t, struct mx_info_thread *rec)
{
	struct task_struct *task = NULL;
	bool killed, suspended;
	unsigned int tstate;
	u32 state;

	spin_lock(&t->process->task_lock);
	state = t->state;
	killed = t->killed;
	suspended = t->suspended;
	if (state == MX_THREAD_RUNNING && t->task) {
		task = t->task;
		get_task_struct(task);
	}
	spin_unlock(&t->process->task_lock);

	memset(rec, 0, sizeof(*rec));
	switch (state) {
	case MX_THREAD_NEW:
		rec->state = MX_THREAD_STATE_NEW;
		break;
	case MX_THREAD_STARTING:
		/* Started, as far as its handles can tell. */
		rec->state = killed ? MX_THREAD_STATE_DYING :
					 MX_THREAD_STATE_RUNNING;
		break;
	case MX_THREAD_DYING:
		rec->state = MX_THREAD_STATE_DYING;
		break;
	case MX_THREAD_DEAD:
		rec->state = MX_THREAD_STATE_DEAD;
		break;
	default:
		rec->state = MX_THREAD_STATE_RUNNING;
		if (suspended) {
			rec->state = MX_THREAD_STATE_SUSPENDED;
			break;
		}
		if (!task)
			break;
		tstate = READ_ONCE(task->__state);
		if (tstate & (__TASK_STOPPED | __TASK_TRACED))
			rec->state = MX_THREAD_STATE_SUSPENDED;
		else if (tstate & (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE))
			rec->state = MX_THREAD_STATE_BLOCKED;
		break;
	}
	if (task)
		put_task_struct(task);
}

/* Module unload: every thread belonged to a process, and none is left. */
void mx_thread_teardown(void)
{
	WARN_ON_ONCE(atomic_read(&mx_nr_threads));
}
