export type Aggregation = 'average' | 'minimum' | 'maximum' | 'total' | 'count';

export interface MetricDefinition {
  /** The name in the REST API (`metricnames`, `name.value`). */
  name: string;
  /** What the portal shows (`name.localizedValue`). */
  displayName: string;
  description: string;
  unit: string;
  dimensions: readonly string[];
  /** The finest time grain the metric is sampled at. */
  grainMs: number;
  defaultAggregation: Aggregation;
}

const MINUTE = 60_000;

export const CIRCUIT_NAMESPACE = 'Microsoft.Network/expressRouteCircuits';
export const CIRCUIT_TYPE = CIRCUIT_NAMESPACE.toLowerCase();

/**
 * Azure Monitor's "Supported metrics - Microsoft.Network/expressRouteCircuits" table: names, display names, units,
 * dimensions and time grains as documented. The docs give no dimension values; see circuit-series.ts for those.
 */
export const CIRCUIT_METRICS: readonly MetricDefinition[] = [
  {
    name: 'ArpAvailability',
    displayName: 'Arp Availability',
    description: 'ARP Availability from MSEE towards all peers.',
    unit: 'Percent',
    dimensions: ['PeeringType', 'Peer'],
    grainMs: MINUTE,
    defaultAggregation: 'average',
  },
  {
    name: 'BgpAvailability',
    displayName: 'Bgp Availability',
    description: 'BGP Availability from MSEE towards all peers.',
    unit: 'Percent',
    dimensions: ['PeeringType', 'Peer'],
    grainMs: MINUTE,
    defaultAggregation: 'average',
  },
  {
    name: 'BitsInPerSecond',
    displayName: 'BitsInPerSecond',
    description: 'Bits ingressing Azure per second',
    unit: 'BitsPerSecond',
    dimensions: ['PeeringType', 'DeviceRole'],
    grainMs: MINUTE,
    defaultAggregation: 'average',
  },
  {
    name: 'BitsOutPerSecond',
    displayName: 'BitsOutPerSecond',
    description: 'Bits egressing Azure per second',
    unit: 'BitsPerSecond',
    dimensions: ['PeeringType', 'DeviceRole'],
    grainMs: MINUTE,
    defaultAggregation: 'average',
  },
  {
    name: 'FastPathRoutesCountForCircuit',
    displayName: 'FastPathRoutesCount',
    description: 'Count of fastpath routes configured on circuit',
    unit: 'Count',
    dimensions: [],
    grainMs: 5 * MINUTE,
    defaultAggregation: 'maximum',
  },
  {
    name: 'GlobalReachBitsInPerSecond',
    displayName: 'GlobalReachBitsInPerSecond',
    description: 'Bits ingressing Azure per second',
    unit: 'BitsPerSecond',
    dimensions: ['PeeredCircuitSKey'],
    grainMs: MINUTE,
    defaultAggregation: 'average',
  },
  {
    name: 'GlobalReachBitsOutPerSecond',
    displayName: 'GlobalReachBitsOutPerSecond',
    description: 'Bits egressing Azure per second',
    unit: 'BitsPerSecond',
    dimensions: ['PeeredCircuitSKey'],
    grainMs: MINUTE,
    defaultAggregation: 'average',
  },
  {
    name: 'QosDropBitsInPerSecond',
    displayName: 'DroppedInBitsPerSecond',
    description: 'Ingress bits of data dropped per second',
    unit: 'BitsPerSecond',
    dimensions: [],
    grainMs: 5 * MINUTE,
    defaultAggregation: 'average',
  },
  {
    name: 'QosDropBitsOutPerSecond',
    displayName: 'DroppedOutBitsPerSecond',
    description: 'Egress bits of data dropped per second',
    unit: 'BitsPerSecond',
    dimensions: [],
    grainMs: 5 * MINUTE,
    defaultAggregation: 'average',
  },
];

export function circuitMetric(name: string): MetricDefinition | undefined {
  return CIRCUIT_METRICS.find((m) => m.name.toLowerCase() === name.toLowerCase());
}
