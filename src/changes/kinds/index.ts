/**
 * The change kinds, one folder each: `<kind>/<kind>-kind.ts` declares the kind's fields (labels, typed words,
 * shapes, schemas), its typed syntax, its form, its rules, its plan and `isApplied`. `shared/` holds what
 * several kinds use (input parts, peering fields, the secret vault, circuit-state refusals). A kind imports
 * from src/network (types and rules) and src/changes, never from the bot, the cards or Azure.
 */
import type { KindDeclaration } from '../change-kind';
import { authorizationKind } from './authorization/authorization-kind';
import { bandwidthKind } from './bandwidth/bandwidth-kind';
import { MICROSOFT_PEERING } from './microsoft-peering/microsoft-peering-kind';
import { peeringStateKind } from './peering-state/peering-state-kind';
import { PRIVATE_PEERING } from './private-peering/private-peering-kind';
import { routeFilterRuleKind } from './route-filter-rule/route-filter-rule-kind';
import { routeFilterKind } from './route-filter/route-filter-kind';
import { skuKind } from './sku/sku-kind';
import { udrRouteKind } from './udr-route/udr-route-kind';

/** Every kind's declaration, in the order forms and help show them. */
export const KIND_DECLARATIONS: readonly KindDeclaration[] = [
  bandwidthKind,
  skuKind,
  PRIVATE_PEERING,
  MICROSOFT_PEERING,
  peeringStateKind,
  routeFilterKind,
  routeFilterRuleKind,
  udrRouteKind,
  authorizationKind,
];

export function kindDeclaration(name: string): KindDeclaration | undefined {
  return KIND_DECLARATIONS.find((k) => k.name === name);
}
