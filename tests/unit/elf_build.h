/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small ELF64 files built in memory, for the tests and the fuzzer of the
 * symbolizer: a header, the sections given (with their data), .shstrtab
 * and the section headers; no program headers. And xz compression, for
 * MiniDebugInfo sections. Header-only: the unit tests and fuzz targets
 * are single files.
 */
#ifndef CT_ELF_BUILD_H
#define CT_ELF_BUILD_H

#include <elf.h>
#include <lzma.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct eb_sec {
	const char *name;
	uint32_t type;
	const void *data;
	size_t size;
	uint32_t link;		/* section index; 1: the first given */
	size_t entsize;
};

#define EB_ALIGN(x) (((x) + 7) & ~(size_t)7)

/* The name table: "\0" then each name; off[i] is secs[i]'s. */
static size_t eb_names(const struct eb_sec *secs, int n, char *buf,
		       uint32_t *off)
{
	size_t len = 1;

	if (buf)
		buf[0] = '\0';
	for (int i = 0; i <= n; i++) {
		const char *name = i < n ? secs[i].name : ".shstrtab";
		size_t l = strlen(name) + 1;

		if (buf) {
			memcpy(buf + len, name, l);
			off[i] = len;
		}
		len += l;
	}
	return len;
}

static void eb_header(Elf64_Ehdr *eh, uint16_t machine, size_t shoff,
		      int n)
{
	memset(eh, 0, sizeof(*eh));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
#else
	eh->e_ident[EI_DATA] = ELFDATA2MSB;
#endif
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_DYN;
	eh->e_machine = machine;
	eh->e_version = EV_CURRENT;
	eh->e_ehsize = sizeof(*eh);
	eh->e_shentsize = sizeof(Elf64_Shdr);
	eh->e_shoff = shoff;
	eh->e_shnum = n + 2;
	eh->e_shstrndx = n + 1;
}

/* An ELF file of machine with the n sections: malloc'ed, *len bytes. */
static unsigned char *eb_elf(const struct eb_sec *secs, int n,
			     uint16_t machine, size_t *len)
{
	size_t names_len = eb_names(secs, n, NULL, NULL), at, shoff;
	uint32_t name_off[n + 1];
	Elf64_Shdr *sh;
	unsigned char *img;

	shoff = sizeof(Elf64_Ehdr);
	for (int i = 0; i < n; i++)
		shoff += EB_ALIGN(secs[i].size);
	shoff = EB_ALIGN(shoff + names_len);
	*len = shoff + (n + 2) * sizeof(Elf64_Shdr);
	img = calloc(1, *len);
	if (!img)
		abort();
	eb_header((Elf64_Ehdr *)img, machine, shoff, n);
	sh = (Elf64_Shdr *)(img + shoff);
	at = sizeof(Elf64_Ehdr);
	for (int i = 0; i <= n; i++) {
		Elf64_Shdr *s = &sh[i + 1];

		s->sh_offset = at;
		s->sh_addralign = 1;
		if (i == n) {
			s->sh_type = SHT_STRTAB;
			s->sh_size = names_len;
			eb_names(secs, n, (char *)img + at, name_off);
			break;
		}
		s->sh_type = secs[i].type;
		s->sh_size = secs[i].size;
		s->sh_link = secs[i].link;
		s->sh_entsize = secs[i].entsize;
		if (secs[i].size)
			memcpy(img + at, secs[i].data, secs[i].size);
		at += EB_ALIGN(secs[i].size);
	}
	for (int i = 0; i <= n; i++)
		sh[i + 1].sh_name = name_off[i];
	return img;
}

/* data compressed with xz (the fastest preset): malloc'ed, *len bytes. */
static unsigned char *eb_xz(const void *data, size_t size, size_t *len)
{
	size_t cap = lzma_stream_buffer_bound(size);
	unsigned char *out = malloc(cap);

	*len = 0;
	if (!out || lzma_easy_buffer_encode(0, LZMA_CHECK_CRC64, NULL, data,
					    size, out, len, cap) != LZMA_OK)
		abort();
	return out;
}

/* An ELF file of machine whose .gnu_debugdata holds xz (xz_len bytes). */
static unsigned char *eb_minidebug(const void *xz, size_t xz_len,
				   uint16_t machine, size_t *len)
{
	struct eb_sec sec = { ".gnu_debugdata", SHT_PROGBITS, xz, xz_len,
			      0, 0 };

	return eb_elf(&sec, 1, machine, len);
}

#endif
