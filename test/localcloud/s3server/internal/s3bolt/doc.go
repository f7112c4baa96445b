// Package s3bolt is gofakes3's bbolt backend (github.com/johannesboyne/gofakes3
// v1.2.0, backend/s3bolt, MIT licence in LICENSE), carried here corrected. The file
// format is unchanged: a state file written by the upstream backend reads the same.
//
// What changed, and why:
//
//   - GetObject and HeadObject returned records decoded with BSON inside a bbolt read
//     transaction and used after it: BSON decodes []byte fields (the body, Contents, and
//     the MD5, Hash) as slices of its input, which is bbolt's memory map, valid only
//     until the transaction ends. A write that grows the file makes bbolt map it anew
//     and unmap the old region, so reading those slices later faulted (the local cloud
//     died with "fatal error: fault" under concurrent HEAD and PUT) or read other bytes
//     (GET served zeros or another object's bytes, silently). Both now copy the body (or
//     just the requested range) and the hash inside the transaction (boltObject.Object,
//     boltObject.head); TestReturnedBytesOutliveTheTransaction shows the difference.
//   - HeadObject no longer decodes the record through GetObject, and PutObject carries
//     the old object's metadata over through HeadObject instead of
//     gofakes3.MergeMetadata (which called GetObject): neither copies a body it does not
//     send.
//   - The internal s3io reader helpers of gofakes3 are replaced by io.NopCloser.
//
// Everything else (listing, buckets, deletes, conditional writes) is upstream's: those
// use what they decode inside their transaction.
package s3bolt
