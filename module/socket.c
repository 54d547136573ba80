// SPDX-License-Identifier: GPL-2.0
/*
 * mx sockets: a pair of endpoints, each of which owns the queue of bytes
 * its peer writes to it; stream (a byte stream, short writes) or datagram
 * (each write one datagram, all or nothing; a read takes one, and drops
 * what does not fit). A queue holds at most MX_SOCKET_CAPACITY bytes of
 * data.
 *
 * Bytes are kept in pages, as channel messages' are: a queue is a list of
 * segments, each a page with the range [start, end) of it still unread.
 * A datagram is kept as its length (a u32) and its bytes, in the same
 * stream of pages. Each page is charged, with its segment's head, to the
 * user whose write allocated it (mx_user_charge_message(), the per-user
 * bound on unread message memory), until it is freed after the read that
 * emptied it or with its endpoint. A queue keeps one emptied segment
 * (its spare) for the next write, so a stream of small writes and reads
 * allocates nothing.
 *
 * No user memory is touched under a spinlock: a small write is copied
 * into a buffer on the stack first, a larger one into fresh segments,
 * which are then linked into the queue under the link lock (the first
 * of them moved into the room left in the queue's last page, if any).
 * Reads copy straight out of the pages, with no lock held: a read marks
 * its endpoint's queue as being read (@reading, under the link lock),
 * which orders reads of one endpoint (a second waits for the first) and
 * keeps the bytes it copies in place; writers only ever add pages and
 * fill the room after the last byte queued. Like small writes, a read
 * finds its endpoint without a reference (mx_sock_small_lock()): if the
 * endpoint is released while it copies, the release leaves the freeing
 * to the read (@orphaned), which does it when done.
 *
 * Locking (the order of all: docs/architecture.md): mx_socket_link.lock
 * (spinlock, one per pair) protects both peer pointers, the half-close
 * flags, both queues' segment lists, spares, counts and read state, and
 * the segments' start and end. It is taken under a handle table lock
 * (mx_sock_small_lock()) and before an object lock (the signal updates),
 * never after. A read waiting for another sleeps on the queue's wait
 * queue with no lock held.
 * A side's peer pointer is cleared (under the link lock) by that peer's
 * on_zero_handles hook, before the peer can be freed, so a peer read
 * under the link lock is a live object. The queues live in the link, so
 * a writer's queue outlives the peer that reads it; an endpoint's queue
 * is freed with the endpoint, or by the read in progress then.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "copy_in.h"
#include "handle_table.h"
#include "socket.h"
#include "user.h"

/* The length of a datagram, kept before its bytes. */
#define MX_SOCK_HDR	((u32)sizeof(u32))

/*
 * The order of the segments a large write allocates, when the allocator
 * has such a block at hand (no reclaim or compaction is done for it), for
 * more than MX_SOCK_BIG_MIN bytes still to place: 64 KiB in two
 * allocations rather than sixteen. Else, and for small writes, pages.
 */
#define MX_SOCK_BIG_ORDER	3
#define MX_SOCK_BIG_MIN		(4 * PAGE_SIZE)

/**
 * struct mx_sock_seg - a page (or a block of pages) of a queue
 * @node: in the queue's list of segments (protected by the link lock)
 * @page: the bytes
 * @user: the user the page is charged to, referenced by the charge
 * @start: the first byte not yet read
 * @end: just after the last byte written
 * @size: the bytes @page holds (invariant)
 * @order: the allocation order of @page (invariant)
 */
struct mx_sock_seg {
	struct list_head node;
	struct page *page;
	struct mx_user *user;
	u32 start;
	u32 end;
	u32 size;
	u32 order;
};

/**
 * struct mx_sock_queue - what one endpoint receives
 * @segs: the segments, oldest first
 * @spare: an emptied segment kept for the next write, or NULL
 * @bytes: bytes of data queued (datagram lengths not counted)
 * @stored: bytes kept in @segs (with datagram lengths)
 * @reading: a read of the endpoint is in progress
 * @orphaned: the endpoint was released during that read, which frees it
 * @read_waiters: reads waiting for @reading to clear, each holding a
 *	reference to the endpoint
 * @read_wq: where they wait
 *
 * All but @read_wq are protected by the link lock; a read of the endpoint
 * also loads the segments' @end without it.
 */
struct mx_sock_queue {
	struct list_head segs;
	struct mx_sock_seg *spare;
	u32 bytes;
	u32 stored;
	bool reading;
	bool orphaned;
	u32 read_waiters;
	wait_queue_head_t read_wq;
};

/**
 * struct mx_socket_link - what the two endpoints share
 * @lock: see the locking rules above
 * @refs: one per endpoint
 * @rcu: frees the link after a grace period
 * @datagram: a datagram socket (invariant)
 * @q: the queue of each endpoint, by its @side
 */
