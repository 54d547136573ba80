// SPDX-License-Identifier: MIT
/*
 * Threads: mx_thread_self, mx_thread_create, mx_thread_start,
 * mx_thread_exit, mx_task_kill on threads, MX_INFO_THREAD,
 * MX_INFO_PROCESS_THREADS, thread names. Magenta's threads.c cases that
 * need no suspend/resume or exception ports are here (test_basics,
 * test_long_name_succeeds, test_thread_start_on_initial_thread,
 * test_kill_busy/sleep/wait_thread, test_bad_state_nonstarted_thread's
 * kill part, test_thread_kills_itself).
 */
#include "mxtest.h"

#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>

static pid_t gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static mx_handle_t new_thread(const char *name)
{
	mx_handle_t t = 0;

	ASSERT_OK(mx_thread_create(mx_process_self(), name, strlen(name), 0,
				   &t));
	ASSERT_TRUE(t > 0);
	return t;
}

/* Wait until thread @tid sleeps (in any system call). */
static void wait_sleeping(pid_t tid)
{
	char path[64], buf[256], *p;
	mx_time_t give_up = mxt_now() + MX_SEC(30);
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	for (;;) {
		f = fopen(path, "r");
		if (!f)
			FAIL("open %s", path);
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		p = strrchr(buf, ')');
		if (p && p[1] == ' ' && p[2] == 'S')
			return;
		if (mxt_now() > give_up)
			FAIL("thread %d never slept", (int)tid);
		usleep(1000);
	}
}

/* ---- mx_thread_self ---- */

TEST(thread_self_basics)
{
	mx_handle_t t = mx_thread_self();
	mx_info_handle_basic_t b;

	ASSERT_TRUE(t > 0);
	ASSERT_EQ(t & 1, 1);
	ASSERT_EQ(mx_thread_self(), t);
	ASSERT_NE(t, mx_process_self());
	b = mxt_basic(t);
	ASSERT_EQ(b.type, MX_OBJ_TYPE_THREAD);
	ASSERT_EQ(b.rights, 0x2CF);
	ASSERT_EQ(b.rights, MX_DEFAULT_THREAD_RIGHTS);
	ASSERT_EQ(b.related_koid, mxt_basic(mx_process_self()).koid);
	ASSERT_EQ(b.props, MX_OBJ_PROP_WAITABLE);
	ASSERT_EQ(mxt_signals(t), MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_thread_state(t), MX_THREAD_STATE_RUNNING);
}

struct self_report {
	mx_handle_t handle, dup;
	mx_koid_t koid;
};

static void *report_self(void *arg)
{
	struct self_report *r = arg;

	r->handle = mx_thread_self();
	r->koid = r->handle > 0 ? mxt_basic(r->handle).koid : 0;
	if (mx_handle_duplicate(r->handle, MX_RIGHT_SAME_RIGHTS, &r->dup))
		r->dup = 0;
	return NULL;
}

TEST(thread_self_is_per_thread)
{
	struct self_report r = { 0, 0, 0 };
	pthread_t pt;

	ASSERT_EQ(pthread_create(&pt, NULL, report_self, &r), 0);
	ASSERT_EQ(pthread_join(pt, NULL), 0);
	ASSERT_TRUE(r.handle > 0);
	ASSERT_NE(r.handle, mx_thread_self());
	ASSERT_NE(r.koid, mxt_basic(mx_thread_self()).koid);
	/* The handle ends with its thread (closed asynchronously). */
	ASSERT_TRUE(r.dup > 0);
	mxt_wait_signal(r.dup, MX_TASK_TERMINATED);
	mxt_wait_signal(r.dup, MX_SIGNAL_LAST_HANDLE);
	ASSERT_STATUS(mx_object_get_info(r.handle, MX_INFO_HANDLE_VALID, NULL,
					 0, NULL, NULL), MX_ERR_BAD_HANDLE);
}

struct watched {
	mx_handle_t dup;
	mx_handle_t go;
};

static void *dup_self_and_wait(void *arg)
{
	struct watched *w = arg;

	if (mx_handle_duplicate(mx_thread_self(), MX_RIGHT_SAME_RIGHTS,
				&w->dup) != MX_OK)
		w->dup = 0;
	mx_object_wait_one(w->go, MX_EVENT_SIGNALED, MX_TIME_INFINITE, NULL);
	return NULL;
}

