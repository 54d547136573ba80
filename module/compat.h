/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels mx builds for (Debian's 6.1 and 6.12),
 * kept in this one place.
 */
#ifndef MX_COMPAT_H
#define MX_COMPAT_H

/*
 * Internals are exported to the KUnit module only where KUnit exists;
 * <kunit/visibility.h> appeared in 6.2.
 */
#if IS_ENABLED(CONFIG_KUNIT) && __has_include(<kunit/visibility.h>)
#include <kunit/visibility.h>
#else
#define VISIBLE_IF_KUNIT static
#define EXPORT_SYMBOL_IF_KUNIT(symbol)
#endif

#endif /* MX_COMPAT_H */
