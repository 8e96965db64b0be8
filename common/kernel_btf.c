// SPDX-License-Identifier: GPL-2.0
/*
 * The raw BTF file is a header, a type section and a string section. A type
 * names itself by an offset into the strings, so a pass reads the strings
 * first (noting the offsets of the names asked for), then walks the types
 * (noting the ids of those with such a name and the right kind). Every
 * byte read can also go into the digest, so one pass can answer both.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <linux/btf.h>

#include "kernel_btf.h"
#include "tool.h"

#define CHUNK (128 * 1024)
/* The kernel's own ELF notes (a few hundred bytes): its build ID. */
#define KERNEL_NOTES "/sys/kernel/notes"
#define MAX_NOTES (64 * 1024)
#define MAX_NAMES 32
#define MAX_OFFSETS 4

struct name_query {
	char name[128];
	int kind;
	int id;			/* > 0, -ENOENT, or 0 before a pass */
	bool remembered;	/* id told by ct_kernel_btf_remember() */
	int n_offsets;
	__u32 offsets[MAX_OFFSETS];
};

/* 4 x 64-bit lanes over 32-byte blocks, independent of read sizes. */
struct digest {
	__u64 lane[4];
	unsigned char tail[32];
	size_t tail_len;
	__u64 total;
};

struct stream {
	int fd;
	off_t pos, end;
	unsigned char *buf;
	size_t off, len;
	struct digest *digest;
};

static struct {
	bool digested;
	__u64 digest;
	int n_names;
	struct name_query names[MAX_NAMES];
} memo;

static const __u64 primes[4] = {
	0x9e3779b97f4a7c15ULL, 0xc2b2ae3d27d4eb4fULL,
	0x165667b19e3779f9ULL, 0x27d4eb2f165667c5ULL,
};

static void digest_block(struct digest *d, const unsigned char *p)
{
	__u64 w;
	int i;

	for (i = 0; i < 4; i++) {
		memcpy(&w, p + 8 * i, sizeof(w));
		d->lane[i] = (d->lane[i] ^ w) * primes[i];
		d->lane[i] ^= d->lane[i] >> 31;
	}
}

static void digest_add(struct digest *d, const unsigned char *p, size_t n)
{
	d->total += n;
	if (d->tail_len) {
		size_t take = sizeof(d->tail) - d->tail_len;

		if (take > n)
			take = n;
		memcpy(d->tail + d->tail_len, p, take);
		d->tail_len += take;
		p += take;
		n -= take;
		if (d->tail_len < sizeof(d->tail))
			return;
		digest_block(d, d->tail);
		d->tail_len = 0;
	}
	for (; n >= sizeof(d->tail); p += sizeof(d->tail), n -= sizeof(d->tail))
		digest_block(d, p);
	memcpy(d->tail, p, n);
	d->tail_len = n;
}

static __u64 digest_end(struct digest *d)
{
	__u64 h;

	memset(d->tail + d->tail_len, 0, sizeof(d->tail) - d->tail_len);
	digest_block(d, d->tail);
	h = d->total * primes[0];
	for (int i = 0; i < 4; i++)
		h = (h ^ d->lane[i]) * primes[(i + 1) % 4];
	return h ^ (h >> 29);
}

/* Make at least need bytes available at s->buf + s->off; false at the end. */
static int fill(struct stream *s, size_t need)
{
	ssize_t n;

	if (s->len - s->off >= need)
		return 0;
	memmove(s->buf, s->buf + s->off, s->len - s->off);
	s->len -= s->off;
	s->off = 0;
	while (s->len < need && s->pos < s->end) {
		size_t want = CHUNK - s->len;

		if ((off_t)want > s->end - s->pos)
			want = s->end - s->pos;
		n = pread(s->fd, s->buf + s->len, want, s->pos);
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		if (s->digest)
			digest_add(s->digest, s->buf + s->len, n);
		s->pos += n;
		s->len += n;
	}
	return s->len >= need ? 0 : -ENODATA;
}

static int skip(struct stream *s, size_t n)
{
	while (n) {
		size_t have = s->len - s->off;
		int err;

		if (!have) {
			err = fill(s, 1);
			if (err)
				return err;
			continue;
		}
		if (have > n)
			have = n;
		s->off += have;
		n -= have;
	}
	return 0;
}

static void note_string(const char *str, size_t len, __u32 offset)
{
	for (int i = 0; i < memo.n_names; i++) {
		struct name_query *q = &memo.names[i];

		if (q->id || q->n_offsets == MAX_OFFSETS ||
		    strlen(q->name) != len || memcmp(q->name, str, len))
			continue;
		q->offsets[q->n_offsets++] = offset;
	}
}

