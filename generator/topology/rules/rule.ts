import type { Problem } from '../problems.ts';
import type { Topology } from '../schema.ts';

/** One semantic check over a topology that already passed the schema. */
export interface Rule {
  /** Short kebab-case name, used in tests and docs. */
  name: string;
  /** What the rule protects, in an operator's words. */
  why: string;
  check(topology: Topology): Problem[];
}
