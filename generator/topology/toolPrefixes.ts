// The key prefixes milvus-swarm itself writes in Milvus's bucket. Written down once, at the bottom, because three
// layers need them: the topology rules keep Milvus's own data out of them, the model grants verify's user its probe
// prefix, and recovery points skip the reserved one.

/** Where verify writes, reads back and deletes its probe objects: the only objects verify's MinIO user may touch. */
export const VERIFY_PROBE_PREFIX = 'milvus-swarm/verify/';

/** The cut markers and a restore's staged snapshot: never counted, listed or restored as Milvus's data. */
export const RESERVED_PREFIX = '.milvus-swarm/';
