import { describe, expect, it } from 'vitest';
import { secretVariable } from '../../generator/render/createSecrets.ts';
import { credentialsFrom, parseEnvFile, PASSWORD_VARIABLE, redact, rootCredentialsFrom, USER_VARIABLE, VERIFY_PASSWORD_VARIABLE, VERIFY_USER_VARIABLE, verifyUserCredentialsFrom } from '../../generator/cluster/credentials.ts';
import { endpointsFromModel, parseHostPort, resolveEndpoints } from '../../generator/cluster/endpoints.ts';
import { frozenModel } from './support.ts';

describe('credentials', () => {
  it('reads KEY=value files like the e2e harness writes them', () => {
    const text = '# milvus-swarm local\nexport MINIO_ROOT_USER=admin\nMINIO_ROOT_PASSWORD="p=a s s"\n\nOTHER=\'x\'\n';
    expect(parseEnvFile(text)).toEqual({ values: { MINIO_ROOT_USER: 'admin', MINIO_ROOT_PASSWORD: 'p=a s s', OTHER: 'x' }, problems: [] });
  });

  it('names a malformed line by number, never by content', () => {
    expect(parseEnvFile('MINIO_ROOT_USER=a\nhunter2\n').problems).toEqual(['line 2: expected KEY=value']);
  });

  it('prefers the named file over the environment, and needs both values', () => {
    const env = { MINIO_ROOT_USER: 'env-user', MINIO_ROOT_PASSWORD: 'env-pass' };
    expect(credentialsFrom({ MINIO_ROOT_USER: 'file-user', MINIO_ROOT_PASSWORD: 'file-pass' }, env)).toEqual({ accessKey: 'file-user', secretKey: 'file-pass', user: 'root' });
    expect(credentialsFrom({ MINIO_ROOT_USER: '' }, env)).toEqual({ accessKey: 'env-user', secretKey: 'env-pass', user: 'root' });
    expect(credentialsFrom({ MINIO_ROOT_USER: 'only-user' })).toBeUndefined();
  });

  it("are verify's own user's when both its values are given, root's only otherwise", () => {
    const root = { MINIO_ROOT_USER: 'root-user', MINIO_ROOT_PASSWORD: 'root-pass' };
    const verify = { MINIO_VERIFY_USER: 'verify-user', MINIO_VERIFY_PASSWORD: 'verify-pass' };
    expect(credentialsFrom({ ...root, ...verify })).toEqual({ accessKey: 'verify-user', secretKey: 'verify-pass', user: 'verify' });
    expect(credentialsFrom({ ...root, MINIO_VERIFY_USER: 'verify-user' })).toEqual({ accessKey: 'root-user', secretKey: 'root-pass', user: 'root' });
    // The first source with a whole pair decides: a named file with root's beats verify's in the environment.
    expect(credentialsFrom(root, verify)).toEqual({ accessKey: 'root-user', secretKey: 'root-pass', user: 'root' });
    expect(credentialsFrom(verify, root)).toEqual({ accessKey: 'verify-user', secretKey: 'verify-pass', user: 'verify' });
    // No source whole: the pair is put together across sources, verify's first.
    expect(credentialsFrom({ MINIO_VERIFY_USER: 'verify-user' }, { MINIO_VERIFY_PASSWORD: 'verify-pass', ...root })).toEqual({ accessKey: 'root-user', secretKey: 'root-pass', user: 'root' });
    expect(credentialsFrom({ MINIO_VERIFY_USER: 'verify-user' }, { MINIO_VERIFY_PASSWORD: 'verify-pass' })).toEqual({ accessKey: 'verify-user', secretKey: 'verify-pass', user: 'verify' });
  });

  it("gives deploy each pair on its own: root's to create verify's user with, verify's to create", () => {
    const env = { MINIO_ROOT_USER: 'root-user', MINIO_ROOT_PASSWORD: 'root-pass', MINIO_VERIFY_USER: 'verify-user', MINIO_VERIFY_PASSWORD: 'verify-pass' };
    expect(rootCredentialsFrom(env)).toEqual({ accessKey: 'root-user', secretKey: 'root-pass', user: 'root' });
    expect(verifyUserCredentialsFrom(env)).toEqual({ accessKey: 'verify-user', secretKey: 'verify-pass', user: 'verify' });
    expect(verifyUserCredentialsFrom({ MINIO_ROOT_USER: 'root-user', MINIO_ROOT_PASSWORD: 'root-pass' })).toBeUndefined();
  });

  it('are the variables rendered/<env>/create-secrets.sh creates the secrets from', () => {
    expect(frozenModel('production').secrets.map((secret) => secretVariable(secret.key))).toEqual([USER_VARIABLE, PASSWORD_VARIABLE, VERIFY_USER_VARIABLE, VERIFY_PASSWORD_VARIABLE]);
  });

  it('redacts a secret and its URL-encoded form', () => {
    expect(redact('token p@ss/word and p%40ss%2Fword', ['p@ss/word'])).toBe('token *** and ***');
    expect(redact('nothing to hide', [undefined, 'ab'])).toBe('nothing to hide');
  });
});

describe('endpoints', () => {
  it('uses the first manager and the published ports (production)', async () => {
    expect(endpointsFromModel(frozenModel('production'))).toEqual({
      etcd: { host: '29.16.21.80', port: 2379 },
      s3: { host: '29.16.21.80', port: 9000 },
      console: { host: '29.16.21.80', port: 9090 },
    });
  });

  it('uses 127.0.0.1 when the topology lists no managers (local)', async () => {
    expect(endpointsFromModel(frozenModel('local')).etcd).toEqual({ host: '127.0.0.1', port: 2379 });
  });

  it('applies HOST:PORT overrides and refuses malformed ones', async () => {
    const model = frozenModel('local');
    expect(resolveEndpoints(model, { s3: '10.0.0.5:19000' })).toMatchObject({ ok: true, endpoints: { s3: { host: '10.0.0.5', port: 19000 }, etcd: { port: 2379 } } });
    expect(resolveEndpoints(model, { etcd: 'etcd-proxy' })).toEqual({ ok: false, problems: ['--etcd-endpoint "etcd-proxy": expected HOST:PORT, e.g. 127.0.0.1:2379'] });
    expect(parseHostPort('[::1]:2379')).toEqual({ host: '[::1]', port: 2379 });
    expect(parseHostPort('h:70000')).toBeUndefined();
  });
});
