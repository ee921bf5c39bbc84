export { isRelatedWrite, subjectOf, type ArmBodyBuilder, type BuiltWrite, type RelatedWrite } from './arm-body-builder';
export { approvalComplete, approvalCount, approvalRoom, awaitsCustomerSide } from './approval-rule';
export { bodyHash, canonicalJson } from './canonical-json';
export { SYSTEM_ACTOR, type ChangeEvent, type ChangeListener } from './change-events';
export type {
  ChangeKind,
  ChangeScope,
  ChangeSubject,
  ChangeTargetType,
  CircuitLinksReader,
  PortCircuit,
  PortCircuitsReader,
  DomainPatch,
  KindContext,
  KindCustomer,
  KindDescription,
  PeeringFields,
  Refusal,
  RequesterSecretReader,
  RouteFilterSubject,
  RouteTableSubject,
  SecretRef,
  VnetLink,
} from './change-kind';
export { isRouteFilter, isRouteTable, targetTypeOf } from './change-kind';
export { ChangeKinds, defaultChangeKinds, type ChangeKindsOptions, type RegisteredKind } from './change-kinds';
export * from './change-request';
export { ChangeExecutor, DEFAULT_EXECUTOR_LIMITS, summary, type ChangeExecutorOptions, type ExecutorLimits } from './executor';
export { randomRequestId, type IdGenerator } from './id-generator';
export { bandwidthKind, BandwidthInput } from './kinds/bandwidth/bandwidth-kind';
export { skuKind, SkuInput, STANDARD_LIMITS, type SkuFacts } from './kinds/sku/sku-kind';
export { authorizationKind, AuthorizationInput } from './kinds/authorization/authorization-kind';
export { microsoftPeeringKind, ROUTING_REGISTRIES } from './kinds/microsoft-peering/microsoft-peering-kind';
export { peeringStateKind, PeeringStateInput } from './kinds/peering-state/peering-state-kind';
export { privatePeeringKind } from './kinds/private-peering/private-peering-kind';
export { DEFAULT_RULE_NAME, routeFilterKind, RouteFilterInput } from './kinds/route-filter/route-filter-kind';
export { routeFilterRuleKind, RouteFilterRuleInput } from './kinds/route-filter-rule/route-filter-rule-kind';
export { MemorySecretVault, type SecretOwner, type SecretVault } from './kinds/shared/secret-vault';
export { NEXT_HOP_TYPES, ROUTE_TABLE_LIMIT, udrRouteKind, UdrRouteInput } from './kinds/udr-route/udr-route-kind';
export { bindWrite, planChange, type BoundWrite, type PlanDeps } from './plan-change';
export type { AddApprovalResult, CardPost, ChangeFilter, ChangeStore, NetworkWriter, WriteHooks, WriteResult } from './ports';
export { ChangeWorkflow, type ApproveResult, type ChangeWorkflowOptions, type ListFilter } from './workflow';
