import { CodedError, ErrorCode } from '../../errors';
import type { IntentOf } from '../../intents/intent';
import type { Customer } from '../../directory/directory';
import { effectiveRoutesCard, EFFECTIVE_ROUTES_PAGE_SIZE } from '../../cards/effective-routes-card';
import { armIdName, looksLikeArmId } from '../../network/arm-id';
import { chooseRoute, type NetworkInterfaceRef, parseDestination } from '../../network/effective-routes';
import { mapConcurrent } from '../../network/map-concurrent';
import { pageOf } from '../../network/paging';
import { partFailure, type PartFailure } from '../../network/part';
import { cardReply } from '../reply';
import { header, readOptions, type Answer, type AnswerContext } from './answer-context';
import { customersForName } from './visible-circuits';

const SOURCES = ['Routes: Azure, computed for the NIC (effectiveRouteTable)', 'NICs, VMs and gateways: Azure Resource Graph'];

const lower = (s: string) => s.toLowerCase();

interface Found {
  customer: Customer;
  nic: NetworkInterfaceRef;
}

const label = (f: Found) => `${f.customer.id}/${f.nic.named === 'vm' && f.nic.vm ? f.nic.vm.name : f.nic.name}`;

/**
 * The one NIC (or VM) a reference names among the customers the person may view: a name, `customer/name`, or an
 * ARM id. Nothing outside those customers is looked at, so a miss reads the same whether or not it exists elsewhere.
 */
async function findInterface(context: AnswerContext, query: string, fresh: boolean): Promise<Found> {
  const visible = context.access.customersWith(context.person, 'view');
  const qualified = !looksLikeArmId(query) && query.includes('/');
  const owner = qualified ? lower(query.slice(0, query.indexOf('/')).trim()) : undefined;
  // customer/name looks in that customer only: never in another that happens to have the name.
  const customers =
    owner === undefined ? customersForName(query, visible) : visible.filter((c) => lower(c.id) === owner || lower(c.name) === owner);
  const name = qualified ? query.slice(query.indexOf('/') + 1).trim() : query.trim();
  const tenants = [...new Set(customers.map((c) => lower(c.tenantId)))];
  const failures: PartFailure[] = [];
  const found = (
    await mapConcurrent(tenants, 8, async (tenantId) => {
      const inTenant = customers.filter((c) => lower(c.tenantId) === tenantId);
      try {
        const refs = await context.effectiveRoutes.findInterfaces(
          inTenant[0]?.tenantId ?? tenantId,
          inTenant.flatMap((c) => c.subscriptions),
          name,
          fresh ? { fresh: true } : {},
        );
        return refs.flatMap((nic) => {
          const customer = inTenant.find((c) => c.subscriptions.some((s) => lower(s) === lower(nic.subscriptionId)));
          return customer ? [{ customer, nic }] : [];
        });
      } catch (e) {
        failures.push(partFailure(e));
        return [];
      }
    })
  ).flat();
  const [only, ...others] = found;
  if (only && others.length === 0) return only;
  if (only) {
    const names = found.map(label).sort();
    throw new CodedError(ErrorCode.Ambiguous, `More than one NIC or VM is called '${armIdName(name).slice(0, 80)}': ${names.join(', ')}.`, {
      hint: `Say which one with customer/name or its ARM id, e.g. \`${names[0]}\`.`,
      details: { candidates: names },
    });
  }
  const failed = failures[0];
  const unread = failed ? ` Some subscriptions could not be searched: ${failed.message}` : '';
  throw new CodedError(
    ErrorCode.NotFound,
    `I can't find a NIC or VM '${query.trim().slice(0, 80)}' among the customers you can see.${unread}`,
    {
      hint: ['Check the name, or give it as customer/name or its ARM id, e.g. ', { say: 'effective-routes', args: ['<vm>'] }, '.'],
    },
  );
}

export const answerEffectiveRoutes: Answer<IntentOf<'effective-routes'>> = async (intent, context) => {
  // A bad destination is the user's to fix before any read.
  const destination = intent.destination === undefined ? undefined : parseDestination(intent.destination);
  const { customer, nic } = await findInterface(context, intent.target, intent.fresh ?? false);
  const table = await context.effectiveRoutes.effectiveRoutes(customer.tenantId, customer.subscriptions, nic, readOptions(intent));
  const choice = destination === undefined ? undefined : chooseRoute(table.value, destination);
  const card = effectiveRoutesCard({
    header: header(context, [customer], [table], intent, SOURCES),
    nic,
    // The buttons ask about what was named: the VM stays the VM on the next page.
    target: nic.named === 'vm' && nic.vm ? nic.vm.id : nic.id,
    table: table.value,
    page: pageOf(table.value.routes, intent.page ?? 1, EFFECTIVE_ROUTES_PAGE_SIZE),
    ...(choice ? { choice } : {}),
  });
  const summary = choice
    ? `${nic.name} → ${choice.destination}: ${choice.goes.text}`
    : `${table.value.routes.length} effective routes of ${nic.name}`;
  return cardReply(card, summary);
};
