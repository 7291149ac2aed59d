// The dashboard's permit cards: permits by expiry status, expiring in the next 30 days, last
// sync per permit office, unread reminders. Data: permit_dashboard.
import { useTranslation } from "react-i18next";
import { usePermitDashboard } from "../../api/queries";
import type { ExpiryStatus, PermitDashboard } from "../../api/types";
import { Badge, RunStatusBadge, type Tone } from "../../components/Badge";
import { ErrorBox } from "../../components/ErrorBox";
import { Icon, type IconName } from "../../components/Icon";
import { OpenableRow } from "../../components/RecordTable";
import { href, navigate } from "../../lib/router";
import { permitLinks } from "../../lib/permitLinks";
import { formatDaysLeft, formatPlainDate } from "../../lib/plainDate";
import { useFormat } from "../../lib/useFormat";
import { useNow } from "../../lib/useNow";
import { ExpiryDonut } from "./ExpiryDonut";
import "./dashboard.css";

/** Most urgent first, as the legend and the donut show them. */
export const EXPIRY_ORDER: ExpiryStatus[] = ["expired", "critical", "warning", "ok", "unknown"];

export const EXPIRY_TONE: Record<ExpiryStatus, [Tone, IconName]> = {
  ok: ["ok", "check"],
  warning: ["warning", "clock"],
  critical: ["critical", "alert"],
  expired: ["muted", "x"],
  unknown: ["neutral", "info"],
};

export function ExpiryBadge({ status }: { status: ExpiryStatus }) {
  const { t } = useTranslation();
  const [tone, icon] = EXPIRY_TONE[status] ?? ["neutral", "info"];
  return (
    <Badge tone={tone} icon={icon}>
      {t(`permitDash.status.${status}`)}
    </Badge>
  );
}

export function PermitCards({ enabled }: { enabled: boolean }) {
  const { t } = useTranslation();
  const dash = usePermitDashboard(enabled);
  if (!enabled) return null;
  return (
    <section aria-labelledby="dash-permits">
      <h2 id="dash-permits" className="section-title">
        {t("permitDash.title")}
      </h2>
      {dash.isError ? <ErrorBox error={dash.error} onRetry={() => void dash.refetch()} /> : null}
      {dash.isPending ? <p className="muted">{t("common.loading")}</p> : null}
      {dash.data ? (
        <div className="permit-cards">
          <ExpiryCard data={dash.data} />
          <ExpiringSoonCard data={dash.data} />
          <div className="permit-cards-side">
            <RemindersCard count={dash.data.unread_reminders} />
            <LastSyncCard data={dash.data} />
          </div>
        </div>
      ) : null}
    </section>
  );
}

function ExpiryCard({ data }: { data: PermitDashboard }) {
  const { t } = useTranslation();
  const f = useFormat();
  const counts = new Map(data.by_expiry.map((e) => [e.status, e.count]));
  const total = data.by_expiry.reduce((s, e) => s + e.count, 0);
  const slices = EXPIRY_ORDER.map((status) => ({ status, count: counts.get(status) ?? 0, label: t(`permitDash.status.${status}`) }));
  return (
    <div className="card permit-card" data-testid="dash-expiry">
      <div className="card-head">
        <h3 className="card-title">{t("permitDash.byExpiry")}</h3>
        <a href={href(permitLinks.all())} className="small">
          {t("permitDash.allPermits", { n: f.number(total) })}
        </a>
      </div>
      {total === 0 ? (
        <p className="muted">{t("permitDash.noPermits")}</p>
      ) : (
        <div className="expiry-body">
          <ExpiryDonut slices={slices} total={total} />
          <ul className="expiry-legend">
            {slices.map((s) => (
              <li key={s.status}>
                <a
                  href={href(permitLinks.withExpiry(s.status))}
                  data-testid={`dash-expiry-${s.status}`}
                  data-count={s.count}
                  aria-label={t("permitDash.expiryLink", { status: s.label, n: f.number(s.count) })}
                >
                  <span className={`legend-swatch swatch-${s.status}`} aria-hidden="true" />
                  <ExpiryBadge status={s.status} />
                  <span className="num legend-count">{f.number(s.count)}</span>
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function ExpiringSoonCard({ data }: { data: PermitDashboard }) {
  const { t } = useTranslation();
  const f = useFormat();
  const rows = data.expiring_soon;
  const open = (id: number) => navigate(permitLinks.one(id));
  return (
    <div className="card permit-card" data-testid="dash-expiring-soon" data-count={data.expiring_soon_count}>
      <div className="card-head">
        <h3 className="card-title">{t("permitDash.expiringSoon")}</h3>
        {data.expiring_soon_count > 0 ? (
          <a href={href(permitLinks.expiringWithin(30))} className="small">
            {t("permitDash.viewAllExpiring", { n: f.number(data.expiring_soon_count) })}
          </a>
        ) : null}
      </div>
      {rows.length === 0 ? (
        <p className="muted">{t("permitDash.noneExpiring")}</p>
      ) : (
        <table className="table table-compact table-click expiring-table">
          <thead className="sr-only">
            <tr>
              <th>{t("permitDash.colPermit")}</th>
              <th>{t("permitDash.colExpiry")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <OpenableRow key={p.id} onOpen={() => open(p.id)} data-testid={`dash-expiring-${p.id}`}>
                <td className="fill">
                  <span className="two-line">
                    <span className="strong ellipsis">{p.applicant}</span>
                    <span className="muted small ellipsis">
                      {p.permit_type_name}
                      {p.permit_number ? ` · ${p.permit_number}` : ""}
                    </span>
                  </span>
                </td>
                <td className="right">
                  <span className="two-line">
                    <Badge tone={EXPIRY_TONE[p.expiry_status]?.[0] ?? "neutral"}>
                      {p.days_left != null ? formatDaysLeft(p.days_left, f.locale) : t("permitDash.status.unknown")}
                    </Badge>
                    <span className="muted small">{formatPlainDate(p.expiry_date, f.locale)}</span>
                  </span>
                </td>
              </OpenableRow>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function RemindersCard({ count }: { count: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <a className="card permit-card reminders-card" href={href("/dashboard/reminders")} data-testid="dash-reminders" data-count={count}>
      <div className="card-head">
        <h3 className="card-title">{t("permitDash.reminders")}</h3>
        <Icon name="bell" />
      </div>
      <div className="reminders-figure">
        <strong className="num">{f.number(count)}</strong>
        <span className="muted">{t("permitDash.unread", { count })}</span>
      </div>
      <span className="small link-like">{t("permitDash.openInbox")}</span>
    </a>
  );
}

function LastSyncCard({ data }: { data: PermitDashboard }) {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow();
  return (
    <div className="card permit-card" data-testid="dash-last-sync">
      <div className="card-head">
        <h3 className="card-title">{t("permitDash.lastSync")}</h3>
      </div>
      {data.last_sync.length === 0 ? (
        <p className="muted">{t("permitDash.noOffices")}</p>
      ) : (
        <ul className="last-sync-list">
          {data.last_sync.map((s) => (
            <li key={s.connection_id} data-testid={`dash-last-sync-${s.connection_id}`}>
              <a href={href(`/sync/runs/${s.connection_id}`)} className="ellipsis" title={s.connection_name}>
                {s.connection_name}
              </a>
              <span className="last-sync-when">
                <span className="muted small" title={f.dateTime(s.at)}>
                  {s.at ? f.relative(s.at, now) : t("common.never")}
                </span>
                {s.status ? <RunStatusBadge status={s.status} /> : null}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
