import { useTranslation } from "react-i18next";
import type { ExpiryStatus, PermitStatus } from "../../api/types";
import { Badge } from "../../components/Badge";
import { formatDaysLeft } from "../../lib/plainDate";
import { EXPIRY_ICON, EXPIRY_TONE, STATUS_TONE, usePermitLabels } from "./labels";

/** Expiry status as a coloured badge with its icon, and the days left beside it. */
export function ExpiryBadge({ status, daysLeft, compact = false }: { status: ExpiryStatus; daysLeft: number | null; compact?: boolean }) {
  const { t } = useTranslation();
  const l = usePermitLabels();
  const days = daysLeft == null ? null : formatDaysLeft(daysLeft, l.locale);
  return (
    <span className="expiry" data-expiry={status}>
      <Badge tone={EXPIRY_TONE[status]} icon={EXPIRY_ICON[status]} title={t(`permits.expiryHint.${status}`)}>
        {l.expiry(status)}
      </Badge>
      {days && !compact ? <span className="expiry-days muted small">{days}</span> : null}
    </span>
  );
}

export function StatusBadge({ status }: { status: PermitStatus }) {
  const l = usePermitLabels();
  return <Badge tone={STATUS_TONE[status]}>{l.status(status)}</Badge>;
}
