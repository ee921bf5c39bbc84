import { awaitsCustomerSide } from '../changes/approval-rule';
import { untilLabel } from '../changes/change-calendar';
import type { Rerequest } from '../changes/workflow';
import type { ChangeRequest, ChangeState, Verification } from '../changes/change-request';
import { AUTHORIZATION_VERSION_FACT } from '../changes/kinds/authorization/authorization-kind';
import { REJECT_REASON_INPUT } from '../intents/card-data';
import { INTENT_VERB, type Intent } from '../intents/intent';
import type { Hint } from '../command-names';
import type { AdaptiveCardJson, CardElement, Fact, TextColor, TextOptions } from './card-kit';
import { adaptiveCard, clip, executeAction, factSet, plain, text, title } from './card-kit';
import type { CustomerRef } from './header';
import { hintWords } from './hint-words';
import { armCodeOf, failedFootnote, outcomeMessage, outcomeShort } from './outcome-words';
import { clockTime, duration, utcTime } from './time-words';

/** What the person looking at the card may do; absent for the card everyone sees (status only). */
export interface RequestViewer {
  /** The viewer asked for the change (only they may get a secret it produced). */
  isRequester?: boolean;
  canApprove: boolean;
  canReject: boolean;
  canCancel: boolean;
  /** Stale or expired, and the viewer may request: offer to ask again. */
  canRerequest: boolean;
  /** Succeeded with a way back, none asked for yet, and the viewer may request: offer Rollback. */
  canRollback?: boolean;
  /** Why the viewer has no buttons, e.g. "You asked for this change", shown in small print. */
  note?: string;
}

/** A succeeded change produced a secret for its requester (an authorization key): where it went. */
export interface SecretNote {
  text: string;
  /** Offer the Show key button (the requester's own view; the server refuses it outside their 1:1 chat). */
  showKey: boolean;
}

/**
 * Something the viewer must read before the request itself, e.g. that the MD5 key they typed in a chat is
 * exposed: `attention` for what they should act on, `warning` for small print.
 */
export interface RequestNotice {
  text: Hint;
  tone: 'attention' | 'warning';
}

export interface RequestCardView {
  request: ChangeRequest;
  /** Shown first, above the title. */
  notice?: RequestNotice;
  /** Only for succeeded changes that produced a secret; never the secret itself. */
  secret?: SecretNote;
  customer: CustomerRef;
  /** The kind's title, e.g. "Bandwidth upgrade". */
  kindTitle: string;
  /** Names of the people who may approve. */
  approvers: readonly string[];
  /**
   * A Connect-To circuit change (`needsCustomerSide`): the names of the customer's own approvers, one of whom must
   * approve it.
   */
  customerSide?: readonly string[];
  /** The time the card is built for; cards never read the clock. */
  now: number;
  /** Latest ARM status while executing (from progress events). */
  progress?: { status: string; elapsedMs: number };
  viewer?: RequestViewer;
  /**
   * Teams ids (≤ 60) that get their own view: Teams asks the bot for it with the refresh action. Everyone else
   * sees this card as built.
   */
  refreshUserIds?: readonly string[];
  /** What asking again means (the workflow decides; a typed secret is never carried in card data). */
  rerequest?: Rerequest;
  /** The customer's first change window's IANA zone: times of day on the card are in it (UTC without windows). */
  timeZone?: string;
  /** The rollbacks asked for this request, newest first: the card links them as they link back. */
  rollbacks?: readonly RollbackRef[];
}

/** A rollback of the request on the card, and where it stands. */
export interface RollbackRef {
  id: string;
  state: ChangeState;
}

/** Teams refuses a refresh with more than 60 user ids. */
export const MAX_REFRESH_USERS = 60;
const MAX_NAMES = 8;

