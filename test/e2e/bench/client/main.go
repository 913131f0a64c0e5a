// lbclient: the load balancer benchmark's S3 client. Standard library only, so it builds offline and costs little
// CPU: requests are signed with AWS Signature V4 over UNSIGNED-PAYLOAD (no hashing of the 64 MiB bodies), bodies
// come from one random buffer, and GET bodies are read into a 1 MiB buffer and dropped.
//
// Two modes: large objects (-size-mib: PUT then GET of equal objects, throughput only) and a plan (-plan FILE,
// written by bench:lb --profile milvus: objects of many sizes, ranged reads, prefix listings; PUT, GET, ranged GET,
// LIST and DELETE phases at each in-flight level, with every request's latency).
//
// Credentials come from MINIO_ROOT_USER / MINIO_ROOT_PASSWORD in the environment (docker run --env-file), never
// from arguments. Prints one JSON document with the figures of each phase.
package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"
)

type phase struct {
	Name       string  `json:"name"`
	Objects    int     `json:"objects"`
	Bytes      int64   `json:"bytes"`
	Seconds    float64 `json:"seconds"`
	MiBps      float64 `json:"mibps"`
	CPUSeconds float64 `json:"cpuSeconds"`
}

type client struct {
	endpoint, bucket, access, secret string
	http                             *http.Client
}

func main() {
	endpoint := flag.String("endpoint", "", "host:port of the S3 endpoint")
	bucket := flag.String("bucket", "milvus-bench", "bucket (created if missing)")
	prefix := flag.String("prefix", "bench", "object key prefix")
	sizeMiB := flag.Int("size-mib", 64, "object size in MiB")
	count := flag.Int("objects", 16, "objects per phase")
	inFlight := flag.Int("in-flight", 4, "requests in flight")
	warmup := flag.Int("warmup", 4, "objects PUT and GET before the measured phases (not counted): opens the connections")
	warmupMiB := flag.Int("warmup-mib", 1, "size of the warm-up objects in MiB (small: the disk holds every overwritten copy until MinIO empties its trash)")
	phases := flag.String("phases", "put,get", "put,get or get (GET objects an earlier run left, e.g. to compare configs without writing)")
	cleanup := flag.Bool("cleanup", false, "delete the objects (and the bucket, if empty) at the end")
	timeout := flag.Duration("timeout", 5*time.Minute, "hard limit for the whole run")
	planFile := flag.String("plan", "", "a plan (JSON, from bench:lb --profile milvus): run its phases instead of -size-mib objects")
	flag.Parse()
	time.AfterFunc(*timeout, func() { fail(fmt.Errorf("no result within %s", *timeout)) })

	c := &client{
		endpoint: *endpoint, bucket: *bucket,
		access: os.Getenv("MINIO_ROOT_USER"), secret: os.Getenv("MINIO_ROOT_PASSWORD"),
		http: &http.Client{Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConnsPerHost: *inFlight,
			DisableCompression:  true,
			WriteBufferSize:     1 << 20,
			ReadBufferSize:      1 << 20,
		}},
	}
	if c.endpoint == "" || c.access == "" || c.secret == "" {
		fail(fmt.Errorf("need -endpoint and MINIO_ROOT_USER/MINIO_ROOT_PASSWORD in the environment"))
	}
	if *planFile != "" {
		if err := c.makeBucket(); err != nil {
			fail(err)
		}
		result, err := runPlan(c, *planFile, *prefix) // every phase set ends with its DELETE phase
		if err != nil {
			fail(err)
		}
		out, _ := json.Marshal(result)
		fmt.Println(string(out))
		return
	}
	data := make([]byte, *sizeMiB<<20)
	if _, err := rand.Read(data); err != nil {
		fail(err)
	}
	if err := c.makeBucket(); err != nil {
		fail(err)
	}
	key := func(i int) string { return fmt.Sprintf("%s/object-%03d", *prefix, i) }

	if *warmup > 0 {
		small := data[:*warmupMiB<<20]
		warmKey := func(i int) string { return fmt.Sprintf("%s/warmup-%03d", *prefix, i) }
		if _, err := run("warmup-put", *warmup, *inFlight, int64(len(small)), func(i int) error { return c.put(warmKey(i), small) }); err != nil {
			fail(err)
		}
		if _, err := run("warmup-get", *warmup, *inFlight, int64(len(small)), func(i int) error { return c.get(warmKey(i), int64(len(small))) }); err != nil {
			fail(err)
		}
	}
	var measured []phase
	if strings.Contains(*phases, "put") {
		put, err := run("put", *count, *inFlight, int64(len(data)), func(i int) error { return c.put(key(i), data) })
		if err != nil {
			fail(err)
		}
		measured = append(measured, put)
	}
	if strings.Contains(*phases, "get") {
		get, err := run("get", *count, *inFlight, int64(len(data)), func(i int) error { return c.get(key(i), int64(len(data))) })
		if err != nil {
			fail(err)
		}
		measured = append(measured, get)
	}
	if *cleanup {
		for i := 0; i < *count; i++ {
			_ = c.del("/" + c.bucket + "/" + key(i))
		}
		for i := 0; i < *warmup; i++ {
			_ = c.del(fmt.Sprintf("/%s/%s/warmup-%03d", c.bucket, *prefix, i))
		}
	}
	out, _ := json.Marshal(map[string]any{"endpoint": c.endpoint, "phases": measured})
	fmt.Println(string(out))
}

