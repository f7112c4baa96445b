package s3bolt

import (
	"bytes"
	"crypto/md5"
	"errors"
	"fmt"
	"io"
	"log"

	bolt "go.etcd.io/bbolt"
	"gopkg.in/mgo.v2/bson"

	"github.com/johannesboyne/gofakes3"
)

var (
	emptyPrefix = &gofakes3.Prefix{}
)

type Backend struct {
	bolt           *bolt.DB
	timeSource     gofakes3.TimeSource
	metaBucketName []byte
}

var _ gofakes3.Backend = &Backend{}

type Option func(b *Backend)

func WithTimeSource(timeSource gofakes3.TimeSource) Option {
	return func(b *Backend) { b.timeSource = timeSource }
}

func NewFile(file string, opts ...Option) (*Backend, error) {
	if file == "" {
		return nil, fmt.Errorf("gofakes3: invalid bolt file name")
	}
	db, err := bolt.Open(file, 0600, nil)
	if err != nil {
		return nil, err
	}
	return New(db, opts...), nil
}

func New(bolt *bolt.DB, opts ...Option) *Backend {
	b := &Backend{
		bolt:           bolt,
		metaBucketName: []byte("_meta"), // Underscore guarantees no overlap with legal S3 bucket names
	}
	for _, opt := range opts {
		opt(b)
	}
	if b.timeSource == nil {
		b.timeSource = gofakes3.DefaultTimeSource()
	}
	return b
}

// metaBucket returns a utility that manages access to the metadata bucket.
// The returned struct is valid only for the lifetime of the bolt.Tx.
// The metadata bucket may not exist if this is an older database.
func (db *Backend) metaBucket(tx *bolt.Tx) (*metaBucket, error) {
	var bucket *bolt.Bucket
	var err error

	if tx.Writable() {
		bucket, err = tx.CreateBucketIfNotExists(db.metaBucketName)
		if err != nil {
			return nil, err
		}
	} else {
		bucket = tx.Bucket(db.metaBucketName)
		if bucket == nil {
			// FIXME: support legacy databases; remove when versioning is supported.
			return nil, nil
		}
	}

	return &metaBucket{
		Tx:       tx,
		bucket:   bucket,
		metaName: db.metaBucketName,
	}, nil
}

func (db *Backend) ListBuckets() ([]gofakes3.BucketInfo, error) {
	var buckets []gofakes3.BucketInfo

	err := db.bolt.View(func(tx *bolt.Tx) error {
		metaBucket, err := db.metaBucket(tx)
		if err != nil {
			return err
		}

		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			if bytes.Equal(name, db.metaBucketName) {
				return nil
			}

			nameStr := string(name)
			info := gofakes3.BucketInfo{Name: nameStr}

			// Attempt to assign metadata. If it isn't found, we will just
			// pretend that's fine for now. This is to support existing
			// databases that have buckets created without associated metadata.
			//
			// FIXME: clean this up when there is an upgrade script to expect
			// that it exists
			if metaBucket != nil {
				bucketInfo, err := metaBucket.s3Bucket(nameStr)
				if err != nil {
					return err
				}
				if bucketInfo != nil {
					info.CreationDate = gofakes3.NewContentTime(bucketInfo.CreationDate)
				}
			}

			// The AWS CLI will fail if there is no creation date:
			if info.CreationDate.IsZero() {
				info.CreationDate = gofakes3.NewContentTime(db.timeSource.Now())
			}

			buckets = append(buckets, info)
			return nil
		})
	})

	return buckets, err
}

func (db *Backend) ListBucket(name string, prefix *gofakes3.Prefix, page gofakes3.ListBucketPage) (*gofakes3.ObjectList, error) {
	if prefix == nil {
		prefix = emptyPrefix
	}

	objects := gofakes3.NewObjectList()

	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(name))
		if b == nil {
			return gofakes3.BucketNotFound(name)
		}

		c := b.Cursor()
		var match gofakes3.PrefixMatch

		var k, v []byte
		if page.HasMarker {
			k, v = c.Seek([]byte(page.Marker))
			if string(k) == page.Marker {
				k, v = c.Next()
			}
		} else {
			k, v = c.First()
		}

		var cnt int64 = 0
		var lastMatchedPart string
		var lastKey string

		for ; k != nil; k, v = c.Next() {
			key := string(k)
			if !prefix.Match(key, &match) {
				continue

			} else if match.CommonPrefix {
				if match.MatchedPart == lastMatchedPart {
					continue // Should not count towards keys
				}
				objects.AddPrefix(match.MatchedPart)
				lastMatchedPart = match.MatchedPart
				// NextMarker must be the raw key, not the common prefix: using
				// the prefix (e.g. "a/") as a marker does not advance past the
				// keys under it (since "a/1" > "a/"), causing infinite pagination.
				lastKey = key
				cnt++

			} else {
				var b boltObject
				err := bson.Unmarshal(v, &b)
				if err != nil {
					return fmt.Errorf("gofakes3: could not unmarshal object %q: %v", string(k[:]), err)
				}
				item := &gofakes3.Content{
					Key:          string(k[:]),
					ETag:         gofakes3.FormatETag(b.Hash),
					Size:         b.Size,
					LastModified: gofakes3.NewContentTime(b.LastModified.UTC()),
				}
				objects.Add(item)
				lastKey = key
				cnt++
			}

			// cnt is incremented above when items are actually added
			if page.MaxKeys > 0 && cnt >= page.MaxKeys {
				// Look ahead to decide truncation and the correct NextMarker.
				// Keys that roll up into the common prefix we just emitted are
				// already represented by it, so they don't make a new page — but
				// NextMarker must still advance past the whole group, otherwise
				// the next page re-emits (or, if set to the prefix itself, loops
				// forever on) that prefix.
				nextMarker := lastKey
				var hasMore bool
				for nextK, _ := c.Next(); nextK != nil; nextK, _ = c.Next() {
					var nextMatch gofakes3.PrefixMatch
					if !prefix.Match(string(nextK), &nextMatch) {
						continue
					}
					if nextMatch.CommonPrefix && nextMatch.MatchedPart == lastMatchedPart {
						nextMarker = string(nextK)
						continue
					}
					hasMore = true
					break
				}
				if hasMore {
					objects.IsTruncated = true
					objects.NextMarker = nextMarker
				}
				break
			}
		}

		return nil
	})

	return objects, err
}

