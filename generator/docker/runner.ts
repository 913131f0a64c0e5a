// How deploy and verify run the docker CLI: a function, so the CLI uses cli.ts (child_process with a hard timeout),
// the GitHub actions pass one built on @actions/exec, and tests pass a scripted one. Everything that talks to docker
// takes a DockerRunner and asks through the helpers in calls.ts.
import { docker, type DockerOptions, type DockerResult } from './cli.ts';

export type { DockerOptions, DockerResult };
export type DockerRunner = (args: readonly string[], options?: Partial<DockerOptions>) => Promise<DockerResult>;

export const processDocker: DockerRunner = docker;