const STATE_LINE: Record<ChangeState, { icon: string; label: string; color: TextColor }> = {
  pending: { icon: '⏳', label: 'Waiting for approval', color: 'Warning' },
  approved: { icon: '✅', label: 'Approved: starting in Azure', color: 'Accent' },
  executing: { icon: '⚙️', label: 'Running in Azure', color: 'Accent' },
  succeeded: { icon: '✅', label: 'Succeeded', color: 'Good' },
  failed: { icon: '⛔', label: 'Failed', color: 'Attention' },
  rejected: { icon: '🚫', label: 'Rejected', color: 'Attention' },
  cancelled: { icon: '↩️', label: 'Cancelled', color: 'Default' },
  expired: { icon: '⌛', label: 'Expired', color: 'Default' },
  stale: { icon: '⚠️', label: 'Stale: the circuit changed', color: 'Warning' },
};

function names(list: readonly string[], none = 'nobody yet (ask a bot admin to grant approve)'): string {
  if (list.length === 0) return none;
  const shown = list.slice(0, MAX_NAMES).map((n) => plain(clip(n, 40)));
  return list.length > shown.length ? `${shown.join(', ')} and ${list.length - shown.length} more` : shown.join(', ');
}

function diffFacts(request: ChangeRequest): Fact[] {
  return Object.entries(request.plan.diff).map(([label, [before, after]]) => [
    plain(clip(label, 60)),
    `${plain(clip(before, 160))} → ${plain(clip(after, 160))}`,
  ]);
}

function afterFacts(after: Record<string, string> | undefined): CardElement[] {
  if (!after) return [];
  // The authorization's etag is bookkeeping for `key`, not something a reader can act on.
  return factSet(
    Object.entries(after)
      .filter(([k]) => k !== AUTHORIZATION_VERSION_FACT)
      .slice(0, 12)
      .map(([k, v]) => [plain(clip(k, 40)), plain(clip(v, 80))]),
  );
}

function impactSection(request: ChangeRequest): CardElement[] {
  const impact = request.plan.impact;
  return [
    text('What it means', { weight: 'Bolder', spacing: 'Medium' }),
    ...(impact.disruptive ? [text('⚠ Disruptive: this change interrupts traffic.', { weight: 'Bolder', color: 'Attention' })] : []),
    ...factSet([
      ['Downtime', plain(clip(impact.downtime, 200))],
      ['Reversible', impact.oneWay ? 'No: one-way' : 'Yes'],
      ['Billing', plain(clip(impact.billing, 300))],
    ]),
    ...(impact.notes.length > 0
      ? [
          text(
            impact.notes
              .slice(0, 6)
              .map((n) => `- ${plain(clip(n, 240))}`)
              .join('\n'),
            { size: 'Small' },
          ),
        ]
      : []),
  ];
}

/**
 * Connect-To: "needs 1 approval from Contoso Ltd's side (Erin, Frank) and 1 from anyone with approve", and why, while
 * the customer's side has not approved; who did once it has.
 */
function customerSideLines(view: RequestCardView): { facts: Fact[]; why: CardElement[] } {
  const r = view.request;
  if (!r.needsCustomerSide) return { facts: [], why: [] };
  const customer = plain(clip(view.customer.name, 80));
  const theirs = r.approvals.filter((a) => a.side === 'customer').map((a) => a.by.name);
  if (theirs.length > 0) return { facts: [[`${customer}'s side`, `approved by ${names(theirs)}`]], why: [] };
  if (r.state !== 'pending') return { facts: [], why: [] };
  const others = r.required - 1;
  const rule = `Connect-To: needs 1 approval from ${customer}'s side (${names(view.customerSide ?? [], 'nobody in the directory yet')})${
    others > 0 ? ` and ${others} from anyone with approve` : ''
  }`;
  return {
    facts: [['Who must approve', rule]],
    why: [
      text(
        `${customer} uses the Connect-To model: it configures its own routers, so a change to the circuit needs its side's approval too.`,
        { size: 'Small', subtle: true },
      ),
    ],
  };
}

