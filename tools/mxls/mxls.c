// SPDX-License-Identifier: MIT
/*
 * mxls: list the mx handles of processes, with the handles in transit in
 * the channels they hold. See mxls(1).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mx.h>

/* One letter per right, in bit order; '-' where the right is missing. */
static const struct {
	mx_rights_t right;
	char letter;
} rights_letters[] = {
	{ MX_RIGHT_DUPLICATE, 'd' },
	{ MX_RIGHT_TRANSFER, 't' },
	{ MX_RIGHT_READ, 'r' },
	{ MX_RIGHT_WRITE, 'w' },
	{ MX_RIGHT_EXECUTE, 'x' },
	{ MX_RIGHT_MAP, 'm' },
	{ MX_RIGHT_GET_PROPERTY, 'g' },
	{ MX_RIGHT_SET_PROPERTY, 's' },
	{ MX_RIGHT_ENUMERATE, 'e' },
	{ MX_RIGHT_DESTROY, 'k' },
	{ MX_RIGHT_SET_POLICY, 'P' },
	{ MX_RIGHT_GET_POLICY, 'p' },
};
#define NR_RIGHTS (sizeof(rights_letters) / sizeof(rights_letters[0]))

static void rights_str(mx_rights_t r, char *out)
{
	size_t i;

	for (i = 0; i < NR_RIGHTS; i++)
		out[i] = (r & rights_letters[i].right) ?
			 rights_letters[i].letter : '-';
	out[i] = '\0';
}

static const char *type_name(uint32_t type)
{
	switch (type) {
	case MX_OBJ_TYPE_PROCESS: return "process";
	case MX_OBJ_TYPE_THREAD: return "thread";
	case MX_OBJ_TYPE_CHANNEL: return "channel";
	case MX_OBJ_TYPE_EVENT: return "event";
	case MX_OBJ_TYPE_EVENT_PAIR: return "eventpair";
	case MX_OBJ_TYPE_JOB: return "job";
	case MX_OBJ_TYPE_PORT: return "port";
	default: return "unknown";
	}
}

static bool json;
static int nprinted;

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void print_text(const mx_debug_process_t *info,
		       const mx_debug_handle_t *h, size_t n)
{
	char rs[NR_RIGHTS + 1];
	size_t i, j;

	if (nprinted++)
		putchar('\n');
	printf("process %d (%s) koid %" PRIu64 ": %u handle%s, %u in transit\n",
	       info->pid, info->name, (uint64_t)info->koid, info->handles,
	       info->handles == 1 ? "" : "s", info->in_transit);
	printf("  %-10s  %-9s  %8s  %-12s  %8s  %s\n", "HANDLE", "TYPE",
	       "KOID", "RIGHTS", "RELATED", "QUEUED");
	for (i = 0; i < n; i++) {
		if (h[i].flags & MX_DEBUG_HANDLE_IN_TRANSIT)
			continue;
		rights_str(h[i].rights, rs);
		printf("  0x%08x  %-9s  %8" PRIu64 "  %-12s  %8" PRIu64,
		       (uint32_t)h[i].value, type_name(h[i].type),
		       (uint64_t)h[i].koid, rs, (uint64_t)h[i].related_koid);
		if (h[i].type == MX_OBJ_TYPE_CHANNEL)
			printf("  %u msg%s, %u handle%s", h[i].queued_msgs,
			       h[i].queued_msgs == 1 ? "" : "s",
			       h[i].queued_handles,
			       h[i].queued_handles == 1 ? "" : "s");
		putchar('\n');
		for (j = 0; j < n; j++) {
			if (!(h[j].flags & MX_DEBUG_HANDLE_IN_TRANSIT) ||
			    h[j].value != h[i].value)
				continue;
			rights_str(h[j].rights, rs);
			printf("   `-msg %-3u  %-9s  %8" PRIu64 "  %-12s  %8"
			       PRIu64 "  in transit\n", h[j].queued_msgs,
			       type_name(h[j].type), (uint64_t)h[j].koid, rs,
			       (uint64_t)h[j].related_koid);
		}
	}
}

/* The fields a listed handle and a handle in transit share. */
static void json_fields(const mx_debug_handle_t *h)
{
	char rs[NR_RIGHTS + 1];

	rights_str(h->rights, rs);
	printf("\"type\": \"%s\", \"koid\": %" PRIu64 ", \"rights\": %u, "
	       "\"rights_str\": \"%s\", \"related_koid\": %" PRIu64,
	       type_name(h->type), (uint64_t)h->koid, h->rights, rs,
	       (uint64_t)h->related_koid);
}

