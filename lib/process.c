// SPDX-License-Identifier: MIT
/*
 * The calling process's own handles. They are asked of the module on every
 * call rather than cached, so a fork() child (which starts with a table of
 * its own) never sees its parent's values. A started process gets its self
 * handle from the module on its first call, and has a job handle only if
 * its launcher gave it one.
 */
#include "internal.h"

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
