package handler

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// BenchmarkHandleCreated measures one Object Created event end to end on the
// in-memory S3: with a stand-in image core it is the handler's own cost
// (decode the event, skip rules, reads, write, logs); with the real core on a
// 1600x1200 JPEG it is what one invocation spends outside the network.
func BenchmarkHandleCreated(b *testing.B) {
	jpegSource := encodeJPEG(b, gradient(1600, 1200))
	for _, bc := range []struct {
		name  string
		maker *fakeMaker
		body  []byte
	}{
		{"handler only", &fakeMaker{}, []byte(sourceBody)},
		{"real core 1600x1200 JPEG", nil, jpegSource},
	} {
		b.Run(bc.name, func(b *testing.B) {
			fake := newFakeS3()
			log, err := NewLogger(&logLines{}, "info")
			if err != nil {
				b.Fatal(err)
			}
			h, err := New(contract.Default(), fake, log)
			if err != nil {
				b.Fatal(err)
			}
			if bc.maker != nil {
				h.make = bc.maker.make
			}
			events := make([]json.RawMessage, 64)
			for i := range events {
				key := fmt.Sprintf("photos/%02d.jpg", i)
				fake.add(testBucket, key, bc.body)
				events[i] = makeEvent(b, ebCreated, key, int64(len(bc.body)))
			}
			b.SetBytes(int64(len(bc.body)))
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				// Drop the thumbnail so every iteration makes one, and the call log so it does not grow.
				delete(fake.objects, testBucket+"/resized/photos/"+fmt.Sprintf("%02d.jpg", i%len(events)))
				fake.calls, fake.writes = fake.calls[:0], fake.writes[:0]
				if err := h.Handle(context.Background(), events[i%len(events)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
