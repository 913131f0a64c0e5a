// Every staging test file talks to the staging swarm's first manager, as an operator with staging.env would: the
// docker CLI (and every milvus-swarm process the tests start) gets its DOCKER_HOST.
import { leaderOf, stagingNodes, STAGING } from '../harness/staging.ts';
import { dockerHost } from '../harness/swarmNodes.ts';
import { loadModel } from '../harness/topology.ts';

process.env.DOCKER_HOST = dockerHost(STAGING, leaderOf(stagingNodes(await loadModel(STAGING))).name);
