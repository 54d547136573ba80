// SPDX-License-Identifier: MIT
/*
 * mx-worker: the program mx-launcher starts with mx_launch().
 *
 * It takes its startup handles (the channel to the launcher, PA_USER0, and
 * an event to signal when done, PA_USER1), answers argv[1] requests, and
 * exits with the number it served. Run by hand, it has no startup handles
 * and says so.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mx.h>

int main(int argc, char **argv)
{
	mx_handle_t ch = mx_get_startup_handle(PA_USER0);
	mx_handle_t done = mx_get_startup_handle(PA_USER1);
	const char *greeting = getenv("WORKER_GREETING");
	char req[64], reply[192];
	int n = argc > 1 ? atoi(argv[1]) : 0, served = 0;
	uint32_t len;

	if (ch == MX_HANDLE_INVALID || done == MX_HANDLE_INVALID) {
		fprintf(stderr, "mx-worker: no startup handles; run me with "
			"mx-launcher\n");
		return 125;
	}
	/* A second take finds nothing: each handle is taken once. */
	if (mx_get_startup_handle(PA_USER0) != MX_HANDLE_INVALID)
		return 124;
	while (served < n) {
		if (mx_object_wait_one(ch, MX_CHANNEL_READABLE,
				       MX_TIME_INFINITE, NULL) != MX_OK ||
		    mx_channel_read(ch, 0, req, NULL, sizeof(req) - 1, 0, &len,
				    NULL) != MX_OK)
			return 123;
		req[len] = '\0';
		len = (uint32_t)snprintf(reply, sizeof(reply), "%s: %s (%s)",
					 argv[0], req,
					 greeting ? greeting : "no greeting");
		if (mx_channel_write(ch, 0, reply, len, NULL, 0) != MX_OK)
			return 122;
		served++;
	}
	mx_object_signal(done, 0, MX_EVENT_SIGNALED);
	mx_process_exit(served);
}
