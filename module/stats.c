// SPDX-License-Identifier: GPL-2.0
/*
 * Statistics and the debugfs directory /sys/kernel/debug/mx:
 *
 *   stats      one "key value" line per counter: objects, objects.<type>,
 *              handles, messages, message_bytes
 *   processes  one line per attached process (process_end.c)
 *
 * The counters are per-CPU and updated without locks where objects are
 * initialised and released, handles allocated and freed, and messages
 * queued and dequeued; reading sums them over every CPU, so a reading
 * taken while the counters move is approximate, and exact once they stop.
 *
 * Locking (the order of all: docs/architecture.md): none (per-CPU
 * counters); the files are root's (0400).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "stats.h"

DEFINE_PER_CPU(struct mx_stats, mx_stats);

/* The types debugfs names, in the order it prints them. */
static const struct {
	u32 type;
	const char *name;
} mx_stats_types[] = {
	{ MX_OBJ_TYPE_EVENT, "event" },
	{ MX_OBJ_TYPE_EVENT_PAIR, "eventpair" },
	{ MX_OBJ_TYPE_CHANNEL, "channel" },
	{ MX_OBJ_TYPE_PORT, "port" },
	{ MX_OBJ_TYPE_PROCESS, "process" },
	{ MX_OBJ_TYPE_THREAD, "thread" },
	{ MX_OBJ_TYPE_JOB, "job" },
};

static void mx_stats_sum(struct mx_stats *sum)
{
	const struct mx_stats *s;
	unsigned int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		s = per_cpu_ptr(&mx_stats, cpu);
		for (i = 0; i < MX_OBJ_TYPE_LAST; i++)
			sum->objects[i] += READ_ONCE(s->objects[i]);
		sum->handles += READ_ONCE(s->handles);
		sum->messages += READ_ONCE(s->messages);
		sum->message_bytes += READ_ONCE(s->message_bytes);
	}
}

static int mx_stats_show(struct seq_file *m, void *v)
{
	struct mx_stats sum;
	long total = 0;
	unsigned int i;

	mx_stats_sum(&sum);
	for (i = 0; i < MX_OBJ_TYPE_LAST; i++)
		total += sum.objects[i];
	seq_printf(m, "objects %ld\n", total);
	for (i = 0; i < ARRAY_SIZE(mx_stats_types); i++)
		seq_printf(m, "objects.%s %ld\n", mx_stats_types[i].name,
			   sum.objects[mx_stats_types[i].type]);
	seq_printf(m, "handles %ld\n", sum.handles);
	seq_printf(m, "messages %ld\n", sum.messages);
	seq_printf(m, "message_bytes %ld\n", sum.message_bytes);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mx_stats);


/* /sys/kernel/debug/mx; an error pointer when debugfs is absent. */
struct dentry *mx_debugfs_dir;

/**
 * mx_debugfs_setup() - make /sys/kernel/debug/mx, with "stats" in it
 *
 * Without debugfs the module works without the files.
 *
 * Return: 0.
 */
int mx_debugfs_setup(void)
{
	mx_debugfs_dir = debugfs_create_dir("mx", NULL);
	debugfs_create_file("stats", 0400, mx_debugfs_dir, NULL,
			    &mx_stats_fops);
	return 0;
}

/* Remove the directory and every file in it (other files' too). */
void mx_debugfs_teardown(void)
{
	debugfs_remove_recursive(mx_debugfs_dir);
}
