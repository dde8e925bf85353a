# jinzai - build, run and test. See README.md.
CC      ?= gcc
OPT     ?= -O2 -g
WARN    := -std=c17 -Wall -Wextra -Wformat=2 -Wshadow -Werror -D_GNU_SOURCE -I/usr/include/libxml2 -I/usr/include/postgresql
LIBS    := -lmicrohttpd -lsqlite3 -lpq -lsodium -lutf8proc -lcurl -lldap -llber -lcmark -lzip -lxml2 -ljson-c -lz -lpthread -lm
B       ?= build/release
DB      ?= jinzai.db
PORT    ?= 8080

LIB_SRC := $(sort $(wildcard src/*/*.c))
SCHEMA  := $(sort $(wildcard src/db/schema/*.sql))
ASSETS  := $(sort $(wildcard assets/*))
DATA    := $(sort $(filter-out data/demo_%,$(wildcard data/*.csv)))
GEN     := $(B)/gen/assets.c $(B)/gen/schema.c $(B)/gen/data.c $(B)/gen/scorm.c
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o) $(GEN:.c=.o)
UNIT    := $(sort $(wildcard tests/unit/test_*.c tests/http/test_*.c))
UNIT_BIN := $(UNIT:%.c=$(B)/%)
FUZZ    := $(sort $(wildcard tests/fuzz/fuzz_*.c))

.PHONY: all run deps test test-asan test-dates test-pg unit fuzz bench bench-smoke stress clean jinzai coverage crash
all: jinzai $(B)/scorm-sample.zip

deps:
	@scripts/deps.sh

jinzai: $(B)/jinzai
	cp $< $@.tmp && mv -f $@.tmp $@

$(B)/jinzai: $(B)/src/main.o $(LIB_OBJ)
	$(CC) $(OPT) $(SAN) -o $@ $^ $(LIBS)

$(B)/%.o: %.c $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(OPT) $(SAN) -Isrc -c $< -o $@

$(B)/gen/%.o: $(B)/gen/%.c src/core/embed.h
	$(CC) $(WARN) $(OPT) $(SAN) -Isrc -c $< -o $@

$(B)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O2 -o $@ $<

$(B)/gen/assets.c: $(ASSETS) $(B)/tools/embed
	@mkdir -p $(dir $@)
	$(B)/tools/embed $@ embedded_assets $(ASSETS)

$(B)/gen/data.c: $(DATA) $(B)/tools/embed
	@mkdir -p $(dir $@)
	$(B)/tools/embed $@ embedded_data $(DATA)

$(B)/gen/schema.c: $(SCHEMA) $(B)/tools/embed
	@mkdir -p $(dir $@)
	$(B)/tools/embed $@ embedded_schema $(SCHEMA)

# The SCORM sample package, compiled in so `init --demo` imports it from anywhere.
$(B)/gen/scorm.c: $(B)/scorm-sample.zip $(B)/tools/embed
	@mkdir -p $(dir $@)
	$(B)/tools/embed $@ embedded_scorm $(B)/scorm-sample.zip

$(B)/tests/%: tests/%.c $(LIB_OBJ) $(wildcard tests/*.h tests/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(OPT) $(SAN) -Isrc -o $@ $< $(LIB_OBJ) $(LIBS) -lcmocka

unit: $(UNIT_BIN) $(B)/jinzai $(B)/scorm-sample.zip

# The SCORM 1.2 sample package (demo and browser journey), from data/scorm-sample.
$(B)/scorm-sample.zip: $(sort $(wildcard data/scorm-sample/*))
	@mkdir -p $(dir $@)
	rm -f $@.tmp && cd data/scorm-sample && zip -X -q -r $(CURDIR)/$@.tmp . && mv -f $(CURDIR)/$@.tmp $(CURDIR)/$@

# Every test: cmocka units and request tests, the layer check of the includes
# (scripts/layers.sh), then the browser journeys when chromium is installed,
# then the request tests, the unit tests that use a database and the browser
# journeys once more on PostgreSQL when it is installed (test-pg). Ends with
# one "N passed, N failed" line, the sum.
test: deps jinzai unit
	@t=$$(mktemp); scripts/test.sh $(B) $(UNIT_BIN) scripts/layers.sh | tee $$t; \
	  if scripts/pgtmp.sh available; then echo "# the request and unit tests on PostgreSQL"; $(MAKE) --no-print-directory test-pg | tee -a $$t; \
	  else echo "# PostgreSQL 15 is not installed: the tests ran on SQLite only"; fi; \
	  awk '/^[0-9]+ passed, [0-9]+ failed$$/ { p += $$1; f += $$3 } END { print p " passed, " f " failed"; exit f > 0 }' $$t; \
	  rc=$$?; rm -f $$t; exit $$rc

# The unit and request tests once more under ASan + UBSan.
test-asan:
	@$(MAKE) --no-print-directory B=build/asan OPT="-O1 -g" SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" unit
	@NO_E2E=1 scripts/test.sh build/asan $(patsubst $(B)/%,build/asan/%,$(UNIT_BIN))

# The request tests, the unit tests that use a database and the browser
# journeys once more on PostgreSQL, in a throwaway cluster (scripts/pgtmp.sh).
# Each test program makes its own database there (JINZAI_TEST_PG;
# tests/tmpdb.h, shared by tests/http/harness.h and tests/unit/randwrite.h),
# and so does tests/e2e/run.mjs for the demo it serves (JINZAI_E2E_PG). The
# journeys run as in scripts/test.sh (when chromium and node are installed
# and NO_E2E is not set) and count in the "N passed, N failed" line; the
# two-node journey (tests/e2e/nodes.mjs) is on PostgreSQL in the SQLite run
# already and is not repeated. `make test` runs test-pg when PostgreSQL is
# installed. The unit tests taken are those that open their
# database with tmpdb_open (directly or through randwrite.h), except:
# - PG_SQLITE_ONLY, about SQLite itself: test_backup and test_backup_load
#   (online backup and restore of the file), test_checkpoint (WAL
#   checkpoints), test_cov_db (files that are no database, folders, blobs,
#   the statement cache, the backup copy/replace steps) and test_db (the
#   SQLite binding layer and its backup); test_db_pg covers the libpq
#   backend's side of these;
# - PG_BOTH_ALWAYS, which run both backends in every run already, each on a
#   throwaway cluster of its own: test_concurrency, test_db_pg,
#   test_mail_nodes.
# The other unit tests open no database, so a second run would repeat them.
PG_SQLITE_ONLY := test_backup test_backup_load test_checkpoint test_cov_db test_db
PG_BOTH_ALWAYS := test_concurrency test_db_pg test_mail_nodes
PG_UNIT := $(filter-out $(PG_SQLITE_ONLY) $(PG_BOTH_ALWAYS),$(basename $(notdir $(shell grep -lE 'tmpdb_open|randwrite\.h' tests/unit/test_*.c))))
PG_TESTS ?= $(filter $(B)/tests/http/%,$(UNIT_BIN)) $(PG_UNIT:%=$(B)/tests/unit/%)
test-pg: unit
	@scripts/pgtmp.sh available || { echo "not ok - test-pg: PostgreSQL 15 is not installed (scripts/deps.sh installs postgresql-15)"; echo "0 passed, 1 failed"; exit 1; }
	@env=$$(scripts/pgtmp.sh start) || exit 1; dir=$$(echo "$$env" | sed -n 's/^PGTMP_DIR=//p'); \
	  url=$$(echo "$$env" | sed -n "s/^PGTMP_URL='\(.*\)'$$/\1/p"); \
	  JINZAI_TEST_PG="$$url" JINZAI_E2E_PG="$$url" scripts/test.sh $(B) $(PG_TESTS); rc=$$?; scripts/pgtmp.sh stop "$$dir"; exit $$rc

# The unit and request tests once more with the system clock at the 年度
# boundaries and a leap day (libfaketime), so that nothing reads the wall
# clock past the one clock in core/util.c.
TEST_DATES ?= 2027-03-31 2027-04-01 2028-02-29
test-dates: unit
	@command -v faketime >/dev/null || { echo "not ok - test-dates: faketime is not installed (scripts/deps.sh installs it)"; echo "0 passed, 1 failed"; exit 1; }
	@p=0; f=0; for d in $(TEST_DATES); do echo "# system clock $$d"; \
	  out=$$(NO_E2E=1 faketime -f "@$$d 10:00:00" scripts/test.sh $(B) $(UNIT_BIN) | sed "s/^\(not \)\{0,1\}ok /&[$$d] /"); \
	  echo "$$out" | grep -E '^(not )?ok ' | grep -v '^ok' ; \
	  p=$$((p + $$(echo "$$out" | grep -c '^ok '))); f=$$((f + $$(echo "$$out" | grep -c '^not ok'))); done; \
	  echo "$$p passed, $$f failed"; [ $$f -eq 0 ]

# libFuzzer targets (clang). FUZZ_TIME seconds each.
FUZZ_TIME ?= 20
fuzz: $(B)/gen/schema.c
	@mkdir -p build/fuzz
	@for f in $(FUZZ); do n=$$(basename $$f .c); \
	  clang $(WARN) -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -o build/fuzz/$$n $$f \
	    src/http/form.c src/http/kv.c src/core/buf.c src/core/util.c src/io/*.c src/domain/xapi_parse.c $(LIBS) || exit 1; \
	  mkdir -p build/fuzz/corpus-$$n; \
	  build/fuzz/$$n -max_total_time=$(FUZZ_TIME) -print_final_stats=0 build/fuzz/corpus-$$n 2>build/fuzz/$$n.log \
	    && echo "ok - fuzz $$n" || { echo "not ok - fuzz $$n"; tail -30 build/fuzz/$$n.log; exit 1; }; done

# make run [PORT=8080] [DB=jinzai.db]: a new DB gets the demo data and prints
# its logins; an existing one is served as it is.
run: deps jinzai
	@if test -f $(DB); then \
	  echo "$(DB) は既にあります。そのまま使います (using the existing database)."; \
	  echo "デモのパスワードを忘れたときは、12文字以上の新しいパスワードを設定できます (to reset a demo password):"; \
	  echo "  echo 'new-password-1234' | ./jinzai user passwd admin --db $(DB)    # jinji, dx, kacho, shokuin も同様"; \
	  echo "デモを作り直すときは (to start over): rm $(DB) && make run PORT=$(PORT) DB=$(DB)"; \
	else ./jinzai init --demo --db $(DB) || exit 1; fi
	./jinzai serve --db $(DB) --listen 127.0.0.1:$(PORT)

# Line and branch coverage of the unit and request tests (and the CLI tests'
# runs of the binary) per source folder, with gcovr.
coverage:
	@command -v gcovr >/dev/null || { echo "gcovr is not installed: run COVERAGE=1 scripts/deps.sh (apt-get install gcovr)"; exit 1; }
	@find build/coverage -name '*.gcda' -delete 2>/dev/null || true
	@$(MAKE) --no-print-directory B=build/coverage OPT="-O0 -g --coverage -fprofile-update=atomic" unit
	@NO_E2E=1 scripts/test.sh build/coverage $(patsubst $(B)/%,build/coverage/%,$(UNIT_BIN)) | grep -E '^not ok|^[0-9]+ passed'
	@gcovr -r . --object-directory build/coverage --filter 'src/' --json-summary build/coverage/summary.json >/dev/null
	@python3 scripts/coverage.py build/coverage/summary.json

# SIGKILL at random points during imports and saves, 50 times; integrity and
# all-or-nothing checked after each kill.
crash: jinzai
	@tests/crash/run.sh ./jinzai

# The benchmark (docs/performance.md): the demo city and BENCH_STAFF (30000)
# staff, then both sizes again on PostgreSQL when it is installed (BENCH_PG=0:
# SQLite only). bench-smoke: the demo city only, about a minute, and five of
# its pages on PostgreSQL; it fails when the script fails, never on slow numbers.
bench: jinzai
	@bench/run.sh

bench-smoke: jinzai
	@BENCH_QUICK=1 bench/run.sh

# A bounded soak (wrk) and a slowloris run on loopback; prints req/s, p99,
# normal requests served during the slowloris and the server's RSS. ~1 min.
stress: jinzai
	@bench/stress.sh

clean:
	rm -rf build jinzai
