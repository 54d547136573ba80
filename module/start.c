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
 *  2. Fork: the fork hook (hooks.c), which runs in the parent
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
 * Finding arms: every fork() and every exit of the whole system passes
 * the hooks, and anyone may call the claim, so none of them may cost
 * more because of arms that others hold. Arms are filed in two hash
 * tables that grow with them (rhashtable: a lookup costs the same however
 * many there are): by the arming thread (mx_arms_by_armer) until a
 * child took the arm, then by that child (mx_arms_by_child). The fork
 * hook looks its parent up; the exit hook looks the exiting task up as
 * an armer, and as a child: by its parent (a child's arm stays filed by
 * its armer until a work item refiles it by the child, a moment after the
 * fork, or the armer arms again) and by itself. The claim does the same
 * lookup as the exit hook's second (and, if it finds nothing while a
 * child's arm waits to be refiled, runs the refile work and looks again:
 * its armer may have exited). No lookup walks anything but one bucket of
 * one table.
 *
 * Locking (the order of all: docs/architecture.md):
 *  - The hooks take no lock: they look up under RCU and take an arm by
 *    moving its @state (cmpxchg), then hand it to a work item.
 *  - mx_arms_mutex serialises every change of the tables, @filed, @armer
 *    references and the list mx_arms; tables change only in process
 *    context, never in a hook. Inside it nest only the tables' own
 *    bucket locks.
 *  - An arm belongs to whoever moved its @state to MX_ARM_TAKEN (the
 *    claim, an abort, the end work, a stale arm's replacement, module
 *    exit), who takes it out of the tables and ends it in process
 *    context. Only the armer's own context (its calls, its fork, its
 *    exit) changes an ARMED arm, so the fork hook needs no cmpxchg. Any
 *    holder of the mutex may take a TAKEN arm out of the tables.
 *  - Arms are freed after a grace period (lookups under RCU) when their
 *    last reference goes: the owner's, and the refile list's.
 *  - The caller's table lock and the process's task_lock are taken as
 *    handle_table.c and process.c say, never under mx_arms_mutex.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/list.h>
#include <linux/llist.h>
#include <linux/rhashtable.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "process.h"
#include "start.h"
#include "thread.h"
#include "vmar.h"
#include "work.h"

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

/* The states of an arm (mx_arm.state). */
enum {
	MX_ARM_ARMED,		/* its armer's next fork() takes it */
	MX_ARM_FORKED,		/* a child took it, and has not claimed it */
	MX_ARM_TAKEN,		/* its owner ends it */
};

/* Where an arm is filed (mx_arm.filed, mx_arms_mutex). */
enum {
	MX_ARM_UNFILED,
	MX_ARM_BY_ARMER,
	MX_ARM_BY_CHILD,
};

/**
 * struct mx_arm - a start between its arm and its claim
 * @armer_node: in mx_arms_by_armer
 * @child_node: in mx_arms_by_child
 * @armer: the thread whose next fork() takes the arm (the key of
 *	mx_arms_by_armer; referenced while filed there, so that no other
 *	task gets its address meanwhile; otherwise only compared)
 * @child: the child that took it, referenced; NULL until then (the key
 *	of mx_arms_by_child)
 * @state: MX_ARM_*
 * @ref: references: the owner's, the refile list's
 * @filed: MX_ARM_UNFILED, _BY_ARMER or _BY_CHILD (mx_arms_mutex)
 * @launch: the launcher's, whose child may share the caller's memory
 * @started: its child claimed it: ending the arm leaves the process be
 * @exec_id: @armer's self_exec_id when it armed
 * @node: on mx_arms while filed
 * @refile_node: on mx_refile_list
 * @proc: the process, referenced
 * @thr: its first thread, referenced
 * @work: ends an arm a hook took
 * @rcu: frees it
 * @st: the handles, taken from the caller, and their slots
 */
struct mx_arm {
	struct rhash_head armer_node;
	struct rhash_head child_node;
	struct task_struct *armer;
	struct task_struct *child;
	atomic_t state;
	refcount_t ref;
	u8 filed;
	bool launch;
	bool started;
	u64 exec_id;
	struct list_head node;
	struct llist_node refile_node;
	struct mx_process *proc;
	struct mx_thread *thr;
	struct work_struct work;
	struct rcu_head rcu;
	struct mx_start st;
};

