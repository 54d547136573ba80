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
 * Locking: none here; each handler follows the rules of the files it uses.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "channel_gc.h"
#include "ioctl.h"
#include "job.h"
#include "message.h"
#include "process.h"
#include "stats.h"
#include "thread.h"
#include "user.h"

/* Kernel-internal restart codes start here; mx statuses are far below. */
#define MX_ERRNO_RESTART_MIN	512

/* /sys/kernel/debug/mx: the channel collector's statistics. */
static struct dentry *mx_debugfs;

static long mx_ioc_version(void __user *uarg)
{
	struct mx_ioc_version v = {
		.abi_version = MX_ABI_VERSION,
		.max_handles = min(mx_max_handles, MX_HT_MAX_SLOTS),
	};

	return copy_to_user(uarg, &v, sizeof(v)) ? -EFAULT : 0;
}

static long mx_dispatch(struct mx_process *p, unsigned int cmd,
			unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case MX_IOC_HANDLE_CLOSE:
		return mx_ioc_handle_close(p, arg);
	case MX_IOC_HANDLE_DUPLICATE:
		return mx_ioc_handle_duplicate(p, uarg);
	case MX_IOC_HANDLE_REPLACE:
		return mx_ioc_handle_replace(p, uarg);
	case MX_IOC_EVENT_CREATE:
		return mx_ioc_event_create(p, uarg);
	case MX_IOC_EVENTPAIR_CREATE:
		return mx_ioc_eventpair_create(p, uarg);
	case MX_IOC_OBJECT_SIGNAL:
		return mx_ioc_object_signal(p, uarg);
	case MX_IOC_OBJECT_SIGNAL_PEER:
		return mx_ioc_object_signal_peer(p, uarg);
	case MX_IOC_OBJECT_WAIT_ONE:
		return mx_ioc_wait_one(p, uarg);
	case MX_IOC_OBJECT_WAIT_MANY:
		return mx_ioc_wait_many(p, uarg);
	case MX_IOC_OBJECT_GET_INFO:
		return mx_ioc_get_info(p, uarg);
	case MX_IOC_OBJECT_GET_PROPERTY:
		return mx_ioc_get_property(p, uarg);
	case MX_IOC_OBJECT_SET_PROPERTY:
		return mx_ioc_set_property(p, uarg);
	case MX_IOC_PROCESS_SELF:
		return mx_ioc_process_self(p, uarg);
	case MX_IOC_CHANNEL_CREATE:
		return mx_ioc_channel_create(p, uarg);
	case MX_IOC_CHANNEL_WRITE:
		return mx_ioc_channel_write(p, uarg);
	case MX_IOC_CHANNEL_READ:
		return mx_ioc_channel_read(p, uarg);
	case MX_IOC_HANDLE_TO_FD:
		return mx_ioc_handle_to_fd(p, uarg);
	case MX_IOC_HANDLE_FROM_FD:
		return mx_ioc_handle_from_fd(p, uarg);
	case MX_IOC_CHANNEL_CALL:
		return mx_ioc_channel_call(p, uarg);
	case MX_IOC_PORT_CREATE:
		return mx_ioc_port_create(p, uarg);
	case MX_IOC_PORT_QUEUE:
		return mx_ioc_port_queue(p, uarg);
	case MX_IOC_PORT_WAIT:
		return mx_ioc_port_wait(p, uarg);
	case MX_IOC_PORT_CANCEL:
		return mx_ioc_port_cancel(p, uarg);
	case MX_IOC_OBJECT_WAIT_ASYNC:
		return mx_ioc_wait_async(p, uarg);
	case MX_IOC_WAITFD_CREATE:
		return mx_ioc_waitfd_create(p, uarg);
	case MX_IOC_DEBUG_LIST_HANDLES:
		return mx_ioc_debug_list_handles(p, uarg);
	case MX_IOC_DEBUG_COPY_HANDLE:
		return mx_ioc_debug_copy_handle(p, uarg);
	case MX_IOC_THREAD_SELF:
		return mx_ioc_thread_self(p, uarg);
	case MX_IOC_THREAD_CREATE:
		return mx_ioc_thread_create(p, uarg);
	case MX_IOC_THREAD_START:
		return mx_ioc_thread_start(p, uarg);
	case MX_IOC_TASK_KILL:
		return mx_ioc_task_kill(p, arg);
	case MX_IOC_PROCESS_CREATE:
		return mx_ioc_process_create(p, uarg);
	case MX_IOC_PROCESS_START:
		return mx_ioc_process_start(p, uarg);
	case MX_IOC_PROCESS_EXIT:
		return mx_ioc_process_exit(p, arg);
	case MX_IOC_JOB_CREATE:
		return mx_ioc_job_create(p, uarg);
	default:
		return -ENOIOCTLCMD;
	}
}

