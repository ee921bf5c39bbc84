import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asCodedError } from '../errors';
import { createLogger } from '../log';
import { buildDemoFleet } from './demo-fleet';
import { loadFleetFile } from './fleet';
import { startSimulator } from './start-simulator';

/**
 * Runs the ARM simulator on its own: `tsx src/simulator/main.ts [fleet.json] [--port 8443] [--ca file.pem]`.
 * Without a fleet file it serves the built-in demo fleet. Point a client at the printed URL and trust the CA file.
 */
export async function main(argv: string[]): Promise<void> {
  const args = [...argv];
  const flag = (name: string): string | undefined => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const [, value] = args.splice(i, 2);
    return value;
  };
  const port = Number(flag('--port') ?? 0);
  const caFile = flag('--ca') ?? path.join(tmpdir(), 'erbot-simulator-ca.pem');
  const fleetFile = args[0];
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info' });
  const fleet = fleetFile ? loadFleetFile(fleetFile) : buildDemoFleet();
  const sim = await startSimulator({ fleet, port, logger });
  writeFileSync(caFile, sim.caPem);
  process.stdout.write(
    `ARM simulator: ${sim.url}\nfleet: ${fleetFile ?? 'built-in demo fleet'}\nCA certificate: ${caFile}\n` +
      `e.g. NODE_EXTRA_CA_CERTS=${caFile} curl --cacert ${caFile} -H 'Authorization: Bearer x' '${sim.url}/subscriptions/<sub>/providers/Microsoft.Network/expressRouteCircuits?api-version=2024-05-01'\n`,
  );
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    const err = asCodedError(e);
    process.stderr.write(`${err.message}${err.hint ? `\n${err.hint}` : ''}\n`);
    process.exit(1);
  });
}
