# SPDX-License-Identifier: GPL-2.0
# Fuzzing with libFuzzer (included by the top Makefile). Every fuzz/NAME.c is
# a target, linked with common/ built by clang with ASan and UBSan.
#
#   make fuzz                       each target for FUZZ_SECONDS (60)
#   make fuzz FUZZ_TARGETS=json     only some
#   make fuzz-bins                  build only
#
# Seeds are in fuzz/corpus/NAME/ (committed); what the fuzzer learns goes to
# build/fuzz/corpus/NAME/, crashes to build/fuzz/crash-NAME-*.

FUZZ_SECONDS ?= 60
FUZZ_OUT := build/fuzz
FUZZ_ALL := $(patsubst fuzz/%.c,%,$(wildcard fuzz/*.c))
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_BINS := $(addprefix $(FUZZ_OUT)/,$(FUZZ_ALL))
FUZZ_COMMON := $(patsubst common/%.c,$(FUZZ_OUT)/obj/%.o,$(COMMON_SRCS))
FUZZ_CFLAGS := -g -O1 $(WARN) -std=gnu11 -D_GNU_SOURCE \
	-DCT_VERSION='"fuzz"' -Icommon -I$(OBJ) $(LIBBPF_CFLAGS) \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer

.PHONY: fuzz fuzz-bins
fuzz-bins: $(FUZZ_BINS)

$(FUZZ_OUT)/obj/%.o: common/%.c
	$(call msg,CC-FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_OUT)/libcommon.a: $(FUZZ_COMMON)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_BINS): $(FUZZ_OUT)/%: fuzz/%.c $(FUZZ_OUT)/libcommon.a \
		$(wildcard tests/unit/*.h tools/*/*.h)
	$(call msg,FUZZ,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Itests/unit -Itools \
		$< $(FUZZ_OUT)/libcommon.a $(LIBBPF_LIBS) -o $@

fuzz: fuzz-bins
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) sh fuzz/run.sh $(FUZZ_TARGETS)
