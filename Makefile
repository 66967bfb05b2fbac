SHELL := /bin/bash

# make run      the four mains in turn on TF 1.15 (EPOCHS=1 for a quick look;
#               LIVE=1 to watch each learn in a browser, docs/live.md)
# make test     the tests on every TensorFlow line, two jobs at a time
#               (TEST_JOBS=1 one after another; TF=2.15 for one line;
#               LINES="1.15 2.15" for several; SEED, THREADS,
#               TF_ENABLE_ONEDNN_OPTS, ONEDNN_MAX_CPU_ISA, XLA to run them
#               under other settings; TEST_TIMEOUT, the seconds one test
#               may take, 600); it ends saying where the time went,
#               beside the budget of this kind of CPU
# make test-docs  the figures of the last make test written into
#               docs/testing.md (after make test)
# make seed-logs  the mains' first two epochs beside the spec's, on TF 1.12
#               (TF=2.15: five epochs of each model on that line's scale;
#               EDITION=2024: beside the 2024 page's logs, on TF 2.15)
# make report   full training of the four models on line TF, written to
#               reports/tf$(TF)/report.md, their weights to models/tf$(TF)
#               (EPOCHS, SUBSET for less)
# make sparsity the sparse model's lambtha sweep alone (SWEEP_EPOCHS)
# make explore  explorer/index.html from line TF's saved models, training
#               those missing first (EPOCHS for a quick look)
# make bench    how fast each model trains on every line set up so far
#               (BENCH_EPOCHS measured epochs after a warm-up, default 5;
#               LIVE=1 with the live view's snapshots taken; PEERS=1 with
#               the same models on Keras 3 + JAX and on PyTorch beside them)
# make check SOLUTION=<folder>  a learner's own task files checked the way
#               graders check them, every finding explained, on TF 2.15
#               (TF= another line; FORMAT=json for scripts: the JSON alone
#               on stdout, FORMAT=junit JUnit XML for CI; QUICK=1 leaves
#               out what trains; VERBOSE=1 lists every check that passed;
#               DISK=2G what the learner's code may write, 1G by default;
#               WEIGHTS=<file> the score's points; docs/check.md)
# make check SOLUTIONS=<folder>  a class: each subfolder a learner's,
#               JOBS at a time; a JSON each, a table, OUT/class.html and
#               OUT/grades.csv, the gradebook (FORMAT=junit: a JUnit XML
#               each too; OUT, default
#               checks/<folder's name>; MERGE=1 the table and page
#               from the JSONs alone); refused where no sandbox can be
#               made, unless CHECK_UNISOLATED=1;
#               PRIOR="<folder> ..." earlier cohorts matched against for
#               the similar code the page and OUT/similar.csv show)
# make similar SOLUTIONS=<folder> [PRIOR="<folder> ..."]  which learners
#               handed in the same code beyond the spec's skeleton:
#               OUT/similar.csv and OUT/similar.html (the files side by
#               side), in seconds; it runs no learner's code
# make check SOLUTIONS=<folder> SCHEDULER=tcp://HOST:8786  the class on
#               a Dask cluster, a learner a task (TLS=<folder> of ca.pem,
#               cert.pem, key.pem for TLS); make check-scheduler starts
#               its scheduler here (127.0.0.1:8786 unless HOST, PORT),
#               make check-worker SCHEDULER=... a worker (JOBS at a time)
# make check-bench  how long make check takes on one learner in full and
#               on a class of 16 (JOBS=1 and 2), and what its sandbox
#               costs (FULL=1: the class not QUICK)
# make gradescope  OUT/autograder.zip: make check as a Gradescope
#               autograder (OUT default gradescope/; QUICK=1, WEIGHTS=)
# make mutants  small wrong changes to the exercise files, each run against
#               the tests that should catch it, on TF 2.15 (TF= another
#               line): a table of which test killed each (docs/testing.md)
# make margins  what the tests that train measure, for seeds 0 to SEEDS-1
#               (default 8) on line TF: the spread their bounds are set
#               from (docs/testing.md)
# make venv     the virtual environment of line TF, in .venv/tf$(TF)
#
# Environment variables (each declared, with its default and meaning, in
# helpers/variables.py; the table is docs/variables.md):
#   the runs: EPOCHS THREADS STEPS_PER_CALL TF_ENABLE_ONEDNN_OPTS
#     ONEDNN_MAX_CPU_ISA TF_NUM_INTRAOP_THREADS TF_NUM_INTEROP_THREADS
#     OMP_NUM_THREADS XLA QUIET TF_CPP_MIN_LOG_LEVEL LIVE LIVE_PORT
#     FIGURES_DIR DISPLAY WAYLAND_DISPLAY
#   the tools: SEED SUBSET SWEEP_EPOCHS BENCH_EPOCHS BENCH_ROWS MODELS_DIR
#     REPORT_DIR EXPLORER_DIR EDITION CHROMIUM CHECK_SANDBOX
#     CHECK_UNISOLATED JOBS AUTOGRADER_ROOT
#   the tests: CI TEST_TIMEOUT TEST_KILL_AT
# Each line's environment is made on first use from its pinned requirements,
# with the Python it needs, found on PATH or under pyenv, once per machine:
# kept in ENVIRONMENTS (/var/cache/autoencoders/environments for root,
# else ~/.cache/autoencoders/environments) under a hash of its pins, and
# .venv/tf<line> links to it.

