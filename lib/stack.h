/* SPDX-License-Identifier: MIT */
/* stack.c: running an entry point on a stack of the caller's choosing. */
#ifndef LIBMX_STACK_H
#define LIBMX_STACK_H

#include <stdint.h>

/* Run entry(arg1, arg2) on @stack; see stack.c. */
void mx__run_on_stack(uintptr_t entry, uintptr_t stack, uintptr_t arg1,
		      uintptr_t arg2, void **save)
	__attribute__((visibility("hidden")));
__attribute__((noreturn, visibility("hidden")))
void mx__return_to(void *saved_sp);
extern __thread void **mx__saved_sp __attribute__((visibility("hidden")));

/*
 * End the calling thread: a thread running on mx__run_on_stack() returns
 * into the frame that called it, any other thread is a pthread and ends
 * as one.
 */
__attribute__((noreturn, visibility("hidden")))
void mx__stack_leave(void);

/* Whether the calling thread runs on mx__run_on_stack(). */
int mx__stack_is_ours(void) __attribute__((visibility("hidden")));

/*
 * ioctl(@fd, @unmap_cmd, @unmap_arg); if it returns 0, ioctl(@fd,
 * @close_cmd, @handle) and mx__stack_leave() without touching the stack.
 * Returns the first ioctl's raw result otherwise. The calling thread must
 * run on mx__run_on_stack().
 */
long mx__unmap_close_leave(int fd, unsigned long unmap_cmd, void *unmap_arg,
			   unsigned long close_cmd, int32_t handle)
	__attribute__((visibility("hidden")));

#endif
