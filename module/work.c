// SPDX-License-Identifier: GPL-2.0
/*
 * mx_wq: the module's own workqueue, unbound, on which every deferred end
 * runs - a process's exit work and the reaper's batches (process_end.c),
 * a thread's exit and gone works (thread.c), the end of an arm and its
 * refile (start.c). Module unload drains it (mx_process_teardown()) before
 * it is destroyed, last of the parts that use it.
 *
 * Locking (the order of all: docs/architecture.md): none.
 */
#include <linux/workqueue.h>

#include "work.h"

struct workqueue_struct *mx_wq;

int mx_wq_setup(void)
{
	mx_wq = alloc_workqueue("mx", WQ_UNBOUND, 0);
	return mx_wq ? 0 : -ENOMEM;
}

void mx_wq_teardown(void)
{
	destroy_workqueue(mx_wq);
}