LINES ?= 1.15 2.15 1.12 2.21
# TF named on the command line or in the environment picks that line alone
SEED_LINE := 1.12
# EDITION=2024 sets the mains beside the 2024 page, printed on TF 2.15
ifeq ($(EDITION),2024)
SEED_LINE := 2.15
endif
ifneq ($(filter command line environment,$(origin TF)),)
LINES := $(TF)
SEED_LINE := $(TF)
endif
TF ?= 1.15
EPOCHS ?=

PYTHON_1.12 := 3.6
PYTHON_1.15 := 3.7
PYTHON_2.15 := 3.9
PYTHON_2.21 := 3.11
REQUIREMENTS_1.12 := requirements/tf1.12.txt
REQUIREMENTS_1.15 := requirements.txt
REQUIREMENTS_2.15 := requirements/tf2.15.txt
REQUIREMENTS_2.21 := requirements/tf2.21.txt
# Python 3.6 finds no wheel of some pins unless told to take binaries only;
# grpcio built from source takes a quarter of an hour
PIP_FLAGS_1.12 := --prefer-binary --only-binary=grpcio,numpy,h5py,matplotlib,kiwisolver,pillow

VENV = .venv/tf$(TF)

.PHONY: run test test-line test-docs browser sandbox seed-logs report \
	sparsity explore bench mutants margins check similar check-scheduler \
	gradescope \
	check-worker check-bench venv clean

run: venv
	@for main in 0-main.py 1-main.py 2-main.py 3-main.py; do \
	  echo "== $$main (TensorFlow $(TF))"; \
	  EPOCHS=$(EPOCHS) $(VENV)/bin/python $$main || exit 1; \
	done

# make test: each line's environment first (made once per machine, its
# seconds noted), then the tests as jobs TEST_JOBS at a time (2: both cores
# busy; docs/testing.md has the figures), each in a temporary folder of
# its own (TMPDIR: a test that asserts what the machine's temporary folder
# holds sees its own job's alone). Each line's tests are two jobs: a, the
# files of PART_A (on TF 2.15, where the exercise is graded, the slowest
# of the suite: make check's sandbox, wrong files, class, cluster,
# Gradescope and tricks; on TF 1.15 the report killed anywhere), and b,
# the others; the jobs go longest first (TEST_ORDER, from the durations
# measured), so that the two cores end together. Each job's output shows
# whole when it ends; the last lines say where the time went, beside the
# budget (tools.suite).
TEST_JOBS ?= 2
PART_A := tests/test_check.py tests/test_class.py tests/test_cluster.py \
  tests/test_gradescope.py tests/test_sandbox.py tests/test_tricks.py \
  tests/test_torn.py tests/test_report.py
LONGEST_FIRST := 2.15-a 2.21-b 2.15-b 1.12-b 1.15-b 1.15-a 2.21-a 1.12-a
TEST_ORDER := $(filter $(addsuffix -%,$(LINES)),$(LONGEST_FIRST)) \
  $(filter-out 2.15 2.21 1.12 1.15,$(LINES))