static void *self_then_thread_exit(void *arg)
{
	*(mx_handle_t *)arg = mxt_dup(mx_thread_self(), MX_RIGHT_READ);
	mx_thread_exit();
}

/* mx_thread_exit() in a plain pthread ends it as pthread_exit() would. */
TEST(thread_exit_in_a_plain_pthread)
{
	mx_handle_t dup = 0;
	pthread_t pt;
	void *ret = (void *)1;

	ASSERT_EQ(pthread_create(&pt, NULL, self_then_thread_exit, &dup), 0);
	ASSERT_EQ(pthread_join(pt, &ret), 0);
	ASSERT_TRUE(ret == NULL);
	mxt_wait_signal(dup, MX_TASK_TERMINATED);
	ASSERT_EQ(mxt_thread_state(dup), MX_THREAD_STATE_DEAD);
	ASSERT_EQ(mxt_signals(mx_process_self()) & MX_TASK_TERMINATED, 0);
}

/* A thread mx did not start reports its exit too (the exit probe). */
TEST(pthread_exit_asserts_terminated)
{
	struct watched w = { 0, 0 };
	pthread_t pt;

	ASSERT_OK(mx_event_create(0, &w.go));
	ASSERT_EQ(pthread_create(&pt, NULL, dup_self_and_wait, &w), 0);
	while (!__atomic_load_n(&w.dup, __ATOMIC_ACQUIRE))
		sched_yield();
	ASSERT_TRUE(w.dup > 0);
	ASSERT_EQ(mxt_signals(w.dup) & MX_TASK_TERMINATED, 0);
	ASSERT_OK(mx_object_signal(w.go, 0, MX_EVENT_SIGNALED));
	ASSERT_EQ(pthread_join(pt, NULL), 0);
	mxt_wait_signal(w.dup, MX_TASK_TERMINATED);
	/* Its self handle is closed (asynchronously): this one is left. */
	mxt_wait_signal(w.dup, MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_signals(w.dup), MX_TASK_TERMINATED | MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_thread_state(w.dup), MX_THREAD_STATE_DEAD);
}

/* ---- mx_thread_create ---- */

TEST(create_gives_a_new_thread)
{
	mx_handle_t t = new_thread("worker");
	mx_info_handle_basic_t b = mxt_basic(t);
	char name[MX_MAX_NAME_LEN];

	ASSERT_EQ(b.type, MX_OBJ_TYPE_THREAD);
	ASSERT_EQ(b.rights, MX_DEFAULT_THREAD_RIGHTS);
	ASSERT_EQ(b.related_koid, mxt_basic(mx_process_self()).koid);
	ASSERT_EQ(mxt_signals(t), MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_thread_state(t), MX_THREAD_STATE_NEW);
	ASSERT_OK(mx_object_get_property(t, MX_PROP_NAME, name, sizeof(name)));
	ASSERT_EQ(strcmp(name, "worker"), 0);
	ASSERT_OK(mx_handle_close(t));
}

/* test_long_name_succeeds */
TEST(create_long_name_is_cut)
{
	char longname[81], name[MX_MAX_NAME_LEN];
	mx_handle_t t = 0;

	memset(longname, 'x', 80);
	longname[80] = '\0';
	ASSERT_OK(mx_thread_create(mx_process_self(), longname, 80, 0, &t));
	ASSERT_OK(mx_object_get_property(t, MX_PROP_NAME, name, sizeof(name)));
	ASSERT_EQ(strlen(name), 31);
	ASSERT_OK(mx_thread_create(mx_process_self(), NULL, 0, 0, &t));
	ASSERT_OK(mx_object_get_property(t, MX_PROP_NAME, name, sizeof(name)));
	ASSERT_EQ(name[0], '\0');
}

