// SPDX-License-Identifier: MIT
/*
 * mx_task_suspend and mx_task_resume on threads: reference
 * (magenta-api-2.md) §4.2-4.3 and its tests (test_suspend_stops_thread,
 * test_resume_suspended, test_suspend_sleeping, test_suspend_port_call,
 * test_kill_suspended_thread, test_bad_state_nonstarted_thread,
 * test_futex_thread_suspended).
 */
#include "mxtest.h"

#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>

#define WAIT_S(h, sig) \
	ASSERT_OK(mx_object_wait_one(h, sig, mx_deadline_after(MX_SEC(30)), \
				     NULL))

struct worker {
	mx_handle_t thread;
	mx_handle_t obj;	/* what it waits on, if it waits */
	_Atomic unsigned long count;
	_Atomic int stage;
	_Atomic mx_status_t status;
	_Atomic pid_t tid;
	mx_time_t deadline;
	mx_time_t woke_at;
	mx_futex_t futex;
	mx_port_packet_t packet;
};

static mx_handle_t start(void (*entry)(uintptr_t, uintptr_t),
			 struct worker *w)
{
	mx_handle_t t = 0;

	ASSERT_OK(mx_thread_create(mx_process_self(), "w", 1, 0, &t));
	ASSERT_OK(mx_thread_start(t, (uintptr_t)entry, mxt_stack(NULL), 0,
				  (uintptr_t)w));
	w->thread = t;
	return t;
}

static uint32_t state_of(mx_handle_t t)
{
	mx_info_thread_t info;

	mxt_info_one(t, MX_INFO_THREAD, &info, sizeof(info));
	return info.state;
}

static void end(struct worker *w)
{
	ASSERT_OK(mx_task_kill(w->thread));
	WAIT_S(w->thread, MX_THREAD_TERMINATED);
	ASSERT_OK(mx_handle_close(w->thread));
}

static void entry_busy(uintptr_t arg1, uintptr_t arg2)
{
	struct worker *w = (struct worker *)arg2;

	(void)arg1;
	atomic_store(&w->tid, (pid_t)syscall(SYS_gettid));
	for (;;)
		atomic_fetch_add(&w->count, 1);
}

TEST(suspend_stops_thread)
{
	struct worker w = { 0 };
	mx_handle_t t = start(entry_busy, &w);
	unsigned long a, b;

	while (atomic_load(&w.count) < 1000)
		sched_yield();
	ASSERT_EQ(mxt_signals(t) & MX_THREAD_SUSPENDED, 0);
	ASSERT_OK(mx_task_suspend(t));
	WAIT_S(t, MX_THREAD_SUSPENDED);
	ASSERT_EQ(state_of(t), MX_THREAD_STATE_SUSPENDED);
	a = atomic_load(&w.count);
	mx_nanosleep(mx_deadline_after(MX_MSEC(100)));
	b = atomic_load(&w.count);
	ASSERT_EQ(a, b);
	ASSERT_OK(mx_task_resume(t, 0));
	while (atomic_load(&w.count) == b)
		sched_yield();
	ASSERT_EQ(mxt_signals(t) & MX_THREAD_SUSPENDED, 0);
	ASSERT_NE(state_of(t), MX_THREAD_STATE_SUSPENDED);
	end(&w);
}

TEST(suspends_are_not_counted)
{
	struct worker w = { 0 };
	mx_handle_t t = start(entry_busy, &w);
	unsigned long b;

	ASSERT_OK(mx_task_suspend(t));
	ASSERT_OK(mx_task_suspend(t));
	WAIT_S(t, MX_THREAD_SUSPENDED);
	ASSERT_OK(mx_task_suspend(t));
	b = atomic_load(&w.count);
	/* One resume undoes them all. */
	ASSERT_OK(mx_task_resume(t, 0));
	while (atomic_load(&w.count) == b)
		sched_yield();
	/* Resuming a thread that is not suspended: nothing happens. */
	ASSERT_OK(mx_task_resume(t, 0));
	end(&w);
}

