// SPDX-License-Identifier: MIT
/*
 * mx_task_kill, mx_task_suspend, mx_task_resume: the calls tasks
 * (processes, threads, jobs) answer.
 */
#include "ioctl.h"

mx_status_t mx_task_kill(mx_handle_t task)
{
	return mx__ioctl_val(MX_IOC_TASK_KILL, (unsigned int)task);
}

mx_status_t mx_task_suspend(mx_handle_t task)
{
	return mx__ioctl_val(MX_IOC_TASK_SUSPEND, (unsigned int)task);
}

mx_status_t mx_task_resume(mx_handle_t task, uint32_t options)
{
	struct mx_ioc_task_resume a = { .handle = task, .options = options };

	return mx__ioctl(MX_IOC_TASK_RESUME, &a);
}
