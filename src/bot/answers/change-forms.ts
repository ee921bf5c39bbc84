import { allowedUpgrades, formatBandwidth } from '../../network/bandwidth';
import type { Circuit } from '../../network/types';
import type { FormSection } from '../../cards/change-form-card';

/**
 * The change form's section for each change kind that applies to a circuit, keyed by the kind's registry
 * name. A kind registered in src/changes shows on `change <circuit>` once it has an entry here; the fields'
 * names are the kind's input keys, and its zod schema validates what comes back.
 */
export const CIRCUIT_FORMS: Readonly<Record<string, (circuit: Circuit, title: string) => FormSection>> = {
  bandwidth: (circuit, title) => {
    const steps = allowedUpgrades(circuit);
    return {
      kind: 'bandwidth',
      title,
      summary: `Now ${formatBandwidth(circuit.bandwidthMbps)}. Raised in place without downtime; a decrease is not possible in place.`,
      fields:
        steps.length > 0
          ? [
              {
                type: 'choice',
                name: 'bandwidth',
                label: 'New bandwidth',
                choices: steps.map((mbps) => ({ title: formatBandwidth(mbps), value: String(mbps) })),
                value: String(steps[0]),
              },
            ]
          : [],
      ...(steps.length === 0 ? { unavailable: `${formatBandwidth(circuit.bandwidthMbps)} is already the largest step offered here.` } : {}),
    };
  },
  sku: (circuit, title) => ({
    kind: 'sku',
    title,
    summary: `Now ${circuit.sku.tier} / ${circuit.sku.family}. Metered → Unlimited is one-way; Premium → Standard only within Standard's limits.`,
    fields: [
      {
        type: 'choice',
        name: 'tier',
        label: 'SKU tier',
        choices: ['Local', 'Standard', 'Premium'].map((t) => ({ title: t, value: t })),
        value: circuit.sku.tier,
      },
      {
        type: 'choice',
        name: 'family',
        label: 'SKU family (billing)',
        choices: [
          { title: 'Metered data', value: 'MeteredData' },
          { title: 'Unlimited data', value: 'UnlimitedData' },
        ],
        value: circuit.sku.family,
      },
    ],
  }),
};
