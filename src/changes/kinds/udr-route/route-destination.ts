import { z } from 'zod';
import { parsePrefix } from '../../../network/ip-prefix';

/**
 * A route's destination: an IP prefix, or an Azure service tag (AzureCloud, Storage, Storage.WestEurope…),
 * which Azure accepts as a route's addressPrefix and keeps up to date itself. Azure allows at most 25 routes
 * with service tags in one route table. Source: learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview,
 * "Service tags for user-defined routes".
 */

export const SERVICE_TAG_ROUTE_LIMIT = 25;

/** A tag's name, optionally with a region or a part after dots: AzureCloud, Storage.WestEurope, AzureCloud.canadacentral. */
const SERVICE_TAG = /^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*$/;

export function isServiceTag(text: string): boolean {
  const t = text.trim();
  return t.length <= 80 && SERVICE_TAG.test(t);
}

/** The field's schema: a prefix (alignment is a rule, checked with its reason) or a service tag's name. */
export const RouteDestination = z
  .string()
  .trim()
  .max(80)
  .superRefine((text, ctx) => {
    if (isServiceTag(text)) return;
    const r = parsePrefix(text);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: `${r.reason}, or an Azure service tag such as Storage.WestEurope` });
  });
