// The swarm's side of backup and restore, the parts that decide: the container and host-job command lines, which
// member a snapshot is read from, and swarm's replica counts. What they do on a real swarm is the e2e drills' job
// (test/e2e/backupDrills.test.ts).
import { describe, expect, it } from 'vitest';
import { pickSnapshotMember, toolContainerArgs } from '../../generator/backup/swarmEtcd.ts';
import { memberRestoreJobs, runningReplicas } from '../../generator/backup/swarmMembers.ts';
import { frozenModel } from '../frozen.ts';

const members = ['etcd1', 'etcd2', 'etcd3'].map((name) => ({ name, endpoint: `${name}:2379` }));
const status = (endpoint: string, memberId: string, leader: string) =>
  `{"Endpoint":"${endpoint}","Status":{"header":{"cluster_id":17237436991929493444,"member_id":${memberId},"revision":5,"raft_term":2},"version":"3.5.5","dbSize":20480,"leader":${leader},"raftIndex":9,"raftTerm":2,"raftAppliedIndex":9,"dbSizeInUse":20480}}`;

describe('snapshots from the stack network', () => {
  it('etcdctl runs in a container of the stack etcd image, on its network, with the work directory at the same path, as the caller', () => {
    const model = frozenModel('local');
    expect(toolContainerArgs('etcdctl', { model, workDir: '/tmp/milvus-swarm-points-x', network: true }, ['snapshot', 'save', '/tmp/milvus-swarm-points-x/p/etcd.db'], ['--user', '1000:1000'])).toEqual([
      'run', '--rm', '--label', 'io.milvus-swarm.backup=milvus', '--network', 'milvus_milvus-cluster-net',
      '--mount', 'type=bind,source=/tmp/milvus-swarm-points-x,target=/tmp/milvus-swarm-points-x', '--user', '1000:1000',
      '--env', 'ETCDCTL_API=3', '--entrypoint', 'etcdctl', 'etcd:v3.5.5', 'snapshot', 'save', '/tmp/milvus-swarm-points-x/p/etcd.db',
    ]);
    expect(toolContainerArgs('etcdutl', { model, workDir: '/w', network: false }, ['snapshot', 'status', '/w/etcd.db'], [])).toContain('none');
  });

  it('reads from a follower that answers; the leader only when no follower answers; nobody when none answers', () => {
    const all = `[${status('etcd1:2379', '11', '11')},${status('etcd2:2379', '22', '11')},${status('etcd3:2379', '33', '11')}]`;
    expect(pickSnapshotMember(all, members)?.name).toBe('etcd2');
    expect(pickSnapshotMember(`[${status('etcd1:2379', '11', '11')}]`, members)?.name).toBe('etcd1');
    // A member that lost its leader (leader 0) cannot serve a consistent snapshot.
    expect(pickSnapshotMember(`[${status('etcd3:2379', '33', '0')}]`, members)).toBeUndefined();
    expect(pickSnapshotMember('', members)).toBeUndefined();
  });
});

describe('restoring the members on their nodes', () => {
  const input = { runId: 'abc12345', stamp: '20261130t070000z', urlSecret: 'milvus-snapshot-url-abc12345', clusterToken: 'milvus-etcd-restored-x' };

  it('fetches with the helper image on the stack network (values as arguments of a fixed script, the URL from a swarm secret) and restores with etcdutl, pinned as the member', () => {
    const [etcd2] = memberRestoreJobs(frozenModel('production'), input).slice(1);
    expect(etcd2!.member).toBe('etcd2');
    expect(etcd2!.keptAside).toBe('/mnt/data/.etcd.before-restore-20261130t070000z');
    const fetch = etcd2!.fetch.args;
    expect(fetch.slice(fetch.indexOf('--entrypoint'))).toEqual([
      '--entrypoint', 'sh', 'busybox:1.36.1', '-c',
      'set -e; mkdir -p -m 0700 "$1"; wget -q -O "$1/snapshot.db" "$(cat /run/secrets/milvus-swarm-snapshot-url)"; if [ -e "$2" ]; then mv "$2" "$1/data"; fi',
      'sh', '/milvus-swarm-host/.etcd.before-restore-20261130t070000z', '/milvus-swarm-host/etcd',
    ]);
    expect(fetch).toEqual(expect.arrayContaining(['--network', 'milvus_milvus-cluster-net', '--mode', 'replicated-job', '--mount', 'type=bind,source=/mnt/data,target=/milvus-swarm-host']));
    // The presigned URL reaches the job as a secret file, never as an argument (a process list) or in the spec.
    expect(fetch).toEqual(expect.arrayContaining(['--secret', 'source=milvus-snapshot-url-abc12345,target=milvus-swarm-snapshot-url,mode=0400']));
    const restore = etcd2!.restore.args;
    // The same constraints the stack pins etcd2 with (its host's labels).
    const constraints = (args: string[]) => args.flatMap((arg, index) => (arg === '--constraint' ? [args[index + 1]] : []));
    expect(constraints(restore)).toEqual(constraints(fetch));
    expect(constraints(restore).length).toBeGreaterThan(0);
    expect(restore).toEqual(expect.arrayContaining(['--host', 'etcd1:127.0.0.1', '--host', 'etcd2:127.0.0.1', '--host', 'etcd3:127.0.0.1']));
    expect(restore.slice(restore.indexOf('--entrypoint'))).toEqual([
      '--entrypoint', 'etcdutl', 'etcd:v3.5.5', 'snapshot', 'restore', '/milvus-swarm-host/.etcd.before-restore-20261130t070000z/snapshot.db',
      '--data-dir=/milvus-swarm-host/etcd', '--name=etcd2', '--initial-advertise-peer-urls=http://etcd2:2380',
      '--initial-cluster=etcd1=http://etcd1:2380,etcd2=http://etcd2:2380,etcd3=http://etcd3:2380', '--initial-cluster-token=milvus-etcd-restored-x',
    ]);
    expect(etcd2!.fetch.name).toBe('milvus-fetch-abc12345-2');
    expect(etcd2!.restore.name).toBe('milvus-restore-abc12345-2');
  });

  it("reads swarm's running replica count", () => {
    expect(['1/1', '0/1', '0/0', '0/1 (1/1 completed)', '2/3 (max 1 per node)'].map(runningReplicas)).toEqual([1, 0, 0, 0, 2]);
  });
});
