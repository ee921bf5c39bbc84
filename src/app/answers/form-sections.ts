import type { FormFacts, KindFormSubject } from '../../changes/change-kind';
import type { RegisteredKind } from '../../changes/change-kinds';
import { fieldsFor, type FieldShape, type FormPlan, isSecret, type KindField } from '../../changes/kind-fields';
import type { FormField, FormSection } from '../../cards/change-form-card';

/**
 * The change form, derived from the kinds' declarations: a kind plans its sections against the resource as
 * it is now (current values, choices, why a section is unavailable), and each of its fields becomes an input
 * by its shape. The regexes here are the client's convenience only: the kind's zod schema and rules decide.
 */

const DIGITS = '^\\s*\\d{1,10}\\s*$';
/** IPv4 or IPv6 address/length; the server checks alignment and sizes. */
const CIDR = '^\\s*[0-9A-Fa-f:.]{2,45}/\\d{1,3}\\s*$';
const CIDR_LIST = '^\\s*[0-9A-Fa-f:.]{2,45}/\\d{1,3}(\\s*[,; ]\\s*[0-9A-Fa-f:.]{2,45}/\\d{1,3})*\\s*$';
const COMMUNITY_LIST = '^\\s*\\d{1,10}:\\d{1,10}(\\s*[,; ]\\s*\\d{1,10}:\\d{1,10})*\\s*$';
const NAME = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,78}[A-Za-z0-9_]$|^[A-Za-z0-9]$';
const IP = '^\\s*[0-9A-Fa-f:.]{2,45}\\s*$';
/** A prefix, or a service tag's name such as AzureCloud or Storage.WestEurope. */
const CIDR_OR_TAG = '^\\s*([0-9A-Fa-f:.]{2,45}/\\d{1,3}|[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z0-9]+)*)\\s*$';

/** How a text input of each shape is checked on the client, and what it says when the check fails. */
const TEXT_CHECKS: Partial<Record<FieldShape, { regex: string; errorMessage: (f: KindField) => string }>> = {
  number: { regex: DIGITS, errorMessage: (f) => `${f.label}: write a whole number.` },
  asn: { regex: DIGITS, errorMessage: (f) => `${f.label}: an ASN is a whole number.` },
  subnet: { regex: CIDR, errorMessage: (f) => `Write it as address/length, e.g. ${f.example}.` },
  prefix: { regex: CIDR, errorMessage: (f) => `Write it as address/length, e.g. ${f.example}.` },
  prefixOrServiceTag: {
    regex: CIDR_OR_TAG,
    errorMessage: (f) => `Write it as address/length, e.g. ${f.example}, or give a service tag such as Storage.WestEurope.`,
  },
  prefixes: { regex: CIDR_LIST, errorMessage: () => 'Write prefixes as address/length, separated by commas.' },
  communities: { regex: COMMUNITY_LIST, errorMessage: () => 'Communities look like 12076:5010 (a service) or 12076:51004 (a region).' },
  ip: { regex: IP, errorMessage: (f) => `An IPv4 or IPv6 address, e.g. ${f.example}.` },
  name: { regex: NAME, errorMessage: () => 'Letters, digits, ".", "-" or "_".' },
  resource: { regex: NAME, errorMessage: () => 'Letters, digits, ".", "-" or "_".' },
};

/** One field as a form input, filled as the kind's plan says. */
export function formField(field: KindField, plan: FormPlan): FormField {
  const value = plan.values?.[field.key];
  const label = field.help ? `${field.label} (${field.help})` : field.label;
  const choices =
    plan.choices?.[field.key] ?? (field.shape === 'choice' ? (field.choices ?? []).map((c) => ({ title: c, value: c })) : undefined);
  if (choices) {
    return { type: 'choice', name: field.key, label, choices, ...(value !== undefined ? { value } : { placeholder: 'Pick one' }) };
  }
  if (field.shape === 'flag') return { type: 'toggle', name: field.key, label: field.label, title: field.label };
  const check = isSecret(field) ? undefined : TEXT_CHECKS[field.shape];
  return {
    type: 'text',
    name: field.key,
    label,
    placeholder: plan.placeholders?.[field.key] ?? `e.g. ${field.example}`,
    maxLength: field.maxLength ?? 60,
    ...(check ? { regex: check.regex, errorMessage: check.errorMessage(field) } : {}),
    ...(plan.creating && !field.optional ? { isRequired: true } : {}),
    ...(value !== undefined && !isSecret(field) ? { value } : {}),
    ...(isSecret(field) ? { secret: true } : {}),
  };
}

/** A kind's sections of the form for this resource (none when the kind is not changed from here). */
export function formSections(kind: RegisteredKind, on: KindFormSubject, facts: FormFacts): FormSection[] {
  return kind.form(on, facts).map((plan) => ({
    kind: kind.name,
    ...(plan.id ? { id: plan.id } : {}),
    ...(plan.action ? { preset: { action: plan.action } } : {}),
    ...(plan.targetId ? { targetId: plan.targetId } : {}),
    title: plan.title ?? kind.title,
    summary: plan.summary,
    fields: plan.unavailable
      ? []
      : fieldsFor(kind.fields, plan.action)
          .filter((f) => !plan.omit?.includes(f.key))
          .map((f) => formField(f, plan)),
    ...(plan.unavailable ? { unavailable: plan.unavailable } : {}),
  }));
}