static void entry_wait(uintptr_t arg1, uintptr_t arg2)
{
	struct worker *w = (struct worker *)arg2;
	mx_signals_t seen = 0;

	(void)arg1;
	atomic_store(&w->stage, 1);
	atomic_store(&w->status, mx_object_wait_one(w->obj, MX_EVENT_SIGNALED,
						     MX_TIME_INFINITE, &seen));
	atomic_store(&w->stage, seen & MX_EVENT_SIGNALED ? 2 : 3);
	for (;;)
		mx_nanosleep(mx_deadline_after(MX_SEC(1)));
}

/* Blocked in a wait: it stops, and the wait goes on after the resume. */
TEST(resume_suspended_waiter)
{
	struct worker w = { 0 };
	mx_handle_t t;

	ASSERT_OK(mx_event_create(0, &w.obj));
	t = start(entry_wait, &w);
	while (atomic_load(&w.stage) < 1 ||
	       state_of(t) != MX_THREAD_STATE_BLOCKED)
		mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
	ASSERT_OK(mx_task_suspend(t));
	WAIT_S(t, MX_THREAD_SUSPENDED);
	ASSERT_EQ(state_of(t), MX_THREAD_STATE_SUSPENDED);
	/* Signalled while it is suspended: no effect until the resume. */
	ASSERT_OK(mx_object_signal(w.obj, 0, MX_EVENT_SIGNALED));
	mx_nanosleep(mx_deadline_after(MX_MSEC(100)));
	ASSERT_EQ(atomic_load(&w.stage), 1);
	ASSERT_OK(mx_task_resume(t, 0));
	while (atomic_load(&w.stage) < 2)
		mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
	ASSERT_EQ(atomic_load(&w.stage), 2);
	ASSERT_EQ(atomic_load(&w.status), MX_OK);
	end(&w);
	ASSERT_OK(mx_handle_close(w.obj));
}

