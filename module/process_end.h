/* SPDX-License-Identifier: GPL-2.0 */
/* The end of a process, and the registry of attached ones (process_end.c). */
#ifndef MX_PROCESS_END_H
#define MX_PROCESS_END_H

#include <linux/types.h>

struct mx_process;
struct pid;
struct task_struct;

void mx_process_end_init(struct mx_process *p);
void mx_process_finish(struct mx_process *p, int code);
void mx_process_on_exit(struct task_struct *task);
void mx_process_on_exec(struct task_struct *task);
int mx_process_setup(void);
void mx_process_teardown(void);

void mx_process_registry_lock(void);
void mx_process_registry_unlock(void);
struct mx_process *mx_process_lookup_rcu(struct pid *tgid);
bool mx_process_known(struct pid *tgid);
void mx_process_register_locked(struct mx_process *p);
void mx_process_wait_severed(struct pid *tgid);
struct mx_process *mx_process_get_by_pid(struct pid *tgid);

#endif /* MX_PROCESS_END_H */
