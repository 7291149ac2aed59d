import { useTranslation } from "react-i18next";
import type { ExpiryStatus, PermitStatus } from "../../api/types";
import { Badge } from "../../components/Badge";
import { EXPIRY_ICON, EXPIRY_TONE, STATUS_TONE, usePermitLabels } from "./labels";

/**
 * Expiry status as a coloured badge with its icon, and the days left beside it: the full phrase
 * ("in 12 days"), the short one ("12 d left", full phrase as tooltip) where a table must stay
 * narrow, or none (kanban cards).
 */
export function ExpiryBadge({
  status,
  daysLeft,
  days = "long",
}: {
  status: ExpiryStatus;
  daysLeft: number | null;
  days?: "long" | "short" | "none";
}) {
  const { t } = useTranslation();
  const l = usePermitLabels();
  const long = daysLeft == null ? null : l.daysLeft(daysLeft);
  return (
    <span className="expiry" data-expiry={status}>
      <Badge tone={EXPIRY_TONE[status]} icon={EXPIRY_ICON[status]} title={t(`permits.expiryHint.${status}`)}>
        {l.expiry(status)}
      </Badge>
      {long != null && days !== "none" ? (
        <span className="expiry-days muted small" title={days === "short" ? long : undefined} data-testid="expiry-days">
          {days === "short" ? l.daysLeftShort(daysLeft!) : long}
        </span>
      ) : null}
    </span>
  );
}

export function StatusBadge({ status }: { status: PermitStatus }) {
  const l = usePermitLabels();
  return <Badge tone={STATUS_TONE[status]}>{l.status(status)}</Badge>;
}
