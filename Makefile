# loulan build. `make` builds ./loulan; `make run` serves the demo forum;
# `make test` builds with ASan+UBSan and runs every test. See README.md.
CC      ?= cc
PKGS    := libmicrohttpd sqlite3 libpq libsodium libdeflate zlib md4c jansson inih icu-uc icu-i18n vips libcurl libqrencode libmariadb libcrypt nettle
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libvips is not linked: src/forum/image.c dlopens it by its SONAME on the first image (docs/DESIGN-NOTES.md)
PKG_LIBS   := $(shell pkg-config --libs $(filter-out vips,$(PKGS)) 2>/dev/null)
VIPS_SONAME := $(shell readelf -d "$$(pkg-config --variable=libdir vips 2>/dev/null)/libvips.so" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
WARN    := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wvla -Wformat=2 -Wmissing-prototypes
CFLAGS_COMMON := -std=c17 -D_GNU_SOURCE $(WARN) -Isrc -Ibuild/gen $(PKG_CFLAGS) -DLOULAN_VIPS_SONAME='"$(VIPS_SONAME)"'
LIBS    := $(PKG_LIBS) -lpthread -lm

SRCS     := $(sort $(shell find src -name '*.c'))
LIB_SRCS := $(filter-out src/cli/%,$(SRCS))
EMBED    := $(sort $(shell find templates static api -type f 2>/dev/null))
HDRS     := $(shell find src -name '*.h')

REL_CFLAGS  := $(CFLAGS_COMMON) -O2 -g
ASAN_CFLAGS := $(CFLAGS_COMMON) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
REL_OBJS  := $(patsubst src/%.c,build/rel/%.o,$(SRCS)) build/rel/embed.o
ASAN_OBJS := $(patsubst src/%.c,build/asan/%.o,$(SRCS)) build/asan/embed.o
ASAN_LIB_OBJS := $(filter-out build/asan/cli/%,$(ASAN_OBJS))

.PHONY: all run test deps lint unit e2e browser fuzz fuzz-long bench clean
all: loulan

deps:
	@scripts/deps.sh build

# the list of embedded files: a file removed or renamed (api/, templates/, static/) rebuilds embed.c too
build/gen/embed.list: FORCE
	@mkdir -p build/gen
	@echo '$(EMBED)' | cmp -s - $@ || echo '$(EMBED)' > $@
build/gen/embed.c: tools/embed.c $(EMBED) build/gen/embed.list
	@mkdir -p build/gen
	$(Q)$(CC) -O1 -o build/gen/embed tools/embed.c
	$(Q)build/gen/embed $(EMBED) > $@.tmp && mv $@.tmp $@

# V=1 shows the full commands
Q := $(if $(V),,@)
COMMA := ,
build/rel/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(REL_CFLAGS) -c -o $@ $<
build/rel/embed.o: build/gen/embed.c
	$(Q)$(CC) $(REL_CFLAGS) -c -o $@ $<
build/asan/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC asan $<")
	$(Q)$(CC) $(ASAN_CFLAGS) -c -o $@ $<
build/asan/embed.o: build/gen/embed.c
	$(Q)$(CC) $(ASAN_CFLAGS) -c -o $@ $<

# `make` first installs missing packages, then builds in a sub-make, so that
# pkg-config runs after the libraries are there (on a fresh machine).
loulan: FORCE
	@scripts/deps.sh build
	@$(MAKE) --no-print-directory build/rel/loulan
	@cp build/rel/loulan loulan.tmp && mv -f loulan.tmp loulan
build/rel/loulan: $(REL_OBJS) | lint
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(REL_CFLAGS) -o $@ $(REL_OBJS) $(LIBS)
.PHONY: FORCE
FORCE:
build/asan/loulan: $(ASAN_OBJS) | lint
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(ASAN_CFLAGS) -o $@ $(ASAN_OBJS) $(LIBS)

lint:
	@scripts/lint.sh

run: loulan
	@scripts/run.sh

# ---- tests -------------------------------------------------------------
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,build/unit/%,$(UNIT_SRCS))
build/unit/%: tests/unit/%.c $(ASAN_LIB_OBJS)
	@mkdir -p build/unit
	@$(if $(V),,echo "  UNIT    $@")
	$(Q)$(CC) $(ASAN_CFLAGS) -o $@ $< $(ASAN_LIB_OBJS) $(LIBS) -lcmocka

unit: $(UNIT_BINS)
	@scripts/run-unit.sh $(UNIT_BINS)

FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRCS))
FUZZ_CFLAGS := $(CFLAGS_COMMON) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
               -Wno-unused-command-line-argument
# the library is compiled once for every target (it was compiled again into each: 45 s a target);
# fuzzer-no-link instruments it for coverage, the target's own -fsanitize=fuzzer links libFuzzer's main
FUZZ_OBJ_CFLAGS := $(subst -fsanitize=fuzzer$(COMMA),-fsanitize=fuzzer-no-link$(COMMA),$(FUZZ_CFLAGS))
FUZZ_LIB_OBJS := $(patsubst src/%.c,build/fuzz/obj/%.o,$(LIB_SRCS)) build/fuzz/obj/embed.o
build/fuzz/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC fuzz $<")
	$(Q)clang $(FUZZ_OBJ_CFLAGS) -c -o $@ $<
build/fuzz/obj/embed.o: build/gen/embed.c
	@mkdir -p $(dir $@)
	$(Q)clang $(FUZZ_OBJ_CFLAGS) -c -o $@ $<
.SECONDARY: $(FUZZ_LIB_OBJS)   # named only by a pattern rule: make would delete them as intermediate
build/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB_OBJS)
	@$(if $(V),,echo "  FUZZ    $@")
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_LIB_OBJS) $(LIBS)

fuzz: $(FUZZ_BINS)
	@scripts/run-fuzz.sh $(FUZZ_BINS)

# FUZZ_LONG_SECONDS per target (default 600); writes the figures into docs/RELIABILITY.md
fuzz-long: $(FUZZ_BINS)
	@scripts/fuzz-long.sh $(FUZZ_BINS)

# builds run on every core (JOBS); the tests themselves choose their own concurrency
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
test:
	@scripts/deps.sh test
	@$(MAKE) -j$(JOBS) --no-print-directory lint build/asan/loulan loulan
	@scripts/test.sh

# one bench that fails does not keep the rows after it from being measured ('-': make goes on
# and prints "Error 1 (ignored)" for it); every row goes into docs/PERFORMANCE.md (BENCH_DOC=1, and
# bench/record.sh for the two that only print)
bench: loulan
	@scripts/deps.sh bench
	-@BENCH_DOC=1 bench/run.sh
	-@BENCH_DOC=1 bench/attach.sh
	-@BENCH_DOC=1 bench/live.sh
	-@BENCH_DOC=1 bench/import.sh
	-@BENCH_DOC=1 bench/copy.sh
	-@bench/record.sh "95/5 on one hot thread (bench/hot.sh)" bench/hot.sh
	-@bench/record.sh "a connection table full of idle connections (bench/idleflood.sh)" bench/idleflood.sh
	-@BENCH_DOC=1 bench/nodes.sh

clean:
	rm -rf build loulan
