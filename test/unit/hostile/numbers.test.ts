// Hostile numbers: YAML's .inf and .nan (and 1e400, which overflows to infinity) are "not a finite number", not
// "got null"; replica counts and timeouts have upper bounds.
import { describe, expect, it } from 'vitest';
import { editBase } from '../support.ts';
import { errorLines, F } from './support.ts';

const afterDataDir = (line: string) => errorLines(editBase({ 'dataDir: /data/etcd': ['dataDir: /data/etcd', line] }));
const proxy = (line: string) => errorLines(editBase({ 'image: nginx:1.22.1': ['image: nginx:1.22.1', line] }));
const swarm = (settings: string) => errorLines(editBase({ 'stack: milvus': ['stack: milvus', `swarm: { ${settings} }`] }));

describe('not a finite number', () => {
  it.each([
    ['1e400', 'infinity'],
    ['-1e400', '-infinity'],
    ['.inf', 'infinity'],
    ['-.Inf', '-infinity'],
    ['.nan', 'NaN'],
  ])('clientPort: %s', (value, read) => {
    expect(afterDataDir(`clientPort: ${value}`)).toEqual([`${F}:16:15: error: etcd.clientPort: not a finite number (YAML reads ${value} as ${read})`]);
  });

  it('says so where a string was expected too', () => {
    expect(afterDataDir('clusterToken: .nan')).toEqual([`${F}:16:17: error: etcd.clusterToken: not a finite number (YAML reads .nan as NaN)`]);
  });

  it('inside a list', () => {
    expect(errorLines(editBase({ '- { name: host-b, ip: 10.0.0.2 }': '- { name: host-b, ip: 10.0.0.2, roles: [zk2, .inf] }' }))).toEqual([
      `${F}:10:48: error: hosts[1].roles[1]: not a finite number (YAML reads .inf as infinity)`,
    ]);
  });
});

describe('bounds', () => {
  it('refuses absurd replica counts', () => {
    expect(proxy('replicas: 100000')).toEqual([`${F}:34:15: error: minio.proxy.replicas: expected at most 64 replicas, got 100000`]);
  });
  it('accepts 64 replicas', () => {
    expect(proxy('replicas: 64')).toEqual([]);
  });
  it('still refuses zero', () => {
    expect(proxy('replicas: 0')).toEqual([`${F}:34:15: error: minio.proxy.replicas: expected at least 1 replica, got 0`]);
  });
  it('refuses a deploy timeout beyond an hour (Node timers overflow past 24.8 days, and the job ends after 30 minutes)', () => {
    expect(swarm('deployTimeoutSeconds: 1e9')).toEqual([`${F}:3:32: error: swarm.deployTimeoutSeconds: expected at most 3600 seconds, got 1000000000`]);
  });
  it('refuses integers JavaScript cannot hold exactly', () => {
    expect(afterDataDir('quotaBackendBytes: 9007199254740993')[0]).toMatch(/etcd\.quotaBackendBytes: .*9007199254740991/);
  });
});
