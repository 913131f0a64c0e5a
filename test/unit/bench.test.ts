// The benchmarks' pure parts: the Milvus profile's sizes and plan, the figures, the table, the verdicts and the flags.
// (The benchmarks themselves print figures against a running stack; they are not tests.)
import { describe, expect, it } from 'vitest';
import { parseEtcdArgs, parseLbArgs, UsageError } from '../e2e/bench/args.ts';
import { parseBenchmarkOutput } from '../e2e/bench/etcdBenchmarkTool.ts';
import { MAX_OBJECT, MAX_RANGE, MIN_OBJECT, logUniform, milvusPlan, OBJECTS_PER_SEGMENT, seededRandom } from '../e2e/bench/milvusProfile.ts';
import { atLeast, atMost, markdownTable, percentile, ratioVerdict } from '../e2e/bench/report.ts';

describe('milvus profile', () => {
  it('draws sizes within 16 KiB–8 MiB, as many in each doubling of size', () => {
    const random = seededRandom(1);
    const sizes = Array.from({ length: 36_000 }, () => logUniform(random, MIN_OBJECT, MAX_OBJECT));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(MIN_OBJECT);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_OBJECT);
    // 9 doublings from 16 KiB to 8 MiB: each holds about a ninth of the objects.
    const perOctave = Array.from({ length: 9 }, (_, octave) => sizes.filter((size) => size >= MIN_OBJECT * 2 ** octave && size < MIN_OBJECT * 2 ** (octave + 1)).length);
    for (const count of perOctave) expect(count / sizes.length).toBeCloseTo(1 / 9, 2);
    expect(percentile(sizes, 50) / 1024).toBeGreaterThan(340);
    expect(percentile(sizes, 50) / 1024).toBeLessThan(385);
  });

  it('makes the same plan for the same seed, with ranges inside their objects and lists that match the keys', () => {
    const options = { objects: 100, inFlight: [32, 64], rangesPerObject: 4, listsPerObject: 1, seed: 13 };
    const plan = milvusPlan(options);
    expect(milvusPlan(options)).toEqual(plan);
    expect(plan.ranges).toHaveLength(400);
    for (const range of plan.ranges) {
      const size = plan.objects[range.object]!.size;
      expect(range.length).toBeGreaterThan(0);
      expect(range.length).toBeLessThanOrEqual(Math.min(size, MAX_RANGE));
      expect(range.offset + range.length).toBeLessThanOrEqual(size);
    }
    expect(plan.lists).toHaveLength(100);
    for (const list of plan.lists) {
      expect(list.keys).toBe(plan.objects.filter((object) => object.key.startsWith(list.prefix)).length);
      expect(list.keys).toBeLessThanOrEqual(OBJECTS_PER_SEGMENT);
    }
    expect(plan.objects[0]!.key).toMatch(/^files\/insert_log\/448\/449\/\d+\/\d+\/\d+$/);
  });
});

describe('figures and their table', () => {
  it('takes nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('prints a markdown table and refuses a row of the wrong width', () => {
    expect(markdownTable(['a', 'b'], [['1', '2']])).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |');
    expect(() => markdownTable(['a', 'b'], [['1']])).toThrow(/1 cells, the header 2/);
  });

  it('says met or MISSED for every ratio, and MISSED when it cannot be computed', () => {
    expect(ratioVerdict(0.93, atLeast(0.9))).toBe('0.93× (≥ 0.9×: met)');
    expect(ratioVerdict(0.89, atLeast(0.9))).toBe('0.89× (≥ 0.9×: MISSED)');
    expect(ratioVerdict(1.25, atMost(1.2))).toBe('1.25× (≤ 1.2×: MISSED)');
    expect(ratioVerdict(Number.NaN, atMost(1.2))).toBe('n/a (≤ 1.2×: MISSED)');
    expect(ratioVerdict(1.2984, atLeast(1.3))).toBe('1.298× (≥ 1.3×: MISSED)');
  });
});