struct mx_socket_link {
	spinlock_t lock;
	union {
		refcount_t refs;
		struct rcu_head rcu;
	};
	bool datagram;
	struct mx_sock_queue q[2];
};

/**
 * struct mx_socket - one endpoint
 * @base: common object head
 * @link: shared with the peer (invariant)
 * @peer: the other endpoint while it has handles (protected by the link
 *	lock)
 * @peer_koid: the other endpoint's koid, kept after it is gone
 *	(invariant)
 * @rcu: frees the endpoint after a grace period
 * @side: index of this endpoint's queue in the link (invariant)
 * @write_closed: this endpoint has half-closed: it writes no more
 *	(protected by the link lock)
 */
struct mx_socket {
	struct mx_object base;
	struct mx_socket_link *link;
	struct mx_socket *peer;
	u64 peer_koid;
	struct rcu_head rcu;
	u8 side;
	bool write_closed;
};

static struct mx_socket *to_socket(struct mx_object *obj)
{
	return container_of(obj, struct mx_socket, base);
}

/* The queue the endpoint reads, and the one it writes into. */
static struct mx_sock_queue *mx_sock_rq(struct mx_socket *s)
{
	return &s->link->q[s->side];
}

static struct mx_sock_queue *mx_sock_wq(struct mx_socket *s)
{
	return &s->link->q[!s->side];
}

/* What a segment of @order costs its user. */
static size_t mx_sock_seg_cost(unsigned int order)
{
	return (PAGE_SIZE << order) +
	       kmalloc_size_roundup(sizeof(struct mx_sock_seg));
}

/*
 * The pages of a new segment, charged to @user: of @order if that comes
 * at once, else one page. Return: 0 with @seg->page and @seg->order set,
 * or an mx status.
 */
static int mx_sock_seg_pages(struct mx_sock_seg *seg, struct mx_user *user,
			     unsigned int order)
{
	const gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL |
			  __GFP_NOWARN;
	int ret;

	if (order) {
		ret = mx_user_charge_message(user, mx_sock_seg_cost(order), 0);
		if (ret)
			return ret;
		/* Only what comes at once: no reclaim, no compaction. */
		seg->page = alloc_pages((gfp & ~(__GFP_RETRY_MAYFAIL |
						 __GFP_DIRECT_RECLAIM)) |
					__GFP_NORETRY | __GFP_COMP, order);
		if (seg->page) {
			seg->order = order;
			return 0;
		}
		mx_user_uncharge_message(user, mx_sock_seg_cost(order), 0);
	}
	ret = mx_user_charge_message(user, mx_sock_seg_cost(0), 0);
	if (ret)
		return ret;
	seg->page = alloc_page(gfp);
	if (!seg->page) {
		mx_user_uncharge_message(user, mx_sock_seg_cost(0), 0);
		return MX_ERR_NO_MEMORY;
	}
	seg->order = 0;
	return 0;
}

/*
 * A new empty segment of @order (or one page) charged to @user;
 * ERR_PTR() of an mx status.
 */
static struct mx_sock_seg *mx_sock_seg_alloc(struct mx_user *user,
					     unsigned int order)
{
	struct mx_sock_seg *seg;
	int ret;

	seg = kmalloc(sizeof(*seg), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!seg)
		return ERR_PTR(MX_ERR_NO_MEMORY);
	ret = mx_sock_seg_pages(seg, user, order);
	if (ret) {
		kfree(seg);
		return ERR_PTR(ret);
	}
	seg->user = user;
	seg->size = PAGE_SIZE << seg->order;
	seg->start = 0;
	seg->end = 0;
	return seg;
}

static void mx_sock_seg_free(struct mx_sock_seg *seg)
{
	struct mx_user *user = seg->user;
	size_t cost = mx_sock_seg_cost(seg->order);

	__free_pages(seg->page, seg->order);
	kfree(seg);
	mx_user_uncharge_message(user, cost, 0);
}

static void mx_sock_free_segs(struct list_head *segs)
{
	struct mx_sock_seg *seg, *tmp;

	list_for_each_entry_safe(seg, tmp, segs, node)
		mx_sock_seg_free(seg);
	INIT_LIST_HEAD(segs);
}

/*
 * Make @seg, an empty segment taken from a queue, @user's: charge @user
 * for it and uncharge the user it was charged to. Return: 0 or an mx
 * status, @seg unchanged.
 */
static int mx_sock_seg_adopt(struct mx_sock_seg *seg, struct mx_user *user)
{
	int ret;

	if (seg->user == user)
		return 0;
	ret = mx_user_charge_message(user, mx_sock_seg_cost(seg->order), 0);
	if (ret)
		return ret;
	mx_user_uncharge_message(seg->user, mx_sock_seg_cost(seg->order), 0);
	seg->user = user;
	return 0;
}

