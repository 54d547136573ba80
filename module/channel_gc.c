// SPDX-License-Identifier: GPL-2.0
/*
 * The collector of unreachable channel cycles.
 *
 * A message holds handles in transit. Only a holder of a handle to an
 * endpoint can read that endpoint's queue, so a handle queued at endpoint
 * Q is reachable exactly when Q is. Endpoints can therefore keep each
 * other alive with nobody able to reach them: write b into a (b lands in
 * its own queue) and close a; or, with (a,b) and (c,d), write d into a
 * and b into c, then close a and c. Closing handles alone never frees
 * these, so this collector does, in the way of the AF_UNIX SCM_RIGHTS
 * collector (net/unix/garbage.c before Linux 6.10). Only channel queues
 * hold messages, so only channel endpoints can form such cycles; the
 * other objects caught in one (events, eventpairs, ...) go when the
 * messages carrying them are freed.
 *
 * State: every endpoint has a struct mx_gc_entry. @inflight counts the
 * handles to the endpoint that are queued in channels (in any endpoint's
 * queue, its own included); endpoints with @inflight > 0 are kept on
 * mx_gc_inflight. @msgs lists the messages queued at the endpoint that
 * carry channel handles: the edges of the graph. A handle anywhere else
 * (a handle table, an fd of handle_fd.c, a message being read or being
 * reaped) is a root.
 *
 * A pass, all of it under mx_gc_mutex:
 *  1. Candidates: the endpoints in flight whose handle count equals
 *     @inflight, i.e. every handle to them is queued. @refs = @inflight.
 *  2. For each candidate, each channel handle in its @msgs takes one from
 *     the target's @refs when the target is a candidate: what remains is
 *     the number of handles queued at non-candidates, which are roots or
 *     reachable from roots.
 *  3. Candidates with @refs > 0 are reachable; so is every candidate
 *     that a reachable one holds in its queue, transitively (breadth
 *     first, on a list: no recursion).
 *  4. The other candidates are garbage: nothing outside them holds a
 *     handle to any of them. Their @msgs are taken out of their queues
 *     and given to the reaper (message.c), which closes the handles they
 *     carry: every garbage endpoint loses its last handle, its peer sees
 *     PEER_CLOSED, and what is left in its queue is reaped in turn.
 * Each step is linear in the endpoints in flight and the channel handles
 * their queues hold; the lists are private or stable under the mutex, so
 * the pass yields the CPU between endpoints.
 *
 * Why the snapshot holds: a queued handle leaves its queue only by a
 * read, a discard, a purge (on_zero_handles or step 4), and every one of
 * them takes mx_gc_mutex when the message carries channel handles. So
 * during a pass no edge appears or disappears and no @inflight changes.
 * A candidate's handle count cannot grow either: a new handle to an
 * endpoint is made only from one outside a queue (duplicate, replace,
 * mx_handle_from_fd), and a candidate has none; a handle read out of a
 * queue (which makes its endpoint reachable again) is read before or
 * after the pass, never during it. A non-candidate may lose its last root
 * during a pass; it is then kept this time, and the close that did it
 * schedules another pass.
 *
 * When passes run: from a delayed work item, scheduled when a channel
 * handle is closed while some endpoint is in flight, and when the channel
 * handles in flight have grown by MX_GC_GROWTH since the last pass. Most
 * garbage is made by a write (the one that moves the last root of a cycle
 * into a queue); a write cannot tell that from an ordinary transfer
 * without a pass, so writes only count, and the next close, or the
 * growth, starts one. The work is delayed by MX_GC_DELAY_MS, or ten times
 * the last pass's duration if that is longer: closes are batched (a dying
 * process closes all its handles at once) and the collector never takes
 * more than about a tenth of a CPU however often it is kicked. Writes and
 * reads of messages without channel handles never touch the collector.
 * mx_gc_quiesce() (debugfs, module exit) runs passes at once until one
 * finds nothing.
 *
 * Locking:
 *  - mx_gc_mutex protects every mx_gc_entry's @node, @inflight, @refs and
 *    @flags, the list mx_gc_inflight, the counters and the statistics.
 *    An entry's @msgs (and a message's @gc_node) change only with both
 *    mx_gc_mutex and the channel's link lock held.
 *  - Order: mx_gc_mutex -> handle table lock -> channel link lock ->
 *    object lock -> reaper lock. A channel write whose message carries
 *    channel handles takes the mutex before the writer's table lock; a
 *    read or purge of such a message takes it before the link lock.
 *  - Nothing under the mutex waits for the reaper or frees a handle:
 *    garbage messages go to the reaper after the mutex is dropped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/workqueue.h>

#include "channel.h"
#include "channel_gc.h"

/* Channel handles put in flight since the last pass that start one. */
#define MX_GC_GROWTH		16384

