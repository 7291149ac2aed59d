// Labels of the e-invoice views: states (with tone and colour), document types, fields, group
// keys, money and dates in the UI's language.
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { DocumentState, EinvoiceField, EinvoiceGroupBy, PendingAge } from "../../api/types";
import { Badge, type Tone } from "../../components/Badge";
import type { IconName } from "../../components/Icon";
import { formatNumber, localeOf } from "../../lib/format";
import { formatPlainDate } from "../../lib/plainDate";
import { useFormat } from "../../lib/useFormat";
import { formatDateKey } from "../permits/labels";
import { DOC_TYPES, DOCUMENT_STATES } from "./search";

export const STATE_TONE: Record<DocumentState, Tone> = {
  draft: "neutral",
  generated: "muted",
  signed: "violet",
  submitted: "info",
  processing: "warning",
  accepted: "ok",
  rejected: "critical",
  error: "orange",
};

const STATE_ICON: Record<DocumentState, IconName> = {
  draft: "edit",
  generated: "notes",
  signed: "key",
  submitted: "sync",
  processing: "hourglass",
  accepted: "check",
  rejected: "x",
  error: "alert",
};

/** The CSS colour of a state (kanban bars, graph bars and slices). */
export const STATE_COLOUR: Record<DocumentState, string> = {
  draft: "--border-strong",
  generated: "--muted-fg",
  signed: "--violet-fg",
  submitted: "--info-fg",
  processing: "--warning-fg",
  accepted: "--ok-fg",
  rejected: "--critical-fg",
  error: "--orange-fg",
};

/** The CSS colour of a document type. */
export const TYPE_COLOUR: Record<string, string> = { "01": "--einv-type-01", "02": "--einv-type-02", "03": "--einv-type-03", "04": "--einv-type-04" };

export function isDocumentState(s: string): s is DocumentState {
  return (DOCUMENT_STATES as readonly string[]).includes(s);
}

/** Exact decimal text or a number, as a number (for display only; sums stay in the backend). */
export function amount(v: string | number | null | undefined): number {
  if (v == null || v === "") return 0;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
}

/** Translated labels for the e-invoice views, bound to the UI language. */
export function useEinvoiceLabels() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  return useMemo(() => {
    const state = (s: DocumentState | string) => (isDocumentState(s) ? t(`einvoices.state.${s}`) : s);
    const docType = (code: string) => ((DOC_TYPES as readonly string[]).includes(code) ? t(`einvoices.docType.${code as "01"}`) : code);
    const docTypeLong = (code: string) => ((DOC_TYPES as readonly string[]).includes(code) ? t(`einvoices.docTypeLong.${code as "01"}`) : code);
    const field = (f: EinvoiceField) => t(`einvoices.field.${f}`);
    const groupBy = (g: EinvoiceGroupBy) => (g.interval ? t("einvoices.fieldByInterval", { field: field(g.field), interval: t(`einvoices.interval.${g.interval}`) }) : field(g.field));
    const source = (s: string) => (s === "csv" || s === "json" ? s.toUpperCase() : s === "manual" ? t("einvoices.sourceManual") : s);
    const key = (g: EinvoiceGroupBy, k: string | null): string => {
      if (k == null || k === "") return t("einvoices.none");
      switch (g.field) {
        case "state":
          return state(k);
        case "doc_type":
          return docType(k);
        case "source":
          return source(k);
        case "issued_date":
        case "created_date":
          return formatDateKey(k, locale, (q, year) => t("einvoices.quarter", { q, year }));
        default:
          return k;
      }
    };
    /** "₡12 500,00", "$1,200.00"; an unknown currency code as "1,200.00 XYZ". */
    const money = (v: string | number | null | undefined, currency: string | null | undefined) => {
      const n = amount(v);
      if (currency) {
        try {
          return new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
        } catch {
          return `${formatNumber(n, locale, 2)} ${currency}`;
        }
      }
      return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
    };
    /** A sum over documents that may be in several currencies: plain, two decimals. */
    const sum = (v: number) => new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);
    const date = (d: string | null | undefined) => formatPlainDate(d, locale);
    return { state, docType, docTypeLong, field, groupBy, key, money, sum, date, source, locale };
  }, [t, locale]);
}

export type EinvoiceLabels = ReturnType<typeof useEinvoiceLabels>;

export function StateBadge({ state, title }: { state: DocumentState; title?: string }) {
  const l = useEinvoiceLabels();
  return (
    <Badge tone={STATE_TONE[state] ?? "neutral"} icon={STATE_ICON[state]} title={title} testId="state-badge">
      {l.state(state)}
    </Badge>
  );
}

/** How an issued document waiting to be sent stands against the office's sending target:
 * nothing while on time, a warning when due soon, red when late. */
export function PendingBadge({ pending }: { pending: PendingAge | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!pending || pending.urgency === "on_time") return null;
  const issued = new Date(Date.now() - pending.age_seconds * 1000).toISOString();
  const late = pending.urgency === "late";
  return (
    <Badge
      tone={late ? "critical" : "warning"}
      icon="hourglass"
      testId="pending-badge"
      title={t(late ? "einvoices.pending.lateTitle" : "einvoices.pending.dueSoonTitle", {
        when: f.relative(issued),
        late: f.dateTime(pending.late_at),
      })}
    >
      {t(late ? "einvoices.pending.late" : "einvoices.pending.dueSoon")}
    </Badge>
  );
}
