import type { AdaptiveCardJson } from './card-kit';
import { adaptiveCard, clip, plain, text } from './card-kit';
import type { CustomerRef } from './header';

export interface ProgressView {
  /** What is being read, e.g. "BGP summary of er1, private peering, primary and secondary". */
  reading: readonly string[];
  customer?: CustomerRef;
  /** Defaults to reading from the edge routers, the slow part of most answers. */
  headline?: string;
}

/** Shown at once while slow reads run; the bot replaces it with the answer. */
export function progressCard(view: ProgressView): AdaptiveCardJson {
  return adaptiveCard([
    text(`⏳ ${view.headline ?? 'Reading from the Microsoft edge routers…'}`, { size: 'Medium', weight: 'Bolder' }),
    ...(view.customer
      ? [
          text(`${plain(clip(view.customer.name, 80))} · tenant ${view.customer.tenantId}`, {
            size: 'Small',
            subtle: true,
            spacing: 'None',
          }),
        ]
      : []),
    ...(view.reading.length > 0
      ? [
          text(
            view.reading
              .slice(0, 12)
              .map((r) => `- ${plain(clip(r, 160))}`)
              .join('\n'),
            { size: 'Small' },
          ),
        ]
      : []),
    text('This card updates by itself when the answer is ready.', { size: 'Small', subtle: true }),
  ]);
}