test: browser sandbox
	@rm -f .venv/results .venv/results-tf* .venv/pytest-tf*.log \
	  .venv/environments; mkdir -p .venv; start=$$(date +%s); \
	for line in $(LINES); do \
	  made=$$(date +%s); \
	  $(MAKE) --no-print-directory venv TF=$$line || exit 1; \
	  echo "TF $$line: $$(( $$(date +%s) - made ))" >> .venv/environments; \
	done; \
	echo "== tests on TensorFlow $(TEST_ORDER), $(TEST_JOBS) at a time;" \
	  "each one's output shows when it ends (tail -f" \
	  ".venv/pytest-tf<line>.log to follow one)"; \
	status=0; $(MAKE) --no-print-directory -k -j$(TEST_JOBS) \
	  --output-sync=target $(addprefix test-tf,$(TEST_ORDER)) || status=1; \
	for job in $(TEST_ORDER); do \
	  cat .venv/results-tf$$job >> .venv/results 2> /dev/null; \
	done; \
	echo "make test took $$(( $$(date +%s) - start )) s" >> .venv/results; \
	echo; echo "== make test: results per line"; cat .venv/results; \
	.venv/tf$(firstword $(LINES))/bin/python -m tools.suite --summary \
	  || status=1; \
	exit $$status

test-tf%-a:
	@$(MAKE) --no-print-directory test-line TF=$* PART=a
test-tf%-b:
	@$(MAKE) --no-print-directory test-line TF=$* PART=b
test-tf%:
	@$(MAKE) --no-print-directory test-line TF=$*

# The figures of the last make test, written into docs/testing.md
test-docs:
	$(VENV)/bin/python -m tools.suite

# one line's tests (PART=a: PART_A alone, PART=b: the others), in a
# temporary folder of its own, removed after
JOB = tf$(TF)$(if $(PART),-$(PART))
test-line: venv
	@echo "== tests on TensorFlow $(TF) (Python $(PYTHON_$(TF)))$(if $(PART), $(PART))"
	@tmp=$$(mktemp -d $${TMPDIR:-/tmp}/autoencoders-$(JOB).XXXXXX) && \
	chmod 1777 $$tmp && \
	TMPDIR=$$tmp $(VENV)/bin/python -m pytest -p no:cacheprovider \
	  --durations=20 $(if $(filter a,$(PART)),$(PART_A),tests \
	  $(if $(filter b,$(PART)),$(addprefix --ignore=,$(PART_A)))) \
	  > .venv/pytest-$(JOB).log 2>&1; \
	status=$$?; rm -rf $$tmp; cat .venv/pytest-$(JOB).log; \
	echo "TF $(TF)$(if $(PART), $(PART)): $$(grep -E '^=+ .* in [0-9.]+s' \
	  .venv/pytest-$(JOB).log | tail -n 1 | tr -d '='); $$(grep \
	  '^browser tests:' .venv/pytest-$(JOB).log); $$(grep '^ran on:' \
	  .venv/pytest-$(JOB).log); $$(grep '^skipped:' \
	  .venv/pytest-$(JOB).log)" > .venv/results-$(JOB); \
	exit $$status

# $(call apt-install,package,what for,what to say where it cannot): the
# Debian package installed where apt-get and root allow, else the line to
# run printed
define apt-install
if [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null 2>&1; then \
  echo "== installing Debian's $(1) for $(2)"; \
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq $(1)) > $${TMPDIR:-/tmp}/$(1)-install.log 2>&1 \
    || { tail -n 20 $${TMPDIR:-/tmp}/$(1)-install.log; exit 1; }; \
  rm -f $${TMPDIR:-/tmp}/$(1)-install.log; \
else \
  echo "$(3)" >&2; \
fi
endef

# The browser tests drive Debian's Chromium (the tests skip without it,
# except in CI, where they fail)
browser:
	@if [ -z "$$CHROMIUM" ] && ! command -v chromium > /dev/null 2>&1; then \
	  $(call apt-install,chromium,the browser tests,The browser tests need \
	    Chromium: sudo apt-get install chromium (or set CHROMIUM to a \
	    Chromium); without it they skip.); \
	fi

explore: venv
	EPOCHS=$(EPOCHS) $(VENV)/bin/python -m explorer.build

seed-logs:
	@$(MAKE) --no-print-directory venv TF=$(SEED_LINE)
	.venv/tf$(SEED_LINE)/bin/python -m tools.seed_logs

report: venv
	EPOCHS=$(EPOCHS) $(VENV)/bin/python -m tools.report

sparsity: venv
	EPOCHS=$(EPOCHS) $(VENV)/bin/python -m tools.sparsity

bench:
	@ls .venv/tf*/ready > /dev/null 2>&1 || $(MAKE) --no-print-directory venv
	@rm -f .venv/bench-rows.jsonl; for line in $(LINES); do \
	  if [ -f .venv/tf$$line/ready ]; then \
	    BENCH_ROWS=.venv/bench-rows.jsonl .venv/tf$$line/bin/python \
	      -m tools.bench || exit 1; \
	  fi; \
	done
