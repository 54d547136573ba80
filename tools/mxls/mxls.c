// SPDX-License-Identifier: MIT
/*
 * mxls: list the mx handles of processes, with the handles in transit in
 * the channels they hold and the VMOs they map, in the manner of util-linux's lsfd and lsns
 * (libsmartcols: -o columns, -J JSON, -r raw, -n no headings). See
 * mxls(1).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <locale.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libsmartcols.h>
#include <mx.h>

#ifndef MXLS_VERSION
#define MXLS_VERSION "unknown"
#endif

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

/*
 * Every object type of the ABI, by Magenta's name, so that a type the
 * module starts to hand out shows by name (tools/vm/host-check.sh checks
 * that each MX_OBJ_TYPE_* of uapi/linux/mx.h is here).
 */
static const struct {
	uint32_t type;
	const char *name;
} type_names[] = {
	{ MX_OBJ_TYPE_PROCESS, "process" },
	{ MX_OBJ_TYPE_THREAD, "thread" },
	{ MX_OBJ_TYPE_VMO, "vmo" },
	{ MX_OBJ_TYPE_CHANNEL, "channel" },
	{ MX_OBJ_TYPE_EVENT, "event" },
	{ MX_OBJ_TYPE_IOPORT, "ioport" },
	{ MX_OBJ_TYPE_INTERRUPT, "interrupt" },
	{ MX_OBJ_TYPE_IOMAP, "iomap" },
	{ MX_OBJ_TYPE_PCI_DEVICE, "pci_device" },
	{ MX_OBJ_TYPE_LOG, "log" },
	{ MX_OBJ_TYPE_SOCKET, "socket" },
	{ MX_OBJ_TYPE_RESOURCE, "resource" },
	{ MX_OBJ_TYPE_EVENT_PAIR, "eventpair" },
	{ MX_OBJ_TYPE_JOB, "job" },
	{ MX_OBJ_TYPE_VMAR, "vmar" },
	{ MX_OBJ_TYPE_FIFO, "fifo" },
	{ MX_OBJ_TYPE_PORT, "port" },
	{ MX_OBJ_TYPE_HYPERVISOR, "hypervisor" },
	{ MX_OBJ_TYPE_GUEST, "guest" },
	{ MX_OBJ_TYPE_TIMER, "timer" },
};

/* The type's name, or "type-N" for a number this mxls does not know. */
static const char *type_name(uint32_t type, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (type_names[i].type == type)
			return type_names[i].name;
	snprintf(buf, size, "type-%u", type);
	return buf;
}

/* ---- columns */

enum {
	COL_COMMAND,
	COL_PID,
	COL_PKOID,
	COL_HANDLE,
	COL_TYPE,
	COL_KOID,
	COL_RIGHTS,
	COL_RIGHTSMASK,
	COL_RELATED,
	COL_QUEUED,
	COL_MSGS,
	COL_MSGHANDLES,
	COL_MSG,
	NR_COLS
};

