// Values that reach a program: etcd's flags hold what etcd 3.5 accepts, MinIO's console URL is http(s), every name
// swarm receives fits swarm's limits once prefixed with the stack, Milvus's root paths are key prefixes, and the
// MinIO root user and password are two secrets.
import { describe, expect, it } from 'vitest';
import { nginxConfigName } from '../../../generator/render/configName.ts';
import { recordName } from '../../../generator/deploy/operations/deployedTopology.ts';
import { editBase } from '../support.ts';
import { errorLines, F, yamlString } from './support.ts';

const etcd = (...lines: string[]) => errorLines(editBase({ 'dataDir: /data/etcd': ['dataDir: /data/etcd', ...lines] }));
const retention = (value: string, mode = 'revision') => etcd(`autoCompactionMode: ${mode}`, `autoCompactionRetention: ${yamlString(value)}`);

describe('etcd-compaction-retention', () => {
  it.each(['1000 --data-dir=/etc', 'banana', '-5', '1e3', '10 ', '', '99999999999999999999'])('refuses %j in any mode', (value) => {
    expect(retention(value)).toEqual([
      `${F}:17:28: error: etcd.autoCompactionRetention: expected a whole number (revisions, or hours in periodic mode) or a Go duration such as 12h or 90m, got ${JSON.stringify(value)}`,
    ]);
  });

  it('refuses a duration in revision mode, where etcd would read "1h" as 3.6 trillion revisions', () => {
    expect(retention('1h')).toEqual([
      `${F}:17:28: error: etcd.autoCompactionRetention: in revision mode the retention is a number of revisions, got "1h": write a whole number such as 1000, or set autoCompactionMode: periodic`,
    ]);
  });

  it('refuses a retention longer than etcd can count (Go durations end at 2562047h)', () => {
    expect(retention('2562048', 'periodic')).toEqual([
      `${F}:17:28: error: etcd.autoCompactionRetention: 2562048 hours is longer than etcd can count (at most 2562047h)`,
    ]);
  });

  it.each([
    ['1000', 'revision'],
    ['0', 'revision'],
    ['72', 'periodic'],
    ['1h30m', 'periodic'],
    ['1.5h', 'periodic'],
    ['90m', 'periodic'],
    ['500ms', 'periodic'],
  ])('accepts %s in %s mode', (value, mode) => {
    expect(retention(value, mode)).toEqual([]);
  });
});

describe('consoleUrl', () => {
  const consoleUrl = (value: string) => errorLines(editBase({ 'consoleUrl: http://10.0.0.10:9090': `consoleUrl: ${yamlString(value)}` }));
  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'ftp://10.0.0.10/', 'data:text/html,<script>', 'http://', '//10.0.0.10:9090', '10.0.0.10:9090'])('refuses %s', (value) => {
    expect(consoleUrl(value)).toEqual([
      `${F}:24:15: error: minio.consoleUrl: expected an http:// or https:// URL such as http://29.16.21.80:9090, got ${JSON.stringify(value)}`,
    ]);
  });
  it.each(['http://10.0.0.10:9090', 'https://minio-console.example.com', 'https://console.example.com/minio/'])('accepts %s', (value) => {
    expect(consoleUrl(value)).toEqual([]);
  });
});

describe('swarm-names-fit', () => {
  const stack = (name: string) => errorLines(editBase({ 'stack: milvus': `stack: ${name}` }));

  it('agrees with the names the generator and deploy really make', () => {
    expect(nginxConfigName('s'.repeat(40), 'x')).toHaveLength(64);
    expect(recordName('s'.repeat(42), 'x')).toHaveLength(64);
  });

  it('accepts a 40-character stack name', () => {
    expect(stack('s'.repeat(40))).toEqual([]);
  });

  it('refuses a 41-character stack name: the nginx config would be 65 characters', () => {
    expect(stack('s'.repeat(41))).toEqual([
      `${F}:2:8: error: stack: the nginx config's name "${'s'.repeat(41)}_nginx_conf_<12 hex>" would be 65 characters; swarm allows 64: shorten the stack name to at most 40`,
    ]);
  });

  it('refuses a service name that swarm would refuse once prefixed with the stack', () => {
    const member = `etcd-${'m'.repeat(50)}1`;
    const text = editBase({ 'stack: milvus': `stack: ${'s'.repeat(20)}`, '- { name: etcd1, host: host-a }': `- { name: ${member}, host: host-a }` });
    expect(errorLines(text)).toEqual([
      `${F}:17:15: error: etcd.members[0].name: the service name "${'s'.repeat(20)}_${member}" would be 77 characters; swarm allows 63: shorten the stack or the service name`,
    ]);
  });

  it('refuses a network name that swarm would refuse once prefixed with the stack', () => {
    const text = editBase({ 'stack: milvus': `stack: ${'s'.repeat(30)}`, 'name: milvus-net': `name: ${'n'.repeat(40)}` });
    expect(errorLines(text)).toEqual([
      `${F}:4:9: error: network.name: the network name "${'s'.repeat(30)}_${'n'.repeat(40)}" would be 71 characters; swarm allows 63: shorten the stack or the network name`,
    ]);
  });
});

