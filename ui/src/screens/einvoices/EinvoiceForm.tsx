// The e-invoice form (#/einvoices/<id>): what the document is (number, clave, state, type,
// dates), who issued and who receives it, and tabs with its lines and totals, its XML, the
// signature, Hacienda's answers and its entries in the retry queue. Read-only: a document
// changes through the bulk actions (sign, send, check status) and Hacienda's answers.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiFailure } from "../../api/client";
import type { EinvoiceDetail, PartyView, ResponseRow, RetryRow } from "../../api/types";
import { ErrorCategoryBadge, Badge, type Tone } from "../../components/Badge";
import { ControlPanel } from "../../components/ControlPanel";
import { Icon } from "../../components/Icon";
import { RecordFallback } from "../../components/RecordFallback";
import { useToast } from "../../components/Toast";
import { useFormat } from "../../lib/useFormat";
import { PendingBadge, StateBadge, useEinvoiceLabels } from "./labels";
import { useDocumentName } from "./ListView";
import { navigate } from "../../lib/router";
import { useEinvoice, useReissueEinvoice } from "./queries";
import { Fact } from "../../components/Fact";

export const FORM_TABS = ["lines", "xml", "signature", "responses", "retries"] as const;
export type FormTab = (typeof FORM_TABS)[number];

function listPath(backQuery: string) {
  return backQuery ? `/einvoices?${backQuery}` : "/einvoices";
}

export function EinvoiceForm({ idParam, backQuery }: { idParam: string; backQuery: string }) {
  const { t } = useTranslation();
  const id = Number(idParam);
  const valid = Number.isInteger(id) && id > 0;
  const doc = useEinvoice(valid ? id : null);
  if (!valid || doc.isError || doc.isPending) {
    const notFound = doc.error instanceof ApiFailure && doc.error.code === "not_found";
    return (
      <RecordFallback
        crumbs={[{ label: t("einvoices.title"), to: listPath(backQuery) }]}
        idParam={idParam}
        pending={valid && doc.isPending}
        error={doc.isError && !notFound ? doc.error : null}
        onRetry={() => void doc.refetch()}
        notFound={{ icon: "einvoice", body: t("einvoices.notFound"), backLabel: t("einvoices.backToList"), backTo: listPath(backQuery) }}
      />
    );
  }
  return <EinvoiceFormBody detail={doc.data} backQuery={backQuery} />;
}

/** Hacienda's `ind-estado` in the user's words when it is one we know. */
function useAnswerLabel() {
  const { t } = useTranslation();
  return (s: string): { text: string; tone: Tone } => {
    const k = s.trim().toLowerCase();
    switch (k) {
      case "recibido":
      case "received":
        return { text: t("einvoices.answer.received"), tone: "info" };
      case "procesando":
      case "processing":
        return { text: t("einvoices.answer.processing"), tone: "warning" };
      case "aceptado":
      case "accepted":
        return { text: t("einvoices.answer.accepted"), tone: "ok" };
      case "rechazado":
      case "rejected":
        return { text: t("einvoices.answer.rejected"), tone: "critical" };
      case "error":
        return { text: t("einvoices.answer.error"), tone: "orange" };
      default:
        return { text: s, tone: "neutral" };
    }
  };
}

