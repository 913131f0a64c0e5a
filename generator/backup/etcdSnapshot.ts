// The etcd half of a recovery point: `etcdctl snapshot save`, checked with `etcdutl snapshot status` and etcd's own
// integrity hash, and `etcdutl snapshot restore` into a member's data dir. Each tool is a runner passed in, so the
// same code drives the local binaries (tests, a member you run yourself) and a one-off container on the stack's
// network or a host job on a member's node (swarm). Paths given to a runner must mean the same file for the runner
// and for this process (bind-mount the work directory at the same path).
//
// Read in etcd v3.5.5's sources (go.etcd.io/etcd/etcdutl/v3/snapshot/v3_snapshot.go, client/v3/snapshot):
// - `snapshot save` streams the backend from ONE endpoint and refuses a stream whose size is not 512·n + 32: the
//   last 32 bytes are the sha256 of the rest. It writes FILE.part and renames it, so a failed save leaves no FILE.
// - `snapshot status` opens the file read-only with bbolt and checks the page structure only: a flipped byte in a
//   value passes it (the hash it prints changes, nothing fails). So a point records the hash, revision and key count
//   it printed and the file's sha256, and restore compares all of them, plus etcd's trailing sha256.
// - `snapshot restore` refuses a data dir that exists and is not empty, and checks the trailing sha256. Before
//   anything it resolves this member's peer URL host (VerifyBootstrap → URLStringsEqual) and gives up after 30 s
//   with "failed to resolve http://etcd1:2380 to match --initial-cluster" (seen on this machine): where member names
//   are not in DNS (a host job off the overlay network, or services stopped under dnsrr) run it with
//   `--add-host NAME:127.0.0.1` — any address works, both sides resolve the same name.
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import type { DockerResult } from '../docker/cli.ts';
import { runCommand } from '../docker/cli.ts';

/** Runs one etcd tool (etcdctl or etcdutl) with these arguments; the same contract as generator/docker/cli.ts. */
export type ToolRunner = (args: readonly string[], options: { timeoutMs: number }) => Promise<DockerResult>;

/** A tool binary on this machine. */
export const localTool =
  (binary: string, env: NodeJS.ProcessEnv = process.env): ToolRunner =>
  (args, options) =>
    runCommand(binary, args, { ...options, env: { ...env, ETCDCTL_API: '3' } });

const failure = (what: string, result: DockerResult): Error =>
  new Error(`${what}: ${result.timedOut ? `no answer within ${Math.round(result.elapsedMs / 1000)} s` : `exit ${result.code}`}: ${lastLines(result.stderr || result.stdout, 3).split('\n').join(' | ')}`);

/** etcd tools log JSON lines to stderr before the one line that says what failed: keep the end. */
const lastLines = (text: string, count: number): string => text.trim().split('\n').slice(-count).join('\n');

export interface SavedSnapshot {
  file: string;
  bytes: number;
  elapsedMs: number;
}

/** `etcdctl snapshot save FILE` against one member's client URL (etcd refuses more than one endpoint). */
export async function saveSnapshot(etcdctl: ToolRunner, options: { endpoint: string; file: string; timeoutMs?: number }): Promise<SavedSnapshot> {
  const args = [`--endpoints=${options.endpoint}`, 'snapshot', 'save', options.file];
  const result = await etcdctl(args, { timeoutMs: options.timeoutMs ?? 120_000 });
  if (result.code !== 0) throw failure(`etcdctl snapshot save from ${options.endpoint}`, result);
  return { file: options.file, bytes: (await stat(options.file)).size, elapsedMs: result.elapsedMs };
}

/** `etcdutl snapshot status -w json`: bbolt's own figures of the file. */
export interface SnapshotStatus {
  /** CRC-32C over every bucket's keys and values. */
  hash: number;
  revision: number;
  /** Entries in all of the backend's buckets (not only the keys a client sees). */
  totalKey: number;
  totalSize: number;
}

export async function snapshotStatus(etcdutl: ToolRunner, file: string): Promise<SnapshotStatus> {
  const result = await etcdutl(['snapshot', 'status', file, '-w', 'json'], { timeoutMs: 120_000 });
  if (result.code !== 0) throw failure(`etcdutl snapshot status ${file}`, result);
  return parseSnapshotStatus(result.stdout);
}

