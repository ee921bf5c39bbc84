import assert from 'node:assert/strict';
import { MAX_SILENCE_MS } from '../../src/alerts/silence-duration';
import {
  MetricAlertContext,
  ResourceHealthContext,
  ServiceHealthContext,
  parseAlertContext,
  parseCommonAlert,
  type CommonAlert,
} from '../../src/azure-monitor/common-alert-schema';
import {
  circuitTargets,
  inRegions,
  metricPlan,
  resourceHealthPlan,
  serviceHealthPlan,
  serviceHealthScope,
  subscriptionTargets,
  type AlertPlan,
  type ServiceHealthScope,
} from '../../src/azure-monitor/expressroute-alerts';
import { expressRoute, shape, variant, type Json } from './support/payloads';

/** The pure part of Azure Monitor in: what an alert asks of the intake, for the cases the HTTP suites do not reach. */
describe('azure monitor: alert plans', () => {
  const HOUR = 3_600_000;
  const CIRCUIT =
    '/subscriptions/1a1a1a1a-0000-4000-8000-00000000c001/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/er1';

  function alert(payload: Json): CommonAlert {
    const parsed = parseCommonAlert(payload);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.problem);
    return parsed.value;
  }
  function context<T>(payload: Json, schema: Parameters<typeof parseAlertContext<T>>[1]): T {
    const parsed = parseAlertContext(payload, schema);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.problem);
    return parsed.value;
  }
  const acts = (plan: AlertPlan) => (plan.kind === 'act' ? plan : assert.fail(`ignored: ${plan.reason}`));
  const subjects = (plan: AlertPlan) => acts(plan).signals.map((s) => [s.condition, s.peering, s.link, s.status]);

  describe('targets', () => {
    it('reads circuit ids as Azure writes them (lower case) into canonical ids with the subscription in lower case', () => {
      const a = alert(
        variant(shape(expressRoute('metric-bgp-fired')), (p) => {
          p.data.essentials.alertTargetIDs = [
            '/subscriptions/1A1A1A1A-0000-4000-8000-00000000C001/resourcegroups/rg/providers/microsoft.network/expressroutecircuits/er1',
            '/SUBSCRIPTIONS/1a1a1a1a-0000-4000-8000-00000000c001/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/ER1',
            '/subscriptions/1a1a1a1a-0000-4000-8000-00000000c001/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/er1/peerings/AzurePrivatePeering',
            '/subscriptions/1a1a1a1a-0000-4000-8000-00000000c001/resourceGroups/rg/providers/Microsoft.Network/expressRoutePorts/port1',
          ];
        }),
      );
      assert.deepEqual(circuitTargets(a), [
        '/subscriptions/1a1a1a1a-0000-4000-8000-00000000c001/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/er1',
      ]);
    });

    it('reads whole subscriptions, as Service Health names them', () => {
      const a = alert(expressRoute('service-health-incident'));
      assert.deepEqual(subscriptionTargets(a), ['1a1a1a1a-0000-4000-8000-00000000c001']);
      assert.deepEqual(circuitTargets(a), []);
    });
  });

  describe('metric alerts', () => {
    const bgp = (dimensions: Json[], metricValue: number, monitorCondition = 'Fired') =>
      variant(shape(expressRoute('metric-bgp-fired')), (p) => {
        p.data.essentials.monitorCondition = monitorCondition;
        Object.assign(p.data.alertContext.condition.allOf[0]!, { dimensions, metricValue });
      });
    const plan = (payload: Json) => metricPlan(alert(payload), context(payload, MetricAlertContext), [CIRCUIT]);
    const private_ = { name: 'PeeringType', value: 'PrivatePeering' };

    it('needs the Peer dimension to name a link; without it, 0 is an outage and more is a link of the peering', () => {
      assert.deepEqual(subjects(plan(bgp([private_, { name: 'Peer', value: 'Secondary-IPv6' }], 0))), [
        ['bgp-link-down', 'AzurePrivatePeering', 'secondary', 'firing'],
      ]);
      assert.deepEqual(subjects(plan(bgp([private_], 0))), [['bgp-outage', 'AzurePrivatePeering', undefined, 'firing']]);
      assert.deepEqual(subjects(plan(bgp([private_], 50))), [['bgp-link-down', 'AzurePrivatePeering', undefined, 'firing']]);
      assert.deepEqual(subjects(plan(bgp([], 0))), [['bgp-outage', undefined, undefined, 'firing']]);
    });

    it('resolves whichever of the two it may have raised when the alert without Peer resolves', () => {
      assert.deepEqual(subjects(plan(bgp([private_], 100, 'Resolved'))), [
        ['bgp-outage', 'AzurePrivatePeering', undefined, 'resolved'],
        ['bgp-link-down', 'AzurePrivatePeering', undefined, 'resolved'],
      ]);
    });

    it('makes one signal of criteria that land on one alert, with the evidence of each', () => {
      const payload = variant(shape(expressRoute('metric-bgp-fired')), (p) => {
        const first = p.data.alertContext.condition.allOf[0]!;
        p.data.alertContext.condition.allOf = [
          { ...first, metricName: 'BitsInPerSecond', dimensions: [], metricValue: 9.6e8, threshold: '8e8', operator: 'GreaterThan' },
          { ...first, metricName: 'BitsOutPerSecond', dimensions: [], metricValue: 9.1e8, threshold: 8e8, operator: 'GreaterThan' },
        ];
      });
      const [signal, ...more] = acts(plan(payload)).signals;
      assert.equal(more.length, 0);
      assert.equal(signal?.condition, 'utilisation-high');
      assert.deepEqual(
        signal?.evidence.map((e) => e.replace(/^.*?: /, '')),
        [
          'BitsInPerSecond 960 Mbps (GreaterThan 800 Mbps, Average over PT5M)',
          'BitsOutPerSecond 910 Mbps (GreaterThan 800 Mbps, Average over PT5M)',
        ],
      );
    });
  });

  describe('Resource Health', () => {
    const health = (currentHealthStatus: string) =>
      variant(
        shape(expressRoute('resource-health-unavailable')),
        (p) => (p.data.alertContext.properties.currentHealthStatus = currentHealthStatus),
      );
    const plan = (payload: Json) => resourceHealthPlan(alert(payload), context(payload, ResourceHealthContext), [CIRCUIT]);

    it('raises on Unavailable and Degraded, resolves on Available, and ignores Unknown', () => {
      assert.deepEqual(subjects(plan(health('Degraded'))), [['azure-health', undefined, undefined, 'firing']]);
      assert.deepEqual(subjects(plan(health('Available'))), [['azure-health', undefined, undefined, 'resolved']]);
      assert.deepEqual(plan(health('Unknown')), {
        kind: 'ignored',
        reason: 'Resource Health reports Unknown: nothing to raise or resolve',
      });
    });
  });

  describe('Service Health', () => {
    const NOW = Date.parse('2026-03-01T10:00:00Z');
    const maintenance = (properties: Json) =>
      variant(shape(expressRoute('service-health-maintenance')), (p) => Object.assign(p.data.alertContext.properties, properties));
    const scopeOf = (payload: Json): ServiceHealthScope => {
      const scope = serviceHealthScope(context(payload, ServiceHealthContext));
      return 'ignored' in scope ? assert.fail(scope.ignored) : scope;
    };
    const plan = (payload: Json) =>
      serviceHealthPlan(alert(payload), context(payload, ServiceHealthContext), scopeOf(payload), [CIRCUIT], NOW);

    it('reads impacted services as JSON text or as a list, and "Global" as every region', () => {
      const asText = maintenance({});
      assert.ok(inRegions(scopeOf(asText), 'westeurope'));
      assert.ok(!inRegions(scopeOf(asText), 'uksouth'));
      const global = maintenance({ impactedServices: [{ ServiceName: 'ExpressRoute', ImpactedRegions: [{ RegionName: 'Global' }] }] });
      assert.ok(inRegions(scopeOf(global), 'uksouth'));
      const broken = maintenance({ impactedServices: '[{"ServiceName": ' });
      const parsed = parseAlertContext(broken, ServiceHealthContext);
      assert.ok(
        !parsed.ok &&
          /'data\.alertContext\.properties\.impactedServices' is neither a list nor a list written as JSON text/.test(parsed.problem),
      );
    });

    it('silences for the window, at most 30 days, and only with an end', () => {
      const start = NOW + HOUR;
      const window = (end?: number) =>
        acts(
          plan(
            maintenance({
              impactStartTime: new Date(start).toISOString(),
              impactMitigationTime: end === undefined ? null : new Date(end).toISOString(),
            }),
          ),
        ).silences.map((s) => [s.from, s.to]);
      assert.deepEqual(window(start + 2 * HOUR), [[start, start + 2 * HOUR]]);
      assert.deepEqual(window(start + 90 * 24 * HOUR), [[start, start + MAX_SILENCE_MS]]);
      assert.deepEqual(window(undefined), []);
    });

    it('resolves what it showed once the maintenance is complete or canceled, and ends its silences by tracking id', () => {
      for (const stage of ['Complete', 'Completed', 'Canceled', 'Cancelled', 'Resolved']) {
        assert.deepEqual(acts(plan(maintenance({ stage, trackingId: 'VL2K-3Z8' }))), {
          kind: 'act',
          signals: [
            {
              circuitId: CIRCUIT,
              condition: 'azure-health',
              peering: undefined,
              link: undefined,
              status: 'resolved',
              evidence: [],
              source: 'azure-monitor',
            },
          ],
          silences: [],
          ends: [{ circuitId: CIRCUIT, trackingId: 'VL2K-3Z8' }],
        });
      }
    });

    it('keys the silences by the event’s tracking id; an update without an end ends the window it replaces', () => {
      const start = NOW + HOUR;
      const times = { impactStartTime: new Date(start).toISOString(), trackingId: 'VL2K-3Z8' };
      const windowed = acts(plan(maintenance({ ...times, impactMitigationTime: new Date(start + HOUR).toISOString() })));
      assert.deepEqual(
        windowed.silences.map((s) => s.trackingId),
        ['VL2K-3Z8'],
      );
      assert.equal(windowed.ends, undefined);
      const open = acts(plan(maintenance({ ...times, impactMitigationTime: null })));
      assert.deepEqual(open.silences, []);
      assert.deepEqual(open.ends, [{ circuitId: CIRCUIT, trackingId: 'VL2K-3Z8' }]);
      assert.deepEqual(acts(plan(maintenance({ stage: 'Complete', trackingId: '' }))).ends, [], 'no tracking id: nothing to match');
    });

    it('ignores informational notices', () => {
      assert.match(
        JSON.stringify(plan(maintenance({ incidentType: 'Informational' }))),
        /a Service Health Informational notice is not an incident nor maintenance/,
      );
    });
  });
});