static const struct colinfo {
	const char *name;
	double whint;
	int flags;
	int json_type;
	const char *help;
} infos[NR_COLS] = {
	[COL_COMMAND] = { "COMMAND", 0.1, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
			  "name of the process" },
	[COL_PID] = { "PID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		      "process id" },
	[COL_PKOID] = { "PKOID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			"koid of the process" },
	[COL_HANDLE] = { "HANDLE", 10, SCOLS_FL_TREE, SCOLS_JSON_STRING,
			 "handle value; msg N for a handle in transit in message N of the channel above; map START-END for a mapping of a VMO" },
	[COL_TYPE] = { "TYPE", 9, 0, SCOLS_JSON_STRING,
		       "type of the object" },
	[COL_KOID] = { "KOID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		       "koid of the object" },
	[COL_RIGHTS] = { "RIGHTS", 12, 0, SCOLS_JSON_STRING,
			 "rights, one letter each (see mxls(1))" },
	[COL_RIGHTSMASK] = { "RIGHTSMASK", 5, SCOLS_FL_RIGHT,
			     SCOLS_JSON_NUMBER, "rights as a number" },
	[COL_RELATED] = { "RELATED", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			  "koid of the related object (channel peer, job of a process)" },
	[COL_QUEUED] = { "QUEUED", 0.1, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
			 "messages and handles queued at a channel endpoint" },
	[COL_MSGS] = { "MSGS", 3, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		       "messages queued at a channel endpoint" },
	[COL_MSGHANDLES] = { "MSGHANDLES", 3, SCOLS_FL_RIGHT,
			     SCOLS_JSON_NUMBER,
			     "handles in the messages queued at a channel endpoint" },
	[COL_MSG] = { "MSG", 3, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		      "position in the queue of the message a handle in transit is in" },
};

static const int default_cols[] = {
	COL_COMMAND, COL_PID, COL_HANDLE, COL_TYPE, COL_KOID, COL_RIGHTS,
	COL_RELATED, COL_QUEUED,
};

static int cols[NR_COLS * 2];
static size_t ncols;

static int column_by_name(const char *name, size_t len)
{
	int i;

	for (i = 0; i < NR_COLS; i++)
		if (strlen(infos[i].name) == len &&
		    strncasecmp(infos[i].name, name, len) == 0)
			return i;
	return -1;
}

/* -o LIST: names separated by commas; "+LIST" adds them to the default. */
static int parse_columns(const char *list)
{
	const char *p = list, *end;
	int c;

	if (*p == '+')
		p++;
	else
		ncols = 0;
	while (*p) {
		end = strchrnul(p, ',');
		c = column_by_name(p, (size_t)(end - p));
		if (c < 0) {
			fprintf(stderr, "mxls: unknown column: %.*s\n",
				(int)(end - p), p);
			return -1;
		}
		if (ncols >= sizeof(cols) / sizeof(cols[0])) {
			fprintf(stderr, "mxls: too many columns\n");
			return -1;
		}
		cols[ncols++] = c;
		p = *end ? end + 1 : end;
	}
	return 0;
}

/* ---- rows */

static void die_nomem(void)
{
	fputs("mxls: out of memory\n", stderr);
	exit(1);
}

static void set_cell(struct libscols_line *ln, size_t i, const char *fmt,
		     ...) __attribute__((format(printf, 3, 4)));

static void set_cell(struct libscols_line *ln, size_t i, const char *fmt,
		     ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		die_nomem();
	va_end(ap);
	if (scols_line_refer_data(ln, i, s))
		die_nomem();
}

/* A cell of the columns that say which process a row is of. */
static void set_process_cell(struct libscols_line *ln, size_t i, int col,
			     const mx_debug_process_t *info)
{
	if (col == COL_COMMAND)
		set_cell(ln, i, "%s", info->name);
	else if (col == COL_PID)
		set_cell(ln, i, "%d", info->pid);
	else
		set_cell(ln, i, "%" PRIu64, (uint64_t)info->koid);
}

/* One row: a handle in a table (@transit false) or in a message. */
static struct libscols_line *add_row(struct libscols_table *tb, struct libscols_line *parent,
		    const mx_debug_process_t *info, const mx_debug_handle_t *h,
		    bool transit)
{
	struct libscols_line *ln = scols_table_new_line(tb, parent);
	char rs[NR_RIGHTS + 1], tbuf[32];
	bool channel = h->type == MX_OBJ_TYPE_CHANNEL && !transit;
	size_t i;

	if (!ln)
		die_nomem();
	for (i = 0; i < ncols; i++) {
		switch (cols[i]) {
		case COL_COMMAND:
		case COL_PID:
		case COL_PKOID:
			set_process_cell(ln, i, cols[i], info);
			break;
		case COL_HANDLE:
			if (transit)
				set_cell(ln, i, "msg %u", h->queued_msgs);
			else
				set_cell(ln, i, "0x%08x", (uint32_t)h->value);
			break;
		case COL_TYPE:
			set_cell(ln, i, "%s", type_name(h->type, tbuf,
							 sizeof(tbuf)));
			break;
		case COL_KOID:
			set_cell(ln, i, "%" PRIu64, (uint64_t)h->koid);
			break;
		case COL_RIGHTS:
			rights_str(h->rights, rs);
			set_cell(ln, i, "%s", rs);
			break;
		case COL_RIGHTSMASK:
			set_cell(ln, i, "%u", h->rights);
			break;
		case COL_RELATED:
			set_cell(ln, i, "%" PRIu64, (uint64_t)h->related_koid);
			break;
		case COL_QUEUED:
			if (channel)
				set_cell(ln, i, "%u msg%s, %u handle%s",
					 h->queued_msgs,
					 h->queued_msgs == 1 ? "" : "s",
					 h->queued_handles,
					 h->queued_handles == 1 ? "" : "s");
			break;
		case COL_MSGS:
			if (channel)
				set_cell(ln, i, "%u", h->queued_msgs);
			break;
		case COL_MSGHANDLES:
			if (channel)
				set_cell(ln, i, "%u", h->queued_handles);
			break;
		case COL_MSG:
			if (transit)
				set_cell(ln, i, "%u", h->queued_msgs);
			break;
		}
	}
	return ln;
}

/*
 * The rows of one process: each handle of its table, and under each
 * channel endpoint the handles in transit in its queue.
 */
static void add_process(struct libscols_table *tb,
			const mx_debug_process_t *info,
			const mx_debug_handle_t *h, size_t n)
{
	struct libscols_line *parent;
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (h[i].flags & MX_DEBUG_HANDLE_IN_TRANSIT)
			continue;
		parent = add_row(tb, NULL, info, &h[i], false);
		for (j = 0; j < n; j++) {
			if (!(h[j].flags & MX_DEBUG_HANDLE_IN_TRANSIT) ||
			    h[j].value != h[i].value)
				continue;
			add_row(tb, parent, info, &h[j], true);
		}
	}
}

/* A row for a mapping of a VMO: its range, the VMO's koid, r/w/x. */
static void add_map_row(struct libscols_table *tb,
			const mx_debug_process_t *info, unsigned long long start,
			unsigned long long end, unsigned long long koid,
			mx_rights_t rights)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	char rs[NR_RIGHTS + 1];
	size_t i;

	if (!ln)
		die_nomem();
	for (i = 0; i < ncols; i++) {
		switch (cols[i]) {
		case COL_COMMAND:
		case COL_PID:
		case COL_PKOID:
			set_process_cell(ln, i, cols[i], info);
			break;
		case COL_HANDLE:
			set_cell(ln, i, "map %#llx-%#llx", start, end);
			break;
		case COL_TYPE:
			set_cell(ln, i, "vmo");
			break;
		case COL_KOID:
			set_cell(ln, i, "%llu", koid);
			break;
		case COL_RIGHTS:
			rights_str(rights, rs);
			set_cell(ln, i, "%s", rs);
			break;
		case COL_RIGHTSMASK:
			set_cell(ln, i, "%u", rights);
			break;
		}
	}
}

/*
 * The rows of a process's mappings of VMOs, from /proc/PID/maps, where
 * the module names a VMO's file "mx-vmo:[KOID]"; the permissions show
 * as the rights r, w and x.
 */
static void add_mappings(struct libscols_table *tb,
			 const mx_debug_process_t *info)
{
	unsigned long long start, end, koid;
	char path[64], line[512], perms[8];
	mx_rights_t rights;
	const char *name;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", info->pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		name = strstr(line, " mx-vmo:[");
		if (!name ||
		    sscanf(line, "%llx-%llx %7s", &start, &end, perms) != 3 ||
		    sscanf(name, " mx-vmo:[%llu]", &koid) != 1)
			continue;
		rights = (perms[0] == 'r' ? MX_RIGHT_READ : 0) |
			 (perms[1] == 'w' ? MX_RIGHT_WRITE : 0) |
			 (perms[2] == 'x' ? MX_RIGHT_EXECUTE : 0);
		add_map_row(tb, info, start, end, koid, rights);
	}
	fclose(f);
}

/*
 * List one process into @tb. Return MX_OK or the error; @quiet: say
 * nothing about processes that do not use mx.
 */
static mx_status_t list_pid(struct libscols_table *tb, pid_t pid, bool quiet)
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
		if (!nbuf)
			die_nomem();
		buf = nbuf;
	}
	if (st == MX_OK) {
		info.name[sizeof(info.name) - 1] = '\0';
		add_process(tb, &info, buf, actual);
		add_mappings(tb, &info);
	} else if (st == MX_ERR_NOT_SUPPORTED) {
		/* libmx has said why (a module of another ABI version). */
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

/* Every process that uses mx, but mxls itself. */
static int list_all(struct libscols_table *tb)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	mx_status_t st;
	char *end;
	long pid;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "mxls: /proc: %s\n", strerror(errno));
		return 1;
	}
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid = strtol(e->d_name, &end, 10);
		if (*end || pid == getpid())
			continue;
		st = list_pid(tb, (pid_t)pid, true);
		if (st == MX_ERR_ACCESS_DENIED || st == MX_ERR_NOT_SUPPORTED) {
			rc = 1;
			break;
		}
	}
	closedir(d);
	return rc;
}

