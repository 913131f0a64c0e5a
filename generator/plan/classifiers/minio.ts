// MinIO settings every node carries: the release, the root credential secrets, environment, ports, console URL.
// Any of them restarts all nodes in one deploy (one service per node, updated together). verify's user's secrets,
// which no node carries, are here too.
import { imageTag } from '../../topology/rules/images.ts';
import { care, changeId, destructive, safe, type Change } from '../change.ts';
import type { Classifier, Comparison } from '../comparison.ts';
import { code, deploy, verify } from '../runbook.ts';
import { compareReleaseTags, imageRepository } from '../versions.ts';

/** MinIO has no rolling upgrade (every node must run one release) and does not support downgrades. */
export const minioReleaseChanged: Classifier = ({ environment, before, after }) => {
  const [from, to] = [before.model.minio.image, after.model.minio.image];
  if (from === to) return [];
  const [fromTag, toTag] = [imageTag(from), imageTag(to)];
  const order =
    fromTag !== undefined && toTag !== undefined && imageRepository(from) === imageRepository(to) && !from.includes('@') && !to.includes('@')
      ? compareReleaseTags(fromTag, toTag)
      : undefined;
  const id = changeId('minio-version', toTag ?? to);
  const what = `MinIO image ${from} → ${to}`;
  if (order === 1) {
    return [
      destructive(
        id,
        what,
        'an older MinIO release: MinIO does not support downgrades, and an older release may not read the metadata a newer one wrote (xl.meta, format.json); every node restarts on it at once',
        [`back up every bucket (${code('mc mirror')}) and confirm in the release notes that ${to} reads what ${from} wrote`, `${deploy(environment)}, then ${verify(environment)}`],
      ),
    ];
  }
  return [
    care(
      id,
      what,
      `${order === undefined ? `cannot tell whether ${to} is newer than ${from}; ` : ''}every MinIO node must run one release and there is no rolling upgrade: all nodes restart together on the new image (S3 pauses), and there is no way back (MinIO does not support downgrades)`,
      [
        `read the release notes between ${fromTag ?? from} and ${toTag ?? to}`,
        `before: ${code('mc admin info ALIAS')} shows every drive online and nothing healing`,
        `${deploy(environment)} when S3 can pause: all nodes restart together`,
        `${code('mc admin info ALIAS')} shows ${toTag ?? to} on every node; ${verify(environment)}`,
      ],
    ),
  ];
};

const SECRETS = [
  ['root-user', 'rootUserSecret', 'root user'],
  ['root-password', 'rootPasswordSecret', 'root password'],
] as const;

/** External secrets must exist before deploy; a different value is a credential rotation Milvus must follow. */
export const minioSecretsChanged: Classifier = ({ environment, before, after }) =>
  SECRETS.flatMap(([subject, field, what]): Change[] => {
    const [from, to] = [before.topology.minio[field], after.topology.minio[field]];
    if (from === to) return [];
    return [
      care(
        changeId('minio-secret', subject),
        `MinIO ${what} secret ${from} → ${to}`,
        `every MinIO node restarts together on the new secret; deploy fails while ${to} does not exist, and if its value differs the ${what} changes: Milvus and every mc alias must switch in the same deploy`,
        [
          `create it first: ${code(`printf %s "$VALUE" | docker secret create ${to} -`)}`,
          `if the value differs, give Milvus the new credentials (minio.accessKeyID / secretAccessKey) for the moment of the deploy`,
          `${deploy(environment)}, then ${verify(environment)}`,
          `${code(`docker secret rm ${from}`)} once no service uses it`,
        ],
      ),
    ];
  });

const VERIFY_SECRETS = [
  ['verify-user', 'verifyUserSecret', "verify's user"],
  ['verify-password', 'verifyPasswordSecret', "verify's password"],
] as const;

/**
 * verify's own user's secrets: no node mounts them, so nothing restarts; deploy (which needs them to exist) sets the
 * user from the values the runner is given and takes verify's policy from the user it replaces.
 */
