module github.com/serverless-thumbnails/thumbnails/function

go 1.26.8

require (
	github.com/HugoSmits86/nativewebp v0.9.3
	github.com/aws/aws-lambda-go v1.55.1
	github.com/nfnt/resize v0.0.0-20180221191011-83c6a9932646
	golang.org/x/image v0.48.0
)

require (
	github.com/gen2brain/jpegn v0.4.2
	github.com/klauspost/compress v1.20.4
)
