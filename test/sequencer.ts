// The order vitest runs test files in: its own (slowest first, from the results cache), except the staging project,
// whose files share one swarm and run in the order below. Vitest takes a sequencer for the whole run only.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The staging swarm's files. The quick read-only checks of the fresh stack come first; the drills come last,
 * because they run Prometheus and Alertmanager, which npm test builds in a lane beside staging (test/run.ts): on a
 * machine that has never built them, that leaves them twenty minutes instead of two. A file not listed runs before
 * the drills.
 */
export const STAGING_ORDER = ['placement', 'runbook', 'takeover', 'membership', 'cotenancy', 'pools', 'rolls', 'drills'];

const rank = (spec: TestSpecification) => {
  const name = /([^/]+)\.test\.ts$/.exec(spec.moduleId)?.[1] ?? '';
  const index = STAGING_ORDER.indexOf(name);
  return index === -1 ? STAGING_ORDER.length - 1.5 : index;
};

export default class Sequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const staging = sorted.filter((spec) => spec.project.name === 'staging').sort((a, b) => rank(a) - rank(b));
    // The staging files take the places staging files had, in the order above; every other file keeps its place.
    return sorted.map((spec) => (spec.project.name === 'staging' ? staging.shift()! : spec));
  }
}
