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
CPPFLAGS  += -Iinclude -D_POSIX_C_SOURCE=200809L -DENT_VERSION=\"$(VERSION)\" \
             -DENT_DATADIR=\"$(PREFIX)/share/entente\"
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

# rm first: a running bin/entente would make cp fail with "Text file busy".
bin/entente: $(ENTENTE)
	@mkdir -p bin
	rm -f $@ && cp $< $@
lib/libentente.a: $(LIBA)
	@mkdir -p lib
	rm -f $@ && cp $< $@

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
	$(MAKE) fuzz-regress

test: $(TEST_BIN) $(ENTENTE)
	@sh tests/run_all.sh $(B)

demo: deps all
	./bin/entente classify --format text tests/data/demo-article.txt

clean:
	rm -rf build bin lib

# Accuracy against peers (scikit-learn, fastText, libsvm): 5-fold CV on ../shared/data.
.PHONY: bench-accuracy
bench-accuracy: all
	/usr/bin/python3 tests/bench/peers.py cv

# ---- the shipped model ----
MODEL_DATA := $(filter-out training/test.tsv,$(sort $(wildcard training/*.tsv)))

# Rebuilds models/default.model from training/ (deterministic: same bytes
# every time), then writes models/REPORT.md.
model: deps all
	/usr/bin/python3 training/tools/corpus.py check
	./bin/entente train $(MODEL_DATA) -o models/default.model --grid --seed 1 --actors models/actors.tsv
	sh tests/bench/model_report.sh > models/REPORT.md.tmp && mv models/REPORT.md.tmp models/REPORT.md

# Checks that the committed model equals a rebuild (slow: a grid search).
model-check: all
	./bin/entente train $(MODEL_DATA) -o build/rebuilt.model --grid --seed 1 --actors models/actors.tsv
	cmp build/rebuilt.model models/default.model && echo "models/default.model: rebuilt byte for byte"

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/entente \
	  $(DESTDIR)$(PREFIX)/share/entente $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 bin/entente $(DESTDIR)$(PREFIX)/bin/entente
	install -m 644 lib/libentente.a $(DESTDIR)$(PREFIX)/lib/libentente.a
	install -m 644 include/entente/*.h $(DESTDIR)$(PREFIX)/include/entente/
	install -m 644 models/default.model models/actors.tsv $(DESTDIR)$(PREFIX)/share/entente/
	install -m 644 src/cli/entente.1 $(DESTDIR)$(PREFIX)/share/man/man1/entente.1
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' src/entente.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/entente.pc

bench-text: all
	$(CC) -O2 $(CPPFLAGS) tests/bench/bench_text.c src/text.c src/utf8.c src/error.c -lutf8proc -o build/bench_text
	./build/bench_text

valgrind: $(TEST_BIN)
	@for t in $(TEST_BIN); do (cd tests && valgrind -q --leak-check=full --error-exitcode=1 ../$$t > /dev/null) || exit 1; done
	@echo "valgrind: all suites clean"

.PHONY: model-check bench-text

# ---- fuzzing (libFuzzer; needs clang with compiler-rt) ----
#   make fuzz            builds build/fuzz/fuzz_* and runs each for FUZZ_SECONDS
#   make fuzz-regress    runs each target once over its committed corpus
#   make fuzz FUZZ_TARGETS=text FUZZ_SECONDS=600   one target, longer
# New inputs go to build/fuzz/scratch/<target>, crashes to build/fuzz/.
FUZZ_CC            ?= clang
FUZZ_SECONDS       ?= 60
FUZZ_MAX_LEN       ?= 65536
FUZZ_MODEL_MAX_LEN ?= 1048576
FUZZ_TARGETS       ?= text data classify actors model jsonl
FB                 := build/fuzz
FUZZ_SAN           := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS        := -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_LIB_OBJ       := $(LIB_SRC:%.c=$(FB)/obj/%.o)
FUZZ_UTIL_OBJ      := $(FB)/obj/tests/fuzz/fuzz_util.o
FUZZ_BIN           := $(FUZZ_TARGETS:%=$(FB)/fuzz_%)
# Succeeds when FUZZ_CC can link a libFuzzer target.
FUZZ_PROBE         := mkdir -p $(FB) && printf '%s\n' \
  'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);' \
  'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }' \
  | $(FUZZ_CC) -fsanitize=fuzzer -x c - -o $(FB)/probe > /dev/null 2>&1

.PHONY: fuzz-build fuzz-seeds
.SECONDARY: $(FUZZ_TARGETS:%=$(FB)/obj/tests/fuzz/fuzz_%.o)

# Library sources may meet clang-only warnings: those do not stop fuzzing.
$(FB)/obj/src/%.o: src/%.c $(wildcard include/entente/*.h) $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(filter-out -Werror,$(WARN)) $(FUZZ_CFLAGS) -c $< -o $@

$(FB)/obj/tests/fuzz/%.o: tests/fuzz/%.c tests/fuzz/fuzz_util.h $(wildcard include/entente/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(WARN) $(FUZZ_CFLAGS) -c $< -o $@

$(FB)/fuzz_%: $(FB)/obj/tests/fuzz/fuzz_%.o $(FUZZ_UTIL_OBJ) $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer $^ $(LDLIBS) -o $@

$(FB)/make_model_seed: $(FB)/obj/tests/fuzz/make_model_seed.o $(FUZZ_UTIL_OBJ) $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_SAN) $^ $(LDLIBS) -o $@

fuzz-build: $(FUZZ_BIN)

# Regenerates the model seeds (a real bundle and its truncations).
fuzz-seeds: $(FB)/make_model_seed
	@mkdir -p tests/fuzz/corpus/model
	$(FB)/make_model_seed tests/fuzz/corpus/model

fuzz:
	@$(FUZZ_PROBE) || { echo "fuzz: $(FUZZ_CC) cannot build libFuzzer targets (install clang)" >&2; exit 1; }
	$(MAKE) --no-print-directory fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  len=$(FUZZ_MAX_LEN); [ $$t = model ] && len=$(FUZZ_MODEL_MAX_LEN); \
	  mkdir -p $(FB)/scratch/$$t tests/fuzz/corpus/$$t; \
	  echo "fuzz_$$t: $(FUZZ_SECONDS)s, max_len $$len"; \
	  $(FB)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=$$len -print_final_stats=1 \
	    -artifact_prefix=$(FB)/$$t- $(FB)/scratch/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

fuzz-regress:
	@if ! { $(FUZZ_PROBE); }; then \
	  echo "fuzz-regress: skipped ($(FUZZ_CC) cannot build libFuzzer targets)"; exit 0; fi; \
	$(MAKE) --no-print-directory fuzz-build || exit 1; \
	for t in $(FUZZ_TARGETS); do \
	  n=$$(ls tests/fuzz/corpus/$$t | wc -l); \
	  if $(FB)/fuzz_$$t -runs=0 -artifact_prefix=$(FB)/regress-$$t- tests/fuzz/corpus/$$t > $(FB)/regress-$$t.log 2>&1; then \
	    echo "PASS fuzz/$$t ($$n inputs)"; \
	  else echo "FAIL fuzz/$$t"; tail -n 40 $(FB)/regress-$$t.log; exit 1; fi; \
	done

# Speed and memory against peers (fastText, scikit-learn, libsvm, liblinear) on
# 200,000 sentences; writes tests/bench/out/speed.md. About 10 minutes.
.PHONY: bench-speed
bench-speed: all
	/usr/bin/python3 tests/bench/speed.py
