// SPDX-License-Identifier: MIT
/*
 * mx_process_create, mx_process_start.
 *
 * mx_process_start(): the child start.c forks binds itself to the
 * process object, then switches to the stack and calls entry(arg1, arg2)
 * with arg1 the value the module gave the handle in the new process.
 */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <unistd.h>

#include "ioctl.h"
#include "stack.h"
#include "start.h"

mx_status_t mx_process_create(mx_handle_t job, const char *name,
			      uint32_t name_len, uint32_t options,
			      mx_handle_t *proc_handle, mx_handle_t *vmar_handle)
{
	struct mx_ioc_task_create a = {
		.parent = job,
		.options = options,
		.name = MX_PTR(name),
		.name_len = name_len,
		.out = MX_PTR(proc_handle),
		.out_vmar = MX_PTR(vmar_handle),
	};

	return mx__ioctl(MX_IOC_PROCESS_CREATE, &a);
}

/* The start of the child of mx_process_start(): never returns. */
__attribute__((noreturn))
static void mx__start_child(uintptr_t entry, uintptr_t stack, uintptr_t arg1,
			    uintptr_t arg2)
{
	void *saved;

	/*
	 * entry returning, or mx_thread_exit(), comes back here; the thread
	 * then ends with the exit system call, not exit(), which would run
	 * the parent's atexit handlers and flush its stdio buffers again.
	 */
	mx__saved_sp = &saved;
	mx__run_on_stack(entry, stack, arg1, arg2, &saved);
	mx__saved_sp = NULL;
	for (;;)
		syscall(SYS_exit, 0);
}

struct mx_start_args {
	uintptr_t entry, stack, arg2;
	mx_handle_t arg1;
};

static void mx__process_child(void *arg, struct mx_start_child *sc)
{
	struct mx_start_args *sa = arg;

	mx__start_unblock(sc);
	mx__start_child(sa->entry, sa->stack, (uintptr_t)sa->arg1, sa->arg2);
}

mx_status_t mx_process_start(mx_handle_t process, mx_handle_t thread,
			     uintptr_t entry, uintptr_t stack,
			     mx_handle_t arg1, uintptr_t arg2)
{
	struct mx_ioc_process_start a = {
		.process = process,
		.thread = thread,
		.arg1 = arg1,
	};
	struct mx_start_args sa = { entry, stack, arg2, MX_HANDLE_INVALID };

	return mx__start(&a, &sa.arg1, mx__process_child, &sa, NULL, NULL);
}

mx_status_t mx_process_read_memory(mx_handle_t proc, uintptr_t vaddr,
				   void *buffer, size_t len, size_t *actual)
{
	struct mx_ioc_process_memory a = {
		.process = proc,
		.vaddr = vaddr,
		.buffer = MX_PTR(buffer),
		.len = len,
		.actual = MX_PTR(actual),
	};

	return mx__ioctl(MX_IOC_PROCESS_READ_MEMORY, &a);
}

mx_status_t mx_process_write_memory(mx_handle_t proc, uintptr_t vaddr,
				    const void *buffer, size_t len,
				    size_t *actual)
{
	struct mx_ioc_process_memory a = {
		.process = proc,
		.vaddr = vaddr,
		.buffer = MX_PTR(buffer),
		.len = len,
		.actual = MX_PTR(actual),
	};

	return mx__ioctl(MX_IOC_PROCESS_WRITE_MEMORY, &a);
}
