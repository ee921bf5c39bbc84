import type { Intent, IntentKind, IntentOf } from '../../intents/intent';
import type { Answer } from './answer-context';
import { answerHelp, answerCustomers } from './help';
import { answerCircuits, answerStatus } from './circuits';
import { answerCircuit, answerBandwidth, answerPeerings } from './circuit';
import { answerRoutes, answerBgp, answerArp } from './device-tables';
import { answerFilters, answerUdr } from './filters-and-udr';
import { answerUpgrade, answerSubmitChange, answerTypedChange, answerRollback, answerEmergency } from './ask-for-change';
import { answerChange } from './change-form';
import { answerKey } from './authorization-key';
import { answerRequests, answerRequest, answerAudit } from './request-lists';
import { answerApprove, answerReject, answerCancel } from './decide-request';
import { answerApprovalsChannel } from './approvals-channel';
import { answerLinkHere, answerUnlinkHere } from './link-here';
import { answerAlerts, answerAck, answerSilence, answerSilences, answerUnsilence } from './alerts';
import { answerSecurity } from './security';
import { answerEffectiveRoutes } from './effective-routes';

export type { AnswerContext } from './answer-context';

/** One answer per intent kind; the compiler fails when a new kind has none. */
export const ANSWERS: { [K in IntentKind]: Answer<IntentOf<K>> } = {
  help: answerHelp,
  customers: answerCustomers,
  circuits: answerCircuits,
  status: answerStatus,
  circuit: answerCircuit,
  bandwidth: answerBandwidth,
  routes: answerRoutes,
  bgp: answerBgp,
  arp: answerArp,
  peerings: answerPeerings,
  filters: answerFilters,
  udr: answerUdr,
  security: answerSecurity,
  'effective-routes': answerEffectiveRoutes,
  upgrade: answerUpgrade,
  change: answerChange,
  'submit-change': answerSubmitChange,
  peering: answerTypedChange,
  filter: answerTypedChange,
  route: answerTypedChange,
  authorization: answerTypedChange,
  key: answerKey,
  requests: answerRequests,
  request: answerRequest,
  approve: answerApprove,
  reject: answerReject,
  cancel: answerCancel,
  rollback: answerRollback,
  emergency: answerEmergency,
  audit: answerAudit,
  'approvals-channel': answerApprovalsChannel,
  'link-here': answerLinkHere,
  'unlink-here': answerUnlinkHere,
  alerts: answerAlerts,
  ack: answerAck,
  silence: answerSilence,
  silences: answerSilences,
  unsilence: answerUnsilence,
};

export type { Intent };
