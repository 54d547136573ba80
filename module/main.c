// SPDX-License-Identifier: GPL-2.0
/*
 * mx: Magenta handles, channels and tasks for Linux.
 *
 * This file registers /dev/mx and dispatches its ioctls. Every ioctl acts
 * on the calling thread group's own mx process (process.c), found from
 * current, never from the file: the file carries no state, so a /dev/mx fd
 * that reaches another process by SCM_RIGHTS, fork() or exec() gives it
 * access to its own table only. MX_IOC_VERSION, and the claim of the
 * child of mx_process_start() (start.c), attach no process.
 *
 * Return convention (uapi/linux/mx.h): 0 for MX_OK, the positive magnitude
 * of an MX_ERR_* status, or a negative errno for the ioctl itself (-ENOTTY
 * for an unknown command; -ERESTARTNOINTR, which userspace never sees).
 *
 * Locking (the order of all: docs/architecture.md): none here; each
 * handler follows the rules of the files it uses.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "channel_gc.h"
#include "hooks.h"
#include "ioctl.h"
#include "job.h"
#include "message.h"
#include "process.h"
#include "process_end.h"
#include "socket.h"
#include "start.h"
#include "stats.h"
#include "thread.h"
#include "user.h"
#include "vmo.h"
#include "work.h"

/* Kernel-internal restart codes start here; mx statuses are far below. */
#define MX_ERRNO_RESTART_MIN	512

static long mx_ioc_version(struct mx_process *unattached, void __user *uarg)
{
	struct mx_ioc_version v = {
		.abi_version = MX_ABI_VERSION,
		.max_handles = min(mx_max_handles, MX_HT_MAX_SLOTS),
	};

	return copy_to_user(uarg, &v, sizeof(v)) ? -EFAULT : 0;
}

/* The call runs before, and without, attaching the caller's process. */
#define MX_IOCF_UNATTACHED	BIT(0)
/* The handler returns a negative errno, passed on as it is. */
#define MX_IOCF_ERRNO		BIT(1)

typedef long (*mx_ioc_uptr_fn)(struct mx_process *p, void __user *uarg);
typedef long (*mx_ioc_val_fn)(struct mx_process *p, unsigned long arg);

/*
 * One call: attach the caller's process unless @flags say not to, run the
 * handler (@uptr or @val, whichever the call has), and turn its status
 * into the ioctl's return value. Inlined into each call of the table with
 * constant arguments, so only the handler's own branch is left: a direct
 * call.
 */
static __always_inline long mx_ioc_run(unsigned int flags,
				       mx_ioc_uptr_fn uptr, mx_ioc_val_fn val,
				       unsigned long arg)
{
	struct mx_process *p = NULL;
	long ret;

	if (!(flags & MX_IOCF_UNATTACHED)) {
		p = mx_process_current();
		if (IS_ERR(p))
			return -PTR_ERR(p);
	}
	if (uptr)
		ret = uptr(p, (void __user *)arg);
	else
		ret = val(p, arg);
	if ((flags & MX_IOCF_ERRNO) || ret <= -MX_ERRNO_RESTART_MIN)
		return ret;
	return -ret;
}

/*
 * An entry of the table of calls: its handler and MX_IOCF_* flags. The
 * handler's type says how it takes the argument, a pointer to user memory
 * or a value (a handle, a code); a handler of neither type does not
 * build. Each entry counts itself (__COUNTER__) for the check below.
 */
#define MX_IOC_UPTR(fn)							\
	_Generic(&(fn), mx_ioc_uptr_fn : (fn), mx_ioc_val_fn : NULL)
#define MX_IOC_VAL(fn)							\
	_Generic(&(fn), mx_ioc_val_fn : (fn), mx_ioc_uptr_fn : NULL)
#define MX_IOC_RUN(fn, fl)						\
	(0 * __COUNTER__ +						\
	 mx_ioc_run((fl), MX_IOC_UPTR(fn), MX_IOC_VAL(fn), arg))

enum { MX_IOC_CALLS_FIRST = __COUNTER__ };

