// Hostile host paths (etcd.dataDir, MinIO drives): only a safe character set, one normal form, never a system
// directory, and never a comma in deploy's `--mount` argument.
import { describe, expect, it } from 'vitest';
import { prepareJobs } from '../../../generator/deploy/operations/hostDirectories.ts';
import { buildModel } from '../../../generator/model/build.ts';
import { dataDirsDisjoint } from '../../../generator/topology/rules/dataPaths.ts';
import { validateTopology } from '../../../generator/topology/validate.ts';
import { baseTopology, editBase } from '../support.ts';
import { errorLines, F, withValue } from './support.ts';

const DATA_DIR = 'dataDir: /data/etcd';
const DRIVES = '- drives: [/data/disk1, /data/disk2]';
const dataDir = (value: string) => errorLines(withValue(DATA_DIR, 'dataDir', value));
const drives = (...values: string[]) => errorLines(editBase({ [DRIVES]: `- drives: [${values.map((value) => JSON.stringify(value)).join(', ')}]` }));

describe('characters', () => {
  it.each([
    ['$', '/data/$HOME/etcd'],
    ['$', '/data/$(id)/etcd'],
    [',', '/mnt/data,source=/etc/cron.d'],
    [' ', '/data/my etcd'],
    [';', '/data/etcd;reboot'],
    ['`', '/data/`id`'],
    ["'", "/data/it's"],
    ['"', '/data/"etcd"'],
    ['\\', '/data\\etcd'],
    ['*', '/data/*'],
    ['é', '/data/étcd'],
  ])('refuses %j', (character, value) => {
    const code = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    expect(dataDir(value)).toEqual([
      `${F}:15:12: error: etcd.dataDir: "${character}" (${code}) is not allowed in a host path: use letters, digits, ".", "_", "-", "/" and {name}, got ${JSON.stringify(value)}`,
    ]);
  });

  it.each([
    ['NUL', '\u0000'],
    ['ESC', '\u001b'],
    ['BEL', '\u0007'],
    ['CR', '\r'],
    ['newline', '\n'],
    ['zero-width space', '\u200b'],
    ['right-to-left override', '\u202e'],
    ['byte order mark', '\ufeff'],
  ])('refuses %s, naming it by code point', (_, character) => {
    const code = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    const lines = dataDir(`/data/etcd${character}x`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${F}:15:12: error: etcd\\.dataDir: character ${code.replace('+', '\\+')} `));
    // The problem line itself never carries the character.
    expect(lines[0]).not.toContain(character);
  });

  it('refuses them in a drive too, at the drive', () => {
    expect(drives('/data/disk1', '/data/disk,2')).toEqual([
      `${F}:26:31: error: minio.pools[0].drives[1]: "," (U+002C) is not allowed in a host path: use letters, digits, ".", "_", "-", "/" and {name}, got "/data/disk,2"`,
    ]);
  });

  it('accepts letters, digits, ".", "_", "-" and {name}', () => {
    expect(dataDir('/data/etcd_v3.5-{name}')).toEqual([]);
  });
});

describe('one normal form', () => {
  it.each([
    ['/data/etcd/', 'expected no trailing "/": write /data/etcd'],
    ['/data//etcd', 'expected no empty segment ("//"): write /data/etcd'],
    ['/data/../etc', 'expected an absolute path without "." or ".." segments or a trailing "/"'],
    ['/data/./etcd', 'expected an absolute path without "." or ".." segments or a trailing "/"'],
    ['data/etcd', 'expected an absolute path without "." or ".." segments or a trailing "/"'],
  ])('refuses %s', (value, message) => {
    expect(dataDir(value)).toEqual([`${F}:15:12: error: etcd.dataDir: ${message}, got ${JSON.stringify(value)}`]);
  });

  it('leaves other braces to known-placeholders, which says why', () => {
    expect(dataDir('/data/{id}')).toEqual([`${F}:15:12: error: etcd.dataDir: only {name} may stand in a host path, got "/data/{id}" (drives are numbered by the generator)`]);
  });

  it('refuses a path longer than 1024 characters', () => {
    expect(dataDir(`/${'a'.repeat(1100)}`)[0]).toMatch(/etcd\.dataDir: expected at most 1024 characters, got 1101, got "\/a+\.\.\.$/);
  });

  it('data-dirs-disjoint compares normalised paths: /mnt//data/disk1 and /mnt/data/disk1 are one directory', () => {
    const result = validateTopology(F, baseTopology);
    if (!result.ok) throw new Error('base does not validate');
    const topology = structuredClone(result.topology);
    topology.etcd.dataDir = '/data/disk1/';
    topology.minio.pools[0]!.drives = ['/data//disk1', '/data/disk2'];
    const problems = dataDirsDisjoint.check(topology).map((problem) => problem.message);
    expect(problems).toContain(
      "MinIO node minio1's /data/disk1 is the same directory as etcd member etcd1's /data/disk1 on host host-a (add {name} to give each its own directory)",
    );
  });
});

describe('data-dirs-not-system', () => {
  it.each(['/', '/etc', '/tmp', '/var/tmp', '/usr', '/var', '/boot', '/proc', '/sys', '/dev', '/run', '/bin', '/sbin', '/lib', '/lib64', '/root', '/home', '/mnt', '/var/lib'])(
    'refuses %s as the etcd data dir',
    (value) => {
      const lines = dataDir(value);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^${F}:15:12: error: etcd\\.dataDir: ${value.replace(/\//g, '\\/')} is (a system directory|inside)`));
    },
  );

  it.each(['/etc/cron.d', '/proc/sys/kernel', '/dev/shm/etcd', '/usr/local/etcd', '/boot/efi', '/lib64/x', '/run/etcd'])('refuses %s, inside a system tree', (value) => {
    expect(dataDir(value)[0]).toMatch(/is inside \/[a-z0-9]+, which belongs to the system: put data directories on a data volume, such as \/mnt\/data\/\.\.\.$/);
  });

  it('refuses a system directory as a drive, once for the pool line', () => {
    expect(drives('/tmp', '/data/disk2')).toEqual([
      `${F}:26:16: error: minio.pools[0].drives[0]: /tmp is a system directory: data needs a directory of its own, such as /mnt/data/...`,
    ]);
  });

  it('checks the paths {name} expands to: a member named "etc" under /{name} is /etc', () => {
    const text = editBase({ [DATA_DIR]: 'dataDir: /{name}', '- { name: etcd1, host: host-a }': '- { name: etc, host: host-a }' });
    expect(errorLines(text)).toEqual([
      `${F}:15:12: error: etcd.dataDir: /etc is inside /etc, which belongs to the system: put data directories on a data volume, such as /mnt/data/...`,
    ]);
  });

  it.each(['/mnt/data/etcd', '/var/lib/milvus-swarm/etcd', '/home/milvus/etcd', '/tmp/milvus-swarm-test/etcd', '/srv/etcd', '/data1'])('accepts %s', (value) => {
    expect(dataDir(value)).toEqual([]);
  });
});

describe("deploy's --mount argument", () => {
  it('never receives a comma, even from a model that bypassed the schema', () => {
    const result = validateTopology(F, baseTopology);
    if (!result.ok) throw new Error('base does not validate');
    const model = buildModel('base', F, result.topology);
    for (const service of model.services) {
      service.mounts = service.mounts.map((mount) => ({ ...mount, source: mount.source.replace('/data/', '/data,source=/etc/cron.d,x=/') }));
    }
    const jobs = prepareJobs(model, 'run1');
    expect(jobs.ok).toBe(false);
    if (!jobs.ok) expect(jobs.problems[0]).toMatch(/"," \(U\+002C\) is not allowed in a host path/);
  });

  it('mounts a clean parent in the ordinary case', () => {
    const result = validateTopology(F, baseTopology);
    if (!result.ok) throw new Error('base does not validate');
    const jobs = prepareJobs(buildModel('base', F, result.topology), 'run1');
    expect(jobs.ok && jobs.jobs.map((job) => job.args[job.args.indexOf('--mount') + 1])).toContain('type=bind,source=/data,target=/milvus-swarm-host');
  });
});