function approvalSection(view: RequestCardView): CardElement[] {
  const r = view.request;
  const approved = r.approvals.map((a) => a.by.name);
  const customerSide = customerSideLines(view);
  const facts: Fact[] = [
    ['Approvals', `${r.approvals.length} of ${r.required}${r.required > 1 ? ' (distinct approvers)' : ''}`],
    ['Approved by', approved.length > 0 ? names(approved) : undefined],
    ...customerSide.facts,
  ];
  if (r.state === 'pending') {
    facts.push(['Who can approve', names(view.approvers)]);
    const left = r.expiresAt - view.now;
    facts.push(['Expires', `${utcTime(r.expiresAt)}${left > 0 ? ` (in ${duration(left)})` : ''}`]);
  }
  return [...factSet(facts), ...customerSide.why];
}

function stateSection(view: RequestCardView): CardElement[] {
  const r = view.request;
  const outcome = r.outcome;
  switch (r.state) {
    case 'pending':
      return [...approvalSection(view), ...impactSection(r)];
    case 'approved':
      return [...approvalSection(view), text(approvedWords(view))];
    case 'executing': {
      const startedAt = r.operation?.startedAt ?? r.updatedAt;
      const elapsed = view.progress?.elapsedMs ?? Math.max(0, view.now - startedAt);
      const status = view.progress?.status ?? r.operation?.status ?? 'starting';
      return [
        ...approvalSection(view),
        ...factSet([
          ['Running for', duration(elapsed)],
          ['ARM status', plain(clip(status, 80))],
          ['Attempts', (r.operation?.attempts ?? 0) > 0 ? String(r.operation?.attempts) : undefined],
        ]),
        text('This card updates by itself until Azure finishes.', { size: 'Small', subtle: true }),
      ];
    }
    case 'succeeded':
      return [
        text(plain(clip(outcomeMessage(r), 400))),
        ...(outcome?.after ? [text('Read back from Azure', { weight: 'Bolder', spacing: 'Medium' }), ...afterFacts(outcome.after)] : []),
        ...(view.secret ? [text(`🔑 ${plain(clip(view.secret.text, 400))}`, { weight: 'Bolder', spacing: 'Medium' })] : []),
        ...wayBack(view),
        ...approvalSection(view),
      ];
    case 'failed': {
      const words = outcomeShort(outcome);
      const armCode = armCodeOf(outcome);
      return [
        ...(words ? [text(`In short: ${words}.`, { weight: 'Bolder' })] : []),
        text(plain(clip(outcomeMessage(r), 600))),
        ...(armCode ? [text(`Azure's code: ${plain(clip(armCode, 80))}`, { size: 'Small', subtle: true })] : []),
        ...(outcome?.after ? [text('The circuit now', { weight: 'Bolder', spacing: 'Medium' }), ...afterFacts(outcome.after)] : []),
        text(hintWords(failedFootnote(r, plain(clip(r.circuitName, 80)))), { size: 'Small', subtle: true }),
      ];
    }
    case 'rejected':
      return [
        ...factSet([
          ['Rejected by', r.rejection ? plain(clip(r.rejection.by.name, 60)) : undefined],
          ['Reason', r.rejection ? plain(clip(r.rejection.reason, 500)) : undefined],
          ['When', r.rejection ? utcTime(r.rejection.at) : undefined],
        ]),
        text('Nothing was sent to Azure.', { size: 'Small', subtle: true }),
      ];
    case 'cancelled':
      return [text(`${plain(clip(r.requester.name, 60))} withdrew the request at ${utcTime(r.updatedAt)}. Nothing was sent to Azure.`)];
    case 'expired':
      return [
        text(
          `Nobody decided before ${utcTime(r.expiresAt)} (${r.approvals.length} of ${r.required} approvals), so it can no longer be approved. Nothing was sent to Azure.`,
        ),
      ];
    case 'stale':
      return [
        text(plain(clip(outcomeMessage(r), 500))),
        ...(outcome?.after ? [text('The circuit now', { weight: 'Bolder', spacing: 'Medium' }), ...afterFacts(outcome.after)] : []),
      ];
  }
}