/* -p LIST and PID arguments: pids separated by commas or blanks. */
static int list_pids(struct libscols_table *tb, const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL, *end;
	int rc = 0;
	long pid;

	if (!copy)
		die_nomem();
	for (tok = strtok_r(copy, ", \t", &save); tok;
	     tok = strtok_r(NULL, ", \t", &save)) {
		errno = 0;
		pid = strtol(tok, &end, 10);
		if (errno || *end || end == tok || pid <= 0 ||
		    pid > INT32_MAX) {
			fprintf(stderr, "mxls: %s: not a pid\n", tok);
			rc = 1;
			continue;
		}
		if (list_pid(tb, (pid_t)pid, false) != MX_OK)
			rc = 1;
	}
	free(copy);
	return rc;
}

static void usage(FILE *f)
{
	size_t i;

	fputs("Usage:\n"
	      " mxls [options] [PID...]\n"
	      "\n"
	      "List the mx handles of processes (every process that uses mx\n"
	      "when none is named), with the handles in transit in their\n"
	      "channels, and their mappings of VMOs.\n"
	      "\n"
	      "Options:\n"
	      " -a, --all              every process that uses mx (the default)\n"
	      " -p, --pid <pids>       these processes (comma-separated)\n"
	      " -o, --output <list>    the columns to print (+list adds to the default)\n"
	      " -J, --json             JSON output\n"
	      " -r, --raw              raw output\n"
	      " -n, --noheadings       no headings\n"
	      " -H, --list-columns     the columns and what they show\n"
	      "\n"
	      " -h, --help             this help\n"
	      " -V, --version          the version\n"
	      "\n"
	      "Rights: d duplicate, t transfer, r read, w write, x execute,\n"
	      "m map, g get property, s set property, e enumerate,\n"
	      "k destroy, P set policy, p get policy.\n"
	      "\nAvailable output columns:\n", f);
	for (i = 0; i < NR_COLS; i++)
		fprintf(f, " %11s  %s\n", infos[i].name, infos[i].help);
	fputs("\nFor more details see mxls(1).\n", f);
}

