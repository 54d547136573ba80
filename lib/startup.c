// SPDX-License-Identifier: MIT
/*
 * mx_get_startup_handle(): the handles a program run by mx_launch()
 * (launch.c) was given.
 *
 * The launcher's child puts them in its environment as
 * MX_STARTUP_HANDLES=<id>:<value>,... (hexadecimal) before it execs the
 * program. In the new program, libmx reads that variable once (and
 * removes it from the environment, so programs it starts in turn do not
 * inherit stale values). A program run in secure mode (AT_SECURE: setuid,
 * setgid, file capabilities) ignores it, as glibc's secure_getenv() does:
 * its environment is its caller's to choose, and the module gave its
 * process nothing (the exec ended the process the launcher started).
 * This file calls no other file of libmx.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include <mx.h>

#include "startup.h"

static struct {
	uint32_t id;
	mx_handle_t value;
} mx__startup[MX_LAUNCH_MAX_HANDLES];
static unsigned int mx__nstartup;
static pthread_once_t mx__startup_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t mx__startup_lock = PTHREAD_MUTEX_INITIALIZER;

static void mx__startup_parse(void)
{
	const char *s = secure_getenv(MX_STARTUP_VAR);
	char *end;

	while (s && *s && mx__nstartup < MX_LAUNCH_MAX_HANDLES) {
		unsigned long id, value;

		id = strtoul(s, &end, 16);
		if (end == s || *end != ':')
			break;
		s = end + 1;
		value = strtoul(s, &end, 16);
		if (end == s || (*end != ',' && *end))
			break;
		mx__startup[mx__nstartup].id = (uint32_t)id;
		mx__startup[mx__nstartup].value = (mx_handle_t)value;
		mx__nstartup++;
		s = *end ? end + 1 : end;
	}
	unsetenv(MX_STARTUP_VAR);
}

static mx_handle_t mx__startup_find(uint32_t id, int take)
{
	mx_handle_t h = MX_HANDLE_INVALID;
	unsigned int i;
	int saved = errno;

	pthread_once(&mx__startup_once, mx__startup_parse);
	pthread_mutex_lock(&mx__startup_lock);
	for (i = 0; i < mx__nstartup; i++) {
		if (mx__startup[i].id != id ||
		    mx__startup[i].value == MX_HANDLE_INVALID)
			continue;
		h = mx__startup[i].value;
		if (take)
			mx__startup[i].value = MX_HANDLE_INVALID;
		break;
	}
	pthread_mutex_unlock(&mx__startup_lock);
	errno = saved;
	return h;
}

mx_handle_t mx_get_startup_handle(uint32_t id)
{
	return mx__startup_find(id, 1);
}

mx_handle_t mx__startup_peek(uint32_t id)
{
	return mx__startup_find(id, 0);
}
