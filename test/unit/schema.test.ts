// The schema's errors: path, position and what was expected, also for YAML that does not parse.
import { describe, expect, it } from 'vitest';
import { validateTopology } from '../../generator/topology/validate.ts';
import { formatProblem } from '../../generator/topology/problems.ts';
import { renderTopologySchema } from '../../generator/render/schemaJson.ts';
import { editBase, problemLines, readRepoFile } from './support.ts';

const F = 'test/fixtures/topologies/base.yaml';

describe('schema problems', () => {
  it('names an unknown key at the key, with a suggestion and the allowed keys', () => {
    expect(problemLines(editBase({ 'dataDir: /data/etcd': ['dataDir: /data/etcd', 'dataDirs: /x'] }))).toEqual([
      `${F}:16:3: error: etcd.dataDirs: unknown key "dataDirs" (did you mean "dataDir"?); expected one of: image, dataDir, clusterToken, clientPort, peerPort, autoCompactionMode, autoCompactionRetention, quotaBackendBytes, snapshotCount, members, healthcheck, proxy`,
    ]);
  });
  it('gives no suggestion when nothing is close', () => {
    expect(problemLines(editBase({ 'dataDir: /data/etcd': ['dataDir: /data/etcd', 'zzz: 1'] }))[0]).toMatch(/etcd\.zzz: unknown key "zzz"; expected one of: image,/);
  });
  it('points a missing key at its parent mapping', () => {
    expect(problemLines(editBase({ 'image: etcd:v3.5.5': '' }))).toEqual([`${F}:15:3: error: etcd.image: missing required key (expected a string)`]);
  });
  it('says what type was expected and what was found', () => {
    expect(problemLines(editBase({ 'dataDir: /data/etcd': 'dataDir: 5' }))).toEqual([`${F}:15:12: error: etcd.dataDir: expected a string, got 5`]);
  });
  it('lists the allowed values of an enum and suggests one', () => {
    expect(problemLines(editBase({ 'stack: milvus': ['stack: milvus', 'swarm: { publishMode: hots }'] }))).toEqual([
      `${F}:3:23: error: swarm.publishMode: expected one of "ingress", "host", got "hots" (did you mean "host"?)`,
    ]);
  });
  it('checks formats: IP addresses and absolute paths', () => {
    expect(problemLines(editBase({ '- { name: host-b, ip: 10.0.0.2 }': '- { name: host-b, ip: 10.0.0.256 }' }))).toEqual([
      `${F}:10:25: error: hosts[1].ip: expected an IPv4 address such as 29.16.21.75, got "10.0.0.256"`,
    ]);
    expect(problemLines(editBase({ 'dataDir: /data/etcd': 'dataDir: /data/../etcd' }))).toEqual([
      `${F}:15:12: error: etcd.dataDir: expected an absolute path without "." or ".." segments or a trailing "/", got "/data/../etcd"`,
    ]);
  });
  it('reports every schema problem of a file at once, sorted by position', () => {
    const lines = problemLines(editBase({ 'dataDir: /data/etcd': 'dataDir: 5', '- ip: 10.0.0.10': '- ip: nope' }));
    expect(lines.map((line) => line.split(': ')[0])).toEqual([`${F}:7:9`, `${F}:15:12`]);
  });
  it('reports YAML syntax errors with their position', () => {
    expect(problemLines(editBase({ 'dataDir: /data/etcd': ['dataDir: /data/etcd', 'dataDir: /data/etcd2'] }))).toEqual([
      `${F}:16:3: error: (root): YAML syntax: Map keys must be unique`,
    ]);
    expect(problemLines('stack: [unclosed\n')[0]).toMatch(/^test\/fixtures\/topologies\/base\.yaml:\d+:\d+: error: \(root\): YAML syntax: /);
  });
  it('treats an empty file as a mapping with every required key missing', () => {
    const result = validateTopology('empty.yaml', '');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map(formatProblem)).toContain('empty.yaml:1:1: error: stack: missing required key (expected a string)');
  });
});

describe('backup section', () => {
  const base = editBase({});
  const withBackup = (...lines: string[]) => `${base.trimEnd()}\nbackup:\n${lines.map((line) => `  ${line}`).join('\n')}\n`;
  const rest = ['keep: 7', 'windowDays: 7', 'targets: { directory: /var/backups/milvus }'];
  it('checks the schedule as cron and says what is wrong with it', () => {
    expect(problemLines(withBackup('schedule: "0 3 * *"', ...rest))).toEqual([
      `${F}:39:13: error: backup.schedule: expected a cron schedule such as "17 3 * * *": 4 fields instead of 5 (minute hour day-of-month month day-of-week, in UTC), got "0 3 * *"`,
    ]);
    expect(problemLines(withBackup('schedule: "0 25 * * *"', ...rest))).toEqual([
      `${F}:39:13: error: backup.schedule: expected a cron schedule such as "17 3 * * *": hour field "25": 25 is outside 0-23, got "0 25 * * *"`,
    ]);
    expect(problemLines(withBackup('schedule: "0 0 30 2 *"', ...rest))).toEqual([`${F}:39:13: error: backup.schedule: expected a schedule that fires: no day matches it, got "0 0 30 2 *"`]);
  });
  it('keeps at least one point', () => {
    expect(problemLines(withBackup('schedule: "0 3 * * *"', 'keep: 0', 'windowDays: 7', 'targets: { directory: /var/backups/milvus }'))).toEqual([
      `${F}:40:9: error: backup.keep: expected at least 1 recovery point to keep, got 0`,
    ]);
  });
  it('fills the defaults of an S3 target', () => {
    const result = validateTopology(F, withBackup('schedule: "0 3 * * *"', ...rest.slice(0, 2), 'targets: { s3: { endpoint: "https://backup.example.com", bucket: points } }'));
    expect(result.ok && result.topology.backup?.targets.s3).toEqual({
      endpoint: 'https://backup.example.com',
      bucket: 'points',
      prefix: '',
      region: 'us-east-1',
      accessKeyVariable: 'BACKUP_S3_ACCESS_KEY',
      secretKeyVariable: 'BACKUP_S3_SECRET_KEY',
    });
  });
});

describe('rendered/topology.schema.json', () => {
  const schema = JSON.parse(renderTopologySchema());
  it('is draft-07, strict, and documents its fields', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['stack', 'network', 'etcd', 'minio', 'milvus']));
    expect(schema.properties.swarm.properties.endpointMode.enum).toEqual(['vip', 'dnsrr']);
    expect(schema.properties.etcd.properties.dataDir.description).toMatch(/\{name\}/);
  });
  it('is what the environments point their editors at', () => {
    for (const environment of ['production', 'local']) {
      expect(readRepoFile(`environments/${environment}.yaml`).split('\n')[0]).toBe('# yaml-language-server: $schema=../rendered/topology.schema.json');
    }
  });
});
