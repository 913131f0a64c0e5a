module milvus-swarm/lbclient

go 1.21
