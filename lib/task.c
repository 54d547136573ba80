// SPDX-License-Identifier: MIT
/*
 * Processes, threads and jobs.
 *
 * mx_thread_start(): the module checks the thread handle and claims the
 * thread (it reads as started from then on), libmx creates a detached
 * pthread (so the thread has a TCB, TLS and can call libc) and returns
 * without waiting for it; the new thread binds itself to the thread object
 * by the handle value of the start (whatever became of the handle), then
 * switches to the caller's stack and calls entry(arg1, arg2). A thread
 * killed before it bound ends there, without running entry. The pthread's own stack only
 * holds that start-up frame. mx_thread_exit(), or entry returning, comes
 * back to the pthread's frame, which returns and lets libc free it.
 *
 * mx_process_start(): the module arms the start in the calling thread
 * (checks, takes arg1 and tells its value in the new process), libmx
 * fork()s, and the kernel gives the arm to that child, which binds itself
 * to the process object with its first mx call (MX_IOC_PROCESS_CLAIM;
 * see the module's start.c), then switches to the stack and calls
 * entry(arg1, arg2). Nobody waits for anybody. Signals are blocked from
 * the arm to the fork, so that no handler forks in between; a failed
 * fork() undoes the arm. The launcher's child is a vfork()-style clone
 * instead (launch.c), which the module also gives a launcher's arm to.
 *
 * Thread kill: the module forces MX_THREAD_KILL_SIGNAL on the thread; the
 * handler below ends that thread alone with the exit system call, at once
 * (like Magenta's kill, no clean-up runs in the thread).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

static void mx__kill_handler(int sig)
{
	(void)sig;
	for (;;)
		syscall(SYS_exit, 0);
}

void mx__install_kill_handler(void)
{
	struct sigaction sa, old;

	/* Leave a handler the application installed on purpose alone. */
	if (sigaction(MX_THREAD_KILL_SIGNAL, NULL, &old) != 0 ||
	    old.sa_handler != SIG_DFL || (old.sa_flags & SA_SIGINFO))
		return;
	sa = (struct sigaction){ .sa_handler = mx__kill_handler };
	sigfillset(&sa.sa_mask);
	sigaction(MX_THREAD_KILL_SIGNAL, &sa, NULL);
}

/* ---- threads ---- */

mx_handle_t mx_thread_self(void)
{
	struct mx_ioc_thread_self a = { 0, 0 };

	if (mx__ioctl(MX_IOC_THREAD_SELF, &a) != MX_OK)
		return MX_HANDLE_INVALID;
	return a.thread;
}

mx_status_t mx_thread_create(mx_handle_t process, const char *name,
			     uint32_t name_len, uint32_t options,
			     mx_handle_t *out)
{
	struct mx_ioc_task_create a = {
		.parent = process,
		.options = options,
		.name = MX_PTR(name),
		.name_len = name_len,
		.out = MX_PTR(out),
	};

	return mx__ioctl(MX_IOC_THREAD_CREATE, &a);
}

struct mx_thread_boot {
	mx_handle_t thread;
	uintptr_t entry, stack, arg1, arg2;
};

static void *mx__thread_boot(void *arg)
{
	struct mx_thread_boot *b = arg;
	struct mx_ioc_thread_start a = {
		.thread = b->thread,
		.flags = MX_THREAD_START_CLAIMED,
	};
	uintptr_t entry = b->entry, stack = b->stack;
	uintptr_t arg1 = b->arg1, arg2 = b->arg2;
	mx_status_t s;
	void *saved;

	free(b);
	s = mx__ioctl(MX_IOC_THREAD_START, &a);
	if (s != MX_OK) {
		/* Killed before it ran, or its process is ending. */
		if (s != MX_ERR_BAD_STATE) {
			a.flags = MX_THREAD_START_ABORT;
			mx__ioctl(MX_IOC_THREAD_START, &a);
		}
		return NULL;
	}
	mx__saved_sp = &saved;
	mx__run_on_stack(entry, stack, arg1, arg2, &saved);
	mx__saved_sp = NULL;
	return NULL;
}

mx_status_t mx_thread_start(mx_handle_t thread, uintptr_t entry,
			    uintptr_t stack, uintptr_t arg1, uintptr_t arg2)
{
	struct mx_ioc_thread_start a = {
		.thread = thread,
		.flags = MX_THREAD_START_CLAIM,
	};
	struct mx_thread_boot *b;
	pthread_attr_t attr;
	pthread_t tid;
	mx_status_t s;
	int r, saved = errno;

	s = mx__ioctl(MX_IOC_THREAD_START, &a);
	if (s != MX_OK)
		return s;
	/* The thread reads as started: give the claim back on failure. */
	b = malloc(sizeof(*b));
	if (!b || pthread_attr_init(&attr) != 0) {
		s = MX_ERR_NO_MEMORY;
		goto out_abort;
	}
	*b = (struct mx_thread_boot){ thread, entry, stack, arg1, arg2 };
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	r = pthread_create(&tid, &attr, mx__thread_boot, b);
	pthread_attr_destroy(&attr);
	if (r != 0) {
		s = r == EAGAIN ? MX_ERR_NO_RESOURCES : MX_ERR_NO_MEMORY;
		goto out_abort;
	}
	errno = saved;
	return MX_OK;

out_abort:
	free(b);
	a.flags = MX_THREAD_START_ABORT;
	mx__ioctl(MX_IOC_THREAD_START, &a);
	errno = saved;
	return s;
}

