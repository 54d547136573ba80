// SPDX-License-Identifier: MIT
/*
 * /sys/kernel/debug/mx/stats and /sys/kernel/debug/mx/processes: the
 * counters move by exactly what a program does, and the process list shows
 * the caller with its handles.
 *
 * The counters are global, and the processes of earlier programs are torn
 * down asynchronously after they exit; every case first waits until it is
 * the only mx process and the counters have stopped moving.
 */
#include "mxtest.h"

#include <sys/stat.h>

#define STATS		"/sys/kernel/debug/mx/stats"
#define PROCESSES	"/sys/kernel/debug/mx/processes"

struct stats {
	long objects, event, eventpair, channel, port, process, thread, job;
	long handles, messages, message_bytes;
	int nkeys;
};

static void read_stats(struct stats *s)
{
	char key[64];
	long v;
	FILE *f;

	memset(s, 0, sizeof(*s));
	f = fopen(STATS, "r");
	if (!f)
		FAIL("%s: %s", STATS, strerror(errno));
	while (fscanf(f, "%63s %ld", key, &v) == 2) {
		s->nkeys++;
		if (!strcmp(key, "objects"))
			s->objects = v;
		else if (!strcmp(key, "objects.event"))
			s->event = v;
		else if (!strcmp(key, "objects.eventpair"))
			s->eventpair = v;
		else if (!strcmp(key, "objects.channel"))
			s->channel = v;
		else if (!strcmp(key, "objects.port"))
			s->port = v;
		else if (!strcmp(key, "objects.process"))
			s->process = v;
		else if (!strcmp(key, "objects.thread"))
			s->thread = v;
		else if (!strcmp(key, "objects.job"))
			s->job = v;
		else if (!strcmp(key, "handles"))
			s->handles = v;
		else if (!strcmp(key, "messages"))
			s->messages = v;
		else if (!strcmp(key, "message_bytes"))
			s->message_bytes = v;
		else
			s->nkeys--;
	}
	fclose(f);
}

/* Lines of the processes file; the one for @pid is copied to @mine. */
static int read_processes(pid_t pid, char *mine, size_t size)
{
	char line[256];
	int n = 0;
	FILE *f;

	f = fopen(PROCESSES, "r");
	if (!f)
		FAIL("%s: %s", PROCESSES, strerror(errno));
	if (mine)
		mine[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		n++;
		if (mine && atoi(line) == pid)
			snprintf(mine, size, "%s", line);
	}
	fclose(f);
	return n;
}

/*
 * Wait until this process is the only mx process and two readings of the
 * counters 10 ms apart agree; then *@s is the baseline.
 */
static void settle(struct stats *s)
{
	mx_time_t give_up = mxt_now() + MX_SEC(30);
	struct stats again;

	mx_process_self();
	for (;;) {
		if (read_processes(getpid(), NULL, 0) == 1) {
			/* Longer than the module's batches of ended processes. */
			read_stats(s);
			mx_nanosleep(mx_deadline_after(MX_MSEC(50)));
			read_stats(&again);
			if (!memcmp(s, &again, sizeof(*s)))
				return;
		}
		if (mxt_now() > give_up)
			FAIL("the counters never settled");
		mx_nanosleep(mx_deadline_after(MX_MSEC(10)));
	}
}

TEST(files_are_roots_only)
{
	struct stat st;

	ASSERT_EQ(stat(STATS, &st), 0);
	ASSERT_EQ(st.st_mode & 0777, 0400);
	ASSERT_EQ(stat(PROCESSES, &st), 0);
	ASSERT_EQ(st.st_mode & 0777, 0400);
}

TEST(stats_has_every_key)
{
	struct stats s;

	settle(&s);
	ASSERT_EQ(s.nkeys, 11);
	/* This process, its self handle and its job handle at least. */
	ASSERT_TRUE(s.process >= 1);
	ASSERT_TRUE(s.job >= 1);
	ASSERT_TRUE(s.handles >= 2);
	ASSERT_EQ(s.objects, s.event + s.eventpair + s.channel + s.port +
		  s.process + s.thread + s.job);
}

TEST(events_and_handles_count_exactly)
{
	struct stats s0, s;
	mx_handle_t ev[3], d;
	int i;

	settle(&s0);
	for (i = 0; i < 3; i++)
		ev[i] = mxt_event();
	read_stats(&s);
	ASSERT_EQ(s.event - s0.event, 3);
	ASSERT_EQ(s.objects - s0.objects, 3);
	ASSERT_EQ(s.handles - s0.handles, 3);

	d = mxt_dup(ev[0], MX_RIGHT_SAME_RIGHTS);
	read_stats(&s);
	ASSERT_EQ(s.event - s0.event, 3);
	ASSERT_EQ(s.handles - s0.handles, 4);

	/* The object lives while a handle does. */
	ASSERT_OK(mx_handle_close(ev[0]));
	read_stats(&s);
	ASSERT_EQ(s.event - s0.event, 3);
	ASSERT_EQ(s.handles - s0.handles, 3);
	ASSERT_OK(mx_handle_close(d));
	for (i = 1; i < 3; i++)
		ASSERT_OK(mx_handle_close(ev[i]));
	read_stats(&s);
	ASSERT_EQ(s.event, s0.event);
	ASSERT_EQ(s.objects, s0.objects);
	ASSERT_EQ(s.handles, s0.handles);
}

