// The `environment` input every action takes: a name as environments/*.yaml allows, or the action fails saying so.
import * as core from '@actions/core';
import { ENVIRONMENT_NAME_RULE, isEnvironmentName, quoted } from '../../../../generator/topology/names.ts';

/** The environment's name, or undefined after core.setFailed named the rule it breaks. */
export function environmentInput(): string | undefined {
  const environment = core.getInput('environment', { required: true });
  if (isEnvironmentName(environment)) return environment;
  core.setFailed(`environment ${quoted(environment)}: ${ENVIRONMENT_NAME_RULE}`);
  return undefined;
}
