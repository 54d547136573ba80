// SPDX-License-Identifier: GPL-2.0
/*
 * The start of a process made by mx_process_create(): mx_process_start()
 * and the launcher, in three steps, none of which waits for another task.
 *
 *  1. Arm (MX_IOC_PROCESS_START, by the thread that is about to fork):
 *     rights and states are checked, the handles to move leave the
 *     caller's table (consumed from then on, as in Magenta), slots are
 *     reserved for them in the new process's table and their values go
 *     back to the caller, so that its child knows them without asking; the
 *     process becomes STARTING and an arm records the calling thread.
 *  2. Fork: the probe on sched_process_fork, which runs in the parent
 *     before the child can run, gives the arm to the next child of that
 *     thread that is a new thread group with memory of its own (a fork(),
 *     not a thread or a vfork(); for the launcher, whose child execs, a
 *     vfork() too). Nothing else can take it: the child is the caller's
 *     own, chosen by the kernel, not named by anyone.
 *  3. Claim (MX_IOC_PROCESS_CLAIM, the child's first mx call): the process
 *     and its first thread are bound to the child's thread group
 *     (mx_process_bind()) and the handles are placed in their slots.
 *
 * An arm whose thread exits, execs or fails to fork before a child took it
 * is undone: the handles are destroyed, the slots given back, the process
 * is INITIAL again. An arm whose child exits, does a secure exec (one that
 * changes credentials) or fails its claim before claiming ends the process
 * as a kill does (the start had succeeded).
 *
 * Locking: mx_arms_lock (a raw spinlock: the fork and exit probes take it
 * with preemption disabled, PREEMPT_RT included) protects mx_arms and the
 * @armer and @child of the arms on it; innermost. An arm taken off the
 * list belongs to whoever took it, who ends it in process context. The
 * caller's table lock and the process's task_lock are taken as
 * handle_table.c and process.c say, never under mx_arms_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/list.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ioctl.h"
#include "process.h"
#include "thread.h"

/**
 * struct mx_start - the handles one start moves
 * @n: how many: arg1, or the launcher's handles
 * @values: their values in the caller's table
 * @held: their holds in the caller's table while the start is armed
 * @hs: the handles, once taken out of it
 * @index: the slots reserved for them in the new process's table
 * @new_values: their values there
 */
struct mx_start {
	u32 n;
	s32 values[MX_LAUNCH_MAX_HANDLES];
	struct mx_ht_hold held[MX_LAUNCH_MAX_HANDLES];
	struct mx_handle *hs[MX_LAUNCH_MAX_HANDLES];
	u32 index[MX_LAUNCH_MAX_HANDLES];
	s32 new_values[MX_LAUNCH_MAX_HANDLES];
};

/**
 * struct mx_arm - a start between its arm and its claim
 * @node: on mx_arms
 * @armer: the thread whose next fork() takes the arm (compared, never
 *	dereferenced); NULL once a child took it
 * @exec_id: @armer's self_exec_id when it armed
 * @launch: the launcher's, whose child may share the caller's memory
 * @child: the child that took it, referenced; NULL until then
 * @proc: the process, referenced
 * @thr: its first thread, referenced
 * @work: ends an arm the exit probe took off the list
 * @st: the handles, taken from the caller, and their slots
 */
struct mx_arm {
	struct list_head node;
	struct task_struct *armer;
	u64 exec_id;
	bool launch;
	struct task_struct *child;
	struct mx_process *proc;
	struct mx_thread *thr;
	struct work_struct work;
	struct mx_start st;
};

static LIST_HEAD(mx_arms);
static DEFINE_RAW_SPINLOCK(mx_arms_lock);
static atomic_t mx_nr_arms = ATOMIC_INIT(0);
static struct tracepoint *mx_fork_tp;

/*
 * Check the handles to move, in Magenta's terms: arg1 must exist
 * (MX_ERR_INVALID_ARGS, no right needed); a launcher's handles must each
 * exist, have MX_RIGHT_TRANSFER and appear once. Then hold them all
 * (handle_table.c), in the same hold of the table lock: from here on they
 * are exactly the handles checked, and their values name nothing until the
 * holds end (mx_start_consume() or mx_start_unhold()).
 */
