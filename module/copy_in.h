/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small copies without a string move: from user memory (the calls'
 * arguments, small writes) and between kernel buffers.
 */
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

/*
 * memcpy() for a small message's bytes: moves of 8 bytes, then of 4, 2 and
 * 1, inline (a constant size is a move). memcpy() may be a string move, whose start-up cost a few
 * dozen bytes do not repay (and which costs a step per byte where it is
 * emulated).
 */
static __always_inline void mx_small_copy(void *dst, const void *src, u32 n)
{
	const u8 *s = src;
	u8 *d = dst;

	for (; n >= 8; n -= 8, d += 8, s += 8)
		__builtin_memcpy(d, s, 8);
	if (n & 4) {
		__builtin_memcpy(d, s, 4);
		d += 4;
		s += 4;
	}
	if (n & 2) {
		__builtin_memcpy(d, s, 2);
		d += 2;
		s += 2;
	}
	if (n & 1)
		*d = *s;
}

#endif /* MX_COPY_IN_H */
