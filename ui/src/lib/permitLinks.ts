// Addresses of the Permits screen opened from other screens (dashboard, permit types, partners,
// wizard). The Permits screen reads its search from the address's query; these are the only
// places that write it from outside, so a change of parameter names is a change here only.
import type { ExpiryStatus } from "../api/types";

const query = (params: Record<string, string>) => new URLSearchParams(params).toString();

export const permitLinks = {
  all: () => "/permits",
  one: (id: number) => `/permits/${id}`,
  ofType: (typeName: string) => `/permits?${query({ type: typeName })}`,
  withExpiry: (status: ExpiryStatus) => `/permits?${query({ expiry_status: status })}`,
  expiringWithin: (days: number) => `/permits?${query({ expiring_within_days: String(days) })}`,
  search: (text: string) => `/permits?${query({ search: text })}`,
};
