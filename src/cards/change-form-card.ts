import { changeInputId } from '../intents/card-data';
import type { Intent } from '../intents/intent';
import type { AdaptiveCardJson, CardElement, Fact } from './card-kit';
import { adaptiveCard, clip, executeAction, factSet, plain, text, title } from './card-kit';
import type { CustomerRef } from './header';

/**
 * One input of a change kind's section of the form. `regex`, `isRequired` and `errorMessage` are the client's
 * convenience only: the server validates every value with the kind's zod schema and rules.
 */
export type FormField =
  | {
      type: 'choice';
      name: string;
      label: string;
      choices: readonly { title: string; value: string }[];
      value?: string;
      placeholder?: string;
    }
  | {
      type: 'text';
      name: string;
      label: string;
      placeholder?: string;
      maxLength?: number;
      value?: string;
      regex?: string;
      isRequired?: boolean;
      errorMessage?: string;
      /** A secret (an MD5 key): masked as it is typed, and never filled in. */
      secret?: boolean;
    }
  | { type: 'toggle'; name: string; label: string; title: string };

/** A change kind's section: its fields and its own submit button (the kind is part of the button's data). */
export interface FormSection {
  /** The change kind's registry name. */
  kind: string;
  /** When a kind has several sections (create / attach): their own id, the prefix of their input ids. */
  id?: string;
  /** Fixed input the button sends with the fields, e.g. { action: 'attach' }. */
  preset?: Readonly<Record<string, string | number | boolean>>;
  /** The resource the change applies to when it isn't the form's subject (a circuit's route filter). */
  targetId?: string;
  title: string;
  /** One line on what it does and what is refused. */
  summary: string;
  fields: readonly FormField[];
  /** Why the section can't be used here (no fields then). */
  unavailable?: string;
}

export interface ChangeFormView {
  customer: CustomerRef;
  /** What the form changes: a circuit, a route table or a route filter. */
  subject: { id: string; name: string; facts: readonly Fact[] };
  sections: readonly FormSection[];
  /** Shown under the title, e.g. where to type secrets. */
  note?: string;
}

function input(section: string, field: FormField): CardElement {
  const id = changeInputId(section, field.name);
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
  if (field.type === 'toggle') {
    return { type: 'Input.Toggle', id, label: field.label, title: field.title, valueOn: 'true', valueOff: 'false', value: 'false' };
  }
  return {
    type: 'Input.Text',
    id,
    label: field.label,
    maxLength: field.maxLength ?? 100,
    ...(field.secret ? { style: 'Password' } : field.value !== undefined ? { value: field.value } : {}),
    ...(field.placeholder ? { placeholder: field.placeholder } : {}),
    ...(field.regex ? { regex: field.regex } : {}),
    ...(field.isRequired ? { isRequired: true } : {}),
    ...(field.errorMessage ? { errorMessage: field.errorMessage } : {}),
  };
}

/** "Bandwidth upgrade" → "bandwidth upgrade", but "SKU change" stays. */
function lowerFirstWord(s: string): string {
  const [first = '', ...rest] = s.split(' ');
  return [first === first.toUpperCase() ? first : first.toLowerCase(), ...rest].join(' ');
}

/**
 * `change <circuit | route table | route filter>`: one section per change, each opening its own small form
 * (an Action.ShowCard) with its own Request button. Each form is separate, so one section's required fields
 * never block another's button; a click sends that section's fields only (see intents/card-data), and the
 * kind's zod schema validates them on the server like typed input.
 */
export function changeFormCard(view: ChangeFormView): AdaptiveCardJson {
  const s = view.subject;
  const body: CardElement[] = [
    title(`Change ${plain(clip(s.name, 80))}`),
    text(`${plain(clip(view.customer.name, 80))} · tenant ${view.customer.tenantId}`, { size: 'Small', subtle: true, spacing: 'None' }),
    ...factSet(s.facts),
    text('Pick one change. It goes to the approvers; nothing runs until they approve.', { size: 'Small', subtle: true }),
    ...(view.note ? [text(plain(clip(view.note, 400)), { size: 'Small', subtle: true })] : []),
  ];
  if (view.sections.length === 0) body.push(text('No change applies here.', { subtle: true }));
  for (const section of view.sections) {
    body.push({
      type: 'Container',
      separator: true,
      spacing: 'Medium',
      items: [
        text(plain(clip(section.title, 80)), { weight: 'Bolder' }),
        text(plain(clip(section.summary, 400)), { size: 'Small', spacing: 'None' }),
      ],
    });
    if (section.unavailable || section.fields.length === 0) {
      body.push(text(plain(clip(section.unavailable ?? 'Not available here.', 300)), { size: 'Small', subtle: true }));
      continue;
    }
    const formId = section.id ?? section.kind;
    const intent: Intent = {
      kind: 'submit-change',
      circuit: section.targetId ?? s.id,
      change: section.kind,
      input: { ...(section.preset ?? {}) },
      ...(section.id ? { form: section.id } : {}),
    };
    const label = `Request ${lowerFirstWord(section.title)}`;
    body.push({
      type: 'ActionSet',
      actions: [
        {
          type: 'Action.ShowCard',
          title: `${plain(clip(section.title, 60))}…`,
          card: {
            type: 'AdaptiveCard',
            body: section.fields.map((f) => input(formId, f)),
            actions: [{ ...executeAction(label, intent, 'positive'), associatedInputs: 'auto' }],
          },
        },
      ],
    });
  }
  return adaptiveCard(body);
}
