// SPDX-License-Identifier: MIT
/*
 * mx_vmar_root_self, mx_vmar_allocate, mx_vmar_map, mx_vmar_unmap,
 * mx_vmar_protect, mx_vmar_destroy, mx_vmar_unmap_handle_close_thread_exit:
 * the VMARs of the calling process.
 *
 * The root VMAR's handle is asked of the module on every call rather than
 * cached here: the module gives the same handle again while it is open,
 * and a fork() child (a process of its own, with its own address space)
 * gets its own.
 */
#include <errno.h>

#include "ioctl.h"
#include "stack.h"

mx_handle_t mx_vmar_root_self(void)
{
	mx_handle_t h = MX_HANDLE_INVALID;
	struct mx_ioc_vmar_root a = { .out = MX_PTR(&h) };

	if (mx__ioctl(MX_IOC_VMAR_ROOT_SELF, &a) != MX_OK)
		return MX_HANDLE_INVALID;
	return h;
}

mx_status_t mx_vmar_allocate(mx_handle_t parent_vmar_handle, size_t offset,
			     size_t size, uint32_t map_flags,
			     mx_handle_t *child_vmar, uintptr_t *child_addr)
{
	struct mx_ioc_vmar_allocate a = {
		.parent = parent_vmar_handle,
		.flags = map_flags,
		.offset = offset,
		.size = size,
		.child_vmar = MX_PTR(child_vmar),
		.child_addr = MX_PTR(child_addr),
	};

	return mx__ioctl(MX_IOC_VMAR_ALLOCATE, &a);
}

mx_status_t mx_vmar_map(mx_handle_t vmar_handle, size_t vmar_offset,
			mx_handle_t vmo_handle, uint64_t vmo_offset,
			size_t len, uint32_t map_flags, uintptr_t *mapped_addr)
{
	struct mx_ioc_vmar_map a = {
		.vmar = vmar_handle,
		.vmo = vmo_handle,
		.vmar_offset = vmar_offset,
		.vmo_offset = vmo_offset,
		.len = len,
		.flags = map_flags,
		.mapped_addr = MX_PTR(mapped_addr),
	};

	return mx__ioctl(MX_IOC_VMAR_MAP, &a);
}

mx_status_t mx_vmar_unmap(mx_handle_t vmar_handle, uintptr_t addr, size_t len)
{
	struct mx_ioc_vmar_range a = {
		.vmar = vmar_handle,
		.addr = addr,
		.len = len,
	};

	return mx__ioctl(MX_IOC_VMAR_UNMAP, &a);
}

mx_status_t mx_vmar_protect(mx_handle_t vmar_handle, uintptr_t addr,
			    size_t len, uint32_t prot_flags)
{
	struct mx_ioc_vmar_range a = {
		.vmar = vmar_handle,
		.flags = prot_flags,
		.addr = addr,
		.len = len,
	};

	return mx__ioctl(MX_IOC_VMAR_PROTECT, &a);
}

mx_status_t mx_vmar_destroy(mx_handle_t vmar_handle)
{
	return mx__ioctl_val(MX_IOC_VMAR_DESTROY, (unsigned int)vmar_handle);
}

/*
 * Unmap, then close @handle and end the thread, all or nothing of the
 * last two: a thread freeing its own stack (Magenta's vDSO helper). Once
 * the unmap succeeded nothing touches the stack (stack.c). A thread libmx
 * did not start (a pthread on its own stack, which the unmap cannot have
 * taken from under libc) ends as mx_thread_exit() ends it.
 */
mx_status_t mx_vmar_unmap_handle_close_thread_exit(mx_handle_t vmar_handle,
						   uintptr_t addr, size_t len,
						   mx_handle_t handle)
{
	struct mx_ioc_vmar_range a = {
		.vmar = vmar_handle,
		.addr = addr,
		.len = len,
	};
	int fd = mx__device_fd();
	mx_status_t s;
	long r;

	if (fd < 0 || !mx__stack_is_ours()) {
		s = mx__ioctl(MX_IOC_VMAR_UNMAP, &a);
		if (s != MX_OK)
			return s;
		if (mx_handle_close(handle) != MX_OK)
			__builtin_trap();
		mx_thread_exit();
	}
	do {
		r = mx__unmap_close_leave(fd, MX_IOC_VMAR_UNMAP, &a,
					  MX_IOC_HANDLE_CLOSE, handle);
	} while (r == -EINTR);
	return mx__raw_status(r);
}
