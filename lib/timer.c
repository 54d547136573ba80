// SPDX-License-Identifier: MIT
/* mx_timer_create, mx_timer_start, mx_timer_cancel */
#include "ioctl.h"

mx_status_t mx_timer_create(uint32_t options, uint32_t clock_id,
			    mx_handle_t *out)
{
	struct mx_ioc_timer_create a = {
		.options = options,
		.clock_id = clock_id,
		.out = MX_PTR(out),
	};

	return mx__ioctl(MX_IOC_TIMER_CREATE, &a);
}

mx_status_t mx_timer_start(mx_handle_t handle, mx_time_t deadline,
			   mx_duration_t period, mx_duration_t slack)
{
	struct mx_ioc_timer_start a = {
		.handle = handle,
		.deadline = deadline,
		.period = period,
		.slack = slack,
	};

	return mx__ioctl(MX_IOC_TIMER_START, &a);
}

mx_status_t mx_timer_cancel(mx_handle_t handle)
{
	return mx__ioctl_val(MX_IOC_TIMER_CANCEL, (unsigned int)handle);
}
