import { isSecret } from '../changes/kind-fields';
import { KIND_DECLARATIONS } from '../changes/kinds';
import type { Intent } from './intent';
import { intentProblem } from './validate-intent';

/** Input keys any kind declares as a secret (an MD5 key): such input never goes into a button's data. */
const SECRET_KEYS = new Set(KIND_DECLARATIONS.flatMap((k) => k.fields.filter(isSecret).map((f) => f.key)));

/**
 * The same question about another circuit, customer or route table: what a "did you mean" choice runs when
 * clicked. The page is dropped (a new table starts at page 1) and so is `fresh`. Undefined when the intent
 * names nothing, or when the candidate would not make a valid intent (card data must always validate).
 */
export function retarget(intent: Intent, reference: string): Intent | undefined {
  let next: Intent;
  switch (intent.kind) {
    case 'help':
    case 'customers':
    case 'requests':
    case 'request':
    case 'approve':
    case 'reject':
    case 'cancel':
    case 'audit':
    case 'approvals-channel':
    case 'link-here':
    case 'unlink-here':
    case 'alerts':
    case 'ack':
    case 'silences':
    case 'unsilence':
    case 'submit-change':
    case 'key':
    case 'rollback':
    case 'emergency':
      // An emergency is typed only: never offered as a button, not even a "did you mean".
      return undefined;
    case 'peering':
    case 'filter':
    case 'route':
    case 'authorization':
      // A typed secret must never end up in a button's data.
      if (Object.keys(intent.input).some((k) => SECRET_KEYS.has(k))) return undefined;
      next = { ...intent, target: reference };
      break;
    case 'circuits':
    case 'filters':
      next = { kind: intent.kind, customer: reference };
      break;
    case 'status':
    case 'udr':
    case 'security':
      next = { kind: intent.kind, target: reference };
      break;
    case 'effective-routes': {
      const { page: _page, fresh: _fresh, ...rest } = intent;
      next = { ...rest, target: reference };
      break;
    }
    case 'routes': {
      const { page: _page, fresh: _fresh, ...rest } = intent;
      next = { ...rest, circuit: reference };
      break;
    }
    case 'upgrade':
    case 'change':
      next = { ...intent, circuit: reference };
      break;
    case 'silence':
      next = { ...intent, target: reference };
      break;
    default: {
      const { fresh: _fresh, ...rest } = intent;
      next = { ...rest, circuit: reference };
    }
  }
  const checked = intentProblem(next);
  return 'intent' in checked ? checked.intent : undefined;
}