static int mx_start_hold(struct mx_process *p, struct mx_start *st,
			 bool launch)
{
	struct mx_handle_table *t = &p->table;
	struct mx_handle *h[MX_LAUNCH_MAX_HANDLES];
	u32 rights = launch ? MX_RIGHT_TRANSFER : 0;
	u32 i;
	int ret;

	spin_lock(&t->lock);
	ret = mx_ht_check_transfer_locked(t, st->values, st->n, rights, NULL,
					  h);
	if (ret == MX_ERR_BAD_HANDLE && !launch)
		ret = MX_ERR_INVALID_ARGS;
	if (ret)
		goto out_unlock;
	/* Checked under this hold of the lock: the holds cannot fail. */
	for (i = 0; i < st->n; i++) {
		mx_ht_hold_locked(t, st->values[i], rights, NULL, &st->held[i]);
		st->hs[i] = st->held[i].h;
	}
out_unlock:
	spin_unlock(&t->lock);
	return ret;
}

/* Give the held handles back to the caller, with their values. */
static void mx_start_unhold(struct mx_process *p, struct mx_start *st)
{
	u32 i;

	for (i = 0; i < st->n; i++)
		mx_ht_unhold(&p->table, &st->held[i]);
}

/* The held handles leave the caller's table for good: the start has them. */
static void mx_start_consume(struct mx_process *p, struct mx_start *st)
{
	u32 i;

	spin_lock(&p->table.lock);
	for (i = 0; i < st->n; i++)
		mx_ht_release_hold_locked(&p->table, &st->held[i]);
	spin_unlock(&p->table.lock);
}

/*
 * INITIAL -> STARTING (and the thread NEW -> STARTING), if they can still
 * start. From then on they read as started, and end (TERMINATED) with the
 * process even if no child ever binds them.
 */
static bool mx_start_mark(struct mx_process *proc, struct mx_thread *thr)
{
	bool ok;

	spin_lock(&proc->task_lock);
	ok = proc->state == MX_PROCESS_INITIAL &&
	     thr->state == MX_THREAD_NEW && !thr->killed;
	if (ok) {
		proc->state = MX_PROCESS_STARTING;
		thr->state = MX_THREAD_STARTING;
	}
	spin_unlock(&proc->task_lock);
	return ok;
}

/* Back to INITIAL and NEW: a start that no child took. */
static void mx_start_unmark(struct mx_process *proc, struct mx_thread *thr)
{
	spin_lock(&proc->task_lock);
	if (proc->state == MX_PROCESS_STARTING) {
		proc->state = MX_PROCESS_INITIAL;
		if (thr->state == MX_THREAD_STARTING)
			thr->state = MX_THREAD_NEW;
	}
	spin_unlock(&proc->task_lock);
}

static void mx_start_destroy(struct mx_start *st)
{
	u32 i;

	for (i = 0; i < st->n; i++)
		mx_handle_destroy(st->hs[i]);
	st->n = 0;
}

static void mx_start_unreserve(struct mx_process *proc, struct mx_start *st,
			       u32 reserved)
{
	u32 i;

	for (i = 0; i < reserved; i++)
		mx_ht_unreserve(&proc->table, st->index[i]);
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
	if (closed) {
		/* The process was killed meanwhile and its table is gone. */
		mx_start_unreserve(proc, st, st->n);
		mx_start_destroy(st);
	}
	st->n = 0;
}

/* The arm of @task that no child took yet, if any. */
static struct mx_arm *mx_arm_of_locked(struct task_struct *task)
{
	struct mx_arm *arm;

	lockdep_assert_held(&mx_arms_lock);
	list_for_each_entry(arm, &mx_arms, node)
		if (arm->armer == task)
			return arm;
	return NULL;
}

static void mx_arm_unlink_locked(struct mx_arm *arm)
{
	lockdep_assert_held(&mx_arms_lock);
	list_del_init(&arm->node);
	atomic_dec(&mx_nr_arms);
}

/*
 * End an arm that is off the list: the handles still held are destroyed
 * (consumed, as a failed start consumes them in Magenta) and their slots
 * given back. If a child took the arm, the process ends as killed: its
 * start succeeded. If none did, it is INITIAL again.
 */
static void mx_arm_end(struct mx_arm *arm)
{
	struct mx_process *proc = arm->proc;

	mx_start_unreserve(proc, &arm->st, arm->st.n);
	mx_start_destroy(&arm->st);
	if (arm->child) {
		mx_process_kill(proc);
		put_task_struct(arm->child);
	} else {
		mx_start_unmark(proc, arm->thr);
	}
	mx_object_put(&arm->thr->base);
	mx_object_put(&proc->base);
	kfree(arm);
}