ifneq ($(filter-out 0,$(PEERS)),)
	@$(MAKE) --no-print-directory .venv/peer-jax/ready .venv/peer-torch/ready
	@echo; python3 tools/peers/compare.py .venv/bench-rows.jsonl
endif

# TF 2.15 unless TF is named: where the exercise is graded today
GRADED_LINE := $(if $(filter command line environment,$(origin TF)),$(TF),2.15)
mutants:
	@$(MAKE) --no-print-directory venv TF=$(GRADED_LINE)
	.venv/tf$(GRADED_LINE)/bin/python -m tools.mutants $(MUTANTS)

margins: venv
	$(VENV)/bin/python -m tools.margins $(SEEDS)

# make check exits 0 where every check passed; where one failed, or there
# was nothing to check, make itself exits 2 (its rule for any failing
# command) and names the checker's own status: "Error 1" (a check failed)
# or "Error 2" (nothing to check). python -m tools.check exits 0, 1 or 2.
check:
	@test -n "$(SOLUTION)$(SOLUTIONS)" || { echo "make check needs" \
	  "SOLUTION=<folder> holding some of 0-vanilla.py ... 3-variational.py," \
	  "or SOLUTIONS=<folder> of such folders" >&2; exit 2; }
	@$(MAKE) --no-print-directory venv TF=$(GRADED_LINE) >&2
	@$(MAKE) --no-print-directory sandbox >&2
	@.venv/tf$(GRADED_LINE)/bin/python -m tools.check \
	  $(if $(SOLUTIONS),--class="$(SOLUTIONS)" $(if $(OUT),--out="$(OUT)") \
	    $(if $(filter-out 0,$(MERGE)),--merge),"$(SOLUTION)") \
	  $(if $(filter json,$(FORMAT)),--json) \
	  $(if $(filter junit,$(FORMAT)),--junit) \
	  $(if $(WEIGHTS),--weights="$(WEIGHTS)") \
	  $(if $(filter-out 0,$(QUICK)),--quick) \
	  $(if $(filter-out 0,$(VERBOSE)),--verbose) \
	  $(if $(SCHEDULER),--scheduler="$(SCHEDULER)") \
	  $(if $(TLS),--tls="$(TLS)") $(if $(DISK),--disk="$(DISK)") \
	  $(if $(PRIOR),--prior="$(PRIORS)")

# the prior folders, colon-separated as the command line takes them
PRIORS = $(subst $(eval) ,:,$(strip $(PRIOR)))

similar:
	@test -n "$(SOLUTIONS)" || { echo "make similar needs" \
	  "SOLUTIONS=<folder> of learners' folders" >&2; exit 2; }
	@$(MAKE) --no-print-directory venv TF=$(GRADED_LINE) >&2
	@.venv/tf$(GRADED_LINE)/bin/python -m tools.check \
	  --similar="$(SOLUTIONS)" $(if $(OUT),--out="$(OUT)") \
	  $(if $(PRIOR),--prior="$(PRIORS)")

# A Dask scheduler for make check SOLUTIONS= SCHEDULER=, on 127.0.0.1
# unless HOST is given; TLS=<folder of ca.pem, cert.pem, key.pem> for
# every connection across machines (docs/check.md): another HOST without
# it is refused, unless INSECURE=1 takes that risk
check-scheduler:
	@$(MAKE) --no-print-directory venv TF=$(GRADED_LINE) >&2
	@.venv/tf$(GRADED_LINE)/bin/python -m tools.check.runners.cluster scheduler \
	  --host=$(or $(HOST),127.0.0.1) --port=$(or $(PORT),8786) \
	  $(if $(TLS),--tls="$(TLS)") $(if $(filter-out 0,$(INSECURE)),--insecure)

# A worker of that scheduler, on any machine holding the project: its
# environment and sandbox made as make check makes them; JOBS learners
# at a time (default 1)
check-worker:
	@test -n "$(SCHEDULER)" || { echo "make check-worker needs" \
	  "SCHEDULER=tcp://HOST:8786 (or tls://...)" >&2; exit 2; }
	@$(MAKE) --no-print-directory venv TF=$(GRADED_LINE) >&2
	@$(MAKE) --no-print-directory sandbox >&2
	@.venv/tf$(GRADED_LINE)/bin/python -m tools.check.runners.cluster worker \
	  "$(SCHEDULER)" --jobs=$(or $(JOBS),1) $(if $(TLS),--tls="$(TLS)")

