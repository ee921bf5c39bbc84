import { ErrorCode } from '../../errors';
import {
  assessFromSignals,
  checkCircuitHealth,
  HEALTH_WINDOW_MS,
  sortWorstFirst,
  type CircuitHealthReport,
} from '../../network/health-check';
import { mapConcurrent } from '../../network/map-concurrent';
import type { Part } from '../../network/part';
import type { CircuitSignals, ReadOptions } from '../../network/types';
import type { AnswerContext } from './answer-context';
import type { OwnedCircuit } from './visible-circuits';

export interface OwnedReport extends CircuitHealthReport {
  owned: OwnedCircuit;
}

/**
 * Health of many circuits, worst first, from Azure's batched sources: Resource Graph gave the circuits,
 * Azure Monitor gives BGP, ARP, throughput and rate-limit drops (metrics:getBatch per subscription and
 * region), and prefix counts come from the last router reads. Nothing here waits for a router.
 */
export async function fleetHealth(
  context: Pick<AnswerContext, 'fleet' | 'prefixCounts'>,
  circuits: readonly OwnedCircuit[],
  options: Pick<ReadOptions, 'fresh' | 'background' | 'cycle'>,
): Promise<OwnedReport[]> {
  const byTenant = new Map<string, OwnedCircuit[]>();
  for (const owned of circuits) {
    const tenant = owned.scope.tenantId.toLowerCase();
    const list = byTenant.get(tenant);
    if (list) list.push(owned);
    else byTenant.set(tenant, [owned]);
  }
  const reports = (
    await mapConcurrent([...byTenant.entries()], 16, async ([tenantId, owned]) => {
      const read = await context.fleet.signals(
        tenantId,
        owned.map((o) => o.circuit),
        HEALTH_WINDOW_MS,
        options,
      );
      return owned.map((o): OwnedReport => {
        const id = o.circuit.id.toLowerCase();
        const found = read.value.byCircuit.get(id);
        const failure = read.value.failures.get(id);
        const signals: Part<CircuitSignals> = found
          ? { ok: true, value: found, fetchedAt: read.fetchedAt }
          : { ok: false, error: failure ?? { code: ErrorCode.NoData, message: 'Azure Monitor returned nothing for this circuit.' } };
        const report = assessFromSignals({
          circuit: o.circuit,
          signals,
          prefixCounts: context.prefixCounts.lookup(o.circuit.id),
          fetchedAt: Math.min(o.fetchedAt, read.fetchedAt),
          fromCache: o.fromCache || read.fromCache,
        });
        return { ...report, owned: o };
      });
    })
  ).flat();
  return sortWorstFirst(reports);
}

/**
 * One circuit checked live: the circuit re-read from ARM and every peering × link asked of the routers
 * (BGP summaries and ARP), plus the last hour's throughput. What it counts is kept for the fleet view.
 */
export async function liveHealth(context: AnswerContext, owned: OwnedCircuit, fresh: boolean): Promise<OwnedReport> {
  const circuit = await context.reader.getCircuit(owned.scope, owned.circuit.id, fresh ? { fresh: true } : {});
  const report = await checkCircuitHealth(context.reader, owned.scope, circuit, { fresh, clock: context.clock, arpReads: 'always' });
  context.prefixCounts.recordReport(report);
  return { ...report, owned: { ...owned, circuit: circuit.value, fetchedAt: circuit.fetchedAt, fromCache: circuit.fromCache } };
}
