// SPDX-License-Identifier: GPL-2.0
/* A BPF ring buffer reader that maps the data pages once. See ringbuf.h. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "ringbuf.h"

/*
 * The map's pages, as the kernel lays them out: the consumer position
 * (the only page user space may write), the producer position, then the
 * data.
 */
struct ct_ringbuf {
	int fd;
	ct_ringbuf_fn fn;
	void *ctx;
	size_t page;
	size_t size;			/* of the data, a power of two */
	__u64 *consumer;
	__u64 *producer;		/* the data follows its page */
	const char *data;
	char *copy;			/* a record that wraps, made whole */
	size_t copy_size;
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

static int map_pages(struct ct_ringbuf *rb)
{
	void *p;

	p = mmap(NULL, rb->page, PROT_READ | PROT_WRITE, MAP_SHARED, rb->fd,
		 0);
	if (p == MAP_FAILED)
		return -errno;
	rb->consumer = p;
	p = mmap(NULL, rb->page + rb->size, PROT_READ, MAP_SHARED, rb->fd,
		 rb->page);
	if (p == MAP_FAILED)
		return -errno;
	rb->producer = p;
	rb->data = (const char *)p + rb->page;
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
	rb->fn = fn;
	rb->ctx = ctx;
	rb->page = page > 0 ? page : 4096;
	err = map_size(map_fd, rb->page, &rb->size);
	if (!err)
		err = map_pages(rb);
	if (err) {
		ct_ringbuf_free(rb);
		errno = -err;
		return NULL;
	}
	return rb;
}

void ct_ringbuf_free(struct ct_ringbuf *rb)
{
	if (!rb)
		return;
	if (rb->consumer)
		munmap(rb->consumer, rb->page);
	if (rb->producer)
		munmap(rb->producer, rb->page + rb->size);
	free(rb->copy);
	free(rb);
}

/*
 * The len bytes at offset off of the data, in one piece: in place, or
 * copied when they go past the end and on from the start. NULL if there
 * is no memory for the copy.
 */
static void *record_at(struct ct_ringbuf *rb, size_t off, size_t len)
{
	size_t first = rb->size - off;

	if (len <= first)
		return (void *)(rb->data + off);
	if (len > rb->copy_size) {
		char *p = realloc(rb->copy, len);

		if (!p)
			return NULL;
		rb->copy = p;
		rb->copy_size = len;
	}
	memcpy(rb->copy, rb->data + off, first);
	memcpy(rb->copy + first, rb->data, len - first);
	return rb->copy;
}

/*
 * One record at position pos, if the kernel has committed it: its length
 * with the header, rounded as the kernel rounds it; 0 if not committed.
 * *err: the callback's return (-ENOMEM: no memory to make it whole).
 */
static size_t read_one(struct ct_ringbuf *rb, __u64 pos, int *err)
{
	size_t off = pos & (rb->size - 1);
	const __u32 *hdr = (const __u32 *)(rb->data + off);
	__u32 len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
	void *sample;

	*err = 0;
	if (len & BPF_RINGBUF_BUSY_BIT)
		return 0;
	if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
		off = (off + BPF_RINGBUF_HDR_SZ) & (rb->size - 1);
		sample = record_at(rb, off, len);
		*err = sample ? rb->fn(rb->ctx, sample, len) : -ENOMEM;
		if (*err > 0)
			*err = 0;
	}
	len &= ~BPF_RINGBUF_DISCARD_BIT;
	return (len + BPF_RINGBUF_HDR_SZ + 7) & ~7UL;
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
			break;
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

int ct_ringbuf_poll(struct ct_ringbuf *rb, int timeout_ms)
{
	struct pollfd p = { .fd = rb->fd, .events = POLLIN };

	if (poll(&p, 1, timeout_ms) < 0)
		return -errno;
	return ct_ringbuf_consume(rb);
}
