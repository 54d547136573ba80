/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Blocking calls: a task sleeping until it is settled or its deadline
 * passes, and the parking of a call whose thread runs a signal handler.
 * See wait.c for the rules; mx_object_wait_one/_many and mx_channel_call
 * use them. Also the one initialiser of the observers that waits, port
 * registrations and wait fds are made of.
 */
#ifndef MX_WAIT_H
#define MX_WAIT_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/mx.h>

struct mx_handle;
struct mx_observer;
struct mx_process;
struct task_struct;

enum { MX_WAIT_PENDING, MX_WAIT_SATISFIED, MX_WAIT_CANCELED };

/**
 * struct mx_waiter - a task sleeping in a blocking call
 * @task: the task
 * @result: MX_WAIT_* (first writer wins)
 * @parked: the task is out of the call running a signal handler
 */
struct mx_waiter {
	struct task_struct *task;
	int result;
	bool parked;
};

struct mx_parked;

/**
 * struct mx_parked_calls - the calls of a process kept while their threads
 * run signal handlers (one per process: mx_process.parked)
 * @lock: protects @list and @nr; innermost (see wait.c)
 * @list: struct mx_parked, oldest first
 * @nr: length of @list
 */
struct mx_parked_calls {
	spinlock_t lock;
	struct list_head list;
	unsigned int nr;
};

/**
 * struct mx_parked_ops - what differs between the kinds of parked calls
 * @matches: whether the restarted call described by @key (the kind's own
 *	struct) is the one @pk was parked from; thread, command and user
 *	registers are already known to be the same
 * @drop: the thread is not coming back to @pk: end the call (free what it
 *	holds) and free @pk. Called with no mx lock held.
 */
struct mx_parked_ops {
	bool (*matches)(const struct mx_parked *pk, const void *key);
	void (*drop)(struct mx_parked *pk);
};

/**
 * struct mx_parked - a blocking call kept while its thread runs a handler
 * @node: in its process's struct mx_parked_calls (protected by its lock)
 * @ops: the kind of call (invariant)
 * @cmd: its ioctl command (invariant)
 * @ip: user instruction pointer of the call (invariant)
 * @sp: user stack pointer of the call (invariant)
 * @w: the waiter; @w.task is referenced from mx_parked_init() to
 *	mx_parked_fini()
 */
struct mx_parked {
	struct list_head node;
	const struct mx_parked_ops *ops;
	unsigned int cmd;
	unsigned long ip;
	unsigned long sp;
	struct mx_waiter w;
};

/*
 * Items a wait_many keeps in its struct mx_wait_items, with no allocation:
 * 12 bytes each, 768 bytes on the ioctl's stack (do_sys_poll() keeps more
 * for poll()).
 */
#define MX_WAIT_INLINE_ITEMS 64

/**
 * struct mx_wait_items - the items of one wait_many
 * @items: @inline_items, or an allocated array for more than
 *	MX_WAIT_INLINE_ITEMS
 * @count: how many
 * @inline_items: the items of a wait of up to MX_WAIT_INLINE_ITEMS
 */
struct mx_wait_items {
	struct mx_wait_item *items;
	u32 count;
	struct mx_wait_item inline_items[MX_WAIT_INLINE_ITEMS];
};

int mx_wait_items_init(struct mx_wait_items *wi, u32 count);
void mx_wait_items_fini(struct mx_wait_items *wi);
int mx_wait_one(struct mx_process *p, struct mx_wait_item *item,
		u64 deadline, u64 id, bool *filled);
int mx_wait_many(struct mx_process *p, struct mx_wait_items *wi,
		 u64 deadline, u64 id, bool *filled);
int mx_wait_none(u64 deadline);
int mx_sleep_step(u64 deadline);
void mx_wait_process_exit(struct mx_process *p);

void mx_observer_init(struct mx_observer *obs, const struct mx_handle *handle,
		      u32 watched,
		      void (*notify)(struct mx_observer *obs, u32 state),
		      bool async);
bool mx_waiter_settle(struct mx_waiter *w, int result);
int mx_wait_sleep(struct mx_waiter *w, u64 deadline);

void mx_parked_calls_init(struct mx_parked_calls *pc);
void mx_parked_calls_fini(struct mx_parked_calls *pc);
void mx_parked_init(struct mx_parked *pk, const struct mx_parked_ops *ops,
		    unsigned int cmd);
void mx_parked_fini(struct mx_parked *pk);
void mx_park(struct mx_process *p, struct mx_parked *pk);
struct mx_parked *mx_unpark(struct mx_process *p, unsigned int cmd,
			    const void *key);

#endif /* MX_WAIT_H */
