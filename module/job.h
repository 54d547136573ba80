/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mx jobs: a tree of groups of processes. See job.c for the locking rules.
 */
#ifndef MX_JOB_H
#define MX_JOB_H

#include <linux/types.h>
#include <linux/uidgid.h>

#include "object.h"

struct mx_process;

/* How many levels of jobs may hang below the root job (Magenta's). */
#define MX_JOB_MAX_HEIGHT	32

/**
 * struct mx_job - an mx job object
 * @base: common object head
 * @parent: the parent job, referenced; NULL for a root job (invariant)
 * @uid: the user of a root job (invariant)
 * @uid_node: a root job's entry in the registry of root jobs (protected
 *	by its lock)
 * @child_node: in @parent->children (protected by @parent->lock)
 * @kill_seen: @parent's kill has reached this job (protected by
 *	@parent->lock)
 * @height: levels of jobs allowed below this one (invariant)
 * @lock: protects @children, @processes, @killed and the job's
 *	NO_PROCESSES / NO_JOBS signals; the job's object lock nests inside
 * @children: child jobs, each in the list from creation to release
 * @processes: struct mx_process of the job, until each is dead
 * @killed: mx_task_kill() was called: no process or job may be added
 * @name_lock: protects @name
 * @name: MX_PROP_NAME
 */
struct mx_job {
	struct mx_object base;
	struct mx_job *parent;
	kuid_t uid;
	struct hlist_node uid_node;
	struct list_head child_node;
	bool kill_seen;
	u32 height;
	spinlock_t lock;
	struct list_head children;
	struct list_head processes;
	bool killed;
	spinlock_t name_lock;
	char name[MX_MAX_NAME_LEN];
};

extern const struct mx_object_ops mx_job_ops;

static inline struct mx_job *mx_to_job(struct mx_object *obj)
{
	return container_of(obj, struct mx_job, base);
}

void mx_job_teardown(void);
struct mx_job *mx_job_user_root(kuid_t uid);
int mx_job_new(struct mx_job *parent, struct mx_job **out);
int mx_job_add_process(struct mx_job *job, struct mx_process *p);
void mx_job_remove_process(struct mx_process *p);
int mx_job_kill(struct mx_job *job);
int mx_job_child_koids(struct mx_job *job, bool jobs, u64 **koids, u32 *n);
struct mx_object *mx_job_find_child(struct mx_job *job, u64 koid);
struct mx_object *mx_job_find_process(struct mx_job *job, u64 koid);

#endif /* MX_JOB_H */
