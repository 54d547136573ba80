// SPDX-License-Identifier: MIT
/*
 * The collector of unreachable channel cycles (module/channel_gc.c).
 *
 * A cycle is observed from outside through what it holds: a channel end
 * inside whose peer the case keeps (PEER_CLOSED once the cycle is
 * collected), an eventpair end inside whose peer the case keeps
 * (MX_EPAIR_PEER_CLOSED), a duplicate of an event inside while the
 * case keeps the original (LAST_HANDLE again). The collector's statistics
 * (/sys/kernel/debug/mx/channel_gc) give exact counts; writing to that
 * file collects until nothing more is found, a deterministic point at
 * which a reachable structure must still be whole.
 *
 * Every case leaves nothing in flight behind it, so each starts from the
 * counts the last one left.
 */
#include "mxtest.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>

#define GC_FILE	"/sys/kernel/debug/mx/channel_gc"

struct gc_stats {
	long long endpoints;
	long long handles;
	long long passes;
	long long collected;
	long long last_candidates;
	long long last_collected;
	long long last_ns;
	long long max_ns;
};

static void gc_read(struct gc_stats *st)
{
	char key[64];
	long long v;
	FILE *f = fopen(GC_FILE, "r");

	if (!f)
		FAIL("open %s: %s", GC_FILE, strerror(errno));
	memset(st, 0xff, sizeof(*st));
	while (fscanf(f, "%63s %lld", key, &v) == 2) {
		if (!strcmp(key, "endpoints_in_flight"))
			st->endpoints = v;
		else if (!strcmp(key, "handles_in_flight"))
			st->handles = v;
		else if (!strcmp(key, "passes"))
			st->passes = v;
		else if (!strcmp(key, "collected"))
			st->collected = v;
		else if (!strcmp(key, "last_candidates"))
			st->last_candidates = v;
		else if (!strcmp(key, "last_collected"))
			st->last_collected = v;
		else if (!strcmp(key, "last_ns"))
			st->last_ns = v;
		else if (!strcmp(key, "max_ns"))
			st->max_ns = v;
	}
	fclose(f);
	if (st->endpoints < 0 || st->handles < 0 || st->collected < 0 ||
	    st->last_ns < 0)
		FAIL("%s lacks a field", GC_FILE);
}

/* One of the collector's figures (-1 if it has no such one). */
static long long gc_figure(const char *name)
{
	char key[64];
	long long v, found = -1;
	FILE *f = fopen(GC_FILE, "r");

	if (!f)
		FAIL("open %s: %s", GC_FILE, strerror(errno));
	while (fscanf(f, "%63s %lld", key, &v) == 2)
		if (!strcmp(key, name))
			found = v;
	fclose(f);
	return found;
}

/* Collect until nothing more is found; returns when that is done. */
static void gc_quiesce(void)
{
	int fd = open(GC_FILE, O_WRONLY);

	if (fd < 0)
		FAIL("open %s: %s", GC_FILE, strerror(errno));
	if (write(fd, "1", 1) != 1)
		FAIL("write %s: %s", GC_FILE, strerror(errno));
	close(fd);
}

/* The counts at the start of a case, with nothing left to collect. */
static struct gc_stats gc_start(void)
{
	struct gc_stats st;

	gc_quiesce();
	gc_read(&st);
	return st;
}

/* After the case's garbage went: @want more collected, nothing left. */
static void gc_expect_collected(const struct gc_stats *s0, long long want)
{
	struct gc_stats st;

	gc_quiesce();
	gc_read(&st);
	ASSERT_EQ(st.collected - s0->collected, want);
	ASSERT_EQ(st.endpoints, s0->endpoints);
	ASSERT_EQ(st.handles, s0->handles);
}

static void send1(mx_handle_t ch, mx_handle_t h)
{
	ASSERT_OK(mx_channel_write(ch, 0, "h", 1, &h, 1));
}

static mx_handle_t recv1(mx_handle_t ch)
{
	mx_handle_t h = MX_HANDLE_INVALID;
	uint32_t nh = 0;
	char c;

	ASSERT_OK(mx_channel_read(ch, 0, &c, &h, 1, 1, NULL, &nh));
	ASSERT_EQ(nh, 1);
	return h;
}

