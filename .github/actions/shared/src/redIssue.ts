// One GitHub issue per environment and check while it stays red: a red run with no open issue opens one, a red run
// with one comments on it, a green run closes it. What to do is decided here from the run and the open issue (pure);
// githubIssues.ts makes the calls. The issue is found again by a marker line in its body, not by its title (which a
// person may edit) nor by a label (which may not exist in the repository).

export type Watch = 'verify' | 'drift';

export interface RunState {
  watch: Watch;
  environment: string;
  red: boolean;
  /** One line: verify's summary line, or diff's verdict. */
  headline: string;
  /** Markdown: the failing rows (verify) or the differing services (diff); empty when green. */
  details: string;
  /** The run's page, when the runner says where it is. */
  runUrl?: string;
}

export interface OpenIssue {
  number: number;
  body: string;
}

export type IssueUpdate =
  | { action: 'open'; title: string; body: string }
  | { action: 'comment'; number: number; body: string }
  | { action: 'close'; number: number; body: string }
  | { action: 'none' };

/** The hidden line that names the issue's environment and check. */
export const issueMarker = (watch: Watch, environment: string): string => `<!-- milvus-swarm:${watch}:${environment} -->`;

export function issueTitle(watch: Watch, environment: string): string {
  return watch === 'verify' ? `verify ${environment} is failing` : `${environment} has drifted from rendered/${environment}/`;
}

/** The open issue of this environment and check among the repository's open issues (the oldest, if several). */
export function findIssue(watch: Watch, environment: string, issues: readonly OpenIssue[]): OpenIssue | undefined {
  const marker = issueMarker(watch, environment);
  return [...issues].sort((a, b) => a.number - b.number).find((issue) => issue.body.split('\n').some((line) => line.trim() === marker));
}

export function planIssueUpdate(state: RunState, open: OpenIssue | undefined): IssueUpdate {
  const run = state.runUrl ? `[this run](${state.runUrl})` : 'this run';
  if (state.red && !open) {
    const next =
      state.watch === 'verify'
        ? `Each failing row says what to do. The scheduled run comments here while ${state.environment} stays red and closes this issue when it is green again.`
        : `\`npx milvus-swarm deploy --env ${state.environment}\` makes the swarm as rendered again (it names each hand edit it reverts); or change the topology to say what runs. The scheduled run comments here while it differs and closes this issue when it is in sync again.`;
    return { action: 'open', title: issueTitle(state.watch, state.environment), body: [issueMarker(state.watch, state.environment), `**${state.headline}** (${run})`, '', state.details.trim(), '', next, ''].join('\n') };
  }
  if (state.red && open) return { action: 'comment', number: open.number, body: [`Still red: **${state.headline}** (${run})`, '', state.details.trim(), ''].join('\n') };
  if (!state.red && open) return { action: 'close', number: open.number, body: `Green again: **${state.headline}** (${run}). Closing.\n` };
  return { action: 'none' };
}

/** What was done, for the log and the step's output: `opened #12`, `commented on #12`, `closed #12`, `none`. */
export function describeUpdate(update: IssueUpdate, number?: number): string {
  switch (update.action) {
    case 'open':
      return `opened #${number ?? '?'}`;
    case 'comment':
      return `commented on #${update.number}`;
    case 'close':
      return `closed #${update.number}`;
    case 'none':
      return 'none';
  }
}