/* Least delay between a kick and the pass it starts. */
#define MX_GC_DELAY_MS		10

/* Quiesce gives up after this many passes that each found garbage. */
#define MX_GC_QUIESCE_PASSES	64

#define MX_GC_CANDIDATE		BIT(0)
#define MX_GC_REACHABLE		BIT(1)

static DEFINE_MUTEX(mx_gc_mutex);
static LIST_HEAD(mx_gc_inflight);
static void mx_gc_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(mx_gc_work, mx_gc_work_fn);

/**
 * struct mx_gc_stats - what the collector has done (mx_gc_mutex)
 * @endpoints: endpoints in flight (on mx_gc_inflight)
 * @handles: channel handles in flight
 * @handles_at_pass: @handles when the last pass ended
 * @passes: passes run
 * @collected: endpoints found unreachable, in all
 * @last_candidates: candidates of the last pass
 * @last_collected: endpoints the last pass found unreachable
 * @last_ns: duration of the last pass
 * @max_ns: longest pass
 */
struct mx_gc_stats {
	unsigned long endpoints;
	unsigned long handles;
	unsigned long handles_at_pass;
	u64 passes;
	u64 collected;
	unsigned long last_candidates;
	unsigned long last_collected;
	u64 last_ns;
	u64 max_ns;
};

static struct mx_gc_stats mx_gc_stats;
static struct dentry *mx_gc_debugfs;

/**
 * mx_gc_lock() - take mx_gc_mutex, to queue or dequeue a message that
 *	carries channel handles
 *
 * Context: process context, before any handle table or link lock.
 */
void mx_gc_lock(void)
	__acquires(&mx_gc_mutex)
{
	mutex_lock(&mx_gc_mutex);
	__acquire(&mx_gc_mutex);	/* for sparse: mutex_lock() is not annotated */
}

/**
 * mx_gc_unlock() - release mx_gc_mutex
 */
void mx_gc_unlock(void)
	__releases(&mx_gc_mutex)
{
	__release(&mx_gc_mutex);
	mutex_unlock(&mx_gc_mutex);
}

/**
 * mx_gc_entry_init() - initialise a new endpoint's entry
 * @e: the entry
 * @obj: the endpoint
 */
void mx_gc_entry_init(struct mx_gc_entry *e, struct mx_object *obj)
{
	e->obj = obj;
	INIT_LIST_HEAD(&e->msgs);
	INIT_LIST_HEAD(&e->node);
	e->inflight = 0;
	e->refs = 0;
	e->flags = 0;
}

static void mx_gc_kick(void)
{
	unsigned long delay = msecs_to_jiffies(MX_GC_DELAY_MS);

	delay = max(delay, nsecs_to_jiffies(10 * READ_ONCE(mx_gc_stats.last_ns)));
	queue_delayed_work(system_unbound_wq, &mx_gc_work, delay);
}

static void mx_gc_inc_inflight(struct mx_gc_entry *t)
{
	WRITE_ONCE(t->inflight, t->inflight + 1);
	if (t->inflight == 1) {
		list_add_tail(&t->node, &mx_gc_inflight);
		WRITE_ONCE(mx_gc_stats.endpoints, mx_gc_stats.endpoints + 1);
	}
	mx_gc_stats.handles++;
}

static void mx_gc_dec_inflight(struct mx_gc_entry *t)
{
	mx_gc_stats.handles--;
	if (WARN_ON_ONCE(!t->inflight))
		return;
	WRITE_ONCE(t->inflight, t->inflight - 1);
	/* During a pass, the pass puts its candidates back itself. */
	if (!t->inflight && !(t->flags & MX_GC_CANDIDATE)) {
		list_del_init(&t->node);
		WRITE_ONCE(mx_gc_stats.endpoints, mx_gc_stats.endpoints - 1);
	}
}

static void mx_gc_dec_refs(struct mx_gc_entry *t)
{
	if (t->flags & MX_GC_CANDIDATE)
		t->refs--;
}

static void mx_gc_mark_reachable(struct mx_gc_entry *t,
				 struct list_head *reachable)
{
	if ((t->flags & (MX_GC_CANDIDATE | MX_GC_REACHABLE)) ==
	    MX_GC_CANDIDATE) {
		t->flags |= MX_GC_REACHABLE;
		list_move_tail(&t->node, reachable);
	}
}

enum mx_gc_op {
	MX_GC_INC_INFLIGHT,
	MX_GC_DEC_INFLIGHT,
	MX_GC_DEC_REFS,
	MX_GC_MARK_REACHABLE,
};

/* Apply @op to the entry of every channel handle a message carries. */
static void mx_gc_visit(struct mx_message *m, enum mx_gc_op op,
			struct list_head *reachable)
{
	struct mx_gc_entry *t;
	struct mx_object *obj;
	u32 i;