func (db *Backend) CreateBucket(name string) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		{ // create bucket metadata
			metaBucket, err := db.metaBucket(tx)
			if err != nil {
				return err
			}
			if err := metaBucket.createS3Bucket(name, db.timeSource.Now()); err != nil {
				return err
			}
		}

		{ // create bucket
			nameBts := []byte(name)
			if tx.Bucket(nameBts) != nil {
				return gofakes3.ResourceError(gofakes3.ErrBucketAlreadyExists, name)
			}
			if _, err := tx.CreateBucket(nameBts); err != nil {
				return err
			}
		}
		return nil
	})
}

func (db *Backend) DeleteBucket(name string) error {
	nameBts := []byte(name)

	if bytes.Equal(nameBts, db.metaBucketName) {
		return gofakes3.ResourceError(gofakes3.ErrInvalidBucketName, name)
	}

	return db.bolt.Update(func(tx *bolt.Tx) error {
		{ // delete bucket
			b := tx.Bucket(nameBts)
			if b == nil {
				return gofakes3.ErrNoSuchBucket
			}
			c := b.Cursor()
			k, _ := c.First()
			if k != nil {
				return gofakes3.ResourceError(gofakes3.ErrBucketNotEmpty, name)
			}
		}

		{ // delete bucket metadata
			metaBucket, err := db.metaBucket(tx)
			if err != nil {
				return err
			}

			// FIXME: assumes a legacy database, where the bucket may not exist. Clean
			// this up when there is a DB upgrade script.
			if metaBucket != nil {
				if err := metaBucket.deleteS3Bucket(name); err != nil {
					return err
				}
			}
		}

		return tx.DeleteBucket(nameBts)
	})
}

func (db *Backend) ForceDeleteBucket(name string) error {
	nameBts := []byte(name)

	if bytes.Equal(nameBts, db.metaBucketName) {
		return gofakes3.ResourceError(gofakes3.ErrInvalidBucketName, name)
	}

	return db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(nameBts)
		if b == nil {
			return gofakes3.BucketNotFound(name)
		}

		// Delete all objects in the bucket
		c := b.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if err := b.Delete(k); err != nil {
				return fmt.Errorf("gofakes3: delete failed for object %q in bucket %q", k, name)
			}
		}

		// Delete bucket metadata
		metaBucket, err := db.metaBucket(tx)
		if err != nil {
			return err
		}

		// FIXME: assumes a legacy database, where the bucket may not exist. Clean
		// this up when there is a DB upgrade script.
		if metaBucket != nil {
			if err := metaBucket.deleteS3Bucket(name); err != nil {
				return err
			}
		}

		// Delete the bucket itself
		return tx.DeleteBucket(nameBts)
	})
}

func (db *Backend) BucketExists(name string) (exists bool, err error) {
	err = db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(name))
		exists = b != nil
		return nil
	})
	return exists, err
}

