// SPDX-License-Identifier: MIT
/*
 * Built outside the tree against an installed libmx (see Makefile): a
 * message over a channel, an event's signal and a VMO's bytes (a call of
 * symbol version MX_1.1), checked end to end.
 * Prints "mx-pkgconfig: ok" and exits 0 when all went as it should.
 */
#include <mx.h>

#include <stdio.h>
#include <string.h>

#define CHECK(call)							\
	do {								\
		mx_status_t s_ = (call);				\
		if (s_ != MX_OK) {					\
			fprintf(stderr, "mx-pkgconfig: %s: %s\n", #call, \
				mx_status_get_string(s_));		\
			return 1;					\
		}							\
	} while (0)

int main(void)
{
	mx_handle_t a, b, ev, vmo;
	mx_signals_t seen = 0;
	char buf[16];
	uint32_t nbytes = 0, nhandles = 0;
	size_t actual = 0;

	CHECK(mx_channel_create(0, &a, &b));
	CHECK(mx_event_create(0, &ev));
	CHECK(mx_channel_write(a, 0, "hello", 5, &ev, 1));
	CHECK(mx_object_wait_one(b, MX_CHANNEL_READABLE, MX_TIME_INFINITE,
				 &seen));
	CHECK(mx_channel_read(b, 0, buf, &ev, sizeof(buf), 1, &nbytes,
			      &nhandles));
	if (nbytes != 5 || memcmp(buf, "hello", 5) != 0 || nhandles != 1) {
		fprintf(stderr, "mx-pkgconfig: got %u bytes, %u handles\n",
			nbytes, nhandles);
		return 1;
	}
	CHECK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	CHECK(mx_object_wait_one(ev, MX_USER_SIGNAL_0, 0, &seen));
	CHECK(mx_handle_close(ev));
	CHECK(mx_vmo_create(4096, 0, &vmo));
	CHECK(mx_vmo_write(vmo, "page", 100, 4, &actual));
	memset(buf, 0, sizeof(buf));
	CHECK(mx_vmo_read(vmo, buf, 100, sizeof(buf), &actual));
	if (actual != sizeof(buf) || memcmp(buf, "page\0", 5) != 0) {
		fprintf(stderr, "mx-pkgconfig: read %zu bytes of the VMO\n",
			actual);
		return 1;
	}
	CHECK(mx_handle_close(vmo));
	CHECK(mx_handle_close(a));
	CHECK(mx_handle_close(b));
	printf("mx-pkgconfig: ok\n");
	return 0;
}
