// SPDX-License-Identifier: MIT
/* mx_handle_close, mx_handle_duplicate, mx_handle_replace */
#include "ioctl.h"

mx_status_t mx_handle_close(mx_handle_t handle)
{
	return mx__ioctl_val(MX_IOC_HANDLE_CLOSE, (unsigned int)handle);
}

/* duplicate and replace take the same arguments: one to a new handle. */
static mx_status_t mx__handle_dup(unsigned long cmd, mx_handle_t handle,
				  mx_rights_t rights, mx_handle_t *out)
{
	struct mx_ioc_handle_dup a = {
		.handle = handle,
		.rights = rights,
		.out = MX_PTR(out),
	};

	return mx__ioctl(cmd, &a);
}

mx_status_t mx_handle_duplicate(mx_handle_t handle, mx_rights_t rights,
				mx_handle_t *out)
{
	return mx__handle_dup(MX_IOC_HANDLE_DUPLICATE, handle, rights, out);
}

mx_status_t mx_handle_replace(mx_handle_t handle, mx_rights_t rights,
			      mx_handle_t *out)
{
	return mx__handle_dup(MX_IOC_HANDLE_REPLACE, handle, rights, out);
}

mx_status_t mx_handle_to_fd(mx_handle_t handle, int flags, int *fd)
{
	struct mx_ioc_handle_fd a = {
		.handle = handle,
		.flags = (uint32_t)flags,
		.fd = MX_PTR(fd),
	};

	return mx__ioctl(MX_IOC_HANDLE_TO_FD, &a);
}

mx_status_t mx_handle_from_fd(int fd, mx_handle_t *out)
{
	struct mx_ioc_handle_fd a = {
		.fd_in = fd,
		.fd = MX_PTR(out),
	};

	return mx__ioctl(MX_IOC_HANDLE_FROM_FD, &a);
}
