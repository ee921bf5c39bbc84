import type { Circuit } from '../network/types';
import { changeInputId } from '../intents/card-data';
import type { AdaptiveCardJson, CardElement } from './card-kit';
import { adaptiveCard, clip, executeAction, factSet, plain, text, title } from './card-kit';
import { bandwidthLabel, circuitModel, skuLabel } from './circuit-labels';
import type { CustomerRef } from './header';

/** One input of a change kind's section of the form. */
export type FormField =
  | { type: 'choice'; name: string; label: string; choices: readonly { title: string; value: string }[]; value?: string; placeholder?: string }
  | { type: 'text'; name: string; label: string; placeholder?: string; maxLength?: number };

/** A change kind's section: its fields and its own submit button (the kind is part of the button's data). */
export interface FormSection {
  kind: string;
  title: string;
  /** One line on what it does and what is refused. */
  summary: string;
  fields: readonly FormField[];
  /** Why the section can't be used on this circuit (no fields then). */
  unavailable?: string;
}

export interface ChangeFormView {
  customer: CustomerRef;
  circuit: Circuit;
  sections: readonly FormSection[];
}

function input(kind: string, field: FormField): CardElement {
  const id = changeInputId(kind, field.name);
  if (field.type === 'choice') {
    return {
      type: 'Input.ChoiceSet',
      id,
      label: field.label,
      style: 'compact',
      choices: field.choices.map((c) => ({ title: c.title, value: c.value })),
      ...(field.value !== undefined ? { value: field.value } : {}),
      ...(field.placeholder ? { placeholder: field.placeholder } : {}),
    };
  }
  return { type: 'Input.Text', id, label: field.label, maxLength: field.maxLength ?? 100, ...(field.placeholder ? { placeholder: field.placeholder } : {}) };
}

/**
 * `change <circuit>`: one section per change kind, each with its own button. A click sends that kind's fields
 * only (see intents/card-data), and the kind's zod schema validates them on the server like typed input.
 */
export function changeFormCard(view: ChangeFormView): AdaptiveCardJson {
  const c = view.circuit;
  const body: CardElement[] = [
    title(`Change ${plain(clip(c.name, 80))}`),
    text(`${plain(clip(view.customer.name, 80))} · tenant ${view.customer.tenantId}`, { size: 'Small', subtle: true, spacing: 'None' }),
    ...factSet([
      ['Now', `${bandwidthLabel(c)} · ${skuLabel(c)}`],
      ['Where', circuitModel(c)],
      ['State', `${c.provisioningState} · provider ${c.serviceProviderProvisioningState}`],
    ]),
    text('Pick one change. It goes to the approvers; nothing runs until they approve.', { size: 'Small', subtle: true }),
  ];
  for (const section of view.sections) {
    body.push(
      { type: 'Container', separator: true, spacing: 'Medium', items: [text(section.title, { weight: 'Bolder' }), text(section.summary, { size: 'Small', spacing: 'None' })] },
    );
    if (section.unavailable || section.fields.length === 0) {
      body.push(text(section.unavailable ?? 'Not available for this circuit.', { size: 'Small', subtle: true }));
      continue;
    }
    for (const field of section.fields) body.push(input(section.kind, field));
    body.push({
      type: 'ActionSet',
      actions: [
        {
          ...executeAction(`Request ${lowerFirstWord(section.title)}`, { kind: 'submit-change', circuit: c.id, change: section.kind, input: {} }, 'positive'),
          associatedInputs: 'auto',
        },
      ],
    });
  }
  return adaptiveCard(body);
}

/** "Bandwidth upgrade" → "bandwidth upgrade", but "SKU change" stays. */
function lowerFirstWord(s: string): string {
  const [first = '', ...rest] = s.split(' ');
  return [first === first.toUpperCase() ? first : first.toLowerCase(), ...rest].join(' ');
}
