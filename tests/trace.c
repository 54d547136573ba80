// SPDX-License-Identifier: MIT
/*
 * The mx tracepoints, through tracefs as ftrace users see them: each case
 * enables events/mx in a trace instance of its own, filtered to its own
 * pid, makes the calls, and finds the events with the expected fields.
 */
#include "mxtest.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define TRACEFS		"/sys/kernel/tracing"

static char inst[128];
static char trace[1 << 16];

static void put(const char *file, const char *val)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", inst, file);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		FAIL("%s: %s", path, strerror(errno));
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		FAIL("writing %s to %s: %s", val, path, strerror(errno));
	close(fd);
}

static void remove_instance(void)
{
	rmdir(inst);
}

/* A trace instance recording this process's mx events. */
static void start(void)
{
	char filter[64];
	struct stat st;

	if (stat(TRACEFS "/instances", &st) &&
	    mount("tracefs", TRACEFS, "tracefs", 0, NULL))
		SKIP("no tracefs: %s", strerror(errno));
	if (stat(TRACEFS "/events/mx", &st))
		FAIL("no mx events in tracefs (is the module loaded?)");
	snprintf(inst, sizeof(inst), TRACEFS "/instances/mxtest-%d",
		 (int)getpid());
	if (mkdir(inst, 0700))
		FAIL("mkdir %s: %s", inst, strerror(errno));
	atexit(remove_instance);
	snprintf(filter, sizeof(filter), "common_pid == %d", (int)getpid());
	put("events/mx/filter", filter);
	put("events/mx/enable", "1");
	mx_process_self();
}

/* Stop recording and read what was recorded. */
static void stop(void)
{
	char path[256];
	size_t len = 0;
	ssize_t n;
	int fd;

	put("tracing_on", "0");
	put("events/mx/enable", "0");
	snprintf(path, sizeof(path), "%s/trace", inst);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		FAIL("%s: %s", path, strerror(errno));
	while (len + 1 < sizeof(trace) &&
	       (n = read(fd, trace + len, sizeof(trace) - 1 - len)) > 0)
		len += (size_t)n;
	trace[len] = '\0';
	close(fd);
}

/* The trace has an event line "@event: @fields" (the whole field list). */
static void expect(const char *event, const char *fmt, ...)
{
	char want[512], fields[400];
	const char *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fields, sizeof(fields), fmt, ap);
	va_end(ap);
	snprintf(want, sizeof(want), " %s: %s\n", event, fields);
	p = strstr(trace, want);
	if (!p)
		FAIL("no \"%s: %s\" in the trace:\n%s", event, fields, trace);
}

/* How many lines of @event the trace has. */
static int count(const char *event)
{
	char want[128];
	const char *p = trace;
	int n = 0;

	snprintf(want, sizeof(want), " %s: ", event);
	while ((p = strstr(p, want))) {
		n++;
		p++;
	}
	return n;
}

static unsigned long long koid(mx_handle_t h)
{
	return (unsigned long long)mxt_basic(h).koid;
}

TEST(handle_create_duplicate_close)
{
	mx_handle_t ev, d;
	unsigned long long k;

	start();
	ev = mxt_event();
	d = mxt_dup(ev, MX_RIGHT_READ | MX_RIGHT_DUPLICATE);
	k = koid(ev);
	ASSERT_OK(mx_handle_close(d));
	ASSERT_STATUS(mx_handle_close(d), MX_ERR_BAD_HANDLE);
	stop();

	expect("mx_handle_create", "value=%#x koid=%llu type=event rights=%#x",
	       ev, k, MX_DEFAULT_EVENT_RIGHTS);
	expect("mx_handle_duplicate",
	       "src=%#x value=%#x koid=%llu rights=%#x src_pid=0", ev, d, k,
	       MX_RIGHT_READ | MX_RIGHT_DUPLICATE);
	expect("mx_handle_close", "value=%#x koid=%llu type=event", d, k);
	/* The failed close is not an event. */
	ASSERT_EQ(count("mx_handle_close"), 1);
	ASSERT_EQ(count("mx_handle_create"), 1);
	ASSERT_EQ(count("mx_handle_duplicate"), 1);
}

TEST(a_channel_create_is_two_handles)
{
	mx_handle_t a, b;

	start();
	ASSERT_OK(mx_channel_create(0, &a, &b));
	stop();
	expect("mx_handle_create", "value=%#x koid=%llu type=channel "
	       "rights=%#x", a, koid(a), MX_DEFAULT_CHANNEL_RIGHTS);
	expect("mx_handle_create", "value=%#x koid=%llu type=channel "
	       "rights=%#x", b, koid(b), MX_DEFAULT_CHANNEL_RIGHTS);
}

