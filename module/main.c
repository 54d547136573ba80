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
#include <linux/nospec.h>

#include "channel_gc.h"
#include "hooks.h"
#include "ioctl.h"
#include "job.h"
#include "message.h"
#include "process.h"
#include "process_end.h"
#include "start.h"
#include "stats.h"
#include "thread.h"
#include "user.h"
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

/**
 * struct mx_ioc_def - one call of /dev/mx
 * @cmd: its command; 0 where no command has this number
 * @flags: MX_IOCF_*
 * @uptr: the handler of a call whose argument points to user memory
 * @val: the handler of a call whose argument is a value (a handle, a code)
 */
struct mx_ioc_def {
	unsigned int cmd;
	unsigned int flags;
	mx_ioc_uptr_fn uptr;
	mx_ioc_val_fn val;
};

/*
 * One entry per command, at the index of its number; the handler's type
 * says which of @uptr and @val it fills (a handler of neither type does
 * not build). Each entry counts itself, so the
 * build fails unless the table holds every command of uapi/linux/mx.h
 * (ioc_list.h is made from it) and, by -Woverride-init, none twice.
 */
#define MX_IOC_UPTR(fn)							\
	_Generic(&(fn), mx_ioc_uptr_fn : (fn), mx_ioc_val_fn : NULL)
#define MX_IOC_VAL(fn)							\
	_Generic(&(fn), mx_ioc_val_fn : (fn), mx_ioc_uptr_fn : NULL)
#define MX_IOC_DEF(c, fn, fl)						\
	[_IOC_NR(c) + 0 * __COUNTER__] = {				\
		.cmd = (c),						\
		.flags = (fl),						\
		.uptr = MX_IOC_UPTR(fn),				\
		.val = MX_IOC_VAL(fn),					\
	}

enum { MX_IOC_DEFS_FIRST = __COUNTER__ };

