import type { ChangeRequest } from '../../changes/change-request';
import type { RequestNotice } from '../../cards/request-card';
import type { Reply } from '../reply';
import type { AnswerContext } from './answer-context';
import { changesOf } from './changes-of';

export interface PersonalReplyOptions {
  /** Also post the request to its approvers and the approvals channel once delivered. */
  announce?: boolean;
  /** Shown first on this reply's card only. */
  notice?: RequestNotice;
}

/** The request as this person sees it: their buttons, and kept current once delivered (`track`). */
export async function personalReply(
  context: AnswerContext,
  request: ChangeRequest,
  summary: string,
  options: PersonalReplyOptions = {},
): Promise<Reply> {
  const card = await changesOf(context).views.personalCard(request, context.person, undefined, { notice: options.notice });
  const announce = options.announce ?? false;
  return { kind: 'card', card, summary, ...(announce ? { track: { requestId: request.id, version: request.version, announce } } : {}) };
}
