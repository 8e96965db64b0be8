// SPDX-License-Identifier: GPL-2.0
/* Function offsets and library lookup in ELF files, for uprobes. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <glob.h>
#include <libelf.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "elf_symbols.h"
#include "xz.h"

/* Nested "include" lines of ld.so.conf followed at most this deep. */
#define CONF_MAX_DEPTH 8

struct elf_file {
	int fd;
	Elf *elf;
	GElf_Ehdr ehdr;
};

int ct_open_regular(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}

FILE *ct_fopen_regular(const char *path)
{
	int fd = ct_open_regular(path);
	FILE *f;

	if (fd < 0)
		return NULL;
	f = fdopen(fd, "r");
	if (!f)
		close(fd);
	return f;
}

static int elf_open(const char *path, struct elf_file *f)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOEXEC;
	f->fd = ct_open_regular(path);
	if (f->fd < 0)
		return -errno;
	f->elf = elf_begin(f->fd, ELF_C_READ, NULL);
	if (!f->elf || elf_kind(f->elf) != ELF_K_ELF ||
	    !gelf_getehdr(f->elf, &f->ehdr)) {
		if (f->elf)
			elf_end(f->elf);
		close(f->fd);
		return -ENOEXEC;
	}
	return 0;
}

static void elf_close(struct elf_file *f)
{
	elf_end(f->elf);
	close(f->fd);
}

/* "readline" matches "readline" and the versioned "readline@@V8". */
static bool name_matches(const char *name, const char *sym, size_t len)
{
	return name && !strncmp(name, sym, len) &&
	       (name[len] == '\0' || name[len] == '@');
}

/* The value of the defined function sym in the sections of one type. */
static bool find_in_symtab(Elf *elf, Elf64_Word type, const char *sym,
			   GElf_Addr *value)
{
	size_t len = strlen(sym);
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		Elf_Data *data;
		size_t i, n;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != type ||
		    !shdr.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		n = shdr.sh_size / shdr.sh_entsize;
		for (i = 0; i < n; i++) {
			GElf_Sym s;

			if (!gelf_getsym(data, i, &s) ||
			    GELF_ST_TYPE(s.st_info) != STT_FUNC ||
			    s.st_shndx == SHN_UNDEF || !s.st_value)
				continue;
			if (name_matches(elf_strptr(elf, shdr.sh_link,
						    s.st_name), sym, len)) {
				*value = s.st_value;
				return true;
			}
		}
	}
	return false;
}

/*
 * A symbol's value is a virtual address (relative to the load base in PIE
 * executables and shared objects); the loadable segment holding it says
 * where those bytes are in the file.
 */
static int addr_to_offset(Elf *elf, GElf_Addr addr, unsigned long *offset)
{
	size_t i, n;

	if (elf_getphdrnum(elf, &n))
		return -ENOEXEC;
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (addr >= ph.p_vaddr && addr < ph.p_vaddr + ph.p_filesz) {
			*offset = addr - ph.p_vaddr + ph.p_offset;
			return 0;
		}
	}
	return -ENOEXEC;
}

int ct_elf_func_offset(const char *path, const char *sym,
		       unsigned long *offset)
{
	struct elf_file f;
	GElf_Addr value;
	int err;

	err = elf_open(path, &f);
	if (err)
		return err;
	if (find_in_symtab(f.elf, SHT_SYMTAB, sym, &value) ||
	    find_in_symtab(f.elf, SHT_DYNSYM, sym, &value))
		err = addr_to_offset(f.elf, value, offset);
	else
		err = -ESRCH;
	elf_close(&f);
	return err;
}

/* A library search in progress: what is wanted, and where it goes. */
struct lib_search {
	const char *root;	/* "" for the host */
	const char *name;
	unsigned char class;	/* ELFCLASS32/64 of the program */
	GElf_Half machine;
	char *out;
	size_t size;
};

static bool same_kind(const char *path, const struct lib_search *s)
{
	struct elf_file f;
	bool ok;

	if (elf_open(path, &f))
		return false;
	ok = f.ehdr.e_ident[EI_CLASS] == s->class &&
	     f.ehdr.e_machine == s->machine;
	elf_close(&f);
	return ok;
}

/* Is the library file prefix + rest? Then its path is in s->out. */
static bool try_path(struct lib_search *s, const char *prefix,
		     const char *rest, size_t rest_len)
{
	char path[PATH_MAX];
	int n;

	n = snprintf(path, sizeof(path), "%s%.*s", prefix, (int)rest_len,
		     rest);
	if (n < 0 || (size_t)n >= sizeof(path) || (size_t)n >= s->size)
		return false;
	if (!same_kind(path, s))
		return false;
	memcpy(s->out, path, n + 1);
	return true;
}

