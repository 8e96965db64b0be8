// SPDX-License-Identifier: GPL-2.0
/* Kernel symbols from /proc/kallsyms. See ksyms.h. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#include "ksyms.h"
#include "symtab.h"

/*
 * 16 bytes a symbol: a kernel has 120,000 or more, so this table is most
 * of a stack tool's memory when it names frames (40 bytes each before).
 */
struct ksym {
	unsigned long addr;
	__u32 name;		/* offset in strs, KSYM_TEXT for a function */
	__u32 order;		/* line: ties keep the file's order */
};

#define KSYM_TEXT (1u << 31)
#define KSYM_NAME (KSYM_TEXT - 1)
#define NO_MODULE ((__u32)-1)

/* Modules come in runs of lines: the run a line is in names its module. */
struct mod_run {
	__u32 first;		/* the order of its first line */
	__u32 module;		/* offset in strs, or NO_MODULE */
};

struct ct_ksyms {
	struct ksym *syms;
	size_t n, cap;
	char *strs;
	size_t strs_len, strs_cap;
	struct mod_run *runs;
	size_t n_runs, runs_cap;
	size_t last_name, last_len;	/* the name stored last */
	bool nonzero;		/* some address was not zero */
};

#define PFX "__pfx_"
#define PFX_LEN (sizeof(PFX) - 1)

static int add_str(struct ct_ksyms *ks, const char *s, size_t len,
		   __u32 *off)
{
	void *p = ks->strs;
	int err;

	if (ks->strs_len + len + 1 > KSYM_NAME)
		return -ENOMEM;
	err = ct_array_grow(&p, &ks->strs_cap, ks->strs_len + len + 1, 1);
	ks->strs = p;
	if (err)
		return err;
	memcpy(ks->strs + ks->strs_len, s, len);
	ks->strs[ks->strs_len + len] = '\0';
	*off = ks->strs_len;
	ks->strs_len += len + 1;
	return 0;
}

/*
 * A function's name, stored once with the padding before it: kernels
 * built with call padding list "__pfx_NAME" just before NAME, for half
 * their symbols; NAME is then the tail of that string.
 */
static int add_name(struct ct_ksyms *ks, const char *s, size_t len,
		    __u32 *off)
{
	/* No string yet: strs is NULL, and NULL + 0 is undefined in C. */
	const char *last = ks->strs ? ks->strs + ks->last_name : NULL;
	int err;

	if (last && ks->last_len == PFX_LEN + len &&
	    !memcmp(last, PFX, PFX_LEN) && !memcmp(last + PFX_LEN, s, len)) {
		*off = ks->last_name + PFX_LEN;
		ks->last_len = 0;
		return 0;
	}
	err = add_str(ks, s, len, off);
	if (err)
		return err;
	ks->last_name = *off;
	ks->last_len = len;
	return 0;
}

/* The line at order is in module m (a string, or NO_MODULE): runs. */
static int add_module(struct ct_ksyms *ks, __u32 order, const char *m,
		      size_t len)
{
	struct mod_run *r = ks->n_runs ? &ks->runs[ks->n_runs - 1] : NULL;
	__u32 mod = NO_MODULE;
	void *v;

	if (r && (r->module == NO_MODULE ? !m :
		  m && !strncmp(ks->strs + r->module, m, len) &&
		  ks->strs[r->module + len] == '\0'))
		return 0;
	if (!r && !m)
		return 0;	/* no run: the kernel image */
	if (m && add_str(ks, m, len, &mod))
		return -ENOMEM;
	v = ks->runs;
	if (ct_array_grow(&v, &ks->runs_cap, ks->n_runs + 1, sizeof(*r)))
		return -ENOMEM;
	ks->runs = v;
	ks->runs[ks->n_runs++] = (struct mod_run){ order, mod };
	return 0;
}

