import type { ChangeRequest } from '../changes/change-request';
import type { AdaptiveCardJson } from './card-kit';
import { adaptiveCard, clip, factSet, plain, text, title } from './card-kit';
import { hintWords } from './hint-words';

export interface SecretCardView {
  request: Pick<ChangeRequest, 'id' | 'circuitName'>;
  /** What it is, e.g. "the authorization key of auth-contoso-hub". */
  label: string;
  secret: string;
}

/**
 * A secret for its requester only (an authorization key), in their 1:1 chat. Built only there: the bot never
 * posts it anywhere else, logs it or keeps it, and this card is never updated afterwards.
 */
export function secretCard(view: SecretCardView): AdaptiveCardJson {
  return adaptiveCard([
    title('🔑 Authorization key'),
    text(
      `${plain(clip(view.label, 120))}, on ${plain(clip(view.request.circuitName, 80))} (${view.request.id}). Read from Azure just now, for you only.`,
      { wrap: true },
    ),
    ...factSet([['Key', view.secret]]),
    text(
      hintWords([
        'Give it to the customer over a secure channel; they redeem it with the circuit id to link their VNet. Anyone holding it can link a VNet to this circuit, so never paste it in a channel. The bot keeps no copy: ',
        { say: 'key', args: [view.request.id] },
        ' here reads it again.',
      ]),
      { size: 'Small', subtle: true },
    ),
  ]);
}
