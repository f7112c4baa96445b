package thumbnail

import (
	"bytes"
	"image"
	"image/draw"
	"image/gif"

	"golang.org/x/image/webp"
)

// decoder reads one format. config reads only the header, so limits are checked
// before any pixel buffer exists. decode may return an image smaller than the
// stored size (a scaled decode, such as JPEG at 1/2, 1/4 or 1/8) as long as it is
// at least targetW x targetH, or the stored size when that is smaller; the
// target is in stored orientation. Decoders that cannot scale ignore it.
// decode never starts a decode estimated (decodecost.go) to allocate more
// than budget bytes: it returns an ErrTooLarge *Error instead. An *Error it
// returns, a refusal read from the headers, is final; any other error means
// the data is corrupt.
type decoder interface {
	config(data []byte) (image.Config, error)
	decode(data []byte, targetW, targetH int, budget int64) (image.Image, error)
}

// decoders holds the decoder of every format sniff recognises. A faster
// decoder for one format replaces its entry here.
var decoders = map[Format]decoder{
	JPEG: scaledJPEG{},
	PNG:  streamedPNG{},
	GIF:  gifDecoder{},
	WebP: webpDecoder{},
}

// webpDecoder reads lossy and lossless WebP with golang.org/x/image/webp, at full size.
type webpDecoder struct{}

func (webpDecoder) config(data []byte) (image.Config, error) {
	return webp.DecodeConfig(bytes.NewReader(data))
}

func (webpDecoder) decode(data []byte, _, _ int, budget int64) (image.Image, error) {
	cfg, err := webp.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	l := readWebPLayout(data)
	if need := l.bytes(int64(cfg.Width), int64(cfg.Height)); need > budget {
		return nil, overBudget(WebP, cfg.Width, cfg.Height, l.kind(), need, budget)
	}
	img, err := webp.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	expandVP8Range(img)
	return img, nil
}

// gifDecoder returns the first frame of a GIF, animated or not, on the full
// logical screen: a first frame smaller than the screen is placed at its offset
// on a transparent canvas, as a viewer shows it. Later frames are never decoded.
type gifDecoder struct{}

func (gifDecoder) config(data []byte) (image.Config, error) {
	return gif.DecodeConfig(bytes.NewReader(data))
}

func (gifDecoder) decode(data []byte, _, _ int, budget int64) (image.Image, error) {
	cfg, err := gif.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if need := gifBytesPerPixel * int64(cfg.Width) * int64(cfg.Height); need > budget {
		return nil, overBudget(GIF, cfg.Width, cfg.Height, "first frame", need, budget)
	}
	frame, err := gif.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	screen := image.Rect(0, 0, cfg.Width, cfg.Height)
	if frame.Bounds() == screen {
		return frame, nil
	}
	canvas := image.NewNRGBA(screen)
	draw.Draw(canvas, frame.Bounds(), frame, frame.Bounds().Min, draw.Src)
	return canvas, nil
}
