// Co-tenancy (issue 14): the runbook's `milvus` stack also holds Milvus's own services, deployed from another compose
// file. deploy never passes --prune, and removes only what milvus-swarm rendered: services by their role label,
// configs by the hashed-name scheme.
import { describe, expect, it } from 'vitest';
import { orphans } from '../../generator/deploy/operations/orphanServices.ts';
import { unusedConfigs } from '../../generator/deploy/operations/unusedConfigs.ts';
import { stackDeployArgs } from '../../generator/deploy/operations/deployStackFile.ts';
import { isNginxConfigName } from '../../generator/render/configName.ts';

const model = { services: [{ name: 'etcd1' }, { name: 'minio-proxy' }] } as Parameters<typeof orphans>[2];

describe('co-tenancy', () => {
  it('never deploys with --prune', () => {
    expect(stackDeployArgs({ composeFile: '/r/stack.yaml', stack: 'milvus', resolveImage: 'always' })).not.toContain('--prune');
  });

  it('removes only labelled services the model no longer has, in this stack', () => {
    // The caller lists services by milvus-swarm's role label; milvus_milvus-proxy carries none and is never listed.
    expect(orphans('milvus', ['milvus_etcd1', 'milvus_minio-lb', 'milvus_minio-proxy', 'other_etcd9'], model)).toEqual(['milvus_minio-lb']);
    expect(orphans('milvus', ['milvus_etcd1', 'milvus_minio-proxy'], model)).toEqual([]);
  });

  it('prunes only unused configs named by the hashed scheme, never another team\'s', () => {
    const services = [
      { Spec: { TaskTemplate: { ContainerSpec: { Configs: [{ ConfigName: 'milvus_nginx_conf_aaaaaaaaaaaa' }] } } } },
      { Spec: { TaskTemplate: {} } },
    ];
    const configs = [
      'milvus_nginx_conf_aaaaaaaaaaaa',
      'milvus_nginx_conf_bbbbbbbbbbbb',
      'milvus_milvus_conf',
      'milvus_nginx_conf_custom',
      // The monitoring files' configs (a deploy interrupted before its job removed them), and the deployed-topology record.
      'milvus_prom_conf_cccccccccccc',
      'milvus_prom_rules_dddddddddddd',
      'milvus_am_conf_eeeeeeeeeeee',
      'milvus_topology_ffffffffffff',
      'other_prom_conf_cccccccccccc',
    ];
    expect(unusedConfigs('milvus', configs, services)).toEqual(['milvus_am_conf_eeeeeeeeeeee', 'milvus_nginx_conf_bbbbbbbbbbbb', 'milvus_prom_conf_cccccccccccc', 'milvus_prom_rules_dddddddddddd']);
  });

  it('recognises the scheme exactly', () => {
    expect(isNginxConfigName('milvus', 'milvus_nginx_conf_0123456789ab')).toBe(true);
    expect(isNginxConfigName('milvus', 'milvus_nginx_conf_0123456789abc')).toBe(false);
    expect(isNginxConfigName('milvus', 'other_nginx_conf_0123456789ab')).toBe(false);
  });
});