/* Every command, at the index of its number: unknown ones attach nothing. */
static const unsigned int mx_cmds[] = {
	[_IOC_NR(MX_IOC_VERSION)] = MX_IOC_VERSION,
	[_IOC_NR(MX_IOC_HANDLE_CLOSE)] = MX_IOC_HANDLE_CLOSE,
	[_IOC_NR(MX_IOC_HANDLE_DUPLICATE)] = MX_IOC_HANDLE_DUPLICATE,
	[_IOC_NR(MX_IOC_HANDLE_REPLACE)] = MX_IOC_HANDLE_REPLACE,
	[_IOC_NR(MX_IOC_EVENT_CREATE)] = MX_IOC_EVENT_CREATE,
	[_IOC_NR(MX_IOC_EVENTPAIR_CREATE)] = MX_IOC_EVENTPAIR_CREATE,
	[_IOC_NR(MX_IOC_OBJECT_SIGNAL)] = MX_IOC_OBJECT_SIGNAL,
	[_IOC_NR(MX_IOC_OBJECT_SIGNAL_PEER)] = MX_IOC_OBJECT_SIGNAL_PEER,
	[_IOC_NR(MX_IOC_OBJECT_WAIT_ONE)] = MX_IOC_OBJECT_WAIT_ONE,
	[_IOC_NR(MX_IOC_OBJECT_WAIT_MANY)] = MX_IOC_OBJECT_WAIT_MANY,
	[_IOC_NR(MX_IOC_OBJECT_GET_INFO)] = MX_IOC_OBJECT_GET_INFO,
	[_IOC_NR(MX_IOC_OBJECT_GET_PROPERTY)] = MX_IOC_OBJECT_GET_PROPERTY,
	[_IOC_NR(MX_IOC_OBJECT_SET_PROPERTY)] = MX_IOC_OBJECT_SET_PROPERTY,
	[_IOC_NR(MX_IOC_PROCESS_SELF)] = MX_IOC_PROCESS_SELF,
	[_IOC_NR(MX_IOC_CHANNEL_CREATE)] = MX_IOC_CHANNEL_CREATE,
	[_IOC_NR(MX_IOC_CHANNEL_WRITE)] = MX_IOC_CHANNEL_WRITE,
	[_IOC_NR(MX_IOC_CHANNEL_READ)] = MX_IOC_CHANNEL_READ,
	[_IOC_NR(MX_IOC_HANDLE_TO_FD)] = MX_IOC_HANDLE_TO_FD,
	[_IOC_NR(MX_IOC_HANDLE_FROM_FD)] = MX_IOC_HANDLE_FROM_FD,
	[_IOC_NR(MX_IOC_CHANNEL_CALL)] = MX_IOC_CHANNEL_CALL,
	[_IOC_NR(MX_IOC_PORT_CREATE)] = MX_IOC_PORT_CREATE,
	[_IOC_NR(MX_IOC_PORT_QUEUE)] = MX_IOC_PORT_QUEUE,
	[_IOC_NR(MX_IOC_PORT_WAIT)] = MX_IOC_PORT_WAIT,
	[_IOC_NR(MX_IOC_PORT_CANCEL)] = MX_IOC_PORT_CANCEL,
	[_IOC_NR(MX_IOC_OBJECT_WAIT_ASYNC)] = MX_IOC_OBJECT_WAIT_ASYNC,
	[_IOC_NR(MX_IOC_WAITFD_CREATE)] = MX_IOC_WAITFD_CREATE,
	[_IOC_NR(MX_IOC_DEBUG_LIST_HANDLES)] = MX_IOC_DEBUG_LIST_HANDLES,
	[_IOC_NR(MX_IOC_DEBUG_COPY_HANDLE)] = MX_IOC_DEBUG_COPY_HANDLE,
	[_IOC_NR(MX_IOC_THREAD_SELF)] = MX_IOC_THREAD_SELF,
	[_IOC_NR(MX_IOC_THREAD_CREATE)] = MX_IOC_THREAD_CREATE,
	[_IOC_NR(MX_IOC_THREAD_START)] = MX_IOC_THREAD_START,
	[_IOC_NR(MX_IOC_TASK_KILL)] = MX_IOC_TASK_KILL,
	[_IOC_NR(MX_IOC_PROCESS_CREATE)] = MX_IOC_PROCESS_CREATE,
	[_IOC_NR(MX_IOC_PROCESS_START)] = MX_IOC_PROCESS_START,
	[_IOC_NR(MX_IOC_PROCESS_EXIT)] = MX_IOC_PROCESS_EXIT,
	[_IOC_NR(MX_IOC_JOB_CREATE)] = MX_IOC_JOB_CREATE,
	[_IOC_NR(MX_IOC_PROCESS_CLAIM)] = MX_IOC_PROCESS_CLAIM,
};