export function parseSnapshotStatus(stdout: string): SnapshotStatus {
  const line = stdout.trim().split('\n').find((candidate) => candidate.trim().startsWith('{"hash"'));
  const parsed = line ? (JSON.parse(line) as Partial<SnapshotStatus>) : undefined;
  if (!parsed || ![parsed.hash, parsed.revision, parsed.totalKey, parsed.totalSize].every((value) => typeof value === 'number')) {
    throw new Error(`etcdutl snapshot status printed no status: ${JSON.stringify(stdout.trim().slice(0, 200))}`);
  }
  return parsed as SnapshotStatus;
}

export interface SnapshotDigest {
  /** sha256 of the whole file, as stored: what a point records and a copy is checked against. */
  sha256: string;
  bytes: number;
  /** etcd's trailing sha256 (of everything before it) matches; false also when the file has none. */
  trailerMatches: boolean;
}

/** Reads the file once: its sha256, and whether etcd's own trailing sha256 matches what precedes it. */
export async function digestSnapshot(file: string): Promise<SnapshotDigest> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const whole = createHash('sha256');
    const body = createHash('sha256');
    // etcd appends sha256(db) only when the db is whole pages: size % 512 == 32 (hasChecksum).
    const hasTrailer = size % 512 === 32;
    const bodyEnd = hasTrailer ? size - 32 : size;
    const buffer = Buffer.alloc(1 << 20);
    for (let position = 0; position < bodyEnd; ) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, bodyEnd - position), position);
      if (bytesRead === 0) throw new Error(`${file}: ended at byte ${position} of ${size}`);
      whole.update(buffer.subarray(0, bytesRead));
      body.update(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
    const trailer = Buffer.alloc(hasTrailer ? 32 : 0);
    if (hasTrailer) {
      await handle.read(trailer, 0, 32, bodyEnd);
      whole.update(trailer);
    }
    return { sha256: whole.digest('hex'), bytes: size, trailerMatches: hasTrailer && body.digest().equals(trailer) };
  } finally {
    await handle.close();
  }
}

/** What a point recorded about its snapshot (manifest.ts): restore insists the file still says the same. */
export interface ExpectedSnapshot {
  sha256: string;
  bytes: number;
  revision: number;
  hash: number;
  totalKey: number;
}

export interface CheckedSnapshot {
  digest: SnapshotDigest;
  status?: SnapshotStatus;
  /** Empty: the snapshot is whole and is the one recorded. */
  problems: string[];
}

/**
 * Everything that can be checked without changing anything: etcd's trailing sha256, bbolt's structure and figures
 * (etcdutl snapshot status), and, given what the point recorded, the file's sha256, size, revision, hash and keys.
 */