static void *mx_sock_seg_addr(struct mx_sock_seg *seg, u32 off)
{
	return (char *)page_address(seg->page) + off;
}

/* Set and clear an endpoint's signals, if that changes them. */
static void mx_sock_signal(struct mx_object *obj, u32 clear, u32 set)
{
	u32 now = mx_object_signals(obj);

	if ((now & (clear | set)) != set)
		mx_object_update_signals(obj, clear, set);
}

/* memcpy(), with no string move for a small write's bytes. */
static void mx_sock_memcpy(void *dst, const void *src, u32 n)
{
	if (n <= MX_SOCKET_SMALL_BYTES)
		mx_small_copy(dst, src, n);
	else
		memcpy(dst, src, n);
}

/* @q's last segment, or NULL. Link lock held. */
static struct mx_sock_seg *mx_sock_tail(struct mx_sock_queue *q)
{
	if (list_empty(&q->segs))
		return NULL;
	return list_last_entry(&q->segs, struct mx_sock_seg, node);
}

/* The room after the last byte of @q's last page. Link lock held. */
static u32 mx_sock_room(struct mx_sock_queue *q)
{
	struct mx_sock_seg *tail;

	tail = mx_sock_tail(q);
	return tail ? tail->size - tail->end : 0;
}

/*
 * Append @len bytes of kernel memory to @q: into the room of its last
 * page, then into *@extra (linked, and *@extra set to NULL). The caller
 * made sure that is enough room. Link lock held.
 */
static void mx_sock_put(struct mx_sock_queue *q, const void *src, u32 len,
			struct mx_sock_seg **extra)
{
	struct mx_sock_seg *tail;
	u32 n;

	while (len) {
		tail = mx_sock_tail(q);
		if (!tail || tail->end == tail->size) {
			tail = *extra;
			*extra = NULL;
			list_add_tail(&tail->node, &q->segs);
		}
		n = min_t(u32, len, tail->size - tail->end);
		mx_sock_memcpy(mx_sock_seg_addr(tail, tail->end), src, n);
		WRITE_ONCE(tail->end, tail->end + n);
		src += n;
		len -= n;
	}
}

/*
 * Drop @len bytes from the head of @q. Emptied segments go to the spare,
 * or to @freed for the caller to free once the lock is dropped. Link
 * lock held.
 */
static void mx_sock_consume(struct mx_sock_queue *q, u32 len,
			    struct list_head *freed)
{
	struct mx_sock_seg *seg;
	u32 n;

	while (len) {
		seg = list_first_entry(&q->segs, struct mx_sock_seg, node);
		n = min_t(u32, len, seg->end - seg->start);
		seg->start += n;
		len -= n;
		if (seg->start < seg->end)
			break;
		list_del(&seg->node);
		if (q->spare) {
			list_add(&seg->node, freed);
		} else {
			seg->start = 0;
			seg->end = 0;
			q->spare = seg;
		}
	}
}

/*
 * A write of @n bytes of data (@stored with a datagram's length) was
 * added to @s's peer's queue: account for it, and signal. Link lock
 * held, peer alive.
 */
static void mx_sock_added(struct mx_socket *s, struct mx_sock_queue *q,
			  u32 n, u32 stored)
{
	bool was_empty = !q->bytes;

	q->bytes += n;
	q->stored += stored;
	if (was_empty)
		mx_sock_signal(&s->peer->base, 0, MX_SOCKET_READABLE);
	if (q->bytes == MX_SOCKET_CAPACITY)
		mx_sock_signal(&s->base, MX_SOCKET_WRITABLE, 0);
}

/*
 * May @s write @size bytes now, and how many of them (Magenta's order of
 * checks after the options). Link lock held.
 * Return: 0 with *@n set (0 for an empty write), or an mx status.
 */
static int mx_sock_can_write(struct mx_socket *s, u64 size, u32 *n)
{
	u32 space;

	if (!s->peer)
		return MX_ERR_PEER_CLOSED;
	if (s->write_closed)
		return MX_ERR_BAD_STATE;
	*n = 0;
	if (!size)
		return 0;
	if (size > U32_MAX)
		return MX_ERR_INVALID_ARGS;
	space = MX_SOCKET_CAPACITY - mx_sock_wq(s)->bytes;
	if (!space)
		return MX_ERR_SHOULD_WAIT;
	if (s->link->datagram) {
		if (size > space)
			return MX_ERR_SHOULD_WAIT;
		*n = size;
	} else {
		*n = min_t(u64, size, space);
	}
	return 0;
}