/* Is the library in the directory prefix + dir? */
static bool try_dir(struct lib_search *s, const char *prefix,
		    const char *dir, size_t dir_len)
{
	char rest[PATH_MAX];
	int n;

	if (!dir_len)
		return false;
	n = snprintf(rest, sizeof(rest), "%.*s/%s", (int)dir_len, dir,
		     s->name);
	return n > 0 && (size_t)n < sizeof(rest) &&
	       try_path(s, prefix, rest, n);
}

/* A colon-separated DT_RPATH/DT_RUNPATH; $ORIGIN is the program's dir. */
static bool try_rpath(struct lib_search *s, const char *list,
		      const char *origin)
{
	while (list && *list) {
		size_t len = strcspn(list, ":");
		char dir[PATH_MAX];
		int n;

		if (!strncmp(list, "$ORIGIN", 7) ||
		    !strncmp(list, "${ORIGIN}", 9)) {
			size_t skip = list[1] == '{' ? 9 : 7;

			n = snprintf(dir, sizeof(dir), "%s%.*s", origin,
				     (int)(len - skip), list + skip);
			if (n > 0 && (size_t)n < sizeof(dir) &&
			    try_dir(s, "", dir, n))
				return true;
		} else if (try_dir(s, s->root, list, len)) {
			return true;
		}
		list += len;
		if (*list == ':')
			list++;
	}
	return false;
}

static bool try_conf(struct lib_search *s, const char *conf, int depth);

/* "include PATTERN...": patterns are relative to the including file. */
static bool try_include(struct lib_search *s, const char *conf, char *args,
			int depth)
{
	char *save = NULL, *pat;

	for (pat = strtok_r(args, " \t", &save); pat;
	     pat = strtok_r(NULL, " \t", &save)) {
		char full[PATH_MAX];
		const char *slash = strrchr(conf, '/');
		glob_t g;
		size_t i;
		bool found = false;
		int n;

		if (*pat == '/')
			n = snprintf(full, sizeof(full), "%s%s", s->root, pat);
		else
			n = snprintf(full, sizeof(full), "%.*s/%s",
				     slash ? (int)(slash - conf) : 1,
				     slash ? conf : ".", pat);
		if (n < 0 || (size_t)n >= sizeof(full))
			continue;
		if (glob(full, 0, NULL, &g))
			continue;
		for (i = 0; i < g.gl_pathc && !found; i++)
			found = try_conf(s, g.gl_pathv[i], depth + 1);
		globfree(&g);
		if (found)
			return true;
	}
	return false;
}

/* One line of ld.so.conf: directories, "include ..." or "hwcap ...". */
static bool try_conf_line(struct lib_search *s, const char *conf, char *line,
			  int depth)
{
	char *save = NULL, *dir;

	line[strcspn(line, "#\n")] = '\0';
	line += strspn(line, " \t");
	if (!strncmp(line, "include", 7) && (line[7] == ' ' ||
					     line[7] == '\t'))
		return try_include(s, conf, line + 8, depth);
	if (!strncmp(line, "hwcap", 5) && (line[5] == ' ' || line[5] == '\t'))
		return false;
	for (dir = strtok_r(line, " \t,:", &save); dir;
	     dir = strtok_r(NULL, " \t,:", &save)) {
		/* Old ldconfig syntax "DIR=TYPE". */
		if (try_dir(s, s->root, dir, strcspn(dir, "=")))
			return true;
	}
	return false;
}

static bool try_conf(struct lib_search *s, const char *conf, int depth)
{
	char *line = NULL;
	size_t cap = 0;
	bool found = false;
	FILE *f;

	if (depth > CONF_MAX_DEPTH)
		return false;
	f = ct_fopen_regular(conf);
	if (!f)
		return false;
	while (!found && getline(&line, &cap, f) > 0)
		found = try_conf_line(s, conf, line, depth);
	free(line);
	fclose(f);
	return found;
}

/* Debian's multiarch directory name of a machine, or NULL. */
static const char *multiarch(const struct lib_search *s)
{
	bool is64 = s->class == ELFCLASS64;

	switch (s->machine) {
	case EM_X86_64:
		return is64 ? "x86_64-linux-gnu" : "x86_64-linux-gnux32";
	case EM_386:
		return "i386-linux-gnu";
	case EM_AARCH64:
		return "aarch64-linux-gnu";
	case EM_ARM:
		return "arm-linux-gnueabihf";
	case EM_RISCV:
		return "riscv64-linux-gnu";
	case EM_PPC64:
		return "powerpc64le-linux-gnu";
	case EM_S390:
		return "s390x-linux-gnu";
	default:
		return NULL;
	}
}

