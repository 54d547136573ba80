/* SPDX-License-Identifier: MIT */
/* start.c: what mx_process_start() and mx_launch() have in common. */
#ifndef LIBMX_START_H
#define LIBMX_START_H

#include <sys/types.h>

#include <mx.h>

/* Arm, fork, and the child claims its process and runs @child. */
struct mx_start_child;
mx_status_t mx__start(struct mx_ioc_process_start *a, mx_handle_t *values,
		      void (*child)(void *arg, struct mx_start_child *sc),
		      void *arg, void *vfork_stack, pid_t *child_pid)
	__attribute__((visibility("hidden")));
/* In that child: restore the signal mask of the caller of mx__start(). */
void mx__start_unblock(struct mx_start_child *sc)
	__attribute__((visibility("hidden")));

#endif