TEST(other_types_count_by_type)
{
	struct stats s0, s;
	mx_handle_t a, b, c, d, port;

	settle(&s0);
	ASSERT_OK(mx_eventpair_create(0, &a, &b));
	ASSERT_OK(mx_channel_create(0, &c, &d));
	ASSERT_OK(mx_port_create(MX_PORT_OPT_V2, &port));
	read_stats(&s);
	ASSERT_EQ(s.eventpair - s0.eventpair, 2);
	ASSERT_EQ(s.channel - s0.channel, 2);
	ASSERT_EQ(s.port - s0.port, 1);
	ASSERT_EQ(s.event, s0.event);
	ASSERT_EQ(s.objects - s0.objects, 5);
	ASSERT_EQ(s.handles - s0.handles, 5);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(c));
	read_stats(&s);
	ASSERT_EQ(s.eventpair - s0.eventpair, 1);
	ASSERT_EQ(s.channel - s0.channel, 1);
	ASSERT_EQ(s.handles - s0.handles, 3);
}

TEST(queued_messages_and_bytes_count_exactly)
{
	struct stats s0, s;
	mx_handle_t a, b, ev, got;
	uint32_t nb, nh;
	char buf[64];

	settle(&s0);
	ASSERT_OK(mx_channel_create(0, &a, &b));
	ev = mxt_event();
	ASSERT_OK(mx_channel_write(a, 0, "0123456789", 10, NULL, 0));
	ASSERT_OK(mx_channel_write(a, 0, "01234567890123456789", 20, &ev, 1));
	ASSERT_OK(mx_channel_write(b, 0, "abc", 3, NULL, 0));
	read_stats(&s);
	ASSERT_EQ(s.messages - s0.messages, 3);
	ASSERT_EQ(s.message_bytes - s0.message_bytes, 33);
	/* The event's handle is in transit: still a handle. */
	ASSERT_EQ(s.handles - s0.handles, 3);
	ASSERT_EQ(s.event - s0.event, 1);

	/* A refused write queues nothing. */
	ASSERT_STATUS(mx_channel_write(a, 0, "x", 1, &a, 1),
		      MX_ERR_NOT_SUPPORTED);
	read_stats(&s);
	ASSERT_EQ(s.messages - s0.messages, 3);

	ASSERT_OK(mx_channel_read(b, 0, buf, NULL, sizeof(buf), 0, &nb, &nh));
	ASSERT_EQ(nb, 10);
	read_stats(&s);
	ASSERT_EQ(s.messages - s0.messages, 2);
	ASSERT_EQ(s.message_bytes - s0.message_bytes, 23);
	ASSERT_OK(mx_channel_read(b, 0, buf, &got, sizeof(buf), 1, &nb, &nh));
	read_stats(&s);
	ASSERT_EQ(s.messages - s0.messages, 1);
	ASSERT_EQ(s.message_bytes - s0.message_bytes, 3);
	ASSERT_EQ(s.handles - s0.handles, 3);

	/* Closing an endpoint drops what is queued in it at once. */
	ASSERT_OK(mx_handle_close(a));
	read_stats(&s);
	ASSERT_EQ(s.messages, s0.messages);
	ASSERT_EQ(s.message_bytes, s0.message_bytes);
	ASSERT_EQ(s.channel - s0.channel, 1);
	ASSERT_OK(mx_handle_close(b));
	ASSERT_OK(mx_handle_close(got));
	read_stats(&s);
	ASSERT_EQ(s.objects, s0.objects);
	ASSERT_EQ(s.handles, s0.handles);
}

TEST(processes_lists_the_caller)
{
	char line[256], name[64];
	unsigned long long koid;
	mx_debug_process_t info;
	struct stats s0, s;
	unsigned int n;
	int pid;

	settle(&s0);
	ASSERT_EQ(read_processes(getpid(), line, sizeof(line)), 1);
	ASSERT_EQ(sscanf(line, "%d %llu %u %63s", &pid, &koid, &n, name), 4);
	ASSERT_EQ(pid, getpid());
	ASSERT_EQ(koid, mxt_basic(mx_process_self()).koid);
	ASSERT_OK(mx_debug_list_handles(mx_process_self(), &info, NULL, 0,
					NULL, NULL));
	ASSERT_EQ(n, info.handles);
	ASSERT_EQ(strcmp(name, "stats"), 0);

	mxt_event();
	mxt_event();
	ASSERT_EQ(read_processes(getpid(), line, sizeof(line)), 1);
	ASSERT_EQ(sscanf(line, "%d %llu %u %63s", &pid, &koid, &n, name), 4);
	ASSERT_EQ(n, info.handles + 2);
	read_stats(&s);
	ASSERT_EQ(s.process, s0.process);
}

static void child_attaches(void *arg)
{
	(void)arg;
	mx_process_self();
}

TEST(a_process_is_counted_while_attached)
{
	struct stats s0, s;

	settle(&s0);
	/* The child's process is gone once it is torn down. */
	mxt_in_child(child_attaches, NULL);
	settle(&s);
	ASSERT_EQ(s.process, s0.process);
	ASSERT_EQ(s.handles, s0.handles);
	ASSERT_EQ(s.objects, s0.objects);
}

static void unprivileged(void *arg)
{
	(void)arg;
	mxt_become(65534);
	ASSERT_TRUE(fopen(STATS, "r") == NULL);
	ASSERT_EQ(errno, EACCES);
	ASSERT_TRUE(fopen(PROCESSES, "r") == NULL);
	ASSERT_EQ(errno, EACCES);
}

TEST(nobody_cannot_read_them)
{
	mxt_in_child(unprivileged, NULL);
}
