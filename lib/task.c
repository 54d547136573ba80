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
 * mx_process_start(): the module checks, libmx fork()s, the module binds
 * the process object to that child (named by the parent, see the module's
 * mx_process_bind()) and moves arg1 into its table. The child meanwhile
 * waits in the module (MX_IOC_PROCESS_START_WAIT, its first mx call),
 * which returns arg1's new value once it is placed; the child then
 * switches to the stack and calls entry(arg1, arg2). If anything fails,
 * the parent kills and reaps the child; if the forking thread dies first,
 * the child dies with it (the wait arms SIGKILL as its parent-death
 * signal until it is started). Starts in one process are serialised (see
 * mx__start_lock), so no child of one holds a launcher's socket.
 *
 * Thread kill: the module forces MX_THREAD_KILL_SIGNAL on the thread; the
 * handler below ends that thread alone with the exit system call, at once
 * (like Magenta's kill, no clean-up runs in the thread).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

/* The start of the child of mx_process_start(): never returns. */
__attribute__((noreturn))
static void mx__start_child(pid_t parent, uintptr_t entry, uintptr_t stack,
			    uintptr_t arg2)
{
	struct mx_ioc_process_start_wait w = { .parent = parent };
	void *saved;

	if (mx__ioctl(MX_IOC_PROCESS_START_WAIT, &w) != MX_OK)
		_exit(127);
	/*
	 * entry returning, or mx_thread_exit(), comes back here; the thread
	 * then ends with the exit system call, not exit(), which would run
	 * the parent's atexit handlers and flush its stdio buffers again.
	 */
	mx__saved_sp = &saved;
	mx__run_on_stack(entry, stack, (uintptr_t)w.arg1, arg2, &saved);
	mx__saved_sp = NULL;
	for (;;)
		syscall(SYS_exit, 0);
}

/*
 * One start at a time in a process: a child forked by one start would
 * inherit the socket of a launch (launch.c), which would then see EOF
 * only when both had ended. A fork() child starts with the lock free,
 * whoever held it in the parent.
 */
static pthread_mutex_t mx__start_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t mx__start_once = PTHREAD_ONCE_INIT;

static void mx__start_child_reset(void)
{
	pthread_mutex_init(&mx__start_lock, NULL);
}

static void mx__start_init(void)
{
	pthread_atfork(NULL, NULL, mx__start_child_reset);
}

/*
 * The common part of mx_process_start() and mx_launch(): check, fork, let
 * @child run in the child, and bind. With @parent_fd (the launcher) the
 * child gets the read end of a socket pair and the parent sends it the
 * @nvalues new handle values; *@parent_fd then stays open for the caller.
 * Without it the child gets -1 and learns its value from the module. On
 * failure the child is reaped.
 */
mx_status_t mx__start(struct mx_ioc_process_start *a, mx_handle_t *values,
		      uint32_t nvalues, void (*child)(int fd, void *arg),
		      void *arg, pid_t *child_pid, int *parent_fd)
{
	int sv[2] = { -1, -1 }, saved = errno;
	mx_status_t s;
	pid_t pid;

	a->pid = 0;
	s = mx__ioctl(MX_IOC_PROCESS_START, a);
	if (s != MX_OK)
		return s;
	pthread_once(&mx__start_once, mx__start_init);
	pthread_mutex_lock(&mx__start_lock);
	if (parent_fd &&
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		pthread_mutex_unlock(&mx__start_lock);
		errno = saved;
		return MX_ERR_NO_RESOURCES;
	}
	pid = fork();
	if (pid < 0) {
		if (parent_fd) {
			close(sv[0]);
			close(sv[1]);
		}
		pthread_mutex_unlock(&mx__start_lock);
		errno = saved;
		return MX_ERR_NO_RESOURCES;
	}
	if (pid == 0) {
		if (parent_fd)
			close(sv[0]);
		child(sv[1], arg);
		_exit(127);
	}
	if (parent_fd)
		close(sv[1]);
	a->pid = pid;
	a->out = parent_fd ? MX_PTR(values) : 0;
	s = mx__ioctl(MX_IOC_PROCESS_START, a);
	if (s == MX_OK && parent_fd && nvalues &&
	    send(sv[0], values, nvalues * sizeof(*values), MSG_NOSIGNAL) !=
		    (ssize_t)(nvalues * sizeof(*values)))
		s = MX_ERR_INTERNAL;	/* the child died: it is dead anyway */
	if (s != MX_OK) {
		/* Not bound, or dead: it has no business going on. */
		if (parent_fd)
			close(sv[0]);
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		pthread_mutex_unlock(&mx__start_lock);
		errno = saved;
		return s;
	}
	if (child_pid)
		*child_pid = pid;
	if (parent_fd) {
		/* The caller unlocks once it is done with the socket. */
		*parent_fd = sv[0];
	} else {
		pthread_mutex_unlock(&mx__start_lock);
	}
	errno = saved;
	return MX_OK;
}

void mx__start_unlock(void)
{
	pthread_mutex_unlock(&mx__start_lock);
}

struct mx_start_args {
	pid_t parent;
	uintptr_t entry, stack, arg2;
};

static void mx__process_child(int fd, void *arg)
{
	struct mx_start_args *sa = arg;

	(void)fd;
	mx__start_child(sa->parent, sa->entry, sa->stack, sa->arg2);
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
	/* The thread that forks, which the child dies with until started. */
	struct mx_start_args sa = { gettid(), entry, stack, arg2 };

	return mx__start(&a, NULL, 1, mx__process_child, &sa, NULL, NULL);
}

void mx_process_exit(int retcode)
{
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