static void mx_arm_end_work(struct work_struct *work)
{
	mx_arm_end(container_of(work, struct mx_arm, work));
}

/* Take the calling thread's own arm off the list: one no child took. */
static struct mx_arm *mx_arm_take_current(void)
{
	struct mx_arm *arm = NULL;

	if (!atomic_read(&mx_nr_arms))
		return NULL;
	raw_spin_lock(&mx_arms_lock);
	arm = mx_arm_of_locked(current);
	if (arm)
		mx_arm_unlink_locked(arm);
	raw_spin_unlock(&mx_arms_lock);
	return arm;
}

/*
 * The arm step. The handles are looked up first without being taken, so
 * that a bad handle or right leaves everything as it was; a state that
 * does not allow the start consumes them (Magenta's order). @a->out
 * receives their values in the new process's table.
 */
static int mx_start_arm(struct mx_process *p, struct mx_process *proc,
			struct mx_thread *thr, struct mx_arm *arm, bool launch,
			u64 out)
{
	struct mx_start *st = &arm->st;
	struct mx_arm *stale;
	u32 reserved;
	int ret;

	/* One start at a time in a thread; one from before an exec is void. */
	if (atomic_read(&mx_nr_arms)) {
		raw_spin_lock(&mx_arms_lock);
		stale = mx_arm_of_locked(current);
		if (stale && stale->exec_id != current->self_exec_id)
			mx_arm_unlink_locked(stale);
		raw_spin_unlock(&mx_arms_lock);
		if (stale && stale->exec_id == current->self_exec_id)
			return MX_ERR_BAD_STATE;
		if (stale)
			mx_arm_end(stale);
	}

	ret = mx_start_hold(p, st, launch);
	if (ret)
		return ret;
	if (!mx_start_mark(proc, thr)) {
		/* Consumed, as in Magenta. */
		mx_start_consume(p, st);
		mx_start_destroy(st);
		return MX_ERR_BAD_STATE;
	}
	for (reserved = 0; reserved < st->n; reserved++) {
		ret = mx_ht_reserve(&proc->table, &st->index[reserved],
				    &st->new_values[reserved]);
		if (ret)
			goto out_unreserve;
	}
	if (st->n && copy_to_user(u64_to_user_ptr(out), st->new_values,
				  st->n * sizeof(s32))) {
		ret = MX_ERR_INVALID_ARGS;
		goto out_unreserve;
	}
	mx_start_consume(p, st);

	arm->armer = current;
	arm->exec_id = current->self_exec_id;
	raw_spin_lock(&mx_arms_lock);
	list_add(&arm->node, &mx_arms);
	atomic_inc(&mx_nr_arms);
	raw_spin_unlock(&mx_arms_lock);
	return 0;

out_unreserve:
	mx_start_unreserve(proc, st, reserved);
	mx_start_unmark(proc, thr);
	mx_start_unhold(p, st);
	st->n = 0;
	return ret;
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
 * without an arm), MX_ERR_NO_MEMORY, MX_ERR_NO_RESOURCES.
 */
long mx_ioc_process_start(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_process_start a;
	struct mx_object *pobj, *tobj;
	struct mx_process *proc;
	struct mx_thread *thr;
	struct mx_arm *arm;
	bool launch;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.flags == MX_PROCESS_START_ABORT) {
		if (a.process || a.thread || a.arg1 || a.reserved ||
		    a.handles || a.num_handles || a.out)
			return MX_ERR_INVALID_ARGS;
		arm = mx_arm_take_current();
		if (!arm)
			return MX_ERR_BAD_STATE;
		mx_arm_end(arm);
		return MX_OK;
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

	arm = kzalloc(sizeof(*arm), GFP_KERNEL_ACCOUNT);
	if (!arm) {
		ret = MX_ERR_NO_MEMORY;
		goto out_put_thread;
	}
	INIT_LIST_HEAD(&arm->node);
	INIT_WORK(&arm->work, mx_arm_end_work);
	if (launch) {
		arm->st.n = a.num_handles;
		if (copy_from_user(arm->st.values, u64_to_user_ptr(a.handles),
				   arm->st.n * sizeof(s32))) {
			ret = MX_ERR_INVALID_ARGS;
			goto out_free;
		}
	} else {
		arm->st.n = 1;
		arm->st.values[0] = a.arg1;
	}
	arm->proc = proc;
	arm->thr = thr;
	arm->launch = launch;
	ret = mx_start_arm(p, proc, thr, arm, launch, a.out);
	if (!ret)
		return MX_OK;	/* the arm keeps both references */
out_free:
	kfree(arm);
out_put_thread:
	mx_object_put(tobj);
out_put_process:
	mx_object_put(pobj);
	return ret;
}