/*
 * The table of calls: one case per command of uapi/linux/mx.h, in the
 * order of their numbers. A switch rather than an array of handlers, so
 * that every handler is called directly: no indirect call (a retpoline
 * or call thunk on the kernels that need one) on the way to any call. A
 * command listed twice does not build (a duplicate case), nor does a
 * table that misses one of the uapi's (the count below, against
 * ioc_list.h, which is made from the uapi). PROCESS_CLAIM is made by the
 * child of a start, which must not be attached yet.
 */
static long mx_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case MX_IOC_VERSION:
		return MX_IOC_RUN(mx_ioc_version,
				  MX_IOCF_UNATTACHED | MX_IOCF_ERRNO);
	case MX_IOC_HANDLE_CLOSE:
		return MX_IOC_RUN(mx_ioc_handle_close, 0);
	case MX_IOC_HANDLE_DUPLICATE:
		return MX_IOC_RUN(mx_ioc_handle_duplicate, 0);
	case MX_IOC_HANDLE_REPLACE:
		return MX_IOC_RUN(mx_ioc_handle_replace, 0);
	case MX_IOC_EVENT_CREATE:
		return MX_IOC_RUN(mx_ioc_event_create, 0);
	case MX_IOC_EVENTPAIR_CREATE:
		return MX_IOC_RUN(mx_ioc_eventpair_create, 0);
	case MX_IOC_OBJECT_SIGNAL:
		return MX_IOC_RUN(mx_ioc_object_signal, 0);
	case MX_IOC_OBJECT_SIGNAL_PEER:
		return MX_IOC_RUN(mx_ioc_object_signal_peer, 0);
	case MX_IOC_OBJECT_WAIT_ONE:
		return MX_IOC_RUN(mx_ioc_wait_one, 0);
	case MX_IOC_OBJECT_WAIT_MANY:
		return MX_IOC_RUN(mx_ioc_wait_many, 0);
	case MX_IOC_OBJECT_GET_INFO:
		return MX_IOC_RUN(mx_ioc_get_info, 0);
	case MX_IOC_OBJECT_GET_PROPERTY:
		return MX_IOC_RUN(mx_ioc_get_property, 0);
	case MX_IOC_OBJECT_SET_PROPERTY:
		return MX_IOC_RUN(mx_ioc_set_property, 0);
	case MX_IOC_PROCESS_SELF:
		return MX_IOC_RUN(mx_ioc_process_self, 0);
	case MX_IOC_CHANNEL_CREATE:
		return MX_IOC_RUN(mx_ioc_channel_create, 0);
	case MX_IOC_CHANNEL_WRITE:
		return MX_IOC_RUN(mx_ioc_channel_write, 0);
	case MX_IOC_CHANNEL_READ:
		return MX_IOC_RUN(mx_ioc_channel_read, 0);
	case MX_IOC_HANDLE_TO_FD:
		return MX_IOC_RUN(mx_ioc_handle_to_fd, 0);
	case MX_IOC_HANDLE_FROM_FD:
		return MX_IOC_RUN(mx_ioc_handle_from_fd, 0);
	case MX_IOC_CHANNEL_CALL:
		return MX_IOC_RUN(mx_ioc_channel_call, 0);
	case MX_IOC_THREAD_SELF:
		return MX_IOC_RUN(mx_ioc_thread_self, 0);
	case MX_IOC_THREAD_CREATE:
		return MX_IOC_RUN(mx_ioc_thread_create, 0);
	case MX_IOC_THREAD_START:
		return MX_IOC_RUN(mx_ioc_thread_start, 0);
	case MX_IOC_TASK_KILL:
		return MX_IOC_RUN(mx_ioc_task_kill, 0);
	case MX_IOC_PROCESS_CREATE:
		return MX_IOC_RUN(mx_ioc_process_create, 0);
	case MX_IOC_PROCESS_START:
		return MX_IOC_RUN(mx_ioc_process_start, 0);
	case MX_IOC_PROCESS_EXIT:
		return MX_IOC_RUN(mx_ioc_process_exit, 0);
	case MX_IOC_JOB_CREATE:
		return MX_IOC_RUN(mx_ioc_job_create, 0);
	case MX_IOC_PROCESS_CLAIM:
		return MX_IOC_RUN(mx_ioc_process_claim, MX_IOCF_UNATTACHED);
	case MX_IOC_OBJECT_GET_CHILD:
		return MX_IOC_RUN(mx_ioc_get_child, 0);
	case MX_IOC_PROCESS_READ_MEMORY:
		return MX_IOC_RUN(mx_ioc_process_read_memory, 0);
	case MX_IOC_PROCESS_WRITE_MEMORY:
		return MX_IOC_RUN(mx_ioc_process_write_memory, 0);
	case MX_IOC_TASK_SUSPEND:
		return MX_IOC_RUN(mx_ioc_task_suspend, 0);
	case MX_IOC_TASK_RESUME:
		return MX_IOC_RUN(mx_ioc_task_resume, 0);
	case MX_IOC_PORT_CREATE:
		return MX_IOC_RUN(mx_ioc_port_create, 0);
	case MX_IOC_PORT_QUEUE:
		return MX_IOC_RUN(mx_ioc_port_queue, 0);
	case MX_IOC_PORT_WAIT:
		return MX_IOC_RUN(mx_ioc_port_wait, 0);
	case MX_IOC_PORT_CANCEL:
		return MX_IOC_RUN(mx_ioc_port_cancel, 0);
	case MX_IOC_OBJECT_WAIT_ASYNC:
		return MX_IOC_RUN(mx_ioc_wait_async, 0);
	case MX_IOC_WAITFD_CREATE:
		return MX_IOC_RUN(mx_ioc_waitfd_create, 0);
	case MX_IOC_DEBUG_LIST_HANDLES:
		return MX_IOC_RUN(mx_ioc_debug_list_handles, 0);
	case MX_IOC_DEBUG_COPY_HANDLE:
		return MX_IOC_RUN(mx_ioc_debug_copy_handle, 0);
	case MX_IOC_VMO_CREATE:
		return MX_IOC_RUN(mx_ioc_vmo_create, 0);
	case MX_IOC_VMO_READ:
		return MX_IOC_RUN(mx_ioc_vmo_read, 0);
	case MX_IOC_VMO_WRITE:
		return MX_IOC_RUN(mx_ioc_vmo_write, 0);
	case MX_IOC_VMO_GET_SIZE:
		return MX_IOC_RUN(mx_ioc_vmo_get_size, 0);
	case MX_IOC_VMO_SET_SIZE:
		return MX_IOC_RUN(mx_ioc_vmo_set_size, 0);
	case MX_IOC_VMO_OP_RANGE:
		return MX_IOC_RUN(mx_ioc_vmo_op_range, 0);
	case MX_IOC_VMO_SET_CACHE_POLICY:
		return MX_IOC_RUN(mx_ioc_vmo_set_cache_policy, 0);
	case MX_IOC_VMO_CLONE:
		return MX_IOC_RUN(mx_ioc_vmo_clone, 0);
	case MX_IOC_VMAR_ROOT_SELF:
		return MX_IOC_RUN(mx_ioc_vmar_root_self, 0);
	case MX_IOC_VMAR_ALLOCATE:
		return MX_IOC_RUN(mx_ioc_vmar_allocate, 0);
	case MX_IOC_VMAR_MAP:
		return MX_IOC_RUN(mx_ioc_vmar_map, 0);
	case MX_IOC_VMAR_UNMAP:
		return MX_IOC_RUN(mx_ioc_vmar_unmap, 0);
	case MX_IOC_VMAR_PROTECT:
		return MX_IOC_RUN(mx_ioc_vmar_protect, 0);
	case MX_IOC_VMAR_DESTROY:
		return MX_IOC_RUN(mx_ioc_vmar_destroy, 0);
	/* sockets */
	case MX_IOC_SOCKET_CREATE:
		return MX_IOC_RUN(mx_ioc_socket_create, 0);
	case MX_IOC_SOCKET_WRITE:
		return MX_IOC_RUN(mx_ioc_socket_write, 0);
	case MX_IOC_SOCKET_READ:
		return MX_IOC_RUN(mx_ioc_socket_read, 0);

	/* fifos */
	case MX_IOC_FIFO_CREATE:
		return MX_IOC_RUN(mx_ioc_fifo_create, 0);
	case MX_IOC_FIFO_WRITE:
		return MX_IOC_RUN(mx_ioc_fifo_write, 0);
	case MX_IOC_FIFO_READ:
		return MX_IOC_RUN(mx_ioc_fifo_read, 0);

	/* timers */
	case MX_IOC_TIMER_CREATE:
		return MX_IOC_RUN(mx_ioc_timer_create, 0);
	case MX_IOC_TIMER_START:
		return MX_IOC_RUN(mx_ioc_timer_start, 0);
	case MX_IOC_TIMER_CANCEL:
		return MX_IOC_RUN(mx_ioc_timer_cancel, 0);

	/* cookies, the CPRNG, the system */
	case MX_IOC_OBJECT_SET_COOKIE:
		return MX_IOC_RUN(mx_ioc_object_set_cookie, 0);
	case MX_IOC_OBJECT_GET_COOKIE:
		return MX_IOC_RUN(mx_ioc_object_get_cookie, 0);
	case MX_IOC_CPRNG_DRAW:
		return MX_IOC_RUN(mx_ioc_cprng_draw, 0);
	case MX_IOC_CPRNG_ADD_ENTROPY:
		return MX_IOC_RUN(mx_ioc_cprng_add_entropy, 0);
	case MX_IOC_TICKS_INFO:
		return MX_IOC_RUN(mx_ioc_ticks_info, 0);

	default:
		return -ENOTTY;
	}
}

