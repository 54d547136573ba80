// SPDX-License-Identifier: MIT
/*
 * task: process and thread creation (bench.h).
 *
 *   process-life   mx_process_create + mx_thread_create + mx_process_start
 *                  (with an event as the bootstrap handle, as a real start
 *                  passes a channel end), the child calls
 *                  mx_process_exit(0), the parent waits for
 *                  MX_TASK_TERMINATED, closes its handles and reaps the
 *                  Linux child. Against fork + _exit(0) + waitpid
 *   thread-life    mx_thread_create + mx_thread_start of a thread that
 *                  returns at once, a wait for MX_TASK_TERMINATED and the
 *                  close of its handle. Against pthread_create +
 *                  pthread_join
 *
 * Both sides run their children on the CPU the program is pinned to, as
 * every other case does.
 */
#include "bench.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define STACK_SIZE	(64 * 1024)

static uintptr_t stack_top;

static uintptr_t new_stack(void)
{
	char *b = malloc(STACK_SIZE);

	if (!b)
		die("malloc", 0);
	return (uintptr_t)(b + STACK_SIZE);
}

/* ---- processes */

static void child_entry(uintptr_t arg1, uintptr_t arg2)
{
	(void)arg1;
	(void)arg2;
	mx_process_exit(0);
}

static void mx_process_life(void *arg, uint64_t n)
{
	mx_handle_t p, t, ev;
	int status;

	(void)arg;
	while (n--) {
		check(mx_process_create(mx_job_default(), "b", 1, 0, &p, NULL),
		      "mx_process_create");
		check(mx_thread_create(p, "m", 1, 0, &t), "mx_thread_create");
		check(mx_event_create(0, &ev), "mx_event_create");
		check(mx_process_start(p, t, (uintptr_t)child_entry, stack_top,
				       ev, 0), "mx_process_start");
		check(mx_object_wait_one(p, MX_TASK_TERMINATED,
					 MX_TIME_INFINITE, NULL),
		      "mx_object_wait_one");
		check(mx_handle_close(t), "mx_handle_close");
		check(mx_handle_close(p), "mx_handle_close");
		if (waitpid(-1, &status, 0) < 0 || status != 0)
			die("waitpid", status);
	}
}

static void fork_life(void *arg, uint64_t n)
{
	int status;
	pid_t pid;

	(void)arg;
	while (n--) {
		pid = fork();
		if (pid < 0)
			die("fork", pid);
		if (pid == 0)
			_exit(0);
		if (waitpid(pid, &status, 0) != pid || status != 0)
			die("waitpid", status);
	}
}

/* ---- threads */

static void thread_entry(uintptr_t arg1, uintptr_t arg2)
{
	(void)arg1;
	(void)arg2;
}

static void mx_thread_life(void *arg, uint64_t n)
{
	mx_handle_t t;

	(void)arg;
	while (n--) {
		check(mx_thread_create(mx_process_self(), "t", 1, 0, &t),
		      "mx_thread_create");
		check(mx_thread_start(t, (uintptr_t)thread_entry, stack_top,
				      0, 0), "mx_thread_start");
		/* TERMINATED comes once the thread is off its stack. */
		check(mx_object_wait_one(t, MX_TASK_TERMINATED,
					 MX_TIME_INFINITE, NULL),
		      "mx_object_wait_one");
		check(mx_handle_close(t), "mx_handle_close");
	}
}

static void *pthread_entry(void *arg)
{
	return arg;
}

static void pthread_life(void *arg, uint64_t n)
{
	pthread_t th;
	int err;

	(void)arg;
	while (n--) {
		err = pthread_create(&th, NULL, pthread_entry, NULL);
		if (err)
			die("pthread_create", err);
		err = pthread_join(th, NULL);
		if (err)
			die("pthread_join", err);
	}
}

int main(void)
{
	bench_init("task");
	stack_top = new_stack();
	/* A fork costs a millisecond or more under emulation: fewer pairs. */
	bench_set_target(2000000ull, 101);
	bench_pair("process-life", "fork+waitpid", mx_process_life, NULL,
		   fork_life, NULL);
	bench_set_target(0, 0);
	bench_pair("thread-life", "pthread", mx_thread_life, NULL,
		   pthread_life, NULL);
	return 0;
}