/**
 * mx_socket_half_close() - mx_socket_write() with MX_SOCKET_HALF_CLOSE
 * @obj: the endpoint
 *
 * The endpoint writes no more; its peer sees MX_SOCKET_PEER_CLOSED, and
 * reads MX_ERR_PEER_CLOSED once it has read what is queued.
 *
 * Return: 0 (also when already done), or MX_ERR_PEER_CLOSED.
 */
int mx_socket_half_close(struct mx_object *obj)
{
	struct mx_socket *s = to_socket(obj);
	int ret = 0;

	spin_lock(&s->link->lock);
	if (s->write_closed)
		goto out;
	if (!s->peer) {
		ret = MX_ERR_PEER_CLOSED;
		goto out;
	}
	s->write_closed = true;
	mx_sock_signal(&s->base, MX_SOCKET_WRITABLE, 0);
	mx_sock_signal(&s->peer->base, 0, MX_SOCKET_PEER_CLOSED);
out:
	spin_unlock(&s->link->lock);
	return ret;
}

/*
 * Find the endpoint @value names in @t, with @rights, and take its link
 * lock, without a reference: found under RCU (mx_ht_peek_rcu()), and
 * kept only if @t has not changed once the link lock is held. The handle
 * is then still in @t, so the endpoint cannot lose its last handle (which
 * takes the link lock) nor be freed before the lock is released; and
 * endpoints and links are freed after a grace period, so the lock of one
 * being freed is still memory to lock. Else @t's lock is taken, and the
 * link lock inside it (*@table_locked). Return: 0 with the link lock held,
 * or the handle's error with nothing held.
 */
static int mx_sock_small_lock(struct mx_handle_table *t, s32 value,
			      u32 rights, struct mx_socket **out,
			      bool *table_locked)
{
	struct mx_ht_peek pk;
	struct mx_socket *s;
	struct mx_handle *h;
	int ret;

	*table_locked = false;
	rcu_read_lock();
	if (mx_ht_peek_rcu(t, value, &pk)) {
		ret = mx_ht_check_fields(pk.found, pk.rights, pk.type, rights,
					 MX_OBJ_TYPE_SOCKET);
		if (ret) {
			rcu_read_unlock();
			return ret;
		}
		s = to_socket(pk.obj);
		spin_lock(&s->link->lock);
		if (mx_ht_unchanged(t, pk.seq)) {
			rcu_read_unlock();
			*out = s;
			__release(&s->link->lock);	/* sparse */
			return 0;
		}
		spin_unlock(&s->link->lock);
	}
	rcu_read_unlock();

	mx_ht_lock(t);
	ret = mx_ht_check_locked(t, value, rights, &mx_socket_ops, &h);
	if (ret) {
		mx_ht_unlock(t);
		return ret;
	}
	s = to_socket(h->obj);
	spin_lock(&s->link->lock);
	*table_locked = true;
	*out = s;
	__release(&s->link->lock);	/* sparse */
	__release(&t->lock);
	return 0;
}

static void mx_sock_small_unlock(struct mx_handle_table *t,
				 struct mx_socket *s, bool table_locked)
{
	__acquire(&s->link->lock);	/* sparse: see mx_sock_small_lock() */
	spin_unlock(&s->link->lock);
	if (table_locked) {
		__acquire(&t->lock);
		mx_ht_unlock(t);
	}
}

/**
 * mx_socket_write_small() - write bytes already copied in
 * @t: the writer's handle table
 * @value: the writer's handle to the endpoint (MX_RIGHT_WRITE)
 * @cache: the writer's cached user, charged for a page this needs
 * @buf: the bytes
 * @size: how many; at most MX_SOCKET_SMALL_BYTES
 * @actual: out: how many were written
 *
 * The whole write under the link lock, the endpoint found without a
 * reference (mx_sock_small_lock()).
 *
 * Context: process context, no mx lock held.
 * Return: 0; MX_ERR_BAD_HANDLE, MX_ERR_WRONG_TYPE, MX_ERR_ACCESS_DENIED;
 * then as mx_socket_write().
 */
