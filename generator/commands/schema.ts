import { renderTopologySchema } from '../render/schemaJson.ts';
import { EXIT, type CommandIO } from './io.ts';

export async function schemaCommand(io: CommandIO): Promise<number> {
  io.out(renderTopologySchema().trimEnd());
  return EXIT.ok;
}
