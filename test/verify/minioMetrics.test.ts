import { describe, expect, it } from 'vitest';
import { clusterCounts, expectedCounts, judgeClusterCounts, parsePrometheusText } from '../../generator/verify/minioMetrics.ts';
import { fixture, frozenModel } from './support.ts';

/** The real 2023-03 output, re-labelled: node and drive counts set, and the metric generation chosen. */
function metrics(nodes: number, drives: number, generation: 'disk' | 'drive' = 'disk'): string {
  return fixture('metrics-2023-03-20.txt')
    .replace(/(minio_cluster_nodes_online_total\{[^}]*\}) \d+/, `$1 ${nodes}`)
    .replace(/(minio_cluster_disk_online_total\{[^}]*\}) \d+/, `$1 ${drives}`)
    .replace(/minio_cluster_disk_/g, `minio_cluster_${generation}_`);
}

describe('reading the cluster metrics', () => {
  it('reads the captured 2023-03 release (disk generation)', () => {
    expect(clusterCounts(parsePrometheusText(fixture('metrics-2023-03-20.txt')))).toEqual({
      generation: 'disk (before 2023-08)',
      nodesOnline: 1,
      nodesOffline: 0,
      drivesOnline: 4,
      drivesOffline: 0,
    });
  });

  it('reads the drive generation (2023-08 and later)', () => {
    expect(clusterCounts(parsePrometheusText(metrics(4, 8, 'drive')))).toMatchObject({ generation: 'drive (2023-08 and later)', nodesOnline: 4, drivesOnline: 8 });
  });

  it('finds nothing in text that is not MinIO\'s', () => {
    expect(clusterCounts(parsePrometheusText('# HELP up\nup 1\n'))).toBeUndefined();
  });

  it('takes the gloomiest sample when several servers report', () => {
    const text = 'minio_cluster_nodes_online_total{server="a"} 4\nminio_cluster_nodes_online_total{server="b"} 3\nminio_cluster_drive_online_total{server="a"} 8\n';
    expect(clusterCounts(parsePrometheusText(text))).toMatchObject({ nodesOnline: 3, drivesOnline: 8 });
  });
});

describe('judging nodes and drives against the topology', () => {
  it('derives expected counts and write-quorum losses from erasure.ts (4 nodes x 2 drives: EC:4, write quorum 5)', async () => {
    expect(expectedCounts(frozenModel('local'))).toEqual({ nodes: 4, drives: 8, driveLossForWrites: 3, nodeLossForWrites: 1 });
    expect(expectedCounts(frozenModel('production'))).toEqual({ nodes: 4, drives: 8, driveLossForWrites: 3, nodeLossForWrites: 1 });
  });

  it.each([
    ['disk', 4, 8, 'pass'],
    ['drive', 4, 8, 'pass'],
    ['disk', 3, 6, 'warn'],
    ['drive', 3, 6, 'warn'],
    ['disk', 2, 4, 'fail'],
    ['drive', 2, 4, 'fail'],
    ['drive', 4, 7, 'warn'],
    ['drive', 4, 4, 'fail'],
  ] as const)('%s metrics, %i nodes and %i drives online: %s', async (generation, nodes, drives, status) => {
    const expected = expectedCounts(frozenModel('local'));
    const outcome = judgeClusterCounts(clusterCounts(parsePrometheusText(metrics(nodes, drives, generation)))!, expected);
    expect(outcome.status).toBe(status);
    expect(outcome.reason).toContain(`${nodes}/4 nodes and ${drives}/8 drives online (minio_cluster_${generation}_* metrics)`);
  });
});

describe('counts MinIO cached before nodes came back', () => {
  // MinIO caches these counts for a minute per node: right after two nodes came back a node may still report 2/4.
  it('only warn when the live /minio/health/cluster says write quorum holds now', async () => {
    const expected = expectedCounts(frozenModel('local'));
    const counts = clusterCounts(parsePrometheusText(metrics(2, 4)))!;
    expect(judgeClusterCounts(counts, expected, true)).toEqual({
      status: 'warn',
      reason:
        '2/4 nodes and 4/8 drives online (minio_cluster_disk_* metrics), but /minio/health/cluster says write quorum holds now: these counts are up to a minute old (MinIO caches them), so nodes that came back are not counted yet — verify again in a minute',
    });
    expect(judgeClusterCounts(counts, expected, false).status).toBe('fail');
    expect(judgeClusterCounts(counts, expected, undefined).status).toBe('fail');
  });
});