static bool mx_cmd_known(unsigned int cmd)
{
	unsigned int nr = _IOC_NR(cmd);

	return _IOC_TYPE(cmd) == MX_IOC_MAGIC && nr < ARRAY_SIZE(mx_cmds) &&
	       mx_cmds[nr] == cmd;
}

static long mx_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct mx_process *p;
	long ret;

	if (!mx_cmd_known(cmd))
		return -ENOTTY;
	if (cmd == MX_IOC_VERSION)
		return mx_ioc_version((void __user *)arg);
	if (cmd == MX_IOC_PROCESS_CLAIM)
		/* Made by a child that must not be attached yet. */
		return -mx_ioc_process_claim();

	p = mx_process_current();
	if (IS_ERR(p))
		return -PTR_ERR(p);
	ret = mx_dispatch(p, cmd, arg);
	if (ret <= -MX_ERRNO_RESTART_MIN)
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

static int __init mx_init(void)
{
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

	ret = mx_object_cache_init();
	if (ret)
		return ret;
	ret = mx_process_init();
	if (ret)
		goto out_cache;
	mx_debugfs = debugfs_create_dir("mx", NULL);
	mx_gc_init(mx_debugfs);
	mx_stats_debugfs_init(mx_debugfs);
	ret = mx_thread_init();
	if (ret)
		goto out_process;
	ret = mx_start_init();
	if (ret)
		goto out_thread;
	ret = misc_register(&mx_misc);
	if (ret)
		goto out_start;
	return 0;

out_start:
	mx_start_exit();
out_thread:
	mx_thread_exit();
out_process:
	mx_process_exit();
	mx_gc_exit();
	debugfs_remove_recursive(mx_debugfs);
	mx_message_exit();
	mx_job_exit();
out_cache:
	mx_object_cache_exit();
	return ret;
}

static void __exit mx_exit(void)
{
	misc_deregister(&mx_misc);
	mx_start_exit();
	/* What the last exits left to finish holds no module reference. */
	mx_process_quiesce();
	mx_thread_exit();
	mx_process_exit();
	mx_gc_exit();
	debugfs_remove_recursive(mx_debugfs);
	mx_message_exit();
	mx_job_exit();
	mx_object_cache_exit();
	mx_user_exit();
}

module_init(mx_init);
module_exit(mx_exit);

MODULE_DESCRIPTION("Magenta handles, channels and tasks for Linux");
MODULE_AUTHOR("The mx authors");
MODULE_LICENSE("GPL");
MODULE_VERSION(MX_VERSION);
