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

#endif
