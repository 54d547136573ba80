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

static void make_channel(mx_handle_t *a, mx_handle_t *b)
{
	ASSERT_OK(mx_channel_create(0, a, b));
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
	make_channel(&w->f, &w->g);
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

	make_channel(&a, &b);
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

	make_channel(&a, &b);
	make_channel(&c, &d);
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

	make_channel(&a, &b);
	make_channel(&c, &d);
	make_channel(&e, &f);
	watch_make(&w);
	watch_send(&w, e);
	send1(a, d);
	send1(c, f);
	send1(e, b);
	watch_alive(&w);
	/* The cycle is unreachable already; an unrelated close starts a pass. */
	{
		mx_handle_t x, y;

		make_channel(&x, &y);
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

	make_channel(&a, &b);
	make_channel(&c, &d);
	make_channel(&x, &y);
	make_channel(&p, &q);
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
	make_channel(&a, &b);
	make_channel(&c, &d);
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
	make_channel(&ch->a, &ch->b);
	make_channel(&ch->c, &ch->d);
	make_channel(&ch->x, &ch->y);
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
	make_channel(&p, &q);
	make_channel(&r, &t);
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
		make_channel(&a, &b);
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
		make_channel(&ca[i], &cb[i]);
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
