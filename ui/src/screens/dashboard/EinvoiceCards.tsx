// The dashboard's e-invoice cards: documents by state, acceptance rate and time to acceptance
// over the last 30 days, today's activity with the last 14 days, documents waiting to be sent,
// the retry queue and the signing certificate's expiry. Data: einvoice_dashboard.
import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { call } from "../../api/client";
import type { DocumentState, EinvoiceDashboard } from "../../api/types";
import { Badge, type Tone } from "../../components/Badge";
import { Chart, cssVar, donutOption, useThemeVersion } from "../../components/Chart";
import { EmptyState } from "../../components/EmptyState";
import { ErrorBox } from "../../components/ErrorBox";
import { Icon, type IconName } from "../../components/Icon";
import { href, navigate } from "../../lib/router";
import { useFormat } from "../../lib/useFormat";
import { useNow } from "../../lib/useNow";
import { DOCUMENT_STATES } from "../responses/labels";
import "./dashboard.css";
import "./einvoiceCards.css";

export const einvoiceDashboardKey = ["einvoices", "dashboard"] as const;

export function useEinvoiceDashboard(enabled = true) {
  return useQuery({ queryKey: einvoiceDashboardKey, queryFn: () => call("einvoice_dashboard", {}), enabled });
}

/** Under this many days left the certificate card warns. */
export const CERT_WARN_DAYS = 30;

const STATE_TONE: Record<DocumentState, [Tone, IconName]> = {
  draft: ["neutral", "edit"],
  generated: ["neutral", "einvoice"],
  signed: ["info", "key"],
  submitted: ["info", "clock"],
  processing: ["info", "hourglass"],
  accepted: ["ok", "check"],
  rejected: ["critical", "x"],
  error: ["warning", "alert"],
};

const STATE_FALLBACK: Record<DocumentState, string> = {
  draft: "#a7adb6",
  generated: "#6b7280",
  signed: "#0e7490",
  submitted: "#2563b0",
  processing: "#7c9fd6",
  accepted: "#2f8a4a",
  rejected: "#c2272d",
  error: "#d99a00",
};

function stateColor(s: DocumentState): string {
  return cssVar(`--doc-${s}`, STATE_FALLBACK[s]);
}

/** Where a state's documents are listed. */
export function stateLink(s: DocumentState): string {
  return `/einvoices?state=${s}`;
}

export function EinvoiceCards({ enabled = true }: { enabled?: boolean }) {
  const { t } = useTranslation();
  const dash = useEinvoiceDashboard(enabled);
  if (!enabled) return null;
  return (
    <section aria-labelledby="dash-einvoices" data-testid="einvoice-dashboard">
      <h2 id="dash-einvoices" className="section-title">
        {t("queues.dash.title")}
      </h2>
      {dash.isError ? <ErrorBox error={dash.error} onRetry={() => void dash.refetch()} /> : null}
      {dash.isPending ? <p className="muted">{t("common.loading")}</p> : null}
      {dash.data ? <Cards data={dash.data} /> : null}
    </section>
  );
}

function Cards({ data }: { data: EinvoiceDashboard }) {
  const { t } = useTranslation();
  const documents = data.by_state.reduce((s, x) => s + x.count, 0);
  if (documents === 0) {
    return (
      <div className="card" data-testid="dash-einvoices-empty">
        <EmptyState
          icon="einvoice"
          title={t("queues.dash.emptyTitle")}
          body={t("queues.dash.emptyBody")}
          action={{ label: t("queues.dash.emptyAction"), onClick: () => navigate("/einvoices") }}
        />
        <div className="einvoice-kpis">
          <CertificateCard data={data} />
        </div>
      </div>
    );
  }
  return (
    <div className="einvoice-dash">
      <div className="einvoice-kpis">
        <AcceptanceCard data={data} />
        <AvgTimeCard data={data} />
        <PendingCard data={data} />
        <RetryCard data={data} />
        <CertificateCard data={data} />
      </div>
      <div className="einvoice-charts">
        <ByStateCard data={data} total={documents} />
        <ActivityCard data={data} />
      </div>
    </div>
  );
}

