// SPDX-License-Identifier: MIT
/*
 * The calling process's own handles. They are asked of the module on every
 * call rather than cached, so a fork() child (which starts with a table of
 * its own) never sees its parent's values.
 */
#include "internal.h"

static struct mx_ioc_self mx_self(void)
{
	struct mx_ioc_self s = { 0, 0 };

	if (mx__ioctl(MX_IOC_PROCESS_SELF, &s) != MX_OK)
		s.process = s.job = MX_HANDLE_INVALID;
	return s;
}

mx_handle_t mx_process_self(void)
{
	return mx_self().process;
}

mx_handle_t mx_job_default(void)
{
	return mx_self().job;
}
