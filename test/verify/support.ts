// Shared by the verify tests: the frozen environments as models (../frozen.ts), and the captured etcdctl/MinIO outputs.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export { frozenModel } from '../frozen.ts';

/** Output captured from etcd 3.5.5 / MinIO RELEASE.2023-03-20 run by hand (endpoints renamed to the stack's). */
export const fixture = (name: string): string => readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