function Kpi({
  title,
  icon,
  testId,
  value,
  sub,
  tone,
  to,
  dataValue,
}: {
  title: string;
  icon: IconName;
  testId: string;
  value: string;
  sub?: React.ReactNode;
  tone?: Tone;
  to?: string;
  dataValue?: string | number;
}) {
  const body = (
    <>
      <div className="card-head">
        <h3 className="card-title">{title}</h3>
        <Icon name={icon} />
      </div>
      <strong className={`kpi-value num${tone ? ` text-${tone}` : ""}`}>{value}</strong>
      {sub ? <span className="muted small kpi-sub">{sub}</span> : null}
    </>
  );
  return to ? (
    <a className="card kpi-card" href={href(to)} data-testid={testId} data-value={dataValue}>
      {body}
    </a>
  ) : (
    <div className="card kpi-card" data-testid={testId} data-value={dataValue}>
      {body}
    </div>
  );
}

function AcceptanceCard({ data }: { data: EinvoiceDashboard }) {
  const { t } = useTranslation();
  const f = useFormat();
  const rate = data.acceptance_rate;
  const tone: Tone | undefined = rate == null ? undefined : rate >= 0.9 ? "ok" : rate >= 0.7 ? "warning" : "critical";
  return (
    <Kpi
      title={t("queues.dash.acceptanceRate")}
      icon="check"
      testId="dash-acceptance-rate"
      dataValue={rate ?? ""}
      value={rate == null ? t("common.notAvailable") : `${f.number(rate * 100, 1)} %`}
      tone={tone}
      sub={rate == null ? t("queues.dash.noneDecided") : t("queues.dash.last30Days")}
    />
  );
}

/** Seconds as people say them: 45 s, 3 min, 2 h 10 min, 3 d 4 h. */
export function useHumanDuration() {
  const { t } = useTranslation();
  const f = useFormat();
  return (seconds: number) => {
    if (seconds >= 86_400) {
      const d = Math.floor(seconds / 86_400);
      const h = Math.round((seconds % 86_400) / 3600);
      return h > 0 ? `${t("queues.dash.days", { n: f.number(d) })} ${t("units.h", { n: f.number(h) })}` : t("queues.dash.days", { n: f.number(d) });
    }
    return f.eta(seconds);
  };
}

function AvgTimeCard({ data }: { data: EinvoiceDashboard }) {
  const { t } = useTranslation();
  const human = useHumanDuration();
  const s = data.avg_accept_seconds;
  return (
    <Kpi
      title={t("queues.dash.avgAccept")}
      icon="clock"
      testId="dash-avg-accept"
      dataValue={s ?? ""}
      value={s == null ? t("common.notAvailable") : human(s)}
      sub={s == null ? t("queues.dash.noneAccepted") : t("queues.dash.avgAcceptSub")}
    />
  );
}

function PendingCard({ data }: { data: EinvoiceDashboard }) {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow();
  const oldest = data.oldest_pending_issued_at;
  return (
    <Kpi
      title={t("queues.dash.pending")}
      icon="hourglass"
      testId="dash-pending"
      dataValue={data.pending_submission}
      value={f.number(data.pending_submission)}
      tone={data.pending_late > 0 ? "critical" : data.pending_submission > 0 ? "warning" : undefined}
      to="/einvoices?state=draft&state=generated&state=signed"
      sub={
        data.pending_submission === 0 ? (
          t("queues.dash.nothingPending")
        ) : oldest ? (
          <>
            <span title={f.dateTime(oldest)}>{t("queues.dash.oldestPending", { when: f.relative(oldest, now) })}</span>
            {data.pending_late > 0 ? (
              <>
                {" · "}
                <span className="text-critical" data-testid="dash-pending-late">
                  {t("queues.dash.pendingLate", { count: data.pending_late, n: f.number(data.pending_late) })}
                </span>
              </>
            ) : null}
          </>
        ) : (
          t("queues.dash.pendingSub")
        )
      }
    />
  );
}

