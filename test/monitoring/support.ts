// What the monitoring tests share: promtool (built and cached by the project's global setup), the rendered files
// written to a folder, the metric names the real targets expose (fixtures/, captured by captureScrapes.ts), the
// metric names a PromQL expression reads, and Prometheus's annotation templates as far as our rules use them.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { cachedMonitoringBinaries } from '../e2e/harness/prometheusBinaries.ts';
import type { Rendered } from '../unit/renderedFiles.ts';

export const PROMTOOL = cachedMonitoringBinaries().promtool;

export interface ToolResult {
  status: number | null;
  output: string;
}

/** promtool, asynchronously: a rules test runs for seconds, and a blocked worker misses vitest's own messages. */
export function promtool(args: readonly string[], cwd: string): Promise<ToolResult> {
  return runTool(PROMTOOL, args, cwd);
}

function runTool(command: string, args: readonly string[], cwd: string): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

/**
 * `promtool check config` wants the token file the configuration names to exist. The rendered path is the swarm
 * secret's (/run/secrets/…): a private mount namespace gets a tmpfs on /run holding a throw-away token there, so the
 * checked file is the rendered one, unchanged, and the machine's /run is untouched.
 */
export function checkConfigWithToken(configFile: string, tokenFile: string): Promise<ToolResult> {
  if (!tokenFile.startsWith('/run/')) throw new Error(`the test gives a token only under /run, not at ${tokenFile}`);
  const script = 'mount -t tmpfs tmpfs /run && mkdir -p "$(dirname "$1")" && printf "test-token" > "$1" && exec "$2" check config "$3"';
  return runTool('unshare', ['--mount', 'sh', '-c', script, 'sh', tokenFile, PROMTOOL, configFile], path.dirname(configFile));
}

/** The rendered monitoring files of one topology, in `directory` (as an operator would copy them). */
export function writeMonitoring(rendered: Rendered, directory: string): string {
  mkdirSync(directory, { recursive: true });
  for (const [file, text] of rendered.files) {
    if (file.startsWith('monitoring/')) writeFileSync(path.join(directory, file.slice('monitoring/'.length)), text);
  }
  return directory;
}

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

/** Every metric name the captured scrapes hold (etcd member and proxy, MinIO node and cluster endpoints). */
export function exposedMetrics(): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const file of readdirSync(FIXTURES).filter((name) => name.endsWith('.prom'))) {
    for (const line of readFileSync(path.join(FIXTURES, file), 'utf8').split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
      if (name) byName.set(name, [...new Set([...(byName.get(name) ?? []), file])]);
    }
  }
  return byName;
}

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan', 'Inf', 'NaN']);

/**
 * The metric names a PromQL expression selects: identifiers left once strings, label matchers, grouping clauses,
 * ranges and numbers are removed, that are not a function call or a keyword. (`promtool check rules` parses the
 * same expressions for real; this only lists what they read.)
 */
export function metricNames(expr: string): string[] {
  let text = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  text = text.replace(/\{[^}]*\}/g, ' ');
  text = text.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  text = text.replace(/\[[^\]]*\]/g, ' ');
  const names: string[] = [];
  for (const match of text.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const before = text[match.index - 1] ?? ' ';
    if (/[0-9.]/.test(before)) continue; // the exponent of a number such as 1e9
    if (text.slice(match.index + match[0].length).trimStart().startsWith('(')) continue;
    if (KEYWORDS.has(match[0])) continue;
    names.push(match[0]);
  }
  return [...new Set(names)];
}

/** Go's %.4g (Prometheus's humanizePercentage prints `%.4g%%`): 4 significant digits, no trailing zeros. */
export function goG4(value: number): string {
  if (value === 0) return '0';
  const exponent = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(4)))));
  if (exponent < -4 || exponent >= 4) {
    const [mantissa, power] = value.toExponential(3).split('e');
    const trimmed = mantissa!.replace(/\.?0+$/, '');
    const sign = power!.startsWith('-') ? '-' : '+';
    return `${trimmed}e${sign}${power!.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  const fixed = value.toFixed(Math.max(0, 3 - exponent));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

/**
 * An annotation as Prometheus expands it, for the templates the rules use: {{ $labels.NAME }}, {{ $value }}
 * (Go prints a float64 in its shortest form) and {{ $value | humanizePercentage }}.
 */
export function expandTemplate(template: string, labels: Record<string, string>, value: number): string {
  return template.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, body: string) => {
    const label = /^\$labels\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(body);
    if (label) return labels[label[1]!] ?? '';
    if (body === '$value') return goFloat(value);
    if (body === '$value | humanizePercentage') return `${goG4(value * 100)}%`;
    throw new Error(`the test cannot expand {{ ${body} }}`);
  });
}

/** fmt's %v of a float64, for the values our tests give (integers and short decimals). */
function goFloat(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return Math.abs(value) >= 1e6 ? value.toExponential().replace(/e\+?(-?)(\d)$/, 'e+0$2') : String(value);
  return String(value);
}

/** Targets and their labels as the rendered prometheus.yml gives them: what every series of a job carries. */
export interface ScrapeTarget {
  job: string;
  labels: Record<string, string>;
}

export function scrapeTargets(prometheusYml: string): ScrapeTarget[] {
  const config = parse(prometheusYml) as {
    scrape_configs: { job_name: string; static_configs?: { targets: string[]; labels?: Record<string, string> }[]; dns_sd_configs?: { names: string[]; port: number }[]; relabel_configs?: { target_label: string; replacement: string }[] }[];
  };
  return config.scrape_configs.flatMap((job) => {
    const fromStatic = (job.static_configs ?? []).flatMap((group) => group.targets.map((target) => ({ job: job.job_name, labels: { job: job.job_name, instance: target, ...(group.labels ?? {}) } })));
    // A DNS-discovered target is an address; the relabelling gives it the labels the rules select by.
    const relabelled = Object.fromEntries((job.relabel_configs ?? []).map((rule) => [rule.target_label, rule.replacement]));
    const fromDns = (job.dns_sd_configs ?? []).flatMap((sd, index) => [1, 2, 3].map((n) => ({ job: job.job_name, labels: { job: job.job_name, instance: `10.0.${index}.${n}:${sd.port}`, ...relabelled } })));
    return [...fromStatic, ...fromDns];
  });
}
