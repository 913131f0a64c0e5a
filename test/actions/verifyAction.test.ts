// The verify action's run(), as typescript-action tests an action: @actions/core mocked (fakeCore.ts), real library,
// real clients. Nothing listens at the endpoints and DOCKER_HOST points at a socket nobody serves, so every check
// fails at once, the way a runner sees a stack that is down; the passing path runs under act in the end-to-end suite.
import net from 'node:net';
import * as core from '@actions/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../.github/actions/verify/src/main.ts';
import { frozenRepositories } from '../frozen.ts';
import { actionYml, declaredInputs } from './actionYml.ts';
import { inputsRead, logged, startStep, summaryWritten } from './fakeCore.ts';

vi.mock('@actions/core', async (importOriginal) => (await import('./fakeCore.ts')).fakeCore(await importOriginal()));

const repository = frozenRepositories('milvus-swarm-verify-action-');
const USER = 'verify-test-user';
const PASSWORD = 'verify-test-password-7f3a';
const ROOT_USER = 'root-test-user';
const ROOT_PASSWORD = 'root-test-password-41c9';
let closed = '';
let dockerHost: string | undefined;

beforeAll(async () => {
  dockerHost = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = 'unix:///nonexistent/milvus-swarm-test.sock';
  // A port nobody listens on: every client is refused at once.
  const spare = net.createServer();
  await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
  closed = `127.0.0.1:${(spare.address() as net.AddressInfo).port}`;
  await new Promise((resolve) => spare.close(resolve));
});
afterAll(() => {
  if (dockerHost === undefined) delete process.env.DOCKER_HOST;
  else process.env.DOCKER_HOST = dockerHost;
});

const stepInputs = (extra: Record<string, string> = {}) => ({
  environment: 'local',
  'working-directory': repository(),
  'minio-verify-user': USER,
  'minio-verify-password': PASSWORD,
  'etcd-endpoint': closed,
  's3-endpoint': closed,
  'console-endpoint': closed,
  ...extra,
});

const outputs = () => Object.fromEntries(vi.mocked(core.setOutput).mock.calls);
/** A row's reason as the warning annotation carries it (warn rows), if there is one. */
const rowReason = (check: string) =>
  vi
    .mocked(core.warning)
    .mock.calls.map(([line]) => String(line))
    .find((line) => line.startsWith(`${check}: `))
    ?.slice(check.length + 2);

describe('the verify action', () => {
  it('masks both credentials before anything else happens', async () => {
    startStep(core, stepInputs());
    await run();
    expect(vi.mocked(core.setSecret).mock.calls).toEqual([[PASSWORD], [USER]]);
    expect(rowReason('minio: credentials')).toBeUndefined();
    const masked = Math.max(...vi.mocked(core.setSecret).mock.invocationCallOrder);
    const printed = [core.info, core.warning, core.error, core.setOutput, core.setFailed].flatMap((spy) => vi.mocked(spy).mock.invocationCallOrder);
    expect(printed.length).toBeGreaterThan(0);
    expect(Math.min(...printed)).toBeGreaterThan(masked);
  });

  it('fails on fail rows: outputs, the failure naming each row, the rows in the log and the summary, no password anywhere', async () => {
    startStep(core, stepInputs());
    await run();
    const set = outputs();
    expect(Object.keys(set).sort()).toEqual(Object.keys(actionYml('verify').outputs).sort());
    expect(set.status).toBe('fail');
    expect(set.fail).toBeGreaterThan(0);
    expect(set.pass + set.warn + set.fail).toBeGreaterThan(3);
    const [[failure]] = vi.mocked(core.setFailed).mock.calls as [[string]];
    expect(failure.split('\n')).toHaveLength(set.fail);
    expect(failure).toMatch(/^minio: cluster health: GET http:\/\/127\.0\.0\.1:\d+\/minio\/health\/cluster: connection refused — check milvus_minio-proxy/m);
    expect(logged(core)).toMatch(/^STATUS\s+TIME\s+CHECK\s+REASON$/m);
    expect(logged(core)).toMatch(/^verify local: FAIL — \d+ pass, \d+ warn, \d+ fail in \d+\.\d\ds$/m);
    const summary = summaryWritten();
    expect(summary).toMatch(/^<h2>verify local: fail<\/h2>\nverify local: FAIL — .*\n\netcd 127\.0\.0\.1:\d+, S3 127\.0\.0\.1:\d+, console 127\.0\.0\.1:\d+\n\n\| status \| time \| check \| reason \|\n/);
    expect(summary).toContain('| ❌ fail |');
    const everything = [summary, logged(core), failure, ...vi.mocked(core.warning).mock.calls.map(([line]) => String(line))].join('\n');
    expect(everything).not.toContain(PASSWORD);
  });

  it("masks root's credentials too when given, signs in as verify's user, and warns only when root is all it has", async () => {
    startStep(core, stepInputs({ 'minio-root-user': ROOT_USER, 'minio-root-password': ROOT_PASSWORD }));
    await run();
    expect(vi.mocked(core.setSecret).mock.calls).toEqual([[PASSWORD], [ROOT_PASSWORD], [USER], [ROOT_USER]]);
    expect(rowReason('minio: credentials')).toBeUndefined();

    startStep(core, stepInputs({ 'minio-verify-user': '', 'minio-verify-password': '', 'minio-root-user': ROOT_USER, 'minio-root-password': ROOT_PASSWORD }));
    await run();
    expect(vi.mocked(core.setSecret).mock.calls).toEqual([[ROOT_PASSWORD], [ROOT_USER]]);
    expect(rowReason('minio: credentials')).toBe(
      "signed in as MinIO's root user: give verify its own user, MINIO_VERIFY_USER / MINIO_VERIFY_PASSWORD (the swarm secrets milvus_minio_verify_user / milvus_minio_verify_password; deploy creates the user)",
    );
  });

  it('reads exactly the inputs its action.yml declares', async () => {
    startStep(core, stepInputs());
    await run();
    expect([...inputsRead].sort()).toEqual(declaredInputs('verify'));
  });

  it('fails on a malformed endpoint before checking anything', async () => {
    startStep(core, stepInputs({ 's3-endpoint': 'nope' }));
    await run();
    expect(vi.mocked(core.setFailed).mock.calls).toEqual([['--s3-endpoint "nope": expected HOST:PORT, e.g. 127.0.0.1:9000']]);
    expect(core.setOutput).not.toHaveBeenCalled();
  });

  it('turns a thrown error into setFailed with its message only', async () => {
    startStep(core, stepInputs({ environment: 'staging' }));
    await run();
    expect(vi.mocked(core.setFailed).mock.calls).toEqual([['unknown environment "staging": environments/staging.yaml does not exist; the environments are local, production']]);
  });
});
