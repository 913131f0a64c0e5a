// The monitoring section: Prometheus and Alertmanager run "on the managers" (the runbook keeps the data hosts for
// etcd and MinIO), each pinned to one named manager because its data dir lives there; and their two secrets are
// their own; and the alerts whose `for:` the topology changes are alerts the rules have.
import { ALERT_NAMES, isAlertName } from '../alertNames.ts';
import { didYouMean } from '../didYouMean.ts';
import { error, type Problem } from '../problems.ts';
import type { Topology } from '../schema.ts';
import type { Rule } from './rule.ts';

/** The monitoring services the topology runs, with where each is defined. */
export function monitoringServices(topology: Topology): { name: 'prometheus' | 'alertmanager'; what: string; host?: string; dataDir: string; port: number; image: string }[] {
  const monitoring = topology.monitoring;
  return [
    ...(monitoring?.prometheus ? [{ name: 'prometheus' as const, what: 'Prometheus', ...monitoring.prometheus }] : []),
    ...(monitoring?.alertmanager ? [{ name: 'alertmanager' as const, what: 'Alertmanager', ...monitoring.alertmanager }] : []),
  ];
}

export const monitoringOnManagers: Rule = {
  name: 'monitoring-on-managers',
  why: 'Prometheus and Alertmanager keep data on one manager: each must be pinned to a manager the topology names',
  check(topology) {
    const managers = topology.managers.flatMap((manager) => (manager.name ? [manager.name] : []));
    return monitoringServices(topology).flatMap((service): Problem[] => {
      const at = ['monitoring', service.name];
      if (service.host === undefined) {
        if (topology.swarm.allowColocation) return [];
        return [error(at, `${service.what} has no host: pin it to a manager with "host:" (its data dir stays on that machine), or set swarm.allowColocation on a one-node test swarm`)];
      }
      if (managers.includes(service.host)) return [];
      const known = managers.length > 0 ? `${didYouMean(service.host, managers)}; the managers are ${managers.join(', ')}` : ': name the managers under managers[].name';
      return [error([...at, 'host'], `${service.what} runs on a manager, and "${service.host}" is not one${known}`)];
    });
  },
};

export const monitoringSecretsDistinct: Rule = {
  name: 'monitoring-secrets-distinct',
  why: "MinIO's metrics token and Alertmanager's webhook URL each come from a swarm secret of their own, never one of MinIO's credentials",
  check(topology) {
    const monitoring = topology.monitoring;
    if (!monitoring) return [];
    const taken: [string, string][] = [
      [topology.minio.rootUserSecret, "MinIO's root user"],
      [topology.minio.rootPasswordSecret, "MinIO's root password"],
      [topology.minio.verifyUserSecret, "verify's user"],
      [topology.minio.verifyPasswordSecret, "verify's password"],
    ];
    const own: [string, string, string][] = [
      [monitoring.minioTokenSecret, 'minioTokenSecret', "the metrics token"],
      ...(monitoring.alertmanager ? [[monitoring.alertmanager.webhookUrlSecret, 'webhookUrlSecret', 'the webhook URL'] as [string, string, string]] : []),
    ];
    const problems: Problem[] = [];
    own.forEach(([name, field, what], index) => {
      const clash = [...taken, ...own.slice(0, index).map(([earlier, , earlierWhat]): [string, string] => [earlier, earlierWhat])].find(([other]) => other === name);
      if (!clash) return;
      const at = field === 'webhookUrlSecret' ? ['monitoring', 'alertmanager', field] : ['monitoring', field];
      problems.push(error(at, `${what} and ${clash[1]} are both the secret "${name}": give each its own secret`));
    });
    return problems;
  },
};

export const monitoringAlertsKnown: Rule = {
  name: 'monitoring-alerts-known',
  why: "monitoring.alerts changes the `for:` of rendered alerts: a name that is not one would change nothing, silently",
  check(topology) {
    return Object.keys(topology.monitoring?.alerts ?? {}).flatMap((name): Problem[] =>
      isAlertName(name) ? [] : [error(['monitoring', 'alerts', name], `"${name}" is not an alert of the rendered rules${didYouMean(name, ALERT_NAMES)}; monitoring/README.md lists them`)],
    );
  },
};
