import type { Json } from './resource-store';
import { list, num, props, reject, str, type WriteRejection, type WriteRule } from './write-rule';

/**
 * What Network RP enforces on network security groups ("Network security groups", security rules): a rule's
 * priority is 100-4096, and no two rules of one NSG share a priority and a direction. The codes and messages are
 * ARM's (SecurityRuleInvalidPriority, SecurityRuleConflict). The default rules are Azure's: ARM serves them but
 * has no PUT or DELETE for them.
 */

const NSGS = 'microsoft.network/networksecuritygroups';
const RULES = 'microsoft.network/networksecuritygroups/securityrules';
const DEFAULT_RULES = 'microsoft.network/networksecuritygroups/defaultsecurityrules';
const MIN_PRIORITY = 100;
const MAX_PRIORITY = 4096;

const lower = (s: string | undefined) => (s ?? '').toLowerCase();

function checkRules(rules: Json[]): WriteRejection | undefined {
  for (const [i, rule] of rules.entries()) {
    const p = props(rule);
    const priority = num(p.priority);
    if (priority === undefined || !Number.isInteger(priority) || priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
      return reject(
        'SecurityRuleInvalidPriority',
        `Security rule has invalid Priority. Value provided: ${String(p.priority)} Allowed range ${MIN_PRIORITY}-${MAX_PRIORITY}.`,
      );
    }
    const clash = rules
      .slice(0, i)
      .find((other) => num(props(other).priority) === priority && lower(str(props(other).direction)) === lower(str(p.direction)));
    if (clash) {
      return reject(
        'SecurityRuleConflict',
        `Security rule ${str(rule.name) ?? ''} conflicts with rule ${str(clash.name) ?? ''}. Rules cannot have the same Priority and Direction.`,
      );
    }
  }
  return undefined;
}

/** A rule written on its own path is checked against its siblings; an NSG written whole, rule by rule. */
const securityRules: WriteRule = (a) => {
  if (a.method === 'DELETE' || !a.proposed) return undefined;
  if (a.type === RULES) {
    const siblings = list(props(a.parent).securityRules).filter((r) => lower(str(r.name)) !== lower(a.name));
    return checkRules([...siblings, { ...a.proposed, name: a.name }]);
  }
  return a.type === NSGS ? checkRules(list(props(a.proposed).securityRules)) : undefined;
};

const defaultRulesReadOnly: WriteRule = (a) =>
  a.type === DEFAULT_RULES
    ? reject(
        'MethodNotAllowed',
        `The requested resource does not support http method '${a.method}': default security rules are Azure's.`,
        405,
      )
    : undefined;

export const NSG_WRITE_RULES: readonly WriteRule[] = [defaultRulesReadOnly, securityRules];
