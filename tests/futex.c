// SPDX-License-Identifier: MIT
/*
 * Futexes: mx_futex_wait, mx_futex_wake, mx_futex_requeue (reference
 * §5.4 and Magenta's core/futex suite: value mismatch, timeouts, bad
 * address, wakeup, wakeup limit and address, unqueued on timeout 1-3,
 * requeue value mismatch, same address, requeue, requeue unqueued on
 * timeout, thread killed, misaligned, event signaling), plus what Linux
 * adds: signal handlers during a wait, and the per-process scope.
 */
#include "mxtest.h"

#include <limits.h>
#include <pthread.h>
#include <sys/syscall.h>

#define SYS_FUTEX_NR	202	/* x86-64 */

static pid_t gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/*
 * Until thread @tid (of this process, or a process if @proc) sleeps in
 * futex(2), or *@done (if given) is set.
 */
static void wait_in_futex(pid_t tid, const int *done)
{
	char path[64], buf[256];
	mx_time_t give_up = mxt_now() + MX_SEC(60);
	long nr;

	for (;;) {
		if (done && __atomic_load_n(done, __ATOMIC_ACQUIRE))
			return;
		snprintf(path, sizeof(path), "/proc/%d/syscall", (int)tid);
		nr = -1;
		if (mxt_read_file(path, buf, sizeof(buf)) == 0 &&
		    sscanf(buf, "%ld", &nr) == 1 && nr == SYS_FUTEX_NR) {
			snprintf(path, sizeof(path), "/proc/%d/stat",
				 (int)tid);
			if (mxt_read_file(path, buf, sizeof(buf)) == 0) {
				char *p = strrchr(buf, ')');

				if (p && p[1] == ' ' && p[2] == 'S')
					return;
			}
		}
		if (mxt_now() > give_up)
			FAIL("thread %d never waited on a futex", (int)tid);
		usleep(500);
	}
}

struct waiter {
	pthread_t th;
	mx_futex_t *futex;
	int value;
	mx_time_t deadline;
	pid_t tid;
	int done;
	mx_status_t ret;
};

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;

	__atomic_store_n(&w->tid, gettid_(), __ATOMIC_RELEASE);
	w->ret = mx_futex_wait(w->futex, w->value, w->deadline);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Start a waiter on @f (value *f) and return once it waits. */
static void start_waiter(struct waiter *w, mx_futex_t *f, mx_time_t deadline)
{
	memset(w, 0, sizeof(*w));
	w->futex = f;
	w->value = *f;
	w->deadline = deadline;
	w->ret = 12345;
	ASSERT_EQ(pthread_create(&w->th, NULL, waiter_main, w), 0);
	while (!__atomic_load_n(&w->tid, __ATOMIC_ACQUIRE))
		usleep(100);
	wait_in_futex(w->tid, &w->done);
	ASSERT_EQ(__atomic_load_n(&w->done, __ATOMIC_ACQUIRE), 0);
}

static void join_waiter(struct waiter *w, mx_status_t want)
{
	ASSERT_EQ(pthread_join(w->th, NULL), 0);
	ASSERT_EQ(w->done, 1);
	ASSERT_STATUS(w->ret, want);
}

static int count_done(struct waiter *ws, int n)
{
	int i, c = 0;

	for (i = 0; i < n; i++)
		c += __atomic_load_n(&ws[i].done, __ATOMIC_ACQUIRE);
	return c;
}

/* Until @want of @ws are done (failing after 30 s), then 50 ms more. */
static void until_done(struct waiter *ws, int n, int want)
{
	mx_time_t give_up = mxt_now() + MX_SEC(30);

	while (count_done(ws, n) < want) {
		if (mxt_now() > give_up)
			FAIL("%d of %d waiters woke, not %d",
			     count_done(ws, n), n, want);
		usleep(500);
	}
	usleep(50 * 1000);
	ASSERT_EQ(count_done(ws, n), want);
}