static const struct rhashtable_params mx_arms_armer_params = {
	.key_len = sizeof(struct task_struct *),
	.key_offset = offsetof(struct mx_arm, armer),
	.head_offset = offsetof(struct mx_arm, armer_node),
	.automatic_shrinking = true,
};

static const struct rhashtable_params mx_arms_child_params = {
	.key_len = sizeof(struct task_struct *),
	.key_offset = offsetof(struct mx_arm, child),
	.head_offset = offsetof(struct mx_arm, child_node),
	.automatic_shrinking = true,
};

/* A child's arm moves to mx_arms_by_child this long after its fork. */
#define MX_REFILE_DELAY_MS	10

static struct rhashtable mx_arms_by_armer;
static struct rhashtable mx_arms_by_child;
static DEFINE_MUTEX(mx_arms_mutex);
static LIST_HEAD(mx_arms);
static atomic_t mx_nr_arms = ATOMIC_INIT(0);	/* filed */
static LLIST_HEAD(mx_refile_list);
static atomic_t mx_nr_refiling = ATOMIC_INIT(0);	/* on it or in the work */
static void mx_arm_refile_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(mx_refile_work, mx_arm_refile_work);

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

	mx_ht_lock(t);
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
	mx_ht_unlock(t);
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

	mx_ht_lock(&p->table);
	for (i = 0; i < st->n; i++)
		mx_ht_release_hold_locked(&p->table, &st->held[i]);
	mx_ht_unlock(&p->table);
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
	mx_ht_lock(t);
	closed = t->closed;
	if (!closed)
		for (i = 0; i < st->n; i++)
			mx_ht_place_locked(t, st->index[i], st->hs[i]);
	mx_ht_unlock(t);
	if (closed) {
		/* The process was killed meanwhile and its table is gone. */
		mx_start_unreserve(proc, st, st->n);
		mx_start_destroy(st);
	}
	st->n = 0;
}

/* The arm filed by @task as its armer, if any. Context: RCU read. */
static struct mx_arm *mx_arm_by_armer(struct task_struct *task)
{
	return rhashtable_lookup(&mx_arms_by_armer, &task,
				 mx_arms_armer_params);
}

/*
 * The arm @task took at its fork and has not claimed, if any: filed by
 * @task's parent, its armer (until it is refiled), or by @task. A refile
 * files it by the child before it takes it out from under the armer, so
 * one of the two lookups finds it whenever its armer is still the parent.
 *
 * Context: RCU read.
 */
static struct mx_arm *mx_arm_of_child(struct task_struct *task)
{
	struct mx_arm *arm;

	arm = mx_arm_by_armer(rcu_dereference(task->real_parent));
	if (arm && atomic_read_acquire(&arm->state) == MX_ARM_FORKED &&
	    READ_ONCE(arm->child) == task)
		return arm;
	/* Pairs with mx_arm_refile_locked()'s write barrier. */
	smp_rmb();
	arm = rhashtable_lookup(&mx_arms_by_child, &task,
				mx_arms_child_params);
	if (arm && atomic_read(&arm->state) == MX_ARM_FORKED)
		return arm;
	return NULL;
}

/* Become @arm's owner, if it is in state @from. */
static bool mx_arm_take(struct mx_arm *arm, int from)
{
	return atomic_cmpxchg(&arm->state, from, MX_ARM_TAKEN) == from;
}

static void mx_arm_put(struct mx_arm *arm)
{
	if (!refcount_dec_and_test(&arm->ref))
		return;
	if (arm->child)
		put_task_struct(arm->child);
	kfree_rcu(arm, rcu);
}

/* File a new arm by the calling thread. */
static int mx_arm_file(struct mx_arm *arm)
{
	int ret;

	arm->armer = current;
	get_task_struct(current);
	mutex_lock(&mx_arms_mutex);
	ret = rhashtable_insert_fast(&mx_arms_by_armer, &arm->armer_node,
				     mx_arms_armer_params);
	if (!ret) {
		arm->filed = MX_ARM_BY_ARMER;
		list_add(&arm->node, &mx_arms);
		atomic_inc(&mx_nr_arms);
	}
	mutex_unlock(&mx_arms_mutex);
	if (ret)
		put_task_struct(current);
	return ret;
}

