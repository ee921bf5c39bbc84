import assert from 'node:assert/strict';
import {
  arpCard,
  auditCard,
  bandwidthCard,
  bgpCard,
  cardBytes,
  circuitCard,
  circuitsCard,
  circuitStatusCard,
  customersCard,
  errorCard,
  filtersCard,
  fleetStatusCard,
  freshness,
  helpCard,
  peeringsCard,
  progressCard,
  ROUTES_PAGE_SIZE,
  routesCard,
  udrCard,
} from '../../src/cards';
import type { DataHeader, StatusRow } from '../../src/cards';
import type { AuditEntry } from '../../src/changes/change-request';
import { CodedError, ErrorCode } from '../../src/errors';
import { CATALOG } from '../../src/intents/catalog';
import type { Intent } from '../../src/intents/intent';
import { INTENT_VERB } from '../../src/intents/intent';
import type { HealthLevel } from '../../src/network/health';
import { assessHealth } from '../../src/network/health';
import type { CircuitHealthReport } from '../../src/network/health-check';
import { pageOf } from '../../src/network/paging';
import { routeMatcher } from '../../src/network/prefix-match';
import type { RouteFilter, RouteRow, UdrTable } from '../../src/network/types';
import { circuit, circuitId, neighbour, peering } from '../network/circuit-fixture';
import { assertValidCard, cardProblems } from './card-check';

const NOW = 1_700_000_000_000;
const LONG = 'Ünïcødé Tråders — 東京 ネットワーク 🚀 '.repeat(6);

function header(refresh: Intent, extra: Partial<DataHeader> = {}): DataHeader {
  return {
    customers: [{ name: 'Contoso Ltd', tenantId: '11111111-1111-4111-8111-111111111111' }],
    fetchedAt: NOW,
    fromCache: false,
    now: NOW,
    refresh,
    ...extra,
  };
}

/** Every Action.Execute in the card, wherever it sits. */
function executes(card: unknown): { title?: string; verb?: string; data?: { intent?: Intent } }[] {
  const found: { title?: string; verb?: string; data?: { intent?: Intent } }[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'Action.Execute') found.push(o);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}

const json = (card: unknown) => JSON.stringify(card);

function routes(n: number): RouteRow[] {
  return Array.from({ length: n }, (_, i) => ({
    network: `10.${(i >> 8) & 255}.${i & 255}.0/24`,
    nextHop: '192.168.10.1',
    locPrf: '100',
    weight: 0,
    path: `65010 65020 ${64512 + (i % 1000)} 65100 65200 65300 65400 65500 i`,
  }));
}

