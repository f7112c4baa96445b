package lambdaapi

import (
	"fmt"
	"net/http"
	"strings"
)

// LatestVersion is the only version of a function in the local cloud.
const LatestVersion = "$LATEST"

// Function is how Lambda names a function: its name, in a partition, region and account.
type Function struct {
	Name, Partition, Region, Account string
}

// ARN is the function's unqualified ARN.
func (f Function) ARN() string {
	return fmt.Sprintf("arn:%s:lambda:%s:%s:function:%s", f.Partition, f.Region, f.Account, f.Name)
}

// resolve checks that name and qualifier, as an Invoke call gives them, name this
// function's $LATEST. It accepts the three forms Lambda accepts, each optionally
// followed by ":" and a qualifier:
//
//	NAME
//	ACCOUNT:function:NAME               (a partial ARN)
//	arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME
//
// Anything else is answered as Lambda answers a function it does not have: 404
// ResourceNotFoundException.
func (f Function) resolve(name, qualifier string) *apiError {
	given, ok := parseFunctionName(name)
	if !ok {
		return f.notFound(name)
	}
	if given.qualifier != "" && qualifier != "" && given.qualifier != qualifier {
		return &apiError{status: http.StatusBadRequest, errorType: "InvalidParameterValueException",
			message: "The derived qualifier from the function name does not match the specified qualifier."}
	}
	if qualifier == "" {
		qualifier = given.qualifier
	}
	same := func(got, want string) bool { return got == "" || got == want }
	if given.name != f.Name || !same(given.partition, f.Partition) || !same(given.region, f.Region) || !same(given.account, f.Account) ||
		!same(qualifier, LatestVersion) {
		missing := Function{Name: given.name, Partition: or(given.partition, f.Partition), Region: or(given.region, f.Region), Account: or(given.account, f.Account)}
		arn := missing.ARN()
		if qualifier != "" {
			arn += ":" + qualifier
		}
		return f.notFound(arn)
	}
	return nil
}

func (f Function) notFound(what string) *apiError {
	return &apiError{status: http.StatusNotFound, errorType: "ResourceNotFoundException", message: "Function not found: " + what}
}

// functionName is a function name taken apart; empty fields were not given.
type functionName struct {
	partition, region, account, name, qualifier string
}

// parseFunctionName reads a name, partial ARN or ARN, each with an optional qualifier.
func parseFunctionName(s string) (functionName, bool) {
	parts := strings.Split(s, ":")
	var n functionName
	switch {
	case parts[0] == "arn" && (len(parts) == 7 || len(parts) == 8) && parts[2] == "lambda" && parts[5] == "function":
		n = functionName{partition: parts[1], region: parts[3], account: parts[4], name: parts[6]}
		parts = parts[7:]
	case (len(parts) == 3 || len(parts) == 4) && parts[1] == "function":
		n = functionName{account: parts[0], name: parts[2]}
		parts = parts[3:]
	case len(parts) == 1 || len(parts) == 2:
		n = functionName{name: parts[0]}
		parts = parts[1:]
	default:
		return functionName{}, false
	}
	if len(parts) == 1 {
		if parts[0] == "" {
			return functionName{}, false
		}
		n.qualifier = parts[0]
	}
	return n, n.name != ""
}

func or(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}