static mx_handle_t dup_event(mx_handle_t h)
{
	mx_handle_t out = MX_HANDLE_INVALID;

	ASSERT_OK(mx_handle_duplicate(h, MX_RIGHT_SAME_RIGHTS, &out));
	return out;
}

static void wait_for(mx_handle_t h, mx_signals_t sig)
{
	mx_signals_t obs = 0;

	ASSERT_OK(mx_object_wait_one(h, sig, MX_TIME_INFINITE, &obs));
	ASSERT_TRUE(obs & sig);
}

/*
 * Observers of a cycle: a channel end and an eventpair end go inside, the
 * case keeps their peers; a duplicate of an event goes inside, the case
 * keeps the original.
 */
struct watch {
	mx_handle_t g;		/* peer of f, kept */
	mx_handle_t f;		/* goes inside */
	mx_handle_t e0;		/* kept */
	mx_handle_t e1;		/* goes inside */
	mx_handle_t ev;		/* kept */
	mx_handle_t ev2;	/* goes inside */
};

static void watch_make(struct watch *w)
{
	mxt_channel(&w->f, &w->g);
	ASSERT_OK(mx_eventpair_create(0, &w->e0, &w->e1));
	ASSERT_OK(mx_event_create(0, &w->ev));
	w->ev2 = dup_event(w->ev);
}

/* Put the inside handles in one message written to @ch. */
static void watch_send(struct watch *w, mx_handle_t ch)
{
	mx_handle_t hs[3] = { w->f, w->e1, w->ev2 };

	ASSERT_OK(mx_channel_write(ch, 0, "watch", 5, hs, 3));
}

/* Nothing inside was closed. */
static void watch_alive(const struct watch *w)
{
	ASSERT_EQ(mxt_signals(w->g), MX_CHANNEL_WRITABLE |
		  MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_signals(w->e0), MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_signals(w->ev), 0);
}

/* Everything inside was closed; the kept handles say so. */
static void watch_collected(const struct watch *w)
{
	wait_for(w->g, MX_CHANNEL_PEER_CLOSED);
	wait_for(w->e0, MX_EPAIR_PEER_CLOSED);
	wait_for(w->ev, MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_signals(w->g), MX_CHANNEL_PEER_CLOSED |
		  MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_signals(w->e0), MX_EPAIR_PEER_CLOSED |
		  MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_signals(w->ev), MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_close(w->g));
	ASSERT_OK(mx_handle_close(w->e0));
	ASSERT_OK(mx_handle_close(w->ev));
}

/* b written into a lands in b's own queue: nothing can read it again. */
TEST(gc_self_cycle)
{
	struct gc_stats s0 = gc_start(), st;
	struct watch w;
	mx_handle_t a, b;

	mxt_channel(&a, &b);
	watch_make(&w);
	watch_send(&w, a);
	send1(a, b);
	gc_read(&st);
	/* b and f are in flight; b holds both. */
	ASSERT_EQ(st.endpoints - s0.endpoints, 2);
	ASSERT_EQ(st.handles - s0.handles, 2);
	watch_alive(&w);
	/* Closing a channel handle while endpoints are in flight: a pass. */
	ASSERT_OK(mx_handle_close(a));
	watch_collected(&w);
	gc_expect_collected(&s0, 2);
}

/* (a,b), (c,d): d into a (b's queue), b into c (d's queue). */
TEST(gc_two_channel_cycle)
{
	struct gc_stats s0 = gc_start();
	mx_handle_t a, b, c, d;
	struct watch w;

	mxt_channel(&a, &b);
	mxt_channel(&c, &d);
	watch_make(&w);
	watch_send(&w, c);
	send1(a, d);
	send1(c, b);
	watch_alive(&w);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(c));
	watch_collected(&w);
	gc_expect_collected(&s0, 3);	/* b, d, f */
}

