package main

import (
	"context"
	"fmt"
	"image"
	_ "image/jpeg" // decode thumbnails and sources
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
)

// config is the command line.
type config struct {
	inputs, ours, oursArgs, vips string
	node, sharpModules           string // sharp's warm column; skipped when sharpModules is empty
	rounds, coldStarts           int
	goBench, cdkJSON, bootstrap  string
	out                          string
}

// row is the measured result for one target.
type row struct {
	target
	source     string // path
	sourceSize int64
	vips, ours summary
	psnr, ssim float64 // the thumbnail as delivered (JPEG q85 for a JPEG source)
	// pixPSNR and pixSSIM judge the resampling alone: the same thumbnail
	// written as PNG, without the lossy encoder's share of the error.
	pixPSNR, pixSSIM float64
	// warmOurs and warmSharp are per image in a warm process: ours
	// thumbnail.MakeBytes here, sharp in Node; zero when not measured.
	warmOurs, warmSharp summary
}

func (r row) ratio() float64 { return r.ours.cpu.Seconds() / r.vips.cpu.Seconds() }

// sharpRatio is our warm CPU per image over sharp's, 0 when not measured.
func (r row) sharpRatio() float64 {
	if r.warmSharp.cpu == 0 {
		return 0
	}
	return r.warmOurs.cpu.Seconds() / r.warmSharp.cpu.Seconds()
}

func (r row) sharpOK() bool { return r.sharpRatio() <= r.maxSharpRatio }

func (r row) speedOK() bool  { return r.ratio() <= r.maxRatio }
func (r row) memoryOK() bool { return float64(r.ours.maxRSS)/(1<<20) <= r.maxMiB }
func (r row) qualityOK() bool {
	return r.psnr >= minPSNR || r.ssim >= minSSIM
}

// run measures every target and writes the report; it reports whether every target holds.
func run(cfg config) (bool, error) {
	if cfg.rounds < 1 {
		return false, fmt.Errorf("rounds %d: want at least 1", cfg.rounds)
	}
	if _, err := os.Stat(cfg.ours); err != nil {
		return false, fmt.Errorf("our command: %w (make build makes it)", err)
	}
	if _, err := exec.LookPath(cfg.vips); err != nil {
		return false, fmt.Errorf("%s: %w (apt-get install libvips-tools)", cfg.vips, err)
	}
	tmp, err := os.MkdirTemp("", "benchcompare")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(tmp)

	rows := make([]row, len(targets))
	for i, t := range targets {
		src, err := findSource(cfg.inputs, t.name)
		if err != nil {
			return false, err
		}
		fi, err := os.Stat(src)
		if err != nil {
			return false, err
		}
		rows[i] = row{target: t, source: src, sourceSize: fi.Size()}
	}

	runs := make([][2]series, len(rows)) // [vips, ours]
	// Round 0 warms the page cache and checks both tools work; it is not counted.
	for round := 0; round <= cfg.rounds; round++ {
		for i, r := range rows {
			for k := 0; k < 2; k++ {
				tool := (k + round) % 2 // alternate who goes first
				u, err := runTool(cfg, tool, r.source, outPath(tmp, r, tool))
				if err != nil {
					return false, err
				}
				if round > 0 {
					runs[i][tool].add(u)
				}
			}
		}
		fmt.Fprintf(os.Stderr, "round %d of %d done\n", round, cfg.rounds)
	}
	for i := range rows {
		rows[i].vips, rows[i].ours = runs[i][0].summary(), runs[i][1].summary()
		r := &rows[i]
		if r.psnr, r.ssim, err = quality(r.source, outPath(tmp, *r, 1)); err != nil {
			return false, err
		}
		lossless := filepath.Join(tmp, r.name+".pixels.png") // the extension picks PNG output
		if _, err := measure(cfg.ours, expand(cfg.oursArgs, r.source, lossless)...); err != nil {
			return false, err
		}
		if r.pixPSNR, r.pixSSIM, err = quality(r.source, lossless); err != nil {
			return false, err
		}
	}

	sharpVersion := ""
	if cfg.sharpModules != "" {
		w, err := startSharp(cfg.node, cfg.sharpModules, tmp)
		if err != nil {
			return false, err
		}
		err = measureWarm(w, rows, cfg.rounds)
		w.close()
		if err != nil {
			return false, err
		}
		sharpVersion = w.version
	}

	rep, err := gather(cfg, rows)
	if err != nil {
		return false, err
	}
	rep.sharp = sharpVersion
	if cfg.coldStarts > 0 {
		if rep.coldStarts, err = measureColdStarts(context.Background(), cfg.coldStarts); err != nil {
			return false, err
		}
	}
	text := rep.markdown()
	if err := os.WriteFile(cfg.out, []byte(text), 0o644); err != nil {
		return false, err
	}
	fmt.Print(text)
	return rep.allOK(), nil
}

// findSource returns the one file in dir named name with any extension.
func findSource(dir, name string) (string, error) {
	m, err := filepath.Glob(filepath.Join(dir, name+".*"))
	if err != nil {
		return "", err
	}
	if len(m) != 1 {
		return "", fmt.Errorf("source %s: found %d files in %s, want 1 (benchinputs writes them)", name, len(m), dir)
	}
	return m[0], nil
}

// outPath is where a tool writes its thumbnail of a row's source, in the source's format.
func outPath(dir string, r row, tool int) string {
	return filepath.Join(dir, fmt.Sprintf("%s.%d%s", r.name, tool, filepath.Ext(r.source)))
}

// runTool runs vipsthumbnail (tool 0) or our command (tool 1) once.
func runTool(cfg config, tool int, in, out string) (usage, error) {
	if tool == 0 {
		return measure(cfg.vips, "-s", fmt.Sprintf("%dx%d", thumbSide, thumbSide), "-o", out, in)
	}
	return measure(cfg.ours, expand(cfg.oursArgs, in, out)...)
}

// quality compares our thumbnail with the exact area average of the
// source's full-resolution standard decode, cropped as fill mode crops.
func quality(source, thumb string) (psnrDB, ssimY float64, err error) {
	src, err := decodeFile(source)
	if err != nil {
		return 0, 0, err
	}
	got, err := decodeFile(thumb)
	if err != nil {
		return 0, 0, err
	}
	b := got.Bounds()
	if b.Dx() != thumbSide || b.Dy() != thumbSide {
		return 0, 0, fmt.Errorf("thumbnail %s is %dx%d, want %dx%d", thumb, b.Dx(), b.Dy(), thumbSide, thumbSide)
	}
	full := rgbPlane(src)
	want := areaAverage(full, fillCrop(full.w, full.h, thumbSide, thumbSide), thumbSide, thumbSide)
	have := rgbPlane(got)
	return psnr(have, want), ssim(luma(have), luma(want)), nil
}

func decodeFile(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	return img, nil
}
