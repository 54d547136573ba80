/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels mx builds for (Debian's 6.1 and 6.12),
 * kept in this one place.
 */
#ifndef MX_COMPAT_H
#define MX_COMPAT_H

/*
 * Internals are exported to the KUnit module only where KUnit exists;
 * <kunit/visibility.h> appeared in 6.2. Sparse does not know
 * __has_include; it checks against the debug kernel (6.12), which has it,
 * so that it sees what the KUnit suites see.
 */
#if IS_ENABLED(CONFIG_KUNIT)
#ifdef __CHECKER__
#define MX_KUNIT_VISIBILITY
#elif __has_include("kunit/visibility.h")
#define MX_KUNIT_VISIBILITY
#endif
#endif

#ifdef MX_KUNIT_VISIBILITY
#include <kunit/visibility.h>
#else
#define VISIBLE_IF_KUNIT static
/* a declaration that uses its argument and makes nothing */
#define EXPORT_SYMBOL_IF_KUNIT(sym) static_assert(__same_type(sym, sym))
#endif

/*
 * vm_flags_set() and vm_flags_clear() change a VMA's flags since 6.3,
 * which also brought VM_LOCKED_MASK; before, the flags were written.
 */
#include <linux/mm.h>
#ifdef VM_LOCKED_MASK
#define mx_vm_flags_set(vma, flags)	vm_flags_set(vma, flags)
#define mx_vm_flags_clear(vma, flags)	vm_flags_clear(vma, flags)
#else
#define mx_vm_flags_set(vma, flags)	((vma)->vm_flags |= (flags))
#define mx_vm_flags_clear(vma, flags)	((vma)->vm_flags &= ~(flags))
#endif

#endif /* MX_COMPAT_H */