function RetryCard({ data }: { data: EinvoiceDashboard }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <a className="card kpi-card" href={href("/retry-queue")} data-testid="dash-retry-open" data-value={data.retry_open} data-failed={data.retry_failed}>
      <div className="card-head">
        <h3 className="card-title">{t("queues.dash.retryQueue")}</h3>
        <Icon name="retry" />
      </div>
      <strong className="kpi-value num">{f.number(data.retry_open)}</strong>
      <span className="small kpi-sub">
        <span className="muted">{t("queues.dash.retryOpen", { count: data.retry_open })}</span>
        {data.retry_failed > 0 ? (
          <>
            {" · "}
            <span className="text-critical" data-testid="dash-retry-failed">
              {t("queues.dash.retryFailed", { count: data.retry_failed, n: f.number(data.retry_failed) })}
            </span>
          </>
        ) : null}
      </span>
    </a>
  );
}

function CertificateCard({ data }: { data: EinvoiceDashboard }) {
  const { t } = useTranslation();
  const f = useFormat();
  const cert = data.certificate;
  if (!cert) {
    return <Kpi title={t("queues.dash.certificate")} icon="key" testId="dash-certificate" value={t("common.notAvailable")} sub={t("queues.dash.noCertificate")} />;
  }
  const expired = cert.days_left < 0;
  const warn = cert.days_left < CERT_WARN_DAYS;
  const cn = /CN=([^,]+)/.exec(cert.subject)?.[1] ?? cert.subject;
  return (
    <div className={`card kpi-card${warn ? " kpi-warn" : ""}`} data-testid="dash-certificate" data-days-left={cert.days_left} data-warning={String(warn)}>
      <div className="card-head">
        <h3 className="card-title">{t("queues.dash.certificate")}</h3>
        {warn ? (
          <Badge tone={expired ? "critical" : "warning"} icon="alert">
            {expired ? t("queues.dash.certExpired") : t("queues.dash.certExpiresSoon")}
          </Badge>
        ) : (
          <Icon name="key" />
        )}
      </div>
      <strong className={`kpi-value kpi-value-sm num${expired ? " text-critical" : warn ? " text-warning" : ""}`}>
        {expired ? t("queues.dash.daysAgo", { count: -cert.days_left, n: f.number(-cert.days_left) }) : t("queues.dash.daysLeft", { count: cert.days_left, n: f.number(cert.days_left) })}
      </strong>
      <span className="muted small kpi-sub ellipsis" title={cert.subject}>
        {t("queues.dash.certUntil", { date: f.dateTime(cert.not_after) })} · {cn}
      </span>
    </div>
  );
}

