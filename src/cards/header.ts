import type { Intent } from '../intents/intent';
import type { CardElement } from './card-kit';
import { clip, executeAction, plain, text, title } from './card-kit';

export interface CustomerRef {
  name: string;
  tenantId: string;
}

/** What every data card says about where its data came from and how old it is. */
export interface DataHeader {
  /** One customer, or several for fleet-wide answers. */
  customers: readonly CustomerRef[];
  /** Epoch ms of the oldest read behind the card. */
  fetchedAt: number;
  fromCache: boolean;
  /** The time the card is built for; cards never read the clock themselves. */
  now: number;
  /** The intent that produced this card; its Refresh button re-runs it with `fresh: true`. */
  refresh: Intent;
  /** Where the facts come from and how old each source is, e.g. "Azure Monitor, 1-minute data as of 03:12 UTC". */
  sources?: readonly string[];
}

/** "live" for a read just made; "12 s old (cached)" when served from the read cache. */
export function freshness(fetchedAt: number, fromCache: boolean, now: number): string {
  const seconds = Math.max(0, Math.round((now - fetchedAt) / 1000));
  if (!fromCache) return seconds < 60 ? 'live' : `read ${age(seconds)} ago`;
  return `${age(seconds)} old (cached)`;
}

export function age(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/** Every intent that reads ARM takes `fresh`; help and customers don't, and have no Refresh to offer. */
export function withFresh(intent: Intent): Intent {
  switch (intent.kind) {
    case 'help':
    case 'customers':
    case 'upgrade':
    case 'change':
    case 'submit-change':
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
    case 'silence':
    case 'silences':
    case 'unsilence':
    case 'peering':
    case 'filter':
    case 'route':
    case 'authorization':
    case 'key':
    case 'rollback':
    case 'emergency':
      return intent;
    default:
      return { ...intent, fresh: true };
  }
}

function customerLine(customers: readonly CustomerRef[]): string {
  const [only] = customers;
  if (customers.length === 1 && only) return `${plain(clip(only.name, 80))} · tenant ${only.tenantId}`;
  if (customers.length === 0) return 'No customers';
  const shown = customers.slice(0, 4).map((c) => `${plain(clip(c.name, 40))} (${c.tenantId})`);
  const more = customers.length > shown.length ? ` and ${customers.length - shown.length} more` : '';
  return `${customers.length} customers: ${shown.join(', ')}${more}`;
}

/** Title, customer and tenant, freshness and a Refresh button: the top of every data card. */
export function dataHeader(cardTitle: string, header: DataHeader): CardElement[] {
  return [
    {
      type: 'ColumnSet',
      columns: [
        {
          type: 'Column',
          width: 'stretch',
          items: [
            title(cardTitle),
            text(customerLine(header.customers), { size: 'Small', subtle: true, spacing: 'None' }),
            text(`Data: ${freshness(header.fetchedAt, header.fromCache, header.now)}`, {
              size: 'Small',
              subtle: true,
              spacing: 'None',
            }),
            ...(header.sources ?? []).slice(0, 4).map((s) => text(plain(clip(s, 160)), { size: 'Small', subtle: true, spacing: 'None' })),
          ],
        },
        {
          type: 'Column',
          width: 'auto',
          verticalContentAlignment: 'Center',
          items: [{ type: 'ActionSet', actions: [executeAction('Refresh', withFresh(header.refresh))] }],
        },
      ],
    },
  ];
}