int mx_socket_write_small(struct mx_handle_table *t, s32 value,
			  struct mx_user __rcu **cache, const void *buf,
			  u32 size, u32 *actual)
{
	struct mx_sock_seg *extra = NULL;
	struct mx_sock_queue *q;
	bool table_locked;
	struct mx_user *user;
	struct mx_socket *s;
	u32 n = 0, hdr, room;
	int ret;

	for (;;) {
		ret = mx_sock_small_lock(t, value, MX_RIGHT_WRITE, &s,
					 &table_locked);
		if (ret)
			goto out_free;
		ret = mx_sock_can_write(s, size, &n);
		if (ret || !n)
			goto out_unlock;
		q = mx_sock_wq(s);
		hdr = s->link->datagram ? MX_SOCK_HDR : 0;
		room = mx_sock_room(q);
		if (!extra && room < n + hdr && q->spare) {
			extra = q->spare;
			q->spare = NULL;
		}
		if (room + (extra ? extra->size : 0) >= n + hdr)
			break;
		mx_sock_small_unlock(t, s, table_locked);
		/* Room for at most one more page's worth: get one. */
		user = mx_user_cached(cache);
		if (!user)
			return MX_ERR_NO_MEMORY;
		extra = mx_sock_seg_alloc(user, 0);
		mx_user_put(user);
		if (IS_ERR(extra))
			return PTR_ERR(extra);
	}
	if (hdr)
		mx_sock_put(q, &n, hdr, &extra);
	mx_sock_put(q, buf, n, &extra);
	mx_sock_added(s, q, n, n + hdr);
	if (extra && !q->spare) {
		q->spare = extra;
		extra = NULL;
	}
out_unlock:
	mx_sock_small_unlock(t, s, table_locked);
out_free:
	if (extra)
		mx_sock_seg_free(extra);
	*actual = n;
	return ret;
}

/*
 * Get empty segments charged to the calling user into @segs, room for
 * @need bytes: @q's spare first, then new ones. Return: 0 or an mx
 * status, nothing held.
 */
static int mx_sock_get_segs(struct mx_socket_link *link,
			    struct mx_sock_queue *q,
			    struct mx_user __rcu **cache, u32 need,
			    struct list_head *segs)
{
	struct mx_sock_seg *seg;
	struct mx_user *user;
	int ret = 0;

	user = mx_user_cached(cache);
	if (!user)
		return MX_ERR_NO_MEMORY;
	spin_lock(&link->lock);
	seg = q->spare;
	q->spare = NULL;
	spin_unlock(&link->lock);
	if (seg) {
		ret = mx_sock_seg_adopt(seg, user);
		if (ret) {
			mx_sock_seg_free(seg);
			goto out;
		}
		list_add_tail(&seg->node, segs);
		need -= min(need, seg->size);
	}
	while (need) {
		seg = mx_sock_seg_alloc(user, need > MX_SOCK_BIG_MIN ?
					MX_SOCK_BIG_ORDER : 0);
		if (IS_ERR(seg)) {
			ret = PTR_ERR(seg);
			mx_sock_free_segs(segs);
			break;
		}
		list_add_tail(&seg->node, segs);
		need -= min(need, seg->size);
	}
out:
	mx_user_put(user);
	return ret;
}

/*
 * Fill @segs with @hdr bytes of @n (a datagram's length) then @n bytes
 * from @buf. Return: the bytes of data copied, fewer after a fault.
 */
static u32 mx_sock_copy_in(struct list_head *segs, u32 hdr,
			   const void __user *buf, u32 n)
{
	struct mx_sock_seg *seg;
	u32 done = 0, len, left;

	list_for_each_entry(seg, segs, node) {
		seg->start = 0;
		seg->end = 0;
		if (hdr) {
			memcpy(mx_sock_seg_addr(seg, 0), &n, hdr);
			seg->end = hdr;
			hdr = 0;
		}
		len = min_t(u32, n - done, seg->size - seg->end);
		left = copy_from_user(mx_sock_seg_addr(seg, seg->end),
				      buf + done, len);
		seg->end += len - left;
		done += len - left;
		if (left)
			break;
	}
	return done;
}

/*
 * Link @segs, holding @stored bytes, after @q's last byte: the first
 * one's bytes that fit go into the room of @q's last page. Segments
 * left empty stay in @segs. Link lock held.
 */
static void mx_sock_link_segs(struct mx_sock_queue *q, struct list_head *segs,
			      u32 stored)
{
	struct mx_sock_seg *seg, *tmp, *tail;
	u32 n, room = mx_sock_room(q);

	tail = mx_sock_tail(q);
	list_for_each_entry_safe(seg, tmp, segs, node) {
		n = min(seg->end - seg->start, stored);
		seg->end = seg->start + n;
		stored -= n;
		if (!n)
			continue;
		if (room) {
			/* At most a page's copy under the lock. */
			u32 m = min3(room, n, (u32)PAGE_SIZE);

			memcpy(mx_sock_seg_addr(tail, tail->end),
			       mx_sock_seg_addr(seg, seg->start), m);
			WRITE_ONCE(tail->end, tail->end + m);
			seg->start += m;
			room = 0;
			if (seg->start == seg->end)
				continue;
		}
		list_move_tail(&seg->node, &q->segs);
	}
}