export const minioVerifySecretsChanged: Classifier = ({ environment, before, after }) =>
  VERIFY_SECRETS.flatMap(([subject, field, what]): Change[] => {
    const [from, to] = [before.topology.minio[field], after.topology.minio[field]];
    if (from === to) return [];
    return [
      care(
        changeId('minio-secret', subject),
        `MinIO ${what} secret ${from} → ${to}`,
        `no MinIO node restarts (none mounts it); deploy fails while ${to} does not exist, and sets verify's user from the values the runner is given: they must be ${to}'s`,
        [
          `create it first: ${code(`printf %s "$VALUE" | docker secret create ${to} -`)}`,
          `set the environment's GitHub secrets ${code('MINIO_VERIFY_USER')} / ${code('MINIO_VERIFY_PASSWORD')} to the new secrets' values`,
          `${deploy(environment)} (a new access key is a new user; the one it replaces loses verify's policy), then ${verify(environment)}`,
          `${code(`docker secret rm ${from}`)}`,
        ],
      ),
    ];
  });

/** MINIO_* settings change server behaviour in ways only their documentation tells; all nodes restart on them. */
export const minioEnvChanged: Classifier = ({ environment, before, after }) => {
  const [was, is] = [before.topology.minio.env, after.topology.minio.env];
  const names = [...new Set([...Object.keys(was), ...Object.keys(is)])].sort();
  return names.flatMap((name): Change[] => {
    if (was[name] === is[name]) return [];
    const what = was[name] === undefined ? `MinIO ${name}=${is[name]} added` : is[name] === undefined ? `MinIO ${name} removed (was ${was[name]})` : `MinIO ${name} ${was[name]} → ${is[name]}`;
    const note =
      name === 'MINIO_CI_CD' && is[name] === undefined
        ? '; without it, distributed MinIO refuses drives on the root disk'
        : name === 'MINIO_CI_CD'
          ? '; CI/CD mode lets MinIO use drives on the root disk, meant for test machines only'
          : '';
    return [
      care(
        changeId('minio-env', name),
        what,
        `every MinIO node restarts together with the new environment (S3 pauses)${note}`,
        [
          `read what ${name} does in the documentation of ${after.model.minio.image}`,
          ...(name === 'MINIO_CI_CD' && is[name] === undefined ? ['check that no drive directory is on a root disk (df on each host)'] : []),
          `${deploy(environment)} when S3 can pause, then ${verify(environment)}`,
        ],
      ),
    ];
  });
};

/** The API port is in every node's endpoints (http://minio{1...4}:9000); the published S3 port is the proxy's. */
export const minioApiPortChanged: Classifier = ({ environment, before, after }: Comparison) => {
  const [from, to] = [before.topology.minio.apiPort, after.topology.minio.apiPort];
  if (from === to) return [];
  return [
    care(
      changeId('minio-api-port', from),
      `MinIO API port ${from} → ${to} (${code(after.model.minio.pools[0]!.serverArgument)})`,
      'MinIO nodes find each other by their endpoints: every node restarts together with the new ones and the proxies follow (S3 pauses); the published S3 port does not change',
      [`${deploy(environment)} when S3 can pause`, `${code('mc admin info ALIAS')} shows every node online; ${verify(environment)}`],
    ),
  ];
};

export const minioConsolePortChanged: Classifier = ({ before, after }) => {
  const [from, to] = [before.topology.minio.consolePort, after.topology.minio.consolePort];
  if (from === to) return [];
  return [
    safe(
      changeId('minio-console-port', from),
      `MinIO console port ${from} → ${to} (inside the stack network)`,
      'nodes restart together once and the proxy follows; the published console port does not change',
    ),
  ];
};

export const minioConsoleUrlChanged: Classifier = ({ before, after }) => {
  const [from, to] = [before.topology.minio.consoleUrl, after.topology.minio.consoleUrl];
  if (from === to) return [];
  return [
    safe(
      changeId('minio-console-url', before.topology.stack),
      `MinIO console URL ${from} → ${to}`,
      'where the console sends browsers (MINIO_BROWSER_REDIRECT_URL): nodes restart together once, no data changes',
    ),
  ];
};