/* test_futex_wait_value_mismatch */
TEST(wait_value_mismatch)
{
	mx_futex_t f = 123;

	ASSERT_STATUS(mx_futex_wait(&f, 124, MX_TIME_INFINITE),
		      MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_futex_wait(&f, -123, 0), MX_ERR_BAD_STATE);
	/* The value is checked before the deadline is looked at. */
	ASSERT_STATUS(mx_futex_wait(&f, 0, mxt_now() - MX_SEC(1)),
		      MX_ERR_BAD_STATE);
	ASSERT_EQ(f, 123);
}

/* test_futex_wait_timeout */
TEST(wait_timeout)
{
	mx_futex_t f = 0;
	mx_time_t start = mxt_now(), deadline = start + MX_MSEC(20);

	ASSERT_STATUS(mx_futex_wait(&f, 0, deadline), MX_ERR_TIMED_OUT);
	ASSERT_TRUE(mxt_now() >= deadline);
}

/* test_futex_wait_timeout_elapsed: past deadlines time out at once */
TEST(wait_timeout_elapsed)
{
	mx_futex_t f = 0;
	mx_time_t now = mxt_now();

	ASSERT_STATUS(mx_futex_wait(&f, 0, 0), MX_ERR_TIMED_OUT);
	ASSERT_STATUS(mx_futex_wait(&f, 0, 1), MX_ERR_TIMED_OUT);
	ASSERT_STATUS(mx_futex_wait(&f, 0, now - MX_MSEC(1)),
		      MX_ERR_TIMED_OUT);
	ASSERT_STATUS(mx_futex_wait(&f, 0, now), MX_ERR_TIMED_OUT);
	ASSERT_TRUE(mxt_now() - now < MX_SEC(10));
}

