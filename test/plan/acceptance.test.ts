// The acceptance items, literally, through the CLI: `npx milvus-swarm plan --from FILE --to FILE`.
import { describe, expect, it } from 'vitest';
import { main } from '../../generator/cli.ts';
import { EXIT } from '../../generator/commands/io.ts';
import { caseFiles, CASES_DIR, captureIO, rowOf } from './support.ts';

async function plan(fixture: string) {
  const io = captureIO(CASES_DIR);
  const files = caseFiles(fixture);
  const code = await main(['plan', '--from', files.before, '--to', files.after], io);
  return { code, markdown: io.output, stderr: io.stderr };
}

describe('plan acceptance (issue 3)', () => {
  it('changing /mnt/data/disk2 to /mnt/data/disk3 on one MinIO node of production is destructive (exit 3)', async () => {
    const { code, markdown, stderr } = await plan('minio-drive-path-one-node');
    expect(stderr).toEqual([]);
    expect(code).toBe(EXIT.destructive);
    expect(rowOf(markdown, 'minio-drive-paths:minio3')).toMatch(/^\| \*\*destructive\*\* \| .*\/mnt\/data\/disk2 → \/mnt\/data\/disk3/);
    expect(markdown).toContain('**Refused**: 1 destructive change is not acknowledged.');
  });

  it('adding a second MinIO pool of four nodes is care with the restart procedure', async () => {
    const { code, markdown } = await plan('minio-pool-add');
    expect(code).toBe(EXIT.ok);
    const row = rowOf(markdown, 'minio-pool-add:minio5..minio8');
    expect(row).toMatch(/^\| care \| /);
    expect(row).toContain('all nodes restart');
    expect(row).toContain("1. deploy's host preparation creates the drive dirs of minio5, minio6, minio7 and minio8");
    expect(row).toContain(
      '<br>2. restart every MinIO node (minio1, minio2, minio3, minio4, minio5, minio6, minio7 and minio8) together on the command line with pool http://minio{5...8}:9000/data{1...2}: S3 pauses until all are up (runs only with `minio-pool-add:minio5..minio8` under `acknowledge:`)',
    );
  });

  it('adding a bucket is safe', async () => {
    const { code, markdown } = await plan('bucket-add');
    expect(code).toBe(EXIT.ok);
    expect(rowOf(markdown, 'bucket-add:milvus-backup')).toMatch(/^\| safe \| /);
    expect(markdown).toContain('- **after**: 1 change: 1 safe');
  });

  it("changing etcd's data dir in production is destructive unless acknowledged", async () => {
    const { code, markdown } = await plan('etcd-data-dir');
    expect(code).toBe(EXIT.destructive);
    for (const member of ['etcd1', 'etcd2', 'etcd3']) expect(rowOf(markdown, `etcd-data-dir:${member}`)).toMatch(/^\| \*\*destructive\*\* \| /);
    expect(markdown).toContain('list its id under `acknowledge:` in etcd-data-dir/after.yaml');
  });

  it('acknowledged, the data dir change exits 0 and stays marked destructive', async () => {
    const { code, markdown } = await plan('etcd-data-dir-acknowledged');
    expect(code).toBe(EXIT.ok);
    for (const member of ['etcd1', 'etcd2', 'etcd3']) expect(rowOf(markdown, `etcd-data-dir:${member}`)).toMatch(/^\| \*\*destructive\*\* \(acknowledged\) \| /);
    expect(markdown).toContain('3 destructive (acknowledged)');
    expect(markdown).not.toContain('Refused');
  });

  it('growing etcd from 3 to 5 members is care and prints the member-add procedure, one member at a time, in order', async () => {
    const { code, markdown } = await plan('etcd-grow-3-to-5');
    expect(code).toBe(EXIT.ok);
    const [etcd4, etcd5] = [rowOf(markdown, 'etcd-member-add:etcd4'), rowOf(markdown, 'etcd-member-add:etcd5')];
    expect(markdown.indexOf(etcd4)).toBeLessThan(markdown.indexOf(etcd5));
    expect(etcd4).toMatch(/^\| care \| .*1st of 2 new.*one member at a time, in order/);
    expect(etcd4).toContain('member add etcd4 --peer-urls=http://etcd4:2380');
    expect(etcd4).toContain('`--initial-cluster-state existing`');
    expect(etcd5).toMatch(/2nd of 2 new, after etcd4/);
    // Asked through etcd4 too: it was promoted before etcd5 is added.
    expect(etcd5).toContain(
      '1. add etcd5 as a learner (no vote, so quorum is untouched): `docker run --rm --network milvus_milvus-cluster-net etcd:v3.5.5 etcdctl --endpoints=http://etcd1:2379,http://etcd2:2379,http://etcd3:2379,http://etcd4:2379 member add etcd5 --peer-urls=http://etcd5:2380 --learner`',
    );
    expect(etcd5).toContain('<br>2. start etcd5 on gp22aitppapxpeg on an empty /mnt/data/etcd with --initial-cluster-state existing and --initial-cluster listing etcd1, etcd2, etcd3, etcd4 and etcd5');
    expect(etcd5).toContain('<br>4. restart etcd1, etcd2, etcd3, etcd4 and etcd5 one at a time');
    // The whole plan's steps, in the order they run, once: what deploy takes.
    expect(markdown).toContain('Steps, in the order they run (each waits until its checks pass; the command does the same by hand):');
    expect(markdown).toContain('| 3 | `etcd-member-promote:etcd4` | promote etcd4 to a voting member once it has caught up with the leader');
    expect(markdown).toContain('| 7 | `etcd-members-roll:etcd1,etcd2,etcd3,etcd4,etcd5` | restart etcd1, etcd2, etcd3, etcd4 and etcd5 one at a time');
  });

  it('the plan of a pure reordering and comment change says "no changes"', async () => {
    const { code, markdown } = await plan('reorder-and-comments');
    expect(code).toBe(EXIT.ok);
    expect(markdown).toBe('## Plan: reorder-and-comments/before.yaml → reorder-and-comments/after.yaml\n\n- **after**: no changes');
  });
});