static void mx_arm_unfile_locked(struct mx_arm *arm)
{
	lockdep_assert_held(&mx_arms_mutex);
	switch (arm->filed) {
	case MX_ARM_BY_ARMER:
		rhashtable_remove_fast(&mx_arms_by_armer, &arm->armer_node,
				       mx_arms_armer_params);
		put_task_struct(arm->armer);
		break;
	case MX_ARM_BY_CHILD:
		rhashtable_remove_fast(&mx_arms_by_child, &arm->child_node,
				       mx_arms_child_params);
		break;
	default:
		return;
	}
	arm->filed = MX_ARM_UNFILED;
	list_del_init(&arm->node);
	atomic_dec(&mx_nr_arms);
}

/* Take an arm out of the tables (idempotent). */
static void mx_arm_unfile(struct mx_arm *arm)
{
	mutex_lock(&mx_arms_mutex);
	mx_arm_unfile_locked(arm);
	mutex_unlock(&mx_arms_mutex);
}

/*
 * End an arm that is taken and out of the tables: the handles still held
 * are destroyed (consumed, as a failed start consumes them in Magenta)
 * and their slots given back. If a child took the arm, the process ends
 * as killed: its start succeeded. If none did, it is INITIAL again. Drops
 * the owner's reference.
 */
static void mx_arm_end(struct mx_arm *arm)
{
	struct mx_process *proc = arm->proc;

	mx_start_unreserve(proc, &arm->st, arm->st.n);
	mx_start_destroy(&arm->st);
	if (!arm->child)
		mx_start_unmark(proc, arm->thr);
	else if (!arm->started)
		mx_process_kill(proc);
	mx_object_put(&arm->thr->base);
	mx_object_put(&proc->base);
	mx_arm_put(arm);
}

static void mx_arm_end_work(struct work_struct *work)
{
	struct mx_arm *arm = container_of(work, struct mx_arm, work);

	mx_arm_unfile(arm);
	mx_arm_end(arm);
}

/*
 * File an arm a child took by that child, out from under its armer, so
 * that the armer may arm again and the child still finds it once its
 * parent is another. Returns whether it moved it; the caller checks then
 * whether the child is exiting (mx_arm_refiled()). If the table cannot
 * take it, it is unfiled, and the caller becomes its owner if nobody took
 * it first (true in *@end): the start fails as if the child had died.
 */
static bool mx_arm_refile_locked(struct mx_arm *arm, bool *end)
{
	lockdep_assert_held(&mx_arms_mutex);
	if (arm->filed != MX_ARM_BY_ARMER)
		return false;
	if (atomic_read(&arm->state) != MX_ARM_FORKED) {
		/* Its owner ends it; the armer's name is free now. */
		mx_arm_unfile_locked(arm);
		return false;
	}
	if (rhashtable_insert_fast(&mx_arms_by_child, &arm->child_node,
				   mx_arms_child_params)) {
		/* Taken by another meanwhile: unfiled all the same. */
		*end = mx_arm_take(arm, MX_ARM_FORKED);
		mx_arm_unfile_locked(arm);
		return false;
	}
	/* Filed by the child before it leaves the armer (mx_arm_of_child()). */
	smp_wmb();
	rhashtable_remove_fast(&mx_arms_by_armer, &arm->armer_node,
			       mx_arms_armer_params);
	put_task_struct(arm->armer);
	arm->filed = MX_ARM_BY_CHILD;
	return true;
}

/*
 * After a refile: a child that was exiting meanwhile may have looked for
 * its arm in neither place. Either its exit hook finds the arm, or this
 * sees it exiting (both sides order with a full barrier), and ends it.
 */
static bool mx_arm_refiled(struct mx_arm *arm)
{
	/* Filed by the child, then PF_EXITING: mx_start_on_exit()'s. */
	smp_mb();
	return (READ_ONCE(arm->child->flags) & PF_EXITING) &&
	       mx_arm_take(arm, MX_ARM_FORKED);
}

/* Refile @arm (the caller holds a reference), ending it if need be. */
static void mx_arm_refile(struct mx_arm *arm)
{
	bool moved, end = false;

	mutex_lock(&mx_arms_mutex);
	moved = mx_arm_refile_locked(arm, &end);
	mutex_unlock(&mx_arms_mutex);
	if (moved && mx_arm_refiled(arm)) {
		mx_arm_unfile(arm);
		end = true;
	}
	if (end)
		mx_arm_end(arm);
}

