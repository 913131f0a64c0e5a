// verify's row about the MinIO load balancer's addresses (cluster/proxyAddresses.ts reads them; only a question in
// dnsrr mode): fresh, or stale with the deploy that restarts the proxy.
import type { ProxyAddresses } from '../cluster/proxyAddresses.ts';
import { pass, warn, type Outcome } from './rows.ts';

export function judgeProxyAddresses(addresses: Exclude<ProxyAddresses, { kind: 'not-applicable' }>, stack: string): Outcome {
  if (addresses.kind === 'fresh') {
    return pass(`${addresses.proxy} started after the ${addresses.backends} running MinIO tasks: nginx has their current addresses (dnsrr)`);
  }
  return warn(
    `${addresses.stale.join(', ')} started after ${addresses.proxy} looked up the MinIO names (dnsrr): nginx sends ${addresses.stale.length === 1 ? 'it' : 'them'} nothing and stalls on the old address until its connect timeout — run deploy (it restarts the proxy) or \`docker service update --force ${stack}_${addresses.proxy}\``,
  );
}