TEST(create_errors_in_order)
{
	mx_handle_t self = mx_process_self(), ev = 0, ro = 0, t = 0;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_duplicate(self, MX_RIGHT_READ, &ro));
	/* Options first, even with a bad handle. */
	ASSERT_STATUS(mx_thread_create(MX_HANDLE_INVALID, "a", 1, 1, &t),
		      MX_ERR_INVALID_ARGS);
	/* Then the name. */
	ASSERT_STATUS(mx_thread_create(MX_HANDLE_INVALID, (const char *)1, 4,
				       0, &t), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_thread_create(MX_HANDLE_INVALID, "a", 1, 0, &t),
		      MX_ERR_BAD_HANDLE);
	/* Rights before type. */
	ASSERT_STATUS(mx_thread_create(ro, "a", 1, 0, &t),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_thread_create(ev, "a", 1, 0, &t), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_thread_create(self, "a", 1, 0, (mx_handle_t *)1),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(t, 0);
}

/* ---- mx_thread_start ---- */

struct run {
	uintptr_t arg1, arg2;
	uintptr_t local;	/* address of a local of the entry */
	pid_t tid;
	int after_kill;
	int spin;
};

static struct run run;

static void entry_record(uintptr_t arg1, uintptr_t arg2)
{
	volatile int local = 0;

	run.arg1 = arg1;
	run.arg2 = arg2;
	run.local = (uintptr_t)&local;
	run.tid = gettid_();
	/* Returning ends the thread. */
}

/* test_basics: a started thread runs entry(arg1, arg2) and ends. */
TEST(start_runs_entry_on_the_stack)
{
	mx_handle_t t = new_thread("rec");
	char *base;
	uintptr_t top = mxt_stack(&base);

	ASSERT_OK(mx_thread_start(t, (uintptr_t)entry_record, top, 0x1234,
				  0xabcdef));
	mxt_wait_signal(t, MX_TASK_TERMINATED);
	ASSERT_EQ(run.arg1, 0x1234);
	ASSERT_EQ(run.arg2, 0xabcdef);
	ASSERT_TRUE(run.local > (uintptr_t)base && run.local < top);
	ASSERT_NE(run.tid, gettid_());
	ASSERT_EQ(mxt_signals(t), MX_TASK_TERMINATED | MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_thread_state(t), MX_THREAD_STATE_DEAD);
	/* Started once, never again. */
	ASSERT_STATUS(mx_thread_start(t, (uintptr_t)entry_record, top, 0, 0),
		      MX_ERR_BAD_STATE);
}

static void entry_exit(uintptr_t arg1, uintptr_t arg2)
{
	(void)arg2;
	mx_object_signal((mx_handle_t)arg1, 0, MX_EVENT_SIGNALED);
	mx_thread_exit();
}

TEST(thread_exit_asserts_terminated)
{
	mx_handle_t t = new_thread("exiter"), ev = 0;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_thread_start(t, (uintptr_t)entry_exit, mxt_stack(NULL),
				  (uintptr_t)ev, 0));
	mxt_wait_signal(t, MX_TASK_TERMINATED);
	ASSERT_EQ(mxt_signals(ev), MX_EVENT_SIGNALED | MX_SIGNAL_LAST_HANDLE);
}

/*
 * The new thread binds by the value the start was given: what the starter
 * does with the handle right after the start does not keep it from
 * running.
 */
TEST(start_then_move_the_handle)
{
	mx_handle_t t = new_thread("moved"), t2 = 0, ev = 0;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_thread_start(t, (uintptr_t)entry_exit, mxt_stack(NULL),
				  (uintptr_t)ev, 0));
	ASSERT_OK(mx_handle_duplicate(t, MX_RIGHT_SAME_RIGHTS, &t2));
	ASSERT_OK(mx_handle_close(t));
	mxt_wait_signal(t2, MX_TASK_TERMINATED);
	ASSERT_EQ(mxt_signals(ev), MX_EVENT_SIGNALED | MX_SIGNAL_LAST_HANDLE);
}

/* Killed at once after its start: it reads dying or dead, then ends. */
TEST(kill_right_after_start)
{
	mx_handle_t t = new_thread("short");
	uint32_t state;

	ASSERT_OK(mx_thread_start(t, (uintptr_t)entry_record,
				  mxt_stack(NULL), 0, 0));
	ASSERT_OK(mx_task_kill(t));
	state = mxt_thread_state(t);
	ASSERT_TRUE(state == MX_THREAD_STATE_DYING ||
		    state == MX_THREAD_STATE_DEAD);
	mxt_wait_signal(t, MX_TASK_TERMINATED);
	ASSERT_EQ(mxt_thread_state(t), MX_THREAD_STATE_DEAD);
	ASSERT_STATUS(mx_thread_start(t, (uintptr_t)entry_record,
				      mxt_stack(NULL), 0, 0),
		      MX_ERR_BAD_STATE);
}

