// The names this project gives swarm objects, decided in one place: the renderer and deploy build them here, and the
// swarm-names-fit rule checks, before anything is deployed, that swarm will accept them. These names are a contract
// (deploy finds and removes configs by them): changing a scheme renames every deployed object.

/** swarmkit's validateAnnotations: service and network names are DNS labels, "63 characters or fewer". */
export const MAX_SERVICE_NAME = 63;
/** swarmkit's validateConfigOrSecretAnnotations: "only 64 [a-zA-Z0-9-_.] characters allowed". */
export const MAX_CONFIG_NAME = 64;
/** The content hash in config names: the first 12 hex digits of a SHA-256. */
export const HASH_LENGTH = 12;

/** `milvus_etcd1`, `milvus_milvus-cluster-net`: what `docker stack deploy` names a stack's services and networks. */
export const stackScopedName = (stack: string, name: string): string => `${stack}_${name}`;

/**
 * `milvus_nginx_conf_<hash>`, `milvus_topology_<hash>`, and the monitoring files' `milvus_prom_conf_<hash>`,
 * `milvus_prom_rules_<hash>`, `milvus_am_conf_<hash>`: immutable configs, one name per content. No kind is longer
 * than nginx_conf, so the stack's name limit stays what it was.
 */
export type ConfigKind = 'nginx_conf' | 'topology' | 'prom_conf' | 'prom_rules' | 'am_conf';
export const hashedConfigName = (stack: string, kind: ConfigKind, hash: string): string => `${stack}_${kind}_${hash}`;

/** deploy's host-preparation jobs: `milvus-prepare-<run id>-<n>` (a run id is Date.now() in base 36, 8 characters). */
export const prepareJobName = (stack: string, runId: string, index: number): string => `${stack}-prepare-${runId}-${index}`;
export const RUN_ID_LENGTH = 8;

/** restore's host jobs on each etcd member's node: `milvus-fetch-<run id>-<n>`, `milvus-restore-<run id>-<n>` (as long as prepare's). */
export const restoreJobName = (stack: string, step: 'fetch' | 'restore', runId: string, index: number): string => `${stack}-${step}-${runId}-${index}`;

/** diff's job that reads the SHA-256 of the MinIO secrets' values on a manager: `milvus-digest-<run id>` (shorter than prepare's). */
export const digestJobName = (stack: string, runId: string): string => `${stack}-digest-${runId}`;
