// One test per rule: the exact line an operator sees, with its line and column in the file.
import { describe, expect, it } from 'vitest';
import { rules } from '../../generator/topology/rules/index.ts';
import { baseTopology, editBase, problemLines } from './support.ts';

const F = 'test/fixtures/topologies/base.yaml';
const colocate = { 'stack: milvus': ['stack: milvus', 'swarm: { allowColocation: true }'] };
const hostMode = { 'stack: milvus': ['stack: milvus', 'swarm: { publishMode: host }'] };

describe('the base fixture', () => {
  it('is valid and has no warnings, so each test below shows one rule firing', () => {
    expect(problemLines(baseTopology)).toEqual([]);
  });
});

describe('unique-hosts', () => {
  it('rejects a repeated IP address', () => {
    expect(problemLines(editBase({ '- { name: host-b, ip: 10.0.0.2 }': '- { name: host-b, ip: 10.0.0.1 }' }))).toEqual([
      `${F}:10:25: error: hosts[1].ip: duplicate IP address "10.0.0.1": already used at hosts[0].ip`,
    ]);
  });
  it('counts managers too', () => {
    expect(problemLines(editBase({ '- ip: 10.0.0.10': '- ip: 10.0.0.4' }))).toEqual([
      `${F}:7:9: error: managers[0].ip: duplicate IP address "10.0.0.4": already used at hosts[3].ip`,
    ]);
  });
  it('rejects a repeated node id', () => {
    expect(problemLines(editBase({ '- { name: host-b, ip: 10.0.0.2 }': '- { name: host-b, ip: 10.0.0.2, nodeId: aaaaaaaaaaaaaaaaaaaaaaaaa }' }))).toEqual([
      `${F}:10:43: error: hosts[1].nodeId: duplicate node id "aaaaaaaaaaaaaaaaaaaaaaaaa": already used at hosts[0].nodeId`,
    ]);
  });
  it('rejects a repeated host name (and the placements that named the lost host)', () => {
    expect(problemLines(editBase({ '- { name: host-b, ip: 10.0.0.2 }': '- { name: host-a, ip: 10.0.0.2 }' }))[0]).toBe(
      `${F}:10:13: error: hosts[1].name: duplicate host name "host-a": already used at hosts[0].name`,
    );
  });
});

describe('service-names-unique', () => {
  it('rejects a MinIO node named like an etcd member', () => {
    expect(problemLines(editBase({ '- { name: minio1, host: host-a }': '- { name: etcd1, host: host-a }' }))[0]).toBe(
      `${F}:28:19: error: minio.pools[0].nodes[0].name: service name "etcd1" is already used at etcd.members[0].name: service names are DNS names on the network`,
    );
  });
  it("rejects the name of milvus-swarm's own network anchor", () => {
    expect(problemLines(editBase({ '- { name: minio1, host: host-a }': '- { name: network-anchor, host: host-a }' }))).toContain(
      `${F}:28:19: error: minio.pools[0].nodes[0].name: service name "network-anchor" is milvus-swarm's own (the task on every node that keeps it in the stack network): choose another name`,
    );
  });
});

describe('etcd-quorum-size', () => {
  it('rejects an even member count', () => {
    const text = editBase({ '- { name: etcd3, host: host-c }': ['- { name: etcd3, host: host-c }', '- { name: etcd4, host: host-d }'] });
    expect(problemLines(text)).toEqual([
      `${F}:17:5: error: etcd.members: expected an odd number of etcd members, at least 3, got 4: 4 members survive the loss of 1`,
    ]);
  });
  it('rejects a single member', () => {
    const text = editBase({ '- { name: etcd2, host: host-b }': '', '- { name: etcd3, host: host-c }': '' });
    expect(problemLines(text)).toEqual([
      `${F}:17:5: error: etcd.members: expected an odd number of etcd members, at least 3, got 1: 1 member survives the loss of 0`,
    ]);
  });
});

describe('placement-hosts-defined', () => {
  it('names the undefined host and suggests the closest', () => {
    expect(problemLines(editBase({ '- { name: etcd3, host: host-c }': '- { name: etcd3, host: hots-c }' }))).toEqual([
      `${F}:19:28: error: etcd.members[2].host: unknown host "hots-c" (did you mean "host-c"?); define it under hosts`,
    ]);
  });
});

describe('stateful-services-pinned', () => {
  it('requires a host for every member unless co-location is allowed', () => {
    expect(problemLines(editBase({ '- { name: etcd3, host: host-c }': '- { name: etcd3 }' }))).toContain(
      `${F}:19:7: error: etcd.members[2]: etcd member etcd3 has no host: pin it with "host:" (its data stays on one machine), or set swarm.allowColocation on a one-node test swarm`,
    );
  });
});

describe('distinct-hosts', () => {
  it('rejects two etcd members on one host', () => {
    expect(problemLines(editBase({ '- { name: etcd3, host: host-c }': '- { name: etcd3, host: host-a }' }))).toContain(
      `${F}:19:28: error: etcd.members[2].host: etcd member etcd3 shares host "host-a" with etcd1: one machine failure would take both; use distinct hosts (or swarm.allowColocation on a test swarm)`,
    );
  });
  it('rejects two MinIO nodes on one host', () => {
    expect(problemLines(editBase({ '- { name: minio4, host: host-d }': '- { name: minio4, host: host-c }' }))).toContain(
      `${F}:31:33: error: minio.pools[0].nodes[3].host: MinIO node minio4 shares host "host-c" with minio3: one machine failure would take both; use distinct hosts (or swarm.allowColocation on a test swarm)`,
    );
  });
  it('allows co-location when the environment says so, but not shared directories', () => {
    const text = editBase({ ...colocate, '- { name: etcd3, host: host-c }': '- { name: etcd3, host: host-a }' });
    expect(problemLines(text)).toEqual([
      `${F}:16:12: error: etcd.dataDir: etcd member etcd3's /data/etcd is the same directory as etcd member etcd1's /data/etcd on host host-a (add {name} to give each its own directory)`,
    ]);
    expect(problemLines(editBase({ ...colocate, 'dataDir: /data/etcd': 'dataDir: /data/etcd/{name}', '- { name: etcd3, host: host-c }': '- { name: etcd3, host: host-a }' }))).toEqual([]);
  });
});

