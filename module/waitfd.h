/* SPDX-License-Identifier: GPL-2.0 */
/* Wait file descriptors: a watch of an object as a file (waitfd.c). */
#ifndef MX_WAITFD_H
#define MX_WAITFD_H

#include <linux/types.h>

struct file;
struct mx_object;
struct mx_process;
struct mx_waitfd;

int mx_waitfd_new(struct mx_process *p, struct mx_object *obj, u32 signals,
		  struct mx_waitfd **out);
void mx_waitfd_free(struct mx_waitfd *w);
struct file *mx_waitfd_file(struct mx_waitfd *w, unsigned int flags);

#endif /* MX_WAITFD_H */
