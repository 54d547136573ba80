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

/* task.c: arm, fork, and the child claims its process and runs @child. */
#include <sys/types.h>
struct mx_start_child;
mx_status_t mx__start(struct mx_ioc_process_start *a, mx_handle_t *values,
		      void (*child)(void *arg, struct mx_start_child *sc),
		      void *arg, void *vfork_stack, pid_t *child_pid)
	__attribute__((visibility("hidden")));
/* In that child: restore the signal mask of the caller of mx__start(). */
void mx__start_unblock(struct mx_start_child *sc)
	__attribute__((visibility("hidden")));

#endif
