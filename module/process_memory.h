/* SPDX-License-Identifier: GPL-2.0 */
/* Another process's memory (process_memory.c). */
#ifndef MX_PROCESS_MEMORY_H
#define MX_PROCESS_MEMORY_H

#include <linux/compiler_types.h>
#include <linux/sizes.h>
#include <linux/types.h>

struct mx_process;

/* The most bytes one read or write of another process's memory moves. */
#define MX_PROCESS_MEMORY_MAX	SZ_64M

int mx_process_access_memory(struct mx_process *t, u64 vaddr,
			     void __user *ubuf, u64 len, bool write,
			     u64 *done);

#endif /* MX_PROCESS_MEMORY_H */
