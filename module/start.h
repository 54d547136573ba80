/* SPDX-License-Identifier: GPL-2.0 */
/* The start of a created process: arms, the fork and the claim (start.c). */
#ifndef MX_START_H
#define MX_START_H

#include <linux/types.h>

struct mx_arm;
struct mx_process;
struct mx_thread;
struct task_struct;

/*
 * Gives the starter the values of the moved handles in the new process's
 * table: 0, or an MX_ERR_* status that undoes the arm.
 */
typedef int (*mx_start_publish_fn)(const s32 *values, u32 n, void *ctx);

struct mx_arm *mx_arm_new(struct mx_process *proc, struct mx_thread *thr,
			  bool launch);
void mx_arm_discard(struct mx_arm *arm);
int mx_start_arm(struct mx_process *p, struct mx_arm *arm, const s32 *values,
		 u32 n, mx_start_publish_fn publish, void *ctx);
int mx_start_abort(void);
int mx_start_claim(void);

int mx_start_setup(void);
void mx_start_teardown(void);
void mx_start_on_fork(struct task_struct *parent, struct task_struct *child);
void mx_start_on_exit(struct task_struct *task);

#endif /* MX_START_H */
