/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mx processes: one per Linux thread group that uses mx, or made by
 * mx_process_create() and not yet started.
 */
#ifndef MX_PROCESS_H
#define MX_PROCESS_H

#include <linux/hashtable.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "handle_table.h"
#include "object.h"
#include "thread.h"
#include "wait.h"

struct mx_aspace;
struct mx_job;

/* Process states (mx_process.state), as Magenta's. */
enum mx_process_state {
	MX_PROCESS_INITIAL,	/* made by mx_process_create(), not started */
	MX_PROCESS_STARTING,	/* started, its child not bound yet (start.c) */
	MX_PROCESS_RUNNING,	/* bound to a live thread group */
	MX_PROCESS_DYING,	/* ended; its table is being closed */
	MX_PROCESS_DEAD,	/* MX_TASK_TERMINATED asserted */
};

/*
 * Who ends a bound process (mx_process.end, process.c): its thread group's
 * exit, or a secure exec of the group (an exec that changed credentials),
 * which severs the process from the group.
 */
enum mx_process_end {
	MX_END_NONE,		/* not decided yet */
	MX_END_WORK,		/* the exit work ends it */
	MX_END_TASK,		/* the task work of its last thread ends it */
	MX_END_TASK_DONE,	/* that task work is done */
	MX_END_REAPED,		/* its last references are being dropped */
	MX_END_EXEC_TASK,	/* severed: a task work of the exec's ends it */
	MX_END_EXEC_WORK,	/* severed: the exit work ends it */
};

/**
 * struct mx_process - an mx process object
 * @base: common object head
 * @table: the process's handles
 * @tgid: the thread group's struct pid, referenced; NULL until the process
 *	is bound (written once, under @task_lock and the registry lock)
 * @hnode: in the registry of attached processes (protected by the
 *	registry lock; read under RCU)
 * @exit_wait: entry on @tgid's wait_pidfd queue, to learn of the exit
 * @exit_work: after the thread group exited: tears the process down, or
 *	only drops the registry's references when @exit_twork did that
 * @exit_twork: task work queued by the exit probe on the group's last
 *	thread, or by the exec probe on the thread of a secure exec: tears
 *	the process down in that thread
 * @reap_node: on the list of processes whose last references are to be
 *	dropped (process.c)
 * @reap_module_ref: the reaper also drops the module reference of its
 *	exit_wait entry (a process severed by an exec, process.c)
 * @end: who tears it down (enum mx_process_end; cmpxchg)
 * @exit_code: the group's exit code, noted when its exit was notified
 *	(written by the wake-up, read by @exit_work)
 * @exit_code_noted: @exit_code is valid
 * @ambient: attached on its first mx call, not made by mx_process_create();
 *	not owned by its handles (invariant)
 * @task_lock: protects @state, @ret_set, @return_code, @threads and the
 *	state of each of the threads (thread.c); object locks nest inside it
 * @state: enum mx_process_state (protected by @task_lock)
 * @ret_set: @return_code is decided (mx_process_exit(), a kill, or the
 *	exit status once the group has exited) and nothing overrides it; set
 *	whenever @state is DYING or DEAD (protected by @task_lock)
 * @return_code: MX_INFO_PROCESS.return_code (protected by @task_lock)
 * @threads: its struct mx_thread, in creation order (protected by
 *	@task_lock)
 * @claims: its STARTING threads, by mx_thread.claim_node, oldest first
 *	(protected by @task_lock)
 * @job: the job it belongs to, referenced (invariant)
 * @job_node: in @job's list of processes (protected by the job's lock)
 * @job_killed: @job's kill has reached this process (protected by the
 *	job's lock)
 * @self_lock: serialises the lazy creation of @self_handle
 * @self_handle: value of the handle the process holds to itself, 0 until
 *	made (written once under @self_lock)
 * @aspace: its VMARs (vmar.c), made on its first VMAR call, or NULL
 *	(protected by @self_lock)
 * @job_handle: value of the handle an ambient process holds to its job
 *	(invariant after attach; 0 for a started process)
 * @name_lock: protects @name
 * @name: MX_PROP_NAME
 * @parked: calls kept while their threads run signal handlers (wait.c)
 * @rcu: frees the struct after RCU readers of the registry are done
 * @user: the user its calls were last charged to (user.c), referenced;
 *	NULL until its first charge (RCU)
 */
struct mx_process {
	struct mx_object base;
	struct mx_handle_table table;
	struct pid *tgid;
	struct hlist_node hnode;
	struct wait_queue_entry exit_wait;
	struct work_struct exit_work;
	struct callback_head exit_twork;
	struct llist_node reap_node;
	bool reap_module_ref;
	int end;
	int exit_code;
	bool exit_code_noted;
	bool ambient;
	spinlock_t task_lock;
	u32 state;
	bool ret_set;
	int return_code;
	struct list_head threads;
	struct list_head claims;
	struct mx_job *job;
	struct list_head job_node;
	bool job_killed;
	struct mutex self_lock;
	s32 self_handle;
	struct mx_aspace *aspace;
	s32 job_handle;
	spinlock_t name_lock;
	char name[MX_MAX_NAME_LEN];
	struct mx_parked_calls parked;
	struct rcu_head rcu;
	struct mx_user __rcu *user;
};

extern const struct mx_object_ops mx_process_ops;
extern unsigned int mx_max_handles;


struct mx_process *mx_process_current(void);
int mx_process_new(struct mx_job *job, const char *name,
		      struct mx_process **out);
int mx_process_self_handle(struct mx_process *p, s32 *value);
int mx_process_bind(struct mx_process *p, struct mx_thread *t,
		    struct task_struct *task);
void mx_process_kill(struct mx_process *p);
void mx_process_set_return_code(struct mx_process *p, int code);
void mx_process_info(struct mx_process *p, struct mx_info_process *rec);
int mx_process_thread_koids(struct mx_process *p, u64 **koids, u32 *n);
struct mx_object *mx_process_find_thread(struct mx_process *p, u64 koid);

static inline struct mx_process *mx_to_process(struct mx_object *obj)
{
	return container_of(obj, struct mx_process, base);
}

static inline void mx_process_put(struct mx_process *p)
{
	mx_object_put(&p->base);
}

/*
 * Whether a secure exec severed @p from its thread group: nothing done
 * through it may reach the group's tasks any more, even before its
 * teardown has marked it dead. Set once, never cleared.
 */
static inline bool mx_process_severed(struct mx_process *p)
{
	int end = READ_ONCE(p->end);

	return end == MX_END_EXEC_TASK || end == MX_END_EXEC_WORK;
}

#endif /* MX_PROCESS_H */