/* A pulse during the suspension still satisfies the wait. */
TEST(pulse_while_suspended_counts)
{
	struct worker w = { 0 };
	mx_handle_t t;

	ASSERT_OK(mx_event_create(0, &w.obj));
	t = start(entry_wait, &w);
	while (atomic_load(&w.stage) < 1 ||
	       state_of(t) != MX_THREAD_STATE_BLOCKED)
		mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
	ASSERT_OK(mx_task_suspend(t));
	WAIT_S(t, MX_THREAD_SUSPENDED);
	ASSERT_OK(mx_object_signal(w.obj, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_object_signal(w.obj, MX_EVENT_SIGNALED, 0));
	ASSERT_OK(mx_task_resume(t, 0));
	while (atomic_load(&w.stage) < 2)
		mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
	ASSERT_EQ(atomic_load(&w.status), MX_OK);
	end(&w);
	ASSERT_OK(mx_handle_close(w.obj));
}

static void entry_sleep(uintptr_t arg1, uintptr_t arg2)
{
	struct worker *w = (struct worker *)arg2;

	(void)arg1;
	atomic_store(&w->stage, 1);
	mx_nanosleep(w->deadline);
	w->woke_at = mx_time_get(MX_CLOCK_MONOTONIC);
	atomic_store(&w->stage, 2);
	for (;;)
		mx_nanosleep(mx_deadline_after(MX_SEC(1)));
}

/* The sleep ends at its deadline, not later for the suspension. */
TEST(suspend_sleeping)
{
	struct worker w = { 0 };
	mx_handle_t t;

	w.deadline = mx_deadline_after(MX_MSEC(600));
	t = start(entry_sleep, &w);
	while (atomic_load(&w.stage) < 1)
		mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
	ASSERT_OK(mx_task_suspend(t));
	WAIT_S(t, MX_THREAD_SUSPENDED);
	mx_nanosleep(mx_deadline_after(MX_MSEC(50)));
	ASSERT_OK(mx_task_resume(t, 0));
	while (atomic_load(&w.stage) < 2)
		mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
	ASSERT_TRUE(w.woke_at >= w.deadline);
	end(&w);
}

/* Suspended past its deadline: it wakes at the resume. */
TEST(suspended_past_the_deadline)
{
	struct worker w = { 0 };
	mx_handle_t t;
	mx_time_t resumed;

	w.deadline = mx_deadline_after(MX_MSEC(200));
	t = start(entry_sleep, &w);
	while (atomic_load(&w.stage) < 1)
		mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
	ASSERT_OK(mx_task_suspend(t));
	WAIT_S(t, MX_THREAD_SUSPENDED);
	mx_nanosleep(w.deadline + MX_MSEC(200));
	ASSERT_EQ(atomic_load(&w.stage), 1);
	resumed = mx_time_get(MX_CLOCK_MONOTONIC);
	ASSERT_OK(mx_task_resume(t, 0));
	while (atomic_load(&w.stage) < 2)
		mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
	ASSERT_TRUE(w.woke_at >= resumed);
	end(&w);
}

static void entry_port(uintptr_t arg1, uintptr_t arg2)
{
	struct worker *w = (struct worker *)arg2;

	(void)arg1;
	atomic_store(&w->stage, 1);
	atomic_store(&w->status, mx_port_wait(w->obj, MX_TIME_INFINITE,
					      &w->packet, 0));
	atomic_store(&w->stage, 2);
	for (;;)
		mx_nanosleep(mx_deadline_after(MX_SEC(1)));
}

TEST(suspend_port_wait)
{
	struct worker w = { 0 };
	mx_port_packet_t pk = { .key = 77, .type = MX_PKT_TYPE_USER };
	mx_handle_t t;

	ASSERT_OK(mx_port_create(MX_PORT_OPT_V2, &w.obj));
	t = start(entry_port, &w);
	while (atomic_load(&w.stage) < 1 ||
	       state_of(t) != MX_THREAD_STATE_BLOCKED)
		mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
	ASSERT_OK(mx_task_suspend(t));
	WAIT_S(t, MX_THREAD_SUSPENDED);
	ASSERT_OK(mx_port_queue(w.obj, &pk, 0));
	mx_nanosleep(mx_deadline_after(MX_MSEC(100)));
	ASSERT_EQ(atomic_load(&w.stage), 1);
	ASSERT_OK(mx_task_resume(t, 0));
	while (atomic_load(&w.stage) < 2)
		mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
	ASSERT_EQ(atomic_load(&w.status), MX_OK);
	ASSERT_EQ(w.packet.key, 77);
	end(&w);
	ASSERT_OK(mx_handle_close(w.obj));
}

static void entry_futex(uintptr_t arg1, uintptr_t arg2)
{
	struct worker *w = (struct worker *)arg2;

	(void)arg1;
	atomic_store(&w->stage, 1);
	atomic_store(&w->status, mx_futex_wait(&w->futex, 0,
					       MX_TIME_INFINITE));
	atomic_store(&w->stage, 2);
	for (;;)
		mx_nanosleep(mx_deadline_after(MX_SEC(1)));
}

/* test_futex_thread_suspended: it keeps waiting, then is woken. */
TEST(suspend_futex_waiter)
{
	struct worker w = { 0 };
	mx_handle_t t;

	t = start(entry_futex, &w);
	while (atomic_load(&w.stage) < 1 ||
	       state_of(t) != MX_THREAD_STATE_BLOCKED)
		mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
	ASSERT_OK(mx_task_suspend(t));
	WAIT_S(t, MX_THREAD_SUSPENDED);
	ASSERT_OK(mx_task_resume(t, 0));
	mx_nanosleep(mx_deadline_after(MX_MSEC(100)));
	ASSERT_EQ(atomic_load(&w.stage), 1);
	ASSERT_OK(mx_futex_wake(&w.futex, 1));
	while (atomic_load(&w.stage) < 2)
		mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
	ASSERT_EQ(atomic_load(&w.status), MX_OK);
	end(&w);
}

TEST(kill_suspended_thread)
{
	struct worker w = { 0 };
	mx_handle_t t = start(entry_busy, &w);
	unsigned long b;

	while (atomic_load(&w.count) < 1000)
		sched_yield();
	ASSERT_OK(mx_task_suspend(t));
	WAIT_S(t, MX_THREAD_SUSPENDED);
	b = atomic_load(&w.count);
	ASSERT_OK(mx_task_kill(t));
	WAIT_S(t, MX_THREAD_TERMINATED);
	/* It never ran its code again. */
	ASSERT_EQ(atomic_load(&w.count), b);
	ASSERT_EQ(state_of(t), MX_THREAD_STATE_DEAD);
	ASSERT_STATUS(mx_task_suspend(t), MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_task_resume(t, 0), MX_ERR_BAD_STATE);
	ASSERT_OK(mx_handle_close(t));
}

static _Atomic int handled;

static void on_usr1(int sig)
{
	(void)sig;
	atomic_store(&handled, 1);
}

/* A Linux signal waits for the resume too: no user code runs. */
TEST(signal_handler_waits_for_the_resume)
{
	struct worker w = { 0 };
	mx_handle_t t = start(entry_busy, &w);

	mxt_on_signal(SIGUSR1, on_usr1);
	while (!atomic_load(&w.tid))
		sched_yield();
	ASSERT_OK(mx_task_suspend(t));
	WAIT_S(t, MX_THREAD_SUSPENDED);
	ASSERT_EQ(syscall(SYS_tgkill, getpid(), atomic_load(&w.tid), SIGUSR1),
		  0);
	mx_nanosleep(mx_deadline_after(MX_MSEC(100)));
	ASSERT_EQ(atomic_load(&handled), 0);
	ASSERT_EQ(state_of(t), MX_THREAD_STATE_SUSPENDED);
	ASSERT_OK(mx_task_resume(t, 0));
	while (!atomic_load(&handled))
		sched_yield();
	end(&w);
}

static void entry_self(uintptr_t arg1, uintptr_t arg2)
{
	struct worker *w = (struct worker *)arg2;

	(void)arg1;
	while (!w->thread)
		sched_yield();
	atomic_store(&w->status, mx_task_suspend(w->thread));
	atomic_store(&w->stage, 1);
	for (;;)
		mx_nanosleep(mx_deadline_after(MX_SEC(1)));
}

/* A thread may suspend itself: it stops on its way out of the call. */
TEST(suspend_self)
{
	struct worker w = { 0 };
	mx_handle_t t = 0, dup;

	ASSERT_OK(mx_thread_create(mx_process_self(), "w", 1, 0, &t));
	dup = mxt_dup(t, MX_RIGHT_SAME_RIGHTS);
	ASSERT_OK(mx_thread_start(t, (uintptr_t)entry_self, mxt_stack(NULL),
				  0, (uintptr_t)&w));
	w.thread = dup;
	WAIT_S(t, MX_THREAD_SUSPENDED);
	mx_nanosleep(mx_deadline_after(MX_MSEC(50)));
	ASSERT_EQ(atomic_load(&w.stage), 0);
	ASSERT_OK(mx_task_resume(t, 0));
	while (atomic_load(&w.stage) < 1)
		sched_yield();
	ASSERT_EQ(atomic_load(&w.status), MX_OK);
	w.thread = t;
	end(&w);
	ASSERT_OK(mx_handle_close(dup));
}

TEST(errors_in_order)
{
	mx_handle_t t = 0, ro, ev = mxt_event(), p = 0;

	ASSERT_OK(mx_thread_create(mx_process_self(), "n", 1, 0, &t));
	/* Never started. */
	ASSERT_STATUS(mx_task_suspend(t), MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_task_resume(t, 0), MX_ERR_BAD_STATE);
	/* Options, before the handle. */
	ASSERT_STATUS(mx_task_resume(0x12345, 4), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_task_resume(0x12345, MX_RESUME_TRY_NEXT),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_task_resume(0x12345, 0), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_task_suspend(0x12345), MX_ERR_BAD_HANDLE);
	/* Suspend needs WRITE; resume no right. */
	ro = mxt_dup(mx_thread_self(), MX_RIGHT_READ);
	ASSERT_STATUS(mx_task_suspend(ro), MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_task_resume(ro, 0));
	/* Not in an exception (mx has none yet). */
	ASSERT_STATUS(mx_task_resume(ro, MX_RESUME_EXCEPTION),
		      MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_task_resume(ro, MX_RESUME_EXCEPTION |
				     MX_RESUME_TRY_NEXT), MX_ERR_BAD_STATE);
	/* Threads only. */
	ASSERT_STATUS(mx_task_suspend(mx_process_self()), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_task_suspend(mx_job_default()), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_task_resume(mx_process_self(), 0),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_task_suspend(ev), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_task_resume(ev, 0), MX_ERR_WRONG_TYPE);
	/* Killed before it started. */
	ASSERT_OK(mx_task_kill(t));
	ASSERT_STATUS(mx_task_suspend(t), MX_ERR_BAD_STATE);
	ASSERT_OK(mx_task_kill(t));
	ASSERT_OK(mx_process_create(mx_job_default(), "p", 1, 0, &p, NULL));
	ASSERT_OK(mx_handle_close(p));
	ASSERT_OK(mx_handle_close(ro));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(t));
}

