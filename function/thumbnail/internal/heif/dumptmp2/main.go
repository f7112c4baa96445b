package main

import (
	"os"
	"strconv"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

func main() {
	w, _ := strconv.Atoi(os.Args[1])
	h, _ := strconv.Atoi(os.Args[2])
	b, _ := testimage.PNG(testimage.Photo(w, h))
	os.WriteFile(os.Args[3], b, 0o644)
}
