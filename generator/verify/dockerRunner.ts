// How verify and deploy run the docker CLI: a function, so the CLI uses generator/docker/cli.ts (child_process with a
// hard timeout) and the GitHub actions pass one built on @actions/exec, and tests pass a fake.
import { docker, type DockerOptions, type DockerResult } from '../docker/cli.ts';

export type { DockerResult };
export type DockerRunner = (args: readonly string[], options?: Partial<DockerOptions>) => Promise<DockerResult>;

export const processDocker: DockerRunner = docker;
