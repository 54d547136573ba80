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
 * these, so this collector does, by trial deletion as the AF_UNIX
 * SCM_RIGHTS collector did before Linux 6.10 (net/unix/garbage.c). Only
 * channel queues hold messages, so only channel endpoints can form such
 * cycles; the other objects caught in one (events, eventpairs, ...) go
 * when the messages carrying them are freed.
 *
 * State: every endpoint has a struct mx_gc_entry. @inflight counts the
 * handles to the endpoint that are queued in channels (in any endpoint's
 * queue, its own included); endpoints with @inflight > 0 are kept on
 * mx_gc_inflight, or on one of a pass's lists. @msgs lists the messages
 * queued at the endpoint that carry channel handles: the edges of the
 * graph. A handle anywhere else (a handle table, an fd of handle_fd.c, a
 * message being read or being reaped) is a root.
 *
 * A pass:
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
 * their queues hold.
 *
 * No pass stalls a transfer: every write, read, discard or purge of a
 * message that carries channel handles takes mx_gc_state_lock, a spinlock
 * held for as long as that message's handles take to count, and a pass
 * holds it for at most MX_GC_BATCH steps at a time (an endpoint examined,
 * a handle visited, a message purged), then lets the waiters in (the
 * lock is fair) and may sleep. So the graph changes while a pass runs,
 * and the pass stays right by a barrier in the transfers: from the pass's
 * start until it decides (steps 1-3), a handle queued or dequeued marks
 * its endpoint reachable for this pass (one not examined yet counts as a
 * root; a candidate goes back to step 3, to have its queue scanned). Why
 * that is enough:
 *  - A garbage set stays garbage: a handle to one of its endpoints can be
 *    read only through a handle to another, and duplicated only from one
 *    outside a queue; none exists. So nothing the pass decides late is
 *    made wrong by what happens after the decision.
 *  - A candidate had no handle outside a queue when it was examined; it
 *    can get one only by a read of a queued handle to it, which marks it.
 *  - A reachable endpoint R that the pass leaves unmarked would need a
 *    path from a root to R that the pass did not see: each of its edges
 *    was there when its source's queue was scanned (the scan counts it),
 *    or was queued later (the barrier marks its target), or its source
 *    was never a candidate (the edge stays in the target's @refs), or was
 *    a candidate that got a root (marked, and scanned in step 3).
 *  - A scan of a queue may stop in the middle and go on later: messages
 *    leave a queue only from its head (reads and discards take the first
 *    message; a purge takes them all) and are added at its tail, so the
 *    count of messages dequeued since (@dequeued) tells whether the last
 *    message scanned is still queued, or the scan starts again at the
 *    head with none of what it saw left. A message that left was
 *    dequeued, so its targets are marked.
 * The decision is made under the lock, when nothing is left to scan; from
 * then on transfers mark nothing, and step 4 purges what was decided, a
 * batch at a time: only messages queued before the decision (a garbage
 * endpoint's peer may be held and written to; such later messages go
 * when the endpoint itself goes).
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
 * Locking (the order of all: docs/architecture.md):
 *  - mx_gc_state_lock (spinlock) protects every mx_gc_entry's @node,
 *    @inflight, @refs, @dequeued, @pass and @flags, the lists of
 *    endpoints, the pass's phase and cursor, the counters and the
 *    statistics. An entry's @msgs (and a message's @gc_node) change only
 *    with both mx_gc_state_lock and the channel's link lock held.
 *  - Order: mx_gc_state_lock -> handle table lock -> channel link lock ->
 *    object lock -> reaper lock. A channel write whose message carries
 *    channel handles takes it (mx_gc_lock()) before the writer's table
 *    lock; a read or purge of such a message takes it before the link
 *    lock.
 *  - mx_gc_pass_mutex serialises passes; transfers never take it.
 *  - Nothing under mx_gc_state_lock waits for the reaper or frees a
 *    handle: garbage messages go to the reaper after the pass.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "channel.h"
