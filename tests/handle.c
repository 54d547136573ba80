// SPDX-License-Identifier: MIT
/*
 * Handles: mx_handle_close, mx_handle_duplicate, mx_handle_replace, the
 * values handed out (positive, odd, not soon reused: handle-alias), rights
 * reduction, MX_SIGNAL_LAST_HANDLE bookkeeping, and the fresh table of a
 * fork() child. Reference §2, §3.1-3.3; Magenta's handle-info and
 * handle-alias suites.
 */
#include "mxtest.h"

#include <pthread.h>
#include <sys/mman.h>

static void assert_valid(mx_handle_t h)
{
	ASSERT_OK(mx_object_get_info(h, MX_INFO_HANDLE_VALID, NULL, 0, NULL,
				     NULL));
}

static void assert_dead(mx_handle_t h)
{
	ASSERT_STATUS(mx_object_get_info(h, MX_INFO_HANDLE_VALID, NULL, 0,
					 NULL, NULL), MX_ERR_BAD_HANDLE);
}

/* A page the process can read but not write. */
static void *read_only_page(void)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	ASSERT_TRUE(p != MAP_FAILED);
	return p;
}

TEST(values_are_positive_odd_and_distinct)
{
	enum { N = 300 };
	mx_handle_t h[N + 2];
	int i, j;

	for (i = 0; i < N; i++)
		h[i] = mxt_event();
	h[N] = mx_process_self();
	h[N + 1] = mx_job_default();
	for (i = 0; i < N + 2; i++) {
		ASSERT_TRUE(h[i] > 0);
		ASSERT_EQ(h[i] & 1, 1);
		for (j = 0; j < i; j++)
			ASSERT_NE(h[i], h[j]);
	}
	for (i = 0; i < N; i++)
		ASSERT_OK(mx_handle_close(h[i]));
}

TEST(close_invalid_values)
{
	mx_handle_t ev = mxt_event();

	ASSERT_STATUS(mx_handle_close(MX_HANDLE_INVALID), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_handle_close(-1), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_handle_close(INT32_MIN), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_handle_close(INT32_MAX), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_handle_close(ev | INT32_MIN), MX_ERR_BAD_HANDLE);
	/* Even values are never handles (Magenta's decoder ignored bit 0). */
	ASSERT_STATUS(mx_handle_close(ev ^ 1), MX_ERR_BAD_HANDLE);
	assert_valid(ev);
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_STATUS(mx_handle_close(ev), MX_ERR_BAD_HANDLE);
}

TEST(close_needs_no_rights)
{
	mx_handle_t ev = mxt_event();
	mx_handle_t none = mxt_dup(ev, 0);

	ASSERT_EQ(mxt_basic(none).rights, 0);
	ASSERT_OK(mx_handle_close(none));
	ASSERT_OK(mx_handle_close(ev));
}

TEST(closed_value_is_bad_everywhere)
{
	mx_wait_item_t item;
	mx_signals_t obs;
	char name[MX_MAX_NAME_LEN];
	mx_handle_t ev = mxt_event(), out = 0;

	ASSERT_OK(mx_handle_close(ev));
	ASSERT_STATUS(mx_handle_close(ev), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &out),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_handle_replace(ev, MX_RIGHT_SAME_RIGHTS, &out),
		      MX_ERR_BAD_HANDLE);
	ASSERT_EQ(out, 0);
	ASSERT_STATUS(mx_object_signal(ev, 0, MX_USER_SIGNAL_0),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_signal_peer(ev, 0, MX_USER_SIGNAL_0),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_wait_one(ev, MX_USER_SIGNAL_0, 0, &obs),
		      MX_ERR_BAD_HANDLE);
	item = (mx_wait_item_t){ ev, MX_USER_SIGNAL_0, 0 };
	ASSERT_STATUS(mx_object_wait_many(&item, 1, 0), MX_ERR_BAD_HANDLE);
	assert_dead(ev);
	ASSERT_STATUS(mx_object_get_property(ev, MX_PROP_NAME, name,
					     sizeof(name)), MX_ERR_BAD_HANDLE);
}

