/* SPDX-License-Identifier: MIT */
/* libmx internals: the one funnel every call goes through. */
#ifndef LIBMX_INTERNAL_H
#define LIBMX_INTERNAL_H

#include <stdint.h>

#include <mx.h>

/* Pass a pointer as the __u64 the ABI uses. */
#define MX_PTR(p)	((__u64)(uintptr_t)(p))

mx_status_t mx__ioctl(unsigned long cmd, void *arg);
mx_status_t mx__ioctl_val(unsigned long cmd, unsigned long arg);

/* stack.c: run entry(arg1, arg2) on @stack; see there. */
void mx__run_on_stack(uintptr_t entry, uintptr_t stack, uintptr_t arg1,
		      uintptr_t arg2, void **save)
	__attribute__((visibility("hidden")));
__attribute__((noreturn, visibility("hidden")))
void mx__return_to(void *saved_sp);
extern __thread void **mx__saved_sp __attribute__((visibility("hidden")));

/* launch.c: a startup handle, left in place (MX_HANDLE_INVALID if none). */
mx_handle_t mx__startup_peek(uint32_t id) __attribute__((visibility("hidden")));

/* task.c: the handler of MX_THREAD_KILL_SIGNAL, installed on first open. */
void mx__install_kill_handler(void) __attribute__((visibility("hidden")));

/* task.c: check, fork, bind (and for the launcher send the values). */
#include <sys/types.h>
mx_status_t mx__start(struct mx_ioc_process_start *a, mx_handle_t *values,
		      uint32_t nvalues, void (*child)(int fd, void *arg),
		      void *arg, pid_t *child_pid, int *parent_fd)
	__attribute__((visibility("hidden")));
/* After mx__start() gave out *parent_fd: let the next start go. */
void mx__start_unlock(void) __attribute__((visibility("hidden")));

#endif