#include "channel_gc.h"
#include "stats.h"

/* Channel handles put in flight since the last pass that start one. */
#define MX_GC_GROWTH		16384

/* Least delay between a kick and the pass it starts. */
#define MX_GC_DELAY_MS		10

/* Quiesce gives up after this many passes that each found garbage. */
#define MX_GC_QUIESCE_PASSES	64

/* Steps a pass makes with mx_gc_state_lock held, at most. */
#define MX_GC_BATCH		64

/* How long a pass waits, at most, for the transfers waiting to go first. */
#define MX_GC_HANDOFF_MS	1

/* mx_gc_entry.flags, valid in the pass @pass names */
#define MX_GC_CANDIDATE		BIT(0)	/* every handle to it was queued */
#define MX_GC_REACHABLE		BIT(1)	/* a candidate found reachable */
#define MX_GC_GREY		BIT(2)	/* reachable, its queue to scan */
#define MX_GC_HELD		BIT(3)	/* grey, out of flight: referenced */
#define MX_GC_ROOT		BIT(4)	/* touched before it was examined */

/* The phases of a pass. */
enum {
	MX_GC_IDLE,		/* no pass */
	MX_GC_MARK,		/* steps 1-3: transfers mark what they touch */
	MX_GC_PURGE,		/* step 4: decided */
};

static DEFINE_SPINLOCK(mx_gc_state_lock);
static DEFINE_MUTEX(mx_gc_pass_mutex);

/*
 * Transfers waiting for mx_gc_state_lock, and how many got it after
 * waiting (mx_gc_state_lock; read without it by a pass that yields).
 */
static atomic_t mx_gc_waiters = ATOMIC_INIT(0);
static unsigned long mx_gc_admitted;
static DECLARE_WAIT_QUEUE_HEAD(mx_gc_handoff);
static LIST_HEAD(mx_gc_inflight);
static void mx_gc_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(mx_gc_work, mx_gc_work_fn);

/*
 * The pass (mx_gc_state_lock): its number (entries whose @pass differ have
 * not been examined by it), its phase, and its lists: endpoints to
 * examine (step 1), candidates to scan (2), candidates counted (3),
 * reachable ones to scan (3), candidates not found reachable (garbage
 * once decided), and endpoints done with.
 */
static unsigned long mx_gc_pass;
static int mx_gc_phase = MX_GC_IDLE;
static LIST_HEAD(mx_gc_pending);
static LIST_HEAD(mx_gc_cands);
static LIST_HEAD(mx_gc_counted);
static LIST_HEAD(mx_gc_grey);
static LIST_HEAD(mx_gc_maybe);
static LIST_HEAD(mx_gc_done);

/*
 * Where a scan of an endpoint's queue stopped (mx_gc_state_lock): the
 * endpoint and the scan's step, the last message scanned (still queued if
 * fewer than @k messages left the queue since the scan began at
 * @dequeued).
 */
static struct {
	struct mx_gc_entry *e;
	int op;
	struct mx_message *m;
	unsigned long k;
	unsigned long dequeued;
} mx_gc_cursor;

/**
 * struct mx_gc_stats - what the collector has done (mx_gc_state_lock)
 * @endpoints: endpoints in flight
 * @handles: channel handles in flight
 * @handles_at_pass: @handles when the last pass ended
 * @passes: passes run
 * @collected: endpoints found unreachable, in all
 * @last_candidates: candidates of the last pass
 * @last_collected: endpoints the last pass found unreachable
 * @last_ns: duration of the last pass
 * @max_ns: longest pass
 * @max_hold_ns: longest time a pass held mx_gc_state_lock at once
 * @max_wait_ns: longest time a transfer waited for it
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
	u64 max_hold_ns;
	u64 max_wait_ns;
};

static struct mx_gc_stats mx_gc_stats;
static struct dentry *mx_gc_debugfs;

/**
 * mx_gc_lock() - take mx_gc_state_lock, to queue or dequeue a message
 *	that carries channel handles
 *
 * Held for as long as one message's handles take to count: a pass never
 * holds it long (see the top of the file).
 *
 * Context: before any handle table or link lock.
 */