/**
 * mx_ioc_process_claim() - MX_IOC_PROCESS_CLAIM: the child of a start
 * binds itself to its process
 *
 * Made before the caller's group is attached, as its first mx call: binds
 * the process and its first thread to the caller's thread group and
 * places the handles. A failed claim ends the process (the caller is to
 * exit).
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_BAD_STATE (no arm was taken by the caller's fork,
 * the process was killed, the caller used mx already),
 * MX_ERR_ACCESS_DENIED (the caller has more than one thread).
 */
long mx_ioc_process_claim(void)
{
	struct mx_arm *arm, *found = NULL;
	int ret;

	if (!atomic_read(&mx_nr_arms))
		return MX_ERR_BAD_STATE;
	raw_spin_lock(&mx_arms_lock);
	list_for_each_entry(arm, &mx_arms, node) {
		if (arm->child == current) {
			found = arm;
			mx_arm_unlink_locked(arm);
			break;
		}
	}
	raw_spin_unlock(&mx_arms_lock);
	if (!found)
		return MX_ERR_BAD_STATE;

	if (get_nr_threads(current) != 1)
		ret = MX_ERR_ACCESS_DENIED;
	else
		ret = mx_process_bind(found->proc, found->thr, current);
	if (!ret) {
		mx_start_place(found->proc, &found->st);
		/* Started: ending the arm must not end the process. */
		put_task_struct(found->child);
		found->child = NULL;
	}
	mx_arm_end(found);
	return ret;
}

/*
 * Probe on sched_process_fork, in the parent before the child can run:
 * a fork() child (a new thread group with its own memory; for a launcher,
 * its memory may be the parent's) of a thread with an arm takes that arm,
 * if the thread has not exec'd since.
 */
static void mx_start_fork_probe(void *data, struct task_struct *parent,
				struct task_struct *child)
{
	struct mx_arm *arm;

	if (!atomic_read(&mx_nr_arms) || !thread_group_leader(child))
		return;
	raw_spin_lock(&mx_arms_lock);
	arm = mx_arm_of_locked(parent);
	if (arm && arm->exec_id == parent->self_exec_id &&
	    (arm->launch || child->mm != parent->mm)) {
		get_task_struct(child);
		arm->child = child;
		arm->armer = NULL;
	}
	raw_spin_unlock(&mx_arms_lock);
}

/**
 * mx_start_task_exit() - a task leaves, or does a secure exec: end the
 * arm it holds, if any
 * @task: the exiting or exec'ing task (current)
 *
 * An arm no child took, of a thread that exits, and an arm taken by a
 * child that exits before its claim, are ended by a work item; so are
 * they when the task does a secure exec instead (no claim can follow).
 *
 * Context: the exit or exec probe: preemption disabled, no lock held.
 */
void mx_start_task_exit(struct task_struct *task)
{
	struct mx_arm *arm, *tmp;

	if (!atomic_read(&mx_nr_arms))
		return;
	raw_spin_lock(&mx_arms_lock);
	list_for_each_entry_safe(arm, tmp, &mx_arms, node) {
		if (arm->armer == task || arm->child == task) {
			mx_arm_unlink_locked(arm);
			queue_work(mx_wq, &arm->work);
		}
	}
	raw_spin_unlock(&mx_arms_lock);
}

int mx_start_init(void)
{
	return mx_tracepoint_attach("sched_process_fork", mx_start_fork_probe,
				    &mx_fork_tp);
}

void mx_start_exit(void)
{
	struct mx_arm *arm, *tmp;
	LIST_HEAD(left);

	mx_tracepoint_detach(mx_fork_tp, mx_start_fork_probe);
	/*
	 * A child that closed its /dev/mx before claiming holds no reference
	 * to the module: its arm ends here, as if it had died.
	 */
	raw_spin_lock(&mx_arms_lock);
	list_splice_init(&mx_arms, &left);
	atomic_set(&mx_nr_arms, 0);
	raw_spin_unlock(&mx_arms_lock);
	list_for_each_entry_safe(arm, tmp, &left, node) {
		list_del_init(&arm->node);
		mx_arm_end(arm);
	}
}
