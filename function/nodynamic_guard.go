//go:build lambda.norpc && !nodynamic

package main

// Every Lambda build of the function (tag lambda.norpc) must also carry the
// tag nodynamic. Without it the WebAssembly codec packages (gen2brain/heic,
// avif, webp) link a dynamic loader into the binary and look for system
// libheif, libavif and libwebp at start-up, which costs every cold start and
// is never wanted: the codecs run as WebAssembly. This line stops such a
// build with the tag's name in the error.
var _ = buildWithTagsLambdaNorpcAndNodynamic
