// SPDX-License-Identifier: GPL-2.0
/*
 * mx jobs: the groups processes belong to, in trees.
 *
 * Every user has a root job, the job of the ambient processes that act as
 * that user (their effective uid when they attach); an ambient process's
 * mx_job_default() is a handle to it. It is made when the first of them
 * attaches and lives as long as something refers to it. No job is shared
 * between users: a user's processes can rename, signal and add to their
 * root job, and so reach only that user's processes and waiters.
 * mx_job_create() hangs child jobs below a job (at most MX_JOB_MAX_HEIGHT
 * levels), and mx_process_create() puts new processes in one.
 * mx_task_kill() on a job kills its processes and child jobs, and nothing
 * can be added to it afterwards. A root job cannot be killed: it holds all
 * its user's ambient processes, also those to come.
 *
 * Signals: MX_JOB_NO_PROCESSES while the job has no live process,
 * MX_JOB_NO_JOBS while it has no child job (a child job counts from its
 * creation until its last reference goes).
 *
 * Locking (the order of all: docs/architecture.md):
 *  - mx_job.lock (spinlock) protects the job's lists, its killed flag and
 *    the @kill_seen / @job_killed flags of its members; the job's object
 *    lock nests inside it, to keep the signals in step with the lists.
 *    A job's lock is never held while another job's is taken.
 *  - A member is found on a list without a reference; the kill takes one
 *    with kref_get_unless_zero() (a member being released is still
 *    listed until its release takes the lock) and kills it after
 *    dropping the lock.
 *  - mx_job.name_lock protects the name; it nests inside nothing.
 *  - mx_root_jobs_lock (spinlock) protects the registry of root jobs, by
 *    uid. A root job being released is still listed until its release
 *    takes the lock: lookups take a reference with kref_get_unless_zero(),
 *    and a new root job may be listed beside the dying one. It nests
 *    inside nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/slab.h>

#include "job.h"
#include "process.h"

static DEFINE_HASHTABLE(mx_root_jobs, 6);
static DEFINE_SPINLOCK(mx_root_jobs_lock);

/* Bring NO_PROCESSES and NO_JOBS in line with the lists. */
static void mx_job_update_signals_locked(struct mx_job *job)
{
	u32 set = 0;

	lockdep_assert_held(&job->lock);
	if (list_empty(&job->processes))
		set |= MX_JOB_NO_PROCESSES;
	if (list_empty(&job->children))
		set |= MX_JOB_NO_JOBS;
	mx_object_update_signals(&job->base,
				 (MX_JOB_NO_PROCESSES | MX_JOB_NO_JOBS) & ~set,
				 set);
}

static void mx_job_release(struct mx_object *obj)
{
	struct mx_job *job = mx_to_job(obj);
	struct mx_job *parent = job->parent;

	WARN_ON_ONCE(!list_empty(&job->processes));
	WARN_ON_ONCE(!list_empty(&job->children));
	if (!hlist_unhashed(&job->uid_node)) {
		spin_lock(&mx_root_jobs_lock);
		hash_del(&job->uid_node);
		spin_unlock(&mx_root_jobs_lock);
	}
	if (parent) {
		spin_lock(&parent->lock);
		list_del(&job->child_node);
		mx_job_update_signals_locked(parent);
		spin_unlock(&parent->lock);
		mx_object_put(&parent->base);
	}
	kfree(job);
}

static u64 mx_job_related_koid(struct mx_object *obj)
{
	struct mx_job *job = mx_to_job(obj);

	return job->parent ? job->parent->base.koid : 0;
}

static void mx_job_get_name(struct mx_object *obj, char *name)
{
	struct mx_job *job = mx_to_job(obj);

	spin_lock(&job->name_lock);
	memcpy(name, job->name, MX_MAX_NAME_LEN);
	spin_unlock(&job->name_lock);
}

static void mx_job_set_name(struct mx_object *obj, const char *name)
{
	struct mx_job *job = mx_to_job(obj);

	spin_lock(&job->name_lock);
	memcpy(job->name, name, MX_MAX_NAME_LEN);
	spin_unlock(&job->name_lock);
}

static int mx_job_kill_obj(struct mx_object *obj)
{
	return mx_job_kill(mx_to_job(obj));
}

