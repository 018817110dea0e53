package catalog

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
)

//go:generate go run ./internal/gen

// blob is the whole catalog: gzip over the layout written by internal/gen.
// data/LICENSE.txt is the upstream MIT licence that travels with it.
//
//go:embed data/catalog.bin.gz
var blob []byte

// EmbeddedSize is the number of compressed bytes compiled into the binary.
func EmbeddedSize() int { return len(blob) }

const magic = "iamlens-catalog\x02"

type service struct {
	name     string
	actions  []Action // sorted by lower-cased name
	rtypes   []ResourceType
	condKeys []ConditionKey
}

type database struct {
	services []service // sorted by name
	names    []string  // service prefixes, same order
	nActions int
	// byName finds a service by its prefix as the data spells it, the
	// common case, without a case-folding binary search.
	byName map[string]*service
}

var (
	dbOnce sync.Once
	dbVal  *database
)

// db decodes the embedded catalog on first use. A corrupt blob is a build
// defect (the file is generated and committed), so it panics rather than
// making every caller handle an error that cannot happen at run time.
func db() *database {
	dbOnce.Do(func() {
		d, err := decode(blob)
		if err != nil {
			panic("catalog: embedded data is corrupt: " + err.Error())
		}
		d.byName = make(map[string]*service, len(d.services))
		for i := range d.services {
			d.byName[d.services[i].name] = &d.services[i]
		}
		dbVal = d
	})
	return dbVal
}

// reader walks the payload. Errors are sticky so the decoding loop stays
// readable; decode checks once at the end.
type reader struct {
	b   []byte
	err error
}

func (r *reader) num() int {
	v, n := binary.Uvarint(r.b)
	if n <= 0 || v > 1<<31 {
		if r.err == nil {
			r.err = errors.New("bad varint")
		}
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return int(v)
}

func decode(gz []byte) (*database, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	// The gzip trailer holds the uncompressed size: read into one buffer
	// of the right size instead of growing one.
	size := 0
	if len(gz) >= 4 {
		size = int(binary.LittleEndian.Uint32(gz[len(gz)-4:]))
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	if _, err := io.Copy(buf, zr); err != nil {
		return nil, err
	}
	payload := buf.Bytes()
	if !bytes.HasPrefix(payload, []byte(magic)) {
		return nil, errors.New("bad magic")
	}
	r := &reader{b: payload[len(magic):]}

	// String table: all lengths, then all bytes. One string conversion
	// for the whole text; every table entry is a substring of it, so
	// decoding allocates a handful of large blocks, not one per string.
	nstr := r.num()
	if nstr > len(r.b) {
		return nil, errors.New("bad string count")
	}
	lens := make([]int, nstr)
	total := 0
	for i := range lens {
		lens[i] = r.num()
		total += lens[i]
	}
	if r.err != nil || total > len(r.b) {
		return nil, errors.New("bad string table")
	}
	text := string(r.b[:total])
	r.b = r.b[total:]
	strs := make([]string, nstr)
	off := 0
	for i, n := range lens {
		strs[i] = text[off : off+n]
		off += n
	}
	str := func() string {
		i := r.num()
		if i >= len(strs) {
			if r.err == nil {
				r.err = fmt.Errorf("string index %d out of range", i)
			}
			return ""
		}
		return strs[i]
	}

	d := &database{}
	nsvc := r.num()
	if nsvc > len(r.b) {
		return nil, errors.New("bad service count")
	}
	d.services = make([]service, nsvc)
	d.names = make([]string, nsvc)
	// Slices of all services share a few backing arrays, carved as we go.
	var refs []ResourceRef
	var keys []string
	var pending []int
	for si := range d.services {
		s := &d.services[si]
		s.name = str()
		d.names[si] = s.name
		na, nr, nc := r.num(), r.num(), r.num()
		if na+nr+nc > len(r.b) {
			return nil, fmt.Errorf("service %q: bad counts", s.name)
		}
		s.actions = make([]Action, na)
		s.rtypes = make([]ResourceType, nr)
		s.condKeys = make([]ConditionKey, nc)
		for ai := range s.actions {
			a := &s.actions[ai]
			a.Service = s.name
			a.Name = str()
			a.Description = str()
			a.AccessLevel = str()
			n := r.num()
			if n > 0 {
				if cap(refs)-len(refs) < n {
					refs = make([]ResourceRef, 0, max(n, 4096))
				}
				start := len(refs)
				for range n {
					v := r.num()
					// Name is filled in below, once the service's resource
					// types are read; remember the index meanwhile.
					refs = append(refs, ResourceRef{Required: v&1 == 1})
					pending = append(pending, v>>1)
				}
				a.ResourceTypes = refs[start:len(refs):len(refs)]
			}
			a.ConditionKeys, keys = readKeys(r, str, keys)
		}
		for ri := range s.rtypes {
			t := &s.rtypes[ri]
			t.Service = s.name
			t.Name = str()
			t.ARN = str()
			t.ConditionKeys, keys = readKeys(r, str, keys)
		}
		k := 0
		for ai := range s.actions {
			for i := range s.actions[ai].ResourceTypes {
				if pending[k] >= len(s.rtypes) {
					return nil, fmt.Errorf("%s:%s: bad resource index", s.name, s.actions[ai].Name)
				}
				s.actions[ai].ResourceTypes[i].Name = s.rtypes[pending[k]].Name
				k++
			}
		}
		pending = pending[:0]
		for ci := range s.condKeys {
			c := &s.condKeys[ci]
			c.Service = s.name
			c.Name = str()
			c.Type = str()
			c.Description = str()
		}
		d.nActions += na
		if r.err != nil {
			return nil, r.err
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%d trailing bytes", len(r.b))
	}
	return d, nil
}

// readKeys reads a counted list of strings into a shared backing array.
func readKeys(r *reader, str func() string, keys []string) ([]string, []string) {
	n := r.num()
	if n == 0 || n > len(r.b) {
		return nil, keys
	}
	if cap(keys)-len(keys) < n {
		keys = make([]string, 0, max(n, 8192))
	}
	start := len(keys)
	for range n {
		keys = append(keys, str())
	}
	return keys[start:len(keys):len(keys)], keys
}
