/* SPDX-License-Identifier: MIT */
/* killed.c: how a thread the module kills ends. */
#ifndef LIBMX_KILLED_H
#define LIBMX_KILLED_H

/* The handler of MX_THREAD_KILL_SIGNAL, installed on first open. */
void mx__install_kill_handler(void) __attribute__((visibility("hidden")));

#endif
