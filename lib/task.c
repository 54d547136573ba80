// SPDX-License-Identifier: MIT
/* mx_task_kill: the call every task (process, thread, job) answers. */
#include "ioctl.h"

mx_status_t mx_task_kill(mx_handle_t task)
{
	return mx__ioctl_val(MX_IOC_TASK_KILL, (unsigned int)task);
}
