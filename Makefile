# SPPT — the two commands: `make run` and `make test`.
SHELL := /bin/bash
GO    ?= go
AXE   := .tools/node_modules/axe-core/axe.min.js

.PHONY: run test needs vet unit bench build tools fuzz proof clean

## run: find or start PostgreSQL, migrate, seed demo data and serve on :8080
run:
	@.tools/need postgres
	$(GO) mod download
	$(GO) run ./cmd/sppt dev

## build: the one binary
build:
	$(GO) build -o bin/sppt ./cmd/sppt

## test: vet, unit + integration tests against real PostgreSQL (race detector), browser tests.
## PostgreSQL is found or started as `make run` does (internal/db/withdb), and stopped after.
test: needs tools vet
	$(GO) run ./internal/db/withdb -- env SPPT_REQUIRE_BROWSER=$${SPPT_REQUIRE_BROWSER:-1} \
		$(GO) test -race -count=1 -timeout 20m ./...

## needs: PostgreSQL's binaries, Chromium and npm, installed if missing (root + apt-get) or named
needs:
	@.tools/need postgres chromium npm

## vet: with -race, so the packages it compiles are the ones `go test -race` links
## (a cold CI cache compiles everything once instead of twice: about 3 minutes less)
vet:
	$(GO) vet -race ./...

## tools: axe-core for the accessibility checks in browser tests
tools: $(AXE)
$(AXE): .tools/package.json
	npm ci --prefix .tools --no-audit --no-fund --loglevel=error
	@touch $(AXE)

## bench: the benchmarks under bench/, each printing its figures and a same-run baseline ratio
bench:
	SPPT_BENCH=1 $(GO) test -p 1 -count=1 -timeout 30m -run '^TestBench' -v ./bench/... 2>&1 \
		| tee .bench.log | grep -E '^(flashcrowd|fairness|feed|callnext|broadcast|inbound|dedup|watchlist|officeday):|^(FAIL|ok|---)'

## fuzz: run every fuzz target briefly (FUZZTIME per target; FuzzAPIBodies needs PostgreSQL, found or started)
FUZZTIME ?= 15s
fuzz:
	$(GO) run ./internal/db/withdb -- $(GO) run ./proof/fuzzall -fuzztime $(FUZZTIME)

clean:
	rm -rf bin .bench.log .proof.log

## proof: issue 14's proof at full size (load, faults, attacks, fuzzing, audit), one line per figure.
## The same tests run a fast subset inside `make test`. PROOF_FUZZTIME bounds each fuzz target.
PROOF_FUZZTIME ?= 20s
proof: needs tools
	$(GO) run ./internal/db/withdb -- env SPPT_PROOF=1 SPPT_REQUIRE_BROWSER=$${SPPT_REQUIRE_BROWSER:-1} \
		$(GO) test -p 1 -count=1 -timeout 60m -v ./proof/... 2>&1 | tee .proof.log | grep -E '^proof:|^(FAIL|ok|---)'
	$(GO) run ./internal/db/withdb -- $(GO) run ./proof/fuzzall -fuzztime $(PROOF_FUZZTIME) 2>&1 | tee -a .proof.log | grep -E '^proof:|FAIL'
	@! grep -q -E '^proof:.* FAILED$$|^(FAIL|--- FAIL)' .proof.log

