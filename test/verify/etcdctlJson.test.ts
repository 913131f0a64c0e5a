import { describe, expect, it } from 'vitest';
import { parseEndpointFailures, parseEndpointStatus, parseGet, parseJsonKeepingBigIntegers, parseMemberList } from '../../generator/cluster/etcdctlJson.ts';
import { fixture } from './support.ts';

describe('parseJsonKeepingBigIntegers', () => {
  it('keeps uint64 ids exact, which JSON.parse would round', () => {
    const text = '{"cluster_id":7056769341622263998,"small":8,"negative":-3,"float":1.5e3}';
    expect(String((JSON.parse(text) as { cluster_id: number }).cluster_id)).not.toBe('7056769341622263998');
    expect(parseJsonKeepingBigIntegers(text)).toEqual({ cluster_id: '7056769341622263998', small: 8, negative: -3, float: 1500 });
  });

  it('leaves digits inside strings alone, escaped quotes included', () => {
    expect(parseJsonKeepingBigIntegers('{"a":"x\\"1234567890123456789","b":[12345678901234567890]}')).toEqual({ a: 'x"1234567890123456789', b: ['12345678901234567890'] });
  });
});

describe('parseEndpointStatus', () => {
  it('reads every answering endpoint with exact ids', () => {
    const statuses = parseEndpointStatus(fixture('endpoint-status-healthy.json'));
    expect(statuses.map((status) => status.endpoint)).toEqual(['etcd1:2379', 'etcd2:2379', 'etcd3:2379']);
    expect(statuses[0]).toEqual({
      endpoint: 'etcd1:2379',
      clusterId: '7056769341622263998',
      memberId: '3724485646989409596',
      leader: '2904435676002825965',
      raftIndex: 8,
      raftAppliedIndex: 8,
      raftTerm: 2,
      version: '3.5.5',
      isLearner: false,
      dbSize: 20480,
    });
  });

  it('reads nothing from empty output (no member answered)', () => {
    expect(parseEndpointStatus('')).toEqual([]);
  });
});

describe('parseEndpointFailures', () => {
  it('names the silent endpoint with the dial error', () => {
    expect(parseEndpointFailures(fixture('endpoint-status-one-down.stderr.txt'))).toEqual(new Map([['etcd3:2379', 'connection refused (context deadline exceeded)']]));
  });

  it('says "no such host" when swarm has dropped the name', () => {
    expect(parseEndpointFailures(fixture('endpoint-status-no-such-host.stderr.txt'))).toEqual(new Map([['etcd3:2379', 'no such host (context deadline exceeded)']]));
  });
});

describe('parseMemberList and parseGet', () => {
  it('reads member names, urls and exact ids', () => {
    const members = parseMemberList(fixture('member-list.json'));
    expect(members.map((member) => member.name)).toEqual(['etcd3', 'etcd2', 'etcd1']);
    expect(members[2]).toEqual({ id: '3724485646989409596', name: 'etcd1', peerUrls: ['http://etcd1:2380'], clientUrls: ['http://etcd1:2379'], isLearner: false });
  });

  it('decodes base64 keys and values, and reads a missing key as no values', () => {
    expect(parseGet(fixture('get-found.json'))).toEqual([{ key: '/k', value: 'hello' }]);
    expect(parseGet(fixture('get-missing.json'))).toEqual([]);
  });
});
