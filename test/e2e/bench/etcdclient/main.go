// etcdclient: etcd's Go client as Milvus builds it, for Milvus's path in bench:etcd and the staging failover drill.
//
// Milvus creates one clientv3 client per process with every endpoint of its etcd.endpoints, a 5 s dial timeout and a
// blocking dial (Milvus's pkg/util/etcd GetRemoteEtcdClient); the client's gRPC balancer spreads requests over the
// endpoints and leaves one that stops answering. etcd's benchmark tool instead pins each connection to one endpoint,
// so it cannot say how Milvus's client fares. Two modes, each printing one JSON document:
//
//	load:   -op put|range-l|range-s, -total requests from -clients goroutines over -conns clients (each with every
//	        endpoint): requests per second, latency percentiles, errors (the benchmark tool's figures).
//	writer: one put after another for -seconds or until SIGTERM (docker kill), each with -timeout, keys under
//	        -prefix; then every acknowledged key is read back: attempts, failures, the longest gap between two
//	        acknowledged writes, and acknowledged writes lost.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
	"google.golang.org/grpc"
)

func main() {
	mode := flag.String("mode", "load", "load or writer")
	endpoints := flag.String("endpoints", "", "comma-separated endpoints, as in milvus.yaml's etcd.endpoints")
	op := flag.String("op", "put", "load: put, range-l or range-s")
	total := flag.Int("total", 10000, "load: requests")
	clients := flag.Int("clients", 100, "load: goroutines")
	conns := flag.Int("conns", 10, "load: clients (each a Milvus process's client)")
	valueSize := flag.Int("val-size", 256, "bytes per value")
	keySpace := flag.Int("key-space-size", 100000, "load put: keys spread over this many names")
	rangeKey := flag.String("range-key", "milvus-bench/range", "load range: the key read")
	seconds := flag.Float64("seconds", 60, "writer: how long to write")
	timeout := flag.Duration("timeout", 10*time.Second, "writer: each put's deadline")
	prefix := flag.String("prefix", "milvus-swarm-failover/", "writer: the keys' prefix")
	flag.Parse()
	if *endpoints == "" {
		fail("-endpoints is required")
	}
	list := strings.Split(*endpoints, ",")
	var result any
	switch *mode {
	case "load":
		result = load(list, *op, *total, *clients, *conns, *valueSize, *keySpace, *rangeKey)
	case "writer":
		result = writer(list, time.Duration(*seconds*float64(time.Second)), *timeout, *prefix, *valueSize)
	default:
		fail("unknown -mode " + *mode)
	}
	if err := json.NewEncoder(os.Stdout).Encode(result); err != nil {
		fail(err.Error())
	}
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "etcdclient: "+message)
	os.Exit(2)
}

// newClient is Milvus's: every endpoint, a 5 s dial timeout, a blocking dial.
func newClient(endpoints []string) *clientv3.Client {
	client, err := clientv3.New(clientv3.Config{
		Endpoints:   endpoints,
		DialTimeout: 5 * time.Second,
		DialOptions: []grpc.DialOption{grpc.WithBlock()},
		Logger:      zap.NewNop(),
	})
	if err != nil {
		fail("connecting to " + strings.Join(endpoints, ",") + ": " + err.Error())
	}
	return client
}

type loadResult struct {
	Seconds           float64            `json:"seconds"`
	RequestsPerSecond float64            `json:"requestsPerSecond"`
	LatencyMs         map[string]float64 `json:"latencyMs"`
	Errors            int64              `json:"errors"`
	FirstError        string             `json:"firstError,omitempty"`
}