TEST(start_errors_in_order)
{
	mx_handle_t t = new_thread("err"), ev = 0, ro = 0;
	uintptr_t top = mxt_stack(NULL);

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_duplicate(t, MX_RIGHT_READ, &ro));
	ASSERT_STATUS(mx_thread_start(MX_HANDLE_INVALID, 0, top, 0, 0),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_thread_start(ro, (uintptr_t)entry_record, top, 0, 0),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_thread_start(ev, (uintptr_t)entry_record, top, 0, 0),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_thread_start(mx_process_self(),
				      (uintptr_t)entry_record, top, 0, 0),
		      MX_ERR_WRONG_TYPE);
	ASSERT_EQ(mxt_thread_state(t), MX_THREAD_STATE_NEW);
}

/* test_bad_state_nonstarted_thread (its kill part) */
TEST(kill_unstarted_thread)
{
	mx_handle_t t = new_thread("never");

	ASSERT_OK(mx_task_kill(t));
	ASSERT_OK(mx_task_kill(t));
	/* Not started, so never terminated. */
	ASSERT_EQ(mxt_signals(t), MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_thread_state(t), MX_THREAD_STATE_NEW);
	ASSERT_STATUS(mx_thread_start(t, (uintptr_t)entry_record,
				      mxt_stack(NULL), 0, 0),
		      MX_ERR_BAD_STATE);
}

TEST(kill_needs_destroy_right)
{
	mx_handle_t t = new_thread("k"), ro = 0, ev = 0;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_duplicate(t, MX_RIGHT_READ | MX_RIGHT_WRITE, &ro));
	ASSERT_STATUS(mx_task_kill(MX_HANDLE_INVALID), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_task_kill(ro), MX_ERR_ACCESS_DENIED);
	/* Events have no DESTROY right: rights are checked before type. */
	ASSERT_STATUS(mx_task_kill(ev), MX_ERR_ACCESS_DENIED);
	ASSERT_EQ(mxt_thread_state(t), MX_THREAD_STATE_NEW);
}

/* test_thread_start_on_initial_thread */
TEST(start_thread_of_unstarted_process_is_bad_state)
{
	mx_handle_t p = 0, t = 0;

	ASSERT_OK(mx_process_create(mx_job_default(), "p", 1, 0, &p, NULL));
	ASSERT_OK(mx_thread_create(p, "t", 1, 0, &t));
	ASSERT_STATUS(mx_thread_start(t, (uintptr_t)entry_record,
				      mxt_stack(NULL), 0, 0),
		      MX_ERR_BAD_STATE);
	ASSERT_EQ(mxt_thread_state(t), MX_THREAD_STATE_NEW);
}

static void entry_spin(uintptr_t arg1, uintptr_t arg2)
{
	(void)arg1;
	(void)arg2;
	__atomic_store_n(&run.tid, gettid_(), __ATOMIC_RELEASE);
	for (;;)
		__atomic_add_fetch(&run.spin, 1, __ATOMIC_RELAXED);
}

static void entry_sleep(uintptr_t arg1, uintptr_t arg2)
{
	(void)arg1;
	(void)arg2;
	__atomic_store_n(&run.tid, gettid_(), __ATOMIC_RELEASE);
	mx_nanosleep(MX_TIME_INFINITE);
	run.after_kill = 1;
}

static void entry_wait(uintptr_t arg1, uintptr_t arg2)
{
	(void)arg2;
	__atomic_store_n(&run.tid, gettid_(), __ATOMIC_RELEASE);
	mx_object_wait_one((mx_handle_t)arg1, MX_EVENT_SIGNALED,
			   MX_TIME_INFINITE, NULL);
	run.after_kill = 1;
}

