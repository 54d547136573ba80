// SPDX-License-Identifier: GPL-2.0
/*
 * ioctls of fifos: mx_fifo_create, mx_fifo_write, mx_fifo_read.
 *
 * The elements go through a kernel buffer (on the stack when small): a
 * write copies them in from user memory before it takes any lock, a read
 * copies them out of the ring and to user memory before it consumes them
 * (fifo.c), so a copy that faults leaves the fifo as it was, as Magenta's
 * roll-back does.
 *
 * Locking (the order of all: docs/architecture.md): none of its own; see
 * fifo.c and handle_table.c. No lock is held across a user access.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/uaccess.h>

#include "fifo.h"
#include "handle_table.h"
#include "ioctl.h"
#include "process.h"
#include "sys_handle.h"
#include "user.h"

/* Elements up to this many bytes per call go through the stack. */
#define MX_FIFO_STACK_BYTES	256

/**
 * mx_ioc_fifo_create() - MX_IOC_FIFO_CREATE: mx_fifo_create()
 * @p: the calling process
 * @uarg: struct mx_ioc_fifo_create
 *
 * Options are ignored, as Magenta's code does (its documentation asks
 * for 0). Both rings are charged to the caller's user.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_OUT_OF_RANGE (see mx_fifo_check()),
 * MX_ERR_NO_RESOURCES (the user's max_user_message_bytes or object
 * limit), MX_ERR_NO_MEMORY, MX_ERR_INVALID_ARGS (the argument or an out
 * unwritable: neither handle is made).
 */
long mx_ioc_fifo_create(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_fifo_create a;
	struct mx_object *objs[2];
	struct mx_user *user;
	u64 uptrs[2];
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	ret = mx_fifo_check(a.elem_count, a.elem_size);
	if (ret)
		return ret;
	user = mx_user_cached(&p->user);
	if (!user)
		return MX_ERR_NO_MEMORY;
	ret = mx_fifo_new(a.elem_count, a.elem_size, user, &objs[0],
			  &objs[1]);
	mx_user_put(user);
	if (ret)
		return ret;
	uptrs[0] = a.out0;
	uptrs[1] = a.out1;
	return mx_sys_install_new(&p->table, objs, uptrs, 2);
}

