import { useTranslation } from "react-i18next";
import type { ConnectionKind, ErrorCategory, RunStatus } from "../api/types";
import { Icon, kindIcon, type IconName } from "./Icon";

export type Tone = "ok" | "warning" | "critical" | "muted" | "info" | "orange" | "neutral" | "violet";

export function Badge({
  tone,
  icon,
  children,
  title,
  testId,
}: {
  tone: Tone;
  icon?: IconName;
  children: React.ReactNode;
  title?: string;
  testId?: string;
}) {
  return (
    <span className={`badge badge-${tone}`} title={title} data-testid={testId}>
      {icon ? <Icon name={icon} size={12} /> : null}
      {children}
    </span>
  );
}

const RUN_TONE: Record<RunStatus, [Tone, IconName]> = {
  running: ["info", "sync"],
  succeeded: ["ok", "check"],
  partial: ["warning", "alert"],
  failed: ["critical", "x"],
  cancelled: ["muted", "stop"],
  interrupted: ["orange", "alert"],
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  const { t } = useTranslation();
  const [tone, icon] = RUN_TONE[status] ?? ["neutral", "info"];
  return (
    <Badge tone={tone} icon={icon}>
      {t(`runStatus.${status}`)}
    </Badge>
  );
}

export function KindBadge({ kind }: { kind: ConnectionKind }) {
  const { t } = useTranslation();
  return (
    <span className={`kind kind-${kind}`} title={t(`kindHint.${kind}`)}>
      <Icon name={kindIcon(kind)} size={14} />
      {t(`kind.${kind}`)}
    </span>
  );
}

const CATEGORY_TONE: Record<ErrorCategory, Tone> = {
  transient: "warning",
  rate_limit: "warning",
  network: "orange",
  server: "critical",
  auth: "critical",
  validation: "violet",
  unknown: "muted",
};

export function ErrorCategoryBadge({ category }: { category: ErrorCategory }) {
  const { t } = useTranslation();
  return <Badge tone={CATEGORY_TONE[category] ?? "muted"}>{t(`errorCategory.${category}`)}</Badge>;
}