TEST(dup_same_rights_and_last_handle)
{
	mx_handle_t ev = mxt_event(), d, d2;
	mx_info_handle_basic_t a, b;

	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
	d = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	ASSERT_EQ(d & 1, 1);
	a = mxt_basic(ev);
	b = mxt_basic(d);
	ASSERT_EQ(a.koid, b.koid);
	ASSERT_EQ(b.rights, MX_DEFAULT_EVENT_RIGHTS);
	ASSERT_EQ(b.type, MX_OBJ_TYPE_EVENT);
	/* Two handles: LAST_HANDLE is clear, seen through either. */
	ASSERT_EQ(mxt_signals(ev), 0);
	ASSERT_EQ(mxt_signals(d), 0);
	d2 = mxt_dup(d, MX_RIGHT_SAME_RIGHTS);
	ASSERT_EQ(mxt_signals(ev), 0);
	ASSERT_OK(mx_handle_close(d2));
	ASSERT_EQ(mxt_signals(ev), 0);
	ASSERT_OK(mx_handle_close(d));
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
	/* The survivor may be the copy: the original is closed first. */
	d = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	ASSERT_EQ(mxt_signals(d), 0);
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_EQ(mxt_signals(d), MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_close(d));
}

TEST(dup_keeps_user_signals_shared)
{
	mx_handle_t ev = mxt_event(), d = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);

	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_EQ(mxt_signals(d), MX_EVENT_SIGNALED);
	ASSERT_OK(mx_object_signal(d, MX_EVENT_SIGNALED, MX_USER_SIGNAL_5));
	ASSERT_EQ(mxt_signals(ev), MX_USER_SIGNAL_5);
}

TEST(dup_reduces_rights)
{
	mx_handle_t ev = mxt_event(), r, rd, out = 0;

	/* handle-info's handle_rights_test */
	r = mxt_dup(ev, MX_RIGHT_READ);
	ASSERT_EQ(mxt_basic(r).rights, MX_RIGHT_READ);
	ASSERT_STATUS(mx_handle_duplicate(r, MX_RIGHT_SAME_RIGHTS, &out),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_handle_duplicate(r, MX_RIGHT_READ, &out),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_handle_duplicate(r, 0, &out), MX_ERR_ACCESS_DENIED);
	ASSERT_EQ(out, 0);

	/* A subset that keeps DUPLICATE can be duplicated again. */
	rd = mxt_dup(ev, MX_RIGHT_DUPLICATE | MX_RIGHT_READ);
	ASSERT_EQ(mxt_basic(rd).rights, MX_RIGHT_DUPLICATE | MX_RIGHT_READ);
	out = mxt_dup(rd, MX_RIGHT_SAME_RIGHTS);
	ASSERT_EQ(mxt_basic(out).rights, MX_RIGHT_DUPLICATE | MX_RIGHT_READ);
	ASSERT_OK(mx_handle_close(out));
	out = mxt_dup(rd, MX_RIGHT_READ);
	ASSERT_EQ(mxt_basic(out).rights, MX_RIGHT_READ);
	ASSERT_OK(mx_handle_close(out));

	/* No rights at all is a valid subset. */
	out = mxt_dup(ev, MX_RIGHT_NONE);
	ASSERT_EQ(mxt_basic(out).rights, 0);
	ASSERT_OK(mx_handle_close(out));

	/* Every single right of the source. */
	for (mx_rights_t bit = 1; bit <= MX_RIGHT_WRITE; bit <<= 1) {
		out = mxt_dup(ev, bit);
		ASSERT_EQ(mxt_basic(out).rights, bit);
		ASSERT_OK(mx_handle_close(out));
	}
}

