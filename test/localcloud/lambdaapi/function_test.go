package lambdaapi

import (
	"net/http"
	"testing"
)

func TestResolve(t *testing.T) {
	fn := Function{Name: "Thumbnailer", Partition: "aws", Region: "us-east-1", Account: "000000000000"}
	const arn = "arn:aws:lambda:us-east-1:000000000000:function:Thumbnailer"
	tests := []struct {
		name, qualifier string
		status          int // 0: found
		message         string
	}{
		{name: "Thumbnailer"},
		{name: "Thumbnailer:$LATEST"},
		{name: "Thumbnailer", qualifier: "$LATEST"},
		{name: "Thumbnailer:$LATEST", qualifier: "$LATEST"},
		{name: "000000000000:function:Thumbnailer"},
		{name: "000000000000:function:Thumbnailer:$LATEST"},
		{name: arn},
		{name: arn + ":$LATEST"},
		{name: "Other", status: http.StatusNotFound, message: "Function not found: arn:aws:lambda:us-east-1:000000000000:function:Other"},
		{name: "thumbnailer", status: http.StatusNotFound, message: "Function not found: arn:aws:lambda:us-east-1:000000000000:function:thumbnailer"},
		{name: "Thumbnailer:live", status: http.StatusNotFound, message: "Function not found: " + arn + ":live"},
		{name: "Thumbnailer", qualifier: "3", status: http.StatusNotFound, message: "Function not found: " + arn + ":3"},
		{name: "Thumbnailer:live", qualifier: "$LATEST", status: http.StatusBadRequest,
			message: "The derived qualifier from the function name does not match the specified qualifier."},
		{name: "111122223333:function:Thumbnailer", status: http.StatusNotFound,
			message: "Function not found: arn:aws:lambda:us-east-1:111122223333:function:Thumbnailer"},
		{name: "arn:aws:lambda:eu-west-1:000000000000:function:Thumbnailer", status: http.StatusNotFound,
			message: "Function not found: arn:aws:lambda:eu-west-1:000000000000:function:Thumbnailer"},
		{name: "arn:aws-cn:lambda:us-east-1:000000000000:function:Thumbnailer", status: http.StatusNotFound,
			message: "Function not found: arn:aws-cn:lambda:us-east-1:000000000000:function:Thumbnailer"},
		{name: "Thumbnailer:", status: http.StatusNotFound, message: "Function not found: Thumbnailer:"},
		{name: "a:b:c:d:e", status: http.StatusNotFound, message: "Function not found: a:b:c:d:e"},
		{name: "arn:aws:s3:::images", status: http.StatusNotFound, message: "Function not found: arn:aws:s3:::images"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"?"+tt.qualifier, func(t *testing.T) {
			err := fn.resolve(tt.name, tt.qualifier)
			if tt.status == 0 {
				if err != nil {
					t.Fatalf("not resolved: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("resolved")
			}
			if err.status != tt.status || err.message != tt.message {
				t.Errorf("got %d %q, want %d %q", err.status, err.message, tt.status, tt.message)
			}
		})
	}
}

func TestFunctionARN(t *testing.T) {
	fn := Function{Name: "f", Partition: "aws", Region: "eu-west-1", Account: "111122223333"}
	if got, want := fn.ARN(), "arn:aws:lambda:eu-west-1:111122223333:function:f"; got != want {
		t.Errorf("ARN %q, want %q", got, want)
	}
}