/* One enumerator per command of the uapi, then their number. */
#define MX_IOC_UAPI(c) MX_IOC_UAPI_##c,
enum mx_ioc_uapi {
#include "ioc_list.h"
	MX_IOC_UAPI_COUNT
};

#undef MX_IOC_UAPI
enum { MX_IOC_CALLS_COUNT = __COUNTER__ - MX_IOC_CALLS_FIRST - 1 };
static_assert((int)MX_IOC_CALLS_COUNT == (int)MX_IOC_UAPI_COUNT,
	      "every command of uapi/linux/mx.h needs its case in mx_ioctl()");

static const struct file_operations mx_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.unlocked_ioctl = mx_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice mx_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "mx",
	.fops = &mx_fops,
	.mode = 0666,
};

static int mx_device_setup(void)
{
	return misc_register(&mx_misc);
}

static void mx_device_teardown(void)
{
	misc_deregister(&mx_misc);
}

/**
 * struct mx_part - one part of the module, set up in turn at load
 * @name: what it is
 * @setup: makes it ready, or fails with nothing left behind; NULL if
 *	there is nothing to make
 * @teardown: undoes @setup, and ends what the part still holds at unload
 */
struct mx_part {
	const char *name;
	int (*setup)(void);
	void (*teardown)(void);
};