TEST(dup_more_rights_is_invalid_args)
{
	mx_handle_t ev = mxt_event(), out = 0, rd;
	static const mx_rights_t more[] = {
		MX_RIGHT_EXECUTE,
		MX_RIGHT_READ | MX_RIGHT_MAP,
		MX_RIGHT_GET_PROPERTY,
		MX_RIGHT_SET_PROPERTY,
		MX_DEFAULT_EVENT_RIGHTS | MX_RIGHT_DESTROY,
		MX_RIGHT_SAME_RIGHTS | MX_RIGHT_READ,	/* not exactly SAME */
		0x40000000u,
		0xffffffffu,
	};
	size_t i;

	for (i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
		ASSERT_STATUS(mx_handle_duplicate(ev, more[i], &out),
			      MX_ERR_INVALID_ARGS);
		ASSERT_EQ(out, 0);
	}
	/* Nothing was made: the source is still the only handle. */
	ASSERT_EQ(mxt_basic(ev).rights, MX_DEFAULT_EVENT_RIGHTS);
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);

	rd = mxt_dup(ev, MX_RIGHT_DUPLICATE | MX_RIGHT_READ);
	ASSERT_STATUS(mx_handle_duplicate(rd, MX_RIGHT_READ | MX_RIGHT_WRITE,
					  &out), MX_ERR_INVALID_ARGS);
	ASSERT_EQ(mxt_basic(rd).rights, MX_RIGHT_DUPLICATE | MX_RIGHT_READ);
	ASSERT_OK(mx_handle_close(rd));
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
}

TEST(dup_check_order)
{
	mx_handle_t ev = mxt_event();
	mx_handle_t r = mxt_dup(ev, MX_RIGHT_READ);

	/* bad handle, then DUPLICATE right, then rights, then out. */
	ASSERT_STATUS(mx_handle_duplicate(MX_HANDLE_INVALID, 0xffffffffu,
					  NULL), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_handle_duplicate(r, 0xffffffffu, NULL),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_handle_duplicate(ev, MX_RIGHT_EXECUTE,
					  (mx_handle_t *)1),
		      MX_ERR_INVALID_ARGS);
	assert_valid(ev);
	assert_valid(r);
}

TEST(dup_bad_out_pointer_makes_nothing)
{
	mx_handle_t ev = mxt_event(), out = 0;
	mx_handle_t *ro = read_only_page();

	ASSERT_STATUS(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS,
					  (mx_handle_t *)1),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, NULL),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_handle_duplicate(ev, MX_RIGHT_READ, ro),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(*ro, 0);
	/* No handle leaked: the source is still alone. */
	assert_valid(ev);
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &out));
	ASSERT_EQ(mxt_signals(ev), 0);
	ASSERT_OK(mx_handle_close(out));
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_close(ev));
}

TEST(replace_same_rights)
{
	mx_handle_t ev = mxt_event(), n = 0;
	mx_koid_t koid = mxt_basic(ev).koid;

	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_2));
	ASSERT_OK(mx_handle_replace(ev, MX_RIGHT_SAME_RIGHTS, &n));
	ASSERT_TRUE(n > 0);
	ASSERT_EQ(n & 1, 1);
	ASSERT_NE(n, ev);
	assert_dead(ev);
	ASSERT_STATUS(mx_handle_close(ev), MX_ERR_BAD_HANDLE);
	ASSERT_EQ(mxt_basic(n).koid, koid);
	ASSERT_EQ(mxt_basic(n).rights, MX_DEFAULT_EVENT_RIGHTS);
	/* Same object, same state; still the only handle. */
	ASSERT_EQ(mxt_signals(n), MX_USER_SIGNAL_2 | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_close(n));
}

