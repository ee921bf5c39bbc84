import type { PathChoice, PeeringChoice } from '../intents/intent';
import type { IntentOf } from '../intents/intent';
import { peeringLabel } from '../network/health';
import type { Page } from '../network/paging';
import type { RouteRow } from '../network/types';
import type { AdaptiveCardJson } from './card-kit';
import { actionSet, adaptiveCard, clip, executeAction, table, text } from './card-kit';
import type { DataHeader } from './header';
import { dataHeader } from './header';

/** Small enough that a page of long AS paths stays well under 28 KB. */
export const ROUTES_PAGE_SIZE = 50;

export interface RoutesView {
  header: DataHeader;
  /** Full ARM id and display name. */
  circuit: { id: string; name: string };
  peering: PeeringChoice;
  path: PathChoice;
  /** The prefix filter the page was made with, kept on Previous/Next. */
  prefix?: string;
  page: Page<RouteRow>;
}

/** The button intent for another page (or path) of the same table. */
export function routesIntent(view: RoutesView, change: { page?: number; path?: PathChoice }): IntentOf<'routes'> {
  const intent: IntentOf<'routes'> = {
    kind: 'routes',
    circuit: view.circuit.id,
    peering: view.peering,
    path: change.path ?? view.path,
    page: change.page ?? view.page.page,
  };
  if (view.prefix !== undefined) intent.prefix = view.prefix;
  return intent;
}

export function routesCard(view: RoutesView): AdaptiveCardJson {
  const { page } = view;
  const kind = view.peering === 'private' ? 'private' : 'microsoft';
  const filter = view.prefix ? ` overlapping ${clip(view.prefix, 64)}` : '';
  const summary =
    page.total === 0
      ? `No routes${filter}.`
      : `Rows ${page.first}–${page.last} of ${page.total}${filter} · page ${page.page} of ${page.pages}`;
  const buttons = [];
  if (page.page > 1) buttons.push(executeAction('◀ Previous', routesIntent(view, { page: page.page - 1 })));
  if (page.page < page.pages) buttons.push(executeAction('Next ▶', routesIntent(view, { page: page.page + 1 })));
  const other: PathChoice = view.path === 'primary' ? 'secondary' : 'primary';
  buttons.push(executeAction(`Show ${other}`, routesIntent(view, { page: 1, path: other })));

  return adaptiveCard([
    ...dataHeader(`Routes of ${clip(view.circuit.name, 60)}`, view.header),
    text(`${peeringLabel(kind)} · ${view.path} link`, { weight: 'Bolder', spacing: 'None' }),
    text(summary, { size: 'Small', subtle: true }),
    ...(page.rows.length === 0
      ? []
      : table(
          [
            { title: 'Network', width: 3 },
            { title: 'Next hop', width: 3 },
            { title: 'LocPrf', width: 1 },
            { title: 'Weight', width: 1 },
            { title: 'AS path', width: 4 },
          ],
          page.rows.map((r) => [
            clip(r.network, 45),
            clip(r.nextHop, 45),
            r.locPrf ?? '',
            r.weight === undefined ? '' : String(r.weight),
            clip(r.path, 60),
          ]),
          { wrap: false },
        )),
    ...actionSet(buttons),
  ]);
}