/** What an approved change is doing: going to Azure now, or waiting for a change window or the end of a freeze. */
function approvedWords(view: RequestCardView): string {
  const { schedule, override } = view.request;
  if (!schedule) {
    return override
      ? 'All approvals are in; the emergency override lets it run now, so the bot is sending the change to Azure.'
      : 'All approvals are in; the bot is sending the change to Azure.';
  }
  const customer = plain(clip(view.customer.name, 80));
  if (schedule.because === 'freeze') {
    const why = schedule.freeze ? ` (${plain(clip(schedule.freeze, 300))})` : '';
    return `All approvals are in. A change freeze holds it${why}: it runs at ${plain(clip(schedule.label, 200))}, once the freeze has ended. Nothing has been sent to Azure yet.`;
  }
  return `All approvals are in. ${customer} takes changes only inside its change windows, so it waits for the next one: ${plain(clip(schedule.label, 200))}. Nothing has been sent to Azure yet.`;
}

/** "emergency override of the freeze 'year-end' by Ada: the link is down", and the approval it costs. */
function overrideLines(request: ChangeRequest): CardElement[] {
  const o = request.override;
  if (!o) return [];
  const what = o.freeze ? `the freeze '${plain(clip(o.freeze, 300))}'` : 'the change windows';
  return [
    text(`⚠ Emergency override of ${what} by ${plain(clip(o.by.name, 60))}: ${plain(clip(o.reason, 500))}`, {
      color: 'Warning',
      weight: 'Bolder',
    }),
    text(
      `An override needs one approval more than usual: ${request.required} in all. It was typed by an admin at ${utcTime(o.at)} and is in the audit trail.`,
      { size: 'Small' },
    ),
  ];
}

/**
 * The status line. A succeeded change is checked afterwards (issue 13): while the check runs, when it
 * proves the change, when it does not (since when, in the customer's zone), or when the bot could not check.
 */
function statusOf(view: RequestCardView): { icon: string; label: string; color: TextColor } {
  const r = view.request;
  const state = STATE_LINE[r.state];
  if (r.state === 'pending') {
    const waitsForCustomer = r.approvals.length >= r.required && awaitsCustomerSide(r);
    const label = `${state.label} (${r.approvals.length}/${r.required}${waitsForCustomer ? ', still needs a customer-side approval' : ''})`;
    return { ...state, label };
  }
  if (r.state === 'approved' && r.schedule) {
    const runAt = r.schedule.runAt;
    const when = runAt > view.now ? `in ${untilLabel(view.now, runAt)}` : 'starting now';
    return { icon: '🕒', label: `Approved, runs at ${plain(clip(r.schedule.label, 200))} (${when})`, color: 'Accent' };
  }
  if (r.state === 'succeeded' && r.verification) return verificationStatus(r.verification, view.timeZone);
  return state;
}

function verificationStatus(v: Verification, timeZone: string | undefined): { icon: string; label: string; color: TextColor } {
  switch (v.status) {
    case 'verifying':
      return { icon: '🔎', label: `Succeeded, verifying (until ${clockTime(v.deadline, timeZone)})`, color: 'Accent' };
    case 'verified':
      return { icon: '✅', label: `Succeeded, verified: ${plain(clip(v.evidence ?? 'healthy', 600))}`, color: 'Good' };
    case 'failed': {
      const since = v.since ?? v.endedAt;
      return {
        icon: '⛔',
        label: `Succeeded at ARM, verification failed: ${plain(clip(v.why ?? 'not healthy', 600))}${since !== undefined ? ` since ${clockTime(since, timeZone)}` : ''}`,
        color: 'Attention',
      };
    }
    case 'skipped':
      return { icon: '✅', label: `Succeeded (not verified: ${plain(clip(v.why ?? 'nothing to check', 400))})`, color: 'Good' };
  }
}