/* b in f's queue, f in d's, d in b's; the writers' ends are kept open. */
TEST(gc_three_channel_cycle)
{
	struct gc_stats s0 = gc_start();
	mx_handle_t a, b, c, d, e, f;
	struct watch w;

	mxt_channel(&a, &b);
	mxt_channel(&c, &d);
	mxt_channel(&e, &f);
	watch_make(&w);
	watch_send(&w, e);
	send1(a, d);
	send1(c, f);
	send1(e, b);
	watch_alive(&w);
	/* The cycle is unreachable already; an unrelated close starts a pass. */
	{
		mx_handle_t x, y;

		mxt_channel(&x, &y);
		ASSERT_OK(mx_handle_close(x));
		ASSERT_OK(mx_handle_close(y));
	}
	watch_collected(&w);
	/*
	 * The writers' ends see their peers go: the collected queues' handles
	 * are closed one after another, the watch's possibly before b.
	 */
	wait_for(a, MX_CHANNEL_PEER_CLOSED);
	wait_for(c, MX_CHANNEL_PEER_CLOSED);
	wait_for(e, MX_CHANNEL_PEER_CLOSED);
	ASSERT_EQ(mxt_signals(a), MX_CHANNEL_PEER_CLOSED | MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_signals(c), MX_CHANNEL_PEER_CLOSED | MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_signals(e), MX_CHANNEL_PEER_CLOSED | MX_SIGNAL_LAST_HANDLE);
	gc_expect_collected(&s0, 4);	/* b, d, f and the watch's channel end */
}

/*
 * A cycle that carries more: whole channels with messages of their own,
 * an event with no outside handle, nested cycles. Only kmemleak and the
 * counts see most of it.
 */
TEST(gc_cycle_with_objects_inside)
{
	struct gc_stats s0 = gc_start();
	mx_handle_t a, b, c, d, x, y, p, q, ev, hs[4];
	struct watch w;

	mxt_channel(&a, &b);
	mxt_channel(&c, &d);
	mxt_channel(&x, &y);
	mxt_channel(&p, &q);
	watch_make(&w);
	ASSERT_OK(mx_event_create(0, &ev));
	/* (x,y) with a message in y; (p,q) a self-cycle of its own. */
	ASSERT_OK(mx_channel_write(x, 0, "inner", 5, &ev, 1));
	send1(p, q);
	watch_send(&w, x);
	hs[0] = x;
	hs[1] = y;
	hs[2] = p;
	ASSERT_OK(mx_channel_write(a, 0, "objs", 4, hs, 3));
	send1(a, d);
	send1(c, b);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(c));
	watch_collected(&w);
	/* b, d, x, y, p, q and the watch's f. */
	gc_expect_collected(&s0, 7);
}

/* A cycle made by a process that then exits without closing anything. */
static void build_cycle_and_exit(void *arg)
{
	int *fds = arg;
	mx_handle_t a, b, c, d, e1 = MX_HANDLE_INVALID;

	ASSERT_OK(mx_handle_from_fd(fds[0], &e1));
	close(fds[0]);
	mxt_channel(&a, &b);
	mxt_channel(&c, &d);
	send1(a, e1);
	send1(a, d);
	send1(c, b);
}

TEST(gc_cycle_left_by_a_dead_process)
{
	struct gc_stats s0 = gc_start();
	mx_handle_t e0, e1;
	int fds[1];

	ASSERT_OK(mx_eventpair_create(0, &e0, &e1));
	ASSERT_OK(mx_handle_to_fd(e1, 0, &fds[0]));
	mxt_in_child(build_cycle_and_exit, fds);
	close(fds[0]);
	wait_for(e0, MX_EPAIR_PEER_CLOSED);
	gc_expect_collected(&s0, 2);
}

/*
 * Channel handles cannot be duplicated (no MX_RIGHT_DUPLICATE), so an
 * endpoint has one handle at most and a cycle is unreachable as soon as it
 * closes. What must be kept are chains held from outside: y's queue holds
 * b, b's holds d, d's holds the watch. Every endpoint of the chain is in
 * flight with all its handles queued: a candidate of every pass, which
 * must find it reachable.
 */
struct chain {
	mx_handle_t a, b, c, d, x, y;
	struct watch w;
};

static void chain_make(struct chain *ch)
{
	mxt_channel(&ch->a, &ch->b);
	mxt_channel(&ch->c, &ch->d);
	mxt_channel(&ch->x, &ch->y);
	watch_make(&ch->w);
	watch_send(&ch->w, ch->c);	/* d holds the watch */
	send1(ch->a, ch->d);		/* b holds d */
	send1(ch->x, ch->b);		/* y holds b */
	ASSERT_OK(mx_handle_close(ch->a));
	ASSERT_OK(mx_handle_close(ch->c));
}