	for (i = 0; i < m->num_handles; i++) {
		obj = m->handles[i]->obj;
		if (obj->ops != &mx_channel_ops)
			continue;
		t = mx_channel_gc_entry(obj);
		switch (op) {
		case MX_GC_INC_INFLIGHT:
			mx_gc_inc_inflight(t);
			break;
		case MX_GC_DEC_INFLIGHT:
			mx_gc_dec_inflight(t);
			break;
		case MX_GC_DEC_REFS:
			mx_gc_dec_refs(t);
			break;
		case MX_GC_MARK_REACHABLE:
			mx_gc_mark_reachable(t, reachable);
			break;
		}
	}
}

/* Apply @op to the targets of every edge out of @e. */
static void mx_gc_scan(struct mx_gc_entry *e, enum mx_gc_op op,
		       struct list_head *reachable)
{
	struct mx_message *m;

	list_for_each_entry(m, &e->msgs, gc_node)
		mx_gc_visit(m, op, reachable);
}

/**
 * mx_gc_queued() - account a message just queued at an endpoint
 * @e: the endpoint's entry
 * @m: the message, carrying @m->gc_handles channel handles
 *
 * Context: mx_gc_mutex and the endpoint's link lock held.
 */
void mx_gc_queued(struct mx_gc_entry *e, struct mx_message *m)
{
	lockdep_assert_held(&mx_gc_mutex);
	list_add_tail(&m->gc_node, &e->msgs);
	mx_gc_visit(m, MX_GC_INC_INFLIGHT, NULL);
	if (mx_gc_stats.handles > mx_gc_stats.handles_at_pass + MX_GC_GROWTH)
		mx_gc_kick();
}

/**
 * mx_gc_dequeued() - account a message taken out of its queue
 * @m: the message, carrying channel handles
 *
 * The handles it carries are roots from now on, wherever they go.
 *
 * Context: mx_gc_mutex and the endpoint's link lock held.
 */
void mx_gc_dequeued(struct mx_message *m)
{
	lockdep_assert_held(&mx_gc_mutex);
	list_del_init(&m->gc_node);
	mx_gc_visit(m, MX_GC_DEC_INFLIGHT, NULL);
}

/**
 * mx_gc_dequeued_all() - account the whole queue of an endpoint taken out
 * @e: the endpoint's entry
 *
 * Context: mx_gc_mutex and the endpoint's link lock held.
 */
void mx_gc_dequeued_all(struct mx_gc_entry *e)
{
	struct mx_message *m, *tmp;

	list_for_each_entry_safe(m, tmp, &e->msgs, gc_node)
		mx_gc_dequeued(m);
}

/**
 * mx_gc_handle_closed() - a handle to an endpoint was closed
 * @e: the endpoint's entry
 *
 * Schedules a pass if any endpoint is in flight.
 *
 * Context: process context, no mx lock held.
 */
void mx_gc_handle_closed(struct mx_gc_entry *e)
{
	if (READ_ONCE(mx_gc_stats.endpoints))
		mx_gc_kick();
}

static unsigned int mx_gc_handle_count(struct mx_gc_entry *e)
{
	unsigned int n;

	spin_lock(&e->obj->lock);
	n = e->obj->handle_count;
	spin_unlock(&e->obj->lock);
	return n;
}

/* Put a pass's entries back on mx_gc_inflight, or off every list. */
static void mx_gc_restore(struct list_head *list)
{
	struct mx_gc_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, list, node) {
		e->flags = 0;
		if (e->inflight) {
			list_move_tail(&e->node, &mx_gc_inflight);
		} else {
			list_del_init(&e->node);
			WRITE_ONCE(mx_gc_stats.endpoints,
				   mx_gc_stats.endpoints - 1);
		}
	}
}

/*
 * One pass (see the top of the file). Returns how many endpoints it found
 * unreachable; their messages are with the reaper when it returns.
 */