/**
 * mx_socket_write() - mx_socket_write() with no options
 * @obj: the endpoint
 * @cache: the writer's cached user, charged for the pages
 * @buf: the bytes, in user memory
 * @size: how many
 * @actual: out: how many were written
 *
 * A stream socket takes what fits (a short write); a datagram socket all
 * or nothing. A fault while reading @buf ends a stream write with what
 * was read (MX_ERR_SHOULD_WAIT if nothing was, as Magenta), and fails a
 * datagram write with MX_ERR_INVALID_ARGS.
 *
 * Context: process context, no mx lock held.
 * Return: 0; in order MX_ERR_PEER_CLOSED, MX_ERR_BAD_STATE (half-closed),
 * MX_ERR_INVALID_ARGS (over 4 GiB), MX_ERR_SHOULD_WAIT (no room),
 * MX_ERR_NO_RESOURCES (the user's bound on message memory),
 * MX_ERR_NO_MEMORY.
 */
int mx_socket_write(struct mx_object *obj, struct mx_user __rcu **cache,
		    const void __user *buf, u64 size, u32 *actual)
{
	struct mx_socket *s = to_socket(obj);
	struct mx_socket_link *link = s->link;
	struct mx_sock_queue *q = mx_sock_wq(s);
	u32 hdr = link->datagram ? MX_SOCK_HDR : 0;
	u32 n, done, now;
	LIST_HEAD(segs);
	int ret;

	*actual = 0;
	spin_lock(&link->lock);
	ret = mx_sock_can_write(s, size, &n);
	spin_unlock(&link->lock);
	if (ret || !n)
		return ret;
	ret = mx_sock_get_segs(link, q, cache, n + hdr, &segs);
	if (ret)
		return ret;
	done = mx_sock_copy_in(&segs, hdr, buf, n);
	if (done < n) {
		ret = hdr ? MX_ERR_INVALID_ARGS : MX_ERR_SHOULD_WAIT;
		if (hdr || !done)
			goto out_free;
		n = done;
	}

	spin_lock(&link->lock);
	ret = mx_sock_can_write(s, n, &now);
	if (ret)
		goto out_unlock;
	mx_sock_link_segs(q, &segs, now + hdr);
	mx_sock_added(s, q, now, now + hdr);
	*actual = now;
	if (!list_empty(&segs) && !q->spare) {
		q->spare = list_first_entry(&segs, struct mx_sock_seg, node);
		list_del(&q->spare->node);
		q->spare->start = 0;
		q->spare->end = 0;
	}
out_unlock:
	spin_unlock(&link->lock);
out_free:
	mx_sock_free_segs(&segs);
	return ret;
}

/*
 * copy_to_user(), with no string move for small copies (the stores of
 * unsafe_copy_to_user() instead), which costs a step per byte where it
 * is emulated. Return: the bytes not copied.
 */
static unsigned long mx_sock_copy_to_user(void __user *buf, const void *src,
					  u32 n)
{
	if (n > MX_SOCKET_SMALL_BYTES || !user_write_access_begin(buf, n))
		return copy_to_user(buf, src, n);
	unsafe_copy_to_user(buf, src, n, out_fault);
	user_write_access_end();
	return 0;

out_fault:
	user_write_access_end();
	/* Partly done: the general copy says how far it gets. */
	return copy_to_user(buf, src, n);
}

/*
 * Copy @len bytes from @q, @skip bytes after its first unread one, to
 * user memory at @ubuf, or to kernel memory at @kbuf if that is not NULL.
 * No lock is needed: the caller marked the queue as being read and saw
 * at least @skip + @len bytes stored, which no one else removes or
 * changes; a writer may only fill the room after them meanwhile.
 * Return: the bytes not copied.
 */
static u32 mx_sock_copy_out(struct mx_sock_queue *q, u32 skip,
			    void __user *ubuf, void *kbuf, u32 len)
{
	struct mx_sock_seg *seg;
	u32 off, n, left;

	seg = list_first_entry(&q->segs, struct mx_sock_seg, node);
	off = seg->start;
	while (len) {
		/* The end of a page others may still fill, read once. */
		n = READ_ONCE(seg->end) - off;
		if (!n) {
			seg = list_next_entry(seg, node);
			off = seg->start;
			continue;
		}
		if (skip) {
			n = min(n, skip);
			skip -= n;
			off += n;
			continue;
		}
		n = min(n, len);
		if (kbuf) {
			mx_sock_memcpy(kbuf, mx_sock_seg_addr(seg, off), n);
			kbuf += n;
		} else {
			left = mx_sock_copy_to_user(ubuf,
						    mx_sock_seg_addr(seg, off),
						    n);
			if (left)
				return len - (n - left);
			ubuf += n;
		}
		len -= n;
		off += n;
	}
	return 0;
}

