# SPDX-License-Identifier: GPL-2.0
# Benchmarks (included by the top Makefile): `make bench` builds the load
# generators, the floor and bpfstats programs and the tools, then runs
# bench/run.sh as root: one section of bench/RESULTS.md per spec in
# bench/tools/ whose tool is built. BENCH_TOOLS="opensnoop syscount" for
# those only (the other sections are kept); BENCH_QUICK=1 for a short run.
# make bench-kernels: the same beside libbpf-tools in a qemu guest.

BENCH_OUT := build/bench
BENCH_OBJ := $(BENCH_OUT)/obj
BENCH_HELPERS := openload execload exec-target firstline sysload
BENCH_BINS := $(addprefix $(BENCH_OUT)/,$(BENCH_HELPERS) floor bpfstats)

.PHONY: bench bench-bins
bench-bins: $(BENCH_BINS)

# Static helpers: no loader, so they make exactly the syscalls measured.
$(addprefix $(BENCH_OUT)/,$(BENCH_HELPERS)): $(BENCH_OUT)/%: bench/%.c \
		bench/common.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O2 $(WARN) -std=gnu11 -D_GNU_SOURCE -static $< -o $@

$(BENCH_OBJ)/floor.bpf.o: bench/floor.bpf.c
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BENCH_OBJ)/floor.skel.h: $(BENCH_OBJ)/floor.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name floor_bpf > $@

$(BENCH_OUT)/floor: bench/floor.c $(BENCH_OBJ)/floor.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE -I$(BENCH_OBJ) \
		$(LIBBPF_CFLAGS) $< $(shell $(PKG_CONFIG) --libs libbpf) \
		-lelf -lz -o $@

$(BENCH_OUT)/bpfstats: bench/bpfstats.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE $(LIBBPF_CFLAGS) \
		$< $(shell $(PKG_CONFIG) --libs libbpf) -o $@

bench: bench-bins
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory STATIC=1 all
	$(Q)BENCH_QUICK=$(BENCH_QUICK) sh bench/run.sh $(BENCH_TOOLS)

# Start-up, memory and kernel ns beside libbpf-tools in a qemu guest
# booting another kernel (KERNELS, default Debian 12's 6.1, where the
# libbpf-tools that need kprobes or fentry attach): bench/kernels.sh, its
# own table in bench/RESULTS.md (BENCH_BUILD=dynamic: make's tools with
# their libraries instead of the static ones). Minutes under emulation;
# root.
.PHONY: bench-kernels
bench-kernels: bench-bins
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory STATIC=1 all
	$(Q)KERNELS="$(or $(KERNELS),6.1)" sh bench/kernels.sh $(BENCH_TOOLS)