const struct mx_object_ops mx_job_ops = {
	.type = MX_OBJ_TYPE_JOB,
	.name = "job",
	.default_rights = MX_DEFAULT_JOB_RIGHTS,
	.waitable = true,
	.user_signals = MX_USER_SIGNAL_ALL,
	.release = mx_job_release,
	.related_koid = mx_job_related_koid,
	.get_name = mx_job_get_name,
	.set_name = mx_job_set_name,
	.kill = mx_job_kill_obj,
};

static struct mx_job *mx_job_alloc(struct mx_job *parent, gfp_t gfp)
{
	struct mx_job *job;

	job = kzalloc(sizeof(*job), gfp);
	if (!job)
		return NULL;
	mx_object_init(&job->base, &mx_job_ops,
		       MX_JOB_NO_PROCESSES | MX_JOB_NO_JOBS);
	spin_lock_init(&job->lock);
	spin_lock_init(&job->name_lock);
	INIT_LIST_HEAD(&job->children);
	INIT_LIST_HEAD(&job->processes);
	INIT_LIST_HEAD(&job->child_node);
	INIT_HLIST_NODE(&job->uid_node);
	job->height = parent ? parent->height - 1 : MX_JOB_MAX_HEIGHT;
	return job;
}

void mx_job_teardown(void)
{
	/* Every process and handle is gone, so is every root job. */
	WARN_ON_ONCE(!hash_empty(mx_root_jobs));
}

/* The live root job of @uid, referenced, or NULL. */
static struct mx_job *mx_job_find_root_locked(kuid_t uid)
{
	struct mx_job *job;

	lockdep_assert_held(&mx_root_jobs_lock);
	hash_for_each_possible(mx_root_jobs, job, uid_node, __kuid_val(uid))
		if (uid_eq(job->uid, uid) && kref_get_unless_zero(&job->base.ref))
			return job;
	return NULL;
}

/**
 * mx_job_user_root() - the root job of a user, made if it has none
 * @uid: the user
 *
 * Context: process context, no mx lock held.
 * Return: the job, with a reference the caller must put, or NULL when out
 * of memory.
 */
struct mx_job *mx_job_user_root(kuid_t uid)
{
	struct mx_job *job, *new;

	spin_lock(&mx_root_jobs_lock);
	job = mx_job_find_root_locked(uid);
	spin_unlock(&mx_root_jobs_lock);
	if (job)
		return job;

	new = mx_job_alloc(NULL, GFP_KERNEL_ACCOUNT);
	if (!new)
		return NULL;
	new->uid = uid;
	strscpy(new->name, "root", sizeof(new->name));
	spin_lock(&mx_root_jobs_lock);
	job = mx_job_find_root_locked(uid);
	if (!job) {
		hash_add(mx_root_jobs, &new->uid_node, __kuid_val(uid));
		job = new;
		new = NULL;
	}
	spin_unlock(&mx_root_jobs_lock);
	/* Another process of the user made it first. */
	if (new)
		mx_object_put(&new->base);
	return job;
}

/**
 * mx_job_new() - make a child job
 * @parent: the parent job
 * @out: the new job, with its creation reference
 *
 * Return: 0; MX_ERR_OUT_OF_RANGE (@parent is MX_JOB_MAX_HEIGHT levels
 * down), MX_ERR_NO_MEMORY, MX_ERR_BAD_STATE (@parent was killed).
 */
int mx_job_new(struct mx_job *parent, struct mx_job **out)
{
	struct mx_job *job;

	if (parent->height == 0)
		return MX_ERR_OUT_OF_RANGE;
	job = mx_job_alloc(parent, GFP_KERNEL_ACCOUNT);
	if (!job)
		return MX_ERR_NO_MEMORY;
	spin_lock(&parent->lock);
	if (parent->killed) {
		spin_unlock(&parent->lock);
		mx_object_put(&job->base);
		return MX_ERR_BAD_STATE;
	}
	mx_object_get(&parent->base);
	job->parent = parent;
	list_add_tail(&job->child_node, &parent->children);
	mx_job_update_signals_locked(parent);
	spin_unlock(&parent->lock);
	*out = job;
	return 0;
}

