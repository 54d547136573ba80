// SPDX-License-Identifier: MIT
/*
 * Thread kill: the module forces MX_THREAD_KILL_SIGNAL on the thread; the
 * handler below ends that thread alone with the exit system call, at once
 * (like Magenta's kill, no clean-up runs in the thread). ioctl.c installs
 * it when it first opens /dev/mx. This file calls no other file of libmx.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <mx.h>

#include "killed.h"

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
