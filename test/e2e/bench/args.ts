// Command-line flags of the benchmarks: every bad value is one line naming the flag (the scripts print it and exit 1).
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {}

export function positiveInteger(flag: string, value: string, max = 1_000_000): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new UsageError(`--${flag} must be a whole number from 1 to ${max}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** "32,64" → [32, 64]. */
export function integerList(flag: string, value: string, max = 1024): number[] {
  const parts = value.split(',').map((part) => part.trim());
  if (parts.some((part) => part === '')) throw new UsageError(`--${flag} must be a comma-separated list of whole numbers, got ${JSON.stringify(value)}`);
  return parts.map((part) => positiveInteger(flag, part, max));
}

/** node:util's parseArgs, with its errors (unknown flag, missing value) as UsageError. */
export function parseFlags(argv: string[], options: NonNullable<ParseArgsConfig['options']>): Record<string, string | boolean | (string | boolean)[] | undefined> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export type BenchEnvironment = 'local' | 'staging';

export function benchEnvironment(value: string): BenchEnvironment {
  if (value !== 'local' && value !== 'staging') throw new UsageError(`--env must be local or staging, got ${JSON.stringify(value)}`);
  return value;
}

export type LbProfile = 'large' | 'milvus';

export interface LbArgs {
  env: BenchEnvironment;
  profile: LbProfile;
  rounds: number;
  objects: number;
  inFlight: number[];
  /** large profile only */
  sizeMiB: number;
  candidates: string[];
}

const LB_DEFAULTS: Record<LbProfile, { objects: string; inFlight: string }> = {
  large: { objects: '16', inFlight: '4' },
  milvus: { objects: '384', inFlight: '32,64' },
};

export function parseLbArgs(argv: string[]): LbArgs {
  const values = parseFlags(argv, {
    env: { type: 'string', default: 'local' },
    profile: { type: 'string', default: 'large' },
    rounds: { type: 'string', default: '3' },
    objects: { type: 'string' },
    'in-flight': { type: 'string' },
    'size-mib': { type: 'string' },
    // Extra nginx configs to measure beside the others (how the template was tuned; see test/e2e/README.md).
    candidate: { type: 'string', multiple: true, default: [] },
  });
  const profile = values.profile as string;
  if (profile !== 'large' && profile !== 'milvus') throw new UsageError(`--profile must be large or milvus, got ${JSON.stringify(profile)}`);
  if (profile === 'milvus' && values['size-mib'] !== undefined) throw new UsageError('--size-mib is for the large profile; the milvus profile draws sizes from 16 KiB to 8 MiB');
  const defaults = LB_DEFAULTS[profile];
  const inFlight = integerList('in-flight', (values['in-flight'] as string | undefined) ?? defaults.inFlight);
  if (profile === 'large' && inFlight.length !== 1) throw new UsageError('--in-flight takes one number for the large profile');
  return {
    env: benchEnvironment(values.env as string),
    profile,
    rounds: positiveInteger('rounds', values.rounds as string, 50),
    objects: positiveInteger('objects', (values.objects as string | undefined) ?? defaults.objects, 100_000),
    inFlight,
    sizeMiB: positiveInteger('size-mib', (values['size-mib'] as string | undefined) ?? '64', 4096),
    candidates: values.candidate as string[],
  };
}

export interface EtcdArgs {
  env: BenchEnvironment;
  rounds: number;
  clients: number;
  conns: number;
  puts: number;
  ranges: number;
  watchers: number;
  watchPuts: number;
  candidateFlags: string[];
}

export function parseEtcdArgs(argv: string[]): EtcdArgs {
  const values = parseFlags(argv, {
    env: { type: 'string', default: 'local' },
    rounds: { type: 'string', default: '3' },
    clients: { type: 'string', default: '32' },
    conns: { type: 'string', default: '8' },
    puts: { type: 'string', default: '10000' },
    ranges: { type: 'string', default: '20000' },
    watchers: { type: 'string', default: '100' },
    'watch-puts': { type: 'string', default: '300' },
    'candidate-flags': { type: 'string', multiple: true, default: [] },
  });
  const candidateFlags = values['candidate-flags'] as string[];
  for (const flags of candidateFlags) {
    if (!/^(--[a-z][a-z0-9-]*(=\S+)?)( --[a-z][a-z0-9-]*(=\S+)?)*$/.test(flags.trim())) {
      throw new UsageError(`--candidate-flags takes grpc-proxy flags as "--name=value --other", got ${JSON.stringify(flags)}`);
    }
  }
  const clients = positiveInteger('clients', values.clients as string, 10_000);
  const conns = positiveInteger('conns', values.conns as string, 1_000);
  if (conns > clients) throw new UsageError(`--conns (${conns}) must not exceed --clients (${clients}): each client uses one connection`);
  return {
    env: benchEnvironment(values.env as string),
    rounds: positiveInteger('rounds', values.rounds as string, 50),
    clients,
    conns,
    puts: positiveInteger('puts', values.puts as string),
    ranges: positiveInteger('ranges', values.ranges as string),
    watchers: positiveInteger('watchers', values.watchers as string, 1_000),
    watchPuts: positiveInteger('watch-puts', values['watch-puts'] as string, 100_000),
    candidateFlags,
  };
}
