/* SPDX-License-Identifier: GPL-2.0 */
/* A snapshot of a process's handles, for debuggers (snapshot.c). */
#ifndef MX_SNAPSHOT_H
#define MX_SNAPSHOT_H

#include <linux/types.h>
#include <linux/mx.h>

struct mx_process;

int mx_debug_snapshot(struct mx_process *t, u32 max,
		      struct mx_debug_handle **buf, u32 *written, u32 *avail,
		      struct mx_debug_process *info);

#endif /* MX_SNAPSHOT_H */