TEST(replace_needs_no_rights)
{
	mx_handle_t ev = mxt_event(), r, z, n = 0;

	/* handle-info: replace with SAME_RIGHTS works without DUPLICATE. */
	r = mxt_dup(ev, MX_RIGHT_READ);
	ASSERT_OK(mx_handle_replace(r, MX_RIGHT_SAME_RIGHTS, &n));
	ASSERT_EQ(mxt_basic(n).rights, MX_RIGHT_READ);
	ASSERT_STATUS(mx_handle_close(r), MX_ERR_BAD_HANDLE);
	ASSERT_OK(mx_handle_close(n));

	z = mxt_dup(ev, MX_RIGHT_NONE);
	ASSERT_OK(mx_handle_replace(z, MX_RIGHT_NONE, &n));
	ASSERT_EQ(mxt_basic(n).rights, 0);
	assert_dead(z);
	ASSERT_OK(mx_handle_close(n));
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
}

TEST(replace_reduces_rights)
{
	mx_handle_t ev = mxt_event(), n = 0, m = 0;

	ASSERT_OK(mx_handle_replace(ev, MX_RIGHT_READ | MX_RIGHT_WRITE, &n));
	ASSERT_EQ(mxt_basic(n).rights, MX_RIGHT_READ | MX_RIGHT_WRITE);
	ASSERT_OK(mx_handle_replace(n, MX_RIGHT_WRITE, &m));
	ASSERT_EQ(mxt_basic(m).rights, MX_RIGHT_WRITE);
	assert_dead(ev);
	assert_dead(n);
	ASSERT_OK(mx_handle_close(m));
}

TEST(replace_more_rights_keeps_source)
{
	mx_handle_t ev = mxt_event(), r, n = 0;

	ASSERT_STATUS(mx_handle_replace(ev, MX_RIGHT_EXECUTE, &n),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_handle_replace(ev, 0xffffffffu, &n),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(n, 0);
	ASSERT_EQ(mxt_basic(ev).rights, MX_DEFAULT_EVENT_RIGHTS);
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);

	r = mxt_dup(ev, MX_RIGHT_READ);
	ASSERT_STATUS(mx_handle_replace(r, MX_RIGHT_READ | MX_RIGHT_WRITE, &n),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(n, 0);
	ASSERT_EQ(mxt_basic(r).rights, MX_RIGHT_READ);
	ASSERT_OK(mx_handle_close(r));
	ASSERT_OK(mx_handle_close(ev));
}

TEST(replace_check_order)
{
	mx_handle_t ev = mxt_event();

	ASSERT_STATUS(mx_handle_replace(MX_HANDLE_INVALID, 0xffffffffu, NULL),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_handle_replace(ev ^ 1, MX_RIGHT_SAME_RIGHTS, NULL),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_handle_replace(ev, MX_RIGHT_EXECUTE,
					(mx_handle_t *)1),
		      MX_ERR_INVALID_ARGS);
	assert_valid(ev);
}

TEST(replace_bad_out_pointer_keeps_source)
{
	mx_handle_t ev = mxt_event(), n = 0;
	mx_handle_t *ro = read_only_page();

	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_1));
	ASSERT_STATUS(mx_handle_replace(ev, MX_RIGHT_SAME_RIGHTS,
					(mx_handle_t *)1),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_handle_replace(ev, MX_RIGHT_SAME_RIGHTS, NULL),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_handle_replace(ev, MX_RIGHT_READ, ro),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(*ro, 0);
	/* Untouched: same rights, still the only handle, state kept. */
	ASSERT_EQ(mxt_basic(ev).rights, MX_DEFAULT_EVENT_RIGHTS);
	ASSERT_EQ(mxt_signals(ev), MX_USER_SIGNAL_1 | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_replace(ev, MX_RIGHT_SAME_RIGHTS, &n));
	ASSERT_OK(mx_handle_close(n));
}

struct lh_waiter {
	mx_handle_t h;
	mx_time_t deadline;
	mx_status_t status;
	mx_signals_t observed;
	pid_t tid;
	int done;
};

