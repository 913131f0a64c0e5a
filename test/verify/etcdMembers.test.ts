import { describe, expect, it } from 'vitest';
import { parseEndpointFailures, parseEndpointStatus, parseMemberList, type EndpointStatus } from '../../generator/cluster/etcdctlJson.ts';
import { containerProblem, etcdctlRun, quorumOf } from '../../generator/cluster/etcdctl.ts';
import { judgeEndpointStatus, RAFT_INDEX_SLACK } from '../../generator/cluster/etcdStatus.ts';
import { judgeMemberList, judgeProbeRead } from '../../generator/verify/etcdMembers.ts';
import { fixture } from './support.ts';

const members = ['etcd1', 'etcd2', 'etcd3'].map((name) => ({ name, endpoint: `${name}:2379` }));
const healthy = () => parseEndpointStatus(fixture('endpoint-status-healthy.json'));
const judge = (statuses: EndpointStatus[], failures = new Map<string, string>()) => judgeEndpointStatus('milvus', members, statuses, failures);

describe('etcdctlRun', () => {
  it('runs etcdctl itself on the stack network (no shell: the etcd image may be distroless), with its own timeouts', () => {
    const run = etcdctlRun({ network: 'milvus_milvus-cluster-net', image: 'etcd:v3.5.5', stack: 'milvus' }, 'v-1-status', ['etcd1:2379', 'etcd2:2379'], ['endpoint', 'status']);
    expect(run.args).toEqual([
      'run', '--rm', '--name', 'v-1-status', '--label', 'io.milvus-swarm.verify=milvus', '--network', 'milvus_milvus-cluster-net',
      '--entrypoint', 'etcdctl', 'etcd:v3.5.5', '--endpoints=etcd1:2379,etcd2:2379', '--dial-timeout=2s', '--command-timeout=2s', 'endpoint', 'status', '-w', 'json',
    ]);
  });

  it('tells docker failures (exit 125) from etcdctl failures', () => {
    expect(containerProblem(125, 'docker: Error response from daemon: network milvus_milvus-cluster-net not found.\n')).toMatch(/did not start: .*not found.*is the stack deployed/);
    expect(containerProblem(1, 'Error: context deadline exceeded')).toBeUndefined();
  });
});

describe('judgeEndpointStatus', () => {
  it('passes when all answer, agree on one leader and one cluster, indexes close', () => {
    const { outcome, quorumHolds } = judge(healthy());
    expect(outcome.status).toBe('pass');
    expect(outcome.reason).toBe('3 of 3 answer, leader etcd2, cluster id 61eeae53ed4320be, raft index 8..8, v3.5.5');
    expect(quorumHolds).toBe(true);
  });

  it('warns, naming the member, when one of three is silent: quorum holds', () => {
    const statuses = parseEndpointStatus(fixture('endpoint-status-one-down.stdout.json'));
    const { outcome, missing } = judge(statuses, parseEndpointFailures(fixture('endpoint-status-one-down.stderr.txt')));
    expect(outcome.status).toBe('warn');
    expect(outcome.reason).toMatch(/^etcd3 \(connection refused.*\) does not answer; 2 of 3 answer, quorum 2 holds .*docker service ps milvus_etcd3/);
    expect([...missing.keys()]).toEqual(['etcd3']);
  });

  it('fails, naming both, when two of three are silent', () => {
    const { outcome, quorumHolds } = judge(healthy().slice(0, 1), new Map([['etcd3:2379', 'no such host']]));
    expect(outcome.status).toBe('fail');
    expect(outcome.reason).toMatch(/^2 of 3 members do not answer: etcd2 \(no answer\), etcd3 \(no such host\); 1 answering is below quorum 2/);
    expect(quorumHolds).toBe(false);
  });

  it('fails when members see different leaders, or none', () => {
    const split = healthy().map((status, index) => (index === 2 ? { ...status, leader: status.memberId } : status));
    expect(judge(split).outcome).toMatchObject({ status: 'fail', reason: expect.stringMatching(/no leader agreed by all members \(etcd1 sees etcd2, etcd2 sees etcd2, etcd3 sees etcd3\)/) });
    expect(judge(healthy().map((status) => ({ ...status, leader: '0' }))).outcome.reason).toMatch(/etcd1 sees none/);
  });

  it('fails when a member belongs to another cluster', () => {
    const foreign = healthy().map((status, index) => (index === 1 ? { ...status, clusterId: '1' } : status));
    expect(judge(foreign).outcome).toMatchObject({ status: 'fail', reason: expect.stringMatching(/disagree on the cluster id/) });
  });

  it('warns about a member far behind in the raft log', () => {
    const lagging = healthy().map((status, index) => (index === 0 ? { ...status, raftIndex: status.raftIndex + RAFT_INDEX_SLACK + 1 } : status));
    expect(judge(lagging).outcome).toMatchObject({ status: 'warn', reason: expect.stringMatching(/etcd2 is 1001 entries behind, etcd3 is 1001 entries behind/) });
  });

  it('computes majorities', () => {
    expect([1, 2, 3, 4, 5].map(quorumOf)).toEqual([1, 2, 2, 3, 3]);
  });
});

describe('judgeMemberList', () => {
  it('passes when the names are the topology\'s, in any order', () => {
    expect(judgeMemberList(['etcd1', 'etcd2', 'etcd3'], parseMemberList(fixture('member-list.json')))).toEqual({ status: 'pass', reason: 'etcd1, etcd2, etcd3, as the topology' });
    // The fixture lists them etcd3, etcd2, etcd1 (by id, as etcd does): the row names them in the topology's order.
  });

  it('fails naming a missing and an unstarted member', () => {
    const listed = parseMemberList(fixture('member-list.json')).map((member) => (member.name === 'etcd3' ? { ...member, name: '' } : member));
    const outcome = judgeMemberList(['etcd1', 'etcd2', 'etcd3'], listed);
    expect(outcome.status).toBe('fail');
    expect(outcome.reason).toMatch(/missing etcd3; not in the topology: \(unstarted, peer http:\/\/etcd3:2380\)/);
  });
});

describe('judgeProbeRead', () => {
  const allUp = { missing: new Map<string, string>(), quorumHolds: true };
  const oneDown = { missing: new Map([['etcd3', 'no such host']]), quorumHolds: true };

  it('passes on the written value, fails on a missing or different one', () => {
    expect(judgeProbeRead('etcd1', { ok: true, values: ['v'] }, 'v', allUp).status).toBe('pass');
    expect(judgeProbeRead('etcd1', { ok: true, values: [] }, 'v', allUp).reason).toMatch(/missing on this member/);
    expect(judgeProbeRead('etcd1', { ok: true, values: ['w'] }, 'v', allUp).status).toBe('fail');
  });

  it('excuses a member already reported silent while quorum holds, and nobody else', () => {
    expect(judgeProbeRead('etcd3', { ok: false, error: 'context deadline exceeded' }, 'v', oneDown)).toEqual({ status: 'warn', reason: 'not read: no such host (quorum holds without it)' });
    expect(judgeProbeRead('etcd1', { ok: false, error: 'context deadline exceeded' }, 'v', oneDown).status).toBe('fail');
    expect(judgeProbeRead('etcd3', { ok: false, error: 'x' }, 'v', { ...oneDown, quorumHolds: false }).status).toBe('fail');
  });

  it('fails when nothing was written through the proxy', () => {
    expect(judgeProbeRead('etcd1', { ok: true, values: [] }, undefined, allUp).reason).toMatch(/could not be written through the proxy/);
  });
});
