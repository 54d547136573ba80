// SPDX-License-Identifier: GPL-2.0
/*
 * ioctls on sockets: create, write, read.
 *
 * Locking (the order of all: docs/architecture.md): none of its own
 * (socket.c, handle_table.c). The handle is looked up once; user memory
 * is read before and written after the socket's locks, never under them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/uaccess.h>

#include "copy_in.h"
#include "handle_table.h"
#include "process.h"
#include "socket.h"
#include "sys_handle.h"

/**
 * mx_ioc_socket_create() - MX_IOC_SOCKET_CREATE: mx_socket_create()
 * @p: the calling process
 * @uarg: struct mx_ioc_create
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (options neither MX_SOCKET_STREAM
 * nor MX_SOCKET_DATAGRAM, or an out unwritable: nothing is installed),
 * MX_ERR_NO_MEMORY, MX_ERR_NO_RESOURCES.
 */
long mx_ioc_socket_create(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_create a;
	struct mx_object *objs[2];
	u64 uptrs[2];
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.pad || (a.options != MX_SOCKET_STREAM &&
		      a.options != MX_SOCKET_DATAGRAM))
		return MX_ERR_INVALID_ARGS;
	ret = mx_socket_new(a.options == MX_SOCKET_DATAGRAM, &objs[0],
			    &objs[1]);
	if (ret)
		return ret;
	uptrs[0] = a.out0;
	uptrs[1] = a.out1;
	return mx_sys_install_new(&p->table, objs, uptrs, 2);
}

/* Report a count to a size_t, unless its address is 0. */
static int mx_socket_put_actual(u64 uactual, u32 actual)
{
	if (uactual && put_user((u64)actual,
				(u64 __user *)u64_to_user_ptr(uactual)))
		return MX_ERR_INVALID_ARGS;
	return 0;
}

/* What the small write returns to send the call down the general path. */
#define MX_SOCKET_SLOW	1

/*
 * A small write: the bytes through the stack, the endpoint found without
 * a reference (socket.c). Return: as mx_ioc_socket_write() but for the
 * count's report, or MX_SOCKET_SLOW (a fault on the bytes) for the
 * general path, which checks in Magenta's order.
 */
static noinline int mx_socket_write_stack(struct mx_process *p,
					  const struct mx_ioc_socket_rw *a,
					  u32 *actual)
{
	/* Not zeroed first: only the bytes copied in are used. */
	u8 buf[MX_SOCKET_SMALL_BYTES] __uninitialized;

	if (mx_copy_in(buf, u64_to_user_ptr(a->buffer), a->size))
		return MX_SOCKET_SLOW;
	return mx_socket_write_small(&p->table, a->handle, &p->user, buf,
				     a->size, actual);
}

/**
 * mx_ioc_socket_write() - MX_IOC_SOCKET_WRITE: mx_socket_write()
 * @p: the calling process
 * @uarg: struct mx_ioc_socket_rw
 *
 * Needs MX_RIGHT_WRITE. A stream socket takes what fits; a datagram
 * socket takes all or nothing (mx_socket_write() in socket.c).
 *
 * Context: process context.
 * Return: MX_OK; in order: MX_ERR_INVALID_ARGS (bytes but no buffer),
 * MX_ERR_BAD_HANDLE / MX_ERR_WRONG_TYPE / MX_ERR_ACCESS_DENIED,
 * MX_ERR_INVALID_ARGS (options, or bytes with MX_SOCKET_HALF_CLOSE),
 * then as mx_socket_half_close() or mx_socket_write(); and
 * MX_ERR_INVALID_ARGS if the count cannot be reported.
 */
long mx_ioc_socket_write(struct mx_process *p, void __user *uarg)
{
	/* Not zeroed first: used only once copied in whole. */
	struct mx_ioc_socket_rw a __uninitialized;
	struct mx_object *obj;
	u32 actual = 0;
	int ret;

	if (mx_copy_in(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.size && !a.buffer)
		return MX_ERR_INVALID_ARGS;
	if (!a.options && a.size <= MX_SOCKET_SMALL_BYTES) {
		ret = mx_socket_write_stack(p, &a, &actual);
		if (ret != MX_SOCKET_SLOW)
			goto out;
	}
	ret = mx_ht_get(&p->table, a.handle, MX_RIGHT_WRITE, &mx_socket_ops,
			&obj, NULL);
	if (ret)
		return ret;
	if (a.options == MX_SOCKET_HALF_CLOSE)
		ret = a.size ? MX_ERR_INVALID_ARGS : mx_socket_half_close(obj);
	else if (a.options)
		ret = MX_ERR_INVALID_ARGS;
	else
		ret = mx_socket_write(obj, &p->user, u64_to_user_ptr(a.buffer),
				      a.size, &actual);
	mx_object_put(obj);
	if (a.options)
		return ret;
out:
	if (ret)
		return ret;
	return mx_socket_put_actual(a.actual, actual);
}

/**
 * mx_ioc_socket_read() - MX_IOC_SOCKET_READ: mx_socket_read()
 * @p: the calling process
 * @uarg: struct mx_ioc_socket_rw
 *
 * Needs MX_RIGHT_READ. With no buffer and a size of 0, reports the bytes
 * queued instead (Magenta's query).
 *
 * Context: process context.
 * Return: MX_OK; in order: MX_ERR_INVALID_ARGS (options, or a size but no
 * buffer), MX_ERR_BAD_HANDLE / MX_ERR_WRONG_TYPE / MX_ERR_ACCESS_DENIED,
 * then as mx_socket_read(); and MX_ERR_INVALID_ARGS if the count cannot
 * be reported.
 */
long mx_ioc_socket_read(struct mx_process *p, void __user *uarg)
{
	/* Not zeroed first: used only once copied in whole. */
	struct mx_ioc_socket_rw a __uninitialized;
	u32 actual = 0;
	int ret;

	if (mx_copy_in(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.options)
		return MX_ERR_INVALID_ARGS;
	if (!a.buffer && a.size)
		return MX_ERR_INVALID_ARGS;
	ret = mx_socket_read(&p->table, a.handle, u64_to_user_ptr(a.buffer),
			     a.size, &actual);
	if (ret)
		return ret;
	return mx_socket_put_actual(a.actual, actual);
}
