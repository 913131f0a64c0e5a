// Credentials never sit in a committed topology: no-credentials-in-topology also catches `user:password@` in any URL
// anywhere in the file, and secret-looking variable names beyond *_PASSWORD. The password is never printed back.
import { describe, expect, it } from 'vitest';
import { editBase } from '../support.ts';
import { errorLines, F, yamlString } from './support.ts';

const env = (name: string, value = 'x') =>
  errorLines(editBase({ 'consoleUrl: http://10.0.0.10:9090': ['consoleUrl: http://10.0.0.10:9090', `env: { ${name}: ${yamlString(value)} }`] }));

describe('no-credentials-in-topology: user:password@ in any URL', () => {
  it('in consoleUrl', () => {
    expect(errorLines(editBase({ 'consoleUrl: http://10.0.0.10:9090': 'consoleUrl: http://admin:hunter2@10.0.0.10:9090' }))).toEqual([
      `${F}:24:15: error: minio.consoleUrl: "http://admin:***@" holds a user and password: topology files are committed; credentials come from swarm secrets only`,
    ]);
  });

  it('in a MinIO env value, whatever its name', () => {
    expect(env('MINIO_NOTIFY_WEBHOOK_ENDPOINT_PRIMARY', 'https://hook:s3cr3t@hooks.example.com/minio')).toEqual([
      `${F}:25:49: error: minio.env.MINIO_NOTIFY_WEBHOOK_ENDPOINT_PRIMARY: "https://hook:***@" holds a user and password: topology files are committed; credentials come from swarm secrets only`,
    ]);
  });

  it('anywhere, even in an acknowledgement', () => {
    expect(errorLines(`${editBase({})}acknowledge: ["etcd-data-dir:http://u:p@127.0.0.1/"]\n`)).toEqual([
      `${F}:38:15: error: acknowledge[0]: "http://u:***@" holds a user and password: topology files are committed; credentials come from swarm secrets only`,
    ]);
  });

  it('never prints the password back', () => {
    expect(env('MINIO_NOTIFY_WEBHOOK_ENDPOINT_PRIMARY', 'https://hook:s3cr3t@hooks.example.com/').join('\n')).not.toContain('s3cr3t');
  });

  it('accepts a URL with a user and no password, and one with an @ in its path', () => {
    expect(env('MINIO_NOTIFY_WEBHOOK_ENDPOINT_PRIMARY', 'https://hook@hooks.example.com/a@b')).toEqual([]);
  });
});

describe('no-credentials-in-topology: secret-looking names', () => {
  it.each([
    'MINIO_KMS_KES_API_KEY',
    'MINIO_X_APIKEY',
    'MINIO_IDENTITY_LDAP_LOOKUP_BIND_PASSWD',
    'MINIO_X_PASS',
    'MINIO_X_PWD',
    'MINIO_X_PRIVATE_KEY',
    'MINIO_X_CREDENTIALS',
    'MINIO_KMS_SECRET_KEY',
    'MINIO_IDENTITY_OPENID_CLIENT_SECRET',
    'MINIO_NOTIFY_WEBHOOK_AUTH_TOKEN_PRIMARY',
    'MINIO_X_SECRETS',
    'MINIO_X_KEY',
  ])('refuses %s', (name) => {
    expect(env(name)).toEqual([
      `${F}:25:10: error: minio.env.${name}: ${name} looks like a credential: topology files are committed; use minio.rootUserSecret / rootPasswordSecret (swarm secrets)`,
    ]);
  });

  it.each(['MINIO_CI_CD', 'MINIO_PROMETHEUS_AUTH_TYPE', 'MINIO_STORAGE_CLASS_STANDARD', 'MINIO_KMS_KES_KEY_NAME', 'MINIO_KMS_KES_KEY_FILE', 'MINIO_COMPRESSION_ENABLE', 'MINIO_REGION'])(
    'accepts %s',
    (name) => {
      // A value MinIO can read (minio-erasure-settings refuses a storage class that is not EC:n).
      expect(env(name, name === 'MINIO_STORAGE_CLASS_STANDARD' ? 'EC:2' : 'x')).toEqual([]);
    },
  );
});