/* A thread of another process, through a handle from get_child. */
TEST(suspend_a_thread_of_another_process)
{
	mx_handle_t p = 0, t = 0, ch = 0, c1 = 0, h = 0;
	mx_info_thread_t info;
	uint64_t koid;
	size_t actual;
	uint32_t nb;
	char ok[2];

	ASSERT_OK(mx_process_create(mx_job_default(), "p", 1, 0, &p, NULL));
	ASSERT_OK(mx_thread_create(p, "t", 1, 0, &t));
	ASSERT_OK(mx_channel_create(0, &ch, &c1));
	ASSERT_OK(mx_process_start(p, t, (uintptr_t)mxt_entry_ready,
				   mxt_stack(NULL), c1, 0));
	mxt_wait_signal(ch, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(ch, 0, ok, NULL, 2, 0, &nb, NULL));
	ASSERT_OK(mx_object_get_info(p, MX_INFO_PROCESS_THREADS, &koid,
				     sizeof(koid), &actual, NULL));
	ASSERT_EQ(actual, 1);
	ASSERT_OK(mx_object_get_child(p, koid, MX_RIGHT_SAME_RIGHTS, &h));
	ASSERT_OK(mx_task_suspend(h));
	WAIT_S(h, MX_THREAD_SUSPENDED);
	ASSERT_OK(mx_object_get_info(h, MX_INFO_THREAD, &info, sizeof(info),
				     NULL, NULL));
	ASSERT_EQ(info.state, MX_THREAD_STATE_SUSPENDED);
	ASSERT_OK(mx_task_resume(h, 0));
	ASSERT_OK(mx_task_kill(p));
	WAIT_S(p, MX_TASK_TERMINATED);
	ASSERT_OK(mx_handle_close(h));
	ASSERT_OK(mx_handle_close(t));
	ASSERT_OK(mx_handle_close(ch));
	ASSERT_OK(mx_handle_close(p));
}

static void as_other(void *arg)
{
	(void)arg;
	ASSERT_STATUS(mx_task_suspend(0x12345), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_task_resume(0x12345, 0), MX_ERR_BAD_HANDLE);
}

TEST(second_user)
{
	mxt_as_user(4345, as_other, NULL);
}
