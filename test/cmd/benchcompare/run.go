package main

import (
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // decode thumbnails and sources
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// config is the command line.
type config struct {
	inputs, ours, oursArgs, vips string
	spawner                      string // test/cmd/rusage, built by run
	node, sharpModules           string // sharp's warm column; skipped when sharpModules is empty
	rounds, coldStarts           int
	goBench, cdkJSON, bootstrap  string
	out                          string
	only                         string // comma-separated target names; empty for all
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
	// vipsFail and sharpFail say why vipsthumbnail or sharp could not read
	// the source at all; their figures are then absent.
	vipsFail, sharpFail readFailure
}

// ratio is our whole-process CPU over vipsthumbnail's, 0 when vipsthumbnail
// cannot read the source.
func (r row) ratio() float64 {
	if r.vipsFail.cannot() || r.vips.cpu == 0 {
		return 0
	}
	return r.ours.cpu.Seconds() / r.vips.cpu.Seconds()
}

// sharpRatio is our warm CPU per image over sharp's, 0 when not measured.
func (r row) sharpRatio() float64 {
	if r.sharpFail.cannot() || r.warmSharp.cpu == 0 {
		return 0
	}
	return r.warmOurs.cpu.Seconds() / r.warmSharp.cpu.Seconds()
}

func (r row) sharpOK() bool { return r.sharpRatio() <= r.maxSharpRatio }

// speedOK holds when our CPU is within the row's ratio of vipsthumbnail's;
// with nothing to compare against (vipsthumbnail cannot read the source)
// there is no speed target to miss, and the report says so.
func (r row) speedOK() bool  { return r.vipsFail.cannot() || r.ratio() <= r.maxRatio }
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
	if cfg.spawner, err = buildSpawner(tmp); err != nil {
		return false, err
	}

	chosen, err := selectTargets(targets, cfg.only)
	if err != nil {
		return false, err
	}
	rows := make([]row, len(chosen))
	for i, t := range chosen {
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
	// Round 0 warms the page cache and checks both tools work; it is not
	// counted. A vipsthumbnail that cannot read a source is left out of
	// that row from then on; any other failure stops the run.
	for round := 0; round <= cfg.rounds; round++ {
		for i, r := range rows {
			for k := 0; k < 2; k++ {
				tool := (k + round) % 2 // alternate who goes first
				if tool == 0 && rows[i].vipsFail.cannot() {
					continue
				}
				u, err := runTool(cfg, tool, r.source, outPath(tmp, r, tool))
				if err != nil {
					if f, ok := vipsCannotRead(round, tool, r.source, err); ok {
						rows[i].vipsFail = f
						fmt.Fprintf(os.Stderr, "%s: vipsthumbnail %s\n", r.source, f.reason)
						continue
					}
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
		ref, err := referenceDecode(r.source, tmp)
		if err != nil {
			return false, err
		}
		if r.psnr, r.ssim, err = quality(ref, outPath(tmp, *r, 1)); err != nil {
			return false, err
		}
		lossless := filepath.Join(tmp, r.name+".pixels.png") // the extension picks PNG output
		if _, err := measure(cfg.spawner, cfg.ours, expand(cfg.oursArgs, r.source, lossless)...); err != nil {
			return false, err
		}
		if r.pixPSNR, r.pixSSIM, err = quality(ref, lossless); err != nil {
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

// selectTargets keeps the targets named in only (comma-separated), in the
// order of all; an empty only keeps every one, and an unknown name is an error.
func selectTargets(all []target, only string) ([]target, error) {
	if strings.TrimSpace(only) == "" {
		return all, nil
	}
	want := map[string]bool{}
	for _, name := range strings.Split(only, ",") {
		want[strings.TrimSpace(name)] = true
	}
	var out []target
	for _, t := range all {
		if want[t.name] {
			out = append(out, t)
			delete(want, t.name)
		}
	}
	for name := range want {
		return nil, fmt.Errorf("-only: no input named %q", name)
	}
	return out, nil
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

// outPath is where a tool writes its thumbnail of a row's source, in the
// format the product gives it (see thumbExt).
func outPath(dir string, r row, tool int) string {
	return filepath.Join(dir, fmt.Sprintf("%s.%d%s", r.name, tool, thumbExt(r.source)))
}

// thumbExt is the extension of the thumbnail the product makes of a source:
// the source's own format, but JPEG for HEIC and AVIF (the function writes
// no HEIC, and JPEG is its default for both), so every tool encodes the
// same JPEG.
func thumbExt(source string) string {
	switch f := formatName(source); f {
	case "HEIC", "AVIF":
		return ".jpg"
	}
	return filepath.Ext(source)
}

// runTool runs vipsthumbnail (tool 0) or our command (tool 1) once.
func runTool(cfg config, tool int, in, out string) (usage, error) {
	if tool == 0 {
		return measure(cfg.spawner, cfg.vips, "-s", fmt.Sprintf("%dx%d", thumbSide, thumbSide), "-o", out, in)
	}
	return measure(cfg.spawner, cfg.ours, expand(cfg.oursArgs, in, out)...)
}

// vipsCannotRead tells whether err, from vipsthumbnail (tool 0) in the
// first round, means it cannot read the source. Later rounds and our own
// command never count as such: a failure there is a real one.
func vipsCannotRead(round, tool int, source string, err error) (readFailure, bool) {
	var te *toolError
	if round != 0 || tool != 0 || !errors.As(err, &te) {
		return readFailure{}, false
	}
	return classifyReadError("vipsthumbnail", "its libheif", source, te.stderr)
}

// referenceDecode is the source's full-resolution decode by an independent
// decoder: image/jpeg or image/png, and for HEIC and AVIF libheif's own
// command-line decoder (libheif-examples: heif-dec, called heif-convert
// before libheif 1.17; native libde265, dav1d or aom) writing a PNG into tmp.
func referenceDecode(source, tmp string) (image.Image, error) {
	switch formatName(source) {
	case "HEIC", "AVIF":
	default:
		return decodeFile(source)
	}
	tool, err := exec.LookPath("heif-dec")
	if err != nil {
		if tool, err = exec.LookPath("heif-convert"); err != nil {
			return nil, fmt.Errorf("%s: the reference decode needs heif-dec or heif-convert: %w (apt-get install libheif-examples)", source, err)
		}
	}
	png := filepath.Join(tmp, filepath.Base(source)+".reference.png")
	if out, err := exec.Command(tool, source, png).CombinedOutput(); err != nil {
		return nil, &toolError{command: tool + " " + source + " " + png, err: err, stderr: strings.TrimSpace(string(out))}
	}
	return decodeFile(png)
}

// quality compares our thumbnail with the exact area average of the
// source's full-resolution reference decode, cropped as fill mode crops.
func quality(src image.Image, thumb string) (psnrDB, ssimY float64, err error) {
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