func load(endpoints []string, op string, total, goroutines, conns, valueSize, keySpace int, rangeKey string) loadResult {
	pool := make([]*clientv3.Client, conns)
	for i := range pool {
		pool[i] = newClient(endpoints)
		defer pool[i].Close()
	}
	value := strings.Repeat("v", valueSize)
	var next, errors int64
	var firstError atomic.Value
	latencies := make([][]time.Duration, goroutines)
	var wg sync.WaitGroup
	started := time.Now()
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			client := pool[g%conns]
			for {
				n := atomic.AddInt64(&next, 1)
				if n > int64(total) {
					return
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				begin := time.Now()
				var err error
				switch op {
				case "put":
					_, err = client.Put(ctx, fmt.Sprintf("milvus-bench/%032d", n%int64(keySpace)), value)
				case "range-l":
					_, err = client.Get(ctx, rangeKey)
				case "range-s":
					_, err = client.Get(ctx, rangeKey, clientv3.WithSerializable())
				default:
					fail("unknown -op " + op)
				}
				latencies[g] = append(latencies[g], time.Since(begin))
				cancel()
				if err != nil {
					atomic.AddInt64(&errors, 1)
					firstError.CompareAndSwap(nil, err.Error())
				}
			}
		}(g)
	}
	wg.Wait()
	elapsed := time.Since(started)
	var all []time.Duration
	for _, part := range latencies {
		all = append(all, part...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	percentile := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		index := int(p / 100 * float64(len(all)))
		if index >= len(all) {
			index = len(all) - 1
		}
		return float64(all[index].Microseconds()) / 1000
	}
	result := loadResult{
		Seconds:           elapsed.Seconds(),
		RequestsPerSecond: float64(len(all)) / elapsed.Seconds(),
		LatencyMs:         map[string]float64{"50": percentile(50), "90": percentile(90), "99": percentile(99), "99.9": percentile(99.9)},
		Errors:            errors,
	}
	if message, ok := firstError.Load().(string); ok {
		result.FirstError = message
	}
	return result
}

type writerResult struct {
	Attempts     int      `json:"attempts"`
	Acknowledged int      `json:"acknowledged"`
	Failed       int      `json:"failed"`
	Failures     []string `json:"failures,omitempty"`
	LongestGapMs int64    `json:"longestGapMs"`
	// When the longest gap began, in ms since the writer started.
	LongestGapAtMs int64 `json:"longestGapAtMs"`
	Lost           int   `json:"lost"`
	LostKeys       []string `json:"lostKeys,omitempty"`
	ReadBackError  string   `json:"readBackError,omitempty"`
}

func writer(endpoints []string, duration, timeout time.Duration, prefix string, valueSize int) writerResult {
	client := newClient(endpoints)
	defer client.Close()
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
	var result writerResult
	acknowledged := map[string]string{}
	started := time.Now()
	lastAck := started
	for index := 0; time.Since(started) < duration && len(stop) == 0; index++ {
		key := fmt.Sprintf("%s%08d", prefix, index)
		value := fmt.Sprintf("%08d-%s", index, strings.Repeat("w", valueSize))
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		_, err := client.Put(ctx, key, value)
		cancel()
		result.Attempts++
		now := time.Now()
		if err != nil {
			result.Failed++
			if len(result.Failures) < 5 {
				result.Failures = append(result.Failures, fmt.Sprintf("%.1f s: %v", now.Sub(started).Seconds(), err))
			}
			continue
		}
		acknowledged[key] = value
		result.Acknowledged++
		if gap := now.Sub(lastAck).Milliseconds(); gap > result.LongestGapMs {
			result.LongestGapMs = gap
			result.LongestGapAtMs = lastAck.Sub(started).Milliseconds()
		}
		lastAck = now
		time.Sleep(20 * time.Millisecond)
	}
	// Every acknowledged write must be there, read with a linearizable range (retried while etcd settles).
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		response, err := client.Get(ctx, prefix, clientv3.WithPrefix())
		cancel()
		if err == nil {
			stored := map[string]string{}
			for _, kv := range response.Kvs {
				stored[string(kv.Key)] = string(kv.Value)
			}
			for key, value := range acknowledged {
				if stored[key] != value {
					result.Lost++
					if len(result.LostKeys) < 5 {
						result.LostKeys = append(result.LostKeys, key)
					}
				}
			}
			result.ReadBackError = ""
			break
		}
		result.ReadBackError = err.Error()
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Second)
	}
	// The keys are the drill's: remove them (best effort).
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	client.Delete(ctx, prefix, clientv3.WithPrefix())
	cancel()
	return result
}