static bool try_defaults(struct lib_search *s)
{
	static const char *const dirs[] = { "/lib64", "/usr/lib64", "/lib",
					    "/usr/lib" };
	const char *triple = multiarch(s);
	char dir[64];
	size_t i;

	for (i = 0; triple && i < 2; i++) {
		snprintf(dir, sizeof(dir), "%s/%s", i ? "/usr/lib" : "/lib",
			 triple);
		if (try_dir(s, s->root, dir, strlen(dir)))
			return true;
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (s->class != ELFCLASS64 && strstr(dirs[i], "64"))
			continue;
		if (try_dir(s, s->root, dirs[i], strlen(dirs[i])))
			return true;
	}
	return false;
}

/* The string of dynamic entry tag in the section scn, or NULL. */
static const char *dyn_string(Elf *elf, Elf_Scn *scn, Elf64_Sxword tag)
{
	GElf_Shdr shdr;
	Elf_Data *data;
	size_t i;

	if (!gelf_getshdr(scn, &shdr) || !shdr.sh_entsize)
		return NULL;
	data = elf_getdata(scn, NULL);
	for (i = 0; data && i < shdr.sh_size / shdr.sh_entsize; i++) {
		GElf_Dyn dyn;

		if (!gelf_getdyn(data, i, &dyn) || dyn.d_tag == DT_NULL)
			break;
		if (dyn.d_tag == tag)
			return elf_strptr(elf, shdr.sh_link, dyn.d_un.d_val);
	}
	return NULL;
}

static Elf_Scn *dynamic_section(Elf *elf)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;

		if (gelf_getshdr(scn, &shdr) && shdr.sh_type == SHT_DYNAMIC)
			return scn;
	}
	return NULL;
}

/* Search for s->name on behalf of the open program f at path. */
static int search_library(struct lib_search *s, struct elf_file *f,
			  const char *path)
{
	Elf_Scn *dyn = dynamic_section(f->elf);
	const char *runpath = dyn ? dyn_string(f->elf, dyn, DT_RUNPATH) : NULL;
	const char *rpath = dyn ? dyn_string(f->elf, dyn, DT_RPATH) : NULL;
	const char *slash = strrchr(path, '/');
	char origin[PATH_MAX], conf[PATH_MAX];

	s->class = f->ehdr.e_ident[EI_CLASS];
	s->machine = f->ehdr.e_machine;
	if (strchr(s->name, '/'))
		return try_path(s, s->root, s->name, strlen(s->name)) ?
			       0 : -ENOENT;
	snprintf(origin, sizeof(origin), "%.*s",
		 slash ? (int)(slash - path) : 1, slash ? path : ".");
	/* DT_RPATH counts only without DT_RUNPATH, and before the cache. */
	if (!runpath && try_rpath(s, rpath, origin))
		return 0;
	if (try_rpath(s, runpath, origin))
		return 0;
	snprintf(conf, sizeof(conf), "%s/etc/ld.so.conf", s->root);
	if (try_conf(s, conf, 0) || try_defaults(s))
		return 0;
	return -ENOENT;
}

int ct_elf_find_library(const char *path, const char *root, const char *name,
			char *out, size_t size)
{
	struct lib_search s = { .root = root ? root : "", .name = name,
				.out = out, .size = size };
	struct elf_file f;
	int err;

	err = elf_open(path, &f);
	if (err)
		return err;
	err = search_library(&s, &f, path);
	elf_close(&f);
	return err;
}

int ct_elf_needed_provider(const char *path, const char *root,
			   const char *sym, char *out, size_t size)
{
	struct lib_search s = { .root = root ? root : "", .out = out,
				.size = size };
	struct elf_file f;
	GElf_Shdr shdr;
	Elf_Data *data;
	Elf_Scn *dyn;
	size_t i;
	int err;

	err = elf_open(path, &f);
	if (err)
		return err;
	err = -ESRCH;
	dyn = dynamic_section(f.elf);
	data = dyn && gelf_getshdr(dyn, &shdr) && shdr.sh_entsize ?
		       elf_getdata(dyn, NULL) : NULL;
	for (i = 0; data && i < shdr.sh_size / shdr.sh_entsize; i++) {
		unsigned long off;
		GElf_Dyn d;

		if (!gelf_getdyn(data, i, &d) || d.d_tag == DT_NULL)
			break;
		if (d.d_tag != DT_NEEDED)
			continue;
		s.name = elf_strptr(f.elf, shdr.sh_link, d.d_un.d_val);
		if (!s.name || search_library(&s, &f, path))
			continue;
		if (!ct_elf_func_offset(out, sym, &off)) {
			err = 0;
			break;
		}
	}
	elf_close(&f);
	return err;
}