export async function checkSnapshot(etcdutl: ToolRunner, file: string, expected?: ExpectedSnapshot): Promise<CheckedSnapshot> {
  const digest = await digestSnapshot(file);
  const problems: string[] = [];
  if (!digest.trailerMatches) {
    problems.push(digest.bytes % 512 === 32 ? "etcd's sha256 at the end of the file does not match its contents (a changed or damaged file)" : `the file is ${digest.bytes} bytes: not an etcd snapshot with its sha256 (512·n + 32 bytes)`);
  }
  if (expected && digest.sha256 !== expected.sha256) problems.push(`sha256 ${digest.sha256.slice(0, 12)}… differs from the ${expected.sha256.slice(0, 12)}… the point recorded`);
  if (expected && digest.bytes !== expected.bytes) problems.push(`${digest.bytes} bytes, the point recorded ${expected.bytes}`);
  let status: SnapshotStatus | undefined;
  try {
    status = await snapshotStatus(etcdutl, file);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  if (status && expected) {
    if (status.revision !== expected.revision) problems.push(`revision ${status.revision}, the point recorded ${expected.revision}`);
    if (status.hash !== expected.hash) problems.push(`status hash ${status.hash}, the point recorded ${expected.hash}`);
    if (status.totalKey !== expected.totalKey) problems.push(`${status.totalKey} backend keys, the point recorded ${expected.totalKey}`);
  }
  return { digest, ...(status ? { status } : {}), problems };
}

export interface MemberPeer {
  name: string;
  peerUrl: string;
}

export interface RestoreSpec {
  file: string;
  /** Must not exist or be empty: etcdutl refuses anything else (move the old one aside first, never delete it). */
  dataDir: string;
  member: MemberPeer;
  /** Every member of the restored cluster, this one included. */
  cluster: readonly MemberPeer[];
  /** New for each restore: members of the old cluster that were not restored cannot join the new one by mistake. */
  clusterToken: string;
}

export function restoreArgs(spec: RestoreSpec): string[] {
  return [
    'snapshot',
    'restore',
    spec.file,
    `--data-dir=${spec.dataDir}`,
    `--name=${spec.member.name}`,
    `--initial-advertise-peer-urls=${spec.member.peerUrl}`,
    `--initial-cluster=${spec.cluster.map((member) => `${member.name}=${member.peerUrl}`).join(',')}`,
    `--initial-cluster-token=${spec.clusterToken}`,
  ];
}

/** `etcdutl snapshot restore` for one member; start etcd on the data dir afterwards (all members together). */
export async function restoreSnapshot(etcdutl: ToolRunner, spec: RestoreSpec, timeoutMs = 300_000): Promise<{ elapsedMs: number }> {
  if (!spec.cluster.some((member) => member.name === spec.member.name && member.peerUrl === spec.member.peerUrl)) {
    throw new Error(`member ${spec.member.name} (${spec.member.peerUrl}) is not in the restored cluster ${spec.cluster.map((member) => member.name).join(', ')}`);
  }
  const result = await etcdutl(restoreArgs(spec), { timeoutMs });
  if (result.code !== 0) throw failure(`etcdutl snapshot restore into ${spec.dataDir} for ${spec.member.name}`, result);
  return { elapsedMs: result.elapsedMs };
}

/**
 * The token of a restored cluster: the topology's, marked with the restore's moment. etcd ignores the
 * --initial-cluster-token flag once a data dir exists, so the members started by the unchanged stack file keep it.
 */
export function restoredClusterToken(base: string, restoredAt: Date): string {
  return `${base}-restored-${restoredAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').toLowerCase()}`;
}

/** etcdctl's JSON for a range: keys and values base64, numbers as JSON numbers (int64s that fit). */
interface RangeJson {
  header?: { revision?: number };
  kvs?: { key: string; lease?: number }[];
}

/**
 * Keys a client sees at `revision` (the snapshot's): `etcdctl get "" --prefix --count-only --rev=R`. etcdctl 3.5
 * prints a count only with `-w fields` ("--count-only is only for --write-out=fields"). undefined when etcd has
 * compacted that revision away already (auto-compaction keeps the last 1000 revisions).
 */
export async function countKeysAt(etcdctl: ToolRunner, endpoint: string, revision: number): Promise<number | undefined> {
  const result = await etcdctl([`--endpoints=${endpoint}`, 'get', '', '--prefix', '--count-only', `--rev=${revision}`, '-w', 'fields'], { timeoutMs: 30_000 });
  if (result.code !== 0) {
    if (/required revision has been compacted/.test(result.stderr)) return undefined;
    throw failure(`etcdctl get --count-only at revision ${revision}`, result);
  }
  const count = /^"Count" : (\d+)$/m.exec(result.stdout);
  if (!count) throw new Error(`etcdctl get --count-only printed no count: ${JSON.stringify(result.stdout.slice(0, 200))}`);
  return Number(count[1]);
}

/**
 * Milvus's live sessions: every Milvus component keeps a key under `<etcd.rootPath>/meta/session/` bound to a lease
 * (sessionutil, DefaultServiceRoot "session/"; the `id` key beside them has none). A restore must not run under a
 * connected Milvus; a stopped Milvus's sessions expire with their leases (10 to 60 s).
 */
export async function milvusSessions(etcdctl: ToolRunner, endpoint: string, etcdRootPath: string): Promise<string[]> {
  const prefix = `${etcdRootPath.replace(/\/$/, '')}/meta/session/`;
  const result = await etcdctl([`--endpoints=${endpoint}`, 'get', prefix, '--prefix', '--keys-only', '-w', 'json'], { timeoutMs: 15_000 });
  if (result.code !== 0) throw failure(`etcdctl get ${prefix} --prefix`, result);
  const parsed = JSON.parse(result.stdout) as RangeJson;
  return (parsed.kvs ?? []).filter((kv) => (kv.lease ?? 0) !== 0).map((kv) => Buffer.from(kv.key, 'base64').toString('utf8'));
}
