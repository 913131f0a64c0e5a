// The plan as markdown: a summary line per environment, then each environment's table. Read in a terminal, a
// pull request comment or a job summary alike.
import { code, table } from '../render/markdown.ts';
import { blocks, type Change } from './change.ts';
import { plural } from './runbook.ts';
import { describeStep, type Step } from './steps.ts';

export interface EnvironmentPlan {
  environment: string;
  /** Where this environment's acknowledgements go, e.g. environments/production.yaml. */
  file: string;
  changes: Change[];
  /** The steps of the changes, in the order they run (planSteps.ts): the same values deploy takes. */
  steps?: Step[];
  unusedAcknowledgements: string[];
}

export const NO_CHANGES = 'no changes';

export function renderPlan(title: string, plans: readonly EnvironmentPlan[]): string {
  const blocking = plans.flatMap((plan) => plan.changes.filter(blocks));
  const lines = [`## Plan: ${title}`, '', ...plans.map((plan) => `- **${plan.environment}**: ${summary(plan.changes)}`), ''];
  if (blocking.length > 0) {
    lines.push(`**Refused**: ${plural(blocking.length, 'destructive change is', 'destructive changes are')} not acknowledged.`, '');
  }
  for (const plan of plans.filter((entry) => entry.changes.length > 0 || entry.unusedAcknowledgements.length > 0)) {
    lines.push(`### ${plan.environment}`, '');
    if (plan.changes.length > 0) lines.push(changeTable(plan.changes), '');
    if ((plan.steps ?? []).length > 0) lines.push(...stepList(plan.steps!), '');
    const blocking = plan.changes.filter(blocks);
    if (blocking.length > 0) {
      // A deleted file cannot carry its own acknowledgement (see environmentRemoved): it goes in before the deletion.
      const where = blocking.every((change) => change.id.startsWith('environment-removed:'))
        ? `in ${plan.file} in a change before the one that deletes it`
        : `in ${plan.file}, in the same pull request`;
      lines.push(`To accept a destructive change after review, list its id under ${code('acknowledge:')} ${where}.`, '');
    }
    if (plan.unusedAcknowledgements.length > 0) {
      const ids = plan.unusedAcknowledgements.map(code).join(', ');
      lines.push(
        `${code('acknowledge:')} in ${plan.file} lists ${ids}, matching no change here: remove ${plan.unusedAcknowledgements.length === 1 ? 'it' : 'them'} once deployed, or the next change with the same id is accepted unreviewed.`,
        '',
      );
    }
  }
  return lines.join('\n').trimEnd() + '\n';
}

function summary(changes: readonly Change[]): string {
  if (changes.length === 0) return NO_CHANGES;
  const count = (test: (change: Change) => boolean) => changes.filter(test).length;
  const parts = [
    [count(blocks), 'destructive (not acknowledged)'],
    [count((change) => change.class === 'destructive' && change.acknowledged), 'destructive (acknowledged)'],
    [count((change) => change.class === 'care'), 'care'],
    [count((change) => change.class === 'safe'), 'safe'],
  ] as const;
  return `${plural(changes.length, 'change')}: ${parts.filter(([n]) => n > 0).map(([n, label]) => `${n} ${label}`).join(', ')}`;
}

/**
 * One list of every step, in the order they run, each with what must pass before the next: what a reviewer approves
 * here is what runs. A change's procedure column shows its own share of these.
 */
function stepList(steps: readonly Step[]): string[] {
  return [
    `Steps, in the order they run (each waits until its checks pass; the command does the same by hand):`,
    '',
    table(
      ['#', 'step', 'does', 'checks before the next'],
      steps.map((step, index) => [String(index + 1), code(step.id), describeStep(step), step.verifyAfter.map(code).join(', ') || '—']),
    ),
  ];
}

function changeTable(changes: readonly Change[]): string {
  return table(
    ['class', 'id', 'what', 'why', 'procedure'],
    changes.map((change) => [
      `${change.class === 'destructive' ? '**destructive**' : change.class}${change.acknowledged ? ' (acknowledged)' : ''}`,
      code(change.id),
      change.what,
      change.why,
      (change.procedure ?? []).map((step, index) => `${index + 1}. ${step}`).join('<br>') || '—',
    ]),
  );
}