/* test_futex_wait_bad_address */
TEST(wait_bad_address)
{
	char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(page != MAP_FAILED);
	ASSERT_STATUS(mx_futex_wait(NULL, 0, MX_TIME_INFINITE),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_futex_wait((mx_futex_t *)4, 0, 0),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(munmap(page, 4096), 0);
	ASSERT_STATUS(mx_futex_wait((mx_futex_t *)page, 0, MX_TIME_INFINITE),
		      MX_ERR_INVALID_ARGS);
	/* A kernel address. */
	ASSERT_STATUS(mx_futex_wait((mx_futex_t *)0xffff888000000000ul, 0,
				    MX_TIME_INFINITE), MX_ERR_INVALID_ARGS);
}

/* test_futex_wakeup */
TEST(wakeup)
{
	mx_futex_t f = 7;
	struct waiter w;

	start_waiter(&w, &f, MX_TIME_INFINITE);
	ASSERT_OK(mx_futex_wake(&f, 1));
	join_waiter(&w, MX_OK);
	/* Woken, not because the value changed. */
	ASSERT_EQ(f, 7);
	/* A wake with nobody waiting. */
	ASSERT_OK(mx_futex_wake(&f, 1));
	ASSERT_OK(mx_futex_wake(&f, UINT32_MAX));
}

/* test_futex_wakeup_limit: wake 2 of 4, then the rest */
TEST(wakeup_limit)
{
	mx_futex_t f = 1;
	struct waiter ws[4];
	int i;

	for (i = 0; i < 4; i++)
		start_waiter(&ws[i], &f, MX_TIME_INFINITE);
	ASSERT_OK(mx_futex_wake(&f, 2));
	until_done(ws, 4, 2);
	/* FIFO: the first two to wait are the two woken. */
	ASSERT_EQ(ws[0].done + ws[1].done, 2);
	ASSERT_OK(mx_futex_wake(&f, UINT32_MAX));
	until_done(ws, 4, 4);
	for (i = 0; i < 4; i++)
		join_waiter(&ws[i], MX_OK);
}

/* Counts above INT_MAX wake everyone. */
TEST(wakeup_huge_counts)
{
	mx_futex_t f = 1;
	struct waiter ws[3];
	int i;

	for (i = 0; i < 3; i++)
		start_waiter(&ws[i], &f, MX_TIME_INFINITE);
	ASSERT_OK(mx_futex_wake(&f, 0x80000001u));
	for (i = 0; i < 3; i++)
		join_waiter(&ws[i], MX_OK);
}

/* test_futex_wakeup_address: a wake elsewhere wakes nobody */
TEST(wakeup_address)
{
	mx_futex_t f[2] = { 5, 5 };
	struct waiter w;

	start_waiter(&w, &f[0], MX_TIME_INFINITE);
	ASSERT_OK(mx_futex_wake(&f[1], UINT32_MAX));
	usleep(100 * 1000);
	ASSERT_EQ(__atomic_load_n(&w.done, __ATOMIC_ACQUIRE), 0);
	ASSERT_OK(mx_futex_wake(&f[0], UINT32_MAX));
	join_waiter(&w, MX_OK);
}

/* test_futex_unqueued_on_timeout: a timed-out wait leaves no trace */
TEST(unqueued_on_timeout)
{
	mx_futex_t f = 0;
	struct waiter w;

	ASSERT_STATUS(mx_futex_wait(&f, 0, mxt_now() + MX_MSEC(10)),
		      MX_ERR_TIMED_OUT);
	start_waiter(&w, &f, MX_TIME_INFINITE);
	ASSERT_OK(mx_futex_wake(&f, 1));
	join_waiter(&w, MX_OK);
}

/* _2: a waiter that timed out is not counted by a later wake */
TEST(unqueued_on_timeout_2)
{
	mx_futex_t f = 0;
	struct waiter a, b;

	start_waiter(&a, &f, MX_TIME_INFINITE);
	start_waiter(&b, &f, mxt_now() + MX_MSEC(50));
	join_waiter(&b, MX_ERR_TIMED_OUT);
	ASSERT_OK(mx_futex_wake(&f, 1));
	join_waiter(&a, MX_OK);
}

/* _3: the same with the timed-out waiter ahead in the queue */
TEST(unqueued_on_timeout_3)
{
	mx_futex_t f = 0;
	struct waiter a, b;

	start_waiter(&b, &f, mxt_now() + MX_MSEC(300));
	start_waiter(&a, &f, MX_TIME_INFINITE);
	join_waiter(&b, MX_ERR_TIMED_OUT);
	ASSERT_OK(mx_futex_wake(&f, 1));
	join_waiter(&a, MX_OK);
}

/* test_futex_requeue_value_mismatch */
TEST(requeue_value_mismatch)
{
	mx_futex_t f1 = 100, f2 = 200;

	ASSERT_STATUS(mx_futex_requeue(&f1, 1, 101, &f2, 1),
		      MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_futex_requeue(&f1, 0, 200, &f2, 0),
		      MX_ERR_BAD_STATE);
}

/* test_futex_requeue_same_addr: checked after the value */
TEST(requeue_same_addr)
{
	mx_futex_t f = 100;

	ASSERT_STATUS(mx_futex_requeue(&f, 1, 100, &f, 1),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_futex_requeue(&f, 0, 100, &f, 0),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_futex_requeue(&f, 1, 99, &f, 1), MX_ERR_BAD_STATE);
}

TEST(requeue_bad_pointers)
{
	mx_futex_t f = 3, g = 4;
	char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(page != MAP_FAILED);
	ASSERT_EQ(munmap(page, 4096), 0);
	/* A NULL requeue_ptr with a count: first, before the value. */
	ASSERT_STATUS(mx_futex_requeue(&f, 1, 99, NULL, 1),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_futex_requeue(NULL, 1, 0, NULL, 1),
		      MX_ERR_INVALID_ARGS);
	/* Without a count it is fine: a plain wake after the check. */
	ASSERT_OK(mx_futex_requeue(&f, 1, 3, NULL, 0));
	ASSERT_STATUS(mx_futex_requeue(&f, 1, 2, NULL, 0), MX_ERR_BAD_STATE);
	/* An unreadable wake_ptr. */
	ASSERT_STATUS(mx_futex_requeue(NULL, 1, 0, &g, 1),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_futex_requeue((mx_futex_t *)page, 1, 0, &g, 1),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_futex_requeue((mx_futex_t *)(page + 1), 1, 0, &g,
				       1), MX_ERR_INVALID_ARGS);
	/* requeue_ptr is never read. */
	ASSERT_OK(mx_futex_requeue(&f, 1, 3, (mx_futex_t *)page, 1));
	ASSERT_EQ(f, 3);
}

/* test_futex_requeue: wake 3, move 2 of the other 3 */
TEST(requeue)
{
	mx_futex_t f1 = 1, f2 = 2;
	struct waiter ws[6];
	int i;

	for (i = 0; i < 6; i++)
		start_waiter(&ws[i], &f1, MX_TIME_INFINITE);
	ASSERT_OK(mx_futex_requeue(&f1, 3, 1, &f2, 2));
	until_done(ws, 6, 3);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(ws[i].done, 1);
	/* The next two moved to f2 in their order; the last is on f1. */
	ASSERT_OK(mx_futex_wake(&f1, UINT32_MAX));
	until_done(ws, 6, 4);
	ASSERT_EQ(ws[5].done, 1);
	ASSERT_OK(mx_futex_wake(&f2, 1));
	until_done(ws, 6, 5);
	ASSERT_EQ(ws[3].done, 1);
	ASSERT_OK(mx_futex_wake(&f2, UINT32_MAX));
	until_done(ws, 6, 6);
	for (i = 0; i < 6; i++)
		join_waiter(&ws[i], MX_OK);
}

/* test_futex_requeue_unqueued_on_timeout */
TEST(requeue_unqueued_on_timeout)
{
	mx_futex_t f1 = 1, f2 = 2;
	struct waiter a, b;

	start_waiter(&a, &f1, mxt_now() + MX_MSEC(300));
	ASSERT_OK(mx_futex_requeue(&f1, 0, 1, &f2, UINT32_MAX));
	/* Moved, not woken: it times out on f2. */
	join_waiter(&a, MX_ERR_TIMED_OUT);
	start_waiter(&b, &f2, MX_TIME_INFINITE);
	ASSERT_OK(mx_futex_wake(&f2, 1));
	join_waiter(&b, MX_OK);
}

static mx_futex_t killed_futex;
static int killed_returned;
static pid_t killed_tid;

static void killed_entry(uintptr_t arg1, uintptr_t arg2)
{
	(void)arg1;
	(void)arg2;
	__atomic_store_n(&killed_tid, gettid_(), __ATOMIC_RELEASE);
	mx_futex_wait(&killed_futex, 0, MX_TIME_INFINITE);
	__atomic_store_n(&killed_returned, 1, __ATOMIC_RELEASE);
}

/* Start an mx thread waiting on killed_futex; return once it waits. */
static mx_handle_t killed_start(void)
{
	mx_handle_t t = 0;

	ASSERT_OK(mx_thread_create(mx_process_self(), "waiter", 6, 0, &t));
	ASSERT_OK(mx_thread_start(t, (uintptr_t)killed_entry, mxt_stack(NULL),
				  0, 0));
	while (!__atomic_load_n(&killed_tid, __ATOMIC_ACQUIRE))
		usleep(100);
	wait_in_futex(killed_tid, &killed_returned);
	ASSERT_EQ(__atomic_load_n(&killed_returned, __ATOMIC_ACQUIRE), 0);
	return t;
}

/* test_futex_thread_killed: a killed waiter is gone from the queue */
TEST(thread_killed)
{
	struct waiter w;
	mx_handle_t t;

	killed_futex = 0;
	t = killed_start();
	ASSERT_OK(mx_task_kill(t));
	mxt_wait_signal(t, MX_TASK_TERMINATED);
	ASSERT_EQ(__atomic_load_n(&killed_returned, __ATOMIC_ACQUIRE), 0);
	/* The next wake goes to a live waiter. */
	start_waiter(&w, &killed_futex, MX_TIME_INFINITE);
	ASSERT_OK(mx_futex_wake(&killed_futex, 1));
	join_waiter(&w, MX_OK);
	ASSERT_EQ(__atomic_load_n(&killed_returned, __ATOMIC_ACQUIRE), 0);
}

/* test_futex_misaligned */
TEST(misaligned)
{
	int words[2] = { 0, 0 };
	mx_futex_t *odd = (mx_futex_t *)((char *)words + 1);
	mx_futex_t *two = (mx_futex_t *)((char *)words + 2);
	mx_futex_t f = 0;

	ASSERT_STATUS(mx_futex_wait(odd, 0, MX_TIME_INFINITE),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_futex_wait(two, 0, 0), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_futex_wait((mx_futex_t *)3, 0, 0),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_futex_wake(odd, 1), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_futex_wake(two, UINT32_MAX), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_futex_requeue(odd, 1, 0, &f, 1),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_futex_requeue(&f, 1, 0, odd, 1),
		      MX_ERR_INVALID_ARGS);
	/* The value is checked first, misaligned or not. */
	memcpy((char *)words + 1, &(int){ 0x01020304 }, sizeof(int));
	ASSERT_STATUS(mx_futex_requeue(odd, 1, 0, &f, 1), MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_futex_requeue(odd, 1, 0x01020304, &f, 1),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_futex_requeue(&f, 1, 1, odd, 1), MX_ERR_BAD_STATE);
}

/* A count of 0 succeeds before anything is checked. */
TEST(wake_count_zero)
{
	ASSERT_OK(mx_futex_wake((mx_futex_t *)1, 0));
	ASSERT_OK(mx_futex_wake(NULL, 0));
	ASSERT_OK(mx_futex_wake((mx_futex_t *)0xffff888000000001ul, 0));
	/* Never read: NULL and unmapped user memory are fine. */
	ASSERT_OK(mx_futex_wake(NULL, 1));
	ASSERT_OK(mx_futex_wake((mx_futex_t *)4096, UINT32_MAX));
}

/* test_event_signaling: a futex-based event between threads */
struct fevent {
	mx_futex_t state;
};

static void fevent_wait(struct fevent *e)
{
	while (!__atomic_load_n(&e->state, __ATOMIC_ACQUIRE)) {
		mx_status_t s = mx_futex_wait(&e->state, 0, MX_TIME_INFINITE);

		if (s != MX_OK && s != MX_ERR_BAD_STATE)
			FAIL("futex wait: %d", s);
	}
}

static void fevent_signal(struct fevent *e)
{
	__atomic_store_n(&e->state, 1, __ATOMIC_RELEASE);
	ASSERT_OK(mx_futex_wake(&e->state, UINT32_MAX));
}

static struct fevent ping[200], pong[200];

static void *ponger(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < 200; i++) {
		fevent_wait(&ping[i]);
		fevent_signal(&pong[i]);
	}
	return NULL;
}