// run does n operations with inFlight workers and measures the wall time from the first start to the last end.
func run(name string, n, inFlight int, size int64, op func(i int) error) (phase, error) {
	next := make(chan int, n)
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	// Start every measured phase on a quiet disk: write back what earlier phases left dirty in the page cache
	// (sync(2) is not namespaced; it flushes the whole machine), so a GET does not pay for the PUT before it.
	syscall.Sync()
	cpuBefore := cpuSeconds()
	started := time.Now()
	for w := 0; w < inFlight; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := op(i); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("%s object %d: %w", name, i, err)
					}
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(started).Seconds()
	total := int64(n) * size
	return phase{Name: name, Objects: n, Bytes: total, Seconds: elapsed, MiBps: float64(total) / (1 << 20) / elapsed, CPUSeconds: cpuSeconds() - cpuBefore}, firstErr
}

func cpuSeconds() float64 {
	var usage syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &usage)
	return float64(usage.Utime.Sec+usage.Stime.Sec) + float64(usage.Utime.Usec+usage.Stime.Usec)/1e6
}

func (c *client) makeBucket() error {
	resp, err := c.do("PUT", "/"+c.bucket, nil, 0)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode == 200 || strings.Contains(string(body), "BucketAlreadyOwnedByYou") {
		return nil
	}
	return fmt.Errorf("create bucket %s: HTTP %d %s", c.bucket, resp.StatusCode, body)
}

func (c *client) put(key string, data []byte) error {
	resp, err := c.do("PUT", "/"+c.bucket+"/"+key, bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		body, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("PUT %s: HTTP %d %s", key, resp.StatusCode, body)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return nil
}

func (c *client) get(key string, size int64) error {
	resp, err := c.do("GET", "/"+c.bucket+"/"+key, nil, 0)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		body, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("GET %s: HTTP %d %s", key, resp.StatusCode, body)
	}
	buf := make([]byte, 1<<20)
	var read int64
	for {
		n, err := resp.Body.Read(buf)
		read += int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	if read != size {
		return fmt.Errorf("GET %s: %d bytes, expected %d", key, read, size)
	}
	return nil
}

func (c *client) del(path string) error {
	resp, err := c.do("DELETE", path, nil, 0)
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}

// do sends a request signed with AWS Signature V4 (region us-east-1, service s3) over UNSIGNED-PAYLOAD.
func (c *client) do(method, path string, body io.Reader, length int64) (*http.Response, error) {
	return c.doQuery(method, path, "", nil, body, length)
}

// doQuery is do with a query string (already in canonical form: sorted, each part escaped by awsEscape) and extra
// headers that are sent but not signed (Range: SigV4 does not require it among the signed headers).
func (c *client) doQuery(method, path, query string, header map[string]string, body io.Reader, length int64) (*http.Response, error) {
	target := "http://" + c.endpoint + path
	if query != "" {
		target += "?" + query
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		return nil, err
	}
	for name, value := range header {
		req.Header.Set(name, value)
	}
	req.ContentLength = length
	now := time.Now().UTC()
	amzDate := now.Format("20060102T150405Z")
	day := now.Format("20060102")
	req.Header.Set("x-amz-date", amzDate)
	req.Header.Set("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
	canonical := strings.Join([]string{
		method, path, query,
		"host:" + c.endpoint, "x-amz-content-sha256:UNSIGNED-PAYLOAD", "x-amz-date:" + amzDate, "",
		"host;x-amz-content-sha256;x-amz-date", "UNSIGNED-PAYLOAD",
	}, "\n")
	scope := day + "/us-east-1/s3/aws4_request"
	hashed := sha256.Sum256([]byte(canonical))
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(hashed[:])
	key := hmacSHA256([]byte("AWS4"+c.secret), day)
	for _, part := range []string{"us-east-1", "s3", "aws4_request"} {
		key = hmacSHA256(key, part)
	}
	signature := hex.EncodeToString(hmacSHA256(key, toSign))
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+c.access+"/"+scope+", SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="+signature)
	return c.http.Do(req)
}

func hmacSHA256(key []byte, data string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(data))
	return mac.Sum(nil)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "lbclient:", err)
	os.Exit(1)
}
