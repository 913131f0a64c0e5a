/** Service names milvus-swarm renders on its own, whatever the topology says: no member, node or proxy may take them. */
export const NETWORK_ANCHOR = 'network-anchor';
