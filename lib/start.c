// SPDX-License-Identifier: MIT
/*
 * The start of a new process, common to mx_process_start() (process.c)
 * and mx_launch() (launch.c).
 *
 * The module arms the start in the calling thread (checks, takes the
 * handles and tells their values in the new process), libmx fork()s, and
 * the kernel gives the arm to that child, which binds itself to the
 * process object with its first mx call (MX_IOC_PROCESS_CLAIM; see the
 * module's start.c), then runs the caller's part. Nobody waits for
 * anybody. Signals are blocked from the arm to the fork, so that no
 * handler forks in between; a failed fork() undoes the arm. The
 * launcher's child is a vfork()-style clone instead, which the module
 * also gives a launcher's arm to.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ioctl.h"
#include "start.h"

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

/*
 * Arm, fork (with @vfork_stack: a clone that shares the memory and
 * suspends the caller until the child execs or exits, on that stack), and
 * the child claims the process and runs @child, which does not return.
 * @values receives the new handle values, known before the fork, so the
 * child has them. The child starts with every signal blocked and @old_mask
 * to restore.
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