/* The chain is whole: read it back out, link by link, and close it. */
static void chain_read_back(struct chain *ch, mx_handle_t y)
{
	mx_handle_t b, d, hs[3];
	uint32_t nh = 0;
	char buf[5];

	b = recv1(y);
	ASSERT_EQ(mxt_signals(b), MX_CHANNEL_READABLE |
		  MX_CHANNEL_PEER_CLOSED | MX_SIGNAL_LAST_HANDLE);
	d = recv1(b);
	ASSERT_OK(mx_channel_read(d, 0, buf, hs, sizeof(buf), 3, NULL, &nh));
	ASSERT_EQ(nh, 3);
	watch_alive(&ch->w);
	ASSERT_OK(mx_handle_close(hs[0]));
	ASSERT_OK(mx_handle_close(hs[1]));
	ASSERT_OK(mx_handle_close(hs[2]));
	watch_collected(&ch->w);
	ASSERT_OK(mx_handle_close(d));
	ASSERT_OK(mx_handle_close(b));
}

/* Held from a handle table: kept. */
TEST(gc_chain_held_from_a_table_is_kept)
{
	struct gc_stats s0 = gc_start(), st;
	struct chain ch;

	chain_make(&ch);
	gc_quiesce();
	gc_read(&st);
	ASSERT_EQ(st.collected, s0.collected);
	ASSERT_EQ(st.endpoints - s0.endpoints, 3);	/* b, d, f */
	ASSERT_EQ(st.handles - s0.handles, 3);
	ASSERT_EQ(st.last_candidates, s0.endpoints + 3);
	ASSERT_EQ(st.last_collected, 0);
	chain_read_back(&ch, ch.y);
	ASSERT_OK(mx_handle_close(ch.x));
	ASSERT_OK(mx_handle_close(ch.y));
	gc_expect_collected(&s0, 0);
}

/* Dropping the root frees a chain without the collector. */
TEST(gc_chain_dropped_is_reaped_not_collected)
{
	struct gc_stats s0 = gc_start();
	struct chain ch;

	chain_make(&ch);
	ASSERT_OK(mx_handle_close(ch.x));
	ASSERT_OK(mx_handle_close(ch.y));
	watch_collected(&ch.w);
	gc_expect_collected(&s0, 0);
}

/* Held by an fd of mx_handle_to_fd: kept. */
TEST(gc_chain_held_by_an_fd_is_kept)
{
	struct gc_stats s0 = gc_start(), st;
	mx_handle_t y = MX_HANDLE_INVALID;
	struct chain ch;
	int fd;

	chain_make(&ch);
	ASSERT_OK(mx_handle_to_fd(ch.y, 0, &fd));
	gc_quiesce();
	gc_read(&st);
	ASSERT_EQ(st.collected, s0.collected);
	ASSERT_EQ(st.endpoints - s0.endpoints, 3);
	watch_alive(&ch.w);
	ASSERT_OK(mx_handle_from_fd(fd, &y));
	close(fd);
	chain_read_back(&ch, y);
	ASSERT_OK(mx_handle_close(ch.x));
	ASSERT_OK(mx_handle_close(y));
	gc_expect_collected(&s0, 0);
}

/* Garbage and a reachable chain in the same pass: only the garbage goes. */
TEST(gc_pass_takes_garbage_and_keeps_the_chain)
{
	struct gc_stats s0 = gc_start(), st;
	mx_handle_t p, q, r, t;
	struct chain ch;
	struct watch w;

	chain_make(&ch);
	mxt_channel(&p, &q);
	mxt_channel(&r, &t);
	watch_make(&w);
	watch_send(&w, p);	/* q holds the watch */
	send1(p, t);		/* q holds t */
	send1(r, q);		/* t holds q: a cycle */
	gc_quiesce();
	gc_read(&st);
	ASSERT_EQ(st.collected - s0.collected, 3);	/* q, t, f */
	ASSERT_EQ(st.endpoints - s0.endpoints, 3);	/* the chain */
	watch_collected(&w);
	/* t is closed from q's queue after the watch's end, maybe later. */
	wait_for(p, MX_CHANNEL_PEER_CLOSED);
	wait_for(r, MX_CHANNEL_PEER_CLOSED);
	ASSERT_EQ(mxt_signals(p), MX_CHANNEL_PEER_CLOSED | MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_signals(r), MX_CHANNEL_PEER_CLOSED | MX_SIGNAL_LAST_HANDLE);
	chain_read_back(&ch, ch.y);
	ASSERT_OK(mx_handle_close(ch.x));
	ASSERT_OK(mx_handle_close(ch.y));
	gc_expect_collected(&s0, 3);
}

