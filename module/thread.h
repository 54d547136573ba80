/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mx threads: one per Linux thread that mx knows of. See thread.c for the
 * locking rules.
 */
#ifndef MX_THREAD_H
#define MX_THREAD_H

#include <linux/list.h>
#include <linux/sched.h>
#include <linux/task_work.h>
#include <linux/workqueue.h>

#include "object.h"

struct mx_process;

/* Thread states (mx_thread.state), as Magenta's. */
enum mx_thread_state {
	MX_THREAD_NEW,		/* created, not started */
	MX_THREAD_STARTING,	/* started, its Linux thread not bound yet */
	MX_THREAD_RUNNING,	/* bound to a live Linux thread */
	MX_THREAD_DYING,	/* killed, the Linux thread not gone yet */
	MX_THREAD_DEAD,		/* the Linux thread exited */
};

/**
 * struct mx_thread - an mx thread object
 * @base: common object head
 * @process: the process it belongs to, referenced (invariant)
 * @pnode: in @process->threads (protected by @process->task_lock)
 * @hnode: in the registry of bound threads, by @task (protected by the
 *	registry lock; read under RCU)
 * @task: the Linux thread once bound, referenced until @exit_work has run
 *	(protected by @process->task_lock)
 * @state: enum mx_thread_state (protected by @process->task_lock)
 * @ambient: made by mx_thread_self() for a thread mx did not start; not
 *	owned by its handles (invariant)
 * @killed: killed before it was started: it can never start (protected
 *	by @process->task_lock)
 * @kill_queued: @kill_work is queued on @task (protected by
 *	@process->task_lock)
 * @created_ns: creation time on the clock of task_struct.start_time: only a
 *	Linux thread born after it may bind (invariant)
 * @pid_cursor: the next pid its creator's pid namespace was to hand out
 *	at creation: tells threads born in the same clock tick apart
 *	(invariant)
 * @self_handle: value of the handle mx_thread_self() returns, 0 before the
 *	first call (protected by @process->task_lock)
 * @claim_node: in @process->claims while STARTING (protected by
 *	@process->task_lock)
 * @claim_value: the handle value mx_thread_start() was called with, by
 *	which its new Linux thread binds (protected by @process->task_lock)
 * @kill_work: task work that makes @task exit
 * @exit_work: after the thread exited: closes @self_handle, drops @task
 * @gone_work: queued by the exit probe when it cannot call
 *	mx_thread_gone() itself (on PREEMPT_RT spinlock_t sleeps; or the
 *	process's task lock is busy), or to put the probe's reference when
 *	it is the last: calls mx_thread_gone() and puts it
 * @name_lock: protects @name
 * @name: MX_PROP_NAME
 * @rcu: frees the struct after RCU readers of the registry are done
 */
struct mx_thread {
	struct mx_object base;
	struct mx_process *process;
	struct list_head pnode;
	struct hlist_node hnode;
	struct task_struct *task;
	u32 state;
	bool ambient;
	bool killed;
	bool kill_queued;
	u64 created_ns;
	u64 runtime;
	unsigned int pid_cursor;
	s32 self_handle;
	struct list_head claim_node;
	s32 claim_value;
	struct callback_head kill_work;
	struct callback_head suspend_work;
	wait_queue_head_t resume_wq;
	bool suspend_req;
	bool suspend_queued;
	bool suspended;
	struct work_struct exit_work;
	struct work_struct gone_work;
	spinlock_t name_lock;
	char name[MX_MAX_NAME_LEN];
	struct rcu_head rcu;
};

extern const struct mx_object_ops mx_thread_ops;

static inline struct mx_thread *mx_to_thread(struct mx_object *obj)
{
	return container_of(obj, struct mx_thread, base);
}

void mx_thread_teardown(void);
u64 mx_thread_runtime(struct mx_thread *t);
int mx_thread_suspend(struct mx_thread *t);
int mx_thread_resume(struct mx_thread *t);
void mx_thread_suspend_pending(struct mx_thread *t);
void mx_thread_on_exit(struct task_struct *task);

int mx_thread_new(struct mx_process *p, struct mx_process *caller,
		     const char *name, struct mx_thread **out);
int mx_thread_self_handle(struct mx_process *p, s32 *value);
int mx_thread_start_check(struct mx_process *caller, struct mx_thread *t);
int mx_thread_bind_current(struct mx_process *caller, struct mx_thread *t);
int mx_thread_claim(struct mx_process *caller, struct mx_thread *t, s32 value);
int mx_thread_bind_claimed(struct mx_process *caller, s32 value, bool abort);
void mx_thread_bind_locked(struct mx_thread *t, struct task_struct *task);
void mx_thread_kill(struct mx_thread *t);
void mx_thread_gone(struct mx_thread *t);
void mx_thread_info(struct mx_thread *t, struct mx_info_thread *rec);
void mx_task_set_comm(struct task_struct *task, const char *name);

#endif /* MX_THREAD_H */
