// The rendered monitoring files as Prometheus itself reads them: `promtool check config` over prometheus.yml (with a
// throw-away token where it expects MinIO's), `promtool check rules` over alerts.yml and over every dashboard query,
// and `promtool test rules` with a firing and a quiet case for every alert (ruleCases.ts), for the committed
// environments and the fixtures that must render.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { alertRules } from '../../generator/render/alertRules.ts';
import { dashboardQueries } from '../../generator/render/dashboards.ts';
import { renderableTopologies, renderFile } from '../unit/renderedFiles.ts';
import { alertCases, budgetCases, promtoolTestFile, promtoolTestFiles } from './ruleCases.ts';
import { checkConfigWithToken, promtool, writeMonitoring } from './support.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'milvus-swarm-promtool-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(renderableTopologies())('%s', async (topologyFile) => {
  const rendered = await renderFile(topologyFile);
  const directory = writeMonitoring(rendered, path.join(scratch, rendered.environment));
  const prometheusYml = rendered.files.get('monitoring/prometheus.yml')!;

  it('renders a prometheus.yml that `promtool check config` accepts (its rules file too)', async () => {
    const result = await checkConfigWithToken(path.join(directory, 'prometheus.yml'), rendered.model.monitoring.minioTokenFile);
    expect(result.output).toContain('SUCCESS');
    expect(result.output).toContain('rules found');
    expect(result.status).toBe(0);
  });

  it('renders an alerts.yml that `promtool check rules` accepts', async () => {
    const result = await promtool(['check', 'rules', 'alerts.yml'], directory);
    expect(result.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(result.status).toBe(0);
  });

  it('writes dashboard queries Prometheus parses', async () => {
    const queries = dashboardQueries(rendered.model);
    const file = path.join(directory, 'dashboard-queries.yml');
    writeFileSync(file, stringify({ groups: [{ name: 'dashboards', rules: queries.map((expr, index) => ({ record: `dashboard:query_${index}`, expr })) }] }));
    const result = await promtool(['check', 'rules', file], directory);
    expect(result.output).toContain(`SUCCESS: ${queries.length} rules found`);
    expect(result.status).toBe(0);
  });

  it('passes `promtool test rules`: every alert fires in its fault and stays quiet without it, and the failure budget counts', async () => {
    const alerts = alertCases(rendered.model, prometheusYml);
    const files = [...promtoolTestFiles(rendered.model, 'alerts.yml', alerts, budgetCases(rendered.model, prometheusYml))].map(([step, text]) => {
      const file = path.join(directory, `alerts-${step}.test.yml`);
      writeFileSync(file, text);
      return file;
    });
    const result = await promtool(['test', 'rules', ...files], directory);
    expect(result.output).not.toContain('FAILED');
    expect(result.output.match(/SUCCESS/g)).toHaveLength(files.length);
    expect(result.status).toBe(0);
    // A case for each alert both ways: a rule without one fails here.
    for (const rule of alertRules(rendered.model)) {
      expect(alerts.filter((entry) => entry.alert === rule.alert && entry.expected.length > 0).length, `${rule.alert} fires somewhere`).toBeGreaterThan(0);
      expect(alerts.filter((entry) => entry.alert === rule.alert && entry.expected.length === 0).length, `${rule.alert} stays quiet somewhere`).toBeGreaterThan(0);
    }
  });
});

describe('promtool is a real check', async () => {
  const rendered = await renderFile('test/fixtures/topologies/production.yaml', 'production');
  const directory = writeMonitoring(rendered, path.join(scratch, 'broken'));

  it('refuses a rule whose query does not parse', async () => {
    writeFileSync(path.join(directory, 'broken.yml'), stringify({ groups: [{ name: 'g', rules: [{ alert: 'Broken', expr: 'up{job="etcd" == 0' }] }] }));
    const result = await promtool(['check', 'rules', 'broken.yml'], directory);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/unexpected|parse error/);
  });

  it('fails a test whose expected alert differs from what fires (a label off)', async () => {
    const prometheusYml = rendered.files.get('monitoring/prometheus.yml')!;
    const alerts = alertCases(rendered.model, prometheusYml).filter((entry) => entry.alert === 'EtcdMemberDown' && entry.expected.length > 0);
    const wrong = alerts.map((entry) => ({ ...entry, expected: entry.expected.map((alert) => ({ ...alert, labels: { ...alert.labels, host: 'another-host' } })) }));
    writeFileSync(path.join(directory, 'wrong.test.yml'), promtoolTestFile(rendered.model, 'alerts.yml', wrong, []));
    const result = await promtool(['test', 'rules', 'wrong.test.yml'], directory);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('another-host');
  });

  it('refuses a configuration whose token file is missing', async () => {
    const result = await promtool(['check', 'config', 'prometheus.yml'], directory);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(rendered.model.monitoring.minioTokenFile);
  });
});
