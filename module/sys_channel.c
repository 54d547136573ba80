// SPDX-License-Identifier: GPL-2.0
/*
 * ioctls on channels: create, write, read.
 *
 * Locking: none of its own (channel.c, handle_table.c); user memory is
 * copied before and after the channel's locks are taken, never under them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/uaccess.h>

#include "channel.h"
#include "ioctl.h"
#include "process.h"

/**
 * mx_ioc_channel_create() - MX_IOC_CHANNEL_CREATE: mx_channel_create()
 * @p: the calling process
 * @uarg: struct mx_ioc_create
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (options not 0, an out unwritable:
 * nothing is installed), MX_ERR_NO_MEMORY, MX_ERR_NO_RESOURCES.
 */
long mx_ioc_channel_create(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_create a;
	struct mx_object *objs[2];
	u64 uptrs[2];
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.options || a.pad)
		return MX_ERR_INVALID_ARGS;
	ret = mx_channel_create(&objs[0], &objs[1]);
	if (ret)
		return ret;
	uptrs[0] = a.out0;
	uptrs[1] = a.out1;
	return mx_ht_install_new(&p->table, objs, uptrs, 2);
}

/**
 * mx_ioc_channel_write() - MX_IOC_CHANNEL_WRITE: mx_channel_write()
 * @p: the calling process
 * @uarg: struct mx_ioc_channel_write
 *
 * Needs MX_RIGHT_WRITE on the channel and MX_RIGHT_TRANSFER on each handle
 * sent. The handles leave the caller only on success.
 *
 * Context: process context.
 * Return: MX_OK; in order: MX_ERR_INVALID_ARGS (options), MX_ERR_BAD_HANDLE
 * / MX_ERR_ACCESS_DENIED / MX_ERR_WRONG_TYPE (the channel),
 * MX_ERR_OUT_OF_RANGE (over 65536 bytes or 64 handles), MX_ERR_NO_MEMORY,
 * MX_ERR_INVALID_ARGS (bytes or handles unreadable), then per handle
 * MX_ERR_BAD_HANDLE / MX_ERR_NOT_SUPPORTED (the channel itself) /
 * MX_ERR_ACCESS_DENIED, MX_ERR_INVALID_ARGS (a handle twice),
 * MX_ERR_PEER_CLOSED, MX_ERR_NO_RESOURCES (peer's queue full).
 */
long mx_ioc_channel_write(struct mx_process *p, void __user *uarg)
{
	s32 values[MX_CHANNEL_MAX_MSG_HANDLES];
	struct mx_ioc_channel_write a;
	struct mx_message *m;
	struct mx_object *obj;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.options)
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, a.handle, MX_RIGHT_WRITE, &mx_channel_ops,
			&obj, NULL);
	if (ret)
		return ret;
	if (a.num_bytes > MX_CHANNEL_MAX_MSG_BYTES ||
	    a.num_handles > MX_CHANNEL_MAX_MSG_HANDLES) {
		ret = MX_ERR_OUT_OF_RANGE;
		goto out_put;
	}
	m = mx_message_alloc(a.num_bytes, a.num_handles);
	if (!m) {
		ret = MX_ERR_NO_MEMORY;
		goto out_put;
	}
	if (copy_from_user(mx_message_data(m), u64_to_user_ptr(a.bytes),
			   a.num_bytes) ||
	    copy_from_user(values, u64_to_user_ptr(a.handles),
			   a.num_handles * sizeof(s32))) {
		ret = MX_ERR_INVALID_ARGS;
		goto out_free;
	}
	ret = mx_channel_write(&p->table, obj, m, values);
	if (ret)
		goto out_free;
	mx_object_put(obj);
	return MX_OK;

out_free:
	/* No handle was moved into it: only the memory goes. */
	m->num_handles = 0;
	mx_message_free(m);
out_put:
	mx_object_put(obj);
	return ret;
}

/* Copy out what a read reports even when it fails with BUFFER_TOO_SMALL. */
static int mx_put_actuals(const struct mx_ioc_channel_read *a,
			  const struct mx_channel_read *r)
{
	if (a->actual_bytes &&
	    put_user(r->num_bytes, (u32 __user *)u64_to_user_ptr(a->actual_bytes)))
		return MX_ERR_INVALID_ARGS;
	if (a->actual_handles &&
	    put_user(r->num_handles,
		     (u32 __user *)u64_to_user_ptr(a->actual_handles)))
		return MX_ERR_INVALID_ARGS;
	return 0;
}

/**
 * mx_ioc_channel_read() - MX_IOC_CHANNEL_READ: mx_channel_read()
 * @p: the calling process
 * @uarg: struct mx_ioc_channel_read
 *
 * Needs MX_RIGHT_READ. A message is taken whole or not at all; the handles
 * it carries get new values in the caller's table.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_BAD_HANDLE / MX_ERR_ACCESS_DENIED /
 * MX_ERR_WRONG_TYPE, MX_ERR_NOT_SUPPORTED (unknown options),
 * MX_ERR_SHOULD_WAIT, MX_ERR_PEER_CLOSED (empty and the peer is gone),
 * MX_ERR_BUFFER_TOO_SMALL (actuals written; the message stays unless
 * MX_CHANNEL_READ_MAY_DISCARD), MX_ERR_NO_RESOURCES (no room for the
 * handles: the message stays), MX_ERR_INVALID_ARGS (a buffer unwritable:
 * the message is lost, as in Magenta).
 */
long mx_ioc_channel_read(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_channel_read a;
	struct mx_channel_read *r;
	struct mx_object *obj;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, a.handle, MX_RIGHT_READ, &mx_channel_ops,
			&obj, NULL);
	if (ret)
		return ret;
	if (a.options & ~MX_CHANNEL_READ_MAY_DISCARD) {
		ret = MX_ERR_NOT_SUPPORTED;
		goto out_put;
	}
	r = kmalloc(sizeof(*r), GFP_KERNEL);
	if (!r) {
		ret = MX_ERR_NO_MEMORY;
		goto out_put;
	}
	r->max_bytes = a.num_bytes;
	r->max_handles = a.num_handles;
	r->may_discard = a.options & MX_CHANNEL_READ_MAY_DISCARD;
	ret = mx_channel_read(&p->table, obj, r);
	if (ret == MX_ERR_BUFFER_TOO_SMALL) {
		ret = mx_put_actuals(&a, r) ?: MX_ERR_BUFFER_TOO_SMALL;
		goto out_free;
	}
	if (ret)
		goto out_free;

	ret = mx_put_actuals(&a, r);
	if (!ret && copy_to_user(u64_to_user_ptr(a.bytes),
				 mx_message_data(r->msg), r->num_bytes))
		ret = MX_ERR_INVALID_ARGS;
	if (!ret && copy_to_user(u64_to_user_ptr(a.handles), r->values,
				 r->num_handles * sizeof(s32)))
		ret = MX_ERR_INVALID_ARGS;
	mx_channel_read_finish(&p->table, r, !ret);
out_free:
	kfree(r);
out_put:
	mx_object_put(obj);
	return ret;
}
