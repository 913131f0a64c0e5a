// A classified change: one line of a plan, and what an `acknowledge:` entry names.
import type { Step } from './steps.ts';

/**
 * safe: deploy it. care: deploy it by the printed procedure, in order. destructive: loses data or breaks a running
 * cluster when deployed as is; refused until its id is acknowledged in the topology file.
 */
export type ChangeClass = 'safe' | 'care' | 'destructive';

export const CHANGE_CLASSES: readonly ChangeClass[] = ['destructive', 'care', 'safe'];

export interface Change {
  /** `<kind>:<subject>`, e.g. `etcd-data-dir:etcd1`: stable across runs, so it can be acknowledged. */
  id: string;
  class: ChangeClass;
  /** What changes, in the operator's words, with the before and after values. */
  what: string;
  /** What it does to the running clusters, and why that makes it this class. */
  why: string;
  /** Ordered steps: always for care, and for destructive changes where a way to keep the data exists. */
  procedure?: string[];
  /** The executable steps that carry it out (planSteps.ts), in plan order: its procedure prints them. */
  steps?: Step[];
  /** Its id is listed under `acknowledge:` (a destructive change still shows, but no longer blocks). */
  acknowledged: boolean;
}

/**
 * Ids read `<kind>:<subject>`. The subject is what changes, named as an operator names it: a member, node, bucket
 * or host; a MinIO pool by its first and last node (`minio5..minio8`: never its position, which another pool's
 * removal shifts); the stack for stack-wide settings; the old value where the value
 * itself is the thing (a port, a token); the new tag for versions, so an acknowledged upgrade cannot approve the
 * next one.
 */
export const changeId = (kind: string, subject: string | number): string => `${kind}:${subject}`;

export const safe = (id: string, what: string, why: string): Change => ({ id, class: 'safe', what, why, acknowledged: false });

export const care = (id: string, what: string, why: string, procedure: string[]): Change => ({
  id,
  class: 'care',
  what,
  why,
  procedure,
  acknowledged: false,
});

export const destructive = (id: string, what: string, why: string, procedure?: string[]): Change => ({
  id,
  class: 'destructive',
  what,
  why,
  ...(procedure ? { procedure } : {}),
  acknowledged: false,
});

/** A destructive change nobody acknowledged: the reason `plan` exits 3 and deploy refuses. */
export const blocks = (change: Change): boolean => change.class === 'destructive' && !change.acknowledged;