# make gradescope  OUT/autograder.zip (OUT default gradescope/): make check
#               as a Gradescope autograder (docs/check.md, Gradescope);
#               QUICK=1 leaves out what trains, WEIGHTS=<file> the points
gradescope:
	@$(MAKE) --no-print-directory venv TF=$(GRADED_LINE) >&2
	@.venv/tf$(GRADED_LINE)/bin/python -m tools.check.runners.gradescope \
	  build "$(or $(OUT),gradescope)" $(if $(filter-out 0,$(QUICK)),--quick) \
	  $(if $(WEIGHTS),--weights="$(WEIGHTS)")

check-bench:
	@$(MAKE) --no-print-directory venv TF=$(GRADED_LINE)
	@$(MAKE) --no-print-directory sandbox
	@.venv/tf$(GRADED_LINE)/bin/python -m tools.check.runners.bench \
	  $(if $(filter-out 0,$(FULL)),--full)

# make check runs learners' code in Debian's bubblewrap sandbox, as
# nobody (util-linux's setpriv) behind libseccomp's filter (without it one
# learner's checks run unisolated, and their report says so; a class is
# refused)
sandbox:
	@if ! command -v bwrap > /dev/null 2>&1; then \
	  $(call apt-install,bubblewrap,make check's sandbox,make check runs \
	    learners' code in a sandbox: sudo apt-get install bubblewrap \
	    (without it the code runs unisolated).); \
	fi

# A line's environment is made once per machine and kept while what makes
# it is unchanged: in $(ENVIRONMENTS)/tf<line>-<key>, the key a hash of its
# pinned requirements, its Python's version and pip's flags, and
# .venv/tf<line> links to it. A clean clone on a machine that made it once
# links it at once; a changed pin makes a new one beside it. The folder is
# open to every user (make check's user of its own runs this Python), so
# not under root's own home.
ENVIRONMENTS ?= $(if $(filter 0,$(shell id -u)),/var/cache/autoencoders,$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/autoencoders)/environments
ENVIRONMENT_KEY = $(shell { cat $(REQUIREMENTS_$(TF)); \
  echo "python $(PYTHON_$(TF)) pip $(PIP_FLAGS_$(TF))"; } \
  | { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-16)

venv:
	@test -n "$(PYTHON_$(TF))" || { echo "unknown line TF=$(TF); lines: 1.12 1.15 2.15 2.21" >&2; exit 1; }
	@kept=$(ENVIRONMENTS)/tf$(TF)-$(ENVIRONMENT_KEY); \
	if [ ! -f $$kept/ready ]; then \
	  mkdir -p $(ENVIRONMENTS) && chmod 755 $(ENVIRONMENTS) && \
	  $(MAKE) --no-print-directory $$kept/ready TF=$(TF) || exit 1; \
	fi; \
	if [ "$$(readlink $(VENV))" != "$$kept" ]; then \
	  mkdir -p .venv && rm -rf $(VENV) && ln -s $$kept $(VENV) && \
	  echo "== .venv/tf$(TF): TensorFlow $(TF)'s environment, $$kept"; \
	fi

# $(call make-venv,folder,Python version,requirements,pip flags,what for):
# a virtual environment made with that Python, found on PATH or under pyenv
define make-venv
@python=""; \
for candidate in python$(2) $$HOME/.pyenv/versions/$(2).*/bin/python$(2); do \
  if $$candidate -c 'import sys, venv; assert sys.version_info[:2] == tuple(map(int, "$(2)".split(".")))' 2>/dev/null; then \
    python=$$candidate; break; \
  fi; \
done; \
if [ -z "$$python" ]; then \
  echo "$(5) needs Python $(2): none found on PATH or under ~/.pyenv/versions." >&2; \
  echo "Install it (for example: pyenv install $(2)) and run make again." >&2; \
  exit 1; \
fi; \
echo "== making $(1) with $$python ($(5))"; \
rm -rf $(1) && $$python -m venv $(1) && \
$(1)/bin/python -m pip install $(4) -r $(3) \
  > $(1)/pip.log 2>&1 || { tail -n 30 $(1)/pip.log; exit 1; }; \
touch $(1)/ready
endef

$(ENVIRONMENTS)/tf%/ready:
	$(call make-venv,$(patsubst %/,%,$(dir $@)),$(PYTHON_$(TF)),$(REQUIREMENTS_$(TF)),$(PIP_FLAGS_$(TF)),TensorFlow $(TF))

# The peers of make bench PEERS=1, each in an environment of its own
.venv/peer-%/ready: requirements/peer-%.txt
	$(call make-venv,.venv/peer-$*,3.11,$<,,the $* peer)

clean:
	rm -rf .venv figures