/* Note the offsets of the names asked for; strings are NUL-terminated. */
static int scan_strings(struct stream *s)
{
	__u32 offset = 0;
	bool overlong = false;

	while (s->pos < s->end || s->off < s->len) {
		unsigned char *start = s->buf + s->off;
		unsigned char *nul = memchr(start, 0, s->len - s->off);
		int err;

		if (!nul) {
			/* A string longer than the buffer names nothing. */
			if (s->off == 0 && s->len == CHUNK) {
				offset += s->len;
				s->off = s->len;
				overlong = true;
			}
			err = fill(s, s->len - s->off + 1);
			if (err)
				return err == -ENODATA ? 0 : err;
			continue;
		}
		if (!overlong)
			note_string((char *)start, nul - start, offset);
		overlong = false;
		offset += nul - start + 1;
		s->off += nul - start + 1;
	}
	return 0;
}

/* Bytes that follow struct btf_type for this kind, or -1 if unknown. */
static long type_extra(__u32 info)
{
	__u32 vlen = BTF_INFO_VLEN(info);

	switch (BTF_INFO_KIND(info)) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return vlen * sizeof(struct btf_enum);
	case BTF_KIND_ENUM64:
		return vlen * sizeof(struct btf_enum64);
	case BTF_KIND_FUNC_PROTO:
		return vlen * sizeof(struct btf_param);
	case BTF_KIND_DATASEC:
		return vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	}
	return -1;
}

static void note_type(const struct btf_type *t, int id)
{
	for (int i = 0; i < memo.n_names; i++) {
		struct name_query *q = &memo.names[i];

		if (q->id || (int)BTF_INFO_KIND(t->info) != q->kind)
			continue;
		for (int j = 0; j < q->n_offsets; j++)
			if (q->offsets[j] == t->name_off)
				q->id = id;
	}
}

static int scan_types(struct stream *s)
{
	struct btf_type t;
	long extra;
	int id, err;

	for (id = 1; s->pos < s->end || s->off < s->len; id++) {
		err = fill(s, sizeof(t));
		if (err)
			return err;
		memcpy(&t, s->buf + s->off, sizeof(t));
		s->off += sizeof(t);
		extra = type_extra(t.info);
		if (extra < 0)
			return -EINVAL;
		note_type(&t, id);
		err = skip(s, extra);
		if (err)
			return err;
	}
	return 0;
}

/* The kernel's BTF mapped whole (6.16+ allow it), or read in chunks. */
struct source {
	int fd;
	const unsigned char *map;
	size_t size;
};

static int scan_section(const struct source *src, off_t start, __u32 len,
			struct digest *d, int (*scan)(struct stream *))
{
	struct stream s = { .fd = src->fd, .pos = start, .end = start + len,
			    .digest = d };
	int err;

	if (src->map) {
		if ((size_t)start > src->size || len > src->size - start)
			return -EINVAL;
		s.buf = (unsigned char *)src->map + start;
		s.len = len;
		s.pos = s.end;
		if (d)
			digest_add(d, s.buf, len);
		return scan(&s);
	}
	s.buf = malloc(CHUNK);
	if (!s.buf)
		return -ENOMEM;
	err = scan(&s);
	free(s.buf);
	return err;
}

/* One pass for the names asked for, and the digest if want_digest. */
static int scan(bool want_digest)
{
	struct source src = { .fd = -1 };
	struct btf_header h;
	struct digest d = {}, *dp = want_digest ? &d : NULL;
	struct stat st;
	int err = -EINVAL;

	for (int i = 0; i < memo.n_names; i++)
		if (!memo.names[i].id)
			memo.names[i].n_offsets = 0;
	/* A warm start makes none: tests look for this line with -vv. */
	if (ct_env.verbose > 1)
		ct_verbose("kernel types: a pass over %s", CT_KERNEL_BTF);
	src.fd = open(CT_KERNEL_BTF, O_RDONLY | O_CLOEXEC);
	if (src.fd < 0)
		return -errno;
	/* Reading sysfs goes a page per system call: map it if we may. */
	if (!fstat(src.fd, &st) && st.st_size > 0) {
		src.map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE,
			       src.fd, 0);
		if (src.map == MAP_FAILED)
			src.map = NULL;
		src.size = st.st_size;
	}
	if (pread(src.fd, &h, sizeof(h), 0) != sizeof(h) ||
	    h.magic != BTF_MAGIC || h.hdr_len < sizeof(h))
		goto out;
	if (dp)
		digest_add(dp, (unsigned char *)&h, sizeof(h));
	err = scan_section(&src, h.hdr_len + h.str_off, h.str_len, dp,
			   scan_strings);
	if (!err)
		err = scan_section(&src, h.hdr_len + h.type_off, h.type_len,
				   dp, scan_types);
	if (err)
		goto out;
	for (int i = 0; i < memo.n_names; i++)
		if (!memo.names[i].id)
			memo.names[i].id = -ENOENT;
	if (dp) {
		memo.digest = digest_end(dp);
		memo.digested = true;
	}
out:
	if (src.map)
		munmap((void *)src.map, src.size);
	close(src.fd);
	return err;
}