describe('minio-secrets-distinct', () => {
  it('the root user and password are two different secrets', () => {
    expect(errorLines(editBase({ 'rootPasswordSecret: minio_password': 'rootPasswordSecret: minio_user' }))).toEqual([
      `${F}:23:23: error: minio.rootPasswordSecret: the root password and the root user are both the secret "minio_user": MinIO would read one value as both; create two secrets`,
    ]);
  });

  const verifySecrets = (lines: string[]) => errorLines(editBase({ 'rootPasswordSecret: minio_password': ['rootPasswordSecret: minio_password', ...lines] }));
  it.each([
    [['verifyUserSecret: minio_user'], `${F}:24:21: error: minio.verifyUserSecret: verify's user and the root user are both the secret "minio_user": one value would be both credentials; give each its own secret`],
    [['verifyUserSecret: minio_password'], `${F}:24:21: error: minio.verifyUserSecret: verify's user and the root password are both the secret "minio_password": one value would be both credentials; give each its own secret`],
    [['verifyPasswordSecret: minio_password'], `${F}:24:25: error: minio.verifyPasswordSecret: verify's password and the root password are both the secret "minio_password": one value would be both credentials; give each its own secret`],
    // The defaults are minio_verify_user and minio_verify_password.
    [['verifyPasswordSecret: minio_verify_user'], `${F}:24:25: error: minio.verifyPasswordSecret: verify's password and verify's user are both the secret "minio_verify_user": one value would be both credentials; give each its own secret`],
  ])("verify's user and password are secrets of their own: %j", (lines, expected) => {
    expect(verifySecrets(lines)).toEqual([expected]);
  });

  it('four distinct secrets pass, named or by default', () => {
    expect(verifySecrets([])).toEqual([]);
    expect(verifySecrets(['verifyUserSecret: milvus_verify_user', 'verifyPasswordSecret: milvus_verify_password'])).toEqual([]);
  });
});

describe('secret names', () => {
  it.each(['minio_user.', 'minio-', `m${'x'.repeat(64)}`])('refuses the secret name %s, which swarm refuses', (value) => {
    expect(errorLines(editBase({ 'rootUserSecret: minio_user': `rootUserSecret: ${value}` }))[0]).toMatch(/^.*:22:19: error: minio\.rootUserSecret: expected a swarm secret name/);
    expect(errorLines(editBase({ 'rootUserSecret: minio_user': ['rootUserSecret: minio_user', `verifyPasswordSecret: ${value}`] }))[0]).toMatch(
      /^.*:23:25: error: minio\.verifyPasswordSecret: expected a swarm secret name/,
    );
  });
});

describe('milvus root paths', () => {
  const milvus = (key: string, value: string) => errorLines(editBase({ 'bucket: milvus-bucket': ['bucket: milvus-bucket', `${key}: ${yamlString(value)}`] }));
  it.each(['by dev', '/by-dev', 'by-dev/', 'by//dev', 'by-dev/../meta', '$HOME', 'by-dev;x'])('refuses %j as etcdRootPath and minioRootPath', (value) => {
    expect(milvus('etcdRootPath', value)).toEqual([
      `${F}:38:17: error: milvus.etcdRootPath: expected a key prefix of letters, digits, ".", "_" and "-", in segments joined by "/", such as by-dev, got ${JSON.stringify(value)}`,
    ]);
    expect(milvus('minioRootPath', value)).toEqual([
      `${F}:38:18: error: milvus.minioRootPath: expected a key prefix of letters, digits, ".", "_" and "-", in segments joined by "/", such as by-dev, got ${JSON.stringify(value)}`,
    ]);
  });
  it('accepts by-dev and files/milvus', () => {
    expect(milvus('etcdRootPath', 'by-dev')).toEqual([]);
    expect(milvus('minioRootPath', 'files/milvus')).toEqual([]);
  });
});

describe('host roles', () => {
  it('are words for the README tables, not markup', () => {
    expect(errorLines(editBase({ '- { name: host-b, ip: 10.0.0.2 }': '- { name: host-b, ip: 10.0.0.2, roles: ["<img src=x onerror=alert(1)>"] }' }))).toEqual([
      `${F}:10:43: error: hosts[1].roles[0]: expected a role of letters, digits, ".", "_" and "-" such as zk1 or etcd1, got "<img src=x onerror=alert(1)>"`,
    ]);
  });
});
