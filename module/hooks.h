/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where mx meets the Linux task lifecycle: the fork, exit and exec
 * tracepoints (hooks.c).
 */
#ifndef MX_HOOKS_H
#define MX_HOOKS_H

int mx_hooks_attach(void);
void mx_hooks_detach(void);

#endif /* MX_HOOKS_H */
