/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Statistics for debugfs: totals of objects by type, handles and queued
 * messages, kept in per-CPU counters. See stats.c.
 */
#ifndef MX_STATS_H
#define MX_STATS_H

#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/mx.h>

/**
 * struct mx_stats - one CPU's share of the totals (each may go negative;
 *	only the sum over every CPU means something)
 * @objects: objects alive, by MX_OBJ_TYPE_*
 * @handles: handles allocated and not yet freed (in tables or in transit)
 * @messages: messages queued at channel endpoints
 * @message_bytes: bytes of those messages
 */
struct mx_stats {
	long objects[MX_OBJ_TYPE_LAST];
	long handles;
	long messages;
	long message_bytes;
};

DECLARE_PER_CPU(struct mx_stats, mx_stats);

static inline void mx_stats_object(u32 type, long delta)
{
	if (type < MX_OBJ_TYPE_LAST)
		this_cpu_add(mx_stats.objects[type], delta);
}

static inline void mx_stats_handles(long delta)
{
	this_cpu_add(mx_stats.handles, delta);
}

static inline void mx_stats_messages(long msgs, long bytes)
{
	this_cpu_add(mx_stats.messages, msgs);
	this_cpu_add(mx_stats.message_bytes, bytes);
}

struct dentry;

extern struct dentry *mx_debugfs_dir;

int mx_debugfs_setup(void);
void mx_debugfs_teardown(void);

#endif /* MX_STATS_H */
