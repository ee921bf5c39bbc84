import { checkCircuitHealth, sortWorstFirst, type CircuitHealthReport } from '../../network/health-check';
import { mapConcurrent } from '../../network/map-concurrent';
import type { AnswerContext } from './answer-context';
import type { OwnedCircuit } from './visible-circuits';

export interface OwnedReport extends CircuitHealthReport {
  owned: OwnedCircuit;
}

/** Circuits checked at once; each check itself runs several reads, and the ARM scheduler paces them all. */
const CIRCUITS_IN_FLIGHT = 48;

/**
 * Health of many circuits, worst first. Per-circuit failures are inside each report, never thrown. With more
 * than one circuit it is a triage view: ARP is read only on links whose BGP session is down (an established
 * session proves ARP), which halves the slow router reads; one circuit gets every read.
 */
export async function fleetHealth(context: AnswerContext, circuits: readonly OwnedCircuit[], fresh: boolean): Promise<OwnedReport[]> {
  const arpReads = circuits.length > 1 ? 'when-bgp-down' : 'always';
  const reports = await mapConcurrent(circuits, CIRCUITS_IN_FLIGHT, async (owned) => {
    const report = await checkCircuitHealth(
      context.reader,
      owned.scope,
      { value: owned.circuit, fetchedAt: owned.fetchedAt, fromCache: owned.fromCache },
      { fresh, clock: context.clock, arpReads },
    );
    return { ...report, owned };
  });
  return sortWorstFirst(reports);
}
