// SPDX-License-Identifier: MIT
/*
 * Many threads on one handle table: create/dup/replace/close/signal/wait
 * at once, waiters against closers, signalers against waiters, and races
 * on one handle value (close, replace, wait registration). The stress
 * cases run for a fixed wall-clock time, not a fixed number of operations,
 * so a slow (emulated, debug) machine does less work rather than taking
 * longer. Only statuses are asserted, never timings.
 */
#include "mxtest.h"

#include <pthread.h>
#include <stdlib.h>

#define STRESS_TIME	MX_MSEC(1500)

static mx_handle_t xchg(mx_handle_t *slot, mx_handle_t v)
{
	return __atomic_exchange_n(slot, v, __ATOMIC_ACQ_REL);
}

static mx_handle_t load(mx_handle_t *slot)
{
	return __atomic_load_n(slot, __ATOMIC_ACQUIRE);
}

/* Report a status no interleaving can explain; ends the case. */
#define EXPECT_IN(s, ...)						\
	do {								\
		mx_status_t _s = (s), _ok[] = { __VA_ARGS__ };		\
		size_t _i;						\
		for (_i = 0; _i < sizeof(_ok) / sizeof(_ok[0]); _i++)	\
			if (_s == _ok[_i])				\
				break;					\
		if (_i == sizeof(_ok) / sizeof(_ok[0]))			\
			FAIL("%s: unexpected %s", #s,			\
			     mx_status_get_string(_s));			\
	} while (0)

/* ---- every call at once on one table ---- */

#define HSLOTS 64

struct hammer {
	mx_handle_t *slots;
	mx_time_t end;
	unsigned int seed;
	long ops;
};

/* Put @v in slot @i; whatever was there is ours to close. */
static void put(mx_handle_t *slots, unsigned int i, mx_handle_t v)
{
	mx_handle_t old = xchg(&slots[i % HSLOTS], v);

	if (old)
		ASSERT_OK(mx_handle_close(old));
}

static void *hammer_main(void *arg)
{
	struct hammer *hm = arg;
	mx_handle_t *slots = hm->slots;

	while (mxt_now() < hm->end) {
		unsigned int r = rand_r(&hm->seed);
		unsigned int i = r >> 8, j = r >> 16;
		mx_handle_t v, w, n = 0, a = 0, b = 0;
		mx_wait_item_t items[2];
		mx_info_handle_basic_t info;
		mx_signals_t obs;

		switch (r % 10) {
		case 0:	/* create */
			ASSERT_OK(mx_event_create(0, &n));
			put(slots, i, n);
			break;
		case 1:	/* create a pair */
			ASSERT_OK(mx_eventpair_create(0, &a, &b));
			put(slots, i, a);
			put(slots, j, b);
			break;
		case 2:	/* dup a handle we own for the moment */
			v = xchg(&slots[i % HSLOTS], 0);
			if (!v)
				break;
			ASSERT_OK(mx_handle_duplicate(v, MX_RIGHT_SAME_RIGHTS,
						      &n));
			put(slots, j, n);
			put(slots, i, v);
			break;
		case 3:	/* replace one we own */
			v = xchg(&slots[i % HSLOTS], 0);
			if (!v)
				break;
			ASSERT_OK(mx_handle_replace(v, MX_RIGHT_SAME_RIGHTS,
						    &n));
			ASSERT_STATUS(mx_handle_close(v), MX_ERR_BAD_HANDLE);
			put(slots, i, n);
			break;
		case 4:	/* close one we own */
			v = xchg(&slots[i % HSLOTS], 0);
			if (v)
				ASSERT_OK(mx_handle_close(v));
			break;
		case 5:	/* signal one someone else may close */
			v = load(&slots[i % HSLOTS]);
			if (v)
				EXPECT_IN(mx_object_signal(v, MX_USER_SIGNAL_ALL,
							   MX_USER_SIGNAL_0 << (j % 8)),
					  MX_OK, MX_ERR_BAD_HANDLE);
			break;
		case 6:
			v = load(&slots[i % HSLOTS]);
			if (v)
				EXPECT_IN(mx_object_signal_peer(v, 0,
								MX_USER_SIGNAL_1),
					  MX_OK, MX_ERR_BAD_HANDLE,
					  MX_ERR_NOT_SUPPORTED,
					  MX_ERR_PEER_CLOSED);
			break;
		case 7:	/* short waits, maybe cancelled by a closer */
			v = load(&slots[i % HSLOTS]);
			if (v)
				EXPECT_IN(mx_object_wait_one(v, MX_USER_SIGNAL_3,
							     j % 2 ? 0 :
							     mx_deadline_after(MX_USEC(200)),
							     &obs),
					  MX_OK, MX_ERR_TIMED_OUT,
					  MX_ERR_BAD_HANDLE, MX_ERR_CANCELED);
			break;
		case 8:
			v = load(&slots[i % HSLOTS]);
			w = load(&slots[j % HSLOTS]);
			if (!v || !w)
				break;
			items[0] = (mx_wait_item_t){ v, MX_USER_SIGNAL_2, 0 };
			items[1] = (mx_wait_item_t){ w, MX_EPAIR_PEER_CLOSED,
						     0 };
			EXPECT_IN(mx_object_wait_many(items, 2,
						      mx_deadline_after(MX_USEC(200))),
				  MX_OK, MX_ERR_TIMED_OUT, MX_ERR_BAD_HANDLE,
				  MX_ERR_CANCELED);
			break;
		case 9:
			v = load(&slots[i % HSLOTS]);
			if (!v)
				break;
			memset(&info, 0, sizeof(info));
			EXPECT_IN(mx_object_get_info(v, MX_INFO_HANDLE_BASIC,
						     &info, sizeof(info), NULL,
						     NULL),
				  MX_OK, MX_ERR_BAD_HANDLE);
			if (info.koid) {
				ASSERT_EQ(info.rights, MX_DEFAULT_EVENT_RIGHTS);
				ASSERT_TRUE(info.type == MX_OBJ_TYPE_EVENT ||
					    info.type == MX_OBJ_TYPE_EVENT_PAIR);
			}
			break;
		}
		hm->ops++;
	}
	return NULL;
}

