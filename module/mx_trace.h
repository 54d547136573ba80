/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of mx: handles made, duplicated, closed and moved through
 * channels, and channel traffic. Events appear under events/mx/ in tracefs
 * (ftrace) and to perf as mx:<event>. The task doing the call is the
 * event's common_pid.
 *
 * Locking: tracepoints may fire under any mx lock; they only copy fields.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mx

#if !defined(MX_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define MX_TRACE_H

#include <linux/tracepoint.h>
#include <linux/mx.h>

#define mx_trace_type_name(type)					\
	__print_symbolic(type,						\
			 { MX_OBJ_TYPE_PROCESS, "process" },		\
			 { MX_OBJ_TYPE_THREAD, "thread" },		\
			 { MX_OBJ_TYPE_CHANNEL, "channel" },		\
			 { MX_OBJ_TYPE_EVENT, "event" },		\
			 { MX_OBJ_TYPE_EVENT_PAIR, "eventpair" },	\
			 { MX_OBJ_TYPE_JOB, "job" },			\
			 { MX_OBJ_TYPE_PORT, "port" })

/* A handle to a new object was installed in the caller's table. */
TRACE_EVENT(mx_handle_create,
	TP_PROTO(s32 value, u64 koid, u32 type, u32 rights),
	TP_ARGS(value, koid, type, rights),
	TP_STRUCT__entry(
		__field(s32, value)
		__field(u64, koid)
		__field(u32, type)
		__field(u32, rights)
	),
	TP_fast_assign(
		__entry->value = value;
		__entry->koid = koid;
		__entry->type = type;
		__entry->rights = rights;
	),
	TP_printk("value=%#x koid=%llu type=%s rights=%#x",
		  __entry->value, __entry->koid,
		  mx_trace_type_name(__entry->type), __entry->rights)
);

/*
 * A handle was duplicated into the caller's table: by mx_handle_duplicate()
 * (@src_pid 0) or copied out of process @src_pid by a debugger.
 */
TRACE_EVENT(mx_handle_duplicate,
	TP_PROTO(s32 src, s32 value, u64 koid, u32 rights, s32 src_pid),
	TP_ARGS(src, value, koid, rights, src_pid),
	TP_STRUCT__entry(
		__field(s32, src)
		__field(s32, value)
		__field(u64, koid)
		__field(u32, rights)
		__field(s32, src_pid)
	),
	TP_fast_assign(
		__entry->src = src;
		__entry->value = value;
		__entry->koid = koid;
		__entry->rights = rights;
		__entry->src_pid = src_pid;
	),
	TP_printk("src=%#x value=%#x koid=%llu rights=%#x src_pid=%d",
		  __entry->src, __entry->value, __entry->koid,
		  __entry->rights, __entry->src_pid)
);

/* mx_handle_close() closed a handle of the caller's. */
TRACE_EVENT(mx_handle_close,
	TP_PROTO(s32 value, u64 koid, u32 type),
	TP_ARGS(value, koid, type),
	TP_STRUCT__entry(
		__field(s32, value)
		__field(u64, koid)
		__field(u32, type)
	),
	TP_fast_assign(
		__entry->value = value;
		__entry->koid = koid;
		__entry->type = type;
	),
	TP_printk("value=%#x koid=%llu type=%s", __entry->value,
		  __entry->koid, mx_trace_type_name(__entry->type))
);

/*
 * A handle left the caller's table in a message (@received 0: @value is
 * the value it had) or arrived from one (@received 1: its new value).
 */
TRACE_EVENT(mx_handle_transfer,
	TP_PROTO(s32 value, u64 koid, u32 type, u32 rights, bool received),
	TP_ARGS(value, koid, type, rights, received),
	TP_STRUCT__entry(
		__field(s32, value)
		__field(u64, koid)
		__field(u32, type)
		__field(u32, rights)
		__field(u8, received)
	),
	TP_fast_assign(
		__entry->value = value;
		__entry->koid = koid;
		__entry->type = type;
		__entry->rights = rights;
		__entry->received = received;
	),
	TP_printk("%s value=%#x koid=%llu type=%s rights=%#x",
		  __entry->received ? "in" : "out", __entry->value,
		  __entry->koid, mx_trace_type_name(__entry->type),
		  __entry->rights)
);

DECLARE_EVENT_CLASS(mx_channel_io,
	TP_PROTO(u64 koid, u32 num_bytes, u32 num_handles, int status),
	TP_ARGS(koid, num_bytes, num_handles, status),
	TP_STRUCT__entry(
		__field(u64, koid)
		__field(u32, num_bytes)
		__field(u32, num_handles)
		__field(int, status)
	),
	TP_fast_assign(
		__entry->koid = koid;
		__entry->num_bytes = num_bytes;
		__entry->num_handles = num_handles;
		__entry->status = status;
	),
	TP_printk("koid=%llu bytes=%u handles=%u status=%d", __entry->koid,
		  __entry->num_bytes, __entry->num_handles, __entry->status)
);

/* mx_channel_write() on endpoint @koid; @status is the mx status. */
DEFINE_EVENT(mx_channel_io, mx_channel_write,
	TP_PROTO(u64 koid, u32 num_bytes, u32 num_handles, int status),
	TP_ARGS(koid, num_bytes, num_handles, status)
);

/*
 * mx_channel_read() on endpoint @koid: the message's sizes (also reported
 * with MX_ERR_BUFFER_TOO_SMALL; 0 when there was none).
 */
DEFINE_EVENT(mx_channel_io, mx_channel_read,
	TP_PROTO(u64 koid, u32 num_bytes, u32 num_handles, int status),
	TP_ARGS(koid, num_bytes, num_handles, status)
);

#endif /* MX_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE mx_trace
#include <trace/define_trace.h>