describe('cards', () => {
  describe('the checker', () => {
    it('should catch a card that breaks the rules', () => {
      const problems = cardProblems({
        type: 'AdaptiveCard',
        version: '1.6',
        body: [{ type: 'NoSuchElement' }],
        actions: [
          { type: 'Action.Execute', title: 'x' },
          { type: 'Action.Execute', verb: INTENT_VERB, data: { intent: { kind: 'nope' } } },
        ],
      });
      assert.ok(problems.some((p) => /\$schema/.test(p)));
      assert.ok(problems.some((p) => /version 1\.6/.test(p)));
      assert.ok(problems.some((p) => /NoSuchElement/.test(p)));
      assert.ok(problems.some((p) => /without a verb/.test(p)));
      assert.ok(problems.some((p) => /not a valid Intent/.test(p)));
    });
    it('should catch a card over 28 KB', () => {
      const big = { type: 'AdaptiveCard', $schema: 'x', version: '1.5', body: [{ type: 'TextBlock', text: 'x'.repeat(30_000) }] };
      assert.ok(cardProblems(big).some((p) => /over 28672/.test(p)));
    });
  });

  describe('header', () => {
    it('should say live for a fresh read and the age for a cached one', () => {
      assert.equal(freshness(NOW, false, NOW + 800), 'live');
      assert.equal(freshness(NOW - 12_000, true, NOW), '12 s old (cached)');
      assert.equal(freshness(NOW - 180_000, true, NOW), '3 min old (cached)');
    });
    it('should show customer, tenant, freshness and a Refresh button that asks for fresh data', () => {
      const card = circuitsCard({
        header: header({ kind: 'circuits', customer: 'contoso' }, { fetchedAt: NOW - 12_000, fromCache: true }),
        rows: [],
      });
      assertValidCard(card);
      assert.match(json(card), /Contoso Ltd · tenant 11111111-1111-4111-8111-111111111111/);
      assert.match(json(card), /12 s old \(cached\)/);
      const refresh = executes(card).find((a) => a.title === 'Refresh');
      assert.deepEqual(refresh?.data?.intent, { kind: 'circuits', customer: 'contoso', fresh: true });
      assert.equal(refresh?.verb, INTENT_VERB);
    });
  });

  it('help: should list every catalog entry with examples', () => {
    const card = helpCard({ entries: CATALOG, intro: 'You can see 3 customers.' });
    assertValidCard(card);
    for (const c of CATALOG) assert.ok(json(card).includes(c.usage.replace(/</g, '‹').replace(/>/g, '›')), c.usage);
    assertValidCard(helpCard({ entries: [] }));
  });

  it('customers: should make each name a button for its circuits', () => {
    const card = customersCard({
      customers: [
        { id: 'contoso', name: 'Contoso Ltd', tenantId: 't1', model: 'connect-through', subscriptions: ['s1', 's2'] },
        { id: 'uni', name: LONG, tenantId: 't2', model: 'connect-to', subscriptions: [] },
      ],
    });
    assertValidCard(card);
    assert.ok(executes(card).some((a) => a.data?.intent?.kind === 'circuits' && a.data.intent.customer === 'contoso'));
    assertValidCard(customersCard({ customers: [] }));
  });

  it('circuits: should show provider and location, Direct, bandwidth, SKU, state and health, and stay under 28 KB for 200', () => {
    const direct = circuit({
      name: 'er-direct',
      bandwidthMbps: 40_000,
      direct: { portId: 'p', bandwidthInGbps: 40, portBandwidthInGbps: 100 },
    });
    delete (direct as { provider?: unknown }).provider;
    const rows = [
      { customerName: 'Contoso Ltd', circuit: circuit(), health: 'green' as HealthLevel },
      { customerName: 'Contoso Ltd', circuit: direct, health: 'red' as HealthLevel },
      { customerName: LONG, circuit: circuit({ name: `er-${LONG}`, serviceProviderProvisioningState: 'NotProvisioned' }) },
    ];
    const card = circuitsCard({ header: header({ kind: 'circuits' }), rows });
    assertValidCard(card);
    const text = json(card);
    assert.match(text, /Equinix · Silicon Valley/);
    assert.match(text, /ExpressRoute Direct \(100 Gbps port\)/);
    assert.match(text, /40 Gbps/);
    assert.match(text, /Standard · Metered/);
    assert.ok(executes(card).some((a) => a.data?.intent?.kind === 'circuit' && a.data.intent.circuit === circuitId('er-direct')));

    const many = Array.from({ length: 200 }, (_, i) => ({
      customerName: `Customer ${i % 7}`,
      circuit: circuit({ name: `er-${String(i).padStart(3, '0')}-${'x'.repeat(20)}` }),
      health: 'green' as const,
    }));
    const big = circuitsCard({ header: header({ kind: 'circuits' }), rows: many });
    assertValidCard(big);
    assert.match(json(big), /more not shown/);
  });

  describe('status', () => {
    const levels: HealthLevel[] = ['green', 'red', 'amber', 'unknown'];
    function fleet(n: number): StatusRow[] {
      return Array.from({ length: n }, (_, i) => {
        const level = i % 10 === 0 ? levels[(i / 10) % 4]! : 'green';
        const reasons =
          level === 'green'
            ? [{ level, text: 'Provisioned, and every check passed.' }]
            : [
                { level, text: `High availability lost on private peering: the secondary BGP session is down (192.168.10.5 Idle) ${i}.` },
                {
                  level,
                  text: 'ARP on the secondary link of private peering fails. The ARP table is empty: Azure puts that on the Microsoft side.',
                },
                { level: 'unknown' as HealthLevel, text: 'Utilisation is unknown: Azure is throttling reads.' },
              ];
        return {
          customerName: i % 2 ? 'Contoso Ltd' : LONG,
          circuitId: circuitId(`er-${String(i).padStart(3, '0')}`),
          circuitName: `er-${String(i).padStart(3, '0')}-${'n'.repeat(30)}`,
          verdict: { level, reasons },
        };
      });
    }

    it('should list the fleet worst first with coloured rows that open the circuit', () => {
      const card = fleetStatusCard({ header: header({ kind: 'status' }), rows: fleet(40) });
      assertValidCard(card);
      const containers = card.body.filter((e) => e.type === 'Container');
      const colours = containers.map((c) => (c.items as { color?: string }[])[0]?.color);
      assert.deepEqual(colours, ['Attention', 'Warning', 'Default']);
      const clicks = executes(card).filter((a) => a.data?.intent?.kind === 'status' && a.data.intent.target);
      assert.equal(clicks[0]?.data?.intent?.kind === 'status' && clicks[0].data.intent.target, circuitId('er-010'));
      assert.match(json(card), /🔴 1 red · 🟠 1 amber · ⚪ 1 unknown · 🟢 37 green/);
    });

    it('should fit 200 circuits under 28 KB, keeping every problem and summarising greens', () => {
      const rows = fleet(200);
      const card = fleetStatusCard({ header: header({ kind: 'status' }), rows });
      assertValidCard(card);
      const problems = rows.filter((r) => r.verdict.level !== 'green').length;
      assert.equal(card.body.filter((e) => e.type === 'Container').length, problems);
      assert.ok(cardBytes(card) < 28 * 1024);
    });

    it('should say when nothing needs attention', () => {
      const card = fleetStatusCard({ header: header({ kind: 'status' }), rows: fleet(5).filter((r) => r.verdict.level === 'green') });
      assertValidCard(card);
      assert.match(json(card), /Nothing needs attention/);
      assertValidCard(fleetStatusCard({ header: header({ kind: 'status' }), rows: [] }));
    });

    it("should show one circuit's full verdict and every peering × link", () => {
      const c = circuit({ provisioningState: 'Updating' });
      const report: CircuitHealthReport = {
        circuit: c,
        verdict: assessHealth({ circuit: c }),
        peerings: [
          {
            peering: 'AzurePrivatePeering',
            kind: 'private',
            path: 'primary',
            bgp: { state: 'up', prefixes: 3500, limit: 4000 },
            arp: { ok: true, count: 2, resolved: 1 },
          },
          {
            peering: 'AzurePrivatePeering',
            kind: 'private',
            path: 'secondary',
            bgp: { state: 'down', detail: '192.168.10.5 Idle', prefixes: 0, limit: 4000 },
            arp: { ok: false, count: 1, resolved: 0 },
          },
          {
            peering: 'MicrosoftPeering',
            kind: 'microsoft',
            path: 'primary',
            bgp: { state: 'unknown', error: { code: ErrorCode.ArmThrottled, message: 't' }, limit: 200 },
            arp: { error: { code: ErrorCode.ArmThrottled, message: 't' } },
          },
        ],
        utilisation: { ok: false, error: { code: ErrorCode.ArmUnavailable, message: 'metrics down' } },
        fetchedAt: NOW,
        fromCache: false,
        source: 'routers',
      };
      const card = circuitStatusCard({ header: header({ kind: 'status', target: c.id }), customerName: 'Contoso Ltd', report });
      assertValidCard(card);
      const text = json(card);
      assert.match(text, /in progress \(Updating\)/);
      assert.match(text, /3500 \/ 4000/);
      assert.match(text, /192.168.10.5 Idle/);
      assert.match(text, /unknown \(arm_throttled\)/);
      assert.match(text, /none from your router/);
    });
  });

  it('circuit: should show SKU, states, peerings, authorizations, connections and route filter', () => {
    const c = circuit({ name: LONG, tags: { owner: LONG } });
    const card = circuitCard({
      header: header({ kind: 'circuit', circuit: c.id }),
      customerName: 'Contoso Ltd',
      circuit: c,
      verdict: assessHealth({ circuit: c }),
    });
    assertValidCard(card);
    const text = json(card);
    for (const s of [
      'Standard · Metered',
      'Provisioned',
      'fabrikam-auth',
      'hub-vnet-connection',
      'rf-m365',
      'private peering',
      'Microsoft peering',
    ]) {
      assert.ok(text.includes(s), s);
    }
    assert.ok(executes(card).every((a) => !a.data?.intent || JSON.stringify(a.data.intent).includes(c.id)));
  });

  describe('bandwidth', () => {
    it('should show used vs provisioned per link and direction, headroom and upgrades', () => {
      const c = circuit({ bandwidthMbps: 1000 });
      const card = bandwidthCard({
        header: header({ kind: 'bandwidth', circuit: c.id }),
        customerName: 'Contoso Ltd',
        circuit: c,
        usage: {
          source: 'metrics',
          windowStart: NOW - 3_600_000,
          windowEnd: NOW,
          links: [
            { path: 'primary', direction: 'in', averageBps: 850e6, peakBps: 990e6 },
            { path: 'primary', direction: 'out', averageBps: 100e6, peakBps: 200e6 },
            { path: 'secondary', direction: 'in', averageBps: 5e6, peakBps: 9e6 },
            { path: 'secondary', direction: 'out', averageBps: 1e6, peakBps: 2e6 },
          ],
        },
      });
      assertValidCard(card);
      const text = json(card);
      assert.match(text, /2 Gbps, 5 Gbps, 10 Gbps/);
      assert.match(text, /150 Mbps/); // headroom of the busiest link
      assert.match(text, /85%/);
      assert.match(text, /consider an upgrade/);
      assert.match(text, /last 1 h/);
    });
    it('should show byte totals when only counters are available', () => {
      const c = circuit({ bandwidthMbps: 10_000 });
      const card = bandwidthCard({
        header: header({ kind: 'bandwidth', circuit: c.id }),
        customerName: 'Contoso Ltd',
        circuit: c,
        usage: {
          source: 'counters',
          windowStart: NOW - 3_600_000,
          windowEnd: NOW,
          links: [],
          counters: { primaryBytesIn: 1.5e12, primaryBytesOut: 2e9, secondaryBytesIn: 0, secondaryBytesOut: 0 },
        },
      });
      assertValidCard(card);
      assert.match(json(card), /1\.5 TB/);
      assert.match(json(card), /top step/);
    });
  });

  describe('routes', () => {
    const all = routes(10_000);
    const c = { id: circuitId('er-sv-01'), name: 'er-sv-01' };
    it('should page a 10,000-route table, say which rows, and keep circuit, peering, path and prefix on Previous/Next', () => {
      const matches = routeMatcher('10.0.0.0/8');
      const filtered = all.filter((r) => matches(r.network));
      const page = pageOf(filtered, 7, ROUTES_PAGE_SIZE);
      const card = routesCard({
        header: header({ kind: 'routes', circuit: c.id }),
        circuit: c,
        peering: 'private',
        path: 'secondary',
        prefix: '10.0.0.0/8',
        page,
      });
      assertValidCard(card);
      assert.match(json(card), /Rows 301–350 of 10000 overlapping 10\.0\.0\.0\/8 · page 7 of 200/);
      const buttons = executes(card);
      const prev = buttons.find((b) => /Previous/.test(b.title ?? ''))?.data?.intent;
      const next = buttons.find((b) => /Next/.test(b.title ?? ''))?.data?.intent;
      assert.deepEqual(prev, { kind: 'routes', circuit: c.id, peering: 'private', path: 'secondary', page: 6, prefix: '10.0.0.0/8' });
      assert.deepEqual(next, { kind: 'routes', circuit: c.id, peering: 'private', path: 'secondary', page: 8, prefix: '10.0.0.0/8' });
    });
    it('should stay under 28 KB for every page, including the last, with long AS paths', () => {
      const long = all.map((r) => ({ ...r, path: `${'65001 '.repeat(40)}i`, nextHop: '2001:db8:ffff:ffff:ffff:ffff:ffff:fffe' }));
      for (const p of [1, 100, 200]) {
        const page = pageOf(long, p, ROUTES_PAGE_SIZE);
        assertValidCard(
          routesCard({ header: header({ kind: 'routes', circuit: c.id }), circuit: c, peering: 'microsoft', path: 'primary', page }),
        );
      }
    });
    it('should have no Previous on the first page and no Next on the last', () => {
      const first = routesCard({
        header: header({ kind: 'routes', circuit: c.id }),
        circuit: c,
        peering: 'private',
        path: 'primary',
        page: pageOf(all, 1, 50),
      });
      const last = routesCard({
        header: header({ kind: 'routes', circuit: c.id }),
        circuit: c,
        peering: 'private',
        path: 'primary',
        page: pageOf(all, 999, 50),
      });
      assert.ok(!executes(first).some((b) => /Previous/.test(b.title ?? '')));
      assert.ok(!executes(last).some((b) => /Next/.test(b.title ?? '')));
      const empty = routesCard({
        header: header({ kind: 'routes', circuit: c.id }),
        circuit: c,
        peering: 'private',
        path: 'primary',
        prefix: '172.16.0.0/12',
        page: pageOf([], 1, 50),
      });
      assertValidCard(empty);
      assert.match(json(empty), /No routes overlapping 172\.16\.0\.0\/12/);
    });
  });

  it('bgp: should show neighbours, AS, state, up/down and prefixes vs limit per path', () => {
    const c = circuit({ sku: { tier: 'Premium', family: 'UnlimitedData' } });
    const card = bgpCard({
      header: header({ kind: 'bgp', circuit: c.id }),
      circuit: c,
      paths: [
        {
          kind: 'private',
          path: 'primary',
          neighbours: { ok: true, fetchedAt: NOW, value: [neighbour(8500), neighbour(12, { neighbor: '2001:db8::1' })] },
        },
        {
          kind: 'private',
          path: 'secondary',
          neighbours: { ok: true, fetchedAt: NOW, value: [neighbour('Idle', { upDown: '00:03:10' })] },
        },
        {
          kind: 'microsoft',
          path: 'primary',
          neighbours: { ok: false, error: { code: ErrorCode.ArmThrottled, message: 'Azure is throttling reads.' } },
        },
        { kind: 'microsoft', path: 'secondary', neighbours: { ok: true, fetchedAt: NOW, value: [] } },
      ],
    });
    assertValidCard(card);
    const text = json(card);
    assert.match(text, /8500 \/ 10000/);
    assert.match(text, /12 \/ 100/);
    assert.match(text, /down 3m 10s/);
    assert.match(text, /unknown: Azure is throttling/);
    assert.match(text, /no BGP neighbour/);
  });

  it('arp: should list entries per link, flag a missing customer entry, and fit a huge table', () => {
    const c = { id: circuitId('er-sv-01'), name: 'er-sv-01' };
    const entries = [
      { interface: 'Microsoft', ipAddress: '192.168.10.2', macAddress: '00:0d:3a:11:22:33', age: 0 },
      { interface: 'On-Prem', ipAddress: '192.168.10.1', macAddress: 'aa:bb:cc:dd:ee:01', age: 12 },
    ];
    const card = arpCard({
      header: header({ kind: 'arp', circuit: c.id }),
      circuit: c,
      tables: [
        { kind: 'private', path: 'primary', entries: { ok: true, fetchedAt: NOW, value: entries } },
        { kind: 'private', path: 'secondary', entries: { ok: true, fetchedAt: NOW, value: entries.slice(0, 1) } },
        { kind: 'microsoft', path: 'primary', entries: { ok: false, error: { code: ErrorCode.ArmUnavailable, message: 'no answer' } } },
      ],
    });
    assertValidCard(card);
    assert.match(json(card), /The on-premises MAC is not resolved.*on-premises or connectivity provider side/);
    assert.doesNotMatch(json(card), /cabling/);
    const huge = Array.from({ length: 2000 }, (_, i) => ({
      interface: 'On-Prem',
      ipAddress: `10.0.${i >> 8}.${i & 255}`,
      macAddress: 'aa:bb:cc:dd:ee:ff',
      age: i,
    }));
    const big = arpCard({
      header: header({ kind: 'arp', circuit: c.id }),
      circuit: c,
      tables: [{ kind: 'private', path: 'primary', entries: { ok: true, fetchedAt: NOW, value: huge } }],
    });
    assertValidCard(big);
    assert.match(json(big), /more not shown/);
  });

  it('peerings: should show VLAN, ASNs, subnets, state and route filter, never the MD5 key', () => {
    const c = circuit({
      peerings: [peering('private', { state: 'Disabled' }), peering('microsoft', { routeFilterId: undefined as unknown as string })],
    });
    delete (c.peerings[1] as { routeFilterId?: string }).routeFilterId;
    // A key that must never appear, even if a view model accidentally carried one.
    (c.peerings[0] as unknown as Record<string, unknown>).sharedKey = 'TopSecretMd5Key';
    const card = peeringsCard({ header: header({ kind: 'peerings', circuit: c.id }), circuit: c });
    assertValidCard(card);
    const text = json(card);
    for (const s of ['192.168.10.0/30', '192.168.10.4/30', '65010', '12076', '"100"', 'Disabled', 'needs one'])
      assert.ok(text.includes(s), s);
    assert.ok(!text.includes('TopSecretMd5Key'));
    assert.match(text, /MD5 key.*set/);
  });

  it('filters: should show rules, communities and attached peerings', () => {
    const f: RouteFilter = {
      id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeFilters/rf-m365',
      name: 'rf-m365',
      subscriptionId: 's',
      resourceGroup: 'rg',
      location: 'westus2',
      provisioningState: 'Succeeded',
      rules: [{ name: 'allow-m365', access: 'Allow', communities: ['12076:5100', '12076:5010', '12076:51004'] }],
      peeringIds: [`${circuitId('er-sv-01')}/peerings/MicrosoftPeering`],
    };
    const card = filtersCard({ header: header({ kind: 'filters' }), filters: [f, { ...f, name: LONG, rules: [], peeringIds: [] }] });
    assertValidCard(card);
    const text = json(card);
    assert.match(text, /12076:5100, 12076:5010, 12076:51004/);
    assert.match(text, /er-sv-01 \/ MicrosoftPeering/);
    assert.match(text, /receives no routes/);
  });

  it('udr: should list route tables and routes and flag VirtualAppliance next hops', () => {
    const t: UdrTable = {
      id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt-spoke',
      name: 'rt-spoke',
      subscriptionId: 's',
      resourceGroup: 'rg',
      location: 'westus2',
      disableBgpRoutePropagation: true,
      routes: [
        { name: 'default-to-fw', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.4' },
        { name: 'onprem', addressPrefix: '192.168.0.0/16', nextHopType: 'VirtualNetworkGateway' },
      ],
      subnetIds: ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/app'],
    };
    const card = udrCard({ header: header({ kind: 'udr' }), tables: [t] });
    assertValidCard(card);
    const text = json(card);
    assert.match(text, /⚠ VirtualAppliance/);
    assert.match(text, /"color":"Warning"/);
    assert.match(text, /vnet-spoke \/ app/);
    assert.match(text, /ExpressRoute routes are not learnt/);
    const many = Array.from({ length: 100 }, (_, i) => ({ ...t, name: `rt-${i}`, routes: Array.from({ length: 20 }, () => t.routes[0]!) }));
    assertValidCard(udrCard({ header: header({ kind: 'udr' }), tables: many }));
  });

  describe('error', () => {
    it('should show the message, the hint and the code', () => {
      const card = errorCard(new CodedError(ErrorCode.ArmThrottled, 'Azure is throttling reads.', { hint: 'Try again in 20 seconds.' }));
      assertValidCard(card);
      assert.match(json(card), /Azure is throttling reads\..*Try again in 20 seconds\..*arm_throttled/);
    });
    it('should turn "did you mean" candidates into buttons when the bot can make intents of them', () => {
      const e = new CodedError(ErrorCode.Ambiguous, "More than one circuit is called 'er1'.", {
        details: { candidates: ['contoso/er1', 'fabrikam/er1'] },
      });
      const card = errorCard(e, { candidateIntent: (c) => ({ kind: 'circuit', circuit: c }) });
      assertValidCard(card);
      assert.deepEqual(
        executes(card).map((a) => a.data?.intent),
        [
          { kind: 'circuit', circuit: 'contoso/er1' },
          { kind: 'circuit', circuit: 'fabrikam/er1' },
        ],
      );
    });
    it('should list suggestions as text when no intent can be made, and ignore non-string details', () => {
      const e = new CodedError(ErrorCode.NotFound, 'No such circuit.', { details: { suggestions: ['contoso/er1', 42] } });
      const card = errorCard(e);
      assertValidCard(card);
      assert.equal(executes(card).length, 0);
      assert.match(json(card), /contoso\/er1/);
      assert.doesNotMatch(json(card), /42/);
    });
  });

  describe('audit', () => {
    /** `n` entries as the store returns them: in the order they were appended, oldest first. */
    const appended = (n: number, detail = ''): AuditEntry[] =>
      Array.from({ length: n }, (_, i) => ({
        requestId: `CR-${String(i).padStart(7, '0')}`,
        customerId: 'contoso',
        at: NOW + i * 60_000,
        actor: { aadObjectId: 'u1', name: 'Dana' },
        action: 'approved',
        from: 'pending' as const,
        to: 'approved' as const,
        outcome: `${detail}entry ${i}`,
      }));
    /** The request ids of the table's rows, top to bottom. */
    const rowIds = (card: unknown) => [...json(card).matchAll(/"text":"(CR-\d{7})"/g)].map((m) => m[1]);

    it('should list the newest first, as it says', () => {
      const card = auditCard({ heading: 'Audit trail', customerNames: {}, entries: appended(3) });
      assertValidCard(card);
      assert.match(json(card), /3 entries, newest first/);
      assert.deepEqual(rowIds(card), ['CR-0000002', 'CR-0000001', 'CR-0000000']);
      assert.doesNotMatch(json(card), /left out/);
    });

    it('should leave out the oldest rows when the card is too big, and say how many', () => {
      const entries = appended(200, 'x'.repeat(150));
      const card = auditCard({ heading: 'Audit trail', customerNames: {}, entries });
      assertValidCard(card);
      const shown = rowIds(card);
      assert.ok(shown.length > 10 && shown.length < 200, `${shown.length} rows`);
      assert.deepEqual(
        shown,
        entries
          .map((e) => e.requestId)
          .reverse()
          .slice(0, shown.length),
        'the newest rows, newest first',
      );
      assert.match(json(card), new RegExp(`${200 - shown.length} older entries left out: they did not fit on the card`));
    });
  });

  it('progress: should say what is being read', () => {
    const card = progressCard({
      reading: ['BGP summary of er-sv-01, private peering, primary and secondary', 'ARP tables', 'Last hour of bandwidth'],
      customer: { name: 'Contoso Ltd', tenantId: 't1' },
    });
    assertValidCard(card);
    assert.match(json(card), /Reading from the Microsoft edge routers…/);
    assert.match(json(card), /ARP tables/);
  });

  it('should give the same JSON for the same view model (pure)', () => {
    const view = { header: header({ kind: 'status' as const }), rows: [] };
    assert.equal(json(fleetStatusCard(view)), json(fleetStatusCard(view)));
  });
});
