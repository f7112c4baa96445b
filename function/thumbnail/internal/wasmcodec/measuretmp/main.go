package main

import (
	"bytes"
	"context"
	"fmt"
	"github.com/gen2brain/heic"
	"image"
	"image/draw"
	"os"
	"syscall"
	"time"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/wasmcodec"
)

func rss() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Maxrss / 1024
}

func main() {
	ctx := context.Background()
	mode := os.Args[1]
	s := wasmcodec.Settings{}
	if len(os.Args) > 3 && os.Args[3] == "interp" {
		s.Engine = wasmcodec.Interpreter
	}
	if len(os.Args) > 4 {
		s.CacheDir = os.Args[4]
	}
	wasmcodec.Configure(s)
	switch mode {
	case "webp", "avif":
		src := testimage.Photo(128, 128)
		img := image.NewNRGBA(src.Bounds())
		draw.Draw(img, img.Bounds(), src, image.Point{}, draw.Src)
		for i := 0; i < 6; i++ {
			t := time.Now()
			var out []byte
			var err error
			if mode == "webp" {
				out, err = wasmcodec.EncodeWebP(ctx, img, 75, 4, false)
			} else {
				out, err = wasmcodec.EncodeAVIF(ctx, img, 60, 10, false)
			}
			fmt.Printf("%s encode %d: %v bytes=%d err=%v\n", mode, i, time.Since(t), len(out), err)
		}
	case "heicref":
		data, _ := os.ReadFile(os.Args[2])
		t := time.Now()
		img, err := heic.Decode(bytes.NewReader(data))
		fmt.Println(img.Bounds(), err, time.Since(t), rss())
	case "heic", "avifdec":
		data, _ := os.ReadFile(os.Args[2])
		t := time.Now()
		var peak wasmcodec.PeakMemory
		var err error
		if mode == "heic" {
			peak, err = wasmcodec.DecodeHEIF(ctx, data, 2<<30, func(img image.Image) error {
				fmt.Printf("%T %v\n", img, img.Bounds())
				return nil
			})
		} else {
			peak, err = wasmcodec.DecodeAVIF(ctx, data, 2<<30, func(img *image.RGBA) error {
				fmt.Printf("%T %v\n", img, img.Bounds())
				return nil
			})
		}
		fmt.Printf("%s decode: %v peak linear=%d MB err=%v maxrss=%d MB\n", mode, time.Since(t), peak>>20, err, rss())
	}
	fmt.Println("compile:", wasmcodec.CompileTimes())
}