describe('minio-pool-drives', () => {
  it('wants at least 4 drives in a pool', () => {
    const text = editBase({ '- drives: [/data/disk1, /data/disk2]': '- drives: [/data/disk1]', '- { name: minio4, host: host-d }': '', '- { name: minio3, host: host-c }': '' });
    expect(problemLines(text)).toEqual([`${F}:26:7: error: minio.pools[0]: pool 1 has 2 drives in all; expected at least 4 (nodes × drives per node)`]);
  });
  it('wants the same drive count on every node', () => {
    expect(problemLines(editBase({ '- { name: minio4, host: host-d }': '- { name: minio4, host: host-d, drives: [/data/disk1] }' }))).toEqual([
      `${F}:31:49: error: minio.pools[0].nodes[3].drives: MinIO node minio4 has 1 drives but minio1 has 2: every node of a pool needs the same drive count`,
    ]);
  });
  it('rejects a pool MinIO cannot split into erasure sets', () => {
    const drives = Array.from({ length: 17 }, (_, i) => `/data/disk${i + 1}`).join(', ');
    const text = editBase({
      '- drives: [/data/disk1, /data/disk2]': `- drives: [${drives}]`,
      '- { name: minio2, host: host-b }': '',
      '- { name: minio3, host: host-c }': '',
      '- { name: minio4, host: host-d }': '',
    });
    expect(problemLines(text)).toEqual([
      `${F}:26:7: error: minio.pools[0]: pool 1 (1 nodes × 17 drives) cannot be split into equal erasure sets of 4 to 16 drives spread evenly over its nodes, so MinIO would refuse it; change the node or drive count`,
    ]);
  });
});

describe('minio-pool-drives across pools', () => {
  const withSecondPool = (drives: string) =>
    editBase({ '- { name: minio4, host: host-d }': `- { name: minio4, host: host-d }\n    - drives: [${drives}]\n      nodes:\n        - { name: minio5, host: host-a }\n        - { name: minio6, host: host-b }` });
  it('refuses a later pool whose erasure sets cannot hold the parity MinIO takes from the first pool (seen on staging)', () => {
    // Pool 1: one set of 8 drives, parity 4; pool 2: 2 nodes × 2 drives, one set of 4, which holds parity 2 at most.
    expect(problemLines(withSecondPool('/data/disk3, /data/disk4')).filter((line) => line.includes('parity'))).toEqual([
      expect.stringMatching(/: error: minio\.pools\[1\]: pool 2's erasure sets of 4 drives cannot hold parity 4, which MinIO takes from pool 1's sets of 8 drives: every node would refuse to start; give pool 2 at least 8 drives per set \(nodes × drives per node\)$/),
    ]);
  });
  it('accepts one with sets as large (2 nodes × 4 drives)', () => {
    expect(problemLines(withSecondPool('/data/disk3, /data/disk4, /data/disk5, /data/disk6')).filter((line) => line.includes('parity'))).toEqual([]);
  });
});

