/* SPDX-License-Identifier: GPL-2.0 */
/* Handles carried by file descriptors (handle_fd.c). */
#ifndef MX_HANDLE_FD_H
#define MX_HANDLE_FD_H

#include <linux/types.h>

struct file;
struct mx_handle;

bool mx_handle_file_is(struct file *file);
struct file *mx_handle_file_new(void);
void mx_handle_file_fill(struct file *file, struct mx_handle *h);
int mx_handle_file_take(struct file *file, struct mx_handle **h);
void mx_handle_file_put_back(struct file *file, struct mx_handle *h);

#endif /* MX_HANDLE_FD_H */
