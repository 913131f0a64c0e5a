// Figures and their presentation for the benchmarks: percentiles, a markdown table, and ratio lines against targets
// that always say met or MISSED.

/** Nearest-rank percentile (p in 0–100) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A markdown table; every row must have as many cells as the header. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  for (const row of rows) {
    if (row.length !== header.length) throw new Error(`table row has ${row.length} cells, the header ${header.length}: ${row.join(' | ')}`);
  }
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export interface Target {
  /** `min`: the ratio must be at least the bound (throughput); `max`: at most (latency). */
  kind: 'min' | 'max';
  bound: number;
}

export const atLeast = (bound: number): Target => ({ kind: 'min', bound });
export const atMost = (bound: number): Target => ({ kind: 'max', bound });

export function targetMet(ratio: number, target: Target): boolean {
  if (!Number.isFinite(ratio)) return false;
  return target.kind === 'min' ? ratio >= target.bound : ratio <= target.bound;
}

/** "0.93× (≥ 0.9×: met)" — a figure that cannot be computed is MISSED, never left out. */
export function ratioVerdict(ratio: number, target: Target): string {
  // A ratio that rounds onto the bound gets a third decimal, so "1.30× … MISSED" cannot appear.
  const digits = Number.isFinite(ratio) && ratio.toFixed(2) === target.bound.toFixed(2) ? 3 : 2;
  const shown = Number.isFinite(ratio) ? `${ratio.toFixed(digits)}×` : 'n/a';
  return `${shown} (${target.kind === 'min' ? '≥' : '≤'} ${target.bound}×: ${targetMet(ratio, target) ? 'met' : 'MISSED'})`;
}

/** Fixed significant digits for table cells: 12345 → "12345", 12.345 → "12.3", 0.1234 → "0.123". */
export function figure(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  if (Math.abs(value) >= 1) return value.toFixed(2);
  return value.toFixed(3);
}