function ByStateCard({ data, total }: { data: EinvoiceDashboard; total: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const theme = useThemeVersion();
  const counts = new Map(data.by_state.map((s) => [s.state, s.count]));
  const slices = DOCUMENT_STATES.map((s) => ({ state: s, count: counts.get(s) ?? 0, label: t(`queues.docState.${s}`) }));
  const shown = slices.filter((s) => s.count > 0);
  const dataKey = shown.map((s) => `${s.state}:${s.count}:${s.label}`).join("|");
  const option = useMemo(() => {
    void theme;
    return donutOption(
      shown.map((s) => ({ name: s.label, value: s.count, color: stateColor(s.state) })),
      f.number(total),
      t("queues.dash.documents"),
    );
    // `dataKey` stands for `shown`, a new array on every render.
  }, [dataKey, total, theme, f, t]);

  return (
    <div className="card permit-card" data-testid="dash-by-state">
      <div className="card-head">
        <h3 className="card-title">{t("queues.dash.byState")}</h3>
        <a href={href("/einvoices")} className="small">
          {t("queues.dash.allDocuments", { n: f.number(total) })}
        </a>
      </div>
      <div className="expiry-body">
        <div className="expiry-donut">
          <Chart
            option={option}
            height={150}
            ariaLabel={`${t("queues.dash.byState")}: ${slices.map((s) => `${s.label}: ${f.number(s.count)}`).join(", ")}`}
            testId="dash-state-chart"
            onClick={(e) => {
              const s = shown[e.dataIndex];
              if (s) navigate(stateLink(s.state));
            }}
          />
        </div>
        <ul className="expiry-legend state-legend">
          {slices
            .filter((s) => s.count > 0 || s.state === "accepted" || s.state === "rejected")
            .map((s) => {
              const [tone, icon] = STATE_TONE[s.state];
              return (
                <li key={s.state}>
                  <a href={href(stateLink(s.state))} data-testid={`dash-state-${s.state}`} data-count={s.count}>
                    <span className="legend-swatch" style={{ background: stateColor(s.state) }} aria-hidden="true" />
                    <Badge tone={tone} icon={icon}>
                      {s.label}
                    </Badge>
                    <span className="num legend-count">{f.number(s.count)}</span>
                  </a>
                </li>
              );
            })}
        </ul>
      </div>
    </div>
  );
}

function ActivityCard({ data }: { data: EinvoiceDashboard }) {
  const { t } = useTranslation();
  const f = useFormat();
  const theme = useThemeVersion();
  const today = data.days[data.days.length - 1] ?? { day: "", signed: 0, submitted: 0, accepted: 0, rejected: 0 };
  const daysKey = data.days.map((d) => `${d.day}:${d.signed}:${d.submitted}:${d.accepted}:${d.rejected}`).join("|");
  const option = useMemo(() => {
    void theme;
    const day = (iso: string) => new Intl.DateTimeFormat(f.locale, { day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
    return {
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, itemWidth: 12, itemHeight: 8 },
      grid: { left: 36, right: 12, top: 12, bottom: 48 },
      xAxis: { type: "category", data: data.days.map((d) => day(d.day)) },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: t("queues.dash.signed"), type: "line", symbolSize: 5, data: data.days.map((d) => d.signed), itemStyle: { color: stateColor("signed") } },
        { name: t("queues.dash.sent"), type: "line", symbolSize: 5, data: data.days.map((d) => d.submitted), itemStyle: { color: stateColor("submitted") } },
        { name: t("queues.dash.accepted"), type: "bar", stack: "decided", barMaxWidth: 18, data: data.days.map((d) => d.accepted), itemStyle: { color: stateColor("accepted") } },
        { name: t("queues.dash.rejected"), type: "bar", stack: "decided", barMaxWidth: 18, data: data.days.map((d) => d.rejected), itemStyle: { color: stateColor("rejected") } },
      ],
    };
  }, [daysKey, theme, f, t]);

  const figures: [string, number, string][] = [
    [t("queues.dash.signed"), today.signed, "signed"],
    [t("queues.dash.sent"), today.submitted, "sent"],
    [t("queues.dash.accepted"), today.accepted, "accepted"],
    [t("queues.dash.rejected"), today.rejected, "rejected"],
  ];
  return (
    <div className="card permit-card activity-card" data-testid="dash-activity">
      <div className="card-head">
        <h3 className="card-title">{t("queues.dash.today")}</h3>
        <span className="muted small">{t("queues.dash.last14Days")}</span>
      </div>
      <dl className="today-figures">
        {figures.map(([label, n, key]) => (
          <div key={key} data-testid={`dash-today-${key}`} data-count={n}>
            <dt>{label}</dt>
            <dd className={`num${key === "rejected" && n > 0 ? " text-critical" : ""}`}>{f.number(n)}</dd>
          </div>
        ))}
      </dl>
      <Chart
        option={option}
        height={190}
        ariaLabel={t("queues.dash.activityChart", {
          summary: data.days.map((d) => `${d.day}: ${d.signed}/${d.submitted}/${d.accepted}/${d.rejected}`).join("; "),
        })}
        testId="dash-activity-chart"
      />
    </div>
  );
}