TEST(hammer_one_table)
{
	enum { THREADS = 8 };
	static mx_handle_t slots[HSLOTS];
	struct hammer hm[THREADS];
	pthread_t th[THREADS];
	mx_time_t end = mxt_now() + STRESS_TIME;
	long ops = 0;
	int i;

	for (i = 0; i < THREADS; i++) {
		hm[i] = (struct hammer){ slots, end, 0x9e3779b9u * (i + 1), 0 };
		ASSERT_EQ(pthread_create(&th[i], NULL, hammer_main, &hm[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
		ops += hm[i].ops;
	}
	ASSERT_TRUE(ops > 0);
	fprintf(stderr, "# %ld operations\n", ops);
	/* Everything left closes once and only once. */
	for (i = 0; i < HSLOTS; i++) {
		mx_handle_t v = xchg(&slots[i], 0);

		if (v) {
			ASSERT_OK(mx_handle_close(v));
			ASSERT_STATUS(mx_handle_close(v), MX_ERR_BAD_HANDLE);
		}
	}
	ASSERT_OK(mx_handle_close(mxt_event()));
}

/* ---- waiters against closers and signalers ---- */

#define WSLOTS 8

struct wvc {
	mx_handle_t slots[WSLOTS];
	mx_time_t end;
	int stop;
	long ok, canceled, bad_handle;	/* atomically added */
};

struct wvc_thread {
	struct wvc *s;
	unsigned int seed;
	int many;
};

static void *closer_main(void *arg)
{
	struct wvc_thread *t = arg;

	while (mxt_now() < t->s->end) {
		unsigned int i = rand_r(&t->seed) % WSLOTS;
		mx_handle_t old = xchg(&t->s->slots[i], mxt_event());

		if (old)
			ASSERT_OK(mx_handle_close(old));
	}
	return NULL;
}

static void *signaler_main(void *arg)
{
	struct wvc_thread *t = arg;

	while (mxt_now() < t->s->end) {
		unsigned int r = rand_r(&t->seed);
		mx_handle_t v = load(&t->s->slots[r % WSLOTS]);

		if (v)
			EXPECT_IN(mx_object_signal(v, r & 256 ?
						   MX_EVENT_SIGNALED : 0,
						   r & 256 ? 0 :
						   MX_EVENT_SIGNALED),
				  MX_OK, MX_ERR_BAD_HANDLE);
	}
	return NULL;
}

static void *waiter_main(void *arg)
{
	struct wvc_thread *t = arg;
	struct wvc *s = t->s;

	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		unsigned int r = rand_r(&t->seed);
		mx_handle_t v = load(&s->slots[r % WSLOTS]);
		mx_handle_t w = load(&s->slots[(r >> 8) % WSLOTS]);
		mx_wait_item_t items[2];
		mx_signals_t obs = 0;
		mx_status_t st;

		if (!v || !w)
			continue;
		if (t->many) {
			items[0] = (mx_wait_item_t){ v, MX_EVENT_SIGNALED, 0 };
			items[1] = (mx_wait_item_t){ w, MX_EVENT_SIGNALED, 0 };
			st = mx_object_wait_many(items, 2, MX_TIME_INFINITE);
			obs = items[0].pending | items[1].pending;
		} else {
			st = mx_object_wait_one(v, MX_EVENT_SIGNALED,
						MX_TIME_INFINITE, &obs);
		}
		/* Never TIMED_OUT: nothing but a close or a signal ends it. */
		EXPECT_IN(st, MX_OK, MX_ERR_CANCELED, MX_ERR_BAD_HANDLE);
		if (st == MX_OK) {
			ASSERT_TRUE(obs & MX_EVENT_SIGNALED);
			__atomic_add_fetch(&s->ok, 1, __ATOMIC_RELAXED);
		} else if (st == MX_ERR_CANCELED) {
			ASSERT_TRUE(obs & MX_SIGNAL_HANDLE_CLOSED);
			__atomic_add_fetch(&s->canceled, 1, __ATOMIC_RELAXED);
		} else {
			__atomic_add_fetch(&s->bad_handle, 1, __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

TEST(waiters_against_closers_and_signalers)
{
	enum { CLOSERS = 2, SIGNALERS = 1, WAITERS = 5 };
	enum { N = CLOSERS + SIGNALERS + WAITERS };
	static struct wvc s;
	struct wvc_thread t[N];
	pthread_t th[N];
	int i;

	for (i = 0; i < WSLOTS; i++)
		s.slots[i] = mxt_event();
	s.end = mxt_now() + STRESS_TIME;
	for (i = 0; i < N; i++) {
		t[i] = (struct wvc_thread){ &s, 0x12345u * (i + 7), i % 2 };
		ASSERT_EQ(pthread_create(&th[i], NULL,
					 i < CLOSERS ? closer_main :
					 i < CLOSERS + SIGNALERS ?
					 signaler_main : waiter_main, &t[i]), 0);
	}
	for (i = 0; i < CLOSERS + SIGNALERS; i++)
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
	/* Stop: closing every handle left ends every wait. */
	__atomic_store_n(&s.stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < WSLOTS; i++)
		ASSERT_OK(mx_handle_close(xchg(&s.slots[i], 0)));
	for (i = CLOSERS + SIGNALERS; i < N; i++)
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
	fprintf(stderr, "# waits: %ld ok, %ld canceled, %ld bad handle\n",
		s.ok, s.canceled, s.bad_handle);
	ASSERT_TRUE(s.ok + s.canceled + s.bad_handle > 0);
}

/* ---- signalers against waiters: a token passed round a ring ---- */

#define RING 6

struct ring {
	mx_handle_t ev[RING];
	mx_time_t end;
	long passes[RING];
	int stopped;
};

struct ring_thread {
	struct ring *r;
	int me;
};

static void *ring_main(void *arg)
{
	struct ring_thread *t = arg;
	struct ring *r = t->r;
	mx_handle_t mine = r->ev[t->me], next = r->ev[(t->me + 1) % RING];

	for (;;) {
		mx_signals_t obs = 0;

		ASSERT_OK(mx_object_wait_one(mine, MX_EVENT_SIGNALED,
					     MX_TIME_INFINITE, &obs));
		ASSERT_TRUE(obs & MX_EVENT_SIGNALED);
		ASSERT_OK(mx_object_signal(mine, MX_EVENT_SIGNALED, 0));
		/* Only the token holder runs here: the state is ours. */
		if (mxt_now() >= r->end)
			r->stopped = 1;
		r->passes[t->me]++;
		ASSERT_OK(mx_object_signal(next, 0, MX_EVENT_SIGNALED));
		if (r->stopped)
			return NULL;
	}
}

TEST(token_ring_signalers_against_waiters)
{
	static struct ring r;
	struct ring_thread t[RING];
	pthread_t th[RING];
	long total = 0;
	int i;

	for (i = 0; i < RING; i++)
		r.ev[i] = mxt_event();
	r.end = mxt_now() + STRESS_TIME / 2;
	for (i = 0; i < RING; i++) {
		t[i] = (struct ring_thread){ &r, i };
		ASSERT_EQ(pthread_create(&th[i], NULL, ring_main, &t[i]), 0);
	}
	ASSERT_OK(mx_object_signal(r.ev[0], 0, MX_EVENT_SIGNALED));
	for (i = 0; i < RING; i++)
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
	/* Every pass woke exactly the next thread: counts differ by <= 1. */
	for (i = 0; i < RING; i++) {
		total += r.passes[i];
		ASSERT_TRUE(r.passes[i] >= r.passes[RING - 1]);
		ASSERT_TRUE(r.passes[i] <= r.passes[0]);
	}
	ASSERT_TRUE(r.passes[0] - r.passes[RING - 1] <= 1);
	ASSERT_TRUE(total >= RING);
	fprintf(stderr, "# %ld passes\n", total);
}

/* ---- broadcast: one event, many waiters, rounds with acks ---- */

struct bcast {
	mx_handle_t ev;
	mx_handle_t ack[8];
	int stop;
};

struct bcast_thread {
	struct bcast *b;
	int me;
	long rounds;
};

static void *bcast_main(void *arg)
{
	struct bcast_thread *t = arg;
	struct bcast *b = t->b;
	long r;

	for (r = 0;; r++) {
		mx_signals_t bit = r % 2 ? MX_USER_SIGNAL_1 : MX_USER_SIGNAL_0;
		mx_signals_t obs = 0;

		ASSERT_OK(mx_object_wait_one(b->ev, bit, MX_TIME_INFINITE,
					     &obs));
		ASSERT_TRUE(obs & bit);
		t->rounds++;
		if (__atomic_load_n(&b->stop, __ATOMIC_ACQUIRE))
			return NULL;
		ASSERT_OK(mx_object_signal(b->ack[t->me], 0, MX_EVENT_SIGNALED));
	}
}

TEST(broadcast_signal_wakes_every_waiter)
{
	enum { W = 8 };
	struct bcast b = { 0 };
	struct bcast_thread t[W];
	pthread_t th[W];
	mx_time_t end = mxt_now() + STRESS_TIME / 2;
	long r;
	int i;

	b.ev = mxt_event();
	for (i = 0; i < W; i++) {
		b.ack[i] = mxt_event();
		t[i] = (struct bcast_thread){ &b, i, 0 };
		ASSERT_EQ(pthread_create(&th[i], NULL, bcast_main, &t[i]), 0);
	}
	for (r = 0;; r++) {
		mx_signals_t bit = r % 2 ? MX_USER_SIGNAL_1 : MX_USER_SIGNAL_0;
		mx_signals_t other = r % 2 ? MX_USER_SIGNAL_0 : MX_USER_SIGNAL_1;

		if (mxt_now() >= end)
			__atomic_store_n(&b.stop, 1, __ATOMIC_RELEASE);
		ASSERT_OK(mx_object_signal(b.ev, other, bit));
		if (b.stop)
			break;
		for (i = 0; i < W; i++) {
			ASSERT_OK(mx_object_wait_one(b.ack[i],
						     MX_EVENT_SIGNALED,
						     MX_TIME_INFINITE, NULL));
			ASSERT_OK(mx_object_signal(b.ack[i], MX_EVENT_SIGNALED,
						   0));
		}
	}
	for (i = 0; i < W; i++) {
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
		/* Each waiter saw every round, once. */
		ASSERT_EQ(t[i].rounds, r + 1);
	}
	fprintf(stderr, "# %ld rounds\n", r + 1);
}

/* ---- races on one handle value ---- */

struct race {
	pthread_barrier_t go;
	mx_handle_t h;
	int rounds;
};

struct race_thread {
	struct race *r;
	int wins;
	mx_handle_t out;
	mx_status_t st;
};

static void *close_racer(void *arg)
{
	struct race_thread *t = arg;
	int i;

	for (i = 0; i < t->r->rounds; i++) {
		pthread_barrier_wait(&t->r->go);
		t->st = mx_handle_close(t->r->h);
		EXPECT_IN(t->st, MX_OK, MX_ERR_BAD_HANDLE);
		t->wins += t->st == MX_OK;
		pthread_barrier_wait(&t->r->go);
	}
	return NULL;
}

TEST(close_same_value_from_many_threads)
{
	enum { T = 6, ROUNDS = 100 };
	struct race r;
	struct race_thread t[T];
	pthread_t th[T];
	int i, round, wins = 0;

	r.rounds = ROUNDS;
	ASSERT_EQ(pthread_barrier_init(&r.go, NULL, T + 1), 0);
	for (i = 0; i < T; i++) {
		t[i] = (struct race_thread){ &r, 0, 0, 0 };
		ASSERT_EQ(pthread_create(&th[i], NULL, close_racer, &t[i]), 0);
	}
	for (round = 0; round < ROUNDS; round++) {
		int before = 0, after = 0;

		r.h = mxt_event();
		for (i = 0; i < T; i++)
			before += t[i].wins;
		pthread_barrier_wait(&r.go);
		pthread_barrier_wait(&r.go);
		for (i = 0; i < T; i++)
			after += t[i].wins;
		ASSERT_EQ(after - before, 1);
	}
	for (i = 0; i < T; i++) {
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
		wins += t[i].wins;
	}
	ASSERT_EQ(wins, ROUNDS);
}

static void *replace_racer(void *arg)
{
	struct race_thread *t = arg;
	int i;

	for (i = 0; i < t->r->rounds; i++) {
		pthread_barrier_wait(&t->r->go);
		t->out = 0;
		t->st = mx_handle_replace(t->r->h, MX_RIGHT_SAME_RIGHTS,
					  &t->out);
		EXPECT_IN(t->st, MX_OK, MX_ERR_BAD_HANDLE);
		pthread_barrier_wait(&t->r->go);
		pthread_barrier_wait(&t->r->go);	/* checked */
	}
	return NULL;
}

TEST(replace_same_value_from_many_threads)
{
	enum { T = 6, ROUNDS = 100 };
	struct race r;
	struct race_thread t[T];
	pthread_t th[T];
	int i, round;

	r.rounds = ROUNDS;
	ASSERT_EQ(pthread_barrier_init(&r.go, NULL, T + 1), 0);
	for (i = 0; i < T; i++) {
		t[i] = (struct race_thread){ &r, 0, 0, 0 };
		ASSERT_EQ(pthread_create(&th[i], NULL, replace_racer, &t[i]),
			  0);
	}
	for (round = 0; round < ROUNDS; round++) {
		mx_handle_t winner = 0;
		int wins = 0;

		r.h = mxt_event();
		pthread_barrier_wait(&r.go);
		pthread_barrier_wait(&r.go);
		for (i = 0; i < T; i++) {
			if (t[i].st == MX_OK) {
				wins++;
				winner = t[i].out;
			} else if (t[i].out) {
				/* A value a loser saw names nothing. */
				ASSERT_STATUS(mx_object_get_info(t[i].out,
						MX_INFO_HANDLE_VALID, NULL, 0,
						NULL, NULL),
					      MX_ERR_BAD_HANDLE);
			}
		}
		ASSERT_EQ(wins, 1);
		ASSERT_STATUS(mx_handle_close(r.h), MX_ERR_BAD_HANDLE);
		ASSERT_EQ(mxt_signals(winner), MX_SIGNAL_LAST_HANDLE);
		ASSERT_OK(mx_handle_close(winner));
		pthread_barrier_wait(&r.go);
	}
	for (i = 0; i < T; i++)
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
}

struct dupper {
	mx_handle_t src;
	mx_handle_t *out;
	int n;
	pthread_barrier_t *go;
};

static void *dup_many(void *arg)
{
	struct dupper *d = arg;
	int i;

	pthread_barrier_wait(d->go);
	for (i = 0; i < d->n; i++) {
		if (d->src)
			ASSERT_OK(mx_handle_duplicate(d->src,
						      MX_RIGHT_SAME_RIGHTS,
						      &d->out[i]));
		else
			ASSERT_OK(mx_event_create(0, &d->out[i]));
	}
	return NULL;
}

static int cmp_handle(const void *a, const void *b)
{
	mx_handle_t x = *(const mx_handle_t *)a, y = *(const mx_handle_t *)b;

	return x < y ? -1 : x > y;
}

/* Threads filling one table at once (it grows meanwhile): all distinct. */
static void fill_concurrently(mx_handle_t src)
{
	enum { T = 8, PER = 400 };
	static mx_handle_t all[T * PER];
	struct dupper d[T];
	pthread_t th[T];
	pthread_barrier_t go;
	int i;

	ASSERT_EQ(pthread_barrier_init(&go, NULL, T), 0);
	for (i = 0; i < T; i++) {
		d[i] = (struct dupper){ src, &all[i * PER], PER, &go };
		ASSERT_EQ(pthread_create(&th[i], NULL, dup_many, &d[i]), 0);
	}
	for (i = 0; i < T; i++)
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
	qsort(all, T * PER, sizeof(all[0]), cmp_handle);
	for (i = 0; i < T * PER; i++) {
		ASSERT_TRUE(all[i] > 0);
		if (i)
			ASSERT_NE(all[i], all[i - 1]);
		ASSERT_EQ(mxt_basic(all[i]).type, MX_OBJ_TYPE_EVENT);
	}
	for (i = 0; i < T * PER; i++)
		ASSERT_OK(mx_handle_close(all[i]));
}

TEST(concurrent_duplicates_are_distinct)
{
	mx_handle_t ev = mxt_event();

	fill_concurrently(ev);
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_close(ev));
}

TEST(concurrent_creates_grow_the_table)
{
	fill_concurrently(MX_HANDLE_INVALID);
}

/* Waits racing their handle's close: CANCELED or BAD_HANDLE, never stuck. */
struct reg_race {
	mx_handle_t h;
	int many;
	mx_status_t st;
	mx_signals_t obs;
};

static void *reg_race_waiter(void *arg)
{
	struct reg_race *w = arg;

	if (w->many) {
		mx_wait_item_t item = { w->h, MX_USER_SIGNAL_0, 0 };

		w->st = mx_object_wait_many(&item, 1, MX_TIME_INFINITE);
		w->obs = item.pending;
	} else {
		w->st = mx_object_wait_one(w->h, MX_USER_SIGNAL_0,
					   MX_TIME_INFINITE, &w->obs);
	}
	return NULL;
}

TEST(wait_registration_races_close)
{
	enum { W = 4, ROUNDS = 150 };
	int round, i, canceled = 0, bad = 0, ok = 0;

	for (round = 0; round < ROUNDS; round++) {
		struct reg_race w[W];
		pthread_t th[W];
		mx_handle_t ev = mxt_event();

		for (i = 0; i < W; i++) {
			w[i] = (struct reg_race){ ev, i % 2, 0, 0 };
			ASSERT_EQ(pthread_create(&th[i], NULL, reg_race_waiter,
						 &w[i]), 0);
		}
		if (round % 3 == 1)
			usleep(round % 7 * 20);
		if (round % 3 == 2)
			EXPECT_IN(mx_object_signal(ev, 0, MX_USER_SIGNAL_0),
				  MX_OK);
		ASSERT_OK(mx_handle_close(ev));
		for (i = 0; i < W; i++) {
			ASSERT_EQ(pthread_join(th[i], NULL), 0);
			EXPECT_IN(w[i].st, MX_ERR_CANCELED, MX_ERR_BAD_HANDLE,
				  MX_OK);
			if (w[i].st == MX_OK) {
				/* Only when the signal came first. */
				ASSERT_EQ(round % 3, 2);
				ok++;
			} else if (w[i].st == MX_ERR_CANCELED) {
				ASSERT_TRUE(w[i].obs & MX_SIGNAL_HANDLE_CLOSED);
				canceled++;
			} else {
				bad++;
			}
		}
	}
	fprintf(stderr, "# %d canceled, %d bad handle, %d ok\n", canceled,
		bad, ok);
}
