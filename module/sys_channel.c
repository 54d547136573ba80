// SPDX-License-Identifier: GPL-2.0
/*
 * ioctls on channels: create, write, read, call.
 *
 * mx_channel_call() is a write that lists the caller for its reply
 * (channel.c), a sleep until the reply, the deadline or a close, then a
 * read of the reply. Its state lives in a struct mx_call, allocated for
 * the call, so that when a signal interrupts the sleep the call can be
 * parked (wait.c) as it is: the handler runs, a reply that comes meanwhile
 * is still this call's, and the restarted ioctl takes the call back
 * without writing the request again, with the same absolute deadline. A
 * call whose thread never comes back is dropped: taken off the list of
 * callers, its reply (if one came) freed with its handles closed.
 *
 * Locking (the order of all: docs/architecture.md): none of its own
 * (channel.c, handle_table.c, wait.c); user memory is copied before and
 * after the channel's locks are taken, never under them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compat.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "channel.h"
#include "copy_in.h"
#include "ioctl.h"
#include "mx_trace.h"
#include "process.h"
#include "sys_channel.h"
#include "sys_handle.h"
#include "wait.h"

/**
 * mx_message_copy_in() - fill a new message's bytes from userspace
 * @m: the message, from mx_message_alloc()
 * @src: @m->num_bytes bytes
 *
 * Return: 0, or the number of bytes not copied.
 */
