/**
 * What one ARM read costs the bot's process in CPU through the real SDK stack (TLS, pipeline, deserialisation),
 * with the simulator in another process: the floor under any fan-out on this machine.
 */
import { buildScaleFleet } from '../src/simulator';
import { createArmAccess } from '../src/azure/create-arm-access';
import { spawnSimulator } from './simulator-process';

export async function benchSdkFloor(results: Record<string, unknown>): Promise<void> {
  console.log('\n## ARM SDK cost per call in the bot process (simulator in its own process, 200 distinct circuits at once)');
  const floor: Record<string, number> = {};
  const { fleet, subscriptions } = buildScaleFleet({ circuits: 200, subscriptions: 20 });
  const sim = await spawnSimulator({ ...fleet, $simulator: { throttle: false } });
  const unlimited = { capacity: 1e9, refillPerSecond: 1e9 };
  const access = createArmAccess({
    endpoint: sim.url,
    caPem: sim.caPem,
    credentials: { kind: 'static', token: 'x' },
    cacheTtlMs: 0,
    lroPollIntervalMs: 1,
    limits: { reads: unlimited, writes: unlimited },
  });
  // Distinct targets: identical reads in flight are coalesced by the read cache, which would flatter the figure.
  const targets: { scope: { tenantId: string; subscriptionId: string }; id: string }[] = [];
  for (const subscriptionId of subscriptions) {
    const scope = { tenantId: '00000001-0000-4000-8000-000000000000', subscriptionId };
    for (const c of (await access.reader.listCircuits(scope, { fresh: true })).value) targets.push({ scope, id: c.id });
  }
  for (const [name, call] of [
    ['GET circuit', (t: (typeof targets)[number]) => access.reader.getCircuit(t.scope, t.id, { fresh: true })],
    [
      'BGP summary (POST + poll GET)',
      (t: (typeof targets)[number]) => access.reader.listBgpNeighbours(t.scope, t.id, 'AzurePrivatePeering', 'primary', { fresh: true }),
    ],
  ] as const) {
    for (const t of targets.slice(0, 50)) await call(t);
    const n = targets.length;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(targets.map((t) => call(t)));
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const perCall = (cpu.user + cpu.system) / 1000 / n;
    floor[name] = perCall;
    console.log(`${name}: ${n} concurrent calls in ${wall.toFixed(0)} ms; bot-side CPU ${perCall.toFixed(2)} ms per call`);
  }
  await access.close();
  await sim.stop();
  results.sdkCpuMsPerCall = floor;
}
