// The plan mode (bench:lb --profile milvus): many objects of different sizes, written, read whole, read in ranges,
// listed by prefix and deleted, phase by phase at each in-flight level, with the latency of every request.
package main

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

type planObject struct {
	Key  string `json:"key"`
	Size int64  `json:"size"`
}

type planRange struct {
	Object int   `json:"object"`
	Offset int64 `json:"offset"`
	Length int64 `json:"length"`
}

type planList struct {
	Prefix string `json:"prefix"`
	Keys   int    `json:"keys"`
}

type plan struct {
	InFlight []int        `json:"inFlight"`
	Objects  []planObject `json:"objects"`
	Ranges   []planRange  `json:"ranges"`
	Lists    []planList   `json:"lists"`
}

type planPhase struct {
	Name       string    `json:"name"`
	InFlight   int       `json:"inFlight"`
	Ops        int       `json:"ops"`
	Bytes      int64     `json:"bytes"`
	Seconds    float64   `json:"seconds"`
	CPUSeconds float64   `json:"cpuSeconds"`
	LatencyMs  []float64 `json:"latencyMs"`
}

func runPlan(c *client, file, prefix string) (map[string]any, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var p plan
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("plan %s: %w", file, err)
	}
	var largest int64
	maxInFlight := 0
	for _, object := range p.Objects {
		largest = max(largest, object.Size)
	}
	for _, level := range p.InFlight {
		maxInFlight = max(maxInFlight, level)
	}
	// Keep as many idle connections as requests in flight: a closed connection would be a handshake per request.
	c.http.Transport.(*http.Transport).MaxIdleConnsPerHost = maxInFlight
	data := make([]byte, largest)
	if _, err := rand.Read(data); err != nil {
		return nil, err
	}

	var phases []planPhase
	for _, level := range p.InFlight {
		base := fmt.Sprintf("%s/c%d/", prefix, level)
		key := func(i int) string { return base + p.Objects[i].Key }
		// Uncounted: opens `level` connections (and nginx's upstream ones) before anything is measured.
		warmKey := func(i int) string { return fmt.Sprintf("%swarmup/%03d", base, i) }
		small := data[:min(64<<10, largest)]
		if _, err := runTimed("warmup", level, level, func(i int) (int64, error) { return c.putObject(warmKey(i), small) }); err != nil {
			return nil, err
		}
		if _, err := runTimed("warmup", level, level, func(i int) (int64, error) { return c.deleteObject(warmKey(i)) }); err != nil {
			return nil, err
		}
		steps := []struct {
			name string
			n    int
			op   func(i int) (int64, error)
		}{
			{"put", len(p.Objects), func(i int) (int64, error) { return c.putObject(key(i), data[:p.Objects[i].Size]) }},
			{"get", len(p.Objects), func(i int) (int64, error) { return c.getObject(key(i), p.Objects[i].Size) }},
			{"range", len(p.Ranges), func(i int) (int64, error) {
				r := p.Ranges[i]
				return c.getRange(key(r.Object), r.Offset, r.Length)
			}},
			{"list", len(p.Lists), func(i int) (int64, error) { return c.list(base+p.Lists[i].Prefix, p.Lists[i].Keys) }},
			{"delete", len(p.Objects), func(i int) (int64, error) { return c.deleteObject(key(i)) }},
		}
		for _, step := range steps {
			measured, err := runTimed(step.name, step.n, level, step.op)
			if err != nil {
				return nil, err
			}
			phases = append(phases, measured)
		}
	}
	return map[string]any{"endpoint": c.endpoint, "phases": phases}, nil
}

// runTimed does n operations with inFlight workers and records each one's latency; the phase's time runs from the
// first start to the last end.
func runTimed(name string, n, inFlight int, op func(i int) (int64, error)) (planPhase, error) {
	next := make(chan int, n)
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	latencies := make([]float64, n)
	var moved int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	// As in run(): a measured phase starts with nothing left dirty by the one before.
	syscall.Sync()
	cpuBefore := cpuSeconds()
	started := time.Now()
	for w := 0; w < inFlight; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				opStarted := time.Now()
				bytes, err := op(i)
				latencies[i] = float64(time.Since(opStarted).Microseconds()) / 1000
				mu.Lock()
				moved += bytes
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("%s %d: %w", name, i, err)
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(started).Seconds()
	return planPhase{Name: name, InFlight: inFlight, Ops: n, Bytes: moved, Seconds: elapsed, CPUSeconds: cpuSeconds() - cpuBefore, LatencyMs: latencies}, firstErr
}

func (c *client) putObject(key string, body []byte) (int64, error) {
	if err := c.put(key, body); err != nil {
		return 0, err
	}
	return int64(len(body)), nil
}

func (c *client) getObject(key string, size int64) (int64, error) {
	if err := c.get(key, size); err != nil {
		return 0, err
	}
	return size, nil
}

func (c *client) getRange(key string, offset, length int64) (int64, error) {
	header := map[string]string{"Range": fmt.Sprintf("bytes=%d-%d", offset, offset+length-1)}
	resp, err := c.doQuery("GET", "/"+c.bucket+"/"+key, "", header, nil, 0)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent {
		body, _ := io.ReadAll(resp.Body)
		return 0, fmt.Errorf("GET %s %s: HTTP %d %s", key, header["Range"], resp.StatusCode, body)
	}
	read, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return read, err
	}
	if read != length {
		return read, fmt.Errorf("GET %s %s: %d bytes, expected %d", key, header["Range"], read, length)
	}
	return read, nil
}

// list is one ListObjectsV2 page of a prefix (Milvus's garbage collector and segment loading list prefixes like this).
func (c *client) list(prefix string, expected int) (int64, error) {
	query := canonicalQuery(map[string]string{"list-type": "2", "prefix": prefix})
	resp, err := c.doQuery("GET", "/"+c.bucket, query, nil, nil, 0)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return int64(len(body)), err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("LIST %s: HTTP %d %s", prefix, resp.StatusCode, body)
	}
	if found := strings.Count(string(body), "<Key>"); found != expected {
		return int64(len(body)), fmt.Errorf("LIST %s: %d keys, expected %d", prefix, found, expected)
	}
	return int64(len(body)), nil
}

func (c *client) deleteObject(key string) (int64, error) {
	resp, err := c.do("DELETE", "/"+c.bucket+"/"+key, nil, 0)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		body, _ := io.ReadAll(resp.Body)
		return 0, fmt.Errorf("DELETE %s: HTTP %d %s", key, resp.StatusCode, body)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return 0, nil
}

// canonicalQuery is SigV4's canonical query string (names sorted, names and values escaped), which is also sent.
func canonicalQuery(values map[string]string) string {
	names := make([]string, 0, len(values))
	for name := range values {
		names = append(names, name)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = awsEscape(name) + "=" + awsEscape(values[name])
	}
	return strings.Join(parts, "&")
}

// awsEscape percent-encodes everything but SigV4's unreserved characters (A-Z a-z 0-9 - _ . ~), "/" included.
func awsEscape(s string) string {
	var out bytes.Buffer
	for i := 0; i < len(s); i++ {
		b := s[i]
		if ('A' <= b && b <= 'Z') || ('a' <= b && b <= 'z') || ('0' <= b && b <= '9') || b == '-' || b == '_' || b == '.' || b == '~' {
			out.WriteByte(b)
		} else {
			fmt.Fprintf(&out, "%%%02X", b)
		}
	}
	return out.String()
}
