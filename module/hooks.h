/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where mx meets the Linux task lifecycle: the fork, exit and exec
 * tracepoints and the module's workqueue (hooks.c).
 */
#ifndef MX_HOOKS_H
#define MX_HOOKS_H

struct workqueue_struct;

/* Runs every deferred end of mx: process and thread teardown, arms. */
extern struct workqueue_struct *mx_wq;

int mx_wq_setup(void);
void mx_wq_teardown(void);
int mx_hooks_attach(void);
void mx_hooks_detach(void);

#endif /* MX_HOOKS_H */