TEST(channel_write_read_and_transfer)
{
	mx_handle_t a, b, ev, sent, got = 0;
	unsigned long long ka, kb, kev;
	uint32_t nb, nh;
	char buf[16];

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ev = mxt_event();
	sent = mxt_dup(ev, MX_RIGHT_READ | MX_RIGHT_TRANSFER);
	ka = koid(a);
	kb = koid(b);
	kev = koid(ev);
	start();
	ASSERT_OK(mx_channel_write(a, 0, "hello", 5, &sent, 1));
	ASSERT_STATUS(mx_channel_write(a, 0, "x", 1, &a, 1),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_OK(mx_channel_read(b, 0, buf, &got, sizeof(buf), 1, &nb, &nh));
	ASSERT_STATUS(mx_channel_read(b, 0, buf, &got, sizeof(buf), 1, &nb,
				      &nh), MX_ERR_SHOULD_WAIT);
	ASSERT_OK(mx_channel_write(b, 0, "0123456789", 10, NULL, 0));
	ASSERT_STATUS(mx_channel_read(a, 0, buf, NULL, 4, 0, &nb, &nh),
		      MX_ERR_BUFFER_TOO_SMALL);
	stop();

	expect("mx_handle_transfer",
	       "out value=%#x koid=%llu type=event rights=%#x", sent, kev,
	       MX_RIGHT_READ | MX_RIGHT_TRANSFER);
	expect("mx_channel_write", "koid=%llu bytes=5 handles=1 status=0", ka);
	expect("mx_channel_write", "koid=%llu bytes=1 handles=1 status=%d", ka,
	       MX_ERR_NOT_SUPPORTED);
	expect("mx_handle_transfer",
	       "in value=%#x koid=%llu type=event rights=%#x", got, kev,
	       MX_RIGHT_READ | MX_RIGHT_TRANSFER);
	expect("mx_channel_read", "koid=%llu bytes=5 handles=1 status=0", kb);
	expect("mx_channel_read", "koid=%llu bytes=0 handles=0 status=%d", kb,
	       MX_ERR_SHOULD_WAIT);
	expect("mx_channel_write", "koid=%llu bytes=10 handles=0 status=0",
	       kb);
	expect("mx_channel_read", "koid=%llu bytes=10 handles=0 status=%d", ka,
	       MX_ERR_BUFFER_TOO_SMALL);
	ASSERT_EQ(count("mx_handle_transfer"), 2);
	ASSERT_EQ(count("mx_channel_write"), 3);
	ASSERT_EQ(count("mx_channel_read"), 3);
}

/* The server of channel_call_is_a_write_and_a_read: echoes one message. */
static void *echo_once(void *arg)
{
	mx_handle_t h = *(mx_handle_t *)arg;
	uint32_t nb, nh;
	char buf[64];

	if (mx_object_wait_one(h, MX_CHANNEL_READABLE, MX_TIME_INFINITE,
			       NULL) ||
	    mx_channel_read(h, 0, buf, NULL, sizeof(buf), 0, &nb, &nh) ||
	    mx_channel_write(h, 0, buf, nb + 3, NULL, 0))
		return (void *)1;
	return NULL;
}

TEST(channel_call_is_a_write_and_a_read)
{
	char req[12] = "\x07\0\0\0request", rep[64];
	mx_channel_call_args_t args = {
		.wr_bytes = req, .wr_num_bytes = sizeof(req),
		.rd_bytes = rep, .rd_num_bytes = sizeof(rep),
	};
	uint32_t nb, nh;
	mx_handle_t a, b;
	unsigned long long ka;
	pthread_t th;
	void *res;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ka = koid(a);
	ASSERT_EQ(pthread_create(&th, NULL, echo_once, &b), 0);
	/* Only this thread's events are recorded: the filter is its tid. */
	start();
	ASSERT_OK(mx_channel_call(a, 0, MX_TIME_INFINITE, &args, &nb, &nh,
				  NULL));
	stop();
	ASSERT_EQ(pthread_join(th, &res), 0);
	ASSERT_EQ(res, NULL);
	ASSERT_EQ(nb, sizeof(req) + 3);
	expect("mx_channel_write", "koid=%llu bytes=%zu handles=0 status=0",
	       ka, sizeof(req));
	expect("mx_channel_read", "koid=%llu bytes=%zu handles=0 status=0",
	       ka, sizeof(req) + 3);
	ASSERT_EQ(count("mx_channel_write"), 1);
	ASSERT_EQ(count("mx_channel_read"), 1);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

TEST(a_debugger_copy_is_a_duplicate_with_its_source_pid)
{
	mx_handle_t ev = mxt_event(), out;

	start();
	ASSERT_OK(mx_debug_copy_handle_pid(getpid(), ev, MX_RIGHT_READ, &out));
	stop();
	expect("mx_handle_duplicate",
	       "src=%#x value=%#x koid=%llu rights=%#x src_pid=%d", ev, out,
	       koid(ev), MX_RIGHT_READ, (int)getpid());
}