const LIVE_ROLLBACK: ReadonlySet<ChangeState> = new Set(['pending', 'approved', 'executing', 'succeeded']);

/**
 * How a succeeded change is undone: the rollbacks asked for it; else the way back (`rollback <id>` or the button,
 * with the precondition it depends on), or why there is none.
 */
function wayBack(view: RequestCardView): CardElement[] {
  const r = view.request;
  const undo = r.undo;
  const failed = r.verification?.status === 'failed';
  const rollbacks = view.rollbacks ?? [];
  const done = rollbacks.find((b) => b.state === 'succeeded');
  if (done) return [text(`↩ Rolled back by ${done.id}.`, { weight: 'Bolder', spacing: 'Medium' })];
  // Its state on this card would lag behind (this card follows only where a rollback ends): its own card says.
  const live = rollbacks.find((b) => LIVE_ROLLBACK.has(b.state));
  if (live) {
    return [
      text(hintWords([`↩ Rollback asked for: ${live.id}. `, { say: 'request', args: [live.id] }, ' shows where it stands.']), {
        weight: 'Bolder',
        spacing: 'Medium',
      }),
    ];
  }
  const ended = rollbacks[0];
  const before = ended ? [text(`Rollback ${ended.id} ended ${ended.state}.`, { size: 'Small', spacing: 'Medium' })] : [];
  if (!undo) return before;
  if ('oneWay' in undo) {
    return [...before, text(`No rollback: ${plain(clip(undo.oneWay, 500))}`, { size: failed ? 'Default' : 'Small', spacing: 'Medium' })];
  }
  const how = hintWords([
    failed ? 'The way back: ' : 'Reversible: ',
    { say: 'rollback', args: [r.id] },
    ' (or the Rollback button) asks for the change that puts it back; it is approved like any change.',
  ]);
  return [
    ...before,
    text(how, failed ? { weight: 'Bolder', spacing: 'Medium' } : { size: 'Small', spacing: 'Medium' }),
    ...(undo.precondition
      ? [text(`Rollback only if: ${plain(clip(undo.precondition, 500))} (checked when it is asked for).`, { size: 'Small' })]
      : []),
  ];
}

/** Whether a rollback of the request is under way or done (then no second one is offered). */
export function hasLiveRollback(rollbacks: readonly RollbackRef[] | undefined): boolean {
  return (rollbacks ?? []).some((b) => LIVE_ROLLBACK.has(b.state));
}

const NOTICE_STYLE: Record<RequestNotice['tone'], TextOptions> = {
  attention: { color: 'Attention', size: 'Default', weight: 'Bolder' },
  warning: { color: 'Warning', size: 'Small' },
};

const RETYPE_KEY_NOTE =
  'This request set an MD5 key, which the bot does not keep for a new request: asking again opens the form, where you type the key again.';

/** The Re-request button's intent: the same change planned afresh, or the form when a secret must be typed again. */
function rerequestIntent(request: ChangeRequest, rerequest: Rerequest | undefined): Intent | undefined {
  if (!rerequest) return undefined;
  if ('retypeSecret' in rerequest) return { kind: 'change', circuit: request.circuitId };
  return { kind: 'submit-change', circuit: request.circuitId, change: request.kind, input: rerequest.input };
}