export function EinvoiceFormBody({ detail, backQuery = "" }: { detail: EinvoiceDetail; backQuery?: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const l = useEinvoiceLabels();
  const toast = useToast();
  const reissue = useReissueEinvoice();
  const [tab, setTab] = useState<FormTab>("lines");
  const r = detail.row;
  const title = useDocumentName()(r);

  const copyClave = async () => {
    if (!r.clave) return;
    try {
      await navigator.clipboard.writeText(r.clave);
      toast.show(t("einvoices.claveCopied"));
    } catch {
      toast.show(t("einvoices.copyFailed"), "critical");
    }
  };

  const counts: Partial<Record<FormTab, number>> = { lines: detail.lines.length, responses: detail.responses.length, retries: detail.retries.length };
  const tabLabel = (k: FormTab) => t(`einvoices.tab.${k}`);
  const onTabKey = (e: React.KeyboardEvent) => {
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    e.preventDefault();
    const i = FORM_TABS.indexOf(tab);
    const next = FORM_TABS[(i + (e.key === "ArrowRight" ? 1 : FORM_TABS.length - 1)) % FORM_TABS.length]!;
    setTab(next);
    window.setTimeout(() => document.getElementById(`einvoice-tab-${next}`)?.focus(), 0);
  };

  return (
    <div className="screen">
      <ControlPanel
        crumbs={[{ label: t("einvoices.title"), to: listPath(backQuery) }, { label: title }]}
        primary={
          <>
            <a className="btn btn-secondary btn-sm" href={`#${listPath(backQuery)}`} data-testid="back-to-list">
              <Icon name="arrowLeft" size={14} />
              {t("einvoices.backToList")}
            </a>
            {r.state === "rejected" || r.state === "error" ? (
              <button
                type="button"
                className="btn btn-primary btn-sm"
                disabled={reissue.isPending}
                title={t("einvoices.reissueHint")}
                data-testid="btn-reissue"
                onClick={() =>
                  reissue.mutate(r.id, {
                    onSuccess: (newId) => {
                      toast.show(t("einvoices.reissued"));
                      navigate(`/einvoices/${newId}`);
                    },
                    onError: (e) => toast.show(e.message, "critical"),
                  })
                }
              >
                <Icon name="copy" size={14} />
                {t("einvoices.reissue")}
              </button>
            ) : null}
          </>
        }
      />
      <div className="content einvoice-form-content">
        <div className="sheet einvoice-sheet" data-testid="einvoice-form" data-state={r.state} data-id={r.id}>
          <div className="einvoice-head">
            <div className="einvoice-head-main">
              <div className="einvoice-kind muted">{l.docTypeLong(r.doc_type)}</div>
              <h2 className="einvoice-title mono" data-testid="einvoice-number">
                {title}
              </h2>
              <div className="einvoice-clave">
                <span className="muted">{t("einvoices.field.clave")}</span>
                {r.clave ? (
                  <>
                    <code className="mono" data-testid="einvoice-clave">
                      {r.clave}
                    </code>
                    <button type="button" className="btn-icon" onClick={() => void copyClave()} title={t("einvoices.copyClave")} aria-label={t("einvoices.copyClave")} data-testid="copy-clave">
                      <Icon name="copy" size={14} />
                    </button>
                  </>
                ) : (
                  <span className="muted">{t("einvoices.noClave")}</span>
                )}
              </div>
            </div>
            <div className="einvoice-head-side">
              <StateBadge state={r.state} />
              <PendingBadge pending={r.pending} />
              <div className="einvoice-total">
                <span className="muted small">{t("einvoices.col.total")}</span>
                <strong className="num" data-testid="einvoice-total">
                  {l.money(r.total, r.currency)}
                </strong>
              </div>
            </div>
          </div>

          {r.last_error && (r.state === "rejected" || r.state === "error") ? (
            <div className="alert alert-critical" role="status" data-testid="einvoice-last-error">
              <Icon name="alert" size={18} />
              <div className="alert-body">
                <strong>{r.state === "rejected" ? t("einvoices.rejectedTitle") : t("einvoices.errorTitle")}</strong>
                <p>{r.last_error}</p>
              </div>
            </div>
          ) : null}

          <dl className="einvoice-dates" data-testid="einvoice-dates">
            <DateFact label={t("einvoices.date.created")} iso={r.created_at} />
            <DateFact label={t("einvoices.date.issued")} iso={r.issued_at} />
            <DateFact label={t("einvoices.date.signed")} iso={r.signed_at} />
            <DateFact label={t("einvoices.date.submitted")} iso={r.submitted_at} />
            <DateFact label={t("einvoices.date.decided")} iso={r.decided_at} />
          </dl>

          <div className="einvoice-parties">
            <Party title={t("einvoices.issuer")} party={detail.issuer} testId="einvoice-issuer" />
            <Party title={t("einvoices.receiver")} party={detail.receiver} testId="einvoice-receiver" />
            <section className="party" data-testid="einvoice-meta">
              <h3 className="section-title">{t("einvoices.document")}</h3>
              <dl className="facts facts-wide facts-compact">
                <Fact label={t("einvoices.field.connection")} value={r.connection_name} />
                <Fact label={t("einvoices.field.source")} value={l.source(r.source)} />
                <Fact label={t("einvoices.field.reference")} value={r.external_ref ? <span className="mono">{r.external_ref}</span> : null} />
                <Fact label={t("einvoices.field.currency")} value={r.currency} />
              </dl>
            </section>
          </div>

          {detail.notes ? (
            <p className="einvoice-notes" data-testid="einvoice-notes">
              <span className="muted">{t("einvoices.notes")}: </span>
              {detail.notes}
            </p>
          ) : null}

          <div className="tabs einvoice-tabs" role="tablist" aria-label={t("einvoices.tabsLabel")} onKeyDown={onTabKey}>
            {FORM_TABS.map((k) => (
              <button
                key={k}
                type="button"
                id={`einvoice-tab-${k}`}
                role="tab"
                aria-selected={tab === k}
                aria-controls="einvoice-tabpanel"
                tabIndex={tab === k ? 0 : -1}
                className={`tab${tab === k ? " active" : ""}`}
                onClick={() => setTab(k)}
                data-testid={`tab-${k}`}
              >
                {tabLabel(k)}
                {counts[k] ? <span className="tab-count">{f.number(counts[k])}</span> : null}
              </button>
            ))}
          </div>
          <div id="einvoice-tabpanel" role="tabpanel" aria-labelledby={`einvoice-tab-${tab}`} className="einvoice-tabpanel" data-testid={`panel-${tab}`}>
            {tab === "lines" ? <LinesTab detail={detail} /> : null}
            {tab === "xml" ? <XmlTab detail={detail} /> : null}
            {tab === "signature" ? <SignatureTab detail={detail} /> : null}
            {tab === "responses" ? <ResponsesTab responses={detail.responses} /> : null}
            {tab === "retries" ? <RetriesTab retries={detail.retries} /> : null}
          </div>
        </div>
      </div>
    </div>
  );
}


function DateFact({ label, iso }: { label: string; iso: string | null }) {
  const f = useFormat();
  return (
    <div className={iso ? undefined : "is-empty"}>
      <dt>{label}</dt>
      <dd title={iso ? f.dateTime(iso, true) : undefined}>{iso ? f.shortDateTime(iso) : "—"}</dd>
    </div>
  );
}

function Party({ title, party, testId }: { title: string; party: PartyView | null; testId: string }) {
  const { t } = useTranslation();
  return (
    <section className="party" data-testid={testId}>
      <h3 className="section-title">{title}</h3>
      {party ? (
        <dl className="facts facts-wide facts-compact">
          <Fact label={t("einvoices.party.name")} value={<strong>{party.name}</strong>} />
          <Fact label={t("einvoices.party.id")} value={party.id_number ? <span className="mono">{party.id_number}</span> : null} />
          <Fact label={t("einvoices.party.idType")} value={party.id_type ? `${party.id_type} ${ID_TYPES.includes(party.id_type) ? t(`einvoices.idTypes.${party.id_type as "01"}`) : ""}`.trim() : null} />
          <Fact label={t("einvoices.party.email")} value={party.email} />
        </dl>
      ) : (
        <p className="muted">{t("einvoices.noParty")}</p>
      )}
    </section>
  );
}

/** Costa Rican id types: 01 física, 02 jurídica, 03 DIMEX, 04 NITE. */
const ID_TYPES = ["01", "02", "03", "04"];

function LinesTab({ detail }: { detail: EinvoiceDetail }) {
  const { t } = useTranslation();
  const l = useEinvoiceLabels();
  const r = detail.row;
  const money = (v: string) => l.money(v, r.currency);
  if (detail.lines.length === 0) return <p className="muted">{t("einvoices.noLines")}</p>;
  return (
    <div className="lines-wrap">
      <table className="table table-compact einvoice-lines" data-testid="einvoice-lines">
        <thead>
          <tr>
            <th className="right">#</th>
            <th>{t("einvoices.line.code")}</th>
            <th>{t("einvoices.line.description")}</th>
            <th className="right">{t("einvoices.line.quantity")}</th>
            <th>{t("einvoices.line.unit")}</th>
            <th className="right">{t("einvoices.line.unitPrice")}</th>
            <th className="right">{t("einvoices.line.discount")}</th>
            <th className="right">{t("einvoices.line.taxRate")}</th>
            <th className="right">{t("einvoices.line.tax")}</th>
            <th className="right">{t("einvoices.line.total")}</th>
          </tr>
        </thead>
        <tbody>
          {detail.lines.map((x) => (
            <tr key={x.number} data-testid={`line-${x.number}`}>
              <td className="num right muted">{x.number}</td>
              <td className="mono small">{x.code ?? ""}</td>
              <td className="line-description">{x.description}</td>
              <td className="num right">{l.sum(Number(x.quantity)).replace(/[.,]00$/, "")}</td>
              <td>{x.unit}</td>
              <td className="num right nowrap">{money(x.unit_price)}</td>
              <td className="num right nowrap">{Number(x.discount) ? money(x.discount) : <span className="muted">—</span>}</td>
              <td className="num right">{x.tax_rate != null ? `${x.tax_rate}%` : <span className="muted">—</span>}</td>
              <td className="num right nowrap">{money(x.tax)}</td>
              <td className="num right nowrap">
                <strong>{money(x.total)}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="einvoice-totals" data-testid="einvoice-totals">
        <div>
          <dt>{t("einvoices.totals.subtotal")}</dt>
          <dd className="num">{money(detail.subtotal)}</dd>
        </div>
        <div>
          <dt>{t("einvoices.totals.discount")}</dt>
          <dd className="num">{Number(detail.discount) ? `− ${money(detail.discount)}` : money(detail.discount)}</dd>
        </div>
        <div>
          <dt>{t("einvoices.totals.tax")}</dt>
          <dd className="num">{money(r.tax)}</dd>
        </div>
        <div className="grand">
          <dt>{t("einvoices.totals.total")}</dt>
          <dd className="num" data-testid="totals-total">
            {money(r.total)}
          </dd>
        </div>
      </dl>
    </div>
  );
}

/** Offers `text` as a file download named `name`. */
export function downloadText(text: string, name: string, type = "application/xml") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.rel = "noopener";
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function XmlTab({ detail }: { detail: EinvoiceDetail }) {
  const { t } = useTranslation();
  const r = detail.row;
  if (!detail.xml) return <p className="muted" data-testid="xml-none">{t("einvoices.noXml")}</p>;
  const signed = r.signed_at != null || detail.signature != null;
  return (
    <div className="xml-tab">
      <div className="xml-bar">
        <span className="muted small">{signed ? t("einvoices.xmlSigned") : t("einvoices.xmlUnsigned")}</span>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => downloadText(detail.xml!, `${r.clave ?? `einvoice-${r.id}`}.xml`)} data-testid="btn-save-xml">
          <Icon name="download" size={14} />
          {t("einvoices.saveXml")}
        </button>
      </div>
      <pre className="xml-view mono" data-testid="einvoice-xml" tabIndex={0}>
        {detail.xml}
      </pre>
    </div>
  );
}

function SignatureTab({ detail }: { detail: EinvoiceDetail }) {
  const { t } = useTranslation();
  const f = useFormat();
  const s = detail.signature;
  if (!s) return <p className="muted" data-testid="signature-none">{t("einvoices.notSigned")}</p>;
  return (
    <dl className="facts facts-wide" data-testid="einvoice-signature">
      <Fact label={t("einvoices.signer")} value={s.signer} />
      <Fact label={t("einvoices.signedAt")} value={s.signed_at ? f.dateTime(s.signed_at, true) : null} />
      <Fact label={t("einvoices.signatureKind")} value={t("einvoices.signatureKindValue")} />
    </dl>
  );
}

function ResponsesTab({ responses }: { responses: ResponseRow[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const answer = useAnswerLabel();
  if (responses.length === 0) return <p className="muted" data-testid="responses-none">{t("einvoices.noResponses")}</p>;
  const messageType = (m: number | null) => (m === 1 || m === 2 || m === 3 ? t(`einvoices.messageType.${m}`) : null);
  return (
    <ol className="einvoice-answers" data-testid="einvoice-responses">
      {responses.map((x) => {
        const a = answer(x.state);
        return (
          <li key={x.id} className="einvoice-answer" data-testid={`response-${x.id}`}>
            <div className="einvoice-answer-head">
              <Badge tone={a.tone}>{a.text}</Badge>
              {messageType(x.message_type) ? <span className="small">{messageType(x.message_type)}</span> : null}
              {x.http_status != null ? <span className="muted small mono">HTTP {x.http_status}</span> : null}
              <span className="toolbar-gap" />
              <span className="muted small" title={f.dateTime(x.received_at, true)}>
                {f.shortDateTime(x.received_at)}
              </span>
            </div>
            {x.detail ? <p className="einvoice-answer-detail">{x.detail}</p> : null}
            {x.error_codes.length > 0 ? (
              <ul className="error-codes">
                {x.error_codes.map((e, i) => (
                  <li key={`${e.code}-${i}`} data-testid={`error-code-${e.code}`}>
                    <code className="error-code">{e.code}</code>
                    <span> — {e.message}</span>
                    {e.row != null || e.column != null ? (
                      <span className="muted small">
                        {" "}
                        ({[e.row != null ? t("einvoices.errorRow", { n: e.row }) : null, e.column != null ? t("einvoices.errorColumn", { n: e.column }) : null].filter(Boolean).join(", ")})
                      </span>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

const RETRY_TONE: Record<RetryRow["state"], Tone> = { pending: "info", processing: "warning", done: "ok", failed: "critical", cancelled: "muted" };

function RetriesTab({ retries }: { retries: RetryRow[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (retries.length === 0) return <p className="muted" data-testid="retries-none">{t("einvoices.noRetries")}</p>;
  return (
    <table className="table table-compact" data-testid="einvoice-retries">
      <thead>
        <tr>
          <th>{t("einvoices.retry.operation")}</th>
          <th>{t("einvoices.retry.state")}</th>
          <th>{t("einvoices.retry.category")}</th>
          <th className="right">{t("einvoices.retry.attempts")}</th>
          <th>{t("einvoices.retry.next")}</th>
          <th>{t("einvoices.retry.lastError")}</th>
        </tr>
      </thead>
      <tbody>
        {retries.map((x) => (
          <tr key={x.id} data-testid={`retry-${x.id}`}>
            <td>{t(`einvoices.retry.op.${x.operation}`)}</td>
            <td>
              <Badge tone={RETRY_TONE[x.state] ?? "neutral"}>{t(`einvoices.retry.st.${x.state}`)}</Badge>
            </td>
            <td>
              <ErrorCategoryBadge category={x.category} />
            </td>
            <td className="num right">
              {f.number(x.attempts)} / {f.number(x.max_attempts)}
            </td>
            <td className="nowrap" title={f.dateTime(x.next_retry_at, true)}>
              {x.state === "pending" ? f.shortDateTime(x.next_retry_at) : <span className="muted">—</span>}
            </td>
            <td className="einvoice-retry-error">{x.last_error ?? <span className="muted">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
