import assert from 'node:assert/strict';
import { securityCard, type SecurityView } from '../../src/cards/security-card';
import { effectiveRoutesCard, EFFECTIVE_ROUTES_PAGE_SIZE } from '../../src/cards/effective-routes-card';
import { cardBytes } from '../../src/cards/card-kit';
import type { EffectiveRoute } from '../../src/network/effective-routes';
import { chooseRoute } from '../../src/network/effective-routes';
import { pageOf } from '../../src/network/paging';
import type { Part } from '../../src/network/part';
import { evaluatePosture, type CustomerPosture } from '../../src/network/posture';
import type { CircuitLinkFact, NsgFact, VnetFact } from '../../src/network/posture-facts';
import type { Circuit } from '../../src/network/types';
import { circuit, peering } from '../network/circuit-fixture';
import { assertValidCard, TEAMS_CARD_LIMIT_BYTES } from './card-check';

/**
 * The security and effective-routes cards at their largest: a customer with 20 circuits and 50 VNets behind them,
 * every VNet full of gaps with long names, and a hub NIC with 9,000 routes. Every page fits under 28 KB and the
 * pages together show everything.
 */

const SUB = '1a1a1a1a-0000-4000-8000-00000000c001';
const long = (prefix: string, i: number) => `${prefix}-${i}-${'x'.repeat(60 - prefix.length)}`;
const ok = <T>(value: T): Part<T> => ({ ok: true, value, fetchedAt: 0 });
const HEADER = {
  customers: [{ name: 'Contoso Ltd', tenantId: '11111111-1111-4111-8111-111111111111' }],
  fetchedAt: 0,
  fromCache: false,
  now: 0,
};

/** 20 circuits (private and Microsoft peering), 50 VNets spread over them, each with six subnets, no NSG on half. */
function bigPosture(): CustomerPosture {
  const circuits: Circuit[] = Array.from({ length: 20 }, (_, i) =>
    circuit({ name: long('er', i), peerings: [peering('private'), peering('microsoft')] }),
  );
  const vnets: VnetFact[] = [];
  const nsgs: NsgFact[] = [];
  const links = new Map<string, Part<CircuitLinkFact[]>>(circuits.map((c) => [c.id.toLowerCase(), ok([])]));
  for (let v = 0; v < 50; v++) {
    const id = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/${long('vnet', v)}`;
    const nsgId = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/${long('nsg', v)}`;
    nsgs.push({
      id: nsgId,
      name: long('nsg', v),
      rules: [
        {
          name: long('allow-all', v),
          priority: 100,
          direction: 'Inbound',
          access: 'Allow',
          protocol: '*',
          sources: ['Internet'],
          destinations: ['*'],
          destinationPorts: ['*'],
          isDefault: false,
        },
      ],
    });
    vnets.push({
      id,
      name: long('vnet', v),
      subscriptionId: SUB,
      addressPrefixes: [`10.${v}.0.0/16`],
      subnets: [
        { id: `${id}/subnets/GatewaySubnet`, name: 'GatewaySubnet', addressPrefixes: [`10.${v}.255.0/27`], nsgId },
        ...Array.from({ length: 6 }, (_, s) => ({
          id: `${id}/subnets/${long('snet', s)}`,
          name: long('snet', s),
          addressPrefixes: [`10.${v}.${s}.0/24`],
          ...(s % 2 === 0 ? { nsgId } : {}),
        })),
      ],
      peerings: [],
    });
    const owner = circuits[v % circuits.length]!;
    const part = links.get(owner.id.toLowerCase());
    if (part?.ok) part.value.push({ name: long('cn', v), subscriptionId: SUB, vnetId: id });
    // And now and then a link from a subscription the directory doesn't know: an isolation gap.
    if (part?.ok && v % 7 === 0) part.value.push({ name: long('cn-stranger', v), subscriptionId: 'ffffffff-0000-4000-8000-000000000000' });
  }
  return evaluatePosture({
    customer: { id: 'contoso', name: 'Contoso Ltd' },
    requirements: { separatePublicAndPrivate: true, forcedTunnelling: true, requireEncryption: true },
    ownerOf: (s) => (s === SUB ? 'own' : 'unknown'),
    circuits,
    facts: { links, vnets: ok(vnets), nsgs: ok(nsgs), routeTables: ok([]), gateways: ok([]), ipsecConnections: ok([]), ports: ok([]) },
    defaultRoutes: new Map(circuits.map((c) => [c.id.toLowerCase(), ok(false)])),
  });
}