static void mx_arm_refile_work(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&mx_refile_list);
	struct mx_arm *arm, *tmp;

	llist_for_each_entry_safe(arm, tmp, list, refile_node) {
		mx_arm_refile(arm);
		mx_arm_put(arm);	/* the list's */
		atomic_dec(&mx_nr_refiling);
	}
}

/* Take the calling thread's own arm, one no child took. */
static struct mx_arm *mx_arm_take_current(void)
{
	struct mx_arm *arm;

	if (!atomic_read(&mx_nr_arms))
		return NULL;
	rcu_read_lock();
	arm = mx_arm_by_armer(current);
	if (arm && !mx_arm_take(arm, MX_ARM_ARMED))
		arm = NULL;
	rcu_read_unlock();
	if (arm)
		mx_arm_unfile(arm);
	return arm;
}

/*
 * Make room for the calling thread's arm: MX_ERR_BAD_STATE if it has one
 * its next fork() would take; one from before an exec ends; one its fork
 * gave a child is refiled by the child.
 */
static int mx_arm_make_room(void)
{
	struct task_struct *self = current;
	struct mx_arm *old;
	bool moved = false, end = false;
	int ret = 0;

	if (!atomic_read(&mx_nr_arms))
		return 0;
	mutex_lock(&mx_arms_mutex);
	/* Stable: only the mutex's holder changes the tables. */
	old = rhashtable_lookup_fast(&mx_arms_by_armer, &self,
				     mx_arms_armer_params);
	if (!old) {
		mutex_unlock(&mx_arms_mutex);
		return 0;
	}
	refcount_inc(&old->ref);
	if (atomic_read(&old->state) == MX_ARM_ARMED &&
	    old->exec_id == current->self_exec_id) {
		ret = MX_ERR_BAD_STATE;
	} else if (mx_arm_take(old, MX_ARM_ARMED)) {
		mx_arm_unfile_locked(old);
		end = true;
	} else {
		moved = mx_arm_refile_locked(old, &end);
	}
	mutex_unlock(&mx_arms_mutex);
	if (moved && mx_arm_refiled(old)) {
		mx_arm_unfile(old);
		end = true;
	}
	if (end)
		mx_arm_end(old);
	mx_arm_put(old);
	return ret;
}

/**
 * mx_start_arm() - the arm step of a start
 * @p: the calling process
 * @arm: from mx_arm_new(); on success it keeps the references to its
 *	process and thread, on failure the caller discards it
 * @values: the handles to move: arg1, or the launcher's
 * @n: how many (at most MX_LAUNCH_MAX_HANDLES)
 * @publish: gives the caller the handles' values in the new process's
 *	table, before anything is committed: 0, or an MX_ERR_* status that
 *	undoes the arm
 * @ctx: for @publish
 *
 * The handles are looked up first without being taken, so that a bad
 * handle or right leaves everything as it was; a state that does not
 * allow the start consumes them (Magenta's order).
 *
 * Context: process context, no mx lock held.
 * Return: 0; MX_ERR_INVALID_ARGS, MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED,
 * MX_ERR_BAD_STATE, MX_ERR_NO_MEMORY, MX_ERR_NO_RESOURCES, or @publish's.
 */
int mx_start_arm(struct mx_process *p, struct mx_arm *arm, const s32 *values,
		 u32 n, mx_start_publish_fn publish, void *ctx)
{
	struct mx_process *proc = arm->proc;
	struct mx_thread *thr = arm->thr;
	struct mx_start *st = &arm->st;
	u32 reserved;
	int ret;

	if (WARN_ON_ONCE(n > MX_LAUNCH_MAX_HANDLES))
		return MX_ERR_INVALID_ARGS;
	st->n = n;
	memcpy(st->values, values, n * sizeof(*values));

	/* One start at a time in a thread; one from before an exec is void. */
	ret = mx_arm_make_room();
	if (ret)
		return ret;

	ret = mx_start_hold(p, st, arm->launch);
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
	ret = publish(st->new_values, st->n, ctx);
	if (ret)
		goto out_unreserve;
	/* Filed, it waits for this thread's fork(), after this call. */
	arm->exec_id = current->self_exec_id;
	if (mx_arm_file(arm)) {
		ret = MX_ERR_NO_MEMORY;
		goto out_unreserve;
	}
	mx_start_consume(p, st);
	return 0;

out_unreserve:
	mx_start_unreserve(proc, st, reserved);
	mx_start_unmark(proc, thr);
	mx_start_unhold(p, st);
	st->n = 0;
	return ret;
}