function buttons(view: RequestCardView): CardElement[] {
  const v = view.viewer;
  const r = view.request;
  if (!v) return [];
  const actions: CardElement[] = [];
  if (v.canApprove) actions.push(executeAction('Approve', { kind: 'approve', id: r.id }, 'positive'));
  if (v.canReject) {
    actions.push({
      type: 'Action.ShowCard',
      title: 'Reject…',
      card: {
        type: 'AdaptiveCard',
        body: [
          {
            type: 'Input.Text',
            id: REJECT_REASON_INPUT,
            label: 'Why? The requester will read this.',
            isMultiline: true,
            maxLength: 500,
            isRequired: true,
            errorMessage: 'A rejection needs a reason.',
          },
        ],
        actions: [{ ...executeAction('Reject', { kind: 'reject', id: r.id }, 'destructive'), associatedInputs: 'auto' }],
      },
    });
  }
  if (v.canCancel) actions.push(executeAction('Cancel request', { kind: 'cancel', id: r.id }, 'destructive'));
  const again = v.canRerequest ? rerequestIntent(r, view.rerequest) : undefined;
  if (again) actions.push(executeAction(again.kind === 'change' ? 'Re-request (type the key again)' : 'Re-request', again, 'positive'));
  if (view.secret?.showKey && v.isRequester && r.state === 'succeeded') actions.push(executeAction('Show key', { kind: 'key', id: r.id }));
  // Only data: the server checks the rights, the state and the way back again on the click.
  if (v.canRollback && r.state === 'succeeded' && r.undo && !('oneWay' in r.undo) && !hasLiveRollback(view.rollbacks)) {
    actions.push(executeAction('Rollback', { kind: 'rollback', id: r.id }));
  }
  return actions;
}

/**
 * A change request in any state. Built twice over: the card posted everywhere shows the status only and
 * carries a `refresh` naming who gets a personal view; the personal view (a viewer given) adds the buttons
 * that person may use. The server checks every click regardless.
 */
export function requestCard(view: RequestCardView): AdaptiveCardJson {
  const r = view.request;
  const status = statusOf(view);
  const body: CardElement[] = [
    ...(view.notice ? [text(hintWords(view.notice.text), NOTICE_STYLE[view.notice.tone])] : []),
    title(`${plain(clip(view.kindTitle, 60))}: ${plain(clip(r.circuitName, 80))}`),
    text(`${plain(clip(view.customer.name, 80))} · tenant ${view.customer.tenantId}`, { size: 'Small', subtle: true, spacing: 'None' }),
    ...(r.rollbackOf
      ? [text(`↩ Rollback of ${plain(clip(r.rollbackOf, 20))}: it puts back what that change changed.`, { weight: 'Bolder' })]
      : []),
    text(`${status.icon} ${status.label}`, { size: 'Medium', weight: 'Bolder', color: status.color }),
    ...overrideLines(r),
    ...factSet([...diffFacts(r), ['Requested by', `${plain(clip(r.requester.name, 60))} at ${utcTime(r.createdAt)}`]]),
    ...stateSection(view),
    ...(view.viewer?.note ? [text(plain(clip(view.viewer.note, 300)), { size: 'Small', subtle: true })] : []),
    ...(view.viewer?.canRerequest && view.rerequest && 'retypeSecret' in view.rerequest
      ? [text(RETYPE_KEY_NOTE, { size: 'Small', color: 'Warning' })]
      : []),
    ...(r.state === 'stale' && !view.viewer?.canRerequest
      ? [text('Ask again to plan it on the circuit as it is now.', { size: 'Small', subtle: true })]
      : []),
    text(
      `${r.id} · updated ${utcTime(r.updatedAt)}${r.operation?.correlationId ? ` · ARM correlation ${plain(clip(r.operation.correlationId, 60))}` : ''}`,
      {
        size: 'Small',
        subtle: true,
        separator: true,
      },
    ),
  ];
  const card = adaptiveCard(body, buttons(view));
  const userIds = (view.refreshUserIds ?? []).slice(0, MAX_REFRESH_USERS);
  if (userIds.length > 0) {
    card.refresh = {
      action: { type: 'Action.Execute', title: 'Refresh', verb: INTENT_VERB, data: { intent: { kind: 'request', id: r.id } } },
      userIds: [...userIds],
    };
  }
  return card;
}
