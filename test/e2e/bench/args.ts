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

export type LbProfile = 'large' | 'milvus';

export interface LbArgs {
  env: string;
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
    env: values.env as string,
    profile,
    rounds: positiveInteger('rounds', values.rounds as string, 50),
    objects: positiveInteger('objects', (values.objects as string | undefined) ?? defaults.objects, 100_000),
    inFlight,
    sizeMiB: positiveInteger('size-mib', (values['size-mib'] as string | undefined) ?? '64', 4096),
    candidates: values.candidate as string[],
  };
}
