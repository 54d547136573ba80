/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mx processes: one per Linux thread group that uses mx.
 */
#ifndef MX_PROCESS_H
#define MX_PROCESS_H

#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/seq_file.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "handle_table.h"
#include "object.h"

/**
 * struct mx_process - an mx process object
 * @base: common object head
 * @table: the process's handles
 * @tgid: the thread group's struct pid, referenced (invariant after attach)
 * @hnode: in the registry of attached processes (protected by the
 *	registry lock; read under RCU)
 * @exit_wait: entry on @tgid's wait_pidfd queue, to learn of the exit
 * @exit_work: tears the process down after the thread group exited
 * @exit_code: the group's exit code, noted when its exit was notified
 *	(written by the wake-up, read by @exit_work)
 * @exit_code_noted: @exit_code is valid
 * @dead: the thread group has exited and the table is closed
 *	(protected by @base.lock)
 * @return_code: exit status once @dead (protected by @base.lock)
 * @self_handle: value of the handle the process holds to itself
 *	(invariant after attach)
 * @job_handle: value of the handle the process holds to its job
 *	(invariant after attach)
 * @name_lock: protects @name
 * @name: MX_PROP_NAME
 * @wait_lock: protects @parked_waits and @nr_parked (see wait.c)
 * @parked_waits: waits kept while their threads run signal handlers
 * @nr_parked: length of @parked_waits
 * @rcu: frees the struct after RCU readers of the registry are done
 */
struct mx_process {
	struct mx_object base;
	struct mx_handle_table table;
	struct pid *tgid;
	struct hlist_node hnode;
	struct wait_queue_entry exit_wait;
	struct work_struct exit_work;
	int exit_code;
	bool exit_code_noted;
	bool dead;
	int return_code;
	s32 self_handle;
	s32 job_handle;
	spinlock_t name_lock;
	char name[MX_MAX_NAME_LEN];
	spinlock_t wait_lock;
	struct list_head parked_waits;
	unsigned int nr_parked;
	struct rcu_head rcu;
};

extern const struct mx_object_ops mx_process_ops;
extern unsigned int mx_max_handles;

int mx_process_init(void);
void mx_process_exit(void);

struct mx_process *mx_process_current(void);
struct mx_process *mx_process_get_by_pid(struct pid *tgid);
void mx_process_show_all(struct seq_file *m);
int mx_debug_snapshot(struct mx_process *t, u32 max,
		      struct mx_debug_handle **buf, u32 *written, u32 *avail,
		      struct mx_debug_process *info);
void mx_wait_process_exit(struct mx_process *p);
int mx_sleep_step(u64 deadline);

static inline struct mx_process *mx_to_process(struct mx_object *obj)
{
	return container_of(obj, struct mx_process, base);
}

static inline void mx_process_put(struct mx_process *p)
{
	mx_object_put(&p->base);
}

#endif /* MX_PROCESS_H */
