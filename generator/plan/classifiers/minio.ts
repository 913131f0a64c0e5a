// MinIO settings every node carries: the release, the root credential secrets, environment, ports, console URL.
// Any of them restarts all nodes in one deploy (one service per node, updated together). verify's user's secrets,
// which no node carries, are here too.
import { ERASURE_VARIABLES, erasureSettings } from '../../topology/erasure.ts';
import { MINIO_WITHOUT_CURL } from '../../topology/imageTools.ts';
import { imageTag } from '../../topology/rules/images.ts';
import { care, changeId, destructive, safe, type Change } from '../change.ts';
import type { Classifier, Comparison, Revision } from '../comparison.ts';
import { matchPools, poolLabel } from '../minioPoolMatch.ts';
import { probeNeed } from '../probes.ts';
import { code, deploy, listOf, verify } from '../runbook.ts';

/** The MinIO release whose source these texts quote (the runbook's minio:v23.03; e2e runs it). */
export const MINIO_RELEASE_READ = 'RELEASE.2023-03-20T20-16-18Z';
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
  const probe = probeNeed(after.topology.minio.healthcheck, to);
  return [
    care(
      id,
      what,
      `${order === undefined ? `cannot tell whether ${to} is newer than ${from}; ` : ''}every MinIO node must run one release and there is no rolling upgrade: all nodes restart together on the new image (S3 pauses), and there is no way back (MinIO does not support downgrades)${
        probe
          ? `; the nodes' healthcheck runs ${probe.program} inside the new image (MinIO images from ${MINIO_WITHOUT_CURL} on have no curl): without it the nodes never turn healthy and swarm never publishes them`
          : ''
      }`,
      [
        `read the release notes between ${fromTag ?? from} and ${toTag ?? to}`,
        ...(probe ? [`${probe.check}, or set minio.healthcheck to a probe the image ships ({probe: exec, command: [mc, ready, local]})`] : []),
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
export const minioEnvChanged: Classifier = (comparison) => {
  const { environment, before, after } = comparison;
  const [was, is] = [before.topology.minio.env, after.topology.minio.env];
  const names = [...new Set([...Object.keys(was), ...Object.keys(is)])].sort();
  return names.flatMap((name): Change[] => {
    if (was[name] === is[name]) return [];
    const what = was[name] === undefined ? `MinIO ${name}=${is[name]} added` : is[name] === undefined ? `MinIO ${name} removed (was ${was[name]})` : `MinIO ${name} ${was[name]} → ${is[name]}`;
    const erasure = erasureEnvChange(comparison, name, what);
    if (erasure) return [erasure];
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

/**
 * The variables that set the erasure layout, judged by what they do to the pools that exist (topology/erasure.ts;
 * a value no topology may hold is the rule minio-erasure-settings's). A pool's set size is fixed in the format.json
 * of its drives when it is created; the parity of the storage classes applies to objects as they are written.
 */
function erasureEnvChange(comparison: Comparison, name: string, what: string): Change | undefined {
  const { environment, before, after } = comparison;
  const id = changeId('minio-env', name);
  const kept = matchPools(comparison).kept;
  const restart = `${deploy(environment)} when S3 can pause, then ${verify(environment)}`;
  if (name === ERASURE_VARIABLES.setDriveCount) {
    const changed = kept.filter(({ was, is }) => was.pool.layout && is.pool.layout && was.pool.layout.setSize !== is.pool.layout.setSize);
    if (changed.length === 0) {
      return care(id, what, `every pool keeps the erasure sets its drives were formatted with, so MinIO accepts it; a pool added later is split by it; every MinIO node restarts together (S3 pauses)`, [restart]);
    }
    const pools = changed.map(({ was, is }) => `${poolLabel(was.pool)} (sets of ${was.pool.layout!.setSize} → ${is.pool.layout!.setSize})`);
    const set = after.topology.minio.env[name];
    return destructive(
      id,
      `${what}: ${listOf(pools)}`,
      set
        ? `a pool's set size is written in the format.json of its drives when it is created: with ${name} set, MinIO ${MINIO_RELEASE_READ} compares it and every node refuses to start ("already formatted with ${changed[0]!.was.pool.layout!.setSize} drives per erasure set. This cannot be changed to ${changed[0]!.is.pool.layout!.setSize}, please revert your ${name} setting", cmd/format-erasure.go)`
        : `a pool's set size is written in the format.json of its drives when it is created: without ${name} MinIO no longer compares it, keeps the formatted sets of ${changed[0]!.was.pool.layout!.setSize}, and takes the default parity for sets of ${changed[0]!.is.pool.layout!.setSize} (EC:${changed[0]!.is.pool.layout!.parity}) — a parity the formatted sets were not laid out for`,
      [`keep ${name}${envValue(before, name) ? `=${envValue(before, name)}` : ' unset'} while ${listOf(changed.map(({ was: ref }) => poolLabel(ref.pool)))} exist${changed.length === 1 ? 's' : ''}: a pool's set size never changes; a new layout is a new pool (add it, deploy, decommission the old one)`],
    );
  }
  if (name === ERASURE_VARIABLES.standard || name === ERASURE_VARIABLES.rrs) {
    const first = (revision: typeof before) => revision.model.minio.pools[0]?.layout;
    const parity = (revision: typeof before) =>
      name === ERASURE_VARIABLES.standard ? first(revision)?.parity : (erasureSettings(revision.topology.minio.env).settings.rrsParity ?? 1);
    const [from, to] = [parity(before), parity(after)];
    const which = name === ERASURE_VARIABLES.standard ? 'STANDARD (every object Milvus writes)' : 'REDUCED_REDUNDANCY (only objects written with that class; Milvus writes STANDARD)';
    const effect =
      from === undefined || to === undefined || from === to
        ? `the ${which} parity stays EC:${to ?? from}`
        : `new objects of the ${which} class are written with EC:${to} instead of EC:${from}${
            to < from ? `: each survives ${to} lost drives of its set instead of ${from}` : `: each takes more space, and survives ${to} lost drives of its set`
          }; objects already written keep the parity they were written with (each object's xl.meta records it)`;
    return care(id, what, `${effect}; every MinIO node restarts together with the new environment (S3 pauses)`, [
      `${code('mc admin info ALIAS')}: every drive online before the restart`,
      restart,
    ]);
  }
  return undefined;
}

const envValue = (revision: Revision, name: string): string | undefined => revision.topology.minio.env[name];

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