describe('bench:lb flags', () => {
  it('defaults per profile', () => {
    expect(parseLbArgs([])).toMatchObject({ profile: 'large', objects: 16, inFlight: [4], sizeMiB: 64, rounds: 3 });
    expect(parseLbArgs(['--profile', 'milvus'])).toMatchObject({ profile: 'milvus', objects: 384, inFlight: [32, 64] });
  });

  it.each([
    [['--profile', 'small'], '--profile must be large or milvus, got "small"'],
    [['--rounds', '0'], '--rounds must be a whole number from 1 to 50, got "0"'],
    [['--profile', 'milvus', '--in-flight', '32,'], '--in-flight must be a comma-separated list of whole numbers, got "32,"'],
    [['--in-flight', '4,8'], '--in-flight takes one number for the large profile'],
    [['--profile', 'milvus', '--size-mib', '8'], '--size-mib is for the large profile; the milvus profile draws sizes from 16 KiB to 8 MiB'],
    [['--nope'], "Unknown option '--nope'"],
    [['--env', 'prod'], '--env must be local or staging, got "prod"'],
  ])('refuses %j in one line', (argv, message) => {
    expect(() => parseLbArgs(argv)).toThrow(UsageError);
    expect(() => parseLbArgs(argv)).toThrow(message);
  });
});

describe('bench:etcd flags', () => {
  it('defaults: 32 clients on 8 connections, 100 watchers', () => {
    expect(parseEtcdArgs([])).toMatchObject({ env: 'local', clients: 32, conns: 8, watchers: 100, candidateFlags: [] });
    expect(parseEtcdArgs(['--env', 'staging', '--candidate-flags=--max-concurrent-streams=64'])).toMatchObject({ env: 'staging', candidateFlags: ['--max-concurrent-streams=64'] });
  });

  it.each([
    [['--conns', '64'], '--conns (64) must not exceed --clients (32)'],
    [['--candidate-flags', 'rm -rf /'], '--candidate-flags takes grpc-proxy flags'],
    [['--puts=-5'], '--puts must be a whole number'],
  ])('refuses %j in one line', (argv, message) => {
    expect(() => parseEtcdArgs(argv)).toThrow(UsageError);
    expect(() => parseEtcdArgs(argv)).toThrow(message);
  });
});

describe("etcd's benchmark tool output", () => {
  // What `benchmark --precise put …` prints (progress bar, then pkg/report's summary), shortened.
  const output = [
    'INFO: 2026/11/30 06:54:55 [core] parsed scheme: "etcd-endpoints"',
    ' 0 / 3000 [-------]   0.00%\r 3000 / 3000 [=======] 100.00% 0s',
    '',
    'Summary:',
    '  Total:\t0.864542996 secs.',
    '  Slowest:\t0.118761944 secs.',
    '  Requests/sec:\t3470.04141364879',
    '',
    'Response time histogram:',
    '  0.001632063 [1]\t|',
    '',
    'Latency distribution:',
    '  10% in 0.004082392 secs.',
    '  50% in 0.006574929 secs.',
    '  99% in 0.110220147 secs.',
    '  99.9% in 0.118418383 secs.',
    '',
  ].join('\n');

  it('reads requests per second and the latency percentiles in ms', () => {
    const figures = parseBenchmarkOutput(output);
    expect(figures.requestsPerSecond).toBeCloseTo(3470.04, 2);
    expect(figures.seconds).toBeCloseTo(0.8645, 4);
    expect(figures.latencyMs['50']).toBeCloseTo(6.575, 3);
    expect(figures.latencyMs['99']).toBeCloseTo(110.22, 2);
    expect(figures.latencyMs['99.9']).toBeCloseTo(118.418, 3);
    expect(figures.errors).toBe(0);
  });

  it('counts failed requests and refuses output without a summary', () => {
    expect(parseBenchmarkOutput(`${output}\nError distribution:\n  [12]\tetcdserver: request timed out\n  [3]\tcontext deadline exceeded\n`).errors).toBe(15);
    expect(() => parseBenchmarkOutput('dial error: context deadline exceeded\n')).toThrow(/no summary/);
  });
});