static void read_loads(Elf *elf, struct ct_elf_info *info)
{
	size_t i, n;

	if (elf_getphdrnum(elf, &n))
		return;
	for (i = 0; i < n && info->n_loads < CT_ELF_MAX_LOADS; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		info->loads[info->n_loads].vaddr = ph.p_vaddr;
		info->loads[info->n_loads].offset = ph.p_offset;
		info->loads[info->n_loads].filesz = ph.p_filesz;
		info->n_loads++;
	}
}

static void read_build_id(Elf_Data *data, struct ct_elf_info *info)
{
	size_t off = 0, name_off, desc_off;
	GElf_Nhdr nh;

	while ((off = gelf_getnote(data, off, &nh, &name_off, &desc_off))) {
		if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
		    memcmp((char *)data->d_buf + name_off, "GNU", 4) ||
		    !nh.n_descsz || nh.n_descsz > CT_ELF_BUILD_ID_MAX)
			continue;
		memcpy(info->build_id, (char *)data->d_buf + desc_off,
		       nh.n_descsz);
		info->build_id_len = nh.n_descsz;
		return;
	}
}

/* ".gnu_debuglink": a file name, NUL, padding to 4, its CRC-32. */
static void read_debuglink(Elf_Data *data, struct ct_elf_info *info)
{
	const char *s = data->d_buf;
	size_t len, crc_off;
	uint32_t crc;

	if (!s || !data->d_size)
		return;
	len = strnlen(s, data->d_size);
	crc_off = (len + 4) & ~(size_t)3;
	if (!len || len >= sizeof(info->debuglink) ||
	    crc_off + 4 > data->d_size || memchr(s, '/', len))
		return;
	memcpy(info->debuglink, s, len + 1);
	memcpy(&crc, s + crc_off, 4);
	info->debuglink_crc = crc;
}

static void add_funcs(Elf *elf, Elf_Scn *scn, const GElf_Shdr *shdr,
		      struct ct_symtab *syms)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t i, n;

	if (!data || !shdr->sh_entsize)
		return;
	n = data->d_size / shdr->sh_entsize;
	for (i = 0; i < n; i++) {
		const char *name;
		GElf_Sym s;
		int type;

		if (!gelf_getsym(data, i, &s))
			continue;
		type = GELF_ST_TYPE(s.st_info);
		if ((type != STT_FUNC && type != STT_GNU_IFUNC) ||
		    s.st_shndx == SHN_UNDEF || !s.st_value)
			continue;
		name = elf_strptr(elf, shdr->sh_link, s.st_name);
		if (name && *name &&
		    ct_symtab_add(syms, s.st_value, s.st_size, name,
				  strlen(name)))
			return;
	}
}

/* Which of .symtab and .dynsym to take functions from. */
static Elf_Scn *symbol_section(Elf *elf, bool *has_symtab)
{
	Elf_Scn *scn = NULL, *dynsym = NULL;
	GElf_Shdr shdr;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &shdr))
			continue;
		if (shdr.sh_type == SHT_SYMTAB) {
			*has_symtab = true;
			return scn;
		}
		if (shdr.sh_type == SHT_DYNSYM)
			dynsym = scn;
	}
	return dynsym;
}

static void read_sections(Elf *elf, struct ct_elf_info *info)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;
		Elf_Data *data;
		GElf_Shdr shdr;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type == SHT_NOBITS)
			continue;
		name = elf_strptr(elf, shstrndx, shdr.sh_name);
		if (shdr.sh_type == SHT_NOTE && !info->build_id_len &&
		    (data = elf_getdata(scn, NULL)))
			read_build_id(data, info);
		else if (name && !strcmp(name, ".gnu_debuglink") &&
			 (data = elf_getdata(scn, NULL)))
			read_debuglink(data, info);
		else if (name && !strcmp(name, ".gnu_debugdata"))
			info->has_minidebug = true;
	}
}

static int read_elf(Elf *elf, struct ct_elf_info *info,
		    struct ct_symtab *syms)
{
	GElf_Ehdr ehdr;
	Elf_Scn *scn;

