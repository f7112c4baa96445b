package testimage

import "sync"

// Source is one benchmark input: a photo-like image of a given size in a given encoding.
type Source struct {
	Name          string // file name without extension, e.g. "jpeg-12mp"
	Ext           string // ".jpg" or ".png"
	Width, Height int
	Progressive   bool // JPEG only
	PNG           bool
}

// Sources are the inputs of the speed and memory targets: 12 MP (4000x3000)
// and 24 MP (6000x4000) baseline 4:2:0 JPEG at quality 90, the 12 MP one
// progressive, and a 12 MP 8-bit RGB PNG.
var Sources = []Source{
	{Name: "jpeg-12mp", Ext: ".jpg", Width: 4000, Height: 3000},
	{Name: "jpeg-24mp", Ext: ".jpg", Width: 6000, Height: 4000},
	{Name: "jpeg-12mp-progressive", Ext: ".jpg", Width: 4000, Height: 3000, Progressive: true},
	{Name: "png-12mp", Ext: ".png", Width: 4000, Height: 3000, PNG: true},
}

// encoded caches each source's bytes: a 12 MP image takes about a second to make.
var encoded sync.Map // name -> func() ([]byte, error)

// Bytes returns the encoded source, made once per process.
func (s Source) Bytes() ([]byte, error) {
	f, _ := encoded.LoadOrStore(s.Name, sync.OnceValues(s.encode))
	return f.(func() ([]byte, error))()
}

func (s Source) encode() ([]byte, error) {
	if s.Ext == ".heic" || s.Ext == ".avif" {
		return encodeHEIF(s)
	}
	img := Photo(s.Width, s.Height)
	if s.PNG {
		return PNG(img)
	}
	data, err := JPEG(img)
	if err != nil || !s.Progressive {
		return data, err
	}
	return Progressive(data)
}
