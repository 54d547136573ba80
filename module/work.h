/* SPDX-License-Identifier: GPL-2.0 */
/* The module's workqueue (work.c). */
#ifndef MX_WORK_H
#define MX_WORK_H

#include <linux/workqueue.h>

/* Runs every deferred end of mx: process and thread teardown, arms. */
extern struct workqueue_struct *mx_wq;

int mx_wq_setup(void);
void mx_wq_teardown(void);

#endif /* MX_WORK_H */