/*
 * A handle read out of a queue while passes run: the chain's head b moves
 * between y's queue and the table as fast as it can, while this thread
 * makes garbage (self-cycles) and runs passes. At no instant is the chain
 * unreachable, so no pass may take any of it; every self-cycle goes.
 */
#define MOVES	2000
#define CYCLES	200

struct mover {
	mx_handle_t x, y;
	int done;
};

static void *mover_fn(void *arg)
{
	struct mover *mv = arg;
	int i;

	for (i = 0; i < MOVES; i++) {
		mx_handle_t h = recv1(mv->y);

		send1(mv->x, h);
	}
	__atomic_store_n(&mv->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

TEST(gc_handle_read_out_during_passes_is_kept)
{
	struct gc_stats s0 = gc_start(), st;
	struct mover mv;
	struct chain ch;
	mx_handle_t a, b;
	pthread_t th;
	int i;

	chain_make(&ch);
	mv.x = ch.x;
	mv.y = ch.y;
	mv.done = 0;
	ASSERT_EQ(pthread_create(&th, NULL, mover_fn, &mv), 0);
	for (i = 0; i < CYCLES; i++) {
		mxt_channel(&a, &b);
		send1(a, b);
		ASSERT_OK(mx_handle_close(a));
		gc_quiesce();
	}
	ASSERT_EQ(pthread_join(th, NULL), 0);
	gc_quiesce();
	gc_read(&st);
	ASSERT_EQ(st.collected - s0.collected, CYCLES);
	ASSERT_EQ(st.endpoints - s0.endpoints, 3);
	printf("# %d passes while the chain's head moved %d times\n",
	       (int)(st.passes - s0.passes), MOVES);
	chain_read_back(&ch, ch.y);
	ASSERT_OK(mx_handle_close(ch.x));
	ASSERT_OK(mx_handle_close(ch.y));
	gc_expect_collected(&s0, CYCLES);
}

/*
 * 10,000 endpoints in flight: channels (a_i, b_i), i = 0..N, with
 * (a_i, b_i) written into a_(i-1), so b_(i-1)'s queue holds both ends of
 * the next channel. Held through b_0, all of it is reachable; once b_0 is
 * written into its own queue and a_0 closed, all of it is garbage, found
 * by one pass.
 */
#define NCHAN	5001

static double secs(mx_time_t t)
{
	return (double)t / 1e9;
}

TEST(gc_ten_thousand_endpoints_in_flight)
{
	static mx_handle_t ca[NCHAN], cb[NCHAN];
	struct gc_stats s0 = gc_start(), st;
	mx_handle_t e0, e1, hs[2];
	mx_time_t t0;
	int i;

	for (i = 0; i < NCHAN; i++)
		mxt_channel(&ca[i], &cb[i]);
	ASSERT_OK(mx_eventpair_create(0, &e0, &e1));
	send1(ca[NCHAN - 1], e1);
	for (i = NCHAN - 1; i >= 1; i--) {
		hs[0] = ca[i];
		hs[1] = cb[i];
		ASSERT_OK(mx_channel_write(ca[i - 1], 0, NULL, 0, hs, 2));
	}
	/* Reachable through b_0: a pass looks at all and takes nothing. */
	t0 = mxt_now();
	gc_quiesce();
	t0 = mxt_now() - t0;
	gc_read(&st);
	ASSERT_EQ(st.endpoints - s0.endpoints, 2 * (NCHAN - 1));
	ASSERT_EQ(st.collected, s0.collected);
	ASSERT_EQ(st.last_candidates, 2 * (NCHAN - 1));
	ASSERT_EQ(st.last_collected, 0);
	printf("# %d endpoints in flight, all reachable: pass %.3f ms "
	       "(quiesce %.3f ms)\n", 2 * (NCHAN - 1), st.last_ns / 1e6,
	       secs(t0) * 1e3);
	ASSERT_EQ(mxt_signals(e0), MX_SIGNAL_LAST_HANDLE);

	/* Now none of it is. */
	send1(ca[0], cb[0]);
	t0 = mxt_now();
	ASSERT_OK(mx_handle_close(ca[0]));
	wait_for(e0, MX_EPAIR_PEER_CLOSED);
	t0 = mxt_now() - t0;
	gc_quiesce();
	gc_read(&st);
	ASSERT_EQ(st.collected - s0.collected, 2 * NCHAN - 1);
	ASSERT_EQ(st.endpoints, s0.endpoints);
	ASSERT_EQ(st.handles, s0.handles);
	printf("# %d endpoints collected: close to the last one closed "
	       "%.3f ms, longest pass %.3f ms\n", 2 * NCHAN - 1,
	       secs(t0) * 1e3, st.max_ns / 1e6);
}

/*
 * ---- passes that yield: the graph changes under them ----
 *
 * A pass holds the collector's lock for a few steps at a time, so reads
 * and writes of channel handles go on while it runs. Ballast (many
 * endpoints in flight, all reachable) makes every pass long. Movers take
 * a chain apart and put it back without end: y's queue holds b, b's
 * holds d, d's holds a watch; b and d are candidates of every pass, and
 * each move reads b out of y and d out of b (each gets a root for a
 * moment) and writes them back, b via its peer a. Meanwhile garbage is
 * made and passes run back to back. No pass may take any chain; every
 * piece of garbage must go.
 */
#define BALLAST_PAIRS	8000
#define MOVERS		2
#define MIN_PASSES	40
#define FEW_PASSES	3	/* at least, when MOVE_SECS ran out first */
#define MOVE_SECS	20	/* a debug kernel's passes take long */
#define GARBAGE		300

/* Both ends of @pairs new channels, 32 pairs a message, written to @x. */
static void ballast(mx_handle_t x, int pairs)
{
	mx_handle_t hs[64];
	int i, n;

	for (i = 0; i < pairs; i += 32) {
		for (n = 0; n < 64 && i + n / 2 < pairs; n += 2)
			mxt_channel(&hs[n], &hs[n + 1]);
		ASSERT_OK(mx_channel_write(x, 0, NULL, 0, hs, n));
	}
}

struct moving {
	mx_handle_t x, y;	/* y's queue holds b */
	mx_handle_t a;		/* b's peer: writes into b's queue */
	mx_handle_t c;		/* d's peer */
	struct watch w;		/* in d's queue */
	long long passes;	/* move until this many passes ran */
	mx_time_t until;	/* or until then */
	int moves;
};

static long long gc_passes(void)
{
	struct gc_stats st;

	gc_read(&st);
	return st.passes;
}

static void *keep_moving(void *arg)
{
	struct moving *mv = arg;
	mx_handle_t b, d;

	do {
		b = recv1(mv->y);
		d = recv1(b);
		/* d is held here, b too; both go back into their queues. */
		send1(mv->a, d);
		send1(mv->x, b);
		mv->moves++;
	} while (mv->moves % 64 ||
		 (gc_passes() < mv->passes && mxt_now() < mv->until));
	return NULL;
}

/* Run the calling thread on @cpu only (if there is such a CPU). */
static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *keep_collecting(void *arg)
{
	int *stop = arg;

	pin(1);
	do
		gc_quiesce();
	while (!__atomic_load_n(stop, __ATOMIC_ACQUIRE));
	return NULL;
}

TEST(gc_yielding_passes_keep_what_moves_and_take_garbage)
{
	struct gc_stats s0 = gc_start(), st;
	struct moving mv[MOVERS];
	pthread_t th[MOVERS], collector;
	mx_handle_t bx, by, a, b, d;
	int i, moves, stop = 0;

	mxt_channel(&bx, &by);
	ballast(bx, BALLAST_PAIRS);
	for (i = 0; i < MOVERS; i++) {
		mxt_channel(&mv[i].x, &mv[i].y);
		mxt_channel(&mv[i].a, &b);
		mxt_channel(&mv[i].c, &d);
		watch_make(&mv[i].w);
		watch_send(&mv[i].w, mv[i].c);
		send1(mv[i].a, d);
		send1(mv[i].x, b);
		mv[i].passes = s0.passes + MIN_PASSES;
		mv[i].until = mxt_now() + MOVE_SECS * 1000000000ll;
		mv[i].moves = 0;
	}
	ASSERT_EQ(pthread_create(&collector, NULL, keep_collecting, &stop), 0);
	for (i = 0; i < MOVERS; i++)
		ASSERT_EQ(pthread_create(&th[i], NULL, keep_moving, &mv[i]), 0);
	for (i = 0; i < GARBAGE; i++) {
		mxt_channel(&a, &b);
		send1(a, b);
		ASSERT_OK(mx_handle_close(a));
	}
	for (i = 0; i < MOVERS; i++)
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(pthread_join(collector, NULL), 0);
	gc_quiesce();
	gc_read(&st);
	for (i = 0, moves = 0; i < MOVERS; i++)
		moves += mv[i].moves;
	printf("# %lld passes over %d endpoints in flight while %d chains "
	       "moved %d times; longest hold of the lock %.1f us\n",
	       st.passes - s0.passes, 2 * BALLAST_PAIRS, MOVERS, moves,
	       gc_figure("max_hold_ns") / 1e3);
	ASSERT_TRUE(st.passes - s0.passes >= FEW_PASSES);
	ASSERT_EQ(st.collected - s0.collected, GARBAGE);
	ASSERT_EQ(st.endpoints - s0.endpoints, 2 * BALLAST_PAIRS + 3 * MOVERS);
	for (i = 0; i < MOVERS; i++) {
		watch_alive(&mv[i].w);
		ASSERT_OK(mx_handle_close(mv[i].c));
		b = recv1(mv[i].y);
		d = recv1(b);
		ASSERT_OK(mx_handle_close(d));
		watch_collected(&mv[i].w);
		ASSERT_OK(mx_handle_close(b));
		ASSERT_OK(mx_handle_close(mv[i].a));
		ASSERT_OK(mx_handle_close(mv[i].x));
		ASSERT_OK(mx_handle_close(mv[i].y));
	}
	ASSERT_OK(mx_handle_close(bx));
	ASSERT_OK(mx_handle_close(by));
	gc_expect_collected(&s0, GARBAGE);
}

/*
 * ---- one user's endpoints in flight do not stall another's transfers ----
 *
 * uid 1000 puts IN_FLIGHT endpoints in flight (all reachable, through a
 * channel end it holds), and keeps kicking the collector by closing
 * channel handles, while passes also run back to back; uid 1001 writes a
 * channel handle to itself and reads it back, TRANSFERS times, each timed.
 * Prints the median and longest transfer, alone and under that, with the
 * longest a pass held the lock (no assertion on time).
 */
/* Under the per-user bounds of 65536 objects and handles in flight. */
#define IN_FLIGHT	(65536 - 128)
#define FLOOD_SECS	10	/* fewer if making them takes longer */
#define TRANSFERS	2000
#define TRANSFER_GAP_US	500
#define TRANSFER_SECS	8
#define ATTACK_UID	1000
#define VICTIM_UID	1001

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/*
 * As uid VICTIM_UID, on CPU 0 (the collector and the other user run on
 * CPU 1): TRANSFERS transfers TRANSFER_GAP_US apart (so that each finds
 * the collector wherever it happens to be), or as many as TRANSFER_SECS
 * allow. Into @out, in ns: the median, the longest, how many, the 99th
 * and 99.9th percentiles, and how many took over a millisecond.
 */
static void transfers(long long *out)
{
	static long long ns[TRANSFERS];
	mx_handle_t v0, v1, c0, c1;
	mx_time_t t0, end;
	int n;

	pin(0);
	mxt_become(VICTIM_UID);
	mxt_channel(&v0, &v1);
	mxt_channel(&c0, &c1);
	end = mxt_now() + TRANSFER_SECS * 1000000000ll;
	for (n = 0; n < TRANSFERS && mxt_now() < end; n++) {
		t0 = mxt_now();
		send1(v0, c0);
		c0 = recv1(v1);
		ns[n] = mxt_now() - t0;
		usleep(TRANSFER_GAP_US);
	}
	qsort(ns, n, sizeof(ns[0]), cmp_ll);
	out[0] = ns[n / 2];
	out[1] = ns[n - 1];
	out[2] = n;
	out[3] = ns[n * 99 / 100];
	out[4] = ns[n * 999 / 1000];
	for (out[5] = 0; out[5] < n && ns[n - 1 - out[5]] > 1000000; out[5]++)
		;
	ASSERT_OK(mx_handle_close(c1));
}

static void transfers_as_other_user(long long *out)
{
	long long *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	ASSERT_TRUE(shared != MAP_FAILED);
	pid = mxt_fork();
	if (pid == 0) {
		transfers(shared);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_EQ(status, 0);
	memcpy(out, shared, 6 * sizeof(*out));
	munmap(shared, 4096);
}

/*
 * As uid ATTACK_UID: IN_FLIGHT endpoints in flight (or as many as it can
 * make in FLOOD_SECS), say how many on @ready, then kick the collector
 * until EOF on @stop.
 */
static void flood(int ready, int stop)
{
	mx_time_t until = mxt_now() + FLOOD_SECS * 1000000000ll;
	mx_handle_t x, y, a, b;
	int n;
	char c;

	pin(1);
	mxt_become(ATTACK_UID);
	mxt_channel(&x, &y);
	for (n = 0; n < IN_FLIGHT && mxt_now() < until; n += 64)
		ballast(x, 32);
	ASSERT_EQ(write(ready, &n, sizeof(n)), (ssize_t)sizeof(n));
	ASSERT_EQ(fcntl(stop, F_SETFL, O_NONBLOCK), 0);
	while (read(stop, &c, 1) < 0 && errno == EAGAIN) {
		mxt_channel(&a, &b);
		ASSERT_OK(mx_handle_close(a));
		ASSERT_OK(mx_handle_close(b));
		usleep(1000);
	}
	_exit(0);
}

TEST(gc_passes_do_not_stall_another_users_transfers)
{
	struct gc_stats s0 = gc_start(), s1, st;
	long long alone[6], attacked[6];
	int ready[2], stop[2], status, quit = 0, n = 0;
	pthread_t collector;
	pid_t pid;

	if (geteuid() != 0)
		SKIP("needs root, to become two users");
	transfers_as_other_user(alone);

	ASSERT_EQ(pipe(ready), 0);
	ASSERT_EQ(pipe(stop), 0);
	pid = mxt_fork();
	if (pid == 0) {
		close(ready[0]);
		close(stop[1]);
		flood(ready[1], stop[0]);
	}
	close(ready[1]);
	close(stop[0]);
	ASSERT_EQ(read(ready[0], &n, sizeof(n)), (ssize_t)sizeof(n));
	gc_read(&s1);
	ASSERT_EQ(s1.endpoints - s0.endpoints, n);
	ASSERT_EQ(pthread_create(&collector, NULL, keep_collecting, &quit), 0);
	transfers_as_other_user(attacked);
	__atomic_store_n(&quit, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(pthread_join(collector, NULL), 0);
	gc_read(&st);
	close(stop[1]);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_EQ(status, 0);
	printf("# channel-handle write+read of uid %d, alone: median %.1f "
	       "us, 99%% %.1f us, 99.9%% %.1f us, longest %.1f us, %lld of "
	       "%lld over 1 ms\n", VICTIM_UID, alone[0] / 1e3,
	       alone[3] / 1e3, alone[4] / 1e3, alone[1] / 1e3, alone[5],
	       alone[2]);
	printf("# with uid %d's %d endpoints in flight and %lld passes: "
	       "median %.1f us, 99%% %.1f us, 99.9%% %.1f us, longest %.1f "
	       "us, %lld of %lld over 1 ms; a pass %.1f ms; longest hold of "
	       "the lock by a pass %.1f us, wait for it by a transfer %.1f "
	       "us\n", ATTACK_UID, n, st.passes - s1.passes,
	       attacked[0] / 1e3, attacked[3] / 1e3, attacked[4] / 1e3,
	       attacked[1] / 1e3, attacked[5], attacked[2], st.last_ns / 1e6,
	       gc_figure("max_hold_ns") / 1e3,
	       gc_figure("max_wait_ns") / 1e3);
	ASSERT_TRUE(st.passes - s1.passes > 0);
	ASSERT_EQ(st.collected, s0.collected);
	gc_expect_collected(&s0, 0);
}