/**
 * mx_start_abort() - undo the arm of the calling thread that no child took
 *
 * Context: process context, no mx lock held.
 * Return: 0, or MX_ERR_BAD_STATE when the thread has no such arm.
 */
int mx_start_abort(void)
{
	struct mx_arm *arm = mx_arm_take_current();

	if (!arm)
		return MX_ERR_BAD_STATE;
	mx_arm_end(arm);
	return 0;
}

/**
 * mx_arm_new() - a new arm, not filed
 * @proc: the process to start, referenced by the caller
 * @thr: its first thread, referenced by the caller
 * @launch: a launcher's start (its child execs)
 *
 * Return: the arm, or NULL when out of memory.
 */
struct mx_arm *mx_arm_new(struct mx_process *proc, struct mx_thread *thr,
			  bool launch)
{
	struct mx_arm *arm;

	arm = kzalloc(sizeof(*arm), GFP_KERNEL_ACCOUNT);
	if (!arm)
		return NULL;
	INIT_LIST_HEAD(&arm->node);
	refcount_set(&arm->ref, 1);
	atomic_set(&arm->state, MX_ARM_ARMED);
	INIT_WORK(&arm->work, mx_arm_end_work);
	arm->proc = proc;
	arm->thr = thr;
	arm->launch = launch;
	return arm;
}

/**
 * mx_arm_discard() - drop an arm mx_start_arm() failed
 * @arm: the arm; its process and thread references stay the caller's
 *
 * Filed for a moment, maybe: it is freed after a grace period.
 */
void mx_arm_discard(struct mx_arm *arm)
{
	mx_arm_put(arm);
}

/* Take the arm the calling task took at its fork, if it has one. */
static struct mx_arm *mx_arm_claim_current(void)
{
	struct mx_arm *arm;

	rcu_read_lock();
	arm = mx_arm_of_child(current);
	if (arm && !mx_arm_take(arm, MX_ARM_FORKED))
		arm = NULL;
	rcu_read_unlock();
	return arm;
}

/**
 * mx_start_claim() - the child of a start binds itself to its process
 *
 * Made before the caller's group is attached, as its first mx call: lays
 * out the caller's address space as the process's root VMAR recorded it
 * (mx_aspace_apply()), binds the process and its first thread to the
 * caller's thread group and places the handles. A failed claim ends the
 * process (the caller is to exit).
 *
 * Context: process context.
 * Return: 0; MX_ERR_BAD_STATE (no arm was taken by the caller's fork,
 * the process was killed, the caller used mx already),
 * MX_ERR_ACCESS_DENIED (the caller has more than one thread),
 * MX_ERR_NO_MEMORY (the recorded layout does not fit the caller's
 * address space).
 */
int mx_start_claim(void)
{
	struct mx_arm *arm;
	int ret;

	if (!atomic_read(&mx_nr_arms))
		return MX_ERR_BAD_STATE;
	arm = mx_arm_claim_current();
	if (!arm && atomic_read(&mx_nr_refiling)) {
		/* Its armer is not the parent any more: refile it now. */
		flush_delayed_work(&mx_refile_work);
		arm = mx_arm_claim_current();
	}
	if (!arm)
		return MX_ERR_BAD_STATE;
	mx_arm_unfile(arm);

	if (get_nr_threads(current) != 1)
		ret = MX_ERR_ACCESS_DENIED;
	else
		ret = mx_aspace_apply(arm->proc, !arm->launch);
	if (!ret)
		ret = mx_process_bind(arm->proc, arm->thr, current);
	if (!ret) {
		mx_start_place(arm->proc, &arm->st);
		/* Started: ending the arm must not end the process. */
		arm->started = true;
	}
	mx_arm_end(arm);
	return ret;
}

