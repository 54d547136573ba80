// SPDX-License-Identifier: GPL-2.0
/*
 * The definitions of mx's tracepoints (mx_trace.h).
 *
 * Locking (the order of all: docs/architecture.md): none.
 */
#define CREATE_TRACE_POINTS
#include "mx_trace.h"
