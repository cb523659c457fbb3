package handlers

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"portico/static"
)

// assets serves the embedded static files under content-hash URLs
// (/static/<hash>/css/portico.css), so they can be cached for a year and still change
// the moment a new binary ships.
type assets struct {
	hash  map[string]string // file path -> short content hash
	files map[string][]byte
	gz    map[string][]byte // gzip-compressed copies, made once at start
}

func loadAssets() (*assets, error) {
	a := &assets{hash: map[string]string{}, files: map[string][]byte{}, gz: map[string][]byte{}}
	err := fs.WalkDir(static.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
			return err
		}
		b, err := static.FS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.hash[p] = hex.EncodeToString(sum[:6])
		a.files[p] = b
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if _, err := zw.Write(b); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		if buf.Len() < len(b) {
			a.gz[p] = buf.Bytes()
		}
		return nil
	})
	return a, err
}

// url returns the content-hash URL of a static file.
func (a *assets) url(p string) string {
	return "/static/" + a.hash[p] + "/" + p
}

// serve answers /static/<hash>/<path>. A stale hash still gets the file, but without
// the long cache lifetime.
func (a *assets) serve(c *fiber.Ctx) error {
	rest := strings.TrimPrefix(c.Path(), "/static/")
	hash, p, ok := strings.Cut(rest, "/")
	b, found := a.files[p]
	if !ok || !found {
		return fiber.ErrNotFound
	}
	if ct := mime.TypeByExtension(path.Ext(p)); ct != "" {
		c.Set(fiber.HeaderContentType, ct)
	}
	if hash == a.hash[p] {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "no-cache")
	}
	c.Vary(fiber.HeaderAcceptEncoding)
	if gz, ok := a.gz[p]; ok && strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(gz)
	}
	return c.Send(b)
}