/**
 * mx_start_on_fork() - a task forks (the sched_process_fork hook)
 * @parent: the forking task (current)
 * @child: the new task, which cannot run yet
 *
 * A fork() child (a new thread group with its own memory; for a launcher,
 * its memory may be the parent's) of a thread with an arm takes that arm,
 * if the thread has not exec'd since. The arm stays filed by the parent
 * until the refile work files it by the child.
 *
 * Context: the hook: preemption disabled, no lock held; takes none.
 */
void mx_start_on_fork(struct task_struct *parent, struct task_struct *child)
{
	struct mx_arm *arm;

	if (!atomic_read(&mx_nr_arms) || !thread_group_leader(child))
		return;
	rcu_read_lock();
	arm = mx_arm_by_armer(parent);
	/* Nothing but @parent's own context, busy here, changes it. */
	if (arm && atomic_read(&arm->state) == MX_ARM_ARMED &&
	    arm->exec_id == parent->self_exec_id &&
	    (arm->launch || child->mm != parent->mm)) {
		get_task_struct(child);
		arm->child = child;
		refcount_inc(&arm->ref);	/* the refile list's */
		atomic_inc(&mx_nr_refiling);
		atomic_set_release(&arm->state, MX_ARM_FORKED);
		if (llist_add(&arm->refile_node, &mx_refile_list))
			queue_delayed_work(mx_wq, &mx_refile_work,
					   msecs_to_jiffies(MX_REFILE_DELAY_MS));
	}
	rcu_read_unlock();
}

/**
 * mx_start_on_exit() - a task leaves, or does a secure exec: end the
 * arm it holds, if any (the exit and exec hooks)
 * @task: the exiting or exec'ing task (current)
 *
 * An arm no child took, of a thread that exits, and an arm taken by a
 * child that exits before its claim, are ended by a work item; so are
 * they when the task does a secure exec instead (no claim can follow).
 * Costs three hash lookups when any arm exists, nothing otherwise.
 *
 * Context: the exit or exec hook: preemption disabled, no lock held;
 * takes none.
 */
void mx_start_on_exit(struct task_struct *task)
{
	struct mx_arm *arm;

	if (!atomic_read(&mx_nr_arms))
		return;
	/* PF_EXITING is set: pairs with mx_arm_refiled(). */
	smp_mb();
	rcu_read_lock();
	arm = mx_arm_by_armer(task);
	if (arm && mx_arm_take(arm, MX_ARM_ARMED))
		queue_work(mx_wq, &arm->work);
	arm = mx_arm_of_child(task);
	if (arm && mx_arm_take(arm, MX_ARM_FORKED))
		queue_work(mx_wq, &arm->work);
	rcu_read_unlock();
}

int mx_start_setup(void)
{
	int ret;

	ret = rhashtable_init(&mx_arms_by_armer, &mx_arms_armer_params);
	if (ret)
		return ret;
	ret = rhashtable_init(&mx_arms_by_child, &mx_arms_child_params);
	if (ret)
		goto out_armer;
	return 0;

out_armer:
	rhashtable_destroy(&mx_arms_by_armer);
	return ret;
}

void mx_start_teardown(void)
{
	struct mx_arm *arm, *tmp;
	LIST_HEAD(left);

	cancel_delayed_work_sync(&mx_refile_work);
	mx_arm_refile_work(NULL);
	/*
	 * A child that closed its /dev/mx before claiming holds no reference
	 * to the module: its arm ends here, as if it had died.
	 */
	mutex_lock(&mx_arms_mutex);
	list_for_each_entry_safe(arm, tmp, &mx_arms, node) {
		if (mx_arm_take(arm, MX_ARM_ARMED) ||
		    mx_arm_take(arm, MX_ARM_FORKED)) {
			mx_arm_unfile_locked(arm);
			list_add(&arm->node, &left);
		}
	}
	mutex_unlock(&mx_arms_mutex);
	list_for_each_entry_safe(arm, tmp, &left, node) {
		list_del_init(&arm->node);
		mx_arm_end(arm);
	}
	/*
	 * Those the exit hook took: their works end them (the hooks are
	 * detached by now, every call of them finished).
	 */
	flush_workqueue(mx_wq);
	WARN_ON_ONCE(atomic_read(&mx_nr_arms));
	/* It may still be in a lookup. */
	synchronize_rcu();
	rhashtable_destroy(&mx_arms_by_child);
	rhashtable_destroy(&mx_arms_by_armer);
}
