import type { FleetRecord } from './circuit-fixture';

/**
 * Forced tunnelling over ExpressRoute: on-premises advertises a default route (0.0.0.0/0) over the circuit's
 * private peering, so the Microsoft edge routers learn it on every link whose BGP session is up (and the VNets'
 * gateways with them).
 */
export function advertiseDefaultRoute(fleet: FleetRecord, circuitId: string): void {
  const peering = `${circuitId}/peerings/AzurePrivatePeering`;
  for (const path of ['primary', 'secondary']) {
    const table = fleet[`${peering}/routeTables/${path}`] as { value?: Array<Record<string, unknown>> } | undefined;
    const summary = fleet[`${peering}/routeTablesSummary/${path}`] as { value?: Array<Record<string, unknown>> } | undefined;
    const row = summary?.value?.[0];
    const learned = Number(row?.statePfxRcd);
    // A session that is down (Idle, Active) learns nothing.
    if (!table?.value || !row || !Number.isFinite(learned)) continue;
    const nextHop = table.value[0]?.nextHop ?? row.neighbor;
    table.value = [{ network: '0.0.0.0/0', nextHop, locPrf: '', weight: 0, path: String(row.as) }, ...table.value];
    row.statePfxRcd = String(learned + 1);
  }
}
