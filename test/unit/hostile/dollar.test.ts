// `$` in a value must deploy as `$`: `docker stack deploy` interpolates `$VAR`, `${VAR}` from the deploying process's
// environment (and refuses `$(…)` as "invalid interpolation format"), so the stack file escapes every `$` as `$$`.
// Checked with the real client: `docker stack config` (no daemon) under an environment whose HOME and PATH are known.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderSource } from '../../../generator/workspace/pipeline.ts';
import { readTemplates } from '../../../generator/workspace/repository.ts';
import { editBase, repoRoot } from '../support.ts';
import { yamlString } from './support.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'milvus-swarm-dollar-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const HOME = path.join(scratch, 'sentinel-home');
const PATH = `/sentinel/bin:${process.env.PATH}`;
mkdirSync(HOME);

const HOSTILE = {
  env: 'a $HOME b ${PATH} c $(id) d $$ e ${HOME:-x} f $',
  consoleUrl: 'http://10.0.0.10:9090/$HOME?x=${PATH}',
};

async function renderHostile() {
  const text = editBase({
    'consoleUrl: http://10.0.0.10:9090': [`consoleUrl: ${yamlString(HOSTILE.consoleUrl)}`, `env: { MINIO_X: ${yamlString(HOSTILE.env)} }`],
  });
  const rendered = renderSource({ environment: 'dollar', file: 'dollar.yaml', text }, await readTemplates());
  if (!rendered.ok) throw new Error(`does not render: ${rendered.problems.map((problem) => problem.message).join('; ')}`);
  const directory = path.join(scratch, 'rendered');
  mkdirSync(directory, { recursive: true });
  for (const [name, content] of rendered.files) {
    mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
    writeFileSync(path.join(directory, name), content);
  }
  return { rendered, stackFile: path.join(directory, 'stack.yaml') };
}

/** What swarm would deploy: the stack file after docker's interpolation, under a known HOME and PATH. */
function dockerStackConfig(stackFile: string) {
  return spawnSync('docker', ['stack', 'config', '-c', stackFile], { encoding: 'utf8', env: { HOME, PATH, DOCKER_CONFIG: path.join(HOME, '.docker') } });
}

describe('$ in stack.yaml', () => {
  it('deploys exactly the topology value, whatever the deploying environment holds', async () => {
    const { stackFile } = await renderHostile();
    const result = dockerStackConfig(stackFile);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain(HOME);
    expect(result.stdout).not.toContain('/sentinel/bin');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const deployed = parse(result.stdout) as any;
    expect(deployed.services.minio1.environment.MINIO_X).toBe(HOSTILE.env);
    expect(deployed.services.minio1.environment.MINIO_BROWSER_REDIRECT_URL).toBe(HOSTILE.consoleUrl);
    // Every string of every service came through unchanged: what docker deploys is what was rendered from.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const rendered = parse(readFileSync(stackFile, 'utf8').replace(/\$\$/g, '$')) as any;
    for (const name of Object.keys(rendered.services)) {
      expect(deployed.services[name].environment ?? {}, name).toEqual(rendered.services[name].environment ?? {});
      expect(deployed.services[name].command, name).toEqual(rendered.services[name].command);
    }
  });

  it('escapes every $ in the file, and only in stack.yaml (nginx.conf is read raw by swarm: its $http_host stays)', async () => {
    const { rendered } = await renderHostile();
    const stack = rendered.files.get('stack.yaml')!;
    expect(stack.replace(/\$\$/g, '')).not.toContain('$');
    expect(rendered.files.get('nginx.conf')).toContain('proxy_set_header Host $http_host;');
    expect(rendered.files.get('milvus.yaml')).not.toContain('$$');
  });

  it.each(readdirSync(path.join(repoRoot, 'rendered'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name))(
    'rendered/%s/stack.yaml, as committed, deploys as written under any HOME and PATH',
    (environment) => {
      const stackFile = path.join(repoRoot, 'rendered', environment, 'stack.yaml');
      const result = dockerStackConfig(stackFile);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const deployed = parse(result.stdout) as any;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const written = parse(readFileSync(stackFile, 'utf8').replace(/\$\$/g, '$')) as any;
      for (const name of Object.keys(written.services)) {
        expect(deployed.services[name].environment ?? {}, name).toEqual(written.services[name].environment ?? {});
        expect(deployed.services[name].command, name).toEqual(written.services[name].command);
        expect(deployed.services[name].image, name).toBe(written.services[name].image);
      }
    },
  );
});
