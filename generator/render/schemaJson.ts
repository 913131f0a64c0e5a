// rendered/topology.schema.json: the zod schema as JSON Schema, for editors (yaml-language-server) and reviewers.
import { z } from 'zod';
import { topologySchema } from '../topology/schema.ts';

export function renderTopologySchema(): string {
  const schema = z.toJSONSchema(topologySchema, { target: 'draft-7', io: 'input', unrepresentable: 'throw' });
  return `${JSON.stringify(schema, null, 2)}\n`;
}
