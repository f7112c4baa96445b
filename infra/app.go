package main

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// StackID names the stack, and so its template: cdk.out/Thumbnails.template.json.
const StackID = "Thumbnails"

// NewApp builds the CDK app: the settings read from context, the one stack, and the cdk-nag
// checks. extra adds context below what the CDK CLI passes (cdk.json and -c); nil adds none.
// Bad context, and any construct refusing its input, come back as an error.
func NewApp(extra map[string]any) (awscdk.App, awscdk.Stack, error) {
	ctx := make(map[string]any, len(extra))
	for k, v := range extra {
		ctx[k] = v
	}
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx})
	settings, err := SettingsFromContext(func(key string) any {
		return app.Node().TryGetContext(jsii.String(key))
	})
	if err != nil {
		return nil, nil, err
	}
	dir, err := FindFunctionDir()
	if err != nil {
		return nil, nil, err
	}
	stack, err := newStack(app, settings, dir)
	if err != nil {
		return nil, nil, err
	}
	addNagChecks(app)
	return app, stack, nil
}

// newStack creates the stack. CDK constructs reject input by throwing, which jsii turns into a
// Go panic; it is returned here as an error so the app can exit with one clear line.
func newStack(app awscdk.App, settings Settings, functionDir string) (stack awscdk.Stack, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("stack %s: %v", StackID, r)
		}
	}()
	return NewThumbnailsStack(app, StackID, &ThumbnailsStackProps{Settings: &settings, FunctionDir: functionDir}), nil
}