/* The module of the line at order: NULL for the kernel image. */
static const char *module_of(const struct ct_ksyms *ks, __u32 order)
{
	size_t lo = 0, hi = ks->n_runs;

	/* The last run starting at or before order. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ks->runs[mid].first <= order)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || ks->runs[lo - 1].module == NO_MODULE)
		return NULL;
	return ks->strs + ks->runs[lo - 1].module;
}

/* Functions: text symbols, weak ones included. */
static bool is_text(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

/* One line of kallsyms, split: pointers into the line. */
struct kline {
	unsigned long addr;
	char type;
	const char *name;
	size_t name_len;
	const char *mod;	/* NULL for the kernel image */
	size_t mod_len;
};

/* The value of hex digit c. */
static unsigned long hex_value(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : (c | 0x20) - 'a' + 10;
}

/*
 * "ffffffff81000000 T _text" or "... t name\t[module]": false for a line
 * not of that form. The address is hex digits only (no sign, no "0x"),
 * no more than an address holds: a longer one is not wrapped around.
 */
static bool split_line(const char *line, struct kline *l)
{
	const char *p = line, *end;
	size_t digits = 0;

	l->addr = 0;
	for (; isxdigit((unsigned char)*p); p++) {
		if (++digits > 2 * sizeof(l->addr))
			return false;
		l->addr = l->addr << 4 | hex_value(*p);
	}
	if (!digits || p[0] != ' ' || !p[1] || p[2] != ' ')
		return false;
	l->type = p[1];
	l->name = p + 3;
	end = l->name + strcspn(l->name, " \t\n");
	l->name_len = end - l->name;
	if (!l->name_len)
		return false;
	l->mod = NULL;
	l->mod_len = 0;
	if (*end == '\t' && end[1] == '[') {
		l->mod = end + 2;
		l->mod_len = strcspn(l->mod, "]\n");
		if (l->mod[l->mod_len] != ']')
			return false;
	}
	return true;
}

/* A line of n bytes as getline() read it: no NUL byte cuts it short. */
static bool whole_line(const char *line, ssize_t n)
{
	return !memchr(line, '\0', n);
}

static int parse_line(struct ct_ksyms *ks, const char *line)
{
	struct kline l;
	struct ksym *s;
	__u32 off;
	void *v;

	if (!split_line(line, &l))
		return 0;
	if (ks->n >= NO_MODULE)
		return -ENOMEM;
	v = ks->syms;
	if (ct_array_grow(&v, &ks->cap, ks->n + 1, sizeof(*s)))
		return -ENOMEM;
	ks->syms = v;
	if (add_name(ks, l.name, l.name_len, &off) ||
	    add_module(ks, ks->n, l.mod, l.mod_len))
		return -ENOMEM;
	s = &ks->syms[ks->n];
	s->addr = l.addr;
	s->name = off | (is_text(l.type) ? KSYM_TEXT : 0);
	s->order = ks->n;
	ks->nonzero |= l.addr != 0;
	ks->n++;
	return 0;
}

static int by_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;
	__u32 xt = x->name & KSYM_TEXT, yt = y->name & KSYM_TEXT;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* At one address, a function before a data marker, then file order. */
	if (xt != yt)
		return xt ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

struct ct_ksyms *ct_ksyms_parse(FILE *f)
{
	struct ct_ksyms *ks = calloc(1, sizeof(*ks));
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int err = 0;

	if (!ks)
		return NULL;
	while (!err && (n = getline(&line, &cap, f)) > 0)
		if (whole_line(line, n))
			err = parse_line(ks, line);
	free(line);
	if (err) {
		ct_ksyms_free(ks);
		errno = -err;
		return NULL;
	}
	if (ks->n)
		qsort(ks->syms, ks->n, sizeof(*ks->syms), by_addr);
	return ks;
}

struct ct_ksyms *ct_ksyms_load(void)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	struct ct_ksyms *ks;

	if (!f)
		return NULL;
	ks = ct_ksyms_parse(f);
	fclose(f);
	return ks;
}

/*
 * One pass, nothing kept: the kernel image's lines come sorted by address,
 * so the function ends at the first of them past its start (a __pfx_ line
 * there belongs to the next function). Modules' lines are not sorted:
 * neither a module's function nor a module's line as its end.
 */
int ct_ksyms_scan_name(FILE *f, const char *name, struct ct_ksym_range *r)
{
	size_t len = strlen(name), cap = 0;
	char *line = NULL;
	struct kline l;
	int err = -ENOENT;
	ssize_t n;

	r->start = r->end = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (!whole_line(line, n) || !split_line(line, &l) || l.mod)
			continue;
		if (r->start) {
			if (l.addr <= r->start)
				continue;
			r->end = l.addr;
			err = 0;
			break;
		}
		if (!is_text(l.type) || l.name_len != len ||
		    memcmp(l.name, name, len))
			continue;
		if (!l.addr) {
			err = -EPERM;
			break;
		}
		r->start = l.addr;
	}
	free(line);
	if (err)
		r->start = 0;
	return err;
}

