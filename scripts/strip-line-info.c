// SPDX-License-Identifier: GPL-2.0
/*
 * strip-line-info FILE: drop the line info from a BPF object's .BTF.ext,
 * in place, and the relocations that pointed into it.
 *
 * The line info maps each instruction to its source line, for the
 * verifier's messages and bpftool's dumps. Nothing else needs it, but
 * libbpf keeps it in memory for as long as the object is open (the whole
 * section, and a copy per program), which is for as long as a tool runs:
 * about 85 % of the section, 300 kB of opensnoop's resident memory. The
 * function info and the CO-RE relocations stay, moved up.
 */
#include <fcntl.h>
#include <gelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BTF_EXT_MAGIC 0xeB9F

/* The .BTF.ext header (the kernel's and libbpf's layout). */
struct ext_header {
	uint16_t magic;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	uint32_t func_off, func_len;
	uint32_t line_off, line_len;
	uint32_t core_off, core_len;	/* when hdr_len covers them */
};

/* Offsets are from the end of the header; the parts kept, in order. */
struct part {
	uint32_t *off, len, old_off;
};

static const char *prog;

static int fail(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, elf_errmsg(-1));
	return 1;
}

static Elf_Scn *find_section(Elf *elf, const char *name, size_t *index)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *n;

		if (!gelf_getshdr(scn, &sh))
			return NULL;
		n = elf_strptr(elf, shstrndx, sh.sh_name);
		if (n && !strcmp(n, name)) {
			*index = elf_ndxscn(scn);
			return scn;
		}
	}
	return NULL;
}

/* Where byte off of the old section is in the new one; -1: dropped. */
static int64_t moved(const struct ext_header *h, const struct part *p,
		     int n, uint64_t off)
{
	for (int i = 0; i < n; i++) {
		uint64_t start = h->hdr_len + p[i].old_off;

		if (off >= start && off < start + p[i].len)
			return off - start + h->hdr_len + *p[i].off;
	}
	return off < h->hdr_len ? (int64_t)off : -1;
}

static int fix_relocations(Elf *elf, size_t ext_index,
			   const struct ext_header *h, const struct part *p,
			   int n)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn))) {
		Elf_Data *d;
		GElf_Rel r;
		int kept = 0;

		if (!gelf_getshdr(scn, &sh))
			return fail("section header");
		if (sh.sh_info != ext_index ||
		    (sh.sh_type != SHT_REL && sh.sh_type != SHT_RELA))
			continue;
		if (sh.sh_type == SHT_RELA)
			return fail("RELA relocations of .BTF.ext");
		d = elf_getdata(scn, NULL);
		for (size_t i = 0; d && i < d->d_size / sh.sh_entsize; i++) {
			int64_t to;

			if (!gelf_getrel(d, i, &r))
				return fail("relocation");
			to = moved(h, p, n, r.r_offset);
			if (to < 0)
				continue;
			r.r_offset = to;
			gelf_update_rel(d, kept++, &r);
		}
		if (d) {
			d->d_size = kept * sh.sh_entsize;
			elf_flagdata(d, ELF_C_SET, ELF_F_DIRTY);
		}
	}
	return 0;
}

static int strip(Elf *elf)
{
	struct ext_header h = {};
	struct part p[2];
	Elf_Data *d;
	size_t index;
	Elf_Scn *scn = find_section(elf, ".BTF.ext", &index);
	char *buf, *body;
	uint32_t at = 0;
	int n = 0;

	if (!scn)
		return 0;		/* no BTF.ext: nothing to do */
	d = elf_getdata(scn, NULL);
	if (!d || d->d_size < 24)
		return fail("empty .BTF.ext");
	memcpy(&h, d->d_buf, d->d_size < sizeof(h) ? d->d_size : sizeof(h));
	if (h.magic != BTF_EXT_MAGIC || h.hdr_len > d->d_size)
		return fail("not a .BTF.ext of this byte order");
	if (!h.line_len)
		return 0;
	if (h.hdr_len < sizeof(h))
		h.core_off = h.core_len = 0;
	if (h.func_len)
		p[n++] = (struct part){ &h.func_off, h.func_len, h.func_off };
	if (h.core_len)
		p[n++] = (struct part){ &h.core_off, h.core_len, h.core_off };
	if (n == 2 && h.core_off < h.func_off) {
		struct part t = p[0];

		p[0] = p[1];
		p[1] = t;
	}
	buf = calloc(1, d->d_size);
	if (!buf)
		return fail("out of memory");
	body = (char *)d->d_buf + h.hdr_len;
	for (int i = 0; i < n; i++) {
		memcpy(buf + h.hdr_len + at, body + p[i].old_off, p[i].len);
		*p[i].off = at;
		at += p[i].len;
	}
	h.line_off = at;
	h.line_len = 0;
	if (fix_relocations(elf, index, &h, p, n))
		return 1;
	memcpy(buf, d->d_buf, h.hdr_len);
	memcpy(buf, &h, h.hdr_len < sizeof(h) ? h.hdr_len : sizeof(h));
	d->d_buf = buf;		/* libelf writes it; the process ends after */
	d->d_size = h.hdr_len + at;
	elf_flagdata(d, ELF_C_SET, ELF_F_DIRTY);
	return 0;
}

int main(int argc, char **argv)
{
	Elf *elf;
	int fd, err;

	prog = argv[0];
	if (argc != 2) {
		fprintf(stderr, "usage: %s BPF-OBJECT\n", prog);
		return 2;
	}
	elf_version(EV_CURRENT);
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	elf = elf_begin(fd, ELF_C_RDWR, NULL);
	if (!elf)
		return fail(argv[1]);
	err = strip(elf);
	if (!err && elf_update(elf, ELF_C_WRITE) < 0)
		err = fail("writing");
	elf_end(elf);
	close(fd);
	return err;
}
