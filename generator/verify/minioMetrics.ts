// MinIO's cluster metrics (/minio/v2/metrics/cluster, Prometheus text format): nodes and drives online against the
// topology. Releases before 2023-08 name the drive metrics minio_cluster_disk_*, later ones minio_cluster_drive_*;
// the node metrics kept their names. Both generations are read.
//
// The counts lag: each MinIO node caches its node-health and cluster-storage metric groups for a minute
// (cmd/metrics-v2.go, getNodeHealthMetrics and getClusterStorageMetrics: cacheInterval 1 * time.Minute), and nginx
// may ask any node. Seen in the drills: 4/4 online for up to a minute after a node went down, and 2/4 online for up
// to a minute after two came back. So a count beyond what write quorum survives fails only when the live
// /minio/health/cluster agrees; when it says write quorum holds now, the count is an old one and only warns.
import type { ClusterModel } from '../model/types.ts';
import { erasureLayout } from '../topology/erasure.ts';
import { fail, pass, warn, type Outcome } from './rows.ts';

export const METRICS_PATH = '/minio/v2/metrics/cluster';

/** Sample values by metric name, one per label set (a cluster metric carries the server that reported it). */
export function parsePrometheusText(text: string): Map<string, number[]> {
  const samples = new Map<string, number[]>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)(\s+-?\d+)?$/.exec(line);
    if (!match) continue;
    const value = Number(match[3]);
    if (!Number.isFinite(value)) continue;
    samples.set(match[1]!, [...(samples.get(match[1]!) ?? []), value]);
  }
  return samples;
}

export interface ClusterCounts {
  generation: 'disk (before 2023-08)' | 'drive (2023-08 and later)';
  nodesOnline: number;
  nodesOffline: number;
  drivesOnline: number;
  drivesOffline: number;
}

export function clusterCounts(samples: ReadonlyMap<string, number[]>): ClusterCounts | undefined {
  // Were several servers to report, the gloomiest view counts: the fewest online, the most offline.
  const online = (name: string) => (samples.has(name) ? Math.min(...samples.get(name)!) : undefined);
  const offline = (name: string) => (samples.has(name) ? Math.max(...samples.get(name)!) : 0);
  const nodesOnline = online('minio_cluster_nodes_online_total');
  const nodesOffline = offline('minio_cluster_nodes_offline_total');
  for (const [word, generation] of [
    ['drive', 'drive (2023-08 and later)'],
    ['disk', 'disk (before 2023-08)'],
  ] as const) {
    const drivesOnline = online(`minio_cluster_${word}_online_total`);
    if (drivesOnline === undefined || nodesOnline === undefined) continue;
    return { generation, nodesOnline, nodesOffline, drivesOnline, drivesOffline: offline(`minio_cluster_${word}_offline_total`) };
  }
  return undefined;
}

export interface ExpectedCounts {
  nodes: number;
  drives: number;
  /** Offline drives (nodes) the cluster survives for writes, counted as if all sat in the weakest erasure set. */
  driveLossForWrites: number;
  nodeLossForWrites: number;
}

/** What the topology promises: every pool's nodes and drives, and the smallest loss any pool's sets survive. */
export function expectedCounts(model: ClusterModel): ExpectedCounts {
  let nodes = 0;
  let drives = 0;
  let driveLoss = Number.POSITIVE_INFINITY;
  let nodeLoss = Number.POSITIVE_INFINITY;
  for (const pool of model.minio.pools) {
    nodes += pool.nodes.length;
    drives += pool.nodes.length * pool.drivesPerNode;
    const layout = pool.layout ?? erasureLayout(pool.nodes.length, pool.drivesPerNode);
    driveLoss = Math.min(driveLoss, layout ? layout.setSize - layout.writeQuorum : 0);
    nodeLoss = Math.min(nodeLoss, layout ? layout.nodeLossForWrites : 0);
  }
  return { nodes, drives, driveLossForWrites: Number.isFinite(driveLoss) ? driveLoss : 0, nodeLossForWrites: Number.isFinite(nodeLoss) ? nodeLoss : 0 };
}

/**
 * Fewer nodes or drives than the topology is a warning while write quorum holds, a failure when it does not.
 * `writeQuorumNow` is what /minio/health/cluster said on this run (undefined when it did not answer).
 */
export function judgeClusterCounts(counts: ClusterCounts, expected: ExpectedCounts, writeQuorumNow?: boolean): Outcome {
  const facts = `${counts.nodesOnline}/${expected.nodes} nodes and ${counts.drivesOnline}/${expected.drives} drives online (minio_cluster_${counts.generation.split(' ')[0]}_* metrics)`;
  const nodesDown = Math.max(0, expected.nodes - counts.nodesOnline);
  const drivesDown = Math.max(0, expected.drives - counts.drivesOnline);
  if (nodesDown === 0 && drivesDown === 0) {
    if (counts.nodesOnline > expected.nodes || counts.drivesOnline > expected.drives) {
      return warn(`${facts}: more than the topology has — is the topology out of date?`);
    }
    return pass(facts);
  }
  if (drivesDown > expected.driveLossForWrites || nodesDown > expected.nodeLossForWrites) {
    if (writeQuorumNow === true) {
      return warn(
        `${facts}, but /minio/health/cluster says write quorum holds now: these counts are up to a minute old (MinIO caches them), so nodes that came back are not counted yet — verify again in a minute`,
      );
    }
    return fail(
      `${facts}: beyond what write quorum survives (${expected.nodeLossForWrites} node(s), ${expected.driveLossForWrites} drive(s)) — writes fail: bring the nodes back (docker service ps) before anything else`,
    );
  }
  return warn(
    `${facts}: write quorum holds (survives ${expected.nodeLossForWrites} node(s), ${expected.driveLossForWrites} drive(s) down) — bring the missing ones back before another fails (counts up to a minute old)`,
  );
}
