// The step file that restarts every load-balancer replica together after a MinIO-wide restart (issue 24): only the
// proxy's update parallelism changes, so the stack deploy after it restarts no task.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { proxyAllAtOnce } from '../../generator/deploy/operations/stackFiles.ts';

type Compose = { services: Record<string, { deploy: { update_config: Record<string, unknown> } }> };

it('sets parallelism 0 on the proxy only, and keeps its other update settings', () => {
  const text = readFileSync(path.resolve(import.meta.dirname, '../../rendered/staging/stack.yaml'), 'utf8');
  const before = parse(text) as Compose;
  const after = parse(proxyAllAtOnce(text, 'minio-proxy')) as Compose;
  expect(after.services['minio-proxy']!.deploy.update_config).toEqual({ ...before.services['minio-proxy']!.deploy.update_config, parallelism: 0 });
  const others = (compose: Compose) => Object.entries(compose.services).filter(([name]) => name !== 'minio-proxy');
  expect(others(after)).toEqual(others(before));
});