static void *wait_last_handle(void *arg)
{
	struct lh_waiter *w = arg;

	__atomic_store_n(&w->tid, gettid(), __ATOMIC_RELEASE);
	w->status = mx_object_wait_one(w->h, MX_SIGNAL_LAST_HANDLE,
				       w->deadline, &w->observed);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

TEST(replace_does_not_flicker_last_handle)
{
	mx_handle_t ev = mxt_event(), d, n;
	struct lh_waiter w = { 0 };
	pthread_t th;
	int replaces = 0;

	/* One handle: LAST_HANDLE before and after. */
	ASSERT_OK(mx_handle_replace(ev, MX_RIGHT_SAME_RIGHTS, &n));
	ev = n;
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);

	/*
	 * Two handles: a replace done as close + dup (or dup + close)
	 * would make the count pass through 1 (or 3); a waiter for
	 * LAST_HANDLE on the other handle must never see it.
	 */
	d = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	w.h = d;
	w.deadline = mxt_now() + MX_MSEC(300);
	ASSERT_EQ(pthread_create(&th, NULL, wait_last_handle, &w), 0);
	while (!__atomic_load_n(&w.tid, __ATOMIC_ACQUIRE))
		usleep(100);
	mxt_wait_blocked(w.tid, &w.done);
	while (!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE)) {
		ASSERT_OK(mx_handle_replace(ev, MX_RIGHT_SAME_RIGHTS, &n));
		ev = n;
		replaces++;
	}
	ASSERT_EQ(pthread_join(th, NULL), 0);
	ASSERT_STATUS(w.status, MX_ERR_TIMED_OUT);
	ASSERT_EQ(w.observed & MX_SIGNAL_LAST_HANDLE, 0);
	ASSERT_TRUE(replaces > 0);
	ASSERT_EQ(mxt_signals(d), 0);
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_EQ(mxt_signals(d), MX_SIGNAL_LAST_HANDLE);
}

/*
 * handle-alias: the values of dup+close cycles do not repeat within 2048
 * cycles (Magenta's test requires a window of at least 2048).
 */
TEST(alias_no_repeat_within_2048_cycles)
{
	enum { CYCLES = 4096, WINDOW = 2048, BUCKETS = 16384 };
	static struct { mx_handle_t v; int at; } seen[BUCKETS];
	mx_handle_t ev = mxt_event(), d;
	int i;

	for (i = 0; i < CYCLES; i++) {
		unsigned int b;

		ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &d));
		ASSERT_TRUE(d > 0);
		ASSERT_EQ(d & 1, 1);
		for (b = (unsigned int)d * 2654435761u % BUCKETS;
		     seen[b].v && seen[b].v != d; b = (b + 1) % BUCKETS)
			;
		if (seen[b].v == d && i - seen[b].at < WINDOW)
			FAIL("value %d came back after %d cycles", d,
			     i - seen[b].at);
		seen[b].v = d;
		seen[b].at = i;
		ASSERT_OK(mx_handle_close(d));
		ASSERT_STATUS(mx_handle_close(d), MX_ERR_BAD_HANDLE);
	}
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
}

/* Closed values stay dead while other handles come and go. */
TEST(alias_closed_value_stays_dead)
{
	mx_handle_t old = mxt_event(), tmp[64];
	int round, i;

	ASSERT_OK(mx_handle_close(old));
	for (round = 0; round < 32; round++) {
		for (i = 0; i < 64; i++) {
			tmp[i] = mxt_event();
			ASSERT_NE(tmp[i], old);
		}
		assert_dead(old);
		for (i = 0; i < 64; i++)
			ASSERT_OK(mx_handle_close(tmp[i]));
	}
}

struct fork_values {
	mx_handle_t ev, d, self, job;
	mx_koid_t self_koid, job_koid;
};