/*
 * /dev/mx must be there before libmx is asked anything: one line that
 * says so, instead of a listing of nothing.
 */
static bool module_present(void)
{
	int fd = open("/dev/mx", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "mxls: cannot open /dev/mx: %s%s\n",
			strerror(errno),
			errno == ENOENT ? " (the mx module is not loaded: "
					  "modprobe mx)" : "");
		return false;
	}
	close(fd);
	return true;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "pid", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "list-columns", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	bool all = false, json = false, raw = false, noheadings = false;
	struct libscols_table *tb;
	const char *pids[64];
	int c, rc = 0, i, npids = 0;
	size_t k;

	setlocale(LC_ALL, "");
	for (k = 0; k < sizeof(default_cols) / sizeof(default_cols[0]); k++)
		cols[ncols++] = default_cols[k];

	while ((c = getopt_long(argc, argv, "ap:o:JrnHhV", opts, NULL)) != -1) {
		switch (c) {
		case 'a': all = true; break;
		case 'p':
			if (npids == (int)(sizeof(pids) / sizeof(pids[0]))) {
				fputs("mxls: too many -p options\n", stderr);
				return 2;
			}
			pids[npids++] = optarg;
			break;
		case 'o':
			if (parse_columns(optarg))
				return 2;
			break;
		case 'J': json = true; break;
		case 'r': raw = true; break;
		case 'n': noheadings = true; break;
		case 'H':
			for (i = 0; i < NR_COLS; i++)
				printf("%-11s %s\n", infos[i].name,
				       infos[i].help);
			return 0;
		case 'h': usage(stdout); return 0;
		case 'V':
			printf("mxls from mx %s (libmx %d.%d)\n", MXLS_VERSION,
			       mx_version_major(), mx_version_minor());
			return 0;
		default:
			fputs("Try 'mxls --help' for more information.\n",
			      stderr);
			return 2;
		}
	}
	if (all && (npids || optind < argc)) {
		fputs("mxls: --all and pids exclude each other\n", stderr);
		return 2;
	}
	if (!npids && optind == argc)
		all = true;
	if (!module_present())
		return 1;

	tb = scols_new_table();
	if (!tb)
		die_nomem();
	scols_table_set_name(tb, "handles");
	scols_table_enable_json(tb, json);
	scols_table_enable_raw(tb, raw);
	scols_table_enable_noheadings(tb, noheadings);
	for (k = 0; k < ncols; k++) {
		const struct colinfo *ci = &infos[cols[k]];
		struct libscols_column *cl;

		cl = scols_table_new_column(tb, ci->name, ci->whint,
					    ci->flags);
		if (!cl)
			die_nomem();
		scols_column_set_json_type(cl, ci->json_type);
	}

	if (all) {
		rc = list_all(tb);
	} else {
		for (i = 0; i < npids; i++)
			rc |= list_pids(tb, pids[i]);
		for (i = optind; i < argc; i++)
			rc |= list_pids(tb, argv[i]);
	}
	/* After an error, no empty table under it. */
	if (rc == 0 || !scols_table_is_empty(tb))
		scols_print_table(tb);
	scols_unref_table(tb);
	return rc;
}
