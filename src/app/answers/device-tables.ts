import type { IntentOf, PathChoice } from '../../intents/intent';
import { routesCard, ROUTES_PAGE_SIZE } from '../../cards/routes-card';
import { bgpCard } from '../../cards/bgp-card';
import { arpCard } from '../../cards/arp-card';
import { routeMatcher } from '../../network/prefix-match';
import { pageOf } from '../../network/paging';
import { checkablePeerings } from '../../network/health-check';
import { partFailure, type Part } from '../../network/part';
import { DEVICE_PATHS, type DevicePath, type Fresh } from '../../network/types';
import { cardReply } from '../reply';
import { choosePeering, findCircuit, header, readOptions, type Answer } from './answer-context';

/** A device read that may fail without failing the whole card (one link down is exactly when people look). */
async function part<T>(read: () => Promise<Fresh<T>>, stamps: Fresh<unknown>[]): Promise<Part<T>> {
  try {
    const r = await read();
    stamps.push(r);
    return { ok: true, value: r.value, fetchedAt: r.fetchedAt };
  } catch (e) {
    return { ok: false, error: partFailure(e) };
  }
}

function pathsFor(choice: PathChoice | undefined): readonly DevicePath[] {
  return choice ? [choice] : DEVICE_PATHS;
}

export const answerRoutes: Answer<IntentOf<'routes'>> = async (intent, context) => {
  // Parse the filter before any ARM call: a bad prefix is the user's to fix, not worth a router read.
  const matches = intent.prefix ? routeMatcher(intent.prefix) : undefined;
  const owned = await findCircuit(context, intent.circuit, intent.fresh);
  const peering = choosePeering(owned, intent.peering);
  const path = intent.path ?? 'primary';
  const routes = await context.reader.listRoutes(owned.scope, owned.circuit.id, peering.name, path, readOptions(intent));
  const rows = matches ? routes.value.filter((r) => matches(r.network)) : routes.value;
  const card = routesCard({
    header: header(context, [owned.customer], [routes], intent),
    circuit: { id: owned.circuit.id, name: owned.circuit.name },
    peering: peering.kind === 'microsoft' ? 'microsoft' : 'private',
    path,
    ...(intent.prefix ? { prefix: intent.prefix } : {}),
    page: pageOf(rows, intent.page ?? 1, ROUTES_PAGE_SIZE),
  });
  return cardReply(card, `${rows.length} routes on ${owned.circuit.name}`);
};

export const answerBgp: Answer<IntentOf<'bgp'>> = async (intent, context) => {
  const owned = await findCircuit(context, intent.circuit, intent.fresh);
  const peerings = intent.peering ? [choosePeering(owned, intent.peering)] : checkablePeerings(owned.circuit);
  if (peerings.length === 0) choosePeering(owned, undefined);
  const stamps: Fresh<unknown>[] = [];
  const paths = await Promise.all(
    peerings.flatMap((p) =>
      DEVICE_PATHS.map(async (path) => ({
        kind: p.kind,
        path,
        neighbours: await part(
          () => context.reader.listBgpNeighbours(owned.scope, owned.circuit.id, p.name, path, readOptions(intent)),
          stamps,
        ),
      })),
    ),
  );
  const card = bgpCard({ header: header(context, [owned.customer], stamps, intent), circuit: owned.circuit, paths });
  return cardReply(card, `BGP of ${owned.circuit.name}`);
};

export const answerArp: Answer<IntentOf<'arp'>> = async (intent, context) => {
  const owned = await findCircuit(context, intent.circuit, intent.fresh);
  const peering = choosePeering(owned, intent.peering);
  const stamps: Fresh<unknown>[] = [];
  const tables = await Promise.all(
    pathsFor(intent.path).map(async (path) => ({
      kind: peering.kind,
      path,
      entries: await part(() => context.reader.listArp(owned.scope, owned.circuit.id, peering.name, path, readOptions(intent)), stamps),
    })),
  );
  const card = arpCard({
    header: header(context, [owned.customer], stamps, intent),
    circuit: { id: owned.circuit.id, name: owned.circuit.name },
    tables,
  });
  return cardReply(card, `ARP of ${owned.circuit.name}`);
};