static void child_sees_fresh_table(void *arg)
{
	struct fork_values *v = arg;
	mx_handle_t self = mx_process_self(), job = mx_job_default(), ev;

	/* The parent's values name nothing here... */
	assert_dead(v->ev);
	assert_dead(v->d);
	ASSERT_STATUS(mx_object_signal(v->ev, 0, MX_USER_SIGNAL_0),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_handle_close(v->ev), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_handle_close(v->d), MX_ERR_BAD_HANDLE);
	/* ...except by chance its own self and job handles. */
	if (v->self != self && v->self != job)
		assert_dead(v->self);
	if (v->job != self && v->job != job)
		assert_dead(v->job);

	/* It has its own self and job handles. */
	ASSERT_TRUE(self > 0 && job > 0);
	ASSERT_NE(self, job);
	ASSERT_EQ(mxt_basic(self).type, MX_OBJ_TYPE_PROCESS);
	ASSERT_NE(mxt_basic(self).koid, v->self_koid);
	ASSERT_EQ(mxt_basic(job).type, MX_OBJ_TYPE_JOB);
	ASSERT_EQ(mxt_basic(job).koid, v->job_koid);

	/* And a working table of its own. */
	ev = mxt_event();
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_EQ(mxt_signals(ev), MX_EVENT_SIGNALED | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_close(ev));
}

TEST(fork_child_starts_with_fresh_table)
{
	struct fork_values v;

	v.ev = mxt_event();
	v.d = mxt_dup(v.ev, MX_RIGHT_SAME_RIGHTS);
	v.self = mx_process_self();
	v.job = mx_job_default();
	v.self_koid = mxt_basic(v.self).koid;
	v.job_koid = mxt_basic(v.job).koid;
	ASSERT_OK(mx_object_signal(v.ev, 0, MX_USER_SIGNAL_3));

	mxt_in_child(child_sees_fresh_table, &v);

	/* The child's attempts changed nothing here. */
	ASSERT_EQ(mxt_signals(v.ev), MX_USER_SIGNAL_3);
	ASSERT_OK(mx_handle_close(v.d));
	ASSERT_EQ(mxt_signals(v.ev), MX_USER_SIGNAL_3 | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_close(v.ev));
	ASSERT_EQ(mx_process_self(), v.self);
	ASSERT_EQ(mx_job_default(), v.job);
}

/*
 * The table belongs to the thread group, so it survives execve() (libmx
 * opens /dev/mx again in the new image). The new image is this program
 * again: the environment tells it what to check, and it exits with the
 * result before the harness's main() runs.
 */
#define EXEC_ENV "MXTEST_HANDLE_EXEC_CHECK"

__attribute__((constructor)) static void exec_check(void)
{
	const char *arg = getenv(EXEC_ENV);
	unsigned long long koid;
	int ev, self;

	if (!arg)
		return;
	mxt_current = "exec_keeps_the_table (after exec)";
	if (sscanf(arg, "%d:%d:%llu", &ev, &self, &koid) != 3)
		FAIL("bad %s=%s", EXEC_ENV, arg);
	assert_valid(ev);
	ASSERT_EQ(mxt_signals(ev), MX_USER_SIGNAL_2 | MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mx_process_self(), self);
	ASSERT_EQ(mxt_basic(self).koid, koid);
	ASSERT_OK(mx_handle_close(ev));
	fflush(NULL);
	_exit(0);
}

static void exec_with_a_handle(void *arg)
{
	char env[128];
	mx_handle_t ev = mxt_event();
	char *argv[] = { "handle", NULL };

	(void)arg;
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_2));
	snprintf(env, sizeof(env), "%d:%d:%llu", ev, mx_process_self(),
		 (unsigned long long)mxt_basic(mx_process_self()).koid);
	ASSERT_EQ(setenv(EXEC_ENV, env, 1), 0);
	fflush(NULL);
	execv("/proc/self/exe", argv);
	FAIL("execv: %s", strerror(errno));
}

TEST(exec_keeps_the_table)
{
	mxt_in_child(exec_with_a_handle, NULL);
}

/*
 * The per-process handle limit (module parameter max_handles, read when a
 * process attaches): going past it is MX_ERR_NO_RESOURCES, all or nothing,
 * and the table is usable again once a handle is closed. The case lowers
 * the limit for a fork() child and restores it at once.
 */
