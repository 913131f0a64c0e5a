// The phases of a deploy, in the order they run (runner/runPhases.ts runs them); each in the file named as it is here. A phase of the plan's executed steps
// (issue 11) goes where it must run: member adds before the rolling restarts, pool removals after convergence.
import type { Phase } from '../runner/contract.ts';
import { buckets } from './buckets.ts';
import { converge } from './converge.ts';
import { failureBudgetAfter } from './failureBudgetAfter.ts';
import { failureBudgetBefore } from './failureBudgetBefore.ts';
import { minioNodesFirst } from './minioNodesFirst.ts';
import { monitoringFiles } from './monitoringFiles.ts';
import { monitoringReload } from './monitoringReload.ts';
import { minioServing } from './minioServing.ts';
import { orphanRemoval } from './orphanRemoval.ts';
import { planStepsAfter } from './planStepsAfter.ts';
import { planStepsBefore } from './planStepsBefore.ts';
import { proxyRefresh } from './proxyRefresh.ts';
import { prune } from './prune.ts';
import { record } from './record.ts';
import { preflight } from './preflight.ts';
import { recoveryPointFirst } from './recoveryPointFirst.ts';
import { recoveryWindow } from './recoveryWindow.ts';
import { handEditedImages } from './handEditedImages.ts';
import { hostPreparation } from './hostPreparation.ts';
import { nodeLabels } from './nodeLabels.ts';
import { rollingMembers } from './rollingMembers.ts';
import { stackDeploy } from './stackDeploy.ts';
import { verifyUser } from './verifyUser.ts';

export const DEPLOY_PHASES: readonly Phase[] = [
  preflight,
  // What the cluster survives before the change (read only): the report shows it beside the figure after.
  failureBudgetBefore,
  // Before anything changes: a care or destructive plan is undoable only from a point made now.
  recoveryPointFirst,
  nodeLabels,
  hostPreparation,
  // Prometheus's and Alertmanager's files into their data dirs, before a new task could start on them.
  monitoringFiles,
  // The plan's membership steps and pool drains, before any member or node restarts on the new stack file.
  planStepsBefore,
  orphanRemoval,
  // An image set by hand would survive the stack deploy (phases/handEditedImages.ts says why).
  handEditedImages,
  minioNodesFirst,
  rollingMembers,
  stackDeploy,
  converge,
  proxyRefresh,
  minioServing,
  // What this deploy changed of their files, reloaded without a restart.
  monitoringReload,
  // What the new stack file no longer runs (a decommissioned pool's nodes), once the rest serves without it.
  planStepsAfter,
  buckets,
  verifyUser,
  failureBudgetAfter,
  recoveryWindow,
  prune,
  record,
];
