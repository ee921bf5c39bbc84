import type { IntentOf } from '../../intents/intent';
import type { FormFacts, KindFormSubject } from '../../changes/change-kind';
import { changeFormCard, type ChangeFormView, type FormSection } from '../../cards/change-form-card';
import { bandwidthLabel, circuitModel, skuLabel } from '../../cards/circuit-labels';
import type { Answer, AnswerContext } from './answer-context';
import { formSections } from './form-sections';
import { findAnyChangeTarget, type ChangeTarget } from './change-targets';
import { changesOf } from './changes-of';

async function circuitFilters(context: AnswerContext, target: Extract<ChangeTarget, { type: 'expressRouteCircuit' }>): Promise<FormFacts> {
  try {
    return { filters: (await context.reader.listRouteFilters(target.scope, { fresh: true })).value };
  } catch (e) {
    // The attach section then says there is nothing to attach; the rest of the form still works.
    context.log.info({ err: e instanceof Error ? e.message : String(e) }, 'could not list route filters for the change form');
    return {};
  }
}

const FORM_NOTE =
  'An MD5 key typed into this form is masked and goes only to the bot: it is never shown, logged or stored with the request.';

/** `change <circuit | route table | route filter>`: every kind's sections for that resource (form-sections.ts), as one form. */
export const answerChange: Answer<IntentOf<'change'>> = async (intent, context) => {
  const { workflow } = changesOf(context);
  const target = await findAnyChangeTarget(context, intent.circuit);
  context.access.requireRight(context.person, 'request', target.customer.id);
  let on: KindFormSubject;
  let facts: FormFacts = {};
  let subject: ChangeFormView['subject'];
  if (target.type === 'expressRouteCircuit') {
    const c = target.circuit;
    on = { circuit: c };
    facts = await circuitFilters(context, target);
    subject = {
      id: c.id,
      name: c.name,
      facts: [
        ['Now', `${bandwidthLabel(c)} · ${skuLabel(c)}`],
        ['Where', circuitModel(c)],
        ['State', `${c.provisioningState} · provider ${c.serviceProviderProvisioningState}`],
        ['Peerings', c.peerings.map((p) => `${p.name} (${p.state ?? 'Enabled'})`).join(', ') || 'none'],
      ],
    };
  } else if (target.type === 'routeTable') {
    const t = target.table;
    on = { routeTable: t };
    subject = {
      id: t.id,
      name: t.name,
      facts: [
        ['Route table', `${t.name} · ${t.resourceGroup} · ${t.location}`],
        ['Routes', String(t.routes.length)],
        ['Subnets', String(t.subnetIds.length)],
      ],
    };
  } else {
    const f = target.filter;
    on = { routeFilter: f };
    subject = {
      id: f.id,
      name: f.name,
      facts: [
        ['Route filter', `${f.name} · ${f.resourceGroup} · ${f.location}`],
        ['Attached to', `${f.peeringIds.length} peering(s)`],
      ],
    };
  }
  // Every kind plans its own sections for this resource; kinds that don't change it plan none.
  const sections: FormSection[] = workflow.kinds.names().flatMap((name) => formSections(workflow.kinds.get(name), on, facts));
  const card = changeFormCard({
    customer: { name: target.customerName, tenantId: target.customer.tenantId },
    subject,
    sections,
    ...(target.type === 'expressRouteCircuit' ? { note: FORM_NOTE } : {}),
  });
  return { kind: 'card', card, summary: `Change ${subject.name}` };
};
