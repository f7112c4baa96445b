// Command thumbnail makes a thumbnail of one image with the same core and the
// same defaults as the Lambda function.
//
//	thumbnail [-size WxH] [-mode fill|fit|stretch] [-quality N] [-format jpeg|png|gif|webp] IN OUT
//
// "-" for IN or OUT is standard input or output. The output format is -format,
// else OUT's extension, else IN's format. Exit status: 0 on success, 1 when IN
// cannot be made into a thumbnail or OUT cannot be written, 2 on a usage error.
package main

import "os"

func main() {
	tuneGC(os.Getenv)
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