static struct name_query *query(const char *name, int kind)
{
	for (int i = 0; i < memo.n_names; i++)
		if (memo.names[i].kind == kind &&
		    !strcmp(memo.names[i].name, name))
			return &memo.names[i];
	if (memo.n_names == MAX_NAMES ||
	    strlen(name) >= sizeof(memo.names[0].name))
		return NULL;
	memo.names[memo.n_names] = (struct name_query){ .kind = kind };
	strcpy(memo.names[memo.n_names].name, name);
	return &memo.names[memo.n_names++];
}

/* Any pass also answers the fentry probe: a tool needs one pass at most. */
static void ask_usual(void)
{
	query(CT_FENTRY_PROBE_FUNC, BTF_KIND_FUNC);
}

int ct_kernel_btf_id(const char *name, int kind)
{
	struct name_query *q;
	int err;

	if (!name[0])
		return -ENOENT;	/* anonymous types are nobody's */
	ask_usual();
	q = query(name, kind);
	if (!q)
		return -ENOSPC;
	if (!q->id) {
		err = scan(false);
		if (err)
			return err;
	}
	return q->id;
}

void ct_kernel_btf_ask(const char *name, int kind)
{
	if (name[0])
		query(name, kind);
}

bool ct_kernel_btf_found(const char *name, int kind, int *id)
{
	for (int i = 0; i < memo.n_names; i++) {
		struct name_query *q = &memo.names[i];

		if (q->kind != kind || strcmp(q->name, name))
			continue;
		if (!q->id || q->remembered)
			return false;
		*id = q->id > 0 ? q->id : 0;
		return true;
	}
	return false;
}

void ct_kernel_btf_remember(const char *name, int kind, int id)
{
	struct name_query *q = query(name, kind);

	/* A pass over the kernel's own BTF knows better. */
	if (!q || (q->id && !q->remembered))
		return;
	q->id = id > 0 ? id : -ENOENT;
	q->remembered = true;
}

bool ct_kernel_btf_remembered(const char *name, int kind)
{
	for (int i = 0; i < memo.n_names; i++)
		if (memo.names[i].kind == kind &&
		    !strcmp(memo.names[i].name, name))
			return memo.names[i].remembered;
	return false;
}

void ct_kernel_btf_forget(void)
{
	for (int i = 0; i < memo.n_names; i++) {
		if (!memo.names[i].remembered)
			continue;
		memo.names[i].id = 0;
		memo.names[i].remembered = false;
	}
}

void ct_kernel_btf_each(void (*fn)(const char *name, int kind, void *ctx),
			void *ctx)
{
	for (int i = 0; i < memo.n_names; i++)
		fn(memo.names[i].name, memo.names[i].kind, ctx);
}

int ct_kernel_btf_digest(__u64 *digest)
{
	int err;

	ask_usual();
	if (!memo.digested) {
		err = scan(true);
		if (err)
			return err;
	}
	*digest = memo.digest;
	return 0;
}

/* ELF notes pad their name and description to 4 bytes. */
static size_t note_align(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

size_t ct_notes_build_id(const unsigned char *notes, size_t len,
			 const unsigned char **id)
{
	size_t off = 0, name, desc, next;
	Elf64_Nhdr h;

	while (len - off >= sizeof(h)) {
		memcpy(&h, notes + off, sizeof(h));
		name = off + sizeof(h);
		desc = name + note_align(h.n_namesz);
		next = desc + note_align(h.n_descsz);
		if (desc > len || next > len)
			return 0;
		if (h.n_type == NT_GNU_BUILD_ID && h.n_namesz == 4 &&
		    !memcmp(notes + name, "GNU", 4) && h.n_descsz) {
			*id = notes + desc;
			return h.n_descsz;
		}
		off = next;
	}
	return 0;
}

/* The kernel's build ID into buf: its length, or 0 if none is known. */
static size_t kernel_build_id(unsigned char *buf, size_t size)
{
	static unsigned char notes[MAX_NOTES];
	const unsigned char *id;
	size_t len = 0, n;
	ssize_t r;
	int fd;

	fd = open(KERNEL_NOTES, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	while (len < sizeof(notes) &&
	       (r = read(fd, notes + len, sizeof(notes) - len)) > 0)
		len += r;
	close(fd);
	n = ct_notes_build_id(notes, len, &id);
	if (!n || n > size)
		return 0;
	memcpy(buf, id, n);
	return n;
}

int ct_kernel_btf_identity(__u64 *identity)
{
	static __u64 memo_identity;
	unsigned char id[64];
	struct digest d = {};
	struct stat st;
	size_t n;

	if (memo_identity) {
		*identity = memo_identity;
		return 0;
	}
	n = kernel_build_id(id, sizeof(id));
	if (!n || stat(CT_KERNEL_BTF, &st))
		return ct_kernel_btf_digest(identity);
	digest_add(&d, id, n);
	digest_add(&d, (unsigned char *)&st.st_size, sizeof(st.st_size));
	memo_identity = digest_end(&d);
	*identity = memo_identity;
	return 0;
}