/*
 * Set up first to last at load, torn down last to first at unload (and
 * when a later setup fails). The device comes last: no call can reach a
 * part before it is set up. The hooks come just before it and go just
 * after it, so that no hook runs into a part torn down; processes then
 * finish what the last exits left on the workqueue, before anything
 * their teardown may use goes.
 */
static const struct mx_part mx_parts[] = {
	{ "users", NULL, mx_user_teardown },
	{ "objects", mx_object_setup, mx_object_teardown },
	{ "jobs", NULL, mx_job_teardown },
	{ "messages", NULL, mx_message_teardown },
	{ "vmos", mx_vmo_setup, mx_vmo_teardown },
	{ "debugfs", mx_debugfs_setup, mx_debugfs_teardown },
	{ "collector", mx_gc_setup, mx_gc_teardown },
	{ "workqueue", mx_wq_setup, mx_wq_teardown },
	{ "threads", NULL, mx_thread_teardown },
	{ "processes", mx_process_setup, mx_process_teardown },
	{ "starts", mx_start_setup, mx_start_teardown },
	{ "hooks", mx_hooks_attach, mx_hooks_detach },
	{ "device", mx_device_setup, mx_device_teardown },
};

static void mx_parts_teardown(unsigned int n)
{
	while (n--)
		mx_parts[n].teardown();
}