void mx_thread_exit(void)
{
	void **saved = mx__saved_sp;

	/* A thread of mx_thread_start(): return into its pthread frame. */
	if (saved) {
		mx__saved_sp = NULL;
		mx__return_to(*saved);
	}
	/* Any other thread is a pthread: let libc end it properly. */
	pthread_exit(NULL);
}

/* ---- processes ---- */

mx_status_t mx_process_create(mx_handle_t job, const char *name,
			      uint32_t name_len, uint32_t options,
			      mx_handle_t *proc_handle, mx_handle_t *vmar_handle)
{
	struct mx_ioc_task_create a = {
		.parent = job,
		.options = options,
		.name = MX_PTR(name),
		.name_len = name_len,
		.out = MX_PTR(proc_handle),
		.out_vmar = MX_PTR(vmar_handle),
	};

	return mx__ioctl(MX_IOC_PROCESS_CREATE, &a);
}

struct mx_start_child {
	void (*child)(void *arg, struct mx_start_child *sc);
	void *arg;
	sigset_t old_mask;
};

void mx__start_unblock(struct mx_start_child *sc)
{
	pthread_sigmask(SIG_SETMASK, &sc->old_mask, NULL);
}

/* The child of mx__start(): claim the process, then run the caller's part. */
static int mx__start_child_fn(void *arg)
{
	struct mx_start_child *sc = arg;

	if (mx__ioctl(MX_IOC_PROCESS_CLAIM, NULL) != MX_OK)
		syscall(SYS_exit_group, 127);
	sc->child(sc->arg, sc);
	syscall(SYS_exit_group, 127);
	return 127;
}

/* The start of the child of mx_process_start(): never returns. */
__attribute__((noreturn))
static void mx__start_child(uintptr_t entry, uintptr_t stack, uintptr_t arg1,
			    uintptr_t arg2)
{
	void *saved;

	/*
	 * entry returning, or mx_thread_exit(), comes back here; the thread
	 * then ends with the exit system call, not exit(), which would run
	 * the parent's atexit handlers and flush its stdio buffers again.
	 */
	mx__saved_sp = &saved;
	mx__run_on_stack(entry, stack, arg1, arg2, &saved);
	mx__saved_sp = NULL;
	for (;;)
		syscall(SYS_exit, 0);
}

/*
 * The common part of mx_process_start() and mx_launch(): arm, fork (with
 * @vfork_stack: a clone that shares the memory and suspends the caller
 * until the child execs or exits, on that stack), and the child claims
 * the process and runs @child, which does not return. @values receives
 * the new handle values, known before the fork, so the child has them.
 * The child starts with every signal blocked and @old_mask to restore.
 */
mx_status_t mx__start(struct mx_ioc_process_start *a, mx_handle_t *values,
		      void (*child)(void *arg, struct mx_start_child *sc),
		      void *arg, void *vfork_stack, pid_t *child_pid)
{
	struct mx_ioc_process_start abort_arm = {
		.flags = MX_PROCESS_START_ABORT,
	};
	struct mx_start_child sc = { .child = child, .arg = arg };
	int saved = errno;
	sigset_t all;
	mx_status_t s;
	pid_t pid;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &sc.old_mask);
	a->out = MX_PTR(values);
	s = mx__ioctl(MX_IOC_PROCESS_START, a);
	if (s != MX_OK)
		goto out;
	if (vfork_stack) {
		pid = clone(mx__start_child_fn, vfork_stack,
			    CLONE_VM | CLONE_VFORK | SIGCHLD, &sc);
	} else {
		pid = fork();
		if (pid == 0)
			mx__start_child_fn(&sc);
	}
	if (pid < 0) {
		mx__ioctl(MX_IOC_PROCESS_START, &abort_arm);
		s = MX_ERR_NO_RESOURCES;
		goto out;
	}
	if (child_pid)
		*child_pid = pid;
out:
	pthread_sigmask(SIG_SETMASK, &sc.old_mask, NULL);
	errno = saved;
	return s;
}

struct mx_start_args {
	uintptr_t entry, stack, arg2;
	mx_handle_t arg1;
};

static void mx__process_child(void *arg, struct mx_start_child *sc)
{
	struct mx_start_args *sa = arg;

	mx__start_unblock(sc);
	mx__start_child(sa->entry, sa->stack, (uintptr_t)sa->arg1, sa->arg2);
}

mx_status_t mx_process_start(mx_handle_t process, mx_handle_t thread,
			     uintptr_t entry, uintptr_t stack,
			     mx_handle_t arg1, uintptr_t arg2)
{
	struct mx_ioc_process_start a = {
		.process = process,
		.thread = thread,
		.arg1 = arg1,
	};
	struct mx_start_args sa = { entry, stack, arg2, MX_HANDLE_INVALID };

	return mx__start(&a, &sa.arg1, mx__process_child, &sa, NULL, NULL);
}

void mx_process_exit(int retcode)
{
	/*
	 * A code that the exit status carries needs no call: the module
	 * reads it from the exit (as for exit()). Others it is told first.
	 */
	if (retcode < 0 || retcode > 255)
		mx__ioctl_val(MX_IOC_PROCESS_EXIT, (unsigned int)retcode);
	for (;;)
		_exit(retcode);
}

mx_status_t mx_task_kill(mx_handle_t task)
{
	return mx__ioctl_val(MX_IOC_TASK_KILL, (unsigned int)task);
}

/* ---- jobs ---- */

mx_status_t mx_job_create(mx_handle_t parent_job, uint32_t options,
			  mx_handle_t *out)
{
	struct mx_ioc_job_create a = {
		.parent = parent_job,
		.options = options,
		.out = MX_PTR(out),
	};

	return mx__ioctl(MX_IOC_JOB_CREATE, &a);
}
