# SPDX-License-Identifier: GPL-2.0
# coretrace: libbpf CO-RE tracing tools.
#
#   make                 build every tool into build/bin/
#   make STATIC=1        fully static binaries (into build/static/bin/)
#   make SANITIZE=1      user space with ASan+UBSan (into build/sanitize/bin/)
#   make check           unit and runtime tests (runtime tests need root)
#   make install         DESTDIR, PREFIX, BINDIR, MANDIR, TOOL_PREFIX, TOOL_SUFFIX
#   make deb             Debian package into build/deb/ (docs/PACKAGING.md)
#   make vmlinux         regenerate vmlinux/<arch>/vmlinux.h from this kernel
#   make deps            install build, test and CI dependencies (apt-get)
#   make check-fresh     the README's quick start in fresh Debian chroots
#   make V=1             show the commands

# The VERSION file, plus git describe in a git checkout: scripts/version.sh.
VERSION := $(shell sh scripts/version.sh)

CLANG ?= clang
CC ?= gcc
BPFTOOL ?= bpftool
LLVM_STRIP ?= llvm-strip
PKG_CONFIG ?= pkg-config

ARCH ?= $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' \
	-e 's/riscv64/riscv/' -e 's/ppc64le/powerpc/' -e 's/s390x/s390/')

ifeq ($(STATIC),1)
OUT ?= build/static
else ifeq ($(SANITIZE),1)
OUT ?= build/sanitize
else
OUT ?= build
endif
OBJ := $(OUT)/obj
BIN := $(OUT)/bin

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