static void print_json(const mx_debug_process_t *info,
		       const mx_debug_handle_t *h, size_t n)
{
	bool first = true, tfirst;
	size_t i, j;

	printf("%s  {\"pid\": %d, \"koid\": %" PRIu64 ", \"name\": ",
	       nprinted++ ? ",\n" : "", info->pid, (uint64_t)info->koid);
	json_string(info->name);
	printf(", \"num_handles\": %u, \"num_in_transit\": %u, "
	       "\"handles\": [", info->handles, info->in_transit);
	for (i = 0; i < n; i++) {
		if (h[i].flags & MX_DEBUG_HANDLE_IN_TRANSIT)
			continue;
		printf("%s\n    {\"value\": %" PRIi32 ", ", first ? "" : ",",
		       h[i].value);
		first = false;
		json_fields(&h[i]);
		printf(", \"queued_msgs\": %u, \"queued_handles\": %u, "
		       "\"in_transit\": [", h[i].queued_msgs,
		       h[i].queued_handles);
		tfirst = true;
		for (j = 0; j < n; j++) {
			if (!(h[j].flags & MX_DEBUG_HANDLE_IN_TRANSIT) ||
			    h[j].value != h[i].value)
				continue;
			printf("%s{\"message\": %u, ", tfirst ? "" : ", ",
			       h[j].queued_msgs);
			tfirst = false;
			json_fields(&h[j]);
			putchar('}');
		}
		printf("]}");
	}
	printf("%s]}", first ? "" : "\n  ");
}

/*
 * List one process. Return: MX_OK or the error; @quiet: say nothing about
 * processes that do not use mx.
 */
static mx_status_t list_pid(pid_t pid, bool quiet)
{
	mx_debug_handle_t *buf = NULL, *nbuf;
	mx_debug_process_t info;
	size_t count = 0, actual, avail;
	mx_status_t st;

	for (;;) {
		st = mx_debug_list_handles_pid(pid, &info, buf, count,
					       &actual, &avail);
		if (st != MX_OK)
			break;
		if (avail <= count)
			break;
		/* Room for what there is now, and some growth. */
		count = avail + 16;
		nbuf = realloc(buf, count * sizeof(*buf));
		if (!nbuf) {
			st = MX_ERR_NO_MEMORY;
			break;
		}
		buf = nbuf;
	}
	if (st == MX_OK) {
		if (json)
			print_json(&info, buf, actual);
		else
			print_text(&info, buf, actual);
	} else if (!(quiet && (st == MX_ERR_NOT_FOUND ||
			       st == MX_ERR_BAD_STATE))) {
		fprintf(stderr, "mxls: %d: %s%s\n", (int)pid,
			mx_status_get_string(st),
			st == MX_ERR_ACCESS_DENIED ?
			" (listing another process needs CAP_SYS_PTRACE)" :
			st == MX_ERR_NOT_FOUND ?
			" (no such process, or it does not use mx)" : "");
	}
	free(buf);
	return st;
}

static void usage(FILE *f)
{
	fputs("usage: mxls [--json] PID...\n"
	      "       mxls [--json] --all\n"
	      "List the mx handles of processes: value, type, koid, rights,\n"
	      "related koid, and the handles in transit in their channels.\n"
	      "Rights: d duplicate, t transfer, r read, w write, x execute,\n"
	      "m map, g get property, s set property, e enumerate,\n"
	      "k destroy, P set policy, p get policy.\n", f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool all = false;
	int c, rc = 0, i;
	char *end;
	long pid;

	while ((c = getopt_long(argc, argv, "ajh", opts, NULL)) != -1) {
		switch (c) {
		case 'a': all = true; break;
		case 'j': json = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (all == (optind < argc)) {
		usage(stderr);
		return 2;
	}
	if (json)
		printf("{\"processes\": [\n");
	if (all) {
		DIR *d = opendir("/proc");
		struct dirent *e;
		mx_status_t st;

		if (!d) {
			perror("mxls: /proc");
			return 1;
		}
		while ((e = readdir(d))) {
			if (!isdigit((unsigned char)e->d_name[0]))
				continue;
			pid = strtol(e->d_name, &end, 10);
			/* mxls itself holds only what every process has. */
			if (*end || pid == getpid())
				continue;
			st = list_pid((pid_t)pid, true);
			if (st == MX_ERR_ACCESS_DENIED) {
				rc = 1;
				break;
			}
		}
		closedir(d);
	} else {
		for (i = optind; i < argc; i++) {
			errno = 0;
			pid = strtol(argv[i], &end, 10);
			if (errno || *end || end == argv[i] || pid <= 0 ||
			    pid > INT32_MAX) {
				fprintf(stderr, "mxls: %s: not a pid\n",
					argv[i]);
				rc = 1;
				continue;
			}
			if (list_pid((pid_t)pid, false) != MX_OK)
				rc = 1;
		}
	}
	if (json)
		printf("\n]}\n");
	return rc;
}
