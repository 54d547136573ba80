/* SPDX-License-Identifier: GPL-2.0 */
/* A message's bytes to and from user memory (sys_channel.c). */
#ifndef MX_SYS_CHANNEL_H
#define MX_SYS_CHANNEL_H

#include <linux/compiler_types.h>

struct mx_message;

unsigned long mx_message_copy_in(struct mx_message *m, const void __user *src);
unsigned long mx_message_copy_out(struct mx_message *m, void __user *dst);

#endif /* MX_SYS_CHANNEL_H */