/* A kernel buffer of @bytes: @stack if it fits, else allocated. */
static void *mx_fifo_buf(void *stack, size_t bytes)
{
	if (bytes <= MX_FIFO_STACK_BYTES)
		return stack;
	return kmalloc(bytes, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
}

static void mx_fifo_buf_free(void *stack, void *buf)
{
	if (buf != stack)
		kfree(buf);
}

/*
 * The elements of a write, copied in. Optimistically the most the ring
 * can take, before any check, so that the common call takes the lock
 * once; if that copy faults, the exact amount Magenta would copy (what
 * fits now), after its checks, so a fault past that amount and the
 * checks' errors are reported as Magenta does.
 */
static int mx_fifo_copy_in(struct mx_object *obj, const void __user *data,
			   u32 count, void *buf, u32 *n)
{
	u32 size = mx_fifo_elem_size(obj);
	u32 room;
	int ret;

	*n = min(count, mx_fifo_elem_count(obj));
	if (!copy_from_user(buf, data, (size_t)*n * size))
		return 0;
	ret = mx_fifo_write_room(obj, count, &room);
	if (ret)
		return ret;
	*n = min(count, room);
	if (copy_from_user(buf, data, (size_t)*n * size))
		return MX_ERR_INVALID_ARGS;
	return 0;
}

/**
 * mx_ioc_fifo_write() - MX_IOC_FIFO_WRITE: mx_fifo_write()
 * @p: the calling process
 * @uarg: struct mx_ioc_fifo_rw
 *
 * Needs MX_RIGHT_WRITE. Whole elements only (len's remainder is ignored);
 * as many as fit are written.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED,
 * MX_ERR_WRONG_TYPE, MX_ERR_PEER_CLOSED, MX_ERR_OUT_OF_RANGE (len below
 * one element), MX_ERR_SHOULD_WAIT (the peer's ring is full),
 * MX_ERR_INVALID_ARGS (data unreadable: nothing written; actual
 * unwritable: the elements stay written), MX_ERR_NO_MEMORY (a buffer for
 * more than 256 bytes).
 */
long mx_ioc_fifo_write(struct mx_process *p, void __user *uarg)
{
	/* Not zeroed first: only what is copied in is copied out. */
	u8 stack[MX_FIFO_STACK_BYTES] __aligned(8) __uninitialized;
	struct mx_ioc_fifo_rw a;
	struct mx_object *obj;
	u32 count, n, written;
	void *buf;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	/* All of a small write's data readable: the short path (fifo.c). */
	if (a.len <= sizeof(stack) &&
	    !copy_from_user(stack, u64_to_user_ptr(a.data), a.len)) {
		ret = mx_fifo_write_value(&p->table, a.handle, stack, a.len,
					  &written);
		if (ret != MX_FIFO_SLOW)
			goto out_actual;
	}
	ret = mx_ht_get(&p->table, a.handle, MX_RIGHT_WRITE, &mx_fifo_ops,
			&obj, NULL);
	if (ret)
		return ret;
	count = min_t(u64, a.len / mx_fifo_elem_size(obj), U32_MAX);
	n = min(count, mx_fifo_elem_count(obj));
	buf = mx_fifo_buf(stack, (size_t)n * mx_fifo_elem_size(obj));
	if (!buf) {
		mx_object_put(obj);
		return MX_ERR_NO_MEMORY;
	}
	ret = count ? mx_fifo_copy_in(obj, u64_to_user_ptr(a.data), count,
				      buf, &n) : 0;
	if (!ret)
		ret = mx_fifo_write(obj, buf, n, &written);
	mx_fifo_buf_free(stack, buf);
	mx_object_put(obj);
out_actual:
	if (!ret && put_user(written, (u32 __user *)u64_to_user_ptr(a.actual)))
		ret = MX_ERR_INVALID_ARGS;
	return ret;
}

/**
 * mx_ioc_fifo_read() - MX_IOC_FIFO_READ: mx_fifo_read()
 * @p: the calling process
 * @uarg: struct mx_ioc_fifo_rw
 *
 * Needs MX_RIGHT_READ. Whole elements only; as many as are queued, up to
 * what len holds. An empty fifo is MX_ERR_SHOULD_WAIT also once the peer
 * is closed, as Magenta.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED,
 * MX_ERR_WRONG_TYPE, MX_ERR_OUT_OF_RANGE (len below one element),
 * MX_ERR_SHOULD_WAIT (empty), MX_ERR_INVALID_ARGS (data unwritable:
 * nothing consumed; actual unwritable: the elements stay consumed),
 * MX_ERR_NO_MEMORY (a buffer for more than 256 bytes).
 */
long mx_ioc_fifo_read(struct mx_process *p, void __user *uarg)
{
	/* Not zeroed first: only what is copied in is copied out. */
	u8 stack[MX_FIFO_STACK_BYTES] __aligned(8) __uninitialized;
	struct mx_ioc_fifo_rw a;
	struct mx_object *obj;
	u32 count, n, tail, size;
	bool peeked;
	void *buf;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	/* A read that fits the stack peeks without the table lock (fifo.c). */
	ret = mx_fifo_peek_value(&p->table, a.handle, stack, a.len,
				 sizeof(stack), &obj, &n, &tail);
	peeked = !ret;
	if (ret != MX_FIFO_SLOW && !peeked)
		return ret;
	if (!peeked) {
		ret = mx_ht_get(&p->table, a.handle, MX_RIGHT_READ,
				&mx_fifo_ops, &obj, NULL);
		if (ret)
			return ret;
	}
	size = mx_fifo_elem_size(obj);
	count = min_t(u64, a.len / size, mx_fifo_elem_count(obj));
	if (!count) {
		ret = MX_ERR_OUT_OF_RANGE;
		goto out_put;
	}
	buf = peeked ? stack : mx_fifo_buf(stack, (size_t)count * size);
	if (!buf) {
		ret = MX_ERR_NO_MEMORY;
		goto out_put;
	}
	/* Again if another read consumed elements while these were copied. */
	do {
		if (!peeked) {
			ret = mx_fifo_peek(obj, buf, count, &n, &tail);
			if (ret)
				goto out_free;
		}
		peeked = false;
		if (copy_to_user(u64_to_user_ptr(a.data), buf,
				 (size_t)n * size)) {
			ret = MX_ERR_INVALID_ARGS;
			goto out_free;
		}
	} while (!mx_fifo_consume(obj, n, tail));
	if (put_user(n, (u32 __user *)u64_to_user_ptr(a.actual)))
		ret = MX_ERR_INVALID_ARGS;
out_free:
	mx_fifo_buf_free(stack, buf);
out_put:
	mx_object_put(obj);
	return ret;
}
