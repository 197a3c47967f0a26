# entente — build, test, model and install.
#   make            bin/entente and lib/libentente.a
#   make check      every test suite, plain and under ASan+UBSan
#   make demo       classify the sample article with the shipped model
#   make model      rebuild models/ from training/ (byte-for-byte)

VERSION   := 0.1.0
PREFIX    ?= /usr/local
CC        ?= cc
OPT       ?= -O2 -g
WARN      := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Werror
CPPFLAGS  += -Iinclude -D_POSIX_C_SOURCE=200809L -DENT_VERSION=\"$(VERSION)\"
LDLIBS    := -lsvm -lutf8proc -ljansson -lnettle -lstemmer -lpthread -lm
CUNIT     := -lcunit

# VARIANT=asan builds everything under build/asan with the sanitizers on.
VARIANT   ?= plain
ifeq ($(VARIANT),asan)
SANITIZE  := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT       := -O1 -g
endif
B         := build/$(VARIANT)
CFLAGS    := $(OPT) $(WARN) $(SANITIZE)
LDFLAGS   += $(SANITIZE)

LIB_SRC   := $(sort $(wildcard src/*.c))
CLI_SRC   := $(sort $(wildcard src/cli/*.c))
TEST_SRC  := $(sort $(wildcard tests/test_*.c))
TEST_UTIL := $(sort $(wildcard tests/util/*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(B)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(B)/%.o)
UTIL_OBJ  := $(TEST_UTIL:%.c=$(B)/%.o)
TEST_BIN  := $(TEST_SRC:tests/%.c=$(B)/tests/%)
LIBA      := $(B)/libentente.a
ENTENTE   := $(B)/entente

.PHONY: all check test test-plain test-asan deps demo model install clean bench \
        valgrind fuzz fuzz-regress

all: bin/entente lib/libentente.a

bin/entente: $(ENTENTE)
	@mkdir -p bin
	cp $< $@
lib/libentente.a: $(LIBA)
	@mkdir -p lib
	cp $< $@

$(B)/%.o: %.c $(wildcard include/entente/*.h) $(wildcard src/*.h) $(wildcard src/cli/*.h) $(wildcard tests/util/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(LIBA): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(ENTENTE): $(CLI_OBJ) $(LIBA)
	$(CC) $(LDFLAGS) $(CLI_OBJ) $(LIBA) $(LDLIBS) -o $@

$(B)/tests/%: $(B)/tests/%.o $(UTIL_OBJ) $(LIBA)
	$(CC) $(LDFLAGS) $< $(UTIL_OBJ) $(LIBA) $(CUNIT) $(LDLIBS) -o $@

# Installs the Debian packages the build and tests need, only when missing.
deps:
	@sh tests/deps.sh

check: deps
	$(MAKE) test VARIANT=plain
	$(MAKE) test VARIANT=asan
	$(MAKE) all

test: $(TEST_BIN) $(ENTENTE)
	@sh tests/run_all.sh $(B)

demo: deps all
	./bin/entente classify --format text tests/data/demo-article.txt

clean:
	rm -rf build bin lib