/**
 * mx_job_add_process() - put a new process in a job
 * @job: the job
 * @p: the process; it keeps its reference to @job in @p->job
 *
 * Return: 0, or MX_ERR_BAD_STATE if @job was killed.
 */
int mx_job_add_process(struct mx_job *job, struct mx_process *p)
{
	int ret = 0;

	spin_lock(&job->lock);
	if (job->killed) {
		ret = MX_ERR_BAD_STATE;
	} else {
		list_add_tail(&p->job_node, &job->processes);
		mx_job_update_signals_locked(job);
	}
	spin_unlock(&job->lock);
	return ret;
}

/**
 * mx_job_remove_process() - take a dead (or never added) process out of
 * its job
 * @p: the process
 *
 * Idempotent.
 */
void mx_job_remove_process(struct mx_process *p)
{
	struct mx_job *job = p->job;

	spin_lock(&job->lock);
	if (!list_empty(&p->job_node)) {
		list_del_init(&p->job_node);
		mx_job_update_signals_locked(job);
	}
	spin_unlock(&job->lock);
}

/* The next process the kill has not reached, referenced, or NULL. */
static struct mx_process *mx_job_next_victim(struct mx_job *job)
{
	struct mx_process *p, *found = NULL;

	spin_lock(&job->lock);
	list_for_each_entry(p, &job->processes, job_node) {
		if (p->job_killed)
			continue;
		p->job_killed = true;
		if (kref_get_unless_zero(&p->base.ref)) {
			found = p;
			break;
		}
	}
	spin_unlock(&job->lock);
	return found;
}

static struct mx_job *mx_job_next_child(struct mx_job *job)
{
	struct mx_job *c, *found = NULL;

	spin_lock(&job->lock);
	list_for_each_entry(c, &job->children, child_node) {
		if (c->kill_seen)
			continue;
		c->kill_seen = true;
		if (kref_get_unless_zero(&c->base.ref)) {
			found = c;
			break;
		}
	}
	spin_unlock(&job->lock);
	return found;
}

/*
 * The koids of @job's direct child jobs (@jobs) or processes, in list
 * order, into *@buf of *@room entries (grown as needed, kvfree() it).
 */
static int mx_job_koids(struct mx_job *job, bool jobs, u64 **buf, u32 *room,
			u32 *n)
{
	struct mx_process *p;
	struct mx_job *c;
	u32 count;

	for (;;) {
		count = 0;
		spin_lock(&job->lock);
		if (jobs) {
			list_for_each_entry(c, &job->children, child_node) {
				if (count < *room)
					(*buf)[count] = c->base.koid;
				count++;
			}
		} else {
			list_for_each_entry(p, &job->processes, job_node) {
				if (count < *room)
					(*buf)[count] = p->base.koid;
				count++;
			}
		}
		spin_unlock(&job->lock);
		if (count <= *room)
			break;
		kvfree(*buf);
		*room = count + 8;
		*buf = kvmalloc_array(*room, sizeof(**buf), GFP_KERNEL_ACCOUNT);
		if (!*buf) {
			*room = 0;
			return MX_ERR_NO_MEMORY;
		}
	}
	*n = count;
	return 0;
}

/**
 * mx_job_child_koids() - MX_INFO_JOB_CHILDREN or MX_INFO_JOB_PROCESSES
 * @job: the job
 * @jobs: its child jobs, else its processes (direct children only)
 * @koids: out: their koids (kvfree() it), or NULL if there are none
 * @n: out: how many
 *
 * The walk holds the job's lock; the lists it walks are bounded by the
 * per-user object limit.
 *
 * Context: process context, no mx lock held.
 * Return: 0 or MX_ERR_NO_MEMORY.
 */
int mx_job_child_koids(struct mx_job *job, bool jobs, u64 **koids, u32 *n)
{
	u32 room = 0;
	int ret;

	*koids = NULL;
	ret = mx_job_koids(job, jobs, koids, &room, n);
	if (ret) {
		kvfree(*koids);
		*koids = NULL;
	}
	return ret;
}

/**
 * mx_job_find_child() - a direct child of @job by koid: a job first, then
 *	a process
 * @job: the job
 * @koid: the koid
 *
 * Context: any; takes @job's lock.
 * Return: the child's object, referenced, or NULL.
 */
