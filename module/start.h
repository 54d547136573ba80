/* SPDX-License-Identifier: GPL-2.0 */
/* The start of a created process: arms, the fork and the claim (start.c). */
#ifndef MX_START_H
#define MX_START_H

struct task_struct;

int mx_start_setup(void);
void mx_start_teardown(void);
void mx_start_on_fork(struct task_struct *parent, struct task_struct *child);
void mx_start_on_exit(struct task_struct *task);

#endif /* MX_START_H */
