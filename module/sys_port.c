// SPDX-License-Identifier: GPL-2.0
/*
 * ioctls of ports: mx_port_create, mx_port_queue, mx_port_wait,
 * mx_port_cancel and mx_object_wait_async.
 *
 * Locking (the order of all: docs/architecture.md): none of its own; see
 * port.c and handle_table.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/uaccess.h>

#include "ioctl.h"
#include "port.h"
#include "process.h"
#include "sys_handle.h"
#include "user.h"

/**
 * mx_ioc_port_create() - MX_IOC_PORT_CREATE: mx_port_create()
 * @p: the calling process
 * @uarg: struct mx_ioc_create
 *
 * Only v2 ports exist: options must be MX_PORT_OPT_V2.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (unknown option bits, reserved
 * fields, out unwritable), MX_ERR_NOT_SUPPORTED (options 0: a v1 port),
 * MX_ERR_NO_MEMORY, MX_ERR_NO_RESOURCES.
 */
long mx_ioc_port_create(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_create a;
	struct mx_object *obj;

	if (copy_from_user(&a, uarg, sizeof(a)) || a.pad)
		return MX_ERR_INVALID_ARGS;
	if (a.options & ~MX_PORT_OPT_V2)
		return MX_ERR_INVALID_ARGS;
	if (a.options != MX_PORT_OPT_V2)
		return MX_ERR_NOT_SUPPORTED;
	obj = mx_port_new();
	if (!obj)
		return MX_ERR_NO_MEMORY;
	return mx_sys_install_new(&p->table, &obj, &a.out0, 1);
}

/* The port a handle of the caller's names, for a call that needs WRITE. */
static int mx_port_get(struct mx_process *p, s32 value, struct mx_object **port)
{
	return mx_ht_get(&p->table, value, MX_RIGHT_WRITE, &mx_port_ops, port,
			 NULL);
}

/**
 * mx_ioc_port_queue() - MX_IOC_PORT_QUEUE: mx_port_queue()
 * @p: the calling process
 * @uarg: struct mx_ioc_port_queue
 *
 * Needs MX_RIGHT_WRITE.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED,
 * MX_ERR_WRONG_TYPE (not a port, or size not 0 as on a v2 port),
 * MX_ERR_INVALID_ARGS (packet NULL or unreadable, reserved fields),
 * MX_ERR_NO_RESOURCES (the user's max_user_message_bytes),
 * MX_ERR_NO_MEMORY, MX_ERR_SHOULD_WAIT (the port's user packet limit).
 */
long mx_ioc_port_queue(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_port_queue a;
	struct mx_port_packet pkt;
	struct mx_object *obj;
	struct mx_user *user;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)) || a.pad)
		return MX_ERR_INVALID_ARGS;
	ret = mx_port_get(p, a.handle, &obj);
	if (ret)
		return ret;
	if (a.size) {
		ret = MX_ERR_WRONG_TYPE;
		goto out_put;
	}
	if (!a.packet ||
	    copy_from_user(&pkt, u64_to_user_ptr(a.packet), sizeof(pkt))) {
		ret = MX_ERR_INVALID_ARGS;
		goto out_put;
	}
	user = mx_user_cached(&p->user);
	if (!user) {
		ret = MX_ERR_NO_MEMORY;
		goto out_put;
	}
	ret = mx_port_queue_packet(obj, &pkt, user);
	mx_user_put(user);
out_put:
	mx_object_put(obj);
	return ret;
}

/* mx_port_wait_packet()'s delivery: the packet to user memory (@ctx). */
static int mx_port_copy_out(const struct mx_port_packet *pkt, void *ctx)
{
	struct mx_port_packet __user *upkt = (void __force __user *)ctx;

	return copy_to_user(upkt, pkt, sizeof(*pkt)) ? MX_ERR_INVALID_ARGS : 0;
}

