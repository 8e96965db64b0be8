// SPDX-License-Identifier: GPL-2.0
/* A BPF ring buffer reader that maps the data pages once. See ringbuf.h. */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "ringbuf.h"

/*
 * The map's pages, as the kernel lays them out: the consumer position
 * (the only page user space may write), the producer position, then the
 * data, which the kernel maps twice in a row: a window of the map's pages
 * from any data page on is the ring's bytes in order, wrapping included.
 * The data is read through such a window, moved along as records are
 * read: every page mapped counts in the resident memory, the ring's whole
 * size (512 KiB by default) each time it is mapped.
 */
#define WINDOW_BYTES (64 * 1024)

struct ct_ringbuf {
	int fd;
	ct_ringbuf_fn fn;
	void *ctx;
	size_t page;
	size_t size;			/* of the data, a power of two */
	int epfd;			/* its wake-ups: ct_ringbuf_wait() */
	__u64 *consumer;
	const __u64 *producer;
	const char *win;		/* the window, or NULL */
	size_t win_off;			/* its first byte's offset in the data */
	size_t win_len;
};

static int map_size(int fd, size_t page, size_t *size)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	if (info.type != BPF_MAP_TYPE_RINGBUF || info.max_entries < page ||
	    (info.max_entries & (info.max_entries - 1)))
		return -EINVAL;
	*size = info.max_entries;
	return 0;
}

static int map_positions(struct ct_ringbuf *rb)
{
	void *p;

	p = mmap(NULL, rb->page, PROT_READ | PROT_WRITE, MAP_SHARED, rb->fd,
		 0);
	if (p == MAP_FAILED)
		return -errno;
	rb->consumer = p;
	p = mmap(NULL, rb->page, PROT_READ, MAP_SHARED, rb->fd, rb->page);
	if (p == MAP_FAILED)
		return -errno;
	rb->producer = p;
	return 0;
}

static int watch_wakeups(struct ct_ringbuf *rb)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };

	rb->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (rb->epfd < 0 || epoll_ctl(rb->epfd, EPOLL_CTL_ADD, rb->fd, &ev))
		return -errno;
	return 0;
}

struct ct_ringbuf *ct_ringbuf_new(int map_fd, ct_ringbuf_fn fn, void *ctx)
{
	struct ct_ringbuf *rb = calloc(1, sizeof(*rb));
	long page = sysconf(_SC_PAGESIZE);
	int err;

	if (!rb)
		return NULL;
	rb->fd = map_fd;
	rb->epfd = -1;
	rb->fn = fn;
	rb->ctx = ctx;
	rb->page = page > 0 ? page : 4096;
	err = map_size(map_fd, rb->page, &rb->size);
	if (!err)
		err = map_positions(rb);
	if (!err)
		err = watch_wakeups(rb);
	if (err) {
		ct_ringbuf_free(rb);
		errno = -err;
		return NULL;
	}
	return rb;
}

static void unmap_window(struct ct_ringbuf *rb)
{
	if (rb->win)
		munmap((void *)rb->win, rb->win_len);
	rb->win = NULL;
}

void ct_ringbuf_free(struct ct_ringbuf *rb)
{
	if (!rb)
		return;
	unmap_window(rb);
	if (rb->consumer)
		munmap(rb->consumer, rb->page);
	if (rb->producer)
		munmap((void *)rb->producer, rb->page);
	if (rb->epfd >= 0)
		close(rb->epfd);
	free(rb);
}

/*
 * The len bytes at offset off of the data (len at most the ring's size),
 * in one piece; NULL if the window cannot be moved there. The window
 * starts at off's page: its end is at most twice the size from the data's
 * start, within the kernel's two mappings of it.
 */
static const char *bytes_at(struct ct_ringbuf *rb, size_t off, size_t len)
{
	size_t start = off & ~(rb->page - 1), need, win_len;
	void *p;

	if (rb->win && off < rb->win_off)
		off += rb->size;	/* in the window's second mapping? */
	if (rb->win && off >= rb->win_off &&
	    off + len <= rb->win_off + rb->win_len)
		return rb->win + (off - rb->win_off);
	off &= rb->size - 1;
	need = (off - start + len + rb->page - 1) & ~(rb->page - 1);
	win_len = rb->size < WINDOW_BYTES ? rb->size : WINDOW_BYTES;
	if (need > win_len)
		win_len = need;
	unmap_window(rb);
	p = mmap(NULL, win_len, PROT_READ, MAP_SHARED, rb->fd,
		 2 * rb->page + start);
	if (p == MAP_FAILED)
		return NULL;
	rb->win = p;
	rb->win_off = start;
	rb->win_len = win_len;
	return rb->win + (off - start);
}

