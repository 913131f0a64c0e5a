// What a healthcheck needs from its image: swarm runs the probe inside the service's own container, so the probe's
// program must ship in that image. The image lines whose contents we know, written down once (DESIGN §5, checked):
//   - MinIO's release images dropped curl with RELEASE.2023-11-01T01-57-10Z (minio/minio#18329, #18371:
//     RELEASE.2023-10-25T06-33-25Z still has it); MinIO's own probe is `mc ready local`.
//   - etcd's own images from 3.5 on (quay.io/coreos/etcd, gcr.io/etcd-development/etcd) are distroless: etcd,
//     etcdctl and etcdutl, no shell, curl or wget.
// Any other image is unknown: the plan asks to check it, the rules refuse only what is known.
import { imageTag } from './rules/images.ts';

/** The first MinIO release image without curl. */
export const MINIO_WITHOUT_CURL = 'RELEASE.2023-11-01T01-57-10Z';

const RELEASE_TAG = /^RELEASE\.(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})Z/;
const ETCD_DISTROLESS_REPOSITORIES = ['quay.io/coreos/etcd', 'gcr.io/etcd-development/etcd'];
const ETCD_PROGRAMS = ['etcd', 'etcdctl', 'etcdutl'];

/** The repository without registry port confusion: `quay.io/minio/minio:RELEASE…` → `quay.io/minio/minio`. */
function repositoryOf(image: string): string {
  const withoutDigest = image.split('@')[0]!;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
}

/** The program a probe command starts, by its name: `/usr/bin/curl` → `curl`. */
export const probeProgram = (command: readonly string[] | undefined): string | undefined => command?.[0]?.split('/').pop();

/**
 * Why `image` is known not to ship `program`, or undefined when it ships it or we do not know. A MinIO release tag
 * (`RELEASE.<date>`, MinIO's own scheme) names the release whatever registry serves it.
 */
export function knownMissing(image: string, program: string): string | undefined {
  const repository = repositoryOf(image);
  const tag = image.includes('@') ? undefined : imageTag(image);
  const release = tag === undefined ? undefined : RELEASE_TAG.exec(tag);
  if (repository.split('/').pop() === 'minio' && release && program === 'curl' && release[0] >= RELEASE_TAG.exec(MINIO_WITHOUT_CURL)![0]) {
    return `MinIO images from ${MINIO_WITHOUT_CURL} on ship no curl (${tag} is one); MinIO's own probe is {probe: exec, command: [mc, ready, local]}`;
  }
  const etcdMinor = tag === undefined ? undefined : /^v3\.(\d+)\./.exec(tag);
  if (ETCD_DISTROLESS_REPOSITORIES.includes(repository) && etcdMinor && Number(etcdMinor[1]) >= 5 && !ETCD_PROGRAMS.includes(program)) {
    return `${repository} from v3.5 on is distroless: it ships ${ETCD_PROGRAMS.join(', ')} and nothing else (no shell, curl or wget)`;
  }
  return undefined;
}