static mx_handle_t start_named(const char *name,
			       void (*entry)(uintptr_t, uintptr_t),
			       uintptr_t arg1)
{
	mx_handle_t t = new_thread(name);
	pid_t tid;

	run.tid = 0;
	ASSERT_OK(mx_thread_start(t, (uintptr_t)entry, mxt_stack(NULL), arg1,
				  0));
	while (!(tid = __atomic_load_n(&run.tid, __ATOMIC_ACQUIRE)))
		sched_yield();
	if (entry == entry_sleep)
		wait_sleeping(tid);
	else if (entry != entry_spin)
		mxt_wait_blocked(tid, NULL);
	return t;
}

static mx_handle_t start_and_block(void (*entry)(uintptr_t, uintptr_t),
				   uintptr_t arg1)
{
	return start_named("victim", entry, arg1);
}

/* test_kill_busy_thread */
TEST(kill_busy_thread)
{
	mx_handle_t t = start_and_block(entry_spin, 0);

	while (!__atomic_load_n(&run.spin, __ATOMIC_RELAXED))
		sched_yield();
	ASSERT_OK(mx_task_kill(t));
	mxt_wait_signal(t, MX_TASK_TERMINATED);
	ASSERT_EQ(mxt_thread_state(t), MX_THREAD_STATE_DEAD);
	ASSERT_OK(mx_task_kill(t));
	/* The process lives on. */
	ASSERT_EQ(mxt_signals(mx_process_self()) & MX_TASK_TERMINATED, 0);
}

/* test_kill_sleep_thread, and MX_INFO_THREAD of a sleeping thread */
TEST(kill_sleep_thread)
{
	mx_handle_t t = start_and_block(entry_sleep, 0);

	ASSERT_EQ(mxt_thread_state(t), MX_THREAD_STATE_BLOCKED);
	ASSERT_OK(mx_task_kill(t));
	mxt_wait_signal(t, MX_TASK_TERMINATED);
	ASSERT_EQ(run.after_kill, 0);
	ASSERT_EQ(mxt_signals(t), MX_TASK_TERMINATED | MX_SIGNAL_LAST_HANDLE);
}

/* test_kill_wait_thread: the killed thread's wait is not satisfied. */
TEST(kill_wait_thread)
{
	mx_handle_t ev = 0, t;

	ASSERT_OK(mx_event_create(0, &ev));
	t = start_and_block(entry_wait, (uintptr_t)ev);
	ASSERT_EQ(mxt_thread_state(t), MX_THREAD_STATE_BLOCKED);
	ASSERT_OK(mx_task_kill(t));
	mxt_wait_signal(t, MX_TASK_TERMINATED);
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_EQ(run.after_kill, 0);
	/* Other threads go on using mx. */
	ASSERT_OK(mx_object_wait_one(ev, MX_EVENT_SIGNALED, 0, NULL));
}

static void entry_wait_all_blocked(uintptr_t arg1, uintptr_t arg2)
{
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	entry_wait(arg1, arg2);
}

/*
 * A thread that blocks every signal is still killed alone: the module
 * unblocks the kill signal in it rather than let the kernel reset the
 * handler (which would end the whole process).
 */
TEST(kill_thread_blocking_all_signals)
{
	mx_handle_t ev = 0, t;
	struct sigaction sa;

	ASSERT_OK(mx_event_create(0, &ev));
	t = start_and_block(entry_wait_all_blocked, (uintptr_t)ev);
	ASSERT_OK(mx_task_kill(t));
	mxt_wait_signal(t, MX_TASK_TERMINATED);
	ASSERT_EQ(run.after_kill, 0);
	ASSERT_EQ(mxt_signals(mx_process_self()) & MX_TASK_TERMINATED, 0);
	/* libmx's handler is still in place for the next kill. */
	ASSERT_EQ(sigaction(MX_THREAD_KILL_SIGNAL, NULL, &sa), 0);
	ASSERT_TRUE(sa.sa_handler != SIG_DFL);
	t = start_and_block(entry_wait_all_blocked, (uintptr_t)ev);
	ASSERT_OK(mx_task_kill(t));
	mxt_wait_signal(t, MX_TASK_TERMINATED);
}

static void entry_kill_self(uintptr_t arg1, uintptr_t arg2)
{
	(void)arg2;
	mx_task_kill((mx_handle_t)arg1);
	run.after_kill = 1;
}

