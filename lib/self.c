// SPDX-License-Identifier: MIT
/*
 * The calling process, thread and job: mx_process_self, mx_thread_self,
 * mx_job_default, mx_process_exit, mx_thread_exit.
 *
 * The handles are asked of the module on every call rather than cached,
 * so a fork() child (which starts with a table of its own) never sees its
 * parent's values. A started process gets its self handle from the module
 * on its first call, and has a job handle only if its launcher gave it one.
 */
#define _GNU_SOURCE
#include <unistd.h>

#include "ioctl.h"
#include "stack.h"
#include "startup.h"

static struct mx_ioc_self mx_self(void)
{
	struct mx_ioc_self s = { 0, 0 };

	if (mx__ioctl(MX_IOC_PROCESS_SELF, &s) != MX_OK)
		s.process = s.job = MX_HANDLE_INVALID;
	return s;
}

/*
 * A program run by mx_launch() holds the handles its launcher gave it;
 * others (and a process of mx_process_start()) get theirs from the module.
 */
mx_handle_t mx_process_self(void)
{
	mx_handle_t h = mx__startup_peek(PA_PROC_SELF);

	return h != MX_HANDLE_INVALID ? h : mx_self().process;
}

mx_handle_t mx_job_default(void)
{
	mx_handle_t h = mx_self().job;

	return h != MX_HANDLE_INVALID ? h : mx__startup_peek(PA_JOB_DEFAULT);
}

mx_handle_t mx_thread_self(void)
{
	struct mx_ioc_thread_self a = { 0, 0 };

	if (mx__ioctl(MX_IOC_THREAD_SELF, &a) != MX_OK)
		return MX_HANDLE_INVALID;
	return a.thread;
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

/*
 * A thread of mx_thread_start() or mx_process_start() returns into the
 * frame that started it (thread.c, process.c); any other thread is a
 * pthread and ends as one.
 */
void mx_thread_exit(void)
{
	mx__stack_leave();
}