	memset(info, 0, sizeof(*info));
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &ehdr))
		return -ENOEXEC;
	read_loads(elf, info);
	read_sections(elf, info);
	scn = symbol_section(elf, &info->has_symtab);
	if (syms && scn) {
		GElf_Shdr shdr;

		if (gelf_getshdr(scn, &shdr))
			add_funcs(elf, scn, &shdr, syms);
	}
	return 0;
}

static Elf *fd_elf(int fd)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		return NULL;
	return elf_begin(fd, ELF_C_READ, NULL);
}

/*
 * libelf may write to an image it converts: it gets a copy (*copy, to free
 * after elf_end()), never the original.
 */
static Elf *mem_elf(const void *image, size_t size, char **copy)
{
	Elf *elf;

	*copy = NULL;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return NULL;
	*copy = malloc(size ? size : 1);
	if (!*copy)
		return NULL;
	memcpy(*copy, image, size);
	elf = elf_memory(*copy, size);
	if (!elf) {
		free(*copy);
		*copy = NULL;
	}
	return elf;
}

int ct_elf_read_fd(int fd, struct ct_elf_info *info, struct ct_symtab *syms)
{
	Elf *elf = fd_elf(fd);
	int err;

	err = read_elf(elf, info, syms);
	if (elf)
		elf_end(elf);
	return err;
}

int ct_elf_read_mem(const void *image, size_t size, struct ct_elf_info *info,
		    struct ct_symtab *syms)
{
	char *copy;
	Elf *elf = mem_elf(image, size, &copy);
	int err;

	err = read_elf(elf, info, syms);
	if (elf)
		elf_end(elf);
	free(copy);
	return err;
}

/* The section called name, or NULL. */
static Elf_Scn *named_section(Elf *elf, const char *name)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *s;
		GElf_Shdr shdr;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type == SHT_NOBITS)
			continue;
		s = elf_strptr(elf, shstrndx, shdr.sh_name);
		if (s && !strcmp(s, name))
			return scn;
	}
	return NULL;
}

/*
 * The functions of a MiniDebugInfo's ELF image (ours: libelf may write
 * to it), if it describes the same kind of file as the outer one.
 */
static int read_inner(char *image, size_t size, const GElf_Ehdr *outer,
		      struct ct_symtab *syms)
{
	Elf *elf = elf_memory(image, size);
	bool has_symtab = false;
	GElf_Ehdr ehdr;
	GElf_Shdr shdr;
	Elf_Scn *scn;
	int err = -ENOEXEC;

	if (!elf)
		return -ENOEXEC;
	if (elf_kind(elf) == ELF_K_ELF && gelf_getehdr(elf, &ehdr) &&
	    ehdr.e_ident[EI_CLASS] == outer->e_ident[EI_CLASS] &&
	    ehdr.e_machine == outer->e_machine) {
		scn = symbol_section(elf, &has_symtab);
		if (has_symtab && gelf_getshdr(scn, &shdr)) {
			add_funcs(elf, scn, &shdr, syms);
			err = 0;
		}
	}
	elf_end(elf);
	return err;
}

static int read_minidebug(Elf *elf, struct ct_symtab *syms)
{
	Elf_Data *data = NULL;
	GElf_Ehdr ehdr;
	Elf_Scn *scn;
	size_t size;
	void *image;
	int err;

	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &ehdr))
		return -ENOEXEC;
	scn = named_section(elf, ".gnu_debugdata");
	if (scn)
		data = elf_rawdata(scn, NULL);
	if (!data || !data->d_buf)
		return -ENOENT;
	err = ct_xz_decompress(data->d_buf, data->d_size, CT_MINIDEBUG_MAX,
			       &image, &size);
	if (err)
		return err;
	err = read_inner(image, size, &ehdr, syms);
	free(image);
	return err;
}

int ct_elf_read_minidebug_fd(int fd, struct ct_symtab *syms)
{
	Elf *elf = fd_elf(fd);
	int err;

	err = read_minidebug(elf, syms);
	if (elf)
		elf_end(elf);
	return err;
}

int ct_elf_read_minidebug_mem(const void *image, size_t size,
			      struct ct_symtab *syms)
{
	char *copy;
	Elf *elf = mem_elf(image, size, &copy);
	int err;

	err = read_minidebug(elf, syms);
	if (elf)
		elf_end(elf);
	free(copy);
	return err;
}

int ct_elf_offset_to_vaddr(const struct ct_elf_info *info, unsigned long off,
			   unsigned long *vaddr)
{
	for (int i = 0; i < info->n_loads; i++) {
		unsigned long start = info->loads[i].offset;

		if (off >= start && off - start < info->loads[i].filesz) {
			*vaddr = off - start + info->loads[i].vaddr;
			return 0;
		}
	}
	return -ENOENT;
}