/* Free an endpoint, released, whose queue no read is using. */
static void mx_socket_free(struct mx_socket *s)
{
	struct mx_socket_link *link = s->link;
	struct mx_sock_queue *q = mx_sock_rq(s);
	struct mx_sock_seg *spare;
	LIST_HEAD(segs);

	spin_lock(&link->lock);
	list_splice_init(&q->segs, &segs);
	spare = q->spare;
	q->spare = NULL;
	q->bytes = 0;
	q->stored = 0;
	spin_unlock(&link->lock);
	if (spare)
		mx_sock_seg_free(spare);
	mx_sock_free_segs(&segs);
	/* The small calls may be locking the link of an endpoint being freed. */
	if (refcount_dec_and_test(&link->refs))
		kfree_rcu(link, rcu);
	kfree_rcu(s, rcu);
}

/**
 * mx_socket_read() - mx_socket_read()
 * @t: the reader's handle table
 * @value: the reader's handle to the endpoint (MX_RIGHT_READ)
 * @buf: the buffer, in user memory; NULL (with @size 0) for the count of
 *	bytes queued instead
 * @size: its size
 * @actual: out: the bytes read, or queued
 *
 * A stream read takes up to @size bytes; a datagram read takes one
 * datagram, of which the bytes past @size are lost. A fault while
 * writing @buf ends a stream read with the bytes copied
 * (MX_ERR_INVALID_ARGS if none were: they stay queued), and fails a
 * datagram read with MX_ERR_INVALID_ARGS, the datagram consumed. Reads of
 * one endpoint are made one at a time.
 *
 * Context: process context, no mx lock held.
 * Return: 0; MX_ERR_BAD_HANDLE, MX_ERR_WRONG_TYPE, MX_ERR_ACCESS_DENIED;
 * MX_ERR_INVALID_ARGS (over 4 GiB, or a fault), MX_ERR_PEER_CLOSED
 * (nothing queued and the peer is gone or has half-closed),
 * MX_ERR_SHOULD_WAIT (nothing queued); -ERESTARTNOINTR (a signal while
 * waiting for another read of the endpoint).
 */
int mx_socket_read(struct mx_handle_table *t, s32 value, void __user *buf,
		   u64 size, u32 *actual)
{
	u32 stored, len, take, left, consume, waiters, skip = 0;
	bool table_locked, was_full, orphaned, held = false;
	struct mx_socket_link *link;
	struct mx_sock_queue *q;
	struct mx_socket *s;
	LIST_HEAD(freed);
	int ret;

	*actual = 0;
	ret = mx_sock_small_lock(t, value, MX_RIGHT_READ, &s, &table_locked);
	if (ret)
		return ret;
	link = s->link;
	q = mx_sock_rq(s);
	if (!buf || size > U32_MAX) {
		*actual = q->bytes;
		mx_sock_small_unlock(t, s, table_locked);
		return buf ? MX_ERR_INVALID_ARGS : 0;
	}
	/* The link lock alone from here on. */
	if (table_locked) {
		__acquire(&t->lock);
		mx_ht_unlock(t);
	}
	__acquire(&link->lock);		/* sparse: see mx_sock_small_lock() */
	if (q->reading) {
		/* Wait for the other read, with a reference of our own. */
		mx_object_get(&s->base);
		held = true;
		q->read_waiters++;
		do {
			spin_unlock(&link->lock);
			ret = wait_event_interruptible(q->read_wq,
						       !READ_ONCE(q->reading));
			spin_lock(&link->lock);
		} while (!ret && q->reading);
		q->read_waiters--;
		if (ret) {
			spin_unlock(&link->lock);
			mx_object_put(&s->base);
			return -ERESTARTNOINTR;
		}
	}
	q->reading = true;
	stored = q->stored;
	if (!stored) {
		ret = (!s->peer || s->peer->write_closed) ?
		      MX_ERR_PEER_CLOSED : MX_ERR_SHOULD_WAIT;
		goto out_done;
	}
	if (link->datagram) {
		mx_sock_copy_out(q, 0, NULL, &len, MX_SOCK_HDR);
		skip = MX_SOCK_HDR;
	} else {
		len = stored;
	}
	spin_unlock(&link->lock);

	take = min_t(u64, size, len);
	left = mx_sock_copy_out(q, skip, buf, NULL, take);
	if (link->datagram) {
		consume = len;
		if (left)
			ret = MX_ERR_INVALID_ARGS;
	} else {
		consume = take - left;
		if (left && !consume)
			ret = MX_ERR_INVALID_ARGS;
	}
	*actual = take - left;

	spin_lock(&link->lock);
	if (consume) {
		was_full = q->bytes == MX_SOCKET_CAPACITY;
		mx_sock_consume(q, consume + skip, &freed);
		q->bytes -= consume;
		q->stored -= consume + skip;
		if (!q->bytes)
			mx_sock_signal(&s->base, MX_SOCKET_READABLE, 0);
		if (was_full && s->peer && !s->peer->write_closed)
			mx_sock_signal(&s->peer->base, 0, MX_SOCKET_WRITABLE);
	}
out_done:
	q->reading = false;
	orphaned = q->orphaned;
	waiters = q->read_waiters;
	spin_unlock(&link->lock);
	mx_sock_free_segs(&freed);
	/* Waiters hold references: an orphaned endpoint has none. */
	if (waiters)
		wake_up(&q->read_wq);
	if (orphaned)
		mx_socket_free(s);
	if (held)
		mx_object_put(&s->base);
	return ret;
}