static unsigned long mx_gc_collect(void)
{
	LIST_HEAD(candidates);
	LIST_HEAD(reachable);
	LIST_HEAD(dead);
	struct mx_gc_entry *e, *tmp;
	unsigned long n = 0, garbage = 0;
	u64 start = ktime_get_ns(), ns;

	mutex_lock(&mx_gc_mutex);

	/* 1. Every handle queued somewhere. */
	list_for_each_entry_safe(e, tmp, &mx_gc_inflight, node) {
		if (mx_gc_handle_count(e) == e->inflight) {
			e->flags = MX_GC_CANDIDATE;
			e->refs = e->inflight;
			list_move_tail(&e->node, &candidates);
			n++;
		}
		cond_resched();
	}

	/* 2. Take away the handles queued at candidates. */
	list_for_each_entry(e, &candidates, node) {
		mx_gc_scan(e, MX_GC_DEC_REFS, NULL);
		cond_resched();
	}

	/* 3. What is left is held from outside; so is all it holds. */
	list_for_each_entry_safe(e, tmp, &candidates, node) {
		if (e->refs) {
			e->flags |= MX_GC_REACHABLE;
			list_move_tail(&e->node, &reachable);
		}
	}
	/* The list grows at its tail while it is walked. */
	list_for_each_entry(e, &reachable, node) {
		mx_gc_scan(e, MX_GC_MARK_REACHABLE, &reachable);
		cond_resched();
	}

	/* 4. The rest is garbage: break its queues. */
	list_for_each_entry(e, &candidates, node) {
		mx_channel_gc_purge(e, &dead);
		garbage++;
		cond_resched();
	}

	mx_gc_restore(&reachable);
	mx_gc_restore(&candidates);

	ns = ktime_get_ns() - start;
	mx_gc_stats.handles_at_pass = mx_gc_stats.handles;
	mx_gc_stats.passes++;
	mx_gc_stats.collected += garbage;
	mx_gc_stats.last_candidates = n;
	mx_gc_stats.last_collected = garbage;
	WRITE_ONCE(mx_gc_stats.last_ns, ns);
	mx_gc_stats.max_ns = max(mx_gc_stats.max_ns, ns);
	mutex_unlock(&mx_gc_mutex);

	mx_message_reap(&dead);
	return garbage;
}

static void mx_gc_work_fn(struct work_struct *work)
{
	mx_gc_collect();
}

/**
 * mx_gc_quiesce() - collect until nothing more is found
 *
 * Lets the reaper finish, runs a pass, and repeats while passes find
 * garbage (closing the handles of one garbage cycle can leave another
 * unreachable). On return the reaper is idle and the last pass found
 * nothing, unless handles keep moving meanwhile.
 *
 * Context: process context, no mx lock held.
 */
void mx_gc_quiesce(void)
{
	unsigned long found;
	u64 before;
	int i;

	for (i = 0; i < MX_GC_QUIESCE_PASSES; i++) {
		/* A pass under way hands its garbage to the reaper first. */
		flush_delayed_work(&mx_gc_work);
		mx_message_flush();
		mutex_lock(&mx_gc_mutex);
		before = mx_gc_stats.collected;
		mutex_unlock(&mx_gc_mutex);
		found = mx_gc_collect();
		mutex_lock(&mx_gc_mutex);
		found |= mx_gc_stats.collected != before;
		mutex_unlock(&mx_gc_mutex);
		if (!found)
			return;
	}
	mx_message_flush();
}

static int mx_gc_stats_show(struct seq_file *s, void *unused)
{
	struct mx_gc_stats st;

	mutex_lock(&mx_gc_mutex);
	st = mx_gc_stats;
	mutex_unlock(&mx_gc_mutex);
	seq_printf(s, "endpoints_in_flight %lu\n", st.endpoints);
	seq_printf(s, "handles_in_flight %lu\n", st.handles);
	seq_printf(s, "passes %llu\n", st.passes);
	seq_printf(s, "collected %llu\n", st.collected);
	seq_printf(s, "last_candidates %lu\n", st.last_candidates);
	seq_printf(s, "last_collected %lu\n", st.last_collected);
	seq_printf(s, "last_ns %llu\n", st.last_ns);
	seq_printf(s, "max_ns %llu\n", st.max_ns);
	return 0;
}

static int mx_gc_stats_open(struct inode *inode, struct file *file)
{
	return single_open(file, mx_gc_stats_show, NULL);
}

/* Any write collects until nothing more is found, then returns. */
static ssize_t mx_gc_stats_write(struct file *file, const char __user *buf,
				 size_t len, loff_t *ppos)
{
	mx_gc_quiesce();
	return len;
}

static const struct file_operations mx_gc_stats_fops = {
	.owner = THIS_MODULE,
	.open = mx_gc_stats_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = mx_gc_stats_write,
};

/**
 * mx_gc_init() - set up the collector
 * @debugfs_dir: the module's debugfs directory (may be an error pointer)
 *
 * Creates channel_gc there: reading it gives the statistics, writing
 * anything to it runs mx_gc_quiesce().
 */
void mx_gc_init(struct dentry *debugfs_dir)
{
	mx_gc_debugfs = debugfs_create_file("channel_gc", 0600, debugfs_dir,
					    NULL, &mx_gc_stats_fops);
}

/**
 * mx_gc_exit() - module unload: collect everything left
 *
 * No process is left, so everything still in flight is unreachable.
 *
 * Context: process context, after every process has been torn down.
 */
void mx_gc_exit(void)
{
	debugfs_remove(mx_gc_debugfs);
	mx_gc_quiesce();
	cancel_delayed_work_sync(&mx_gc_work);
	WARN_ON_ONCE(mx_gc_stats.endpoints || mx_gc_stats.handles);
}
