// SPDX-License-Identifier: GPL-2.0
/* Kernel symbols from /proc/kallsyms. See ksyms.h. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ksyms.h"
#include "symtab.h"

struct ksym {
	unsigned long addr;
	size_t name;		/* offset in strs */
	size_t module;		/* offset in strs, or NO_MODULE */
	size_t order;		/* line: ties keep the file's order */
	bool text;
};

#define NO_MODULE ((size_t)-1)

struct ct_ksyms {
	struct ksym *syms;
	size_t n, cap;
	char *strs;
	size_t strs_len, strs_cap;
	size_t last_module;	/* modules come in runs: one copy each */
	bool nonzero;		/* some address was not zero */
};

static int add_str(struct ct_ksyms *ks, const char *s, size_t len,
		   size_t *off)
{
	void *p = ks->strs;
	int err = ct_array_grow(&p, &ks->strs_cap, ks->strs_len + len + 1, 1);

	ks->strs = p;
	if (err)
		return err;
	memcpy(ks->strs + ks->strs_len, s, len);
	ks->strs[ks->strs_len + len] = '\0';
	*off = ks->strs_len;
	ks->strs_len += len + 1;
	return 0;
}

static int add_module(struct ct_ksyms *ks, const char *m, size_t len,
		      size_t *off)
{
	if (ks->last_module != NO_MODULE &&
	    !strncmp(ks->strs + ks->last_module, m, len) &&
	    ks->strs[ks->last_module + len] == '\0') {
		*off = ks->last_module;
		return 0;
	}
	if (add_str(ks, m, len, off))
		return -ENOMEM;
	ks->last_module = *off;
	return 0;
}

/* Functions: text symbols, weak ones included. */
static bool is_text(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

/* "ffffffff81000000 T _text" or "... t name\t[module]". */
static int parse_line(struct ct_ksyms *ks, char *line)
{
	char *p = line, *end, *name, *mod = NULL;
	unsigned long addr;
	struct ksym *s;
	size_t mod_len = 0;
	char type;
	void *v;

	if (!isxdigit((unsigned char)*p))
		return 0;
	addr = strtoul(p, &end, 16);
	if (*end != ' ' || !end[1] || end[2] != ' ')
		return 0;
	type = end[1];
	name = end + 3;
	end = name + strcspn(name, " \t\n");
	if (end == name)
		return 0;
	if (*end == '\t' && end[1] == '[') {
		mod = end + 2;
		mod_len = strcspn(mod, "]\n");
		if (mod[mod_len] != ']')
			return 0;
	}
	*end = '\0';
	v = ks->syms;
	if (ct_array_grow(&v, &ks->cap, ks->n + 1, sizeof(*s)))
		return -ENOMEM;
	ks->syms = v;
	s = &ks->syms[ks->n];
	s->addr = addr;
	s->text = is_text(type);
	s->order = ks->n;
	s->module = NO_MODULE;
	if (add_str(ks, name, end - name, &s->name) ||
	    (mod && add_module(ks, mod, mod_len, &s->module)))
		return -ENOMEM;
	ks->nonzero |= addr != 0;
	ks->n++;
	return 0;
}

static int by_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* At one address, a function before a data marker, then file order. */
	if (x->text != y->text)
		return x->text ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

struct ct_ksyms *ct_ksyms_parse(FILE *f)
{
	struct ct_ksyms *ks = calloc(1, sizeof(*ks));
	char *line = NULL;
	size_t cap = 0;
	int err = 0;

	if (!ks)
		return NULL;
	ks->last_module = NO_MODULE;
	while (!err && getline(&line, &cap, f) > 0)
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

void ct_ksyms_free(struct ct_ksyms *ks)
{
	if (!ks)
		return;
	free(ks->syms);
	free(ks->strs);
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
	if (!s->text || (!end && addr != s->addr) || (end && addr >= end))
		return -ENOENT;
	sym->name = ks->strs + s->name;
	sym->name_len = ct_sym_base_len(sym->name, strlen(sym->name));
	sym->module = s->module == NO_MODULE ? NULL : ks->strs + s->module;
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