static void mx_socket_on_zero_handles(struct mx_object *obj)
{
	struct mx_socket *s = to_socket(obj);
	struct mx_socket *peer;

	spin_lock(&s->link->lock);
	peer = s->peer;
	s->peer = NULL;
	if (peer) {
		peer->peer = NULL;
		mx_sock_signal(&peer->base, MX_SOCKET_WRITABLE,
			       MX_SOCKET_PEER_CLOSED);
	}
	spin_unlock(&s->link->lock);
}

static void mx_socket_release(struct mx_object *obj)
{
	struct mx_socket *s = to_socket(obj);
	struct mx_socket_link *link = s->link;
	struct mx_sock_queue *q = mx_sock_rq(s);

	/* The peer writes here no more; a read in progress frees it all. */
	spin_lock(&link->lock);
	if (q->reading) {
		q->orphaned = true;
		spin_unlock(&link->lock);
		return;
	}
	spin_unlock(&link->lock);
	mx_socket_free(s);
}

static u64 mx_socket_related_koid(struct mx_object *obj)
{
	return to_socket(obj)->peer_koid;
}

static int mx_socket_signal_peer(struct mx_object *obj, u32 clear, u32 set)
{
	struct mx_socket *s = to_socket(obj);
	int ret;

	spin_lock(&s->link->lock);
	ret = mx_peer_signal(s->peer ? &s->peer->base : NULL, clear, set);
	spin_unlock(&s->link->lock);
	return ret;
}

const struct mx_object_ops mx_socket_ops = {
	.type = MX_OBJ_TYPE_SOCKET,
	.name = "socket",
	.default_rights = MX_SOCKET_DEFAULT_RIGHTS,
	.waitable = true,
	.user_signals = MX_USER_SIGNAL_ALL,
	.has_peer = true,
	.on_zero_handles = mx_socket_on_zero_handles,
	.release = mx_socket_release,
	.related_koid = mx_socket_related_koid,
	.signal_peer = mx_socket_signal_peer,
};
EXPORT_SYMBOL_IF_KUNIT(mx_socket_ops);

/**
 * mx_socket_new() - a new pair of endpoints
 * @datagram: a datagram socket, else a stream socket
 * @side0: out: one endpoint, with one reference and no handle
 * @side1: out: the other
 *
 * Return: 0 or MX_ERR_NO_MEMORY.
 */
int mx_socket_new(bool datagram, struct mx_object **side0,
		  struct mx_object **side1)
{
	struct mx_socket_link *link;
	struct mx_socket *s[2];
	int i;

	link = kzalloc(sizeof(*link), GFP_KERNEL_ACCOUNT);
	if (!link)
		goto out;
	s[0] = kzalloc(sizeof(*s[0]), GFP_KERNEL_ACCOUNT);
	if (!s[0])
		goto out_free_link;
	s[1] = kzalloc(sizeof(*s[1]), GFP_KERNEL_ACCOUNT);
	if (!s[1])
		goto out_free_s0;

	spin_lock_init(&link->lock);
	refcount_set(&link->refs, 2);
	link->datagram = datagram;
	for (i = 0; i < 2; i++) {
		INIT_LIST_HEAD(&link->q[i].segs);
		init_waitqueue_head(&link->q[i].read_wq);
		mx_object_init(&s[i]->base, &mx_socket_ops,
			       MX_SOCKET_WRITABLE);
		s[i]->link = link;
		s[i]->side = i;
	}
	s[0]->peer = s[1];
	s[1]->peer = s[0];
	s[0]->peer_koid = s[1]->base.koid;
	s[1]->peer_koid = s[0]->base.koid;
	*side0 = &s[0]->base;
	*side1 = &s[1]->base;
	return 0;

out_free_s0:
	kfree(s[0]);
out_free_link:
	kfree(link);
out:
	return MX_ERR_NO_MEMORY;
}
EXPORT_SYMBOL_IF_KUNIT(mx_socket_new);