int ct_ksyms_find_name(const char *name, struct ct_ksym_range *r)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	int err;

	r->start = r->end = 0;
	if (!f)
		return -errno;
	err = ct_ksyms_scan_name(f, name, r);
	fclose(f);
	return err;
}

bool ct_ksyms_scan_shown(FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	struct kline l;
	bool shown = false;
	ssize_t n;

	/*
	 * The first function's address: under kptr_restrict all are 0, but
	 * a kernel may list per-CPU symbols first, at 0 anyway (6.1 on
	 * x86_64: "0000000000000000 A fixed_percpu_data", 359 lines).
	 */
	while ((n = getline(&line, &cap, f)) > 0)
		if (whole_line(line, n) && split_line(line, &l) &&
		    is_text(l.type)) {
			shown = l.addr != 0;
			break;
		}
	free(line);
	return shown;
}

bool ct_ksyms_shown(void)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	bool shown;

	if (!f)
		return false;
	shown = ct_ksyms_scan_shown(f);
	fclose(f);
	return shown;
}

void ct_ksyms_free(struct ct_ksyms *ks)
{
	if (!ks)
		return;
	free(ks->syms);
	free(ks->strs);
	free(ks->runs);
	free(ks);
}

bool ct_ksyms_restricted(const struct ct_ksyms *ks)
{
	return ks->n && !ks->nonzero;
}

size_t ct_ksyms_count(const struct ct_ksyms *ks)
{
	return ks->n;
}

/* Where the symbol at i ends: the next address, or 0 for none. */
static unsigned long end_of(const struct ct_ksyms *ks, size_t i)
{
	unsigned long addr = ks->syms[i].addr;

	while (++i < ks->n)
		if (ks->syms[i].addr != addr)
			return ks->syms[i].addr;
	return 0;
}

int ct_ksyms_find(const struct ct_ksyms *ks, unsigned long addr,
		  struct ct_ksym *sym)
{
	const struct ksym *s;
	unsigned long end;
	long i;

	if (ct_ksyms_restricted(ks))
		return -EPERM;
	/* The first of those at that address: text sorts first there. */
	i = ct_addr_floor(ks->syms, ks->n, sizeof(*ks->syms),
			  offsetof(struct ksym, addr), addr);
	if (i < 0)
		return -ENOENT;
	s = &ks->syms[i];
	end = end_of(ks, i);
	if (!(s->name & KSYM_TEXT) || (!end && addr != s->addr) ||
	    (end && addr >= end))
		return -ENOENT;
	sym->name = ks->strs + (s->name & KSYM_NAME);
	sym->name_len = ct_sym_base_len(sym->name, strlen(sym->name));
	sym->module = module_of(ks, s->order);
	sym->offset = addr - s->addr;
	return 0;
}

/* Does s[0..len) end with tag followed by nothing or by .<digits>? */
static size_t strip_tag(const char *s, size_t len, const char *tag,
			bool need_digits)
{
	size_t t = strlen(tag);

	for (size_t i = len; i-- > 0;) {
		size_t j = i + t;

		if (s[i] != '.' || j > len || memcmp(s + i, tag, t))
			continue;
		if (j == len && !need_digits)
			return i;
		if (j < len && s[j] == '.' && !need_digits)
			j++;
		if (j == len)
			continue;
		while (j < len && isdigit((unsigned char)s[j]))
			j++;
		if (j == len)
			return i;
	}
	return len;
}

size_t ct_sym_base_len(const char *name, size_t len)
{
	size_t base = strip_tag(name, strip_tag(name, len, ".cold", false),
				".llvm.", true);

	return base ? base : len;
}