void mx_gc_lock(void)
	__acquires(&mx_gc_state_lock)
{
	u64 since, ns;

	if (spin_trylock(&mx_gc_state_lock))
		return;
	/* Counted, so that a pass lets us in (mx_gc_yield()). */
	since = ktime_get_ns();
	atomic_inc(&mx_gc_waiters);
	spin_lock(&mx_gc_state_lock);
	atomic_dec(&mx_gc_waiters);
	WRITE_ONCE(mx_gc_admitted, mx_gc_admitted + 1);
	/* A pass may be waiting for us to have had our turn. */
	if (wq_has_sleeper(&mx_gc_handoff))
		wake_up(&mx_gc_handoff);
	ns = ktime_get_ns() - since;
	if (ns > mx_gc_stats.max_wait_ns)
		mx_gc_stats.max_wait_ns = ns;
}

/**
 * mx_gc_unlock() - release mx_gc_state_lock
 */
void mx_gc_unlock(void)
	__releases(&mx_gc_state_lock)
{
	spin_unlock(&mx_gc_state_lock);
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
	e->dequeued = 0;
	e->pass = 0;
	e->flags = 0;
}

static void mx_gc_kick(void)
{
	unsigned long delay = msecs_to_jiffies(MX_GC_DELAY_MS);

	delay = max(delay, nsecs_to_jiffies(10 * READ_ONCE(mx_gc_stats.last_ns)));
	queue_delayed_work(system_unbound_wq, &mx_gc_work, delay);
}

/* Whether @t is a candidate of this pass not found reachable (yet). */
static bool mx_gc_unreached(struct mx_gc_entry *t)
{
	return t->pass == mx_gc_pass &&
	       (t->flags & (MX_GC_CANDIDATE | MX_GC_REACHABLE)) ==
		       MX_GC_CANDIDATE;
}

/* A reachable candidate: its queue is to be scanned (step 3). */
static void mx_gc_make_grey(struct mx_gc_entry *t)
{
	t->flags |= MX_GC_REACHABLE | MX_GC_GREY;
	list_move_tail(&t->node, &mx_gc_grey);
}

/*
 * The barrier: a handle to @t was queued or dequeued while a pass is
 * deciding. @t counts as reachable in this pass.
 */
static void mx_gc_touch(struct mx_gc_entry *t)
{
	if (mx_gc_phase != MX_GC_MARK)
		return;
	if (t->pass != mx_gc_pass) {
		/* Not examined yet, or not in flight when the pass began. */
		t->pass = mx_gc_pass;
		t->flags = MX_GC_ROOT;
	} else if (mx_gc_unreached(t)) {
		mx_gc_make_grey(t);
	}
}

static void mx_gc_inc_inflight(struct mx_gc_entry *t)
{
	if (!t->inflight++) {
		WRITE_ONCE(mx_gc_stats.endpoints, mx_gc_stats.endpoints + 1);
		/* A grey one out of flight meanwhile is on the pass's list. */
		if (list_empty(&t->node))
			list_add_tail(&t->node, &mx_gc_inflight);
	}
	mx_gc_stats.handles++;
	mx_gc_touch(t);
}

