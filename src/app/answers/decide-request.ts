import { awaitsCustomerSide } from '../../changes/approval-rule';
import type { IntentOf } from '../../intents/intent';
import type { Answer } from './answer-context';
import { changesOf } from './changes-of';
import { personalReply } from './personal-reply';

export const answerApprove: Answer<IntentOf<'approve'>> = async (intent, context) => {
  const changes = changesOf(context);
  const result = await changes.workflow.approve(context.person, intent.id);
  if (result.execution) changes.runInBackground('execute-change', result.execution);
  const r = result.request;
  const summary = result.decisive
    ? `${r.id} approved: running in Azure`
    : `${r.id}: ${r.approvals.length}/${r.required} approvals${awaitsCustomerSide(r) ? ", still needs one from the customer's side" : ''}`;
  return personalReply(context, r, summary);
};

export const answerReject: Answer<IntentOf<'reject'>> = async (intent, context) => {
  const request = await changesOf(context).workflow.reject(context.person, intent.id, intent.reason);
  return personalReply(context, request, `${request.id} rejected`);
};

export const answerCancel: Answer<IntentOf<'cancel'>> = async (intent, context) => {
  const request = await changesOf(context).workflow.cancel(context.person, intent.id);
  return personalReply(context, request, `${request.id} cancelled`);
};
