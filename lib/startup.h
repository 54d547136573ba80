/* SPDX-License-Identifier: MIT */
/* startup.c: the startup handles of a program run by mx_launch(). */
#ifndef LIBMX_STARTUP_H
#define LIBMX_STARTUP_H

#include <stdint.h>

#include <mx.h>

/* The variable the launcher's child passes the handles in. */
#define MX_STARTUP_VAR	"MX_STARTUP_HANDLES"

/* A startup handle, left in place (MX_HANDLE_INVALID if none). */
mx_handle_t mx__startup_peek(uint32_t id) __attribute__((visibility("hidden")));

#endif
