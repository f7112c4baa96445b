// Package contract is what the function, the infrastructure, the backfill and
// the local cloud agree on: the environment the function reads (names,
// defaults, validation), the thumbnail settings and security limits as plain
// values, the metrics it emits, the metadata it writes on thumbnails and the
// events it acts on.
//
// It imports no image codec and no AWS SDK, so that reading the contract
// links neither: the CDK app and the tests import it without pulling in the
// image core. TestDependencies keeps it that way.
package contract