TEST(event_signaling)
{
	pthread_t th;
	int i;

	ASSERT_EQ(pthread_create(&th, NULL, ponger, NULL), 0);
	for (i = 0; i < 200; i++) {
		fevent_signal(&ping[i]);
		fevent_wait(&pong[i]);
	}
	ASSERT_EQ(pthread_join(th, NULL), 0);
}

/* A signal handler run during a wait does not end it. */
static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

TEST(signal_handler_does_not_end_the_wait)
{
	mx_futex_t f = 0;
	struct waiter w;
	int i;

	mxt_on_signal(SIGUSR1, on_usr1);
	start_waiter(&w, &f, MX_TIME_INFINITE);
	for (i = 0; i < 3; i++) {
		sig_atomic_t before = handled;

		ASSERT_EQ(pthread_kill(w.th, SIGUSR1), 0);
		while (handled == before)
			usleep(100);
		wait_in_futex(w.tid, &w.done);
		ASSERT_EQ(__atomic_load_n(&w.done, __ATOMIC_ACQUIRE), 0);
	}
	ASSERT_OK(mx_futex_wake(&f, 1));
	join_waiter(&w, MX_OK);
	ASSERT_EQ(handled, 3);
}

TEST(signal_handler_keeps_the_deadline)
{
	mx_futex_t f = 0;
	struct waiter w;
	mx_time_t deadline;

	mxt_on_signal(SIGUSR1, on_usr1);
	deadline = mxt_now() + MX_MSEC(500);
	start_waiter(&w, &f, deadline);
	ASSERT_EQ(pthread_kill(w.th, SIGUSR1), 0);
	join_waiter(&w, MX_ERR_TIMED_OUT);
	ASSERT_TRUE(mxt_now() >= deadline);
	ASSERT_EQ(handled, 1);
}

