import { z } from 'zod';
import type { PortCircuit, PortCircuitsReader } from '../changes/change-kind';
import { CodedError, ErrorCode } from '../errors';
import type { Logger } from '../log';
import { armIdName } from '../network/arm-id';
import type { SubscriptionScope } from '../network/types';
import { kqlString, queryResourceGraph } from './arg-query';
import { toCodedError } from './arm-errors';
import type { ClientPool } from './client-pool';

export interface ArmPortCircuitsReaderOptions {
  pool: ClientPool;
  logger: Logger;
}

/** The circuits on an ExpressRoute Direct port pair, with their bandwidth and their peerings' VLANs. */
export function portCircuitsQuery(portId: string): string {
  return [
    'Resources',
    `| where type =~ 'microsoft.network/expressroutecircuits' and tostring(properties.expressRoutePort.id) =~ ${kqlString(portId)}`,
    '| project id, name, bandwidthInGbps = properties.bandwidthInGbps, peerings = properties.peerings',
    '| order by id asc',
  ].join('\n');
}

/**
 * A circuit row. The rules built on it guard every circuit on the pair (a duplicate C-Tag takes both down), so a
 * row that cannot be read fails the whole read rather than being skipped.
 */
const CircuitRow = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  // Every circuit on a port has one; without it the pair's capacity cannot be summed.
  bandwidthInGbps: z.number().nonnegative(),
  peerings: z
    .array(
      z.looseObject({
        name: z.string().nullish(),
        properties: z.looseObject({ peeringType: z.string().nullish(), vlanId: z.number().int().nullish() }).nullish(),
      }),
    )
    .nullish(),
});

function toPortCircuit(row: z.output<typeof CircuitRow>): PortCircuit {
  return {
    id: row.id,
    name: row.name,
    bandwidthInGbps: row.bandwidthInGbps,
    vlans: (row.peerings ?? []).flatMap((p) => {
      const vlanId = p.properties?.vlanId;
      return typeof vlanId === 'number' ? [{ peering: p.name ?? p.properties?.peeringType ?? '?', vlanId }] : [];
    }),
  };
}

/**
 * Every circuit on an ExpressRoute Direct port pair, from Azure Resource Graph across the customer's
 * subscriptions (circuits on a pair can sit in other subscriptions than the port). Never cached: the VLAN and
 * capacity rules need the pair as it is now.
 */
export class ArmPortCircuitsReader implements PortCircuitsReader {
  constructor(private readonly options: ArmPortCircuitsReaderOptions) {}

  async listPortCircuits(scope: SubscriptionScope, subscriptions: readonly string[], portId: string): Promise<PortCircuit[]> {
    try {
      const rows = await queryResourceGraph(
        this.options.pool,
        scope.tenantId,
        subscriptions.length > 0 ? subscriptions : [scope.subscriptionId],
        portCircuitsQuery(portId),
      );
      return rows.map((row) => {
        const parsed = CircuitRow.safeParse(row);
        if (!parsed.success) {
          throw new CodedError(
            ErrorCode.ArmUnavailable,
            `Resource Graph answered a circuit on port ${armIdName(portId)} that the bot cannot read.`,
            {
              hint: 'Try again in a few minutes; if it persists, tell the bot owners.',
            },
          );
        }
        return toPortCircuit(parsed.data);
      });
    } catch (e) {
      const coded = toCodedError(e, { resource: `the circuits on port ${armIdName(portId)}` });
      this.options.logger.warn({ code: coded.code, portId }, 'reading the circuits on an ExpressRoute Direct port failed');
      throw coded;
    }
  }
}
