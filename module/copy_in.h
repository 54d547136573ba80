/* SPDX-License-Identifier: GPL-2.0 */
/* Small copies from user memory without a string move (sys_channel.c, sys_socket.c). */
#ifndef MX_COPY_IN_H
#define MX_COPY_IN_H

#include <linux/uaccess.h>

/*
 * The from-user twin of x86's unsafe_copy_to_user(), which the kernel does
 * not have: loads of the widest size first, with no call while user access
 * is on (objtool checks it) and no string move, which the general copy
 * may use and which costs a step per byte where it is emulated.
 */
#define mx_unsafe_copy_in_loop(dst, src, len, type, label)		\
	while (len >= sizeof(type)) {					\
		unsafe_get_user(*(type *)(dst), (type __user *)(src),	\
				label);					\
		dst += sizeof(type);					\
		src += sizeof(type);					\
		len -= sizeof(type);					\
	}

/*
 * copy_from_user() for the small and fixed sizes of the common calls: the
 * argument blocks and the bytes of a small write, in one stretch of user
 * access each. Return: 0, or -EFAULT with @dst partly written.
 */
static __always_inline int mx_copy_in(void *dst, const void __user *src,
				      size_t len)
{
	const char __user *s = src;
	char *d = dst;

	might_fault();
	if (!user_read_access_begin(src, len))
		return -EFAULT;
	mx_unsafe_copy_in_loop(d, s, len, u64, out_fault);
	mx_unsafe_copy_in_loop(d, s, len, u32, out_fault);
	mx_unsafe_copy_in_loop(d, s, len, u16, out_fault);
	mx_unsafe_copy_in_loop(d, s, len, u8, out_fault);
	user_read_access_end();
	return 0;

out_fault:
	user_read_access_end();
	return -EFAULT;
}

#endif /* MX_COPY_IN_H */