// HeadObject returns the object's size, hash and metadata, without its body. Nothing
// it returns refers to bbolt's memory.
func (db *Backend) HeadObject(bucketName, objectName string) (*gofakes3.Object, error) {
	var obj *gofakes3.Object
	err := db.view(bucketName, objectName, func(t *boltObject) error {
		obj = t.head(objectName)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return obj, nil
}

// GetObject returns the object, or the requested range of it. Its body and hash are
// copied inside the read transaction: bbolt's values are valid only until the
// transaction ends, as a later write that grows the file maps it anew.
func (db *Backend) GetObject(bucketName, objectName string, rangeRequest *gofakes3.ObjectRangeRequest) (*gofakes3.Object, error) {
	var obj *gofakes3.Object
	err := db.view(bucketName, objectName, func(t *boltObject) error {
		var err error
		// FIXME: objectName here is a bit of a hack; this can be cleaned up when we have a
		// database migration script.
		obj, err = t.Object(objectName, rangeRequest)
		return err
	})
	if err != nil {
		return nil, err
	}
	return obj, nil
}

// view decodes the object's record inside a read transaction and passes it to fn, which
// must not keep any of its byte slices: they point into bbolt's memory map.
func (db *Backend) view(bucketName, objectName string, fn func(t *boltObject) error) error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucketName))
		if b == nil {
			return gofakes3.BucketNotFound(bucketName)
		}

		v := b.Get([]byte(objectName))
		if v == nil {
			return gofakes3.KeyNotFound(objectName)
		}

		var t boltObject
		if err := bson.Unmarshal(v, &t); err != nil {
			return fmt.Errorf("gofakes3: could not unmarshal object at %q/%q: %v", bucketName, objectName, err)
		}
		return fn(&t)
	})
}

func (db *Backend) PutObject(
	bucketName, objectName string,
	meta map[string]string,
	input io.Reader,
	size int64,
	conditions *gofakes3.PutConditions,
) (result gofakes3.PutObjectResult, err error) {

	bts, err := gofakes3.ReadAll(input, size)
	if err != nil {
		return result, err
	}

	// gofakes3.MergeMetadata would read the whole existing object (GetObject) for its
	// metadata; HeadObject reads the metadata alone.
	err = mergeMetadata(db, bucketName, objectName, meta)
	if err != nil {
		return result, err
	}

	mod := db.timeSource.Now()
	hash := md5.Sum(bts)

	return result, db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucketName))
		if b == nil {
			return gofakes3.BucketNotFound(bucketName)
		}

		if conditions != nil {
			objectInfo, err := db.getConditionalObjectInfo(b, objectName)
			if err != nil {
				return err
			}
			if err := gofakes3.CheckPutConditions(conditions, objectInfo); err != nil {
				return err
			}
		}

		data, err := bson.Marshal(&boltObject{
			Name:         objectName,
			Metadata:     meta,
			Size:         int64(len(bts)),
			LastModified: mod,
			Contents:     bts,
			Hash:         hash[:],
		})
		if err != nil {
			return err
		}
		if err := b.Put([]byte(objectName), data); err != nil {
			return err
		}
		return nil
	})
}

// mergeMetadata carries the existing object's metadata over to meta where meta does not
// set it, as gofakes3.MergeMetadata does.
func mergeMetadata(db *Backend, bucketName, objectName string, meta map[string]string) error {
	existing, err := db.HeadObject(bucketName, objectName)
	if err != nil {
		var nsk *gofakes3.ErrorResponse
		if errors.As(err, &nsk) && nsk.Code != "NoSuchKey" {
			return err
		}
		return nil
	}
	for k, v := range existing.Metadata {
		if _, ok := meta[k]; !ok {
			meta[k] = v
		}
	}
	return nil
}

func (db *Backend) CopyObject(srcBucket, srcKey, dstBucket, dstKey string, meta map[string]string) (result gofakes3.CopyObjectResult, err error) {
	return gofakes3.CopyObject(db, srcBucket, srcKey, dstBucket, dstKey, meta)
}

func (db *Backend) DeleteObject(bucketName, objectName string) (result gofakes3.ObjectDeleteResult, rerr error) {
	return result, db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucketName))
		if b == nil {
			return gofakes3.BucketNotFound(bucketName)
		}
		if err := b.Delete([]byte(objectName)); err != nil {
			return fmt.Errorf("gofakes3: delete failed for object %q in bucket %q", objectName, bucketName)
		}
		return nil
	})
}

func (db *Backend) DeleteMulti(bucketName string, objects ...string) (result gofakes3.MultiDeleteResult, err error) {
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucketName))
		if b == nil {
			return gofakes3.BucketNotFound(bucketName)
		}

		for _, object := range objects {
			if err := b.Delete([]byte(object)); err != nil {
				log.Println("delete object failed:", err)
				result.Error = append(result.Error, gofakes3.ErrorResult{
					Code:    gofakes3.ErrInternal,
					Message: gofakes3.ErrInternal.Message(),
					Key:     object,
				})

			} else {
				result.Deleted = append(result.Deleted, gofakes3.ObjectID{
					Key: object,
				})
			}
		}

		return nil
	})

	return result, err
}

// getConditionalObjectInfo returns information about an object for conditional checking.
// This method assumes it's called within a bolt transaction.
func (db *Backend) getConditionalObjectInfo(bucket *bolt.Bucket, objectName string) (*gofakes3.ConditionalObjectInfo, error) {
	existingData := bucket.Get([]byte(objectName))
	if existingData == nil {
		return &gofakes3.ConditionalObjectInfo{Exists: false}, nil
	}
	var existing boltObject
	if err := bson.Unmarshal(existingData, &existing); err != nil {
		return nil, fmt.Errorf("gofakes3: could not unmarshal object %q: %v", objectName, err)
	}
	return &gofakes3.ConditionalObjectInfo{
		Exists: true,
		Hash:   existing.Hash,
	}, nil
}
