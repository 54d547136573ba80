// SPDX-License-Identifier: MIT
/*
 * Debugger access to another process's handles: mx_debug_list_handles,
 * mx_debug_copy_handle and their by-pid forms.
 */
#include "ioctl.h"

static mx_status_t mx_debug_list(mx_handle_t process, pid_t pid,
				 mx_debug_process_t *info,
				 mx_debug_handle_t *buffer, size_t count,
				 size_t *actual, size_t *avail)
{
	uint32_t act = 0, av = 0;
	struct mx_ioc_debug_list a = {
		.process = process,
		.pid = pid,
		.count = count > UINT32_MAX ? UINT32_MAX : (uint32_t)count,
		.buffer = MX_PTR(buffer),
		.info = MX_PTR(info),
		.actual = MX_PTR(&act),
		.avail = MX_PTR(&av),
	};
	mx_status_t st;

	st = mx__ioctl(MX_IOC_DEBUG_LIST_HANDLES, &a);
	if (st != MX_OK)
		return st;
	if (actual)
		*actual = act;
	if (avail)
		*avail = av;
	return MX_OK;
}

mx_status_t mx_debug_list_handles(mx_handle_t process,
				  mx_debug_process_t *info,
				  mx_debug_handle_t *buffer, size_t count,
				  size_t *actual, size_t *avail)
{
	if (process == MX_HANDLE_INVALID)
		return MX_ERR_BAD_HANDLE;
	return mx_debug_list(process, 0, info, buffer, count, actual, avail);
}

mx_status_t mx_debug_list_handles_pid(pid_t pid, mx_debug_process_t *info,
				      mx_debug_handle_t *buffer, size_t count,
				      size_t *actual, size_t *avail)
{
	if (pid <= 0)
		return MX_ERR_INVALID_ARGS;
	return mx_debug_list(MX_HANDLE_INVALID, pid, info, buffer, count,
			     actual, avail);
}

static mx_status_t mx_debug_copy(mx_handle_t process, pid_t pid,
				 mx_handle_t handle, mx_rights_t rights,
				 mx_handle_t *out)
{
	struct mx_ioc_debug_copy a = {
		.process = process,
		.pid = pid,
		.handle = handle,
		.rights = rights,
		.out = MX_PTR(out),
	};

	return mx__ioctl(MX_IOC_DEBUG_COPY_HANDLE, &a);
}

mx_status_t mx_debug_copy_handle(mx_handle_t process, mx_handle_t handle,
				 mx_rights_t rights, mx_handle_t *out)
{
	if (process == MX_HANDLE_INVALID)
		return MX_ERR_BAD_HANDLE;
	return mx_debug_copy(process, 0, handle, rights, out);
}

mx_status_t mx_debug_copy_handle_pid(pid_t pid, mx_handle_t handle,
				     mx_rights_t rights, mx_handle_t *out)
{
	if (pid <= 0)
		return MX_ERR_INVALID_ARGS;
	return mx_debug_copy(MX_HANDLE_INVALID, pid, handle, rights, out);
}