TOOLS := $(sort $(notdir $(wildcard tools/*)))
COMMON_SRCS := $(wildcard common/*.c)
COMMON_OBJS := $(patsubst common/%.c,$(OBJ)/common/%.o,$(COMMON_SRCS))

LIBBPF_CFLAGS := $(shell $(PKG_CONFIG) --cflags libbpf)
# liblzma: the symbolizer decompresses MiniDebugInfo (common/xz.c).
ifeq ($(STATIC),1)
LIBBPF_LIBS := $(shell $(PKG_CONFIG) --static --libs libbpf) -lzstd -llzma
LDFLAGS_EXTRA := -static
CFLAGS_EXTRA := -DCT_STATIC
else
LIBBPF_LIBS := $(shell $(PKG_CONFIG) --libs libbpf) -lelf -lz -llzma
endif

WARN := -Wall -Wextra -Werror
CFLAGS ?= -g -O2
ALL_CFLAGS := $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE \
	$(CFLAGS_EXTRA) -DCT_VERSION='"$(VERSION)"' -Icommon -I$(OBJ) $(LIBBPF_CFLAGS) -MMD -MP
ifeq ($(SANITIZE),1)
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
LDFLAGS_EXTRA += -fsanitize=address,undefined
endif

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
	-I vmlinux/$(ARCH) -Icommon -Icommon/bpf $(LIBBPF_CFLAGS) -MMD -MP
# clang -target bpf does not see the host's multiarch include directory.
BPF_CFLAGS += $(shell $(CLANG) -v -E - </dev/null 2>&1 | \
	sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')

.PHONY: all clean check unit-tests runtime-tests install uninstall vmlinux deb \
	deps helpers man check-kernels check-fresh
.DELETE_ON_ERROR:
.SECONDARY:

# tools/T/aliases: other names of tool T, one a line (killsnoop for
# sigsnoop), which the binary tells apart by argv[0]: each is a link to T,
# in the build as installed.
aliases_of = $(if $(wildcard tools/$(1)/aliases),$(shell cat tools/$(1)/aliases))
ALIASES := $(foreach t,$(TOOLS),$(call aliases_of,$(t)))

all: $(addprefix $(BIN)/,$(TOOLS) $(ALIASES)) helpers man

# Man pages: man/T.8 has a marker where the FLEET section, common to every
# tool, goes; the installed page is $(OUT)/man/T.8 (scripts/gen-man.sh).
MAN_SRCS := $(wildcard $(addprefix man/,$(addsuffix .8,$(TOOLS))))
MANPAGES := $(patsubst man/%,$(OUT)/man/%,$(MAN_SRCS))
MAN_TEMPLATES := $(wildcard man/fleet-*.8.in)
man: $(MANPAGES)

$(OUT)/man/%.8: man/%.8 $(MAN_TEMPLATES) scripts/gen-man.sh
	$(call msg,GEN-MAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)sh scripts/gen-man.sh $< $* man $(call aliases_of,$*) > $@
$(foreach t,$(TOOLS),$(if $(wildcard tools/$(t)/aliases),\
	$(eval $(OUT)/man/$(t).8: tools/$(t)/aliases)))

$(OBJ)/common/%.o: common/%.c | $(OBJ)/common
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

# --version is compiled into common/tool.c: rebuild it when VERSION changes.
$(OBJ)/version.stamp: FORCE | $(OBJ)
	$(Q)echo '$(VERSION)' | cmp -s - $@ || echo '$(VERSION)' > $@
$(OBJ)/common/tool.o: $(OBJ)/version.stamp
.PHONY: FORCE

$(OBJ)/libcommon.a: $(COMMON_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# The BPF objects' line info (instruction to source line, for the
# verifier's messages) is stripped: libbpf keeps it in memory for as long
# as a tool runs (scripts/strip-line-info.c). BPF_LINE_INFO=1 keeps it.
STRIP_LINE_INFO := $(OBJ)/strip-line-info
$(STRIP_LINE_INFO): scripts/strip-line-info.c | $(OBJ)
	$(call msg,HOSTCC,$@)
	$(Q)$(CC) -O2 $(WARN) -std=gnu11 $< -lelf -o $@
ifeq ($(BPF_LINE_INFO),1)
strip_line_info = :
else
strip_line_info = $(STRIP_LINE_INFO)
endif

# Per-tool rules: tools/T/T.bpf.c -> T.bpf.o -> T.skel.h; tools/T/T.c -> T.o.
# The skeleton embeds the object: it keeps its BTF, not its DWARF nor its
# line info.
# The front end's dependency on its skeleton has to be spelled out: -MMD
# learns it only after the first build.
define tool_rules
$(OBJ)/$(1).bpf.o: tools/$(1)/$(1).bpf.c $(STRIP_LINE_INFO) | $(OBJ)
	$$(call msg,BPF,$$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -Itools/$(1) -c $$< -o $$@
	$(Q)$(LLVM_STRIP) -g $$@
	$(Q)$(strip_line_info) $$@

$(OBJ)/$(1).skel.h: $(OBJ)/$(1).bpf.o
	$$(call msg,GEN-SKEL,$$@)
	$(Q)$(BPFTOOL) gen skeleton $$< name $(subst -,_,$(1))_bpf > $$@

$(OBJ)/$(1).o: tools/$(1)/$(1).c $(OBJ)/$(1).skel.h | $(OBJ)
	$$(call msg,CC,$$@)
	$(Q)$(CC) $(ALL_CFLAGS) -Itools/$(1) -c $$< -o $$@
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rules,$(t))))

define alias_rule
$(BIN)/$(2): $(BIN)/$(1)
	$$(call msg,LN,$$@)
	$(Q)ln -sf $(1) $$@
endef
$(foreach t,$(TOOLS),$(foreach a,$(call aliases_of,$(t)),\
	$(eval $(call alias_rule,$(t),$(a)))))

$(BIN)/%: $(OBJ)/%.o $(OBJ)/libcommon.a | $(BIN)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS_EXTRA) $(LDFLAGS) $^ $(LIBBPF_LIBS) -o $@

$(OBJ) $(OBJ)/common $(BIN) $(OBJ)/tests:
	$(Q)mkdir -p $@

-include $(wildcard $(OBJ)/*.d $(OBJ)/common/*.d $(OBJ)/tests/*.d)

# Test helpers: small programs that cause kernel events on demand.
HELPER_SRCS := $(wildcard tests/helpers/*.c)
HELPERS := $(patsubst tests/helpers/%.c,$(BIN)/tests/%,$(HELPER_SRCS))
helpers: $(HELPERS)

$(BIN)/tests/%: tests/helpers/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE -static $< -o $@

# profile's test program (tests/helpers/profile/): a known call chain kept
# by frame pointers; static (it runs in the test guests too) as a non-PIE
# and a PIE, and stripped copies of the first: one names its debug file
# (.gnu_debuglink), which holds its functions; the other only has the
# build ID that names that file under /usr/lib/debug/.build-id.
OBJCOPY ?= objcopy
PROFILE_HELPER := $(BIN)/tests/ct-profile
PROFILE_HELPER_CFLAGS := -g -O0 -fno-omit-frame-pointer $(WARN) -std=gnu11 \
	-D_GNU_SOURCE
helpers: $(PROFILE_HELPER) $(PROFILE_HELPER)-pie $(PROFILE_HELPER)-stripped \
	$(PROFILE_HELPER)-nolink
$(PROFILE_HELPER): tests/helpers/profile/ct-profile.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(PROFILE_HELPER_CFLAGS) -static -no-pie $< -o $@
$(PROFILE_HELPER)-pie: tests/helpers/profile/ct-profile.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(PROFILE_HELPER_CFLAGS) -fPIE -static-pie $< -o $@
$(PROFILE_HELPER)-stripped: $(PROFILE_HELPER)
	$(call msg,STRIP,$@)
	$(Q)cd $(@D) && $(OBJCOPY) --only-keep-debug ct-profile \
		ct-profile-stripped.debug && \
		$(OBJCOPY) --strip-all \
		--add-gnu-debuglink=ct-profile-stripped.debug ct-profile \
		ct-profile-stripped
$(PROFILE_HELPER)-nolink: $(PROFILE_HELPER)
	$(call msg,STRIP,$@)
	$(Q)$(OBJCOPY) --strip-all $< $@

# A stripped PIE with MiniDebugInfo (.gnu_debugdata), as Fedora's are: its
# .dynsym has prof_b (exported), the other functions are only in the
# MiniDebugInfo (tests/helpers/profile/minidebug.sh); -nomini is the same
# stripped file without it.
helpers: $(PROFILE_HELPER)-mini $(PROFILE_HELPER)-nomini
$(OBJ)/helpers/ct-profile-dynsym: tests/helpers/profile/ct-profile.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(PROFILE_HELPER_CFLAGS) -fPIE -static-pie \
		-Wl,--export-dynamic-symbol=prof_b $< -o $@
$(PROFILE_HELPER)-mini: $(OBJ)/helpers/ct-profile-dynsym \
		tests/helpers/profile/minidebug.sh
	$(call msg,MINIDBG,$@)
	$(Q)mkdir -p $(@D)
	$(Q)OBJCOPY=$(OBJCOPY) sh tests/helpers/profile/minidebug.sh $< $@
$(PROFILE_HELPER)-nomini: $(OBJ)/helpers/ct-profile-dynsym
	$(call msg,STRIP,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(OBJCOPY) --strip-all $< $@

# offcputime's and wakeuptime's test program (tests/helpers/offcpu/): call
# chains kept by frame pointers, as profile's; static, for the guests too.
OFFCPU_HELPER := $(BIN)/tests/ct-offcpu
helpers: $(OFFCPU_HELPER)
$(OFFCPU_HELPER): tests/helpers/offcpu/ct-offcpu.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(PROFILE_HELPER_CFLAGS) -static -no-pie -pthread $< -o $@

# Helpers in tests/helpers/common/ test parts of common/: they link it.
LINKED_HELPERS := $(patsubst tests/helpers/common/%.c,$(BIN)/tests/%,\
	$(wildcard tests/helpers/common/*.c))
helpers: $(LINKED_HELPERS)
$(OBJ)/helpers/%.o: tests/helpers/common/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

# A linked helper X.c may come with a BPF object tests/helpers/bpf/X.bpf.c:
# its skeleton is "helpers/X.skel.h", named X_bpf ('-' becomes '_').
HELPER_BPF := $(patsubst tests/helpers/bpf/%.bpf.c,%,\
	$(wildcard tests/helpers/bpf/*.bpf.c))
$(OBJ)/helpers/%.bpf.o: tests/helpers/bpf/%.bpf.c
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@
$(OBJ)/helpers/%.skel.h: $(OBJ)/helpers/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@
$(foreach h,$(HELPER_BPF),\
	$(eval $(OBJ)/helpers/$(h).o: $(OBJ)/helpers/$(h).skel.h))

$(LINKED_HELPERS): $(BIN)/tests/%: $(OBJ)/helpers/%.o $(OBJ)/libcommon.a
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS_EXTRA) $(LDFLAGS) $^ $(LIBBPF_LIBS) -o $@
-include $(wildcard $(OBJ)/helpers/*.d)

# Unit tests of common/, with cmocka.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OBJ)/tests/%,$(UNIT_SRCS))

$(OBJ)/tests/%: tests/unit/%.c $(OBJ)/libcommon.a | $(OBJ)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS_EXTRA) $< $(OBJ)/libcommon.a \
		$(LIBBPF_LIBS) -lcmocka -o $@

unit-tests: $(UNIT_BINS)

check: all unit-tests
	$(Q)CT_BIN=$(abspath $(BIN)) CT_UNIT="$(abspath $(UNIT_BINS))" \
		sh tests/run.sh $(TESTS)

# The runtime tests again, in qemu guests booting other kernels (Debian's
# 5.10, 6.1 and 6.12; KERNELS="6.1" for one): see tests/kernels/run.sh.
# Builds the static binaries the guests run.
check-kernels:
	$(Q)$(MAKE) --no-print-directory STATIC=1 all
	$(Q)CT_STATIC_BIN=$(abspath build/static/bin) CT_TESTS="$(TESTS)" \
		sh tests/kernels/run.sh $(KERNELS)

# The README's quick start, literally, as root in minimal Debian 12 and 13
# chroots (cached in /var/cache/coretrace-fresh): see tests/fresh/run.sh.
check-fresh:
	$(Q)sh tests/fresh/run.sh $(RELEASES)

# Installation layout; distros rename tools with TOOL_PREFIX/TOOL_SUFFIX,
# which apply alike to binaries, man pages and completions.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
TOOL_PREFIX ?=
TOOL_SUFFIX ?=
installed_name = $(TOOL_PREFIX)$(1)$(TOOL_SUFFIX)
INSTALLED_NAMES := $(foreach t,$(TOOLS) $(ALIASES),$(call installed_name,$(t)))

# install_aliases,TOOL,DIR,EXT: link DIR/<alias>EXT to TOOL's, installed
# names, for each of TOOL's aliases.
install_aliases = $(foreach a,$(call aliases_of,$(1)),\
	ln -sf $(call installed_name,$(1))$(3) \
		$(DESTDIR)$(2)/$(call installed_name,$(a))$(3) &&)

# bash-completion loads completions/<command> on demand: one copy per tool,
# each knowing every installed name.
install: all
	$(Q)install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(COMPLETIONDIR)
	$(Q)$(foreach t,$(TOOLS),install -m 0755 $(BIN)/$(t) \
		$(DESTDIR)$(BINDIR)/$(call installed_name,$(t)) && \
		$(call install_aliases,$(t),$(BINDIR),)) true
	$(Q)$(foreach m,$(MANPAGES),install -m 0644 $(m) \
		$(DESTDIR)$(MANDIR)/man8/$(call installed_name,$(basename $(notdir $(m)))).8 && \
		$(call install_aliases,$(basename $(notdir $(m))),$(MANDIR)/man8,.8)) true
	$(Q)$(foreach t,$(TOOLS) $(ALIASES),sed 's/@TOOLS@/$(INSTALLED_NAMES)/' \
		completion/coretrace.bash > \
		$(DESTDIR)$(COMPLETIONDIR)/$(call installed_name,$(t)) && \
		chmod 0644 $(DESTDIR)$(COMPLETIONDIR)/$(call installed_name,$(t)) &&) true

uninstall:
	$(Q)$(foreach t,$(TOOLS) $(ALIASES),rm -f $(DESTDIR)$(BINDIR)/$(call installed_name,$(t)) \
		$(DESTDIR)$(MANDIR)/man8/$(call installed_name,$(t)).8 \
		$(DESTDIR)$(COMPLETIONDIR)/$(call installed_name,$(t)) &&) true

# Builds from a clean copy of the tree; see scripts/build-deb.sh.
deb:
	$(Q)sh scripts/build-deb.sh

vmlinux:
	$(Q)mkdir -p vmlinux/$(ARCH)
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux/$(ARCH)/vmlinux.h.tmp
	$(Q)mv vmlinux/$(ARCH)/vmlinux.h.tmp vmlinux/$(ARCH)/vmlinux.h

# Debian/Ubuntu packages, by purpose, are listed in scripts/deps.sh; this
# installs all of them (CI). The README's quick start installs fewer.
deps:
	$(Q)sh scripts/deps.sh all

clean:
	$(Q)rm -rf build

# Benchmarks: make bench (root; not part of make check).
include bench/bench.mk

# Fuzzing: make fuzz (clang libFuzzer; FUZZ_SECONDS per target).
include fuzz/fuzz.mk

# Soak: make soak (root): execsnoop and opensnoop under load, RSS sampled;
# SOAK_SECONDS (600) and SOAK_INTERVAL (10) as in tests/soak.sh.
SOAK_SECONDS ?= 600
SOAK_INTERVAL ?= 10
.PHONY: soak
soak: all
	$(Q)CT_BIN=$(abspath $(BIN)) SOAK_SECONDS=$(SOAK_SECONDS) \
		SOAK_INTERVAL=$(SOAK_INTERVAL) sh tests/soak.sh