/* test_thread_kills_itself: task_kill on itself does not return. */
TEST(thread_kills_itself)
{
	mx_handle_t t = new_thread("suicide"), dup = 0;

	ASSERT_OK(mx_handle_duplicate(t, MX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_OK(mx_thread_start(t, (uintptr_t)entry_kill_self,
				  mxt_stack(NULL), (uintptr_t)dup, 0));
	mxt_wait_signal(t, MX_TASK_TERMINATED);
	ASSERT_EQ(run.after_kill, 0);
}

struct ambient {
	mx_handle_t dup;
	pid_t tid;
	int after;
};

static void *ambient_block(void *arg)
{
	struct ambient *a = arg;
	mx_handle_t d = 0;

	mx_handle_duplicate(mx_thread_self(), MX_RIGHT_SAME_RIGHTS, &d);
	a->tid = gettid_();
	__atomic_store_n(&a->dup, d ? d : -1, __ATOMIC_RELEASE);
	mx_nanosleep(MX_TIME_INFINITE);
	a->after = 1;
	return NULL;
}

/* A pthread (not started by mx) is killed alone too. */
TEST(kill_ambient_thread_alone)
{
	struct ambient a = { 0, 0, 0 };
	pthread_t pt;
	mx_handle_t d;

	ASSERT_EQ(pthread_create(&pt, NULL, ambient_block, &a), 0);
	while (!(d = __atomic_load_n(&a.dup, __ATOMIC_ACQUIRE)))
		sched_yield();
	ASSERT_TRUE(d > 0);
	wait_sleeping(a.tid);
	ASSERT_OK(mx_task_kill(d));
	mxt_wait_signal(d, MX_TASK_TERMINATED);
	ASSERT_EQ(a.after, 0);
	ASSERT_EQ(mxt_thread_state(d), MX_THREAD_STATE_DEAD);
	ASSERT_EQ(mxt_signals(mx_process_self()) & MX_TASK_TERMINATED, 0);
}

/* ---- MX_INFO_THREAD ---- */

TEST(info_thread_errors)
{
	mx_handle_t t = mx_thread_self(), ro = 0;
	mx_info_thread_t info;
	size_t actual = 9, avail = 9;

	ASSERT_OK(mx_handle_duplicate(t, MX_RIGHT_DUPLICATE, &ro));
	ASSERT_STATUS(mx_object_get_info(MX_HANDLE_INVALID, MX_INFO_THREAD,
					 &info, sizeof(info), NULL, NULL),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_get_info(ro, MX_INFO_THREAD, &info,
					 sizeof(info), NULL, NULL),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_get_info(mx_process_self(), MX_INFO_THREAD,
					 &info, sizeof(info), NULL, NULL),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_object_get_info(mx_job_default(), MX_INFO_THREAD,
					 &info, sizeof(info), NULL, NULL),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_object_get_info(t, MX_INFO_THREAD, &info, 0, &actual,
					 &avail), MX_ERR_BUFFER_TOO_SMALL);
	ASSERT_EQ(actual, 0);
	ASSERT_EQ(avail, 1);
	ASSERT_STATUS(mx_object_get_info(t, MX_INFO_THREAD, (void *)1,
					 sizeof(info), NULL, NULL),
		      MX_ERR_INVALID_ARGS);
	/* A thread handle is the wrong type for MX_INFO_PROCESS. */
	ASSERT_STATUS(mx_object_get_info(t, MX_INFO_PROCESS, &info,
					 sizeof(info), NULL, NULL),
		      MX_ERR_WRONG_TYPE);
}

/* ---- MX_INFO_PROCESS_THREADS ---- */

TEST(process_threads_lists_live_threads)
{
	mx_handle_t self = mx_process_self(), ro = 0;
	mx_handle_t t0 = mx_thread_self(), t1 = new_thread("one");
	mx_koid_t koids[8];
	size_t actual = 99, avail = 99;

	ASSERT_OK(mx_object_get_info(self, MX_INFO_PROCESS_THREADS, koids,
				     sizeof(koids), &actual, &avail));
	ASSERT_EQ(actual, 2);
	ASSERT_EQ(avail, 2);
	ASSERT_EQ(koids[0], mxt_basic(t0).koid);
	ASSERT_EQ(koids[1], mxt_basic(t1).koid);
	/* Multi-record topics never say BUFFER_TOO_SMALL. */
	ASSERT_OK(mx_object_get_info(self, MX_INFO_PROCESS_THREADS, koids, 0,
				     &actual, &avail));
	ASSERT_EQ(actual, 0);
	ASSERT_EQ(avail, 2);
	memset(koids, 0, sizeof(koids));
	ASSERT_OK(mx_object_get_info(self, MX_INFO_PROCESS_THREADS, koids,
				     sizeof(koids[0]) + 4, &actual, &avail));
	ASSERT_EQ(actual, 1);
	ASSERT_EQ(avail, 2);
	ASSERT_EQ(koids[0], mxt_basic(t0).koid);
	ASSERT_EQ(koids[1], 0);
	ASSERT_OK(mx_object_get_info(self, MX_INFO_PROCESS_THREADS, koids,
				     sizeof(koids), NULL, NULL));
	/* A dead thread is no longer listed. */
	ASSERT_OK(mx_thread_start(t1, (uintptr_t)entry_record,
				  mxt_stack(NULL), 0, 0));
	mxt_wait_signal(t1, MX_TASK_TERMINATED);
	ASSERT_OK(mx_object_get_info(self, MX_INFO_PROCESS_THREADS, koids,
				     sizeof(koids), &actual, &avail));
	ASSERT_EQ(actual, 1);
	ASSERT_EQ(avail, 1);

	ASSERT_OK(mx_handle_duplicate(self, MX_RIGHT_READ, &ro));
	ASSERT_STATUS(mx_object_get_info(ro, MX_INFO_PROCESS_THREADS, koids,
					 sizeof(koids), NULL, NULL),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_get_info(t0, MX_INFO_PROCESS_THREADS, koids,
					 sizeof(koids), NULL, NULL),
		      MX_ERR_ACCESS_DENIED);	/* rights before type */
	ASSERT_STATUS(mx_object_get_info(mx_job_default(),
					 MX_INFO_PROCESS_THREADS, koids,
					 sizeof(koids), NULL, NULL),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_object_get_info(self, MX_INFO_PROCESS_THREADS,
					 (void *)1, sizeof(koids), NULL, NULL),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_get_info(self, MX_INFO_PROCESS_THREADS, koids,
					 sizeof(koids), (size_t *)1, NULL),
		      MX_ERR_INVALID_ARGS);
}

/* ---- names ---- */

TEST(thread_name_is_the_linux_name)
{
	mx_handle_t t = start_named("a-rather-long-thread-name", entry_sleep,
				    0);
	char comm[32];

	mxt_comm(run.tid, comm, sizeof(comm));
	ASSERT_EQ(strcmp(comm, "a-rather-long-t"), 0);
	ASSERT_OK(mx_task_kill(t));
	mxt_wait_signal(t, MX_TASK_TERMINATED);
}

TEST(thread_rename_shows_in_comm)
{
	mx_handle_t t;
	char comm[32], name[MX_MAX_NAME_LEN];
	const char *n = "renamed-worker-thread";

	t = start_and_block(entry_sleep, 0);
	ASSERT_OK(mx_object_set_property(t, MX_PROP_NAME, n, strlen(n)));
	ASSERT_OK(mx_object_get_property(t, MX_PROP_NAME, name, sizeof(name)));
	ASSERT_EQ(strcmp(name, n), 0);
	mxt_comm(run.tid, comm, sizeof(comm));
	ASSERT_EQ(strcmp(comm, "renamed-worker-"), 0);
	ASSERT_OK(mx_task_kill(t));
	mxt_wait_signal(t, MX_TASK_TERMINATED);
}

/* ---- many at once ---- */

#define NTHREADS 16

static void entry_count(uintptr_t arg1, uintptr_t arg2)
{
	(void)arg2;
	__atomic_add_fetch((int *)arg1, 1, __ATOMIC_RELAXED);
}

TEST(many_threads_started_and_ended)
{
	mx_handle_t t[NTHREADS];
	mx_wait_item_t items[NTHREADS];
	int count = 0, i, round;

	for (round = 0; round < 4; round++) {
		for (i = 0; i < NTHREADS; i++) {
			t[i] = new_thread("many");
			ASSERT_OK(mx_thread_start(t[i], (uintptr_t)entry_count,
						  mxt_stack(NULL),
						  (uintptr_t)&count, 0));
		}
		for (i = 0; i < NTHREADS; i++) {
			mxt_wait_signal(t[i], MX_TASK_TERMINATED);
			items[i] = (mx_wait_item_t){ t[i], MX_TASK_TERMINATED, 0 };
		}
		ASSERT_OK(mx_object_wait_many(items, NTHREADS, 0));
		for (i = 0; i < NTHREADS; i++) {
			ASSERT_TRUE(items[i].pending & MX_TASK_TERMINATED);
			ASSERT_OK(mx_handle_close(t[i]));
		}
	}
	ASSERT_EQ(count, 4 * NTHREADS);
}

/*
 * A kill storm: threads blocked in waits, spinning or sleeping are killed
 * by several killers at once, each killing every victim (kills are
 * idempotent), while others close their handles; the process and its
 * other threads live on, and every victim ends exactly once.
 */
#define STORM_VICTIMS	24
#define STORM_KILLERS	4

static mx_handle_t storm_t[STORM_VICTIMS];

static void entry_storm(uintptr_t arg1, uintptr_t arg2)
{
	if (arg2 % 3 == 0)
		for (;;)
			sched_yield();
	if (arg2 % 3 == 1)
		mx_nanosleep(MX_TIME_INFINITE);
	mx_object_wait_one((mx_handle_t)arg1, MX_EVENT_SIGNALED,
			   MX_TIME_INFINITE, NULL);
	__atomic_store_n(&run.after_kill, 1, __ATOMIC_RELAXED);
}

static void *storm_killer(void *arg)
{
	intptr_t k = (intptr_t)arg, bad = 0;
	int i;

	for (i = 0; i < STORM_VICTIMS; i++) {
		int v = (int)((i + k * 7) % STORM_VICTIMS);

		if (mx_task_kill(storm_t[v]) != MX_OK)
			bad++;
	}
	return (void *)bad;
}

TEST(kill_storm)
{
	mx_handle_t ev = 0, dups[STORM_VICTIMS];
	pthread_t killers[STORM_KILLERS];
	void *bad;
	int i;

	ASSERT_OK(mx_event_create(0, &ev));
	for (i = 0; i < STORM_VICTIMS; i++) {
		storm_t[i] = new_thread("storm");
		ASSERT_OK(mx_handle_duplicate(storm_t[i], MX_RIGHT_READ,
					      &dups[i]));
		ASSERT_OK(mx_thread_start(storm_t[i], (uintptr_t)entry_storm,
					  mxt_stack(NULL), (uintptr_t)ev,
					  (uintptr_t)i));
	}
	for (i = 0; i < STORM_KILLERS; i++)
		ASSERT_EQ(pthread_create(&killers[i], NULL, storm_killer,
					 (void *)(intptr_t)i), 0);
	for (i = 0; i < STORM_KILLERS; i++) {
		ASSERT_EQ(pthread_join(killers[i], &bad), 0);
		ASSERT_EQ((intptr_t)bad, 0);
	}
	/* Closing the last full handle of a dying thread changes nothing. */
	for (i = 0; i < STORM_VICTIMS; i += 2)
		ASSERT_OK(mx_handle_close(storm_t[i]));
	for (i = 0; i < STORM_VICTIMS; i++) {
		mxt_wait_signal(dups[i], MX_TASK_TERMINATED);
		ASSERT_EQ(mxt_thread_state(dups[i]), MX_THREAD_STATE_DEAD);
	}
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_EQ(run.after_kill, 0);
	ASSERT_EQ(mxt_signals(mx_process_self()) & MX_TASK_TERMINATED, 0);
	/* The process goes on starting threads. */
	run.after_kill = 0;
	i = 0;
	storm_t[0] = new_thread("after");
	ASSERT_OK(mx_thread_start(storm_t[0], (uintptr_t)entry_count,
				  mxt_stack(NULL), (uintptr_t)&i, 0));
	mxt_wait_signal(storm_t[0], MX_TASK_TERMINATED);
	ASSERT_EQ(i, 1);
}
