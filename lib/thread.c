// SPDX-License-Identifier: MIT
/*
 * mx_thread_create, mx_thread_start.
 *
 * mx_thread_start(): the module checks the thread handle and claims the
 * thread (it reads as started from then on), libmx creates a detached
 * pthread (so the thread has a TCB, TLS and can call libc) and returns
 * without waiting for it; the new thread binds itself to the thread object
 * by the handle value of the start (whatever became of the handle), then
 * switches to the caller's stack and calls entry(arg1, arg2). A thread
 * killed before it bound ends there, without running entry. The pthread's
 * own stack only holds that start-up frame. mx_thread_exit() (self.c), or
 * entry returning, comes back to the pthread's frame, which returns and
 * lets libc free it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "ioctl.h"
#include "stack.h"

mx_status_t mx_thread_create(mx_handle_t process, const char *name,
			     uint32_t name_len, uint32_t options,
			     mx_handle_t *out)
{
	struct mx_ioc_task_create a = {
		.parent = process,
		.options = options,
		.name = MX_PTR(name),
		.name_len = name_len,
		.out = MX_PTR(out),
	};

	return mx__ioctl(MX_IOC_THREAD_CREATE, &a);
}

struct mx_thread_boot {
	mx_handle_t thread;
	uintptr_t entry, stack, arg1, arg2;
};

static void *mx__thread_boot(void *arg)
{
	struct mx_thread_boot *b = arg;
	struct mx_ioc_thread_start a = {
		.thread = b->thread,
		.flags = MX_THREAD_START_CLAIMED,
	};
	uintptr_t entry = b->entry, stack = b->stack;
	uintptr_t arg1 = b->arg1, arg2 = b->arg2;
	mx_status_t s;
	void *saved;

	free(b);
	s = mx__ioctl(MX_IOC_THREAD_START, &a);
	if (s != MX_OK) {
		/* Killed before it ran, or its process is ending. */
		if (s != MX_ERR_BAD_STATE) {
			a.flags = MX_THREAD_START_ABORT;
			mx__ioctl(MX_IOC_THREAD_START, &a);
		}
		return NULL;
	}
	mx__saved_sp = &saved;
	mx__run_on_stack(entry, stack, arg1, arg2, &saved);
	mx__saved_sp = NULL;
	return NULL;
}

mx_status_t mx_thread_start(mx_handle_t thread, uintptr_t entry,
			    uintptr_t stack, uintptr_t arg1, uintptr_t arg2)
{
	struct mx_ioc_thread_start a = {
		.thread = thread,
		.flags = MX_THREAD_START_CLAIM,
	};
	struct mx_thread_boot *b;
	pthread_attr_t attr;
	pthread_t tid;
	mx_status_t s;
	int r, saved = errno;

	s = mx__ioctl(MX_IOC_THREAD_START, &a);
	if (s != MX_OK)
		return s;
	/* The thread reads as started: give the claim back on failure. */
	b = malloc(sizeof(*b));
	if (!b || pthread_attr_init(&attr) != 0) {
		s = MX_ERR_NO_MEMORY;
		goto out_abort;
	}
	*b = (struct mx_thread_boot){ thread, entry, stack, arg1, arg2 };
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	r = pthread_create(&tid, &attr, mx__thread_boot, b);
	pthread_attr_destroy(&attr);
	if (r != 0) {
		s = r == EAGAIN ? MX_ERR_NO_RESOURCES : MX_ERR_NO_MEMORY;
		goto out_abort;
	}
	errno = saved;
	return MX_OK;

out_abort:
	free(b);
	a.flags = MX_THREAD_START_ABORT;
	mx__ioctl(MX_IOC_THREAD_START, &a);
	errno = saved;
	return s;
}