describe('minio-erasure-settings', () => {
  const withEnv = (env: string) => editBase({ 'consoleUrl: http://10.0.0.10:9090': ['consoleUrl: http://10.0.0.10:9090', `env: { ${env} }`] });
  it('refuses a STANDARD parity above half the sets, as MinIO does at start', () => {
    expect(problemLines(withEnv('MINIO_STORAGE_CLASS_STANDARD: "EC:5"'))).toEqual([
      `${F}:25:40: error: minio.env.MINIO_STORAGE_CLASS_STANDARD: EC:5 is more parity than pool 1's erasure sets of 8 drives hold (at most EC:4): every node refuses to start ("Standard storage class parity 5 should be less than or equal to 4")`,
    ]);
  });
  it('refuses a REDUCED_REDUNDANCY parity above the STANDARD one, and values MinIO cannot read', () => {
    expect(problemLines(withEnv('MINIO_STORAGE_CLASS_STANDARD: "EC:2", MINIO_STORAGE_CLASS_RRS: "EC:3"'))).toEqual([
      `${F}:25:73: error: minio.env.MINIO_STORAGE_CLASS_RRS: EC:3 is more than the STANDARD parity EC:2: every node refuses to start ("Standard storage class parity drives 2 should be greater than or equal to Reduced redundancy storage class parity drives 3")`,
    ]);
    expect(problemLines(withEnv('MINIO_STORAGE_CLASS_STANDARD: "4", MINIO_ERASURE_SET_DRIVE_COUNT: four'))).toEqual([
      `${F}:25:40: error: minio.env.MINIO_STORAGE_CLASS_STANDARD: MINIO_STORAGE_CLASS_STANDARD=4 is not EC:<parity drives> (e.g. EC:4): MinIO refuses to start ("Invalid storage class value")`,
      `${F}:25:76: error: minio.env.MINIO_ERASURE_SET_DRIVE_COUNT: MINIO_ERASURE_SET_DRIVE_COUNT=four is not a whole number: MinIO refuses to start ("Invalid erasure set size")`,
    ]);
  });
  it('accepts a parity the sets hold, and a set drive count that divides every pool', () => {
    expect(problemLines(withEnv('MINIO_STORAGE_CLASS_STANDARD: "EC:2", MINIO_ERASURE_SET_DRIVE_COUNT: "4"'))).toEqual([]);
  });
  it('minio-pool-drives: a set drive count no pool can be split into, or one below 4 drives', () => {
    expect(problemLines(withEnv('MINIO_ERASURE_SET_DRIVE_COUNT: "5"'))).toEqual([
      `${F}:27:7: error: minio.pools[0]: pool 1 (8 drives) cannot be split into erasure sets of 5 (MINIO_ERASURE_SET_DRIVE_COUNT: MinIO refuses to start, "Invalid set drive count"); sizes that fit are 4, 8`,
    ]);
    expect(problemLines(withEnv('MINIO_ERASURE_SET_DRIVE_COUNT: "2"'))[0]).toContain('cannot be split into erasure sets of 2 (MINIO_ERASURE_SET_DRIVE_COUNT: fewer than 4 drives per set)');
  });
  it('minio-pool-drives: a later pool too small for the STANDARD parity the environment sets', () => {
    const text = editBase({
      'consoleUrl: http://10.0.0.10:9090': ['consoleUrl: http://10.0.0.10:9090', 'env: { MINIO_STORAGE_CLASS_STANDARD: "EC:3" }'],
      '- { name: minio4, host: host-d }': '- { name: minio4, host: host-d }\n    - drives: [/data/disk3, /data/disk4]\n      nodes:\n        - { name: minio5, host: host-a }\n        - { name: minio6, host: host-b }',
    });
    expect(problemLines(text).filter((line) => line.includes('parity'))).toEqual([
      expect.stringMatching(/: error: minio\.pools\[1\]: pool 2's erasure sets of 4 drives cannot hold parity 3, which MINIO_STORAGE_CLASS_STANDARD sets: every node would refuse to start; give pool 2 at least 6 drives per set/),
    ]);
  });
});

describe('minio-node-sequence', () => {
  it('wants consecutive numbers, in order', () => {
    expect(problemLines(editBase({ '- { name: minio3, host: host-c }': '- { name: minio5, host: host-c }' }))).toEqual([
      `${F}:30:19: error: minio.pools[0].nodes[2].name: MinIO node name "minio5" breaks the pool's sequence: expected "minio3" (one prefix, consecutive numbers, in order)`,
    ]);
  });
  it('wants a trailing number', () => {
    expect(problemLines(editBase({ '- { name: minio3, host: host-c }': '- { name: miniox, host: host-c }' }))).toEqual([
      `${F}:30:19: error: minio.pools[0].nodes[2].name: MinIO node name "miniox" must end in a number (e.g. minio1) so MinIO's {1...n} notation can name it`,
    ]);
  });
});

describe('known-placeholders', () => {
  it('rejects MinIO ellipses in host paths', () => {
    expect(problemLines(editBase({ '- drives: [/data/disk1, /data/disk2]': "- drives: [/data/disk1, '/data/disk{1...2}']" }))).toEqual([
      `${F}:26:29: error: minio.pools[0].drives[1]: only {name} may stand in a host path, got "/data/disk{1...2}" (drives are numbered by the generator)`,
    ]);
  });
});

describe('data-dirs-disjoint', () => {
  it('rejects a drive listed twice, once for the whole pool', () => {
    expect(problemLines(editBase({ '- drives: [/data/disk1, /data/disk2]': '- drives: [/data/disk1, /data/disk1]' }))).toEqual([
      `${F}:26:29: error: minio.pools[0].drives[1]: MinIO node minio1's /data/disk1 is the same directory as its own /data/disk1: each drive needs its own directory`,
    ]);
  });
  it('rejects a drive inside another drive', () => {
    expect(problemLines(editBase({ '- drives: [/data/disk1, /data/disk2]': '- drives: [/data/disk1, /data/disk1/more]' }))).toEqual([
      `${F}:26:29: error: minio.pools[0].drives[1]: MinIO node minio1's /data/disk1/more overlaps its own /data/disk1: each drive needs its own directory`,
    ]);
  });
  it("rejects a drive inside etcd's data dir on the same host", () => {
    expect(problemLines(editBase({ '- drives: [/data/disk1, /data/disk2]': '- drives: [/data/disk1, /data/etcd/disk2]' }))).toEqual([
      `${F}:26:29: error: minio.pools[0].drives[1]: MinIO node minio1's /data/etcd/disk2 overlaps etcd member etcd1's /data/etcd on host host-a`,
    ]);
  });
});

describe('published-ports-unique', () => {
  it('treats an ingress port as taken on every node', () => {
    expect(problemLines(editBase({ 'image: nginx:1.22.1': ['image: nginx:1.22.1', 's3Port: 2379'] }))).toEqual([
      `${F}:34:13: error: minio.proxy.s3Port: port 2379 is already published by etcd-proxy (etcd.proxy.publishedPort): an ingress-published port is taken on every node`,
    ]);
  });
  it('treats a host-mode port as taken where both services may run', () => {
    const text = editBase({ ...hostMode, 'image: nginx:1.22.1': ['image: nginx:1.22.1', 'replicas: 1', 'consolePort: 2379'] });
    expect(problemLines(text)).toContain(
      `${F}:36:18: error: minio.proxy.consolePort: port 2379 is already published by etcd-proxy (etcd.proxy.publishedPort): a host-mode port is taken on each node running a task, and both may run on a manager`,
    );
  });
});

describe('host-mode-replicas-fit', () => {
  it('allows one host-mode task per node', () => {
    expect(problemLines(editBase(hostMode))).toEqual([
      `${F}:15:3: error: etcd.proxy.replicas: 2 replicas of etcd-proxy publish port 2379 in host mode, but only 1 node(s) may run them: at most 1 will start`,
      `${F}:34:5: error: minio.proxy.replicas: 2 replicas of minio-proxy publish port 9000 in host mode, but only 1 node(s) may run them: at most 1 will start`,
    ]);
  });
});

describe('endpoint-mode-fits-publish-mode', () => {
  it('rejects dnsrr with the ingress routing mesh', () => {
    expect(problemLines(editBase({ 'stack: milvus': ['stack: milvus', 'swarm: { endpointMode: dnsrr }'] }))).toEqual([
      `${F}:3:8: error: swarm.publishMode: swarm refuses ingress-published ports on dnsrr services (no virtual IP for the routing mesh): use publishMode: host with endpointMode: dnsrr`,
    ]);
  });
});

describe('container-ports-distinct', () => {
  it('rejects etcd client and peer on one port', () => {
    expect(problemLines(editBase({ 'dataDir: /data/etcd': ['dataDir: /data/etcd', 'peerPort: 2379'] }))).toEqual([
      `${F}:16:13: error: etcd.peerPort: etcd client and peer ports are both 2379; they must differ`,
    ]);
  });
});

describe('console-url-reaches-console', () => {
  it('warns when the URL names a node of the swarm on a port the console is not published on', () => {
    expect(problemLines(editBase({ 'consoleUrl: http://10.0.0.10:9090': 'consoleUrl: http://10.0.0.10:9091' }))).toEqual([
      `${F}:24:15: warning: minio.consoleUrl: 10.0.0.10:9091 is a node of this swarm, where the MinIO console is published on port 9090, not 9091: browsers sent there find nothing; use port 9090, or change minio.proxy.consolePort`,
    ]);
    expect(problemLines(editBase({ 'consoleUrl: http://10.0.0.10:9090': 'consoleUrl: http://host-b' }))[0]).toMatch(/: host-b is a node of this swarm, .* not 80:/);
  });
  it('leaves a URL on another host alone: a reverse proxy may serve the console there', () => {
    expect(problemLines(editBase({ 'consoleUrl: http://10.0.0.10:9090': 'consoleUrl: https://console.example.com' }))).toEqual([]);
  });
});

describe('bucket-names-valid', () => {
  it.each([
    ['Milvus_Bucket', 'may only contain lowercase letters, digits, "." and "-"'],
    ['192.168.1.1', 'must not look like an IP address'],
    ['ab', 'must be 3 to 63 characters long, got 2'],
    ['-bucket', 'must begin and end with a letter or digit'],
    ['my..bucket', 'must not contain two adjacent periods'],
    ['xn--bucket', 'must not start with "xn--" or "sthree-"'],
  ])('rejects %s', (name, reason) => {
    expect(problemLines(editBase({ '- { name: milvus-bucket }': ['- { name: milvus-bucket }', `- { name: "${name}" }`] }))).toEqual([
      `${F}:36:15: error: minio.buckets[1].name: bucket name "${name}" ${reason}`,
    ]);
  });
  it('rejects a bucket listed twice', () => {
    expect(problemLines(editBase({ '- { name: milvus-bucket }': ['- { name: milvus-bucket }', '- { name: milvus-bucket, policy: download }'] }))).toEqual([
      `${F}:36:15: error: minio.buckets[1].name: bucket "milvus-bucket" is listed twice`,
    ]);
  });
});

describe('milvus-bucket-defined', () => {
  it("wants Milvus's bucket among the topology's buckets", () => {
    expect(problemLines(editBase({ 'bucket: milvus-bucket': 'bucket: milvus-buckt' }))).toEqual([
      `${F}:37:11: error: milvus.bucket: bucket "milvus-buckt" is not defined under minio.buckets (did you mean "milvus-bucket"?)`,
    ]);
  });
});

describe('milvus-root-path-own', () => {
  const withRootPath = (rootPath: string) => editBase({ 'bucket: milvus-bucket': ['bucket: milvus-bucket', `minioRootPath: ${rootPath}`] });
  it("refuses Milvus's data inside verify's probe prefix, where verify's user may read and delete", () => {
    expect(problemLines(withRootPath('milvus-swarm/verify'))).toEqual([
      `${F}:38:18: error: milvus.minioRootPath: "milvus-swarm/verify" is inside milvus-swarm/verify/, milvus-swarm's own prefix: verify's MinIO user may read, list and delete objects there (its probe objects); choose a prefix of Milvus's own, such as files`,
    ]);
    expect(problemLines(withRootPath('milvus-swarm/verify/segments'))[0]).toContain('is inside milvus-swarm/verify/');
  });
  it('refuses the reserved prefix recovery points skip, and a parent of either', () => {
    expect(problemLines(withRootPath('.milvus-swarm'))).toEqual([
      `${F}:38:18: error: milvus.minioRootPath: ".milvus-swarm" is inside .milvus-swarm/, milvus-swarm's own prefix: recovery points never count, keep or restore objects there (a point would record none of Milvus's data); choose a prefix of Milvus's own, such as files`,
    ]);
    expect(problemLines(withRootPath('milvus-swarm'))[0]).toContain('"milvus-swarm" holds milvus-swarm/verify/');
  });
  it("accepts prefixes that only look alike", () => {
    for (const rootPath of ['files', 'milvus-swarm-data', 'milvus-swarm/verifying', 'milvus-swarm.d']) expect({ rootPath, problems: problemLines(withRootPath(rootPath)) }).toEqual({ rootPath, problems: [] });
  });
});

describe('public-bucket-warned', () => {
  it('warns about a public bucket', () => {
    expect(problemLines(editBase({ '- { name: milvus-bucket }': '- { name: milvus-bucket, policy: public }' }))).toEqual([
      `${F}:35:38: warning: minio.buckets[0].policy: bucket "milvus-bucket" is public: anyone who reaches the load balancer can read, overwrite and delete its objects; use "private" (Milvus signs its requests)`,
    ]);
  });
});

describe('node-labels-distinct', () => {
  it('refuses a host whose every label another host carries too (its services could start there)', () => {
    const text = editBase({
      '- { name: host-a, ip: 10.0.0.1, nodeId: aaaaaaaaaaaaaaaaaaaaaaaaa }': '- { name: host-a, ip: 10.0.0.1, nodeId: aaaaaaaaaaaaaaaaaaaaaaaaa, labels: { zk: "1" } }',
      '- { name: host-b, ip: 10.0.0.2 }': '- { name: host-b, ip: 10.0.0.2, labels: { zk: "1", spare: "yes" } }',
    });
    expect(problemLines(text)).toEqual([
      `${F}:9:78: error: hosts[0].labels: host host-b carries every label of host-a (zk=1): services pinned to host-a could start on host-b; give host-a a label host-b does not have`,
    ]);
  });
  it('accepts labels that tell the hosts apart', () => {
    const text = editBase({
      '- { name: host-a, ip: 10.0.0.1, nodeId: aaaaaaaaaaaaaaaaaaaaaaaaa }': '- { name: host-a, ip: 10.0.0.1, labels: { zk1: "true" } }',
      '- { name: host-b, ip: 10.0.0.2 }': '- { name: host-b, ip: 10.0.0.2, labels: { zk2: "true" } }',
    });
    expect(problemLines(text)).toEqual([]);
  });
});

describe('healthchecks-fit', () => {
  it('refuses etcdctl on etcd members: it needs quorum, and swarm publishes a member only once it is healthy', () => {
    expect(problemLines(editBase({ 'dataDir: /data/etcd': ['dataDir: /data/etcd', 'healthcheck: { probe: etcdctl }'] }))).toEqual([
      `${F}:16:25: error: etcd.healthcheck.probe: etcdctl needs quorum, and swarm publishes a member's name only once it is healthy: the members would never find each other; use probe none (quorum is verify's job) or http on the peer port (an image with curl)`,
    ]);
  });
  it('refuses etcdctl where no etcd image runs', () => {
    expect(problemLines(editBase({ 'image: nginx:1.22.1': ['image: nginx:1.22.1', 'healthcheck: { probe: etcdctl }'] }))).toEqual([
      `${F}:34:27: error: minio.proxy.healthcheck.probe: etcdctl ships in etcd images only, not in nginx's: use http or exec`,
    ]);
  });
  it('refuses a probe whose program its image is known not to ship: curl in MinIO images from RELEASE.2023-11-01', () => {
    expect(problemLines(editBase({ 'image: minio:v23.03': 'image: minio/minio:RELEASE.2024-01-16T16-07-38Z' }))).toEqual([
      `${F}:21:10: error: minio.image: the MinIO nodes' healthcheck runs curl inside minio/minio:RELEASE.2024-01-16T16-07-38Z, which has none: MinIO images from RELEASE.2023-11-01T01-57-10Z on ship no curl (RELEASE.2024-01-16T16-07-38Z is one); MinIO's own probe is {probe: exec, command: [mc, ready, local]}; the tasks would never turn healthy, and swarm would never publish them`,
    ]);
    // The last release with curl, and MinIO's own probe on a later one, pass.
    expect(problemLines(editBase({ 'image: minio:v23.03': 'image: quay.io/minio/minio:RELEASE.2023-10-25T06-33-25Z' }))).toEqual([]);
    expect(problemLines(editBase({ 'image: minio:v23.03': ['image: minio/minio:RELEASE.2024-01-16T16-07-38Z', 'healthcheck: { probe: exec, command: [mc, ready, local] }'] }))).toEqual([]);
  });
  it('refuses curl in the distroless etcd images, and lets an image it does not know through', () => {
    const httpMembers = (image: string) => editBase({ 'image: etcd:v3.5.5': `image: ${image}`, 'dataDir: /data/etcd': ['dataDir: /data/etcd', 'healthcheck: { probe: http, command: [curl, -fsS] }'] });
    expect(problemLines(httpMembers('quay.io/coreos/etcd:v3.5.17'))).toEqual([
      `${F}:14:10: error: etcd.image: the etcd members' healthcheck runs curl inside quay.io/coreos/etcd:v3.5.17, which has none: quay.io/coreos/etcd from v3.5 on is distroless: it ships etcd, etcdctl, etcdutl and nothing else (no shell, curl or wget); the tasks would never turn healthy, and swarm would never publish them`,
    ]);
    expect(problemLines(httpMembers('bitnami/etcd:3.5.17'))).toEqual([]);
  });
  it('needs a command for http and exec, and refuses one for none', () => {
    const text = editBase({
      'image: minio:v23.03': ['image: minio:v23.03', 'healthcheck: { probe: exec }'],
      'dataDir: /data/etcd': ['dataDir: /data/etcd', 'healthcheck: { probe: none, command: [/bin/true] }'],
    });
    expect(problemLines(text)).toEqual([
      `${F}:16:40: error: etcd.healthcheck.command: probe none runs no command of yours: remove command, or use probe http or exec`,
      `${F}:23:25: error: minio.healthcheck.probe: probe exec needs a command, e.g. command: [curl, -fsS, -o, /dev/null, --max-time, "3"]`,
    ]);
  });
});

describe('images-pinned', () => {
  it('warns about latest', () => {
    expect(problemLines(editBase({ 'image: nginx:1.22.1': 'image: nginx:latest' }))).toEqual([
      `${F}:33:12: warning: minio.proxy.image: image "nginx:latest" is not pinned (latest): nodes may run different versions after a pull; pin a version tag or a digest`,
    ]);
  });
  it('warns about no tag, also behind a registry port', () => {
    expect(problemLines(editBase({ 'image: etcd:v3.5.5': 'image: registry.local:5000/etcd' }))).toEqual([
      `${F}:14:10: warning: etcd.image: image "registry.local:5000/etcd" is not pinned (no tag): nodes may run different versions after a pull; pin a version tag or a digest`,
    ]);
  });
  it('accepts a digest', () => {
    expect(problemLines(editBase({ 'image: etcd:v3.5.5': `image: etcd@sha256:${'0'.repeat(64)}` }))).toEqual([]);
  });
  it('covers deploy\'s helper image too', () => {
    expect(problemLines(editBase({ 'stack: milvus': ['stack: milvus', 'swarm: { helperImage: busybox }'] }))).toEqual([
      `${F}:3:23: warning: swarm.helperImage: image "busybox" is not pinned (no tag): nodes may run different versions after a pull; pin a version tag or a digest`,
    ]);
  });
});

/** The base with a `backup:` section appended (lines 37 onward), each entry one line. */
const withBackup = (...lines: string[]) => `${baseTopology.trimEnd()}\nbackup:\n${lines.map((line) => `  ${line}`).join('\n')}\n`;
const DIRECTORY = 'targets: { directory: /var/backups/milvus }';

describe('backup-target-defined', () => {
  it('refuses a backup section without a directory or an S3 bucket', () => {
    expect(problemLines(withBackup('schedule: "0 3 * * *"', 'keep: 7', 'windowDays: 7', 'targets: {}'))).toEqual([
      `${F}:42:12: error: backup.targets: no target for recovery points: give a directory on the manager, an s3 bucket on another endpoint, or both`,
    ]);
  });
  it('accepts a directory alone', () => {
    expect(problemLines(withBackup('schedule: "0 3 * * *"', 'keep: 7', 'windowDays: 7', DIRECTORY))).toEqual([]);
  });
});

describe('backup-window-covers-schedule', () => {
  it('refuses a window shorter than the time between two scheduled points', () => {
    expect(problemLines(withBackup('schedule: "0 3 * * 1"', 'keep: 1', 'windowDays: 6', DIRECTORY))).toEqual([
      `${F}:41:15: error: backup.windowDays: a recovery window of 6 days is shorter than the longest time between scheduled points (7 days for "0 3 * * 1"): the newest point would be older than the window and could not bring the bucket back; make windowDays at least 7`,
    ]);
  });
  it('measures the longest gap, not the usual one (the 1st and 15th: 17 days from the 15th of a 31-day month)', () => {
    expect(problemLines(withBackup('schedule: "0 0 1,15 * *"', 'keep: 1', 'windowDays: 16', DIRECTORY))[0]).toContain('(17 days for "0 0 1,15 * *")');
    expect(problemLines(withBackup('schedule: "0 0 1,15 * *"', 'keep: 1', 'windowDays: 17', DIRECTORY))).toEqual([]);
  });
});

describe('backup-points-within-window', () => {
  it('warns when the points kept reach back beyond the window', () => {
    expect(problemLines(withBackup('schedule: "0 3 * * *"', 'keep: 14', 'windowDays: 7', DIRECTORY))).toEqual([
      `${F}:40:9: warning: backup.keep: 14 points 1 day apart reach back 13 days, beyond the 7-day window: the older points can bring back etcd but not the bucket; keep at most 8 or lengthen windowDays`,
    ]);
  });
  it('is quiet when they fit', () => {
    expect(problemLines(withBackup('schedule: "0 3 * * *"', 'keep: 8', 'windowDays: 7', DIRECTORY))).toEqual([]);
  });
});

describe('backup-target-off-cluster', () => {
  it("refuses the cluster's own load balancer as the S3 target", () => {
    expect(problemLines(withBackup('schedule: "0 3 * * *"', 'keep: 7', 'windowDays: 7', 'targets: { s3: { endpoint: "https://10.0.0.10:9000", bucket: points } }'))).toEqual([
      `${F}:42:30: error: backup.targets.s3.endpoint: 10.0.0.10:9000 is this cluster's own MinIO: points stored there are lost with the cluster they should bring back; use a MinIO or S3 elsewhere, or only a directory target`,
    ]);
  });
  it('refuses a MinIO node by its service name, and accepts another endpoint', () => {
    expect(problemLines(withBackup('schedule: "0 3 * * *"', 'keep: 7', 'windowDays: 7', 'targets: { s3: { endpoint: "https://minio3:9000", bucket: points } }'))[0]).toContain(
      "minio3:9000 is this cluster's own MinIO",
    );
    expect(problemLines(withBackup('schedule: "0 3 * * *"', 'keep: 7', 'windowDays: 7', 'targets: { s3: { endpoint: "https://backup.example.com", bucket: points } }'))).toEqual([]);
  });
});

describe('backup-directory-private', () => {
  const withDirectory = (directory: string) => withBackup('schedule: "0 3 * * *"', 'keep: 7', 'windowDays: 7', `targets: { directory: ${directory} }`);
  it('refuses a directory inside one every user may write (/tmp, /var/tmp, /dev/shm)', () => {
    expect(problemLines(withDirectory('/tmp'))).toEqual([
      `${F}:42:25: error: backup.targets.directory: /tmp is inside /tmp, where every user of the manager may create folders: anyone there could plant a recovery point; use a directory only the runner's user can write, such as /var/backups/milvus-swarm/milvus`,
    ]);
    for (const directory of ['/tmp/points', '/var/tmp/milvus/points', '/dev/shm/points']) expect(problemLines(withDirectory(directory))[0]).toContain(`${directory} is inside /`);
  });
  it("refuses a directory inside a data dir, or holding one", () => {
    expect(problemLines(withDirectory('/data/etcd/points'))).toEqual([
      `${F}:42:25: error: backup.targets.directory: /data/etcd/points is inside etcd member etcd1's data directory /data/etcd: points there are written into (or over) the data they protect, and lost with it; use a directory of its own`,
    ]);
    expect(problemLines(withDirectory('/data'))[0]).toContain("/data holds etcd member etcd1's data directory /data/etcd");
    expect(problemLines(withDirectory('/data/disk2/points'))[0]).toContain("is inside MinIO node minio1's data directory /data/disk2");
  });
  it('accepts a directory of its own', () => {
    expect(problemLines(withDirectory('/var/backups/milvus'))).toEqual([]);
    expect(problemLines(withDirectory('/data/points'))).toEqual([]);
  });
});

describe('backup-s3-keys-own', () => {
  const withKeys = (keys: string) => withBackup('schedule: "0 3 * * *"', 'keep: 7', 'windowDays: 7', `targets: { s3: { endpoint: "https://backup.example.com", bucket: points, ${keys} } }`);
  it("refuses MinIO's root or verify's variables, and the point key, as the target's keys", () => {
    expect(problemLines(withKeys('accessKeyVariable: MINIO_ROOT_USER, secretKeyVariable: MINIO_ROOT_PASSWORD'))).toEqual([
      `${F}:42:95: error: backup.targets.s3.accessKeyVariable: MINIO_ROOT_USER holds MinIO's root user: the S3 target's keys are sent to backup.example.com (the access key in every request), so that would hand it over; give the target keys of its own, such as BACKUP_S3_ACCESS_KEY / BACKUP_S3_SECRET_KEY`,
      `${F}:42:131: error: backup.targets.s3.secretKeyVariable: MINIO_ROOT_PASSWORD holds MinIO's root password: the S3 target's keys are sent to backup.example.com (the access key in every request), so that would hand it over; give the target keys of its own, such as BACKUP_S3_ACCESS_KEY / BACKUP_S3_SECRET_KEY`,
    ]);
    expect(problemLines(withKeys('accessKeyVariable: MINIO_VERIFY_USER'))[0]).toContain("MINIO_VERIFY_USER holds verify's MinIO user");
    expect(problemLines(withKeys('secretKeyVariable: MILVUS_SWARM_POINT_KEY'))[0]).toContain('MILVUS_SWARM_POINT_KEY holds the key recovery points are signed with');
  });
  it('accepts keys of its own', () => {
    expect(problemLines(withKeys('accessKeyVariable: OFFSITE_KEY, secretKeyVariable: OFFSITE_SECRET'))).toEqual([]);
  });
});

describe('backup-s3-prefix-plain', () => {
  it('refuses "." and ".." segments in the S3 prefix', () => {
    expect(problemLines(withBackup('schedule: "0 3 * * *"', 'keep: 7', 'windowDays: 7', 'targets: { s3: { endpoint: "https://backup.example.com", bucket: points, prefix: prod/../other } }'))).toEqual([
      `${F}:42:84: error: backup.targets.s3.prefix: "prod/../other" has a "." or ".." segment: S3 keys them literally, paths resolve them; write the folder without them, such as milvus/production`,
    ]);
    expect(problemLines(withBackup('schedule: "0 3 * * *"', 'keep: 7', 'windowDays: 7', 'targets: { s3: { endpoint: "https://backup.example.com", bucket: points, prefix: ./prod } }'))).toHaveLength(1);
    expect(problemLines(withBackup('schedule: "0 3 * * *"', 'keep: 7', 'windowDays: 7', 'targets: { s3: { endpoint: "https://backup.example.com", bucket: points, prefix: prod.d/v1..2 } }'))).toEqual([]);
  });
});

describe('backup-s3-https-warned', () => {
  it('warns about a plain http S3 target', () => {
    expect(problemLines(withBackup('schedule: "0 3 * * *"', 'keep: 7', 'windowDays: 7', 'targets: { s3: { endpoint: "http://backup.example.com:9000", bucket: points } }'))).toEqual([
      `${F}:42:30: warning: backup.targets.s3.endpoint: http://backup.example.com:9000 is plain http: every recovery point (all of etcd) crosses the network unencrypted; use https unless the target is on this machine`,
    ]);
  });
});

describe('no-credentials-in-topology', () => {
  it('refuses keys in a backup target\'s S3 URL without printing the secret', () => {
    const lines = problemLines(withBackup('schedule: "0 3 * * *"', 'keep: 7', 'windowDays: 7', 'targets: { s3: { endpoint: "https://ak:sekrit@backup.example.com", bucket: points } }'));
    expect(lines).toEqual([
      `${F}:42:30: error: backup.targets.s3.endpoint: "https://ak:***@" holds a user and password: topology files are committed; credentials come from swarm secrets only`,
    ]);
    expect(lines.join('\n')).not.toContain('sekrit');
  });
  it('refuses a password in MinIO env', () => {
    expect(problemLines(editBase({ 'consoleUrl: http://10.0.0.10:9090': ['consoleUrl: http://10.0.0.10:9090', 'env: { MINIO_ROOT_PASSWORD: hunter2 }'] }))).toEqual([
      `${F}:25:10: error: minio.env.MINIO_ROOT_PASSWORD: MINIO_ROOT_PASSWORD looks like a credential: topology files are committed; use minio.rootUserSecret / rootPasswordSecret (swarm secrets)`,
    ]);
  });
});

/** The base with its manager named and a `monitoring:` section appended (lines 39 onward), each entry one line. */
const withMonitoring = (...lines: string[]) =>
  `${editBase({ '- ip: 10.0.0.10': '- { ip: 10.0.0.10, name: mgr-a }' }).trimEnd()}\nmonitoring:\n${lines.map((line) => `  ${line}`).join('\n')}\n`;
const PROMETHEUS = (extra = '', host = 'host: mgr-a, ') => `prometheus: { image: prom/prometheus:v3.16.0, ${host}dataDir: /data/prometheus${extra} }`;
const ALERTMANAGER = (extra = '') => `alertmanager: { image: prom/alertmanager:v0.35.0, host: mgr-a, dataDir: /data/alertmanager${extra} }`;

describe('monitoring-on-managers', () => {
  it('accepts Prometheus and Alertmanager on a named manager', () => {
    expect(problemLines(withMonitoring(PROMETHEUS(), ALERTMANAGER()))).toEqual([]);
  });
  it('names the managers when the host is not one of them (a data host is not)', () => {
    expect(problemLines(withMonitoring(PROMETHEUS('', 'host: host-a, ')))).toEqual([
      `${F}:39:55: error: monitoring.prometheus.host: Prometheus runs on a manager, and "host-a" is not one; the managers are mgr-a`,
    ]);
    expect(problemLines(withMonitoring(PROMETHEUS('', 'host: mgr-b, ')))).toEqual([
      `${F}:39:55: error: monitoring.prometheus.host: Prometheus runs on a manager, and "mgr-b" is not one (did you mean "mgr-a"?); the managers are mgr-a`,
    ]);
  });
  it('asks for named managers when none is', () => {
    const text = `${baseTopology.trimEnd()}\nmonitoring:\n  ${PROMETHEUS()}\n`;
    expect(problemLines(text)).toEqual([`${F}:39:55: error: monitoring.prometheus.host: Prometheus runs on a manager, and "mgr-a" is not one: name the managers under managers[].name`]);
  });
  it('requires a host unless co-location is allowed', () => {
    expect(problemLines(withMonitoring(PROMETHEUS('', '')))).toEqual([
      `${F}:39:15: error: monitoring.prometheus: Prometheus has no host: pin it to a manager with "host:" (its data dir stays on that machine), or set swarm.allowColocation on a one-node test swarm`,
    ]);
  });
});

describe('monitoring-alerts-known', () => {
  it("accepts an alert of the rendered rules, and names a misspelt one with the likely alert", () => {
    expect(problemLines(withMonitoring('alerts: { MinioNodeDown: { forSeconds: 300 }, EtcdFailedProposals: { forSeconds: 0 } }'))).toEqual([]);
    expect(problemLines(withMonitoring('alerts: { MinioNodeDown: { forSeconds: 300 }, EtcdMemberDwn: { forSeconds: 10 } }'))).toEqual([
      `${F}:39:64: error: monitoring.alerts.EtcdMemberDwn: "EtcdMemberDwn" is not an alert of the rendered rules (did you mean "EtcdMemberDown"?); monitoring/README.md lists them`,
    ]);
  });
  it('bounds the duration', () => {
    expect(problemLines(withMonitoring('alerts: { MinioNodeDown: { forSeconds: -1 } }')).join('\n')).toMatch(/^test\/fixtures\/topologies\/base\.yaml:39:\d+: error: monitoring\.alerts\.MinioNodeDown\.forSeconds: /);
  });
});

describe('monitoring-secrets-distinct', () => {
  it("refuses one of MinIO's credentials as the metrics token, and the token as the webhook URL", () => {
    expect(problemLines(withMonitoring('minioTokenSecret: minio_user'))).toEqual([
      `${F}:39:21: error: monitoring.minioTokenSecret: the metrics token and MinIO's root user are both the secret "minio_user": give each its own secret`,
    ]);
    expect(problemLines(withMonitoring(ALERTMANAGER(', webhookUrlSecret: minio_metrics_token')))).toEqual([
      `${F}:39:113: error: monitoring.alertmanager.webhookUrlSecret: the webhook URL and the metrics token are both the secret "minio_metrics_token": give each its own secret`,
    ]);
  });
});

describe('monitoring in the other rules', () => {
  it('published-ports-unique: Prometheus on a manager meets the MinIO console there', () => {
    expect(problemLines(withMonitoring(PROMETHEUS(', port: 9090')))).toEqual([
      `${F}:39:95: error: monitoring.prometheus.port: port 9090 is already published by minio-proxy (minio.proxy.consolePort): an ingress-published port is taken on every node`,
    ]);
  });
  it('service-names-unique: an etcd member named prometheus', () => {
    const text = withMonitoring(PROMETHEUS()).replace('- { name: etcd1, host: host-a }', '- { name: prometheus, host: host-a }');
    expect(problemLines(text)).toContain(
      `${F}:39:15: error: monitoring.prometheus: service name "prometheus" is already used at etcd.members[0].name: service names are DNS names on the network`,
    );
  });
  it('data-dirs-disjoint: two data dirs nested on one manager', () => {
    expect(problemLines(withMonitoring(PROMETHEUS().replace('/data/prometheus', '/data/tsdb'), ALERTMANAGER().replace('/data/alertmanager', '/data/tsdb/am')))).toEqual([
      `${F}:40:75: error: monitoring.alertmanager.dataDir: Alertmanager's /data/tsdb/am overlaps Prometheus's /data/tsdb on host mgr-a`,
    ]);
  });
  it('data-dirs-not-system and known-placeholders cover its data dir', () => {
    expect(problemLines(withMonitoring(PROMETHEUS().replace('/data/prometheus', '/var')))).toEqual([
      `${F}:39:71: error: monitoring.prometheus.dataDir: /var is a system directory: data needs a directory of its own, such as /mnt/data/...`,
    ]);
    expect(problemLines(withMonitoring(PROMETHEUS().replace('/data/prometheus', '"/data/{1...2}"')))).toEqual([
      `${F}:39:71: error: monitoring.prometheus.dataDir: only {name} may stand in a host path, got "/data/{1...2}" (drives are numbered by the generator)`,
    ]);
  });
  it('images-pinned: its image', () => {
    expect(problemLines(withMonitoring(PROMETHEUS().replace('v3.16.0', 'latest')))).toEqual([
      `${F}:39:24: warning: monitoring.prometheus.image: image "prom/prometheus:latest" is not pinned (latest): nodes may run different versions after a pull; pin a version tag or a digest`,
    ]);
  });
});

describe('the checklist', () => {
  it('has a test above for every rule', async () => {
    // Rules added for hostile input (issue 15) are tested with their class, in test/unit/hostile/.
    const fs = await import('node:fs');
    const hostile = new URL('./hostile/', import.meta.url);
    const source = [fs.readFileSync(new URL(import.meta.url), 'utf8'), ...fs.readdirSync(hostile).filter((name) => name.endsWith('.test.ts')).map((name) => fs.readFileSync(new URL(name, hostile), 'utf8'))].join('\n');
    const untested = rules.map((rule) => rule.name).filter((name) => !source.includes(`describe('${name}'`));
    expect(untested).toEqual([]);
  });
});