unsigned long mx_message_copy_in(struct mx_message *m, const void __user *src)
{
	u32 off, n;
	void *to;

	for (off = 0; off < m->num_bytes; off += n) {
		to = mx_message_chunk(m, off, &n);
		if (copy_from_user(to, src + off, n))
			return m->num_bytes - off;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mx_message_copy_in);

/**
 * mx_message_copy_out() - copy a message's bytes to userspace
 * @m: the message
 * @dst: room for @m->num_bytes bytes
 *
 * Return: 0, or the number of bytes not copied.
 */
unsigned long mx_message_copy_out(struct mx_message *m, void __user *dst)
{
	u32 off, n;
	void *from;

	for (off = 0; off < m->num_bytes; off += n) {
		from = mx_message_chunk(m, off, &n);
		if (copy_to_user(dst + off, from, n))
			return m->num_bytes - off;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mx_message_copy_out);

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
	ret = mx_channel_alloc_pair(&objs[0], &objs[1]);
	if (ret)
		return ret;
	uptrs[0] = a.out0;
	uptrs[1] = a.out1;
	return mx_sys_install_new(&p->table, objs, uptrs, 2);
}

/* Free a message that was not sent, and drop the channel's reference. */
static void mx_channel_msg_unsent(struct mx_object *obj, struct mx_message *m)
{
	/* No handle was moved into it: only the memory goes. */
	mx_message_release(m);
	mx_object_put(obj);
}

/*
 * What mx_channel_write() and mx_channel_call() check before the handles
 * they send, in Magenta's order: the channel (WRITE right), the sizes,
 * memory, then reading the bytes and the handles' values into @values.
 * Return: 0 with @obj referenced and @m allocated (it holds no handle
 * yet); an error with nothing held.
 */
static int mx_channel_msg_new(struct mx_process *p, s32 handle, u64 ubytes,
			      u32 num_bytes, u64 uhandles, u32 num_handles,
			      s32 *values, struct mx_object **obj,
			      struct mx_message **m)
{
	int ret;

	ret = mx_ht_get(&p->table, handle, MX_RIGHT_WRITE, &mx_channel_ops,
			obj, NULL);
	if (ret)
		return ret;
	if (num_bytes > MX_CHANNEL_MAX_MSG_BYTES ||
	    num_handles > MX_CHANNEL_MAX_MSG_HANDLES) {
		ret = MX_ERR_OUT_OF_RANGE;
		goto out_put;
	}
	*m = mx_message_alloc_for(&p->user, num_bytes, num_handles);
	if (IS_ERR(*m)) {
		ret = PTR_ERR(*m);
		goto out_put;
	}
	(*m)->owner = p;
	if (mx_message_copy_in(*m, u64_to_user_ptr(ubytes)) ||
	    copy_from_user(values, u64_to_user_ptr(uhandles),
			   num_handles * sizeof(s32))) {
		mx_channel_msg_unsent(*obj, *m);
		return MX_ERR_INVALID_ARGS;
	}
	return 0;

out_put:
	mx_object_put(*obj);
	return ret;
}

/*
 * A small message with no handles: the bytes through the stack, the rest
 * under the channel's locks (channel.c). Return: as mx_ioc_channel_write(),
 * or MX_CHANNEL_SLOW for the general path, nothing done.
 */
static noinline int mx_ioc_channel_write_small(struct mx_process *p,
			const struct mx_ioc_channel_write *a)
{
	/* Not zeroed first: only the bytes copied in are used. */
	u8 buf[MX_CHANNEL_SMALL_BYTES] __uninitialized;
	u64 koid;
	int ret;

	if (mx_copy_in(buf, u64_to_user_ptr(a->bytes), a->num_bytes))
		return MX_CHANNEL_SLOW;
	ret = mx_channel_send_small(&p->table, a->handle, p, &p->user, buf,
				    a->num_bytes, &koid);
	if (!ret)
		trace_mx_channel_write(koid, a->num_bytes, 0, ret);
	return ret;
}

/*
 * The general path of mx_ioc_channel_write(), from the channel's handle
 * on; its own frame, so that the short path does not set up @values.
 */
static noinline int mx_ioc_channel_write_msg(struct mx_process *p,
			const struct mx_ioc_channel_write *a)
{
	s32 values[MX_CHANNEL_MAX_MSG_HANDLES];
	struct mx_message *m;
	struct mx_object *obj;
	int ret;

	ret = mx_channel_msg_new(p, a->handle, a->bytes, a->num_bytes,
				 a->handles, a->num_handles, values, &obj, &m);
	if (ret)
		return ret;
	ret = mx_channel_send(&p->table, obj, m, values, NULL);
	trace_mx_channel_write(obj->koid, a->num_bytes, a->num_handles, ret);
	if (ret) {
		mx_channel_msg_unsent(obj, m);
		return ret;
	}
	mx_object_put(obj);
	return MX_OK;
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
	/* Not zeroed first: used only once copied in whole. */
	struct mx_ioc_channel_write a __uninitialized;
	int ret;

	if (mx_copy_in(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.options)
		return MX_ERR_INVALID_ARGS;
	if (!a.num_handles && a.num_bytes <= MX_CHANNEL_SMALL_BYTES) {
		ret = mx_ioc_channel_write_small(p, &a);
		if (ret != MX_CHANNEL_SLOW)
			return ret;
	}
	return mx_ioc_channel_write_msg(p, &a);
}

/*
 * Write what a read reports. @optional: a 0 address means "not wanted"
 * (mx_channel_read); otherwise it is a fault (mx_channel_call, as Magenta).
 */
static int mx_put_actuals(u64 uactual_bytes, u64 uactual_handles,
			  const struct mx_channel_read *r, bool optional)
{
	if ((uactual_bytes || !optional) &&
	    put_user(r->num_bytes, (u32 __user *)u64_to_user_ptr(uactual_bytes)))
		return MX_ERR_INVALID_ARGS;
	if ((uactual_handles || !optional) &&
	    put_user(r->num_handles,
		     (u32 __user *)u64_to_user_ptr(uactual_handles)))
		return MX_ERR_INVALID_ARGS;
	return 0;
}

/*
 * Copy a message a read or a call took out to the caller: the actual
 * sizes, the bytes, then the values of its handles, which are then
 * installed; after a failed copy the message is lost, as in Magenta.
 */
static int mx_channel_copy_out(struct mx_process *p, struct mx_channel_read *r,
			       u64 ubytes, u64 uhandles, u64 uactual_bytes,
			       u64 uactual_handles, bool optional)
{
	int ret = mx_put_actuals(uactual_bytes, uactual_handles, r, optional);
	struct mx_handle *h;
	u32 i;

	if (!ret && mx_message_copy_out(r->msg, u64_to_user_ptr(ubytes)))
		ret = MX_ERR_INVALID_ARGS;
	if (!ret && copy_to_user(u64_to_user_ptr(uhandles), r->values,
				 r->num_handles * sizeof(s32)))
		ret = MX_ERR_INVALID_ARGS;
	for (i = 0; !ret && i < r->num_handles; i++) {
		h = r->msg->handles[i];
		trace_mx_handle_transfer(r->values[i], h->obj->koid,
					 h->obj->ops->type, h->rights, true);
	}
	mx_channel_receive_finish(&p->table, r, !ret);
	return ret;
}

/*
 * Copy a small read out: the sizes, then the bytes, as mx_channel_copy_out()
 * does, in one stretch of user access when every address is a user one.
 * After a failed copy the message is lost, as in Magenta.
 */
static int mx_read_small_out(const struct mx_ioc_channel_read *a,
			     const void *buf, u32 num_bytes)
{
	u32 __user *uab = u64_to_user_ptr(a->actual_bytes);
	u32 __user *uah = u64_to_user_ptr(a->actual_handles);
	void __user *ubytes = u64_to_user_ptr(a->bytes);

	if ((uab && !access_ok(uab, sizeof(*uab))) ||
	    (uah && !access_ok(uah, sizeof(*uah))) ||
	    !user_write_access_begin(ubytes, num_bytes)) {
		/* One of them will fail: in the order of the general path. */
		if ((uab && put_user(num_bytes, uab)) ||
		    (uah && put_user(0, uah)) ||
		    copy_to_user(ubytes, buf, num_bytes))
			return MX_ERR_INVALID_ARGS;
		return 0;
	}
	if (uab)
		unsafe_put_user(num_bytes, uab, out_fault);
	if (uah)
		unsafe_put_user(0, uah, out_fault);
	unsafe_copy_to_user(ubytes, buf, num_bytes, out_fault);
	user_write_access_end();
	return 0;

out_fault:
	user_write_access_end();
	return MX_ERR_INVALID_ARGS;
}

/*
 * The front message, if small with no handles and it fits: taken under
 * the channel's locks, then copied out from the stack (channel.c).
 * Return: as mx_ioc_channel_read(), or MX_CHANNEL_SLOW for the general
 * path, nothing done.
 */
static noinline int mx_ioc_channel_read_small(struct mx_process *p,
			const struct mx_ioc_channel_read *a)
{
	/* Not zeroed first: only the bytes copied in are copied out. */
	u8 buf[MX_CHANNEL_SMALL_BYTES] __uninitialized;
	u32 num_bytes = 0;
	u64 koid = 0;
	int ret;

	ret = mx_channel_receive_small(&p->table, a->handle, buf, a->num_bytes,
				       &num_bytes, &koid);
	/* Errors of the handle itself are not traced, as mx_ht_get()'s. */
	if (ret == MX_CHANNEL_SLOW || !koid)
		return ret;
	if (!ret)
		ret = mx_read_small_out(a, buf, num_bytes);
	trace_mx_channel_read(koid, num_bytes, 0, ret);
	return ret;
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
	/* Not zeroed first: used only once copied in whole. */
	struct mx_ioc_channel_read a __uninitialized;
	struct mx_channel_read *r;
	struct mx_object *obj;
	int ret;

	if (mx_copy_in(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (!(a.options & ~MX_CHANNEL_READ_MAY_DISCARD)) {
		ret = mx_ioc_channel_read_small(p, &a);
		if (ret != MX_CHANNEL_SLOW)
			return ret;
	}
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
	r->num_bytes = 0;
	r->num_handles = 0;
	ret = mx_channel_receive(&p->table, obj, r);
	if (ret == MX_ERR_BUFFER_TOO_SMALL)
		ret = mx_put_actuals(a.actual_bytes, a.actual_handles, r,
				     true) ?: MX_ERR_BUFFER_TOO_SMALL;
	else if (!ret)
		ret = mx_channel_copy_out(p, r, a.bytes, a.handles,
					  a.actual_bytes, a.actual_handles,
					  true);
	trace_mx_channel_read(obj->koid, r->num_bytes, r->num_handles, ret);
	kfree(r);
out_put:
	mx_object_put(obj);
	return ret;
}

/**
 * struct mx_call - one mx_channel_call() in progress
 * @pk: its wait for the reply; parked while a signal handler runs
 * @a: the ioctl's arguments, which a restart repeats (invariant)
 * @args: the call's arguments, as read when it began (invariant)
 * @obj: the endpoint called through, referenced
 * @c: the caller listed on @obj for the reply
 * @r: the read of the reply
 */
struct mx_call {
	struct mx_parked pk;
	struct mx_ioc_channel_call a;
	struct mx_ioc_call_args args;
	struct mx_object *obj;
	struct mx_channel_caller c;
	struct mx_channel_read r;
};

/* mx_channel_call_args_t of a 32-bit caller */
struct mx_compat_call_args {
	u32 wr_bytes;
	u32 wr_handles;
	u32 rd_bytes;
	u32 rd_handles;
	u32 wr_num_bytes;
	u32 wr_num_handles;
	u32 rd_num_bytes;
	u32 rd_num_handles;
};

static int mx_call_args_get(u64 uptr, struct mx_ioc_call_args *args)
{
	void __user *u = u64_to_user_ptr(uptr);
	struct mx_compat_call_args c;

	if (!in_compat_syscall())
		return copy_from_user(args, u, sizeof(*args)) ?
		       MX_ERR_INVALID_ARGS : 0;
	if (copy_from_user(&c, u, sizeof(c)))
		return MX_ERR_INVALID_ARGS;
	*args = (struct mx_ioc_call_args){
		.wr_bytes = c.wr_bytes,
		.wr_handles = c.wr_handles,
		.rd_bytes = c.rd_bytes,
		.rd_handles = c.rd_handles,
		.wr_num_bytes = c.wr_num_bytes,
		.wr_num_handles = c.wr_num_handles,
		.rd_num_bytes = c.rd_num_bytes,
		.rd_num_handles = c.rd_num_handles,
	};
	return 0;
}

static struct mx_call *to_call(const struct mx_parked *pk)
{
	return container_of(pk, struct mx_call, pk);
}

static void mx_call_free(struct mx_call *call)
{
	mx_object_put(call->obj);
	mx_parked_fini(&call->pk);
	kfree(call);
}

static bool mx_call_matches(const struct mx_parked *pk, const void *key)
{
	return !memcmp(&to_call(pk)->a, key, sizeof(to_call(pk)->a));
}

/* The thread left the call for good: nobody will read the reply. */
static void mx_call_drop(struct mx_parked *pk)
{
	struct mx_call *call = to_call(pk);

	if (!mx_channel_call_end(call->obj, &call->c))
		mx_message_free(call->c.reply);
	mx_call_free(call);
}

static const struct mx_parked_ops mx_call_parked_ops = {
	.matches = mx_call_matches,
	.drop = mx_call_drop,
};

/*
 * Everything up to the sleep: the checks in Magenta's order, then the
 * write, which lists the caller. Return: 0 with *@out the call; or the
 * error mx_channel_call() returns directly, every handle still in place.
 */
static int mx_call_begin(struct mx_process *p,
			 const struct mx_ioc_channel_call *a,
			 struct mx_call **out)
{
	s32 values[MX_CHANNEL_MAX_MSG_HANDLES];
	struct mx_ioc_call_args args;
	struct mx_message *m;
	struct mx_object *obj;
	struct mx_call *call;
	int ret;

	ret = mx_call_args_get(a->args, &args);
	if (ret)
		return ret;
	if (a->options)
		return MX_ERR_INVALID_ARGS;
	ret = mx_channel_msg_new(p, a->handle, args.wr_bytes,
				 args.wr_num_bytes, args.wr_handles,
				 args.wr_num_handles, values, &obj, &m);
	if (ret)
		return ret;
	call = kzalloc(sizeof(*call), GFP_KERNEL_ACCOUNT);
	if (!call) {
		ret = MX_ERR_NO_MEMORY;
		goto out_unsent;
	}
	mx_parked_init(&call->pk, &mx_call_parked_ops, MX_IOC_CHANNEL_CALL);
	call->a = *a;
	call->args = args;
	call->obj = obj;
	INIT_LIST_HEAD(&call->c.node);
	call->c.waiter = &call->pk.w;
	ret = mx_channel_send(&p->table, obj, m, values, &call->c);
	trace_mx_channel_write(obj->koid, args.wr_num_bytes,
			       args.wr_num_handles, ret);
	if (ret)
		goto out_free_call;
	*out = call;
	return 0;

out_free_call:
	mx_parked_fini(&call->pk);
	kfree(call);
out_unsent:
	mx_channel_msg_unsent(obj, m);
	return ret;
}

/* Read the reply out to the caller. Return: 0 or why the call failed. */
static int mx_call_read_reply(struct mx_process *p, struct mx_call *call)
{
	struct mx_channel_read *r = &call->r;
	int ret;

	r->max_bytes = call->args.rd_num_bytes;
	r->max_handles = call->args.rd_num_handles;
	ret = mx_channel_receive_reply(&p->table, call->c.reply, r);
	trace_mx_channel_read(call->obj->koid, r->num_bytes, r->num_handles,
			      ret);
	if (ret)
		return ret;
	return mx_channel_copy_out(p, r, call->args.rd_bytes,
				   call->args.rd_handles, call->a.actual_bytes,
				   call->a.actual_handles, false);
}

/* The end of a call that is settled or past its deadline. */
static long mx_call_finish(struct mx_process *p, struct mx_call *call)
{
	s32 __user *uread_status = u64_to_user_ptr(call->a.read_status);
	int status;

	status = mx_channel_call_end(call->obj, &call->c);
	if (!status)
		status = mx_call_read_reply(p, call);
	mx_call_free(call);
	if (!status || status == MX_ERR_TIMED_OUT)
		return status;
	/* As in Magenta, a read_status that cannot be written is ignored. */
	if (uread_status)
		(void)put_user(status, uread_status);
	return MX_ERR_CALL_FAILED;
}

/**
 * mx_ioc_channel_call() - MX_IOC_CHANNEL_CALL: mx_channel_call()
 * @p: the calling process
 * @uarg: struct mx_ioc_channel_call
 *
 * Writes the request as mx_channel_write() does and waits for the message
 * that comes back on the same endpoint with the same first 4 bytes (txid);
 * that reply is handed to this call only, never queued. Needs
 * MX_RIGHT_WRITE on the channel (Magenta 2017; READ is not needed) and
 * MX_RIGHT_TRANSFER on each handle sent. The handles sent leave the caller
 * when MX_OK, MX_ERR_TIMED_OUT or MX_ERR_CALL_FAILED is returned, and only
 * then.
 *
 * Context: process context; sleeps.
 * Return: MX_OK with the reply read out; in order, before anything is
 * sent: MX_ERR_INVALID_ARGS (@args unreadable, options not 0),
 * MX_ERR_BAD_HANDLE / MX_ERR_ACCESS_DENIED / MX_ERR_WRONG_TYPE, then the
 * errors of mx_ioc_channel_write() from MX_ERR_OUT_OF_RANGE to
 * MX_ERR_NO_RESOURCES, MX_ERR_PEER_CLOSED among them; after:
 * MX_ERR_TIMED_OUT (a later reply is queued as any message), or
 * MX_ERR_CALL_FAILED with *read_status MX_ERR_PEER_CLOSED, MX_ERR_CANCELED
 * (the caller's endpoint lost its last handle), MX_ERR_BUFFER_TOO_SMALL
 * (the reply is discarded, its handles closed), MX_ERR_INVALID_ARGS (an
 * out pointer unwritable: the reply is lost), MX_ERR_NO_RESOURCES (no room
 * for the reply's handles: lost too); or -ERESTARTNOINTR to run a signal
 * handler and take the call back.
 */
long mx_ioc_channel_call(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_channel_call a;
	struct mx_parked *pk;
	struct mx_call *call;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	pk = mx_unpark(p, MX_IOC_CHANNEL_CALL, &a);
	if (pk) {
		call = to_call(pk);
	} else {
		ret = mx_call_begin(p, &a, &call);
		if (ret)
			return ret;
	}
	ret = mx_wait_sleep(&call->pk.w, a.deadline);
	/* Settled before the signal: that result stands. */
	if (ret && READ_ONCE(call->pk.w.result) == MX_WAIT_PENDING) {
		mx_park(p, &call->pk);
		return ret;
	}
	return mx_call_finish(p, call);
}