#define MAX_HANDLES_PARAM "/sys/module/mx/parameters/max_handles"
#define LIMIT 64

static char saved_limit[32];

/* Attach with the lowered limit, then put it back for others. */
static void attach_and_restore_limit(void)
{
	assert_valid(mx_process_self());
	if (mxt_write_file(MAX_HANDLES_PARAM, saved_limit))
		FAIL("cannot restore %s", MAX_HANDLES_PARAM);
}

/* Fill the table with dups of @ev; returns how many were made. */
static int fill(mx_handle_t ev, mx_handle_t *h)
{
	mx_handle_t out = 0;
	int n = 0;

	for (;;) {
		mx_status_t s = mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS,
						    &out);

		if (s == MX_ERR_NO_RESOURCES)
			return n;
		ASSERT_OK(s);
		ASSERT_TRUE(n < LIMIT);
		h[n++] = out;
	}
}

static void fill_to_the_limit(void *arg)
{
	static mx_handle_t h[LIMIT];
	mx_handle_t ev, out = 0, a = 0, b = 0;
	int n, i;

	(void)arg;
	attach_and_restore_limit();
	ev = mxt_event();	/* self, job, ev: 3 in use */
	n = fill(ev, h);
	ASSERT_EQ(n, LIMIT - 3);
	ASSERT_STATUS(mx_event_create(0, &out), MX_ERR_NO_RESOURCES);
	ASSERT_STATUS(mx_eventpair_create(0, &a, &b), MX_ERR_NO_RESOURCES);
	ASSERT_STATUS(mx_handle_duplicate(mx_process_self(), MX_RIGHT_READ,
					  &out), MX_ERR_NO_RESOURCES);
	/* Nothing half-made: the source is fine and one close frees one. */
	assert_valid(ev);
	ASSERT_OK(mx_handle_close(h[--n]));
	ASSERT_STATUS(mx_eventpair_create(0, &a, &b), MX_ERR_NO_RESOURCES);
	ASSERT_OK(mx_event_create(0, &out));
	ASSERT_OK(mx_handle_close(out));
	for (i = 0; i < n; i++)
		ASSERT_OK(mx_handle_close(h[i]));
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_eventpair_create(0, &a, &b));
}

static void replace_on_full_table(void *arg)
{
	static mx_handle_t h[LIMIT];
	mx_handle_t ev, out = 0;
	int n;

	(void)arg;
	attach_and_restore_limit();
	ev = mxt_event();
	n = fill(ev, h);
	ASSERT_EQ(n, LIMIT - 3);
	/* A replace leaves the process holding as many handles as before. */
	ASSERT_OK(mx_handle_replace(h[n - 1], MX_RIGHT_READ, &out));
	assert_dead(h[n - 1]);
	ASSERT_EQ(mxt_basic(out).rights, MX_RIGHT_READ);
	ASSERT_OK(mx_handle_replace(ev, MX_RIGHT_SAME_RIGHTS, &out));
	assert_dead(ev);
}

static void with_limit(void (*fn)(void *))
{
	char val[16];
	FILE *f = fopen(MAX_HANDLES_PARAM, "r");
	int status;
	pid_t pid;

	if (!f || !fgets(saved_limit, sizeof(saved_limit), f))
		SKIP("no %s", MAX_HANDLES_PARAM);
	fclose(f);
	snprintf(val, sizeof(val), "%d", LIMIT);
	if (mxt_write_file(MAX_HANDLES_PARAM, val))
		SKIP("cannot write %s (not root?)", MAX_HANDLES_PARAM);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		fn(NULL);
		fflush(NULL);
		_exit(0);
	}
	ASSERT_TRUE(pid > 0);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	mxt_write_file(MAX_HANDLES_PARAM, saved_limit);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 0);
}

TEST(table_limit_is_no_resources)
{
	with_limit(fill_to_the_limit);
}

TEST(replace_works_on_a_full_table)
{
	with_limit(replace_on_full_table);
}
