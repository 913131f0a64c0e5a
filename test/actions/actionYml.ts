// What an action's action.yml declares, for the action tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface ActionYml {
  inputs: Record<string, { required?: boolean }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
}

export const actionDir = (name: string) => path.resolve(import.meta.dirname, '..', '..', '.github', 'actions', name);

export const actionYml = (name: string): ActionYml => parse(readFileSync(path.join(actionDir(name), 'action.yml'), 'utf8')) as ActionYml;

export const declaredInputs = (name: string): string[] => Object.keys(actionYml(name).inputs).sort();
