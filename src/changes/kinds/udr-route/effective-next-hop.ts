import { armIdName, sameArmId } from '../../../network/arm-id';
import { type EffectiveRoute, notReadable } from '../../../network/effective-routes';
import { parseAddress, parsePrefix } from '../../../network/ip-prefix';
import type { RouteTableSubject, VerifyContext, VerifyLook } from '../../change-kind';
import { readFor } from '../shared/verify-reads';

/**
 * What a UDR change should do to the effective routes of the subnets using the table: send the prefix to the next
 * hop asked for (added), or leave no user route for it (removed); or why that cannot be checked.
 */
export type NextHopExpectation =
  { prefix: string; nextHopType: string; nextHopIpAddress?: string } | { prefix: string; removed: true } | { notChecked: string };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const prefixText = (text: string) => {
  const r = parsePrefix(text);
  return r.ok ? r.prefix.text : text;
};
const addressText = (text: string) => parseAddress(text)?.text ?? text;
const hop = (r: EffectiveRoute) => `${r.nextHopType}${r.nextHopIps.length ? ` ${r.nextHopIps.join(', ')}` : ''} (${r.source})`;

/** How one subnet's NIC sees the prefix: fine (with what it shows), or why not. */
function judge(
  routes: readonly EffectiveRoute[],
  expect: Exclude<NextHopExpectation, { notChecked: string }>,
  where: string,
): { shows: string } | { why: string } {
  const prefix = prefixText(expect.prefix);
  const mine = routes.filter((r) => r.addressPrefixes.some((p) => prefixText(p) === prefix));
  if ('removed' in expect) {
    const user = mine.find((r) => same(r.source, 'User'));
    return user
      ? { why: `${where} still has a user route for ${prefix} (${hop(user)})` }
      : { shows: `${where}: no user route for ${prefix}` };
  }
  const active = mine.filter((r) => !same(r.state, 'Invalid'));
  const ip = expect.nextHopIpAddress === undefined ? undefined : addressText(expect.nextHopIpAddress);
  const asked = `${expect.nextHopType}${ip ? ` ${ip}` : ''}`;
  const right = active.find(
    (r) => same(r.nextHopType, expect.nextHopType) && (ip === undefined || r.nextHopIps.map(addressText).includes(ip)),
  );
  if (right) return { shows: `${where}: ${prefix} → ${hop(right)}` };
  const [wrong] = active;
  return {
    why: wrong ? `${where} sends ${prefix} to ${hop(wrong)}, not ${asked}` : `${where} has no active effective route for ${prefix}`,
  };
}

/**
 * For each subnet the route table is associated with, one NIC of a running VM in it: its effective routes must show
 * the change. A subnet without such a NIC, or a bot without an effective-routes reader, is named as not checked.
 */
export async function lookAtNextHops(
  ctx: VerifyContext<RouteTableSubject>,
  table: RouteTableSubject,
  expect: NextHopExpectation,
): Promise<VerifyLook> {
  const reader = ctx.effectiveRoutes;
  if ('notChecked' in expect) return { healthy: true, evidence: `effective routes not checked: ${expect.notChecked}` };
  if (!reader) return { healthy: true, evidence: 'effective routes not checked: the bot has no effective-routes reader here' };
  if (table.subnetIds.length === 0)
    return { healthy: true, evidence: `${table.name} is associated with no subnet: no effective routes to check` };
  const nics = await readFor('the NICs in the subnets using the route table', () =>
    reader.interfacesInSubnets(ctx.scope.tenantId, ctx.subscriptions, table.subnetIds, { fresh: true }),
  );
  const verdicts = await Promise.all(
    table.subnetIds.map(async (subnetId) => {
      const subnet = armIdName(subnetId);
      const mine = nics.filter((n) => n.subnetId !== undefined && sameArmId(n.subnetId, subnetId));
      const nic = mine.find((n) => notReadable(n) === undefined);
      if (!nic) return { unchecked: `${subnet} (${mine.length === 0 ? 'no NIC in it' : 'no NIC of a running VM in it'})` };
      // Only the next hop is compared, not where it leads: no subscriptions to look for the VNet's gateways in.
      const routes = await readFor(`the effective routes of ${nic.name}`, () =>
        reader.effectiveRoutes(ctx.scope.tenantId, [], nic, { fresh: true }),
      );
      return judge(routes.value.routes, expect, `NIC ${nic.name} in subnet ${subnet}`);
    }),
  );
  const wrong = verdicts.find((v): v is { why: string } => 'why' in v);
  if (wrong) return { healthy: false, why: wrong.why };
  const shown = verdicts.flatMap((v) => ('shows' in v ? [v.shows] : []));
  const unchecked = verdicts.flatMap((v) => ('unchecked' in v ? [v.unchecked] : []));
  const parts = [
    ...(shown.length ? [`effective routes: ${shown.join('; ')}`] : []),
    ...(unchecked.length ? [`effective routes not checked for ${unchecked.join(', ')}`] : []),
  ];
  return { healthy: true, evidence: parts.join('; ') };
}
