// Deploy's last MinIO step: verify's own user, as the model decides it (model/verifyPolicy.ts), made true with the
// root credentials through MinIO's admin API. Idempotent: each part is read first and changed only when it differs,
// and the result says what changed. Root is used here because nothing else can create users and policies.
//
//   1. the canned policy milvus-swarm-verify: created, or replaced when its document differs from the model's;
//   2. the user (MINIO_VERIFY_USER): created, or its secret key set and the user enabled when MinIO refuses the
//      verify credentials (another secret key) or the user is disabled;
//   3. the user holds that policy and no other (a policy attached by hand would widen verify's rights);
//   4. no other user holds that policy (the user a rotated MINIO_VERIFY_USER replaced loses it).
//
// Access keys are never in what it returns (they are the secrets' values): only what changed, in general words.
import type { ClusterModel } from '../../model/types.ts';
import { MinioAdmin, MinioAdminError, type PolicyDocument } from '../../minio/admin.ts';
import type { SigningCredentials } from '../../minio/sigv4.ts';
import { DeadlineError } from '../../cluster/deadline.ts';
import { formatHostPort, type HostPort } from '../../cluster/endpoints.ts';
import { regionOf } from '../../cluster/minioAccess.ts';

export type VerifyUserResult =
  | { ok: true; changes: string[] }
  /** `changes` holds what was done before the problem. */
  | { ok: false; problem: string; changes: string[] };

/** The admin client deploy uses: MinIO's S3 port through its load balancer, signed as root, in MinIO's region. */
export function minioAdminFor(model: ClusterModel, s3: HostPort, root: SigningCredentials): MinioAdmin {
  return new MinioAdmin({ endpoint: `http://${formatHostPort(s3)}`, credentials: root, region: regionOf(model) });
}

export async function ensureVerifyUser(admin: MinioAdmin, model: ClusterModel, verify: SigningCredentials): Promise<VerifyUserResult> {
  const changes: string[] = [];
  const { name: policy, document } = model.minio.verifyPolicy;
  if (verify.accessKey === admin.accessKey) {
    return { ok: false, changes, problem: `MINIO_VERIFY_USER is MinIO's root user: give verify a user of its own (the swarm secret ${model.minio.secrets.verifyUser})` };
  }
  try {
    const current = await admin.cannedPolicy(policy);
    if (!current || !samePolicy(current, document)) {
      await admin.addCannedPolicy(policy, document);
      changes.push(`${current ? 'updated' : 'created'} the policy ${policy}`);
    }

    const user = await admin.userInfo(verify.accessKey);
    if (!user) {
      await admin.setUser(verify.accessKey, verify.secretKey, 'enabled');
      changes.push("created verify's user");
    } else if (user.status !== 'enabled' || !(await admin.acceptsCredentials(verify))) {
      await admin.setUser(verify.accessKey, verify.secretKey, 'enabled');
      changes.push(user.status !== 'enabled' ? "set verify's user's secret key and enabled it" : "set verify's user's secret key (MinIO refused the one given)");
    }

    const held = user?.policies ?? [];
    if (!held.includes(policy)) {
      await admin.attachPolicies(verify.accessKey, [policy]);
      changes.push(`attached ${policy} to verify's user`);
    }
    const others = held.filter((name) => name !== policy);
    if (others.length > 0) {
      await admin.detachPolicies(verify.accessKey, others);
      changes.push(`detached ${others.join(', ')} from verify's user (only ${policy} is verify's)`);
    }

    const holders = (await admin.policyEntities([policy])).find((entry) => entry.policy === policy);
    const formerUsers = (holders?.users ?? []).filter((name) => name !== verify.accessKey);
    for (const former of formerUsers) await admin.detachPolicies(former, [policy]);
    if (formerUsers.length > 0) changes.push(`detached ${policy} from ${formerUsers.length} other user${formerUsers.length === 1 ? '' : 's'} (verify's user before MINIO_VERIFY_USER changed)`);
    if ((holders?.groups ?? []).length > 0) changes.push(`note: ${policy} is attached to group(s) ${holders!.groups.join(', ')} too; detach it by hand`);
    return { ok: true, changes };
  } catch (error) {
    return { ok: false, changes, problem: problemOf(error, model) };
  }
}

/** One line an operator can act on. */
function problemOf(error: unknown, model: ClusterModel): string {
  if (error instanceof MinioAdminError) {
    if (['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied'].includes(error.code)) {
      return `${error.message} — MINIO_ROOT_USER/PASSWORD must be the values of the swarm secrets ${model.minio.secrets.rootUser}/${model.minio.secrets.rootPassword}`;
    }
    if (error.code === 'XMinioAdminInvalidArgument' || error.code === 'XMinioInvalidIAMCredentials' || error.code === 'XMinioAdminInvalidAccessKey' || error.code === 'XMinioAdminInvalidSecretKey') {
      return `${error.message} — MINIO_VERIFY_USER must be 3 to 20 characters without "=" or ",", MINIO_VERIFY_PASSWORD 8 to 40 characters (the swarm secrets ${model.minio.secrets.verifyUser}/${model.minio.secrets.verifyPassword})`;
    }
    return error.message;
  }
  if (error instanceof DeadlineError) return `${error.message}: is MinIO up behind ${model.minio.proxy.name}? (verify says)`;
  return error instanceof Error ? error.message : String(error);
}

/** Policies compared by meaning: statements in any order, actions and resources as sets. */
export function samePolicy(a: PolicyDocument, b: PolicyDocument): boolean {
  return canonicalPolicy(a) === canonicalPolicy(b);
}

function canonicalPolicy(document: PolicyDocument): string {
  const sorted = (values: readonly string[] | undefined) => [...new Set(values ?? [])].sort();
  const statements = (document.Statement ?? []).map((statement) =>
    JSON.stringify([
      statement.Sid ?? '',
      statement.Effect,
      sorted(statement.Action),
      sorted(statement.Resource),
      Object.entries(statement.Condition ?? {})
        .map(([operator, keys]) => [operator, Object.entries(keys).map(([key, values]) => [key, sorted(values)]).sort()])
        .sort(),
    ]),
  );
  return JSON.stringify([document.Version, statements.sort()]);
}