/*
 * Futexes belong to a process: a wake in one process does not reach a
 * waiter of another on the same shared memory.
 */
TEST(per_process)
{
	mx_futex_t *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int status;

	ASSERT_TRUE(shared != MAP_FAILED);
	shared[0] = 0;
	pid = mxt_fork();
	if (pid == 0) {
		mx_status_t s = mx_futex_wait(&shared[0], 0,
					      mxt_now() + MX_SEC(2));

		_exit(s == MX_ERR_TIMED_OUT ? 0 : 10);
	}
	wait_in_futex(pid, NULL);
	ASSERT_OK(mx_futex_wake(&shared[0], UINT32_MAX));
	status = mxt_wait_child(pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 0);
}

/* As another user: the same calls, the same answers (no privilege). */
static void other_user(void *arg)
{
	mx_futex_t f = 9;

	(void)arg;
	ASSERT_STATUS(mx_futex_wait(&f, 8, MX_TIME_INFINITE),
		      MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_futex_wait(&f, 9, 0), MX_ERR_TIMED_OUT);
	ASSERT_STATUS(mx_futex_wait(NULL, 9, 0), MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_futex_wake(&f, 1));
	ASSERT_STATUS(mx_futex_requeue(&f, 1, 9, &f, 1),
		      MX_ERR_INVALID_ARGS);
}