#pragma GCC diagnostic push
#pragma GCC diagnostic error "-Woverride-init"
static const struct mx_ioc_def mx_ioc_defs[] = {
	MX_IOC_DEF(MX_IOC_VERSION, mx_ioc_version,
		   MX_IOCF_UNATTACHED | MX_IOCF_ERRNO),
	MX_IOC_DEF(MX_IOC_HANDLE_CLOSE, mx_ioc_handle_close, 0),
	MX_IOC_DEF(MX_IOC_HANDLE_DUPLICATE, mx_ioc_handle_duplicate, 0),
	MX_IOC_DEF(MX_IOC_HANDLE_REPLACE, mx_ioc_handle_replace, 0),
	MX_IOC_DEF(MX_IOC_EVENT_CREATE, mx_ioc_event_create, 0),
	MX_IOC_DEF(MX_IOC_EVENTPAIR_CREATE, mx_ioc_eventpair_create, 0),
	MX_IOC_DEF(MX_IOC_OBJECT_SIGNAL, mx_ioc_object_signal, 0),
	MX_IOC_DEF(MX_IOC_OBJECT_SIGNAL_PEER, mx_ioc_object_signal_peer, 0),
	MX_IOC_DEF(MX_IOC_OBJECT_WAIT_ONE, mx_ioc_wait_one, 0),
	MX_IOC_DEF(MX_IOC_OBJECT_WAIT_MANY, mx_ioc_wait_many, 0),
	MX_IOC_DEF(MX_IOC_OBJECT_GET_INFO, mx_ioc_get_info, 0),
	MX_IOC_DEF(MX_IOC_OBJECT_GET_PROPERTY, mx_ioc_get_property, 0),
	MX_IOC_DEF(MX_IOC_OBJECT_SET_PROPERTY, mx_ioc_set_property, 0),
	MX_IOC_DEF(MX_IOC_PROCESS_SELF, mx_ioc_process_self, 0),
	MX_IOC_DEF(MX_IOC_CHANNEL_CREATE, mx_ioc_channel_create, 0),
	MX_IOC_DEF(MX_IOC_CHANNEL_WRITE, mx_ioc_channel_write, 0),
	MX_IOC_DEF(MX_IOC_CHANNEL_READ, mx_ioc_channel_read, 0),
	MX_IOC_DEF(MX_IOC_HANDLE_TO_FD, mx_ioc_handle_to_fd, 0),
	MX_IOC_DEF(MX_IOC_HANDLE_FROM_FD, mx_ioc_handle_from_fd, 0),
	MX_IOC_DEF(MX_IOC_CHANNEL_CALL, mx_ioc_channel_call, 0),
	MX_IOC_DEF(MX_IOC_THREAD_SELF, mx_ioc_thread_self, 0),
	MX_IOC_DEF(MX_IOC_THREAD_CREATE, mx_ioc_thread_create, 0),
	MX_IOC_DEF(MX_IOC_THREAD_START, mx_ioc_thread_start, 0),
	MX_IOC_DEF(MX_IOC_TASK_KILL, mx_ioc_task_kill, 0),
	MX_IOC_DEF(MX_IOC_PROCESS_CREATE, mx_ioc_process_create, 0),
	MX_IOC_DEF(MX_IOC_PROCESS_START, mx_ioc_process_start, 0),
	MX_IOC_DEF(MX_IOC_PROCESS_EXIT, mx_ioc_process_exit, 0),
	MX_IOC_DEF(MX_IOC_JOB_CREATE, mx_ioc_job_create, 0),
	/* Made by the child of a start, which must not be attached yet. */
	MX_IOC_DEF(MX_IOC_PROCESS_CLAIM, mx_ioc_process_claim,
		   MX_IOCF_UNATTACHED),
	MX_IOC_DEF(MX_IOC_PORT_CREATE, mx_ioc_port_create, 0),
	MX_IOC_DEF(MX_IOC_PORT_QUEUE, mx_ioc_port_queue, 0),
	MX_IOC_DEF(MX_IOC_PORT_WAIT, mx_ioc_port_wait, 0),
	MX_IOC_DEF(MX_IOC_PORT_CANCEL, mx_ioc_port_cancel, 0),
	MX_IOC_DEF(MX_IOC_OBJECT_WAIT_ASYNC, mx_ioc_wait_async, 0),
	MX_IOC_DEF(MX_IOC_WAITFD_CREATE, mx_ioc_waitfd_create, 0),
	MX_IOC_DEF(MX_IOC_DEBUG_LIST_HANDLES, mx_ioc_debug_list_handles, 0),
	MX_IOC_DEF(MX_IOC_DEBUG_COPY_HANDLE, mx_ioc_debug_copy_handle, 0),
};
#pragma GCC diagnostic pop

/* One enumerator per command of the uapi, then their number. */
#define MX_IOC_UAPI(c) MX_IOC_UAPI_##c,
enum mx_ioc_uapi {
#include "ioc_list.h"
	MX_IOC_UAPI_COUNT
};

#undef MX_IOC_UAPI
enum { MX_IOC_DEFS_COUNT = __COUNTER__ - MX_IOC_DEFS_FIRST - 1 };
static_assert((int)MX_IOC_DEFS_COUNT == (int)MX_IOC_UAPI_COUNT,
	      "every command of uapi/linux/mx.h needs its MX_IOC_DEF");

static long mx_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	const struct mx_ioc_def *def;
	struct mx_process *p = NULL;
	unsigned int nr = _IOC_NR(cmd);
	long ret;

	if (_IOC_TYPE(cmd) != MX_IOC_MAGIC || nr >= ARRAY_SIZE(mx_ioc_defs))
		return -ENOTTY;
	nr = array_index_nospec(nr, ARRAY_SIZE(mx_ioc_defs));
	def = &mx_ioc_defs[nr];
	if (def->cmd != cmd || !cmd)
		return -ENOTTY;

	if (!(def->flags & MX_IOCF_UNATTACHED)) {
		p = mx_process_current();
		if (IS_ERR(p))
			return -PTR_ERR(p);
	}
	if (def->uptr)
		ret = def->uptr(p, (void __user *)arg);
	else
		ret = def->val(p, arg);
	if ((def->flags & MX_IOCF_ERRNO) || ret <= -MX_ERRNO_RESTART_MIN)
		return ret;
	return -ret;
}

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