/**
 * mx_ioc_port_wait() - MX_IOC_PORT_WAIT: mx_port_wait()
 * @p: the calling process
 * @uarg: struct mx_ioc_port_wait
 *
 * Needs MX_RIGHT_WRITE (v2 ports, as Magenta). The packet buffer is
 * written only with a packet, as in Magenta; a packet that cannot be
 * copied to it stays queued (mx_port_wait_packet()).
 *
 * Context: process context; sleeps.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (packet NULL, reserved fields),
 * MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED, MX_ERR_WRONG_TYPE (not a port,
 * or size not 0), MX_ERR_TIMED_OUT, then MX_ERR_INVALID_ARGS again when a
 * packet came and could not be written; or -ERESTARTNOINTR.
 */
long mx_ioc_port_wait(struct mx_process *p, void __user *uarg)
{
	struct mx_port_packet __user *upkt;
	struct mx_ioc_port_wait a;
	struct mx_object *obj;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)) || a.pad)
		return MX_ERR_INVALID_ARGS;
	if (!a.packet)
		return MX_ERR_INVALID_ARGS;
	upkt = u64_to_user_ptr(a.packet);
	ret = mx_port_get(p, a.handle, &obj);
	if (ret)
		return ret;
	if (a.size) {
		ret = MX_ERR_WRONG_TYPE;
		goto out_put;
	}
	ret = mx_port_wait_packet(obj, a.deadline, mx_port_copy_out,
				  (void __force *)upkt);
out_put:
	mx_object_put(obj);
	return ret;
}

/**
 * mx_ioc_port_cancel() - MX_IOC_PORT_CANCEL: mx_port_cancel()
 * @p: the calling process
 * @uarg: struct mx_ioc_port_cancel
 *
 * Needs MX_RIGHT_WRITE on the port, then MX_RIGHT_READ on the source
 * handle, whose object must be waitable (Magenta's code).
 *
 * Context: process context.
 * Return: MX_OK (something was removed); MX_ERR_NOT_FOUND;
 * MX_ERR_INVALID_ARGS (arguments unreadable); for the port
 * MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED, MX_ERR_WRONG_TYPE; for the
 * source MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED, MX_ERR_NOT_SUPPORTED.
 */
long mx_ioc_port_cancel(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_port_cancel a;
	struct mx_object *obj;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	ret = mx_port_get(p, a.port, &obj);
	if (ret)
		return ret;
	ret = mx_port_cancel_key(&p->table, obj, a.source, a.key);
	mx_object_put(obj);
	return ret;
}

/**
 * mx_ioc_wait_async() - MX_IOC_OBJECT_WAIT_ASYNC: mx_object_wait_async()
 * @p: the calling process
 * @uarg: struct mx_ioc_wait_async
 *
 * The port needs MX_RIGHT_WRITE, the handle MX_RIGHT_READ. Options 0 is
 * ONCE, anything else REPEATING (Magenta's code does not check them).
 *
 * Context: process context.
 * Return: MX_OK; for the port MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED,
 * MX_ERR_WRONG_TYPE; for the handle MX_ERR_BAD_HANDLE,
 * MX_ERR_ACCESS_DENIED, MX_ERR_NOT_SUPPORTED (not waitable);
 * MX_ERR_NO_RESOURCES (the user's max_user_watches); MX_ERR_NO_MEMORY;
 * MX_ERR_INVALID_ARGS (arguments unreadable).
 */
long mx_ioc_wait_async(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_wait_async a;
	struct mx_object *port;
	struct mx_user *user;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	ret = mx_port_get(p, a.port, &port);
	if (ret)
		return ret;
	user = mx_user_cached(&p->user);
	if (!user) {
		ret = MX_ERR_NO_MEMORY;
		goto out_put;
	}
	ret = mx_port_wait_async(&p->table, a.handle, port, a.key, a.signals,
				 a.options != MX_WAIT_ASYNC_ONCE, user);
	mx_user_put(user);
out_put:
	mx_object_put(port);
	return ret;
}