TEST(second_user)
{
	mxt_as_user(65534, other_user, NULL);
}

/* A futex in a mapped VMO: waits, wakes and requeues work there too. */
TEST(futex_in_vmo_memory)
{
	mx_handle_t vmo = 0;
	uintptr_t addr = 0;
	mx_futex_t *f;
	struct waiter w;

	ASSERT_OK(mx_vmo_create(4096, 0, &vmo));
	ASSERT_OK(mx_vmar_map(mx_vmar_root_self(), 0, vmo, 0, 4096,
			      MX_VM_FLAG_PERM_READ | MX_VM_FLAG_PERM_WRITE,
			      &addr));
	f = (mx_futex_t *)addr;
	f[0] = 5;
	f[1] = 6;
	ASSERT_STATUS(mx_futex_wait(f, 4, MX_TIME_INFINITE), MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_futex_wait(f, 5, 0), MX_ERR_TIMED_OUT);
	start_waiter(&w, f, MX_TIME_INFINITE);
	ASSERT_OK(mx_futex_requeue(f, 0, 5, &f[1], 1));
	ASSERT_OK(mx_futex_wake(&f[1], 1));
	join_waiter(&w, MX_OK);
	ASSERT_STATUS(mx_futex_requeue(f, 1, 4, &f[1], 1), MX_ERR_BAD_STATE);
}

/* The value check before the alignment check works in VMO memory too. */
TEST(requeue_misaligned_in_vmo_memory)
{
	mx_handle_t vmo = 0;
	uintptr_t addr = 0;
	mx_futex_t *odd;
	int v = 0x0a0b0c0d;

	ASSERT_OK(mx_vmo_create(4096, 0, &vmo));
	ASSERT_OK(mx_vmar_map(mx_vmar_root_self(), 0, vmo, 0, 4096,
			      MX_VM_FLAG_PERM_READ | MX_VM_FLAG_PERM_WRITE,
			      &addr));
	odd = (mx_futex_t *)(addr + 1);
	memcpy(odd, &v, sizeof(v));
	ASSERT_STATUS(mx_futex_requeue(odd, 1, 0, (mx_futex_t *)addr + 2, 1),
		      MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_futex_requeue(odd, 1, v, (mx_futex_t *)addr + 2, 1),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_futex_requeue((mx_futex_t *)addr,
				       1, 1, (mx_futex_t *)addr, 1),
		      MX_ERR_BAD_STATE);
}
