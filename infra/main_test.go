package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// TestMain stops the jsii runtime (a Node process) once every test has run.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// synthesized is one app built by NewApp, with what the tests read from it.
type synthesized struct {
	stack    awscdk.Stack
	template assertions.Template
	// json is the template as plain Go values, for exact comparisons.
	json map[string]any
	// err is why the app could not be built or synthesized.
	err error
}

var (
	synthMu    sync.Mutex
	synthCache = map[string]*synthesized{}
)

// synth builds the app with cdk.json's context (the defaults and feature flags the CDK CLI
// passes) plus overrides, once per distinct overrides: the function is compiled once per app.
func synth(t *testing.T, overrides map[string]any) *synthesized {
	t.Helper()
	key := fmt.Sprint(overrides) // fmt prints maps with sorted keys
	synthMu.Lock()
	defer synthMu.Unlock()
	s, ok := synthCache[key]
	if !ok {
		ctx := cdkJSONContext(t)
		maps.Copy(ctx, overrides)
		s = build(ctx)
		synthCache[key] = s
	}
	if s.err != nil {
		t.Fatalf("context %v: %v", overrides, s.err)
	}
	return s
}

// build runs NewApp and synthesizes its stack. A synth that fails validation (a cdk-nag
// finding, for one) panics in jsii; the violations are then read back from the report.
func build(ctx map[string]any) (s *synthesized) {
	s = &synthesized{}
	app, stack, err := NewApp(ctx)
	if err != nil {
		s.err = fmt.Errorf("NewApp: %w", err)
		return s
	}
	defer func() {
		if r := recover(); r != nil {
			s.err = fmt.Errorf("synth: %v%s", r, validationViolations(*app.Outdir()))
		}
	}()
	s.stack = stack
	s.template = assertions.Template_FromStack(stack, nil)
	data, err := json.Marshal(s.template.ToJSON())
	if err == nil {
		err = json.Unmarshal(data, &s.json)
	}
	if err != nil {
		s.err = fmt.Errorf("template as JSON: %w", err)
	}
	return s
}

// validationViolations lists, one a line, the violations in outdir's validation report.
func validationViolations(outdir string) string {
	data, err := os.ReadFile(filepath.Join(outdir, "validation-report.json"))
	if err != nil {
		return fmt.Sprintf(" (no validation report: %v)", err)
	}
	var report struct {
		PluginReports []struct {
			Violations []struct {
				Description         string `json:"description"`
				ViolatingConstructs []struct {
					ConstructPath string `json:"constructPath"`
				} `json:"violatingConstructs"`
			} `json:"violations"`
		} `json:"pluginReports"`
	}
	if err := json.Unmarshal(data, &report); err != nil {
		return fmt.Sprintf(" (unreadable validation report: %v)", err)
	}
	var b strings.Builder
	for _, plugin := range report.PluginReports {
		for _, v := range plugin.Violations {
			for _, c := range v.ViolatingConstructs {
				fmt.Fprintf(&b, "\n  %s: %s", c.ConstructPath, strings.TrimSpace(v.Description))
			}
		}
	}
	return b.String()
}

// defaults is the app as `cdk synth` builds it with no -c options.
func defaults(t *testing.T) *synthesized { return synth(t, nil) }

// cdkJSONContext reads the context block of the repository's cdk.json.
func cdkJSONContext(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile("../cdk.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Context map[string]any `json:"context"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatalf("cdk.json: %v", err)
	}
	return file.Context
}

// resources returns the template's resources of type typ by logical id.
func (s *synthesized) resources(typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	all, _ := s.json["Resources"].(map[string]any)
	for id, r := range all {
		if res, ok := r.(map[string]any); ok && res["Type"] == typ {
			out[id] = res
		}
	}
	return out
}

// only returns the logical id and Properties of the one resource of type typ whose logical id
// starts with prefix, failing the test unless there is exactly one.
func (s *synthesized) only(t *testing.T, typ, prefix string) (string, map[string]any) {
	t.Helper()
	var ids []string
	for id := range s.resources(typ) {
		if strings.HasPrefix(id, prefix) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	if len(ids) != 1 {
		t.Fatalf("want one %s with logical id %s*, found %v", typ, prefix, ids)
	}
	props, _ := s.resources(typ)[ids[0]]["Properties"].(map[string]any)
	return ids[0], props
}

// statementsBySid returns the Allow statements of a role's inline policies (its Properties)
// by Sid, failing the test on a statement without one or a Sid used twice.
func statementsBySid(t *testing.T, roleProps map[string]any) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, stmt := range allowStatements(map[string]any{"Properties": roleProps}) {
		sid, _ := stmt["Sid"].(string)
		if _, dup := out[sid]; sid == "" || dup {
			t.Fatalf("statement Sid %q is empty or used twice", sid)
		}
		out[sid] = stmt
	}
	return out
}

// ref and getAtt write CloudFormation references as they appear in plain templates.
func ref(id string) map[string]any { return map[string]any{"Ref": id} }

func getAtt(id, attr string) map[string]any {
	return map[string]any{"Fn::GetAtt": []any{id, attr}}
}

// objectsArn is the ARN of the objects of the created bucket bucketID under prefix.
func objectsArn(bucketID, prefix string) map[string]any {
	return map[string]any{"Fn::Join": []any{"", []any{getAtt(bucketID, "Arn"), "/" + prefix + "*"}}}
}

// check runs a CDK assertion, which panics on a mismatch, and reports the mismatch as a
// test failure so the other tests still run.
func check(t *testing.T, assertion func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%v", r)
		}
	}()
	assertion()
}