describe('cards: security posture and effective routes at their largest', () => {
  const posture = bigPosture();
  const view = (page: number): SecurityView => ({
    header: { ...HEADER, refresh: { kind: 'security', target: 'contoso' } },
    posture,
    target: 'contoso',
    page,
    unread: [],
  });

  it('should page a customer with 20 circuits and 50 VNets into cards under 28 KB that together show every circuit and VNet', () => {
    assert.equal(
      posture.circuits.reduce((n, c) => n + c.vnets.length, 0),
      50,
    );
    const first = securityCard(view(1));
    const pages = Number(/Page 1 of (\d+)/.exec(JSON.stringify(first))?.[1]);
    assert.ok(pages > 1 && pages <= 12, `${pages} pages`);
    const shown: string[] = [];
    for (let p = 1; p <= pages; p++) {
      const card = securityCard(view(p));
      assertValidCard(card);
      assert.ok(cardBytes(card) < TEAMS_CARD_LIMIT_BYTES, `page ${p} is ${cardBytes(card)} bytes`);
      const json = JSON.stringify(card);
      shown.push(...[...json.matchAll(/VNet \*\*(vnet-\d+)-x+\*\*/g)].map((m) => m[1]!));
      shown.push(...[...json.matchAll(/\*\*(er-\d+)-x+\*\* ·/g)].map((m) => m[1]!));
      const next = card.body.flatMap((e) => (e.type === 'ActionSet' ? (e.actions as { title: string; data: { intent: unknown } }[]) : []));
      if (p < pages)
        assert.deepEqual(next.find((a) => a.title === 'Next ▶')?.data.intent, { kind: 'security', target: 'contoso', page: p + 1 });
      else
        assert.equal(
          next.find((a) => a.title === 'Next ▶'),
          undefined,
        );
    }
    const expected = [...Array.from({ length: 50 }, (_, v) => `vnet-${v}`), ...Array.from({ length: 20 }, (_, c) => `er-${c}`)];
    assert.deepEqual([...shown].sort(), expected.sort(), 'each circuit and VNet once');
    assert.match(JSON.stringify(securityCard(view(99))), new RegExp(`Page ${pages} of ${pages}`), 'a page past the end shows the last');
  });

  it('should put the worst first and give every gap its fix', () => {
    const text = JSON.stringify(securityCard(view(1)));
    assert.match(text, /🔴 \*\*Isolation\*\*: A VNet link comes from subscription ffffffff-0000-4000-8000-000000000000/);
    assert.match(text, /\*\*Fix:\*\* Associate an NSG with each subnet listed/);
    assert.match(text, /Required by the directory: public\/private separation, forced tunnelling, encryption\./);
  });

  it('should show a recommendation apart from gaps: its own colour and count, and the fix as recommended', () => {
    const [first] = posture.circuits;
    const vnet = first?.vnets[0];
    assert.ok(first && vnet);
    const advised: CustomerPosture = {
      ...posture,
      circuits: [
        {
          ...first,
          findings: [],
          vnets: [
            { ...vnet, findings: [{ criterion: 'internet-backstop', status: 'advice', evidence: ['snet-a: nsg-a lets traffic out.'] }] },
          ],
        },
      ],
    };
    const card = securityCard({ ...view(1), posture: advised });
    assertValidCard(card);
    const text = JSON.stringify(card);
    assert.match(text, /"🟠 1 recommended"/);
    assert.match(
      text,
      /🟠 \*\*Outbound deny-Internet backstop\*\*: snet-a: nsg-a lets traffic out\. \*\*Recommended:\*\* Add an outbound rule/,
    );
    assert.doesNotMatch(text, /🔴|\*\*Fix:\*\*/);
  });

  it('should say, under the counts, what could not be read', () => {
    const card = securityCard({
      ...view(1),
      unread: ["The bot's identity has no access to subscription x, so it could not read the NSGs."],
    });
    assertValidCard(card);
    assert.match(
      JSON.stringify(card),
      /⚠ Part of the posture couldn't be read, so what depends on it shows as unknown: The bot's identity has no access to subscription x/,
    );
  });

  it('should keep a page of a 9,000-route hub NIC under 28 KB, and the verdict for a destination too', () => {
    const routes: EffectiveRoute[] = Array.from({ length: 9000 }, (_, i) => ({
      source: 'VirtualNetworkGateway',
      state: i % 3 === 0 ? 'Invalid' : 'Active',
      addressPrefixes: [`10.${64 + Math.floor(i / 256)}.${i % 256}.0/24`, `2001:db8:${i.toString(16)}::/48`],
      nextHopType: 'VirtualNetworkGateway',
      nextHopIps: ['192.168.100.2', '192.168.100.6', '192.168.100.10', '192.168.100.14'],
    }));
    const table = { routes, gateways: [], bgpPropagationDisabled: true };
    const nic = {
      id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic',
      name: long('nic', 1),
      subscriptionId: 's',
      named: 'nic' as const,
    };
    const base = { header: { ...HEADER, refresh: { kind: 'effective-routes' as const, target: 'nic' } }, nic, target: nic.id, table };
    const page = effectiveRoutesCard({ ...base, page: pageOf(routes, 2, EFFECTIVE_ROUTES_PAGE_SIZE) });
    assertValidCard(page);
    assert.match(JSON.stringify(page), /Routes 41–80 of 9000 · page 2 of 225/);
    const choice = chooseRoute(table, '10.64.1.9');
    const verdict = effectiveRoutesCard({ ...base, page: pageOf(routes, 1, EFFECTIVE_ROUTES_PAGE_SIZE), choice });
    assertValidCard(verdict);
  });
});
