// SPDX-License-Identifier: MIT
/* mx_job_create */
#include "ioctl.h"

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
