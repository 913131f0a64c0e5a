// The flags every Go build of the test harness adds (etcd, MinIO, Prometheus, promtool, Alertmanager, act, Milvus's
// etcd client): no DWARF from the compiler or the linker, and no symbol table. MinIO's release builds are stripped the
// same way (`-s -w`, its buildscripts/gen-ldflags.go). The binaries behave the same: stack traces still name every
// function and line (Go keeps its own line table); only debuggers lose their symbols.
//
// Why: on the 2-core machines a cold `npm test` is bound by CPU, and the Go builds are about a quarter of it (process
// accounting of the cold CI runs of 2026-12-07, test/README.md). etcd's three binaries built from the module cache
// take 87 core-seconds this way against 97; the cold binaries step took 245 s against 310. The binaries shrink by a
// quarter (etcd 35 → 24 MB, MinIO 127 → 99 MB), which every `docker import` into the ten staging engines and every
// container a vfs engine copies pays again (a one-off etcdctl container cost dockerd about 95 ms of CPU against 115 ms
// on vfs).

/** `go build`/`go install` arguments; `extraLdflags` (e.g. `-X pkg.Version=1`) joins `-s -w` in the one -ldflags. */
export const leanBuildFlags = (extraLdflags = ''): string[] => ['-gcflags=all=-dwarf=false', `-ldflags=-s -w${extraLdflags === '' ? '' : ` ${extraLdflags}`}`];

/** Part of every cache folder's name: a binary built without these flags is not the one asked for. */
export const LEAN_BUILD = 'lean';