struct mx_object *mx_job_find_child(struct mx_job *job, u64 koid)
{
	struct mx_object *found = NULL;
	struct mx_process *p;
	struct mx_job *c;

	spin_lock(&job->lock);
	list_for_each_entry(c, &job->children, child_node) {
		if (c->base.koid == koid) {
			if (kref_get_unless_zero(&c->base.ref))
				found = &c->base;
			goto out;
		}
	}
	list_for_each_entry(p, &job->processes, job_node) {
		if (p->base.koid == koid) {
			if (kref_get_unless_zero(&p->base.ref))
				found = &p->base;
			goto out;
		}
	}
out:
	spin_unlock(&job->lock);
	return found;
}

/* The process of @job with koid @koid, referenced, or NULL. */
static struct mx_object *mx_job_scan_processes(struct mx_job *job, u64 koid)
{
	struct mx_object *found = NULL;
	struct mx_process *p;

	spin_lock(&job->lock);
	list_for_each_entry(p, &job->processes, job_node) {
		if (p->base.koid == koid) {
			if (kref_get_unless_zero(&p->base.ref))
				found = &p->base;
			break;
		}
	}
	spin_unlock(&job->lock);
	return found;
}

/*
 * The next child job of @job after koid @after (the lists are in creation
 * order, so koids grow along them), referenced, or NULL.
 */
static struct mx_job *mx_job_child_after(struct mx_job *job, u64 after)
{
	struct mx_job *c, *found = NULL;

	spin_lock(&job->lock);
	list_for_each_entry(c, &job->children, child_node) {
		if (c->base.koid > after && kref_get_unless_zero(&c->base.ref)) {
			found = c;
			break;
		}
	}
	spin_unlock(&job->lock);
	return found;
}

/**
 * mx_job_find_process() - a process by koid anywhere below @job
 * @job: the top of the tree, referenced by the caller
 * @koid: the koid
 *
 * Depth first, one job's lock at a time; the tree is at most
 * MX_JOB_MAX_HEIGHT deep, so the walk keeps that many references.
 *
 * Context: process context, no mx lock held.
 * Return: the process's object, referenced, or NULL.
 */
struct mx_object *mx_job_find_process(struct mx_job *job, u64 koid)
{
	struct mx_job *stack[MX_JOB_MAX_HEIGHT + 1];
	u64 after[MX_JOB_MAX_HEIGHT + 1];
	struct mx_object *found;
	struct mx_job *c;
	int depth = 0;

	mx_object_get(&job->base);
	stack[0] = job;
	after[0] = 0;
	found = mx_job_scan_processes(job, koid);
	while (!found) {
		c = mx_job_child_after(stack[depth], after[depth]);
		if (!c) {
			mx_object_put(&stack[depth]->base);
			if (!depth--)
				return NULL;
			continue;
		}
		after[depth] = c->base.koid;
		if (WARN_ON_ONCE(depth == MX_JOB_MAX_HEIGHT)) {
			mx_object_put(&c->base);
			continue;
		}
		stack[++depth] = c;
		after[depth] = 0;
		found = mx_job_scan_processes(c, koid);
	}
	while (depth >= 0)
		mx_object_put(&stack[depth--]->base);
	return found;
}

/**
 * mx_job_kill() - mx_task_kill() on a job
 * @job: the job
 *
 * Kills every process of the job and of its child jobs, depth first (the
 * tree is at most MX_JOB_MAX_HEIGHT deep); nothing can be added to them
 * afterwards. Idempotent.
 *
 * Context: process context, no mx lock held.
 * Return: 0, or MX_ERR_ACCESS_DENIED for a root job.
 */
int mx_job_kill(struct mx_job *job)
{
	struct mx_process *p;
	struct mx_job *c;

	if (!job->parent)
		return MX_ERR_ACCESS_DENIED;
	spin_lock(&job->lock);
	job->killed = true;
	spin_unlock(&job->lock);

	while ((p = mx_job_next_victim(job))) {
		p->base.ops->kill(&p->base);
		mx_object_put(&p->base);
	}
	while ((c = mx_job_next_child(job))) {
		mx_job_kill(c);
		mx_object_put(&c->base);
	}
	return 0;
}