static int __init mx_init(void)
{
	unsigned int i;
	int ret;

	BUILD_BUG_ON(sizeof(struct mx_wait_item) != 12);
	BUILD_BUG_ON(sizeof(struct mx_info_handle_basic) != 32);
	BUILD_BUG_ON(sizeof(struct mx_info_process) != 8);
	BUILD_BUG_ON(sizeof(struct mx_ioc_get_info) != 40);
	BUILD_BUG_ON(sizeof(struct mx_ioc_call_args) != 48);
	BUILD_BUG_ON(sizeof(struct mx_ioc_channel_call) != 48);
	BUILD_BUG_ON(sizeof(struct mx_debug_handle) != 40);
	BUILD_BUG_ON(sizeof(struct mx_debug_process) != 56);
	BUILD_BUG_ON(sizeof(struct mx_ioc_debug_list) != 48);
	BUILD_BUG_ON(sizeof(struct mx_ioc_debug_copy) != 32);
	BUILD_BUG_ON(sizeof(struct mx_info_thread) != 8);
	BUILD_BUG_ON(sizeof(struct mx_ioc_task_create) != 40);
	BUILD_BUG_ON(sizeof(struct mx_ioc_process_start) != 40);
	BUILD_BUG_ON(sizeof(struct mx_info_vmar) != 16);
	BUILD_BUG_ON(sizeof(struct mx_info_thread_stats) != 8);
	BUILD_BUG_ON(sizeof(struct mx_ioc_get_child) != 24);
	BUILD_BUG_ON(sizeof(struct mx_ioc_process_memory) != 40);
	BUILD_BUG_ON(sizeof(struct mx_ioc_task_resume) != 8);
	BUILD_BUG_ON(sizeof(struct mx_info_maps) != 88);
	BUILD_BUG_ON(offsetof(struct mx_info_maps, u) != 64);
	BUILD_BUG_ON(sizeof(struct mx_ioc_vmar_root) != 8);
	BUILD_BUG_ON(sizeof(struct mx_ioc_vmar_allocate) != 40);
	BUILD_BUG_ON(sizeof(struct mx_ioc_vmar_map) != 48);
	BUILD_BUG_ON(sizeof(struct mx_ioc_vmar_range) != 24);
	BUILD_BUG_ON(sizeof(struct mx_ioc_cookie) != 16);
	BUILD_BUG_ON(sizeof(struct mx_ioc_cprng) != 24);
	BUILD_BUG_ON(sizeof(struct mx_ioc_ticks_info) != 8);
	BUILD_BUG_ON(sizeof(struct mx_ioc_socket_rw) != 32);
	BUILD_BUG_ON(sizeof(struct mx_ioc_fifo_create) != 32);
	BUILD_BUG_ON(sizeof(struct mx_ioc_fifo_rw) != 32);
	BUILD_BUG_ON(sizeof(struct mx_ioc_timer_create) != 16);
	BUILD_BUG_ON(sizeof(struct mx_ioc_timer_start) != 32);
	/* A 64-byte message takes one 128-byte allocation (64-bit). */
	BUILD_BUG_ON(IS_ENABLED(CONFIG_64BIT) &&
		     sizeof(struct mx_message) > 64);
	BUILD_BUG_ON(MX_CHANNEL_MAX_MSG_HANDLES > U8_MAX);
	BUILD_BUG_ON(DIV_ROUND_UP(MX_CHANNEL_MAX_MSG_BYTES, PAGE_SIZE) >
		     U8_MAX);
	/* A message's own allocation, as charged, fits its kcost. */
	BUILD_BUG_ON(PAGE_SIZE > U16_MAX);
	BUILD_BUG_ON(MX_ERR_NEXT <= -MX_ERRNO_RESTART_MIN);

	for (i = 0; i < ARRAY_SIZE(mx_parts); i++) {
		ret = mx_parts[i].setup ? mx_parts[i].setup() : 0;
		if (ret) {
			pr_err("cannot set up %s: %d\n", mx_parts[i].name, ret);
			goto out_teardown;
		}
	}
	return 0;

out_teardown:
	mx_parts_teardown(i);
	return ret;
}

static void __exit mx_exit(void)
{
	mx_parts_teardown(ARRAY_SIZE(mx_parts));
}

module_init(mx_init);
module_exit(mx_exit);

MODULE_DESCRIPTION("Magenta handles, channels and tasks for Linux");
MODULE_AUTHOR("The mx authors");
MODULE_LICENSE("GPL");
MODULE_VERSION(MX_VERSION);