static void mx_gc_dec_inflight(struct mx_gc_entry *t)
{
	mx_gc_stats.handles--;
	if (WARN_ON_ONCE(!t->inflight))
		return;
	mx_gc_touch(t);
	if (--t->inflight)
		return;
	WRITE_ONCE(mx_gc_stats.endpoints, mx_gc_stats.endpoints - 1);
	if (mx_gc_phase != MX_GC_IDLE && t->pass == mx_gc_pass) {
		/* Its queue is still to be scanned: keep it until then. */
		if (t->flags & MX_GC_GREY) {
			if (!(t->flags & MX_GC_HELD)) {
				t->flags |= MX_GC_HELD;
				mx_object_get(t->obj);
			}
			return;
		}
		/* Garbage: step 4 has it. */
		if (mx_gc_phase == MX_GC_PURGE && mx_gc_unreached(t))
			return;
	}
	list_del_init(&t->node);
}

/* Step 2: a handle to @t is queued at a candidate. */
static void mx_gc_dec_refs(struct mx_gc_entry *t)
{
	if (!mx_gc_unreached(t))
		return;
	if (!WARN_ON_ONCE(!t->refs))
		t->refs--;
}

/* Step 3: a handle to @t is queued at a reachable endpoint. */
static void mx_gc_mark_reachable(struct mx_gc_entry *t)
{
	if (mx_gc_unreached(t))
		mx_gc_make_grey(t);
}

enum mx_gc_op {
	MX_GC_INC_INFLIGHT,
	MX_GC_DEC_INFLIGHT,
	MX_GC_DEC_REFS,
	MX_GC_MARK_REACHABLE,
};

/* Apply @op to the entry of every channel handle a message carries. */
static void mx_gc_visit(struct mx_message *m, enum mx_gc_op op)
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
			mx_gc_mark_reachable(t);
			break;
		}
	}
}

/**
 * mx_gc_queued() - account a message just queued at an endpoint
 * @e: the endpoint's entry
 * @m: the message, carrying @m->gc_handles channel handles
 *
 * Context: mx_gc_state_lock and the endpoint's link lock held.
 */
void mx_gc_queued(struct mx_gc_entry *e, struct mx_message *m)
{
	lockdep_assert_held(&mx_gc_state_lock);
	list_add_tail(&m->gc_node, &e->msgs);
	mx_gc_visit(m, MX_GC_INC_INFLIGHT);
	if (mx_gc_stats.handles > mx_gc_stats.handles_at_pass + MX_GC_GROWTH)
		mx_gc_kick();
}

/**
 * mx_gc_dequeued() - account a message taken out of an endpoint's queue
 * @e: the endpoint's entry
 * @m: the message, carrying channel handles; the first of @e's @msgs
 *
 * The handles it carries are roots from now on, wherever they go.
 *
 * Context: mx_gc_state_lock and the endpoint's link lock held.
 */
void mx_gc_dequeued(struct mx_gc_entry *e, struct mx_message *m)
{
	lockdep_assert_held(&mx_gc_state_lock);
	WARN_ON_ONCE(m != list_first_entry(&e->msgs, struct mx_message,
					   gc_node));
	list_del_init(&m->gc_node);
	e->dequeued++;
	mx_gc_visit(m, MX_GC_DEC_INFLIGHT);
}

/**
 * mx_gc_dequeued_all() - account the whole queue of an endpoint taken out
 * @e: the endpoint's entry
 *
 * Context: mx_gc_state_lock and the endpoint's link lock held.
 */
