// The house's layers, read from the code's own imports: generator/ reads top to bottom, each file imports only its
// own folder or a lower layer, and no files import each other in a circle (type-only imports count: they tie the
// modules' meaning together as much as calls do). The order is written down here, once; generator/README.md explains
// it. A new folder must be placed in LAYERS before the test passes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT, sourceFiles } from '../sourceFiles.ts';

const root = REPOSITORY_ROOT;

/** Top to bottom. A file belongs to the first entry whose prefix its path starts with. */
export const LAYERS: readonly { name: string; prefixes: readonly string[] }[] = [
  { name: 'entry points (the CLI, the GitHub actions)', prefixes: ['generator/cli.ts', 'generator/bin/', '.github/actions/'] },
  { name: 'commands', prefixes: ['generator/commands/'] },
  { name: 'deploy: the command library and its report', prefixes: ['generator/deploy/deploy.ts', 'generator/deploy/report.ts'] },
  { name: 'deploy: phases (one per file, in the order of phases/index.ts)', prefixes: ['generator/deploy/phases/'] },
  { name: "deploy: the plan's executed steps", prefixes: ['generator/deploy/steps/'] },
  { name: 'deploy: moves phases and steps share (they take the deploy context)', prefixes: ['generator/deploy/moves/'] },
  { name: 'deploy: the phase runner and its contract', prefixes: ['generator/deploy/runner/'] },
  { name: 'deploy: swarm, etcd and MinIO operations (a runner and the model, never the context)', prefixes: ['generator/deploy/operations/'] },
  { name: 'diff: the live swarm against rendered/', prefixes: ['generator/diff/'] },
  { name: 'verify', prefixes: ['generator/verify/'] },
  { name: 'backup: recovery points', prefixes: ['generator/backup/'] },
  { name: 'plan: changes classified', prefixes: ['generator/plan/'] },
  { name: "MinIO's admin API", prefixes: ['generator/minio/'] },
  { name: 'cluster access (credentials, endpoints, proxies, etcdctl)', prefixes: ['generator/cluster/'] },
  { name: 'docker: the one boundary to the engine', prefixes: ['generator/docker/'] },
  { name: 'workspace: the repository on disk', prefixes: ['generator/workspace/'] },
  { name: 'render', prefixes: ['generator/render/'] },
  { name: 'model', prefixes: ['generator/model/'] },
  { name: 'topology', prefixes: ['generator/topology/'] },
  { name: 'shared errors', prefixes: ['generator/usageError.ts'] },
];

/** Relative imports of a file (static, dynamic, re-exports), resolved to repository paths. */
export function importsOf(file: string, text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)'(\.{1,2}\/[^']+)'/g)) {
    found.add(path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1]!)));
  }
  return [...found].sort();
}

const layerOf = (file: string): number => LAYERS.findIndex((layer) => layer.prefixes.some((prefix) => file.startsWith(prefix)));

/** Strongly connected components with more than one file (Tarjan). */
export function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, indices.get(next)!));
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

const files = sourceFiles();
const graph = new Map(files.map((file) => [file, importsOf(file, readFileSync(path.join(root, file), 'utf8')).filter((target) => target.startsWith('generator/') || target.startsWith('.github/'))]));

describe("generator/'s layers", () => {
  it('place every source file', () => {
    expect(files.filter((file) => layerOf(file) === -1)).toEqual([]);
  });

  it('have no import circle', () => {
    expect(circles(graph).map((circle) => circle.join(' → '))).toEqual([]);
  });

  it('never import a higher layer', () => {
    const upward = [...graph].flatMap(([file, targets]) =>
      targets.filter((target) => layerOf(target) !== -1 && layerOf(target) < layerOf(file)).map((target) => `${file} (${LAYERS[layerOf(file)]!.name}) imports ${target} (${LAYERS[layerOf(target)]!.name})`),
    );
    expect(upward).toEqual([]);
  });

  it('find circles and upward imports when they exist (the checks can fail)', () => {
    expect(circles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
    expect(importsOf('generator/deploy/x.ts', "import { a } from '../cluster/y.ts';\nexport { b } from './z.ts';\nawait import('../../c.ts');")).toEqual([
      'c.ts',
      'generator/cluster/y.ts',
      'generator/deploy/z.ts',
    ]);
    expect(layerOf('generator/topology/schema.ts')).toBeGreaterThan(layerOf('generator/deploy/phases/preflight.ts'));
  });
});