/*
 * One record at position pos, if the kernel has committed it: its length
 * with the header, rounded as the kernel rounds it; 0 if not committed.
 * *err: the callback's return, or -errno if the record cannot be mapped.
 */
static size_t read_one(struct ct_ringbuf *rb, __u64 pos, int *err)
{
	size_t off = pos & (rb->size - 1);
	const char *hdr = bytes_at(rb, off, BPF_RINGBUF_HDR_SZ);
	__u32 len;

	*err = 0;
	if (!hdr)
		goto fail;
	len = __atomic_load_n((const __u32 *)hdr, __ATOMIC_ACQUIRE);
	if (len & BPF_RINGBUF_BUSY_BIT)
		return 0;
	if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
		hdr = bytes_at(rb, off, BPF_RINGBUF_HDR_SZ + len);
		if (!hdr)
			goto fail;
		*err = rb->fn(rb->ctx, (void *)(hdr + BPF_RINGBUF_HDR_SZ),
			      len);
		if (*err > 0)
			*err = 0;
	}
	len &= ~BPF_RINGBUF_DISCARD_BIT;
	return (len + BPF_RINGBUF_HDR_SZ + 7) & ~7UL;
fail:
	*err = -errno;
	return 0;
}

int ct_ringbuf_consume(struct ct_ringbuf *rb)
{
	__u64 cons = *rb->consumer, prod;
	int n = 0, err = 0;
	size_t len;

	prod = __atomic_load_n(rb->producer, __ATOMIC_ACQUIRE);
	while (cons < prod) {
		len = read_one(rb, cons, &err);
		if (!len)
			return err ? err : n;
		cons += len;
		/* Each record's space goes back to the kernel at once. */
		__atomic_store_n(rb->consumer, cons, __ATOMIC_RELEASE);
		if (err)
			return err;
		n++;
		if (cons == prod)
			prod = __atomic_load_n(rb->producer,
					       __ATOMIC_ACQUIRE);
	}
	return n;
}

/*
 * The ring is watched through an epoll set, edge-triggered: the set is
 * readable after a wake-up by the kernel only, not while records wait, as
 * the ring itself is (a napping reader would not nap). ppoll() on the set,
 * not epoll_wait(): naps are shorter than its milliseconds.
 */
int ct_ringbuf_wait(struct ct_ringbuf *rb, long long timeout_ns, bool nap,
		    int watch_fd)
{
	struct pollfd p[2] = {
		{ .fd = rb->epfd, .events = POLLIN },
		{ .fd = watch_fd },	/* errors only; ignored if -1 */
	};
	struct timespec ts = {
		.tv_sec = timeout_ns / 1000000000,
		.tv_nsec = timeout_ns % 1000000000,
	};
	struct epoll_event ev;

	if (!nap && ct_ringbuf_waiting(rb))
		return 0;
	if (ppoll(p, 2, timeout_ns < 0 ? NULL : &ts, NULL) < 0)
		return -errno;
	/* Off the set's ready list, until the next wake-up. */
	if (p[0].revents)
		epoll_wait(rb->epfd, &ev, 1, 0);
	return 0;
}

unsigned long long ct_ringbuf_taken(const struct ct_ringbuf *rb)
{
	/* Only this reader writes the consumer position. */
	return *rb->consumer;
}

/*
 * Sequentially consistent: a reader that said it sleeps (consume.c) loads
 * the producer's position only after that store (events.bpf.h).
 */
unsigned long long ct_ringbuf_waiting(const struct ct_ringbuf *rb)
{
	return __atomic_load_n(rb->producer, __ATOMIC_SEQ_CST) -
	       *rb->consumer;
}

size_t ct_ringbuf_size(const struct ct_ringbuf *rb)
{
	return rb->size;
}