void mx_gc_dequeued_all(struct mx_gc_entry *e)
{
	struct mx_message *m, *tmp;

	list_for_each_entry_safe(m, tmp, &e->msgs, gc_node)
		mx_gc_dequeued(e, m);
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

/*
 * A pass's hold of mx_gc_state_lock: at most MX_GC_BATCH steps, then the
 * waiters go first (the lock is fair) and the pass may sleep.
 */
struct mx_gc_hold {
	int budget;
	u64 since;
};

static void mx_gc_hold_begin(struct mx_gc_hold *h)
	__acquires(&mx_gc_state_lock)
{
	spin_lock(&mx_gc_state_lock);
	h->budget = MX_GC_BATCH;
	h->since = ktime_get_ns();
}

static void mx_gc_hold_end(struct mx_gc_hold *h)
	__releases(&mx_gc_state_lock)
{
	u64 ns = ktime_get_ns() - h->since;

	if (ns > mx_gc_stats.max_hold_ns)
		mx_gc_stats.max_hold_ns = ns;
	spin_unlock(&mx_gc_state_lock);
}

/* Whether the transfers that waited at a yield have all had their turn. */
static bool mx_gc_handed_off(unsigned long target)
{
	return (long)(READ_ONCE(mx_gc_admitted) - target) >= 0 ||
	       !atomic_read(&mx_gc_waiters);
}

/*
 * Let the transfers waiting now in, then start a new batch. A spinlock
 * need not be fair (a guest without paravirtual spinlocks gets a
 * test-and-set lock), so the pass sleeps until they had it (a moment at
 * most; the last of them wakes it) rather than take it back at once.
 */
static void mx_gc_yield(struct mx_gc_hold *h)
	__must_hold(&mx_gc_state_lock)
{
	unsigned long target = mx_gc_admitted + atomic_read(&mx_gc_waiters);

	mx_gc_hold_end(h);
	if (!mx_gc_handed_off(target))
		wait_event_timeout(mx_gc_handoff, mx_gc_handed_off(target),
				   msecs_to_jiffies(MX_GC_HANDOFF_MS));
	cond_resched();
	mx_gc_hold_begin(h);
}

/* Spend @steps of the batch; yield once it is used up. */
static void mx_gc_spend(struct mx_gc_hold *h, int steps)
{
	h->budget -= steps;
	if (h->budget <= 0)
		mx_gc_yield(h);
}

/*
 * Scan the queue of @e, the first entry of its list, applying @op to the
 * targets of its edges, from where the last scan of @e stopped. Returns
 * whether it got to the end; if not, the batch is used up, and the
 * caller yields and calls again if @e is still first (a touch may move a
 * candidate away: then its scan is moot).
 */
static bool mx_gc_scan(struct mx_gc_entry *e, enum mx_gc_op op,
		       struct mx_gc_hold *h)
{
	struct mx_message *m;

	if (mx_gc_cursor.e != e || mx_gc_cursor.op != op ||
	    e->dequeued - mx_gc_cursor.dequeued >= mx_gc_cursor.k) {
		/* A new scan, or all it saw has left the queue. */
		mx_gc_cursor.e = e;
		mx_gc_cursor.op = op;
		mx_gc_cursor.m = NULL;
		mx_gc_cursor.k = 0;
		mx_gc_cursor.dequeued = e->dequeued;
	}
	m = mx_gc_cursor.m ? list_next_entry(mx_gc_cursor.m, gc_node) :
			     list_first_entry(&e->msgs, struct mx_message,
					      gc_node);
	list_for_each_entry_from(m, &e->msgs, gc_node) {
		if (h->budget <= 0)
			return false;
		mx_gc_visit(m, op);
		mx_gc_cursor.m = m;
		mx_gc_cursor.k++;
		h->budget -= m->gc_handles;
	}
	mx_gc_cursor.e = NULL;
	return true;
}

/* Step 1: is every handle to each endpoint in flight queued? */
static unsigned long mx_gc_examine(struct mx_gc_hold *h)
{
	struct mx_gc_entry *e;
	unsigned long n = 0;

	while ((e = list_first_entry_or_null(&mx_gc_pending,
					     struct mx_gc_entry, node))) {
		if (e->pass == mx_gc_pass) {
			/* Touched before its turn: a root. */
			list_move_tail(&e->node, &mx_gc_done);
		} else if (mx_gc_handle_count(e) == e->inflight) {
			e->pass = mx_gc_pass;
			e->flags = MX_GC_CANDIDATE;
			e->refs = e->inflight;
			list_move_tail(&e->node, &mx_gc_cands);
			n++;
		} else {
			e->pass = mx_gc_pass;
			e->flags = 0;
			list_move_tail(&e->node, &mx_gc_done);
		}
		mx_gc_spend(h, 1);
	}
	return n;
}

/* Step 2: take away the handles queued at candidates. */
static void mx_gc_count(struct mx_gc_hold *h)
{
	struct mx_gc_entry *e;

	while ((e = list_first_entry_or_null(&mx_gc_cands,
					     struct mx_gc_entry, node))) {
		if (!mx_gc_scan(e, MX_GC_DEC_REFS, h)) {
			mx_gc_yield(h);
			continue;
		}
		list_move_tail(&e->node, &mx_gc_counted);
		mx_gc_spend(h, 1);
	}
}

/*
 * Step 3: what is left is held from outside; so is all it holds. Returns
 * with mx_gc_grey empty: decided.
 */
static void mx_gc_mark(struct mx_gc_hold *h)
{
	struct mx_gc_entry *e;
	bool held;

	while ((e = list_first_entry_or_null(&mx_gc_counted,
					     struct mx_gc_entry, node))) {
		if (e->refs)
			mx_gc_make_grey(e);
		else
			list_move_tail(&e->node, &mx_gc_maybe);
		mx_gc_spend(h, 1);
	}
	/* The list grows at its tail while it is worked through. */
	while ((e = list_first_entry_or_null(&mx_gc_grey,
					     struct mx_gc_entry, node))) {
		if (!mx_gc_scan(e, MX_GC_MARK_REACHABLE, h)) {
			mx_gc_yield(h);
			continue;
		}
		held = e->flags & MX_GC_HELD;
		e->flags &= ~(MX_GC_GREY | MX_GC_HELD);
		if (e->inflight)
			list_move_tail(&e->node, &mx_gc_done);
		else
			list_del_init(&e->node);
		if (held) {
			/* Out of flight meanwhile: only our reference is left. */
			mx_gc_hold_end(h);
			mx_object_put(e->obj);
			mx_gc_hold_begin(h);
		} else {
			mx_gc_spend(h, 1);
		}
	}
}

/* Step 4: break the queues of the garbage, into @dead. */
static unsigned long mx_gc_purge(struct mx_gc_hold *h, struct list_head *dead)
{
	struct mx_message *last;
	struct mx_gc_entry *e;
	unsigned long garbage = 0;

	while ((e = list_first_entry_or_null(&mx_gc_maybe,
					     struct mx_gc_entry, node))) {
		list_del_init(&e->node);
		garbage++;
		/* Later messages go when @e does: see the top of the file. */
		last = list_empty(&e->msgs) ? NULL :
		       list_last_entry(&e->msgs, struct mx_message, gc_node);
		while (last && !mx_channel_gc_purge(e, dead, last,
						    &h->budget))
			mx_gc_yield(h);
		mx_gc_spend(h, 1);
	}
	return garbage;
}

/*
 * One pass (see the top of the file). Returns how many endpoints it found
 * unreachable; their messages are with the reaper when it returns.
 */
VISIBLE_IF_KUNIT unsigned long mx_gc_collect(void)
{
	struct mx_gc_hold h;
	unsigned long n, garbage;
	u64 start = ktime_get_ns(), ns;
	LIST_HEAD(dead);

	mutex_lock(&mx_gc_pass_mutex);
	mx_gc_hold_begin(&h);
	mx_gc_pass++;
	mx_gc_phase = MX_GC_MARK;
	mx_gc_cursor.e = NULL;
	list_splice_init(&mx_gc_inflight, &mx_gc_pending);

	n = mx_gc_examine(&h);
	mx_gc_count(&h);
	mx_gc_mark(&h);
	/* Nothing left to scan, under the lock: what is unreached is garbage. */
	mx_gc_phase = MX_GC_PURGE;
	garbage = mx_gc_purge(&h, &dead);

	list_splice_tail_init(&mx_gc_done, &mx_gc_inflight);
	mx_gc_phase = MX_GC_IDLE;
	ns = ktime_get_ns() - start;
	mx_gc_stats.handles_at_pass = mx_gc_stats.handles;
	mx_gc_stats.passes++;
	mx_gc_stats.collected += garbage;
	mx_gc_stats.last_candidates = n;
	mx_gc_stats.last_collected = garbage;
	WRITE_ONCE(mx_gc_stats.last_ns, ns);
	mx_gc_stats.max_ns = max(mx_gc_stats.max_ns, ns);
	mx_gc_hold_end(&h);
	mutex_unlock(&mx_gc_pass_mutex);

	mx_message_reap(&dead);
	return garbage;
}
EXPORT_SYMBOL_IF_KUNIT(mx_gc_collect);

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
		spin_lock(&mx_gc_state_lock);
		before = mx_gc_stats.collected;
		spin_unlock(&mx_gc_state_lock);
		found = mx_gc_collect();
		spin_lock(&mx_gc_state_lock);
		found |= mx_gc_stats.collected != before;
		spin_unlock(&mx_gc_state_lock);
		if (!found)
			return;
	}
	mx_message_flush();
}
EXPORT_SYMBOL_IF_KUNIT(mx_gc_quiesce);

#ifdef MX_KUNIT_VISIBILITY
/**
 * mx_gc_counts() - the collector's counters, for the KUnit suites
 * @endpoints: out: endpoints in flight
 * @handles: out: channel handles in flight
 * @collected: out: endpoints found unreachable, in all
 */
void mx_gc_counts(unsigned long *endpoints, unsigned long *handles,
		  u64 *collected)
{
	spin_lock(&mx_gc_state_lock);
	*endpoints = mx_gc_stats.endpoints;
	*handles = mx_gc_stats.handles;
	*collected = mx_gc_stats.collected;
	spin_unlock(&mx_gc_state_lock);
}
EXPORT_SYMBOL_IF_KUNIT(mx_gc_counts);
#endif

static int mx_gc_stats_show(struct seq_file *s, void *unused)
{
	struct mx_gc_stats st;

	spin_lock(&mx_gc_state_lock);
	st = mx_gc_stats;
	spin_unlock(&mx_gc_state_lock);
	seq_printf(s, "endpoints_in_flight %lu\n", st.endpoints);
	seq_printf(s, "handles_in_flight %lu\n", st.handles);
	seq_printf(s, "passes %llu\n", st.passes);
	seq_printf(s, "collected %llu\n", st.collected);
	seq_printf(s, "last_candidates %lu\n", st.last_candidates);
	seq_printf(s, "last_collected %lu\n", st.last_collected);
	seq_printf(s, "last_ns %llu\n", st.last_ns);
	seq_printf(s, "max_ns %llu\n", st.max_ns);
	seq_printf(s, "max_hold_ns %llu\n", st.max_hold_ns);
	seq_printf(s, "max_wait_ns %llu\n", st.max_wait_ns);
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
 * mx_gc_setup() - set up the collector
 *
 * Creates channel_gc in mx's debugfs directory: reading it gives the statistics, writing
 * anything to it runs mx_gc_quiesce().
 */
int mx_gc_setup(void)
{
	mx_gc_debugfs = debugfs_create_file("channel_gc", 0600, mx_debugfs_dir,
					    NULL, &mx_gc_stats_fops);
	return 0;
}

/**
 * mx_gc_teardown() - module unload: collect everything left
 *
 * No process is left, so everything still in flight is unreachable.
 *
 * Context: process context, after every process has been torn down.
 */
void mx_gc_teardown(void)
{
	debugfs_remove(mx_gc_debugfs);
	mx_gc_quiesce();
	cancel_delayed_work_sync(&mx_gc_work);
	WARN_ON_ONCE(mx_gc_stats.endpoints || mx_gc_stats.handles);
}
